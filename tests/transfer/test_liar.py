"""The LIAR import: the real files whole, and every kind of bad file refused with its line and reason."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.choices import ClaimStatus, Rating, SpeakerKind, TransferKind, TransferOutcome
from claims.models import Claim, ImportRun, Outlet, Speaker, Topic
from claims.services.reviews import import_reviews
from claims.transfer import ImportFailed, run_import
from claims.transfer.liar import read, speaker_name, topic_name
from tests.conftest import shared_data

LIAR_FILES = ("train.tsv", "valid.tsv", "test.tsv")


def liar_line(
    statement_id="2635.json",
    verdict="false",
    statement="Says the state budget doubled in four years.",
    subjects="state-budget,taxes",
    speaker="pat-lind",
    title="State senator",
    state="Texas",
    party="republican",
    context="a mailer",
) -> str:
    counts = ["0", "1", "0", "0", "0"]
    return "\t".join([statement_id, verdict, statement, subjects, speaker, title, state, party, *counts, context])


def liar_file(tmp_path, *lines: str, name="statements.tsv"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = [
    liar_line(),
    liar_line(
        "10540.json",
        "half-true",
        "Coal started to decline with cheap gas.",
        "energy,history",
        "ana-oka",
        "",
        "",
        "none",
        "a floor speech.",
    ),  # fmt: skip
    liar_line("324.json", "barely-true", "Crime went up forty percent.", "crime", "pat-lind", "Governor", "Texas"),
]


def everything() -> dict:
    """Every row an import could touch, to prove a refused one left the database exactly as it was."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Claim, Claim.topics.through, Claim.history.model, Speaker, Speaker.history.model, Topic, Outlet)
    }


@pytest.fixture
def imported_before(editor, tmp_path):
    """One earlier good import, so "unchanged" means more than "still empty"."""
    run_import(TransferKind.LIAR, liar_file(tmp_path, GOOD[0], name="before.tsv"), acting_user=editor)
    return everything()


# --- The real files ---------------------------------------------------------------------------


def test_the_three_real_files_import_whole_as_politifacts_verdicts(editor):
    paths = [shared_data("liar", name) for name in LIAR_FILES]
    expected = [line.record for path in paths for line in read(path, str(path))]
    assert len(expected) == 12_836 and not [r for r in expected if r is None]
    for path in paths:
        call_command("import_liar", str(path), "--user", editor.username, stdout=StringIO())

    claims = Claim.objects.all()
    assert claims.count() == 12_836
    assert set(claims.values_list("status", "reviewed_by__name").distinct()) == {(ClaimStatus.PUBLISHED, "PolitiFact")}
    assert Counter(claims.values_list("rating", flat=True)) == {
        Rating.HALF_TRUE: 2638, Rating.FALSE: 2511, Rating.MOSTLY_TRUE: 2466,
        Rating.MOSTLY_FALSE: 2108, Rating.TRUE: 2063, Rating.PANTS_ON_FIRE: 1050,
    }  # fmt: skip
    # Speakers once each, by name: Barack Obama's hundreds of statements are one speaker's.
    assert Speaker.objects.count() == len({r.claimant.name.casefold() for r in expected}) == 3_318
    obama = Speaker.objects.get(name="Barack Obama")
    assert (obama.kind, obama.description, obama.party, obama.region) == (
        SpeakerKind.PERSON,
        "President",
        "Democrat",
        "Illinois",
    )
    assert obama.claims.count() == sum(r.claimant.name == "Barack Obama" for r in expected)
    assert Speaker.objects.get(name="Chain Email").kind == SpeakerKind.ORGANIZATION
    assert Topic.objects.count() == 144

    first = Claim.objects.get(external_id="2635")
    assert first.text == "Says the Annies List political group supports third-trimester abortions on demand."
    assert (first.rating, first.rating_as_written, first.venue) == (Rating.FALSE, "false", "a mailer")
    assert first.rating_summary == "The statement is not accurate."
    assert (first.claimant.name, first.claimant.description) == ("Dwayne Bohac", "State representative")
    coal = Claim.objects.get(external_id="10540")
    assert set(coal.topics.values_list("name", flat=True)) == {"Energy", "History", "Job accomplishments"}
    # The embedding marks around a tweet's hashtag are dropped, the words kept.
    assert "perks, #Bernie is in the top 1 percent" in Claim.objects.get(text__contains="#Bernie").text

    history = Claim.history.model.objects
    assert history.count() == 12_836 and set(history.values_list("history_user", flat=True).distinct()) == {editor.pk}
    assert set(Speaker.history.values_list("history_user", flat=True).distinct()) == {editor.pk}
    assert history.model.topics.model.objects.count() == Claim.topics.through.objects.count()
    assert set(claims.values_list("created_by", flat=True).distinct()) == {editor.pk}

    before = everything()
    again = run_import(TransferKind.LIAR, paths[0], acting_user=editor)
    assert (again.created, again.unchanged, again.rejected) == (0, 10_269, 0)
    assert everything() == before


