"""Importing from the admin: the upload is queued as a job, a worker runs run_import as the editor, and the job's
page says what it did."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims.admin import imports
from claims.admin import jobs as jobs_admin
from claims.choices import ClaimStatus, TransferKind, TransferOutcome
from claims.models import Claim, ImportRun, Job, Speaker
from claims.transfer import IMPORTERS
from tests.jobs.conftest import run_worker
from tests.transfer.test_runs import GOOD

# Committed for real, as a worker needs (tests.jobs.conftest.committed).
pytestmark = pytest.mark.usefixtures("committed")

IMPORT_PAGE = reverse("admin:claims_importrun_import")
RUNS = reverse("admin:claims_importrun_changelist")


@pytest.fixture
def pipes(monkeypatch):
    """The pipe-separated test format of tests/transfer/test_runs.py, standing in for ClaimReview."""
    monkeypatch.setitem(IMPORTERS, TransferKind.CLAIMREVIEW, "tests.transfer.test_runs.PIPES")
    return TransferKind.CLAIMREVIEW


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    # Files the jobs give (the rejected lines) in this test's own folder, not the checkout's var/.
    settings.STORAGES = {**settings.STORAGES, "jobs": {**settings.STORAGES["jobs"], "OPTIONS": {"location": tmp_path}}}


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def upload():
    """Post the file; once queued, a worker runs the job, and the answer is the job's page the post led to."""

    def upload(client, kind, name, lines, **ticks):
        content = "".join(line + "\n" for line in lines).encode("utf-8")
        data = {"kind": kind, "file": SimpleUploadedFile(name, content), **dict.fromkeys(ticks, "on")}
        response = client.post(IMPORT_PAGE, data)
        if response.status_code != 302:
            return response
        run_worker()
        return client.get(response.url)

    return upload


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def said(response) -> str:
    """What the job's page says the import did: its summary, or why it failed."""
    job = Job.objects.latest("id")
    assert job.state in ("succeeded", "failed") and response.status_code == 200
    text = job.result.get("summary") or job.message
    assert text in response.content.decode().replace("&quot;", '"')
    return text


def test_an_editor_imports_a_file_recorded_as_them(as_editor, editor, pipes, upload):
    response = upload(as_editor, pipes, "reviews.txt", GOOD)
    job = Job.objects.get()
    assert messages_of(response) == [f"“reviews.txt” is queued for import as job {job.pk}; this page follows it."]
    assert said(response) == "Imported: 3 lines of reviews.txt: 3 new, 0 already recorded, 0 rejected."
    run = ImportRun.objects.get()
    assert (job.state, job.started_by, job.result["import_run"]) == ("succeeded", editor, run.pk)
    assert (run.file_name, run.started_by, run.outcome, run.created) == ("reviews.txt", editor, TransferOutcome.DONE, 3)
    assert Claim.objects.count() == 3
    assert {claim.history.get().history_user for claim in Claim.objects.all()} == {editor}
    assert reverse("admin:claims_importrun_change", args=[run.pk]) in response.content.decode()


def test_a_bad_line_imports_nothing_and_the_message_names_the_file_the_line_and_the_reason(as_editor, pipes, upload):
    response = upload(as_editor, pipes, "reviews.txt", [GOOD[0], "half a line", GOOD[1]])
    assert said(response) == "Nothing was imported. reviews.txt, line 2: expected five fields"
    assert not Claim.objects.exists() and not Speaker.objects.exists()
    run = ImportRun.objects.get()
    assert run.outcome == TransferOutcome.FAILED
    # Refused by its input: failed at once, not tried again, with its ImportRun kept.
    job = Job.objects.get()
    assert (job.state, job.attempts, job.result) == ("failed", 1, {"import_run": run.pk})


def test_skipping_bad_lines_imports_the_rest_and_shows_and_offers_the_bad_ones(as_editor, pipes, upload):
    response = upload(as_editor, pipes, "reviews.txt", [GOOD[0], "<b>half</b>\ta line", GOOD[1]], skip_bad=True)
    assert said(response) == "Imported: 3 lines of reviews.txt: 2 new, 0 already recorded, 1 rejected."
    assert Claim.objects.count() == 2
    page = response.content.decode()
    # The rejected line is shown escaped, as text.
    assert "<td>2</td><td>expected five fields</td><td>&lt;b&gt;half&lt;/b&gt;\\ta line</td>" in page
    job = Job.objects.get()
    download = reverse("desk:job_file", args=[job.pk])
    assert f'<a href="{download}">download reviews.rejected.tsv</a>' in page
    rejects = as_editor.get(download)
    assert rejects["Content-Disposition"] == 'attachment; filename="reviews.rejected.tsv"'
    assert b"".join(rejects.streaming_content).decode() == (
        "line\treason\toriginal\n2\texpected five fields\t<b>half</b>\\ta line\n"
    )


def test_many_rejected_lines_are_counted_past_those_shown(as_editor, pipes, monkeypatch, upload):
    monkeypatch.setattr(jobs_admin, "REJECTS_SHOWN", 1)
    response = upload(as_editor, pipes, "reviews.txt", [GOOD[0], "bad", "worse", "worst"], skip_bad=True)
    assert response.context["rejected"] == [["2", "expected five fields", "bad"]]
    assert "and 2 more, in the download." in response.content.decode()


