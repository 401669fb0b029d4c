"""Benchmark the REST API over real HTTP on the full-size data set, against the raw SQL it runs.

    createdb -h 127.0.0.1 -U postgres factcheck_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench .venv/bin/python manage.py generate_bulk_data
    .venv/bin/python benchmarks/api_benchmark.py

It starts gunicorn on 127.0.0.1 as production would run (DEBUG off, Redis for
the shared throttle counts), sends a bounded number of requests per scenario
over keep-alive connections, then a fixed-length concurrent run, and stops the
server. For each scenario it also captures the SQL the endpoint runs (in
process, with django.test.Client against the same database) and replays those
exact statements with psycopg, so "API / raw" compares like with like.

Staff scenarios authenticate with DRF tokens of benchmark users in the editor
group (created on first run); each concurrent client has its own user, as real
clients would, so the per-user throttle does not cap the run. Anonymous
scenarios are few requests on purpose: the anonymous throttle allows 120 a
minute per address, and a 429 is counted apart from errors.
"""

import argparse
import datetime
import http.client
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
API = "/api/v1"

# The targets, in milliseconds and requests per second.
TARGET_P95 = {"retrieve": 20.0, "list": 50.0, "search": 150.0}
TARGET_RATIO = 3.0
TARGET_RPS = 300.0


@dataclass
class Scenario:
    name: str
    kind: str  # retrieve, list or search: which p95 target applies
    staff: bool
    paths: list[str]
    latencies: list[float] = field(default_factory=list)  # ms, per path, in order
    statuses: list[int] = field(default_factory=list)
    seconds: float = 0.0
    statements: list[list[str]] = field(default_factory=list)  # captured SQL, per captured path
    raw: list[float] = field(default_factory=list)  # ms, per captured path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/factcheck_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--port", type=int, default=8765)
    # Two cores run gunicorn, PostgreSQL and this client. Two processes use both cores for Python; threads
    # let each overlap its database and Redis waits with another request's Python work.
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200, help="Requests per staff scenario.")
    parser.add_argument("--anonymous-requests", type=int, default=30, help="Requests per anonymous scenario.")
    parser.add_argument("--capture", type=int, default=40, help="Requests per scenario whose SQL is replayed raw.")
    parser.add_argument("--clients", type=int, default=12, help="Concurrent client threads.")
    parser.add_argument("--duration", type=float, default=20.0, help="Seconds of the concurrent run.")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def configure(args: argparse.Namespace) -> dict[str, str]:
    """The server's environment; this process uses the same, with an in-process cache (see capture)."""
    server_env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": args.redis_url,
        "LOG_LEVEL": "WARNING",
    }
    # In process: the test client's host, and no Redis, so capturing does not spend the server's throttle budget.
    os.environ.update({**server_env, "ALLOWED_HOSTS": f"{HOST},testserver", "REDIS_URL": ""})
    # WhiteNoise warns that collectstatic has not run; the API serves no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    return server_env


def api_is_there() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("api:claim-detail", args=[1])
        reverse("api:search")
    except NoReverseMatch:
        return False
    return True


def benchmark_tokens(count: int) -> list[str]:
    """Tokens of `count` editors named api-benchmark-N, created once."""
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from claims.choices import Role

    editors = Group.objects.get(name=Role.EDITOR)
    tokens = []
    for n in range(count):
        user, _ = User.objects.get_or_create(username=f"api-benchmark-{n}")
        user.groups.add(editors)
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    return tokens