# --- One file, by hand --------------------------------------------------------------------------


def test_a_good_file_becomes_published_verdicts_with_speakers_topics_and_venue(editor, tmp_path):
    run = run_import(TransferKind.LIAR, liar_file(tmp_path, *GOOD), acting_user=editor)
    assert (run.outcome, run.lines_read, run.created, run.unchanged, run.rejected) == (TransferOutcome.DONE, 3, 3, 0, 0)
    budget = Claim.objects.get(external_id="2635")
    assert (budget.status, budget.rating, budget.venue) == (ClaimStatus.PUBLISHED, Rating.FALSE, "a mailer")
    assert budget.published_at is None  # LIAR gives no dates
    assert set(budget.topics.values_list("name", flat=True)) == {"State budget", "Taxes"}
    assert Claim.objects.get(external_id="324").rating == Rating.MOSTLY_FALSE  # barely-true
    pat = Speaker.objects.get(name="Pat Lind")
    assert (pat.description, pat.party, pat.region, pat.claims.count()) == ("State senator", "Republican", "Texas", 2)
    ana = Speaker.objects.get(name="Ana Oka")
    assert (ana.description, ana.party, ana.region) == ("", "", "")  # "none" is no party
    assert budget.history.get().history_user == editor
    assert set(budget.history.get().topics.values_list("topic__name", flat=True)) == {"State budget", "Taxes"}


def test_a_speaker_gets_the_title_given_most_and_organisations_are_told_apart(editor, tmp_path):
    lines = [
        liar_line("1.json", title="State senator"),
        liar_line("2.json", title="Governor"),
        liar_line("3.json", title="Governor"),
        liar_line("4.json", speaker="democratic-party-of-texas", title="", party="democrat"),
        liar_line("5.json", speaker="moveon", title="", party="organization"),
    ]
    run_import(TransferKind.LIAR, liar_file(tmp_path, *lines), acting_user=editor)
    assert Speaker.objects.get(name="Pat Lind").description == "Governor"
    party = Speaker.objects.get(name="Democratic Party Of Texas")
    assert (party.kind, party.party) == (SpeakerKind.ORGANIZATION, "")
    assert Speaker.objects.get(name="Moveon").kind == SpeakerKind.ORGANIZATION


def test_readable_names_come_from_liars_slugs():
    assert speaker_name("john-mccain") == "John McCain"
    assert speaker_name("GaGOP") == "GaGOP"
    assert topic_name("foreign-policy") == "Foreign policy"


def test_a_statement_already_imported_is_left_as_it_is(editor, imported_before, tmp_path):
    Claim.objects.filter(external_id="2635").update(venue="an editor's correction")
    run = run_import(TransferKind.LIAR, liar_file(tmp_path, *GOOD), acting_user=editor)
    assert (run.created, run.unchanged) == (2, 1)
    assert Claim.objects.get(external_id="2635").venue == "an editor's correction"
    assert Speaker.objects.filter(name="Pat Lind").count() == 1


def test_importing_more_statements_costs_the_same_queries(editor, tmp_path):
    """Each table is read once and written once per 500 rows, however many speakers and topics are new."""

    def queries(count: int, offset: int) -> int:
        lines = [
            liar_line(f"{offset + n}.json", speaker=f"speaker-{offset + n}", subjects=f"topic-{offset + n},taxes")
            for n in range(count)
        ]
        statements = [line.record for line in read(liar_file(tmp_path, *lines), "more.tsv")]
        with CaptureQueriesContext(connection) as captured:
            import_reviews(statements, acting_user=editor)
        return len(captured)

    queries(1, 1000)  # PolitiFact is recorded as a reviewer once, the first time
    assert queries(5, 0) == queries(25, 100) == 15


# --- Bad files: nothing written, and a message naming the file, the line and the reason ----------------


def _refused(path, editor, imported_before) -> str:
    with pytest.raises(ImportFailed) as failed:
        run_import(TransferKind.LIAR, path, acting_user=editor)
    assert everything() == imported_before
    assert ImportRun.objects.latest("started_at").outcome == TransferOutcome.FAILED
    return str(failed.value)


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        (liar_line()[:40], "expected 14 tab-separated columns (id, verdict, statement, subjects, speaker, job title, "
         "state, party, five counts, context), found 3"),
        (liar_line("9.json", verdict="mostly-false"), "unknown verdict “mostly-false” (column 2); LIAR's verdicts "
         "are pants-fire, false, barely-true, half-true, mostly-true, true"),
        (liar_line("9.json", statement="  "), "no statement (column 3 is empty)"),
        (liar_line("9.json", speaker=""), "no speaker (column 5 is empty)"),
        (liar_line("nine"), "the statement id (column 1) should look like 2635.json, not “nine”"),
        (liar_line("10540.json"), "statement 10540.json is on line 1 already"),
    ],
    ids=["broken line", "unknown verdict", "no statement", "no speaker", "bad id", "repeated id"],
)  # fmt: skip
def test_a_bad_line_stops_the_import_at_its_line(editor, imported_before, tmp_path, bad_line, reason):
    path = liar_file(tmp_path, GOOD[1], bad_line, GOOD[2])
    assert _refused(path, editor, imported_before) == f"{path}, line 2: {reason}"


