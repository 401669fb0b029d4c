"""ClaimReview JSON-LD embedded in a page: one script element, whatever the claim's words."""

import json
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from claims.claimreview import claim_review, jsonld_script
from tests.factories import ClaimFactory, OutletFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

HOSTILE = "</script><script>alert(1)</script>"


class Scripts(HTMLParser):
    """Every element a browser's parser would see, and the text of each script element."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append((dict(attrs), ""))

    def handle_data(self, data):
        if self.tags and self.tags[-1] == "script" and self.scripts:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def render(source: str, **context) -> str:
    return Template("{% load jsonld %}<html><body><p>Verdict</p>" + source + "</body></html>").render(Context(context))


@pytest.fixture
def hostile_claim():
    claimant = SpeakerFactory(name="Dr. <b>Bold</b> & Sons")
    return ClaimFactory(
        published=True,
        claimant=claimant,
        text=f"The budget is balanced {HOSTILE}",
        rating_summary="Only if pensions are left out <!-- and --> & more \u2028 after a line separator.",
    )


def test_a_claim_that_closes_the_script_renders_one_script_whose_json_reads_back(hostile_claim):
    page = render("{% claimreview_jsonld claim %}", claim=hostile_claim)

    parsed = Scripts(page)
    assert parsed.tags.count("script") == 1
    ((attrs, payload),) = parsed.scripts
    assert attrs == {"type": "application/ld+json"}
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert "\\u003C/script\\u003E" in payload and "\\u0026" in payload
    review = json.loads(payload)
    assert review["claimReviewed"] == hostile_claim.text
    assert review["itemReviewed"]["author"]["name"] == "Dr. <b>Bold</b> & Sons"
    assert review["reviewRating"]["ratingExplanation"] == hostile_claim.rating_summary
    assert review["@type"] == "ClaimReview"


def test_the_page_carries_the_same_review_the_api_gives(hostile_claim):
    url = "https://facts.example.org/checks/budget"
    page = render("{% claimreview_jsonld claim url=url %}", claim=hostile_claim, url=url)
    ((_, payload),) = Scripts(page).scripts
    assert json.loads(payload) == json.loads(json.dumps(claim_review(hostile_claim, url=url)))


def test_the_reviews_url_is_the_page_it_is_read_on(hostile_claim):
    request = RequestFactory().get("/checks/budget/")
    page = render("{% claimreview_jsonld claim %}", claim=hostile_claim, request=request)
    ((_, payload),) = Scripts(page).scripts
    assert json.loads(payload)["url"] == "http://testserver/checks/budget/"


def test_without_a_request_the_url_is_the_claims_claimreview(hostile_claim):
    ((_, payload),) = Scripts(render("{% claimreview_jsonld claim %}", claim=hostile_claim)).scripts
    assert json.loads(payload)["url"] == f"/api/v1/claims/{hostile_claim.pk}/claimreview/"


def test_a_draft_renders_nothing():
    draft = ClaimFactory(text=f"Not yet checked {HOSTILE}")
    page = render("{% claimreview_jsonld claim %}", claim=draft)
    assert Scripts(page).tags.count("script") == 0


def test_another_fact_checkers_imported_verdict_renders_nothing():
    imported = ClaimFactory(published=True, reviewed_by=OutletFactory(name="Other Checkers"))
    page = render("{% claimreview_jsonld claim %}", claim=imported)
    assert Scripts(page).tags.count("script") == 0


def test_the_jsonld_filter_escapes_any_data_the_same_way():
    data = {"name": HOSTILE, "nested": [{"note": "a < b && c > d"}], "plain": "Київ"}
    page = render("{{ data|jsonld }}", data=data)
    parsed = Scripts(page)
    assert parsed.tags.count("script") == 1
    ((attrs, payload),) = parsed.scripts
    assert attrs == {"type": "application/ld+json"} and json.loads(payload) == data
    # The filter's output is already safe: Django does not escape it a second time.
    assert "&lt;" not in page and "&quot;" not in page


def test_jsonld_script_matches_djangos_json_script_escaping():
    from django.utils.html import json_script

    data = {"text": HOSTILE + " & <!--"}
    ours = str(jsonld_script(data)).removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    django_s = str(json_script(data)).removeprefix('<script type="application/json">').removesuffix("</script>")
    assert ours == django_s
