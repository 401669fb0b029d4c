"""Input anyone may send, signed in or not, is a 400 naming what is wrong: never a 500, never a silently full list."""

import base64

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from claims.models import Outlet
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, QuoteFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="The failure it guards against is PostgreSQL's."
)


def refused(response, *names: str) -> dict:
    """The 400's field messages, after checking it is a 400 that names each of `names`."""
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["status"] == 400
    for name in names:
        assert name in error.get("fields", {}), error
    return error.get("fields", {})


def cursor(**tokens) -> str:
    return base64.b64encode("&".join(f"{k}={v}" for k, v in tokens.items()).encode()).decode()


# --- Cursors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("api:claim-list", {"cursor": "cD1hYmM="}),  # p=abc, against an id
        ("api:claim-list", {"cursor": cursor(p="99999999999999999999")}),  # past the largest bigint
        ("api:claim-list", {"ordering": "made_on", "cursor": cursor(p="2024-13-45")}),
        ("api:article-list", {"ordering": "-published_at", "cursor": cursor(p="yesterday")}),
        ("api:outlet-list", {"ordering": "name", "cursor": cursor(p="a%00b")}),
        ("api:claimreview-feed", {"cursor": cursor(p="abc")}),
    ],
)
def test_a_forged_cursor_that_decodes_is_a_400(anonymous, newsroom, url_name, params):
    fields = refused(client_for(anonymous).get(reverse(url_name), params), "cursor")
    assert "next or previous link" in fields["cursor"][0]


def test_a_forged_cursor_on_a_speakers_statements_is_a_400(anonymous, newsroom):
    url = reverse("api:speaker-statements", args=[newsroom.published_speaker.pk])
    refused(client_for(anonymous).get(url, {"cursor": "cD1hYmM="}), "cursor")


def test_the_cursors_the_api_gives_still_work(anonymous, newsroom):
    ClaimFactory.create_batch(3, published=True)
    client = client_for(anonymous)
    page = client.get(reverse("api:claim-list"), {"page_size": 2}).json()
    assert client.get(page["next"]).status_code == 200


# --- Page sizes -------------------------------------------------------------------


@pytest.mark.parametrize("size", ["³", "١٢", "²0", "1e2", " 5", "5 ", "0", "101", "9" * 30])
def test_a_page_size_is_ascii_digits_from_1_to_100(anonymous, newsroom, size):
    client = client_for(anonymous)
    refused(client.get(reverse("api:quote-list"), {"page_size": size}), "page_size")
    refused(client.get(reverse("api:search"), {"q": "budget", "page_size": size}), "page_size")


# --- Search -----------------------------------------------------------------------


@pytest.mark.parametrize("q", ["- " * 40, "-" * 60, "- - " * 20 + '" "', "or or or"])
def test_a_search_of_nothing_but_operators_is_a_400_naming_q(anonymous, newsroom, q):
    fields = refused(client_for(anonymous).get(reverse("api:search"), {"q": q}), "q")
    assert "no words" in fields["q"][0]


@pytest.mark.parametrize(
    "q", ["budget " + "- " * 40, "budget " + "--x " * 40, "budget " + "x " * 80, '"the budget" ' + "-- - " * 30]
)
def test_a_search_with_runs_of_operators_or_too_many_words_still_answers(anonymous, newsroom, q):
    response = client_for(anonymous).get(reverse("api:search"), {"q": q[:200]})
    assert response.status_code == 200, response.content


@on_postgres
def test_postgresql_itself_fails_on_the_raw_hyphens(db):
    """What the normalised query spares: the raw one is an error inside PostgreSQL."""
    with pytest.raises(DatabaseError, match="tsquery stack too small"), transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT websearch_to_tsquery('english', %s)", ["- " * 40])


def test_search_finds_the_words_among_the_operators(editor, newsroom):
    hits = client_for(editor).get(reverse("api:search"), {"q": "- - - balanced " + "- " * 40, "type": "quote"})
    assert hits.status_code == 200, hits.content
    assert newsroom.published_quote.pk in {hit["id"] for hit in hits.json()["results"]}


