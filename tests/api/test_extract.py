"""POST /api/v1/extract/: the extractor behind the API, its bad-input answers, and recording accepted candidates."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from claims import services
from claims.extraction import MAX_INPUT_CHARS, tagger
from claims.models import Quote, Speaker
from tests.api.conftest import client_for
from tests.conftest import shared_data
from tests.extraction.helpers import train_small_model
from tests.factories import ArticleFactory, SpeakerFactory

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
    payload = {"text": text, "attribution": "all"}  # lobbying is an action, not a quote
    response = client_for(reporter).post(reverse("api:extract"), payload, format="json")
    assert response.status_code == 200, response.content
    (learned,) = response.json()["candidates"]
    assert learned["text"] == "to close the harbour" and learned["reason"].startswith("learned")
    assert learned["attribution"] == "action"


def test_quotes_only_is_the_default_and_every_attribution_is_asked_for(reporter):
    text = "Senator Ann Lowe said the levy was unfair. Mayor Cy Dunn believes the levy will pass."
    url = reverse("api:extract")
    quotes = client_for(reporter).post(url, {"text": text}, format="json").json()["candidates"]
    assert [(c["speaker"], c["attribution"]) for c in quotes] == [("Ann Lowe", "speech")]
    every = client_for(reporter).post(url, {"text": text, "attribution": "all"}, format="json").json()["candidates"]
    assert [(c["speaker"], c["attribution"]) for c in every] == [("Ann Lowe", "speech"), ("Cy Dunn", "belief")]
    refused = client_for(reporter).post(url, {"text": text, "attribution": "beliefs"}, format="json")
    assert refused.status_code == 400 and "attribution" in refused.json()["error"]["fields"]


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


# --- A recorded article: its candidates, and recording the accepted ones ------------------------------------------


def seed_article(editor):
    """The seed article as recorded: its raw text, page furniture and all, is the body quote offsets point into."""
    body = shared_data("seed-article.txt").read_text(encoding="utf-8")
    outlet = services.record_outlet(name="The Daily Star", kind="newspaper", acting_user=editor)
    return services.record_article(
        url="https://www.thedailystar.net/news/world/russia-iran-military-ties",
        outlet=outlet,
        headline="Russia's military ties with Iran will withstand geopolitical pressure",
        body=body,
        acting_user=editor,
    )


def extract(user, **payload):
    return client_for(user).post(reverse("api:extract"), payload, format="json")


def ryabkov_direct_quotes(found: dict) -> list[int]:
    return [
        number
        for number, candidate in enumerate(found["candidates"])
        if candidate["kind"] == "direct" and candidate["speaker"] == "Sergei Ryabkov"
    ]


def test_a_recorded_articles_candidates_point_into_its_own_body(editor, reporter):
    article = seed_article(editor)
    response = extract(reporter, article=article.pk)

    assert response.status_code == 200, response.content
    found = response.json()
    assert found["article"] == article.pk and found["input_kind"] == "article" and found["revision"]
    assert found["body"] == article.body
    for candidate in found["candidates"]:
        assert article.body[candidate["start"] : candidate["end"]] == candidate["text"]
        if candidate["speaker_start"] is not None:
            assert article.body[candidate["speaker_start"] : candidate["speaker_end"]] == candidate["speaker_mention"]
    assert not Quote.objects.exists()


def test_the_two_ryabkov_quotes_of_the_seed_article_are_recorded_once(editor, reporter):
    article = seed_article(editor)
    gold = json.loads(shared_data("seed-article.gold.json").read_text(encoding="utf-8"))
    gold_spans = [tuple(q["span"]) for q in gold["quotes"] if q["speaker"] == "ryabkov" and q["kind"] == "direct"]
    found = extract(reporter, article=article.pk).json()
    accept = ryabkov_direct_quotes(found)
    assert len(accept) == 2

    response = extract(reporter, article=article.pk, accept=accept, revision=found["revision"])

    assert response.status_code == 201, response.content
    answer = response.json()
    assert [row["candidate"] for row in answer["recorded"]] == accept and answer["existing"] == []
    (ryabkov,) = answer["speakers_created"]
    assert ryabkov["name"] == "Sergei Ryabkov" and ryabkov["kind"] == "person"
    assert [(row["start"], row["end"]) for row in answer["recorded"]] == gold_spans
    for row in answer["recorded"]:
        quote = Quote.objects.get(pk=row["id"])
        assert (quote.start, quote.end, quote.text) == (row["start"], row["end"], row["text"])
        assert article.body[quote.start : quote.end] == quote.text
        assert quote.speaker_id == ryabkov["id"] == row["speaker"]["id"] and row["speaker"]["name"] == "Sergei Ryabkov"
        assert (quote.kind, quote.via, quote.speaker_title) == ("direct", "RIA", "Russian Deputy Foreign Minister")
        assert quote.created_by == reporter
    assert Speaker.objects.get().description == "Russian Deputy Foreign Minister"

    again = extract(reporter, article=article.pk, accept=accept)
    assert again.status_code == 200, again.content
    assert again.json()["recorded"] == [] and again.json()["speakers_created"] == []
    assert [row["id"] for row in again.json()["existing"]] == [row["id"] for row in answer["recorded"]]
    assert Quote.objects.count() == 2 and Speaker.objects.count() == 1


def test_a_refused_candidate_in_the_middle_of_a_batch_leaves_nothing_saved(editor, reporter):
    article = seed_article(editor)
    found = extract(reporter, article=article.pk).json()
    first, second = ryabkov_direct_quotes(found)
    washington = next(n for n, c in enumerate(found["candidates"]) if c["speaker"] == "Washington")
    # Two speakers called Washington, both organisations: which one asked is the editor's call.
    for _ in range(2):
        SpeakerFactory(name="Washington", kind="organization")

    response = extract(reporter, article=article.pk, accept=[first, washington, second])

    assert response.status_code == 400, response.content
    (reason,) = response.json()["error"]["fields"]["accept"]
    assert reason.startswith(f"Candidate {washington} (“to stop selling drones to Moscow”): speaker: 2 speakers go by")
    assert not Quote.objects.exists()
    assert not Speaker.objects.filter(name="Sergei Ryabkov").exists()


def test_the_editor_names_the_speaker_the_extractor_could_not(editor, reporter):
    article = seed_article(editor)
    found = extract(reporter, article=article.pk).json()
    washington = next(n for n, c in enumerate(found["candidates"]) if c["speaker"] == "Washington")
    white_house = SpeakerFactory(name="The White House", kind="organization")

    response = extract(reporter, article=article.pk, accept=[washington], speakers={str(washington): white_house.pk})

    assert response.status_code == 201, response.content
    (row,) = response.json()["recorded"]
    assert row["speaker"]["id"] == white_house.pk and response.json()["speakers_created"] == []
    assert Quote.objects.get().speaker == white_house


def test_a_stale_revision_records_nothing(editor, reporter):
    article = seed_article(editor)
    accept = ryabkov_direct_quotes(extract(reporter, article=article.pk).json())
    response = extract(reporter, article=article.pk, accept=accept, revision="0" * 32)
    assert response.status_code == 409, response.content
    assert "Extract again" in response.json()["error"]["message"]
    assert not Quote.objects.exists() and not Speaker.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"article": 0}, "article"),
        ({"article": "seven"}, "article"),
        ({"article": 2**63}, "article"),
        ({"article": "ARTICLE", "text": "a"}, "non_field_errors"),
        ({"article": "ARTICLE", "accept": []}, "accept"),
        ({"article": "ARTICLE", "accept": [-1]}, "accept"),
        ({"article": "ARTICLE", "accept": ["two"]}, "accept"),
        ({"article": "ARTICLE", "accept": [999]}, "accept"),
        ({"article": "ARTICLE", "accept": 3}, "accept"),
        ({"text": "a", "accept": [0]}, "accept"),
        ({"text": "a", "revision": "abc"}, "revision"),
        ({"article": "ARTICLE", "accept": [0], "speakers": {"1": 5}}, "speakers"),
        ({"article": "ARTICLE", "accept": [0], "speakers": {"0": 987654}}, "speakers"),
        ({"article": "ARTICLE", "accept": [0], "speakers": {"0": "him"}}, "speakers"),
        ({"article": "ARTICLE", "speakers": {"0": 1}}, "speakers"),
        ({"article": "ARTICLE", "accept": [0], "quote": "x"}, "quote"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(payload, field, editor, reporter):
    article = ArticleFactory(body=ARTICLE, created_by=editor)
    payload = {name: article.pk if value == "ARTICLE" else value for name, value in payload.items()}
    response = extract(reporter, **payload)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert not Quote.objects.exists() and not Speaker.objects.exists()


def test_an_unknown_article_is_a_404(reporter):
    response = extract(reporter, article=987654, accept=[0])
    assert response.status_code == 404
    assert "no article 987654" in response.json()["error"]["message"]


@pytest.mark.parametrize("who, expected", [("anonymous", 401), ("outsider", 403)])
@pytest.mark.parametrize("accepting", [False, True])
def test_only_the_newsroom_may_read_or_record_an_articles_candidates(who, expected, accepting, editor, request):
    article = ArticleFactory(body=ARTICLE, created_by=editor)
    payload = {"article": article.pk, **({"accept": [0]} if accepting else {})}
    response = extract(request.getfixturevalue(who), **payload)
    assert response.status_code == expected
    assert not Quote.objects.exists() and not Speaker.objects.exists()


def test_the_schema_documents_recording_accepted_candidates():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/extract/"]["post"]
    request_schema = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"text", "html", "article", "accept", "speakers", "revision"} <= set(
        schema["components"]["schemas"][request_schema]["properties"]
    )
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"recorded", "existing", "speakers_created"} <= set(schema["components"]["schemas"][created]["properties"])
    assert {"200", "201", "400", "401", "403", "404", "409", "413"} <= set(operation["responses"])
