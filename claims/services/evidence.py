"""Sources, the evidence they give a claim, and the relations between claims."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction

from claims.choices import SYMMETRIC_RELATIONS, SourceKind
from claims.hygiene import trim
from claims.models import Claim, ClaimRelation, Evidence, Outlet, Source
from claims.policy import require
from claims.services.base import edit_fields, save

SOURCE_FIELDS = frozenset({"url", "title", "outlet", "kind", "published_on", "archived_url"})
# A link's ends are fixed; to move one, remove it and link again.
EVIDENCE_FIELDS = frozenset({"stance", "excerpt", "note"})
RELATION_FIELDS = frozenset({"note"})


@transaction.atomic
def record_source(
    *,
    url: str,
    title: str,
    kind: str = "article",
    outlet: Outlet | None = None,
    published_on: datetime.date | None = None,
    archived_url: str = "",
    acting_user,
) -> Source:
    source = Source(
        url=url, title=title, kind=kind, outlet=outlet, published_on=published_on, archived_url=archived_url
    )
    require(acting_user, "add", source)
    return save(source, acting_user)


@transaction.atomic
def edit_source(source: Source, /, *, acting_user, **changes) -> Source:
    return edit_fields(source, changes, editable=SOURCE_FIELDS, what="source", acting_user=acting_user)


@transaction.atomic
def attach_evidence(
    *, claim: Claim, source: Source, stance: str, excerpt: str = "", note: str = "", acting_user
) -> Evidence:
    evidence = Evidence(claim=claim, source=source, stance=stance, excerpt=excerpt, note=note)
    require(acting_user, "add", evidence)
    return save(evidence, acting_user)


@transaction.atomic
def edit_evidence(evidence: Evidence, /, *, acting_user, **changes) -> Evidence:
    return edit_fields(evidence, changes, editable=EVIDENCE_FIELDS, what="piece of evidence", acting_user=acting_user)


@transaction.atomic
def relate_claims(*, claim: Claim, other: Claim, relation: str, note: str = "", acting_user) -> ClaimRelation:
    """Link two claims. Symmetric relations are stored once, lower id first."""
    if claim.pk == other.pk:
        raise ValidationError({"other": "A claim cannot be related to itself."})
    first, second = (other, claim) if relation in SYMMETRIC_RELATIONS and claim.pk > other.pk else (claim, other)
    link = ClaimRelation(from_claim=first, to_claim=second, relation=relation, note=note)
    require(acting_user, "add", link)
    existing = ClaimRelation.objects.filter(
        models.Q(from_claim=claim, to_claim=other) | models.Q(from_claim=other, to_claim=claim)
    ).first()
    if existing is not None:
        message = (
            f"These claims are already linked ({existing.get_relation_display().lower()}); "
            "change or remove that link instead."
        )
        raise ValidationError({"other": ValidationError(message, code="duplicate")})
    return save(link, acting_user)


@transaction.atomic
def edit_relation(relation: ClaimRelation, /, *, acting_user, **changes) -> ClaimRelation:
    return edit_fields(relation, changes, editable=RELATION_FIELDS, what="claim relation", acting_user=acting_user)


@transaction.atomic
def cite_source(
    *,
    claim: Claim,
    url: str,
    stance: str,
    excerpt: str = "",
    note: str = "",
    title: str = "",
    kind: str = SourceKind.ARTICLE,
    acting_user,
) -> Evidence:
    """Attach the source at `url` to `claim` as evidence, recording the source first if it is not on record yet.

    A source on record (the same address, exactly) is used as it is: `title` and `kind` are only for a new one,
    which needs a title. Both writes are one transaction: a refused attachment records no source either.
    """
    url = trim(url)
    source = Source.objects.filter(url=url).first() if url else None
    if source is None:
        errors = {}
        if not url:
            errors["url"] = "Give the source's web address."
        if not trim(title):
            errors["title"] = "This source is not on record yet: give its title to record it."
        if errors:
            raise ValidationError(errors)
        source = record_source(url=url, title=trim(title), kind=kind, acting_user=acting_user)
    return attach_evidence(
        claim=claim, source=source, stance=stance, excerpt=trim(excerpt), note=trim(note), acting_user=acting_user
    )
