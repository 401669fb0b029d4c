"""A database that cannot be reached is a quick 503 with Retry-After, not a 500, and the next request tries again.

PostgreSQL restarting, a connection killed, a network cut: the view's query raises OperationalError or
InterfaceError. The answer is the project's error shape (JSON under /api/, the plain page elsewhere) with
code `database_unavailable`. The connection that broke is closed when the request ends (Django's own
request_finished handling) and CONN_HEALTH_CHECKS replaces one that died between requests, so the same
processes serve again as soon as the database answers, without a restart.
"""

import logging
import threading
import time

from django.db import InterfaceError, OperationalError

from factcheck.error_pages import answer

RETRY_AFTER_SECONDS = 5
# An outage fails every request: one line per this many seconds per process says it, not one per request.
LOG_EVERY_SECONDS = 30

logger = logging.getLogger("factcheck.database")


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.lock = threading.Lock()
        self.logged_at = None  # time.monotonic() of the last line
        self.unlogged = 0  # 503s answered since that line

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        self.log(exception)
        response = answer(request, 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        # Logged above, at most once per LOG_EVERY_SECONDS; django.request would log it again per request.
        response._has_been_logged = True
        return response

    def log(self, exception: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            if self.logged_at is not None and now - self.logged_at < LOG_EVERY_SECONDS:
                self.unlogged += 1
                return
            since, self.logged_at, self.unlogged = self.unlogged, now, 0
        reason = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
        logger.error("database not reachable, answering 503: %s (%d more 503s since the last line)", reason, since)
