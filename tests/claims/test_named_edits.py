"""Named edits: each takes only its own fields, and quotes stay anchored whatever is edited."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.choices import ClaimStatus, Rating
from claims.models import Article, Claim, Quote, SpeakerAlias
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

BODY = 'The minister said "the budget is balanced" on Monday. Critics disagreed.'


def field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def quoted_article(editor):
    article = ArticleFactory(body=BODY)
    quote = services.record_quote(
        article=article, speaker=QuoteFactory().speaker, text="the budget is balanced", acting_user=editor
    )
    return article, quote


def test_a_changed_body_reanchors_every_quote_where_its_words_now_stand(editor, quoted_article):
    article, quote = quoted_article
    new_body = "UPDATED: " + BODY.replace("Monday", "Monday, 4 March")
    services.edit_article(article, body=new_body, acting_user=editor)
    quote.refresh_from_db()
    assert quote.start == BODY.index("the budget") + len("UPDATED: ")
    assert Article.objects.get(pk=article.pk).body[quote.start : quote.end] == quote.text
    assert quote.history.latest().history_user == editor


def test_a_body_that_drops_a_quotes_words_is_refused_naming_the_quote_and_nothing_changes(editor, quoted_article):
    article, quote = quoted_article
    with pytest.raises(ValidationError) as excinfo:
        services.edit_article(article, body="The minister said nothing.", headline="New", acting_user=editor)
    message = field_errors(excinfo)["body"][0]
    assert f"quote {quote.pk}" in message and "the budget is balanced" in message
    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.headline) == (BODY, article.headline)
    assert Quote.objects.get(pk=quote.pk).start == quote.start


def test_a_body_whose_quote_moved_to_non_breaking_spaces_still_finds_it(editor, quoted_article):
    article, quote = quoted_article
    services.edit_article(article, body=BODY.replace("budget is", "budget\u00a0is"), acting_user=editor)
    quote.refresh_from_db()
    assert quote.text == "the budget\u00a0is balanced"


def test_editing_a_quotes_words_forgives_whitespace_and_quote_marks_as_recording_does(editor):
    article = ArticleFactory(body="She said it “won’t  stop” there.")
    quote = services.record_quote(
        article=article, speaker=QuoteFactory().speaker, text="it", start=9, end=11, acting_user=editor
    )
    services.edit_quote(quote, text='it "won\'t stop"', acting_user=editor)
    quote.refresh_from_db()
    assert quote.text == "it “won’t  stop”"
    assert article.body[quote.start : quote.end] == quote.text


def test_a_quote_can_be_unanchored_and_anchored_again(editor, quoted_article):
    _, quote = quoted_article
    services.edit_quote(quote, anchored=False, acting_user=editor)
    quote.refresh_from_db()
    assert (quote.start, quote.end) == (None, None)
    services.edit_quote(quote, anchored=True, acting_user=editor)
    quote.refresh_from_db()
    assert BODY[quote.start : quote.end] == "the budget is balanced"


def test_moving_a_quote_to_another_article_finds_its_words_there(editor, quoted_article):
    _, quote = quoted_article
    elsewhere = ArticleFactory(body="Earlier, the budget is balanced, he claimed.")
    services.edit_quote(quote, article=elsewhere, acting_user=editor)
    quote.refresh_from_db()
    assert (quote.article, quote.start) == (elsewhere, len("Earlier, "))


@pytest.mark.parametrize(
    "edit, record, changes",
    [
        (services.edit_claim, ClaimFactory, {"status": ClaimStatus.PUBLISHED}),
        (services.edit_claim, ClaimFactory, {"rating": Rating.TRUE, "reviewer": None}),
        (services.edit_claim, ClaimFactory, {"colour": "red"}),
        (services.edit_outlet, OutletFactory, {"slug": "renamed"}),
        (services.edit_quote, QuoteFactory, {"created_by": None}),
        (services.edit_article, ArticleFactory, {"quotes": []}),
    ],
)
def test_a_field_a_named_edit_does_not_take_is_a_field_error(editor, edit, record, changes):
    row = record()
    with pytest.raises(ValidationError) as excinfo:
        edit(row, acting_user=editor, **changes)
    assert set(field_errors(excinfo)) == set(changes)


def test_an_edit_that_fails_validation_leaves_the_row_as_it_was(editor):
    claim = ClaimFactory(text="Taxes rose.")
    with pytest.raises(ValidationError):
        services.edit_claim(claim, text="\u200b", acting_user=editor)
    assert Claim.objects.get(pk=claim.pk).text == "Taxes rose."


def test_a_claims_quotes_and_topics_change_through_its_edit(editor, quoted_article):
    _, quote = quoted_article
    claim = ClaimFactory()
    topic = services.record_topic(name="Budget", acting_user=editor)
    services.edit_claim(claim, quotes=[quote], topics=[topic], acting_user=editor)
    assert list(claim.quotes.all()) == [quote] and list(claim.topics.all()) == [topic]


def test_reverting_a_claim_restores_its_words_but_never_republishes_it(editor):
    claim = services.make_claim(text="First wording.", claimant=QuoteFactory().speaker, acting_user=editor)
    services.rate_claim(claim=claim, rating=Rating.FALSE, summary="No.", acting_user=editor)
    services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
    published_version = claim.history.latest()
    services.edit_claim(claim, text="Corrected wording.", acting_user=editor)
    services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)

    services.revert_record(claim, version=published_version, acting_user=editor)
    claim.refresh_from_db()
    assert claim.text == "First wording."
    assert claim.status == ClaimStatus.IN_REVIEW


def test_a_version_of_another_row_cannot_be_restored(editor):
    first, second = ClaimFactory(), ClaimFactory()
    services.edit_claim(first, text="Changed.", acting_user=editor)
    with pytest.raises(ValidationError, match="another record"):
        services.revert_record(second, version=first.history.earliest(), acting_user=editor)


# An edit validates what it changes and what a constraint ties to it, not every field again (a query each).


def test_an_edit_leaves_out_of_validation_only_fields_no_constraint_ties_to_what_it_changes():
    claim = ClaimFactory()
    assert claim.unchanged_fields({"venue"}) == {field.name for field in Claim._meta.concrete_fields} - {"venue"}
    # Publishing is checked with the verdict it needs: a published claim has a rating and a date or a reviewer.
    assert not {"status", "rating", "published_at", "reviewed_by"} & claim.unchanged_fields({"status"})
    # An alias is unique per speaker ignoring case (an expression constraint): its speaker is checked with its name.
    alias = SpeakerAlias(speaker=SpeakerFactory(), name="Ryabkov")
    assert "speaker" not in alias.unchanged_fields({"name"})


def test_renaming_an_alias_to_another_of_the_same_speaker_is_a_field_error_not_a_crash(editor):
    speaker = SpeakerFactory()
    services.add_speaker_alias(speaker=speaker, name="S. Ryabkov", acting_user=editor)
    other = services.add_speaker_alias(speaker=speaker, name="Ryabkov", acting_user=editor)
    with pytest.raises(ValidationError, match="already"):
        services.edit_speaker_alias(other, name="s. ryabkov", acting_user=editor)
    assert SpeakerAlias.objects.get(pk=other.pk).name == "Ryabkov"


def test_editing_a_drafts_venue_checks_no_other_field_and_leaves_its_quotes_alone(
    editor, quoted_article, django_assert_num_queries
):
    _, quote = quoted_article
    claim = services.make_claim(
        text="The budget is balanced.", claimant=quote.speaker, quotes=[quote], acting_user=editor
    )
    # The savepoint, the locked row, the update, its history row and its quotes' and topics' (read and written),
    # what the published cache moves (whether it was published, its relations), and the release.
    with django_assert_num_queries(10) as queries:
        services.edit_claim(claim, venue="On the radio", acting_user=editor)
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "claims_quote"')]
    assert Claim.objects.get(pk=claim.pk).venue == "On the radio"
