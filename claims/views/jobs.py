"""A background job's page: its state, progress, message and what it gave, for whoever started it (and editors).

While the job is queued or running, the page asks for its status region every
two seconds (htmx, `hx-trigger="every 2s"`); the region it gets back stops
asking once the job has ended. Without JavaScript the page is reloaded by hand.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from claims.choices import JobKind
from claims.models import Job
from claims.policy import can
from claims.services.jobs import jobs_storage
from claims.views.base import newsroom_only

TEMPLATE = "desk/jobs/job.html"


def visible_job(request, pk: int) -> Job:
    """The job, if the policy lets this reader see it; someone else's is a 404, as if it were not there."""
    job = get_object_or_404(Job.objects.select_related("started_by"), pk=pk)
    if not can(request.user, "view", job):
        raise Http404("No such job.")
    return job


@newsroom_only
def job_page(request, pk: int):
    job = visible_job(request, pk)
    template = f"{TEMPLATE}#status" if request.htmx else TEMPLATE
    return render(request, template, {"job": job, "continues_at_intake": job.kind == JobKind.FETCH_ARTICLE})


@newsroom_only
def job_file(request, pk: int):
    """The file the job gave (an export, rejected lines), as a download."""
    job = visible_job(request, pk)
    name = job.result.get("file")
    if not name:
        raise Http404("This job gave no file.")
    storage = jobs_storage()
    if not storage.exists(name):
        raise PermissionDenied("The job's file is no longer kept.")
    return FileResponse(storage.open(name, "rb"), as_attachment=True, filename=job.result.get("file_name"))
