"""The published cache (claims/published.py) and Cache-Control: kept answers are served without a query, and
never after the change that made them stale, whichever service made it."""

import secrets

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import published, services
from claims.choices import ClaimStatus, Rating, Relation, Stance
from claims.services.reviews import Claimant, ReviewedStatement, import_reviews
from tests.factories import ClaimFactory, QuoteFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def published_cache(settings):
    """On SQLite runs (no REDIS_URL) the published cache is the dummy; these tests want a real one either way."""
    if settings.CACHES["published"]["BACKEND"].endswith("DummyCache"):
        local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": secrets.token_hex(6)}
        settings.CACHES = {**settings.CACHES, "published": local}


def api(path: str) -> str:
    return f"/api/v1/{path}"


def read(client, path, **headers):
    response = client.get(path, headers=headers)
    return response, (response.json() if response.status_code == 200 and "json" in response["Content-Type"] else None)


def test_a_published_claim_once_read_is_served_without_a_query(client, django_assert_num_queries):
    claim = ClaimFactory(published=True)
    first, data = read(client, api(f"claims/{claim.pk}/"))
    assert first.status_code == 200 and data["rating"] == Rating.MOSTLY_FALSE
    with django_assert_num_queries(0):
        again = client.get(api(f"claims/{claim.pk}/"))
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"


def test_an_etag_already_held_gets_a_304_from_the_cache(client, django_assert_num_queries):
    claim = ClaimFactory(published=True)
    etag = client.get(api(f"claims/{claim.pk}/"))["ETag"]
    with django_assert_num_queries(0):
        response = client.get(api(f"claims/{claim.pk}/"), headers={"If-None-Match": etag})
    assert response.status_code == 304 and response["ETag"] == etag
    assert response["Cache-Control"] == "public, no-cache"


def test_a_retracted_verdict_is_never_served_from_the_cache(client, editor):
    claim = ClaimFactory(published=True)
    assert read(client, api(f"claims/{claim.pk}/"))[1]["rating"] == Rating.MOSTLY_FALSE
    page = client.get(f"/claims/{claim.pk}/")
    assert page.status_code == 200 and b"Mostly false" in page.content

    services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)
    assert client.get(api(f"claims/{claim.pk}/")).status_code == 404
    assert client.get(f"/claims/{claim.pk}/").status_code == 404
    assert client.get(api(f"claims/{claim.pk}/claimreview/")).status_code == 404
    assert claim.pk not in [item["id"] for item in read(client, api("claims/"))[1]["results"]]


def test_a_new_verdict_replaces_the_kept_one(client, editor):
    claim = ClaimFactory(published=True)
    before, _ = read(client, api(f"claims/{claim.pk}/"))
    review_before = client.get(api(f"claims/{claim.pk}/claimreview/")).content
    services.rate_claim(claim=claim, rating=Rating.TRUE, summary="The books balance.", acting_user=editor)

    after, data = read(client, api(f"claims/{claim.pk}/"))
    assert data["rating"] == Rating.TRUE and after["ETag"] != before["ETag"]
    assert client.get(api(f"claims/{claim.pk}/claimreview/")).content != review_before
    assert b"The books balance." in client.get(f"/claims/{claim.pk}/").content


def test_evidence_and_contradictions_change_the_counts_shown(client, editor):
    claim = ClaimFactory(published=True)
    other = ClaimFactory()  # a draft: the public counts no contradiction with it yet
    services.relate_claims(claim=claim, other=other, relation=Relation.CONTRADICTS, acting_user=editor)
    data = read(client, api(f"claims/{claim.pk}/"))[1]
    assert (data["evidence_count"], data["contradiction_count"]) == (0, 0)

    services.attach_evidence(claim=claim, source=SourceFactory(), stance=Stance.REFUTES, acting_user=editor)
    assert read(client, api(f"claims/{claim.pk}/"))[1]["evidence_count"] == 1
    # Publishing the other claim changes this one's answer: its versions go with the claims related to it.
    services.rate_claim(claim=other, rating=Rating.FALSE, summary="No.", acting_user=editor)
    services.change_claim_status(claim=other, status=ClaimStatus.PUBLISHED, acting_user=editor)
    assert read(client, api(f"claims/{claim.pk}/"))[1]["contradiction_count"] == 1


