"""One FilterSet per model, shared by the API lists, the admin and the web lists.

Every filter validates its value, and a value it cannot use is an error naming
the parameter and what it takes, never a silently unfiltered list: booleans
are true/false/1/0, ids are ASCII digits within a bigint, slugs are slugs,
text is at most MAX_TEXT characters without control or bidi characters, and
times carry a real UTC offset (±14:00 at most).

Foreign keys filter by id with IdFilter rather than ModelChoiceFilter, which
would cost a query per request to validate the id. A filter that names a row
the reader may not see (a speaker's organisation) filters within what the
reader may see, so a hidden row answers the same empty list as an unknown id.

Each filter class's `openapi` says what it takes in OpenAPI terms, for the API's
schema (api/schema.py reads it); nothing here depends on the API.
"""

import datetime
import re

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from claims.choices import ClaimStatus, OutletKind, QuoteKind, Rating, Relation, SourceKind, SpeakerKind, Stance
from claims.hygiene import check_text
from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker
from claims.models.base import country_code, http_url, language_tag

# The largest id a bigint column holds; a larger number is a 400, not a database error.
MAX_ID = 2**63 - 1
# The longest text a filter takes (a name, a relay): longer is a mistake, not a search.
MAX_TEXT = 200
# Real UTC offsets run from -12:00 to +14:00; ±14:00 is the widest any zone has used.
MAX_UTC_OFFSET = datetime.timedelta(hours=14)

TRUE_VALUES, FALSE_VALUES = ("true", "1"), ("false", "0")


class StrictBooleanField(forms.Field):
    """true, false, 1 or 0; anything else is an error, not "no filter" as NullBooleanField has it."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        raise ValidationError(f"Use true or false (or 1 or 0); got “{str(value)[:40]}”.", code="invalid_choice")


class IdField(forms.IntegerField):
    """A row id in ASCII digits, 1 to the largest bigint ("٣" and "³" are digits to isdigit(), not ids)."""

    _ID = re.compile(r"[0-9]{1,19}")

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not self._ID.fullmatch(str(value)):
            raise ValidationError(
                f"Use a row id: a whole number from 1 to {MAX_ID}; got “{str(value)[:40]}”.", code="invalid"
            )
        return int(value)


class UTCOffsetDateTimeField(forms.DateTimeField):
    """An ISO 8601 date and time whose offset, if any, is a real one (at most ±14:00)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is None:
                raise ValidationError(
                    "Use an ISO 8601 date and time, e.g. 2024-03-01T09:30:00Z or 2024-03-01T09:30:00+01:00.",
                    code="invalid",
                )
            value = parsed
        check_utc_offset(value)
        return super().to_python(value)


