"""Browser tests: the editorial pages in a real headless Chromium, driven by Playwright against a live server.

Running them
    `make test` runs them with everything else (CI: on PostgreSQL, then on SQLite). Alone:
        .venv/bin/python -m pytest tests/browser
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m pytest tests/browser
    `-m browser` selects every browser test, `-m "not browser"` leaves them out. The browser is Debian's
    /usr/bin/chromium (`make browser` installs it, and `make test` needs it; Playwright never downloads one).
    Without it they skip, saying so; when the environment variable CI is set they fail instead.

Writing one
    Ask for `page` (a fresh browser context on the live server: page.goto("/signin/") is enough), `accounts`
    (a reporter and an editor, password known) and call tests/browser/desk.py: sign_in, assert_accessible,
    screenshot. Every Playwright wait gives up after 10 s, so a broken page fails fast instead of hanging.
    The database is transactional (the live server reads what the test commits), starts each test with what
    the migrations made (role groups, the system account) and is emptied after it.
    A console error (a Content-Security-Policy refusal is one), an uncaught exception, any answer 400 and
    above (a missing static file; /favicon.ico, which Chromium asks for when a page names no icon) or a
    failed request fails the test after it ran. A test provoking one on purpose says so first,
    page_problems.allow(r"403 .*/desk/claims/"), which matches both the answer and Chromium's console line
    about it, or asserts on page_problems.take(regex) afterwards.

Debugging them (there is no screen here, so no headed mode and no page.pause())
    - A failing test leaves var/screenshots/failures/<test>.png of its page as it was at the failure.
    - BROWSER_TRACE=1 saves a Playwright trace of each failing test as var/traces/<test>.zip (BROWSER_TRACE=all:
      every test): every action, a DOM snapshot and screenshot around it, the console and the network.
      Open it with `.venv/bin/playwright show-trace --host 127.0.0.1 --port 9323 var/traces/<test>.zip` and a
      browser pointed at that port (an SSH tunnel does it), or drop the file on https://trace.playwright.dev,
      which reads it in your own browser without uploading it.
    - screenshot(page, "some/name") in a test leaves var/screenshots/some/name.png to look at.
    - DEBUG=pw:api prints every Playwright call as it happens (with -s to see it).
"""

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from claims.choices import Role
from tests.browser.desk import PASSWORD, SCREENSHOTS, TRACES, Account, Accounts, PageProblems
from tests.factories import UserFactory

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent

