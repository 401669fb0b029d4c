"""Cursor pagination for every list: stable and fast at any depth, unlike OFFSET on millions of rows.

A cursor is client input like any other: base64 of o=offset&r=reverse&p=position.
One that decodes but holds a position the ordering field could never have
("p=abc" for an id) is refused here with a 400, before it reaches a query.
"""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 100
# The largest value a bigint column holds: ids run from 1 to this.
MAX_ID = 2**63 - 1
# No ordering value the API sorts by is longer (names are 200, titles 500 characters).
MAX_POSITION_CHARS = 500

BAD_CURSOR = "This cursor is not valid; use the next or previous link from a response."

# A cursor holds the last row's value of the first ordering field, so a row
# without one (an undated quote) would make a link no query can follow. Such
# rows sort as the earliest date there is: last when newest come first.
SORT_KEY = "cursor_sort_key"
EARLIEST = (
    (models.DateTimeField, datetime.datetime.min.replace(tzinfo=datetime.UTC)),
    (models.DateField, datetime.date.min),
)


def page_size_from(raw: str | None, *, default: int, maximum: int = MAX_PAGE_SIZE) -> int:
    """A page size given as a query parameter: ASCII digits from 1 to `maximum` (isdigit() passes "³")."""
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3 and 1 <= int(raw) <= maximum):
        raise exceptions.ValidationError({"page_size": [f"Use a whole number from 1 to {maximum}; got “{raw[:20]}”."]})
    return int(raw)


class CursorPage(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-id"
    # False where every row listed has a value for the first ordering field, so its index serves the sort.
    undated_rows = True

    def get_page_size(self, request):
        return page_size_from(request.query_params.get(self.page_size_query_param), default=self.page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        ordering = super().get_ordering(request, queryset, view)
        first = ordering[0].lstrip("-")
        self.position_field = self._field(first)
        earliest = next(
            (value for kind, value in EARLIEST if isinstance(self.position_field, kind)),
            None,
        )
        if self.undated_rows and earliest is not None and self.position_field.null:
            queryset = queryset.annotate(
                **{SORT_KEY: Coalesce(first, Value(earliest, output_field=self.position_field))}
            )
            self.sort_key_ordering = (ordering[0].replace(first, SORT_KEY), *ordering[1:])
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request, queryset, view):
        return getattr(self, "sort_key_ordering", None) or super().get_ordering(request, queryset, view)

    def _field(self, name: str):
        try:
            return self.model._meta.get_field("id" if name == "pk" else name)
        except FieldDoesNotExist:
            return None

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            # A mangled cursor is the client's mistake, not a missing page.
            raise exceptions.ValidationError({"cursor": [BAD_CURSOR]}) from None
        if cursor is not None and cursor.position is not None:
            self.check_position(cursor.position)
        return cursor

    def check_position(self, position: str) -> None:
        """The position must be a value the first ordering field can hold, or the query would fail."""
        field = getattr(self, "position_field", None)
        if len(position) > MAX_POSITION_CHARS or "\x00" in position:
            raise exceptions.ValidationError({"cursor": [BAD_CURSOR]})
        if field is None:
            return
        try:
            value = field.to_python(position)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise exceptions.ValidationError({"cursor": [BAD_CURSOR]}) from None
        if isinstance(field, models.IntegerField) and not -MAX_ID - 1 <= value <= MAX_ID:
            raise exceptions.ValidationError({"cursor": [BAD_CURSOR]})
        if isinstance(field, models.DateTimeField) and value is not None and value.utcoffset() is not None:
            try:
                value.astimezone(datetime.UTC)
            except OverflowError:
                raise exceptions.ValidationError({"cursor": [BAD_CURSOR]}) from None

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the `next` or `previous` link of the page before, as given.",
                "schema": {"type": "string", "maxLength": 1000},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1–{self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
