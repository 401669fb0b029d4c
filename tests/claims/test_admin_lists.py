"""Every admin list costs the same queries however many rows it shows, and a mangled link is a page, not a 500."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.choices import ClaimStatus, JobKind, Rating, Relation, TransferKind, TransferOutcome
from claims.models import (
    Article,
    Claim,
    ClaimRelation,
    Evidence,
    ImportRun,
    Job,
    Outlet,
    Quote,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    OutletFactory,
    QuoteFactory,
    SourceFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def add_rows(model, n: int) -> None:
    """n rows of `model` with every relation its list shows filled in, so a per-row query would show."""
    if model is Outlet:
        OutletFactory.create_batch(n, country="GB", homepage="https://post.example.com/")
    elif model is Article:
        ArticleFactory.create_batch(n, credited_to=OutletFactory(kind="agency"))
    elif model is Speaker:
        for speaker in SpeakerFactory.create_batch(n, organization=SpeakerFactory(kind="organization")):
            QuoteFactory(speaker=speaker)
    elif model is SpeakerAlias:
        for speaker in SpeakerFactory.create_batch(n):
            SpeakerAlias.objects.create(speaker=speaker, name=f"Alias of {speaker.name}")
    elif model is Quote:
        QuoteFactory.create_batch(n)
    elif model is Topic:
        for _ in range(n):
            number = Topic.objects.count()
            ClaimFactory().topics.add(Topic.objects.create(name=f"Topic {number}", slug=f"topic-{number}"))
    elif model is Claim:
        for claim in ClaimFactory.create_batch(n, published=True, reviewed_by=OutletFactory()):
            EvidenceFactory(claim=claim)
            ClaimRelationFactory(from_claim=claim, to_claim=ClaimFactory(published=True), relation=Relation.SUPPORTS)
    elif model is Source:
        SourceFactory.create_batch(n, outlet=OutletFactory())
    elif model is Evidence:
        EvidenceFactory.create_batch(n)
    elif model is ClaimRelation:
        ClaimRelationFactory.create_batch(n)
    elif model is ImportRun:
        for _ in range(n):
            ImportRun.objects.create(
                kind=TransferKind.LIAR, file_name="train.tsv", started_by=UserFactory(), outcome=TransferOutcome.DONE
            )
    elif model is Job:
        for _ in range(n):
            Job.objects.create(kind=JobKind.FETCH_ARTICLE, started_by=UserFactory(), max_attempts=4)


MODELS = [Outlet, Article, Speaker, SpeakerAlias, Quote, Topic, Claim, Source, Evidence, ClaimRelation]


def test_every_claims_list_is_measured():
    registered = {model for model in admin.site._registry if model._meta.app_label == "claims"}
    assert set(MODELS) | {ImportRun, Job} == registered


def assert_same_queries_with_twenty_more_rows(client, model, django_assert_max_num_queries) -> None:
    add_rows(model, 3)
    url = changelist(model)
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20) as before:
        assert client.get(url).status_code == 200
    add_rows(model, 20)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 23


@pytest.mark.parametrize("persona", ["editor", "reporter"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_list_costs_the_same_queries_with_twenty_more_rows(
    client, request, persona, model, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    assert_same_queries_with_twenty_more_rows(client, model, django_assert_max_num_queries)


def test_the_record_of_imports_costs_the_same_queries_with_twenty_more_runs(
    client, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    assert_same_queries_with_twenty_more_rows(client, ImportRun, django_assert_max_num_queries)


def test_the_list_of_jobs_costs_the_same_queries_with_twenty_more_jobs(client, editor, django_assert_max_num_queries):
    client.force_login(editor)
    assert_same_queries_with_twenty_more_rows(client, Job, django_assert_max_num_queries)


BROKEN_LINKS = [
    (Quote, {"said_on__year": "99999999999"}),
    (Quote, {"said_on__year": "9999"}),
    (Quote, {"said_on__year": "9999", "said_on__month": "12"}),
    (Quote, {"said_on__year": "9999", "said_on__month": "12", "said_on__day": "31"}),
    (Quote, {"said_on__year": "2023", "said_on__month": "13"}),
    (Quote, {"said_on__year": "2023", "said_on__month": "2", "said_on__day": "30"}),
    (Quote, {"said_on__year": "two thousand"}),
    (Quote, {"said_on__year": "0"}),
    (Quote, {"said_on__gte": "not a date"}),
    (Quote, {"start__gt": "abc"}),
    (Quote, {"kind": "direct\x00"}),
    (Article, {"published_at__year": "99999999999"}),
    (Article, {"published_at__year": "9999", "published_at__month": "12", "published_at__day": "31"}),
    (Claim, {"made_on__year": "99999999999"}),
    (Claim, {"created_at__year": "99999999999"}),
    (Claim, {"made_on__gte": "2023-02-30"}),
    (Speaker, {"id__in": "1,x"}),
    (ImportRun, {"started_at__year": "99999999999"}),
    (Job, {"created_at__year": "99999999999"}),
]


@pytest.mark.parametrize("model, params", BROKEN_LINKS, ids=lambda value: str(value))
def test_a_mangled_filter_link_shows_the_list_with_a_warning_not_a_server_error(client, editor, model, params):
    QuoteFactory(said_on="2023-08-21")
    ClaimFactory()
    client.force_login(editor)
    response = client.get(changelist(model), params)
    assert response.status_code == 302
    assert response["Location"] == f"{changelist(model)}?{ERROR_FLAG}=1"
    assert client.get(response["Location"]).status_code == 200


def test_the_date_hierarchy_still_drills_down_to_a_real_day(client, editor):
    QuoteFactory(said_on="2023-08-21")
    client.force_login(editor)
    response = client.get(changelist(Quote), {"said_on__year": "2023", "said_on__month": "8", "said_on__day": "21"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


# --- what the desk reads off the lists --------------------------------------------------------


def test_the_claim_list_tells_own_verdicts_from_other_fact_checkers_and_filters_by_either(client, editor, reporter):
    checkers = OutletFactory(name="Checkers Weekly")
    theirs = ClaimFactory(text="Imported.", reviewed_by=checkers, rating_as_written="Four Pinocchios")
    ours = ClaimFactory(text="Our own.", created_by=reporter, published=True)
    client.force_login(editor)
    page = client.get(changelist(Claim))
    shown = {row.pk: row for row in page.context["cl"].result_list}
    assert set(shown) == {theirs.pk, ours.pk}
    html = page.content.decode()
    assert "Checkers Weekly" in html and "“Four Pinocchios” (not on the scale)" in html and "Mostly false" in html

    def filtered(**params):
        return [row.pk for row in client.get(changelist(Claim), params).context["cl"].result_list]

    assert filtered(reviewed_by__id__exact=checkers.pk) == [theirs.pk]
    assert filtered(reviewed_by__isnull="True") == [ours.pk]
    assert filtered(created_by__id__exact=reporter.pk) == [ours.pk]
    assert filtered(status="published") == [ours.pk]


def test_the_claim_list_shows_since_when_each_claim_in_review_has_waited_longest_first(client, editor):
    waiting = [ClaimFactory(text="Waiting long."), ClaimFactory(text="Waiting briefly.")]
    ClaimFactory(text="Still a draft.")
    services.rate_claim(claim=waiting[0], rating=Rating.TRUE, summary="Yes.", acting_user=editor)
    for claim in waiting:
        services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)
    for version in Claim.history.filter(id=waiting[0].pk):
        version.history_date -= datetime.timedelta(days=3)
        version.save()
    # A change while in review (the verdict) does not restart the wait.
    services.rate_claim(claim=waiting[0], rating=Rating.FALSE, summary="No.", acting_user=editor)
    entered = Claim.history.filter(id=waiting[1].pk, status=ClaimStatus.IN_REVIEW).get().history_date
    client.force_login(editor)
    model_admin = admin.site._registry[Claim]
    column = model_admin.list_display.index("in_review_since") + 1
    results = client.get(changelist(Claim), {"o": str(column)}).context["cl"].result_list
    shown = {claim.text: model_admin.in_review_since(claim) for claim in results}
    assert shown["Still a draft."] is None
    assert timezone.now() - shown["Waiting long."] > datetime.timedelta(days=2)
    assert shown["Waiting briefly."] == entered
    # Nulls come first on SQLite and last on PostgreSQL; the waiting are longest first on both.
    assert [claim.text for claim in results if claim.text != "Still a draft."] == ["Waiting long.", "Waiting briefly."]


def test_the_speaker_list_shows_and_filters_party_and_region(client, editor):
    SpeakerFactory(name="Pat Lind", party="Republican", region="Ohio")
    SpeakerFactory(name="Ana Oka", party="Democrat", region="Texas")
    client.force_login(editor)
    response = client.get(changelist(Speaker), {"party": "Republican"})
    assert [speaker.name for speaker in response.context["cl"].result_list] == ["Pat Lind"]
    assert "Ohio" in response.content.decode()
    assert [s.name for s in client.get(changelist(Speaker), {"region": "Texas"}).context["cl"].result_list] == [
        "Ana Oka"
    ]
