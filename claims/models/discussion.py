"""The desk's internal discussion of a claim: comments the newsroom leaves while checking it.

Comments are never the public's: `Comment.objects.visible_to(user)` is empty
for anyone outside the newsroom, whatever the claim's status. A comment is
resolved (not deleted) once dealt with, so the history keeps the whole
discussion. Writes go through claims.services.discussion; who may do what is
claims.policy ("comment", "resolve").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.models.base import DomainModel, VisibleQuerySet
from claims.models.claims import Claim


class CommentQuerySet(VisibleQuerySet):
    def public(self):
        """Nothing: comments are internal, even on a published claim."""
        return self.none()

    def open(self):
        """The comments no one has resolved yet."""
        return self.filter(resolved_at__isnull=True)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)


class Comment(DomainModel):
    """A note someone in the newsroom left on a claim: a question, a lead, what is still missing."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = CommentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="%(app_label)s_%(class)s_body_not_empty"),
            # Whoever resolved it may since have been deleted (SET_NULL); no one resolves an open comment.
            models.CheckConstraint(
                condition=Q(resolved_by__isnull=True) | Q(resolved_at__isnull=False),
                name="%(app_label)s_%(class)s_resolved_by_needs_resolved_at",
            ),
        ]
        indexes = [
            # A claim's discussion, oldest first.
            models.Index(fields=["claim", "created_at"], name="claims_comment_claim_created"),
        ]

    def __str__(self):
        return self.body[:100]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
