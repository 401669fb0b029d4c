"""The admin's home is the dashboard: each panel's numbers, its pinned query count, who sees it, its charts' tables."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.db.models import F
from django.urls import reverse
from django.utils import dateformat, timezone

from claims import dashboard, services
from claims.choices import ClaimStatus, Rating, Relation, TransferKind, TransferOutcome
from claims.devdata.demo import load_demo
from claims.models import Claim, ImportRun, Quote
from claims.policy import can
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, QuoteFactory, SpeakerFactory

# What each panel's read costs, whatever the number of rows.
QUERIES = {
    "status": 1,
    "verdicts": 1,
    "weekly": 1,
    "review_queue": 2,  # how many wait, and the longest waiting with who has them
    "contradicted": 2,  # the ranking, and the speakers ranked
    "outlets": 2,  # the ranking, and the outlets ranked
    "imports": 1,
    "changes": 1,
}


def panel(name: str) -> dashboard.Panel:
    return next(panel for panel in dashboard.PANELS if panel.name == name)


def read(name: str, user):
    return panel(name).read(user)


def submit(claim: Claim, user) -> Claim:
    return services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=user)


def add_newsroom_rows(editor, count: int) -> None:
    """`count` more of everything a panel counts: claims in each status, verdicts, contradictions, quotes, imports."""
    for n in range(count):
        speaker = SpeakerFactory()
        outlet = OutletFactory()
        QuoteFactory(article=ArticleFactory(outlet=outlet), speaker=speaker)
        draft = ClaimFactory(claimant=speaker, created_by=editor)
        waiting = submit(ClaimFactory(claimant=speaker, reviewer=editor), editor)
        published = ClaimFactory(claimant=SpeakerFactory(), published=True, rating=Rating.values[n % len(Rating)])
        services.relate_claims(claim=draft, other=waiting, relation=Relation.CONTRADICTS, acting_user=editor)
        services.relate_claims(claim=draft, other=published, relation=Relation.CONTRADICTS, acting_user=editor)
        ImportRun.objects.create(
            kind=TransferKind.LIAR, file_name=f"train-{n}.tsv", started_by=editor, outcome=TransferOutcome.DONE
        )


# --- Query counts -------------------------------------------------------------------


def test_every_panel_has_its_query_count_pinned():
    assert set(QUERIES) == {panel.name for panel in dashboard.PANELS}


@pytest.mark.parametrize("name", list(QUERIES))
def test_a_panel_costs_the_same_queries_with_20_more_rows(name, editor, django_assert_num_queries):
    can(editor, "see_unpublished")  # the reader's roles are read once per request, before any panel
    add_newsroom_rows(editor, 1)
    with django_assert_num_queries(QUERIES[name]):
        read(name, editor)
    add_newsroom_rows(editor, 20)
    with django_assert_num_queries(QUERIES[name]):
        data = read(name, editor)
    assert data  # every panel has something to show by now


# --- Each panel's numbers -------------------------------------------------------------


def test_claims_are_counted_by_status_in_the_workflows_order(editor):
    ClaimFactory.create_batch(2)
    submit(ClaimFactory(), editor)
    ClaimFactory(published=True)

    assert [(row.key, row.count) for row in read("status", editor)] == [
        ("draft", 2),
        ("in_review", 1),
        ("published", 1),
    ]


def test_verdicts_count_the_newsrooms_apart_from_other_fact_checkers(editor):
    politifact = OutletFactory(name="PolitiFact")
    ClaimFactory(published=True, rating=Rating.FALSE)
    ClaimFactory(published=True, rating=Rating.FALSE, reviewed_by=politifact)
    ClaimFactory(published=True, rating=Rating.TRUE, reviewed_by=politifact)
    ClaimFactory()  # no verdict yet

    rows = {row.rating: (row.own, row.others) for row in read("verdicts", editor)}

    assert list(rows) == Rating.values
    assert rows[Rating.FALSE] == (1, 1)
    assert rows[Rating.TRUE] == (0, 1)
    assert rows[Rating.HALF_TRUE] == (0, 0)


def test_publications_are_counted_in_their_week_and_empty_weeks_shown(editor):
    today = timezone.localdate()
    three_weeks_ago = timezone.now() - datetime.timedelta(weeks=3)
    ClaimFactory.create_batch(2, published=True)
    ClaimFactory(published=True, published_at=three_weeks_ago)
    ClaimFactory(published=True, published_at=timezone.now() - datetime.timedelta(weeks=dashboard.WEEKS + 1))

    weeks = read("weekly", editor)

    assert len(weeks) == dashboard.WEEKS
    assert weeks[-1].starts == today - datetime.timedelta(days=today.weekday())
    assert [week.starts.weekday() for week in weeks] == [0] * dashboard.WEEKS
    assert weeks[-1].count == 2
    assert weeks[-4].count == 1
    assert sum(week.count for week in weeks) == 3


def test_the_review_queue_counts_the_wait_from_the_last_time_a_claim_went_into_review(editor):
    now = timezone.now()

    def days_ago(claim, days):
        """Move what just happened to the claim `days` back, as if it happened then."""
        Claim.history.model.objects.filter(id=claim.pk, history_date__gt=now).update(
            history_date=F("history_date") - datetime.timedelta(days=days)
        )

    first, second, bounced = ClaimFactory(), ClaimFactory(), ClaimFactory()
    for claim, days in [(first, 5), (second, 9), (bounced, 30)]:
        submit(claim, editor)
        days_ago(claim, days)
    # In review 30 days ago, sent back 20 days ago, then submitted again 2 days ago: it has waited 2 days.
    services.change_claim_status(claim=bounced, status=ClaimStatus.DRAFT, acting_user=editor)
    days_ago(bounced, 20)
    submit(bounced, editor)
    days_ago(bounced, 2)

    queue = read("review_queue", editor)

    assert queue.total == 3
    assert [claim.pk for claim in queue.oldest] == [second.pk, first.pk, bounced.pk]
    assert [round((now - claim.entered_review_at) / datetime.timedelta(days=1)) for claim in queue.oldest] == [9, 5, 2]


def test_a_claim_in_review_without_history_waits_since_it_was_recorded(editor):
    recorded = timezone.now() - datetime.timedelta(days=40)
    claim = submit(ClaimFactory(), editor)
    Claim.history.model.objects.filter(id=claim.pk).delete()  # as the bulk loader leaves it
    Claim.objects.filter(pk=claim.pk).update(created_at=recorded)
    newer = submit(ClaimFactory(), editor)

    queue = read("review_queue", editor)

    assert [waiting.pk for waiting in queue.oldest] == [claim.pk, newer.pk]
    assert queue.oldest[0].entered_review_at is None


def test_contradictions_by_others_and_a_speakers_own_flip_flops_are_counted_apart(editor):
    mayor, rival, union = SpeakerFactory(name="Mayor"), SpeakerFactory(name="Rival"), SpeakerFactory(name="Union")
    said, unsaid, later = (ClaimFactory(claimant=mayor) for _ in range(3))
    rivals = ClaimFactory(claimant=rival)
    unions = ClaimFactory(claimant=union)
    for one, other in [(said, unsaid), (said, later), (said, rivals), (unions, rivals), (unsaid, unions)]:
        services.relate_claims(claim=one, other=other, relation=Relation.CONTRADICTS, acting_user=editor)
    services.relate_claims(claim=later, other=unions, relation=Relation.SUPPORTS, acting_user=editor)

    ranked = [(row.speaker.name, row.by_others, row.own) for row in read("contradicted", editor)]

    assert ranked == [("Mayor", 2, 2), ("Rival", 2, 0), ("Union", 2, 0)]


def test_outlets_are_ranked_by_the_quotes_recorded_from_their_articles(editor):
    herald, ledger = OutletFactory(name="Herald"), OutletFactory(name="Ledger")
    QuoteFactory.create_batch(3, article=ArticleFactory(outlet=herald))
    QuoteFactory(article=ArticleFactory(outlet=herald))
    QuoteFactory(article=ArticleFactory(outlet=ledger))

    assert [(row.label, row.count) for row in read("outlets", editor)] == [("Herald", 4), ("Ledger", 1)]


def test_imports_are_listed_newest_first_with_their_outcome(editor):
    older = ImportRun.objects.create(kind=TransferKind.LIAR, file_name="train.tsv", outcome=TransferOutcome.DONE)
    newer = ImportRun.objects.create(
        kind=TransferKind.CLAIMREVIEW, file_name="feed.json", outcome=TransferOutcome.FAILED, started_by=editor
    )

    assert read("imports", editor) == [newer, older]


def test_recent_changes_span_every_recorded_model_with_who_made_them(editor, reporter):
    speaker = services.record_speaker(name="Dana Whitfield", kind="person", acting_user=reporter)
    claim = services.make_claim(text="Crime fell by a third.", claimant=speaker, acting_user=reporter)
    submit(claim, editor)

    changes = read("changes", editor)

    assert [(change.model, change.action, change.who) for change in changes[:3]] == [
        (Claim, "changed", editor.username),
        (Claim, "added", reporter.username),
        (type(speaker), "added", reporter.username),
    ]
    assert changes[2].label == "Dana Whitfield"
    assert [change.when for change in changes] == sorted((change.when for change in changes), reverse=True)


# --- The page -------------------------------------------------------------------------


class Charts(HTMLParser):
    """The page's chart canvases and the ids of its tables."""

    def __init__(self):
        super().__init__()
        self.canvases, self.tables = [], set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "canvas":
            self.canvases.append(attributes)
        if tag == "table" and "id" in attributes:
            self.tables.add(attributes["id"])


