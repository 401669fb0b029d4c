"""Other fact-checkers' schema.org ClaimReview, as they publish it, as claims with their verdicts.

A file is an HTML page (every <script type="application/ld+json"> block in it),
one JSON document (a ClaimReview, a list, an @graph, a DataFeed whose elements
may wrap it in `item`), or JSON Lines (a document a line). Every ClaimReview
node anywhere in it is one record, numbered by the line where its object
starts; other nodes (WebPage, Organization) are passed over.

Markup is taken as fact-checkers write it: @context missing or http, types in
any case or as a list, dates with or without a time, author as a person, an
organisation or a list, itemReviewed missing or a CreativeWork, numbers as
strings. A node is refused, with the reason, only when the claim, its review's
address, the reviewer or the verdict cannot be found in it. Verdicts go onto
the scale by claims.transfer.ratings.
"""

import bisect
import datetime
import email.utils
import html
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.html import strip_tags

from claims.choices import SpeakerKind, TransferKind
from claims.services.reviews import Claimant, ReviewedStatement, import_reviews
from claims.textfiles import BadFile, numbered_lines
from claims.transfer.ratings import rating_from_number, rating_from_words
from claims.transfer.runs import Importer, Line

# Whoever a review names no claimant for (a viral post) is recorded as this speaker.
UNNAMED_CLAIMANT = Claimant("Unnamed claimant", kind=SpeakerKind.ANONYMOUS)
# Dates as fact-checkers write them besides ISO 8601.
DATE_FORMATS = ("%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")
# A JSON string, escapes and all, or an opening brace: the braces outside strings open the objects.
_STRING_OR_BRACE = re.compile(r'"(?:[^"\\]|\\.)*"|\{')
# Old pages hide a script's text from browsers in an HTML comment or a CDATA section.
_HIDDEN = re.compile(r"\A\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*\Z")
# Shown in a refusal: enough of a value to recognise it.
SHOWN_CHARS = 80


class Refused(ValueError):
    """A ClaimReview node that cannot be a verdict; the message says why."""


def read(path: Path, name: str) -> Iterator[Line]:
    """Each ClaimReview in the file as a statement, or the reason it cannot be one."""
    lines = [text for _, text in numbered_lines(path, name)]
    text = "".join(lines)
    start = text.lstrip()
    if not start:
        raise BadFile(name, None, "is empty: there is no ClaimReview in it")
    if start[0] == "<":
        documents = _page_scripts(text, name)
    elif start[0] in "{[":
        documents = _json_documents(text, lines, name)
    else:
        first = text[: len(text) - len(start)].count("\n") + 1
        raise BadFile(name, first, "is neither JSON-LD nor an HTML page (JSON starts with { or [, a page with <)")
    found, other_types = 0, set()
    for document in documents:
        if isinstance(document, Line):
            found += 1
            yield document
            continue
        for node in _claimreview_nodes(document.value, other_types):
            found += 1
            yield _line(node, document.line_of(node), document.raw)
    if not found:
        seen = ", ".join(sorted(other_types)[:5]) or "no typed node at all"
        raise BadFile(name, None, f"holds no ClaimReview (what it holds: {seen})")


IMPORTER = Importer(TransferKind.CLAIMREVIEW, read, import_reviews)


# --- Finding the JSON ---------------------------------------------------------------


@dataclass
class _Document:
    """One parsed JSON value, the line it starts on, and where in its text each of its objects opens."""

    value: object
    first_line: int
    # A JSON Lines line as it was, for the rejects file.
    raw: str = ""
    starts: dict[int, int] = field(default_factory=dict)
    newlines: list[int] = field(default_factory=list)

    def line_of(self, node: dict) -> int:
        if id(node) not in self.starts:
            return self.first_line
        return self.first_line + bisect.bisect_left(self.newlines, self.starts[id(node)])


def _located(text: str, first_line: int) -> _Document:
    """`text` parsed, with where each object starts; raises json.JSONDecodeError or RecursionError (too deep)."""
    value = json.loads(text)
    braces = [match.start() for match in _STRING_OR_BRACE.finditer(text) if text[match.start()] == "{"]
    objects = _objects_in_text_order(value)
    # A key written twice keeps only its last value, so the braces outnumber the objects; their lines are then unknown.
    if len(objects) != len(braces):
        return _Document(value, first_line)
    newlines = [match.start() for match in re.finditer("\n", text)]
    return _Document(
        value, first_line, starts={id(o): at for o, at in zip(objects, braces, strict=True)}, newlines=newlines
    )


