"""Direct quotes: find quotation-mark spans, then the speaker printed next to them.

Marks: “ ” ‘ ’ « » „ ‚ ‹ › and straight " ' (also '' as a double mark). An
apostrophe inside a word (don't, O’Brien) is not a mark. A quote left open at the
end of a paragraph continues when the next paragraph opens with a mark (the news
convention for quotes over several paragraphs); otherwise it ends there.
A quote becomes a candidate only when a speaker is printed next to it, or when it
follows an attributed quote in the same paragraph ("X," he said. "Y."): that is
what tells a statement from scare quotes or a title in quotation marks.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from .grammar import (
    QUOTE_CUE_RE,
    Span,
    is_speaker_phrase,
    paragraph_spans,
    sentence_end,
    speaker_after,
    speaker_before,
    strip_span,
    word_count,
)
from .lexicon import QUOTE_ONLY_FORMS, SPEECH_FORMS, STANCE_FORMS, TITLE_INTRODUCERS
from .reported import subject_before

_MARK_RE = re.compile(r"''|[\"“”„«»‘’‚‹›']")
_DOUBLE = {'"', "''", "“", "”", "„", "«", "»"}
_OPENERS_AFTER = set("([{—–-/") | {"“", "‘", "„", "«", "‚", "‹", '"', "'"}
_CLOSERS_BEFORE = set(".,;:!?)]}—–-…") | {"”", "’", "»", "›", '"', "'"}
# How far after the quote its speaker may be printed.
_AFTER_WINDOW = 200
_CLAUSE_STOP_RE = re.compile(r"[;\n\"“”«»„]|(?<=\s)'")
# Between the two parts of an interrupted quotation: the closing mark, the attribution, a comma (no sentence end).
_INTERRUPTION_RE = re.compile(r"[,]?[\"”’'\s]+[^.!?;\n\"“”]{1,120},\s*")
_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"”’']*\s")
_CONTINUATION_MARKS = {"“", "„", "«", '"', "''", "‘"}


@dataclass
class QuoteSpan:
    open_at: int  # index of the opening mark
    close_at: int | None  # index of the closing mark; None when the paragraph ended first
    inner: Span
    close_length: int = 1


@dataclass
class DirectQuote:
    content: Span
    speaker: Span | None
    cue: Span | None
    reason: str
    confidence: float


def _is_left_edge(body: str, index: int) -> bool:
    return index == 0 or body[index - 1].isspace() or body[index - 1] in _OPENERS_AFTER


def _is_right_edge(body: str, index: int) -> bool:
    return index >= len(body) or body[index].isspace() or body[index] in _CLOSERS_BEFORE


def find_quotes(body: str) -> list[QuoteSpan]:
    """Top-level quotation spans. Quotes inside quotes are part of the outer quote's text."""
    quotes: list[QuoteSpan] = []
    stack: list[tuple[str, int, int]] = []  # (family, open index, mark length)

    def close(index: int | None, end: int, length: int = 1) -> None:
        _, open_at, open_length = stack.pop()
        if not stack:
            quotes.append(QuoteSpan(open_at, index, (open_at + open_length, end), length))

    def close_all_at_paragraph_end(position: int) -> None:
        end = body.find("\n", position)
        while stack:
            close(None, end if end != -1 else len(body))

    last_index = 0
    for match in _MARK_RE.finditer(body):
        mark, index, after = match.group(), match.start(), match.end()
        if stack and "\n" in body[last_index:index]:
            # The paragraph ended with the quote open: it continues only if the next paragraph opens with a mark.
            opens_next_paragraph = body.count("\n\n", last_index, index) == 1 and body[index - 1] == "\n"
            if len(stack) == 1 and opens_next_paragraph and mark in _CONTINUATION_MARKS:
                last_index = index
                continue
            close_all_at_paragraph_end(last_index)
        last_index = index
        if mark in _DOUBLE:
            double_open = any(family == "double" for family, _, _ in stack)
            if mark == "“" and double_open and body[stack[-1][1]] == "„":
                close(index, index)
            elif mark in {"”", "»"} or (mark in {'"', "''"} and double_open):
                while stack and stack[-1][0] != "double":
                    stack.pop()  # an unclosed single mark inside was an apostrophe
                if stack:
                    close(index, index, len(mark))
            elif mark in {"“", "„", "«"} or not _is_right_edge(body, after):
                stack.append(("double", index, len(mark)))
        else:
            letter_before = index > 0 and body[index - 1].isalnum()
            letter_after = after < len(body) and body[after].isalnum()
            if letter_before and letter_after:
                continue  # an apostrophe inside a word
            single_on_top = bool(stack) and stack[-1][0] == "single"
            if mark in {"’", "'", "›"} and single_on_top and not letter_after:
                close(index, index)
            elif (
                mark in {"‘", "'", "‚", "‹"}
                and _is_left_edge(body, index)
                and not _is_right_edge(body, after)
                and not body[after : after + 1].isdigit()
            ):
                stack.append(("single", index, 1))
    if stack:
        close_all_at_paragraph_end(last_index)
    quotes.sort(key=lambda quote: quote.open_at)
    return quotes


