"""Reads in the newsroom's words: who may see which rows, and common shapes.

Row visibility lives here, once: the public sees published claims and what
stands behind them; staff (anyone holding claims.view_claim, which every role
has) see everything, drafts included.
"""

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from claims.choices import ClaimStatus, Relation


def sees_internal(user) -> bool:
    """Staff see drafts and internal notes; anonymous readers and outsiders do not."""
    return bool(user and user.is_authenticated and user.has_perm("claims.view_claim"))


def _count_subquery(model, filter_q: Q) -> Coalesce:
    """A correlated COUNT, so counting two relations does not multiply rows."""
    # COUNT as a plain Func keeps Django from adding a GROUP BY.
    counted = model.objects.filter(filter_q).order_by().annotate(n=models.Func(models.F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ClaimStatus.PUBLISHED)

    def in_review(self):
        return self.filter(status=ClaimStatus.IN_REVIEW)

    def visible_to(self, user):
        return self if sees_internal(user) else self.published()

    def for_speaker(self, speaker):
        return self.filter(claimant=speaker)

    def with_counts(self):
        """Evidence and contradiction counts, one subquery each, no row multiplication."""
        from claims.models import ClaimRelation, Evidence

        return self.annotate(
            evidence_count=_count_subquery(Evidence, Q(claim=OuterRef("pk"))),
            contradiction_count=_count_subquery(
                ClaimRelation,
                (Q(from_claim=OuterRef("pk")) | Q(to_claim=OuterRef("pk"))) & Q(relation=Relation.CONTRADICTS),
            ),
        )

    def contradicted(self):
        """Claims with at least one contradiction, either side of the pair."""
        from claims.models import ClaimRelation

        contradicting = ClaimRelation.objects.filter(relation=Relation.CONTRADICTS)
        return self.filter(Q(pk__in=contradicting.values("from_claim")) | Q(pk__in=contradicting.values("to_claim")))


class QuoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_internal(user):
            return self
        return self.filter(claims__status=ClaimStatus.PUBLISHED).distinct()

    def for_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def anchored(self):
        return self.filter(start__isnull=False)


class SpeakerQuerySet(models.QuerySet):
    def named(self, name: str):
        """Speakers whose name or one of whose aliases is `name`, ignoring case."""
        return self.filter(Q(name__iexact=name) | Q(aliases__name__iexact=name)).distinct()
