"""The browser tests' own machinery, on pages that exist today (the admin): the live server serves the static
files, axe runs and reports, screenshots are written, signing in works, and what goes wrong in the browser
is caught."""

import pytest
from django.contrib.auth.models import User

from tests.browser.desk import SCREENSHOTS, assert_accessible, axe_violations, screenshot, sign_in

CLEAN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A clean page</title></head>
<body><main><h1>Claims to check</h1><p>Nothing here is wrong.</p></main></body></html>"""

# A 1×1 PNG, so the image loads and only its missing alt text is wrong.
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture(autouse=True)
def admin_has_no_favicon(page_problems):
    # Chromium asks every page's site for /favicon.ico unless the page names an icon; Django's admin names none
    # and nothing serves one, so the 404 is logged as a console error. The desk's own pages name theirs.
    page_problems.allow(r"status of 404 .*/favicon\.ico")


def test_admin_login_loads_with_its_css_and_under_its_csp(page):
    response = page.goto("/admin/login/")

    assert response.status == 200
    # The page keeps its production policy: no inline script (axe gets in below all the same).
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The admin's stylesheets came from the live server's /static/ and apply.
    sheets = page.evaluate("() => [...document.styleSheets].map((s) => [s.href, s.cssRules.length])")
    assert any(href and href.endswith("/static/admin/css/base.css") and rules for href, rules in sheets), sheets
    background = page.locator("#header").evaluate("(e) => getComputedStyle(e).backgroundColor")
    assert background not in ("", "rgba(0, 0, 0, 0)"), background
    # The page fixture fails the test on any console error or failed request after it returns.


def test_node_modules_vendors_are_served_as_static_files(page, live_server):
    answer = page.request.get(f"{live_server.url}/static/vendor/chartjs/chart.umd.min.js")
    assert answer.status == 200
    assert "javascript" in answer.headers["content-type"]


def test_axe_runs_on_a_page_whose_csp_forbids_inline_script(page):
    page.goto("/admin/login/")

    violations = axe_violations(page)

    # The machinery, not the admin's markup: axe ran and gave its answer (Django's admin is not ours to fix).
    assert isinstance(violations, list)
    assert page.evaluate("() => axe.version") == "4.11.4"
    assert all({"id", "impact", "help", "nodes"} <= violation.keys() for violation in violations)


def test_assert_accessible_passes_a_clean_page(page):
    page.set_content(CLEAN_PAGE)

    assert_accessible(page, "a clean page")


def test_assert_accessible_reports_an_image_without_alt_text(page):
    page.set_content(CLEAN_PAGE.replace("<p>", f'<img src="{PIXEL}"><p>'))

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "a page with an unlabelled image")

    message = str(failure.value)
    assert "a page with an unlabelled image" in message
    assert "image-alt (critical)" in message
    assert "at img: <img src=" in message


def test_screenshot_writes_a_full_page_png(page):
    page.goto("/admin/login/")
    (SCREENSHOTS / "admin-login.png").unlink(missing_ok=True)

    path = screenshot(page, "admin-login")

    assert path == SCREENSHOTS / "admin-login.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_editor_signs_in_through_the_admin_form(page, live_server, accounts):
    editor = accounts.editor

    sign_in(page, live_server, editor.username, editor.password, at="/admin/login/")

    assert page.url == f"{live_server.url}/admin/"
    assert editor.username in page.locator("#user-tools").inner_text().lower()
    # The dashboard's Chart.js came from node_modules through STATICFILES_DIRS, and ran.
    assert page.evaluate("() => typeof Chart") == "function"
    # The test's own ORM calls work beside Playwright, and see what the live server wrote.
    assert User.objects.get(pk=editor.user.pk).last_login is not None
    screenshot(page, "admin-dashboard-editor")


def test_sign_in_says_what_the_page_said_when_it_stays_there(page, live_server, accounts):
    with pytest.raises(AssertionError, match="(?s)stayed on the sign-in page.*correct username and password"):
        sign_in(page, live_server, accounts.reporter.username, "not the password", at="/admin/login/")


def test_an_inline_script_refused_by_the_csp_is_caught(page, page_problems):
    def inject(route):
        answer = route.fetch()
        body = answer.text().replace("</head>", "<script>document.title = 'ran';</script></head>")
        route.fulfill(response=answer, body=body)

    page.route("**/admin/login/", inject)
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.goto("/admin/login/")

    assert page.title() != "ran"
    assert page_problems.take(r"console error: .*Content Security Policy")


def test_a_missing_script_and_a_thrown_error_are_caught(page, page_problems):
    page.goto("/admin/login/")
    with page.expect_response("**/static/claims/no-such-file.js"):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.src = "/static/claims/no-such-file.js";
                document.head.append(script);
            }"""
        )
    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('the desk broke'); }); }")

    assert page_problems.take(r"^HTTP 404 GET .*/static/claims/no-such-file\.js$")
    assert page_problems.take(r"^uncaught exception: .*the desk broke")
    # Chromium also logs the 404 as a console error, which may arrive after this line.
    page_problems.allow(r"console error: Failed to load resource: .* 404 .*no-such-file\.js")
