"""Spreadsheets of claims and quotes: the columns a spreadsheet user expects, what each reader may see, safe cells."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.choices import ClaimStatus, DatePrecision, Rating, Relation, Role, Stance
from claims.models import Claim, Quote, Topic
from claims.transfer.spreadsheets import CLAIM_COLUMNS, QUOTE_COLUMNS, write_claims_csv, write_quotes_csv
from tests.factories import (
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    OutletFactory,
    QuoteFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _published(**fields):
    return ClaimFactory(
        status=ClaimStatus.PUBLISHED,
        rating=Rating.FALSE,
        published_at=datetime.datetime(2023, 8, 26, 12, 30, tzinfo=datetime.UTC),
        **fields,
    )


def _rows(write, records, user) -> tuple[str, list[dict]]:
    handle = io.StringIO()
    write(records, handle, user=user)
    text = handle.getvalue()
    return text, list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def checked_claim(editor):
    claim = _published(text="Taxes doubled.", rating_summary="They rose 4%.", created_by=editor, reviewer=editor)
    claim.topics.add(Topic.objects.create(name="Taxes", slug="taxes"), Topic.objects.create(name="Budget", slug="b"))
    claim.quotes.add(QuoteFactory(), QuoteFactory())
    EvidenceFactory(claim=claim, source=SourceFactory(), stance=Stance.REFUTES)
    ClaimRelationFactory(from_claim=claim, to_claim=_published(), relation=Relation.CONTRADICTS)
    return claim


def test_a_claim_row_has_the_columns_a_spreadsheet_user_expects(checked_claim, anonymous):
    text, rows = _rows(write_claims_csv, Claim.objects.filter(pk=checked_claim.pk), anonymous)
    assert text.startswith("\ufeffid,claim,claimant,status,verdict,")
    assert text.count("\r\n") == 2
    assert list(rows[0]) == CLAIM_COLUMNS
    assert rows[0] == {
        "id": str(checked_claim.pk),
        "claim": "Taxes doubled.",
        "claimant": checked_claim.claimant.name,
        "status": "Published",
        "verdict": "False",
        "verdict as written": "",
        "verdict summary": "They rose 4%.",
        "reviewed by": "Newsroom Fact Check",
        "review url": "",
        "made on": "2023-08-21",
        "published at (UTC)": "2023-08-26 12:30:00",
        "topics": "Budget; Taxes",
        "quotes": "2",
        "evidence": "1",
        "contradictions": "1",
        "link": f"/api/v1/claims/{checked_claim.pk}/",
    }


def test_another_fact_checkers_verdict_names_them(anonymous):
    claim = _published(
        reviewed_by=OutletFactory(name="PolitiFact"),
        review_url="https://politifact.example/1",
        rating_as_written="Mostly fake",
    )
    _, [row] = _rows(write_claims_csv, Claim.objects.all(), anonymous)
    assert (row["reviewed by"], row["review url"], row["verdict as written"]) == (
        "PolitiFact",
        "https://politifact.example/1",
        "Mostly fake",
    )
    assert claim.pk == int(row["id"])


def test_the_public_sees_published_claims_and_never_who_worked_on_them(checked_claim, anonymous):
    ClaimFactory(text="A draft.")
    _, rows = _rows(write_claims_csv, Claim.objects.all(), anonymous)
    assert {row["status"] for row in rows} == {"Published"} and len(rows) == 2
    assert "reviewer" not in rows[0] and "recorded by" not in rows[0]


def test_a_reporter_sees_drafts_and_who_recorded_and_reviewed(checked_claim, reporter):
    ClaimFactory(text="A draft.", created_by=reporter)
    _, rows = _rows(write_claims_csv, Claim.objects.order_by("pk"), reporter)
    by_text = {row["claim"]: row for row in rows}
    assert by_text["A draft."]["status"] == "Draft" and by_text["A draft."]["recorded by"] == "rita_reporter"
    assert by_text["Taxes doubled."]["reviewer"] == "erin_editor"


def test_a_contradiction_with_a_draft_is_not_counted_for_the_public(anonymous, reporter):
    claim = _published()
    ClaimRelationFactory(from_claim=claim, to_claim=ClaimFactory(), relation=Relation.CONTRADICTS)
    _, [public] = _rows(write_claims_csv, Claim.objects.filter(pk=claim.pk), anonymous)
    _, [newsroom] = _rows(write_claims_csv, Claim.objects.filter(pk=claim.pk), reporter)
    assert (public["contradictions"], newsroom["contradictions"]) == ("0", "1")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_like_a_formula_is_kept_as_text(start, anonymous):
    _published(text=f'{start}HYPERLINK("https://evil.example")', rating_summary="@SUM(A1)")
    _, [row] = _rows(write_claims_csv, Claim.objects.all(), anonymous)
    assert row["claim"] == f'\'{start}HYPERLINK("https://evil.example")'
    assert row["verdict summary"] == "'@SUM(A1)"


def test_text_with_commas_quotes_and_line_breaks_stays_one_cell(anonymous):
    _published(text='He said "no", then\nyes.')
    _, [row] = _rows(write_claims_csv, Claim.objects.all(), anonymous)
    assert row["claim"] == 'He said "no", then\nyes.'


def test_a_quote_row_has_its_article_and_the_claims_it_states(anonymous, reporter):
    quote = QuoteFactory(speaker_title="Finance Minister", via="RIA", said_on_precision=DatePrecision.MONTH)
    published, draft = _published(), ClaimFactory()
    published.quotes.add(quote)
    draft.quotes.add(quote)
    _, [row] = _rows(write_quotes_csv, Quote.objects.all(), anonymous)
    assert list(row) == QUOTE_COLUMNS
    assert row == {
        "id": str(quote.pk),
        "quote": "the budget is balanced for the first time in a decade.",
        "speaker": quote.speaker.name,
        "speaker title as printed": "Finance Minister",
        "kind": "Direct quote",
        "said on": "2023-08",
        "via": "RIA",
        "article headline": quote.article.headline,
        "outlet": quote.article.outlet.name,
        "article url": quote.article.url,
        "article published at (UTC)": timezone.localtime(quote.article.published_at, datetime.UTC).strftime(
            "%Y-%m-%d %H:%M:%S"
        ),
        "claim ids": str(published.pk),
        "link": f"/api/v1/quotes/{quote.pk}/",
    }
    _, [newsroom] = _rows(write_quotes_csv, Quote.objects.all(), reporter)
    assert newsroom["claim ids"] == f"{published.pk}; {draft.pk}"
    assert "recorded by" in newsroom


def test_the_public_sees_no_quote_that_only_a_draft_states(anonymous):
    ClaimFactory().quotes.add(QuoteFactory())
    _, rows = _rows(write_quotes_csv, Quote.objects.all(), anonymous)
    assert rows == []


def _claims_with_everything(count):
    speaker_topic = Topic.objects.get_or_create(name="Economy", slug="economy")[0]
    for _ in range(count):
        claim = _published(reviewer=UserFactory(), created_by=UserFactory(), reviewed_by=OutletFactory())
        claim.topics.add(speaker_topic)
        claim.quotes.add(QuoteFactory())
        EvidenceFactory(claim=claim, source=SourceFactory())


@pytest.mark.parametrize("write, model", [(write_claims_csv, Claim), (write_quotes_csv, Quote)])
@pytest.mark.parametrize("reader", ["anonymous", "reporter"])
def test_a_sheet_costs_the_same_queries_for_2_rows_as_for_20(write, model, reader, request, django_assert_num_queries):
    user = request.getfixturevalue(reader)
    _claims_with_everything(2)
    handle = io.StringIO()
    write(model.objects.none(), handle, user=user)  # the reader's roles, read once per user
    with django_assert_num_queries(2):
        assert write(model.objects.all(), handle, user=user) == 2
    _claims_with_everything(18)
    with django_assert_num_queries(2):
        assert write(model.objects.all(), handle, user=user) == 20


def test_the_command_writes_the_sheet_whole_with_a_status_filter(tmp_path, checked_claim, capsys):
    ClaimFactory(text="A draft.")
    out = tmp_path / "claims.csv"
    call_command("export_csv", "claims", str(out), "--status", "draft")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [row["claim"] for row in rows] == ["A draft."]
    assert "Wrote 1 claims" in capsys.readouterr().out
    assert [path.name for path in tmp_path.iterdir()] == ["claims.csv"]


def test_the_command_exports_as_the_user_given(tmp_path, checked_claim, outsider):
    UserFactory(username="pat_public_editor", role=Role.EDITOR)
    out = tmp_path / "quotes.csv"
    call_command("export_csv", "quotes", str(out), "--user", "pat_public_editor")
    assert "recorded by" in out.read_text(encoding="utf-8-sig").splitlines()[0]
    with pytest.raises(CommandError, match="Only the newsroom"):
        call_command("export_csv", "quotes", str(out), "--user", outsider.username)


def test_the_command_refuses_a_status_for_quotes(tmp_path):
    with pytest.raises(CommandError, match="quotes have no status"):
        call_command("export_csv", "quotes", str(tmp_path / "q.csv"), "--status", "draft")
    assert not list(tmp_path.iterdir())
