"""extract_article: validate the input, clean it, read the metadata, find and attribute statements."""

import re
from bisect import bisect_left
from dataclasses import asdict, dataclass, field

from . import cleaning
from .attribution import ALL, MODES, Attribution, of_cue, wanted
from .grammar import Span, mostly_shared, noun_phrase, sentence_spans, speaker_before, strip_span, word_count
from .lexicon import ALL_CUE_FORMS
from .metadata import Metadata, extract_metadata, header_length
from .quotes import QuoteSpan, direct_quotes, find_quotes
from .reported import (
    Reported,
    evidential_statements,
    is_speaker_label,
    labelled_statements,
    nominal_statements,
    opening_questions,
    poll_statements,
    relay_after,
    reported_statements,
)
from .speakers import SpeakerResolver, parse_speaker
from .tagger import RuleMarks, Tagger

# The model's probabilities run higher than the rules' confidences; scaled, a learned statement ranks below a
# rule's (0.35-0.8) unless the model is sure of it.
LEARNED_CONFIDENCE_SCALE = 0.6
# A learned statement whose labels the model finds less likely than not is left out. It spares the editor the
# weakest suggestions at no cost: five-fold cross-validation on the training split scores floors of 0 to 0.5
# within 0.0003 F1 of each other (0.4 did best on 140 held-out articles, by 0.002).
LEARNED_MIN_CONFIDENCE = 0.4
# Quotes mode asks more of a learned statement: the model's speech is its weakest kind (about half of it matched
# a speech attribution on held-out training articles). On two folds of 140 held-out training articles a floor of
# 0.65 raised quotes-mode F1 by 0.0026 and 0.0036 (0.6: 0.0033 and 0.0025; 0.7: 0.0018 and 0.0032).
LEARNED_MIN_QUOTE_CONFIDENCE = 0.65
# A learned statement of one word ("Trump", "them") is left out: on six-fold cross-validation of the training split
# one in four matched an attribution (32 of 122), where any statement right more than a third of the time adds to F1.
LEARNED_MIN_WORDS = 2
_OPENING_MARKS = "\"“‘'«„"
_CLOSING_MARKS = "\"”’'»“"
# Title Case headlines capitalise their verbs ("Trump Says", "Wants To"): these are read as the cues they are.
_HEADLINE_CUE_RE = re.compile(
    r"(?<=\s)(?:"
    + "|".join(
        sorted((re.escape(form.capitalize()) for form in ALL_CUE_FORMS if " " not in form), key=len, reverse=True)
    )
    + r"|That|To|About|For|On|Of)\b"
)
_HEADLINE_LABEL_RE = re.compile(r"(?P<label>[A-Z][\w.'’&-]*(?:\s+[\w.'’&-]+){0,4}):\s+(?P<rest>\S.*)")
# A long feature is ~50,000 characters; 2,000,000 leaves room for any real paste and bounds the work.
MAX_INPUT_CHARS = 2_000_000
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_HTML_RE = re.compile(r"<\s*(?:html|body|article|div|p|span|head|meta|!doctype)\b", re.IGNORECASE)
# More than this share of control or replacement characters means the input is not text.
_MAX_CONTROL_SHARE = 0.1


class ExtractionInputError(ValueError):
    """The input cannot be read as an article; the message says what to do."""


