"""A Content-Security-Policy with no inline script, and pages that need none."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
# Script types that are data for a page's own code, not code: CSP does not apply to them.
DATA_TYPES = {"application/ld+json", "application/json"}


class InlineScripts(HTMLParser):
    """The bodies of a page's <script> elements that would run as code without a src."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[str] = []
        self._body: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            attrs = dict(attrs)
            self._body = None if "src" in attrs or attrs.get("type") in DATA_TYPES else []

    def handle_data(self, data):
        if self._body is not None and data.strip():
            self._body.append(data.strip())

    def handle_endtag(self, tag):
        if tag == "script":
            if self._body:
                self.found.append(" ".join(self._body)[:80])
            self._body = None


def inline_scripts(html: str) -> list[str]:
    return InlineScripts(html).found


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_no_inline_script(response):
    assert response.status_code == 200, response.content[:300]
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert inline_scripts(response.content.decode()) == []


def test_the_parser_finds_inline_script_and_passes_data_blocks():
    html = (
        '<script src="/a.js"></script><script type="application/ld+json">{"a": 1}</script>'
        '<script id="d" type="application/json">[1]</script><script>alert(1)</script>'
    )
    assert inline_scripts(html) == ["alert(1)"]


def test_the_sign_in_page(client):
    assert_no_inline_script(client.get("/admin/login/"))


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/claims/claim/", "/admin/claims/claim/add/", "/admin/claims/claim/{claim}/change/"]
)
def test_the_admin_and_its_dashboard(client, editor, path):
    claim = ClaimFactory()
    client.force_login(editor)
    assert_no_inline_script(client.get(path.format(claim=claim.pk)))


def test_the_api_docs_load_their_start_up_script_from_a_url(client):
    page = client.get("/api/v1/docs/")
    assert_no_inline_script(page)
    assert "/api/v1/docs/?script=" in page.content.decode()
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_the_redoc_page_asks_for_nothing_from_other_sites(client):
    page = client.get("/api/v1/redoc/")
    assert_no_inline_script(page)
    assert "googleapis" not in page.content.decode() and "/static/" in page.content.decode()


def test_api_answers_carry_the_policy(client):
    assert policy(client.get("/api/v1/claims/"))["script-src"] == ["'self'"]


def test_no_project_template_has_inline_script():
    templates = [
        path
        for path in ROOT.rglob("templates/**/*.html")
        if not {".venv", "node_modules", "staticfiles"} & set(path.relative_to(ROOT).parts)
    ]
    assert templates, "the project's templates were not found"
    offending = {str(path.relative_to(ROOT)): inline_scripts(path.read_text()) for path in templates}
    assert {path: bodies for path, bodies in offending.items() if bodies} == {}
