"""Every editorial model in the admin: searchable, filterable, with its history.

SimpleHistoryAdmin adds a History page to each row that shows who changed
what and when, and can revert to an earlier version.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.choices import ClaimStatus
from claims.models import (
    Article,
    Claim,
    ClaimQuerySet,
    ClaimRelation,
    Evidence,
    Outlet,
    Quote,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)


class EditorialAdmin(SimpleHistoryAdmin):
    """Shared behaviour: the acting user is recorded as the creator of new rows."""

    readonly_fields = ("created_at", "created_by", "modified_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Outlet)
class OutletAdmin(EditorialAdmin):
    list_display = ("name", "kind", "country", "homepage")
    list_filter = ("kind", "country")
    search_fields = ("name", "slug", "homepage")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(EditorialAdmin):
    list_display = ("headline", "outlet", "credited_to", "published_at", "language")
    list_filter = ("outlet", "language", "published_at")
    list_select_related = ("outlet", "credited_to")
    search_fields = ("headline", "url", "byline")
    autocomplete_fields = ("outlet", "credited_to")
    date_hierarchy = "published_at"


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(EditorialAdmin):
    list_display = ("name", "kind", "description", "organization", "quote_count")
    list_filter = ("kind",)
    list_select_related = ("organization",)
    search_fields = ("name", "slug", "aliases__name", "description")
    autocomplete_fields = ("organization",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SpeakerAliasInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_count=Count("quotes", distinct=True))

    @admin.display(ordering="quote_count", description="quotes")
    def quote_count(self, obj):
        return obj.quote_count

    @admin.action(description="Merge the selected speakers into the one with most quotes")
    def merge_selected(self, request, queryset):
        speakers = sorted(queryset, key=lambda s: (-s.quote_count, s.pk))
        if len(speakers) < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.WARNING)
            return
        keep = speakers[0]
        try:
            for other in speakers[1:]:
                services.merge_speakers(keep=keep, merge=other, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, f"Nothing was merged: {exc}", messages.ERROR)
            return
        self.message_user(request, f"Merged {len(speakers) - 1} speaker(s) into {keep}.", messages.SUCCESS)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "speaker")
    list_filter = ("speaker__kind",)
    list_select_related = ("speaker",)
    search_fields = ("name", "speaker__name")
    autocomplete_fields = ("speaker",)


@admin.register(Quote)
class QuoteAdmin(EditorialAdmin):
    list_display = ("short_text", "speaker", "kind", "article", "said_on", "via")
    list_filter = ("kind", "said_on", "article__outlet")
    list_select_related = ("speaker", "article")
    search_fields = ("text", "speaker__name", "via", "article__headline")
    autocomplete_fields = ("article", "speaker")
    date_hierarchy = "said_on"

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:100]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    list_filter = ("claims__status",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ("source",)
    fields = ("source", "stance", "excerpt", "note")


@admin.register(Claim)
class ClaimAdmin(EditorialAdmin):
    list_display = ("short_text", "claimant", "status", "rating", "evidence_count", "contradiction_count", "made_on")
    list_filter = ("status", "rating", "topics", "made_on")
    list_select_related = ("claimant", "reviewer")
    search_fields = ("text", "claimant__name", "rating_summary")
    autocomplete_fields = ("claimant", "quotes", "reviewer")
    filter_horizontal = ("topics",)
    # Status moves only through the actions, which apply the publishing rules.
    readonly_fields = (*EditorialAdmin.readonly_fields, "status", "published_at")
    inlines = [EvidenceInline]
    actions = ["submit_for_review", "publish", "unpublish"]

    def get_queryset(self, request):
        queryset: ClaimQuerySet = super().get_queryset(request)
        return queryset.with_counts(request.user)

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:100]

    def _change_status(self, request, queryset, status):
        try:
            for claim in queryset:
                services.change_claim_status(claim=claim, status=status, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, f"Nothing was changed: claim “{claim}”: {message}", messages.ERROR)
            return
        self.message_user(request, f"{len(queryset)} claim(s) now {status.replace('_', ' ')}.", messages.SUCCESS)

    @admin.action(description="Submit the selected claims for review")
    def submit_for_review(self, request, queryset):
        self._change_status(request, queryset, ClaimStatus.IN_REVIEW)

    @admin.action(description="Publish the selected claims", permissions=["publish"])
    def publish(self, request, queryset):
        self._change_status(request, queryset, ClaimStatus.PUBLISHED)

    @admin.action(description="Unpublish the selected claims (back to review)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._change_status(request, queryset, ClaimStatus.IN_REVIEW)

    def has_publish_permission(self, request):
        return request.user.has_perm("claims.publish_claim")

    @admin.display(ordering="evidence_count", description="evidence")
    def evidence_count(self, obj):
        return obj.evidence_count

    @admin.display(ordering="contradiction_count", description="contradictions")
    def contradiction_count(self, obj):
        return obj.contradiction_count


@admin.register(Source)
class SourceAdmin(EditorialAdmin):
    list_display = ("title", "kind", "outlet", "published_on", "url")
    list_filter = ("kind", "outlet")
    list_select_related = ("outlet",)
    search_fields = ("title", "url")
    autocomplete_fields = ("outlet",)


@admin.register(Evidence)
class EvidenceAdmin(EditorialAdmin):
    list_display = ("claim", "source", "stance")
    list_filter = ("stance",)
    list_select_related = ("claim", "source")
    search_fields = ("claim__text", "source__title", "excerpt")
    autocomplete_fields = ("claim", "source")


@admin.register(ClaimRelation)
class ClaimRelationAdmin(EditorialAdmin):
    list_display = ("from_claim", "relation", "to_claim")
    list_filter = ("relation",)
    list_select_related = ("from_claim", "to_claim")
    search_fields = ("from_claim__text", "to_claim__text", "note")
    autocomplete_fields = ("from_claim", "to_claim")