@dataclass
class Candidate:
    """An attributed statement: text is always body[start:end] (headline[start:end] for a headline's)."""

    text: str
    start: int
    end: int
    kind: str  # "direct" or "indirect"
    speaker: str | None
    speaker_title: str | None
    speaker_kind: str | None  # person, organization, anonymous, pronoun (unresolved)
    speaker_mention: str | None  # the speaker as printed at this statement ("he", "Ryabkov")
    speaker_start: int | None
    speaker_end: int | None
    via: str | None
    via_title: str | None
    cue: str  # the cue words as printed ("said", "according to")
    cue_start: int | None
    cue_end: int | None
    reason: str  # which rule found the statement
    confidence: float
    group: int  # candidates with the same group are parts of one attribution ("A," he said. "B.")
    attribution: str  # an Attribution: speech, belief, plan, finding or action

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Extraction:
    """The clean body, its metadata and candidates, and the way back to the input.

    For text input `source` is the input itself. For HTML it is the main text trafilatura extracted:
    offsets are not mapped into the markup, whose tags and entities have no place in a quote's span.
    """

    body: str
    metadata: Metadata
    candidates: list[Candidate]
    offset_map: list[int] = field(repr=False)  # offset_map[i]: index in `source` of body[i]; one extra at the end
    source: str = field(repr=False)  # the text the offsets map into: the input text, or trafilatura's text of HTML
    input_kind: str = "text"
    # Statements in the headline ("Lynch: No outside influence on FBI probe"): offsets into metadata.headline.
    headline_candidates: list[Candidate] = field(default_factory=list)
    headline_map: list[int] = field(default_factory=list, repr=False)  # as offset_map, for the headline

    def to_input_span(self, start: int, end: int, in_headline: bool = False) -> Span:
        """Body (or headline) span -> span of the same characters in the source (whitespace normalised between)."""
        offsets = self.headline_map if in_headline else self.offset_map
        if start >= end:
            position = offsets[start] if start < len(offsets) else len(self.source)
            return position, position
        return offsets[start], offsets[end - 1] + 1

    def to_dict(self) -> dict:
        return {
            "body": self.body,
            "metadata": self.metadata.to_dict(),
            "input_kind": self.input_kind,
            "candidates": [candidate.to_dict() for candidate in self.candidates],
            "headline_candidates": [candidate.to_dict() for candidate in self.headline_candidates],
        }


def validate(text: str | None, html: str | None) -> tuple[str, str]:
    if (text is None) == (html is None):
        raise ExtractionInputError("Give the article either as text or as html, exactly one of the two.")
    raw = text if text is not None else html
    kind = "text" if text is not None else "html"
    if not isinstance(raw, str):
        raise ExtractionInputError(f"The {kind} must be a string, not {type(raw).__name__}.")
    if len(raw) > MAX_INPUT_CHARS:
        raise ExtractionInputError(
            f"The {kind} is {len(raw):,} characters long; the limit is {MAX_INPUT_CHARS:,}. "
            "Paste a single article, not a whole page archive."
        )
    if "\x00" in raw:
        raise ExtractionInputError(f"The {kind} contains NUL bytes: it looks like a binary file, not an article.")
    if raw and len(_CONTROL_RE.findall(raw)) > _MAX_CONTROL_SHARE * len(raw):
        raise ExtractionInputError(
            f"The {kind} is mostly control characters: it looks like binary data. Paste the article's text."
        )
    return raw, kind


def looks_like_html(raw: str) -> bool:
    return _HTML_RE.search(raw[:5000]) is not None


def extract_article(
    *, text: str | None = None, html: str | None = None, tagger: Tagger | None = None, attributions: str = ALL
) -> Extraction:
    """Candidates (direct quotes and reported statements) with speakers and relays, and the article metadata.

    With a `tagger` (tagger.configured()), statements its model finds and the rules did not are added.
    `attributions`: "all" (every attribution, each candidate saying which kind), or "speech" (quotes only).
    """
    if attributions not in MODES:
        raise ExtractionInputError(
            f"Ask for attributions {' or '.join(repr(mode) for mode in MODES)}, not {attributions!r}."
        )
    raw, kind = validate(text, html)
    html_metadata = None
    source = raw
    if kind == "html":
        source, html_metadata = cleaning.html_to_text(raw)
    cleaned = cleaning.clean_text(source, header_length)
    body = cleaned.body
    metadata = extract_metadata(cleaned.header, body, html_metadata)
    candidates = find_candidates(body, tagger, attributions)
    extraction = Extraction(body, metadata, candidates, cleaned.offsets, source, kind)
    headline = next((p for p in cleaned.header_paragraphs if p.text == metadata.headline), None)
    if headline:
        extraction.headline_candidates = headline_candidates(headline.text, tagger, attributions)
        extraction.headline_map = [*headline.offsets, headline.input_end]
    return extraction


def readable_headline(headline: str) -> str:
    """The headline with its Title Case cue words in lower case, as the rules read verbs: same length."""
    return _HEADLINE_CUE_RE.sub(lambda match: match.group().lower(), headline)


