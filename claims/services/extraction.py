"""From extraction into the record: pasted articles, the candidates an editor accepted or dismissed.

The extractor (claims.extraction) only suggests; nothing it finds is on record
until an editor accepts it. Accepting goes through here, so an accepted
candidate is recorded exactly as a typed quote is: its speaker found by name or
alias or recorded anew (record_speaker), the quote anchored at its span of the
article body (record_quote), both under the policy those services ask.

Candidates themselves are never stored: a recorded article's are found again
from its body (article_candidates, cached by body, extractor and model), and
numbered as the extractor lists them. What is stored is each decision: a Quote
for an accepted candidate, a DismissedCandidate for a dismissed one. The rest
are undecided and stay offered (undecided_candidates).
"""

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims.choices import OutletKind, QuoteKind, SpeakerKind
from claims.extraction import SPEECH_ONLY, Extraction, ExtractionInputError, extract_article, tagger
from claims.extraction.grammar import mostly_shared
from claims.extraction.revision import in_article, revision_of
from claims.hygiene import trim
from claims.models import Article, DismissedCandidate, Outlet, Quote, Speaker
from claims.policy import require
from claims.services.outlets import record_article, record_outlet
from claims.services.quotes import anchor, record_quote
from claims.services.speakers import record_speaker

# The quote kinds an extraction candidate can be: the outlet's own reporting is never a candidate.
CANDIDATE_KINDS = frozenset({QuoteKind.DIRECT, QuoteKind.INDIRECT})
# The extractor's speaker kinds that are speakers as they stand; "pronoun" and "role" ("he", "the minister")
# are mentions it could not resolve to a name.
_SPEAKER_KINDS = {
    "person": SpeakerKind.PERSON,
    "organization": SpeakerKind.ORGANIZATION,
    "anonymous": SpeakerKind.ANONYMOUS,
}
# A recorded article's candidates are kept this long in the cache; the key changes with the body, the
# extractor's code and its model, so an entry is never stale, only unused.
CANDIDATES_CACHE_SECONDS = 7 * 24 * 60 * 60


class RefusedCandidates(ValidationError):
    """A refusal naming fields and candidates; `by_candidate` holds each refused candidate's own error, by number.

    As a ValidationError its message_dict has "candidates": one line per reason,
    "Candidate N (“words…”): field: reason", and the other fields' reasons.
    """

    def __init__(self, errors: dict, *, by_candidate: Mapping[int, ValidationError] | None = None):
        super().__init__(errors)
        self.by_candidate = dict(by_candidate or {})


class ArticleAlreadyRecorded(ValidationError):
    """An article with this address is on record already: `article` is it. Nothing was saved."""

    def __init__(self, article: Article):
        super().__init__(
            {"url": f"An article with this address is already on record: “{article.headline[:120]}” (id {article.pk})."}
        )
        self.article = article


@dataclass(frozen=True)
class AcceptedCandidates:
    """What accepting candidates did, by the candidates' numbers as the editor saw them."""

    article: Article
    recorded: dict[int, Quote] = field(default_factory=dict)  # new quotes
    existing: dict[int, Quote] = field(default_factory=dict)  # already on record: the same span and speaker
    speakers_created: list[Speaker] = field(default_factory=list)

    @property
    def quotes(self) -> dict[int, Quote]:
        """Every accepted candidate's quote, new or existing, in the candidates' order."""
        return dict(sorted({**self.existing, **self.recorded}.items()))


