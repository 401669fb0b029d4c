"""The desk: assigning claims to fact-checkers, and the newsroom's internal comments on them.

Who may assign, comment and resolve; what a refusal says and that it changes
nothing; that assignments are kept in the claim's history with who made them
and are never edited or reverted by the claim's named edit; that comments are
never the public's; and that the desk's reads cost the same queries however
many rows they hold.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from claims import dashboard, reads, services
from claims.choices import ClaimStatus, Role
from claims.models import Claim, Comment
from claims.policy import assignment_problem, can, newsroom_members
from tests.api.conftest import client_for
from tests.claims.test_admin_permissions import change_form_values
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def assign(claim, assignee, by):
    return services.assign_claim(claim=claim, assignee=assignee, acting_user=by)


def comment(claim, by, body="Who said this first? The wire copy has it a day earlier."):
    return services.comment_on_claim(claim=claim, body=body, acting_user=by)


def submit(claim, by):
    return services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=by)


def stored(claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


# --- Assigning: editors only, to someone in the newsroom ------------------------------------


def test_an_editor_assigns_a_claim_to_a_reporter_and_it_says_since_when(editor, reporter):
    claim = ClaimFactory(created_by=editor)
    before = timezone.now()

    assigned = assign(claim, reporter, editor)

    assert stored(claim).assignee == reporter == assigned.assignee
    assert before <= stored(claim).assigned_at <= timezone.now()
    assert list(reporter.assigned_claims.all()) == [stored(claim)]


@pytest.mark.parametrize("who", ["reporter", "other_reporter", "outsider", "anonymous"])
def test_only_editors_assign(who, request, editor, reporter):
    acting = request.getfixturevalue(who)
    claim = ClaimFactory(created_by=reporter)  # even the reporter's own draft

    assert not can(acting, "assign", claim)
    with pytest.raises(PermissionDenied) as refused:
        assign(claim, reporter, acting)

    assert str(refused.value) == "Only editors may assign claims."
    assert stored(claim).assignee is None and stored(claim).assigned_at is None
    assert stored(claim).history.count() == claim.history.count()


@pytest.fixture
def deactivated(db):
    user = UserFactory(username="dee_departed", role=Role.REPORTER)
    user.is_active = False
    user.save()
    return user


@pytest.mark.parametrize(
    "who, reason",
    [
        ("outsider", "is not one of the newsroom's reporters or editors"),
        ("deactivated", "cannot sign in"),
        ("system", "cannot sign in"),
        ("anonymous", "Assign the claim to someone in the newsroom."),
    ],
)
def test_a_claim_goes_only_to_an_active_reporter_or_editor_else_a_field_error_and_nothing_changes(
    who, reason, request, editor, reporter
):
    person = services.system_account() if who == "system" else request.getfixturevalue(who)
    claim = assign(ClaimFactory(), reporter, editor)
    was = stored(claim)

    with pytest.raises(ValidationError) as refused:
        assign(claim, person, editor)

    assert set(refused.value.message_dict) == {"assignee"}
    assert reason in refused.value.message_dict["assignee"][0]
    now = stored(claim)
    assert (now.assignee, now.assigned_at, now.history.count()) == (reporter, was.assigned_at, was.history.count())


def test_the_assignee_is_judged_as_the_account_is_now_not_as_the_callers_copy_remembers(editor, reporter):
    stale = type(reporter).objects.get(pk=reporter.pk)
    assert assignment_problem(stale) == ""  # reads and keeps the roles on this copy
    reporter.groups.clear()

    with pytest.raises(ValidationError, match="not one of the newsroom's"):
        assign(ClaimFactory(), stale, editor)


def test_editors_and_reporters_alike_take_claims_and_newsroom_members_lists_exactly_them(
    editor, reporter, other_reporter, outsider, deactivated
):
    admin_user = UserFactory(username="ada_admin", role=Role.ADMIN)
    services.system_account()
    members = list(newsroom_members())

    assert members == sorted([editor, reporter, other_reporter, admin_user], key=lambda user: user.username)
    everyone = type(editor).objects.all()
    assert {user for user in everyone if assignment_problem(user) == ""} == set(members)
    assert list(reads.assignable_people(editor)) == members
    assert list(reads.assignable_people(AnonymousUser())) == []


def test_reassigning_is_kept_in_the_claims_history_with_who_did_it(editor, reporter, other_reporter):
    other_editor = UserFactory(username="ed_other", role=Role.EDITOR)
    claim = ClaimFactory()
    first = assign(claim, reporter, editor)
    second = assign(claim, other_reporter, other_editor)

    assert second.assigned_at > first.assigned_at
    versions = list(stored(claim).history.order_by("history_id").values("assignee", "assigned_at", "history_user"))
    assert versions[-2:] == [
        {"assignee": reporter.pk, "assigned_at": first.assigned_at, "history_user": editor.pk},
        {"assignee": other_reporter.pk, "assigned_at": second.assigned_at, "history_user": other_editor.pk},
    ]


def test_assigning_the_same_person_again_changes_nothing(editor, reporter):
    claim = assign(ClaimFactory(), reporter, editor)
    versions = stored(claim).history.count()

    again = assign(claim, reporter, editor)

    assert again.assigned_at == claim.assigned_at == stored(claim).assigned_at
    assert stored(claim).history.count() == versions


def test_unassigning_takes_the_claim_back_and_clears_since_when(editor, reporter):
    claim = assign(ClaimFactory(), reporter, editor)

    assign(claim, None, editor)

    assert (stored(claim).assignee, stored(claim).assigned_at) == (None, None)
    assert stored(claim).history.latest().history_user == editor
    versions = stored(claim).history.count()
    assign(claim, None, editor)  # nobody has it already
    assert stored(claim).history.count() == versions


def test_assigning_works_on_the_claim_as_stored_not_a_stale_copy(editor, reporter):
    stale = ClaimFactory()
    submit(Claim.objects.get(pk=stale.pk), editor)  # meanwhile, someone sent it for review

    assign(stale, reporter, editor)

    assert stored(stale).status == ClaimStatus.IN_REVIEW
    assert stored(stale).assignee == reporter


def test_the_named_edit_of_a_claim_does_not_take_its_assignment(editor, reporter):
    claim = ClaimFactory()

    with pytest.raises(ValidationError) as refused:
        services.edit_claim(claim, assignee=reporter, assigned_at=timezone.now(), acting_user=editor)

    assert set(refused.value.message_dict) == {"assignee", "assigned_at"}
    assert "its own action" in refused.value.message_dict["assignee"][0]
    assert stored(claim).assignee is None


def test_a_revert_never_restores_an_assignment(editor, reporter, other_reporter):
    claim = ClaimFactory(text="Crime fell by half.")
    assign(claim, reporter, editor)
    version = stored(claim).history.latest()  # the text as it was, assigned to the reporter
    services.edit_claim(claim, text="Crime fell by a third.", acting_user=editor)
    assign(claim, other_reporter, editor)
    assigned_at = stored(claim).assigned_at

    services.revert_record(stored(claim), version=version, acting_user=editor)

    now = stored(claim)
    assert now.text == "Crime fell by half."
    assert (now.assignee, now.assigned_at) == (other_reporter, assigned_at)
    services.revert_record(now, version=now.history.earliest(), acting_user=editor)  # before anyone had it
    assert stored(claim).assignee == other_reporter


# --- Comments: the newsroom's, resolved by their author, the assignee or an editor ---------


def test_anyone_in_the_newsroom_comments_on_any_claim_and_it_is_kept_in_history(editor, reporter):
    claim = ClaimFactory(created_by=editor, published=True)

    left = comment(claim, reporter, body="  The figure is from 2019, not 2021.\n")

    assert (left.claim, left.author, left.body) == (claim, reporter, "The figure is from 2019, not 2021.")
    assert left.resolved_at is None and left.created_at is not None
    assert left.history.get().history_user == reporter
    assert list(claim.comments.all()) == [left]


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_outside_the_newsroom_no_one_comments(who, request, editor):
    claim = ClaimFactory(published=True)
    with pytest.raises(PermissionDenied, match="Only the newsroom's reporters and editors"):
        comment(claim, request.getfixturevalue(who))
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n\t", "\u200b"])
def test_an_empty_comment_is_a_field_error_and_nothing_is_saved(body, reporter):
    with pytest.raises(ValidationError) as refused:
        comment(ClaimFactory(), reporter, body=body)
    assert set(refused.value.message_dict) == {"body"}
    assert not Comment.objects.exists()


def test_a_comment_with_a_bidi_override_is_refused_as_any_text_is(reporter):
    with pytest.raises(ValidationError) as refused:
        comment(ClaimFactory(), reporter, body="See the attached\u202efdp.exe")
    assert "U+202E" in refused.value.message_dict["body"][0]


@pytest.mark.parametrize("who", ["author", "assignee", "editor"])
def test_a_comment_is_resolved_by_its_author_the_claims_assignee_or_an_editor(who, editor, reporter, other_reporter):
    claim = assign(ClaimFactory(), other_reporter, editor)
    left = comment(claim, reporter)
    acting = {"author": reporter, "assignee": other_reporter, "editor": editor}[who]

    resolved = services.resolve_comment(comment=left, acting_user=acting)

    again = Comment.objects.get(pk=left.pk)
    assert resolved.resolved_by == acting == again.resolved_by
    assert again.resolved_at is not None and again.is_resolved
    assert again.history.latest().history_user == acting
    assert list(Comment.objects.open()) == [] and list(Comment.objects.resolved()) == [again]


@pytest.mark.parametrize("who", ["other_reporter", "outsider", "anonymous"])
def test_anyone_else_may_not_resolve_a_comment(who, request, editor, reporter):
    left = comment(ClaimFactory(), reporter)
    acting = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied) as refused:
        services.resolve_comment(comment=left, acting_user=acting)

    if who == "other_reporter":
        assert (
            str(refused.value)
            == "Only the comment's author, the claim's assignee or an editor may resolve this comment."
        )
    assert Comment.objects.get(pk=left.pk).resolved_at is None


def test_an_author_no_longer_in_the_newsroom_resolves_nothing(editor, reporter):
    left = comment(ClaimFactory(), reporter)
    reporter.groups.clear()
    reporter = type(reporter).objects.get(pk=reporter.pk)
    with pytest.raises(PermissionDenied):
        services.resolve_comment(comment=left, acting_user=reporter)


def test_resolving_a_resolved_comment_changes_nothing(editor, reporter):
    left = comment(ClaimFactory(), reporter)
    first = services.resolve_comment(comment=left, acting_user=reporter)
    versions = left.history.count()

    again = services.resolve_comment(comment=left, acting_user=editor)

    assert (again.resolved_by, again.resolved_at) == (reporter, first.resolved_at)
    assert left.history.count() == versions


def test_the_database_refuses_an_empty_comment_and_a_resolver_without_a_time(reporter):
    from django.db import IntegrityError, transaction

    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(claim=claim, body="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(claim=claim, body="Checked.", resolved_by=reporter)


# --- Comments are never the public's ----------------------------------------------------------


def test_comments_are_never_visible_to_the_public_even_on_a_published_claim(editor, reporter, outsider, anonymous):
    claim = ClaimFactory(published=True)
    left = comment(claim, reporter)
    services.resolve_comment(comment=comment(claim, editor), acting_user=editor)

    for reader in (anonymous, outsider):
        assert not Comment.objects.visible_to(reader).exists()
        assert list(reads.comments_on(claim, reader)) == []
        assert not can(reader, "view", left) and not can(reader, "view", Comment)
    assert [c.body for c in reads.comments_on(claim, reporter)] == [c.body for c in Comment.objects.order_by("id")]
    assert can(reporter, "view", left)


def test_the_api_shows_the_assignee_to_the_newsroom_only(editor, reporter, anonymous, outsider):
    claim = assign(ClaimFactory(published=True), reporter, editor)
    comment(claim, reporter)
    url = reverse("api:claim-detail", args=[claim.pk])

    for reader in (anonymous, outsider):
        shown = client_for(reader).get(url).json()
        assert shown["id"] == claim.pk
        assert not {"assignee", "assigned_at"} & set(shown)
        assert "Who said this first" not in str(shown)
    shown = client_for(editor).get(url).json()
    assert shown["assignee"] == reporter.username
    assert datetime.datetime.fromisoformat(shown["assigned_at"].replace("Z", "+00:00")) == stored(claim).assigned_at


# --- Reads: what the desk shows ----------------------------------------------------------------


def test_assigned_to_is_a_persons_unpublished_claims_the_longest_assigned_first(editor, reporter, other_reporter):
    older, newer = ClaimFactory(), submit(ClaimFactory(), editor)
    assign(newer, reporter, editor)
    assign(older, reporter, editor)
    Claim.objects.filter(pk=older.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=3))
    assign(ClaimFactory(), other_reporter, editor)
    published = assign(ClaimFactory(published=True), reporter, editor)

    mine = list(reads.assigned_to(reporter))

    assert [claim.pk for claim in mine] == [older.pk, newer.pk]
    assert published.pk not in {claim.pk for claim in mine}
    assert list(reads.assigned_to(AnonymousUser())) == []
    assert list(reads.assigned_to(editor)) == []


def test_comments_on_a_claim_come_oldest_first_with_their_people(editor, reporter):
    claim, elsewhere = ClaimFactory(), ClaimFactory()
    first = comment(claim, reporter, body="First.")
    second = comment(claim, editor, body="Second.")
    comment(elsewhere, editor, body="Elsewhere.")
    services.resolve_comment(comment=first, acting_user=editor)

    shown = list(reads.comments_on(claim, reporter))

    assert [c.pk for c in shown] == [first.pk, second.pk]
    assert [c.pk for c in reads.comments_on(claim, reporter).open()] == [second.pk]


def test_the_review_queue_is_the_longest_waiting_first_with_who_has_each(editor, reporter):
    now = timezone.now()
    waiting_long, waiting_less = submit(ClaimFactory(), editor), submit(ClaimFactory(), editor)
    Claim.history.model.objects.filter(id=waiting_long.pk).update(history_date=now - datetime.timedelta(days=6))
    assign(waiting_less, reporter, editor)
    ClaimFactory()  # a draft, not in the queue

    queue = reads.review_queue(editor)

    assert [claim.pk for claim in queue] == [waiting_long.pk, waiting_less.pk]
    assert queue[0].entered_review_at < queue[1].entered_review_at
    assert queue[0].waiting_since == queue[0].entered_review_at
    assert [claim.assignee for claim in queue] == [None, reporter]
    assert list(reads.review_queue(AnonymousUser())) == []
    page = Paginator(queue, 1).page(2)
    assert [claim.pk for claim in page] == [waiting_less.pk]


def test_the_dashboards_queue_is_the_reads_and_shows_the_assignee(client, editor, reporter):
    claims = [submit(ClaimFactory(), editor) for _ in range(dashboard.TOP + 2)]
    assign(claims[0], reporter, editor)
    reporter.first_name, reporter.last_name = "Rita", "Reporter"
    reporter.save()

    panel = next(panel for panel in dashboard.PANELS if panel.name == "review_queue").read(editor)

    assert panel.total == dashboard.TOP + 2
    assert [c.pk for c in panel.oldest] == [c.pk for c in reads.review_queue(editor)[: dashboard.TOP]]
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Rita Reporter" in page and "Assigned to" in page


# --- Query counts: flat whatever the number of rows --------------------------------------------


def add_assigned_claims(editor, reporter, count: int) -> Claim:
    claim = None
    for _ in range(count):
        claim = assign(submit(ClaimFactory(), editor), reporter, editor)
        comment(claim, reporter)
    return claim


def shown_assigned(user) -> list:
    return [(claim.text, claim.claimant.name) for claim in reads.assigned_to(user)]


def shown_queue(user) -> list:
    return [
        (claim.claimant.name, claim.assignee.username, claim.entered_review_at) for claim in reads.review_queue(user)
    ]


def shown_comments(claim, user) -> list:
    return [(c.body, c.author.username, c.resolved_by) for c in reads.comments_on(claim, user)]


@pytest.mark.parametrize("shown", [shown_assigned, shown_queue], ids=["assigned_to", "review_queue"])
def test_the_desks_reads_cost_one_query_with_20_more_rows(shown, editor, reporter, django_assert_num_queries):
    add_assigned_claims(editor, reporter, 1)
    can(reporter, "see_unpublished")  # the reader's roles are read once per request
    with django_assert_num_queries(1):
        assert len(shown(reporter)) == 1
    add_assigned_claims(editor, reporter, 20)
    with django_assert_num_queries(1):
        assert len(shown(reporter)) == 21


def test_a_claims_comments_cost_one_query_with_20_more(editor, reporter, django_assert_num_queries):
    claim = add_assigned_claims(editor, reporter, 1)
    can(reporter, "see_unpublished")
    with django_assert_num_queries(1):
        assert len(shown_comments(claim, reporter)) == 1
    for n in range(20):
        left = comment(claim, UserFactory(username=f"desk{n}", role=Role.REPORTER), body=f"Note {n}.")
        services.resolve_comment(comment=left, acting_user=editor)
    with django_assert_num_queries(1):
        assert len(shown_comments(claim, reporter)) == 21


# --- The admin: comments shown on the claim, the assignee in the list and through assign_claim -----


def test_the_admin_shows_a_claims_comments_read_only_and_its_assignee_in_the_list(client, editor, reporter):
    claim = assign(ClaimFactory(text="Crime fell by half."), reporter, editor)
    comment(claim, reporter, body="The police figures disagree.")
    client.force_login(reporter)

    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "The police figures disagree." in page
    assert 'name="comments-0-body"' not in page and "comments-TOTAL_FORMS" in page

    listed = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "Crime fell by half." in listed and f'class="field-assignee nowrap">{reporter.username}</td>' in listed


def test_an_editor_assigns_in_the_admin_through_assign_claim_and_a_reporter_is_not_offered_it(client, editor, reporter):
    claim = ClaimFactory(created_by=reporter)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    client.force_login(reporter)
    assert "assignee" not in change_form_values(client, url)

    client.force_login(editor)
    data = {**change_form_values(client, url), "assignee": str(reporter.pk), "_save": "Save"}
    assert client.post(url, data).status_code == 302

    assigned = stored(claim)
    assert assigned.assignee == reporter and assigned.assigned_at is not None
    assert assigned.history.latest().history_user == editor
    # Saved again untouched, it stays assigned as it was.
    data = {**change_form_values(client, url), "_save": "Save"}
    assert client.post(url, data).status_code == 302
    assert stored(claim).assigned_at == assigned.assigned_at


def test_an_assignee_the_service_refuses_is_an_error_on_the_admin_form_and_nothing_changes(client, editor, reporter):
    assign(ClaimFactory(), reporter, editor)
    reporter.groups.clear()  # left the newsroom, still holding a claim: offered, so that claim's form keeps them
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    client.force_login(editor)

    response = client.post(url, {**change_form_values(client, url), "assignee": str(reporter.pk), "_save": "Save"})

    assert response.status_code == 200
    assert "is not one of the newsroom&#x27;s reporters or editors" in response.content.decode()
    assert stored(claim).assignee is None
