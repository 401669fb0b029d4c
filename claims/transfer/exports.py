"""A selection exported as a file: the admin's spreadsheet and ClaimReview actions, in the request or as a job.

One function writes each format, whoever asks: write_export. An admin action
answers a selection of up to EXPORT_IN_REQUEST_ROWS rows with the file itself;
a larger one is an export job (claims.services.jobs.start_export), which keeps
the ids selected and runs the same write_export on a worker, into the file its
page offers. The policy ("export") is asked here, so in the request and again
on the worker, as the starter is then.

What a row shows is read when the file is written: a row deleted since, or no
longer visible to the exporter, or (for ClaimReview) no longer published, is
left out.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from claims import reads
from claims.claimreview import write_feed
from claims.models import Claim, Quote
from claims.policy import require
from claims.transfer.runs import Progress
from claims.transfer.spreadsheets import CHUNK, write_claims_csv, write_quotes_csv


def _claimreview_feed(claims: QuerySet, handle: TextIO, *, user, base_url: str, ids=None, progress=None) -> int:
    chosen = claims.iterator(chunk_size=CHUNK) if ids is None else reads.each_of(claims, ids, progress=progress)
    return write_feed(chosen, handle, base_url=base_url)


@dataclass(frozen=True)
class ExportFormat:
    """What an export gives: rows of `model` (of those `exportable` gives), written by `write` as a file of this
    type and name. `write(rows, handle, user=, base_url=, ids=, progress=)` returns how many it wrote."""

    model: type[models.Model]
    label: str  # what the rows are, for a person: "claims as CSV"
    content_type: str
    stem: str  # the file is named stem-<UTC time>.extension
    extension: str
    write: Callable[..., int]
    exportable: Callable[[], QuerySet]


def _all_of(model: type[models.Model]) -> Callable[[], QuerySet]:
    return lambda: model._default_manager.all()


FORMATS = {
    "claims_csv": ExportFormat(
        Claim, "claims as CSV", "text/csv; charset=utf-8", "claims", "csv", write_claims_csv, _all_of(Claim)
    ),
    "quotes_csv": ExportFormat(
        Quote, "quotes as CSV", "text/csv; charset=utf-8", "quotes", "csv", write_quotes_csv, _all_of(Quote)
    ),
    # This newsroom's published verdicts only: another fact-checker's review is theirs to publish.
    "claimreview": ExportFormat(
        Claim,
        "published claims as ClaimReview JSON-LD",
        "application/ld+json",
        "claimreviews",
        "jsonld",
        _claimreview_feed,
        reads.reviewable_claims,
    ),
}


def in_request(rows: int) -> bool:
    """Whether an export of this many rows is written while the request waits (else it is a job)."""
    return rows <= settings.EXPORT_IN_REQUEST_ROWS


def exportable(export: str) -> QuerySet:
    """Every row the format can export, before the exporter's visibility: ClaimReview's are reviewable claims."""
    return FORMATS[export].exportable()


def file_name(export: str, when: datetime | None = None) -> str:
    """`stem-YYYYmmdd-HHMMSS.extension`, in UTC, at `when` (the selection's time) or now."""
    chosen = FORMATS[export]
    return f"{chosen.stem}-{(when or timezone.now()).astimezone(UTC):%Y%m%d-%H%M%S}.{chosen.extension}"


def write_export(
    export: str,
    handle: TextIO,
    *,
    acting_user,
    base_url: str,
    rows: QuerySet | None = None,
    ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> int:
    """The rows of `rows` (or those of `ids`, in their order) as the `export` format on `handle`; how many.

    `base_url` ("https://facts.example.org") makes the file's links absolute. Only what `acting_user` may
    see is written; PermissionDenied unless they may export.
    """
    require(acting_user, "export")
    if export not in FORMATS:
        raise ValueError(f"No export format {export!r}; there are {', '.join(FORMATS)}.")
    chosen = exportable(export) if rows is None else rows
    return FORMATS[export].write(chosen, handle, user=acting_user, base_url=base_url, ids=ids, progress=progress)