@transaction.atomic
def record_extracted_quotes(
    *,
    article: Article,
    candidates: Mapping[int, object] | Iterable[object],
    acting_user,
) -> AcceptedCandidates:
    """Record the accepted extraction candidates of `article` as its quotes: all of them, or none.

    Each candidate is an extraction Candidate or a mapping with its fields:
    `text`, `start` and `end` (its span of the article body, which must hold
    the text; whitespace and quotation-mark styles may differ, as when an
    editor types a quote), `kind` (direct or indirect), `speaker` (a name, or a
    Speaker the editor chose), `speaker_kind`, `speaker_title` and `via`.

    A speaker is the one whose name is the candidate's, else the one with that
    alias (ignoring case, and preferring one of the candidate's kind when
    several share the name); with none, it is recorded, with the candidate's
    kind and its title as printed. A candidate already on record (the same
    article, span and speaker) is returned as existing, not recorded twice.

    `candidates` may be a mapping from the numbers the editor saw (the
    extraction's own indexes) to candidates, so that errors name those; a list
    is numbered from 0. Every candidate is checked; if any is refused, the
    ValidationError (a RefusedCandidates) names each refused candidate by number
    and why, and nothing is saved. PermissionDenied, naming the candidate, when
    the policy refuses a write.
    """
    numbered = _numbered(candidates)
    if not numbered:
        raise ValidationError({"candidates": "Choose at least one candidate to record."})
    require(acting_user, "add", Quote)
    # Locked until commit: two editors accepting the same candidates at once record them once.
    article = Article.objects.select_for_update().get(pk=article.pk)
    result = AcceptedCandidates(article=article)
    refused = _accept_each(article, numbered, result, acting_user)
    if refused:
        raise RefusedCandidates({"candidates": _lines(numbered, refused)}, by_candidate=refused)
    return result


# --- A pasted article, its metadata and decisions, in one go ------------------------------------------------


@dataclass(frozen=True)
class RecordedArticle:
    """What recording a pasted article did."""

    article: Article
    quotes: AcceptedCandidates
    dismissed: list[DismissedCandidate]
    outlets_created: list[Outlet]


@transaction.atomic
def record_article_from_extraction(
    *,
    extraction: Extraction,
    url: str,
    outlet: str | Outlet,
    headline: str,
    credited_to: str | Outlet | None = None,
    outlet_kind: str = OutletKind.OTHER,
    byline: str = "",
    language: str = "en",
    published_at=None,
    updated_at=None,
    accepted: Mapping[int, object] | None = None,
    dismissed: Iterable[int] = (),
    acting_user,
) -> RecordedArticle:
    """Record a pasted article from its extraction: outlet, credited agency, article, accepted quotes, dismissals.

    The article's body is the extraction's clean body, which every candidate's
    offsets point into. `outlet` and `credited_to` are outlets or names: an
    outlet of that name (ignoring case) is the one, else it is recorded
    (`outlet_kind` for the outlet, a news agency for the credited one).
    `accepted` maps the extraction's candidate numbers to the candidates to
    record as quotes, as record_extracted_quotes takes them (the editor's
    fixes applied); `dismissed` are the numbers of the candidates dismissed.
    The candidates neither accepted nor dismissed are left for later.

    All or nothing. ArticleAlreadyRecorded (a ValidationError on `url`, with the
    article) when an article with this address is on record: articles are one
    per address. Otherwise every field and every candidate is checked, and a
    RefusedCandidates names each refused field (`outlet`, `credited_to` and the
    article's own) and candidate, with nothing saved. PermissionDenied when the
    policy refuses a write.
    """
    require(acting_user, "add", Article)
    url = trim(url or "")
    existing = Article.objects.filter(url=url).first() if url else None
    if existing is not None:
        raise ArticleAlreadyRecorded(existing)
    numbered = _numbered(accepted or {})
    if numbered:
        require(acting_user, "add", Quote)
    errors: dict[str, list[str]] = {}
    created: list[Outlet] = []
    outlet_row = _outlet_in(errors, "outlet", outlet, outlet_kind, created, acting_user)
    credited_row = _outlet_in(errors, "credited_to", credited_to, OutletKind.AGENCY, created, acting_user)
    fields = {
        "url": url,
        "headline": trim(headline or ""),
        "body": extraction.body,
        "byline": trim(byline or ""),
        "language": trim(language or "") or "en",
        "published_at": published_at,
        "updated_at": updated_at,
    }
    article = None
    if errors:
        # Without its outlet the article cannot be saved, but the rest of it can still be checked.
        unsaved = Article(**fields)
        _collect(errors, unsaved.full_clean, exclude=["outlet", "credited_to"])
    else:
        try:
            with transaction.atomic():
                article = record_article(outlet=outlet_row, credited_to=credited_row, **fields, acting_user=acting_user)
        except ValidationError as error:
            _raise_if_recorded_meanwhile(url)
            _merge(errors, error)
        except IntegrityError:
            _raise_if_recorded_meanwhile(url)
            raise
    result = AcceptedCandidates(article=article)
    dismissals: list[DismissedCandidate] = []
    if article is not None:
        refused = _accept_each(article, numbered, result, acting_user)
        for number in dict.fromkeys(dismissed):
            span = _span_of(extraction, number)
            try:
                with transaction.atomic():
                    dismissals.append(
                        dismiss_candidate(article=article, start=span[0], end=span[1], acting_user=acting_user)
                    )
            except ValidationError as error:
                refused[number] = error
    else:
        unsaved = Article(body=extraction.body, headline=fields["headline"])
        refused = {}
        for number, candidate in numbered:
            try:
                _checked(unsaved, candidate)
                _speaker_wanted(candidate)
            except ValidationError as error:
                refused[number] = error
    if errors or refused:
        if refused:
            # Each refused candidate as the editor left it: accepted with their fixes, or dismissed as found.
            shown = dict(enumerate(extraction.candidates)) | dict(numbered)
            errors["candidates"] = _lines(sorted(shown.items()), refused)
        raise RefusedCandidates(errors, by_candidate=refused)
    return RecordedArticle(article=article, quotes=result, dismissed=dismissals, outlets_created=created)