def scenarios(args: argparse.Namespace) -> list[Scenario]:
    """Request paths for every scenario, drawn from the data with a fixed seed."""
    from django.db import connection

    rng = random.Random(args.seed)

    def column(sql: str, percent: float) -> list:
        # REPEATABLE: the same sample every run for a seed.
        with connection.cursor() as cursor:
            cursor.execute(sql, {"percent": percent, "seed": args.seed})
            return [row[0] for row in cursor.fetchall()]

    claims = column("SELECT id FROM claims_claim TABLESAMPLE BERNOULLI (%(percent)s) REPEATABLE (%(seed)s)", 1)
    published = column(
        "SELECT id FROM claims_claim TABLESAMPLE BERNOULLI (%(percent)s) REPEATABLE (%(seed)s)"
        " WHERE status = 'published'",
        1,
    )
    quotes = column("SELECT id FROM claims_quote TABLESAMPLE BERNOULLI (%(percent)s) REPEATABLE (%(seed)s)", 0.2)
    # Speakers as often as they are quoted: the prolific ones are the ones people look up.
    quoted = column(
        "SELECT speaker_id FROM claims_quote TABLESAMPLE BERNOULLI (%(percent)s) REPEATABLE (%(seed)s)", 0.2
    )
    names = column(
        "SELECT name FROM claims_speaker TABLESAMPLE BERNOULLI (%(percent)s) REPEATABLE (%(seed)s)"
        " WHERE kind = 'person'",
        2,
    )
    texts = column("SELECT text FROM claims_claim TABLESAMPLE BERNOULLI (%(percent)s) REPEATABLE (%(seed)s)", 0.5)
    n, anonymous = args.requests, args.anonymous_requests

    def pick(values: list, count: int) -> list:
        return [rng.choice(values) for _ in range(count)]

    def month() -> str:
        first = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3620))
        return f"said_on_after={first}&said_on_before={first + datetime.timedelta(days=30)}"

    words = [w.strip('.,:;"()?!').lower() for text in texts for w in text.split()]
    words = [w for w in words if len(w) >= 6 and w.isalpha()]
    searches = []
    for index in range(n):
        text_words = [w for w in rng.choice(texts).split() if w.isalpha()]
        shape = index % 4
        if shape == 0:
            searches.append(rng.choice(words))
        elif shape == 1 and len(text_words) >= 2:
            start = rng.randrange(len(text_words) - 1)
            searches.append(f'"{text_words[start]} {text_words[start + 1]}"')
        elif shape == 2:
            searches.append(f"{rng.choice(['tax', 'health', 'jobs', 'budget', 'immigration'])} -obama")
        else:
            name = rng.choice(names)
            at = rng.randrange(1, len(name) - 1)
            searches.append(name[:at] + name[at + 1] + name[at] + name[at + 2 :])  # two letters swapped

    def last_word(name: str) -> str:
        return name.split()[-1]

    return [
        Scenario("retrieve claim", "retrieve", True, [f"{API}/claims/{i}/" for i in pick(claims, n)]),
        Scenario("retrieve quote", "retrieve", True, [f"{API}/quotes/{i}/" for i in pick(quotes, n)]),
        Scenario("quotes by speaker", "list", True, [f"{API}/quotes/?speaker={i}" for i in pick(quoted, n)]),
        Scenario(
            "quotes by kind",
            "list",
            True,
            [f"{API}/quotes/?kind={k}" for k in pick(["direct", "indirect", "reporting"], n)],
        ),
        Scenario("quotes by said_on range", "list", True, [f"{API}/quotes/?{month()}" for _ in range(n)]),
        Scenario(
            "claims by status",
            "list",
            True,
            [f"{API}/claims/?status={s}" for s in pick(["published", "in_review", "draft"], n)],
        ),
        Scenario(
            "claims by rating",
            "list",
            True,
            [f"{API}/claims/?rating={r}" for r in pick(["false", "half_true", "true", "pants_on_fire"], n)],
        ),
        Scenario(
            "claims by has_contradictions",
            "list",
            True,
            [f"{API}/claims/?has_contradictions={v}" for v in pick(["true", "false"], n)],
        ),
        Scenario(
            "speakers by name",
            "list",
            True,
            [f"{API}/speakers/?name={quote_plus(rng.choice([x, last_word(x)]))}" for x in pick(names, n)],
        ),
        Scenario("search", "search", True, [f"{API}/search/?q={quote_plus(q)}" for q in searches]),
        Scenario(
            "anonymous: retrieve claim", "retrieve", False, [f"{API}/claims/{i}/" for i in pick(published, anonymous)]
        ),
        Scenario(
            "anonymous: claims by rating",
            "list",
            False,
            [f"{API}/claims/?rating={r}" for r in pick(["false", "true"], anonymous)],
        ),
        Scenario(
            "anonymous: search", "search", False, [f"{API}/search/?q={quote_plus(q)}" for q in searches[:anonymous]]
        ),
    ]


