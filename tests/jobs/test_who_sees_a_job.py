"""A job is its starter's and the editors': anyone else is told it is not there (desk, API and admin alike)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from claims.choices import JobKind, JobState
from claims.models import Job
from claims.services import jobs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ritas_job(reporter):
    return jobs.start_job(kind=JobKind.FETCH_ARTICLE, acting_user=reporter, params={"url": "https://example.org/a"})


def api_get(user, job):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client.get(reverse("api:job", args=[job.pk]))


def test_the_starter_sees_the_job_in_the_api_with_where_to_watch_it(reporter, ritas_job):
    response = api_get(reporter, ritas_job)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["kind"], body["state"], body["attempts"], body["max_attempts"]) == (
        ritas_job.pk, "fetch_article", "queued", 0, 4,
    )  # fmt: skip
    assert body["page"] == f"http://testserver/jobs/{ritas_job.pk}/" and body["file"] is None


def test_another_reporter_is_told_the_job_is_not_there(other_reporter, ritas_job, client):
    assert api_get(other_reporter, ritas_job).status_code == 404
    client.force_login(other_reporter)
    assert client.get(reverse("desk:job", args=[ritas_job.pk])).status_code == 404
    assert client.get(reverse("desk:job_file", args=[ritas_job.pk])).status_code == 404
    assert client.get(reverse("admin:claims_job_change", args=[ritas_job.pk])).status_code == 302  # not found
    assert ritas_job.pk not in [
        job.pk for job in client.get(reverse("admin:claims_job_changelist")).context["cl"].result_list
    ]


def test_editors_see_every_job(editor, ritas_job, client):
    assert api_get(editor, ritas_job).status_code == 200
    client.force_login(editor)
    assert client.get(reverse("desk:job", args=[ritas_job.pk])).status_code == 200
    listed = client.get(reverse("admin:claims_job_changelist"), {"state": JobState.QUEUED}).context["cl"]
    assert [job.pk for job in listed.result_list] == [ritas_job.pk]


def test_anonymous_readers_and_outsiders_see_no_job(outsider, ritas_job, client):
    assert api_get(None, ritas_job).status_code == 401
    assert api_get(outsider, ritas_job).status_code == 404
    assert client.get(reverse("desk:job", args=[ritas_job.pk])).status_code == 302  # to sign in


def test_only_the_starter_or_an_editor_runs_a_failed_job_again(reporter, other_reporter, editor, ritas_job):

    Job.objects.filter(pk=ritas_job.pk).update(state=JobState.FAILED, attempts=4, finished_at=timezone.now())
    ritas_job.refresh_from_db()
    with pytest.raises(PermissionDenied):
        jobs.retry_job(ritas_job, acting_user=other_reporter)
    assert jobs.retry_job(ritas_job, acting_user=editor).state == JobState.QUEUED


def test_a_failed_job_is_run_again_from_the_admin(editor, reporter, client):

    job = jobs.start_job(kind=JobKind.FETCH_ARTICLE, acting_user=reporter, params={"url": "https://example.org/a"})
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, attempts=4, finished_at=timezone.now(), message="x")
    done = jobs.start_job(kind=JobKind.FETCH_ARTICLE, acting_user=UserFactory(role="reporter"), params={"url": "x"})
    client.force_login(editor)
    changelist = reverse("admin:claims_job_changelist")
    response = client.post(changelist, {"action": "run_again", "_selected_action": [job.pk, done.pk]}, follow=True)
    said = [str(message) for message in response.context["messages"]]
    assert said == ["1 failed job queued again.", "1 left as they were: only failed jobs run again."]
    job.refresh_from_db()
    assert (job.state, job.attempts, job.message, job.finished_at) == (JobState.QUEUED, 0, "", None)
