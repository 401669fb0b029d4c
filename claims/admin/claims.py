"""Claims, their evidence and verdicts, and the topics they are filed under.

A claim's status moves only through the actions (services.change_claim_status
applies the publishing rules); its verdict only through services.rate_claim,
which the form calls when someone the policy lets rate changes the rating or
summary; for everyone else they are shown, not offered. Its assignee likewise
changes only through services.assign_claim, for those the policy lets assign.
The desk's internal comments on a claim are shown on its page, never typed,
resolved or deleted there: the desk's pages do that through the services.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import transaction

from claims import reads, services
from claims.admin.base import (
    REFUSALS,
    HistoryAdmin,
    PolicyAdmin,
    PolicyInline,
    count_of,
    explain,
    selected,
)
from claims.admin.evidence import RelationFromInline, RelationToInline
from claims.choices import ClaimStatus
from claims.models import Claim, ClaimQuerySet, Comment, Evidence, Topic
from claims.policy import can, newsroom_members
from claims.transfer import exports

VERDICT_FIELDS = ("rating", "rating_summary")
# Who has the claim: assign_claim's, for those the policy lets assign.
ASSIGNMENT_FIELDS = ("assignee",)
# Another fact-checker's review, as an import brought it: shown, never typed.
IMPORTED_FIELDS = ("reviewed_by", "review_url", "review_headline", "rating_as_written", "external_id")
REVIEW_FIELDSET = "Another fact-checker's review"


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


class CommentInline(admin.TabularInline):
    """The desk's discussion of the claim, oldest first, as claims.reads.comments_on gives it: shown, never typed.

    Not a PolicyInline: no row is added, changed or deleted here (comments are
    written by services.comment_on_claim and resolved by services.resolve_comment).
    """

    model = Comment
    fk_name = "claim"
    fields = readonly_fields = ("body", "author", "created_at", "resolved_at", "resolved_by")
    extra = 0
    verbose_name_plural = "internal comments"

    def get_queryset(self, request):
        # Oldest first (the model's order), with who wrote and resolved each read in the same query.
        return Comment.objects.visible_to(request.user).select_related("author", "resolved_by")

    def has_view_permission(self, request, obj=None):
        return can(request.user, "view", Comment)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
    list_display = (
        "short_text", "claimant", "status", "assignee", "verdict", "reviewed_by", "in_review_since",
        "evidence_count", "contradiction_count", "made_on",
    )  # fmt: skip
    list_filter = (
        "status",
        "rating",
        "topics",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        # Empty ("-") is the newsroom's own verdicts.
        ("reviewed_by", admin.RelatedOnlyFieldListFilter),
        ("created_by", admin.RelatedOnlyFieldListFilter),
        "made_on",
    )
    list_select_related = ("claimant", "reviewed_by", "assignee")
    search_fields = ("text", "claimant__name", "rating_summary", "review_headline", "rating_as_written")
    autocomplete_fields = ("claimant", "quotes", "topics")
    fieldsets = (
        (None, {"fields": ("text", "claimant", "made_on", "venue", "quotes", "topics")}),
        ("Verdict", {"fields": ("status", "rating", "rating_summary", "reviewer", "published_at")}),
        ("Assignment", {"fields": ("assignee", "assigned_at")}),
        (REVIEW_FIELDSET, {"fields": IMPORTED_FIELDS}),
        ("Record", {"fields": ("created_by", "created_at", "modified_at")}),
    )
    # Status moves through the actions, the reviewer is whoever rates, publishing sets published_at,
    # another fact-checker's review is as the import brought it, and assigning stamps assigned_at.
    readonly_fields = ("status", "reviewer", "published_at", "assigned_at", *IMPORTED_FIELDS)
    inlines = [EvidenceInline, RelationFromInline, RelationToInline, CommentInline]
    actions = ["submit_for_review", "publish", "unpublish", "export_csv", "export_claimreview"]
    csv_export = "claims_csv"

    def get_fieldsets(self, request, obj=None):
        # Another fact-checker's review is shown only on the claims an import brought with one.
        if obj is not None and any(getattr(obj, name) for name in IMPORTED_FIELDS):
            return self.fieldsets
        return tuple(fieldset for fieldset in self.fieldsets if fieldset[0] != REVIEW_FIELDSET)

    def get_inlines(self, request, obj):
        # A claim not yet recorded has no discussion.
        return self.inlines if obj is not None else [inline for inline in self.inlines if inline is not CommentInline]

    def get_queryset(self, request):
        queryset: ClaimQuerySet = super().get_queryset(request)
        return queryset.with_counts(request.user).with_entered_review()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        if claim is not None:
            extra_context = {**(extra_context or {}), "checked_before": reads.checked_before_claim(claim, request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- the verdict and the assignee: rate_claim's and assign_claim's, for those the policy lets ---

    def writable_fields(self, request, obj):
        target = obj if obj is not None else Claim
        verdict = VERDICT_FIELDS if can(request.user, "rate", target) else ()
        return verdict + (ASSIGNMENT_FIELDS if can(request.user, "assign", target) else ())

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        writable = self.writable_fields(request, obj)
        readonly += [name for name in (*VERDICT_FIELDS, *ASSIGNMENT_FIELDS) if name not in writable + tuple(readonly)]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            # The newsroom's people (a few dozen, so a select), and whoever holds a claim now, so that saving
            # a claim whose assignee has since left the newsroom does not unassign it.
            people = get_user_model().objects.filter(pk__in=newsroom_members().values("pk"))
            holding = get_user_model().objects.filter(assigned_claims__isnull=False)
            kwargs["queryset"] = (people | holding).distinct().order_by(get_user_model().USERNAME_FIELD)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, form):
        claim = super().create(request, form)
        claim = self.rate(request, form, claim) if self.verdict_given(form) else claim
        return self.assign(request, form, claim) if form.cleaned_data.get("assignee") else claim

    def update(self, request, form, obj):
        claim = super().update(request, form, obj)
        claim = self.rate(request, form, claim) if set(VERDICT_FIELDS) & set(form.changed_data) else claim
        return self.assign(request, form, claim) if set(ASSIGNMENT_FIELDS) & set(form.changed_data) else claim

    @staticmethod
    def assign(request, form, claim):
        return services.assign_claim(claim=claim, assignee=form.cleaned_data["assignee"], acting_user=request.user)

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

    @admin.action(description="Export the selected published claims as ClaimReview JSON-LD", permissions=["export"])
    def export_claimreview(self, request, queryset):
        chosen = selected(queryset)
        claims = exports.exportable("claimreview").filter(pk__in=chosen.values("pk"))
        count = claims.count()
        left_out = chosen.count() - count
        why = "only this newsroom's published verdicts have a ClaimReview here (another fact-checker's is theirs)"
        if not count:
            self.message_user(request, f"Nothing was exported: {why}.", messages.WARNING)
            return None
        if left_out:
            # Shown on the next page the browser loads, as the answer to this one is the file (or the job).
            self.message_user(request, f"{left_out} of the selected claims were left out: {why}.", messages.WARNING)
        return self.export(request, "claimreview", claims, count)

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:100]

    @admin.display(ordering="rating", description="verdict")
    def verdict(self, obj):
        if obj.rating:
            return obj.get_rating_display()
        # An imported verdict the scale has no place for waits in review in its reviewer's words.
        return f"“{obj.rating_as_written}” (not on the scale)" if obj.rating_as_written else "–"

    @admin.display(ordering="entered_review_at", description="in review since")
    def in_review_since(self, obj):
        # As the dashboard's review queue reads it from the history; empty when not in review.
        return obj.entered_review_at

    @admin.display(ordering="evidence_count", description="evidence")
    def evidence_count(self, obj):
        return obj.evidence_count

    @admin.display(ordering="contradiction_count", description="contradictions")
    def contradiction_count(self, obj):
        return obj.contradiction_count
