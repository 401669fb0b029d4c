"""gunicorn for `make serve`: its ASGI worker (see factcheck/asgi.py), sized and bound from the environment.

Each process reads requests on an event loop, so slow clients hold sockets (up to WEB_CONNECTIONS),
never the WEB_THREADS view threads. Start-up stops with a message when the database or Redis named
in the environment does not answer (factcheck.startup).
"""

import os

from factcheck.env import env_int, env_list, env_str

wsgi_app = "factcheck.asgi:application"
# Its event loop is uvloop's and its HTTP parser gunicorn-h1c's (both in requirements.txt, taken when installed).
worker_class = "asgi"
bind = [f"{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}"]
workers = env_int("WEB_WORKERS", 2)
worker_connections = env_int("WEB_CONNECTIONS", 1000)
# The event loop's heartbeat; a view past REQUEST_TIMEOUT is answered 503 by factcheck.asgi instead.
timeout = 30
keepalive = env_int("WEB_KEEPALIVE", 5)
# Only these peers may say a request came over HTTPS, and only with X-Forwarded-Proto; no other
# forwarded header is acted on here (X-Forwarded-For is read by the throttle, per TRUSTED_PROXY_COUNT).
forwarded_allow_ips = ",".join(env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"]))
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
forwarder_headers = ""
# One structured line per request comes from the application's own log; gunicorn's would repeat it.
accesslog = None
errorlog = "-"
loglevel = env_str("LOG_LEVEL", "info").lower()


def on_starting(server):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    django.setup()
    from django.db import connections

    from factcheck.startup import require_ready

    require_ready()
    connections.close_all()  # workers are forked from this process: none may inherit its database session
