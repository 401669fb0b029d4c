"""The changes to one row (/changes/<model>/<pk>/): every version, who and what, and restoring an earlier one."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus, Rating, Relation, Role
from claims.dashboard import recorded_histories
from claims.models import Claim, Speaker
from claims.views.history import word_diff
from tests.desk import PAYLOAD
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    OutletFactory,
    QuoteFactory,
    SourceFactory,
    SpeakerFactory,
    UserFactory,
)


def changes_of(record) -> str:
    return reverse("desk:changes", args=[record._meta.model_name, record.pk])


def restore_of(record) -> str:
    return reverse("desk:restore", args=[record._meta.model_name, record.pk])


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def speaker(editor):
    return services.record_speaker(name="Helena Marsh", acting_user=editor)


@pytest.fixture
def claim(editor, speaker):
    """A claim recorded, reworded, rated and published by the editor: four versions."""
    claim = services.make_claim(text="Unemployment fell by half last year.", claimant=speaker, acting_user=editor)
    services.edit_claim(claim, text="Unemployment fell by a third last year.", acting_user=editor)
    services.rate_claim(claim=claim, rating=Rating.FALSE, summary="It rose.", acting_user=editor)
    services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)
    services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
    return Claim.objects.get(pk=claim.pk)


# --- who may read it ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, claim):
    response = client.get(changes_of(claim))

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=")


def test_outsiders_are_refused(client, outsider, claim):
    client.force_login(outsider)

    assert client.get(changes_of(claim)).status_code == 403
    assert client.post(restore_of(claim), {"version": 1}).status_code == 403


def test_an_unknown_kind_or_row_is_not_found(client, editor, claim):
    client.force_login(editor)

    assert client.get(reverse("desk:changes", args=["comment", 1])).status_code == 404
    assert client.get(reverse("desk:changes", args=["user", editor.pk])).status_code == 404
    assert client.get(reverse("desk:changes", args=["claim", claim.pk + 1000])).status_code == 404


@pytest.mark.parametrize("model", sorted(recorded_histories()))
def test_every_recorded_kind_has_its_changes_page(client, editor, model, db):
    rows = {
        "outlet": OutletFactory,
        "article": ArticleFactory,
        "speaker": SpeakerFactory,
        "quote": QuoteFactory,
        "claim": ClaimFactory,
        "source": SourceFactory,
        "evidence": EvidenceFactory,
        "claimrelation": lambda: ClaimRelationFactory(relation=Relation.SUPPORTS),
        "speakeralias": lambda: SpeakerFactory().aliases.create(name="Another name"),
    }
    record = rows[model]()
    client.force_login(editor)

    response = client.get(changes_of(record))

    assert response.status_code == 200
    assert "Added" in body(response)


# --- what it shows ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_every_version_newest_first_with_who_and_when(client, request, persona, claim, editor):
    client.force_login(request.getfixturevalue(persona))

    page = body(client.get(changes_of(claim)))

    assert page.count('class="version version--') == claim.history.count()
    versions = list(claim.history.order_by("-history_date", "-history_id"))
    positions = [page.index(f'id="version-{version.history_id}"') for version in versions]
    assert positions == sorted(positions)
    assert f"by <strong>{editor.username}</strong>" in page
    assert ">Current</span>" in page


def test_field_by_field_what_changed_with_words_marked_and_labels_for_rows(client, editor, claim):
    other = services.record_speaker(name="Tom Okafor", acting_user=editor)
    services.edit_claim(claim, claimant=other, acting_user=editor)
    client.force_login(editor)

    page = body(client.get(changes_of(claim)))

    # A long text, word by word.
    assert "<del>half</del><ins>a third</ins>" in page.replace("<del>half</del> <ins>", "<del>half</del><ins>")
    # A foreign key by what it names.
    assert "<del>Helena Marsh</del>" in page and "<ins>Tom Okafor</ins>" in page
    # A choice by its label.
    assert "<del>In review</del>" in page and "<ins>Published</ins>" in page
    assert "<ins>False</ins>" in page


def test_which_quotes_state_a_claim_is_shown_as_what_was_added_and_taken_off(client, editor, claim):
    first = QuoteFactory(text="the budget is balanced for the first time in a decade.")
    services.link_quotes(claim=claim, quotes=[first], acting_user=editor)
    services.edit_claim(claim, quotes=[], acting_user=editor)
    client.force_login(editor)

    page = body(client.get(changes_of(claim)))

    assert "Taken off" in page and "Added" in page
    assert "<li>“the budget is balanced for the first time in a decade.”</li>" in page


def test_stored_text_is_escaped_even_inside_a_word_diff(client, editor, speaker):
    claim = services.make_claim(text=f"Plain words {PAYLOAD} here.", claimant=speaker, acting_user=editor)
    services.edit_claim(claim, text=f"Other words {PAYLOAD} there.", venue=PAYLOAD, acting_user=editor)
    services.edit_speaker(speaker, name=PAYLOAD, acting_user=editor)
    client.force_login(editor)

    for url in (changes_of(claim), changes_of(speaker)):
        page = body(client.get(url))
        assert "<script>alert(1)</script>" not in page
        assert '" onmouseover="x' not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_word_diff_escapes_every_piece():
    diff = word_diff("a <b>bold</b> claim", "a <i>new</i> claim & more")

    assert "<b>" not in diff and "<i>" not in diff
    assert "<del>&lt;b&gt;bold&lt;/b&gt;</del>" in diff
    assert "<ins>&lt;i&gt;new&lt;/i&gt;</ins>" in diff
    assert "&amp; more" in diff


def test_a_long_unchanged_stretch_is_elided(db):
    words = " ".join(f"word{n}" for n in range(200))

    diff = word_diff(words + " old ending", words + " new ending")

    assert "word0 " not in diff and "word199" in diff and "…" in diff
    assert "<del>old</del><ins>new</ins>" in diff


def test_internal_notes_are_in_the_history_for_the_newsroom(client, reporter, editor):
    relation = ClaimRelationFactory(relation=Relation.SUPPORTS)
    services.edit_relation(relation, note="Checked with the ministry by phone.", acting_user=editor)
    client.force_login(reporter)

    assert "Checked with the ministry by phone." in body(client.get(changes_of(relation)))


def test_the_versions_are_paginated(client, editor, speaker):
    for n in range(25):
        services.edit_speaker(speaker, description=f"Title number {n}", acting_user=editor)
    client.force_login(editor)

    first = body(client.get(changes_of(speaker)))
    second = body(client.get(changes_of(speaker) + "?page=2"))

    assert "Title number 24" in first and 'rel="next"' in first
    # The oldest version on the first page still says what it changed, from the one before it.
    assert "<del>Title number 4</del>" in first
    assert "Added" in second and "Title number 24" not in second


def test_the_page_costs_the_same_queries_with_more_versions(client, editor, speaker):
    other_editor = UserFactory(username="eddie_editor", role=Role.EDITOR)
    other_speaker = services.record_speaker(name="Tom Okafor", acting_user=editor)
    claim = services.make_claim(text="Unemployment fell.", claimant=speaker, acting_user=editor)

    def another_round(n):
        # Each kind of change: a text and a row pointed to, quotes linked, a verdict by another reviewer.
        services.edit_claim(
            claim,
            text=f"Unemployment fell by {n} percent.",
            claimant=(speaker, other_speaker)[n % 2],
            acting_user=editor,
        )
        services.link_quotes(claim=claim, quotes=[QuoteFactory()], acting_user=editor)
        services.rate_claim(
            claim=claim, rating=Rating.FALSE, summary=f"Verdict {n}.", acting_user=(editor, other_editor)[n % 2]
        )

    another_round(0)
    client.force_login(editor)
    client.get(changes_of(claim))
    with CaptureQueriesContext(connection) as before:
        client.get(changes_of(claim))
    for n in range(1, 21):
        another_round(n)
    with CaptureQueriesContext(connection) as after:
        response = client.get(changes_of(claim))

    assert response.status_code == 200 and 'rel="next"' in body(response)
    assert len(after) == len(before), [q["sql"] for q in after]


# --- restoring a version -----------------------------------------------------------------------------


def test_an_editor_restores_an_earlier_version_but_never_its_status_or_verdict(client, editor, claim):
    first = claim.history.earliest()
    client.force_login(editor)
    page = body(client.get(changes_of(claim)))
    assert "Restore this version" in page and "status and verdict are never restored" in page

    response = client.post(restore_of(claim), {"version": first.history_id})

    assert response.status_code == 302 and response["Location"] == changes_of(claim)
    claim.refresh_from_db()
    assert claim.text == "Unemployment fell by half last year."
    assert claim.status == ClaimStatus.PUBLISHED and claim.rating == Rating.FALSE
    latest = claim.history.latest()
    assert latest.history_user == editor and latest.history_type == "~"
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(
        "“Unemployment fell by half last year.” has the claimant, made on, text and venue it had on"
    )
    assert "Its status and verdict are never restored" in message
    assert "kept as a new version" in message


def test_restoring_a_speaker_says_their_aliases_stay(client, editor, speaker):
    services.edit_speaker(speaker, description="Finance Minister", aliases=["Marsh"], acting_user=editor)
    client.force_login(editor)

    page = body(client.get(changes_of(speaker)))
    response = client.post(restore_of(speaker), {"version": speaker.history.earliest().history_id})

    assert "the speaker aliases stay as they are now" in page
    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.description == "" and list(speaker.aliases.values_list("name", flat=True)) == ["Marsh"]


def test_who_may_not_change_the_row_gets_no_restore_button_and_a_refusal(client, reporter, claim):
    client.force_login(reporter)

    page = body(client.get(changes_of(claim)))
    response = client.post(restore_of(claim), {"version": claim.history.earliest().history_id})

    assert "Restore this version" not in page
    assert "restoring a version of this claim is for whoever may change it now" in page
    assert response.status_code == 400
    assert "You may not revert this claim" in body(response)
    claim.refresh_from_db()
    assert claim.text == "Unemployment fell by a third last year."


def test_a_reporter_restores_their_own_draft(client, reporter):
    speaker = services.record_speaker(name="Rita's source", acting_user=reporter)
    claim = services.make_claim(text="First words.", claimant=speaker, acting_user=reporter)
    services.edit_claim(claim, text="Second words.", acting_user=reporter)
    client.force_login(reporter)

    response = client.post(restore_of(claim), {"version": claim.history.earliest().history_id})

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == "First words."


def test_a_refused_restore_says_why_beside_the_version(client, editor, speaker):
    claim = services.make_claim(text="Words.", claimant=speaker, acting_user=editor)
    first = claim.history.earliest()
    other = services.record_speaker(name="Tom Okafor", acting_user=editor)
    services.edit_claim(claim, claimant=other, acting_user=editor)
    # The first version's claimant is gone: the claim cannot be given back to them.
    Claim.objects.filter(pk=claim.pk).update(claimant=other)
    Speaker.objects.filter(pk=speaker.pk).delete()
    client.force_login(editor)

    response = client.post(restore_of(claim), {"version": first.history_id})

    assert response.status_code == 400
    page = body(response)
    assert "Nothing was restored" in page
    assert page.index("Nothing was restored") > page.index(f'id="version-{first.history_id}"')


def test_a_version_of_another_row_is_refused(client, editor, claim, speaker):
    client.force_login(editor)

    elsewhere = speaker.history.model.objects.order_by("history_id").last().history_id + 1000
    services.edit_speaker(speaker, description="Minister", acting_user=editor)
    speaker.history.filter(history_id=speaker.history.latest().history_id).update(history_id=elsewhere)

    response = client.post(restore_of(claim), {"version": elsewhere})

    assert response.status_code == 400
    assert "That version is not one of this record&#x27;s" in body(response)


def test_a_deleted_rows_history_still_shows_with_nothing_to_restore(client, editor, speaker):
    claim = services.make_claim(text="Soon gone.", claimant=speaker, acting_user=editor)
    first = claim.history.earliest()
    url, restore = changes_of(claim), restore_of(claim)
    services.delete_record(claim, acting_user=editor)
    client.force_login(editor)

    response = client.get(url)
    posted = client.post(restore, {"version": first.history_id})

    assert response.status_code == 200
    page = body(response)
    assert "Soon gone." in page
    assert "This claim was deleted on" in page and f"by {editor.username}" in page
    assert "Restore this version" not in page
    assert ">Deleted</span>" in page
    assert posted.status_code == 400 and "there is no row left to restore" in body(posted)


def test_restoring_needs_the_csrf_token(editor, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(restore_of(claim), {"version": claim.history.earliest().history_id})

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.text == "Unemployment fell by a third last year."


def test_restoring_is_a_post(client, editor, claim):
    client.force_login(editor)

    assert client.get(restore_of(claim)).status_code == 405
