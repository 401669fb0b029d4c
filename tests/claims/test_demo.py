"""The demo loader: realistic, complete, and safe to run twice."""

import pytest
from django.core.management import CommandError, call_command

from claims.choices import ClaimStatus, QuoteKind, Relation, Role
from claims.devdata.demo import demo_counts
from claims.models import Claim, ClaimRelation, Quote, Speaker

pytestmark = pytest.mark.django_db


def test_loading_the_demo_twice_duplicates_nothing(capsys, settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = demo_counts()
    call_command("load_demo")
    assert demo_counts() == first
    assert "unchanged" in capsys.readouterr().out


def test_the_demo_has_every_shape_an_editor_meets(settings, django_user_model):
    settings.DEBUG = True
    call_command("load_demo")
    assert {q.kind for q in Quote.objects.all()} >= {QuoteKind.DIRECT, QuoteKind.INDIRECT}
    assert Claim.objects.filter(status=ClaimStatus.DRAFT).exists()
    assert Claim.objects.published().exclude(rating="").count() >= 2
    assert ClaimRelation.objects.filter(relation=Relation.CONTRADICTS).count() == 2
    assert Speaker.objects.named("Marsh").get().name == "Helena Marsh"
    assert Speaker.objects.filter(kind="anonymous", organization__isnull=False).exists()
    for role in Role.values:
        assert django_user_model.objects.filter(groups__name=role).exists()
    # The desk's working state: a claim in review assigned to the reporter, with an open comment.
    assigned = Claim.objects.in_review().get(assignee__username="reporter")
    assert assigned.comments.open().exists()


def test_the_demo_prints_new_passwords_that_work(capsys, settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    lines = [line for line in capsys.readouterr().out.splitlines() if "password:" in line]
    username, password = lines[0].split()[1], lines[0].split("password:")[1].strip()
    assert client.login(username=username, password=password)


def test_the_demo_refuses_to_load_in_production_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not Claim.objects.exists()
