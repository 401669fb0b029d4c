"""One settings module for every environment, read from environment variables.

Production differs from a laptop only by the values set in its environment
(see the README's Configuration table). A bad value stops start-up with a
message naming the variable.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from factcheck.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

# A fixed key is fine for a laptop; a deployment with DEBUG off must bring its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 (refused below unless DEBUG)
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value when DEBUG is off.")
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "claims.apps.NewsroomAdminConfig",  # django.contrib.admin with the newsroom's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "rules",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    # Background jobs through Django's Tasks API, queued in the database (claims.services.jobs).
    "django_tasks",
    "django_tasks_db",
    "claims",
    "api",
]

MIDDLEWARE = [
    # First, so every answer below it, redirects and errors included, carries the request id and is logged.
    "factcheck.requests.RequestLogMiddleware",
    # A view's query failing because the database is down or its connection broke: a 503, not a 500.
    "factcheck.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 304 Not Modified for a GET whose If-None-Match matches the response's ETag.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Public or private, for a reverse proxy (below ConditionalGetMiddleware, whose 304 keeps the header).
    "factcheck.http_caching.CacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: a page asked for by htmx answers with the fragment it swaps in.
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records request.user as the author of every history row.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it can replace a locked-out sign-in's response with the lock-out answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Each form field in its own block, for the desk's pages (claims/views/base.py).
FORM_RENDERER = "claims.views.base.DeskFormRenderer"

WSGI_APPLICATION = "factcheck.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", str(BASE_DIR / "db.sqlite3"))}

# Unset REDIS_URL means the in-process cache: right for one process, wrong for
# several (throttle counts would be per worker), so deployments set it.
REDIS_URL = env_str("REDIS_URL")


def redis_caches(url: str) -> dict:
    """The cache in Redis. Redis down degrades instead of failing every request: a read is a miss and a
    write is dropped (so throttles let requests through until it is back), each logged; /readyz names it."""
    options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5}
    # CACHE_KEY_PREFIX keeps apart deployments (or test runs) that share one Redis database.
    prefix = env_str("CACHE_KEY_PREFIX")
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "OPTIONS": options, "KEY_PREFIX": prefix}
    # Published answers (claims/published.py): kept PUBLISHED_CACHE_SECONDS, which bounds how long one could
    # outlive a change whose new versions did not reach Redis (down at that moment).
    published = {**redis, "KEY_PREFIX": f"{prefix}published", "TIMEOUT": env_int("PUBLISHED_CACHE_SECONDS", 600)}
    return {"default": redis, "published": published}


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Only a cache every process shares can say when a published answer went stale (claims/published.py).
        "published": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Background jobs (claims.services.jobs): queued as rows of this database, so PostgreSQL's row locks make it a
# queue every worker shares with no other server; `make worker` runs one. Another backend is a change here.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job is its worker's for this long, renewed every few seconds while it works; a worker that stops
# renewing it (killed) loses the job, which runs again.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 60)
# Files jobs write (exports, rejected lines), read back by whoever started the job. Several machines need
# the same place (a shared disk), or another storage backend under STORAGES["jobs"].
JOB_FILES_DIR = env_str("JOB_FILES_DIR", str(BASE_DIR / "var" / "jobs"))
# Fetching an article by its address (claims/fetching.py): how long to wait, and the largest page taken.
FETCH_TIMEOUT_SECONDS = env_int("FETCH_TIMEOUT_SECONDS", 10)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5 * 1024 * 1024)
# Tests only: lets a fetch reach this machine's own addresses (a page served by the test on 127.0.0.1).
# Never in a deployment: it opens the internal network to anyone who can paste an address.
FETCH_ALLOW_PRIVATE = env_bool("FETCH_ALLOW_PRIVATE", default=False)
# An admin export of more rows than this is a job whose file is downloaded from its page; up to it, the file is
# the answer (1,000 claims as CSV: about 0.25 s on a 2-core machine).
EXPORT_IN_REQUEST_ROWS = env_int("EXPORT_IN_REQUEST_ROWS", 1000)
# A paste sent to the API longer than this is extracted by a job (202 and the job): 200,000 characters of
# quote-dense text take about 0.3 s, 700,000 about 2 s (2-core machine, rules alone). The desk takes up to
# DESK_MAX_PASTE_CHARACTERS, the same, so its pastes are extracted while the editor waits.
EXTRACT_IN_REQUEST_CHARACTERS = env_int("EXTRACT_IN_REQUEST_CHARACTERS", 200_000)
DJANGO_REDIS_LOGGER = "factcheck.cache"

# Passwords sign people in; what they may do is claims.policy alone, through
# the rules backend (the role groups carry no permissions).
AUTHENTICATION_BACKENDS = [
    # First: a locked-out account and address is refused before any password is checked.
    "claims.policy.LoginLockout",
    "rules.permissions.ObjectPermissionBackend",
    "claims.policy.PasswordBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Browser packages from npm (package.json; `make setup` runs npm ci), served as static files under vendor/.
STATICFILES_DIRS = [
    ("vendor/chartjs", BASE_DIR / "node_modules/chart.js/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "jobs": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": JOB_FILES_DIR}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The desk's own sign-in page; the admin's login is the same form under the admin's look.
LOGIN_URL = "desk:sign_in"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "desk:home"

# Security headers: on whenever DEBUG is off, so `check --deploy` is clean.
# How many reverse proxies stand in front and append to X-Forwarded-For; 0 means clients connect
# directly, and no forwarded header is believed (api/throttling.py's client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Seconds a reverse proxy may serve an anonymous answer without asking again; 0: it asks every time (a 304).
PUBLIC_MAX_AGE = env_int("PUBLIC_MAX_AGE", 0)
# Only a proxy can say the browser spoke HTTPS; without one a client could claim it.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)

# No inline script anywhere: the admin, the dashboard and the API docs load theirs from files.
# Inline styles are allowed because the admin and Swagger UI ship them; a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        # Redoc searches in a worker it starts from a blob.
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sign-in lock-out (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one account from one address
# lock that pair for LOGIN_LOCKOUT_MINUTES. Counts are rows in the database, so every app process
# sees them, they outlive a Redis outage, and the admin lists them (its Axes section).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "api.throttling.login_locked_out"

# API tokens stop working this many days after they were issued (api/permissions.py); rotate before then.
API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 90)

# The fact-checking organisation named as author of every published ClaimReview.
FACTCHECK_PUBLISHER_NAME = env_str("FACTCHECK_PUBLISHER_NAME", "Newsroom Fact Check")
FACTCHECK_PUBLISHER_URL = env_str("FACTCHECK_PUBLISHER_URL", "")
# Where the site is served (https://facts.example.org); export_claimreview's --base-url when none is given.
FACTCHECK_PUBLIC_URL = env_str("FACTCHECK_PUBLIC_URL", "")

# Request bodies: editorial writes are small; pasted articles for extraction are not.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 256 * 1024)
API_MAX_EXTRACT_BODY_BYTES = env_int("API_MAX_EXTRACT_BODY_BYTES", 4 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_EXTRACT_BODY_BYTES
# The desk's intake page takes a paste of up to this many characters, and says so beside the text box when one
# is longer (a long feature is ~50,000). Well under DATA_UPLOAD_MAX_MEMORY_SIZE: a form posts the text URL-encoded,
# up to 12 bytes a character, with the candidates' fields besides.
DESK_MAX_PASTE_CHARACTERS = env_int("DESK_MAX_PASTE_CHARACTERS", 200_000)
# Under `make serve` (factcheck/asgi.py): views run on this many threads per worker process, each keeping
# its database connection, and one still running after REQUEST_TIMEOUT seconds is answered 503.
WEB_THREADS = env_int("WEB_THREADS", 4)
REQUEST_TIMEOUT = env_int("REQUEST_TIMEOUT", 25)

# Throttle rates (DRF syntax, e.g. "120/minute"); counts are kept in the cache,
# so with several worker processes REDIS_URL must be set for them to add up.
API_ANON_RATE = env_str("API_ANON_RATE", "120/minute")
API_USER_RATE = env_str("API_USER_RATE", "6000/minute")

REST_FRAMEWORK = {
    # Request bodies from the input serializers, every error, anonymous reads (api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "api.schema.NewsroomAutoSchema",
    # Token first, so an anonymous write gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.permissions.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PolicyPermission"],
    # JSON nested at most 32 levels deep: deeper is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.DepthLimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        # An ?ordering= the endpoint cannot sort by is a 400, not the default order.
        "api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPage",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-tracking API",
    "DESCRIPTION": "Who said what, the claims in it, their evidence, contradictions and verdicts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OutletKindEnum": "claims.choices.OutletKind",
        "SpeakerKindEnum": "claims.choices.SpeakerKind",
        "QuoteKindEnum": "claims.choices.QuoteKind",
        "SourceKindEnum": "claims.choices.SourceKind",
    },
    "COMPONENT_SPLIT_REQUEST": True,
}

# json: one object a line, for a log collector; text: for a person at a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is neither json nor text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record names the request it was written in (factcheck/requests.py).
    "filters": {"request_id": {"()": "factcheck.requests.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
