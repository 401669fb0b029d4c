"""The OpenAPI schema: valid, documented offline, and true to what the API answers over real HTTP."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

from tests.api.conftest import client_for

SCHEMATHESIS = Path(sys.executable).with_name("st")
MAX_ID = 2**63 - 1


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, name: str) -> dict:
    return schema["components"]["schemas"][name]


def resolved(schema, ref_or_schema: dict) -> dict:
    ref = ref_or_schema.get("$ref")
    return component(schema, ref.rsplit("/", 1)[1]) if ref else ref_or_schema


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


@pytest.mark.django_db
def test_the_generated_schema_is_valid_openapi_3():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/v1/claims/{id}/claimreview/", "/api/v1/search/", "/api/v1/extract/"} <= paths


# --- Request bodies are what the API reads -----------------------------------------------


def test_a_claim_request_is_what_making_a_claim_takes(schema):
    claim = component(schema, "ClaimRequest")
    assert not {"status", "rating", "rating_summary", "reviewer", "published_at"} & set(claim["properties"])
    assert {"text", "claimant"} <= set(claim["required"])
    assert {"quotes", "topics", "made_on"} <= set(claim["properties"])
    assert claim["additionalProperties"] is False
    create = schema["paths"]["/api/v1/claims/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert create == {"$ref": "#/components/schemas/ClaimRequest"}


@pytest.mark.parametrize("name", ["OutletRequest", "SpeakerRequest", "PatchedOutletRequest", "PatchedSpeakerRequest"])
def test_outlet_and_speaker_requests_take_no_slug(schema, name):
    assert "slug" not in component(schema, name)["properties"]


def test_patch_bodies_are_all_optional_and_put_bodies_are_the_update_serializers(schema):
    for path, method, operation in operations(schema):
        if method == "patch":
            body = resolved(schema, operation["requestBody"]["content"]["application/json"]["schema"])
            assert not body.get("required"), path
    evidence_put = schema["paths"]["/api/v1/evidence/{id}/"]["put"]["requestBody"]["content"]["application/json"]
    assert evidence_put["schema"] == {"$ref": "#/components/schemas/EvidenceChangeRequest"}
    assert "claim" not in component(schema, "EvidenceChangeRequest")["properties"]


# --- Errors, access and limits ------------------------------------------------------


def test_every_operation_documents_its_errors_in_the_one_error_shape(schema):
    error = component(schema, "Error")
    assert set(resolved(schema, error["properties"]["error"])["required"]) == {"status", "code", "message"}
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        expected = {"400", "401", "429"}
        if method != "get":
            expected |= {"403", "409"}
        if method in ("post", "put", "patch"):
            expected |= {"413"}
        if "{id}" in path:
            expected |= {"404"}
        if method in ("put", "patch", "delete") and "{id}" in path:
            expected |= {"412", "428"}
        assert expected <= codes, (method, path, expected - codes)
        for code in expected:
            content = operation["responses"][code]["content"]["application/json"]["schema"]
            assert resolved(schema, content)["properties"].keys() == {"error"}, (method, path, code)


def test_claim_actions_that_check_if_match_document_the_412_428_and_the_required_header(schema):
    for action in ("verdict", "status"):
        operation = schema["paths"][f"/api/v1/claims/{{id}}/{action}/"]["post"]
        assert {"412", "428"} <= set(operation["responses"])
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True
        assert "ETag" in operation["responses"]["412"]["headers"]


def test_only_changes_to_a_row_require_if_match(schema):
    for path, method, operation in operations(schema):
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        changes_a_row = (method in ("put", "patch", "delete") and "{id}" in path) or path.endswith(
            ("/verdict/", "/status/")
        )
        assert ("If-Match" in headers) == changes_a_row, (method, path)


def test_reads_are_open_to_anonymous_readers_and_writes_need_credentials(schema):
    for path, method, operation in operations(schema):
        security = operation.get("security", [])
        if method == "get":
            assert {} in security, (method, path)
        else:
            assert {} not in security and security, (method, path)
            assert {next(iter(s)) for s in security} <= {"tokenAuth", "cookieAuth"}


def test_limits_are_in_the_schema(schema):
    quotes = {p["name"]: p for p in schema["paths"]["/api/v1/quotes/"]["get"]["parameters"]}
    assert (quotes["page_size"]["schema"]["minimum"], quotes["page_size"]["schema"]["maximum"]) == (1, 100)
    assert (quotes["speaker"]["schema"]["minimum"], quotes["speaker"]["schema"]["maximum"]) == (1, MAX_ID)
    assert quotes["via"]["schema"]["maxLength"] == 200
    detail = {p["name"]: p for p in schema["paths"]["/api/v1/quotes/{id}/"]["get"]["parameters"]}
    assert (detail["id"]["schema"]["minimum"], detail["id"]["schema"]["maximum"]) == (1, MAX_ID)
    search = {p["name"]: p for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"]}
    assert search["q"]["schema"]["maxLength"] == 200 and search["q"]["required"]
    claim = component(schema, "ClaimRequest")["properties"]
    assert claim["claimant"]["maximum"] == claim["quotes"]["items"]["maximum"] == MAX_ID
    assert "262,144 bytes" in schema["paths"]["/api/v1/claims/"]["post"]["description"]
    ordering = {p["name"]: p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}["ordering"]
    assert "made_on" in ordering["description"] and ordering["schema"]["pattern"]
    booleans = {p["name"]: p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert booleans["has_contradictions"]["schema"]["enum"] == ["true", "false", "1", "0"]


# --- Bodies generated from the schema create every record -------------------------------

# What each id-typed property names a row of, by the property's name.
REFERENCES = {
    "outlet": "outlets",
    "credited_to": "outlets",
    "article": "articles",
    "speaker": "speakers",
    "claimant": "speakers",
    "organization": "speakers",
    "quotes": "quotes",
    "claim": "claims",
    "other": "claims",
    "source": "sources",
}
# One of each record, in an order where each finds the rows it refers to.
RESOURCES = ["outlets", "articles", "speakers", "quotes", "claims", "sources", "evidence", "relations"]
# Every free-text property gets these words: an article's body holds them, so a quote of them is anchored.
WORDS = "The harbour levy will pay for the new lighthouse"


class BodyFactory:
    """Request bodies from the schema alone: each required property, and nothing the schema does not list."""

    def __init__(self, schema, ids: dict[str, list[int]]):
        self.schema, self.ids, self.serial = schema, ids, 0

    def body(self, body_schema: dict) -> dict:
        body_schema = resolved(self.schema, body_schema)
        properties = body_schema["properties"]
        used: dict[str, int] = {}
        body = {}
        for name in body_schema.get("required", []):
            body[name] = self.value(name, properties[name], used)
        assert set(body) <= set(properties)
        return body

    def value(self, name: str, prop: dict, used: dict[str, int]):
        prop = resolved(self.schema, prop)
        if "enum" in prop:
            return next(value for value in prop["enum"] if value not in ("", None))
        kind = prop.get("type")
        if kind == "array":
            return [self.value(name, prop["items"], used)]
        if kind == "integer" and prop.get("format") == "int64":
            # A row id: an existing row of what the property names; a second one of a kind takes the next row.
            rows = self.ids[REFERENCES[name]]
            position = used[REFERENCES[name]] = used.get(REFERENCES[name], -1) + 1
            return rows[position]
        if kind == "integer":
            return max(prop.get("minimum", 1), 1)
        if kind == "boolean":
            return True
        if kind == "string":
            self.serial += 1
            return {
                "uri": f"https://example.org/generated/{self.serial}",
                "date": "2024-03-01",
                "date-time": "2024-03-01T09:30:00Z",
                "email": f"desk{self.serial}@example.org",
            }.get(prop.get("format"), WORDS[: prop.get("maxLength", len(WORDS))])
        raise AssertionError(f"No value for {name}: {prop}")


@pytest.mark.django_db
def test_bodies_generated_from_the_schema_create_one_of_each_record(schema, editor, newsroom):
    client = client_for(editor)
    # Rows made here come first, then those already there, so each id names a row that exists.
    ids = {
        "outlets": [newsroom.outlet.pk],
        "articles": [newsroom.published_article.pk],
        "speakers": [newsroom.published_speaker.pk],
        "quotes": [newsroom.published_quote.pk],
        "claims": [newsroom.published_claim.pk, newsroom.draft_claim.pk],
        "sources": [newsroom.published_source.pk],
    }
    factory = BodyFactory(schema, ids)
    for resource in RESOURCES:
        path = f"/api/v1/{resource}/"
        operation = schema["paths"][path]["post"]
        body = factory.body(operation["requestBody"]["content"]["application/json"]["schema"])
        response = client.post(path, body, format="json")
        assert response.status_code == 201, (resource, body, response.content)
        ids.setdefault(resource, []).insert(0, response.json()["id"])
    assert all(ids[resource] for resource in RESOURCES)


@pytest.mark.django_db
def test_the_interactive_docs_load_nothing_from_the_internet(anonymous):
    page = client_for(anonymous).get(reverse("api:docs")).content.decode()
    assert "swagger-ui" in page
    # Every script and stylesheet is served from here (the sidecar); a random CSRF token may spell "cdn".
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert assets and all(asset.startswith("/") for asset in assets), assets
    assert "https://" not in page and "http://" not in page


# load_demo needs the roles a migration makes, which an earlier transactional test's flush removed. Serialized
# rollback, not `committed`: its flush makes content types anew, which the browser tests' serialized rollback
# then collides with.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schemathesis_finds_no_server_error_and_no_response_off_schema(live_server, settings):
    """A bounded property-based run over every operation, as an editor, over real HTTP."""
    settings.DEBUG = True
    settings.API_USER_RATE = "100000/minute"
    call_command("load_demo", stdout=io.StringIO())
    token = Token.objects.create(user_id=_editor_id())
    assert requests.get(f"{live_server.url}/api/v1/claims/", timeout=10).status_code == 200

    result = subprocess.run(  # noqa: S603 (the venv's own schemathesis, against our live server)
        [
            str(SCHEMATHESIS),
            "run",
            f"{live_server.url}/api/v1/schema/",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "5",
            "--seed",
            "20261124",
            "--no-shrink",
            "--workers",
            "1",
            "--header",
            f"Authorization: Token {token.key}",
            # The test server answers keep-alive requests ~60 ms late (delayed ACK); fresh ones in ~8.
            "--header",
            "Connection: close",
            "--request-timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def _editor_id() -> int:
    from django.contrib.auth.models import User

    return User.objects.get(username="editor").pk