def test_renaming_the_speaker_changes_every_claim_shown(client, editor):
    claim = ClaimFactory(published=True)
    read(client, api(f"claims/{claim.pk}/"))
    client.get(f"/claims/{claim.pk}/")
    services.edit_speaker(claim.claimant, name="Renamed Speaker", acting_user=editor)
    assert read(client, api(f"claims/{claim.pk}/"))[1]["claimant"]["name"] == "Renamed Speaker"
    assert b"Renamed Speaker" in client.get(f"/claims/{claim.pk}/").content


def test_the_feed_shows_a_claim_published_after_it_was_kept(client, editor):
    ClaimFactory(published=True)
    assert len(read(client, api("claimreview/"))[1]["dataFeedElement"]) == 1
    claim = ClaimFactory()
    services.rate_claim(claim=claim, rating=Rating.FALSE, summary="No.", acting_user=editor)
    services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
    assert len(read(client, api("claimreview/"))[1]["dataFeedElement"]) == 2


def test_an_import_in_bulk_replaces_every_version(client, editor):
    # Its rows go in past the ORM's signals, so the service says so itself.
    claim = ClaimFactory(published=True)
    read(client, api(f"claims/{claim.pk}/"))
    before = caches["published"].get(published.EVERYTHING)
    statement = ReviewedStatement(
        text="Crime doubled last year.",
        claimant=Claimant(name="Imported Speaker"),
        rating=Rating.FALSE,
        reviewer="Other Checkers",
        review_url="https://checkers.example.org/crime",
        line=1,
    )
    import_reviews([statement], acting_user=editor)
    assert caches["published"].get(published.EVERYTHING) not in (None, before)


def test_signed_in_readers_are_not_served_the_public_answer(client, editor):
    claim = ClaimFactory(published=True)
    read(client, api(f"claims/{claim.pk}/"))
    staff = Client()
    staff.force_login(editor)
    response, data = read(staff, api(f"claims/{claim.pk}/"))
    assert "created_by" in data  # the newsroom's fields, which the public answer leaves out
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"] and "Authorization" in response["Vary"]
    page = staff.get(f"/claims/{claim.pk}/")
    assert page["Cache-Control"] == "private, no-cache" and b"Change the verdict" in page.content


def test_public_answers_may_be_kept_by_a_proxy_and_say_so(client, settings):
    claim = ClaimFactory(published=True)
    response = client.get(api(f"claims/{claim.pk}/"))
    assert response["Cache-Control"] == "public, no-cache"
    assert "Cookie" in response["Vary"] and "Authorization" in response["Vary"]
    assert client.get(f"/claims/{claim.pk}/")["Cache-Control"] == "public, no-cache"
    settings.PUBLIC_MAX_AGE = 60
    assert client.get(api("claimreview/"))["Cache-Control"] == "public, max-age=60"
    assert client.get(api("claims/999999/"))["Cache-Control"] == "private, no-cache"  # a 404 is not kept


def test_the_newsroom_is_served_its_own_kept_answer_fresh_after_every_change(
    editor, reporter, django_assert_num_queries
):
    claim = ClaimFactory()  # a draft: the newsroom's alone
    staff = client_for(editor)
    first = read(staff, api(f"claims/{claim.pk}/"))[1]
    assert first["status"] == ClaimStatus.DRAFT
    assert client_for(reporter).get(api(f"claims/{claim.pk}/")).content == staff.get(api(f"claims/{claim.pk}/")).content
    services.edit_claim(claim, text="The budget is balanced at last.", acting_user=editor)
    assert read(staff, api(f"claims/{claim.pk}/"))[1]["text"] == "The budget is balanced at last."
    listed = read(staff, api("claims/"))[1]["results"]
    assert [item["text"] for item in listed] == ["The budget is balanced at last."]
    # Nobody outside the newsroom is given its answer.
    assert Client().get(api(f"claims/{claim.pk}/")).status_code == 404
    assert Client().get(api("claims/")).json()["results"] == []


