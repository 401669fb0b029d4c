"""Two app processes sharing one database and one Redis behave as one: a verdict retracted through one is
never served from the other's cache, a speaker recorded through one is listed by the other at once, and the
anonymous throttle counts both."""

import http.client
import json
import os
import secrets

import pytest
import redis

from tests.ops.servers import HOST, PROXIED, REPO, get, manage, running

ANON_RATE = 8  # a minute


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is unset: two processes share state only through Redis (CI's PostgreSQL run sets it).")
    folder = tmp_path_factory.mktemp("two")
    env = {
        **{name: value for name, value in os.environ.items() if name != "DATABASE_URL"},
        # One SQLite file both processes open: committed rows are shared, as with PostgreSQL.
        "DATABASE_URL": f"sqlite:///{folder / 'shared.sqlite3'}",
        # Keys of this run alone, in a Redis that other runs use too.
        "CACHE_KEY_PREFIX": f"two-{secrets.token_hex(6)}-",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "FACTCHECK_EXTRACTION_MODEL": "off",
        "LOG_LEVEL": "WARNING",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        "API_ANON_RATE": f"{ANON_RATE}/minute",
    }
    manage(env, "migrate", "--noinput")
    made = manage(
        env,
        "shell",
        "-c",
        "from tests.factories import ClaimFactory, UserFactory; UserFactory(username='erin', role='editor');"
        "print(ClaimFactory(published=True).pk)",
    )
    token = manage(env, "drf_create_token", "erin").split()[2]
    command = [str(REPO / ".venv/bin/gunicorn"), "--config", "factcheck/gunicorn.conf.py"]
    with running(command, env, folder / "a.log") as a, running(command, env, folder / "b.log") as b:
        yield {"a": a, "b": b, "token": token, "claim": int(made.split()[-1]), "prefix": env["CACHE_KEY_PREFIX"]}


def post(port: int, path: str, body: dict, headers: dict) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        headers = {**PROXIED, "Content-Type": "application/json", **headers}
        connection.request("POST", path, body=json.dumps(body), headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_verdict_retracted_through_one_is_never_served_by_the_other(instances):
    a, b, claim = instances["a"], instances["b"], f"/api/v1/claims/{instances['claim']}/"
    staff = {"Authorization": f"Token {instances['token']}"}
    # Both processes have the published claim in the shared cache.
    for port in (a, b, a):
        status, headers, body = get(port, claim)
        assert status == 200 and json.loads(body)["status"] == "published"
        assert headers["Cache-Control"] == "public, no-cache"
    kept = redis.Redis.from_url(os.environ["REDIS_URL"]).keys(f"{instances['prefix']}published:*entry:public:*")
    # One entry per address asked (answers may carry absolute links): here each server's own host and port.
    assert len(kept) == 2, "the published claim was not kept in Redis"
    _, headers, _ = get(b, claim, staff)

    status, _, body = post(b, f"{claim}status/", {"status": "in_review"}, {**staff, "If-Match": headers["ETag"]})
    assert status == 200, body

    assert get(a, claim)[0] == 404
    feed = json.loads(get(a, "/api/v1/claimreview/")[2])
    assert feed["dataFeedElement"] == []


def test_the_anonymous_throttle_holds_across_both(instances):
    served = 0
    for turn in range(ANON_RATE * 2):
        status = get(instances["a"] if turn % 2 else instances["b"], "/api/v1/outlets/")[0]
        served += status == 200
        assert status in (200, 429)
    # The other test's reads count too: at most the limit, and never the limit per process.
    assert served <= ANON_RATE


def test_a_speaker_recorded_through_one_is_listed_by_the_other_at_once(instances):
    a, b, path = instances["a"], instances["b"], "/api/v1/speakers/?name=okafor"
    staff = {"Authorization": f"Token {instances['token']}"}
    for port in (a, b, a):
        status, _, body = get(port, path, staff)
        assert status == 200 and json.loads(body)["results"] == []

    status, _, body = post(b, "/api/v1/speakers/", {"name": "Ngozi Okafor"}, staff)
    assert status == 201, body

    assert [item["name"] for item in json.loads(get(a, path, staff)[2])["results"]] == ["Ngozi Okafor"]
