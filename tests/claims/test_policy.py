"""claims.policy: who may do what, asked the same way by every door."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from claims import services
from claims.choices import ClaimStatus, Role, Stance
from claims.models import Claim, ClaimRelation, Evidence, Speaker, SpeakerAlias, Topic
from claims.policy import can, permission, require
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    QuoteFactory,
    SourceFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada_admin", role=Role.ADMIN)


def published_by(editor, **fields) -> Claim:
    return ClaimFactory(published=True, created_by=editor, **fields)


def test_a_reporter_changes_their_own_draft_and_nothing_past_draft(reporter, other_reporter):
    own = ClaimFactory(created_by=reporter)
    in_review = ClaimFactory(created_by=reporter, status=ClaimStatus.IN_REVIEW)
    theirs = ClaimFactory(created_by=other_reporter)
    assert can(reporter, "change", own)
    assert not can(reporter, "change", in_review)
    assert not can(reporter, "change", theirs)
    assert not can(reporter, "rate", own)
    assert not can(reporter, "publish", own)


def test_a_reporter_may_not_change_a_speaker_that_an_editors_published_claim_shows(reporter, editor):
    speaker = SpeakerFactory(created_by=reporter)
    assert can(reporter, "change", speaker)
    published_by(editor, claimant=speaker)
    assert not can(reporter, "change", speaker)
    with pytest.raises(PermissionDenied, match="reporters change only their own drafts"):
        services.edit_speaker(speaker, name="Someone Else", acting_user=reporter)
    assert Speaker.objects.get(pk=speaker.pk).name == speaker.name


def test_a_speaker_shown_as_a_published_members_organisation_is_the_editors_too(reporter, editor):
    organisation = SpeakerFactory(created_by=reporter)
    member = SpeakerFactory(organization=organisation)
    published_by(editor, claimant=member)
    assert not can(reporter, "change", organisation)
    assert not can(reporter, "change", SpeakerAlias(speaker=organisation, name="The Ministry"))


def test_a_reporter_changes_an_article_only_while_no_one_elses_claim_rests_on_it(reporter, editor):
    article = ArticleFactory(created_by=reporter)
    quote = QuoteFactory(article=article, created_by=reporter)
    own_draft = ClaimFactory(created_by=reporter)
    own_draft.quotes.add(quote)
    assert can(reporter, "change", article)
    published_by(editor).quotes.add(quote)
    assert not can(reporter, "change", article)
    assert not can(reporter, "change", quote)


def test_evidence_and_relations_go_only_onto_a_reporters_own_drafts(reporter, editor):
    own, published = ClaimFactory(created_by=reporter), published_by(editor)
    source = SourceFactory(created_by=reporter)
    with pytest.raises(PermissionDenied):
        services.attach_evidence(claim=published, source=source, stance=Stance.REFUTES, acting_user=reporter)
    with pytest.raises(PermissionDenied):
        services.relate_claims(claim=own, other=published, relation="contradicts", acting_user=reporter)
    assert not Evidence.objects.exists() and not ClaimRelation.objects.exists()
    evidence = services.attach_evidence(claim=own, source=source, stance=Stance.CONTEXT, acting_user=reporter)
    services.relate_claims(
        claim=own, other=ClaimFactory(created_by=reporter), relation="supports", acting_user=reporter
    )
    assert can(reporter, "change", evidence)


def test_evidence_on_a_claim_once_published_is_no_longer_the_reporters_to_change(reporter, editor):
    evidence = EvidenceFactory(claim=ClaimFactory(created_by=reporter), created_by=reporter)
    assert can(reporter, "change", evidence)
    Claim.objects.filter(pk=evidence.claim_id).update(
        status=ClaimStatus.PUBLISHED, rating="false", published_at="2026-01-01T00:00Z"
    )
    evidence = Evidence.objects.get(pk=evidence.pk)
    assert not can(reporter, "change", evidence)
    with pytest.raises(PermissionDenied):
        services.edit_evidence(evidence, excerpt="Rewritten.", acting_user=reporter)


def test_topics_are_added_by_anyone_in_the_newsroom_and_renamed_by_editors(reporter, editor):
    topic = services.record_topic(name="Budget", acting_user=reporter)
    assert not can(reporter, "change", topic)
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.edit_topic(topic, name="Taxes", acting_user=reporter)
    services.edit_topic(topic, name="Public finances", acting_user=editor)
    assert Topic.objects.get().name == "Public finances"


def test_readers_outside_the_newsroom_see_only_published_work(anonymous, outsider, editor):
    published, draft = published_by(editor), ClaimFactory()
    for reader in (anonymous, outsider):
        assert can(reader, "view", published)
        assert not can(reader, "view", draft)
        assert not can(reader, "add", Claim)
        assert not can(reader, "see_unpublished")
    assert can(editor, "view", draft)


def test_only_admins_manage_accounts(editor, admin_user):
    assert not can(editor, "change", User)
    assert can(admin_user, "change", User)
    assert can(admin_user, "publish")


def test_editors_import_the_newsroom_exports_what_it_sees_and_only_admins_back_everything_up(
    anonymous, outsider, reporter, editor, admin_user
):
    assert [can(user, "import") for user in (anonymous, outsider, reporter, editor, admin_user)] == [
        False, False, False, True, True,
    ]  # fmt: skip
    assert [can(user, "export") for user in (anonymous, outsider, reporter, editor, admin_user)] == [
        False, False, True, True, True,
    ]  # fmt: skip
    assert [can(user, "back_up") for user in (anonymous, outsider, reporter, editor, admin_user)] == [
        False, False, False, False, True,
    ]  # fmt: skip
    assert can(services.system_account(), "back_up")
    with pytest.raises(PermissionDenied, match="Only administrators may export or restore everything"):
        require(editor, "back_up")


def test_the_system_account_acts_as_an_editor_and_cannot_sign_in():
    system = services.system_account()
    assert system.username == "factcheck-system"
    assert not system.is_active and not system.has_usable_password()
    claim = ClaimFactory(created_by=UserFactory())
    assert can(system, "rate", claim) and can(system, "change", claim)


def test_every_service_needs_to_be_told_who_acts():
    with pytest.raises(TypeError, match="acting_user"):
        services.record_topic(name="Energy")


def test_roles_carry_no_django_permissions_so_the_policy_is_the_only_answer():
    from django.contrib.auth.models import Group

    assert not Group.objects.filter(permissions__isnull=False).exists()


def test_an_unknown_action_is_a_programming_error_not_a_refusal(editor):
    with pytest.raises(ValueError, match="Unknown action"):
        permission("approve", Claim)


def test_no_permission_reaches_a_user_except_through_the_policy(reporter):
    from django.contrib.auth.models import Permission

    reporter.user_permissions.add(Permission.objects.get(codename="delete_claim"))
    reporter = type(reporter).objects.get(pk=reporter.pk)
    assert not can(reporter, "delete", ClaimFactory(created_by=UserFactory()))


def test_aliases_and_topics_are_public_with_the_published_work_that_shows_them(anonymous, editor):
    speaker = SpeakerFactory()
    alias = services.add_speaker_alias(speaker=speaker, name="The Minister", acting_user=editor)
    topic = services.record_topic(name="Budget", acting_user=editor)
    assert not can(anonymous, "view", alias) and not can(anonymous, "view", topic)
    published_by(editor, claimant=speaker).topics.add(topic)
    assert can(anonymous, "view", alias) and can(anonymous, "view", topic)
