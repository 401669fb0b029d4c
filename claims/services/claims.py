"""Claims: drafting them, the verdict, the way from draft to published, and the topics they are filed under."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.choices import ClaimStatus
from claims.hygiene import trim
from claims.models import Claim, Quote, Speaker, Topic
from claims.policy import require
from claims.services.base import assign, check_fields, edit_fields, locked, save, unique_slug

CLAIM_FIELDS = frozenset({"text", "claimant", "made_on", "venue", "quotes", "topics"})
TOPIC_FIELDS = frozenset({"name"})


@transaction.atomic
def make_claim(
    *,
    text: str,
    claimant: Speaker,
    quotes: Iterable[Quote] = (),
    made_on: datetime.date | None = None,
    topics: Iterable[Topic] = (),
    venue: str = "",
    acting_user,
) -> Claim:
    """A draft claim, stated by the given quotes; made_on defaults to the earliest of them."""
    quotes = list(quotes)
    if made_on is None:
        made_on = min((q.said_on for q in quotes if q.said_on), default=None)
    claim = Claim(text=trim(text), claimant=claimant, made_on=made_on, venue=trim(venue))
    require(acting_user, "add", claim)
    save(claim, acting_user)
    if quotes:
        claim.quotes.set(quotes)
    if topics:
        claim.topics.set(list(topics))
    return claim


@transaction.atomic
def edit_claim(claim: Claim, /, *, acting_user, **changes) -> Claim:
    """Change a claim's wording, claimant, date, quotes or topics; the verdict has its own actions."""
    check_fields(changes, CLAIM_FIELDS, "claim")
    claim = locked(claim)
    require(acting_user, "change", claim)
    many = {name: list(changes.pop(name)) for name in ("quotes", "topics") if name in changes}
    for name in ("text", "venue"):
        if name in changes:
            changes[name] = trim(changes[name])
    assign(claim, changes)
    save(claim, acting_user, changed=changes)
    for name, values in many.items():
        getattr(claim, name).set(values)
    return claim


@transaction.atomic
def link_quotes(*, claim: Claim, quotes: Iterable[Quote], acting_user) -> Claim:
    """Add quotes that state an existing claim (the same claim repeated elsewhere)."""
    require(acting_user, "change", claim)
    claim._history_user = acting_user
    claim.quotes.add(*quotes)
    return claim


@transaction.atomic
def rate_claim(*, claim: Claim, rating: str, summary: str, acting_user) -> Claim:
    """Give a verdict on the scale; the acting editor becomes the reviewer."""
    require(acting_user, "rate", claim)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    claim.rating = rating
    claim.rating_summary = trim(summary)
    claim.reviewer = acting_user
    if not claim.rating_summary:
        raise ValidationError({"rating_summary": "Say in a sentence why the claim earns this rating."})
    return save(claim, acting_user)


# Which status may follow which. Publishing and unpublishing are for editors.
STATUS_TRANSITIONS = {
    ClaimStatus.DRAFT: {ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED},
    ClaimStatus.IN_REVIEW: {ClaimStatus.DRAFT, ClaimStatus.PUBLISHED},
    ClaimStatus.PUBLISHED: {ClaimStatus.IN_REVIEW},
}


@transaction.atomic
def change_claim_status(*, claim: Claim, status: str, acting_user) -> Claim:
    """Move a claim through draft → in review → published (and back for corrections)."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if status not in ClaimStatus.values:
        raise ValidationError({"status": f"Unknown status “{status}”; use one of {', '.join(ClaimStatus.values)}."})
    if status == claim.status:
        return claim
    if status not in STATUS_TRANSITIONS[claim.status]:
        raise ValidationError({"status": f"A {claim.get_status_display().lower()} claim cannot move to {status}."})
    require(acting_user, "publish" if ClaimStatus.PUBLISHED in (status, claim.status) else "change", claim)
    if status == ClaimStatus.PUBLISHED:
        if not claim.rating:
            raise ValidationError({"rating": "Rate the claim before publishing it."})
        claim.published_at = claim.published_at or timezone.now()
    claim.status = status
    return save(claim, acting_user)


@transaction.atomic
def record_topic(*, name: str, acting_user) -> Topic:
    topic = Topic(name=trim(name), slug=unique_slug(Topic, name))
    require(acting_user, "add", topic)
    return save(topic, acting_user)


@transaction.atomic
def edit_topic(topic: Topic, /, *, acting_user, **changes) -> Topic:
    return edit_fields(
        topic,
        {name: trim(value) for name, value in changes.items()},
        editable=TOPIC_FIELDS,
        what="topic",
        acting_user=acting_user,
    )
