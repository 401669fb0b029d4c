"""Imports in the admin: every run as it was recorded, and a page to import a file.

The page only carries the upload to claims.transfer.run_import, which asks
the policy, checks the whole file, writes in one transaction as the editor
and records the run; the page shows what it says.
"""

import tempfile
from pathlib import Path
from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims.admin.base import TolerantChangeList
from claims.choices import TransferKind
from claims.models import ImportRun
from claims.policy import can
from claims.transfer import ImportFailed, run_import

# Larger files take longer than a browser waits; the import commands take any size.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Rejected lines shown on the page after an import with skip-bad; all of them are in the download.
REJECTS_SHOWN = 200
# A larger rejects file is not offered for download in the page: the command writes it to a file.
MAX_REJECTS_DOWNLOAD_BYTES = 5 * 1024 * 1024


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
        context = {}
        if request.method == "POST" and form.is_valid():
            context = self.run(request, form.cleaned_data)
        return TemplateResponse(
            request,
            "admin/claims/importrun/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Import a file",
                "form": form,
                "max_upload": megabytes(MAX_UPLOAD_BYTES),
                **context,
            },
        )

    def run(self, request, values) -> dict:
        """Import the upload as the signed-in editor; the run, and the rejected lines to show."""
        upload = values["file"]
        with tempfile.TemporaryDirectory(prefix="factcheck-import-") as folder:
            uploaded, rejects = Path(folder) / "upload", Path(folder) / "rejected.tsv"
            with open(uploaded, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                run = run_import(
                    values["kind"],
                    uploaded,
                    acting_user=request.user,
                    name=upload.name,
                    dry_run=values["dry_run"],
                    skip_bad=values["skip_bad"],
                    rejects=rejects,
                )
            except ImportFailed as failed:
                self.message_user(request, f"Nothing was imported. {failed.run.message}", messages.ERROR)
                return {"run": failed.run}
            self.message_user(request, run.summary(), messages.SUCCESS)
            return {"run": run, **rejected_lines(run, rejects, f"{Path(upload.name).stem}.rejected.tsv")}


def rejected_lines(run: ImportRun, rejects: Path, download_name: str) -> dict:
    """What the page shows of the rejects file run_import wrote: the first lines, and all of it to download."""
    if not rejects.exists():
        return {}
    text = rejects.read_text(encoding="utf-8")
    # Each line: line number, reason, the line as it was (its own tabs written as \t).
    rows = [row.split("\t", 2) for row in text.splitlines()[1 : REJECTS_SHOWN + 1]]
    shown = {"rejected": rows, "rejects_name": download_name, "rejected_not_shown": run.rejected - len(rows)}
    if len(text.encode("utf-8")) <= MAX_REJECTS_DOWNLOAD_BYTES:
        shown["rejects_download"] = "data:text/tab-separated-values;charset=utf-8," + quote(text)
    return shown
