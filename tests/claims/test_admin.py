"""Every model is in the admin, listable, searchable and filterable, with its history page."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from claims.choices import ClaimStatus
from claims.models import Claim, ImportRun, Job, Speaker

pytestmark = pytest.mark.django_db

# The editorial records; the record of imports has its own tests (test_admin_imports.py).
# Records the demo holds no rows of, read-only, each with tests of its own (test_admin_imports.py, tests/jobs/).
CLAIMS_MODELS = [m for m in admin.site._registry if m._meta.app_label == "claims" and m not in (ImportRun, Job)]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def test_every_domain_model_is_registered():
    names = {m.__name__ for m in admin.site._registry if m._meta.app_label == "claims"}
    assert names >= {
        "Outlet",
        "Article",
        "Speaker",
        "SpeakerAlias",
        "Quote",
        "Claim",
        "Source",
        "Evidence",
        "ClaimRelation",
        "Topic",
        "ImportRun",
        "Job",
    }


@pytest.mark.parametrize("model", CLAIMS_MODELS, ids=lambda m: m.__name__)
def test_each_list_searches_and_filters_and_each_row_opens(admin_client, demo, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "budget"}).status_code == 200
    row = model.objects.first()
    assert (
        admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])).status_code == 200
    )
    if hasattr(model, "history"):
        history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[row.pk])
        assert admin_client.get(history).status_code == 200


@pytest.mark.parametrize("username", ["reporter", "editor", "admin"])
def test_each_demo_role_opens_every_list_row_history_and_add_page(client, demo, username, django_user_model):
    client.force_login(django_user_model.objects.get(username=username))
    for model in CLAIMS_MODELS:
        opts = model._meta
        assert client.get(reverse(f"admin:claims_{opts.model_name}_changelist"), {"q": "budget"}).status_code == 200
        assert client.get(reverse(f"admin:claims_{opts.model_name}_add")).status_code == 200
        for row in model.objects.all()[:3]:
            assert client.get(reverse(f"admin:claims_{opts.model_name}_change", args=[row.pk])).status_code == 200
            if hasattr(model, "history"):
                history = reverse(f"admin:claims_{opts.model_name}_history", args=[row.pk])
                assert client.get(history).status_code == 200
                version = row.history.earliest()
                revert = reverse(f"admin:claims_{opts.model_name}_simple_history", args=[row.pk, version.history_id])
                assert client.get(revert).status_code == 200


def test_the_claim_list_costs_the_same_queries_with_more_claims(admin_client, demo, django_assert_max_num_queries):
    url = reverse("admin:claims_claim_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(12) as before:
        admin_client.get(url)
    speaker = Speaker.objects.first()
    Claim.objects.bulk_create(Claim(text=f"Claim {n}", claimant=speaker) for n in range(20))
    with django_assert_max_num_queries(len(before.captured_queries)):
        admin_client.get(url)


def test_an_editor_publishes_from_the_admin_through_the_rules(client, demo, django_user_model):
    editor = django_user_model.objects.get(username="editor")
    client.force_login(editor)
    unrated = Claim.objects.filter(status=ClaimStatus.DRAFT, rating="").first()
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish", "_selected_action": [unrated.pk]},
        follow=True,
    )
    assert "Rate the claim before publishing it" in response.content.decode()
    unrated.refresh_from_db()
    assert unrated.status == ClaimStatus.DRAFT
