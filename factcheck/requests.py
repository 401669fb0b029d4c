"""Every request gets an id and leaves one log line.

The id is the caller's X-Request-ID when it is a sane token (a proxy's or a client's, so its logs and
ours meet), else a new one. It goes back in the X-Request-ID header and in every error body, and onto
every log record written while the request runs (RequestIdFilter), so a person quoting it from an
error page leads to the request's line and whatever else it logged.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
# Long enough to be unique, short and plain enough that nobody smuggles a log line or markup in it.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
logger = logging.getLogger("factcheck.requests")


def current_request_id() -> str | None:
    """The id of the request being answered; None outside a request (commands, jobs)."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record, "-" outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx on django.request after the middleware has returned, naming the request itself.
        named = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = named or _request_id.get() or "-"
        return True


class RequestLogMiddleware:
    """First in MIDDLEWARE, so redirects and errors from any layer below get the id and the line too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request.request_id)
        started = time.perf_counter()
        try:
            # Django turns a view's exception into the 500 response below us, so this always returns one.
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            self.log(request, response, time.perf_counter() - started)
            return response
        finally:
            _request_id.reset(token)

    def log(self, request, response, seconds: float) -> None:
        from api.throttling import client_address  # not at the top: the API's error bodies import this module

        fields = {
            "method": request.method,
            "path": request.path,
            # Values may be a reader's search words or a cursor; the keys say enough to find the request.
            "query_keys": sorted(request.GET.keys()),
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "user": _who(request),
            # The address the throttle counts: behind trusted proxies, the one they name.
            "client_addr": client_address(request),
        }
        logger.info(
            "%s %s %s %.1f ms %s",
            fields["method"],
            fields["path"],
            fields["status"],
            fields["duration_ms"],
            fields["user"],
            extra=fields,
        )


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return user.get_username()
