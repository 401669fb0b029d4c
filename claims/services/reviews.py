"""Other fact-checkers' verdicts brought in by an import (LIAR, ClaimReview): claims, claimants, reviewers, topics.

Imports write thousands of rows, so this service writes in bulk: it asks the
policy once, validates every row as save() would (field rules and text
hygiene), creates what is missing in a few statements per table, and writes
each row's history as the importing user. The same review imported again adds
nothing: a review URL, or a reviewer's own statement id, is recorded once.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from simple_history.utils import bulk_create_with_history

from claims.choices import ClaimStatus, OutletKind, SpeakerKind
from claims.hygiene import trim
from claims.models import Claim, Outlet, Speaker, Topic
from claims.policy import require
from claims.services.base import free_slugs
from claims.services.outlets import record_outlet
from claims.textfiles import BadFile

# Rows per statement; SQLite takes at most 999 parameters in one.
CHUNK = 500


@dataclass(frozen=True)
class Claimant:
    name: str
    kind: str = SpeakerKind.PERSON
    title: str = ""
    party: str = ""
    region: str = ""


@dataclass(frozen=True)
class ReviewedStatement:
    """One verdict as another fact-checker published it, in the newsroom's terms.

    `rating` is on the scale, or "" when the reviewer's words have no place on
    it; then the claim waits in review with `rating_as_written` for an editor.
    `line` is where it was read, for errors.
    """

    text: str
    claimant: Claimant
    reviewer: str
    line: int | None = None
    rating: str = ""
    rating_as_written: str = ""
    summary: str = ""
    review_url: str = ""
    review_headline: str = ""
    external_id: str = ""
    made_on: datetime.date | None = None
    reviewed_on: datetime.date | None = None
    venue: str = ""
    topics: Sequence[str] = field(default_factory=tuple)
    reviewer_url: str = ""


@dataclass(frozen=True)
class Imported:
    created: int
    unchanged: int


@transaction.atomic
def import_reviews(
    statements: Iterable[ReviewedStatement], *, acting_user, progress=None, file_name: str = ""
) -> Imported:
    """Record each statement as a claim with its verdict, reusing speakers, reviewers and topics by name.

    A published claim for a verdict on the scale, one in review for a verdict kept
    only as written. Raises BadFile naming the line of a statement that breaks a rule.
    """
    require(acting_user, "import")
    statements = list(statements)
    reviewers = _reviewers(statements, acting_user)
    new = _not_yet_recorded(statements, reviewers)
    speakers = _speakers([s.claimant for s in new], acting_user)
    topics = _topics({name for s in new for name in s.topics}, acting_user)
    claims = []
    for statement in new:
        claim = Claim(
            text=trim(statement.text),
            claimant=speakers[_key(statement.claimant.name)],
            made_on=statement.made_on,
            status=ClaimStatus.PUBLISHED if statement.rating else ClaimStatus.IN_REVIEW,
            rating=statement.rating,
            rating_as_written=trim(statement.rating_as_written)[:200],
            rating_summary=trim(statement.summary),
            reviewed_by=reviewers[_key(statement.reviewer)],
            review_url=statement.review_url,
            review_headline=trim(statement.review_headline)[:500],
            external_id=statement.external_id,
            venue=trim(statement.venue)[:300],
            published_at=_midnight(statement.reviewed_on) if statement.rating else None,
            created_by=acting_user,
        )
        _validate(claim, statement.line, file_name, exclude=["claimant", "reviewed_by"])
        claims.append(claim)
    created = []
    for start in range(0, len(claims), CHUNK):
        created += bulk_create_with_history(claims[start : start + CHUNK], Claim, default_user=acting_user)
        if progress:
            progress(min(start + CHUNK, len(claims)), len(claims))
    links = [
        Claim.topics.through(claim_id=claim.pk, topic_id=topics[_key(name)].pk)
        for claim, statement in zip(created, new, strict=True)
        for name in dict.fromkeys(map(_key, statement.topics))
    ]
    Claim.topics.through.objects.bulk_create(links, batch_size=CHUNK)
    return Imported(created=len(created), unchanged=len(statements) - len(created))


def _key(name: str) -> str:
    return trim(name).casefold()


def _midnight(day: datetime.date | None) -> datetime.datetime | None:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC) if day else None


def _validate(record, line: int | None, file_name: str, exclude=()) -> None:
    """The row's field rules and text hygiene, as save() checks them; BadFile naming the line if it breaks one."""
    try:
        record.clean_fields(exclude=exclude)
    except ValidationError as error:
        reasons = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise BadFile(file_name or "the file", line, reasons) from None