@pytest.fixture
def demo(db):
    load_demo()


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def cell(row_header: str, value) -> str:
    """A table row whose header holds `row_header` and whose next cell is `value`."""
    return rf"{re.escape(row_header)}</a></th>\s*<td class=\"number\">{value}</td>"


def test_the_editors_home_shows_every_panel_with_the_demo_newsrooms_numbers(client, demo):
    from django.contrib.auth.models import User

    editor = User.objects.get(username="editor")
    page = home(client, editor)

    for shown in dashboard.PANELS:
        assert f'id="panel-{shown.name}"' in page
        assert shown.title in page
    for status in ClaimStatus:
        assert re.search(cell(status.label, Claim.objects.filter(status=status).count()), page)
    for rating in Rating:
        assert re.search(cell(rating.label, Claim.objects.filter(rating=rating).count()), page)
    in_review = Claim.objects.in_review().first()
    assert f"{Claim.objects.in_review().count()} claim" in page
    assert reverse("admin:claims_claim_change", args=[in_review.pk]) in page
    this_week = read("weekly", editor)[-1]
    assert this_week.count == Claim.objects.published().count()
    monday = dateformat.format(this_week.starts, "j M Y")
    assert f'{monday}</th><td class="number">{this_week.count}</td>' in page
    busiest = read("outlets", editor)[0]
    assert re.search(cell(busiest.label, Quote.objects.filter(article__outlet=busiest.key).count()), page)
    contradicted = read("contradicted", editor)[0]
    assert str(contradicted.speaker) in page
    assert "Nothing imported yet." in page
    assert "editor added" in page
    # The list of records is still on the home, below the panels.
    assert reverse("admin:claims_claim_changelist") in page.split('id="records"')[1]


