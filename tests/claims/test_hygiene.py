"""Input hygiene: every text field of every domain model refuses what could spoof a reader, at every door.

The rule is claims.hygiene.check_text, applied by DomainModel.clean_fields; these
tests hold every CharField and TextField to it, then the services and the API
that sit in front of them.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.urls import reverse

from claims import services
from claims.models import (
    Article,
    Claim,
    ClaimRelation,
    Comment,
    Evidence,
    Outlet,
    Quote,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from claims.models.base import DomainModel
from tests.api.conftest import client_for
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    OutletFactory,
    QuoteFactory,
    SourceFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

# The search highlighter's own markers (U+0002, U+0003), a terminal escape, NUL, DEL and a C1 control.
CONTROLS = ["\x02", "\x03", "\x1b", "\x00", "\x7f", "\x85"]
# Overrides, embeddings and isolates reorder what a reader sees.
BIDI_OVERRIDES = ["\u202e", "\u202d", "\u202a", "\u2066", "\u2069"]
# Nothing a reader could see: zero-width space, joiners, a byte-order mark, spaces alone.
INVISIBLE_ONLY = ["\u200b", "\u200b\u200b", "\u200d", "\ufeff", " \u00a0 "]
HYGIENE_CODES = {"control_character", "bidi_override", "invisible"}
# Text as articles print it: line breaks and tabs, a non-breaking space, right-to-left marks, joiners in emoji.
ACCEPTED = [
    "Line one\n\tline two\r\nline three",
    "100\u00a0km from Kyiv",
    "\u200fשלום\u200f, she said",
    "Farsi \u200cنمی\u200cخواهم",
    "a developer \U0001f469\u200d\U0001f4bb",
]

# One valid row of each domain model; a new model must be added here (test_every_domain_model_is_held_to_it).
MAKERS = {
    Outlet: OutletFactory,
    Article: ArticleFactory,
    Speaker: SpeakerFactory,
    SpeakerAlias: lambda: SpeakerAlias.objects.create(speaker=SpeakerFactory(), name="Marsh"),
    Quote: QuoteFactory,
    Topic: lambda: Topic.objects.create(name="Public finances", slug="public-finances"),
    Claim: ClaimFactory,
    Source: SourceFactory,
    Evidence: EvidenceFactory,
    ClaimRelation: ClaimRelationFactory,
    Comment: lambda: Comment.objects.create(claim=ClaimFactory(), body="Who said it first?"),
}


def domain_models() -> list[type[models.Model]]:
    return [model for model in apps.get_app_config("claims").get_models() if issubclass(model, DomainModel)]


def text_fields() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in domain_models()
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
    ]


def is_free_text(field: models.Field) -> bool:
    """A field that takes any words (not a slug, an address, a code or a choice)."""
    return (
        not field.choices
        and not isinstance(field, (models.SlugField, models.URLField))
        and all(isinstance(v, (MaxLengthValidator, ProhibitNullCharactersValidator)) for v in field.validators)
    )


def carrying(field: models.Field, char: str) -> str:
    """A value the field would take but for `char`: a web address for URL fields, words otherwise."""
    if isinstance(field, models.URLField):
        return f"https://news.example.org/story{char}1"
    return f"Budget {char} balanced"


def place(record: models.Model, field: models.Field, value: str) -> None:
    setattr(record, field.attname, value)
    if isinstance(record, Quote) and field.name == "text":
        # A quote's words are its article's: put them there, so only the words themselves are judged.
        record.article.body = f"The minister said: {value}. Critics disagreed."
        record.start = record.article.body.index(value)
        record.end = record.start + len(value)


FIELDS = text_fields()
FIELD_IDS = [f"{model.__name__}.{field.name}" for model, field in FIELDS]


def test_every_domain_model_is_held_to_it():
    assert set(domain_models()) == set(MAKERS)
    # The fields are found, not listed by hand; these at least are among them.
    assert {"Article.body", "Speaker.name", "SpeakerAlias.name", "Quote.text", "Quote.via", "Claim.text",
            "Claim.rating_summary", "Evidence.note", "ClaimRelation.note", "Source.url"} <= set(FIELD_IDS)  # fmt: skip


def refusal(record: models.Model, field: models.Field) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert field.name in refused.value.error_dict, refused.value.message_dict
    return refused.value


def assert_refused_for_hygiene(field, char: str, error: ValidationError) -> None:
    # Fields with a format of their own may refuse the value for that first (a web address has no spaces,
    # and U+0085 is one); words, and addresses that are otherwise well formed, are refused as hygiene says.
    if is_free_text(field) or (isinstance(field, models.URLField) and not char.isspace()):
        codes = {e.code for e in error.error_dict[field.name]}
        assert codes & HYGIENE_CODES, error.message_dict[field.name]


@pytest.mark.parametrize("char", CONTROLS + BIDI_OVERRIDES, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("model, field", FIELDS, ids=FIELD_IDS)
def test_control_characters_and_bidi_overrides_are_refused(model, field, char):
    record = MAKERS[model]()
    place(record, field, carrying(field, char))
    error = refusal(record, field)
    assert_refused_for_hygiene(field, char, error)
    if is_free_text(field):
        assert f"U+{ord(char):04X}" in " ".join(error.message_dict[field.name])


@pytest.mark.parametrize("value", INVISIBLE_ONLY, ids=["zwsp", "two-zwsp", "zwj", "bom", "spaces"])
@pytest.mark.parametrize("model, field", FIELDS, ids=FIELD_IDS)
def test_a_value_of_invisible_characters_only_is_refused(model, field, value):
    record = MAKERS[model]()
    place(record, field, value)
    error = refusal(record, field)
    if is_free_text(field):
        assert "no visible characters" in " ".join(error.message_dict[field.name])


FREE_TEXT = [(model, field) for model, field in FIELDS if is_free_text(field)]


@pytest.mark.parametrize("value", ACCEPTED, ids=["breaks-tabs", "nbsp", "rlm", "zwnj", "zwj-emoji"])
@pytest.mark.parametrize(
    "model, field", FREE_TEXT, ids=[f"{model.__name__}.{field.name}" for model, field in FREE_TEXT]
)
def test_text_as_printed_is_accepted(model, field, value):
    record = MAKERS[model]()
    place(record, field, value[: field.max_length] if field.max_length else value)
    record.full_clean()


# --- The services refuse it, and save nothing -------------------------------------------------------------------


def test_record_speaker_refuses_an_invisible_name(editor):
    with pytest.raises(ValidationError) as refused:
        services.record_speaker(name="\u200b", acting_user=editor)
    assert "no visible characters" in refused.value.message_dict["name"][0]
    assert not Speaker.objects.exists()


def test_record_speaker_refuses_an_alias_with_a_bidi_override_and_keeps_neither(editor):
    with pytest.raises(ValidationError) as refused:
        services.record_speaker(name="Sergei Ryabkov", aliases=["Ryab\u202ekov"], acting_user=editor)
    assert "U+202E" in str(refused.value.message_dict)
    assert not Speaker.objects.exists() and not SpeakerAlias.objects.exists()


def test_an_alias_refusal_names_the_aliases(editor):
    with pytest.raises(ValidationError) as refused:
        services.record_speaker(name="Sergei Ryabkov", aliases=["Ryab\u202ekov"], acting_user=editor)
    assert set(refused.value.message_dict) == {"aliases"}


def test_add_speaker_alias_refuses_control_characters(editor):
    speaker = SpeakerFactory()
    with pytest.raises(ValidationError) as refused:
        services.add_speaker_alias(speaker=speaker, name="Ryab\x03kov", acting_user=editor)
    assert "U+0003" in refused.value.message_dict["name"][0]
    assert not SpeakerAlias.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("text", "the budget \x03is\x02 balanced"), ("speaker_title", "Minister\u202e"), ("via", "\u200b")],
)
def test_record_quote_refuses_them_in_every_field(field, value, editor):
    article, speaker = ArticleFactory(), SpeakerFactory()
    given = {"text": "the budget is balanced", "anchored": False, field: value}
    with pytest.raises(ValidationError) as refused:
        services.record_quote(article=article, speaker=speaker, **given, acting_user=editor)
    assert field in refused.value.message_dict
    assert not Quote.objects.exists()


def test_record_article_and_make_claim_refuse_them(editor):
    outlet = OutletFactory()
    with pytest.raises(ValidationError) as refused:
        services.record_article(
            url="https://news.example.org/1", outlet=outlet, headline="Budget", body="\x1b[31mRed", acting_user=editor
        )
    assert "body" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.make_claim(text="The budget \x03is balanced", claimant=SpeakerFactory(), acting_user=editor)
    assert "text" in refused.value.message_dict
    assert not Article.objects.exists() and not Claim.objects.exists()


@pytest.mark.parametrize("char", ["\x1c", "\x1f", "\x85", "\x0b"])
def test_what_a_service_stores_never_holds_a_control_character(char, editor):
    """Controls that Python counts as whitespace are trimmed at the ends by the services (a gap: trimmed,
    not refused) and refused inside; either way none is stored."""
    for name in (f"{char}Sergei Ryabkov{char}", f"Sergei{char}Ryabkov"):
        try:
            services.record_speaker(name=name, acting_user=editor)
        except ValidationError as error:
            assert "name" in error.message_dict
    assert all(char not in name for name in Speaker.objects.values_list("name", flat=True))


# --- The API answers 400 naming the field, and saves nothing ----------------------------------------------------


def test_posting_a_speaker_with_an_invisible_name_is_a_400_naming_name(reporter):
    response = client_for(reporter).post(reverse("api:speaker-list"), {"name": "\u200b"}, format="json")
    assert response.status_code == 400, response.content
    assert "no visible characters" in response.json()["error"]["fields"]["name"][0]
    assert not Speaker.objects.exists()


def test_posting_a_speaker_with_a_bidi_override_in_an_alias_is_a_400(reporter):
    payload = {"name": "Sergei Ryabkov", "aliases": ["Ryab\u202ekov"]}
    response = client_for(reporter).post(reverse("api:speaker-list"), payload, format="json")
    assert response.status_code == 400, response.content
    assert "U+202E" in str(response.json()["error"]["fields"])
    assert not Speaker.objects.exists() and not SpeakerAlias.objects.exists()


def test_posting_a_claim_with_a_highlighter_marker_is_a_400_naming_text(reporter):
    claimant = SpeakerFactory()
    payload = {"text": "The budget \x03is balanced", "claimant": claimant.pk}
    response = client_for(reporter).post(reverse("api:claim-list"), payload, format="json")
    assert response.status_code == 400, response.content
    assert "U+0003" in response.json()["error"]["fields"]["text"][0]
    assert not Claim.objects.exists()


def test_posting_a_quote_with_a_bidi_override_in_its_title_is_a_400_naming_it(reporter):
    quote = QuoteFactory.build()
    article, speaker = ArticleFactory(), SpeakerFactory()
    payload = {"article": article.pk, "speaker": speaker.pk, "text": quote.text, "speaker_title": "Minister\u202e"}
    response = client_for(reporter).post(reverse("api:quote-list"), payload, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]["fields"]) == {"speaker_title"}
    assert not Quote.objects.exists()
