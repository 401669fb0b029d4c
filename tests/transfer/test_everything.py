"""The full export and its restore: every row, link and historical row back as it was, or nothing written."""

import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection

from claims import services
from claims.choices import Role, TransferKind, TransferOutcome
from claims.devdata.demo import load_demo
from claims.models import Claim, ImportRun, Speaker
from claims.policy import SYSTEM_ACCOUNT
from claims.services import system_account
from claims.transfer import ImportFailed, run_import
from claims.transfer.everything import export_everything, exported_models
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

RUNS = ImportRun._meta.label_lower


@pytest.fixture
def newsroom(settings):
    """The demo newsroom, with edits that made history: a revert, a merge, a deletion, an import run, and the
    desk's work (an assignment, a resolved comment and an open one)."""
    settings.DEBUG = True
    load_demo()
    editor = User.objects.get(username="editor")
    claim = Claim.objects.order_by("pk").first()
    services.edit_claim(claim, text="Reworded once.", acting_user=editor)
    services.revert_record(claim, version=claim.history.order_by("history_id").first(), acting_user=editor)
    services.assign_claim(claim=claim, assignee=editor, acting_user=editor)
    asked = services.comment_on_claim(claim=claim, body="Who said it first?", acting_user=editor)
    services.resolve_comment(comment=asked, acting_user=editor)
    services.comment_on_claim(claim=claim, body="The transcript is still missing.", acting_user=editor)
    keep, merge = Speaker.objects.filter(organization__isnull=True).order_by("pk")[:2]
    services.merge_speakers(keep=keep, merge=merge, acting_user=editor)
    services.delete_record(ClaimFactory(text="Recorded by mistake."), acting_user=editor)
    ImportRun.objects.create(
        kind=TransferKind.LIAR, file_name="train.tsv", started_by=editor, outcome=TransferOutcome.DONE, created=3
    )
    return editor


def _export(path) -> dict[str, int]:
    with path.open("w", encoding="utf-8") as handle:
        return export_everything(handle, acting_user=system_account())


def _rows() -> dict[str, list[dict]]:
    """Every row of every exported table, all columns, by primary key."""
    return {model._meta.label_lower: list(model._base_manager.order_by("pk").values()) for model in exported_models()}


def _empty_as_migrate_leaves_it(system_id: int) -> None:
    """No rows at all, then what migrate makes: the role groups and the system account."""
    # PostgreSQL truncates no table with reference checks still pending in the test's transaction.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    account = User.objects.create(pk=system_id, username=SYSTEM_ACCOUNT, is_active=False)
    account.set_unusable_password()
    account.save()
    groups = {role: Group.objects.create(name=role) for role in Role.values}
    account.groups.add(groups[Role.SYSTEM])
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [User]):
            cursor.execute(statement)


def _restore(path, **options):
    return run_import(TransferKind.EVERYTHING, path, acting_user=system_account(), **options)


def test_a_restore_into_an_empty_database_gives_back_every_row_and_link(newsroom, tmp_path):
    before = _rows()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    counts = _export(first)
    assert counts[Claim._meta.label_lower] == Claim.objects.count() and counts["claims.historicalclaim_quotes"] > 0
    _empty_as_migrate_leaves_it(system_account().pk)

    run = _restore(first)

    assert (run.outcome, run.started_by.username, run.created + run.unchanged) == (
        "done",
        SYSTEM_ACCOUNT,
        sum(counts.values()),
    )
    after = _rows()
    # The restore's own record comes after the file's runs, which keep their ids.
    restore = after[RUNS].pop()
    assert (restore["kind"], restore["started_by_id"]) == (TransferKind.EVERYTHING, system_account().pk)
    assert after == before
    _export(second)
    (first_header, *first_lines), (second_header, *second_lines) = (
        path.read_text(encoding="utf-8").splitlines() for path in (first, second)
    )
    assert [line for line in second_lines if not _is_restore(line)] == first_lines
    expected_header = json.loads(first_header)
    expected_header["tables"][RUNS] += 1
    assert json.loads(second_header) == expected_header
    # New rows number on from the restored ones (PostgreSQL's sequences were reset).
    assert ClaimFactory().pk > max(row["id"] for row in before["claims.claim"])


