"""Claims, their evidence and verdicts, and the topics they are filed under.

A claim's status moves only through the actions (services.change_claim_status
applies the publishing rules); its verdict only through services.rate_claim,
which the form calls when someone the policy lets rate changes the rating or
summary; for everyone else they are shown, not offered.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import reads, services
from claims.admin.base import REFUSALS, HistoryAdmin, PolicyAdmin, PolicyInline, count_of, explain
from claims.choices import ClaimStatus
from claims.models import Claim, ClaimQuerySet, Evidence, Topic
from claims.policy import can

VERDICT_FIELDS = ("rating", "rating_summary")


@admin.register(Topic)
class TopicAdmin(PolicyAdmin):
    list_display = ("name", "slug", "claim_count")
    list_filter = ("claims__status",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=count_of(Claim.topics.through, "topic"))

    @admin.display(ordering="claim_count", description="claims")
    def claim_count(self, obj):
        return obj.claim_count


class EvidenceInline(PolicyInline):
    model = Evidence
    fk_name = "claim"
    autocomplete_fields = ("source",)
    fields = ("source", "stance", "excerpt", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
    list_display = ("short_text", "claimant", "status", "rating", "evidence_count", "contradiction_count", "made_on")
    list_filter = ("status", "rating", "topics", "made_on")
    list_select_related = ("claimant",)
    search_fields = ("text", "claimant__name", "rating_summary")
    autocomplete_fields = ("claimant", "quotes")
    filter_horizontal = ("topics",)
    fields = (
        "text", "claimant", "made_on", "quotes", "topics", "status", "rating", "rating_summary", "reviewer",
        "published_at", "created_by", "created_at", "modified_at",
    )  # fmt: skip
    # Status moves through the actions, the reviewer is whoever rates, publishing sets published_at.
    readonly_fields = ("status", "reviewer", "published_at")
    inlines = [EvidenceInline]
    actions = ["submit_for_review", "publish", "unpublish"]

    def get_queryset(self, request):
        queryset: ClaimQuerySet = super().get_queryset(request)
        return queryset.with_counts(request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        if claim is not None:
            try:
                found = reads.checked_before(claim.text, request.user, excluding=claim)
            except ValidationError:
                found = []  # a claim whose text has no words to match has nothing checked before it
            extra_context = {**(extra_context or {}), "checked_before": found}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- the verdict: rate_claim's, for those the policy lets rate ---

    def writable_fields(self, request, obj):
        return VERDICT_FIELDS if can(request.user, "rate", obj if obj is not None else Claim) else ()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.writable_fields(request, obj):
            readonly += [name for name in VERDICT_FIELDS if name not in readonly]
        return readonly

    def create(self, request, form):
        claim = super().create(request, form)
        return self.rate(request, form, claim) if self.verdict_given(form) else claim

    def update(self, request, form, obj):
        claim = super().update(request, form, obj)
        return self.rate(request, form, claim) if set(VERDICT_FIELDS) & set(form.changed_data) else claim

    @staticmethod
    def verdict_given(form) -> bool:
        return any(form.cleaned_data.get(name) for name in VERDICT_FIELDS)

    @staticmethod
    def rate(request, form, claim):
        return services.rate_claim(
            claim=claim,
            rating=form.cleaned_data["rating"],
            summary=form.cleaned_data["rating_summary"],
            acting_user=request.user,
        )

    # --- the status: each action in one transaction, so a refusal changes no claim ---

    def _change_status(self, request, queryset, status):
        claims = list(queryset)
        try:
            with transaction.atomic():
                for claim in claims:
                    services.change_claim_status(claim=claim, status=status, acting_user=request.user)
        except REFUSALS as error:
            self.message_user(request, f"Nothing was changed: claim “{claim}”: {explain(error)}", messages.ERROR)
            return
        label = ClaimStatus(status).label.lower()
        self.message_user(request, f"{len(claims)} claim(s) now {label}.", messages.SUCCESS)

    @admin.action(description="Submit the selected claims for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._change_status(request, queryset, ClaimStatus.IN_REVIEW)

    @admin.action(description="Publish the selected claims", permissions=["publish"])
    def publish(self, request, queryset):
        self._change_status(request, queryset, ClaimStatus.PUBLISHED)

    @admin.action(description="Unpublish the selected claims (back to review)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._change_status(request, queryset, ClaimStatus.IN_REVIEW)

    def has_publish_permission(self, request):
        return can(request.user, "publish")

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:100]

    @admin.display(ordering="evidence_count", description="evidence")
    def evidence_count(self, obj):
        return obj.evidence_count

    @admin.display(ordering="contradiction_count", description="contradictions")
    def contradiction_count(self, obj):
        return obj.contradiction_count
