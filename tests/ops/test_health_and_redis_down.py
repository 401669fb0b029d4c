"""/healthz and /readyz, and Redis down: the site keeps answering, and readiness names what is missing."""

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from factcheck.settings import redis_caches
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

# A port nothing listens on: Redis "down", refused at once.
REDIS_DOWN = "redis://127.0.0.1:1/0"
DOWN = {"REDIS_URL": REDIS_DOWN, "CACHES": redis_caches(REDIS_DOWN)}


def test_healthz_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ok_when_everything_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok"}


def test_readyz_names_a_database_that_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"]["database"].startswith("not reachable: connection to server")


@override_settings(**DOWN)
def test_with_redis_down_the_api_answers_and_readyz_names_the_cache(client):
    from django.core.cache import caches

    caches["default"].close()  # a fresh client for the overridden settings
    ClaimFactory(published=True)
    # The throttle's cache is Redis: every read of it fails, and the request is served anyway.
    for _ in range(3):
        response = client.get("/api/v1/claims/")
        assert response.status_code == 200, response.content
    assert client.get("/admin/login/").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    problems = response.json()["problems"]
    assert list(problems) == ["cache"]
    assert problems["cache"].startswith("Redis at 127.0.0.1:1 not reachable: Error 111")