# --- Dates and times --------------------------------------------------------------


@pytest.mark.parametrize("offset", ["+19:15", "-14:30", "+23:59", "+14:01"])
def test_a_utc_offset_that_does_not_exist_is_refused_with_a_message(anonymous, newsroom, offset):
    params = {"published_after": f"2024-01-01T00:00:00{offset}"}
    fields = refused(client_for(anonymous).get(reverse("api:article-list"), params), "published_after")
    assert "offset" in fields["published_after"][0]


@pytest.mark.parametrize("value", ["2024-01-01T00:00:00+14:00", "2024-01-01T00:00:00-12:00", "2024-01-01T00:00:00Z"])
def test_real_offsets_are_taken(anonymous, newsroom, value):
    response = client_for(anonymous).get(reverse("api:article-list"), {"published_before": value})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "yesterday", "2024-02-30T00:00:00"]
)
def test_a_time_outside_the_calendar_or_not_a_time_is_a_400(anonymous, newsroom, value):
    refused(client_for(anonymous).get(reverse("api:article-list"), {"published_before": value}), "published_before")


def test_an_article_written_with_an_offset_that_does_not_exist_is_refused(editor, newsroom):
    body = {
        "url": "https://post.example.com/offsets",
        "outlet": newsroom.outlet.pk,
        "headline": "H",
        "body": "B",
        "published_at": "2024-01-01T00:00:00+19:15",
    }
    refused(client_for(editor).post(reverse("api:article-list"), body, format="json"), "published_at")