def _cue_is_speech(cue_text: str) -> bool:
    word = cue_text.lower()
    return word in SPEECH_FORMS or word in STANCE_FORMS or word in QUOTE_ONLY_FORMS


def _attribution_after(body: str, quote: QuoteSpan, clause_start: int) -> tuple[Span, Span] | None:
    """'"...," Ryabkov said' or '"...," said Le Pen': (speaker, cue) after the closing mark.

    The quote must open its clause: in 'he had "been friends for some time," he claimed' the statement
    is the whole clause, which the reported-statement rules find.
    """
    if quote.close_at is None or body[clause_start : quote.open_at].strip().rstrip(",:;—–(["):
        return None
    if body[quote.close_at - 1] == "." and body[quote.close_at + quote.close_length :].lstrip()[:1].isupper():
        return None  # '... strong." He noted': a new sentence, not this quote's attribution
    start = quote.close_at + quote.close_length
    window_end = min(len(body), start + _AFTER_WINDOW)
    stop = _CLAUSE_STOP_RE.search(body, start, window_end)
    end = sentence_end(body, start, stop.start() if stop else window_end)
    # A quote must be followed by its speaker directly: '," he said', not '... and later he said'.
    if not body[start:end].strip(" ,—–-"):
        return None
    cue = QUOTE_CUE_RE.search(body, start, end)
    if not cue or not _cue_is_speech(cue.group("verb")):
        return None
    between = body[start : cue.start()]
    if between.strip(" ,—–-"):
        speaker = speaker_before(body, start, cue.start())
        if speaker is None:
            return None
        role = body[start : speaker[0]].strip(" ,—–-")
        # '," another friend, Mariam Emara told CNN': a short role before the name is part of the speaker.
        if not role or (word_count(role) <= 4 and is_speaker_phrase(role)):
            return speaker, cue.span()
        return None
    speaker = speaker_after(body, cue.end(), end)
    return (speaker, cue.span()) if speaker else None


def _attribution_before(body: str, quote: QuoteSpan, clause_start: int) -> tuple[Span, Span] | None:
    """'Ryabkov said: "..."' or 'He added, "..."': (speaker, cue) before the opening mark."""
    intro = body[clause_start : quote.open_at]
    if (
        not intro.strip()
        or not intro.rstrip().endswith((",", ":"))
        and not intro.rstrip().endswith(tuple(SPEECH_FORMS))
    ):
        return None
    cues = [
        cue
        for cue in QUOTE_CUE_RE.finditer(body, clause_start, quote.open_at)
        # 'Rubio said that once the Senate goes on recess, "I ...': a quote-only verb must touch the quote.
        if cue.group("verb") not in QUOTE_ONLY_FORMS or not body[cue.end() : quote.open_at].strip(" ,:")
    ]
    if not cues:
        if intro.rstrip().endswith(":") and body[quote.open_at] in '“"':
            # 'She then addressed the supporters again: "Here is what I regret."': the subject speaks.
            subject = subject_before(body, clause_start, quote.open_at)
            if subject and word_count(intro) <= 12:
                colon = clause_start + len(intro.rstrip()) - 1
                return subject, (colon, colon + 1)
        return None
    cue = cues[-1]
    if cue.group("verb").endswith("ing"):
        if len(cues) == 1:
            return None  # 'calling him "a failed candidate"': left to the reported-statement rules
        cue = cues[-2]  # '... Cruz said, adding: "..."': the speaker is the subject of the first verb
    # Between the cue and the quote only an object or a time may stand ("told reporters on Monday:").
    if word_count(body[cue.end() : quote.open_at]) > 8:
        return None
    speaker = speaker_before(body, clause_start, cue.start())
    if speaker is None and cue.group("verb") in SPEECH_FORMS:
        speaker = subject_before(body, clause_start, cue.start())
    return (speaker, cue.span()) if speaker else None


