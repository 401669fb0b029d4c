"""The background tasks, through Django's Tasks API (the django-tasks backport; settings.TASKS names the backend).

One task: run a Job by its id. Everything about the job (its work, retries,
its lease) is claims.services.jobs; the task backend only carries the id to a worker.
"""

from django_tasks import task

from claims.services import jobs


@task()
def run_job_task(job_id: int) -> None:
    jobs.run_job(job_id)
