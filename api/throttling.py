"""Who a request comes from, and how often they may come: the API's throttles and the sign-in lock-out.

The client's address is REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies stand
in front; then it is the address the outermost trusted proxy saw, read from
the right of X-Forwarded-For. Anything further left was written by the client
and is ignored, so a made-up header neither lifts a limit nor makes a new
counter. The throttles and django-axes both ask client_address().
"""

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


def client_address(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    # Fewer hops than proxies: the request skipped a proxy, so the header says nothing trustworthy.
    if len(hops) < proxies:
        return remote_addr
    return hops[-proxies]


class CountingThrottle(SimpleRateThrottle):
    """DRF's throttle with one counter per client and window, in place of its list of request times.

    DRF keeps the time of every request in a cached list that each request reads and writes whole (up to
    API_USER_RATE entries, in Redis a round trip carrying all of them); a counter is an increment (an add
    opens the window). The window is fixed, from the client's first request in it; refused requests count
    too, so a client that keeps knocking waits out its window. An unreachable cache lets the request through.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        # One round trip while the window lasts; its first request (the counter missing) opens it.
        try:
            count = self.cache.incr(self.key)
        except ValueError:
            count = 1 if self.cache.add(self.key, 1, self.duration) else self._incr_opened()
        return count is None or count <= self.num_requests

    def _incr_opened(self):
        """Another request opened the window between our two calls: count in it."""
        try:
            return self.cache.incr(self.key)
        except ValueError:  # and it has ended already
            return None

    def wait(self):
        ttl = getattr(self.cache, "ttl", None)  # django-redis has it; the in-process cache does not
        remaining = ttl(self.key) if ttl else None
        return remaining if remaining and remaining > 0 else self.duration


class AnonThrottle(CountingThrottle, AnonRateThrottle):
    def get_rate(self):
        return settings.API_ANON_RATE

    def get_ident(self, request):
        return client_address(request)


class UserThrottle(CountingThrottle, UserRateThrottle):
    def get_rate(self):
        return settings.API_USER_RATE

    def get_cache_key(self, request, view):
        # An anonymous request is AnonThrottle's to count, once.
        return super().get_cache_key(request, view) if request.user.is_authenticated else None


def login_locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked sign-in: 429, when to try again, and who can lift the lock sooner."""
    cool_off = get_cool_off(request)
    username = get_client_username(request, credentials) or "this account"
    minutes = max(1, round(cool_off.total_seconds() / 60))
    until = timezone.localtime(timezone.now() + cool_off)
    message = (
        f"Too many failed sign-ins for {username} from your address. Signing in is locked until "
        f"{until:%H:%M %Z} (in {minutes} minute{'s' if minutes != 1 else ''}); every further attempt before "
        "then starts the wait again. An admin can lift the lock sooner (manage.py axes_reset_username)."
    )
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
