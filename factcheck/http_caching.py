"""Cache-Control on every answer a view gave without one, so a reverse proxy knows what it may keep.

What an anonymous reader is shown is the same for every anonymous reader, so a proxy may keep it
(`public`), asking again each time (`no-cache`, answered by a 304 while the ETag holds) unless
PUBLIC_MAX_AGE lets it serve a copy that many seconds old. What a signed-in reader is shown is
theirs alone (`private`). Answers vary by Cookie and Authorization, which say who reads.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


class CacheControlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.has_header("Cache-Control"):
            return response  # writes, and answers that said already (the admin's never_cache, /healthz)
        patch_vary_headers(response, ("Cookie", "Authorization"))
        user = getattr(request, "user", None)
        if response.status_code == 200 and not response.cookies and user is not None and not user.is_authenticated:
            if settings.PUBLIC_MAX_AGE:
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
            else:
                patch_cache_control(response, public=True, no_cache=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