def capture(scenario: Scenario, count: int, token: str) -> None:
    """The exact SQL each of the first `count` requests runs, from the view itself."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if scenario.staff else {}
    client = Client(REMOTE_ADDR=HOST)
    for path in scenario.paths[:count]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} in process: {response.content[:300]!r}")
        scenario.statements.append([q["sql"] for q in queries.captured_queries])


class Server:
    """gunicorn on 127.0.0.1 as `make serve` runs it, stopped however the benchmark ends."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str], token: str):
        self.args, self.env, self.token = args, env, token
        self.log = Path(tempfile.gettempdir()) / f"api-benchmark-gunicorn-{args.port}.log"

    def __enter__(self):
        # As `make serve` runs it (factcheck/gunicorn.conf.py: the ASGI worker, sized from the environment).
        command = [str(REPO / ".venv" / "bin" / "gunicorn"), "--config", "factcheck/gunicorn.conf.py"]
        sizes = {"HOST": HOST, "PORT": str(self.args.port), "WEB_WORKERS": str(self.args.workers)}
        sizes |= {"WEB_THREADS": str(self.args.threads), "WEB_KEEPALIVE": "30"}
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env={**self.env, **sizes}, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            try:
                connection = http.client.HTTPConnection(HOST, self.args.port, timeout=2)
                # Any answer means it is serving; the token keeps the anonymous throttle budget whole.
                connection.request("GET", f"{API}/", headers={"Authorization": f"Token {self.token}"})
                connection.getresponse().read()
                connection.close()
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer within 30 s; see {self.log}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class HttpClient:
    """One keep-alive HTTP connection, reopened when the server closes it."""

    def __init__(self, port: int, token: str | None, headers: dict | None = None):
        self.port = port
        self.headers = {**(headers or {}), **({"Authorization": f"Token {token}"} if token else {})}
        self.connection = None

    def get(self, path: str) -> int:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
            try:
                self.connection.request("GET", path, headers=self.headers)
                response = self.connection.getresponse()
                response.read()
                if response.will_close:
                    self.connection.close()
                    self.connection = None
                return response.status
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    return 0  # counted as an error
        return 0


def run_sequential(scenario: Scenario, port: int, token: str, headers: dict | None = None) -> None:
    client = HttpClient(port, token if scenario.staff else None, headers)
    started = time.perf_counter()
    for path in scenario.paths:
        before = time.perf_counter()
        scenario.statuses.append(client.get(path))
        scenario.latencies.append((time.perf_counter() - before) * 1000)
    scenario.seconds = time.perf_counter() - started