def test_a_reporter_has_the_dashboard_as_home_too(client, demo, reporter):
    page = home(client, reporter)

    assert 'id="panel-review_queue"' in page


def test_an_import_that_failed_shows_why_on_the_home(client, demo, editor):
    ImportRun.objects.create(
        kind=TransferKind.LIAR,
        file_name="train.tsv",
        started_by=editor,
        outcome=TransferOutcome.FAILED,
        lines_read=12,
        message="train.tsv, line 12: the label “sorta” is not one of LIAR's six.",
    )

    page = home(client, editor)

    assert "LIAR statements (TSV): train.tsv" in page
    assert '<td class="outcome-failed">Failed' in page
    assert "train.tsv, line 12: the label “sorta” is not one of LIAR&#x27;s six." in page


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_an_outsider_or_anonymous_reader_is_sent_to_sign_in(client, demo, who, request):
    user = request.getfixturevalue(who)
    if user.is_authenticated:
        client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_every_chart_is_drawn_from_a_table_on_the_page_and_hidden_from_screen_readers(client, demo, editor):
    charts = Charts()
    charts.feed(home(client, editor))

    assert len(charts.canvases) == 2  # verdicts and publications per week
    for canvas in charts.canvases:
        assert canvas["aria-hidden"] == "true"
        assert canvas["data-chart-table"] in charts.tables


def test_the_charts_assets_are_served_from_the_packages_with_no_internet(client, demo, editor):
    page = home(client, editor)

    for asset in ("vendor/chartjs/chart.umd.min.js", "claims/dashboard.js", "claims/dashboard.css"):
        assert finders.find(asset), f"{asset} is not found: run `make setup` (npm ci installs Chart.js)"
        assert f"/static/{asset}" in page
    assert "https://" not in "".join(re.findall(r'<script[^>]*src="([^"]+)"', page))
