"""The desk: who is checking a claim, and the newsroom's internal discussion of it.

An editor assigns a claim to a fact-checker and reassigns it (assign_claim);
the claim's history keeps every assignment with who made it and when, and
the named edit of a claim (edit_claim) and revert_record never touch it.
Anyone in the newsroom comments on a claim (comment_on_claim), and a comment
is resolved (resolve_comment), never deleted, once it has been dealt with.
What the desk reads back is in claims.reads ("Assignment and discussion").
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.hygiene import trim
from claims.models import Claim, Comment
from claims.policy import assignment_problem, require
from claims.services.base import locked, save


@transaction.atomic
def assign_claim(*, claim: Claim, assignee, acting_user) -> Claim:
    """Give `claim` to `assignee` to check, or take it back from whoever has it (`assignee=None`). Editors only.

    The assignee must be an active reporter or editor of the newsroom, else a
    ValidationError on "assignee" says why and nothing changes. Each
    assignment or reassignment sets `assigned_at` to now (unassigning clears
    it); assigning the claim to whoever already has it changes nothing and
    adds no history row. Returns the claim as stored now.
    """
    claim = locked(claim)
    require(acting_user, "assign", claim)
    if assignee is not None:
        # As the account is now, not as the caller's copy remembers it (roles, deactivation).
        assignee = type(assignee)._default_manager.filter(pk=assignee.pk).first() if assignee.pk else None
        if problem := assignment_problem(assignee):
            raise ValidationError({"assignee": problem})
    if claim.assignee_id == (assignee.pk if assignee is not None else None):
        return claim
    claim.assignee = assignee
    claim.assigned_at = timezone.now() if assignee is not None else None
    return save(claim, acting_user)


@transaction.atomic
def comment_on_claim(*, claim: Claim, body: str, acting_user) -> Comment:
    """Leave an internal comment on `claim`, as `acting_user` (anyone in the newsroom); never shown to the public.

    The body is trimmed; an empty one is a ValidationError on "body".
    """
    require(acting_user, "comment", claim)
    comment = Comment(claim=claim, author=acting_user, body=trim(body))
    if not comment.body:
        raise ValidationError({"body": "Write the comment: it is empty."})
    return save(comment, acting_user)


@transaction.atomic
def resolve_comment(*, comment: Comment, acting_user) -> Comment:
    """Mark `comment` dealt with, by its author, the claim's assignee or an editor; it stays in the discussion.

    Resolving a comment already resolved changes nothing (who resolved it first stays).
    """
    comment = locked(comment)
    require(acting_user, "resolve", comment)
    if comment.resolved_at is not None:
        return comment
    comment.resolved_at = timezone.now()
    comment.resolved_by = acting_user
    return save(comment, acting_user)
