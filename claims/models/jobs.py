"""Background jobs: one piece of long work (an import, an export, a fetch), its state and what it gave.

A job is run by a worker (manage.py run_jobs) through claims.services.jobs,
which alone changes these rows. What it needs that must reach another machine
(an uploaded file, a pasted text) is a JobInput row, never a local file.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from claims.choices import JobKind, JobState


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Editors see every job; anyone else the jobs they started (claims.policy "see_every_job")."""
        from claims.policy import can

        if user is None or not user.is_authenticated:
            return self.none()
        return self if can(user, "see_every_job") else self.filter(started_by=user.pk)

    def stalled(self):
        """Running jobs whose worker stopped renewing the lease: killed, or cut off from the database."""
        return self.filter(state=JobState.RUNNING, lease_expires_at__lt=timezone.now())


class Job(models.Model):
    """One piece of long work, from being queued to its end: who asked, how far it got, what it gave or why not."""

    kind = models.CharField(max_length=30, choices=JobKind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    state = models.CharField(max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    # Attempts begun so far (a worker killed mid-job counts), and how many it may have.
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField()
    # Progress as the work reports it: `done` of `total` (0: not known yet).
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # Small options the work reads (what the file holds, a dry run, the address to fetch).
    params = models.JSONField(default=dict, blank=True)
    # What it gave: an ImportRun's id, a file to download, a fetched article's text.
    result = models.JSONField(default=dict, blank=True)
    # For a person: why it failed or was retried (the last error, in a line; the traceback is in the log).
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A queued job waits for this (a retry's backoff); a running one is its worker's until lease_expires_at.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep for stalled jobs: running ones by lease.
            models.Index(
                fields=["lease_expires_at"], condition=Q(state=JobState.RUNNING), name="claims_job_running_lease"
            ),
            # Someone's own jobs, newest first (the API and the admin for a reporter).
            models.Index(fields=["started_by", "-created_at"], name="claims_job_started_by"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="%(app_label)s_%(class)s_state_valid"),
            # A lease only while running; an end time exactly when it ended.
            models.CheckConstraint(
                condition=Q(state=JobState.RUNNING, lease_expires_at__isnull=False)
                | (~Q(state=JobState.RUNNING) & Q(lease_expires_at__isnull=True)),
                name="%(app_label)s_%(class)s_lease_while_running",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[JobState.SUCCEEDED, JobState.FAILED], finished_at__isnull=False)
                | (Q(state__in=[JobState.QUEUED, JobState.RUNNING]) & Q(finished_at__isnull=True)),
                name="%(app_label)s_%(class)s_finished_when_ended",
            ),
            # Running means one attempt at least has begun.
            models.CheckConstraint(
                condition=~Q(state=JobState.RUNNING) | Q(attempts__gte=1),
                name="%(app_label)s_%(class)s_running_attempt",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__gte=1, attempts__lte=F("max_attempts")),
                name="%(app_label)s_%(class)s_attempts_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(total=0) | Q(done__lte=F("total")), name="%(app_label)s_%(class)s_done_within_total"
            ),
        ]

    def __str__(self):
        return f"Job {self.pk}: {self.get_kind_display()}, {self.get_state_display().lower()}"

    @property
    def is_over(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)

    @property
    def percent(self) -> int | None:
        """How far it got, when its work said how much there is."""
        return min(100, self.done * 100 // self.total) if self.total else None


class JobInput(models.Model):
    """What a job reads that must cross machines: an uploaded file or a pasted text, as bytes, at most MAX_BYTES.

    Kept apart from Job so listing jobs never reads it; deleted once its job succeeded.
    """

    # The admin's upload limit (claims/admin/imports.py MAX_UPLOAD_BYTES).
    MAX_BYTES = 50 * 1024 * 1024

    job = models.OneToOneField(Job, primary_key=True, on_delete=models.CASCADE, related_name="input")
    name = models.CharField(max_length=500, blank=True)
    data = models.BinaryField()

    class Meta:
        ordering = ["job"]

    def __str__(self):
        return f"Input of job {self.job_id}: {self.name or 'text'}"