def run_concurrent(paths: list[str], port: int, tokens: list[str], duration: float) -> Scenario:
    """Every client thread retrieves claims back to back until the time is up."""
    result = Scenario(f"concurrent retrieve claim ({len(tokens)} clients)", "retrieve", True, paths)
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def work(token: str, offset: int) -> None:
        client = HttpClient(port, token)
        latencies, statuses = [], []
        index = offset
        while time.perf_counter() < stop:
            before = time.perf_counter()
            statuses.append(client.get(paths[index % len(paths)]))
            latencies.append((time.perf_counter() - before) * 1000)
            index += 1
        with lock:
            result.latencies += latencies
            result.statuses += statuses

    threads = [threading.Thread(target=work, args=(token, n * 17)) for n, token in enumerate(tokens)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def replay(scenario: Scenario, database_url: str, rounds: int = 3) -> None:
    """Each captured request's statements, run directly; the fastest of `rounds`, as for a warm cache."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection, connection.cursor() as cursor:
        for statements in scenario.statements:
            best = float("inf")
            for _ in range(rounds):
                before = time.perf_counter()
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()
                best = min(best, (time.perf_counter() - before) * 1000)
                if best > 100:
                    break  # a slow query is not cache-bound: once is enough, and keeps the run short
            scenario.raw.append(best)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(results: list[Scenario], concurrent: Scenario, floor: Scenario, args: argparse.Namespace) -> None:
    sizes = f"{args.workers} workers x {args.threads} threads (ASGI worker, as make serve)"
    print(f"\ngunicorn: {sizes}; {os.cpu_count()} CPUs")
    header = (
        f"{'scenario':<40} {'auth':<5} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7} {'err':>4} {'429':>4}"
    )
    print(header + "  target p95")
    print("-" * (len(header) + 12))
    for s in [*results, concurrent]:
        errors = sum(1 for status in s.statuses if status not in (200, 429))
        throttled = s.statuses.count(429)
        p95 = percentile(s.latencies, 95)
        target = TARGET_P95[s.kind]
        verdict = "met" if p95 <= target and not errors else f"MISSED ({p95 / target:.1f}x)"
        print(
            f"{s.name:<40} {'staff' if s.staff else 'anon':<5} {len(s.latencies):>5} "
            f"{percentile(s.latencies, 50):>7.1f} {p95:>7.1f} {percentile(s.latencies, 99):>7.1f} "
            f"{len(s.latencies) / s.seconds:>7.1f} {errors:>4} {throttled:>4}  {target:.0f} ms {verdict}"
        )
    errors = sum(1 for status in concurrent.statuses if status != 200)
    rps = len(concurrent.latencies) / concurrent.seconds
    verdict = "met" if rps >= TARGET_RPS and not errors else "MISSED"
    print(
        f"\nconcurrent retrieve: {rps:.0f} requests/s, {errors} errors (target {TARGET_RPS:.0f}/s, 0 errors): {verdict}"
    )

    print(
        f"\nThe server's floor, GET /healthz (no query, no DRF): p50 {percentile(floor.latencies, 50):.2f} ms, "
        f"p95 {percentile(floor.latencies, 95):.2f} ms over {len(floor.latencies)} requests"
    )
    print(f"\nThe same SQL run directly (first {args.capture} requests per scenario, best of 3), API / raw:")
    header = f"{'scenario':<40} {'SQL/req':>7} {'raw p50':>8} {'raw p95':>8} {'API p50':>8} {'API p95':>8} {'ratio':>6}"
    print(header + "  target")
    print("-" * (len(header) + 10))
    for s in results:
        api = s.latencies[: len(s.raw)]
        raw50, api50 = percentile(s.raw, 50), percentile(api, 50)
        ratio = api50 / raw50
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"{s.name:<40} {statistics.mean(len(x) for x in s.statements):>7.1f} {raw50:>8.2f} "
            f"{percentile(s.raw, 95):>8.2f} {api50:>8.2f} {percentile(api, 95):>8.2f} {ratio:>6.1f}  "
            f"{TARGET_RATIO:.0f}x {verdict}"
        )


def main() -> None:
    args = parse_args()
    env = configure(args)
    if not api_is_there():
        raise SystemExit("The API is not there yet: api/urls.py has no claims or search routes.")
    tokens = benchmark_tokens(max(1, args.clients))
    results = scenarios(args)
    print(f"Capturing the SQL of {args.capture} requests per scenario in process…", flush=True)
    for scenario in results:
        capture(scenario, args.capture, tokens[0])
    from django.db import connection

    connection.close()  # the server and the replay use their own connections

    with Server(args, env, tokens[0]):
        # Warm up every worker thread (imports, database connections) and each endpoint, unmeasured.
        run_concurrent(results[0].paths, args.port, tokens, 3.0)
        for scenario in results:
            if scenario.staff:
                run_sequential(Scenario("warm-up", scenario.kind, True, scenario.paths[-5:]), args.port, tokens[0])
        for scenario in results:
            print(f"  {scenario.name}: {len(scenario.paths)} requests", flush=True)
            run_sequential(scenario, args.port, tokens[0])
        # What any answer costs here before a view runs: HTTP, the ASGI worker, the middleware.
        floor = Scenario("healthz", "retrieve", False, ["/healthz"] * args.requests)
        run_sequential(floor, args.port, tokens[0])
        print(f"  concurrent: {args.clients} clients for {args.duration:.0f} s", flush=True)
        concurrent = run_concurrent(results[0].paths, args.port, tokens, args.duration)
    for scenario in results:
        replay(scenario, args.database_url)
    report(results, concurrent, floor, args)


if __name__ == "__main__":
    main()
