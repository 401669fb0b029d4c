"""The seed case end to end, as the newsroom works it: from the pasted article to a published contradiction.

A reporter pastes the seed article, accepts the extractor's quotes, makes claims c3 and c5 of the hand
annotation from their quotes, links them as contradicting and sends both for review; an editor rates and
publishes them; the public reads the published claim with its contradiction and ClaimReview, and no draft.
Walked twice: with the mouse, and with the keyboard alone (focus, typing, Enter and Space; no click).
axe-core checks every page on the way.
"""

import json

import pytest
from playwright.sync_api import Locator, Page, expect

from claims.models import Claim, Quote
from tests.browser.desk import assert_accessible, screenshot
from tests.conftest import shared_data
from tests.factories import ClaimFactory

SEED_URL = "https://www.thedailystar.net/news/world/russia-ukraine-war/news/russias-military-ties-iran"
# The candidates the walk accepts, by words they begin with: q1, q2 (Ryabkov, via RIA), q5 (Iran), q7 (White House).
RYABKOV = ("There are no changes", "We are independent states")
IRAN = "they were sent before"
WHITE_HOUSE = "Iran had transferred several hundred drones"


@pytest.fixture
def gold():
    return json.loads(shared_data("seed-article.gold.json").read_text(encoding="utf-8"))


@pytest.fixture
def seed_text():
    return shared_data("seed-article.txt").read_text(encoding="utf-8")


