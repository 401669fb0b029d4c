"""ClaimReview in and out: other fact-checkers' JSON-LD as they publish it, and the newsroom's own as one file."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims import reads
from claims.choices import ClaimStatus, Rating, SpeakerKind, TransferKind, TransferOutcome
from claims.matching.stored import checked
from claims.models import Claim, ImportRun, Outlet, Speaker
from claims.textfiles import BadFile
from claims.transfer import ImportFailed, run_import
from claims.transfer.claimreview import UNNAMED_CLAIMANT, read
from claims.transfer.ratings import NO_PLACE, VERDICT_WORDS, rating_from_number, rating_from_words, verdict_key
from tests.conftest import shared_data
from tests.factories import ClaimFactory, SpeakerFactory

DEV_REVIEWERS = {
    "Aajtak", "Factual", "AFP", "Animal Político", "BOOM", "Estadão", "Boom Live", "Agência Lupa", "Newtral",
    "台灣事實查核中心", "UOL Confere", "News Nation Fact Check",
}  # fmt: skip


def review(**fields) -> dict:
    """A tidy ClaimReview as schema.org's example has it, with `fields` changed (None removes one)."""
    node = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checkers.example/reviews/1",
        "claimReviewed": "Bridges are free to cross.",
        "author": {"@type": "Organization", "name": "Example Checkers", "url": "https://checkers.example/"},
        "datePublished": "2022-10-06",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Pat Lind", "jobTitle": "Mayor"},
            "datePublished": "2022-10-01",
        },
        "reviewRating": {
            "@type": "Rating", "ratingValue": 2, "bestRating": 6, "worstRating": 1, "alternateName": "False",
        },
    }  # fmt: skip
    node.update(fields)
    return {key: value for key, value in node.items() if value is not None}


