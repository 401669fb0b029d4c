"""Who may do what, in one place: the API, the admin, the services and the pages all ask here.

Roles are Django groups (claims.choices.Role). What each role may do is said
below as django-rules predicates and nowhere else: the groups carry no
permissions of their own. Django's `user.has_perm(perm, obj)` answers from
these rules (the `rules` backend in settings), so the admin's
has_*_permission, DRF's object permissions and `{% has_perm %}` in templates
reach the same answer as `can()`.

The newsroom's rule for reporters: they record anything, and change or delete
only their own drafts and what rests on them alone — a row they created whose
every dependent claim (claims the public would see it on) is their own draft.
Editors do everything editorial; admins also manage accounts. The system
account (imports, jobs, the demo loader) acts as an editor, by name.

The desk: editors assign claims to a fact-checker ("assign"); anyone in the
newsroom comments on a claim ("comment"); a comment is resolved by its author,
the claim's assignee or an editor ("resolve"). Comments are internal: no rule
lets the public read one, on any claim.
"""

import rules
from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import models

from claims.choices import ClaimStatus, Role

SYSTEM_ACCOUNT = "factcheck-system"

# Every editorial model: the four standard actions, plus revert for those with history.
EDITORIAL_MODELS = (
    "outlet",
    "article",
    "speaker",
    "speakeralias",
    "quote",
    "topic",
    "claim",
    "source",
    "evidence",
    "claimrelation",
)
STANDARD_ACTIONS = ("view", "add", "change", "delete", "revert")
# Actions that are not about one model's rows in general, by permission name.
NAMED_PERMISSIONS = {
    "rate": "claims.rate_claim",
    "publish": "claims.publish_claim",
    "merge": "claims.merge_speakers",
    "import": "claims.import_records",
    # Spreadsheets and ClaimReview files of what the user may see.
    "export": "claims.export_records",
    # The full export (every row, history and accounts) and restoring one into an empty database.
    "back_up": "claims.back_up_everything",
    "see_unpublished": "claims.see_unpublished",
    "use_newsroom_tools": "claims.use_newsroom_tools",
    # The desk: giving a claim to a fact-checker, and its internal discussion (asked with the claim or comment).
    "assign": "claims.assign_claim",
    "comment": "claims.comment_on_claim",
    "resolve": "claims.resolve_comment",
    # Background jobs: every job, not only one's own (asked for lists); running a failed one again (with the job).
    "see_every_job": "claims.see_every_job",
    "retry_job": "claims.retry_job",
}


class LoginLockout(AxesStandaloneBackend):
    """django-axes' lock-out per account and address. A sign-in with no request (a shell, the test client)
    comes from no address, so it has nothing to count and is let through to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PasswordBackend(ModelBackend):
    """Signs people in by password and answers no permission question: the rules below do."""

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


def roles_of(user) -> frozenset[str]:
    """The user's role names, read once per user object (a request's user is one object)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_newsroom_roles", None)
    if cached is None:
        cached = remember_roles(user, user.groups.values_list("name", flat=True))
    return cached


def remember_roles(user, group_names) -> frozenset[str]:
    """Keep the role names of `user` on that object for the rest of the request (None, a user in no group, drops).

    The API's token look-up reads them in the same query as the token (api/permissions.py).
    """
    user._newsroom_roles = frozenset(name for name in group_names if name is not None)
    return user._newsroom_roles


@rules.predicate
def is_reporter(user) -> bool:
    return Role.REPORTER in roles_of(user)


# The roles that edit, and the whole newsroom's (is_newsroom), also for lists of people (newsroom_members).
EDITOR_ROLES = frozenset({Role.EDITOR, Role.ADMIN, Role.SYSTEM})
NEWSROOM_ROLES = EDITOR_ROLES | {Role.REPORTER}


@rules.predicate
def is_editor(user) -> bool:
    return bool(roles_of(user) & EDITOR_ROLES)


@rules.predicate
def is_admin(user) -> bool:
    return Role.ADMIN in roles_of(user)


@rules.predicate
def is_system(user) -> bool:
    return Role.SYSTEM in roles_of(user)


is_newsroom = is_reporter | is_editor


@rules.predicate
def is_public(user, record) -> bool:
    """The row is one the public may read (published work and what stands behind it)."""
    return record is not None and type(record).objects.public().filter(pk=record.pk).exists()


