"""Accepted extraction candidates on record: services.record_extracted_quotes, all of them or none."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections

from claims import services
from claims.choices import QuoteKind, Role, SpeakerKind
from claims.extraction import extract_article
from claims.models import Quote, Speaker
from tests.factories import ArticleFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Finance Minister Helena Marsh said on Tuesday that the budget would be balanced by 2027.\n\n"
    "\u201cWe will close the gap without raising a single tax,\u201d Marsh told parliament, according to\u00a0Reuters. "
    "\u201cNot one.\u201d\n\n"
    "The Treasury said the figures were sound. A senior official said the forecast was cautious."
)


def candidate(article, text, *, speaker="Helena Marsh", kind="direct", **extra):
    start = article.body.index(text)
    return {
        "text": text,
        "start": start,
        "end": start + len(text),
        "kind": kind,
        "speaker": speaker,
        "speaker_kind": "person",
        **extra,
    }


@pytest.fixture
def article(editor):
    return ArticleFactory(body=BODY, created_by=editor)


@pytest.fixture
def marsh_quotes(article):
    return [
        candidate(
            article,
            "We will close the gap without raising a single tax,",
            speaker_title="Finance Minister",
            via="Reuters",
        ),
        candidate(article, "Not one.", speaker_title="Finance Minister", via="Reuters"),
    ]


def test_accepted_candidates_are_recorded_with_one_new_speaker(article, marsh_quotes, reporter):
    result = services.record_extracted_quotes(article=article, candidates=marsh_quotes, acting_user=reporter)

    assert list(result.recorded) == [0, 1] and not result.existing
    (marsh,) = result.speakers_created
    assert (marsh.name, marsh.kind, marsh.description) == ("Helena Marsh", SpeakerKind.PERSON, "Finance Minister")
    assert marsh.created_by == reporter
    for number, quote in result.recorded.items():
        assert quote.speaker == marsh and quote.created_by == reporter
        assert (quote.start, quote.end) == (marsh_quotes[number]["start"], marsh_quotes[number]["end"])
        assert article.body[quote.start : quote.end] == quote.text == marsh_quotes[number]["text"]
        assert (quote.kind, quote.speaker_title, quote.via) == (QuoteKind.DIRECT, "Finance Minister", "Reuters")
        assert quote.history.get().history_user == reporter
    assert Quote.objects.filter(article=article).count() == 2


def test_candidates_already_on_record_are_returned_not_recorded_again(article, marsh_quotes, reporter, editor):
    first = services.record_extracted_quotes(article=article, candidates=marsh_quotes, acting_user=reporter)
    again = services.record_extracted_quotes(article=article, candidates=marsh_quotes, acting_user=editor)

    assert not again.recorded and not again.speakers_created
    assert again.existing == first.recorded == again.quotes
    assert Quote.objects.count() == 2 and Speaker.objects.count() == 1


def test_the_same_candidate_twice_in_one_batch_is_recorded_once(article, marsh_quotes, reporter):
    result = services.record_extracted_quotes(
        article=article, candidates=[marsh_quotes[0], marsh_quotes[0]], acting_user=reporter
    )
    assert list(result.recorded) == [0] and result.existing == {1: result.recorded[0]}
    assert Quote.objects.count() == 1


def test_a_speaker_on_record_is_found_by_name_or_alias_ignoring_case(article, marsh_quotes, reporter, editor):
    marsh = services.record_speaker(name="Helena Marsh", aliases=["Marsh"], acting_user=editor)
    by_name = {**marsh_quotes[0], "speaker": "HELENA MARSH"}
    by_alias = {**marsh_quotes[1], "speaker": "marsh"}

    result = services.record_extracted_quotes(article=article, candidates=[by_name, by_alias], acting_user=reporter)

    assert {quote.speaker for quote in result.recorded.values()} == {marsh}
    assert not result.speakers_created


def test_a_speakers_own_name_wins_over_another_speakers_alias(article, reporter, editor):
    treasury = services.record_speaker(name="The Treasury", kind=SpeakerKind.ORGANIZATION, acting_user=editor)
    services.record_speaker(
        name="Treasury Department", kind=SpeakerKind.ORGANIZATION, aliases=["The Treasury"], acting_user=editor
    )
    said = candidate(article, "the figures were sound", speaker="The Treasury", kind="indirect")
    said["speaker_kind"] = "organization"

    result = services.record_extracted_quotes(article=article, candidates=[said], acting_user=reporter)

    assert result.recorded[0].speaker == treasury


def test_of_several_speakers_with_the_name_the_one_of_the_candidates_kind_is_chosen(article, reporter, editor):
    SpeakerFactory(name="Helena Marsh", kind=SpeakerKind.ORGANIZATION)  # a campaign group named after her
    person = SpeakerFactory(name="Helena Marsh", kind=SpeakerKind.PERSON)
    result = services.record_extracted_quotes(
        article=article, candidates=[candidate(article, "Not one.")], acting_user=reporter
    )
    assert result.recorded[0].speaker == person


def test_two_speakers_of_one_name_and_kind_are_refused_as_ambiguous(article, reporter):
    first, second = SpeakerFactory(name="Helena Marsh"), SpeakerFactory(name="Helena Marsh")
    with pytest.raises(ValidationError) as refused:
        services.record_extracted_quotes(
            article=article, candidates={4: candidate(article, "Not one.")}, acting_user=reporter
        )
    (message,) = refused.value.message_dict["candidates"]
    assert message.startswith("Candidate 4 (“Not one.”): speaker: 2 speakers go by “Helena Marsh”")
    assert f"{first.pk}, {second.pk}" in message
    assert not Quote.objects.exists()


def test_organisations_and_anonymous_sources_are_recorded_as_such(article, reporter):
    treasury = candidate(article, "the figures were sound", speaker="The Treasury", kind="indirect")
    official = candidate(article, "the forecast was cautious", speaker="A senior official", kind="indirect")
    treasury["speaker_kind"], official["speaker_kind"] = "organization", "anonymous"

    result = services.record_extracted_quotes(article=article, candidates=[treasury, official], acting_user=reporter)

    assert [(s.name, s.kind) for s in result.speakers_created] == [
        ("The Treasury", SpeakerKind.ORGANIZATION),
        ("A senior official", SpeakerKind.ANONYMOUS),
    ]
    assert all(quote.kind == QuoteKind.INDIRECT for quote in result.recorded.values())


def test_a_speaker_the_extractor_could_not_name_must_be_chosen(article, reporter, editor):
    unnamed = {**candidate(article, "Not one."), "speaker": "he", "speaker_kind": "pronoun"}
    with pytest.raises(ValidationError) as refused:
        services.record_extracted_quotes(article=article, candidates=[unnamed], acting_user=reporter)
    assert "could not tell who said this (“he”); choose the speaker" in refused.value.message_dict["candidates"][0]

    marsh = SpeakerFactory(name="Helena Marsh")
    result = services.record_extracted_quotes(
        article=article, candidates=[{**unnamed, "speaker": marsh}], acting_user=reporter
    )
    assert result.recorded[0].speaker == marsh and not result.speakers_created


def test_one_refused_candidate_in_the_middle_leaves_nothing_saved(article, marsh_quotes, reporter):
    not_in_the_body = {**marsh_quotes[1], "text": "We will raise every tax.", "speaker": "Ann Other"}
    batch = {0: marsh_quotes[0], 1: not_in_the_body, 2: marsh_quotes[1]}

    with pytest.raises(ValidationError) as refused:
        services.record_extracted_quotes(article=article, candidates=batch, acting_user=reporter)

    (message,) = refused.value.message_dict["candidates"]
    assert message.startswith("Candidate 1 (“We will raise every tax.”): words: The article at ")
    assert not Quote.objects.exists() and not Speaker.objects.exists()


def test_every_refused_candidate_is_named_with_its_reason(article, marsh_quotes, reporter):
    good = marsh_quotes[0]
    batch = [
        {**good, "kind": "reporting"},
        good,
        {**good, "start": "12"},
        {**good, "end": None},
        {**good, "start": good["start"] + 1},
        {**marsh_quotes[1], "speaker_title": "x" * 301},
        {**good, "via": ["Reuters"]},
        {**good, "speaker": "Helena\u202eMarsh"},
        {**good, "text": " "},
        {**good, "start": 0, "end": len(BODY) + 5},
    ]
    with pytest.raises(ValidationError) as refused:
        services.record_extracted_quotes(article=article, candidates=batch, acting_user=reporter)

    messages = refused.value.message_dict["candidates"]
    assert [message.split(" ", 2)[1].rstrip(":") for message in messages] == [
        "0",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
    ]
    expected = [
        "kind: A candidate is a direct quote or a reported statement, not “reporting”.",
        "span: A candidate needs its start and end",
        "span: A candidate needs its start and end",
        "words: The article at",
        "speaker's title: Ensure this value has at most 300 characters",
        "via: Give this as text.",
        "speaker's name: Remove the bidirectional override U+202E",
        "Candidate 8: words: A candidate needs its words.",
        "span: The span 0–",
    ]
    for message, reason in zip(messages, expected, strict=True):
        assert reason in message, message
    assert not Quote.objects.exists() and not Speaker.objects.exists()


def test_no_candidates_is_refused(article, reporter):
    with pytest.raises(ValidationError, match="Choose at least one candidate"):
        services.record_extracted_quotes(article=article, candidates=[], acting_user=reporter)


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_only_the_newsroom_may_record_candidates(who, article, marsh_quotes, request):
    with pytest.raises(PermissionDenied, match="Only the newsroom's reporters and editors"):
        services.record_extracted_quotes(
            article=article, candidates=marsh_quotes, acting_user=request.getfixturevalue(who)
        )
    assert not Quote.objects.exists() and not Speaker.objects.exists()


def test_a_reporter_may_record_candidates_of_anyones_article(marsh_quotes, article, other_reporter, editor):
    assert article.created_by == editor
    result = services.record_extracted_quotes(article=article, candidates=marsh_quotes, acting_user=other_reporter)
    assert len(result.recorded) == 2


def test_the_extractors_own_candidates_are_taken_as_they_come(editor):
    # A clean body: the extractor's offsets are the article's, character for character.
    article = ArticleFactory(body=BODY.replace("\u00a0", " "))
    extraction = extract_article(text=article.body)
    direct = [c for c in extraction.candidates if c.kind == "direct"]
    assert direct

    result = services.record_extracted_quotes(article=article, candidates=direct, acting_user=services.system_account())

    assert [quote.text for quote in result.recorded.values()] == [c.text for c in direct]
    assert {quote.speaker.name for quote in result.recorded.values()} == {"Helena Marsh"}


@pytest.mark.django_db(transaction=True)
def test_two_editors_accepting_the_same_candidates_at_once_record_them_once():
    if connections["default"].vendor != "postgresql":
        pytest.skip("Concurrent writers need a server database; SQLite's test database is one connection's.")
    # Transactional tests run last, after others have flushed the role groups a migration made.
    for role in (Role.EDITOR, Role.REPORTER):
        Group.objects.get_or_create(name=role)
    editor = UserFactory(username="erin_editor", role=Role.EDITOR)
    reporter = UserFactory(username="rita_reporter", role=Role.REPORTER)
    article = ArticleFactory(body=BODY, created_by=editor)
    chosen = [candidate(article, "Not one."), candidate(article, "We will close the gap without raising a single tax,")]
    start = threading.Barrier(2)
    results, errors = [], []

    def accept(user):
        try:
            start.wait(timeout=10)
            results.append(services.record_extracted_quotes(article=article, candidates=chosen, acting_user=user))
        except Exception as error:  # noqa: BLE001 (reported below, in the test's own thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(user,)) for user in (editor, reporter)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert sorted(len(result.recorded) for result in results) == [0, 2]
    assert Quote.objects.count() == 2 and Speaker.objects.count() == 1
