"""The /api/v1/ resources: each names its queryset, serializers, filters and the service that writes it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import serializers as s
from api.base import ANY_PARAMS, LIST_PARAMS, EditorialViewSet, StrictQueryParamsMixin, published_entry
from api.pagination import MAX_PAGE_SIZE, CursorPage, page_size_from
from claims import filters, published, reads, services
from claims.choices import ClaimStatus
from claims.claimreview import claim_review, data_feed
from claims.matching.text import MAX_TEXT_CHARS
from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker
from claims.search import MAX_QUERY_CHARS

# Matches shown for one text: a desk reads the first few.
MAX_MATCHES = 20


def page_size_parameter(what: str, *, maximum: int, default: int) -> OpenApiParameter:
    """How a read that answers one page of ranked results documents ?page_size=."""
    return OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": maximum},
        description=f"How many {what}, 1–{maximum} (default {default}).",
    )


def claim_prefetches():
    # Only ids are shown for a claim's quotes; topics by slug.
    return (Prefetch("quotes", queryset=Quote.objects.only("id").order_by("id")), "topics")


class OutletViewSet(EditorialViewSet):
    queryset = Outlet.objects.all()
    serializer_class = s.OutletSerializer
    input_serializer_class = s.OutletInput
    filterset_class = filters.OutletFilter
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def create_record(self, data):
        return services.record_outlet(**data, acting_user=self.request.user)


class ArticleViewSet(EditorialViewSet):
    queryset = Article.objects.all()
    serializer_class = s.ArticleSerializer
    detail_serializer_class = s.ArticleDetailSerializer
    input_serializer_class = s.ArticleInput
    filterset_class = filters.ArticleFilter
    select_related = ("outlet", "credited_to")
    ordering_fields = ["published_at", "id"]
    ordering = ["-id"]

    def create_record(self, data):
        return services.record_article(**data, acting_user=self.request.user)


class SpeakerViewSet(EditorialViewSet):
    queryset = Speaker.objects.all()
    serializer_class = s.SpeakerSerializer
    input_serializer_class = s.SpeakerInput
    filterset_class = filters.SpeakerFilter
    prefetch_related = ("aliases",)
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def annotate(self, queryset):
        return reads.with_visible_organization(queryset, self.request.user)

    def create_record(self, data):
        return services.record_speaker(**data, acting_user=self.request.user)

    def kept(self, build):
        return published.speakers_entry(self.request, build)

    @extend_schema(request=s.MergeInput, responses=s.SpeakerSerializer)
    @action(detail=True, methods=["post"])
    @method_decorator(transaction.atomic)
    def merge(self, request, pk=None):
        """Fold another speaker into this one: quotes, claims and members re-pointed, names kept as aliases."""
        keep = self.get_object()
        data = s.MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        merged = services.merge_speakers(keep=keep, merge=data.validated_data["merge"], acting_user=request.user)
        return self.represent(merged.speaker)

    @extend_schema(
        responses=inline_serializer(
            "SpeakerStatements",
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": s.QuoteSerializer(many=True),
                "self_contradictions": s.ClaimRelationSerializer(many=True),
            },
        )
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        ordering_fields=None,
        extra_query_params=frozenset({"cursor", "page_size"}),
    )
    def statements(self, request, pk=None):
        """The speaker's quotes, newest first, and the contradictions between the speaker's own claims."""
        speaker = self.get_object()
        paginator = StatementPage()
        page = paginator.paginate_queryset(reads.speaker_statements(speaker, request.user), request)
        context = self.get_serializer_context()
        response = paginator.get_paginated_response(s.QuoteSerializer(page, many=True, context=context).data)
        response.data["self_contradictions"] = s.ClaimRelationSerializer(
            reads.self_contradictions(speaker, request.user), many=True, context=context
        ).data
        return response


class StatementPage(CursorPage):
    ordering = ("-said_on", "-id")


class QuoteViewSet(EditorialViewSet):
    queryset = Quote.objects.all()
    serializer_class = s.QuoteSerializer
    input_serializer_class = s.QuoteInput
    filterset_class = filters.QuoteFilter
    select_related = reads.QUOTE_PARTS
    ordering_fields = ["said_on", "id"]
    ordering = ["-id"]

    def create_record(self, data):
        return services.record_quote(**data, acting_user=self.request.user)

    def kept(self, build):
        if self.action == "retrieve":
            return published.quote_entry(self.request, build)
        return published.quotes_entry(self.request, build, speaker_id=self.only_speaker())

    def only_speaker(self) -> int | None:
        """The speaker a list of quotes is filtered by, when that is its only filter."""
        params = self.request.query_params
        if set(params) - LIST_PARAMS - ANY_PARAMS == {"speaker"}:
            try:
                return filters.IdField().clean(params["speaker"])
            except ValidationError:
                pass  # the list's FilterSet says what is wrong, and nothing is kept
        return None

    @extend_schema(responses=s.QuoteSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def printings(self, request, pk=None):
        """Where else this speaker's words were printed: the same or nearly the same text in other articles."""
        matches = reads.printings(self.get_object(), request.user, limit=MAX_PAGE_SIZE)
        return Response(s.QuoteSerializer(matches, many=True, context=self.get_serializer_context()).data)