def test_a_dry_run_checks_the_file_and_keeps_nothing_but_its_record(as_editor, pipes, upload):
    response = upload(as_editor, pipes, "reviews.txt", GOOD, dry_run=True)
    assert (
        said(response)
        == "Checked (dry run, nothing kept): 3 lines of reviews.txt: 3 new, 0 already recorded, 0 rejected."
    )
    assert not Claim.objects.exists()
    assert ImportRun.objects.get().outcome == TransferOutcome.DRY_RUN


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(as_editor, pipes, monkeypatch, upload):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 100)
    response = upload(as_editor, pipes, "big.txt", GOOD)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("“big.txt” is 0.0 MB; the admin imports files of at most 0.0 MB.")
    assert not ImportRun.objects.exists() and not Job.objects.exists()


def test_the_form_says_what_is_missing(as_editor):
    response = as_editor.post(IMPORT_PAGE, {"kind": "liar"})
    assert response.context["form"].errors == {"file": ["This field is required."]}
    assert not ImportRun.objects.exists()


def test_reporters_neither_see_the_runs_nor_import(client, reporter, pipes, upload):
    client.force_login(reporter)
    assert client.get(RUNS).status_code == 403
    assert client.get(IMPORT_PAGE).status_code == 403
    assert upload(client, pipes, "reviews.txt", GOOD).status_code == 403
    assert not ImportRun.objects.exists() and not Claim.objects.exists() and not Job.objects.exists()


def test_an_import_without_the_forms_csrf_token_is_refused(editor, pipes, upload):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert upload(client, pipes, "reviews.txt", GOOD).status_code == 403
    assert not ImportRun.objects.exists()


def test_the_runs_are_listed_read_only_with_a_link_to_the_import_page(as_editor, editor, pipes, upload):
    upload(as_editor, pipes, "reviews.txt", GOOD)
    upload(as_editor, pipes, "broken.txt", ["half a line"])
    page = as_editor.get(RUNS).content.decode()
    assert f'href="{IMPORT_PAGE}"' in page
    assert "broken.txt, line 1: expected five fields" in page
    assert reverse("admin:claims_importrun_add") not in page
    failed = as_editor.get(RUNS, {"outcome": TransferOutcome.FAILED}).context["cl"]
    assert [run.file_name for run in failed.result_list] == ["broken.txt"]
    assert as_editor.get(RUNS, {"kind": TransferKind.LIAR}).context["cl"].result_count == 0
    run = ImportRun.objects.get(file_name="reviews.txt")
    change = reverse("admin:claims_importrun_change", args=[run.pk])
    detail = as_editor.get(change)
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert as_editor.post(change, {"file_name": "renamed.txt"}).status_code == 403
    assert ImportRun.objects.filter(file_name="reviews.txt").exists()


def test_an_imported_claim_shows_its_reviewers_verdict_read_only(as_editor, pipes, upload):
    upload(as_editor, pipes, "reviews.txt", GOOD)
    claim = Claim.objects.get(text="The moon is cheese.")
    assert claim.status == ClaimStatus.IN_REVIEW
    page = as_editor.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "Another fact-checker&#x27;s review" in page
    assert "https://checkers.example/3" in page and 'name="review_url"' not in page
    listed = as_editor.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "“Sin evidencia” (not on the scale)" in listed


LIAR_LINES = [
    "11972.json\ttrue\tBuilding a wall on the U.S.-Mexico border will take literally years.\timmigration\trick-perry"
    "\tGovernor\tTexas\trepublican\t30\t30\t42\t23\t18\tRadio interview",
    "11685.json\tfalse\tWisconsin is on pace to double the number of layoffs this year.\tjobs\tkatrina-shankland"
    "\tState representative\tWisconsin\tdemocrat\t2\t1\t0\t0\t0\ta news conference",
    "11686.json\tmaybe\tA verdict LIAR does not have.\tjobs\tkatrina-shankland\t\tWisconsin\tdemocrat\t0\t0\t0\t0\t0\t",
]


def test_a_liar_file_imports_through_the_real_importer_as_politifacts_verdicts(as_editor, editor, upload):
    response = upload(as_editor, TransferKind.LIAR, "test.tsv", LIAR_LINES, skip_bad=True)
    assert said(response) == "Imported: 3 lines of test.tsv: 2 new, 0 already recorded, 1 rejected."
    (rejected,) = response.context["rejected"]
    assert rejected[0] == "3" and rejected[1].startswith("unknown verdict “maybe” (column 2)")
    wall = Claim.objects.get(external_id="11972")
    assert (wall.reviewed_by.name, wall.get_rating_display(), wall.venue) == ("PolitiFact", "True", "Radio interview")
    assert (wall.claimant.name, wall.claimant.party, wall.claimant.region) == ("Rick Perry", "Republican", "Texas")
    assert wall.history.earliest().history_user == editor

    again = upload(as_editor, TransferKind.LIAR, "test.tsv", LIAR_LINES[:2])
    assert said(again) == "Imported: 2 lines of test.tsv: 0 new, 2 already recorded, 0 rejected."
    assert Claim.objects.count() == 2
