"""One JSON shape for every API error:

    {"error": {"status": 400, "code": "invalid", "message": "...", "request_id": "...", "fields": {"text": ["..."]}}}

`fields` appears only for validation errors. Django's own ValidationError and
PermissionDenied (raised by claims.services) map to 400 and 403 here, so views
never translate them by hand.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from factcheck.requests import current_request_id


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class PreconditionRequired(exceptions.APIException):
    """A change sent without the version it changes, which could silently undo someone else's."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"

    def __init__(self, url: str):
        super().__init__(
            f"Say which version you are changing: GET {url}, then send its ETag header back as If-Match "
            "(If-Match: * names no version, so it is not enough)."
        )


class PreconditionFailed(exceptions.APIException):
    """A change to a version that is no longer the current one; the answer's ETag header is the current one."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, current_etag: str):
        self.current_etag = current_etag
        super().__init__(
            f"This record changed since you fetched it: its ETag is now {current_etag}, not the one in If-Match. "
            "GET it again, reapply your change to what it says now, and send that ETag."
        )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


class ErrorDetailSerializer(serializers.Serializer):
    """What went wrong: the HTTP status again, a machine-readable code, a sentence for people."""

    status = serializers.IntegerField(help_text="The response's HTTP status.")
    code = serializers.CharField(help_text="invalid, not_found, permission_denied, precondition_failed, ...")
    message = serializers.CharField(help_text="What went wrong and, where it helps, what to do.")
    request_id = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="The request's id, also in its X-Request-ID header: quote it when reporting the error.",
    )
    fields = serializers.DictField(
        required=False,
        help_text="Validation errors only: for each field or query parameter, a list of messages "
        "(an object of them for nested input).",
    )


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error the API answers (4xx and 5xx)."""

    error = ErrorDetailSerializer()


def error_body(status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    error = {"status": status_code, "code": code, "message": message, "request_id": current_request_id()}
    if fields:
        error["fields"] = fields
    return {"error": error}


# Validation codes that mean "this already exists": answered 409, not 400.
DUPLICATE_CODES = {"unique", "unique_together", "duplicate"}


def _is_duplicate(exc: DjangoValidationError) -> bool:
    errors = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    codes = {error.code for error_list in errors for error in error_list}
    return bool(codes) and codes <= DUPLICATE_CODES


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError) and _is_duplicate(exc):
        response = drf_exception_handler(Conflict(), context)
        fields = as_serializer_error(exc)
        response.data = error_body(409, "conflict", "This would duplicate a record that already exists.", fields)
        return response
    if isinstance(exc, ProtectedError):
        users = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        exc = Conflict(f"This record is still used by {', '.join(users)}; reassign or delete those first.")
    elif isinstance(exc, IntegrityError):
        # Two writers passed validation at once; the database kept the second out.
        exc = Conflict("Another change to the same records was saved first; fetch them again and retry.")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        # DRF makes it a NotFound only inside its own handler, so its code would read "error" here.
        exc = exceptions.NotFound(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = error_body(response.status_code, "invalid", "Some of the input is not valid.", fields)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        message = detail.get("detail", str(detail)) if isinstance(detail, dict) else str(detail)
        response.data = error_body(response.status_code, code if isinstance(code, str) else "error", str(message))
    if isinstance(exc, PreconditionFailed):
        response["ETag"] = exc.current_etag
    return response


def not_found(request, exception=None):
    """JSON 404 for any unknown path under /api/."""
    return JsonResponse(error_body(404, "not_found", f"No API endpoint at {request.path}."), status=404)