def _outlet_in(errors: dict, name: str, given, kind: str, created: list, acting_user) -> Outlet | None:
    """The outlet named `given` (found or recorded), or None; a refusal goes into errors[name]."""
    if isinstance(given, Outlet) or given is None:
        if given is None and name == "outlet":
            errors[name] = ["Name the outlet the article was published by."]
        return given
    wanted = trim(given)
    if not wanted:
        if name == "outlet":
            errors[name] = ["Name the outlet the article was published by."]
        return None
    matches = list(Outlet.objects.filter(name__iexact=wanted).order_by("pk"))
    if matches:
        return next((outlet for outlet in matches if outlet.name == wanted), matches[0])
    try:
        with transaction.atomic():
            outlet = record_outlet(name=wanted, kind=kind, acting_user=acting_user)
    except ValidationError as error:
        errors[name] = _reasons(error)
        return None
    created.append(outlet)
    return outlet


def _raise_if_recorded_meanwhile(url: str) -> None:
    # Another editor saved the same address between the check and the insert.
    existing = Article.objects.filter(url=url).first() if url else None
    if existing is not None:
        raise ArticleAlreadyRecorded(existing)


def _collect(errors: dict, check, **kwargs) -> None:
    try:
        check(**kwargs)
    except ValidationError as error:
        _merge(errors, error)


def _merge(errors: dict, error: ValidationError) -> None:
    for name, messages in (error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}).items():
        errors.setdefault(name, []).extend(messages)


def _span_of(extraction: Extraction, number: int) -> tuple[int, int]:
    if not isinstance(number, int) or not 0 <= number < len(extraction.candidates):
        raise ValidationError({"candidates": f"There is no candidate {number} in this extraction."})
    candidate = extraction.candidates[number]
    return candidate.start, candidate.end


# --- Dismissals ---------------------------------------------------------------------------------------------


@transaction.atomic
def dismiss_candidate(*, article: Article, start: int, end: int, acting_user) -> DismissedCandidate:
    """Remember that the candidate at start–end of the article's body is not to be recorded.

    Dismissing the same span twice keeps the first dismissal (a stale one, whose
    words the body no longer holds there, is renewed).
    """
    if not all(isinstance(offset, int) and not isinstance(offset, bool) for offset in (start, end)):
        raise ValidationError(
            {"start": "A dismissed candidate needs its start and end in the article body, as numbers."}
        )
    body = article.body
    if not 0 <= start < end <= len(body):
        raise ValidationError({"end": f"The span {start}–{end} lies outside the article body (0–{len(body)})."})
    dismissal = DismissedCandidate(article=article, start=start, end=end, text=body[start:end])
    require(acting_user, "add", dismissal)
    existing = DismissedCandidate.objects.select_for_update().filter(article=article, start=start, end=end).first()
    if existing is not None:
        if existing.text != dismissal.text:
            existing.text, existing.dismissed_by = dismissal.text, acting_user
            existing.save(update_fields=["text", "dismissed_by"])
        return existing
    dismissal.dismissed_by = acting_user
    dismissal.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            dismissal.save()
    except IntegrityError:
        # Dismissed by someone else at the same moment: theirs stands.
        return DismissedCandidate.objects.get(article=article, start=start, end=end)
    return dismissal


