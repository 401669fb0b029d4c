"""Claims and quotes as CSV for spreadsheets: what the user may see, one row per record, safe to open in Excel.

Excel reads the UTF-8 byte-order mark as "this is UTF-8"; dates are ISO
(times in UTC); a cell that starts like a formula (= + - @, tab, carriage
return) gets a leading apostrophe, so a spreadsheet shows it as text instead
of running it (OWASP's CSV injection advice). Rows are streamed in chunks,
each chunk read with a fixed number of queries whatever its length; a row's
link is the API's address of the record (its list's address and the id, as
the router makes it: reversing each row's cost a third of the time).
"""

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse

from claims import reads
from claims.choices import DatePrecision
from claims.models import Claim, Topic, sees_unpublished
from claims.transfer.runs import Progress

CHUNK = 2000
BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "

CLAIM_COLUMNS = [
    "id",
    "claim",
    "claimant",
    "status",
    "verdict",
    "verdict as written",
    "verdict summary",
    "reviewed by",
    "review url",
    "made on",
    "published at (UTC)",
    "topics",
    "quotes",
    "evidence",
    "contradictions",
    "link",
]
QUOTE_COLUMNS = [
    "id",
    "quote",
    "speaker",
    "speaker title as printed",
    "kind",
    "said on",
    "via",
    "article headline",
    "outlet",
    "article url",
    "article published at (UTC)",
    "claim ids",
    "link",
]
# What a row reads, and no more: an article's body or a row's timestamps would cost more than the rest.
CLAIM_FIELDS = (
    *("text", "status", "rating", "rating_as_written", "rating_summary", "review_url", "made_on", "published_at"),
    *("claimant__name", "reviewed_by__name"),
)
QUOTE_FIELDS = (
    *("text", "speaker_title", "kind", "said_on", "said_on_precision", "via", "speaker__name"),
    *("article__headline", "article__url", "article__published_at", "article__outlet__name"),
)
# Who did the newsroom's work is internal: only for those who may see unpublished work.
NEWSROOM_CLAIM_COLUMNS = ["reviewer", "recorded by"]
NEWSROOM_QUOTE_COLUMNS = ["recorded by"]


def write_claims_csv(
    claims: QuerySet,
    handle: TextIO,
    *,
    user,
    base_url: str = "",
    ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> int:
    """The claims of `claims` that `user` may see, as CSV on `handle`; how many rows were written.

    `base_url` ("https://facts.example.org") makes each row's link absolute. `ids`: only these, in this
    order (a selection an export job kept), `progress(done, total)` told after each chunk.
    """
    newsroom = sees_unpublished(user)
    rows = (
        claims.visible_to(user)
        .with_counts(user)
        .annotate(quote_count=Count("quotes"))
        .select_related("claimant", "reviewed_by", *(("reviewer", "created_by") if newsroom else ()))
        .only(*CLAIM_FIELDS, *(("reviewer__username", "created_by__username") if newsroom else ()))
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )
    columns = CLAIM_COLUMNS + (NEWSROOM_CLAIM_COLUMNS if newsroom else [])
    this_newsroom = settings.FACTCHECK_PUBLISHER_NAME
    link = base_url + reverse("api:claim-list")

    def row(claim: Claim) -> list:
        cells = [
            claim.pk,
            claim.text,
            claim.claimant.name,
            claim.get_status_display(),
            claim.get_rating_display() if claim.rating else "",
            claim.rating_as_written,
            claim.rating_summary,
            claim.reviewed_by.name if claim.reviewed_by else this_newsroom,
            claim.review_url,
            _date(claim.made_on),
            _time(claim.published_at),
            LIST_SEPARATOR.join(topic.name for topic in claim.topics.all()),
            claim.quote_count,
            claim.evidence_count,
            claim.contradiction_count,
            f"{link}{claim.pk}/",
        ]
        if newsroom:
            cells += [_username(claim.reviewer), _username(claim.created_by)]
        return cells

    return _write(handle, columns, map(row, _each(rows, ids, progress)))


def write_quotes_csv(
    quotes: QuerySet,
    handle: TextIO,
    *,
    user,
    base_url: str = "",
    ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> int:
    """The quotes of `quotes` that `user` may see, as CSV on `handle`, with the ids of the claims they state.

    `ids` and `progress` as for write_claims_csv.
    """
    newsroom = sees_unpublished(user)
    rows = (
        quotes.visible_to(user)
        .select_related("speaker", "article__outlet", *(("created_by",) if newsroom else ()))
        .only(*QUOTE_FIELDS, *(("created_by__username",) if newsroom else ()))
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.visible_to(user).only("pk").order_by("pk"), to_attr="shown")
        )
    )
    columns = QUOTE_COLUMNS + (NEWSROOM_QUOTE_COLUMNS if newsroom else [])
    link = base_url + reverse("api:quote-list")

    def row(quote) -> list:
        cells = [
            quote.pk,
            quote.text,
            quote.speaker.name,
            quote.speaker_title,
            quote.get_kind_display(),
            _date(quote.said_on, quote.said_on_precision),
            quote.via,
            quote.article.headline,
            quote.article.outlet.name,
            quote.article.url,
            _time(quote.article.published_at),
            LIST_SEPARATOR.join(str(claim.pk) for claim in quote.shown),
            f"{link}{quote.pk}/",
        ]
        if newsroom:
            cells.append(_username(quote.created_by))
        return cells

    return _write(handle, columns, map(row, _each(rows, ids, progress)))


def _each(rows: QuerySet, ids: Sequence[int] | None, progress: Progress | None) -> Iterator:
    if ids is None:
        return rows.iterator(chunk_size=CHUNK)
    return reads.each_of(rows, ids, chunk=CHUNK, progress=progress)


def safe_cell(value):
    """The value as a spreadsheet should show it: text that would start a formula is marked as text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write(handle: TextIO, columns: list[str], rows: Iterable[list]) -> int:
    handle.write(BYTE_ORDER_MARK)
    writer = csv.writer(handle)
    writer.writerow(columns)
    written = 0
    for cells in rows:
        writer.writerow([safe_cell(cell) for cell in cells])
        written += 1
    return written


def _date(value: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    # "Said in June 2023" is 2023-06, ISO 8601's reduced precision.
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _time(value: datetime.datetime | None) -> str:
    # A space, not "T", and no offset: Excel reads that as a date and time.
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _username(user) -> str:
    return user.get_username() if user else ""