def _objects_in_text_order(value) -> list[dict]:
    """Every object in a parsed value, each before what it holds: the order their "{" come in the text."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(reversed(item.values()))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def _json_documents(text: str, lines: list[str], name: str) -> Iterator["_Document | Line"]:
    try:
        yield _located(text, 1)
        return
    except json.JSONDecodeError as error:
        whole = error
    except RecursionError:
        raise BadFile(name, None, "is JSON nested too deeply to read") from None
    first = next((number for number, line in enumerate(lines) if line.strip()), 0)
    if not _is_object(lines[first]):
        raise BadFile(name, whole.lineno, f"is not valid JSON: {whole.msg} (column {whole.colno})")
    # JSON Lines: each line is read alone, and a broken one is that line's fault.
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield _Document(json.loads(line.rstrip("\r\n")), number, raw=line)
        except json.JSONDecodeError as error:
            yield Line(number, line, reason=f"not valid JSON: {error.msg} (column {error.colno})")
        except RecursionError:
            yield Line(number, line, reason="JSON nested too deeply to read")


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


class _ScriptBlocks(HTMLParser):
    """Each <script type="application/ld+json"> block of a page: the line its text starts on, and the text."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks: list[tuple[int, str]] = []
        self._inside = False
        self._parts: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        self._inside = tag == "script" and kind == "application/ld+json"

    def handle_data(self, data):
        if self._inside:
            self._parts.append((self.getpos()[0], data))

    def handle_endtag(self, tag):
        if tag == "script" and self._inside and self._parts:
            self.blocks.append((self._parts[0][0], "".join(data for _, data in self._parts)))
        self._inside, self._parts = False, []


def _page_scripts(text: str, name: str) -> Iterator["_Document | Line"]:
    parser = _ScriptBlocks()
    parser.feed(text)
    parser.close()
    if not parser.blocks:
        raise BadFile(name, None, 'is an HTML page with no <script type="application/ld+json"> block')
    for first_line, block in parser.blocks:
        json_text = _HIDDEN.sub(lambda hidden: re.sub(r"[^\n]", " ", hidden.group()), block)
        if not json_text.strip():
            continue
        try:
            yield _located(json_text, first_line)
        except json.JSONDecodeError as error:
            yield Line(
                first_line + error.lineno - 1,
                " ".join(block.split()),
                reason=f"the ld+json script block is not valid JSON: {error.msg} (column {error.colno})",
            )
        except RecursionError:
            yield Line(first_line, " ".join(block.split()), reason="the ld+json script block is nested too deeply")


def _types(node: dict) -> set[str]:
    """A node's types, lowercased, without a vocabulary's prefix: "schema:ClaimReview" is claimreview."""
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {n.rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1].casefold() for n in names if isinstance(n, str)}


def _claimreview_nodes(value, other_types: set[str]) -> Iterator[dict]:
    """Every ClaimReview in a JSON value, at any depth (@graph, dataFeedElement, item, a list)."""
    if isinstance(value, list):
        for item in value:
            yield from _claimreview_nodes(item, other_types)
    elif isinstance(value, dict):
        types = _types(value)
        if "claimreview" in types:
            yield value
            return
        other_types.update(types)
        for item in value.values():
            yield from _claimreview_nodes(item, other_types)


# --- A ClaimReview node as a statement ----------------------------------------------


def _line(node: dict, number: int, raw: str) -> Line:
    try:
        return Line(number, raw, _statement(node, number))
    except Refused as refused:
        return Line(number, raw or json.dumps(node, ensure_ascii=False), reason=str(refused))