def _is_restore(line: str) -> bool:
    row = json.loads(line)
    return row.get("model") == RUNS and row["fields"]["kind"] == TransferKind.EVERYTHING


def test_history_comes_back_as_it_was_and_the_restore_adds_none(newsroom, tmp_path):
    path = tmp_path / "everything.jsonl"
    claim = Claim.objects.order_by("pk").first()
    versions = list(claim.history.values_list("history_id", "history_user__username", "history_date", "text"))
    _export(path)
    _empty_as_migrate_leaves_it(system_account().pk)
    _restore(path)
    assert (
        list(
            Claim.objects.get(pk=claim.pk).history.values_list(
                "history_id", "history_user__username", "history_date", "text"
            )
        )
        == versions
    )
    assert Claim.history.filter(text="Recorded by mistake.", history_type="-").exists()


def test_accounts_sign_in_after_a_restore(newsroom, tmp_path, client):
    UserFactory(username="pat", password="a long passphrase")
    path = tmp_path / "everything.jsonl"
    _export(path)
    _empty_as_migrate_leaves_it(system_account().pk)
    _restore(path)
    assert client.login(username="pat", password="a long passphrase")
    assert set(User.objects.get(username="editor").groups.values_list("name", flat=True)) == {Role.EDITOR}


def test_a_dry_run_checks_it_all_and_keeps_nothing(newsroom, tmp_path):
    path = tmp_path / "everything.jsonl"
    _export(path)
    _empty_as_migrate_leaves_it(system_account().pk)
    empty = _rows()
    run = _restore(path, dry_run=True)
    assert run.outcome == TransferOutcome.DRY_RUN
    after = _rows()
    assert [r["outcome"] for r in after.pop(RUNS)] == [TransferOutcome.DRY_RUN]
    empty.pop(RUNS)
    assert after == empty


# --- refusals: each names the file, the line and the reason, and leaves the database as it was ------------------


@pytest.fixture
def exported(tmp_path, editor):
    """A small export, and the database emptied after it as migrate leaves one."""
    claim = ClaimFactory(created_by=editor)
    services.edit_claim(claim, text="Reworded.", acting_user=editor)
    path = tmp_path / "everything.jsonl"
    _export(path)
    _empty_as_migrate_leaves_it(system_account().pk)
    return path


def _line_of(path, model: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if f'"model": "{model}"' in line)


def _rewrite(path, number: int, change) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = change(lines[number - 1])
    path.write_bytes(b"\n".join(line for line in lines if line is not None))


def _json_change(change):
    def rewrite(raw: bytes) -> bytes:
        row = json.loads(raw)
        change(row)
        return json.dumps(row).encode()

    return rewrite


def _schema_of_another_time(header):
    header["schema"]["claims"] = "0006_policy_roles"


def _no_text(row):
    del row["fields"]["text"]


def _unknown_claimant(row):
    row["fields"]["claimant"] = 99999


def _other_format(header):
    header["format"] = "liar"


def _made_yesterday(row):
    row["fields"]["made_on"] = "yesterday"


def _version_2(header):
    header["version"] = 2


REFUSALS = [
    ("header", _json_change(_other_format), r"line 1: not a full export of this tool"),
    ("header", lambda raw: b"2635.json\tfalse\tSays the Annies List political group...", r"line 1: not a full export"),
    ("header", _json_change(_version_2), r"line 1: format version 2; this tool reads version 1"),
    (
        "header",
        _json_change(_schema_of_another_time),
        r"line 1: the file's data is at migrations .*claims 0006_policy_roles, "
        r"this database at .*claims 00[0-9][0-9]_",
    ),
    ("claims.claim", lambda raw: raw[:-5], r"line {line}: not JSON \(.* at column \d+\)"),
    ("claims.claim", _json_change(_no_text), r"line {line}: claims.claim row \d+ lacks text"),
    ("claims.claim", lambda raw: raw.replace(b"Reworded", "Réécrit".encode("latin-1")), r"line {line}: not UTF-8 text"),
    (
        "claims.claim",
        _json_change(_unknown_claimant),
        r"line {line}: claimant points to claims.speaker 99999, which is not in the file",
    ),
    (
        "claims.claim",
        lambda raw: b'{"model": "claims.verdict", "pk": 1, "fields": {}}',
        r"line {line}: “claims.verdict” is not a table",
    ),
    (
        "claims.claim",
        _json_change(_made_yesterday),
        r"line {line}: claims.claim row \d+: .*“yesterday” value has an invalid date format",
    ),
    ("claims.claim", lambda raw: None, r"the first line says 1 rows of claims.claim follow, and 0 do"),
    ("claims.claim", lambda raw: b" ", r"line {line}: an empty line"),
]


