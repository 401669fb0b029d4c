"""The search page in a real browser: typing searches as you go (htmx swaps the results alone, the address
follows), a speaker is picked with the keyboard, a date narrows; then the pages a
hit leads to, a speaker's and the changes to a claim, each checked by axe and photographed."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims import services
from claims.choices import ClaimStatus, DatePrecision, QuoteKind, Rating, Relation, SpeakerKind
from tests.browser.desk import assert_accessible, screenshot, sign_in
from tests.factories import ArticleFactory, ClaimFactory, ClaimRelationFactory, OutletFactory, QuoteFactory

BODY = (
    'Russia has not received any drones from Iran, Deputy Foreign Minister Sergei Ryabkov said, "and we have not '
    'asked for any." Iran says all drones were sent before February 2022. A White House official said in June '
    "that several hundred drones had been transferred since August 2022."
)


@pytest.fixture
def newsroom(accounts):
    editor = accounts.editor.user
    reuters = OutletFactory(name="Reuters", slug="reuters", kind="agency")
    article = ArticleFactory(
        headline="Russia denies receiving Iranian drones", body=BODY, outlet=reuters,
        published_at=timezone.now() - datetime.timedelta(days=2),
    )  # fmt: skip
    moscow = services.record_speaker(
        name="Russian Foreign Ministry", kind=SpeakerKind.ORGANIZATION, aliases=["Moscow"], acting_user=editor
    )
    ryabkov = services.record_speaker(
        name="Sergei Ryabkov", description="Deputy Foreign Minister", organization=moscow, aliases=["Ryabkov"],
        wikidata_id="Q4421873", acting_user=editor,
    )  # fmt: skip
    iran = services.record_speaker(name="Iran", kind=SpeakerKind.ORGANIZATION, acting_user=editor)
    official = services.record_speaker(name="A White House official", kind=SpeakerKind.ANONYMOUS, acting_user=editor)
    words = [
        (ryabkov, "Russia has not received any drones from Iran", QuoteKind.INDIRECT, datetime.date(2022, 10, 20)),
        (ryabkov, "and we have not asked for any.", QuoteKind.DIRECT, datetime.date(2022, 10, 20)),
        (iran, "all drones were sent before February 2022", QuoteKind.INDIRECT, datetime.date(2022, 11, 5)),
        (official, "several hundred drones had been transferred since August 2022", QuoteKind.INDIRECT,
         datetime.date(2022, 6, 1)),
    ]  # fmt: skip
    quotes = []
    for speaker, text, kind, said_on in words:
        start = BODY.index(text)
        quotes.append(
            QuoteFactory(
                article=article,
                speaker=speaker,
                text=text,
                kind=kind,
                start=start,
                end=start + len(text),
                said_on=said_on,
                said_on_precision=DatePrecision.MONTH if speaker is official else DatePrecision.DAY,
            )  # fmt: skip
        )

    def claim(speaker, text, quote, rating, status=ClaimStatus.PUBLISHED):
        made = ClaimFactory(
            text=text, claimant=speaker, status=status, rating=rating if status == ClaimStatus.PUBLISHED else "",
            rating_summary="The record shows otherwise." if status == ClaimStatus.PUBLISHED else "",
            published_at=timezone.now() if status == ClaimStatus.PUBLISHED else None, made_on=quote.said_on,
        )  # fmt: skip
        made.quotes.add(quote)
        return made

    denied = claim(ryabkov, "Russia has not received any drones from Iran.", quotes[0], Rating.FALSE)
    asked = claim(ryabkov, "Russia has not asked Iran for drones.", quotes[1], Rating.MOSTLY_FALSE)
    before = claim(iran, "Iran sent all its drones to Russia before February 2022.", quotes[2], Rating.FALSE)
    since = claim(official, "Several hundred Iranian drones reached Russia since August 2022.", quotes[3], Rating.TRUE)
    draft = claim(ryabkov, "Russia will buy no drones from Iran this year.", quotes[0], "", status=ClaimStatus.DRAFT)
    ClaimRelationFactory(from_claim=denied, to_claim=asked, relation=Relation.CONTRADICTS, note="Same day.")
    ClaimRelationFactory(from_claim=denied, to_claim=since, relation=Relation.CONTRADICTS)
    ClaimRelationFactory(from_claim=before, to_claim=since, relation=Relation.CONTRADICTS)
    services.edit_claim(draft, text="Russia will buy no Iranian drones this year, Ryabkov says.", acting_user=editor)
    services.edit_claim(
        draft, text="Russia will buy no Iranian drones in 2023, Ryabkov says.", venue="a briefing", acting_user=editor
    )
    return {"ryabkov": ryabkov, "draft": draft}


def test_an_editor_searches_as_they_type_and_narrows_with_the_keyboard(page, live_server, accounts, newsroom):
    sign_in(page, live_server, accounts.editor.username, accounts.editor.password)
    page.goto("/search/")
    box = page.get_by_role("searchbox", name="Search")
    expect(box).to_be_focused()

    # Typing searches: the results region re-renders alone and the address follows.
    page.keyboard.type("drones")
    results = page.locator(".search-results")
    expect(results.locator(".hit").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/\?q=drones$"))
    expect(results).to_contain_text("Russia will buy no Iranian drones in 2023")  # a draft, for the newsroom
    expect(results.locator(".status--draft")).to_have_count(1)
    expect(results.locator("mark").first).to_have_text("drones")
    expect(box).to_be_focused()

    # A speaker picked by typing, ↓ and Enter narrows the quotes to theirs.
    page.locator("#id_type").select_option("quote")
    expect(results.locator(".hit--claim")).to_have_count(0)
    speaker = page.get_by_label("Said by")
    speaker.focus()
    page.keyboard.type("Ryab")
    suggestion = page.locator("#speaker-suggestions .suggestion").first
    expect(suggestion).to_contain_text("Sergei Ryabkov")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Said by")).to_have_value("Sergei Ryabkov")
    expect(results.locator(".hit")).to_have_count(1)
    expect(results).to_contain_text("Russia has not received any drones from Iran")
    # The address is the API's parameters in use, to share or to send to /api/v1/search/.
    expect(page).to_have_url(
        re.compile(rf"\?q=drones&type=quote&speaker_q=Sergei(\+|%20)Ryabkov&speaker={newsroom['ryabkov'].pk}$")
    )

    # A date narrows them again: nothing Ryabkov said is later than that.
    page.locator("#id_said_on_after").fill("2022-10-21")
    expect(results).to_contain_text("Nothing on record matches")
    page.locator("#id_said_on_after").fill("")
    expect(results.locator(".hit")).to_have_count(1)
    assert_accessible(page, "the search page with results, signed in as an editor")
    screenshot(page, "desk/search")

    # A hit leads to its speaker's page.
    page.get_by_role("link", name="Sergei Ryabkov").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sergei Ryabkov")
    expect(page.locator(".versus").first).to_contain_text("Russia has not asked Iran for drones.")
    assert_accessible(page, "a speaker's page, signed in as an editor")
    screenshot(page, "desk/speaker")
    page.get_by_role("link", name="Claims and verdicts").click()
    expect(page.locator(".claim-rows")).to_contain_text("Russia will buy no Iranian drones in 2023")
    screenshot(page, "desk/speaker-claims")


def test_the_public_searches_published_work_without_javascript_helpers(page, live_server, newsroom, page_problems):
    # The name that finds nobody below is answered 400, with the reason beside its field: on purpose.
    page_problems.allow(r"HTTP 400 GET .*/search/")
    page_problems.allow(r"status of 400 \(Bad Request\)")
    page.goto("/search/?q=drones")

    results = page.locator(".search-results")
    expect(results.locator(".hit").first).to_be_visible()
    expect(results).not_to_contain_text("Russia will buy no")
    page.get_by_label("Claimed by").fill("Ryabkov")
    page.get_by_label("Claimed by").press("Enter")
    expect(results.locator(".hit--claim")).to_have_count(2)
    claimant = page.get_by_label("Claimed by")
    claimant.fill("Nobody Atall")
    claimant.press("Enter")
    expect(page.locator("#claimant-errors")).to_contain_text("No speaker on record is called “Nobody Atall”")
    expect(page.get_by_label("Claimed by")).to_have_value("Nobody Atall")
    expect(page.get_by_label("Claimed by")).to_have_attribute("aria-invalid", "true")
    expect(results).to_contain_text("Fix what is marked")
    assert_accessible(page, "the search page with a refused filter, for the public")
    claimant.fill("Ryabkov")
    claimant.press("Enter")
    expect(results.locator(".hit--claim")).to_have_count(2)
    expect(page.get_by_label("Claimed by")).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the search page, for the public")
    page.goto(f"/speakers/{newsroom['ryabkov'].slug}/")
    assert_accessible(page, "a speaker's page, for the public")
    screenshot(page, "desk/speaker-public")


def test_the_changes_to_a_claim(page, live_server, accounts, newsroom):
    sign_in(page, live_server, accounts.editor.username, accounts.editor.password)
    draft = newsroom["draft"]
    page.goto(f"/changes/claim/{draft.pk}/")

    expect(page.locator(".version")).to_have_count(draft.history.count())
    expect(page.locator(".version").first.locator("del")).to_contain_text("this year")
    assert_accessible(page, "the changes to a claim")
    screenshot(page, "desk/changes")

    # Restoring the first version: confirmed, then said what was done.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".version").last.get_by_role("button", name="Restore this version").click()
    expect(page.locator(".message--success")).to_contain_text("nothing else about it was changed")
    expect(page.locator(".version")).to_have_count(draft.history.count())
    screenshot(page, "desk/changes-restored")