def _created_by(user, record) -> bool:
    # A new row is the creator's; an alias belongs to whoever recorded its speaker.
    owner = getattr(record, "speaker", None) if record._meta.model_name == "speakeralias" else record
    return owner.pk is None or owner.created_by_id == user.pk


def _rests_only_on_own_drafts(user, record) -> bool:
    claims = record.dependent_claims()
    if isinstance(claims, models.QuerySet):
        return not claims.exclude(created_by=user.pk, status=ClaimStatus.DRAFT).exists()
    return all(claim.status == ClaimStatus.DRAFT and _created_by(user, claim) for claim in claims)


@rules.predicate
def is_own_work(user, record) -> bool:
    """A row the user created that nothing but the user's own drafts rests on.

    Asked without a row ("may they change some rows?"), the answer is yes:
    the admin's change lists ask that way.
    """
    if record is None:
        return True
    return _created_by(user, record) and _rests_only_on_own_drafts(user, record)


editorial_write = is_editor | (is_reporter & is_own_work)


@rules.predicate
def is_comment_author(user, comment) -> bool:
    """The user wrote the comment. Asked without one ("may they resolve some?"), yes: their own."""
    return comment is None or (comment.author_id is not None and comment.author_id == user.pk)


@rules.predicate
def is_claim_assignee(user, comment) -> bool:
    """The comment is on a claim assigned to the user."""
    return comment is not None and comment.claim.assignee_id is not None and comment.claim.assignee_id == user.pk


def assignment_problem(person) -> str:
    """Why `person` cannot be given a claim to check, or "" when they can: an active reporter or editor."""
    if person is None or not person.is_authenticated:
        return "Assign the claim to someone in the newsroom."
    name = person.get_username()
    if not person.is_active:
        return f"“{name}” cannot sign in (the account is deactivated): assign the claim to someone who can."
    if not is_newsroom(person):
        return f"“{name}” is not one of the newsroom's reporters or editors: assign the claim to someone who is."
    return ""


