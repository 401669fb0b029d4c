"""The desk's list of claims (/claims/): the newsroom's, filtered by the API's ClaimFilter, a page at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.choices import ClaimStatus, Rating
from claims.models import Topic
from tests.desk import PAYLOAD
from tests.factories import ClaimFactory, SpeakerFactory, UserFactory

URL = reverse("desk:claims")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=")


def test_outsiders_are_refused(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_the_newsroom_sees_every_claim_with_its_claimant_status_rating_and_assignee(client, db, request, persona):
    user = request.getfixturevalue(persona)
    checker = UserFactory(username="cleo_checker", first_name="Cleo", last_name="Checker")
    draft = ClaimFactory(text="Unemployment fell by half.", assignee=checker)
    published = ClaimFactory(published=True, text="Exports doubled last year.")
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert draft.text in page and published.text in page
    assert draft.claimant.name in page
    assert "Cleo Checker" in page
    assert "Mostly false" in page
    assert 'class="status status--draft"' in page and 'class="status status--published"' in page
    assert reverse("desk:claim", args=[draft.pk]) in page


def test_filters_are_the_apis(editor_client):
    topic = Topic.objects.create(name="Budget", slug="budget")
    speaker = SpeakerFactory(name="Dana Minister")
    wanted = ClaimFactory(claimant=speaker, status=ClaimStatus.IN_REVIEW, text="Wanted claim.")
    wanted.topics.add(topic)
    ClaimFactory(claimant=speaker, text="A draft by the same speaker.")
    ClaimFactory(status=ClaimStatus.IN_REVIEW, text="In review, someone else.")

    page = editor_client.get(URL, {"status": "in_review", "claimant": speaker.pk}).content.decode()
    assert "Wanted claim." in page
    assert "A draft by the same speaker." not in page and "In review, someone else." not in page
    # The picker shows whom the list is narrowed to, by name.
    assert 'value="Dana Minister"' in page

    page = editor_client.get(URL, {"topic": "budget"}).content.decode()
    assert "Wanted claim." in page and "In review, someone else." not in page
    assert '<option value="budget" selected>Budget</option>' in page

    page = editor_client.get(URL, {"rating": Rating.MOSTLY_FALSE}).content.decode()
    assert "No claim matches these filters." in page


def test_a_bad_filter_value_is_an_error_beside_its_field_not_an_unfiltered_list(editor_client):
    ClaimFactory(text="Any claim at all.")

    response = editor_client.get(URL, {"status": "bogus", "made_on_after": "yesterday"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Any claim at all." not in page
    assert "Select a valid choice" in page
    assert "Enter a valid date" in page
    assert 'aria-invalid="true"' in page


def test_stored_text_is_escaped(editor_client):
    ClaimFactory(text=PAYLOAD, claimant=SpeakerFactory(name=PAYLOAD))

    page = editor_client.get(URL).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert '" onmouseover="x' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_pages_of_25_without_counting(editor_client):
    ClaimFactory.create_batch(30)

    first = editor_client.get(URL).content.decode()
    second = editor_client.get(URL, {"page": 2}).content.decode()

    assert first.count('class="claims-table__text"') == 25
    assert second.count('class="claims-table__text"') == 5
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_queries_do_not_grow_with_the_rows(editor_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(URL, {"status": "draft"}).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            ClaimFactory(assignee=UserFactory(), rating=Rating.FALSE)

    add(2)
    before = count()
    add(20)
    assert count() == before