def _attribution_between(body: str, previous: DirectQuote, position: int) -> bool:
    """Whether another attribution ("Critics say ...") stands between the last quote and here: a cue of a sentence
    of its own after the quote's attribution; "..., adding that" in the same sentence is the same speaker's."""
    after = max(previous.content[1], previous.cue[1] if previous.cue else 0)
    for cue in QUOTE_CUE_RE.finditer(body, after, position):
        if not cue.group("verb").endswith("ing") and _SENTENCE_BREAK_RE.search(body, after, cue.start()):
            return True
    return False


def direct_quotes(body: str, sentences: list[Span], quotations: list[QuoteSpan]) -> list[DirectQuote]:
    """The quotations (find_quotes) that are statements, each with its speaker and cue."""
    found: list[DirectQuote] = []
    sentence_starts = [start for start, _ in sentences]
    paragraph_starts = [start for start, _ in paragraph_spans(body)]
    previous: DirectQuote | None = None
    previous_paragraph = -1
    for quote in quotations:
        content = strip_span(body, *quote.inner)
        text = body[content[0] : content[1]]
        if not text:
            continue
        paragraph = bisect_right(paragraph_starts, quote.open_at)
        sentence = bisect_right(sentence_starts, quote.open_at)
        clause_start = sentence_starts[sentence - 1] if sentence else 0
        clause_start = max(clause_start, previous.content[1] + 1 if previous else 0)
        intro = body[max(0, quote.open_at - 40) : quote.open_at]
        if TITLE_INTRODUCERS.search(intro):
            continue  # 'the film "The Long Road Home"'
        if word_count(text) < 4 and not text.endswith((".", ",", "!", "?")):
            continue  # scare quotes: 'the so-called "peace plan"'
        attribution = _attribution_after(body, quote, clause_start) or _attribution_before(body, quote, clause_start)
        if not attribution and paragraph and quote.open_at == paragraph_starts[paragraph - 1]:
            # 'He told the audience:' closing the paragraph before introduces this quote.
            previous_start = paragraph_starts[paragraph - 2] if paragraph > 1 else 0
            if body[previous_start : quote.open_at].rstrip().endswith(":"):
                last_sentence = sentence_starts[bisect_right(sentence_starts, quote.open_at - 1) - 1]
                attribution = _attribution_before(body, quote, max(previous_start, last_sentence))
        if attribution:
            speaker, cue = attribution
            confidence = 0.95 if quote.close_at is not None else 0.6
            reason = "quotation marks with the speaker and a speech verb next to them"
            if body[cue[0] : cue[1]] == ":":
                confidence, reason = 0.7, "quotation introduced by a colon after its speaker's sentence"
            found.append(previous := DirectQuote(content, speaker, cue, reason, confidence))
            previous_paragraph = paragraph
        elif (
            previous
            and previous.speaker is not None
            and previous.cue
            and previous.content[1] <= previous.cue[0] < quote.open_at
            and _INTERRUPTION_RE.fullmatch(body, previous.content[1], quote.open_at)
        ):
            # '"A," said an Iowa Democrat, "and B."': the attribution interrupts one quotation.
            reason = "quotation resumes after its attribution"
            found.append(previous := DirectQuote(content, previous.speaker, previous.cue, reason, 0.9))
            previous_paragraph = paragraph
        elif (
            previous
            and previous.speaker is not None
            and not body[clause_start : quote.open_at].strip()
            and not _attribution_between(body, previous, quote.open_at)
            and (
                paragraph == previous_paragraph
                or paragraph == previous_paragraph + 1
                and quote.open_at == paragraph_starts[paragraph - 1]
                and previous.content[1] > paragraph_starts[paragraph - 2] - 1
            )
        ):
            # "X," he said. "Y." — a quote that opens a sentence continues the last speaker's quote; so does
            # a quote opening the next paragraph when the last one ended with that speaker's quote, and nobody
            # else was given words in between.
            reason = "quotation follows a quote by the same speaker"
            found.append(previous := DirectQuote(content, previous.speaker, previous.cue, reason, 0.8))
            previous_paragraph = paragraph
    return found
