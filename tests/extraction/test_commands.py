"""The management commands are thin doors onto the package; they need no database."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .helpers import shared_data


def test_extract_prints_a_listing_of_the_statements(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text('"We will win this fight," Mayor Jane Smith said.', encoding="utf-8")
    out = io.StringIO()
    call_command("extract", str(path), stdout=out)
    assert "Mayor Jane Smith" in out.getvalue() and "[direct]" in out.getvalue()


def test_extract_json_gives_the_candidates_with_offsets(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text('"We will win this fight," Mayor Jane Smith said.', encoding="utf-8")
    out = io.StringIO()
    call_command("extract", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    (candidate,) = result["candidates"]
    assert result["body"][candidate["start"] : candidate["end"]] == candidate["text"]


def test_extract_reads_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Officials said the plan would work well."))
    out = io.StringIO()
    call_command("extract", "-", "--json", stdout=out)
    assert json.loads(out.getvalue())["candidates"][0]["speaker"] == "Officials"


def test_extract_detects_html(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><article><p>The council said on Monday that the bridge would reopen next week after a long "
        "summer of repairs to its deck.</p></article></body></html>",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("extract", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["input_kind"] == "html"


def test_extract_refuses_binary_input_with_the_reason(tmp_path):
    path = tmp_path / "junk.bin"
    path.write_bytes(b"abc\x00def")
    with pytest.raises(CommandError, match="binary"):
        call_command("extract", str(path))


def test_extract_refuses_a_missing_file():
    with pytest.raises(CommandError, match="No such file"):
        call_command("extract", "/nonexistent/article.txt")


def test_evaluate_extraction_says_clearly_when_the_data_is_absent(tmp_path):
    with pytest.raises(CommandError, match="Evaluation data not found"):
        call_command("evaluate_extraction", "--data", str(tmp_path))


def test_evaluate_extraction_prints_the_seed_and_dev_figures():
    data = shared_data("polnear-dev").parent
    out = io.StringIO()
    call_command("evaluate_extraction", "--data", str(data), stdout=out)
    text = out.getvalue()
    assert "Seed article" in text and "PolNeAR dev: 84 articles" in text and "direct quotes" in text


def test_extract_gives_quotes_only_unless_every_attribution_is_asked_for(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Senator Ann Lowe said the levy was unfair. Mayor Cy Dunn believes the levy will pass.", "utf-8")
    quotes, every = io.StringIO(), io.StringIO()
    call_command("extract", str(path), "--json", stdout=quotes)
    call_command("extract", str(path), "--json", "--all-attributions", stdout=every)
    assert [c["attribution"] for c in json.loads(quotes.getvalue())["candidates"]] == ["speech"]
    assert [c["attribution"] for c in json.loads(every.getvalue())["candidates"]] == ["speech", "belief"]
