"""From a raw paste (or HTML) to the article body, with a map back to the input.

A paste from a news page carries page furniture (language switches, related
stories, share links, cookie notices) and odd whitespace (indentation, U+00A0,
soft hyphens). The body keeps one paragraph per input line, separated by a blank
line, with runs of whitespace collapsed to one space. Every body character
remembers the input index it came from, so a span found in the body can be
shown or stored against the original text.
"""

import re
from dataclasses import dataclass, field

# Characters a reader does not see: dropped, not turned into spaces.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f"
_TOKEN_RE = re.compile(rf"[^\s{_INVISIBLE}]+")
_WHITESPACE_RE = re.compile(r"\s")
# Whitespace other than a space, two spaces, or an invisible character (the line's ends are checked apart).
_NEEDS_NORMALISING_RE = re.compile(rf"[^\S ]|  |[{_INVISIBLE}]")
# The end of a line's last token; and a gap between two tokens that is not a single space.
_LAST_TOKEN_END_RE = re.compile(rf"[^\s{_INVISIBLE}](?=[\s{_INVISIBLE}]*\Z)")
_GAP_TO_NORMALISE_RE = re.compile(rf"[\s{_INVISIBLE}]{{2,}}|[^\S ]|[{_INVISIBLE}]")
_LINE_RE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")

# Words naming a language: a line made only of these is a language switch.
_LANGUAGE_NAMES = {
    "english", "বাংলা", "bangla", "español", "espanol", "français", "francais", "deutsch", "हिन्दी", "हिंदी",
    "اردو", "العربية", "عربي", "русский", "中文", "简体", "繁體", "日本語", "한국어", "português", "italiano",
    "türkçe", "فارسی", "українська", "bahasa", "indonesia", "melayu", "tiếng", "việt", "ไทย", "polski",
    "nederlands", "svenska", "ελληνικά", "עברית", "தமிழ்", "తెలుగు", "മലയാളം", "ಕನ್ನಡ", "मराठी", "ગુજરાતી",
    "ਪੰਜਾਬੀ", "नेपाली", "සිංහල", "kiswahili", "hausa", "|", "/",
}  # fmt: skip

# Eight language names and their separators: a longer line is not a language switch.
_LANGUAGE_SWITCH_MAX_CHARS = 8 * max(map(len, _LANGUAGE_NAMES)) + 7 * len(" | ")

# A heading after which the rest of the page is not the article.
_END_MARKER_RE = re.compile(
    r"(?:related(?:\s+(?:stories|articles|news|content|coverage|posts|topics|links|reading))?|more\s+stories|"
    r"more\s+(?:from|on|in)\s+.{1,40}|read\s+more|opinion|opinions|most\s+(?:read|popular|viewed|shared)|"
    r"trending(?:\s+now)?|you\s+may\s+also\s+like|you\s+might\s+also\s+like|recommended(?:\s+for\s+you)?|"
    r"also\s+read|top\s+stories|latest(?:\s+news)?|editor'?s\s+picks?|more\s+news|comments?|"
    r"share\s+this\s+(?:article|story)|sponsored(?:\s+content)?|advertisement)\s*:?",
    re.IGNORECASE,
)

