"""/healthz: the process answers. /readyz: what it needs answers too (503 naming what does not)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    problems = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        problems["database"] = f"not reachable: {_first_line(error)}"
    if settings.REDIS_URL:
        problems.update(_redis())
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


def _redis() -> dict[str, str]:
    # The cache ignores Redis errors on purpose, so readiness asks the server itself.
    from django_redis import get_redis_connection
    from redis.exceptions import RedisError

    try:
        get_redis_connection("default").ping()
    except RedisError as error:
        where = urlsplit(settings.REDIS_URL)  # host and port only: the URL may carry a password
        return {"cache": f"Redis at {where.hostname}:{where.port or 6379} not reachable: {_first_line(error)}"}
    return {}


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
