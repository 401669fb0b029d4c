"""The claim page in a real browser: an editor works its panels with the keyboard, each re-rendering alone
(htmx), a refused form showing its reason and taking the keyboard to the field; then the public's view of it."""

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims.choices import ClaimStatus, QuoteKind, Rating
from tests.browser.desk import assert_accessible, screenshot, sign_in
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, QuoteFactory, SourceFactory, SpeakerFactory

BODY = (
    'Health Secretary Priya Raman said on Tuesday that "waiting lists have fallen by a third since January", '
    "a figure the nurses' union disputes."
)


@pytest.fixture
def claim(accounts):
    speaker = SpeakerFactory(name="Priya Raman", slug="priya-raman", description="Health Secretary")
    article = ArticleFactory(
        headline="Waiting lists down by a third, health secretary says",
        body=BODY,
        outlet=OutletFactory(name="Channel 9 Riverside", slug="channel-9"),
    )
    quote = QuoteFactory(
        article=article, speaker=speaker, text="waiting lists have fallen by a third since January",
        kind=QuoteKind.DIRECT, said_on=datetime.date(2026, 3, 10),
    )  # fmt: skip
    claim = ClaimFactory(
        text="Hospital waiting lists have fallen by a third since January.",
        claimant=speaker,
        status=ClaimStatus.IN_REVIEW,
        created_by=accounts.reporter.user,
        made_on=datetime.date(2026, 3, 10),
    )
    claim.quotes.add(quote)
    ClaimFactory(
        text="Hospital waiting lists have grown since January.",
        claimant=SpeakerFactory(name="National Nurses' Union", kind="organization"),
    )
    SourceFactory(url="https://stats.example.gov/waiting-lists-feb", title="Hospital waiting lists, February 2026")
    return claim


def test_an_editor_works_the_claim_with_the_keyboard(page, live_server, accounts, claim, page_problems):
    # The refused evidence below is answered 400, with the reason beside the field: on purpose.
    page_problems.allow(r"HTTP 400 POST .*/claims/\d+/evidence/")
    page_problems.allow(r"status of 400 \(Bad Request\)")
    sign_in(page, live_server, accounts.editor.username, accounts.editor.password)
    page.goto(f"/claims/{claim.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(claim.text)

    # Evidence from a source not on record: first without its title (refused), then with it.
    evidence = page.locator("#evidence")
    evidence.get_by_text("Add evidence").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Source address").fill("https://stats.example.gov/private-clinics")
    page.locator("#id_evidence-stance").select_option("refutes")
    page.get_by_label("Excerpt").first.fill("Patients sent to private clinics are not counted.")
    page.get_by_label("Source address").press("Enter")
    expect(evidence.locator(".errorlist")).to_contain_text("give its title to record it")
    expect(page.get_by_label("Source title")).to_be_focused()
    page.keyboard.type("Private clinic referrals, 2026")
    page.keyboard.press("Enter")
    expect(evidence).to_contain_text("Evidence added.")
    expect(evidence).to_contain_text("Private clinic referrals, 2026")

    # A source on record, by its address alone.
    evidence.get_by_text("Add evidence").click()
    page.get_by_label("Source address").fill("https://stats.example.gov/waiting-lists-feb")
    page.locator("#id_evidence-stance").select_option("supports")
    page.get_by_label("Source address").press("Enter")
    expect(evidence).to_contain_text("Hospital waiting lists, February 2026")

    # A related claim, picked by typing, ↓ and Enter.
    relations = page.locator("#relations")
    relations.get_by_text("Link a claim").click()
    page.get_by_label("This claim…").select_option("contradicts")
    picker = page.get_by_label("…this other claim")
    picker.press_sequentially("grown since", delay=20)
    suggestion = relations.locator(".suggestion").first
    expect(suggestion).to_contain_text("Hospital waiting lists have grown since January.")
    picker.press("ArrowDown")
    expect(suggestion).to_be_focused()
    page.keyboard.press("Enter")
    expect(picker).to_have_value("Hospital waiting lists have grown since January.")
    relations.get_by_role("button", name="Link the claims").press("Enter")
    expect(relations).to_contain_text("Claims linked.")
    expect(relations.locator(".relation-item")).to_contain_text("Contradicts")

    # The internal discussion.
    discussion = page.locator("#discussion")
    page.get_by_label("Comment", exact=True).fill("Ask the trust for the private referral figures.")
    discussion.get_by_role("button", name="Comment", exact=True).press("Enter")
    expect(discussion).to_contain_text("Comment added.")
    expect(discussion.locator(".comment")).to_contain_text("Ask the trust for the private referral figures.")

    # The verdict, then publishing: whole-page forms, each redirecting back with what was done.
    page.get_by_label("Rating").select_option(Rating.HALF_TRUE)
    page.get_by_label("Summary").fill("Lists fell 31% in public hospitals, but private referrals are not counted.")
    page.get_by_role("button", name="Save the verdict").press("Enter")
    expect(page.locator(".messages")).to_contain_text("Verdict saved: Half true.")
    page.get_by_label("Assign to").select_option(label=accounts.reporter.username)
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#assignment")).to_contain_text(f"With {accounts.reporter.username} since")

    assert_accessible(page, "the claim page, signed in as an editor")
    screenshot(page, "desk/claim-page-editor")

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The claim is published now.")


def test_the_public_reads_the_published_claim(page, accounts, claim):
    claim.status, claim.rating, claim.published_at = ClaimStatus.PUBLISHED, Rating.HALF_TRUE, timezone.now()
    claim.rating_summary = "Lists fell 31% in public hospitals, but private referrals are not counted."
    claim.reviewer = accounts.editor.user
    claim.save()

    page.goto(f"/claims/{claim.pk}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(claim.text)
    expect(page.locator(".verdict-panel")).to_contain_text("Half true")
    expect(page.locator("#discussion")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] == "Half true"
    assert accounts.reporter.username not in page.content()
    assert_accessible(page, "the public claim page")
    screenshot(page, "desk/claim-page-public")