@pytest.mark.parametrize("where, change, message", REFUSALS)
def test_a_bad_file_is_refused_naming_the_line_and_writes_nothing(exported, where, change, message):
    number = 1 if where == "header" else _line_of(exported, where)
    _rewrite(exported, number, change)
    before = _rows()
    with pytest.raises(
        ImportFailed, match=f"^{re.escape(str(exported))}(, |: )" + message.format(line=number)
    ) as failed:
        _restore(exported)
    assert failed.value.run.outcome == TransferOutcome.FAILED
    recorded = ImportRun.objects.filter(pk=failed.value.run.pk).values().get()
    after = _rows()
    assert after.pop(RUNS) == before.pop(RUNS) + [recorded]
    assert after == before


def test_a_database_that_holds_data_is_refused_naming_the_table(newsroom, tmp_path):
    path = tmp_path / "everything.jsonl"
    _export(path)
    before = _rows()
    with pytest.raises(
        ImportFailed,
        match=r"this database is not empty: claims_\w+ has rows; restore into a database made by migrate alone",
    ):
        _restore(path)
    after = _rows()
    assert len(after.pop(RUNS)) == len(before.pop(RUNS)) + 1
    assert after == before


def test_an_account_the_file_does_not_have_is_refused(exported):
    UserFactory(username="someone_new")
    with pytest.raises(ImportFailed, match="auth_user has the account “someone_new”"):
        _restore(exported)
    assert not Claim.objects.exists()


def test_only_administrators_and_the_system_account_export_or_restore(exported, tmp_path):
    editor = UserFactory(username="ed_after_the_flush", role=Role.EDITOR)
    with pytest.raises(PermissionDenied, match="Only administrators"):
        export_everything((tmp_path / "x.jsonl").open("w"), acting_user=editor)
    with pytest.raises(PermissionDenied, match="Only administrators"):
        run_import(TransferKind.EVERYTHING, exported, acting_user=editor)
    assert not Claim.objects.exists()


def test_the_commands_export_and_restore_with_a_summary(newsroom, tmp_path, capsys):
    path = tmp_path / "backup.jsonl"
    call_command("export_everything", str(path))
    out = capsys.readouterr().out
    assert re.search(rf"^  claims\.claim +{Claim.objects.count()}$", out, re.MULTILINE)
    assert [p.name for p in tmp_path.iterdir()] == ["backup.jsonl"]
    _empty_as_migrate_leaves_it(system_account().pk)
    call_command("import_everything", str(path))
    assert "Imported:" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Nothing was imported.*not empty"):
        call_command("import_everything", str(path))


def test_an_export_that_fails_leaves_no_file(newsroom, tmp_path, monkeypatch):
    path = tmp_path / "backup.jsonl"

    def broken(handle, **kwargs):
        handle.write("half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("claims.management.commands.export_everything.export_everything", broken)
    with pytest.raises(CommandError, match="Cannot write .*backup.jsonl: No space left on device"):
        call_command("export_everything", str(path))
    assert list(tmp_path.iterdir()) == []


def test_a_failed_attempt_is_kept_after_the_runs_a_later_restore_brings(newsroom, tmp_path):
    path, broken = tmp_path / "everything.jsonl", tmp_path / "broken.jsonl"
    _export(path)
    in_file = list(ImportRun.objects.order_by("pk").values())
    broken.write_text(path.read_text(encoding="utf-8").replace('"format"', '"formta"', 1), encoding="utf-8")
    _empty_as_migrate_leaves_it(system_account().pk)
    with pytest.raises(ImportFailed):
        _restore(broken)

    _restore(path)

    *restored, attempt, restore = ImportRun.objects.order_by("pk").values()
    assert restored == in_file
    assert (attempt["file_name"], attempt["outcome"]) == (str(broken), TransferOutcome.FAILED)
    assert (restore["file_name"], restore["outcome"]) == (str(path), TransferOutcome.DONE)
    assert attempt["id"] > max(run["id"] for run in in_file)
