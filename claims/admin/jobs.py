"""Background jobs in the admin: listed read-only, each with what it gave; a failed one can be run again.

Every change is claims.services.jobs': the list shows what the workers
recorded, and "Run again" calls retry_job for each failed job chosen.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims.admin.base import TolerantChangeList
from claims.choices import JobState
from claims.models import Job
from claims.policy import can
from claims.services.jobs import jobs_storage, retry_job

# Rejected lines of an import shown on its job's page; all of them are in the download.
REJECTS_SHOWN = 200


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "kind", "started_by", "state", "progress", "attempts", "message")
    list_display_links = ("id", "created_at")
    list_filter = ("state", "kind")
    list_select_related = ("started_by",)
    date_hierarchy = "created_at"
    actions = ["run_again"]
    fields = (
        "kind", "state", "progress", "what_it_gave", "message", "started_by", "attempts", "max_attempts",
        "created_at", "started_at", "finished_at", "next_attempt_at", "lease_expires_at", "params",
    )  # fmt: skip
    readonly_fields = fields
    change_form_template = "admin/claims/job/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        return can(request.user, "view", obj or Job)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return can(request.user, "retry_job", Job)

    def get_changelist(self, request, **kwargs):
        return TolerantChangeList

    @admin.display(description="progress")
    def progress(self, obj):
        return f"{obj.done:,} of {obj.total:,}" if obj.total else "–"

    @admin.display(description="what it gave")
    def what_it_gave(self, obj):
        result, links = obj.result, []
        if result.get("import_run"):
            links.append((reverse("admin:claims_importrun_change", args=[result["import_run"]]), "the import's record"))
        if result.get("file"):
            links.append((reverse("desk:job_file", args=[obj.pk]), f"download {result['file_name']}"))
        links.append((reverse("desk:job", args=[obj.pk]), "its page at the desk"))
        summary = format_html("<p>{}</p>", result["summary"]) if result.get("summary") else ""
        return format_html("{}{}", summary, format_html_join(", ", '<a href="{}">{}</a>', links))

    @admin.action(description="Run the selected failed jobs again", permissions=["retry"])
    def run_again(self, request, queryset):
        failed = [job for job in queryset.select_related("started_by") if job.state == JobState.FAILED]
        refused = []
        for job in failed:
            if can(request.user, "retry_job", job):
                retry_job(job, acting_user=request.user)
            else:
                refused.append(job)
        again = len(failed) - len(refused)
        self.message_user(request, f"{again} failed job{'s' if again != 1 else ''} queued again.", messages.SUCCESS)
        if refused or len(failed) < queryset.count():
            left = queryset.count() - again
            self.message_user(request, f"{left} left as they were: only failed jobs run again.", messages.WARNING)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra = {"job_over": job is None or job.is_over, **(extra_context or {})}
        if job is not None and job.result.get("file", "").endswith(".rejected.tsv"):
            extra.update(rejected_lines(job))
        return super().change_view(request, object_id, form_url, extra)


def rejected_lines(job: Job) -> dict:
    """The first lines of an import's rejects file, as the page shows them."""
    storage = jobs_storage()
    if not storage.exists(job.result["file"]):
        return {}
    with storage.open(job.result["file"], "rb") as handle:
        lines = handle.read().decode("utf-8").splitlines()
    # Each line: line number, reason, the line as it was (its own tabs written as \t).
    rows = [row.split("\t", 2) for row in lines[1 : REJECTS_SHOWN + 1]]
    return {"rejected": rows, "rejected_not_shown": len(lines) - 1 - len(rows)}
