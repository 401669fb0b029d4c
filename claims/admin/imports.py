"""Imports in the admin: every run as it was recorded, and a page to import a file.

The page only queues the upload as an import job (claims.services.jobs) and
shows the job; a worker hands the file to claims.transfer.run_import, which
asks the policy, checks the whole file, writes in one transaction as the
editor and records the run. The job's page links to that ImportRun once it ends.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims.admin.base import TolerantChangeList
from claims.choices import JobKind, TransferKind
from claims.models import ImportRun, JobInput
from claims.policy import can
from claims.services.jobs import start_job

# What a job keeps of its input, in the database; the import commands take any size.
MAX_UPLOAD_BYTES = JobInput.MAX_BYTES


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=TransferKind.choices, label="What the file holds")
    file = forms.FileField(help_text=f"At most {megabytes(MAX_UPLOAD_BYTES)}; the import commands take larger files.")
    dry_run = forms.BooleanField(
        required=False, label="Dry run", help_text="Read, check and write it all, then keep nothing."
    )
    skip_bad = forms.BooleanField(
        required=False,
        label="Skip bad lines",
        help_text="Import the good lines and list the bad ones with their reasons, instead of importing nothing.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"“{upload.name}” is {megabytes(upload.size)}; the admin imports files of at most "
                f"{megabytes(MAX_UPLOAD_BYTES)}. Import it on the server with its import command "
                "(python manage.py help lists them), which takes any size."
            )
        return upload


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Import runs as run_import recorded them: shown, never changed; the list links to the import page."""

    list_display = (
        "started_at", "kind", "file_name", "started_by", "outcome", "lines_read", "created", "unchanged", "rejected",
        "message",
    )  # fmt: skip
    list_filter = ("kind", "outcome")
    list_select_related = ("started_by",)
    search_fields = ("file_name", "message")
    date_hierarchy = "started_at"

    # The record of imports is for those who import.
    def has_view_permission(self, request, obj=None):
        return can(request.user, "import")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changelist(self, request, **kwargs):
        return TolerantChangeList

    def get_urls(self):
        page = path("import/", self.admin_site.admin_view(self.import_view), name="claims_importrun_import")
        return [page, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_url": reverse("admin:claims_importrun_import")}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not can(request.user, "import"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = self.start(request, form.cleaned_data)
            return redirect("admin:claims_job_change", job.pk)
        return TemplateResponse(
            request,
            "admin/claims/importrun/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Import a file",
                "form": form,
                "max_upload": megabytes(MAX_UPLOAD_BYTES),
            },
        )

    def start(self, request, values):
        """Queue the upload's import as the signed-in editor; the job, which a worker runs."""
        upload = values["file"]
        params = {"kind": values["kind"], "dry_run": values["dry_run"], "skip_bad": values["skip_bad"]}
        job = start_job(
            kind=JobKind.IMPORT,
            acting_user=request.user,
            params=params,
            input_name=upload.name,
            input_data=upload.read(),
        )
        self.message_user(request, f"“{upload.name}” is queued for import as job {job.pk}; this page follows it.")
        return job