@transaction.atomic
def restore_candidate(dismissal: DismissedCandidate, /, *, acting_user) -> None:
    """Take a dismissal back: the candidate is offered again."""
    dismissal = DismissedCandidate.objects.select_for_update().filter(pk=dismissal.pk).first()
    if dismissal is None:
        return
    require(acting_user, "delete", dismissal)
    dismissal.delete()


# --- A quote selected or typed at the desk ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedQuote:
    quote: Quote
    speaker_created: bool


@transaction.atomic
def record_quote_with_speaker(
    *,
    article: Article,
    speaker: Speaker | None = None,
    speaker_name: str = "",
    speaker_kind: str = SpeakerKind.PERSON,
    text: str = "",
    start: int | None = None,
    end: int | None = None,
    acting_user,
    **quote,
) -> RecordedQuote:
    """Record a quote whose speaker is chosen, or named: found by name or alias, else recorded; all or nothing.

    With no `text`, the words are the body's at start–end; with no span, the
    words are found in the body (record_quote's anchoring). The other keywords
    are record_quote's (kind, speaker_title, said_on, said_on_precision, via).
    A refused speaker is named under `speaker` (its name), `speaker_kind` or
    `speaker_title` (a new person's description is their title as printed).
    """
    if not trim(text or "") and start is not None and end is not None and 0 <= start < end <= len(article.body):
        text = article.body[start:end]
    created = False
    if speaker is None:
        name = trim(speaker_name or "")
        if not name:
            raise ValidationError({"speaker": "Choose who said it, or type the name of a new speaker."})
        kind = _SPEAKER_KINDS.get(speaker_kind)
        if kind is None:
            raise ValidationError(
                {"speaker_kind": f"A speaker is a person, an organization or anonymous, not “{speaker_kind}”."}
            )
        # The words first: a quote refused for its words records no speaker either (all of it rolls back),
        # but the editor should hear about the words before being told about the name.
        anchor(article, text, start=start, end=end)
        try:
            speaker, created = _speaker_for(name, kind, trim(quote.get("speaker_title") or ""), acting_user)
        except ValidationError as error:
            raise ValidationError(
                _renamed(error, {"name": "speaker", "description": "speaker_title", "kind": "speaker_kind"})
            ) from error
    recorded = record_quote(
        article=article, speaker=speaker, text=text, start=start, end=end, acting_user=acting_user, **quote
    )
    return RecordedQuote(quote=recorded, speaker_created=created)


def _renamed(error: ValidationError, names: dict[str, str]) -> dict | list:
    if not hasattr(error, "error_dict"):
        return {"speaker": error.messages}
    return {names.get(name, name): ValidationError(errors).messages for name, errors in error.error_dict.items()}


# --- A recorded article's candidates ------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleCandidates:
    """A recorded article's candidates as the extractor finds them in its body, in the body's offsets."""

    candidates: list[dict]  # numbered by their index, as the API numbers them
    revision: str  # claims.extraction.revision.revision_of(candidates)
    problem: str = ""  # why the body could not be read, when it could not