def statements(tmp_path, content: str, name: str = "reviews.json"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return list(read(path, name))


def only_statement(tmp_path, node: dict):
    (line,) = statements(tmp_path, json.dumps(node))
    assert not line.reason, line.reason
    return line.record


def reason_for(tmp_path, node: dict) -> str:
    (line,) = statements(tmp_path, json.dumps(node))
    return line.reason


# --- The real files -------------------------------------------------------------------


@pytest.fixture
def dev_objects():
    return shared_data("claimreview-dev", "objects.jsonl")


def test_all_27_real_reviews_import_as_claims_claimants_reviewers_and_verdicts(db, editor, dev_objects):
    run = run_import(TransferKind.CLAIMREVIEW, dev_objects, acting_user=editor)
    assert (run.outcome, run.lines_read, run.created, run.rejected) == (TransferOutcome.DONE, 27, 27, 0)
    assert Claim.objects.count() == 27
    assert set(Outlet.objects.values_list("name", flat=True)) == DEV_REVIEWERS
    assert Claim.objects.filter(status=ClaimStatus.PUBLISHED).count() == 27

    factual = Claim.objects.get(review_url__startswith="https://factual.afp.com/no-hay-registro")
    assert (factual.rating, factual.rating_as_written) == (Rating.MOSTLY_FALSE, "Engañoso")
    assert factual.claimant.name == "Varias fuentes" and factual.claimant.kind == SpeakerKind.ORGANIZATION
    assert factual.made_on == datetime.date(2021, 5, 30)
    assert factual.published_at == datetime.datetime(2021, 6, 1, tzinfo=datetime.UTC)  # "2021-06-01 23:35"
    assert factual.reviewed_by.homepage == "https://factual.afp.com/"
    assert (
        factual.review_headline
        == "No hay registro de que Morena o el PT difundieran el montaje de un cierre de campaña"
    )

    albiach = Claim.objects.get(review_url="https://www.newtral.es/pobreza-trabajo-cataluna-factcheck/20221008/")
    assert (albiach.rating, albiach.venue, albiach.reviewed_by.name) == (Rating.FALSE, "TV3", "Newtral")
    assert albiach.claimant.name == "Jéssica Albiach" and albiach.claimant.party == "En Comú Podem"
    assert albiach.claimant.description == "Presidenta de En Comú Podem en el Parlament de Catalunya"
    assert albiach.rating_summary.startswith("El año 2021 registró la tasa")  # the subtitle, without its HTML

    taiwan = Claim.objects.get(review_url="https://tfc-taiwan.org.tw/articles/7177")
    assert (taiwan.rating, taiwan.rating_as_written, taiwan.claimant.name) == (Rating.FALSE, "錯誤", "Line, FB")
    oxygen = Claim.objects.get(reviewed_by__name="News Nation Fact Check")
    assert (oxygen.rating, oxygen.made_on) == (Rating.TRUE, datetime.date(2019, 11, 19))
    # A person as author: the publisher is the reviewing outlet.
    namaz = Claim.objects.get(text="In Karnataka, teacher is teaching Namaz to Hindu Students")
    assert (namaz.reviewed_by.name, namaz.rating) == ("BOOM", Rating.FALSE)
    cheetahs = Claim.objects.get(review_url__startswith="https://hindi.boomlive.in/")
    assert (cheetahs.reviewed_by.name, cheetahs.rating, cheetahs.rating_as_written) == (
        "Boom Live",
        Rating.MOSTLY_FALSE,
        "Misleading",
    )
    # Lupa's "Falso" says more than its 4 of 6: the words decide.
    assert Claim.objects.get(reviewed_by__name="Agência Lupa").rating == Rating.FALSE
    # Eight of Newtral's viral hoaxes name no claimant.
    assert Claim.objects.filter(claimant__name=UNNAMED_CLAIMANT.name).count() == 8
    ratings = Claim.objects.values_list("rating", flat=True)
    assert sorted(ratings) == sorted([Rating.FALSE] * 19 + [Rating.MOSTLY_FALSE] * 7 + [Rating.TRUE])
    assert {c.history.get().history_user for c in Claim.objects.all()} == {editor}


def test_the_same_reviews_imported_twice_are_not_doubled(db, editor, dev_objects):
    run_import(TransferKind.CLAIMREVIEW, dev_objects, acting_user=editor)
    speakers = Speaker.objects.count()
    again = run_import(TransferKind.CLAIMREVIEW, dev_objects, acting_user=editor)
    assert (again.created, again.unchanged) == (0, 27)
    assert (Claim.objects.count(), Speaker.objects.count(), Outlet.objects.count()) == (27, speakers, 12)


def test_the_import_command_reads_the_real_file_and_says_what_it_did(db, editor, dev_objects):
    out = StringIO()
    call_command("import_claimreview", str(dev_objects), "--user", editor.username, stdout=out)
    assert "27 lines" in out.getvalue() and "27 new, 0 already recorded, 0 rejected" in out.getvalue()
    assert Claim.objects.count() == 27


def test_an_imported_claim_is_matched_by_its_reviews_headline(db, editor, dev_objects):
    run_import(TransferKind.CLAIMREVIEW, dev_objects, acting_user=editor)
    claim = Claim.objects.get(review_url="https://tfc-taiwan.org.tw/articles/7177")
    claim.review_headline = "Sanctions and oil"
    assert (checked(claim).title, checked(claim).subtitle) == ("Sanctions and oil", claim.rating_summary)
    own = ClaimFactory(published=True)
    assert (checked(own).title, checked(own).subtitle) == (own.rating_summary, "")


# --- Untidy markup, taken as written -----------------------------------------------------


@pytest.mark.parametrize(
    "untidy",
    [
        {"@context": None},
        {"@context": "http://schema.org/"},
        {"@type": "claimreview"},
        {"@type": ["ClaimReview", "CreativeWork"]},
        {"@type": "schema:ClaimReview"},
        {"@type": "http://schema.org/ClaimReview"},
    ],
)
def test_context_and_types_are_read_however_they_are_written(tmp_path, untidy):
    assert only_statement(tmp_path, review(**untidy)).text == "Bridges are free to cross."


@pytest.mark.parametrize(
    "written, day",
    [
        ("2021-06-01 23:35", datetime.date(2021, 6, 1)),
        ("2019-04-10T12:09:05+05:30", datetime.date(2019, 4, 10)),
        ("2022-10-17T22:06:09.000Z", datetime.date(2022, 10, 17)),
        ("2022/10/06", datetime.date(2022, 10, 6)),
        ("October 6, 2022", datetime.date(2022, 10, 6)),
        ("Thu, 06 Oct 2022 10:00:00 +0000", datetime.date(2022, 10, 6)),
    ],
)
def test_dates_are_read_with_or_without_a_time_and_zone(tmp_path, written, day):
    assert only_statement(tmp_path, review(datePublished=written)).reviewed_on == day


def test_an_author_may_be_a_list_a_person_with_a_publisher_or_a_bare_name(tmp_path):
    person = {"@type": "Person", "name": "Ana Oka"}
    listed = review(author=[person, {"@type": "Organization", "name": "Listed Checkers"}])
    assert only_statement(tmp_path, listed).reviewer == "Listed Checkers"
    published = review(author=person, publisher={"@type": "Organization", "name": "Oka Media"})
    assert only_statement(tmp_path, published).reviewer == "Oka Media"
    employed = review(author={**person, "worksFor": {"@type": "Organization", "name": "Oka Works"}})
    assert only_statement(tmp_path, employed).reviewer == "Oka Works"
    assert only_statement(tmp_path, review(author=person)).reviewer == "Ana Oka"
    assert only_statement(tmp_path, review(author="Plain Checkers")).reviewer == "Plain Checkers"


def test_a_missing_or_anonymous_item_reviewed_gives_an_unnamed_claimant(tmp_path):
    assert only_statement(tmp_path, review(itemReviewed=None)).claimant == UNNAMED_CLAIMANT
    assert only_statement(tmp_path, review(itemReviewed={"@type": "Claim"})).claimant == UNNAMED_CLAIMANT
    work = {"@type": "CreativeWork", "author": {"@type": "Organization", "name": "Moscow"}, "name": "a broadcast"}
    record = only_statement(tmp_path, review(itemReviewed=work))
    assert (record.claimant.name, record.claimant.kind, record.venue) == (
        "Moscow",
        SpeakerKind.ORGANIZATION,
        "a broadcast",
    )


@pytest.mark.parametrize(
    "rating, expected, as_written",
    [
        # Words decide, in any language; numbers as strings.
        ({"alternateName": "Falso", "ratingValue": "4", "bestRating": "6"}, Rating.FALSE, "Falso"),
        ({"alternateName": "झूठ"}, Rating.FALSE, "झूठ"),
        ({"name": "Partly false"}, Rating.HALF_TRUE, "Partly false"),
        ("Mixture", Rating.HALF_TRUE, "Mixture"),
        # Words with no place on the scale stay as written, whatever the number says.
        ({"alternateName": "Sin evidencia", "ratingValue": 3, "bestRating": 5, "worstRating": 1}, "", "Sin evidencia"),
        # Unknown words give way to a meaningful number, placed proportionally.
        ({"alternateName": "Cuestionable", "ratingValue": "3", "bestRating": "5", "worstRating": "1"}, Rating.HALF_TRUE,
         "Cuestionable"),
        ({"ratingValue": 7, "bestRating": 7, "worstRating": 1}, Rating.TRUE, ""),
        # bestRating equal to worstRating means nothing: only the words are kept.
        ({"alternateName": "Cuestionable", "ratingValue": 1, "bestRating": 1, "worstRating": 1}, "", "Cuestionable"),
        ({"alternateName": "Cuestionable", "ratingValue": 9, "bestRating": 5}, "", "Cuestionable"),
    ],
)  # fmt: skip
def test_a_verdict_goes_onto_the_scale_where_it_can_and_is_kept_as_written(tmp_path, rating, expected, as_written):
    record = only_statement(tmp_path, review(reviewRating=rating))
    assert (record.rating, record.rating_as_written) == (expected, as_written)


def test_a_verdict_with_no_place_on_the_scale_waits_in_review(db, editor, tmp_path):
    path = tmp_path / "satire.json"
    path.write_text(json.dumps(review(reviewRating={"alternateName": "Sátira"})), encoding="utf-8")
    run_import(TransferKind.CLAIMREVIEW, path, acting_user=editor)
    claim = Claim.objects.get()
    assert (claim.status, claim.rating, claim.rating_as_written) == (ClaimStatus.IN_REVIEW, "", "Sátira")


@pytest.mark.parametrize(
    "broken, reason",
    [
        ({"claimReviewed": None}, "no claimReviewed: the claim's own words are missing"),
        ({"claimReviewed": "  "}, "no claimReviewed: the claim's own words are missing"),
        ({"url": None}, "no url: the review's own address is missing"),
        ({"url": "/reviews/1"}, "url “/reviews/1” is not a full http(s) address"),
        ({"url": "ftp://checkers.example/1"}, "url “ftp://checkers.example/1” is not a full http(s) address"),
        ({"author": None}, "no author or publisher: who reviewed the claim is not said"),
        ({"author": {"@type": "Organization"}}, "no author or publisher: who reviewed the claim is not said"),
        ({"reviewRating": None}, "no reviewRating: the verdict is missing"),
        ({"reviewRating": {"ratingValue": 1, "bestRating": 1, "worstRating": 1}},
         "reviewRating has no alternateName, and its ratingValue 1 is not on a scale (bestRating 1, worstRating 1;"),
        ({"datePublished": "last Tuesday"}, "datePublished “last Tuesday” is not a date"),
        ({"itemReviewed": {"datePublished": "2022-13-45"}}, "itemReviewed.datePublished “2022-13-45” is not a date"),
    ],
)  # fmt: skip
def test_a_node_that_cannot_be_a_verdict_is_refused_saying_why(tmp_path, broken, reason):
    assert reason_for(tmp_path, review(**broken)).startswith(reason)


# --- Where the nodes are ------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head>
<title>A review</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "WebPage", "name": "A review"}
</script>
<script type="text/javascript">var x = "<b>";</script>
<script TYPE="Application/LD+JSON; charset=utf-8">
<!--
{"@context": "https://schema.org",
 "@graph": [
  {"@type": "Organization", "name": "Example Checkers"},
  %s,
  %s
 ]}