def client_for(user) -> Client:
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in


def test_a_change_the_public_cannot_see_leaves_its_answers_kept(client, editor, django_assert_num_queries):
    shown = ClaimFactory(published=True)
    draft = ClaimFactory()
    client.get(api(f"claims/{shown.pk}/"))
    client.get(api("claims/"))
    newsroom = client_for(editor)
    services.edit_claim(draft, text="A draft nobody outside has read.", acting_user=editor)
    services.relate_claims(claim=shown, other=draft, relation=Relation.CONTRADICTS, acting_user=editor)
    with django_assert_num_queries(0):
        assert client.get(api(f"claims/{shown.pk}/")).status_code == 200
        assert client.get(api("claims/")).status_code == 200
    assert read(newsroom, api(f"claims/{shown.pk}/"))[1]["contradiction_count"] == 1


def test_the_publics_search_is_kept_until_a_published_claim_changes(client, editor, django_assert_num_queries):
    claim = ClaimFactory(published=True, text="Unemployment fell to a record low.")
    assert [hit["id"] for hit in read(client, api("search/?q=unemployment"))[1]["results"]] == [claim.pk]
    with django_assert_num_queries(0):
        client.get(api("search/?q=unemployment"))
    services.edit_claim(claim, text="Joblessness fell to a record low.", acting_user=editor)
    assert read(client, api("search/?q=unemployment"))[1]["results"] == []
    # The newsroom's is kept too, and finds what was just recorded.
    fresh = ClaimFactory(text="Unemployment is rising again.")
    assert [hit["id"] for hit in read(client_for(editor), api("search/?q=unemployment"))[1]["results"]] == [fresh.pk]


def test_a_speakers_quotes_are_kept_until_one_is_recorded_changed_or_made_public(client, editor):
    quote = QuoteFactory(text="The budget is balanced.", start=None, end=None)
    speaker, staff = quote.speaker, client_for(editor)
    path = api(f"quotes/?speaker={speaker.pk}")

    def texts(reader) -> list[str]:
        return [item["text"] for item in read(reader, path)[1]["results"]]

    assert texts(staff) == ["The budget is balanced."] and texts(client) == []
    QuoteFactory()  # another speaker's quote moves nothing kept here
    kept = staff.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert staff.get(path).content == kept.content
    assert not [q for q in queries.captured_queries if "claims_quote" in q["sql"]]

    services.record_quote(
        article=quote.article, speaker=speaker, text="Taxes will not rise.", anchored=False, acting_user=editor
    )
    assert texts(staff) == ["Taxes will not rise.", "The budget is balanced."]
    services.edit_quote(quote, text="The budget is nearly balanced.", anchored=False, acting_user=editor)
    assert texts(staff)[1] == "The budget is nearly balanced."
    # The public's list shows a quote from when a published claim states it, and no longer after.
    claim = ClaimFactory(published=True)
    services.link_quotes(claim=claim, quotes=[quote], acting_user=editor)
    assert texts(client) == ["The budget is nearly balanced."]
    services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)
    assert texts(client) == []


def kept_without_reading(reader, path: str, table: str) -> bytes:
    """The answer at `path`, asked twice: the second time it comes from the cache, reading nothing of `table`."""
    first = reader.get(path)
    assert first.status_code == 200, first.content
    with CaptureQueriesContext(connection) as queries:
        again = reader.get(path)
    assert again.content == first.content
    assert not [q for q in queries.captured_queries if table in q["sql"]], f"{path} was built again"
    return again.content


