"""Sources, the evidence they give claims, and the relations between claims."""

from django.contrib import admin

from claims.admin.base import HistoryAdmin, PolicyInline
from claims.models import ClaimRelation, Evidence, Source

# services.relate_claims(claim=, other=): it stores a symmetric pair lower id first.
RELATION_SERVICE_NAMES = {"from_claim": "claim", "to_claim": "other"}


class RelationInline(PolicyInline):
    """A claim's relations from one side: `fk_name` is this claim's end, `other` the other claim's."""

    model = ClaimRelation
    service_names = RELATION_SERVICE_NAMES
    other: str

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.other)


class RelationFromInline(RelationInline):
    fk_name, other = "from_claim", "to_claim"
    fields = ("relation", "to_claim", "note")
    autocomplete_fields = ("to_claim",)
    verbose_name_plural = "relations to other claims"


class RelationToInline(RelationInline):
    """A symmetric pair is stored lower id first: this shows it on the later claim too."""

    fk_name, other = "to_claim", "from_claim"
    fields = ("from_claim", "relation", "note")
    autocomplete_fields = ("from_claim",)
    verbose_name_plural = "relations from other claims"


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("title", "kind", "outlet", "published_on", "url")
    list_filter = ("kind", "outlet")
    list_select_related = ("outlet",)
    search_fields = ("title", "url")
    autocomplete_fields = ("outlet",)


@admin.register(Evidence)
class EvidenceAdmin(HistoryAdmin):
    list_display = ("claim", "source", "stance")
    list_filter = ("stance",)
    list_select_related = ("claim", "source")
    search_fields = ("claim__text", "source__title", "excerpt")
    autocomplete_fields = ("claim", "source")


@admin.register(ClaimRelation)
class ClaimRelationAdmin(HistoryAdmin):
    list_display = ("from_claim", "relation", "to_claim")
    list_filter = ("relation",)
    list_select_related = ("from_claim", "to_claim")
    search_fields = ("from_claim__text", "to_claim__text", "note")
    autocomplete_fields = ("from_claim", "to_claim")
    service_names = RELATION_SERVICE_NAMES
