"""Checked before? GET claims/matches/ and the matches returned when a claim is recorded."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.choices import ClaimStatus, Rating
from claims.matching.ranking import FEATURES, Ranker
from claims.matching.text import MAX_TEXT_CHARS
from tests.api.conftest import client_for
from tests.factories import ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/matches/"
WALL = "Building a wall on the U.S.-Mexico border will take literally years."


@pytest.fixture
def verdicts(editor):
    """Claims with a verdict (published, and one still in review), a claim with none, and others on other things."""
    rated = {"rating": Rating.FALSE, "rating_summary": "It took months.", "created_by": editor}
    return {
        "published": ClaimFactory(text=WALL, published=True, **rated),
        "in_review": ClaimFactory(
            text="A border wall with Mexico takes years to build.", status=ClaimStatus.IN_REVIEW, **rated
        ),
        "unrated": ClaimFactory(text="The border wall will take years to build, literally.", created_by=editor),
        "other": ClaimFactory(text="Wombats sheltered animals from the bushfires.", published=True, **rated),
        "more": ClaimFactory(text="The minimum wage rose twice in ten years.", published=True, **rated),
    }


def matched(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["claim"]["id"] for row in response.json()["results"]]


def test_the_claim_that_says_the_same_comes_first_and_says_why(anonymous, verdicts):
    response = client_for(anonymous).get(URL, {"text": "Trump's wall on the Mexico border would take years to build"})
    ids = matched(response)
    assert ids[0] == verdicts["published"].pk
    best = response.json()["results"][0]
    assert {"wall", "border", "mexico", "year"} <= set(best["shared_terms"])
    assert best["highlighted"].startswith("<mark>Building</mark> a <mark>wall</mark> on the U.S.-<mark>Mexico</mark>")
    assert best["claim"]["rating"] == Rating.FALSE
    assert best["score"] > 0


def test_the_public_matches_published_verdicts_only(anonymous, editor, verdicts):
    text = {"text": "A wall on the Mexico border takes years to build"}
    public = matched(client_for(anonymous).get(URL, text))
    newsroom = matched(client_for(editor).get(URL, text))
    assert verdicts["in_review"].pk not in public and verdicts["in_review"].pk in newsroom
    # A claim with no verdict has not been checked: nobody is offered it.
    assert verdicts["unrated"].pk not in public + newsroom


def test_page_size_bounds_the_answer(editor, verdicts):
    assert len(matched(client_for(editor).get(URL, {"text": "wall border years wombats wage", "page_size": 2}))) == 2


def test_stored_text_is_shown_escaped(anonymous, editor):
    ClaimFactory(text='The wall <script>alert(1)</script> " onmouseover=x is finished.', published=True)
    row = client_for(anonymous).get(URL, {"text": "the wall is finished"}).json()["results"][0]
    assert "<script>" not in row["highlighted"] and "&lt;script&gt;" in row["highlighted"]
    assert "&quot; onmouseover=x" in row["highlighted"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "text", "This text is empty."),
        ({"text": "   "}, "text", "This has no visible characters"),
        ({"text": "😀🔥 https://t.co/x"}, "text", "has no words to match on"),
        ({"text": "x" * (MAX_TEXT_CHARS + 1)}, "text", "characters long; a statement to match is at most 10,000"),
        ({"text": "wall", "page_size": "0"}, "page_size", "Use a whole number from 1 to 20"),
        ({"text": "wall", "page_size": "21"}, "page_size", "Use a whole number from 1 to 20"),
        ({"txt": "wall"}, "txt", "Unknown query parameter; this endpoint takes page_size, text."),
    ],
)
def test_what_cannot_be_matched_is_a_400_saying_why(anonymous, verdicts, params, field, message):
    response = client_for(anonymous).get(URL, params)
    assert response.status_code == 400
    assert message in response.json()["error"]["fields"][field][0]


def test_another_script_is_matched_not_refused(anonymous, verdicts):
    ClaimFactory(text="Путин заявил о выводе войск из Херсона.", published=True, rating=Rating.FALSE)
    response = client_for(anonymous).get(URL, {"text": "Путин заявил о выводе войск"})
    assert response.status_code == 200
    assert "Путин" in response.json()["results"][0]["claim"]["text"]


def test_queries_do_not_grow_with_the_claims_matched(anonymous, editor, verdicts):
    client = client_for(anonymous)
    text = {"text": "The wall on the Mexico border takes years", "page_size": 20}
    client.get(URL, text)  # reads the database's word statistics, kept for a while after
    with CaptureQueriesContext(connection) as few:
        first = matched(client.get(URL, text))
    for n in range(20):
        speaker = SpeakerFactory()
        ClaimFactory(text=f"The border wall {n} takes years.", claimant=speaker, published=True, rating=Rating.FALSE)
    with CaptureQueriesContext(connection) as many:
        more = matched(client.get(URL, text))
    assert len(more) > len(first)
    assert len(many) == len(few) <= 3


def test_a_recorded_claim_comes_back_with_what_was_checked_before(editor, verdicts):
    speaker = SpeakerFactory(created_by=editor)
    response = client_for(editor).post(
        "/api/v1/claims/",
        {"text": "The wall on the Mexico border will take years", "claimant": speaker.pk, "made_on": "2019-01-08"},
        format="json",
    )
    assert response.status_code == 201, response.content
    found = [row["claim"]["id"] for row in response.json()["checked_before"]]
    assert found[0] in (verdicts["published"].pk, verdicts["in_review"].pk)
    assert response.json()["id"] not in found
    # The ETag is the claim's, as GET shows it, without the matches.
    again = client_for(editor).get(f"/api/v1/claims/{response.json()['id']}/")
    assert again["ETag"] == response["ETag"]
    assert "checked_before" not in again.json()


def test_a_recorded_claim_with_nothing_to_match_has_an_empty_list(editor, verdicts):
    speaker = SpeakerFactory(created_by=editor)
    response = client_for(editor).post("/api/v1/claims/", {"text": "?!", "claimant": speaker.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["checked_before"] == []


def test_the_claims_own_date_counts_through_the_configured_ranker(editor, tmp_path, monkeypatch):
    """A check made near the text's date wins a tie of words once the ranker weighs dates."""
    rated = {"published": True, "rating": Rating.FALSE}
    recent = ClaimFactory(text="Masks do not stop the virus.", made_on=datetime.date(2020, 4, 2), **rated)
    old = ClaimFactory(text="Masks do not stop the virus.", made_on=datetime.date(2016, 3, 1), **rated)
    text = {"text": "Masks do not stop the virus — Someone (@x) April 1, 2020"}
    # BM25 alone cannot tell them apart and takes the newer row first.
    assert matched(client_for(editor).get(URL, text)) == [old.pk, recent.pk]
    model = tmp_path / "ranker.json"
    Ranker(tuple({"bm25": 1.0, "days_apart": -5.0}.get(name, 0.0) for name in FEATURES)).save(model)
    monkeypatch.setenv("FACTCHECK_MATCHING_MODEL", str(model))
    assert matched(client_for(editor).get(URL, text)) == [recent.pk, old.pk]
