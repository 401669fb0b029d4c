"""Claims: checkable propositions in the editor's words, with their verdicts, filed under topics."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from claims.choices import ClaimStatus, Rating, Relation
from claims.models.base import DomainModel, EditorialRecord, VisibleQuerySet, WebURLField, domain_model
from claims.models.outlets import Outlet
from claims.models.quotes import Quote
from claims.models.speakers import Speaker


class TopicQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(Exists(domain_model("Claim").objects.published().filter(topics=OuterRef("pk"))))


class Topic(DomainModel):
    """A subject heading claims are filed under ("Ukraine war", "Health care")."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def dependent_claims(self):
        return self.claims.all() if self.pk else Claim.objects.none()


def _count(rows: models.QuerySet) -> Coalesce:
    """A correlated COUNT of `rows`, so counting two relations does not multiply rows."""
    # COUNT as a plain Func keeps Django from adding a GROUP BY.
    counted = rows.order_by().annotate(n=models.Func(models.F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def _contradictions(user) -> models.QuerySet:
    """Contradictions `user` may see with the outer claim at either end.

    One correlated subquery over both foreign-key indexes; two separate
    EXISTS or NOT IN made PostgreSQL hash every contradiction (27–480 ms at 1M rows).
    """
    return (
        domain_model("ClaimRelation")
        .objects.visible_to(user)
        .filter(Q(from_claim=OuterRef("pk")) | Q(to_claim=OuterRef("pk")), relation=Relation.CONTRADICTS)
    )


class ClaimQuerySet(VisibleQuerySet):
    def published(self):
        return self.filter(status=ClaimStatus.PUBLISHED)

    public = published

    def unpublished(self):
        """Drafts and claims in review: the newsroom's work in progress."""
        return self.exclude(status=ClaimStatus.PUBLISHED)

    def in_review(self):
        return self.filter(status=ClaimStatus.IN_REVIEW)

    def for_speaker(self, speaker):
        return self.filter(claimant=speaker)

    def with_counts(self, user):
        """Evidence and contradiction counts of what `user` may read.

        The public counts only public rows: a contradiction with a draft is not
        one yet (relations/ hides it too).
        """
        evidence = domain_model("Evidence").objects.visible_to(user).filter(claim=OuterRef("pk"))
        return self.annotate(evidence_count=_count(evidence), contradiction_count=_count(_contradictions(user)))

    def contradicted(self, user):
        """Claims with at least one contradiction `user` may see, either side of the pair."""
        return self.filter(Exists(_contradictions(user)))

    def uncontradicted(self, user):
        return self.filter(~Exists(_contradictions(user)))

    def with_entered_review(self):
        """Each claim with `entered_review_at`: the first of its history rows in review since it last left review.

        None for a claim with no such history (loaded in bulk). One correlated
        subquery over the history's index on the claim id, so a whole queue is one query.
        """
        history = self.model.history.model.objects
        left_review_later = history.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date")).exclude(
            status=ClaimStatus.IN_REVIEW
        )
        entered = (
            history.filter(id=OuterRef("pk"), status=ClaimStatus.IN_REVIEW)
            .filter(~Exists(left_review_later))
            .order_by("history_date")
            .values("history_date")[:1]
        )
        return self.annotate(entered_review_at=Subquery(entered))


class Claim(EditorialRecord):
    """One checkable proposition, in the editor's words, with its verdict."""

    text = models.TextField()
    claimant = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="claims")
    made_on = models.DateField(null=True, blank=True)
    quotes = models.ManyToManyField(Quote, blank=True, related_name="claims")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    rating_summary = models.TextField(blank=True, help_text="The verdict in a sentence or two, for readers.")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_claims"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True, help_text='Where it was said: "a mailer", "a floor speech".')
    # A verdict another fact-checker gave, brought in by an import: who gave it, where it can be
    # read, its headline, and its rating in their words when the scale has no place for it.
    reviewed_by = models.ForeignKey(
        Outlet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The fact-checker whose verdict this is, when it is not this newsroom's.",
    )
    review_url = WebURLField(blank=True, help_text="Where the verdict can be read.")
    review_headline = models.CharField(max_length=500, blank=True, help_text="The review's own headline.")
    rating_as_written = models.CharField(
        max_length=200, blank=True, help_text="The verdict in the reviewer's words, as they published it."
    )
    # The reviewer's own id for the statement (LIAR's statement ids), so an import run twice adds nothing.
    external_id = models.CharField(max_length=100, blank=True)
    # Who on the desk is checking it, and since when: set only by services.assign_claim, kept in the history.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
        help_text="The fact-checker the claim is assigned to.",
    )
    assigned_at = models.DateTimeField(null=True, blank=True, help_text="When it was last assigned.")

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[quotes, topics])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=Rating.values),
                name="%(app_label)s_%(class)s_rating_on_scale",
                violation_error_message="The rating must be one of the scale's verdicts.",
            ),
            # A published verdict always has a rating, and a publication time unless another
            # fact-checker published it without a date (LIAR's statements have none).
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.PUBLISHED)
                | (~Q(rating="") & (Q(published_at__isnull=False) | Q(reviewed_by__isnull=False))),
                name="%(app_label)s_%(class)s_published_has_verdict",
                violation_error_message="A claim needs a rating before it is published.",
            ),
            models.UniqueConstraint(
                fields=["review_url"],
                condition=~Q(review_url=""),
                name="%(app_label)s_%(class)s_unique_review_url",
                violation_error_message="A claim with this review address is already recorded.",
                violation_error_code="duplicate",
            ),
            models.UniqueConstraint(
                fields=["reviewed_by", "external_id"],
                condition=~Q(external_id=""),
                name="%(app_label)s_%(class)s_unique_external_id",
                violation_error_message="This reviewer's statement is already recorded.",
                violation_error_code="duplicate",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="%(app_label)s_%(class)s_text_not_empty"),
        ]
        indexes = [
            # The public feed: published claims, newest first.
            models.Index(
                fields=["-published_at"], condition=Q(status=ClaimStatus.PUBLISHED), name="claims_claim_published"
            ),
            # The review queue and status filters.
            models.Index(fields=["status", "-created_at"], name="claims_claim_status"),
            # A speaker's claims over time.
            models.Index(fields=["claimant", "-made_on"], name="claims_claim_claimant_made"),
            # The dashboard's most contradicted speakers: each claim's claimant, without reading its text.
            models.Index(fields=["id", "claimant"], name="claims_claim_id_claimant"),
        ]

    def __str__(self):
        return self.text[:100]

    @property
    def is_published(self) -> bool:
        return self.status == ClaimStatus.PUBLISHED

    def seen_by_the_public(self) -> bool:
        """Whether the public saw this claim before its last save (note_what_the_public_saw) or sees it now. A
        deleted claim counts: its row no longer says. What keeps the public's view moves only for these."""
        return getattr(self, "was_published", True) or self.is_published

    def dependent_claims(self):
        return [self]


def note_what_the_public_saw(sender, instance, **kwargs) -> None:
    """Before a claim is saved: `was_published`, as stored, which the row in hand may no longer say."""
    instance.was_published = (
        not instance._state.adding and Claim.objects.filter(pk=instance.pk, status=ClaimStatus.PUBLISHED).exists()
    )
