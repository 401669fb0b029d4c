"""Output serializers (what a client reads) and input serializers (what it may send), per model.

Reads embed what a client needs to show a row without another call; every
nested field is covered by the viewset's select_related/prefetch_related, so
no field queries per row. Inputs accept only known fields and hand the
validated data to claims.services; no serializer writes to the database.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.choices import RATING_VALUES
from claims.filters import MAX_ID, check_utc_offset
from claims.models import (
    Article,
    Claim,
    ClaimRelation,
    Evidence,
    Outlet,
    Quote,
    Source,
    Speaker,
    Topic,
    sees_unpublished,
)

# --- Output ------------------------------------------------------------------------


class OutputSerializer(serializers.ModelSerializer):
    """Drops `internal_fields` for readers who are not newsroom staff."""

    internal_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not sees_unpublished(request.user):
            for name in self.internal_fields:
                fields.pop(name, None)
        return fields


class OutletBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "slug"]


class OutletSerializer(OutputSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "slug", "kind", "homepage", "country"]


class SpeakerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "slug", "kind"]


class SpeakerSerializer(OutputSerializer):
    """A speaker; its organisation only if the reader may see that too (claims.reads.with_visible_organization)."""

    organization = SpeakerBriefSerializer(
        source="visible_organization",
        read_only=True,
        allow_null=True,
        help_text="The organisation they speak for; null when there is none or it is not public yet.",
    )
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Speaker
        fields = [
            "id", "name", "slug", "kind", "description", "organization", "aliases", "wikidata_id", "party", "region",
        ]  # fmt: skip


class ArticleBriefSerializer(serializers.ModelSerializer):
    outlet = OutletBriefSerializer(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "headline", "url", "outlet", "published_at"]


class ArticleSerializer(OutputSerializer):
    outlet = OutletBriefSerializer(read_only=True)
    credited_to = OutletBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "url", "outlet", "credited_to", "headline", "byline", "language", "published_at", "updated_at"]


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]


class QuoteSerializer(OutputSerializer):
    speaker = SpeakerBriefSerializer(read_only=True)
    article = ArticleBriefSerializer(read_only=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "text",
            "kind",
            "speaker",
            "speaker_title",
            "article",
            "start",
            "end",
            "said_on",
            "said_on_precision",
            "via",
        ]


class ClaimBriefSerializer(serializers.ModelSerializer):
    claimant = SpeakerBriefSerializer(read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "text", "status", "rating", "claimant"]


class ClaimSerializer(OutputSerializer):
    claimant = SpeakerBriefSerializer(read_only=True)
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    quotes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)
    rating_value = serializers.SerializerMethodField()
    evidence_count = serializers.IntegerField(read_only=True)
    contradiction_count = serializers.IntegerField(read_only=True)
    reviewer = serializers.SlugRelatedField(read_only=True, slug_field="username", allow_null=True)
    created_by = serializers.SlugRelatedField(read_only=True, slug_field="username", allow_null=True)
    reviewed_by = OutletBriefSerializer(
        read_only=True, allow_null=True, help_text="The fact-checker whose verdict this is; null for the newsroom's."
    )
    assignee = serializers.SlugRelatedField(
        read_only=True,
        slug_field="username",
        allow_null=True,
        help_text="Who on the desk is checking the claim; null when no one is. Newsroom only.",
    )

    internal_fields = ("reviewer", "created_by", "created_at", "modified_at", "assignee", "assigned_at")

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "claimant",
            "made_on",
            "status",
            "rating",
            "rating_label",
            "rating_value",
            "rating_summary",
            "rating_as_written",
            "reviewed_by",
            "review_url",
            "review_headline",
            "venue",
            "topics",
            "quotes",
            "evidence_count",
            "contradiction_count",
            "published_at",
            "reviewer",
            "created_by",
            "created_at",
            "modified_at",
            "assignee",
            "assigned_at",
        ]

    def get_rating_value(self, claim) -> int | None:
        return RATING_VALUES.get(claim.rating)


class SourceSerializer(OutputSerializer):
    outlet = OutletBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = ["id", "url", "title", "outlet", "kind", "published_on", "archived_url"]


class EvidenceSerializer(OutputSerializer):
    claim = ClaimBriefSerializer(read_only=True)
    source = SourceSerializer(read_only=True)
    internal_fields = ("note",)

    class Meta:
        model = Evidence
        fields = ["id", "claim", "source", "stance", "excerpt", "note"]


class ClaimRelationSerializer(OutputSerializer):
    from_claim = ClaimBriefSerializer(read_only=True)
    to_claim = ClaimBriefSerializer(read_only=True)
    internal_fields = ("note",)

    class Meta:
        model = ClaimRelation
        fields = ["id", "from_claim", "relation", "to_claim", "note"]


# --- Input -------------------------------------------------------------------------


class DateTimeInput(serializers.DateTimeField):
    """An ISO 8601 date and time whose UTC offset is a real one (at most ±14:00)."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None:
                try:
                    check_utc_offset(parsed)
                except DjangoValidationError as error:
                    raise serializers.ValidationError(error.messages) from None
        return super().to_internal_value(value)


class IdInput(serializers.PrimaryKeyRelatedField):
    """A related row by id: 1 to the largest bigint."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not (data.isascii() and data.isdigit() and len(data) <= 19):
            self.fail("incorrect_type", data_type="str")
        if not 1 <= int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(data))


@extend_schema_field({"type": "string", "format": "uri", "maxLength": 2000})
class WebURLInput(serializers.CharField):
    """A web address, http:// or https:// (the model's validator says so with a field message)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)


class InputSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is an error rather than silently ignored."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class OutletInput(InputSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Outlet._meta.get_field("kind").choices, required=False)
    homepage = WebURLInput(required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)


class ArticleInput(InputSerializer):
    url = WebURLInput()
    outlet = IdInput(queryset=Outlet.objects.all())
    credited_to = IdInput(queryset=Outlet.objects.all(), required=False, allow_null=True)
    headline = serializers.CharField(max_length=500)
    byline = serializers.CharField(max_length=300, required=False, allow_blank=True)
    language = serializers.CharField(max_length=20, required=False)
    published_at = DateTimeInput(required=False, allow_null=True)
    updated_at = DateTimeInput(required=False, allow_null=True)
    body = serializers.CharField(trim_whitespace=False)


class SpeakerInput(InputSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Speaker._meta.get_field("kind").choices, required=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    organization = IdInput(queryset=Speaker.objects.all(), required=False, allow_null=True)
    wikidata_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    party = serializers.CharField(max_length=100, required=False, allow_blank=True)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)


class QuoteInput(InputSerializer):
    article = IdInput(queryset=Article.objects.all())
    speaker = IdInput(queryset=Speaker.objects.all())
    text = serializers.CharField(max_length=10_000)
    kind = serializers.ChoiceField(choices=Quote._meta.get_field("kind").choices, required=False)
    start = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    end = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    anchored = serializers.BooleanField(
        required=False, help_text="false records a quote that is not in the article body (heard on air)."
    )
    speaker_title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    said_on = serializers.DateField(required=False, allow_null=True)
    said_on_precision = serializers.ChoiceField(
        choices=Quote._meta.get_field("said_on_precision").choices, required=False
    )
    via = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ClaimInput(InputSerializer):
    text = serializers.CharField(max_length=5_000)
    claimant = IdInput(queryset=Speaker.objects.all())
    made_on = serializers.DateField(required=False, allow_null=True)
    venue = serializers.CharField(max_length=300, required=False, allow_blank=True)
    quotes = IdInput(queryset=Quote.objects.all(), many=True, required=False)
    topics = serializers.SlugRelatedField(queryset=Topic.objects.all(), slug_field="slug", many=True, required=False)


class VerdictInput(InputSerializer):
    rating = serializers.ChoiceField(choices=Claim._meta.get_field("rating").choices)
    summary = serializers.CharField(max_length=5_000)


class StatusInput(InputSerializer):
    status = serializers.ChoiceField(choices=Claim._meta.get_field("status").choices)


class SourceInput(InputSerializer):
    url = WebURLInput()
    title = serializers.CharField(max_length=500)
    outlet = IdInput(queryset=Outlet.objects.all(), required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Source._meta.get_field("kind").choices, required=False)
    published_on = serializers.DateField(required=False, allow_null=True)
    archived_url = WebURLInput(required=False, allow_blank=True)


class EvidenceInput(InputSerializer):
    claim = IdInput(queryset=Claim.objects.all())
    source = IdInput(queryset=Source.objects.all())
    stance = serializers.ChoiceField(choices=Evidence._meta.get_field("stance").choices)
    excerpt = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


class EvidenceChange(InputSerializer):
    stance = serializers.ChoiceField(choices=Evidence._meta.get_field("stance").choices, required=False)
    excerpt = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


class ClaimRelationInput(InputSerializer):
    claim = IdInput(queryset=Claim.objects.all())
    other = IdInput(queryset=Claim.objects.all())
    relation = serializers.ChoiceField(choices=ClaimRelation._meta.get_field("relation").choices)
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


class ClaimRelationChange(InputSerializer):
    note = serializers.CharField(max_length=10_000, allow_blank=True)


class MergeInput(InputSerializer):
    merge = IdInput(queryset=Speaker.objects.all(), help_text="The speaker to fold into this one; it is deleted.")


class ExtractInput(InputSerializer):
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    html = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)

    def validate(self, attrs):
        if ("text" in attrs) == ("html" in attrs):
            raise serializers.ValidationError({"non_field_errors": ["Send exactly one of “text” or “html”."]})
        return attrs


class CheckedBeforeSerializer(serializers.Serializer):
    """A claim with a verdict that states what the text says (claims.reads.checked_before)."""

    claim = ClaimBriefSerializer()
    score = serializers.FloatField(
        source="match.score", help_text="Higher is a closer match; comparable within one answer."
    )
    shared_terms = serializers.ListField(
        source="match.shared_terms", child=serializers.CharField(), help_text="Word stems in both texts."
    )
    shared_names = serializers.ListField(
        source="match.shared_names", child=serializers.CharField(), help_text="Names in both, as word stems."
    )
    shared_numbers = serializers.ListField(source="match.shared_numbers", child=serializers.CharField())
    highlighted = serializers.CharField(help_text="The claim's text, HTML-escaped, with shared words in <mark> tags.")


class ClaimRecordedSerializer(ClaimSerializer):
    """What recording a claim answers: the claim as GET shows it (the ETag covers that alone), and what was
    checked before it."""

    checked_before = CheckedBeforeSerializer(
        many=True,
        read_only=True,
        help_text="The claims with a verdict that say the same, as claims/matches/ ranks them.",
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "checked_before"]


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["quote", "claim", "speaker"])
    id = serializers.IntegerField()
    score = serializers.FloatField()
    snippet = serializers.CharField(help_text="HTML-escaped text with matches in <mark> tags.")
    quote = QuoteSerializer(required=False)
    claim = ClaimBriefSerializer(required=False)
    speaker = SpeakerBriefSerializer(required=False)
