"""Other fact-checkers' verdicts brought in by an import (LIAR, ClaimReview): claims, claimants, reviewers, topics.

Imports write thousands of rows, so this service writes in bulk: it asks the
policy once, validates every row as save() would (field rules and text
hygiene), reads each table once for what is recorded already, and creates
what is missing a few hundred rows per statement, each row's history (a
claim's topics included) recorded as the importing user. The same review
imported again adds nothing and changes nothing: a review URL, or a
reviewer's own statement id, is recorded once.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from claims import published
from claims.choices import ClaimStatus, OutletKind, SpeakerKind
from claims.hygiene import trim
from claims.models import Claim, Outlet, Speaker, Topic
from claims.policy import require
from claims.services.base import free_slugs
from claims.services.outlets import record_outlet
from claims.textfiles import BadFile
from claims.transfer.runs import Written

# Rows per statement, and values per look-up (SQLite takes at most 999 parameters in one).
CHUNK = 500
# Foreign keys to rows this service holds in hand, so validating them would only re-read them.
IN_HAND = {Claim: ["claimant", "reviewed_by", "created_by"], Speaker: ["organization", "created_by"], Topic: []}
# The history of a claim's topics, one row per topic per history row of the claim.
TOPIC_HISTORY = Claim.history.model.topics.model


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


@transaction.atomic
def import_reviews(statements: Iterable[ReviewedStatement], *, acting_user, progress=None) -> Written:
    """Record each statement as a claim with its verdict, reusing speakers, reviewers and topics by name.

    A published claim for a verdict on the scale, one in review for a verdict kept
    only as written. Raises BadFile naming the line of a statement that breaks a rule.
    """
    require(acting_user, "import")
    statements = list(statements)
    reviewers = _reviewers(statements, acting_user)
    new = _not_yet_recorded(statements, reviewers)
    speakers = _speakers(new, acting_user)
    topics = _topics(new)
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
        _validate(claim, statement.line)
        claims.append(claim)
    now = timezone.now()
    for start in range(0, len(claims), CHUNK):
        chunk, chunk_statements = claims[start : start + CHUNK], new[start : start + CHUNK]
        _insert_with_history(chunk, acting_user, now)
        links = [
            {"claim_id": claim.pk, "topic_id": topics[name].pk}
            for claim, statement in zip(chunk, chunk_statements, strict=True)
            for name in dict.fromkeys(map(_key, statement.topics))
        ]
        # So that the claim's history shows the topics it was filed under, as its History page lists them.
        history_of = {claim.pk: claim.history_id for claim in chunk}
        link_ids = _insert(Claim.topics.through, links)
        _insert(
            TOPIC_HISTORY,
            [
                {"id": pk, **link, "history_id": history_of[link["claim_id"]]}
                for pk, link in zip(link_ids, links, strict=True)
            ],
        )
        if progress:
            progress(start + len(chunk), len(claims))
    if claims:
        published.changed_everything()  # rows inserted in bulk send no signals
    return Written(created=len(claims), unchanged=len(statements) - len(claims))


def _insert_with_history(records: list, acting_user, now) -> None:
    """Insert new rows of one model, each with its "+" history row as `acting_user`; sets pk and history_id."""
    model = type(records[0])
    history = model.history.model
    fields = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
    for record in records:
        if hasattr(record, "created_at"):
            record.created_at = record.modified_at = now
    for record, pk in zip(records, _insert(model, [_values(record, fields) for record in records]), strict=True):
        record.pk = pk
    tracked = [field.attname for field in history.tracked_fields]
    rows = [
        {**_values(record, tracked), "history_date": now, "history_type": "+", "history_user_id": acting_user.pk}
        for record in records
    ]
    for record, history_id in zip(records, _insert(history, rows), strict=True):
        record.history_id = history_id


def _values(record, names: list[str]) -> dict:
    return {name: getattr(record, name) for name in names}


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert `rows` (values by attname, no primary key); their new primary keys, in order.

    PostgreSQL takes them by COPY, with keys drawn from the table's sequence
    first: for thousands of rows several times faster than Django's INSERT,
    which prepares every value in Python. Other databases get bulk_create.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return [row.pk for row in model.objects.bulk_create([model(**row) for row in rows], batch_size=CHUNK)]
    quote, table, pk = connection.ops.quote_name, model._meta.db_table, model._meta.pk
    column = {field.attname: field.column for field in model._meta.concrete_fields}
    names = list(rows[0])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk.column, len(rows)]
        )
        keys = [key for (key,) in cursor.fetchall()]
        columns = ", ".join(quote(column[name]) for name in [pk.attname, *names])
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for key, row in zip(keys, rows, strict=True):
                copy.write_row((key, *(row[name] for name in names)))
    return keys


def _key(name: str) -> str:
    return trim(name).casefold()


def _midnight(day: datetime.date | None) -> datetime.datetime | None:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC) if day else None


def _validate(record, line: int | None) -> None:
    """The row's field rules and text hygiene, as save() checks them; BadFile naming the line if it breaks one.

    The file is named by the door that read it (run_import).
    """
    try:
        record.clean_fields(exclude=IN_HAND[type(record)])
    except ValidationError as error:
        reasons = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise BadFile(None, line, reasons) from None


def _by_lower_name(model, keys: Iterable[str]) -> dict:
    """The rows of `model` whose name is one of `keys` (casefolded), by key; one query per CHUNK keys."""
    keys = sorted(keys)
    found = {}
    for start in range(0, len(keys), CHUNK):
        rows = model.objects.annotate(lowered=Lower("name")).filter(lowered__in=keys[start : start + CHUNK])
        for row in rows.order_by("pk"):
            found.setdefault(_key(row.name), row)
    return found


def _reviewers(statements: list[ReviewedStatement], acting_user) -> dict[str, Outlet]:
    wanted = {_key(s.reviewer): s for s in statements}
    reviewers = _by_lower_name(Outlet, wanted)
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
    urls = sorted({s.review_url for s in statements if s.review_url})
    ids = sorted({s.external_id for s in statements if s.external_id})
    known_urls, known_ids = set(), set()
    for start in range(0, len(urls), CHUNK):
        rows = Claim.objects.filter(review_url__in=urls[start : start + CHUNK])
        known_urls |= set(rows.values_list("review_url", flat=True))
    for start in range(0, len(ids), CHUNK):
        rows = Claim.objects.filter(external_id__in=ids[start : start + CHUNK], reviewed_by__isnull=False)
        known_ids |= set(rows.values_list("reviewed_by_id", "external_id"))
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


def _speakers(statements: list[ReviewedStatement], acting_user) -> dict[str, Speaker]:
    """Each claimant's speaker by name: the one recorded, or a new one with the details the file gives most."""
    by_key: dict[str, list[ReviewedStatement]] = {}
    for statement in statements:
        by_key.setdefault(_key(statement.claimant.name), []).append(statement)
    speakers = _by_lower_name(Speaker, by_key)
    missing = [group for key, group in by_key.items() if key not in speakers]
    names = [trim(group[0].claimant.name)[:200] for group in missing]
    new = []
    slugs = free_slugs(Speaker, names) if names else []
    for group, name, slug in zip(missing, names, slugs, strict=True):
        claimants = [statement.claimant for statement in group]
        speaker = Speaker(
            name=name,
            slug=slug,
            kind=_most_given(c.kind for c in claimants) or SpeakerKind.PERSON,
            description=_most_given(trim(c.title) for c in claimants)[:300],
            party=_most_given(trim(c.party) for c in claimants)[:100],
            region=_most_given(trim(c.region) for c in claimants)[:100],
            created_by=acting_user,
        )
        _validate(speaker, group[0].line)
        new.append(speaker)
    if new:
        _insert_with_history(new, acting_user, timezone.now())
    speakers.update((_key(speaker.name), speaker) for speaker in new)
    return speakers


def _most_given(values: Iterable[str]) -> str:
    """The value given most often, not counting blanks; of equals, the first given."""
    counts = Counter(value for value in values if value)
    return counts.most_common(1)[0][0] if counts else ""


def _topics(statements: list[ReviewedStatement]) -> dict[str, Topic]:
    first: dict[str, tuple[str, int | None]] = {}
    for statement in statements:
        for name in statement.topics:
            first.setdefault(_key(name), (trim(name)[:100], statement.line))
    topics = _by_lower_name(Topic, first)
    missing = [(name, line) for key, (name, line) in first.items() if key not in topics]
    slugs = free_slugs(Topic, [name for name, _line in missing]) if missing else []
    new = []
    for (name, line), slug in zip(missing, slugs, strict=True):
        topic = Topic(name=name, slug=slug)
        _validate(topic, line)
        new.append(topic)
    for topic, pk in zip(new, _insert(Topic, [{"name": t.name, "slug": t.slug} for t in new]), strict=True):
        topic.pk = pk
    topics.update((_key(topic.name), topic) for topic in new)
    return topics