def _by_lower_name(model, names: Iterable[str], column: str = "name") -> dict:
    names = list(names)
    found = {}
    for start in range(0, len(names), CHUNK):
        rows = model.objects.annotate(lowered=Lower(column)).filter(lowered__in=names[start : start + CHUNK])
        for row in rows:
            found.setdefault(_key(getattr(row, column)), row)
    return found


def _reviewers(statements: list[ReviewedStatement], acting_user) -> dict[str, Outlet]:
    wanted = {_key(s.reviewer): s for s in statements}
    reviewers = _by_lower_name(Outlet, [trim(s.reviewer).lower() for s in wanted.values()])
    for key, statement in wanted.items():
        if key not in reviewers:
            reviewers[key] = record_outlet(
                name=trim(statement.reviewer),
                kind=OutletKind.ONLINE,
                homepage=statement.reviewer_url,
                acting_user=acting_user,
            )
    return reviewers


def _not_yet_recorded(statements: list[ReviewedStatement], reviewers: dict[str, Outlet]) -> list[ReviewedStatement]:
    """The statements whose review URL, or reviewer's id, is not recorded yet (nor earlier in this file)."""
    urls = {s.review_url for s in statements if s.review_url}
    ids = {s.external_id for s in statements if s.external_id}
    known_urls, known_ids = set(), set()
    for start in range(0, max(len(urls), len(ids)), CHUNK):
        chunk = sorted(urls)[start : start + CHUNK]
        known_urls |= set(Claim.objects.filter(review_url__in=chunk).values_list("review_url", flat=True))
        chunk = sorted(ids)[start : start + CHUNK]
        known_ids |= set(Claim.objects.filter(external_id__in=chunk).values_list("reviewed_by_id", "external_id"))
    new = []
    for statement in statements:
        reviewer = reviewers[_key(statement.reviewer)].pk
        if statement.review_url in known_urls or (reviewer, statement.external_id) in known_ids:
            continue
        if statement.review_url:
            known_urls.add(statement.review_url)
        if statement.external_id:
            known_ids.add((reviewer, statement.external_id))
        new.append(statement)
    return new


def _speakers(claimants: list[Claimant], acting_user) -> dict[str, Speaker]:
    """Each claimant's speaker by name: the one recorded, or a new one with the details first given."""
    first = {}
    for claimant in claimants:
        first.setdefault(_key(claimant.name), claimant)
    speakers = _by_lower_name(Speaker, [trim(c.name).lower() for c in first.values()])
    missing = [claimant for key, claimant in first.items() if key not in speakers]
    slugs = free_slugs(Speaker, [c.name for c in missing])
    new = [
        Speaker(
            name=trim(c.name)[:200],
            slug=slug,
            kind=c.kind,
            description=trim(c.title)[:300],
            party=trim(c.party)[:100],
            region=trim(c.region)[:100],
            created_by=acting_user,
        )
        for c, slug in zip(missing, slugs, strict=True)
    ]
    for speaker in new:
        _validate(speaker, None, "", exclude=["organization"])
    for speaker in bulk_create_with_history(new, Speaker, batch_size=CHUNK, default_user=acting_user):
        speakers[_key(speaker.name)] = speaker
    return speakers


def _topics(names: set[str], acting_user) -> dict[str, Topic]:
    first = {}
    for name in sorted(names):
        first.setdefault(_key(name), trim(name)[:100])
    topics = _by_lower_name(Topic, [name.lower() for name in first.values()])
    missing = [name for key, name in first.items() if key not in topics]
    new = [Topic(name=name, slug=slug) for name, slug in zip(missing, free_slugs(Topic, missing), strict=True)]
    for topic in Topic.objects.bulk_create(new, batch_size=CHUNK) if new else []:
        topics[_key(topic.name)] = topic
    return topics
