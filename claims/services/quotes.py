"""Quotes: anchoring words to their place in an article, when recorded and when edited alike."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.choices import DatePrecision, QuoteKind
from claims.hygiene import trim
from claims.models import Article, Quote, Speaker
from claims.policy import require
from claims.services.base import assign, check_fields, locked, save

QUOTE_FIELDS = frozenset(
    {"article", "speaker", "text", "kind", "start", "end", "anchored", "speaker_title", "said_on",
     "said_on_precision", "via"}
)  # fmt: skip
# The fields whose change means the quote must be found in its article again.
_PLACEMENT = frozenset({"article", "text", "start", "end", "anchored"})

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


def anchor(
    article: Article, text: str, *, start: int | None = None, end: int | None = None, anchored: bool = True,
    near: int | None = None,
) -> tuple[str, int | None, int | None]:  # fmt: skip
    """The text to store and its span, for words as an editor typed them.

    With start and end, the span must hold the words (whitespace and quote
    marks may differ as typed). With only the words, they are found, nearest
    `near` when given. Either way the stored text is the article's own exact
    characters. Not anchored: the words as given, with no span (heard on air).
    """
    text = trim(text or "")
    if not text:
        raise ValidationError({"text": "A quote needs its words."})
    if not anchored:
        return text, None, None
    body = article.body
    if (start is None) != (end is None):
        raise ValidationError({"end" if end is None else "start": "Give both ends of the span, or neither."})
    if start is None:
        span = find_span(body, text, near=near)
        if span is None:
            raise ValidationError(
                {
                    "text": f"These words are not in the article “{article.headline[:80]}”. Check them against "
                    "the article text, or record the quote as not anchored."
                }
            )
        start, end = span
    elif not (0 <= start < end <= len(body)):
        raise ValidationError({"end": f"The span {start}–{end} lies outside the article body (0–{len(body)})."})
    elif body[start:end] != text and find_span(body[start:end], text) != (0, end - start):
        raise ValidationError(
            {"text": f"The article at {start}–{end} reads “{body[start:end][:120]}”, not the text given."}
        )
    return body[start:end], start, end


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
    acting_user,
) -> Quote:
    """Record a quote, anchored to its place in the article body (see anchor())."""
    text, start, end = anchor(article, text, start=start, end=end, anchored=anchored)
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
    require(acting_user, "add", quote)
    return save(quote, acting_user)


@transaction.atomic
def edit_quote(quote: Quote, /, *, acting_user, **changes) -> Quote:
    """Change a quote; new words, span or article are anchored exactly as recording anchors them."""
    check_fields(changes, QUOTE_FIELDS, "quote")
    quote = locked(quote)
    require(acting_user, "change", quote)
    if _PLACEMENT & set(changes):
        article = changes.get("article", quote.article)
        span_given = "start" in changes or "end" in changes
        anchored = changes.pop("anchored", quote.is_anchored or span_given)
        text, start, end = anchor(
            article,
            changes.get("text", quote.text),
            start=changes.get("start", quote.start) if span_given else None,
            end=changes.get("end", quote.end) if span_given else None,
            anchored=anchored,
            near=quote.start if article.pk == quote.article_id else None,
        )
        changes.update(text=text, start=start, end=end)
    assign(quote, changes)
    return save(quote, acting_user, changed=changes)
