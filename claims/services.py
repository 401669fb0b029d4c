"""Every editorial write, in one place.

Each service is keyword-only, validates with full_clean() (model rules and
database constraints alike), runs in one transaction, records who acted in
the history, and raises ValidationError naming the field and the reason, or
PermissionDenied. `acting_user=None` means the system itself (a management
command, the demo loader), which may do anything.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from claims.choices import SYMMETRIC_RELATIONS, ClaimStatus, DatePrecision, QuoteKind, Relation, SpeakerKind, Stance
from claims.models import (
    Article,
    Claim,
    ClaimRelation,
    Evidence,
    Outlet,
    Quote,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from claims.roles import may_edit


def _require(acting_user, perm: str, what: str) -> None:
    if acting_user is not None and not acting_user.has_perm(perm):
        raise PermissionDenied(f"Only editors may {what}.")


def _require_edit(acting_user, record) -> None:
    if acting_user is not None and not may_edit(acting_user, record):
        raise PermissionDenied(
            f"You may not change this {record._meta.verbose_name}: reporters may change only their own drafts."
        )


def _save(record: models.Model, acting_user) -> models.Model:
    """Validate and save one row, recording the acting user as author and in history."""
    if record._state.adding and hasattr(record, "created_by_id") and acting_user is not None:
        record.created_by = acting_user
    record.full_clean()
    record._history_user = acting_user
    record.save()
    return record


def unique_slug(model: type[models.Model], name: str, *, exclude_pk=None) -> str:
    """A slug from `name` that no other row of `model` has: "sergei-ryabkov", then "-2", "-3"."""
    base = slugify(name, allow_unicode=False)[:180] or model._meta.model_name
    taken = set(model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Outlets, articles, speakers, sources ---------------------------------------


@transaction.atomic
def record_outlet(*, name: str, kind: str = "other", homepage: str = "", country: str = "", acting_user=None) -> Outlet:
    outlet = Outlet(name=name, slug=unique_slug(Outlet, name), kind=kind, homepage=homepage, country=country)
    return _save(outlet, acting_user)


@transaction.atomic
def record_article(
    *,
    url: str,
    outlet: Outlet,
    headline: str,
    body: str,
    credited_to: Outlet | None = None,
    byline: str = "",
    language: str = "en",
    published_at: datetime.datetime | None = None,
    updated_at: datetime.datetime | None = None,
    acting_user=None,
) -> Article:
    article = Article(
        url=url,
        outlet=outlet,
        headline=headline,
        body=body,
        credited_to=credited_to,
        byline=byline,
        language=language,
        published_at=published_at,
        updated_at=updated_at,
    )
    return _save(article, acting_user)


@transaction.atomic
def record_speaker(
    *,
    name: str,
    kind: str = SpeakerKind.PERSON,
    description: str = "",
    organization: Speaker | None = None,
    aliases: Iterable[str] = (),
    wikidata_id: str = "",
    acting_user=None,
) -> Speaker:
    speaker = Speaker(
        name=name,
        slug=unique_slug(Speaker, name),
        kind=kind,
        description=description,
        organization=organization,
        wikidata_id=wikidata_id,
    )
    _save(speaker, acting_user)
    for alias in aliases:
        add_speaker_alias(speaker=speaker, name=alias, acting_user=acting_user)
    return speaker


@transaction.atomic
def add_speaker_alias(*, speaker: Speaker, name: str, acting_user=None) -> SpeakerAlias | None:
    """Add another printed name for a speaker; a name it already has is not added twice."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "An alias cannot be empty."})
    if name.lower() == speaker.name.lower() or speaker.aliases.filter(name__iexact=name).exists():
        return None
    return _save(SpeakerAlias(speaker=speaker, name=name), acting_user)


@transaction.atomic
def set_speaker_aliases(*, speaker: Speaker, names: Iterable[str], acting_user=None) -> Speaker:
    """Make the speaker's aliases exactly `names` (ignoring case and the speaker's own name)."""
    _require_edit(acting_user, speaker)
    wanted = {name.strip().lower(): name.strip() for name in names if name.strip()}
    for alias in speaker.aliases.all():
        if alias.name.lower() not in wanted:
            alias._history_user = acting_user
            alias.delete()
    for name in wanted.values():
        add_speaker_alias(speaker=speaker, name=name, acting_user=acting_user)
    return speaker