# One line of furniture: share and follow links, photo credits, "read more" links (at the line's start) ...
_FURNITURE_LINE_RE = re.compile(
    r"""(?:
        (?:share|tweet|email|print|save|follow\s+us|follow)\b.{0,60}$
        |(?:facebook|twitter|whatsapp|linkedin|telegram|x|reddit|copy\s+link)(?:\s|$)
        |(?:photo|image|picture|file\s+photo|video|watch|listen|caption|credit|source)\s*[:|]
        |(?:read|see)\s+(?:more|also|the\s+(?:rest|full\s+story|full\s+article))\b
        |also\s+read\b|advertisement$|\d+\s+min(?:ute)?s?\s+read$|listen\s+to\s+this\s+article
        |copyright\b|click\s+here\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# ... and notices anywhere in it. Every alternative starts with one of the letters in the lookahead, which lets
# the search skip the other positions: about three times faster on short lines.
_FURNITURE_NOTICE_RE = re.compile(
    r"""(?=[cuapsnlr(gebd©])(?:
        \bcookies?\b.{0,60}\b(?:use|uses|using|accept|policy|consent|settings|browser|site|website|experience)\b
        |\b(?:use|uses|accept|policy|consent|settings)\b.{0,40}\bcookies\b|\bsubscri(?:be|ber|ption)\b|\bsign\s+up\b|\bnewsletter\b|\blog\s*in\b|\bregister\b.*\bfree\b
        |\((?:photo|image|file\s+photo)\b[^)]*\)\s*$
        |\b(?:REUTERS|AFP|AP|Getty\s+Images|Shutterstock|EPA|Bloomberg)\s*/\s*[A-Z][\w .'-]*$
        |©|\ball\s+rights\s+reserved\b|\bdownload\s+(?:our|the)\s+app\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Furniture notices are short; a long paragraph that mentions cookies is article text.
_FURNITURE_MAX_CHARS = 240
# Every notice above holds one of these, in any case: a line without them is spared the search (an eighth of
# lines hold one). Under IGNORECASE four other letters match ASCII ones (İ, ı as i; ſ as s; K as k): a line
# with one of them is always searched.
_NOTICE_WORDS = ("cookie", "subscri", "sign", "newsletter", "log", "register", "(", "/", "©", "rights", "download")
_CASELESS_LETTERS = ("İ", "ı", "ſ", "\u212a")


@dataclass
class Paragraph:
    """A normalised input line: its text and, per character, the input index it came from."""

    text: str
    offsets: list[int]
    input_end: int


@dataclass
class Cleaned:
    """The body, the map from body offsets to input offsets, and the lines set aside."""

    body: str
    offsets: list[int]  # offsets[i] is the input index of body[i]; one extra entry for the end
    header: list[str] = field(default_factory=list)
    body_paragraphs: list[Paragraph] = field(default_factory=list)
    header_paragraphs: list[Paragraph] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def normalise_line(raw: str, start: int, end: int) -> Paragraph:
    """Collapse whitespace (NBSP and other spaces too), drop invisible characters, keep the input indices."""
    if end > start and not (raw[start] == " " or raw[end - 1] == " " or _NEEDS_NORMALISING_RE.search(raw, start, end)):
        return Paragraph(raw[start:end], list(range(start, end)), end)  # already clean: the common case
    first = _TOKEN_RE.search(raw, start, end)
    if first is None:
        return Paragraph("", [], start)
    start, end = first.start(), _LAST_TOKEN_END_RE.search(raw, start, end).end()
    # Between the first and the last token, text is copied in runs: only the gaps that are not one space are
    # rewritten (a line with a few NBSPs has a few), not every word of the line.
    parts: list[str] = []
    offsets: list[int] = []
    for gap in _GAP_TO_NORMALISE_RE.finditer(raw, start, end):
        parts.append(raw[start : gap.start()])
        offsets.extend(range(start, gap.start()))
        whitespace = _WHITESPACE_RE.search(raw, gap.start(), gap.end())
        # Tokens split only by a soft hyphen or zero-width space are one word.
        if whitespace:
            parts.append(" ")
            offsets.append(whitespace.start())
        start = gap.end()
    parts.append(raw[start:end])
    offsets.extend(range(start, end))
    return Paragraph("".join(parts), offsets, end)


def split_paragraphs(raw: str) -> list[Paragraph]:
    """One paragraph per non-blank input line; a hard-wrapped line continuing in lower case is joined."""
    paragraphs: list[Paragraph] = []
    previous_line_end = -2
    for match in _LINE_RE.finditer(raw):
        line = normalise_line(raw, match.start(), match.end())
        if not line.text:
            continue
        directly_follows = raw.count("\n", previous_line_end, match.start()) <= 1 and previous_line_end >= 0
        if (
            paragraphs
            and directly_follows
            and line.text[0].islower()
            and not paragraphs[-1].text.endswith((".", "!", "?", ":", '"', "”", "’", ")"))
        ):
            last = paragraphs[-1]
            last.offsets.append(last.input_end)
            last.offsets.extend(line.offsets)
            last.text = f"{last.text} {line.text}"
            last.input_end = line.input_end
        else:
            paragraphs.append(line)
        previous_line_end = match.end()
    return paragraphs


def is_language_switch(text: str) -> bool:
    if len(text) > _LANGUAGE_SWITCH_MAX_CHARS:
        return False  # most lines: no need to split them into words
    words = text.lower().replace("|", " | ").split()
    return bool(words) and len(words) <= 8 and all(word in _LANGUAGE_NAMES for word in words)


def is_end_marker(text: str) -> bool:
    return _END_MARKER_RE.fullmatch(text) is not None


def is_furniture(text: str) -> bool:
    return len(text) <= _FURNITURE_MAX_CHARS and bool(
        _FURNITURE_LINE_RE.match(text) or (_may_hold_notice(text) and _FURNITURE_NOTICE_RE.search(text))
    )


def _may_hold_notice(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _NOTICE_WORDS) or any(letter in text for letter in _CASELESS_LETTERS)


def remove_furniture(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[str]]:
    """Drop furniture lines, and everything after a 'RELATED STORIES'-style heading once the article began."""
    kept: list[Paragraph] = []
    removed: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if is_end_marker(text) and any(len(p.text) > 80 for p in kept):
            removed.extend(p.text for p in paragraphs[index:])
            break
        if is_language_switch(text) or is_end_marker(text) or is_furniture(text):
            removed.append(text)
        else:
            kept.append(paragraph)
    return kept, removed


def assemble(paragraphs: list[Paragraph]) -> tuple[str, list[int]]:
    """Join paragraphs with a blank line; the separator maps to the end of the paragraph before it."""
    texts: list[str] = []
    offsets: list[int] = []
    for index, paragraph in enumerate(paragraphs):
        if index:
            texts.append("\n\n")
            previous_end = paragraphs[index - 1].input_end
            offsets.extend((previous_end, previous_end))
        texts.append(paragraph.text)
        offsets.extend(paragraph.offsets)
    offsets.append(paragraphs[-1].input_end if paragraphs else 0)
    return "".join(texts), offsets


def clean_text(raw: str, split_header) -> Cleaned:
    """Clean a plain-text paste. `split_header` decides which leading paragraphs are headline/byline/dates."""
    paragraphs, removed = remove_furniture(split_paragraphs(raw))
    header_count = split_header([p.text for p in paragraphs])
    header = [p.text for p in paragraphs[:header_count]]
    body_paragraphs = paragraphs[header_count:]
    body, offsets = assemble(body_paragraphs)
    return Cleaned(body, offsets, header, body_paragraphs, paragraphs[:header_count], removed)


def html_to_text(html: str) -> tuple[str, dict[str, str | None]]:
    """Main text and metadata of an HTML page, by trafilatura (boilerplate removal is its job)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    if document is None:
        return "", {}
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    metadata = {key: fields.get(key) for key in ("title", "author", "date", "description", "sitename", "language")}
    return fields.get("text") or "", metadata