def _statement(node: dict, number: int) -> ReviewedStatement:
    text = _string(node.get("claimReviewed"))
    if not text:
        raise Refused("no claimReviewed: the claim's own words are missing")
    url = _string(node.get("url"))
    if not url:
        raise Refused("no url: the review's own address is missing")
    if not _is_web_address(url):
        raise Refused(f"url “{_shown(url)}” is not a full http(s) address")
    reviewer, reviewer_url = _reviewer(node)
    rating, as_written = _verdict(node.get("reviewRating"))
    item = next(_nodes(node.get("itemReviewed")), {})
    venue = _string(item.get("name"))
    return ReviewedStatement(
        text=text,
        claimant=_claimant(item),
        reviewer=reviewer,
        reviewer_url=reviewer_url,
        line=number,
        rating=rating,
        rating_as_written=as_written,
        summary=_summary(node),
        review_url=url,
        review_headline=_string(node.get("headline")) or _string(node.get("name")) or _string(node.get("title")),
        made_on=_date(item.get("datePublished"), "itemReviewed.datePublished"),
        reviewed_on=_date(node.get("datePublished"), "datePublished"),
        # Where the claim was made ("TV3", "Congreso de los Diputados"), unless the name is the claim again.
        venue=venue if venue.casefold() != text.casefold() else "",
    )


def _nodes(value) -> Iterator[dict]:
    """The objects in a value that may be one object, a list of them, or a bare name."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            yield item
        elif isinstance(item, str) and item.strip():
            yield {"name": item}


def _string(value) -> str:
    """A text value, from a string or the first string of a list; "" for anything else."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    return value.strip() if isinstance(value, str) else ""


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_CHARS else value[: SHOWN_CHARS - 1] + "…"


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _is_person(node: dict) -> bool:
    return "person" in _types(node)


def _reviewer(node: dict) -> tuple[str, str]:
    """The reviewing outlet's name and homepage: an organisation as author, else the publisher, else the person."""
    authors = [a for a in _nodes(node.get("author")) if _string(a.get("name"))]
    people = [a for a in authors if _is_person(a)]
    employers = [e for person in people for key in ("worksFor", "affiliation") for e in _nodes(person.get(key))]
    candidates = [
        *(a for a in authors if not _is_person(a)),
        *_nodes(node.get("publisher")),
        *employers,
        *people,
    ]
    for candidate in candidates:
        if name := _string(candidate.get("name")):
            url = _string(candidate.get("url"))
            return name, url if _is_web_address(url) else ""
    raise Refused("no author or publisher: who reviewed the claim is not said")


def _claimant(item: dict) -> Claimant:
    for author in _nodes(item.get("author")):
        if name := _string(author.get("name")):
            person = _is_person(author) or not _types(author)
            party = next((_string(o.get("name")) for o in _nodes(author.get("affiliation")) if person), "")
            return Claimant(
                name=name,
                kind=SpeakerKind.PERSON if person else SpeakerKind.ORGANIZATION,
                title=_string(author.get("jobTitle")),
                party=party,
            )
    return UNNAMED_CLAIMANT


def _verdict(rating) -> tuple[str, str]:
    """(the scale's rating or "", the verdict in the reviewer's words)."""
    if isinstance(rating, list):
        rating = next(_nodes(rating), None)
    if isinstance(rating, str):
        rating = {"alternateName": rating}
    if not isinstance(rating, dict):
        raise Refused("no reviewRating: the verdict is missing")
    words = _string(rating.get("alternateName")) or _string(rating.get("name"))
    value, best, worst = (rating.get(key) for key in ("ratingValue", "bestRating", "worstRating"))
    on_scale = rating_from_words(words) if words else None
    if on_scale is None:
        on_scale = rating_from_number(value, best, worst)
    if on_scale is None and not words:
        raise Refused(
            f"reviewRating has no alternateName, and its ratingValue {value!r} is not on a scale "
            f"(bestRating {best!r}, worstRating {worst!r}; the best must be above the worst and the value between)"
        )
    return on_scale or "", words


def _summary(node: dict) -> str:
    """The verdict in a sentence: the rating's explanation, else the review's description or subtitle, as text."""
    rating = next(_nodes(node.get("reviewRating")), {})
    for value in (rating.get("ratingExplanation"), node.get("description"), node.get("subtitle")):
        if text := _string(value):
            text = strip_tags(text) if "<" in text else text
            return " ".join((html.unescape(text) if "&" in text else text).split())
    return ""


def _date(value, key: str) -> datetime.date | None:
    """A date as written, whatever time and zone follow it; Refused for one that cannot be read."""
    text = _string(value)
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for format_ in DATE_FORMATS:
        try:
            return datetime.date(*time.strptime(text, format_)[:3])
        except ValueError:
            continue
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError):
        pass
    raise Refused(f"{key} “{_shown(text)}” is not a date (such as 2022-10-06 or 2022-10-06T12:09:05+05:30)")
