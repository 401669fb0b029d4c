"""Background jobs: long work a door starts and a worker runs, each attempt's end recorded, never dropped.

    job = start_job(kind=JobKind.IMPORT, acting_user=editor, params={...}, input_data=upload)
    # the door answers at once with where to watch it (/jobs/<id>/, GET /api/v1/jobs/<id>/)

start_job records the Job and, once that commits, enqueues claims.tasks.run_job_task
through Django's Tasks API. The worker (manage.py run_jobs) calls run_job, which
claims the job, runs its kind's work (WORK) while a heartbeat thread renews its
lease and writes its progress, and records how the attempt ended:

- succeeded: the work's database writes and the "succeeded" mark commit in one
  transaction (Attempt.recording), so an attempt killed before that leaves nothing;
- refused (JobRefused, PermissionDenied): the input cannot be done, failed at once
  with the reason, no retry;
- anything else (a bug, a server down, a lost connection): queued again after a
  backoff (retry_delay), until it has had max_attempts; then failed with the last error.

A worker killed mid-job stops renewing the lease; requeue_stalled_jobs (run by every
worker at its start and every few seconds after) queues such a job again, or fails it
when it has had all its attempts. Every write to a job is conditional on the attempt
that holds it (its state and attempt number), so a worker that lost its lease and
comes back cannot mark the job: its transaction is rolled back (Superseded).
"""

import json
import logging
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from claims.choices import JobKind, JobState
from claims.models import Job, JobInput
from claims.policy import require

logger = logging.getLogger("claims.jobs")

# Attempts a job may have: the first and three retries, 30 s, 2 min and 8 min after the failure before.
MAX_ATTEMPTS = 4
FIRST_RETRY_SECONDS = 30
BACKOFF_FACTOR = 4
# A message is for a person to read in a line; the whole error is in the worker's log.
MESSAGE_CHARACTERS = 500
# How often a running job's heartbeat renews its lease and writes its progress (at most a third of the lease).
HEARTBEAT_SECONDS = 2

# What the starter must be allowed to do, by kind: asked when the job is started, and again by its work.
START_ACTION = {
    JobKind.IMPORT: "import",
    JobKind.FETCH_ARTICLE: "use_newsroom_tools",
    JobKind.EXPORT: "export",
    JobKind.EXTRACT: "use_newsroom_tools",
}


class JobRefused(Exception):
    """The job's input cannot be done (a file that does not parse, an address refused): failed at once, not retried.

    `result` is kept with the failure (the failed ImportRun's id).
    """

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message = message
        self.result = result or {}


class Superseded(Exception):
    """This attempt lost its lease and the job is another attempt's now: what it wrote is rolled back."""


@dataclass
class Attempt:
    """One attempt at a job, as its work sees it: the job, where its progress is told, what it gave."""

    job: Job
    number: int
    done: int = 0
    total: int = 0
    result: dict = field(default_factory=dict)
    ended: bool = False

    def progress(self, done: int, total: int) -> None:
        """How far the work got; the heartbeat writes it, on its own connection (the work may be in a transaction)."""
        self.total = max(0, total)
        self.done = min(max(0, done), self.total) if self.total else max(0, done)

    def end(self, state: str, message: str = "", result: dict | None = None) -> None:
        """Mark the job ended by this attempt; Superseded if it is not this attempt's any more."""
        changes = {"state": state, "message": message[:MESSAGE_CHARACTERS], "finished_at": timezone.now()}
        changes.update(result=result if result is not None else self.result, lease_expires_at=None)
        if self.total:
            changes.update(done=self.done, total=self.total)
        with transaction.atomic():
            if not _held(self).update(**changes):
                raise Superseded(f"Job {self.job.pk}: attempt {self.number} lost its lease")
            if state == JobState.SUCCEEDED:
                # Its input is no longer needed; a failed job keeps it, to be run again.
                JobInput.objects.filter(job=self.job.pk).delete()
        self.ended = True

    @contextmanager
    def recording(self):
        """One transaction for the work's writes and the job's end: committed together, or neither.

        A JobRefused raised inside ends the job failed, keeping what was written
        before it (a failed import's ImportRun); any other error rolls everything back.
        """
        with transaction.atomic():
            try:
                yield
            except JobRefused as refusal:
                self.end(JobState.FAILED, refusal.message, refusal.result)
            else:
                self.end(JobState.SUCCEEDED)


