"""Admin actions run in one transaction: when one row is refused, no row changes, and the message says so."""

import csv
import io
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus, Rating
from claims.models import Claim, Quote, Speaker
from tests.factories import ClaimFactory, OutletFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def run_action(client, model, action, rows):
    return client.post(
        reverse(f"admin:claims_{model._meta.model_name}_changelist"),
        {"action": action, "_selected_action": [row.pk for row in rows]},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def test_publishing_a_rated_and_an_unrated_claim_publishes_neither_and_names_the_unrated_one(as_editor, editor):
    unrated = ClaimFactory(text="Unrated claim.")
    # The newer claim comes first in the list, so the old admin published it before the unrated one failed.
    rated = ClaimFactory(text="Rated claim.")
    services.rate_claim(claim=rated, rating=Rating.FALSE, summary="No.", acting_user=editor)

    response = run_action(as_editor, Claim, "publish", [rated, unrated])

    assert response.status_code == 302
    assert not Claim.objects.filter(status=ClaimStatus.PUBLISHED).exists()
    assert messages_of(response) == [
        "Nothing was changed: claim “Unrated claim.”: Rating: Rate the claim before publishing it."
    ]


def test_publishing_rated_claims_publishes_them_all(as_editor, editor):
    claims = [ClaimFactory(), ClaimFactory()]
    for claim in claims:
        services.rate_claim(claim=claim, rating=Rating.TRUE, summary="Yes.", acting_user=editor)
    response = run_action(as_editor, Claim, "publish", claims)
    assert Claim.objects.filter(status=ClaimStatus.PUBLISHED).count() == 2
    assert messages_of(response) == ["2 claim(s) now published."]


def test_a_reporter_submitting_their_draft_and_anothers_submits_neither(client, reporter, other_reporter):
    theirs = services.make_claim(text="Theirs.", claimant=SpeakerFactory(), acting_user=other_reporter)
    own = services.make_claim(text="Mine.", claimant=SpeakerFactory(), acting_user=reporter)
    client.force_login(reporter)
    response = run_action(client, Claim, "submit_for_review", [own, theirs])
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.DRAFT}
    (message,) = messages_of(response)
    assert message.startswith("Nothing was changed: claim “Theirs.”: You may not change this claim")


def test_reporters_are_not_offered_publishing_or_merging(client, reporter):
    ClaimFactory()  # a list shows its actions only when it has rows
    client.force_login(reporter)
    claims_page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert 'value="submit_for_review"' in claims_page and 'value="publish"' not in claims_page
    speakers_page = client.get(reverse("admin:claims_speaker_changelist")).content.decode()
    assert 'value="merge_selected"' not in speakers_page


def test_a_reporter_posting_the_publish_action_anyway_changes_nothing(client, reporter, editor):
    claim = ClaimFactory(created_by=reporter)
    services.rate_claim(claim=claim, rating=Rating.TRUE, summary="Yes.", acting_user=editor)
    client.force_login(reporter)
    run_action(client, Claim, "publish", [claim])
    assert Claim.objects.get().status == ClaimStatus.DRAFT


def test_merging_three_speakers_merges_none_when_one_merge_is_refused(as_editor):
    keep = SpeakerFactory(name="Sergei Ryabkov")
    QuoteFactory.create_batch(2, speaker=keep)
    mergeable = SpeakerFactory(name="S. Ryabkov")
    QuoteFactory(speaker=mergeable)
    # A legacy row whose name the text rules refuse as an alias: its merge fails after the first one succeeded.
    legacy = Speaker.objects.create(name="Ryabkov\u202e", slug="ryabkov-legacy")

    response = run_action(as_editor, Speaker, "merge_selected", [keep, mergeable, legacy])

    assert set(Speaker.objects.values_list("pk", flat=True)) == {keep.pk, mergeable.pk, legacy.pk}
    assert Quote.objects.filter(speaker=mergeable).count() == 1
    assert not keep.aliases.exists()
    (message,) = messages_of(response)
    assert message.startswith("Nothing was merged: merging “Ryabkov\u202e” into “Sergei Ryabkov”: ")
    assert "bidirectional override" in message


def test_merging_speakers_folds_them_into_the_one_with_most_quotes(as_editor):
    keep = SpeakerFactory(name="Sergei Ryabkov")
    QuoteFactory.create_batch(2, speaker=keep)
    other = SpeakerFactory(name="S. Ryabkov")
    QuoteFactory(speaker=other)
    response = run_action(as_editor, Speaker, "merge_selected", [keep, other])
    assert list(Speaker.objects.all()) == [keep]
    assert Quote.objects.filter(speaker=keep).count() == 3
    assert list(keep.aliases.values_list("name", flat=True)) == ["S. Ryabkov"]
    assert messages_of(response) == ["Merged “S. Ryabkov” into “Sergei Ryabkov”."]


# --- exporting the selection --------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_selected_claims_export_as_csv_as_the_exporter_sees_them(as_editor):
    chosen = [ClaimFactory(text="Crime fell."), ClaimFactory(text="=1+1")]
    ClaimFactory(text="Not chosen.")
    response = run_action(as_editor, Claim, "export_csv", chosen)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="claims-\d{8}-\d{6}\.csv"', response["Content-Disposition"])
    header, *rows = csv_rows(response)
    assert header[:2] == ["id", "claim"] and "recorded by" in header
    assert sorted(row[1] for row in rows) == ["'=1+1", "Crime fell."]
    assert rows[0][header.index("link")].startswith("http://testserver/api/v1/claims/")


def test_the_selected_quotes_export_as_csv(client, reporter):
    chosen = QuoteFactory(via="RIA")
    QuoteFactory()
    client.force_login(reporter)
    assert 'value="export_csv"' in client.get(reverse("admin:claims_quote_changelist")).content.decode()
    response = run_action(client, Quote, "export_csv", [chosen])
    assert re.fullmatch(r'attachment; filename="quotes-\d{8}-\d{6}\.csv"', response["Content-Disposition"])
    header, *rows = csv_rows(response)
    assert [row[header.index("id")] for row in rows] == [str(chosen.pk)]
    assert rows[0][header.index("via")] == "RIA"


def test_the_selected_published_claims_export_as_claimreview_and_the_rest_are_named_as_left_out(as_editor, editor):
    ours = ClaimFactory(text="Crime fell.", published=True)
    draft = ClaimFactory(text="Still a draft.")
    theirs = ClaimFactory(text="Imported.", published=True, reviewed_by=OutletFactory(name="Checkers"))
    response = run_action(as_editor, Claim, "export_claimreview", [ours, draft, theirs])
    assert response["Content-Type"] == "application/ld+json"
    assert re.fullmatch(r'attachment; filename="claimreviews-\d{8}-\d{6}\.jsonld"', response["Content-Disposition"])
    feed = json.loads(response.content)
    assert feed["@type"] == "DataFeed"
    (review,) = feed["dataFeedElement"]
    assert review["claimReviewed"] == "Crime fell."
    assert review["url"] == f"http://testserver/api/v1/claims/{ours.pk}/claimreview/"
    assert messages_of(response) == [
        "2 of the selected claims were left out: only this newsroom's published verdicts have a ClaimReview here "
        "(another fact-checker's is theirs)."
    ]


def test_exporting_no_published_claim_as_claimreview_downloads_nothing_and_says_why(as_editor):
    response = run_action(as_editor, Claim, "export_claimreview", [ClaimFactory()])
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("Nothing was exported: only this newsroom's published verdicts")