# --- Nesting ----------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("body", [nested(1000), '{"a":' * 500 + "1" + "}" * 500, '{"name": ' + nested(40) + "}"])
def test_a_body_nested_too_deep_is_a_400_naming_the_limit(editor, body):
    assert len(body) <= 4096
    response = client_for(editor).generic("POST", reverse("api:outlet-list"), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "at most 32" in response.json()["error"]["message"]
    assert not Outlet.objects.exists()


def test_extraction_refuses_a_body_nested_too_deep(reporter):
    response = client_for(reporter).generic(
        "POST", reverse("api:extract"), nested(1000), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "at most 32" in response.json()["error"]["message"]


def test_brackets_inside_strings_are_text_not_nesting(editor):
    response = client_for(editor).post(
        reverse("api:outlet-list"), {"name": "[" * 500 + "Post" + "]" * 500}, format="json"
    )
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert "32" not in response.json()["error"]["message"]


def test_nesting_up_to_the_limit_is_parsed(editor):
    response = client_for(editor).generic(
        "POST",
        reverse("api:outlet-list"),
        '{"name": "Post", "kind": ' + nested(31) + "}",
        content_type="application/json",
    )
    # Parsed, then refused by the serializer as the wrong type for kind.
    assert "kind" in refused(response)


# --- Filter values ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["maybe", "yes", "2", "TRUE!", "null"])
def test_a_boolean_filter_takes_true_false_1_or_0(anonymous, newsroom, value):
    fields = refused(
        client_for(anonymous).get(reverse("api:claim-list"), {"has_contradictions": value}), "has_contradictions"
    )
    assert "true or false" in fields["has_contradictions"][0]


@pytest.mark.parametrize("value, contradicted", [("true", True), ("1", True), ("false", False), ("0", False)])
def test_the_boolean_filters_values_filter(editor, newsroom, value, contradicted):
    ids = {
        row["id"]
        for row in client_for(editor).get(reverse("api:claim-list"), {"has_contradictions": value}).json()["results"]
    }
    assert (newsroom.relation.from_claim_id in ids) is contradicted


@pytest.mark.parametrize("ordering", ["created_by__password", "nonsense", "-text", "id,id", "made_on,", "rating"])
def test_an_ordering_the_list_cannot_sort_by_is_a_400_listing_those_it_can(anonymous, newsroom, ordering):
    fields = refused(client_for(anonymous).get(reverse("api:claim-list"), {"ordering": ordering}), "ordering")
    assert "made_on, -made_on" in fields["ordering"][0]


@pytest.mark.parametrize("ordering", ["made_on", "-published_at", "made_on,-id", "id"])
def test_the_orderings_a_list_names_are_taken(anonymous, newsroom, ordering):
    assert client_for(anonymous).get(reverse("api:claim-list"), {"ordering": ordering}).status_code == 200


def test_an_ordering_on_a_list_without_ordering_fields_takes_only_the_id(anonymous, newsroom):
    client = client_for(anonymous)
    refused(client.get(reverse("api:evidence-list"), {"ordering": "note"}), "ordering")
    assert client.get(reverse("api:evidence-list"), {"ordering": "-id"}).status_code == 200


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("api:quote-list", {"speaker": "١"}),  # an Arabic-Indic digit: a digit to int(), not an id
        ("api:quote-list", {"speaker": "99999999999999999999"}),
        ("api:quote-list", {"article": "0"}),
        ("api:quote-list", {"article": "1.0"}),
        ("api:quote-list", {"outlet": "not a slug"}),
        ("api:quote-list", {"via": "x" * 201}),
        ("api:quote-list", {"said_on_after": "2024-02-30"}),
        ("api:quote-list", {"kind": "rumour"}),
        ("api:claim-list", {"topic": "no/such/slug"}),
        ("api:outlet-list", {"country": "gb"}),
        ("api:outlet-list", {"country": "GBR"}),
        ("api:article-list", {"language": "en US"}),
        ("api:article-list", {"url": "javascript:alert(1)"}),
        ("api:source-list", {"url": "not a url"}),
        ("api:speaker-list", {"organization": "-1"}),
        ("api:relation-list", {"claim": "x"}),
        ("api:evidence-list", {"stance": "agrees"}),
    ],
)
def test_every_filter_validates_its_value(anonymous, newsroom, url_name, params):
    (name,) = params
    refused(client_for(anonymous).get(reverse(url_name), params), name)


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("api:quote-list", {"via": "state\u202eradio"}),  # a right-to-left override
        ("api:speaker-list", {"name": "Ry\u0007abkov"}),  # a bell
        ("api:search", {"q": "drones\u2066"}),  # an isolate
        ("api:claim-list", {"ordering": "id\x1b"}),
        ("api:claim-list", {"cursor": "\x00"}),
    ],
)
def test_query_parameters_with_control_or_bidi_characters_are_refused(anonymous, newsroom, url_name, params):
    (name,) = params
    fields = refused(client_for(anonymous).get(reverse(url_name), params), name)
    assert "U+" in fields[name][0]


def test_a_parameter_given_twice_is_refused(anonymous, newsroom):
    response = client_for(anonymous).get(reverse("api:claim-list") + "?status=draft&status=published")
    assert "once" in refused(response, "status")["status"][0]


def test_a_detail_read_takes_no_list_parameters(anonymous, newsroom):
    url = reverse("api:claim-detail", args=[newsroom.published_claim.pk])
    refused(client_for(anonymous).get(url, {"ordering": "id"}), "ordering")
    refused(client_for(anonymous).get(url, {"cursor": "cD0x"}), "cursor")


@pytest.mark.parametrize("pk", [str(2**63 - 1), str(2**63), "9" * 19])
def test_ids_up_to_nineteen_digits_are_looked_up_and_missing(anonymous, pk):
    response = client_for(anonymous).get(f"/api/v1/claims/{pk}/")
    assert response.status_code == 404, response.content
    assert response.json()["error"]["status"] == 404


def test_an_id_in_a_body_past_the_largest_bigint_is_a_400(editor, newsroom):
    response = client_for(editor).post(reverse("api:claim-list"), {"text": "T", "claimant": 2**64}, format="json")
    refused(response, "claimant")


def test_quotes_of_an_article_filter_by_its_id(editor, newsroom):
    article = ArticleFactory()
    quote = QuoteFactory(article=article)
    rows = client_for(editor).get(reverse("api:quote-list"), {"article": str(article.pk)}).json()["results"]
    assert [row["id"] for row in rows] == [quote.pk]
