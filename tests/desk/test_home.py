"""The front door (/): a person's desk for the newsroom, the published verdicts for everyone else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus
from tests.desk import PAYLOAD
from tests.factories import ClaimFactory, UserFactory


def section(page: str, heading: str) -> str:
    """The part of the page under one panel's heading, up to the next panel."""
    start = page.index(f">{heading}")
    end = page.find("<section", start)
    return page[start : end if end != -1 else None]


def _queries(client, url="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_anonymous_visitors_get_the_published_verdicts_and_no_draft(client, reporter):
    published = ClaimFactory(published=True, text="Exports doubled last year.", created_by=reporter)
    draft = ClaimFactory(text="A draft nobody may read yet.", created_by=reporter)

    page = client.get("/").content.decode()

    assert published.text in page and published.rating_summary in page
    assert draft.text not in page
    # Who wrote up a verdict is the newsroom's business.
    assert reporter.username not in page
    assert 'href="/signin/?next=/"' in page


def test_a_reporter_sees_their_drafts_and_what_is_assigned_to_them_but_not_the_queue(client, reporter, editor):
    own = ClaimFactory(text="My own draft.", created_by=reporter)
    ClaimFactory(text="Someone else's draft.", created_by=editor)
    given = ClaimFactory(text="Check this one.", status=ClaimStatus.IN_REVIEW)
    services.assign_claim(claim=given, assignee=reporter, acting_user=editor)
    client.force_login(reporter)

    page = client.get("/").content.decode()

    drafts = section(page, "My drafts")
    assert own.text in drafts and "Someone else&#x27;s draft." not in drafts
    assert given.text in section(page, "Assigned to me")
    assert "Review queue" not in page


def test_an_editor_sees_the_queue_with_who_has_each_claim(client, editor):
    checker = UserFactory(username="cleo", first_name="Cleo", last_name="Checker", role="reporter")
    waiting = ClaimFactory(text="Waiting for review.", status=ClaimStatus.IN_REVIEW)
    services.assign_claim(claim=waiting, assignee=checker, acting_user=editor)
    ClaimFactory(text="Nobody has this one.", status=ClaimStatus.IN_REVIEW)
    client.force_login(editor)

    page = client.get("/").content.decode()

    assert "Review queue" in page
    assert "Waiting for review." in page and "Cleo Checker" in page
    assert "Nobody has this one." in page and "nobody yet" in page


def test_recent_changes_are_the_others_not_ones_own(client, reporter, editor):
    services.make_claim(text="Recorded by the editor.", claimant=ClaimFactory().claimant, acting_user=editor)
    services.make_claim(text="Recorded by me.", claimant=ClaimFactory().claimant, acting_user=reporter)
    client.force_login(reporter)

    page = client.get("/").content.decode()
    changes = section(page, "Recent changes by others")

    assert "Recorded by the editor." in changes
    assert "Recorded by me." not in changes
    assert reverse("desk:changes", args=["claim", 1]).rsplit("/", 2)[0] in changes


def test_stored_text_is_shown_as_text(client, reporter):
    ClaimFactory(text=PAYLOAD, created_by=reporter)
    ClaimFactory(text=PAYLOAD, published=True)
    client.force_login(reporter)

    for user_page in (client.get("/").content.decode(), client.get(reverse("desk:verdicts")).content.decode()):
        assert "<script>alert(1)</script>" not in user_page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in user_page


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_the_desk_costs_the_same_queries_with_20_more_rows_of_everything(client, request, persona, editor):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    def add_rows():
        for _ in range(20):
            ClaimFactory(created_by=user)
            ClaimFactory(published=True)
            services.assign_claim(
                claim=ClaimFactory(status=ClaimStatus.IN_REVIEW),
                assignee=user if persona == "reporter" else editor,
                acting_user=editor,
            )

    add_rows()
    before = _queries(client)
    add_rows()
    assert _queries(client) == before


def test_the_verdicts_list_costs_the_same_queries_with_20_more_verdicts(client, db):
    for _ in range(30):
        ClaimFactory(published=True)
    before = _queries(client, reverse("desk:verdicts"))
    for _ in range(20):
        ClaimFactory(published=True)
    assert _queries(client, reverse("desk:verdicts")) == before


def test_the_verdicts_list_pages_without_counting(client, db):
    for n in range(30):
        ClaimFactory(published=True, text=f"Verdict number {n}.")

    first = client.get(reverse("desk:verdicts")).content.decode()
    second = client.get(reverse("desk:verdicts"), {"page": 2}).content.decode()

    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "Verdict number 0." in second and "Verdict number 29." in first
    # A page number that is not one is the first page, not an error.
    assert client.get(reverse("desk:verdicts"), {"page": "x"}).status_code == 200
