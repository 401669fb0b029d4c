"""Reporters cannot change published work through the rows it shows: the API asks the same policy."""

import pytest
from django.urls import reverse

from claims.choices import Stance
from claims.models import ClaimRelation, Evidence, Speaker
from tests.api.conftest import client_for
from tests.factories import ClaimFactory, EvidenceFactory, QuoteFactory, SourceFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_a_reporter_cannot_rename_their_own_speaker_once_an_editors_published_claim_shows_it(reporter, editor):
    speaker = SpeakerFactory(created_by=reporter, name="Jo Bloggs")
    ClaimFactory(published=True, claimant=speaker, created_by=editor)
    response = client_for(reporter).patch(reverse("api:speaker-detail", args=[speaker.pk]), {"name": "J. Bloggs"})
    assert response.status_code == 403, response.content
    assert "reporters change only their own drafts" in response.json()["error"]["message"]
    assert Speaker.objects.get(pk=speaker.pk).name == "Jo Bloggs"


def test_a_reporter_cannot_change_their_own_evidence_on_a_published_claim(reporter, editor):
    evidence = EvidenceFactory(claim=ClaimFactory(published=True, created_by=editor), created_by=reporter)
    response = client_for(reporter).patch(reverse("api:evidence-detail", args=[evidence.pk]), {"excerpt": "Other."})
    assert response.status_code == 403, response.content
    assert Evidence.objects.get(pk=evidence.pk).excerpt == evidence.excerpt


def test_a_reporter_cannot_add_evidence_or_a_relation_onto_an_editors_published_claim(reporter, editor):
    published = ClaimFactory(published=True, created_by=editor)
    own = ClaimFactory(created_by=reporter)
    client = client_for(reporter)
    evidence = {"claim": published.pk, "source": SourceFactory().pk, "stance": Stance.REFUTES}
    assert client.post(reverse("api:evidence-list"), evidence).status_code == 403
    relation = {"claim": own.pk, "other": published.pk, "relation": "contradicts"}
    assert client.post(reverse("api:relation-list"), relation).status_code == 403
    assert not Evidence.objects.exists() and not ClaimRelation.objects.exists()


def test_a_reporter_builds_their_own_draft_with_evidence_and_relations(reporter):
    own, other_own = ClaimFactory(created_by=reporter), ClaimFactory(created_by=reporter)
    client = client_for(reporter)
    evidence = {"claim": own.pk, "source": SourceFactory().pk, "stance": Stance.CONTEXT}
    assert client.post(reverse("api:evidence-list"), evidence).status_code == 201
    relation = {"claim": own.pk, "other": other_own.pk, "relation": "supports"}
    assert client.post(reverse("api:relation-list"), relation).status_code == 201


def test_a_reporter_cannot_change_a_quote_that_an_editors_published_claim_states(reporter, editor):
    quote = QuoteFactory(created_by=reporter)
    ClaimFactory(published=True, created_by=editor).quotes.add(quote)
    response = client_for(reporter).patch(reverse("api:quote-detail", args=[quote.pk]), {"via": "radio"})
    assert response.status_code == 403