def test_every_list_of_quotes_and_every_quote_is_kept_until_one_is_recorded_or_changed(client, editor):
    quote = QuoteFactory(text="The budget is balanced.", start=None, end=None)
    staff = client_for(editor)
    by_kind, one = api(f"quotes/?kind={quote.kind}&speaker={quote.speaker.pk}"), api(f"quotes/{quote.pk}/")
    kept_without_reading(staff, by_kind, "claims_quote")
    kept_without_reading(staff, one, "claims_quote")

    services.record_quote(
        article=quote.article, speaker=quote.speaker, text="Taxes will not rise.", anchored=False, acting_user=editor
    )
    assert [item["text"] for item in read(staff, by_kind)[1]["results"]] == [
        "Taxes will not rise.",
        "The budget is balanced.",
    ]
    kept_without_reading(staff, one, "claims_quote")  # a quote recorded is not in another quote's answer
    services.edit_speaker(quote.speaker, name="Renamed Speaker", acting_user=editor)
    assert read(staff, one)[1]["speaker"]["name"] == "Renamed Speaker"
    assert {item["speaker"]["name"] for item in read(staff, by_kind)[1]["results"]} == {"Renamed Speaker"}
    assert staff.get(api("quotes/?kind=sung")).status_code == 400


def test_the_publics_quotes_are_kept_until_a_published_claim_states_or_stops_stating_one(
    client, editor, django_assert_num_queries
):
    quote = QuoteFactory()
    path = api(f"quotes/?kind={quote.kind}")
    assert read(client, path)[1]["results"] == [] and client.get(api(f"quotes/{quote.pk}/")).status_code == 404
    kept_without_reading(client, path, "claims_quote")
    QuoteFactory()  # recorded, and not public: the public's answers stay kept
    with django_assert_num_queries(0):
        client.get(path)

    claim = ClaimFactory(published=True)
    services.link_quotes(claim=claim, quotes=[quote], acting_user=editor)
    assert [item["id"] for item in read(client, path)[1]["results"]] == [quote.pk]
    assert read(client, api(f"quotes/{quote.pk}/"))[1]["id"] == quote.pk
    services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)
    assert read(client, path)[1]["results"] == [] and client.get(api(f"quotes/{quote.pk}/")).status_code == 404


def test_speakers_are_kept_until_one_is_recorded_renamed_or_given_another_name(editor):
    staff = client_for(editor)
    path = api("speakers/?name=okafor")
    assert read(staff, path)[1]["results"] == []
    kept_without_reading(staff, path, "claims_speaker")

    speaker = services.record_speaker(name="Ngozi Okafor", acting_user=editor)
    assert [item["name"] for item in read(staff, path)[1]["results"]] == ["Ngozi Okafor"]
    kept_without_reading(staff, api(f"speakers/{speaker.pk}/"), "claims_speaker")
    other = services.record_speaker(name="Ada Eze", acting_user=editor)
    services.add_speaker_alias(speaker=other, name="Ada Okafor", acting_user=editor)
    assert [item["name"] for item in read(staff, path)[1]["results"]] == ["Ada Eze", "Ngozi Okafor"]
    services.edit_speaker(speaker, description="Finance minister", acting_user=editor)
    assert read(staff, api(f"speakers/{speaker.pk}/"))[1]["description"] == "Finance minister"


def test_the_newsrooms_search_is_kept_until_a_claim_quote_or_speaker_is_recorded(editor):
    staff = client_for(editor)
    path = api("search/?q=okafor")
    assert read(staff, path)[1]["results"] == []
    kept_without_reading(staff, path, "claims_speaker")
    speaker = services.record_speaker(name="Ngozi Okafor", acting_user=editor)
    assert [hit["type"] for hit in read(staff, path)[1]["results"]] == ["speaker"]
    quote = QuoteFactory(speaker=speaker, text="Okafor will cut the deficit.", start=None, end=None)
    assert {hit["type"] for hit in read(staff, path)[1]["results"]} == {"speaker", "quote"}
    ClaimFactory(text="Okafor doubled the deficit.", claimant=quote.speaker)
    assert {hit["type"] for hit in read(staff, path)[1]["results"]} == {"speaker", "quote", "claim"}
