"""generate_bulk_data at a tiny scale: exact counts, valid rows, offsets that slice, and refusal to mix."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from claims.choices import SYMMETRIC_RELATIONS, ClaimStatus
from claims.devdata.bulk import BulkGenerator, Corpus, Plan
from claims.models import (
    Article,
    Claim,
    ClaimRelation,
    Evidence,
    Outlet,
    Quote,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db

# 500 quotes, 50 articles, 25 speakers, 100 claims: seconds, yet every table gets rows.
TINY = ("--scale", "0.0005")
MODELS = [Outlet, Speaker, SpeakerAlias, Topic, Article, Quote, Claim, Source, Evidence, ClaimRelation]


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_bulk_data", *TINY, *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_writes_the_planned_counts_without_history():
    output = generate()
    assert "no history rows" in output
    got = counts()
    assert {k: got[k] for k in ("Outlet", "Speaker", "Article", "Quote", "Claim", "Source", "Evidence")} == {
        "Outlet": 3,
        "Speaker": 25,
        "Article": 50,
        "Quote": 500,
        "Claim": 100,
        "Source": 50,
        "Evidence": 150,
    }
    assert 0 < got["ClaimRelation"] <= 50
    assert got["SpeakerAlias"] > 0 and got["Topic"] > 0
    assert Claim.quotes.through.objects.count() >= 100
    assert not Article.objects.filter(quotes=None).exists()
    assert Claim.history.count() == Quote.history.count() == 0


def test_every_anchored_quote_slices_its_article_body_exactly():
    generate()
    anchored = Quote.objects.anchored().select_related("article")
    assert anchored.count() > 400
    for quote in anchored:
        assert quote.article.body[quote.start : quote.end] == quote.text


def test_every_row_passes_the_models_validation():
    generate()
    problems = []
    for model in MODELS:
        for row in model.objects.all():
            try:
                row.full_clean()
            except ValidationError as error:
                problems.append((model.__name__, row.pk, error.messages))
    assert problems == []


def test_relations_and_verdicts_respect_the_rules():
    generate()
    relations = list(ClaimRelation.objects.values_list("from_claim", "to_claim", "relation"))
    assert all(a != b for a, b, _ in relations)
    assert all(a < b for a, b, relation in relations if relation in SYMMETRIC_RELATIONS)
    assert len({frozenset((a, b)) for a, b, _ in relations}) == len(relations)
    published = Claim.objects.filter(status=ClaimStatus.PUBLISHED)
    assert published.exists()
    assert not published.filter(rating="").exists() and not published.filter(published_at=None).exists()
    days = Quote.objects.order_by("said_on").values_list("said_on", flat=True)
    assert (days.last() - days.first()).days > 5 * 365


def test_a_second_run_is_refused_and_writes_nothing():
    generate()
    before = counts()
    with pytest.raises(CommandError, match="--append"):
        generate("--seed", "2")
    assert counts() == before


def test_append_adds_alongside_existing_rows():
    generate()
    generate("--append", "--seed", "2")
    assert Quote.objects.count() == 1000
    assert Claim.objects.count() == 200
    # Topics are shared, not duplicated.
    assert Topic.objects.count() == Topic.objects.values("slug").distinct().count()


def test_without_liar_it_says_so_and_uses_its_own_vocabulary(tmp_path):
    output = generate("--liar", str(tmp_path))
    assert "built-in" in output
    assert Quote.objects.count() == 500


def test_too_small_a_plan_is_refused_before_writing():
    with pytest.raises(CommandError, match="every article needs a quote"):
        call_command("generate_bulk_data", "--quotes", "10", "--articles", "20", stdout=StringIO())
    assert not Claim.objects.exists()


class Collect:
    """A writer that keeps the rows instead of storing them."""

    def __init__(self):
        self.rows = {}

    def lock(self, models):
        pass

    def write(self, model, fields, rows):
        rows = list(rows)
        self.rows.setdefault(model._meta.db_table, []).extend(rows)
        return len(rows)

    def finish(self, models):
        pass


def test_a_seed_always_gives_the_same_rows():
    corpus = Corpus.load(SHARED_DATA / "liar")
    plan = Plan.scaled(quotes=1_000_000, claims=200_000, speakers=50_000, articles=100_000, scale=0.0005)
    runs = []
    for seed in (7, 7, 8):
        writer = Collect()
        BulkGenerator(plan, corpus, seed, writer).run()
        runs.append(writer.rows)
    assert runs[0] == runs[1]
    assert runs[0]["claims_quote"] != runs[2]["claims_quote"]
