"""A failing job is tried again with a growing wait, then shown failed with its reason; bad input fails at once."""

from datetime import timedelta

import pytest

from claims.choices import JobKind, JobState
from claims.models import Job
from claims.services import jobs
from tests.jobs.conftest import run_worker, time_passes, waiting_for

pytestmark = pytest.mark.usefixtures("committed")

PAGE = b"<html><head><title>Ryabkov speaks</title></head><body><article><p>" + b"Words said. " * 40 + b"</p></article>"


def fetch(user, url) -> Job:
    return jobs.start_job(kind=JobKind.FETCH_ARTICLE, acting_user=user, params={"url": url})


def test_a_failing_job_is_retried_after_30_s_2_and_8_min_then_failed_with_its_reason(reporter, pages, private_fetches):
    pages.routes["/down"] = (503, {"Content-Type": "text/html"}, b"busy")
    job = fetch(reporter, pages.url("/down"))
    waits = []
    for attempt in range(1, jobs.MAX_ATTEMPTS):
        run_worker()
        job.refresh_from_db()
        assert (job.state, job.attempts) == (JobState.QUEUED, attempt)
        assert f"Attempt {attempt} of 4 failed" in job.message and "503 Service Unavailable" in job.message
        waits.append(waiting_for(job))
        run_worker()  # not yet due: nothing runs
        job.refresh_from_db()
        assert job.attempts == attempt
        time_passes(waits[-1].total_seconds() + 1)
    expected = [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8)]
    assert all(abs(wait - want) < timedelta(seconds=5) for wait, want in zip(waits, expected, strict=True))
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 4 and job.finished_at is not None
    assert job.message.startswith("Failed 4 times; the last time: FetchFailed: The server answered 503")
    assert "Traceback" not in job.message
    assert pages.asked == ["/down"] * 4


def test_bad_input_fails_at_once_with_the_reason_and_is_not_retried(reporter, pages, private_fetches):
    job = fetch(reporter, pages.url("/missing"))
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 1
    assert job.message == f"The server answered 404 Not Found for {pages.url('/missing')}."


def test_a_failed_job_runs_again_when_retried_and_can_then_succeed(reporter, pages, private_fetches):
    pages.routes["/late"] = (404, {"Content-Type": "text/html"}, b"")
    job = fetch(reporter, pages.url("/late"))
    run_worker()
    pages.routes["/late"] = (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE)
    jobs.retry_job(Job.objects.get(pk=job.pk), acting_user=reporter)
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 1 and job.message == ""
    assert job.result["text"].startswith("Words said.") and job.result["headline"] == "Ryabkov speaks"


def test_a_job_that_has_not_failed_is_not_retried(reporter, pages, private_fetches):
    job = fetch(reporter, pages.url("/x"))
    with pytest.raises(ValueError, match="has not failed"):
        jobs.retry_job(job, acting_user=reporter)
