"""Drafting a claim from quotes (/claims/new/) and the claim's page (/claims/<pk>/), public and newsroom alike."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from claims import services
from claims.choices import ClaimStatus, Rating, Relation, Stance
from claims.models import Claim, ClaimRelation, Comment, Evidence, Outlet, Source, Speaker
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

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(claim) -> str:
    return reverse("desk:claim", args=[claim.pk])


def text_of(response) -> str:
    return response.content.decode()


def jsonld_of(page: str) -> list:
    return [
        json.loads(found) for found in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]


def follow_message(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def as_reporter(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def reporters_draft(reporter):
    return ClaimFactory(created_by=reporter, text="Reporter's own draft.")


@pytest.fixture
def published(editor, reporter):
    """A published claim a reporter drafted, assigned to them, with a quote, evidence, a relation and a comment."""
    claim = ClaimFactory(published=True, created_by=reporter, reviewer=editor, assignee=reporter)
    claim.assigned_at = timezone.now()
    claim.save()
    claim.quotes.add(QuoteFactory())
    EvidenceFactory(claim=claim, excerpt="What the bulletin says.", note="Internal evidence note.")
    other = ClaimFactory(published=True, text="The other published claim.")
    ClaimRelationFactory(from_claim=claim, to_claim=other, relation=Relation.SUPPORTS, note="Internal link note.")
    Comment.objects.create(claim=claim, author=reporter, body="Internal comment: check the pension figures.")
    return claim


# --- Drafting a claim ---------------------------------------------------------------------


def test_drafting_is_for_the_newsroom(client, outsider):
    assert client.get(reverse("desk:new_claim")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("desk:new_claim")).status_code == 403


def test_the_quotes_chosen_propose_the_text_and_the_claimant(as_reporter):
    first, second = QuoteFactory(), QuoteFactory()

    response = as_reporter.get(reverse("desk:new_claim"), {"quotes": [second.pk, first.pk]})

    assert response.status_code == 200
    form = response.context["form"]
    assert form["text"].value() == second.text
    assert form["claimant"].value() == second.speaker_id
    assert form["claimant_q"].value() == second.speaker.name
    page = text_of(response)
    assert second.article.headline in page and first.article.headline in page
    assert page.count('name="quotes"') == 2 and page.count(" checked") >= 2


def test_saving_drafts_the_claim_from_the_quotes_and_goes_to_its_page(as_reporter, reporter):
    early = QuoteFactory(said_on=datetime.date(2023, 5, 1))
    late = QuoteFactory(said_on=datetime.date(2023, 9, 1), speaker=early.speaker)
    url = reverse("desk:new_claim") + f"?quotes={late.pk}&quotes={early.pk}"

    response = as_reporter.post(
        url,
        {"text": "The budget is balanced.", "claimant": early.speaker_id, "claimant_q": early.speaker.name,
         "quotes": [late.pk, early.pk], "made_on": "", "venue": "A radio interview"},
    )  # fmt: skip

    claim = Claim.objects.get(text="The budget is balanced.")
    assert response.status_code == 302 and response["Location"] == page_url(claim)
    assert claim.status == ClaimStatus.DRAFT and claim.created_by == reporter
    assert set(claim.quotes.all()) == {early, late}
    assert claim.made_on == datetime.date(2023, 5, 1)  # the earliest quote's, as services.make_claim has it
    assert claim.venue == "A radio interview"
    assert "Claim drafted from 2 quotes." in follow_message(as_reporter.get(response["Location"]))


def test_a_name_typed_without_picking_anyone_records_a_new_speaker_with_the_claim(as_reporter):
    response = as_reporter.post(
        reverse("desk:new_claim"), {"text": "Crime is at a record low.", "claimant": "", "claimant_q": "Nia Newname"}
    )

    assert response.status_code == 302
    assert Claim.objects.get(text="Crime is at a record low.").claimant == Speaker.objects.get(name="Nia Newname")


def test_a_refused_draft_keeps_what_was_typed_and_records_no_speaker(as_reporter):
    quote = QuoteFactory()
    url = reverse("desk:new_claim") + f"?quotes={quote.pk}"

    response = as_reporter.post(
        url, {"text": "   ", "claimant": "", "claimant_q": "Nobody Yet", "venue": "A mailer", "quotes": [quote.pk]}
    )

    assert response.status_code == 400
    page = text_of(response)
    assert 'value="A mailer"' in page and 'value="Nobody Yet"' in page
    # Beside its field: the error list Django renders after the field's label, tied to it by id.
    assert re.search(
        r'<label for="id_text">.*?<ul class="errorlist" id="id_text_error"><li>This field is required', page, re.S
    )
    assert response.context["form"].errors["text"]
    assert not Speaker.objects.filter(name="Nobody Yet").exists()
    assert quote.article.headline in page  # the quotes offered are still there


def test_a_service_refusal_lands_beside_its_field(as_reporter, monkeypatch):
    speaker = SpeakerFactory()

    response = as_reporter.post(
        reverse("desk:new_claim"),
        {"text": "Bad\u202etext", "claimant": speaker.pk, "claimant_q": speaker.name, "venue": "A rally"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert 'value="A rally"' in text_of(response)
    assert not Claim.objects.exists()


def test_a_name_several_speakers_share_must_be_picked(as_reporter):
    SpeakerFactory(name="Sam Twin")
    SpeakerFactory(name="Sam Twin")

    response = as_reporter.post(reverse("desk:new_claim"), {"text": "A claim.", "claimant_q": "Sam Twin"})

    assert response.status_code == 400
    assert "Several speakers go by “Sam Twin”" in text_of(response)
    assert 'id="claimant-errors"' in text_of(response)


def test_drafting_needs_the_csrf_token(reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    speaker = SpeakerFactory()

    response = client.post(reverse("desk:new_claim"), {"text": "A claim.", "claimant": speaker.pk})

    assert response.status_code == 403
    assert not Claim.objects.exists()


# --- Who sees the claim's page --------------------------------------------------------------


@pytest.mark.parametrize("status", [ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW])
def test_unpublished_claims_are_not_found_by_the_public(client, outsider, status):
    claim = ClaimFactory(status=status)
    assert client.get(page_url(claim)).status_code == 404
    client.force_login(outsider)
    assert client.get(page_url(claim)).status_code == 404


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_the_newsroom_sees_drafts(client, db, request, persona):
    claim = ClaimFactory(text="A draft in progress.")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(page_url(claim))
    assert response.status_code == 200
    assert "A draft in progress." in text_of(response)


def test_the_public_reads_a_published_claim_with_its_quotes_evidence_and_relations(client, published):
    quote = published.quotes.get()
    evidence = published.evidence.get()

    response = client.get(page_url(published))

    assert response.status_code == 200
    page = text_of(response)
    assert published.text in page
    assert "Mostly false" in page and published.rating_summary in page
    if _has("desk:speaker", published.claimant.slug):
        assert reverse("desk:speaker", args=[published.claimant.slug]) in page
    assert quote.text in page and quote.article.url in page
    if _has("desk:article", quote.article_id):
        assert f"{reverse('desk:article', args=[quote.article_id])}#quote-{quote.pk}" in page
    assert evidence.source.title in page and evidence.source.url in page and "What the bulletin says." in page
    assert "Refutes the claim" in page
    assert "The other published claim." in page and "Supports" in page


def test_the_public_never_sees_the_newsrooms_work(client, published, reporter):
    reporter.first_name, reporter.last_name = "Rita", "Reporterson"
    reporter.save()

    page = text_of(client.get(page_url(published)))

    for internal in ("Internal comment", "Internal evidence note.", "Internal link note.", "Discussion"):
        assert internal not in page
    for name in (reporter.username, "Rita", "Reporterson"):
        assert name not in page
    assert "csrfmiddlewaretoken" not in page  # no form at all
    assert reverse("desk:claim_comment", args=[published.pk]) not in page
    assert "Assignment" not in page and "Workflow" not in page


def test_relations_with_unpublished_claims_stay_hidden_from_the_public(client, published):
    ClaimRelationFactory(
        from_claim=published, to_claim=ClaimFactory(text="A hidden draft."), relation=Relation.SUPPORTS
    )
    assert "A hidden draft." not in text_of(client.get(page_url(published)))


# --- ClaimReview ---------------------------------------------------------------------------


def test_a_published_claim_embeds_its_claimreview(client, published):
    page = text_of(client.get(page_url(published)))

    (review,) = jsonld_of(page)
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == published.text
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["reviewRating"]["ratingValue"] == 3
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["author"]["name"] == published.claimant.name
    assert review["itemReviewed"]["appearance"][0]["url"] == published.quotes.get().article.url
    assert review["url"].endswith(page_url(published))


def test_the_claimreview_cannot_break_out_of_its_script(client, db):
    claim = ClaimFactory(published=True, text="</script><script>alert(1)</script>")

    page = text_of(client.get(page_url(claim)))

    (review,) = jsonld_of(page)
    assert review["claimReviewed"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in page


def test_no_claimreview_for_drafts_nor_for_another_fact_checkers_verdict(as_editor):
    draft = ClaimFactory()
    imported = ClaimFactory(published=True, reviewed_by=OutletFactory(name="PolitiFact"))

    assert jsonld_of(text_of(as_editor.get(page_url(draft)))) == []
    page = text_of(as_editor.get(page_url(imported)))
    assert jsonld_of(page) == []
    assert "Verdict by PolitiFact" in page


def test_the_content_security_policy_allows_no_inline_script(client, published):
    response = client.get(page_url(published))
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src", 1)[1].split(";")[0]
    page = text_of(response)
    # Every script is either a file or JSON-LD data, never inline code or an event handler attribute.
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/ld+json"' in tag
    assert not re.search(r"\son[a-z]+=", page)


# --- Escaping --------------------------------------------------------------------------------


def test_stored_text_is_escaped_everywhere_on_the_page(as_editor, editor):
    speaker = SpeakerFactory(name=PAYLOAD)
    article = ArticleFactory(headline=PAYLOAD, body=f"He said {PAYLOAD} at noon.")
    quote = QuoteFactory(article=article, speaker=speaker, text=PAYLOAD, via=PAYLOAD)
    claim = ClaimFactory(text=PAYLOAD, claimant=speaker, venue=PAYLOAD)
    claim.quotes.add(quote)
    EvidenceFactory(claim=claim, source=SourceFactory(title=PAYLOAD), excerpt=PAYLOAD, note=PAYLOAD)
    ClaimRelationFactory(from_claim=claim, to_claim=ClaimFactory(text=PAYLOAD), note=PAYLOAD)
    Comment.objects.create(claim=claim, author=editor, body=PAYLOAD)

    page = text_of(as_editor.get(page_url(claim)))

    assert "<script>alert(1)</script>" not in page
    assert '" onmouseover="x' not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8


# --- The newsroom's tools -------------------------------------------------------------------


def test_a_reporter_sends_their_draft_for_review_but_cannot_publish(as_reporter, reporters_draft):
    page = text_of(as_reporter.get(page_url(reporters_draft)))
    assert 'value="in_review"' in page and 'value="published"' not in page

    response = as_reporter.post(reverse("desk:claim_status", args=[reporters_draft.pk]), {"status": "in_review"})
    assert response.status_code == 302
    reporters_draft.refresh_from_db()
    assert reporters_draft.status == ClaimStatus.IN_REVIEW

    refused = as_reporter.post(reverse("desk:claim_status", args=[reporters_draft.pk]), {"status": "published"})
    assert refused.status_code == 400
    assert "Only editors may publish or unpublish claims." in text_of(refused)


def test_an_editor_publishes_only_a_rated_claim(as_editor):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)

    refused = as_editor.post(reverse("desk:claim_status", args=[claim.pk]), {"status": "published"})
    assert refused.status_code == 400
    assert "Rate the claim before publishing it." in text_of(refused)

    rated = as_editor.post(
        reverse("desk:claim_verdict", args=[claim.pk]),
        {"verdict-rating": Rating.FALSE, "verdict-rating_summary": "The figures say otherwise."},
    )
    assert rated.status_code == 302
    published = as_editor.post(reverse("desk:claim_status", args=[claim.pk]), {"status": "published"}, follow=True)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED and claim.rating == Rating.FALSE
    assert "The claim is published now." in follow_message(published)
    assert 'value="in_review"' in text_of(published)  # unpublishing, for corrections


def test_a_verdict_without_a_summary_is_refused_beside_the_summary(as_editor):
    claim = ClaimFactory()

    response = as_editor.post(
        reverse("desk:claim_verdict", args=[claim.pk]), {"verdict-rating": Rating.TRUE, "verdict-rating_summary": " "}
    )

    assert response.status_code == 400
    assert response.context["verdict_form"].errors["rating_summary"]
    assert '<option value="true" selected>' in text_of(response)


def test_reporters_see_no_verdict_form_and_are_refused_one(as_reporter, reporters_draft):
    assert reverse("desk:claim_verdict", args=[reporters_draft.pk]) not in text_of(
        as_reporter.get(page_url(reporters_draft))
    )
    response = as_reporter.post(
        reverse("desk:claim_verdict", args=[reporters_draft.pk]),
        {"verdict-rating": Rating.TRUE, "verdict-rating_summary": "Because."},
    )
    assert response.status_code == 400
    assert "Only editors may rate claims." in text_of(response)


def test_editing_the_claim(as_editor):
    claim = ClaimFactory()
    speaker = SpeakerFactory(name="Other Speaker")

    response = as_editor.post(
        reverse("desk:claim_edit", args=[claim.pk]),
        {"claim-text": "New words.", "claim-claimant": speaker.pk, "claim-claimant_q": speaker.name,
         "claim-made_on": "2024-01-02", "claim-venue": "A debate"},
    )  # fmt: skip

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.claimant, claim.made_on, claim.venue) == (
        "New words.", speaker, datetime.date(2024, 1, 2), "A debate",
    )  # fmt: skip


def test_a_reporter_cannot_edit_someone_elses_claim(as_reporter):
    claim = ClaimFactory(text="Not theirs.")
    assert reverse("desk:claim_edit", args=[claim.pk]) not in text_of(as_reporter.get(page_url(claim)))

    response = as_reporter.post(
        reverse("desk:claim_edit", args=[claim.pk]),
        {"claim-text": "Changed.", "claim-claimant": claim.claimant_id, "claim-claimant_q": "Typed name kept"},
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "reporters change only their own drafts" in page
    assert "Changed." in page and 'value="Typed name kept"' in page
    claim.refresh_from_db()
    assert claim.text == "Not theirs."


def test_evidence_from_a_new_source_records_the_source(as_reporter, reporters_draft):
    response = as_reporter.post(
        reverse("desk:claim_evidence_add", args=[reporters_draft.pk]),
        {"evidence-url": "stats.example.gov/new", "evidence-title": "Labour survey", "evidence-kind": "dataset",
         "evidence-stance": Stance.REFUTES, "evidence-excerpt": "Unemployment rose.", "evidence-note": ""},
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"].endswith("#evidence")
    evidence = Evidence.objects.get(claim=reporters_draft)
    assert evidence.source.url == "https://stats.example.gov/new" and evidence.source.title == "Labour survey"
    assert evidence.stance == Stance.REFUTES and evidence.excerpt == "Unemployment rose."


def test_evidence_from_a_source_on_record_reuses_it(as_editor):
    claim = ClaimFactory()
    source = SourceFactory(url="https://stats.example.gov/known")

    response = as_editor.post(
        reverse("desk:claim_evidence_add", args=[claim.pk]),
        {"evidence-url": source.url, "evidence-kind": "article", "evidence-stance": Stance.SUPPORTS},
    )

    assert response.status_code == 302
    assert Source.objects.count() == 1
    assert Evidence.objects.get(claim=claim).source == source


def test_a_new_source_without_a_title_is_refused_and_nothing_is_recorded(as_editor):
    claim = ClaimFactory()

    response = as_editor.post(
        reverse("desk:claim_evidence_add", args=[claim.pk]),
        {"evidence-url": "https://stats.example.gov/untitled", "evidence-kind": "article",
         "evidence-stance": Stance.SUPPORTS, "evidence-excerpt": "Kept excerpt"},
    )  # fmt: skip

    assert response.status_code == 400
    assert "give its title to record it" in text_of(response)
    assert response.context["evidence_form"].errors["title"]
    assert 'value="https://stats.example.gov/untitled"' in text_of(response) and "Kept excerpt" in text_of(response)
    assert not Source.objects.exists() and not Evidence.objects.exists()


def test_a_refused_attachment_records_no_source_either(as_reporter):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)  # not the reporter's own draft

    response = as_reporter.post(
        reverse("desk:claim_evidence_add", args=[claim.pk]),
        {"evidence-url": "https://x.example.org/a", "evidence-title": "A title", "evidence-kind": "article",
         "evidence-stance": Stance.SUPPORTS},
    )  # fmt: skip

    assert response.status_code == 400
    assert "Ask an editor" in text_of(response)
    assert not Source.objects.exists()


def test_the_evidence_panel_re_renders_alone_for_htmx(as_editor):
    claim = ClaimFactory()

    added = as_editor.post(
        reverse("desk:claim_evidence_add", args=[claim.pk]),
        {"evidence-url": "https://a.example.org/1", "evidence-title": "Panel source", "evidence-kind": "article",
         "evidence-stance": Stance.CONTEXT},
        **HTMX,
    )  # fmt: skip
    assert added.status_code == 200
    panel = text_of(added)
    assert panel.lstrip().startswith('<section class="panel" id="evidence"')
    assert "<html" not in panel and "Panel source" in panel and "Evidence added." in panel

    refused = as_editor.post(
        reverse("desk:claim_evidence_add", args=[claim.pk]),
        {"evidence-url": "https://a.example.org/1", "evidence-kind": "article", "evidence-stance": Stance.CONTEXT},
        **HTMX,
    )
    assert refused.status_code == 400
    assert "This source is already evidence for this claim." in text_of(refused)
    assert "<html" not in text_of(refused)


def test_editing_and_removing_evidence(as_editor):
    evidence = EvidenceFactory(stance=Stance.SUPPORTS)
    claim = evidence.claim
    prefix = f"evidence-{evidence.pk}"

    edited = as_editor.post(
        reverse("desk:claim_evidence_edit", args=[claim.pk, evidence.pk]),
        {f"{prefix}-stance": Stance.REFUTES, f"{prefix}-excerpt": "New excerpt", f"{prefix}-note": "n"},
    )
    assert edited.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.stance, evidence.excerpt) == (Stance.REFUTES, "New excerpt")

    removed = as_editor.post(reverse("desk:claim_evidence_remove", args=[claim.pk, evidence.pk]), **HTMX)
    assert removed.status_code == 200 and "Evidence removed." in text_of(removed)
    assert not Evidence.objects.exists()


def test_evidence_of_another_claim_is_not_found_under_this_one(as_editor):
    evidence = EvidenceFactory()
    other = ClaimFactory()
    response = as_editor.post(reverse("desk:claim_evidence_remove", args=[other.pk, evidence.pk]))
    assert response.status_code == 404
    assert Evidence.objects.exists()


def test_linking_claims_each_way(as_editor):
    claim, other, third = ClaimFactory(), ClaimFactory(text="The other one."), ClaimFactory()

    response = as_editor.post(
        reverse("desk:claim_relate", args=[claim.pk]),
        {"relation-other": other.pk, "relation-other_q": "The other", "relation-relation": Relation.CONTRADICTS},
    )
    assert response.status_code == 302 and response["Location"].endswith("#relations")
    assert ClaimRelation.objects.filter(relation=Relation.CONTRADICTS).count() == 1

    as_editor.post(
        reverse("desk:claim_relate", args=[claim.pk]),
        {"relation-other": third.pk, "relation-relation": "supported_by", "relation-note": "Why"},
    )
    supports = ClaimRelation.objects.get(relation=Relation.SUPPORTS)
    assert (supports.from_claim, supports.to_claim) == (third, claim)

    page = text_of(as_editor.get(page_url(claim)))
    assert "Contradicts" in page and "Supported by" in page and "The other one." in page
    assert reverse("desk:claim", args=[other.pk]) in page


def test_a_claim_is_not_linked_to_itself_and_the_picker_keeps_what_was_typed(as_editor):
    claim = ClaimFactory()

    response = as_editor.post(
        reverse("desk:claim_relate", args=[claim.pk]),
        {"relation-other": claim.pk, "relation-other_q": "typed words", "relation-relation": Relation.SUPPORTS},
        **HTMX,
    )

    assert response.status_code == 400
    panel = text_of(response)
    assert "A claim cannot be related to itself." in panel
    assert 'id="relation-other-errors"' in panel and 'value="typed words"' in panel


def test_an_unpicked_claim_is_asked_for(as_editor):
    claim = ClaimFactory()
    response = as_editor.post(
        reverse("desk:claim_relate", args=[claim.pk]),
        {"relation-other": "", "relation-other_q": "some words", "relation-relation": Relation.SUPPORTS},
    )
    assert response.status_code == 400
    assert "pick it from the list" in text_of(response)


def test_unlinking(as_editor):
    relation = ClaimRelationFactory()

    response = as_editor.post(reverse("desk:claim_relation_remove", args=[relation.to_claim_id, relation.pk]))

    assert response.status_code == 302
    assert not ClaimRelation.objects.exists()


def test_an_editor_assigns_the_claim_and_the_page_says_who_has_it(as_editor, reporter):
    claim = ClaimFactory()
    page = text_of(as_editor.get(page_url(claim)))
    assert f'<option value="{reporter.pk}">' in page
    assert "Nobody has this claim." in page

    response = as_editor.post(
        reverse("desk:claim_assign", args=[claim.pk]), {"assign-assignee": reporter.pk}, follow=True
    )

    claim.refresh_from_db()
    assert claim.assignee == reporter and claim.assigned_at is not None
    assert f"Assigned to {reporter.username}." in follow_message(response)
    assert re.search(rf"With <strong>{reporter.username}</strong> since", text_of(response))

    as_editor.post(reverse("desk:claim_assign", args=[claim.pk]), {"assign-assignee": ""})
    claim.refresh_from_db()
    assert claim.assignee is None


def test_only_newsroom_members_can_be_assigned(as_editor, outsider):
    claim = ClaimFactory()
    response = as_editor.post(reverse("desk:claim_assign", args=[claim.pk]), {"assign-assignee": outsider.pk})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["assignee"]


def test_reporters_do_not_assign(as_reporter, reporter, reporters_draft):
    assert reverse("desk:claim_assign", args=[reporters_draft.pk]) not in text_of(
        as_reporter.get(page_url(reporters_draft))
    )
    response = as_reporter.post(
        reverse("desk:claim_assign", args=[reporters_draft.pk]), {"assign-assignee": reporter.pk}
    )
    assert response.status_code == 400
    assert "Only editors may assign claims." in text_of(response)


def test_the_newsroom_discusses_a_claim_and_resolves_comments(as_reporter, reporter, reporters_draft):
    url = reverse("desk:claim_comment", args=[reporters_draft.pk])

    added = as_reporter.post(url, {"comment-body": "Who else reported this?"}, **HTMX)
    assert added.status_code == 200
    assert "Who else reported this?" in text_of(added) and "Comment added." in text_of(added)
    comment = Comment.objects.get()
    assert comment.author == reporter

    empty = as_reporter.post(url, {"comment-body": "   "}, **HTMX)
    assert empty.status_code == 400 and "This field is required" in text_of(empty)

    resolved = as_reporter.post(reverse("desk:claim_comment_resolve", args=[reporters_draft.pk, comment.pk]))
    assert resolved.status_code == 302 and resolved["Location"].endswith("#discussion")
    comment.refresh_from_db()
    assert comment.is_resolved

    page = text_of(as_reporter.get(page_url(reporters_draft)))
    assert re.search(r'<details class="resolved">\s*<summary>1 resolved comment</summary>', page)
    assert "Who else reported this?" in page


def test_only_the_author_assignee_or_an_editor_resolves_a_comment(client, other_reporter, reporter, reporters_draft):
    comment = services.comment_on_claim(claim=reporters_draft, body="Mine.", acting_user=reporter)
    client.force_login(other_reporter)

    assert reverse("desk:claim_comment_resolve", args=[reporters_draft.pk, comment.pk]) not in text_of(
        client.get(page_url(reporters_draft))
    )
    response = client.post(reverse("desk:claim_comment_resolve", args=[reporters_draft.pk, comment.pk]))

    assert response.status_code == 400
    assert escape("Only the comment's author, the claim's assignee or an editor may resolve this comment.") in text_of(
        response
    )


def test_the_newsroom_sees_who_recorded_the_claim_and_a_link_to_its_changes(as_editor, published, reporter):
    page = text_of(as_editor.get(page_url(published)))
    assert f"by {reporter.username}" in page
    if _has("desk:changes", "claim", published.pk):
        assert reverse("desk:changes", args=["claim", published.pk]) in page


def test_actions_need_the_csrf_token(reporter, reporters_draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post(reverse("desk:claim_comment", args=[reporters_draft.pk]), {"comment-body": "Hi"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_actions_are_the_newsrooms(client, published, outsider, editor):
    url = reverse("desk:claim_comment", args=[published.pk])
    assert client.post(url, {"comment-body": "Anonymous"}).status_code == 302
    client.force_login(outsider)
    assert client.post(url, {"comment-body": "Outsider"}).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 405
    assert Comment.objects.count() == 1


# --- Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reporter", "editor", "anonymous"])
def test_the_page_costs_the_same_queries_however_much_it_shows(client, request, persona, editor, reporter):
    claim = ClaimFactory(published=True, created_by=reporter, reviewer=editor, assignee=reporter)
    outlet = Outlet.objects.create(name="Wire", slug="wire")

    def add(n):
        for _ in range(n):
            claim.quotes.add(QuoteFactory(article=ArticleFactory(outlet=outlet)))
            EvidenceFactory(claim=claim, source=SourceFactory(outlet=outlet), created_by=reporter)
            other = ClaimFactory(published=True, created_by=reporter)
            ClaimRelationFactory(from_claim=claim, to_claim=other, relation=Relation.SUPPORTS, created_by=reporter)
            Comment.objects.create(claim=claim, author=UserFactory(), body="A comment.")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(claim)).status_code == 200
        return len(queries)

    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    add(1)
    before = count()
    add(20)
    assert count() == before


def _has(name: str, *args) -> bool:
    """Whether another page of the desk exists yet (the speaker, article and changes pages are others' work)."""
    from django.urls import NoReverseMatch

    try:
        reverse(name, args=args or None)
    except NoReverseMatch:
        return False
    return True


# --- Checked before? ----------------------------------------------------------------------


def test_the_newsroom_sees_the_rated_claims_that_say_the_same(as_reporter, reporter):
    checked = ClaimFactory(published=True, text=f"Hospital waiting lists fell by a third since January {PAYLOAD}")
    ClaimFactory(text="Hospital waiting lists fell by a third since January, unrated.")
    draft = ClaimFactory(created_by=reporter, text="Waiting lists at hospitals fell by a third since January.")

    page = text_of(as_reporter.get(page_url(draft)))
    panel = page[page.index('id="checked-before"') : page.index("</section>", page.index('id="checked-before"'))]

    assert page_url(checked) in panel
    assert "Mostly false" in panel and "<mark>" in panel
    assert "unrated" not in panel
    assert "<script>alert(1)</script>" not in panel and "&lt;script&gt;" in panel


def test_the_public_never_sees_the_matching_panel(client, published):
    assert 'id="checked-before"' not in text_of(client.get(page_url(published)))


def test_a_claim_with_no_words_to_match_has_an_empty_panel(as_editor):
    claim = ClaimFactory(text="— 100 % —")
    page = text_of(as_editor.get(page_url(claim)))
    assert "No claim with a verdict says the same." in page