def newsroom_members() -> models.QuerySet:
    """The accounts a claim can be assigned to (assignment_problem finds none), by username: the desk's people."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=NEWSROOM_ROLES)
        .distinct()
        .order_by(get_user_model().USERNAME_FIELD)
    )


for _model in EDITORIAL_MODELS:
    rules.add_perm(f"claims.view_{_model}", is_newsroom | is_public)
    rules.add_perm(f"claims.add_{_model}", editorial_write)
    # Topics are the whole newsroom's vocabulary: renaming one changes published claims.
    writes = is_editor if _model == "topic" else editorial_write
    for _action in ("change", "delete", "revert"):
        rules.add_perm(f"claims.{_action}_{_model}", writes)

rules.add_perm(NAMED_PERMISSIONS["rate"], is_editor)
rules.add_perm(NAMED_PERMISSIONS["publish"], is_editor)
rules.add_perm(NAMED_PERMISSIONS["merge"], is_editor)
rules.add_perm(NAMED_PERMISSIONS["import"], is_editor)
rules.add_perm(NAMED_PERMISSIONS["export"], is_newsroom)
rules.add_perm(NAMED_PERMISSIONS["back_up"], is_admin | is_system)
rules.add_perm(NAMED_PERMISSIONS["see_unpublished"], is_newsroom)
rules.add_perm(NAMED_PERMISSIONS["use_newsroom_tools"], is_newsroom)
rules.add_perm(NAMED_PERMISSIONS["assign"], is_editor)
rules.add_perm(NAMED_PERMISSIONS["comment"], is_newsroom)
rules.add_perm(NAMED_PERMISSIONS["resolve"], is_editor | (is_newsroom & (is_comment_author | is_claim_assignee)))
# Comments are the newsroom's alone, even on a published claim (never is_public). They are added by
# commenting and resolved by "resolve"; otherwise kept as written, so the discussion stays whole: no one
# changes, deletes or reverts one (deleting the claim takes its discussion with it, into the history).
rules.add_perm("claims.view_comment", is_newsroom)
rules.add_perm("claims.add_comment", is_newsroom)
for _action in ("change", "delete", "revert"):
    rules.add_perm(f"claims.{_action}_comment", rules.always_deny)
# Extraction candidates dismissed at the desk (DismissedCandidate): deciding not to record one is for whoever
# may record it as a quote (the newsroom; reporters as for quotes); the newsroom alone sees those decisions,
# and one is taken back by whoever made it or an editor.
_dismissed_it = rules.predicate(lambda user, dismissal: dismissal is None or dismissal.dismissed_by_id == user.pk)
rules.add_perm("claims.view_dismissedcandidate", is_newsroom)
rules.add_perm("claims.add_dismissedcandidate", editorial_write)
rules.add_perm("claims.delete_dismissedcandidate", is_editor | (is_reporter & _dismissed_it))
# Background jobs: what a job shows (its input's name, its result, a file of every exported row) is its
# starter's, and the editors' who oversee the queue; asked without a job ("may they see some?"), yes: their own.
# Jobs change only through their worker; a failed one is run again by its starter or an editor.
_started_it = rules.predicate(
    lambda user, job: job is None or (job.started_by_id is not None and job.started_by_id == user.pk)
)
rules.add_perm("claims.view_job", is_editor | (is_newsroom & _started_it))
rules.add_perm(NAMED_PERMISSIONS["see_every_job"], is_editor)
rules.add_perm(NAMED_PERMISSIONS["retry_job"], is_editor | (is_newsroom & _started_it))
for _action in ("add", "change", "delete"):
    rules.add_perm(f"claims.{_action}_job", rules.always_deny)
# An app's section of the admin opens to whoever may do something in it.
rules.add_perm("claims", is_newsroom)

# Accounts and API tokens are the admins' alone.
for _model in ("user", "group"):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"auth.{_action}_{_model}", is_admin)
for _action in ("view", "add", "delete"):
    rules.add_perm(f"authtoken.{_action}_tokenproxy", is_admin)
rules.add_perm("auth", is_admin)
rules.add_perm("authtoken", is_admin)
# Sign-in records and lock-outs (django-axes): admins read them and lift a lock by deleting its attempt.
for _model in ("accessattempt", "accesslog", "accessfailurelog"):
    for _action in ("view", "delete"):
        rules.add_perm(f"axes.{_action}_{_model}", is_admin)
rules.add_perm("axes", is_admin)


def permission(action: str, model: type[models.Model] | None = None) -> str:
    """The permission name for an action: "change" on Claim is claims.change_claim."""
    if action in NAMED_PERMISSIONS:
        return NAMED_PERMISSIONS[action]
    if action not in STANDARD_ACTIONS or model is None:
        raise ValueError(f"Unknown action {action!r}" + ("" if model else " without a model"))
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def can(user, action: str, target: models.Model | type[models.Model] | None = None) -> bool:
    """Whether `user` may do `action` to `target`.

    `target` is a row, an unsaved row about to be added (so the rule sees what
    it would hang on), a model class (may they do it to some row?), or nothing
    for the actions in NAMED_PERMISSIONS.
    """
    if user is None:
        return False
    model = target if isinstance(target, type) or target is None else type(target)
    record = None if isinstance(target, type) else target
    return user.has_perm(permission(action, model), record)


def require(user, action: str, target: models.Model | type[models.Model] | None = None) -> None:
    """PermissionDenied, with a reason a person can act on, unless `user` may do it."""
    if can(user, action, target):
        return
    raise PermissionDenied(refusal(user, action, target))


_EDITORS_ONLY = {
    "rate": "Only editors may rate claims.",
    "publish": "Only editors may publish or unpublish claims.",
    "merge": "Only editors may merge speakers.",
    "import": "Only editors may import records.",
    "back_up": "Only administrators may export or restore everything: it holds accounts and internal notes.",
    "assign": "Only editors may assign claims.",
}
# Actions open to some of the newsroom, for a member they are not open to.
_NEWSROOM_REFUSALS = {
    "resolve": "Only the comment's author, the claim's assignee or an editor may resolve this comment.",
}


def refusal(user, action: str, target=None) -> str:
    if action in _EDITORS_ONLY:
        return _EDITORS_ONLY[action]
    if not is_newsroom(user):
        return "Only the newsroom's reporters and editors may do this."
    if action in _NEWSROOM_REFUSALS:
        return _NEWSROOM_REFUSALS[action]
    model = target if isinstance(target, type) or target is None else type(target)
    what = model._meta.verbose_name if model is not None else "record"
    if model is not None and model._meta.model_name == "topic":
        return f"Only editors may {action} a topic: topics are shared by every claim filed under them."
    return (
        f"You may not {action} this {what}: reporters change only their own drafts and what rests on them "
        "alone. Ask an editor."
    )