class ClaimViewSet(EditorialViewSet):
    queryset = Claim.objects.all()
    serializer_class = s.ClaimSerializer
    input_serializer_class = s.ClaimInput
    filterset_class = filters.ClaimFilter
    select_related = ("claimant", "reviewer", "created_by", "reviewed_by", "assignee")
    # Actions besides update and delete that check If-Match (api/schema.py documents the 412).
    if_match_actions = ("verdict", "status")
    ordering_fields = ["made_on", "published_at", "id"]
    ordering = ["-id"]

    @property
    def prefetch_related(self):
        return claim_prefetches()

    def annotate(self, queryset):
        return queryset.with_counts(self.request.user)

    def create_record(self, data):
        return services.make_claim(**data, acting_user=self.request.user)

    def kept(self, build):
        if self.action == "retrieve":
            return published.claim_entry(self.request, self.kwargs["pk"], build)
        return published.claims_entry(self.request, build)

    @extend_schema(responses={201: s.ClaimRecordedSerializer})
    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        claim = Claim.objects.get(pk=response.data["id"])
        try:
            found = reads.checked_before(claim.text, request.user, excluding=claim)
        except ValidationError:
            found = []  # a claim whose text has no words to match ("?") has nothing checked before it
        response.data["checked_before"] = s.CheckedBeforeSerializer(found, many=True).data
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "text",
                {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS},
                required=True,
                description="A quote, a claim, a pasted tweet or sentence (a URL carries about 4,000 characters).",
            ),
            page_size_parameter("matches", maximum=MAX_MATCHES, default=5),
        ],
        responses=inline_serializer(
            "Matches", {"text": serializers.CharField(), "results": s.CheckedBeforeSerializer(many=True)}
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        extra_query_params=frozenset({"text", "page_size"}),
    )
    def matches(self, request):
        """Checked before? The claims with a verdict that say what `text` says, best first, and why."""
        text = request.query_params.get("text", "")
        limit = page_size_from(request.query_params.get("page_size"), default=5, maximum=MAX_MATCHES)
        found = reads.checked_before(text, request.user, limit=limit)
        return Response({"text": text, "results": s.CheckedBeforeSerializer(found, many=True).data})

    @extend_schema(request=s.VerdictInput, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    @method_decorator(transaction.atomic)
    def verdict(self, request, pk=None):
        """Rate the claim on the scale, with a summary (editors)."""
        claim = self.get_object()
        self.check_if_match(claim)
        data = s.VerdictInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.rate_claim(claim=claim, acting_user=request.user, **data.validated_data)
        return self.represent(claim)

    @extend_schema(request=s.StatusInput, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    @method_decorator(transaction.atomic)
    def status(self, request, pk=None):
        """Move the claim between draft, in review and published (publishing is for editors)."""
        claim = self.get_object()
        self.check_if_match(claim)
        data = s.StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.change_claim_status(claim=claim, status=data.validated_data["status"], acting_user=request.user)
        return self.represent(claim)

    @extend_schema(
        responses=inline_serializer(
            "ClaimRelationsFromOneSide",
            {
                "relation": serializers.CharField(help_text="contradicts, supports, supported_by or same_claim"),
                "claim": s.ClaimBriefSerializer(),
                "note": serializers.CharField(required=False),
                "id": serializers.IntegerField(),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def relations(self, request, pk=None):
        """The claims this one contradicts, supports, is supported by, or restates."""
        claim = self.get_object()
        show_notes = "note" in s.ClaimRelationSerializer(context=self.get_serializer_context()).fields
        rows = []
        for sided in reads.relations_from_side(claim, request.user):
            row = {"id": sided.id, "relation": sided.name, "claim": s.ClaimBriefSerializer(sided.claim).data}
            if show_notes:
                row["note"] = sided.note
            rows.append(row)
        return Response(rows)

    @extend_schema(responses={(200, "application/ld+json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def claimreview(self, request, pk=None):
        """schema.org ClaimReview JSON-LD of one of this newsroom's published verdicts."""
        return published.claim_entry(request, pk, self._claimreview_entry).response()

    def _claimreview_entry(self) -> published.Entry:
        request = self.request
        claim = self.get_object()
        review = reads.reviewable_claims().filter(pk=claim.pk).first()
        if review is None and claim.status != ClaimStatus.PUBLISHED:
            raise exceptions.NotFound("Only published claims have a ClaimReview.")
        if review is None:
            where = f" Read it at {claim.review_url}" if claim.review_url else ""
            raise exceptions.NotFound(
                f"This verdict is {claim.reviewed_by.name}’s, and its ClaimReview theirs to publish.{where}"
            )
        return published_entry(review_of(review, request), content_type="application/ld+json")


def review_of(claim, request) -> dict:
    return claim_review(claim, url=reverse("api:claim-claimreview", args=[claim.pk], request=request))


class ClaimReviewFeedPage(CursorPage):
    ordering = reads.REVIEW_ORDER
    # The newsroom's own published claims always have their publication time (claims_claim_published_has_verdict).
    undated_rows = False


class ClaimReviewFeed(StrictQueryParamsMixin, APIView):
    """This newsroom's published verdicts as schema.org ClaimReview, newest first, as a DataFeed."""

    extra_query_params = frozenset({"cursor", "page_size"})

    @extend_schema(responses={(200, "application/ld+json"): OpenApiTypes.OBJECT})
    def get(self, request):
        self.check_query_params(request)
        # The same feed for every reader: only published verdicts are in it.
        return published.claims_entry(request, self._entry).response()

    def _entry(self) -> published.Entry:
        paginator = ClaimReviewFeedPage()
        page = paginator.paginate_queryset(reads.reviewable_claims(), self.request)
        feed = data_feed(review_of(claim, self.request) for claim in page)
        feed["next"] = paginator.get_next_link()
        return published_entry(feed, content_type="application/ld+json")


class SourceViewSet(EditorialViewSet):
    queryset = Source.objects.all()
    serializer_class = s.SourceSerializer
    input_serializer_class = s.SourceInput
    filterset_class = filters.SourceFilter
    select_related = ("outlet",)
    ordering_fields = ["published_on", "title", "id"]
    ordering = ["-id"]

    def create_record(self, data):
        return services.record_source(**data, acting_user=self.request.user)


class EvidenceViewSet(EditorialViewSet):
    queryset = Evidence.objects.all()
    serializer_class = s.EvidenceSerializer
    input_serializer_class = s.EvidenceInput
    # Evidence stays with its claim and source; to move it, remove it and attach again.
    update_input_serializer_class = s.EvidenceChange
    filterset_class = filters.EvidenceFilter
    select_related = ("claim__claimant", "source__outlet")
    ordering_fields = ["id"]
    ordering = ["-id"]

    def create_record(self, data):
        return services.attach_evidence(**data, acting_user=self.request.user)


class ClaimRelationViewSet(EditorialViewSet):
    queryset = ClaimRelation.objects.all()
    serializer_class = s.ClaimRelationSerializer
    input_serializer_class = s.ClaimRelationInput
    # A relation's ends and kind are fixed; to change them, delete it and link again.
    update_input_serializer_class = s.ClaimRelationChange
    filterset_class = filters.ClaimRelationFilter
    select_related = reads.RELATION_PARTS
    ordering_fields = ["id"]
    ordering = ["-id"]

    def create_record(self, data):
        return services.relate_claims(**data, acting_user=self.request.user)


class SearchView(StrictQueryParamsMixin, APIView):
    """Ranked search over quotes, claims and speakers, with the lists' filters."""

    KINDS = reads.SEARCH_KINDS
    extra_query_params = frozenset({"q", "type", "page_size"}) | reads.search_filter_names()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS},
                required=True,
                description=f'Words, "a phrase", -excluded, or (websearch syntax); at most {MAX_QUERY_CHARS} '
                "characters.",
            ),
            OpenApiParameter(
                "type",
                {"type": "string", "pattern": "^(quote|claim|speaker)(,(quote|claim|speaker))*$"},
                description="Comma-separated: quote, claim, speaker (default all).",
            ),
            page_size_parameter("hits", maximum=MAX_PAGE_SIZE, default=20),
        ],
        responses=inline_serializer(
            "SearchResults", {"query": serializers.CharField(), "results": s.SearchHitSerializer(many=True)}
        ),
    )
    def get(self, request):
        self.check_query_params(request)
        return published.search_entry(request, self._results).response()

    def _results(self) -> published.Entry:
        request = self.request
        q = request.query_params.get("q", "").strip()
        if not q or len(q) > MAX_QUERY_CHARS:
            raise exceptions.ValidationError({"q": [f"Give between 1 and {MAX_QUERY_CHARS} characters to search for."]})
        kinds = [k.strip() for k in request.query_params.get("type", ",".join(self.KINDS)).split(",") if k.strip()]
        if not kinds or set(kinds) - set(self.KINDS):
            raise exceptions.ValidationError({"type": [f"Use any of {', '.join(self.KINDS)}, comma-separated."]})
        limit = page_size_from(request.query_params.get("page_size"), default=20)
        hits = reads.search_newsroom(
            request.user, q, kinds=dict.fromkeys(kinds), limit=limit, params=request.query_params.dict()
        )

        context = {"request": request}
        results = []
        for hit in hits:
            row = {"type": hit.kind, "id": hit.record.pk, "score": round(hit.score, 4), "snippet": hit.snippet}
            if hit.kind == "quote":
                row["quote"] = s.QuoteSerializer(hit.record, context=context).data
            elif hit.kind == "claim":
                row["claim"] = s.ClaimBriefSerializer(hit.record, context=context).data
            else:
                row["speaker"] = s.SpeakerBriefSerializer(hit.record, context=context).data
            results.append(row)
        return published_entry({"query": q, "results": results})
