"""Many writers at once against real PostgreSQL, each request in its own thread with its own connection.

Fifty changes sent with one ETag: exactly one lands, the other forty-nine are
412s naming the version that won. Twenty speakers of one name at once: all
recorded, each with its own slug, no 409.

The requests go through the test client rather than a live server: the live
server's listen queue (10) resets most of fifty simultaneous connections.
"""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse

from claims.models import Claim, Speaker
from tests.api.conftest import client_for
from tests.factories import ClaimFactory

pytestmark = [
    # Migrations make the roles; serialized_rollback brings them back after the flush each test ends with.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one writing transaction at a time (BEGIN IMMEDIATE), so nothing races there; "
        "set DATABASE_URL=postgres://... to run these",
    ),
]


def race(n: int, send) -> list:
    """`send(client, i)` from n threads released together, each thread with its own database connection."""
    start = threading.Barrier(n)
    responses = [None] * n

    def one(i):
        try:
            start.wait()
            responses[i] = send(i)
        finally:
            connection.close()  # this thread's own

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.mark.parametrize(
    "action, body",
    [
        (None, lambda i: {"text": f"Wording number {i}."}),
        ("verdict", lambda i: {"rating": "false", "summary": f"Reason number {i}."}),
    ],
    ids=["patch", "verdict"],
)
def test_of_fifty_changes_sent_with_one_etag_exactly_one_lands(editor, action, body):
    claim = ClaimFactory(created_by=editor)
    url = reverse("api:claim-detail", args=[claim.pk])
    etag = client_for(editor).get(url)["ETag"]

    def send(i):
        client = client_for(editor)
        if action is None:
            return client.patch(url, body(i), format="json", HTTP_IF_MATCH=etag)
        return client.post(reverse(f"api:claim-{action}", args=[claim.pk]), body(i), format="json", HTTP_IF_MATCH=etag)

    responses = race(50, send)

    assert Counter(r.status_code for r in responses) == {200: 1, 412: 49}, [r.content for r in responses[:3]]
    (winner,) = (r for r in responses if r.status_code == 200)
    now = client_for(editor).get(url)
    assert now.json() == winner.json()
    # Every loser compared under the lock, after the winner's commit: each is told the version that won.
    assert {r["ETag"] for r in responses} == {now["ETag"]}
    assert Claim.history.filter(id=claim.pk).count() == 2  # recorded, then the one change


def test_twenty_speakers_recorded_at_once_under_one_name_all_get_their_own_slug(editor):
    url = reverse("api:speaker-list")

    responses = race(20, lambda i: client_for(editor).post(url, {"name": "Sergei Ryabkov"}, format="json"))

    assert Counter(r.status_code for r in responses) == {201: 20}, [
        r.content for r in responses if r.status_code != 201
    ]
    slugs = {r.json()["slug"] for r in responses}
    assert slugs == {"sergei-ryabkov"} | {f"sergei-ryabkov-{n}" for n in range(2, 21)}
    assert set(Speaker.objects.values_list("slug", flat=True)) == slugs
    assert Speaker.history.count() == 20  # one history row each; the refused tries left none