class Person:
    """Does what a person at the desk does, with the mouse or with the keyboard alone."""

    def __init__(self, page: Page, *, keyboard: bool):
        self.page = page
        self.keyboard = keyboard

    def press(self, target: Locator) -> None:
        """A button or link: clicked, or reached and pressed with Enter."""
        if self.keyboard:
            target.focus()
            self.page.keyboard.press("Enter")
        else:
            target.click()

    def follow(self, link: Locator) -> None:
        with self.page.expect_navigation():
            self.press(link)

    def tick(self, box: Locator) -> None:
        if self.keyboard:
            box.focus()
            self.page.keyboard.press("Space")
        else:
            box.check()
        expect(box).to_be_checked()

    def write(self, field: Locator, text: str, *, paste: bool = False) -> None:
        """Replace a field's text: typed (or pasted, for a whole article), or filled in."""
        if self.keyboard:
            field.focus()
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
            if paste:
                self.page.keyboard.insert_text(text)
            else:
                self.page.keyboard.type(text)
        else:
            field.fill(text)

    def choose(self, select: Locator, label: str) -> None:
        """An option of a select: picked, or reached and typed (a closed select jumps to what is typed)."""
        if self.keyboard:
            select.focus()
            self.page.keyboard.type(label)
        else:
            select.select_option(label=label)
        expect(select.locator("option:checked")).to_have_text(label)

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto("/signin/")
        self.write(self.page.get_by_label("Username"), username)
        self.write(self.page.get_by_label("Password"), password)
        with self.page.expect_navigation():
            self.press(self.page.get_by_role("button", name="Sign in"))
        expect(self.page.get_by_role("button", name="Sign out")).to_be_visible()

    def sign_out(self) -> None:
        self.follow(self.page.get_by_role("button", name="Sign out"))
        expect(self.page.get_by_role("link", name="Sign in")).to_be_visible()

    def make_claim(self, quote_words: str, text: str) -> int:
        """On the article page: tick the quote, make a claim from it in the annotation's words."""
        quotes = self.page.locator("form").filter(has=self.page.get_by_role("button", name="Make a claim"))
        self.tick(quotes.get_by_label(quote_words))
        self.follow(quotes.get_by_role("button", name="Make a claim from the selected quotes"))
        assert_accessible(self.page, "a new claim from a quote")
        self.write(self.page.get_by_label("Claim", exact=True), text)
        self.follow(self.page.get_by_role("button", name="Save the draft"))
        expect(self.page.get_by_role("heading", level=1)).to_have_text(text)
        return int(self.page.url.rstrip("/").rsplit("/", 1)[1])


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_the_seed_case_from_paste_to_published_contradiction(
    page, live_server, accounts, page_problems, gold, seed_text, keyboard
):
    person = Person(page, keyboard=keyboard)
    claims = {claim["id"]: claim for claim in gold["claims"]}
    unrelated_draft = ClaimFactory(text="A draft the public must not see.", created_by=accounts.reporter.user)

    # The reporter pastes the seed article, page furniture and all.
    person.sign_in(accounts.reporter.username, accounts.reporter.password)
    assert_accessible(page, "the reporter's desk")
    person.follow(page.get_by_role("link", name="Paste an article"))
    person.write(page.get_by_role("textbox", name="The article"), seed_text, paste=True)
    person.write(page.get_by_label("Address (URL)"), SEED_URL)
    with page.expect_navigation():
        page.get_by_label("Address (URL)").press("Enter")

    # The cleaned body has none of the page furniture, and both Ryabkov quotes are offered with speaker and via.
    body = page.locator("#article-text")
    expect(body).to_contain_text("Russia's military cooperation with Iran")
    for furniture in gold["article"]["not_article_text"]:
        expect(body).not_to_contain_text(furniture)
    candidates = page.locator(".candidate")
    for words in RYABKOV:
        ryabkov = candidates.filter(has_text=words)
        expect(ryabkov).to_have_count(1)
        expect(ryabkov).to_contain_text("Sergei Ryabkov")
        expect(ryabkov).to_contain_text("via RIA")
    expect(page.get_by_label("Credited agency")).to_have_value(gold["article"]["credited_to"])
    person.write(page.get_by_label("Outlet", exact=True), "The Daily Star")
    for words in (*RYABKOV, IRAN, WHITE_HOUSE):
        person.tick(candidates.filter(has_text=words).get_by_label("Accept"))
    assert_accessible(page, "intake with the seed article's candidates")
    screenshot(page, f"walk-{'keyboard' if keyboard else 'mouse'}/intake")
    person.follow(page.get_by_role("button", name="Save the article"))
    expect(page.locator(".message--success")).to_contain_text("with 4 quotes")
    expect(page.locator("#article-text mark.quote--direct")).to_have_count(2)
    assert_accessible(page, "the seed article's page")
    screenshot(page, f"walk-{'keyboard' if keyboard else 'mouse'}/article")
    article_url = page.url

    # Claims c3 and c5 from their quotes, linked as contradicting, both sent for review.
    c3 = person.make_claim(IRAN, claims["c3"]["text"])
    expect(page.locator(".claim-head")).to_contain_text("Iran")
    page.goto(article_url)
    c5 = person.make_claim(WHITE_HOUSE, claims["c5"]["text"])
    expect(page.locator(".claim-head")).to_contain_text("A White House official")
    relations = page.locator("#relations")
    person.press(relations.get_by_text("Link a claim"))
    person.choose(page.get_by_label("This claim…"), "Contradicts")
    picker = page.get_by_label("…this other claim")
    picker.focus()
    picker.press_sequentially("February 2022 invasion", delay=20)
    suggestion = relations.locator(".suggestion").filter(has_text=claims["c3"]["text"][:40])
    expect(suggestion).to_be_visible()
    if keyboard:
        picker.press("ArrowDown")
        expect(relations.locator(".suggestion").first).to_be_focused()
        page.keyboard.press("Enter")
    else:
        suggestion.click()
    person.press(relations.get_by_role("button", name="Link the claims"))
    expect(relations).to_contain_text("Claims linked.")
    expect(relations.locator(".relation-item")).to_contain_text("Contradicts")
    person.follow(page.get_by_role("button", name="Send for review"))
    person.follow(relations.get_by_role("link", name=claims["c3"]["text"]))
    person.follow(page.get_by_role("button", name="Send for review"))
    assert_accessible(page, "a claim sent for review")
    assert Claim.objects.filter(pk__in=[c3, c5], status="in_review").count() == 2
    person.sign_out()

    # The editor finds both in the review queue, rates and publishes them.
    person.sign_in(accounts.editor.username, accounts.editor.password)
    queue = page.locator("section").filter(has=page.get_by_role("heading", name="Review queue"))
    expect(queue).to_contain_text(claims["c3"]["text"][:60])
    assert_accessible(page, "the editor's desk with the review queue")
    screenshot(page, f"walk-{'keyboard' if keyboard else 'mouse'}/editor-desk")
    for claim_id, rating, summary in (
        ("c3", "Mostly false", "Iran admits only transfers before the invasion; the US says hundreds came after."),
        ("c5", "Mostly true", "US officials and recovered drone parts show transfers after August 2022."),
    ):
        if claim_id == "c3":
            person.follow(queue.get_by_role("link", name=claims["c3"]["text"][:60]))
        else:
            person.follow(page.locator("#relations").get_by_role("link", name=claims["c5"]["text"]))
        person.choose(page.get_by_label("Rating"), rating)
        person.write(page.get_by_label("Summary"), summary)
        person.follow(page.get_by_role("button", name="Save the verdict"))
        expect(page.locator(".messages")).to_contain_text(f"Verdict saved: {rating}.")
        person.follow(page.get_by_role("button", name="Publish", exact=True))
        expect(page.locator(".messages")).to_contain_text("The claim is published now.")
    assert_accessible(page, "a published claim, as the editor sees it")
    screenshot(page, f"walk-{'keyboard' if keyboard else 'mouse'}/claim-editor")
    person.sign_out()

    # Anyone reads the published claim: the contradiction and valid ClaimReview JSON-LD; no draft, no reporter.
    page.goto(f"/claims/{c3}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(claims["c3"]["text"])
    expect(page.locator("#relations .relation-item")).to_contain_text("Contradicts")
    expect(page.locator("#relations")).to_contain_text(claims["c5"]["text"])
    review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claims["c3"]["text"]
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["author"]["name"] == "Iran"
    assert accounts.reporter.username not in page.content()
    expect(page.locator("#discussion")).to_have_count(0)
    assert_accessible(page, "the published claim, as the public reads it")
    screenshot(page, f"walk-{'keyboard' if keyboard else 'mouse'}/claim-public")
    page.goto("/")
    expect(page.locator(".verdict-list")).to_contain_text(claims["c5"]["text"])
    expect(page.locator("main")).not_to_contain_text(unrelated_draft.text)
    assert_accessible(page, "the public's verdicts")
    screenshot(page, f"walk-{'keyboard' if keyboard else 'mouse'}/verdicts")
    # The draft's address answers 404, as if there were nothing there.
    page_problems.allow(rf"HTTP 404 GET .*/claims/{unrelated_draft.pk}/")
    page_problems.allow(r"status of 404 \(Not Found\)")
    response = page.goto(f"/claims/{unrelated_draft.pk}/")
    assert response.status == 404
    assert Quote.objects.filter(article__url=SEED_URL).count() == 4