def _held(attempt: Attempt):
    return Job.objects.filter(pk=attempt.job.pk, state=JobState.RUNNING, attempts=attempt.number)


def start_job(
    *, kind: str, acting_user, params: dict | None = None, input_name: str = "", input_data: bytes | None = None
) -> Job:
    """Queue a job of `kind` for `acting_user`; it is handed to a worker once the caller's transaction commits."""
    require(acting_user, START_ACTION[kind])
    if input_data is not None and len(input_data) > JobInput.MAX_BYTES:
        raise JobRefused(f"The input is {len(input_data):,} bytes; a job takes at most {JobInput.MAX_BYTES:,}.")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, started_by=acting_user, params=params or {}, max_attempts=MAX_ATTEMPTS)
        if input_data is not None:
            JobInput.objects.create(job=job, name=input_name[:500], data=input_data)
        _enqueue_on_commit(job.pk)
    return job


def retry_job(job: Job, *, acting_user) -> Job:
    """Run a failed job again from its first attempt (its input was kept); ValueError for one that has not failed."""
    require(acting_user, "retry_job", job)
    now = timezone.now()
    with transaction.atomic():
        changes = {"state": JobState.QUEUED, "attempts": 0, "next_attempt_at": now, "finished_at": None}
        if not Job.objects.filter(pk=job.pk, state=JobState.FAILED).update(**changes, message="", done=0, total=0):
            raise ValueError(f"Job {job.pk} has not failed: only a failed job is run again.")
        _enqueue_on_commit(job.pk)
    job.refresh_from_db()
    return job


def retry_delay(attempts: int) -> timedelta:
    """How long a job waits after its `attempts`-th failed attempt: 30 s, 2 min, 8 min, …"""
    return timedelta(seconds=FIRST_RETRY_SECONDS * BACKOFF_FACTOR ** max(0, attempts - 1))


def lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def run_job(job_id: int) -> None:
    """One attempt at the job, if it is queued and due (else nothing: another worker has it, or it ended)."""
    attempt = _claim(job_id)
    if attempt is None:
        return
    heartbeat = Heartbeat(attempt)
    heartbeat.start()
    try:
        try:
            # The starter may have lost the right since the job was queued (a role taken away, an account gone).
            require(attempt.job.started_by, START_ACTION[attempt.job.kind])
            result = WORK[attempt.job.kind](attempt)
            if not attempt.ended:
                attempt.result = result
                attempt.end(JobState.SUCCEEDED)
        except JobRefused as refusal:
            attempt.end(JobState.FAILED, refusal.message, refusal.result)
        except PermissionDenied as refusal:
            attempt.end(JobState.FAILED, f"Refused when its turn came: {refusal or 'the policy refused it.'}")
    except Superseded:
        logger.warning("Job %s: attempt %s lost its lease to another; its writes were rolled back", job_id, attempt)
    except Exception as error:
        logger.exception("Job %s: attempt %s failed", job_id, attempt.number)
        _retry_or_fail(attempt, error)
    finally:
        heartbeat.stop()


def _claim(job_id: int) -> Attempt | None:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED, next_attempt_at__lte=now).update(
        state=JobState.RUNNING, attempts=F("attempts") + 1, started_at=now, lease_expires_at=now + lease()
    )
    if not claimed:
        return None
    job = Job.objects.select_related("started_by").get(pk=job_id)
    return Attempt(job=job, number=job.attempts, done=job.done, total=job.total)


def _retry_or_fail(attempt: Attempt, error: Exception) -> None:
    reason = _said(error)
    job = attempt.job
    if attempt.number >= job.max_attempts:
        changes = {"state": JobState.FAILED, "finished_at": timezone.now()}
        message = f"Failed {attempt.number} times; the last time: {reason}"
    else:
        delay = retry_delay(attempt.number)
        changes = {"state": JobState.QUEUED, "next_attempt_at": timezone.now() + delay}
        message = f"Attempt {attempt.number} of {job.max_attempts} failed ({reason}); trying again in {_span(delay)}."
    with transaction.atomic():
        held = _held(attempt).update(**changes, lease_expires_at=None, message=message[:MESSAGE_CHARACTERS])
        if held and changes["state"] == JobState.QUEUED:
            _enqueue_on_commit(job.pk, run_after=changes["next_attempt_at"])


