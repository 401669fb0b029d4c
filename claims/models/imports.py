"""Imports as they ran: what was read, by whom, and how it ended, for the dashboard and the admin."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.choices import TransferKind, TransferOutcome


class ImportRun(models.Model):
    """One run of an importer (claims.transfer), written whether it succeeded, was a dry run or failed.

    Written when the run has ended, after its transaction committed or rolled
    back: a failed import leaves the database as it was and this row is what
    remains of it, and a restore's own record never takes an id the file holds.
    """

    kind = models.CharField(max_length=20, choices=TransferKind.choices)
    file_name = models.CharField(max_length=500)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=TransferOutcome.choices)
    lines_read = models.PositiveIntegerField(default=0)
    # Records the import made, those already there (the same review imported again), and bad lines skipped.
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Why it failed, with the file's line; or where the rejected lines were written.
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TransferKind.values), name="%(app_label)s_%(class)s_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=TransferOutcome.values), name="%(app_label)s_%(class)s_outcome_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.file_name}: {self.get_outcome_display().lower()}"

    def summary(self) -> str:
        """What the run did, in a sentence: the import command's report and the admin's message."""
        what = "Checked (dry run, nothing kept)" if self.outcome == TransferOutcome.DRY_RUN else "Imported"
        return (
            f"{what}: {self.lines_read:,} lines of {self.file_name}: {self.created:,} new, "
            f"{self.unchanged:,} already recorded, {self.rejected:,} rejected."
        )