def headline_candidates(headline: str, tagger: Tagger | None = None, attributions: str = ALL) -> list[Candidate]:
    """Statements in a headline, read by the same rules: 'Francois Hollande Says Donald Trump ...' is read with
    its cue words in lower case (same length, so the offsets hold), and every text is sliced from the headline."""
    found = find_candidates(readable_headline(headline), tagger, attributions)
    label = _HEADLINE_LABEL_RE.match(headline)
    if label and is_speaker_label(label.group("label")) and not found:
        # "Lynch: No outside influence on FBI probe": the headline's own way of saying who said it.
        content = strip_span(headline, label.start("rest"), label.end("rest"), ".;")
        colon = label.end("label")
        kind = "direct" if _is_quotation(headline[content[0] : content[1]]) else "indirect"
        reason = "a headline's speaker, then a colon"
        found = _candidates(
            headline,
            [(kind, content, label.span("label"), (colon, colon + 1), None, reason, 0.6, Attribution.SPEECH)],
            SpeakerResolver(headline),
        )
    for candidate in found:
        candidate.text = headline[candidate.start : candidate.end]
        if candidate.cue_start is not None:
            candidate.cue = headline[candidate.cue_start : candidate.cue_end]
        if candidate.speaker_start is not None:
            candidate.speaker_mention = headline[candidate.speaker_start : candidate.speaker_end]
    return found


def find_candidates(body: str, tagger: Tagger | None = None, attributions: str = ALL) -> list[Candidate]:
    """The rules' candidates and the learned layer's, of the kinds of attribution asked for. The learned layer
    reads what every rule found, whatever is asked for: it is trained so."""
    reading = read_by_rules(body)
    candidates = reading.candidates
    if tagger is not None:
        floor = LEARNED_MIN_CONFIDENCE if attributions == ALL else LEARNED_MIN_QUOTE_CONFIDENCE
        candidates = _with_learned(body, reading, tagger, floor)
    return [candidate for candidate in candidates if wanted(candidate.attribution, attributions)]


def _with_learned(body: str, reading: "RuleReading", tagger: Tagger, floor: float) -> list[Candidate]:
    candidates = reading.candidates
    # The learned statements come after the rules': a rule's statement keeps its place.
    learned = [
        (
            kind,
            (start, end),
            _subject_before(body, reading.sentences, statement.cue, start)
            or statement.source
            or (_continued_speaker(body, candidates, start) if statement.cue is None else None),
            statement.cue,
            None,
            "learned from annotated news (CRF model)",
            LEARNED_CONFIDENCE_SCALE * statement.confidence,
            _learned_attribution(body, kind, statement.cue, statement.source),
        )
        for statement in tagger.tag(body, reading.marks())
        for start, end in [statement.content]
        for kind in ["direct" if _is_quotation(body[start:end]) else "indirect"]
        if statement.confidence >= floor and word_count(body[start:end]) >= LEARNED_MIN_WORDS
    ]
    # Each learned statement is its own group: the model does not tell which parts belong together.
    first_group = max((candidate.group for candidate in candidates), default=-1) + 1
    learned_candidates = _candidates(body, learned, reading.resolver, first_group, by_cue=False)
    return sorted(candidates + learned_candidates, key=lambda c: c.start)


def _continued_speaker(body: str, candidates: list[Candidate], start: int) -> Span | None:
    """The speaker of the statement just before a learned one that has neither source nor cue, within one
    paragraph break: such a statement goes on with it ('"They needed it," DeSantis said. "And he ..."'). On two
    folds of 140 held-out training articles, speaker accuracy of all attributions +0.0015 and +0.0018."""
    before = [c for c in candidates if c.end <= start and c.speaker_start is not None]
    if not before:
        return None
    last = max(before, key=lambda c: c.end)
    if body.count("\n\n", last.end, start) > 1:
        return None
    return last.speaker_start, last.speaker_end


