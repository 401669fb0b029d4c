"""POST /api/v1/extract/: the extractor behind the API, with its bad-input answers."""

import pytest
from django.test import override_settings
from django.urls import reverse

from claims.extraction import MAX_INPUT_CHARS, tagger
from tests.api.conftest import client_for
from tests.extraction.helpers import train_small_model

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Finance Minister Helena Marsh said on Tuesday that the budget would be balanced by 2027.\n\n"
    "\u201cWe will close the gap without raising a single tax,\u201d Marsh told parliament."
)


def test_a_pasted_article_comes_back_with_anchored_candidates(reporter):
    response = client_for(reporter).post(reverse("api:extract"), {"text": ARTICLE}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["candidates"]
    for candidate in body["candidates"]:
        assert body["body"][candidate["start"] : candidate["end"]] == candidate["text"]
    direct = [c for c in body["candidates"] if c["kind"] == "direct"]
    assert direct and "Marsh" in direct[0]["speaker"]


def test_the_configured_learned_model_adds_its_statements(reporter, monkeypatch, tmp_path):
    monkeypatch.setenv(tagger.MODEL_ENV, str(train_small_model(tmp_path / "model.crfsuite")))
    text = "Councillor Gus Ames lobbied to close the harbour."
    response = client_for(reporter).post(reverse("api:extract"), {"text": text}, format="json")
    assert response.status_code == 200, response.content
    (learned,) = response.json()["candidates"]
    assert learned["text"] == "to close the harbour" and learned["reason"].startswith("learned")


def test_html_goes_through_the_same_extractor(reporter):
    html = f"<html><body><article><h1>Budget</h1><p>{ARTICLE}</p></article></body></html>"
    assert client_for(reporter).post(reverse("api:extract"), {"html": html}, format="json").status_code == 200


@pytest.mark.parametrize("payload", [{}, {"text": "a", "html": "<p>a</p>"}, {"txt": "a"}, ["text"]])
def test_a_malformed_request_is_a_400(reporter, payload):
    assert client_for(reporter).post(reverse("api:extract"), payload, format="json").status_code == 400


def test_binary_junk_is_refused_with_a_reason(reporter):
    response = client_for(reporter).post(reverse("api:extract"), {"text": "\x01\x02\x03" * 200}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["text"]


def test_text_over_the_documented_size_is_refused(reporter):
    with override_settings(API_MAX_EXTRACT_BODY_BYTES=MAX_INPUT_CHARS * 4):
        response = client_for(reporter).post(
            reverse("api:extract"), {"text": "a" * (MAX_INPUT_CHARS + 1)}, format="json"
        )
    assert response.status_code == 400
    assert f"the limit is {MAX_INPUT_CHARS:,}" in response.json()["error"]["fields"]["text"][0]


def test_a_request_body_over_the_limit_is_a_413(reporter):
    with override_settings(API_MAX_EXTRACT_BODY_BYTES=1000):
        response = client_for(reporter).post(reverse("api:extract"), {"text": "a" * 5000}, format="json")
    assert response.status_code == 413
