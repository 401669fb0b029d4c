"""What a matcher reads in a text: its terms, the names, numbers and date it carries.

A statement found in the wild (a tweet, a pasted sentence) and the claim a
fact-checker wrote down share few words exactly: one says "#AustralianFires"
and "@IlhanMN", the other "Australian fires" and "Ilhan Omar". So hashtags and
handles are split at their capitals, links are dropped, and words are stemmed
(Snowball's English stemmer) with English stop words removed.
"""

import datetime
import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

# Common English function words: they carry no claim.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
    each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me
    more most mustn't my myself no nor not now of off on once only or other ought our ours ourselves out over own
    same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those through to too under
    until up us very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
    which while who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your
    yours yourself yourselves rt via amp""".split()  # noqa: SIM905 (a list a person can read)
)

_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
# A hashtag or handle, split where its case changes: "#AustralianFires" -> "Australian Fires".
_TAG = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|percent|million|billion|trillion))?")
# A run of capitalised words: a name as printed ("Julie Favell", "Joe Biden").
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|de|la|van|von|bin))*\b")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?,?\s+(?P<y2>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SPACES = re.compile(r"\s+")
# A statement to match is a sentence or a paragraph (a tweet, a quote, a claim), not an article.
MAX_TEXT_CHARS = 10_000


@dataclass(frozen=True)
class Analysed:
    """A text as the matcher compares it."""

    terms: tuple[str, ...]
    names: frozenset[str] = field(default_factory=frozenset)
    numbers: frozenset[str] = field(default_factory=frozenset)
    dated: datetime.date | None = None

    @property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        return frozenset(zip(self.terms, self.terms[1:], strict=False))


def problem(text: str) -> str | None:
    """Why `text` cannot be matched, in words for the person who gave it, or None."""
    if not text.strip():
        return "is empty"
    if len(text) > MAX_TEXT_CHARS:
        return f"is {len(text):,} characters long; a statement to match is at most {MAX_TEXT_CHARS:,}"
    if not terms(normalise(text)):
        return "has no words to match on, only links, emoji, numbers or punctuation"
    return None


def normalise(text: str) -> str:
    """NFKC, straight apostrophes, no links, hashtags and handles split into words."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = _LINK.sub(" ", text)
    text = _TAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lowercased word) of every word, stop words included, in `text` as given."""
    return [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _WORD.finditer(text)]


def terms(text: str) -> tuple[str, ...]:
    """The stemmed content words of already normalised text, in order."""
    found = _WORD.findall(text.lower().replace("’", "'"))
    return tuple(stem(word) for word in found if word not in STOP_WORDS and not word.isdigit())


def analyse(text: str, *, dated: datetime.date | None = None) -> Analysed:
    """Terms, names, numbers and the date a text carries (`dated` wins over one found in it)."""
    if not text:
        return Analysed(terms=(), dated=dated)
    clean = normalise(text)
    names = set()
    for match in _NAME.finditer(clean):
        name_terms = terms(match.group())
        # A single capitalised word is often just the start of a sentence; keep it when not a stop word.
        if name_terms:
            names.add(" ".join(name_terms))
            names.update(name_terms)
    # Dates and years say when, not how much; the date feature covers them.
    undated = _YEAR.sub(" ", _DATE.sub(" ", clean))
    numbers = {_number(m.group(1), m.group(2)) for m in _NUMBER.finditer(undated)}
    return Analysed(
        terms=terms(clean),
        names=frozenset(names),
        numbers=frozenset(numbers),
        dated=dated or last_date(clean),
    )


def last_date(text: str) -> datetime.date | None:
    """The last full date written in `text` ("January 14, 2020", "6 March 2021"): a tweet's is its own."""
    found = None
    for match in _DATE.finditer(text):
        month = _MONTHS[(match.group("m1") or match.group("m2")).lower()]
        day = int(match.group("d1") or match.group("d2"))
        year = int(match.group("y1") or match.group("y2"))
        try:
            found = datetime.date(year, month, day)
        except ValueError:
            continue
    return found


def parse_date(value: str | None) -> datetime.date | None:
    """A pool entry's date as fact-checkers write it ("26 May 2015"), or ISO."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return last_date(value)


def _number(digits: str, unit: str | None) -> str:
    value = digits.replace(",", "")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value + ("%" if unit in ("%", "percent") else (unit or "")[:1])


def marked(text: str, stems: set[str]) -> str:
    """`text` escaped for HTML, with each word whose stem is in `stems` in <mark>."""
    out, at = [], 0
    for start, end, word in words(text):
        if word not in STOP_WORDS and stem(word) in stems:
            out += [html.escape(text[at:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
            at = end
    out.append(html.escape(text[at:]))
    return "".join(out)
