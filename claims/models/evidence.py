"""What stands outside a claim: sources and their evidence, and the claims it relates to."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Greatest, Least
from simple_history.models import HistoricalRecords

from claims.choices import SYMMETRIC_RELATIONS, ClaimStatus, Relation, SourceKind, Stance
from claims.models.base import EditorialRecord, VisibleQuerySet, WebURLField
from claims.models.claims import Claim
from claims.models.outlets import Outlet


class SourceQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(Exists(Evidence.objects.public().filter(source=OuterRef("pk"))))


class Source(EditorialRecord):
    """A piece of evidence outside the claim: a report, dataset, statement, video."""

    url = WebURLField(unique=True)
    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources")
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.ARTICLE)
    published_on = models.DateField(null=True, blank=True)
    archived_url = WebURLField(blank=True, help_text="A snapshot that stays if the original changes or vanishes.")

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="%(app_label)s_%(class)s_kind_valid"),
        ]

    def __str__(self):
        return self.title

    def dependent_claims(self):
        return Claim.objects.filter(evidence__source=self) if self.pk else Claim.objects.none()


class EvidenceQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(claim__status=ClaimStatus.PUBLISHED)


class Evidence(EditorialRecord):
    """A source's bearing on a claim: supports, refutes, or gives context."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=20, choices=Stance.choices)
    excerpt = models.TextField(blank=True, help_text="The passage of the source that matters.")
    # Internal: never shown to the public.
    note = models.TextField(blank=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"],
                name="%(app_label)s_%(class)s_unique_claim_source",
                violation_error_message="This source is already evidence for this claim.",
                violation_error_code="duplicate",
            ),
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="%(app_label)s_%(class)s_stance_valid"),
        ]

    def __str__(self):
        return f"{self.source} {self.stance} {self.claim}"

    def dependent_claims(self):
        return [self.claim] if self.claim_id else []


class ClaimRelationQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(from_claim__status=ClaimStatus.PUBLISHED, to_claim__status=ClaimStatus.PUBLISHED)

    def involving(self, claim):
        return self.filter(Q(from_claim=claim) | Q(to_claim=claim))


class ClaimRelation(EditorialRecord):
    """Two claims that contradict, support, or restate each other.

    Contradicts and same-claim read the same both ways, so they are stored once
    with the lower id first; a pair of claims has at most one relation.
    """

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_to")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    # Internal: why the editor linked them.
    note = models.TextField(blank=True)

    objects = ClaimRelationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["from_claim", "to_claim"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message="A claim cannot be related to itself.",
            ),
            models.CheckConstraint(
                condition=~Q(relation__in=SYMMETRIC_RELATIONS) | Q(from_claim__lt=F("to_claim")),
                name="%(app_label)s_%(class)s_symmetric_ordered",
                violation_error_message="Contradicts and same-claim links are stored lower-numbered claim first: "
                "swap the two claims.",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values), name="%(app_label)s_%(class)s_relation_valid"
            ),
            models.UniqueConstraint(
                Least("from_claim", "to_claim"),
                Greatest("from_claim", "to_claim"),
                name="%(app_label)s_%(class)s_unique_pair",
                violation_error_message="These two claims are already related.",
                violation_error_code="duplicate",
            ),
        ]
        # Both ends are foreign keys, so each has its own index already.

    def __str__(self):
        return f"{self.from_claim_id} {self.relation} {self.to_claim_id}"

    def other(self, claim: Claim) -> Claim:
        """The claim at the other end from `claim`."""
        return self.to_claim if claim.pk == self.from_claim_id else self.from_claim

    def dependent_claims(self):
        ends = []
        if self.from_claim_id:
            ends.append(self.from_claim)
        if self.to_claim_id:
            ends.append(self.to_claim)
        return ends