def check_utc_offset(value: datetime.datetime) -> None:
    """ValidationError unless `value`'s offset is a real one and it stays within the calendar in UTC."""
    offset = value.utcoffset()
    if offset is None:
        return
    if abs(offset) > MAX_UTC_OFFSET:
        hours, minutes = divmod(abs(int(offset.total_seconds())) // 60, 60)
        sign = "-" if offset < datetime.timedelta(0) else "+"
        raise ValidationError(
            f"The UTC offset {sign}{hours:02}:{minutes:02} does not exist; offsets run from -12:00 to +14:00.",
            code="invalid",
        )
    try:
        value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValidationError("This time falls outside the calendar once converted to UTC.", code="invalid") from None


class IdFilter(filters.Filter):
    """A row id: a whole number from 1 to the largest bigint."""

    field_class = IdField
    openapi = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


class StrictBooleanFilter(filters.Filter):
    field_class = StrictBooleanField
    openapi = {"type": "string", "enum": ["true", "false", "1", "0"]}


class TextFilter(filters.CharFilter):
    """Free text of at most MAX_TEXT characters, refused if it holds control or bidi characters."""

    openapi = {"type": "string", "maxLength": MAX_TEXT}

    def __init__(self, *args, max_length=MAX_TEXT, validators=(), **kwargs):
        self.openapi = {**self.openapi, "maxLength": max_length}
        super().__init__(*args, max_length=max_length, validators=[check_text, *validators], **kwargs)


class SlugFilter(filters.CharFilter):
    field_class = forms.SlugField
    openapi = {"type": "string", "maxLength": 200, "pattern": "^[-a-zA-Z0-9_]+$"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


class URLFilter(TextFilter):
    """An exact web address, as stored: http:// or https://."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=2000, validators=[http_url], **kwargs)
        self.openapi = {"type": "string", "format": "uri", "maxLength": 2000}


class DateTimeFilter(filters.Filter):
    field_class = UTCOffsetDateTimeField
    openapi = {"type": "string", "format": "date-time"}


class DateFilter(filters.DateFilter):
    openapi = {"type": "string", "format": "date"}


def _choices(choices):
    return filters.ChoiceFilter(choices=choices)


class NewsroomFilterSet(filters.FilterSet):
    """A FilterSet that knows its reader: from `user=`, or from the request's user."""

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)


class OutletFilter(NewsroomFilterSet):
    name = TextFilter(lookup_expr="icontains", help_text="Part of the name, any case.")
    kind = _choices(OutletKind.choices)
    country = TextFilter(max_length=2, validators=[country_code], help_text="Two-letter ISO 3166 code, e.g. GB.")

    class Meta:
        model = Outlet
        fields = ["name", "kind", "country"]


class ArticleFilter(NewsroomFilterSet):
    outlet = SlugFilter(field_name="outlet__slug", help_text="Outlet slug.")
    credited_to = SlugFilter(field_name="credited_to__slug", help_text="Credited agency's slug.")
    url = URLFilter(help_text="The article's exact address.")
    language = TextFilter(max_length=20, validators=[language_tag], help_text="A language tag such as en or pt-BR.")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")

    class Meta:
        model = Article
        fields = ["outlet", "credited_to", "url", "language", "published_after", "published_before"]


class SpeakerFilter(NewsroomFilterSet):
    name = TextFilter(method="filter_name", help_text="Part of the name or of an alias, any case.")
    kind = _choices(SpeakerKind.choices)
    organization = IdFilter(method="filter_organization", help_text="Id of the organisation they belong to.")

    class Meta:
        model = Speaker
        fields = ["name", "kind", "organization"]

    def filter_name(self, queryset, name, value):
        return queryset.name_contains(value)

    def filter_organization(self, queryset, name, value):
        # Within the organisations the reader may see: a hidden one is no answer, as an unknown id is none.
        return queryset.filter(organization__in=Speaker.objects.visible_to(self.user).filter(pk=value))


class QuoteFilter(NewsroomFilterSet):
    speaker = IdFilter(field_name="speaker_id")
    article = IdFilter(field_name="article_id")
    outlet = SlugFilter(field_name="article__outlet__slug", help_text="Slug of the outlet that printed it.")
    kind = _choices(QuoteKind.choices)
    said_on_after = DateFilter(field_name="said_on", lookup_expr="gte")
    said_on_before = DateFilter(field_name="said_on", lookup_expr="lte")
    via = TextFilter(lookup_expr="icontains", help_text="Part of who relayed it, any case.")

    class Meta:
        model = Quote
        fields = ["speaker", "article", "outlet", "kind", "said_on_after", "said_on_before", "via"]


class ClaimFilter(NewsroomFilterSet):
    status = _choices(ClaimStatus.choices)
    rating = _choices(Rating.choices)
    claimant = IdFilter(field_name="claimant_id")
    topic = SlugFilter(field_name="topics__slug", help_text="Topic slug.")
    has_contradictions = StrictBooleanFilter(
        method="filter_has_contradictions",
        help_text="true: only claims with a contradiction you may see; false: only those without.",
    )
    made_on_after = DateFilter(field_name="made_on", lookup_expr="gte")
    made_on_before = DateFilter(field_name="made_on", lookup_expr="lte")
    reviewed_by = SlugFilter(
        field_name="reviewed_by__slug", help_text="Slug of the outlet whose verdict it is (imported verdicts)."
    )
    imported = StrictBooleanFilter(
        field_name="reviewed_by", lookup_expr="isnull", exclude=True,
        help_text="true: only verdicts imported from other fact-checkers; false: only the newsroom's own.",
    )  # fmt: skip

    class Meta:
        model = Claim
        fields = [
            "status", "rating", "claimant", "topic", "has_contradictions", "made_on_after", "made_on_before",
            "reviewed_by", "imported",
        ]  # fmt: skip

    def filter_has_contradictions(self, queryset, name, value):
        user = self.user
        return queryset.contradicted(user) if value else queryset.uncontradicted(user)


class SourceFilter(NewsroomFilterSet):
    kind = _choices(SourceKind.choices)
    outlet = SlugFilter(field_name="outlet__slug", help_text="Outlet slug.")
    url = URLFilter(help_text="The source's exact address.")

    class Meta:
        model = Source
        fields = ["kind", "outlet", "url"]


class EvidenceFilter(NewsroomFilterSet):
    claim = IdFilter(field_name="claim_id")
    source = IdFilter(field_name="source_id")
    stance = _choices(Stance.choices)

    class Meta:
        model = Evidence
        fields = ["claim", "source", "stance"]


class ClaimRelationFilter(NewsroomFilterSet):
    claim = IdFilter(method="filter_claim", help_text="Relations with this claim at either end.")
    relation = _choices(Relation.choices)

    class Meta:
        model = ClaimRelation
        fields = ["claim", "relation"]

    def filter_claim(self, queryset, name, value):
        return queryset.filter(Q(from_claim_id=value) | Q(to_claim_id=value))