def requeue_stalled_jobs() -> int:
    """Queue again every running job whose worker stopped renewing its lease, or fail it when out of attempts.

    Run by every worker at its start and every few seconds after; `manage.py run_jobs --sweep` runs it once.
    Returns how many jobs it took back.
    """
    now = timezone.now()
    with transaction.atomic():
        # Locked, skipping any a worker is just ending, so two sweeps never take back one job twice.
        stalled = list(
            Job.objects.stalled().select_for_update(skip_locked=True).values("pk", "attempts", "max_attempts")
        )
        out = [row["pk"] for row in stalled if row["attempts"] >= row["max_attempts"]]
        again = [row["pk"] for row in stalled if row["attempts"] < row["max_attempts"]]
        lost = "its worker stopped (killed, or cut off from the database) before it ended"
        Job.objects.filter(pk__in=out).update(
            state=JobState.FAILED, finished_at=now, lease_expires_at=None, message=f"Failed: {lost}, every attempt."
        )
        Job.objects.filter(pk__in=again).update(
            state=JobState.QUEUED, next_attempt_at=now, lease_expires_at=None, message=f"Running it again: {lost}."
        )
        for job_id in again:
            _enqueue_on_commit(job_id)
    if stalled:
        logger.warning("Took back %d stalled jobs: %d queued again, %d failed", len(stalled), len(again), len(out))
    return len(stalled)


def _enqueue_on_commit(job_id: int, run_after=None) -> None:
    from claims.tasks import run_job_task

    task = run_job_task.using(run_after=run_after) if run_after else run_job_task
    transaction.on_commit(lambda: task.enqueue(job_id))


class Heartbeat(threading.Thread):
    """Renews a running attempt's lease and writes its progress, on its own database connection.

    Its own connection because the work may hold a transaction open for minutes
    (an import), in which nothing it wrote would be seen. On SQLite that
    transaction holds the database's write lock, so a beat may wait and be
    skipped; the lease is long enough to outlast it (JOB_LEASE_SECONDS).
    """

    def __init__(self, attempt: Attempt):
        super().__init__(name=f"job-{attempt.job.pk}-heartbeat", daemon=True)
        self.attempt = attempt
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = min(HEARTBEAT_SECONDS, settings.JOB_LEASE_SECONDS / 3)
        try:
            while not self.stopped.wait(interval):
                self.beat()
        finally:
            connection.close()

    def beat(self) -> None:
        attempt = self.attempt
        try:
            close_old_connections()
            _held(attempt).update(lease_expires_at=timezone.now() + lease(), done=attempt.done, total=attempt.total)
        except DatabaseError as error:
            logger.warning("Job %s: heartbeat skipped (%s)", attempt.job.pk, error)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def _said(error: Exception) -> str:
    """An error in a line a person can read: its kind and its own words, no traceback."""
    words = " ".join(str(error).split())
    return f"{type(error).__name__}: {words}" if words else type(error).__name__


def _span(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} min"


# --- What each kind does --------------------------------------------------------------------------------------


def jobs_storage():
    """Where jobs keep the files they give (STORAGES["jobs"]), read back through the job's download."""
    return storages["jobs"]


def keep_file(job: Job, name: str, content: bytes | str | Path) -> dict:
    """Store a file the job gives, under the job's id (a later attempt writes over it); how the result names it.

    `content` is the file's bytes or text, or a local file (a Path) written by the work, copied as it is.
    """
    storage = jobs_storage()
    path = f"{job.pk}/{name}"
    if storage.exists(path):
        storage.delete(path)
    if isinstance(content, Path):
        with content.open("rb") as handle:
            storage.save(path, File(handle, name=name))
        return {"file": path, "file_name": name, "file_bytes": content.stat().st_size}
    data = content.encode("utf-8") if isinstance(content, str) else content
    storage.save(path, ContentFile(data))
    return {"file": path, "file_name": name, "file_bytes": len(data)}


def _import(attempt: Attempt) -> dict:
    from claims.transfer import ImportFailed, run_import

    job, params = attempt.job, attempt.job.params
    upload = JobInput.objects.get(job=job)
    with tempfile.TemporaryDirectory(prefix="factcheck-import-") as folder:
        path, rejects = Path(folder) / "upload", Path(folder) / "rejected.tsv"
        path.write_bytes(bytes(upload.data))
        with attempt.recording():
            try:
                run = run_import(
                    params["kind"],
                    path,
                    acting_user=job.started_by,
                    name=upload.name,
                    dry_run=params.get("dry_run", False),
                    skip_bad=params.get("skip_bad", False),
                    rejects=rejects,
                    progress=attempt.progress,
                )
            except ImportFailed as failed:
                raise JobRefused(f"Nothing was imported. {failed.run.message}", {"import_run": failed.run.pk}) from None
            attempt.result = {"import_run": run.pk, "summary": run.summary()}
            if rejects.exists():
                download = f"{Path(upload.name).stem}.rejected.tsv"
                attempt.result.update(keep_file(job, download, rejects.read_bytes()))
    return attempt.result


