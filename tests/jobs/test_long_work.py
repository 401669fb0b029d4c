"""Work too long for a request is a job: a large selection exported from the admin, a long paste sent to the API."""

import csv
import io
import json

import pytest
from django.urls import reverse

from claims import services
from claims.choices import JobKind, JobState
from claims.models import Claim, Job, Quote
from tests.api.conftest import client_for
from tests.claims.test_admin_actions import messages_of, run_action
from tests.factories import ClaimFactory, QuoteFactory
from tests.jobs.conftest import run_worker

PASTE = (
    "Finance Minister Helena Marsh said on Tuesday that the budget would be balanced by 2027. "
    "Mayor Cy Dunn believes the levy will pass.\n\n"
    "\u201cWe will close the gap without raising a single tax,\u201d Marsh told parliament.\n\n"
)


@pytest.fixture
def small_requests(settings):
    """What a request does itself made small, so a handful of rows or a short paste is already a job."""
    settings.EXPORT_IN_REQUEST_ROWS = 2
    settings.EXTRACT_IN_REQUEST_CHARACTERS = len(PASTE) - 1


def downloaded(client, job: Job) -> bytes:
    response = client.get(reverse("desk:job_file", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_selection_over_the_limit_is_exported_by_a_job_whose_page_offers_the_file(
    committed, small_requests, client, editor
):
    chosen = [ClaimFactory(text=f"Claim {number}.") for number in range(4)]
    ClaimFactory(text="Not chosen.")
    client.force_login(editor)
    response = run_action(client, Claim, "export_csv", chosen)
    job = Job.objects.get()
    assert (job.kind, job.started_by, job.state) == (JobKind.EXPORT, editor, JobState.QUEUED)
    assert response.status_code == 302 and response.url == reverse("admin:claims_job_change", args=[job.pk])
    assert messages_of(response) == [f"4 claims as CSV are being written as job {job.pk}; this page follows it."]
    # Chosen now, written later: a claim deleted meanwhile is left out, and the summary says so.
    services.delete_record(chosen[1], acting_user=editor)
    ClaimFactory(text="Recorded after the selection.")
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.message
    assert job.result["summary"].startswith("3 claims as CSV. 1 of the 4 selected was left out")
    header, *rows = csv.reader(io.StringIO(downloaded(client, job).decode("utf-8").removeprefix("\ufeff")))
    # In the list's order, newest first, as they were selected.
    assert [row[header.index("claim")] for row in rows] == ["Claim 3.", "Claim 2.", "Claim 0."]
    page = client.get(reverse("admin:claims_job_change", args=[job.pk])).content.decode()
    assert reverse("desk:job_file", args=[job.pk]) in page and job.result["file_name"] in page


def test_up_to_the_limit_the_file_is_the_answer(committed, small_requests, client, reporter):
    chosen = [QuoteFactory(), QuoteFactory()]
    client.force_login(reporter)
    response = run_action(client, Quote, "export_csv", chosen)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert not Job.objects.exists()


def test_a_claimreview_export_job_writes_the_published_claims_it_was_given(committed, small_requests, client, editor):
    published = [ClaimFactory(text=f"Published {number}.", published=True) for number in range(3)]
    client.force_login(editor)
    run_action(client, Claim, "export_claimreview", [*published, ClaimFactory(text="A draft.")])
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED, job.message
    feed = json.loads(downloaded(client, job))
    written = [review["claimReviewed"] for review in feed["dataFeedElement"]]
    assert written == [claim.text for claim in reversed(published)]
    assert feed["dataFeedElement"][0]["url"] == f"http://testserver/api/v1/claims/{published[-1].pk}/claimreview/"


def test_an_export_whose_starter_lost_the_right_fails_saying_why_and_writes_nothing(
    committed, small_requests, client, reporter
):
    chosen = [QuoteFactory() for _ in range(3)]
    client.force_login(reporter)
    run_action(client, Quote, "export_csv", chosen)
    reporter.groups.clear()  # no longer in the newsroom, whose members export
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.attempts == 1
    assert job.message == "Refused when its turn came: Only the newsroom's reporters and editors may do this."
    assert "file" not in job.result


def test_a_long_paste_to_the_api_is_a_job_whose_result_is_the_extraction(committed, small_requests, reporter):
    api = client_for(reporter)
    short = api.post(reverse("api:extract"), {"text": PASTE[:-2], "attribution": "all"}, format="json")
    assert short.status_code == 200 and not Job.objects.exists()
    response = api.post(reverse("api:extract"), {"text": PASTE, "attribution": "all"}, format="json")
    assert response.status_code == 202, response.content
    job = Job.objects.get()
    assert response["Location"] == f"http://testserver{reverse('api:job', args=[job.pk])}"
    assert response.json()["state"] == "queued" and job.kind == JobKind.EXTRACT
    run_worker()
    followed = api.get(response["Location"]).json()
    assert followed["state"] == "succeeded", followed["message"]
    extraction = followed["result"]
    assert extraction["body"] == short.json()["body"] and extraction["candidates"] == short.json()["candidates"]
    assert [c["attribution"] for c in extraction["candidates"]] == ["speech", "belief", "speech"]


def test_a_long_paste_that_cannot_be_read_is_refused_at_once_and_queues_nothing(committed, small_requests, reporter):
    junk = "\x00" * len(PASTE)
    response = client_for(reporter).post(reverse("api:extract"), {"text": junk}, format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"]["text"]
    assert not Job.objects.exists()
