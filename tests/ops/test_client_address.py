"""One rule for who a request comes from, shared by the API throttle and the sign-in lock-out."""

import random

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from api.throttling import client_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def request_from(remote_addr: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def spoofed() -> str:
    return ".".join(str(random.randint(1, 254)) for _ in range(4))  # noqa: S311 (made-up addresses)


@pytest.mark.parametrize(
    "proxies, remote_addr, forwarded, expected",
    [
        # No proxy: whatever the client wrote is ignored.
        (0, "198.51.100.7", "1.2.3.4", "198.51.100.7"),
        (0, "198.51.100.7", None, "198.51.100.7"),
        # One proxy appends the address it saw; anything left of it is the client's own writing.
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # Two proxies: the outer one's entry is second from the right.
        (2, "10.0.0.3", "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        # Fewer entries than proxies: the request skipped one, so only the peer is known.
        (2, "10.0.0.3", "203.0.113.9", "10.0.0.3"),
        (1, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", " , ", "10.0.0.2"),
    ],
)
def test_the_client_address(settings, proxies, remote_addr, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_from(remote_addr, forwarded)) == expected


def throttle_count(address: str) -> int | None:
    # The anonymous throttle keeps one counter per client address.
    return cache.get(f"throttle_anon_{address}")


def test_a_made_up_forwarded_address_per_request_does_not_lift_the_anonymous_throttle(client, settings):
    settings.API_ANON_RATE = "5/minute"
    made_up = [spoofed() for _ in range(8)]
    answers = [
        client.get("/api/v1/claims/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=forwarded).status_code
        for forwarded in made_up
    ]
    assert answers == [200] * 5 + [429] * 3
    # One counter for the one client (the refused requests count too), none for the made-up addresses.
    assert throttle_count("198.51.100.7") == 8
    assert all(throttle_count(forwarded) is None for forwarded in made_up)


def test_behind_a_trusted_proxy_each_client_has_its_own_count(client, settings):
    settings.API_ANON_RATE = "2/minute"
    settings.TRUSTED_PROXY_COUNT = 1

    def get(client_seen_by_proxy: str) -> int:
        forwarded = f"{spoofed()}, {client_seen_by_proxy}"
        return client.get("/api/v1/claims/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [get("203.0.113.9") for _ in range(3)] == [200, 200, 429]
    assert [get("203.0.113.10") for _ in range(3)] == [200, 200, 429]
    assert throttle_count("10.0.0.2") is None