@transaction.atomic
def record_source(
    *,
    url: str,
    title: str,
    kind: str = "article",
    outlet: Outlet | None = None,
    published_on: datetime.date | None = None,
    archived_url: str = "",
    acting_user=None,
) -> Source:
    source = Source(
        url=url, title=title, kind=kind, outlet=outlet, published_on=published_on, archived_url=archived_url
    )
    return _save(source, acting_user)


# --- Quotes ----------------------------------------------------------------------

# Characters an editor may type for the same mark the article prints.
_EQUIVALENT_MARKS = {
    "'": "'‘’‛′",
    "‘": "'‘’‛′",
    "’": "'‘’‛′",
    '"': '"“”„‟″«»',
    "“": '"“”„‟″«»',
    "”": '"“”„‟″«»',
    "-": "-‐‑‒–—",
    "–": "-‐‑‒–—",
    "—": "-‐‑‒–—",
}
# Soft hyphens and zero-width characters are invisible in print; skip them.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _tolerant_pattern(text: str) -> re.Pattern | None:
    """A regex for `text` that allows any whitespace run between words and either style of marks."""
    words = text.split()
    if not words:
        return None
    gap = f"[{_INVISIBLE}]*"
    parts = [
        gap.join(f"[{re.escape(_EQUIVALENT_MARKS[c])}]" if c in _EQUIVALENT_MARKS else re.escape(c) for c in word)
        for word in words
    ]
    # \s covers non-breaking and other Unicode spaces.
    return re.compile(rf"(?:\s|[{_INVISIBLE}])+".join(parts))


def find_span(body: str, text: str, *, near: int | None = None) -> tuple[int, int] | None:
    """Where `text` stands in `body`, forgiving whitespace, invisible characters and quote styles.

    The exact slice body[start:end] is what a stored quote holds. With several
    matches, the one nearest `near` (or the first) wins.
    """
    exact = body.find(text) if near is None else -1
    if exact >= 0 and text:
        return exact, exact + len(text)
    pattern = _tolerant_pattern(text)
    if pattern is None:
        return None
    matches = list(pattern.finditer(body)) if near is not None else [pattern.search(body)]
    matches = [m for m in matches if m]
    if not matches:
        return None
    best = min(matches, key=lambda m: abs(m.start() - near)) if near is not None else matches[0]
    return best.start(), best.end()