def test_a_file_in_another_format_is_refused_at_its_first_line(editor, imported_before, tmp_path):
    path = liar_file(tmp_path, "id,label,statement", "2635,false,Says the budget doubled.", name="statements.csv")
    message = _refused(path, editor, imported_before)
    assert message.startswith(f"{path}, line 1: expected 14 tab-separated columns")
    assert "(bad lines too: 2; 2 in all; --skip-bad imports the rest)" in message


def test_a_file_not_in_utf8_is_refused_at_the_line_that_is_not(editor, imported_before, tmp_path):
    path = tmp_path / "latin1.tsv"
    path.write_bytes(
        (GOOD[1] + "\n" + liar_line("9.json", statement="Says the café tax doubled.") + "\n").encode("latin-1")
    )
    message = _refused(path, editor, imported_before)
    assert message.startswith(f"{path}, line 2: not UTF-8 text") and message.endswith("save the file as UTF-8")


def test_text_the_models_refuse_stops_the_import_at_its_line(editor, imported_before, tmp_path):
    path = liar_file(tmp_path, GOOD[1], liar_line("9.json", statement="Says the budget\x07 doubled."))
    message = _refused(path, editor, imported_before)
    assert str(path) in message and "line 2: text: Remove the control character U+0007 at position 15" in message


# --- The command -------------------------------------------------------------------------------------


def test_the_command_imports_and_sums_up(editor, tmp_path):
    path = liar_file(tmp_path, *GOOD)
    out = StringIO()
    call_command("import_liar", str(path), "--user", editor.username, stdout=out)
    assert re.fullmatch(
        rf"Imported: 3 lines of {re.escape(str(path))}: 3 new, 0 already recorded, 0 rejected\. \(\d+\.\d s\)\n",
        out.getvalue(),
    )
    assert Claim.objects.count() == 3


def test_skip_bad_imports_the_good_lines_and_writes_the_rejected_ones_with_reasons(editor, tmp_path):
    path = liar_file(tmp_path, GOOD[0], liar_line("9.json", verdict="maybe"), GOOD[1])
    rejects = tmp_path / "rejected.tsv"
    out = StringIO()
    options = ["--skip-bad", "--rejects", str(rejects), "--user", editor.username]
    call_command("import_liar", str(path), *options, stdout=out)
    assert ": 2 new, 0 already recorded, 1 rejected." in out.getvalue()
    assert f"1 bad lines skipped; they and their reasons are in {rejects}." in out.getvalue()
    header, rejected = rejects.read_text(encoding="utf-8").splitlines()
    assert header == "line\treason\toriginal"
    assert rejected.startswith("2\tunknown verdict “maybe” (column 2); LIAR's verdicts are pants-fire, ")
    assert rejected.endswith("\t" + liar_line("9.json", verdict="maybe").replace("\t", "\\t"))
    assert set(Claim.objects.values_list("external_id", flat=True)) == {"2635", "10540"}


def test_a_dry_run_checks_everything_and_keeps_nothing(editor, imported_before, tmp_path):
    out = StringIO()
    call_command("import_liar", str(liar_file(tmp_path, *GOOD)), "--dry-run", "--user", editor.username, stdout=out)
    assert "Checked (dry run, nothing kept): 3 lines" in out.getvalue()
    assert ": 2 new, 1 already recorded" in out.getvalue()
    assert everything() == imported_before
    assert ImportRun.objects.latest("started_at").outcome == TransferOutcome.DRY_RUN


def test_the_command_refuses_a_user_who_may_not_import(reporter, tmp_path):
    with pytest.raises(CommandError, match="Only editors may import"):
        call_command("import_liar", str(liar_file(tmp_path, *GOOD)), "--user", reporter.username, stdout=StringIO())
    assert not Claim.objects.exists() and not Speaker.objects.exists() and not ImportRun.objects.exists()


def test_a_bad_file_through_the_command_says_nothing_was_imported(editor, tmp_path):
    path = liar_file(tmp_path, liar_line(verdict="mostly-false"))
    with pytest.raises(CommandError, match=rf"^Nothing was imported\. {path}, line 1: unknown verdict"):
        call_command("import_liar", str(path), "--user", editor.username, stdout=StringIO())