def _subject_before(body: str, sentences: list[Span], cue: Span | None, content_start: int) -> Span | None:
    """The rules' subject of a cue the model marked before its statement. The model's own source is the nearest
    run it marked, often none or a word nearby ("... to support Rand Paul until now"): on 140 held-out training
    articles, reading the subject first raised the speaker accuracy of all attributions from 0.860 to 0.865."""
    if cue is None or cue[1] > content_start:
        return None
    sentence_start = sentences[max(0, bisect_left(sentences, (cue[0] + 1,)) - 1)][0]
    return speaker_before(body, sentence_start, cue[0]) if sentence_start <= cue[0] else None


def _learned_attribution(body: str, kind: str, cue: Span | None, source: Span | None) -> Attribution:
    """A learned statement's attribution, from the cue the model marked. With no cue it knows, a quotation is
    speech; anything else is the long tail of actions that no verb list covers ("lobbied to", "tangled with")."""
    speaker = body[source[0] : source[1]] if source else None
    found = of_cue(body[cue[0] : cue[1]], speaker) if cue else None
    return found or (Attribution.SPEECH if kind == "direct" else Attribution.ACTION)


@dataclass
class RuleReading:
    """The rules' candidates, and the sentences and quotations they were read in."""

    sentences: list[Span]
    quoted: list[Span]
    candidates: list[Candidate]
    resolver: SpeakerResolver  # the body's people, for the speakers of statements found after the rules

    def marks(self) -> RuleMarks:
        return RuleMarks.of(self.sentences, self.quoted, self.candidates)


def read_by_rules(body: str) -> RuleReading:
    quotations = find_quotes(body)
    quoted = [(quote.open_at, quote.inner[1]) for quote in quotations]
    sentences = sentence_spans(body, quoted)
    quotes = direct_quotes(body, sentences, quotations)
    used_cues = {quote.cue[0] for quote in quotes if quote.cue}
    reported = (
        reported_statements(body, sentences, quoted, used_cues)
        + labelled_statements(body)
        + opening_questions(body)
        + nominal_statements(body, sentences)
        + poll_statements(body, sentences)
        + evidential_statements(body, sentences)
    )

    raw: list[tuple[str, Span, Span | None, Span | None, Span | None, str, float, Attribution]] = []
    for quote in quotes:
        via = relay_after(body, quote.cue[1], len(body))[0] if quote.cue else None
        # '"...," he said' is speech; '"...," she thinks' a belief, in her own words.
        attribution = (of_cue(body[quote.cue[0] : quote.cue[1]]) if quote.cue else None) or Attribution.SPEECH
        raw.append(
            ("direct", quote.content, quote.speaker, quote.cue, via, quote.reason, quote.confidence, attribution)
        )
    direct_spans = sorted(quote.content for quote in quotes)
    direct_starts = [start for start, _ in direct_spans]
    for index, statement in enumerate(reported):
        # A reported statement mostly inside a direct quote is that quote found again.
        start, end = statement.content
        nearby = direct_spans[max(0, bisect_left(direct_starts, start) - 3) : bisect_left(direct_starts, end)]
        if any(_overlap(statement.content, span) > 0.5 * (end - start) for span in nearby):
            continue
        speaker = _shared_speaker(reported, index)
        attribution = statement.attribution or of_cue(
            body[statement.cue[0] : statement.cue[1]], body[speaker[0] : speaker[1]] if speaker else None
        )
        raw.extend(
            (
                "indirect",
                part,
                speaker,
                statement.cue,
                statement.via,
                statement.reason,
                statement.confidence,
                attribution or Attribution.SPEECH,
            )
            for part in (statement.content, statement.continuation)
            if part
        )
    raw += _continued_quotes(body, sentences, quotations, raw)
    raw.sort(key=lambda item: item[1][0])

    resolver = SpeakerResolver(body)
    return RuleReading(sentences, quoted, _deduplicate(_candidates(body, raw, resolver)), resolver)


