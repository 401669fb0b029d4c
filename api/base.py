"""The one base class every resource's viewset stands on.

It applies row visibility (Model.objects.visible_to(user)) and the prefetches
the output serializer needs, refuses unknown query parameters and oversized
bodies, carries ETags and requires If-Match on every change to a row, and
sends every write through claims.services. A resource's viewset only names its parts.
"""

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from rest_framework import exceptions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.errors import PayloadTooLarge, PreconditionFailed, PreconditionRequired
from claims import published, services
from claims.hygiene import check_text

# Query parameters every list understands besides its filters; any endpoint takes ?format=json.
LIST_PARAMS = frozenset({"cursor", "page_size", "ordering"})
ANY_PARAMS = frozenset({"format"})


def etag_for(data) -> str:
    """A strong ETag from the representation itself, so any visible change changes it."""
    encoded = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return '"' + hashlib.sha256(encoded).hexdigest()[:32] + '"'


def published_entry(data, content_type: str = "application/json") -> published.Entry:
    """An answer to keep in the published cache: rendered as the API renders it, with its ETag."""
    return published.Entry(body=JSONRenderer().render(data), content_type=content_type, etag=etag_for(data))


class StrictQueryParamsMixin:
    """A typo in a filter name is a 400, not a silently unfiltered list; so is a value that could spoof a reader.

    Lists take cursor, page_size, ordering and their FilterSet's filters; other
    reads take what `extra_query_params` names (an @action can set it too).
    """

    extra_query_params: frozenset[str] = frozenset()

    def allowed_query_params(self) -> set[str]:
        allowed = set(ANY_PARAMS) | set(self.extra_query_params)
        if getattr(self, "action", None) == "list":
            allowed |= LIST_PARAMS
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
        return allowed

    def check_query_params(self, request) -> None:
        allowed = self.allowed_query_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            takes = ", ".join(sorted(allowed - ANY_PARAMS)) or "none"
            raise exceptions.ValidationError(
                {name: [f"Unknown query parameter; this endpoint takes {takes}."] for name in unknown}
            )
        errors = {}
        for name, values in request.query_params.lists():
            if len(values) > 1:
                errors[name] = [f"Give {name} once; it was given {len(values)} times."]
                continue
            try:
                check_text(values[0])
            except DjangoValidationError as error:
                errors[name] = error.messages
        if errors:
            raise exceptions.ValidationError(errors)


class BodySizeMixin:
    max_body_bytes_setting = "API_MAX_BODY_BYTES"

    def check_body_size(self, request) -> None:
        limit = getattr(settings, self.max_body_bytes_setting)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise exceptions.ParseError("Content-Length is not a number.") from None
        if length > limit:
            raise PayloadTooLarge(f"The request body is {length} bytes; this endpoint takes at most {limit}.")


class EditorialViewSet(StrictQueryParamsMixin, BodySizeMixin, viewsets.ModelViewSet):
    """List, retrieve, create, update and delete one editorial model."""

    input_serializer_class = None
    # Where a row's updatable fields are fewer than those it is created with.
    update_input_serializer_class = None
    detail_serializer_class = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple = ()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # Up to 19 digits (a bigint's width); ids past the largest bigint match no row, so they are 404s too.
    lookup_value_regex = "[1-9][0-9]{0,18}"
    # What ?ordering= takes; a resource names its own.
    ordering_fields = ["id"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_body_size(request)
        if request.method in ("GET", "HEAD"):
            self.check_query_params(request)

    def get_queryset(self):
        return self.with_parts(self.queryset.model.objects.visible_to(self.request.user))

    def get_object(self):
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and transaction.get_connection().in_atomic_block:
            # Lock the row an If-Match is checked against until the write commits, and read it only then:
            # on PostgreSQL a locking query that waited returns the row fresh but its joins and counts as
            # they were before the write it waited for. (OPTIONS asks get_object() with a cloned PUT, outside
            # any transaction.)
            pk = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            list(self.queryset.model.objects.select_for_update().filter(pk=pk).order_by().values_list("pk"))
        return super().get_object()

    def filter_queryset(self, queryset):
        # Filters and ordering choose the rows of a list. One row is found by its id alone: building and
        # validating the list's FilterSet for it cost a sixteenth of an edit.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def with_parts(self, queryset):
        """The annotations, joins and prefetches the output serializer reads."""
        queryset = self.annotate(queryset)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def annotate(self, queryset):
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.detail_serializer_class or self.serializer_class
        return self.serializer_class

    def representation(self, record) -> dict:
        """A row as GET shows it, which is what its ETag is a hash of."""
        serializer_class = self.detail_serializer_class or self.serializer_class
        return serializer_class(record, context=self.get_serializer_context()).data

    # --- reads ---

    def kept(self, build: Callable[[], published.Entry]) -> published.Entry:
        """This read's answer: built now, or from the published cache where a resource keeps its reads there."""
        return build()

    def retrieve(self, request, *args, **kwargs):
        # A row the reader may not see is a 404 raised while building, so nothing is kept for it.
        return self.kept(lambda: published_entry(self.representation(self.get_object()))).response()

    def list(self, request, *args, **kwargs):
        return self.kept(
            lambda: published_entry(super(EditorialViewSet, self).list(request, *args, **kwargs).data)
        ).response()

    # --- writes, all through claims.services ---

    def create_record(self, data: dict):
        raise exceptions.MethodNotAllowed(self.request.method)

    def update_record(self, record, data: dict):
        return services.edit(record, acting_user=self.request.user, **data)

    def represent(self, record, status_code=status.HTTP_200_OK) -> Response:
        """The fresh representation of a written row, as GET shows it, with its new ETag."""
        data = self.representation(self.with_parts(self.queryset.model.objects.all()).get(pk=record.pk))
        return Response(data, status=status_code, headers={"ETag": etag_for(data)})

    def validated_input(self, *, partial: bool = False) -> dict:
        serializer_class = self.input_serializer_class
        if self.action in ("update", "partial_update") and self.update_input_serializer_class is not None:
            serializer_class = self.update_input_serializer_class
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def check_if_match(self, record) -> None:
        """A change must name the version it changes: 428 without If-Match, 412 when that is not the current one.

        `record` is the row get_object() locked, so between this comparison and
        the write no other change can land; of many writers sending one ETag, one wins.
        """
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            raise PreconditionRequired(self.reverse_action("detail", args=[record.pk]))
        current = etag_for(self.representation(record))
        if current not in [tag.strip() for tag in header.split(",")]:
            raise PreconditionFailed(current)

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        record = self.create_record(self.validated_input())
        return self.represent(record, status.HTTP_201_CREATED)

    @transaction.atomic
    def update(self, request, *args, partial=False, **kwargs):
        record = self.get_object()
        self.check_if_match(record)
        record = self.update_record(record, self.validated_input(partial=partial))
        return self.represent(record)

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        self.check_if_match(record)
        services.delete_record(record, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
