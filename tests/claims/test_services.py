"""The write services: each refuses bad input by field and reason, and leaves the data as it was."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.choices import ClaimStatus, QuoteKind, Rating, Relation, SpeakerKind, Stance
from claims.models import Article, Claim, ClaimRelation, Evidence, Quote, Speaker, SpeakerAlias
from claims.services import system_account
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
    QuoteFactory,
    SourceFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Articles ---------------------------------------------------------------------


def test_an_article_is_recorded_with_its_creator(editor):
    outlet = OutletFactory()
    article = services.record_article(
        url="https://news.example.org/a", outlet=outlet, headline="H", body="Body.", acting_user=editor
    )
    assert article.created_by == editor
    assert article.history.get().history_user == editor


@pytest.mark.parametrize("url", ["ftp://news.example.org/a", "javascript:alert(1)", "news.example.org/a", ""])
def test_an_article_url_that_is_not_http_is_refused(url):
    with pytest.raises(ValidationError) as excinfo:
        services.record_article(
            url=url, outlet=OutletFactory(), headline="H", body="Body.", acting_user=system_account()
        )
    assert "url" in field_errors(excinfo)
    assert not Article.objects.exists()


def test_a_second_article_with_the_same_url_is_refused():
    article = ArticleFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.record_article(
            url=article.url, outlet=article.outlet, headline="Again", body="Body.", acting_user=system_account()
        )
    assert "url" in field_errors(excinfo)
    assert Article.objects.count() == 1


# --- Quotes -----------------------------------------------------------------------


def test_a_quote_given_only_its_text_is_anchored_where_it_stands():
    article = ArticleFactory(body="Intro. She said the plan “will cost nothing” and left.")
    quote = services.record_quote(
        article=article, speaker=SpeakerFactory(), text="will cost nothing", acting_user=system_account()
    )
    assert article.body[quote.start : quote.end] == "will cost nothing"


def test_a_quote_typed_with_plain_spaces_is_found_across_non_breaking_spaces():
    article = ArticleFactory(body=f"He said there{NBSP}are no{NBSP}changes,  and\ncooperation will continue.")
    quote = services.record_quote(
        article=article,
        speaker=SpeakerFactory(),
        text="there are no changes, and cooperation will continue",
        acting_user=system_account(),
    )
    # The stored text is the article's own characters, so the highlight can be found again.
    assert quote.text == f"there{NBSP}are no{NBSP}changes,  and\ncooperation will continue"
    assert article.body[quote.start : quote.end] == quote.text


def test_a_quote_typed_with_straight_apostrophes_matches_curly_ones():
    article = ArticleFactory(body="Officials said Russia’s army “won’t stop”.")
    quote = services.record_quote(
        article=article, speaker=SpeakerFactory(), text="Russia's army \"won't stop\"", acting_user=system_account()
    )
    assert quote.text == "Russia’s army “won’t stop”"


def test_a_quote_whose_text_is_not_in_the_article_is_refused_with_a_reason():
    article = ArticleFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.record_quote(
            article=article, speaker=SpeakerFactory(), text="words nobody printed", acting_user=system_account()
        )
    assert "not in the article" in field_errors(excinfo)["text"][0]
    assert not Quote.objects.exists()


def test_a_quote_span_outside_the_body_is_refused():
    article = ArticleFactory(body="Short body.")
    with pytest.raises(ValidationError) as excinfo:
        services.record_quote(
            article=article, speaker=SpeakerFactory(), text="body.", start=6, end=400, acting_user=system_account()
        )
    assert "outside the article body" in field_errors(excinfo)["end"][0]
    assert not Quote.objects.exists()


def test_a_quote_span_that_reads_other_words_is_refused():
    article = ArticleFactory(body="The first words. The second words.")
    with pytest.raises(ValidationError) as excinfo:
        services.record_quote(
            article=article,
            speaker=SpeakerFactory(),
            text="The second words.",
            start=0,
            end=16,
            acting_user=system_account(),
        )
    assert "reads “The first words.”" in field_errors(excinfo)["text"][0]


def test_a_quote_with_half_a_span_is_refused():
    article = ArticleFactory(body="The first words.")
    with pytest.raises(ValidationError) as excinfo:
        services.record_quote(
            article=article, speaker=SpeakerFactory(), text="first", start=4, acting_user=system_account()
        )
    assert "end" in field_errors(excinfo)


def test_a_quote_heard_on_air_can_be_recorded_without_an_anchor():
    quote = services.record_quote(
        article=ArticleFactory(),
        speaker=SpeakerFactory(),
        text="said on the radio",
        anchored=False,
        acting_user=system_account(),
    )
    assert quote.start is None and quote.end is None


def test_find_span_prefers_the_match_nearest_the_hint():
    body = "yes. no. yes."
    assert services.find_span(body, "yes.", near=10) == (9, 13)
    assert services.find_span(body, "yes.") == (0, 4)


# --- Claims, verdicts, publishing ---------------------------------------------------


def test_a_claim_made_from_quotes_is_a_draft_dated_by_its_earliest_quote():
    early = QuoteFactory(said_on=datetime.date(2023, 6, 1))
    late = QuoteFactory(said_on=datetime.date(2023, 8, 1))
    claim = services.make_claim(
        text="Drones were sent.", claimant=early.speaker, quotes=[late, early], acting_user=system_account()
    )
    assert claim.status == ClaimStatus.DRAFT
    assert claim.made_on == datetime.date(2023, 6, 1)
    assert set(claim.quotes.all()) == {early, late}


def test_a_rating_outside_the_scale_is_refused(editor):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.rate_claim(claim=claim, rating="totally-bogus", summary="Because.", acting_user=editor)
    assert "rating" in field_errors(excinfo)
    claim.refresh_from_db()
    assert claim.rating == ""


def test_a_rating_needs_a_summary(editor):
    with pytest.raises(ValidationError) as excinfo:
        services.rate_claim(claim=ClaimFactory(), rating=Rating.FALSE, summary="  ", acting_user=editor)
    assert "rating_summary" in field_errors(excinfo)


def test_a_reporter_may_not_rate_or_publish(reporter):
    claim = ClaimFactory(created_by=reporter)
    with pytest.raises(PermissionDenied):
        services.rate_claim(claim=claim, rating=Rating.FALSE, summary="No.", acting_user=reporter)
    with pytest.raises(PermissionDenied):
        services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=reporter)


def test_an_editor_rates_then_publishes_and_becomes_the_reviewer(editor):
    claim = ClaimFactory()
    services.rate_claim(claim=claim, rating=Rating.FALSE, summary="The data show otherwise.", acting_user=editor)
    claim = services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.reviewer == editor
    assert claim.published_at is not None


def test_an_unrated_claim_cannot_be_published(editor):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
    assert "rating" in field_errors(excinfo)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_a_reporter_submits_their_own_draft_for_review_but_not_anothers(reporter, other_reporter):
    own = ClaimFactory(created_by=reporter)
    services.change_claim_status(claim=own, status=ClaimStatus.IN_REVIEW, acting_user=reporter)
    theirs = ClaimFactory(created_by=other_reporter)
    with pytest.raises(PermissionDenied):
        services.change_claim_status(claim=theirs, status=ClaimStatus.IN_REVIEW, acting_user=reporter)


def test_an_unknown_status_is_refused(editor):
    with pytest.raises(ValidationError) as excinfo:
        services.change_claim_status(claim=ClaimFactory(), status="archived", acting_user=editor)
    assert "status" in field_errors(excinfo)


# --- Evidence ---------------------------------------------------------------------


def test_evidence_links_a_source_to_a_claim_once():
    claim, source = ClaimFactory(), SourceFactory()
    services.attach_evidence(
        claim=claim, source=source, stance=Stance.REFUTES, excerpt="Deficit: 3%.", acting_user=system_account()
    )
    with pytest.raises(ValidationError) as excinfo:
        services.attach_evidence(claim=claim, source=source, stance=Stance.SUPPORTS, acting_user=system_account())
    assert "already evidence" in str(excinfo.value)
    assert Evidence.objects.get().stance == Stance.REFUTES


def test_an_unknown_stance_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        services.attach_evidence(
            claim=ClaimFactory(), source=SourceFactory(), stance="maybe", acting_user=system_account()
        )
    assert "stance" in field_errors(excinfo)
    assert not Evidence.objects.exists()


# --- Relations --------------------------------------------------------------------


def test_a_contradiction_is_stored_once_lower_id_first_whatever_the_order_given():
    first, second = ClaimFactory(), ClaimFactory()
    relation = services.relate_claims(
        claim=second, other=first, relation=Relation.CONTRADICTS, acting_user=system_account()
    )
    assert (relation.from_claim, relation.to_claim) == (first, second)


def test_a_claim_related_to_itself_is_refused():
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.relate_claims(claim=claim, other=claim, relation=Relation.CONTRADICTS, acting_user=system_account())
    assert "itself" in field_errors(excinfo)["other"][0]
    assert not ClaimRelation.objects.exists()


@pytest.mark.parametrize("relation", Relation.values)
def test_a_pair_already_related_is_refused_in_the_other_order(relation):
    first, second = ClaimFactory(), ClaimFactory()
    services.relate_claims(claim=first, other=second, relation=relation, acting_user=system_account())
    with pytest.raises(ValidationError) as excinfo:
        services.relate_claims(claim=second, other=first, relation=Relation.CONTRADICTS, acting_user=system_account())
    assert "already linked" in field_errors(excinfo)["other"][0]
    assert ClaimRelation.objects.count() == 1


def test_supports_keeps_its_direction():
    first, second = ClaimFactory(), ClaimFactory()
    relation = services.relate_claims(
        claim=second, other=first, relation=Relation.SUPPORTS, acting_user=system_account()
    )
    assert (relation.from_claim, relation.to_claim) == (second, first)


# --- Speakers ---------------------------------------------------------------------


def test_a_speaker_gets_a_unique_slug_and_aliases():
    first = services.record_speaker(
        name="Sergei Ryabkov", aliases=["Ryabkov", "ryabkov", "Sergei Ryabkov"], acting_user=system_account()
    )
    second = services.record_speaker(name="Sergei Ryabkov", acting_user=system_account())
    assert (first.slug, second.slug) == ("sergei-ryabkov", "sergei-ryabkov-2")
    # Case-insensitive duplicates and the speaker's own name are not kept as aliases.
    assert list(first.aliases.values_list("name", flat=True)) == ["Ryabkov"]
    assert list(Speaker.objects.named("RYABKOV")) == [first]


def test_merging_speakers_repoints_everything_and_keeps_every_name(editor):
    keep = services.record_speaker(name="Sergei Ryabkov", aliases=["Ryabkov"], acting_user=system_account())
    merge = services.record_speaker(
        name="S. Ryabkov",
        description="Deputy Foreign Minister",
        wikidata_id="Q4416285",
        aliases=["Riabkov"],
        acting_user=system_account(),
    )
    quotes = QuoteFactory.create_batch(3, speaker=merge)
    claim = ClaimFactory(claimant=merge)
    aide = SpeakerFactory(organization=merge, kind=SpeakerKind.PERSON)

    result = services.merge_speakers(keep=keep, merge=merge, acting_user=editor)

    assert (result.quotes_moved, result.claims_moved, result.members_moved) == (3, 1, 1)
    assert not Speaker.objects.filter(pk=merge.pk).exists()
    assert set(Quote.objects.filter(speaker=keep)) == set(quotes)
    assert Claim.objects.get(pk=claim.pk).claimant == keep
    assert Speaker.objects.get(pk=aide.pk).organization == keep
    keep.refresh_from_db()
    assert set(keep.aliases.values_list("name", flat=True)) == {"Ryabkov", "S. Ryabkov", "Riabkov"}
    assert (keep.description, keep.wikidata_id) == ("Deputy Foreign Minister", "Q4416285")
    # The merged speaker is still in the history, deleted by the editor.
    deleted = Speaker.history.filter(id=merge.pk, history_type="-").get()
    assert deleted.history_user == editor
    assert quotes[0].history.latest().history_user == editor


def test_a_speaker_cannot_be_merged_into_itself(editor):
    speaker = SpeakerFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.merge_speakers(keep=speaker, merge=speaker, acting_user=editor)
    assert "merge" in field_errors(excinfo)
    assert Speaker.objects.filter(pk=speaker.pk).exists()


def test_a_reporter_may_not_merge_speakers(reporter):
    keep, merge = SpeakerFactory(), SpeakerFactory()
    with pytest.raises(PermissionDenied):
        services.merge_speakers(keep=keep, merge=merge, acting_user=reporter)
    assert Speaker.objects.count() == 2


def test_a_failed_merge_leaves_everything_as_it_was(editor, monkeypatch):
    keep, merge = (
        SpeakerFactory(),
        services.record_speaker(name="Other Name", aliases=["Alias"], acting_user=system_account()),
    )
    quote = QuoteFactory(speaker=merge)

    def broken(**kwargs):
        raise ValidationError({"name": "simulated failure after the quotes moved"})

    monkeypatch.setattr(services.speakers, "add_speaker_alias", broken)
    with pytest.raises(ValidationError):
        services.merge_speakers(keep=keep, merge=merge, acting_user=editor)
    assert Speaker.objects.filter(pk=merge.pk).exists()
    assert Quote.objects.get(pk=quote.pk).speaker == merge
    assert SpeakerAlias.objects.filter(speaker=merge, name="Alias").exists()


# --- Named edits -------------------------------------------------------------------


def test_a_reporter_edits_their_own_draft_but_not_another_reporters(reporter, other_reporter):
    own, theirs = ClaimFactory(created_by=reporter), ClaimFactory(created_by=other_reporter)
    services.edit_claim(own, text="Sharper wording.", acting_user=reporter)
    with pytest.raises(PermissionDenied):
        services.edit_claim(theirs, text="Sharper wording.", acting_user=reporter)
    theirs.refresh_from_db()
    assert theirs.text != "Sharper wording."


def test_a_verdict_cannot_be_changed_through_a_plain_edit(editor):
    with pytest.raises(ValidationError) as excinfo:
        services.edit_claim(ClaimFactory(), rating=Rating.TRUE, acting_user=editor)
    assert "rating" in field_errors(excinfo)


def test_editing_a_quote_rechecks_its_span(editor):
    quote = QuoteFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.edit_quote(quote, text="something else", acting_user=editor)
    assert "text" in field_errors(excinfo)
    quote.refresh_from_db()
    assert quote.kind == QuoteKind.DIRECT


def test_a_reporter_deletes_their_own_draft_but_not_one_in_review(reporter, editor):
    own_draft = ClaimFactory(created_by=reporter)
    in_review = ClaimFactory(created_by=reporter, status=ClaimStatus.IN_REVIEW)
    services.delete_record(own_draft, acting_user=reporter)
    with pytest.raises(PermissionDenied):
        services.delete_record(in_review, acting_user=reporter)
    assert list(Claim.objects.all()) == [in_review]
    claim_id = in_review.pk
    services.delete_record(in_review, acting_user=editor)
    assert not Claim.objects.exists()
    assert Claim.history.filter(id=claim_id, history_type="-").get().history_user == editor
