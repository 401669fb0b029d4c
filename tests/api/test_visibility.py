"""What a reader may not see does not leak through what they may: counts, filters, nested rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.choices import Relation, SpeakerKind
from tests.api.conftest import client_for
from tests.factories import ClaimFactory, ClaimRelationFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Contradictions -----------------------------------------------------------------


@pytest.fixture
def contradicted_by_a_draft(newsroom):
    """A published claim whose only contradiction is with a draft, and the newsroom's published claim gets one too."""
    lonely = ClaimFactory(published=True)
    draft = ClaimFactory()
    ClaimRelationFactory(from_claim=lonely, to_claim=draft, relation=Relation.CONTRADICTS)
    ClaimRelationFactory(from_claim=newsroom.published_claim, to_claim=ClaimFactory(), relation=Relation.CONTRADICTS)
    return lonely


def test_the_public_contradiction_count_counts_only_public_contradictions(
    anonymous, editor, newsroom, contradicted_by_a_draft
):
    url = reverse("api:claim-detail", args=[newsroom.published_claim.pk])
    assert client_for(anonymous).get(url).json()["contradiction_count"] == 1
    assert client_for(editor).get(url).json()["contradiction_count"] == 2
    lonely = reverse("api:claim-detail", args=[contradicted_by_a_draft.pk])
    assert client_for(anonymous).get(lonely).json()["contradiction_count"] == 0
    listed = {row["id"]: row for row in client_for(anonymous).get(reverse("api:claim-list")).json()["results"]}
    assert listed[contradicted_by_a_draft.pk]["contradiction_count"] == 0
    assert listed[newsroom.published_claim.pk]["contradiction_count"] == 1


def test_has_contradictions_counts_only_contradictions_the_reader_may_see(
    anonymous, editor, newsroom, contradicted_by_a_draft
):
    url = reverse("api:claim-list")
    public = client_for(anonymous)
    assert contradicted_by_a_draft.pk not in ids(public.get(url, {"has_contradictions": "true"}))
    assert contradicted_by_a_draft.pk in ids(public.get(url, {"has_contradictions": "false"}))
    assert newsroom.published_claim.pk in ids(public.get(url, {"has_contradictions": "true"}))
    assert contradicted_by_a_draft.pk in ids(client_for(editor).get(url, {"has_contradictions": "true"}))


def test_search_filters_contradictions_as_the_reader_sees_them(anonymous, newsroom, contradicted_by_a_draft):
    params = {"q": "budget", "type": "claim", "has_contradictions": "true"}
    hits = client_for(anonymous).get(reverse("api:search"), params).json()["results"]
    assert contradicted_by_a_draft.pk not in {hit["id"] for hit in hits}


# --- A speaker's organisation -------------------------------------------------------


@pytest.fixture
def hidden_organization(newsroom):
    """An organisation nothing published quotes or claims for: the public cannot read it."""
    organization = SpeakerFactory(name="Ministry of Unpublished Affairs", kind=SpeakerKind.ORGANIZATION)
    speaker = newsroom.published_speaker
    speaker.organization = organization
    speaker.save()
    return organization


def test_a_hidden_organisation_is_not_found_by_the_public(anonymous, editor, hidden_organization):
    url = reverse("api:speaker-detail", args=[hidden_organization.pk])
    assert client_for(anonymous).get(url).status_code == 404
    assert client_for(editor).get(url).status_code == 200


def test_a_hidden_organisation_shows_as_null_on_its_members(anonymous, editor, newsroom, hidden_organization):
    detail = reverse("api:speaker-detail", args=[newsroom.published_speaker.pk])
    assert client_for(anonymous).get(detail).json()["organization"] is None
    assert client_for(editor).get(detail).json()["organization"]["id"] == hidden_organization.pk
    rows = client_for(anonymous).get(reverse("api:speaker-list")).json()["results"]
    assert [row["organization"] for row in rows if row["id"] == newsroom.published_speaker.pk] == [None]
    assert "Unpublished Affairs" not in client_for(anonymous).get(reverse("api:speaker-list")).content.decode()


def test_a_published_organisation_shows_to_everyone(anonymous, newsroom, hidden_organization):
    ClaimFactory(published=True, claimant=hidden_organization)
    detail = reverse("api:speaker-detail", args=[newsroom.published_speaker.pk])
    assert client_for(anonymous).get(detail).json()["organization"]["id"] == hidden_organization.pk


def test_a_hidden_organisation_is_no_filter_value(anonymous, editor, newsroom, hidden_organization):
    url = reverse("api:speaker-list")
    unknown = client_for(anonymous).get(url, {"organization": 2**62})
    hidden = client_for(anonymous).get(url, {"organization": hidden_organization.pk})
    assert ids(hidden) == ids(unknown) == set()
    assert hidden.json() == unknown.json()
    assert ids(client_for(editor).get(url, {"organization": hidden_organization.pk})) == {newsroom.published_speaker.pk}


def test_organisations_cost_the_same_queries_however_many_speakers_have_one(anonymous, editor, newsroom, nothing_kept):
    url = reverse("api:speaker-list")
    # One member to begin with (with none, there is no organisation to look up at all).
    newsroom.published_speaker.organization = newsroom.draft_speaker
    newsroom.published_speaker.save()
    clients = {"anonymous": client_for(anonymous), "editor": client_for(editor)}
    before = {}
    for name, client in clients.items():
        client.get(url)  # the user's permissions are cached after the first request
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        before[name] = len(queries)
    for n in range(20):
        organization = SpeakerFactory(kind=SpeakerKind.ORGANIZATION)
        member = SpeakerFactory(organization=organization)
        ClaimFactory(published=True, claimant=member)
        if n % 2:
            ClaimFactory(published=True, claimant=organization)  # half of them public
    for name, client in clients.items():
        with CaptureQueriesContext(connection) as queries:
            rows = client.get(url).json()["results"]
        assert len(queries) == before[name], [q["sql"] for q in queries.captured_queries]
        shown = sum(row["organization"] is not None for row in rows)
        assert shown == (10 if name == "anonymous" else 21)