_PROBLEMS = pytest.StashKey[PageProblems]()
_CONTEXT = pytest.StashKey[object]()
_REPORTS = pytest.StashKey[dict]()


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all of tests/browser/; each test gets its own context (`page`).

    Playwright's sync API keeps an asyncio event loop marked as running in the main thread from its start to its
    stop, which changes two things in Django for that long:
    - the ORM refuses to run (SynchronousOnlyOperation), in the tests and in the database fixtures' own setup and
      flush. Nothing is async here, the ORM runs in the main thread as always, so DJANGO_ALLOW_ASYNC_UNSAFE
      switches that check off, exactly as long as Playwright runs;
    - django.db.connections, seeing a running loop, hands out a second set of connection objects: not the ones
      the test database was set up on (on SQLite the in-memory database's, on both the copy that serialized
      rollback restores). The main thread's connections are put back in that set, so the tests use the same ones.
    Hence package scope rather than session: both last until the last browser test (pytest-django runs them one
    after another, among the transactional tests), not through every test that happens to run after the first.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `make browser` (Debian's chromium; Playwright never downloads one)."
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # What a failing test leaves is about the last run only.
    shutil.rmtree(SCREENSHOTS / "failures", ignore_errors=True)
    shutil.rmtree(TRACES, ignore_errors=True)
    main_thread_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        if any(connection.vendor == "postgresql" for connection in main_thread_connections.values()):
            from django.db.backends.postgresql.operations import DatabaseOperations

            env.setattr(DatabaseOperations, "sql_flush", _deleting_sql_flush(DatabaseOperations.sql_flush))
        with sync_playwright() as playwright:
            for alias, connection in main_thread_connections.items():
                connections[alias] = connection
            # Chromium's sandbox cannot start as root (CI runs as root); the pages are our own.
            args = ["--no-sandbox"] if os.geteuid() == 0 else []
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
            expect.set_options(timeout=TIMEOUT_MS)
            try:
                yield chromium
            finally:
                chromium.close()


def _deleting_sql_flush(truncating):
    """PostgreSQL's flush after each transactional test, by DELETE rather than TRUNCATE: 0.05 s instead of 1-2.

    TRUNCATE makes every one of the ~40 tables a new file, full or empty; DELETE touches only the few rows a
    test made. Django's flush runs its statements in one transaction and every foreign key it creates is
    DEFERRABLE INITIALLY DEFERRED, so the order does not matter; no table has a trigger. A flush that resets
    sequences or cascades is left to TRUNCATE.
    """

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncating(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        delete = f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')}"
        return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    return sql_flush


@pytest.fixture
def browser_db(transactional_db, django_db_serialized_rollback):
    """The live server answers from its own thread, so the test's rows must be committed (transactional), and
    each test starts with what migrations made (the role groups, the system account) although the previous
    transactional test's flush removed it (serialized rollback)."""


@pytest.fixture
def page_problems(request) -> PageProblems:
    """What went wrong in this test's browser; anything left in it when the test ends fails the test."""
    problems = PageProblems()
    request.node.stash[_PROBLEMS] = problems
    return problems


@pytest.fixture
def page(request, browser, live_server, browser_db, page_problems):
    """A new page in a new browser context (no cookies, no storage) whose base URL is the live server.

    The live server serves static files as DEBUG would (pytest-django's, with django.contrib.staticfiles):
    the apps' and STATICFILES_DIRS' (node_modules vendors) alike.
    """
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 800},
        locale="en-US",
        timezone_id="UTC",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.on("console", page_problems.on_console)
    context.on("weberror", page_problems.on_page_error)
    context.on("response", page_problems.on_response)
    context.on("requestfailed", page_problems.on_request_failed)
    request.node.stash[_CONTEXT] = context
    trace = os.environ.get("BROWSER_TRACE", "").lower()
    if trace:
        context.tracing.start(screenshots=True, snapshots=True, sources=True)
    tab = context.new_page()
    yield tab

    reports = request.node.stash.get(_REPORTS, {})
    failed = any(report.failed for report in reports.values())
    name = _file_name(request.node.nodeid)
    if failed and not tab.is_closed():
        path = SCREENSHOTS / "failures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(PlaywrightError):  # a page that cannot be drawn: the failure says more
            tab.screenshot(path=path, full_page=True, animations="disabled")
    if trace:
        keep = failed or trace == "all"
        if keep:
            TRACES.mkdir(parents=True, exist_ok=True)
        context.tracing.stop(path=TRACES / f"{name}.zip" if keep else None)
    context.close()


@pytest.fixture
def accounts(browser_db) -> Accounts:
    """A reporter and an editor in their newsroom groups, password desk.PASSWORD, committed for the live server."""

    def account(username: str, role: str) -> Account:
        return Account(UserFactory(username=username, role=role, password=PASSWORD), username, PASSWORD)

    return Accounts(reporter=account("rita_reporter", Role.REPORTER), editor=account("erin_editor", Role.EDITOR))


def _file_name(nodeid: str) -> str:
    test = nodeid.split("tests/browser/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", test).strip("-")


def _settle(context) -> None:
    """Lets the events the pages have sent so far arrive: one round trip to each page."""
    for tab in context.pages:
        with contextlib.suppress(PlaywrightError):  # closed or navigating: nothing more to hear from it
            tab.evaluate("0")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    problems = item.stash.get(_PROBLEMS, None)
    context = item.stash.get(_CONTEXT, None)
    if problems is None or context is None:
        return (yield)
    try:
        result = yield
    except BaseException:
        _settle(context)
        if leftover := problems.unexpected():
            item.add_report_section("call", "browser problems", "\n".join(leftover))
        raise
    _settle(context)
    if leftover := problems.unexpected():
        pytest.fail(
            f"The browser reported {len(leftover)} problem(s) this test did not say it expects "
            "(page_problems.allow or .take):\n" + "\n".join(f"- {problem}" for problem in leftover),
            pytrace=False,
        )
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report
