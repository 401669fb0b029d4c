"""No lost updates, and one predictable error shape for every way a request can go wrong."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from claims.models import Article, Claim, Quote
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"] and error["message"]
    return error


# --- ETags ------------------------------------------------------------------------


def test_a_stale_if_match_gets_412_and_changes_nothing(editor, newsroom):
    client = client_for(editor)
    url = reverse("api:claim-detail", args=[newsroom.draft_claim.pk])
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"text": "First editor's wording."}, HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(url, {"text": "Second editor's wording."}, HTTP_IF_MATCH=etag)
    assert_error(stale, 412)
    assert Claim.objects.get(pk=newsroom.draft_claim.pk).text == "First editor's wording."
    assert_error(client.delete(url, HTTP_IF_MATCH=etag), 412)
    assert Claim.objects.filter(pk=newsroom.draft_claim.pk).exists()


def test_a_fresh_if_match_is_accepted_and_the_response_carries_the_new_etag(editor, newsroom):
    client = client_for(editor)
    url = reverse("api:quote-detail", args=[newsroom.published_quote.pk])
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"via": "state radio"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert client.get(url)["ETag"] == response["ETag"]


def test_an_articles_etag_from_get_passes_its_if_match(editor, newsroom):
    """GET shows an article's body; If-Match must hash that same representation, not the list's."""
    client = client_for(editor)
    url = reverse("api:article-detail", args=[newsroom.draft_article.pk])
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"headline": "Corrected headline"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] == client.get(url)["ETag"] != etag
    stale = client.patch(url, {"headline": "Another headline"}, HTTP_IF_MATCH=etag)
    assert_error(stale, 412)
    assert Article.objects.get(pk=newsroom.draft_article.pk).headline == "Corrected headline"


def test_a_verdict_with_a_stale_etag_is_refused(editor, newsroom):
    client = client_for(editor)
    claim_url = reverse("api:claim-detail", args=[newsroom.draft_claim.pk])
    etag = client.get(claim_url)["ETag"]
    assert client.patch(claim_url, {"text": "Changed meanwhile."}, HTTP_IF_MATCH=etag).status_code == 200
    response = client.post(
        reverse("api:claim-verdict", args=[newsroom.draft_claim.pk]),
        {"rating": "false", "summary": "No."},
        HTTP_IF_MATCH=etag,
    )
    assert_error(response, 412)
    assert Claim.objects.get(pk=newsroom.draft_claim.pk).rating == ""


@pytest.mark.parametrize("if_match", [None, "*"], ids=["no If-Match", "If-Match *"])
def test_a_change_that_names_no_version_gets_428_saying_how_and_changes_nothing(editor, newsroom, if_match):
    client = client_for(editor)
    claim = newsroom.draft_claim
    url = reverse("api:claim-detail", args=[claim.pk])
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    before = client.get(url)["ETag"]
    writes = [
        client.patch(url, {"text": "Unconditional wording."}, **headers),
        client.put(url, {"text": "Unconditional wording.", "claimant": claim.claimant_id}, format="json", **headers),
        client.post(reverse("api:claim-verdict", args=[claim.pk]), {"rating": "false", "summary": "No."}, **headers),
        client.post(reverse("api:claim-status", args=[claim.pk]), {"status": "in_review"}, **headers),
        client.delete(url, **headers),
    ]
    for response in writes:
        message = assert_error(response, 428)["message"]
        assert f"GET http://testserver{url}" in message and "If-Match" in message
    assert client.get(url)["ETag"] == before


def test_a_stale_if_match_is_told_the_current_etag(editor, newsroom):
    client = client_for(editor)
    url = reverse("api:speaker-detail", args=[newsroom.draft_speaker.pk])
    stale = client.get(url)["ETag"]
    current = client.patch(url, {"description": "Minister"}, HTTP_IF_MATCH=stale)["ETag"]
    response = client.patch(url, {"description": "Former minister"}, HTTP_IF_MATCH=stale)
    assert current in assert_error(response, 412)["message"]
    assert response["ETag"] == current == client.get(url)["ETag"]


@pytest.mark.parametrize("headers", [{}, {"HTTP_IF_MATCH": '"0123"'}], ids=["428", "412"])
def test_a_refused_change_locks_and_reads_the_row_once_and_writes_nothing(
    editor, newsroom, headers, django_assert_num_queries
):
    client = client_for(editor)
    url = reverse("api:claim-detail", args=[newsroom.draft_claim.pk])
    # The editor's roles; a savepoint; the lock; the row with its counts; its quotes; its topics; the rollback.
    with django_assert_num_queries(8) as queries:
        response = client.patch(url, {"text": "Unseen wording."}, **headers)
    assert response.status_code in (412, 428)
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]


def test_an_accepted_change_checks_only_what_it_changes(editor, newsroom, django_assert_num_queries):
    client = client_for(editor)
    url = reverse("api:claim-detail", args=[newsroom.draft_claim.pk])
    etag = client.get(url)["ETag"]
    # The editor's roles; a savepoint, the lock, the row with its quotes and topics (to check the ETag); the edit
    # (10, as test_named_edits counts them); the row again as it is now. Before, every field and constraint of
    # the claim was checked again: 16 queries more.
    with django_assert_num_queries(19):
        response = client.patch(url, {"venue": "On the radio"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content


def test_if_match_takes_a_list_of_etags_and_passes_when_one_is_current(editor, newsroom):
    client = client_for(editor)
    url = reverse("api:source-detail", args=[newsroom.draft_source.pk])
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"title": "Renamed"}, HTTP_IF_MATCH=f'"0123", {etag}')
    assert response.status_code == 200, response.content


def test_an_unchanged_record_answers_304_to_if_none_match(anonymous, newsroom):
    client = client_for(anonymous)
    url = reverse("api:claim-detail", args=[newsroom.published_claim.pk])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


# --- Errors -----------------------------------------------------------------------


def test_malformed_json_is_a_400(editor):
    response = client_for(editor).generic(
        "POST", reverse("api:outlet-list"), '{"name": "Broken', content_type="application/json"
    )
    assert_error(response, 400)


def test_a_body_that_is_not_an_object_is_a_400(editor):
    response = client_for(editor).post(reverse("api:outlet-list"), ["a", "list"], format="json")
    assert_error(response, 400)


def test_unknown_fields_are_named(editor):
    response = client_for(editor).post(reverse("api:outlet-list"), {"name": "X", "colour": "red"}, format="json")
    assert assert_error(response, 400)["fields"] == {"colour": ["Unknown field."]}


def test_wrong_types_are_named_per_field(editor, newsroom):
    response = client_for(editor).post(
        reverse("api:quote-list"),
        {"article": "first", "speaker": [1], "text": 5, "start": -3, "said_on": "yesterday"},
        format="json",
    )
    fields = assert_error(response, 400)["fields"]
    assert {"article", "speaker", "start", "said_on"} <= set(fields)


def test_an_article_url_that_is_not_http_is_refused(editor, newsroom):
    response = client_for(editor).post(
        reverse("api:article-list"),
        {"url": "javascript:alert(1)", "outlet": newsroom.outlet.pk, "headline": "H", "body": "B"},
        format="json",
    )
    assert "url" in assert_error(response, 400)["fields"]
    assert not Article.objects.filter(url__startswith="javascript").exists()


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE claims_claim; --",
        "<script>alert('x')</script>",
        '" OR 1=1 --',
        "Robert'); DELETE FROM auth_user WHERE ('1'='1",
    ],
)
def test_sql_and_script_fragments_are_kept_as_plain_text(editor, newsroom, text):
    client = client_for(editor)
    response = client.post(
        reverse("api:claim-list"), {"text": text, "claimant": newsroom.published_speaker.pk}, format="json"
    )
    assert response.status_code == 201
    assert Claim.objects.get(pk=response.json()["id"]).text == text
    # Rendered as JSON, never as markup.
    assert response["Content-Type"] == "application/json"
    # A filter takes them as plain text to match, or refuses them as no value it could hold, naming it.
    assert client.get(reverse("api:quote-list"), {"via": text}).status_code == 200
    refused = client.get(reverse("api:claim-list"), {"topic": text})
    assert "topic" in assert_error(refused, 400)["fields"]


def test_null_characters_are_refused_not_a_500(editor, newsroom):
    client = client_for(editor)
    response = client.post(
        reverse("api:claim-list"), {"text": "a\x00b", "claimant": newsroom.published_speaker.pk}, format="json"
    )
    assert_error(response, 400)
    assert_error(client.get(reverse("api:quote-list"), {"via": "a\x00b"}), 400)
    assert_error(client.get(reverse("api:search"), {"q": "a\x00b"}), 400)


@pytest.mark.parametrize("params", [{"page_size": "100000"}, {"page_size": "-1"}, {"page_size": "ten"}])
def test_page_sizes_out_of_range_are_a_400(anonymous, params):
    assert "page_size" in assert_error(client_for(anonymous).get(reverse("api:quote-list"), params), 400)["fields"]


@pytest.mark.parametrize(
    "params", [{"cursor": "not-a-cursor"}, {"cursor": "bz0tNQ=="}, {"cursor": "bz1hYmM="}, {"offset": "-5"}]
)
def test_bad_cursors_and_offsets_are_a_400(anonymous, params):
    assert_error(client_for(anonymous).get(reverse("api:claim-list"), params), 400)


def test_an_unknown_filter_is_a_400_naming_the_ones_there_are(anonymous):
    error = assert_error(client_for(anonymous).get(reverse("api:claim-list"), {"statuss": "draft"}), 400)
    assert "status" in error["fields"]["statuss"][0]


def test_anonymous_writes_are_401_with_a_challenge(anonymous):
    response = client_for(anonymous).post(reverse("api:outlet-list"), {"name": "X"}, format="json")
    assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Token")


def test_an_unknown_endpoint_is_a_json_404(anonymous):
    assert_error(client_for(anonymous).get("/api/v1/nothing-here/"), 404)


def test_a_method_the_endpoint_lacks_is_a_405(editor):
    assert_error(client_for(editor).put(reverse("api:claim-list"), {}, format="json"), 405)


def test_form_encoded_bodies_are_a_415(editor):
    response = client_for(editor).post(reverse("api:outlet-list"), "name=X", content_type="text/plain")
    assert_error(response, 415)


@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_body_over_the_limit_is_a_413_and_nothing_is_written(editor, newsroom):
    before = Quote.objects.count()
    response = client_for(editor).post(
        reverse("api:quote-list"),
        {"article": newsroom.published_article.pk, "speaker": newsroom.published_speaker.pk, "text": "x" * 5000},
        format="json",
    )
    assert "at most 1000" in assert_error(response, 413)["message"]
    assert Quote.objects.count() == before


@override_settings(API_ANON_RATE="3/minute")
def test_anonymous_use_is_throttled_with_a_429(anonymous):
    client = client_for(anonymous)
    statuses = [client.get(reverse("api:claim-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(reverse("api:claim-list"))
    assert_error(response, 429)
    assert int(response["Retry-After"]) > 0


def test_errors_are_json_with_one_shape_even_for_a_409(editor, newsroom):
    response = client_for(editor).post(
        reverse("api:evidence-list"),
        {"claim": newsroom.published_claim.pk, "source": newsroom.published_source.pk, "stance": "supports"},
        format="json",
    )
    error = assert_error(response, 409)
    assert json.dumps(error["fields"])  # field messages say what already exists