@transaction.atomic
def record_quote(
    *,
    article: Article,
    speaker: Speaker,
    text: str,
    kind: str = QuoteKind.DIRECT,
    start: int | None = None,
    end: int | None = None,
    anchored: bool = True,
    speaker_title: str = "",
    said_on: datetime.date | None = None,
    said_on_precision: str = DatePrecision.DAY,
    via: str = "",
    acting_user=None,
) -> Quote:
    """Record a quote, anchored to its place in the article body.

    With start and end, the span must hold the text (whitespace and quote
    marks may differ as typed). With only the text, the span is found. Either
    way the stored text is the article's own exact characters. `anchored=False`
    records a quote that is not in the body (heard on air, paraphrased).
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "A quote needs its words."})
    if anchored:
        start, end = _anchor(article.body, text, start, end, headline=article.headline)
        text = article.body[start:end]
    else:
        start = end = None
    quote = Quote(
        article=article,
        speaker=speaker,
        text=text,
        kind=kind,
        start=start,
        end=end,
        speaker_title=speaker_title,
        said_on=said_on,
        said_on_precision=said_on_precision,
        via=via,
    )
    return _save(quote, acting_user)


def _anchor(body: str, text: str, start: int | None, end: int | None, *, headline: str) -> tuple[int, int]:
    if (start is None) != (end is None):
        raise ValidationError({"end" if end is None else "start": "Give both ends of the span, or neither."})
    if start is None:
        span = find_span(body, text)
        if span is None:
            raise ValidationError(
                {
                    "text": f"These words are not in the article “{headline[:80]}”. Check them against the "
                    "article text, or record the quote as not anchored."
                }
            )
        return span
    if not (0 <= start < end <= len(body)):
        raise ValidationError({"end": f"The span {start}–{end} lies outside the article body (0–{len(body)})."})
    # Forgive typed whitespace and marks: the slice must say the same words.
    if body[start:end] != text and find_span(body[start:end], text) != (0, end - start):
        raise ValidationError(
            {"text": f"The article at {start}–{end} reads “{body[start:end][:120]}”, not the text given."}
        )
    return start, end


# --- Claims ----------------------------------------------------------------------


@transaction.atomic
def make_claim(
    *,
    text: str,
    claimant: Speaker,
    quotes: Iterable[Quote] = (),
    made_on: datetime.date | None = None,
    topics: Iterable[Topic] = (),
    acting_user=None,
) -> Claim:
    """A draft claim, stated by the given quotes; made_on defaults to the earliest of them."""
    quotes = list(quotes)
    if made_on is None:
        made_on = min((q.said_on for q in quotes if q.said_on), default=None)
    claim = _save(Claim(text=text.strip(), claimant=claimant, made_on=made_on), acting_user)
    if quotes:
        claim.quotes.set(quotes)
    if topics:
        claim.topics.set(list(topics))
    return claim


@transaction.atomic
def link_quotes(*, claim: Claim, quotes: Iterable[Quote], acting_user=None) -> Claim:
    """Add quotes that state an existing claim (the same claim repeated elsewhere)."""
    _require_edit(acting_user, claim)
    claim._history_user = acting_user
    claim.quotes.add(*quotes)
    return claim


@transaction.atomic
def rate_claim(*, claim: Claim, rating: str, summary: str, acting_user=None) -> Claim:
    """Give a verdict on the scale; the acting editor becomes the reviewer."""
    _require(acting_user, "claims.publish_claim", "rate claims")
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    claim.rating = rating
    claim.rating_summary = summary.strip()
    if acting_user is not None:
        claim.reviewer = acting_user
    if not claim.rating_summary:
        raise ValidationError({"rating_summary": "Say in a sentence why the claim earns this rating."})
    return _save(claim, acting_user)


# Which status may follow which. Publishing and unpublishing are for editors.
_TRANSITIONS = {
    ClaimStatus.DRAFT: {ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED},
    ClaimStatus.IN_REVIEW: {ClaimStatus.DRAFT, ClaimStatus.PUBLISHED},
    ClaimStatus.PUBLISHED: {ClaimStatus.IN_REVIEW},
}


@transaction.atomic
def change_claim_status(*, claim: Claim, status: str, acting_user=None) -> Claim:
    """Move a claim through draft → in review → published (and back for corrections)."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if status not in ClaimStatus.values:
        raise ValidationError({"status": f"Unknown status “{status}”; use one of {', '.join(ClaimStatus.values)}."})
    if status == claim.status:
        return claim
    if status not in _TRANSITIONS[claim.status]:
        raise ValidationError({"status": f"A {claim.get_status_display().lower()} claim cannot move to {status}."})
    if ClaimStatus.PUBLISHED in (status, claim.status):
        _require(acting_user, "claims.publish_claim", "publish or unpublish claims")
    else:
        _require_edit(acting_user, claim)
    if status == ClaimStatus.PUBLISHED:
        if not claim.rating:
            raise ValidationError({"rating": "Rate the claim before publishing it."})
        claim.published_at = claim.published_at or timezone.now()
    claim.status = status
    return _save(claim, acting_user)


@transaction.atomic
def attach_evidence(
    *, claim: Claim, source: Source, stance: str, excerpt: str = "", note: str = "", acting_user=None
) -> Evidence:
    if stance not in Stance.values:
        raise ValidationError({"stance": f"Unknown stance “{stance}”; use one of {', '.join(Stance.values)}."})
    return _save(Evidence(claim=claim, source=source, stance=stance, excerpt=excerpt, note=note), acting_user)


