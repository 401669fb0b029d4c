"""`make serve` as an operator runs it: a real server process on a free port, DEBUG off, static files built.

It holds one worker with two view threads, so a handful of slow clients would be enough to starve it
if they held threads.
"""

import http.client
import json
import os
import secrets
import socket
import time

import pytest

from tests.ops.servers import HOST, PROXIED, REPO, get, manage, running

THREADS = 2
DEADLINE = 2  # REQUEST_TIMEOUT, seconds


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A migrated SQLite file with a reporter's API token, and the environment that names it."""
    folder = tmp_path_factory.mktemp("serve")
    env = {
        **{name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "REDIS_URL")},
        "DATABASE_URL": f"sqlite:///{folder / 'serve.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "FACTCHECK_EXTRACTION_MODEL": "off",
        "LOG_LEVEL": "WARNING",
        "WEB_WORKERS": "1",
        "WEB_THREADS": str(THREADS),
        "REQUEST_TIMEOUT": str(DEADLINE),
        # The deadline test's slow request is a paste extracted in the request, which a deployment makes a job.
        "EXTRACT_IN_REQUEST_CHARACTERS": "10000000",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", "from tests.factories import UserFactory; UserFactory(username='rita', role='reporter')")
    token = manage(env, "drf_create_token", "rita").split()[2]
    return {"env": env, "token": token, "log": folder / "serve.log"}


@pytest.fixture(scope="module")
def server(prepared):
    """`make serve`, as an operator runs it (`make test` has run setup)."""
    command = ["make", "--no-print-directory", "--old-file=setup", "serve"]
    with running(command, prepared["env"], prepared["log"]) as port:
        yield {"port": port, "token": prepared["token"]}


def test_debug_is_off_and_the_admin_and_api_docs_find_their_static_files(server):
    status, _, page = get(server["port"], "/admin/login/")
    assert status == 200
    stylesheet = next(part for part in page.decode().split('"') if part.startswith("/static/admin/css/base."))
    assert stylesheet.count(".") == 2, f"{stylesheet} is not a hashed name"
    status, headers, _ = get(server["port"], stylesheet, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and "immutable" in headers["Cache-Control"]
    assert get(server["port"], "/api/v1/docs/")[0] == 200
    # DEBUG off: an unknown page is the plain 404, not Django's debug page listing the URL patterns.
    status, _, body = get(server["port"], "/no-such-page/")
    assert status == 404 and b"URLconf" not in body


def test_plain_http_is_sent_to_https_unless_the_proxy_says_https(server):
    status, headers, _ = get(server["port"], "/api/v1/claims/", {"X-Forwarded-Proto": "http"})
    assert status == 301 and headers["Location"] == f"https://{HOST}:{server['port']}/api/v1/claims/"
    assert get(server["port"], "/api/v1/claims/")[0] == 200
    # Load balancers probe over plain HTTP.
    assert get(server["port"], "/healthz", {"X-Forwarded-Proto": "http"})[0] == 200


def test_x_forwarded_proto_is_believed_only_from_the_proxy_addresses(prepared, server):
    # The same server (its static files collected by `server`), but this test's address is no longer one
    # it trusts: its word for HTTPS counts for nothing.
    env = {**prepared["env"], "DEBUG": "0", "FORWARDED_ALLOW_IPS": "192.0.2.1"}
    command = [str(REPO / ".venv/bin/gunicorn"), "--config", "factcheck/gunicorn.conf.py"]
    with running(command, env, prepared["log"].with_name("untrusted.log")) as port:
        status, headers, _ = get(port, "/api/v1/claims/")
    assert status == 301 and headers["Location"].startswith("https://")


def test_slow_clients_hold_sockets_not_the_threads_that_answer(server):
    port = server["port"]
    slow = []
    try:
        for number in range(10 * THREADS):
            sock = socket.create_connection((HOST, port), timeout=5)
            if number % 2:  # headers cut off half way
                sock.sendall(b"GET /api/v1/claims/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\nAcc")
            else:  # headers sent, the body promised and never finished
                head = b"POST /api/v1/claims/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                head += b"Content-Type: application/json\r\n"
                sock.sendall(head + b"Content-Length: 5000\r\n\r\n" + b'{"text": "')
            slow.append(sock)
        time.sleep(0.5)
        started = time.monotonic()
        status, _, body = get(port, "/api/v1/claims/", timeout=5)
        assert status == 200, body
        assert time.monotonic() - started < 2
    finally:
        for sock in slow:
            sock.close()


def test_a_request_past_the_deadline_is_a_json_503_and_the_server_answers_others(server):
    words = 'The minister said on Tuesday that "the budget will be balanced by next year," adding nothing more. '
    paste = json.dumps({"text": words * (2_000_000 // len(words))})  # a 2 MB paste
    connection = http.client.HTTPConnection(HOST, server["port"], timeout=30)
    started = time.monotonic()
    headers = {**PROXIED, "Authorization": f"Token {server['token']}", "Content-Type": "application/json"}
    connection.request("POST", "/api/v1/extract/", body=paste, headers=headers)
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert response.status == 503
    assert body["error"]["code"] == "timeout" and f"longer than {DEADLINE} s" in body["error"]["message"]
    assert response.getheader("Retry-After") == "60"
    assert time.monotonic() - started < DEADLINE + 3
    # The extraction still runs on one thread; the other answers.
    started = time.monotonic()
    assert get(server["port"], "/api/v1/claims/")[0] == 200
    assert time.monotonic() - started < 2