-->
</script>
</head><body><p>Bridges &amp; tolls</p></body></html>
"""


def test_an_html_page_gives_the_claimreviews_of_all_its_ld_json_blocks_at_their_lines(tmp_path):
    first, second = json.dumps(review()), json.dumps(review(url="https://checkers.example/reviews/2"))
    lines = statements(tmp_path, PAGE % (first, second), "review.html")
    assert [(line.number, line.record.review_url) for line in lines] == [
        (13, "https://checkers.example/reviews/1"),
        (14, "https://checkers.example/reviews/2"),
    ]


def test_a_page_without_json_ld_is_a_bad_file(tmp_path):
    with pytest.raises(BadFile, match=r'page\.html: is an HTML page with no <script type="application/ld\+json">'):
        statements(tmp_path, "<html><body>Nothing here</body></html>", "page.html")


def test_a_broken_script_block_is_a_bad_line_at_its_line(tmp_path):
    page = '<html>\n<script type="application/ld+json">\n{"@type": "ClaimReview",\n "url": }\n</script></html>'
    (line,) = statements(tmp_path, page, "page.html")
    assert (line.number, line.reason) == (4, "the ld+json script block is not valid JSON: Expecting value (column 9)")


def test_a_datafeed_gives_each_element_and_items_nested_in_it(tmp_path):
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            review(url="https://checkers.example/reviews/1"),
            {"@type": "DataFeedItem", "item": review(url="https://checkers.example/reviews/2")},
            {"@type": "DataFeedItem", "item": [{"@type": "DataFeedItem", "item": review(url="https://checkers.example/reviews/3")}]},
        ],
    }  # fmt: skip
    lines = statements(tmp_path, json.dumps(feed, indent=1))
    assert [line.record.review_url for line in lines] == [f"https://checkers.example/reviews/{n}" for n in (1, 2, 3)]
    # Each is numbered by the line its object starts on.
    assert [line.number for line in lines] == sorted({line.number for line in lines})
    assert lines[0].number == 5


def test_a_key_written_twice_keeps_the_last_value_numbered_by_where_the_document_starts(tmp_path):
    first, last = json.dumps(review()), json.dumps(review(url="https://x.example/2"))
    twice = f'\n\n{{"@graph": [{first}],\n "@graph": [{last}]}}'
    (line,) = statements(tmp_path, twice)
    assert (line.number, line.record.review_url) == (1, "https://x.example/2")


def test_json_nested_too_deeply_is_a_bad_file(tmp_path):
    with pytest.raises(BadFile, match="is JSON nested too deeply to read"):
        statements(tmp_path, "[" * 100_000 + "]" * 100_000)


def test_a_bare_list_of_reviews_is_read_in_order(tmp_path):
    listed = [review(url=f"https://checkers.example/reviews/{n}") for n in (1, 2)]
    assert [line.record.review_url for line in statements(tmp_path, json.dumps(listed))] == [
        "https://checkers.example/reviews/1",
        "https://checkers.example/reviews/2",
    ]


def test_a_file_with_no_claimreview_says_what_it_holds(tmp_path):
    with pytest.raises(BadFile, match=r"holds no ClaimReview \(what it holds: organization, webpage\)"):
        statements(tmp_path, json.dumps({"@graph": [{"@type": "WebPage"}, {"@type": "Organization"}]}))


@pytest.mark.parametrize(
    "content, where",
    [
        ("line\treason\nfoo\tbar\n", r"reviews\.json, line 1: is neither JSON-LD nor an HTML page"),
        (
            '{\n "@type": "ClaimReview",\n "url": "x"\n "claimReviewed": "y"}',
            r"reviews\.json, line 4: is not valid JSON",
        ),
        ("   \n\n", r"reviews\.json: is empty"),
    ],
)
def test_a_file_of_another_format_or_broken_json_is_a_bad_file(tmp_path, content, where):
    with pytest.raises(BadFile, match=where):
        statements(tmp_path, content)


# --- Bad files stop the import; --skip-bad and --dry-run ----------------------------------


def jsonl(tmp_path, *nodes_or_lines, name="reviews.jsonl"):
    path = tmp_path / name
    path.write_text(
        "".join((n if isinstance(n, str) else json.dumps(n)) + "\n" for n in nodes_or_lines), encoding="utf-8"
    )
    return path


GOOD = [review(url=f"https://checkers.example/reviews/{n}", claimReviewed=f"Claim {n}.") for n in (1, 2, 3)]


def test_a_broken_json_line_stops_the_import_at_its_line_and_writes_nothing(db, editor, tmp_path):
    path = jsonl(tmp_path, GOOD[0], GOOD[1], '{"@type": "ClaimReview", "url": ', GOOD[2])
    with pytest.raises(ImportFailed) as failed:
        run_import(TransferKind.CLAIMREVIEW, path, acting_user=editor)
    assert str(failed.value) == f"{path}, line 3: not valid JSON: Expecting value (column 33)"
    assert not Claim.objects.exists() and not Speaker.objects.exists() and not Outlet.objects.exists()
    assert ImportRun.objects.get().outcome == TransferOutcome.FAILED


def test_a_file_in_another_encoding_stops_at_the_line_with_the_bytes(db, editor, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        (
            json.dumps(GOOD[0]) + "\n" + json.dumps(review(claimReviewed="Años de cárcel."), ensure_ascii=False) + "\n"
        ).encode("latin-1")
    )
    with pytest.raises(ImportFailed, match=r"latin1\.jsonl, line 2: not UTF-8 text .*save the file as UTF-8"):
        run_import(TransferKind.CLAIMREVIEW, path, acting_user=editor)
    assert not Claim.objects.exists()


def test_skip_bad_imports_the_good_reviews_and_writes_the_bad_ones_with_reasons(db, editor, tmp_path):
    path = jsonl(tmp_path, GOOD[0], "not json at all", review(url="/relative"), GOOD[1])
    rejects = tmp_path / "rejects.tsv"
    out = StringIO()
    call_command(
        "import_claimreview", str(path), "--skip-bad", "--rejects", str(rejects), "--user", editor.username, stdout=out
    )
    assert "2 new, 0 already recorded, 2 rejected" in out.getvalue()
    assert set(Claim.objects.values_list("text", flat=True)) == {"Claim 1.", "Claim 2."}
    header, bad_json, relative = rejects.read_text(encoding="utf-8").splitlines()
    assert header == "line\treason\toriginal"
    assert bad_json == "2\tnot valid JSON: Expecting value (column 1)\tnot json at all"
    assert relative.startswith("3\turl “/relative” is not a full http(s) address\t{")


def test_without_skip_bad_the_command_names_the_first_bad_line_and_the_others(db, editor, tmp_path):
    path = jsonl(tmp_path, GOOD[0], review(url=None), review(author=None))
    with pytest.raises(CommandError) as refused:
        call_command("import_claimreview", str(path), "--user", editor.username)
    assert str(refused.value) == (
        f"Nothing was imported. {path}, line 2: no url: the review's own address is missing "
        "(bad lines too: 3; 2 in all; --skip-bad imports the rest)"
    )
    assert not Claim.objects.exists()


def test_a_dry_run_checks_and_writes_it_all_then_keeps_nothing(db, editor, tmp_path):
    out = StringIO()
    call_command("import_claimreview", str(jsonl(tmp_path, *GOOD)), "--dry-run", "--user", editor.username, stdout=out)
    assert out.getvalue().startswith("Checked (dry run, nothing kept): 3 lines")
    assert "3 new" in out.getvalue()
    assert not Claim.objects.exists() and not Speaker.objects.exists() and not Outlet.objects.exists()
    assert ImportRun.objects.get().outcome == TransferOutcome.DRY_RUN


def test_a_review_that_breaks_a_model_rule_stops_the_import_naming_file_and_line(db, editor, tmp_path):
    path = jsonl(tmp_path, GOOD[0], review(url="https://checkers.example/reviews/9", claimReviewed="Spoof \u202e text"))
    with pytest.raises(ImportFailed, match=r"reviews\.jsonl, line 2: text: Remove the bidirectional override U\+202E"):
        run_import(TransferKind.CLAIMREVIEW, path, acting_user=editor)
    assert not Claim.objects.exists()


def test_only_editors_import(db, reporter, tmp_path):
    with pytest.raises(CommandError, match="Only editors may import"):
        call_command("import_claimreview", str(jsonl(tmp_path, *GOOD)), "--user", reporter.username)


# --- The rating table ---------------------------------------------------------------------


def test_no_verdict_is_listed_twice():
    keys = [verdict_key(w) for words in VERDICT_WORDS.values() for w in words] + [verdict_key(w) for w in NO_PLACE]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    "words, rating",
    [
        ("False", Rating.FALSE), ("FALSO", Rating.FALSE), ("Faux", Rating.FALSE), ("Falsch", Rating.FALSE),
        ("झूठ", Rating.FALSE), ("錯誤", Rating.FALSE), ("错误", Rating.FALSE), ("É falso!", Rating.FALSE),
        ("Fake ⚠️", Rating.FALSE), ("Pants on Fire!", Rating.PANTS_ON_FIRE), ("barely-true", Rating.MOSTLY_FALSE),
        ("Engañoso", Rating.MOSTLY_FALSE), ("Enganoso", Rating.MOSTLY_FALSE), ("Misleading", Rating.MOSTLY_FALSE),
        ("Trompeur", Rating.MOSTLY_FALSE), ("Partly false", Rating.HALF_TRUE), ("Mixture", Rating.HALF_TRUE),
        ("Verdadero a medias", Rating.HALF_TRUE), ("Mostly True", Rating.MOSTLY_TRUE), ("Verdadeiro", Rating.TRUE),
        ("正確", Rating.TRUE), ("सच", Rating.TRUE),
        ("Sin evidencia", ""), ("Unproven", ""), ("Missing context", ""), ("Sacado de contexto", ""),
        ("Satire", ""), ("Sátira", ""),
        ("Cuestionable", None), ("", None),
    ],
)  # fmt: skip
def test_verdict_words_in_the_fact_checkers_languages(words, rating):
    assert rating_from_words(words) == rating


@pytest.mark.parametrize(
    "value, best, worst, rating",
    [
        (1, 5, 1, Rating.PANTS_ON_FIRE), ("2", "5", "1", Rating.FALSE), (3, 5, None, Rating.HALF_TRUE),
        (4, 5, 1, Rating.MOSTLY_TRUE), ("5", "", "", Rating.TRUE), (1, 1, 0, Rating.TRUE),
        ("2,5", 5, 0, Rating.HALF_TRUE),
        (1, 1, 1, None), (6, 5, 1, None), (0, 5, 1, None), ("many", 5, 1, None), (None, 5, 1, None), (True, 5, 1, None),
        (float("nan"), 5, 1, None),
    ],
)  # fmt: skip
def test_a_number_counts_only_on_a_real_scale_and_is_placed_proportionally(value, best, worst, rating):
    assert rating_from_number(value, best, worst) == rating


# --- Out: the newsroom's own verdicts as one file ----------------------------------------------


def export(tmp_path, *args, name="reviews.jsonld"):
    out = StringIO()
    call_command("export_claimreview", str(tmp_path / name), *args, stdout=out)
    return json.loads((tmp_path / name).read_text(encoding="utf-8")), out.getvalue()


def test_the_export_holds_the_newsrooms_published_verdicts_and_not_imported_ones(db, tmp_path, settings):
    settings.FACTCHECK_PUBLISHER_NAME = "Northbridge Fact Check"
    own = ClaimFactory.create_batch(3, published=True)
    ClaimFactory()  # a draft
    ClaimFactory(
        published=True, reviewed_by=Outlet.objects.create(name="Other Checkers", slug="other-checkers"),
        review_url="https://checkers.example/r/1",
    )  # fmt: skip
    feed, said = export(tmp_path, "--base-url", "https://facts.example.org/")
    assert feed["@type"] == "DataFeed" and feed["@context"] == "https://schema.org"
    assert [r["claimReviewed"] for r in feed["dataFeedElement"]] == [c.text for c in reversed(own)]
    assert feed["dataFeedElement"][0]["url"] == f"https://facts.example.org/api/v1/claims/{own[-1].pk}/claimreview/"
    assert {r["author"]["name"] for r in feed["dataFeedElement"]} == {"Northbridge Fact Check"}
    assert said.startswith(f"Wrote 3 ClaimReviews to {tmp_path / 'reviews.jsonld'}")


def test_export_then_import_gives_back_the_same_claims(db, editor, tmp_path):
    speaker = SpeakerFactory(name="Pat Lind")
    ClaimFactory(published=True, claimant=speaker, rating=Rating.PANTS_ON_FIRE, made_on=datetime.date(2023, 1, 2))
    ClaimFactory(published=True, claimant=speaker, rating=Rating.TRUE, made_on=None)
    ClaimFactory(published=True, rating=Rating.HALF_TRUE)

    def verdicts(claims):
        return sorted(
            (c.text, c.claimant_id, c.rating, c.made_on, c.published_at.date(), c.rating_summary) for c in claims
        )

    own = verdicts(reads.reviewable_claims())
    export(tmp_path, "--base-url", "https://facts.example.org")
    run = run_import(TransferKind.CLAIMREVIEW, tmp_path / "reviews.jsonld", acting_user=editor)
    assert run.created == 3
    imported = Claim.objects.filter(reviewed_by__isnull=False)
    assert verdicts(imported) == own
    own_ids = reads.reviewable_claims().values_list("pk", flat=True)
    assert {c.review_url for c in imported} == {
        f"https://facts.example.org/api/v1/claims/{pk}/claimreview/" for pk in own_ids
    }
    assert Speaker.objects.count() == 2  # claimants found again by name
    assert run_import(TransferKind.CLAIMREVIEW, tmp_path / "reviews.jsonld", acting_user=editor).created == 0


def test_the_export_costs_the_same_queries_for_more_claims(db, tmp_path, django_assert_num_queries):
    ClaimFactory.create_batch(2, published=True)
    export(tmp_path, "--base-url", "https://facts.example.org")  # the system account, made once
    ClaimFactory.create_batch(20, published=True)
    # The account and its roles, the claims with claimant and reviewer, their quotes.
    with django_assert_num_queries(4):
        feed, _ = export(tmp_path, "--base-url", "https://facts.example.org")
    assert len(feed["dataFeedElement"]) == 22


def test_a_failed_export_leaves_the_old_file_and_no_half_one(db, tmp_path, monkeypatch):
    ClaimFactory(published=True)
    target = tmp_path / "reviews.jsonld"
    target.write_text("the previous export", encoding="utf-8")

    def breaks_halfway(feed, handle, **kwargs):
        handle.write('{"@context": "https://schema.org", "dataFeedElement": [')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("claims.claimreview.json.dump", breaks_halfway)
    with pytest.raises(CommandError, match="Cannot write .*reviews.jsonld: No space left on device"):
        call_command("export_claimreview", str(target), "--base-url", "https://facts.example.org")
    assert target.read_text(encoding="utf-8") == "the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["reviews.jsonld"]


def test_the_export_needs_a_base_url_and_a_newsroom_account(db, tmp_path, outsider):
    with pytest.raises(CommandError, match="Give --base-url, the http\\(s\\) address the API is served at"):
        call_command("export_claimreview", str(tmp_path / "x.jsonld"))
    with pytest.raises(CommandError, match="Give --base-url"):
        call_command("export_claimreview", str(tmp_path / "x.jsonld"), "--base-url", "facts.example.org")
    with pytest.raises(CommandError):
        call_command("export_claimreview", str(tmp_path / "x.jsonld"), "--base-url", "https://f.example", "--user",
                     outsider.username)  # fmt: skip
    assert not (tmp_path / "x.jsonld").exists()
