"""What browser tests call: sign in, check accessibility, take screenshots; and the log of what went wrong.

Fixtures are in tests/browser/conftest.py (its docstring says how to run and debug these tests).
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import Page

# Where a run leaves what it saw (var/ is not in git).
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"
TRACES = settings.BASE_DIR / "var" / "traces"
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"

# Every test account's password (tests/factories.py's UserFactory default).
PASSWORD = "correct horse battery staple"  # noqa: S105 (test accounts on a throwaway database)

# axe's impacts that fail a page; "moderate" and "minor" are reported by axe but do not.
FAILING_IMPACTS = ("serious", "critical")

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*")


@dataclass(frozen=True)
class Account:
    user: User
    username: str
    password: str


@dataclass(frozen=True)
class Accounts:
    """The `accounts` fixture: one reporter and one editor, each in its newsroom group."""

    reporter: Account
    editor: Account


def sign_in(page: Page, live_server, username: str, password: str, *, at: str = "/signin/") -> None:
    """Signs in through the real form at `at` (fields `username` and `password`, a submit button), as a person would.

    The form is an ordinary POST that redirects on success. Returns once the browser has landed on the page it
    was sent to (loaded), off the sign-in page. Fails quoting the form's errors (.errornote, .errorlist or
    role=alert; else the page's text) when it stays there: wrong password, locked out, not a member.
    """
    url = live_server.url + at
    page.goto(url)
    form = page.locator("form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    if urlsplit(page.url).path == urlsplit(url).path:
        # The form's own error messages when it has them (Django's, or role=alert), else the whole page.
        errors = page.locator(".errornote, .errorlist, [role=alert]")
        said = "\n".join(errors.all_inner_texts()) if errors.count() else page.locator("body").inner_text()[:500]
        raise AssertionError(f"Signing in as {username} at {at} stayed on the sign-in page, which says:\n{said}")


def screenshot(page: Page, name: str) -> Path:
    """The whole page, scrolled, as var/screenshots/NAME.png (NAME may hold /: desk/claim-list). Returns the path."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"Screenshot name {name!r}: letters, digits, _ . - and / between parts only.")
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True, animations="disabled")
    return path


@functools.cache
def _axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make setup` (npm ci installs axe-core from package.json).")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """Every axe-core violation on the page as it is now, whatever its impact (axe's own result objects, trimmed).

    axe goes in through Playwright's evaluation (the DevTools protocol), which the page's Content-Security-Policy
    does not govern: the page's own CSP stays as strict as it is in production.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, html: n.html, impact: n.impact})),
            }));
        }"""
    )


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_violations(violations: list[dict], nodes_each: int = 5) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:nodes_each]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {_short(target, 100)}: {_short(node['html'])}")
        if len(violation["nodes"]) > nodes_each:
            lines.append(f"    … and {len(violation['nodes']) - nodes_each} more")
    return "\n".join(lines)


def assert_accessible(page: Page, name: str) -> list[dict]:
    """Fails listing every serious or critical axe-core violation on the page (rule, help, where, the HTML).

    `name` says which page it is in the message ("the desk, signed in as an editor"). Returns the violations
    that did not fail it (moderate, minor), for a test that wants to look at them.
    """
    violations = axe_violations(page)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        raise AssertionError(
            f"{name} ({page.url}) has {len(failing)} serious or critical accessibility violations (axe-core):\n"
            + describe_violations(failing)
        )
    return violations


@dataclass
class PageProblems:
    """What went wrong in a test's browser: console errors (CSP refusals are these), uncaught exceptions,
    answers 400 and above, requests that failed. Any one left at the end of the test fails it.

    A test that provokes one on purpose says so first, `page_problems.allow(r"403 .*/desk/")` (an answer 400 and
    above is reported twice: "HTTP 403 GET <url>", and Chromium's console error "... status of 403 (Forbidden)
    (at <url>)"), or takes them afterwards to assert on them, `assert page_problems.take(r"Refused to execute")`.
    """

    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Problems matching this regular expression (re.search) do not fail the test, now or later."""
        self.allowed.append(re.compile(pattern))

    def take(self, pattern: str = "") -> list[str]:
        """The problems so far matching `pattern` (all of them by default), removed so they no longer fail the test."""
        regex = re.compile(pattern)
        taken = [problem for problem in self.problems if regex.search(problem)]
        self.problems = [problem for problem in self.problems if not regex.search(problem)]
        return taken

    def unexpected(self) -> list[str]:
        return [problem for problem in self.problems if not any(regex.search(problem) for regex in self.allowed)]

    def record(self, problem: str) -> None:
        self.problems.append(problem)

    # Handlers for the browser context's events (conftest.py attaches them).

    def on_console(self, message) -> None:
        if message.type in ("error", "assert"):
            where = message.location.get("url", "") if message.location else ""
            line = message.location.get("lineNumber") if message.location else None
            self.record(f"console {message.type}: {message.text}" + (f" (at {where}:{line})" if where else ""))

    def on_page_error(self, web_error) -> None:
        error = web_error.error
        self.record(f"uncaught exception: {error.message}" + (f"\n{error.stack}" if error.stack else ""))

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.record(f"HTTP {response.status} {response.request.method} {response.url}")

    def on_request_failed(self, request) -> None:
        failure = request.failure or ""
        # Navigating away cancels what the old page was still loading: the browser's doing, not the page's.
        if "net::ERR_ABORTED" in failure:
            return
        self.record(f"request failed: {request.method} {request.url}: {failure}")
