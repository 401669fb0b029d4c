"""Intake and the article page in a real browser: a reporter pastes the seed article, decides on its candidates
with the keyboard, saves it, then records a quote by selecting words in the text and another by typing them."""

import pytest
from playwright.sync_api import expect

from claims.models import Article, Quote
from tests.browser.desk import assert_accessible, screenshot, sign_in
from tests.conftest import shared_data

SEED_URL = "https://www.thedailystar.net/news/world/russia-ukraine-war/news/russias-military-ties-iran"


@pytest.fixture
def seed_text():
    return shared_data("seed-article.txt").read_text(encoding="utf-8")


def test_a_reporter_takes_the_seed_article_in_with_the_keyboard(page, live_server, accounts, seed_text):
    sign_in(page, live_server, accounts.reporter.username, accounts.reporter.password)
    page.goto("/articles/new/")
    assert_accessible(page, "intake, empty")
    screenshot(page, "desk/intake-empty")
    page.get_by_role("textbox", name="The article").fill(seed_text)
    expect(page.locator("[data-paste-count]")).to_contain_text("characters")
    page.get_by_label("Address (URL)").fill(SEED_URL)
    page.get_by_label("Address (URL)").press("Enter")  # the page's only button: find the quotes

    expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
    body = page.locator("#article-text")
    expect(body).to_contain_text("Russia's military cooperation with Iran")
    expect(body).not_to_contain_text("RELATED STORIES")
    cards = page.locator(".candidate")
    ryabkov = cards.filter(has_text="There are no changes").or_(cards.filter(has_text="We are independent states"))
    expect(ryabkov).to_have_count(2)
    expect(ryabkov.first).to_contain_text("Sergei Ryabkov")
    expect(ryabkov.first).to_contain_text("via RIA")
    expect(page.get_by_label("Headline")).to_have_value(
        "Russia's military ties with Iran will withstand geopolitical pressure"
    )
    expect(page.get_by_label("Credited agency")).to_have_value("Reuters")

    page.get_by_label("Outlet", exact=True).fill("The Daily Star")
    # Accept both direct quotes from the keyboard: focus each card's "Accept" radio and press Space.
    for index in range(2):
        radio = ryabkov.nth(index).get_by_label("Accept")
        radio.focus()
        page.keyboard.press("Space")
        expect(radio).to_be_checked()
    assert_accessible(page, "intake, with the seed article's candidates")
    screenshot(page, "desk/intake-seed")

    save = page.get_by_role("button", name="Save the article")
    save.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_contain_text("with 2 quotes")
    article = Article.objects.get()
    assert article.quotes.count() == 2
    expect(page.locator("#article-text mark.quote--direct")).to_have_count(2)
    expect(page.locator(".article-body .who").first).to_contain_text("Sergei Ryabkov")

    # Select words with the mouse: the button beside them fills "Record a quote" with their offsets.
    words = "Washington has asked Teheran to stop selling drones to Moscow"
    start = article.body.index(words)
    paragraph = page.locator("#article-text p").first
    box = _text_box(page, paragraph, start, start + len(words))
    page.mouse.move(box["left"] + 1, box["top"] + 3)
    page.mouse.down()
    page.mouse.move(box["right"] - 1, box["bottom"] - 3, steps=5)
    page.mouse.up()
    button = page.get_by_role("button", name="Record the selected words as a quote")
    expect(button).to_be_visible()
    button.click()
    form = page.locator("[data-record-form]")
    expect(form.get_by_label("Starts at")).to_have_value(str(start))
    expect(form.get_by_label("Ends at")).to_have_value(str(start + len(words)))
    expect(form.get_by_label("The words")).to_have_value(words)
    expect(form.get_by_label("Who said it")).to_be_focused()
    page.keyboard.type("Reuters")
    form.get_by_label("Kind").select_option("indirect")
    form.get_by_label("A new speaker is a").select_option("organization")
    screenshot(page, "desk/article-record-selection")
    with page.expect_navigation():
        form.get_by_role("button", name="Record the quote").click()
    expect(page.locator(".message--success")).to_contain_text("Recorded the quote")
    quote = Quote.objects.get(speaker__name="Reuters")
    assert (quote.start, quote.end, quote.text) == (start, start + len(words), words)

    # The same with the keyboard alone: type the words (any spaces, any quote marks) and they are found.
    page.locator("#record-quote > summary").focus()
    page.keyboard.press("Enter")
    typed = "Moscow has denied its  forces used Iranian drones in Ukraine"
    form = page.locator("[data-record-form]")
    form.get_by_label("The words").fill(typed)
    form.get_by_label("Who said it").fill("Moscow")
    form.get_by_label("A new speaker is a").select_option("organization")
    form.get_by_label("Kind").select_option("indirect")
    with page.expect_navigation():
        form.get_by_label("Via").press("Enter")
    moscow = Quote.objects.get(speaker__name="Moscow")
    assert article.body[moscow.start : moscow.end] == moscow.text == typed.replace("  ", " ")
    expect(page.locator(f"#quote-{moscow.pk}")).to_be_visible()
    assert_accessible(page, "the article page, with its quotes and candidates")
    screenshot(page, "desk/article-seed")

    page.goto("/articles/")
    expect(page.get_by_role("link", name=article.headline)).to_be_visible()
    expect(page.locator("td.num").first).to_have_text("4")
    assert_accessible(page, "the articles list")
    screenshot(page, "desk/articles")


def _text_box(page, paragraph, start: int, end: int) -> dict:
    """The screen box of the body's characters start–end, found through their segments' data-start."""
    return paragraph.evaluate(
        """(p, [start, end]) => {
            const range = document.createRange();
            const at = (offset) => {
                for (const span of p.querySelectorAll("[data-start]")) {
                    const from = Number(span.dataset.start);
                    const node = span.firstChild;
                    if (offset >= from && offset <= from + node.data.length) return [node, offset - from];
                }
            };
            range.setStart(...at(start));
            range.setEnd(...at(end));
            const rects = [...range.getClientRects()];
            return {left: rects[0].left, top: rects[0].top,
                    right: rects.at(-1).right, bottom: rects.at(-1).bottom};
        }""",
        [start, end],
    )
