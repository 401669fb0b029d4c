"""Sources, the evidence they give claims, and the relations between claims."""

from django.contrib import admin

from claims.admin.base import HistoryAdmin
from claims.models import ClaimRelation, Evidence, Source


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
    # services.relate_claims(claim=, other=): it stores a symmetric pair lower id first.
    service_names = {"from_claim": "claim", "to_claim": "other"}
