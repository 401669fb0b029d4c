"""Rows with no date in the field a list is sorted by are paged like any other, last."""

import datetime

import pytest
from django.urls import reverse

from tests.api.conftest import client_for
from tests.factories import ClaimFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def all_pages(client, url, params) -> list[int]:
    ids, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        ids += [row["id"] for row in response.json()["results"]]
        if not response.json()["next"]:
            return ids
        response = client.get(response.json()["next"])


def test_a_speakers_statements_page_through_undated_quotes_newest_first_then_undated(editor):
    speaker = SpeakerFactory()
    dated = [QuoteFactory(speaker=speaker, said_on=datetime.date(2023, 1, day)) for day in range(1, 6)]
    undated = [QuoteFactory(speaker=speaker, said_on=None) for _ in range(5)]
    url = reverse("api:speaker-statements", args=[speaker.pk])
    ids = all_pages(client_for(editor), url, {"page_size": 3})
    assert ids == [q.pk for q in reversed(dated)] + [q.pk for q in reversed(undated)]


def test_claims_sorted_by_publication_page_through_the_unpublished(editor):
    published = [ClaimFactory(published=True) for _ in range(4)]
    drafts = [ClaimFactory() for _ in range(4)]
    ids = all_pages(client_for(editor), reverse("api:claim-list"), {"ordering": "-published_at", "page_size": 3})
    assert sorted(ids) == sorted(c.pk for c in published + drafts)
    assert set(ids[:4]) == {c.pk for c in published}
