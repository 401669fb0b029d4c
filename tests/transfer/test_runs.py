"""How every import runs, whatever its format: checked whole first, one transaction, a record of how it ended."""

import pytest
from django.core.exceptions import PermissionDenied

from claims.choices import ClaimStatus, Rating, TransferKind, TransferOutcome
from claims.models import Claim, ImportRun, Speaker, Topic
from claims.services.reviews import Claimant, ReviewedStatement, import_reviews
from claims.transfer import IMPORTERS, Importer, ImportFailed, Line, run_import


def _read(path, name):
    """`text|speaker|rating|url|topics` lines; a line without four bars is bad."""
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            parts = raw.rstrip("\n").split("|")
            if len(parts) != 5:
                yield Line(number, raw, reason="expected five fields")
                continue
            text, speaker, rating, url, topics = parts
            yield Line(
                number,
                raw,
                ReviewedStatement(
                    text=text,
                    claimant=Claimant(speaker),
                    reviewer="Test Checkers",
                    line=number,
                    rating=rating,
                    rating_as_written=rating or "Sin evidencia",
                    review_url=url,
                    topics=tuple(t for t in topics.split(",") if t),
                ),
            )


PIPES = Importer(TransferKind.CLAIMREVIEW, _read, import_reviews)


@pytest.fixture
def pipes(monkeypatch):
    monkeypatch.setitem(IMPORTERS, TransferKind.CLAIMREVIEW, f"{__name__}.PIPES")
    return TransferKind.CLAIMREVIEW


def _file(tmp_path, *lines):
    path = tmp_path / "reviews.txt"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = [
    "Taxes doubled.|Pat Lind|false|https://checkers.example/1|taxes,economy",
    "Crime fell.|pat lind|true|https://checkers.example/2|crime",
    "The moon is cheese.|Ana Oka||https://checkers.example/3|",
]


def test_a_good_file_becomes_claims_speakers_and_topics_recorded_as_the_importer(db, editor, pipes, tmp_path):
    run = run_import(pipes, _file(tmp_path, *GOOD), acting_user=editor)
    assert (run.outcome, run.lines_read, run.created, run.unchanged, run.rejected) == (TransferOutcome.DONE, 3, 3, 0, 0)
    assert run.started_by == editor and run.finished_at
    assert Speaker.objects.count() == 2  # "pat lind" is Pat Lind
    assert set(Topic.objects.values_list("name", flat=True)) == {"taxes", "economy", "crime"}
    taxes = Claim.objects.get(text="Taxes doubled.")
    assert (taxes.status, taxes.rating) == (ClaimStatus.PUBLISHED, Rating.FALSE)
    assert taxes.reviewed_by.name == "Test Checkers"
    assert taxes.history.get().history_user == editor and taxes.created_by == editor
    unmapped = Claim.objects.get(text="The moon is cheese.")
    assert (unmapped.status, unmapped.rating) == (ClaimStatus.IN_REVIEW, "")
    assert unmapped.rating_as_written == "Sin evidencia"


def test_the_same_reviews_imported_twice_are_not_doubled(db, editor, pipes, tmp_path):
    run_import(pipes, _file(tmp_path, *GOOD), acting_user=editor)
    again = run_import(pipes, _file(tmp_path, *GOOD, GOOD[0]), acting_user=editor)
    assert (again.created, again.unchanged) == (0, 4)
    assert Claim.objects.count() == 3


def test_a_bad_line_stops_the_import_naming_file_line_and_reason_and_writes_nothing(db, editor, pipes, tmp_path):
    path = _file(tmp_path, GOOD[0], "half a line", GOOD[1], "another|bad")
    with pytest.raises(ImportFailed) as failed:
        run_import(pipes, path, acting_user=editor)
    assert str(failed.value).startswith(f"{path}, line 2: expected five fields (bad lines too: 4; 2 in all")
    assert not Claim.objects.exists() and not Speaker.objects.exists()
    run = ImportRun.objects.get()
    assert (run.outcome, run.rejected, run.message) == (TransferOutcome.FAILED, 2, str(failed.value))


def test_a_row_that_breaks_a_model_rule_stops_it_at_its_line(db, editor, pipes, tmp_path):
    path = _file(tmp_path, GOOD[0], "Bad link.|Pat Lind|false|ftp://checkers.example/9|")
    with pytest.raises(ImportFailed, match=r"line 2: review_url: Enter a web address"):
        run_import(pipes, path, acting_user=editor)
    assert not Claim.objects.exists() and not Speaker.objects.exists()


def test_skip_bad_imports_the_good_lines_and_writes_the_bad_ones_with_reasons(db, editor, pipes, tmp_path):
    path = _file(tmp_path, GOOD[0], "half\ta line", GOOD[1])
    run = run_import(pipes, path, acting_user=editor, skip_bad=True, rejects=tmp_path / "bad.tsv")
    assert (run.created, run.rejected) == (2, 1)
    assert (tmp_path / "bad.tsv").read_text(encoding="utf-8") == (
        "line\treason\toriginal\n2\texpected five fields\thalf\\ta line\n"
    )
    assert str(tmp_path / "bad.tsv") in run.message


def test_a_dry_run_does_the_work_and_keeps_none_of_it(db, editor, pipes, tmp_path):
    run = run_import(pipes, _file(tmp_path, *GOOD), acting_user=editor, dry_run=True)
    assert (run.outcome, run.created) == (TransferOutcome.DRY_RUN, 3)
    assert not Claim.objects.exists() and not Speaker.objects.exists() and not Topic.objects.exists()


def test_only_editors_import_and_a_refusal_reads_nothing(db, reporter, pipes, tmp_path):
    with pytest.raises(PermissionDenied, match="Only editors may import"):
        run_import(pipes, tmp_path / "not-even-there.txt", acting_user=reporter)
    assert not ImportRun.objects.exists()


def test_an_empty_file_is_refused(db, editor, pipes, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"empty\.txt: holds nothing to import"):
        run_import(pipes, empty, acting_user=editor)
