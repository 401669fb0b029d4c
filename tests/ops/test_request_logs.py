"""Every request has an id (given or made), answered in X-Request-ID and every error body, and one JSON log line."""

import io
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import views
from factcheck.requests import RequestIdFilter
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
GIVEN = "proxy-7f3a9c2e-0001"
MADE = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """What the console handler writes with LOG_FORMAT=json, parsed one line at a time."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    configurator = logging.config.DictConfigurator(settings.LOGGING)
    handler.setFormatter(configurator.configure_formatter(dict(settings.LOGGING["formatters"]["json"])))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "factcheck.requests"]


def test_a_sane_incoming_id_comes_back(client):
    response = client.get("/healthz", headers={"X-Request-ID": GIVEN})
    assert response["X-Request-ID"] == GIVEN


def test_without_an_incoming_id_one_is_made(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert MADE.fullmatch(first["X-Request-ID"]) and MADE.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    "bad",
    ["short", "x" * 65, "has space inside", "evil\u2028line-break", "<script>alert(1)</script>", "id;drop=table"],
)
def test_an_insane_incoming_id_is_replaced(client, bad):
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    assert MADE.fullmatch(response["X-Request-ID"])


def test_the_request_line_is_json_with_every_field(client, editor, log_lines):
    client.force_login(editor)
    response = client.get("/api/v1/claims/?topic=secret-topic&ordering=-id", headers={"X-Request-ID": GIVEN})
    assert response.status_code == 200, response.content
    [line] = request_lines(log_lines())
    assert line["request_id"] == GIVEN == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["method"] == "GET" and line["path"] == "/api/v1/claims/"
    # The query's keys say which list it was; its values (a reader's search words, a cursor) stay out.
    assert line["query_keys"] == ["ordering", "topic"] and "secret" not in json.dumps(line)
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["user"] == "erin_editor"
    assert line["client_addr"] == "127.0.0.1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["time"])


def test_an_anonymous_token_less_request_is_logged_as_anonymous(client, log_lines):
    client.get("/api/v1/claims/")
    [line] = request_lines(log_lines())
    assert line["user"] == "anonymous"


def test_an_api_client_by_token_is_logged_by_name(client, editor, log_lines):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=editor)
    client.get("/api/v1/claims/", headers={"Authorization": f"Token {token.key}"})
    [line] = request_lines(log_lines())
    assert line["user"] == "erin_editor"


def test_behind_a_trusted_proxy_the_client_is_the_address_it_names(client, settings, log_lines):
    settings.TRUSTED_PROXY_COUNT = 1
    client.get("/healthz", headers={"X-Forwarded-For": "made.up, 203.0.113.7"})
    [line] = request_lines(log_lines())
    assert line["client_addr"] == "203.0.113.7"


def test_under_asgi_the_id_reaches_the_error_body_and_the_line(async_client, log_lines):
    response = async_to_sync(async_client.get)("/api/v1/no-such-endpoint/", headers={"X-Request-ID": GIVEN})
    assert response["X-Request-ID"] == GIVEN == response.json()["error"]["request_id"]
    [line] = request_lines(log_lines())
    assert line["request_id"] == GIVEN and line["status"] == 404


def test_other_records_written_during_the_request_carry_its_id(client, log_lines):
    client.get("/api/v1/nope/", headers={"X-Request-ID": GIVEN})
    not_found = [line for line in log_lines() if line["logger"] == "django.request"]
    assert not_found and {line["request_id"] for line in not_found} == {GIVEN}


@pytest.mark.parametrize(
    "path, status, code",
    [
        ("/api/v1/claims/?ordering=no_such_field", 400, "invalid"),
        ("/api/v1/claims/999999/", 404, "not_found"),
        ("/api/v1/no-such-endpoint/", 404, "not_found"),
    ],
)
def test_an_api_error_body_carries_the_id_of_the_header(client, path, status, code):
    response = client.get(path)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == response["X-Request-ID"]


def test_a_given_id_is_the_one_in_the_error_body(client):
    response = client.get("/api/v1/claims/999999/", headers={"X-Request-ID": GIVEN})
    assert response.json()["error"]["request_id"] == GIVEN


def test_a_failing_api_view_answers_500_with_the_id_and_is_logged(client, monkeypatch, log_lines):
    def fail(*args, **kwargs):
        raise RuntimeError("the view broke")

    monkeypatch.setattr(views.ClaimViewSet, "list", fail)
    client.raise_request_exception = False
    response = client.get("/api/v1/claims/", headers={"X-Request-ID": GIVEN})
    assert response.status_code == 500
    assert response.json()["error"] == {
        "status": 500,
        "code": "server_error",
        "message": "Something went wrong on our side; it has been logged.",
        "request_id": GIVEN,
    }
    lines = log_lines()
    [line] = request_lines(lines)
    assert line["status"] == 500 and line["request_id"] == GIVEN
    # The traceback is logged too, under the same id.
    [failure] = [line for line in lines if line["logger"] == "django.request"]
    assert failure["level"] == "ERROR" and failure["request_id"] == GIVEN and "the view broke" in failure["exc_info"]


def test_a_failing_page_shows_the_id_and_is_logged(client, monkeypatch, log_lines):
    def fail(*args, **kwargs):
        raise RuntimeError("the page broke")

    monkeypatch.setattr("factcheck.health.JsonResponse", fail)
    client.raise_request_exception = False
    response = client.get("/healthz", headers={"X-Request-ID": GIVEN})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert f"<code>{GIVEN}</code>" in response.content.decode()
    [line] = request_lines(log_lines())
    assert line["status"] == 500 and line["path"] == "/healthz"


def test_a_missing_page_shows_the_id(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


def test_a_forbidden_page_shows_the_id(client, reporter, settings):
    # A reporter may not see the accounts; the admin answers with Django's PermissionDenied.
    client.force_login(reporter)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 403, response.status_code
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


def test_a_request_for_an_unknown_host_is_a_400_page_with_the_id(client, log_lines):
    response = client.get("/healthz", headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()
    [line] = request_lines(log_lines())
    assert line["status"] == 400


def test_the_log_line_costs_no_query(client, editor, settings):
    ClaimFactory(published=True)
    client.force_login(editor)
    client.get("/api/v1/claims/")  # first-request set-up out of the count

    def queries_of_one_read():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/claims/").status_code == 200
        return len(queries)

    logged = queries_of_one_read()
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "factcheck.requests.RequestLogMiddleware"]
    assert queries_of_one_read() == logged


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "LOG_FORMAT"}}
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **environ}, capture_output=True, text=True
    )


def test_with_debug_off_logs_are_json_by_default():
    secret = "q8-Zv3#mL0p!rT7xW2_nB5yK9cJ4hF6dS1gA8uE3oI7wQ0zX5vN2"  # a test value, not a real secret
    code = "import logging; logging.getLogger('factcheck.test').warning('written')"
    result = run_manage("shell", "-c", code, DEBUG="0", SECRET_KEY=secret)
    assert result.returncode == 0, result.stderr
    [line] = [json.loads(line) for line in result.stderr.splitlines() if "factcheck.test" in line]
    assert line["message"] == "written" and line["level"] == "WARNING" and line["request_id"] == "-"


def test_an_unknown_log_format_stops_start_up():
    result = run_manage("check", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT='xml' is neither json nor text." in result.stderr
