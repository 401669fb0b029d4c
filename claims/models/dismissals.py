"""Extraction candidates an editor dismissed: "not a quote worth recording", remembered per article and span.

The extractor's candidates are never stored: they are found again from the
article's body whenever they are shown. What is stored is the decision about
them. An accepted candidate is a Quote; a dismissed one is a row here, so the
article page stops offering it while every other candidate stays there for later.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from claims.models.base import VisibleQuerySet, domain_model
from claims.models.outlets import Article


class DismissedCandidateQuerySet(VisibleQuerySet):
    def public(self):
        # The newsroom's working notes: the public never reads what it chose not to record.
        return self.none()

    def matching(self, article: Article) -> dict[tuple[int, int], "DismissedCandidate"]:
        """The article's dismissals that still hold its words, by span.

        A dismissal whose span reads differently now (the body was edited) no
        longer matches, so the candidate found there is offered again.
        """
        body = article.body
        return {
            (row.start, row.end): row
            for row in self.filter(article=article)
            if row.end <= len(body) and body[row.start : row.end] == row.text
        }


class DismissedCandidate(models.Model):
    """A candidate of an article an editor decided is not to be recorded, by its span of the body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="dismissed_candidates")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # The body's words at start–end when dismissed: a later edit of the body that moves them lets it go.
    text = models.TextField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    objects = DismissedCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="%(app_label)s_%(class)s_once_per_span"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="%(app_label)s_%(class)s_span_ordered"),
        ]

    def __str__(self):
        return f"Dismissed in article {self.article_id} at {self.start}–{self.end}"

    def dependent_claims(self):
        # No claim rests on a decision not to record something.
        return domain_model("Claim").objects.none()
