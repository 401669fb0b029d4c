"""From extraction into the record: the candidates an editor accepted, recorded as quotes in one go.

The extractor (claims.extraction) only suggests; nothing it finds is on record
until an editor accepts it. Accepting goes through here, so an accepted
candidate is recorded exactly as a typed quote is: its speaker found by name or
alias or recorded anew (record_speaker), the quote anchored at its span of the
article body (record_quote), both under the policy those services ask.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims.choices import QuoteKind, SpeakerKind
from claims.hygiene import trim
from claims.models import Article, Quote, Speaker
from claims.policy import require
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
    ValidationError names each refused candidate by number and why, and
    nothing is saved. PermissionDenied, naming the candidate, when the policy
    refuses a write.
    """
    numbered = list(candidates.items() if isinstance(candidates, Mapping) else enumerate(candidates))
    if not numbered:
        raise ValidationError({"candidates": "Choose at least one candidate to record."})
    require(acting_user, "add", Quote)
    # Locked until commit: two editors accepting the same candidates at once record them once.
    article = Article.objects.select_for_update().get(pk=article.pk)
    result = AcceptedCandidates(article=article)
    refused = []
    for number, candidate in numbered:
        try:
            # A savepoint each: a refused candidate's speaker goes with it, and the others are still checked.
            with transaction.atomic():
                _accept(article, number, candidate, result, acting_user)
        except ValidationError as error:
            refused.extend(f"Candidate {number}{_quoted(candidate)}: {reason}" for reason in _reasons(error))
        except PermissionDenied as error:
            raise PermissionDenied(f"Candidate {number}{_quoted(candidate)}: {error}") from error
    if refused:
        raise ValidationError({"candidates": refused})
    return result


def _accept(article: Article, number: int, candidate, result: AcceptedCandidates, acting_user) -> None:
    text, start, end, kind = (_read(candidate, name) for name in ("text", "start", "end", "kind"))
    if not isinstance(text, str) or not trim(text):
        raise ValidationError({"text": "A candidate needs its words."})
    if not all(isinstance(offset, int) and not isinstance(offset, bool) for offset in (start, end)):
        raise ValidationError({"start": "A candidate needs its start and end in the article body, as numbers."})
    if not isinstance(kind, str) or kind not in CANDIDATE_KINDS:
        raise ValidationError({"kind": f"A candidate is a direct quote or a reported statement, not “{kind}”."})
    speaker_title, via = (_optional_text(candidate, name) for name in ("speaker_title", "via"))
    # The span must hold the words, exactly as when a quote is recorded by hand.
    anchor(article, text, start=start, end=end)
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


def _speaker(candidate, speaker_title: str, acting_user) -> tuple[Speaker, bool]:
    """The candidate's speaker on record, and whether it was recorded just now."""
    chosen = _read(candidate, "speaker")
    if isinstance(chosen, Speaker):
        return chosen, False
    name = trim(chosen) if isinstance(chosen, str) else ""
    speaker_kind = _read(candidate, "speaker_kind") or "person"
    kind = _SPEAKER_KINDS.get(speaker_kind) if isinstance(speaker_kind, str) else None
    if not name or kind is None:
        mention = f" (“{name}”)" if name else ""
        raise ValidationError({"speaker": f"The extractor could not tell who said this{mention}; choose the speaker."})
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
