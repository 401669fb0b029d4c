"""Article metadata from the lines above the body: headline, standfirst, byline, agency, dates, language.

Dates are returned as ISO strings ("2023-08-26T05:32") in the time printed on the
page, with the printed zone kept apart ("IST"): the page rarely says enough to
convert safely, so no conversion is guessed here.
"""

import re
from collections import Counter
from dataclasses import asdict, dataclass

from .lexicon import NEWS_AGENCIES

_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501
_TIME = r"(?:\s*(?:,|/|\||at|-|–)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
_ZONE = r"(?:\s*(?P<zone>[A-Z]{2,5}|GMT[+-]\d{1,2}(?::?\d{2})?|UTC[+-]\d{1,2}(?::?\d{2})?))?"
_DATE_PATTERNS = [
    # 26 August 2023, 05:32 AM
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}}){_TIME}{_ZONE}"),
    # February 24, 2014 / 10:44 PM
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME}{_ZONE}"),
    # 2023-08-26T05:32 or 2023-08-26 05:32
    re.compile(r"(?P<year>\d{4})-(?P<nmonth>\d{1,2})-(?P<day>\d{1,2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?"),
    # 09-12-2021 16:04 IST (day first, as the sites that print it do)
    re.compile(rf"(?P<day>\d{{1,2}})[-/.](?P<nmonth>\d{{1,2}})[-/.](?P<year>\d{{4}}){_TIME}{_ZONE}"),
]
_PUBLISHED_RE = re.compile(r"^(?:first\s+)?(?:published|posted|released|date)\b\s*(?:on|at)?\s*:?\s*", re.IGNORECASE)
_UPDATED_RE = re.compile(r"^(?:last\s+)?(?:updated|modified|edited)\b\s*(?:on|at)?\s*:?\s*", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^(?:by|written\s+by|reporting\s+by|story\s+by)\s*:?\s+(?P<name>.+)$", re.IGNORECASE)
_AGENCY_ALTERNATION = "|".join(re.escape(name) for name in sorted(NEWS_AGENCIES, key=len, reverse=True))
_AGENCY_LINE_RE = re.compile(rf"^\(?(?P<agency>{_AGENCY_ALTERNATION})\)?\.?$")
_AGENCY_IN_BYLINE_RE = re.compile(rf"[,|/]\s*(?P<agency>{_AGENCY_ALTERNATION})\s*$")
# "LIMA (Reuters) -", "WASHINGTON —", "NEW DELHI, Aug 26 (Reuters) -", "(AP) —", "DES MOINES, Iowa —",
# "CAMBRIDGE, Mass., Dec. 11 (UPI) —", "RENO, Nev. (CNN) —": the place, a state and a date, then the agency, if any;
# an agency in brackets that is not a known one is part of the dateline but credits no one.
DATELINE_RE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’ -]{{1,40}}?(?:,\s*[A-Z][A-Za-z.]+(?:\s+\d{{1,2}})?){{0,2}})?\s*"
    rf"(?:\((?:(?P<agency>{_AGENCY_ALTERNATION})|[A-Za-z .]{{1,30}})\))?\s*[-—–]{{1,2}}\s"
)
_HEADER_SCAN_LINES = 12

