"""The database going away: a quick 503 with Retry-After in the project's error shape, and recovery without a restart.

On real PostgreSQL only: the connection is killed from another session with pg_terminate_backend, or the
server's address is made one where nothing listens. Requests go through Django's own WSGI handler where the
connection handling is the point (the test client switches off closing connections between requests).
"""

import socket
import time

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: killing a server session and a server that does not answer have no SQLite twin",
    ),
]


def serve(path: str) -> tuple[int, dict, bytes]:
    """One GET through Django's WSGI handler, with its request_started/finished connection handling."""
    started = []
    body = WSGIHandler()(RequestFactory().get(path).environ, lambda status, headers: started.append((status, headers)))
    try:
        content = b"".join(body)
    finally:
        body.close()  # sends request_finished
    status, headers = started[0]
    return int(status.split()[0]), dict(headers), content


def terminate(pid: int) -> None:
    """Kills the server session `pid` from another connection, as an operator or a failover would."""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)


def own_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_connection_killed_between_requests_is_replaced_on_the_next_one():
    assert connection.settings_dict["CONN_MAX_AGE"] > 0 and connection.settings_dict["CONN_HEALTH_CHECKS"]
    ClaimFactory(published=True)
    assert serve("/api/v1/outlets/")[0] == 200
    killed = own_pid()  # kept open between requests (CONN_MAX_AGE)
    terminate(killed)
    status, _, body = serve("/api/v1/outlets/")
    assert status == 200, body
    assert own_pid() != killed


def test_a_connection_broken_mid_request_is_a_503_and_the_next_request_gets_a_new_one():
    ClaimFactory(published=True)
    assert serve("/api/v1/outlets/")[0] == 200
    killed = own_pid()

    def kill_before_the_first_query(execute, sql, params, many, context):
        if not killed_already:
            killed_already.append(True)
            terminate(killed)  # after the request's health check passed: this statement meets a dead session
        return execute(sql, params, many, context)

    killed_already = []
    with connection.execute_wrapper(kill_before_the_first_query):
        status, headers, body = serve("/api/v1/outlets/")
    assert status == 503, body
    assert headers["Retry-After"] == "5"
    status, _, body = serve("/api/v1/outlets/")
    assert status == 200, body
    assert own_pid() != killed


@pytest.fixture
def unreachable_database():
    """The server's address becomes a local port where nothing listens (refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port)
    yield
    connection.close()
    connection.settings_dict.update(saved)


def test_an_unreachable_database_is_a_quick_json_503_under_the_api(client, unreachable_database, caplog):
    for _ in range(3):
        started = time.monotonic()
        response = client.get("/api/v1/outlets/")
        assert time.monotonic() - started < 2
        assert response.status_code == 503
        assert response["Retry-After"] == "5" and response["Cache-Control"] == "no-store"
        error = response.json()["error"]
        assert error["code"] == "database_unavailable" and error["request_id"] == response["X-Request-ID"]
    # Once, not once per request.
    outage = [record for record in caplog.records if record.name == "factcheck.database"]
    assert len(outage) == 1 and "database not reachable" in outage[0].getMessage()
    assert not [record for record in caplog.records if record.name == "django.request"]


def test_an_unreachable_database_is_the_plain_503_page_elsewhere(client, unreachable_database):
    response = client.get("/claims/1/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Briefly unavailable" in page and response["X-Request-ID"] in page