@transaction.atomic
def relate_claims(*, claim: Claim, other: Claim, relation: str, note: str = "", acting_user=None) -> ClaimRelation:
    """Link two claims. Symmetric relations are stored once, lower id first."""
    if relation not in Relation.values:
        raise ValidationError({"relation": f"Unknown relation “{relation}”; use one of {', '.join(Relation.values)}."})
    if claim.pk == other.pk:
        raise ValidationError({"other": "A claim cannot be related to itself."})
    existing = ClaimRelation.objects.filter(
        models.Q(from_claim=claim, to_claim=other) | models.Q(from_claim=other, to_claim=claim)
    ).first()
    if existing is not None:
        message = (
            f"These claims are already linked ({existing.get_relation_display().lower()}); "
            "change or remove that link instead."
        )
        raise ValidationError({"other": ValidationError(message, code="duplicate")})
    first, second = claim, other
    if relation in SYMMETRIC_RELATIONS and first.pk > second.pk:
        first, second = second, first
    return _save(ClaimRelation(from_claim=first, to_claim=second, relation=relation, note=note), acting_user)


# --- Speakers --------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    speaker: Speaker
    quotes_moved: int
    claims_moved: int
    members_moved: int
    aliases_added: int


@transaction.atomic
def merge_speakers(*, keep: Speaker, merge: Speaker, acting_user=None) -> MergeResult:
    """Fold `merge` into `keep`: every quote, claim and member re-pointed, its names kept as aliases.

    Blank details of `keep` (description, organisation, Wikidata id) are filled
    from `merge`. The merged speaker's deletion stays in its history.
    """
    _require(acting_user, "claims.merge_speakers", "merge speakers")
    if keep.pk == merge.pk:
        raise ValidationError({"merge": "A speaker cannot be merged into itself."})
    keep, merge = (Speaker.objects.select_for_update().get(pk=s.pk) for s in (keep, merge))

    quotes = list(Quote.objects.filter(speaker=merge))
    for quote in quotes:
        quote.speaker = keep
    claims = list(Claim.objects.filter(claimant=merge))
    for claim in claims:
        claim.claimant = keep
    members = list(Speaker.objects.filter(organization=merge).exclude(pk=keep.pk))
    for member in members:
        member.organization = keep
    for model, rows, field in (
        (Quote, quotes, "speaker"),
        (Claim, claims, "claimant"),
        (Speaker, members, "organization"),
    ):
        if rows:
            bulk_update_with_history(rows, model, [field], default_user=acting_user)

    for field in ("description", "wikidata_id"):
        if not getattr(keep, field):
            setattr(keep, field, getattr(merge, field))
    if keep.organization_id is None and merge.organization_id not in (None, keep.pk):
        keep.organization_id = merge.organization_id
    if keep.organization_id == merge.pk:
        keep.organization = None

    names = [merge.name, *merge.aliases.values_list("name", flat=True)]
    merge._history_user = acting_user
    merge.delete()
    _save(keep, acting_user)
    added = sum(add_speaker_alias(speaker=keep, name=name, acting_user=acting_user) is not None for name in names)
    return MergeResult(keep, len(quotes), len(claims), len(members), added)


# --- Generic edits ---------------------------------------------------------------

# Fields that only a service with its own rules may change.
_PROTECTED_FIELDS = {"created_by", "created_at"}
_CLAIM_VERDICT_FIELDS = {"status", "rating", "rating_summary", "reviewer", "published_at"}


@transaction.atomic
def update_record(record: models.Model, *, acting_user=None, **changes) -> models.Model:
    """Change plain fields of one editorial row, if the user may edit it.

    Status and verdict changes have their own services; a quote's span is
    re-checked against its article by the model's clean().
    """
    _require_edit(acting_user, record)
    protected = (_PROTECTED_FIELDS | (_CLAIM_VERDICT_FIELDS if isinstance(record, Claim) else set())) & set(changes)
    if protected:
        raise ValidationError(dict.fromkeys(protected, "Change this through its own action (rate, publish)."))
    many = {name: changes.pop(name) for name in list(changes) if record._meta.get_field(name).many_to_many}
    for field, value in changes.items():
        setattr(record, field, value)
    _save(record, acting_user)
    for field, values in many.items():
        getattr(record, field).set(values)
    return record


@transaction.atomic
def delete_record(record: models.Model, *, acting_user=None) -> None:
    """Delete one editorial row; the history keeps what it was and who removed it."""
    _require(acting_user, f"{record._meta.app_label}.delete_{record._meta.model_name}", "delete records")
    record._history_user = acting_user
    record.delete()
