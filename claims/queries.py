"""Reads in the newsroom's words: who may see which rows, and common shapes.

Row visibility lives here, once. The public sees published claims and what
stands behind them: the quotes that state them, their speakers and articles,
and the sources of their evidence. Staff (anyone holding claims.view_claim,
which every role has) see everything, drafts included.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
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


def _published_claims():
    from claims.models import Claim

    return Claim.objects.filter(status=ClaimStatus.PUBLISHED)


def _public_quotes():
    """Quotes that state at least one published claim."""
    from claims.models import Claim

    return Claim.quotes.through.objects.filter(claim__status=ClaimStatus.PUBLISHED)


class VisibleQuerySet(models.QuerySet):
    """Each subclass says in public() what the public may see; staff see all."""

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()


class OutletQuerySet(VisibleQuerySet):
    def public(self):
        # Publishers are public knowledge.
        return self


class ClaimQuerySet(VisibleQuerySet):
    def published(self):
        return self.filter(status=ClaimStatus.PUBLISHED)

    public = published

    def in_review(self):
        return self.filter(status=ClaimStatus.IN_REVIEW)

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
        return self.filter(_has_contradiction())

    def uncontradicted(self):
        return self.filter(~_has_contradiction())


def _has_contradiction() -> Exists:
    # One correlated EXISTS over both foreign-key indexes; two separate
    # EXISTS or NOT IN made PostgreSQL hash every contradiction (27–480 ms at 1M rows).
    from claims.models import ClaimRelation

    return Exists(
        ClaimRelation.objects.filter(
            Q(from_claim=OuterRef("pk")) | Q(to_claim=OuterRef("pk")), relation=Relation.CONTRADICTS
        )
    )


class QuoteQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(Exists(_public_quotes().filter(quote=OuterRef("pk"))))

    def for_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def anchored(self):
        return self.filter(start__isnull=False)


class SpeakerQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(
            Exists(_published_claims().filter(claimant=OuterRef("pk")))
            | Exists(_public_quotes().filter(quote__speaker=OuterRef("pk")))
        )

    def name_contains(self, text: str):
        """Speakers with `text` anywhere in their name or an alias, any case."""
        first, *rest = speaker_ids_named_like(text)
        return self.filter(pk__in=first.union(*rest))

    def named(self, name: str):
        """Speakers whose name or one of whose aliases is `name`, ignoring case."""
        from claims.models import SpeakerAlias

        return self.filter(
            Q(name__iexact=name) | Exists(SpeakerAlias.objects.filter(speaker=OuterRef("pk"), name__iexact=name))
        )


def speaker_ids_named_like(text: str) -> list[models.QuerySet]:
    """Id look-ups to union: by name and by alias, each served by a trigram index on PostgreSQL.

    A union of ids, because an OR across the alias join scanned every speaker.
    """
    from claims.models import Speaker, SpeakerAlias

    return [
        Speaker.objects.filter(name__icontains=text).order_by().values("pk"),
        SpeakerAlias.objects.filter(name__icontains=text).order_by().values("speaker_id"),
    ]


class ArticleQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(Exists(_public_quotes().filter(quote__article=OuterRef("pk"))))


class SourceQuerySet(VisibleQuerySet):
    def public(self):
        from claims.models import Evidence

        return self.filter(Exists(Evidence.objects.filter(source=OuterRef("pk"), claim__status=ClaimStatus.PUBLISHED)))


class EvidenceQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(claim__status=ClaimStatus.PUBLISHED)


class ClaimRelationQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(from_claim__status=ClaimStatus.PUBLISHED, to_claim__status=ClaimStatus.PUBLISHED)

    def involving(self, claim):
        return self.filter(Q(from_claim=claim) | Q(to_claim=claim))
