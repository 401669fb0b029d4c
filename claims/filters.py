"""One FilterSet per model, shared by the API lists, the admin and the web lists.

Foreign keys filter by id with IdFilter rather than ModelChoiceFilter,
which would cost a query per request to validate the id.
"""

import django_filters as filters
from django import forms
from django.db.models import Q

from claims.choices import ClaimStatus, OutletKind, QuoteKind, Rating, Relation, SourceKind, SpeakerKind, Stance
from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker

# The largest id a bigint column holds; a larger number is a 400, not a database error.
MAX_ID = 2**63 - 1


class IdFilter(filters.Filter):
    """A row id: a whole number from 1 to the largest bigint."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class OutletFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")
    kind = filters.ChoiceFilter(choices=OutletKind.choices)
    country = filters.CharFilter()

    class Meta:
        model = Outlet
        fields = ["name", "kind", "country"]


class ArticleFilter(filters.FilterSet):
    outlet = filters.CharFilter(field_name="outlet__slug", help_text="Outlet slug.")
    credited_to = filters.CharFilter(field_name="credited_to__slug", help_text="Credited agency's slug.")
    url = filters.CharFilter()
    language = filters.CharFilter()
    published_after = filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lt")

    class Meta:
        model = Article
        fields = ["outlet", "credited_to", "url", "language", "published_after", "published_before"]


class SpeakerFilter(filters.FilterSet):
    name = filters.CharFilter(method="filter_name", help_text="Part of the name or of an alias, any case.")
    kind = filters.ChoiceFilter(choices=SpeakerKind.choices)
    organization = IdFilter(field_name="organization_id")

    class Meta:
        model = Speaker
        fields = ["name", "kind", "organization"]

    def filter_name(self, queryset, name, value):
        return queryset.name_contains(value)


class QuoteFilter(filters.FilterSet):
    speaker = IdFilter(field_name="speaker_id")
    article = IdFilter(field_name="article_id")
    outlet = filters.CharFilter(field_name="article__outlet__slug", help_text="Slug of the outlet that printed it.")
    kind = filters.ChoiceFilter(choices=QuoteKind.choices)
    said_on_after = filters.DateFilter(field_name="said_on", lookup_expr="gte")
    said_on_before = filters.DateFilter(field_name="said_on", lookup_expr="lte")
    via = filters.CharFilter(lookup_expr="icontains", help_text="Part of who relayed it, any case.")

    class Meta:
        model = Quote
        fields = ["speaker", "article", "outlet", "kind", "said_on_after", "said_on_before", "via"]


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    rating = filters.ChoiceFilter(choices=Rating.choices)
    claimant = IdFilter(field_name="claimant_id")
    topic = filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    has_contradictions = filters.BooleanFilter(method="filter_has_contradictions")
    made_on_after = filters.DateFilter(field_name="made_on", lookup_expr="gte")
    made_on_before = filters.DateFilter(field_name="made_on", lookup_expr="lte")

    class Meta:
        model = Claim
        fields = ["status", "rating", "claimant", "topic", "has_contradictions", "made_on_after", "made_on_before"]

    def filter_has_contradictions(self, queryset, name, value):
        user = self.request.user if self.request is not None else None
        return queryset.contradicted(user) if value else queryset.uncontradicted(user)


class SourceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=SourceKind.choices)
    outlet = filters.CharFilter(field_name="outlet__slug")
    url = filters.CharFilter()

    class Meta:
        model = Source
        fields = ["kind", "outlet", "url"]


class EvidenceFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    source = IdFilter(field_name="source_id")
    stance = filters.ChoiceFilter(choices=Stance.choices)

    class Meta:
        model = Evidence
        fields = ["claim", "source", "stance"]


class ClaimRelationFilter(filters.FilterSet):
    claim = IdFilter(
        field_name="from_claim_id", method="filter_claim", help_text="Relations with this claim at either end."
    )
    relation = filters.ChoiceFilter(choices=Relation.choices)

    class Meta:
        model = ClaimRelation
        fields = ["claim", "relation"]

    def filter_claim(self, queryset, name, value):
        return queryset.filter(Q(from_claim_id=value) | Q(to_claim_id=value))
