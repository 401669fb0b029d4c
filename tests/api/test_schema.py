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


@pytest.mark.django_db
def test_the_generated_schema_is_valid_openapi_3():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/v1/claims/{id}/claimreview/", "/api/v1/search/", "/api/v1/extract/"} <= paths


@pytest.mark.django_db
def test_the_interactive_docs_load_nothing_from_the_internet(anonymous):
    page = client_for(anonymous).get(reverse("api:docs")).content.decode()
    assert "swagger-ui" in page
    # Every script and stylesheet is served from here (the sidecar); a random CSRF token may spell "cdn".
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert assets and all(asset.startswith("/") for asset in assets), assets
    assert "https://" not in page and "http://" not in page


@pytest.mark.django_db(transaction=True)
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