def _fetch_article(attempt: Attempt) -> dict:
    from claims.fetching import FetchRefused, fetch_article

    try:
        return fetch_article(attempt.job.params["url"])
    except FetchRefused as refusal:
        raise JobRefused(str(refusal)) from None


def start_export(*, export: str, rows, acting_user, base_url: str) -> Job:
    """Queue writing the `export` format (claims.transfer.exports.FORMATS) of `rows`, as they are selected now.

    The ids are kept as the job's input (a list of any length, apart from the job's row), so the file holds
    what was selected, whatever is added to the list meanwhile; `base_url` makes its links absolute.
    """
    from claims.transfer.exports import FORMATS

    if export not in FORMATS:
        raise ValueError(f"No export format {export!r}; there are {', '.join(FORMATS)}.")
    ids = list(rows.values_list("pk", flat=True))
    params = {"export": export, "rows": len(ids), "base_url": base_url}
    chosen = f"{len(ids):,} {FORMATS[export].model._meta.verbose_name_plural} selected"
    return start_job(
        kind=JobKind.EXPORT,
        acting_user=acting_user,
        params=params,
        input_name=chosen,
        input_data=json.dumps(ids).encode(),
    )


def _export(attempt: Attempt) -> dict:
    from claims.transfer.exports import FORMATS, file_name, write_export

    job, params = attempt.job, attempt.job.params
    ids = json.loads(bytes(JobInput.objects.get(job=job).data))
    attempt.progress(0, len(ids))
    name = file_name(params["export"], job.created_at)
    with tempfile.TemporaryDirectory(prefix="factcheck-export-") as folder:
        path = Path(folder) / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            written = write_export(
                params["export"],
                handle,
                acting_user=job.started_by,
                base_url=params["base_url"],
                ids=ids,
                progress=attempt.progress,
            )
        result = keep_file(job, name, path)
    label = FORMATS[params["export"]].label
    summary = f"{written:,} {label}."
    if written < len(ids):
        gone = len(ids) - written
        summary += (
            f" {gone:,} of the {len(ids):,} selected {'were' if gone != 1 else 'was'} left out: deleted, no longer "
            "yours to see, or (for ClaimReview) no longer published, since they were selected."
        )
    return {**result, "rows": written, "summary": summary}


def start_extraction(*, pasted: dict[str, str], attributions: str, acting_user) -> Job:
    """Queue extracting a paste, given as {"text": …} or {"html": …}; ExtractionInputError at once if it cannot be."""
    from claims.extraction import MODES
    from claims.extraction.pipeline import validate

    raw, kind = validate(pasted.get("text"), pasted.get("html"))
    if attributions not in MODES:
        raise ValueError(f"No attribution mode {attributions!r}; there are {', '.join(MODES)}.")
    params = {"input_kind": kind, "attributions": attributions, "characters": len(raw)}
    return start_job(
        kind=JobKind.EXTRACT,
        acting_user=acting_user,
        params=params,
        input_name=f"a paste of {len(raw):,} characters",
        input_data=raw.encode("utf-8", "surrogatepass"),
    )


def _extract(attempt: Attempt) -> dict:
    """The extraction, as POST /api/v1/extract/ answers a shorter paste."""
    from claims.extraction import ExtractionInputError, extract_article, tagger

    params = attempt.job.params
    raw = bytes(JobInput.objects.get(job=attempt.job).data).decode("utf-8", "surrogatepass")
    try:
        extraction = extract_article(
            **{params["input_kind"]: raw}, tagger=tagger.configured(), attributions=params["attributions"]
        )
    except ExtractionInputError as error:
        raise JobRefused(str(error)) from None
    summary = f"{len(extraction.candidates):,} candidates in {len(raw):,} characters."
    return {**extraction.to_dict(), "summary": summary}


WORK: dict[str, Callable[[Attempt], dict]] = {
    JobKind.IMPORT: _import,
    JobKind.FETCH_ARTICLE: _fetch_article,
    JobKind.EXPORT: _export,
    JobKind.EXTRACT: _extract,
}