def _continued_quotes(body: str, sentences: list[Span], quotations: list[QuoteSpan], raw: list) -> list[tuple]:
    """'Yet Trump is a “change agent,” Cole said. “That’s what people want.”': a quotation that is a sentence of its
    own, right after a reported statement of speech in the same paragraph, goes on with it, and PolNeAR holds the
    two as one attribution (it shares the statement's cue, so its group). On 560 training articles 39 such
    quotations were one attribution with the statement, 11 one of their own; after a belief, plan or action, or in
    the next paragraph, about as many were their own as not, so those are left alone."""
    sentence_starts = [start for start, _ in sentences]
    found: list[tuple] = []
    for quotation in quotations:
        index = bisect_left(sentence_starts, quotation.open_at)
        if quotation.close_at is None or index == len(sentences) or sentence_starts[index] != quotation.open_at:
            continue  # a quotation that does not open its sentence is read with the sentence
        if index == 0 or body[quotation.close_at + quotation.close_length : sentences[index][1]].strip(" .,!?"):
            continue
        if any(_overlap(item[1], quotation.inner) for item in raw):
            continue  # already read
        before = [item for item in raw + found if item[1][1] <= quotation.open_at]
        if not before:
            continue
        last = max(before, key=lambda item: item[1][1])
        kind, (start, end), speaker, cue, via, _, _, attribution = last
        if (
            (kind == "direct" and last not in found)
            or attribution != Attribution.SPEECH
            or speaker is None
            or start < sentences[index - 1][0]
            or "\n" in body[end : quotation.open_at]
        ):
            continue
        content = strip_span(body, *quotation.inner)
        reason = "quotation follows a reported statement by the same speaker"
        found.append(("direct", content, speaker, cue, via, reason, 0.7, Attribution.SPEECH))
    return found


def _candidates(
    body: str, raw: list, resolver: SpeakerResolver, first_group: int = 0, by_cue: bool = True
) -> list[Candidate]:
    candidates: list[Candidate] = []
    groups: dict[tuple, int] = {}
    for kind, (start, end), speaker_span, cue, via_span, reason, confidence, attribution in raw:
        # Parts of one statement share their cue ("A," he said. "B."): one group, numbered in order.
        key = ("cue", cue) if cue and by_cue else ("content", start, end)
        group = groups.setdefault(key, first_group + len(groups))
        speaker_span = noun_phrase(body, speaker_span) if speaker_span else None
        speaker = None
        if speaker_span:
            speaker = resolver.resolve(parse_speaker(body[speaker_span[0] : speaker_span[1]]), speaker_span[0])
        via = parse_speaker(body[via_span[0] : via_span[1]]) if via_span else None
        candidates.append(
            Candidate(
                text=body[start:end],
                start=start,
                end=end,
                kind=kind,
                speaker=speaker.name if speaker else None,
                speaker_title=speaker.title if speaker else None,
                speaker_kind=speaker.kind if speaker else None,
                speaker_mention=body[speaker_span[0] : speaker_span[1]] if speaker_span else None,
                speaker_start=speaker_span[0] if speaker_span else None,
                speaker_end=speaker_span[1] if speaker_span else None,
                via=via.name if via else None,
                via_title=via.title if via else None,
                cue=body[cue[0] : cue[1]] if cue else "",
                cue_start=cue[0] if cue else None,
                cue_end=cue[1] if cue else None,
                reason=reason,
                confidence=round(confidence, 2),
                group=group,
                attribution=str(attribution),
            )
        )
    return candidates


def _is_quotation(text: str) -> bool:
    return text[:1] in _OPENING_MARKS and text.rstrip(".,")[-1:] in _CLOSING_MARKS


def _shared_speaker(reported: list[Reported], index: int) -> Span | None:
    statement = reported[index]
    while statement.speaker is None and statement.speaker_from is not None:
        statement = reported[statement.speaker_from]
    return statement.speaker


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _deduplicate(candidates: list[Candidate]) -> list[Candidate]:
    """Of two statements over mostly the same words, keep the more confident."""
    kept: list[Candidate] = []
    for candidate in candidates:
        # Candidates come sorted by start: only the last few kept ones can overlap this one.
        for index in range(len(kept) - 1, max(-1, len(kept) - 6), -1):
            other = kept[index]
            if mostly_shared((candidate.start, candidate.end), (other.start, other.end)):
                if candidate.confidence > other.confidence:
                    kept[index] = candidate
                break
        else:
            kept.append(candidate)
    return kept