_STOPWORDS = {
    "en": "the and of to in is that for it was on with as by said he his from at",
    "es": "el la de que y en los del se las por un una con para es",
    "fr": "le la les de des et est que une dans pour qui sur au du",
    "de": "der die das und ist nicht den mit sich des auf für ein eine dem",
    "pt": "o a os as de que e do da em um uma para com não dos",
    "it": "il la di che e un una per non con del della sono gli le",
    "nl": "de het een en van is dat niet op te zijn met voor",
}
_STOPWORD_SETS = {language: set(words.split()) for language, words in _STOPWORDS.items()}
_SCRIPTS = [
    ("bn", re.compile(r"[\u0980-\u09ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("ta", re.compile(r"[\u0b80-\u0bff]")),
]
_LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ASCII_RE = re.compile(r"[\x00-\x7f]+")
_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass
class Metadata:
    headline: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    credited_to: str | None = None
    dateline: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    timezone: str | None = None
    language: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def parse_date(text: str) -> tuple[str, str | None] | None:
    """The first date in `text` as (ISO string, printed zone), or None."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        month = int(parts["nmonth"]) if parts.get("nmonth") else _MONTHS[parts["month"].lower()[:3]]
        year, day = int(parts["year"]), int(parts["day"])
        if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100):
            continue
        iso = f"{year:04d}-{month:02d}-{day:02d}"
        if parts.get("hour"):
            hour, minute = int(parts["hour"]), int(parts["minute"])
            ampm = (parts.get("ampm") or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            if hour < 24 and minute < 60:
                iso += f"T{hour:02d}:{minute:02d}"
        zone = parts.get("zone")
        return iso, zone if zone and zone not in {"AM", "PM"} else None
    return None


def _is_date_line(line: str) -> bool:
    return len(line) < 60 and parse_date(line) is not None  # the length first: a paragraph is searched for no date


def _is_header_marker(line: str) -> bool:
    return bool(
        _PUBLISHED_RE.match(line)
        or _UPDATED_RE.match(line)
        or _BYLINE_RE.match(line)
        or _AGENCY_LINE_RE.match(line)
        or _is_date_line(line)
    )


def _looks_like_headline(line: str) -> bool:
    """Short, and either without a closing full stop or in Title Case (every longer word capitalised)."""
    words = _WORD_RE.findall(line)
    if not words or len(words) > 30 or DATELINE_RE.match(line) or line.rstrip().endswith((":", ",", ";")):
        return False  # a line introducing what follows is body text
    if not line.rstrip().endswith((".", "!", "?", '"', "”", "’")):
        return True
    long_words = [word for word in words if len(word) > 3]
    capitalised = sum(word[0].isupper() for word in long_words)
    return bool(long_words) and capitalised == len(long_words)


def header_length(lines: list[str]) -> int:
    """How many leading lines are the header (headline, standfirst, credits, dates), not the body."""
    scan = lines[:_HEADER_SCAN_LINES]
    markers = [index for index, line in enumerate(scan) if _is_header_marker(line)]
    if markers:
        return markers[-1] + 1
    if len(lines) >= 2 and _looks_like_headline(lines[0]):
        return 1
    return 0


def detect_language(text: str) -> str | None:
    """A rough language code: by script, then by common words among Latin-script languages."""
    sample = text[:2000]  # a few paragraphs decide it; the whole article only costs time
    if not sample.strip():
        return None
    # Every script but Latin lies outside ASCII: counted among the few characters that do, the sample is read
    # once rather than once a script.
    beyond_ascii = _ASCII_RE.sub("", sample)
    latin = len(sample.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))
    latin += len(_LATIN_LETTER_RE.findall(beyond_ascii))
    count, code = max((len(pattern.findall(beyond_ascii)), code) for code, pattern in _SCRIPTS)
    if count > latin:
        # Kana decides Japanese even when Han characters outnumber it.
        return "ja" if code == "zh" and _SCRIPTS[6][1].search(beyond_ascii) else code
    counts = Counter(_WORD_RE.findall(sample.lower()))
    scores = {language: sum(counts[word] for word in stopwords) for language, stopwords in _STOPWORD_SETS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] else None


def extract_metadata(header: list[str], body: str, html_metadata: dict | None = None) -> Metadata:
    metadata = Metadata()
    rest: list[str] = []
    for line in header:
        if match := _UPDATED_RE.match(line):
            if date := parse_date(line[match.end() :]):
                metadata.updated_at, zone = date
                metadata.timezone = metadata.timezone or zone
        elif match := _PUBLISHED_RE.match(line):
            if date := parse_date(line[match.end() :]):
                metadata.published_at, zone = date
                metadata.timezone = metadata.timezone or zone
        elif match := _BYLINE_RE.match(line):
            name = match.group("name")
            if agency := _AGENCY_IN_BYLINE_RE.search(name):
                metadata.credited_to = agency.group("agency")
                name = name[: agency.start()]
            metadata.byline = name.strip(" ,|")
        elif match := _AGENCY_LINE_RE.match(line):
            metadata.credited_to = match.group("agency")
        elif _is_date_line(line) and metadata.published_at is None:
            metadata.published_at, metadata.timezone = parse_date(line)
        else:
            rest.append(line)
    if rest:
        metadata.headline = rest[0]
        metadata.standfirst = next((line for line in rest[1:] if len(line.split()) >= 6), None)
    if match := DATELINE_RE.match(body):
        dateline = match.group(0).strip(" -—–:")
        if match.group("place") or match.group("agency"):
            metadata.dateline = dateline
        if match.group("agency"):
            metadata.credited_to = metadata.credited_to or match.group("agency")
    if html_metadata:
        metadata.headline = metadata.headline or html_metadata.get("title")
        metadata.standfirst = metadata.standfirst or html_metadata.get("description")
        metadata.byline = metadata.byline or html_metadata.get("author")
        if not metadata.published_at and html_metadata.get("date"):
            date = parse_date(html_metadata["date"])
            metadata.published_at = date[0] if date else None
    metadata.language = detect_language(body) or (html_metadata or {}).get("language")
    return metadata