def article_candidates(article: Article, *, attributions: str = SPEECH_ONLY) -> ArticleCandidates:
    """The extractor's candidates in `article`'s body, as POST /api/v1/extract/ {"article": id} numbers them.

    Cached by the body's hash, the extractor's code and its model: the seed
    article takes ~5 ms to extract, but a long feature (~50,000 characters)
    ~160 ms, too much for every view of the page it is read on.
    """
    model = tagger.configured()
    digest = hashlib.sha256(article.body.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"desk:candidates:{digest}:{attributions}:{_code_fingerprint()}:{_model_fingerprint(model)}"
    found = cache.get(key)
    if found is None:
        try:
            extraction = extract_article(text=article.body, tagger=model, attributions=attributions)
        except ExtractionInputError as error:
            return ArticleCandidates(candidates=[], revision=revision_of([]), problem=str(error))
        candidates = [in_article(extraction, candidate) for candidate in extraction.candidates]
        found = {"candidates": candidates, "revision": revision_of(candidates)}
        cache.set(key, found, CANDIDATES_CACHE_SECONDS)
    return ArticleCandidates(candidates=found["candidates"], revision=found["revision"])


def undecided_candidates(
    candidates: list[dict], *, quotes: Iterable[tuple[int, int]], dismissed: Iterable[tuple[int, int]]
) -> list[tuple[int, dict]]:
    """The numbered candidates not yet decided: neither dismissed (that span) nor recorded.

    A candidate is recorded when one of the article's quotes holds the same
    words or most of them (an editor may have fixed the span on accepting it).
    `quotes` are the spans of the article's anchored quotes, `dismissed` those
    of its dismissals that still hold (DismissedCandidate.objects.matching).
    """
    quote_spans = sorted(quotes)
    dismissed = set(dismissed)
    return [
        (number, candidate)
        for number, candidate in enumerate(candidates)
        if (span := (candidate["start"], candidate["end"])) not in dismissed
        and not any(mostly_shared(span, quote) for quote in quote_spans)
    ]


@functools.cache
def _code_fingerprint() -> str:
    """The extractor's source, hashed once a process: a deployed change of its rules changes every key."""
    digest = hashlib.sha256()
    for path in sorted(Path(extract_article.__code__.co_filename).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def _model_fingerprint(model) -> str:
    """The loaded model's file as it was when first used (a process keeps the model it loaded)."""
    if model is None:
        return "rules"
    stat = Path(model.path).stat()
    return hashlib.sha256(json.dumps([str(model.path), stat.st_mtime_ns, stat.st_size]).encode()).hexdigest()[:16]


# --- Accepting candidates, one by one -----------------------------------------------------------------------


def _numbered(candidates) -> list[tuple[int, object]]:
    return list(candidates.items() if isinstance(candidates, Mapping) else enumerate(candidates))


def _accept_each(article: Article, numbered, result: AcceptedCandidates, acting_user) -> dict[int, ValidationError]:
    """Accept each candidate in its own savepoint; the refused ones by number, the others recorded in `result`."""
    refused = {}
    for number, candidate in numbered:
        try:
            # A savepoint each: a refused candidate's speaker goes with it, and the others are still checked.
            with transaction.atomic():
                _accept(article, number, candidate, result, acting_user)
        except ValidationError as error:
            refused[number] = error
        except PermissionDenied as error:
            raise PermissionDenied(f"Candidate {number}{_quoted(candidate)}: {error}") from error
    return refused


def _lines(numbered, refused: Mapping[int, ValidationError]) -> list[str]:
    """One line a reason, "Candidate N (“words…”): field: reason", in the candidates' order."""
    return [
        f"Candidate {number}{_quoted(candidate)}: {reason}"
        for number, candidate in numbered
        if number in refused
        for reason in _reasons(refused[number])
    ]


def _checked(article: Article, candidate) -> tuple[str, int, int, str, str, str]:
    """The candidate's words (the body's own), span, kind, title and via, or why they cannot be recorded."""
    text, start, end, kind = (_read(candidate, name) for name in ("text", "start", "end", "kind"))
    if not isinstance(text, str) or not trim(text):
        raise ValidationError({"text": "A candidate needs its words."})
    if not all(isinstance(offset, int) and not isinstance(offset, bool) for offset in (start, end)):
        raise ValidationError({"start": "A candidate needs its start and end in the article body, as numbers."})
    if not isinstance(kind, str) or kind not in CANDIDATE_KINDS:
        raise ValidationError({"kind": f"A candidate is a direct quote or a reported statement, not “{kind}”."})
    speaker_title, via = (_optional_text(candidate, name) for name in ("speaker_title", "via"))
    # The span must hold the words, exactly as when a quote is recorded by hand.
    text, start, end = anchor(article, text, start=start, end=end)
    return text, start, end, kind, speaker_title, via


def _accept(article: Article, number: int, candidate, result: AcceptedCandidates, acting_user) -> None:
    text, start, end, kind, speaker_title, via = _checked(article, candidate)
    speaker, created = _speaker(candidate, speaker_title, acting_user)
    existing = Quote.objects.filter(article=article, start=start, end=end, speaker=speaker).first()
    if existing is not None:
        result.existing[number] = existing
        return
    result.recorded[number] = record_quote(
        article=article,
        speaker=speaker,
        text=text,
        kind=kind,
        start=start,
        end=end,
        speaker_title=speaker_title,
        via=via,
        acting_user=acting_user,
    )
    if created:
        result.speakers_created.append(speaker)


def _speaker_wanted(candidate) -> Speaker | tuple[str, str]:
    """The speaker the candidate names: one chosen, or a name and kind to find or record; or why there is none."""
    chosen = _read(candidate, "speaker")
    if isinstance(chosen, Speaker):
        return chosen
    name = trim(chosen) if isinstance(chosen, str) else ""
    speaker_kind = _read(candidate, "speaker_kind") or "person"
    kind = _SPEAKER_KINDS.get(speaker_kind) if isinstance(speaker_kind, str) else None
    if not name or kind is None:
        mention = f" (“{name}”)" if name else ""
        raise ValidationError({"speaker": f"The extractor could not tell who said this{mention}; choose the speaker."})
    return name, kind


def _speaker(candidate, speaker_title: str, acting_user) -> tuple[Speaker, bool]:
    """The candidate's speaker on record, and whether it was recorded just now."""
    wanted = _speaker_wanted(candidate)
    if isinstance(wanted, Speaker):
        return wanted, False
    return _speaker_for(*wanted, speaker_title, acting_user)


def _speaker_for(name: str, kind: str, speaker_title: str, acting_user) -> tuple[Speaker, bool]:
    """The speaker called `name` (or with it as an alias), else a new one of `kind`; and whether it is new."""
    named = Speaker.objects.named(name)
    # A speaker of that name before one who is known by it as an alias ("Moscow" the city's government
    # before someone whose alias it is).
    matches = list(named.filter(name__iexact=name)) or list(named)
    if len(matches) > 1:
        matches = [speaker for speaker in matches if speaker.kind == kind] or matches
    if len(matches) == 1:
        return matches[0], False
    if matches:
        ids = ", ".join(str(speaker.pk) for speaker in matches[:10])
        raise ValidationError({"speaker": f"{len(matches)} speakers go by “{name}” (ids {ids}); choose one."})
    description = speaker_title if kind == SpeakerKind.PERSON else ""
    return record_speaker(name=name, kind=kind, description=description, acting_user=acting_user), True


def _read(candidate, name: str):
    return candidate.get(name) if isinstance(candidate, Mapping) else getattr(candidate, name, None)


def _optional_text(candidate, name: str) -> str:
    value = _read(candidate, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({name: "Give this as text."})
    return trim(value)


def _quoted(candidate) -> str:
    text = _read(candidate, "text")
    if not isinstance(text, str) or not trim(text):
        return ""
    text = " ".join(text.split())
    return f" (“{text[:60]}…”)" if len(text) > 60 else f" (“{text}”)"


# How a refused field reads in a message about a candidate.
_FIELD_NAMES = {
    "text": "words",
    "start": "span",
    "end": "span",
    "speaker_title": "speaker's title",
    # A speaker being recorded: its name, kind and description (the title as printed).
    "name": "speaker's name",
    "description": "speaker's title",
}


def _reasons(error: ValidationError) -> list[str]:
    """Each reason in `error`, with the field it is about."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    reasons = []
    for name, errors in error.error_dict.items():
        what = "" if name == "__all__" else f"{_FIELD_NAMES.get(name, name.replace('_', ' '))}: "
        reasons.extend(f"{what}{message}" for message in ValidationError(errors).messages)
    return reasons
