"""Quotes: words attributed to a speaker in one article, anchored by offsets into its body."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from simple_history.models import HistoricalRecords

from claims.choices import DatePrecision, QuoteKind
from claims.models.base import EditorialRecord, VisibleQuerySet, domain_model
from claims.models.outlets import Article, public_quote_links
from claims.models.speakers import Speaker


class QuoteQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def refresh_public(self) -> int:
        """Recompute is_public for these quotes from their links to published claims; how many rows were updated."""
        return self.update(is_public=Exists(public_quote_links().filter(quote=OuterRef("pk"))))

    def for_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def anchored(self):
        return self.filter(start__isnull=False)


class Quote(EditorialRecord):
    """Words attributed to a speaker in one article, anchored by offsets into its body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=QuoteKind.choices, default=QuoteKind.DIRECT)
    # Both set or both empty; when set, article.body[start:end] == text.
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    speaker_title = models.CharField(max_length=300, blank=True, help_text="The speaker's title as printed.")
    said_on = models.DateField(null=True, blank=True)
    said_on_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    via = models.CharField(
        max_length=300, blank=True, help_text='Who relayed it: "RIA", "an Iranian official, to the Financial Times".'
    )

    # Whether a published claim states it: what makes a quote, and what it hangs on, public. Stored, because
    # working it out per row in every public read cost 140 ms a search at a million quotes. Kept by
    # refresh_public(), which keep_public_quotes() runs on every change to a claim's status or quotes.
    is_public = models.BooleanField(default=False, editable=False)

    objects = QuoteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=QuoteKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            models.CheckConstraint(
                condition=Q(said_on_precision__in=DatePrecision.values),
                name="%(app_label)s_%(class)s_precision_valid",
            ),
            models.CheckConstraint(
                # SQL passes a check that is NULL, so "start < end" alone would
                # let a half span through.
                condition=(Q(start__isnull=True) & Q(end__isnull=True))
                | (Q(start__isnull=False) & Q(end__isnull=False) & Q(start__lt=F("end"))),
                name="%(app_label)s_%(class)s_span_ordered",
                violation_error_message="A span needs both a start and an end, and the start must come first.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="%(app_label)s_%(class)s_text_not_empty"),
        ]
        indexes = [
            # A speaker's statements over time.
            models.Index(fields=["speaker", "-said_on"], name="claims_quote_speaker_said"),
            # Quotes of one article in reading order are served by the ordering's
            # leading article_id column; said_on ranges across all speakers:
            models.Index(fields=["-said_on"], name="claims_quote_said_on"),
        ]

    def __str__(self):
        return f"{self.speaker}: {self.text[:80]}"

    @property
    def is_anchored(self) -> bool:
        return self.start is not None

    def clean(self):
        if (self.start is None) != (self.end is None):
            raise ValidationError({"end" if self.end is None else "start": "Give both ends of the span, or neither."})
        if self.start is None or self.article_id is None:
            return
        body = self.article.body
        if not (0 <= self.start < self.end <= len(body)):
            raise ValidationError(
                {"end": f"The span {self.start}–{self.end} lies outside the article body (0–{len(body)})."}
            )
        if body[self.start : self.end] != self.text:
            raise ValidationError(
                {
                    "text": f"The text does not match the article at {self.start}–{self.end}: "
                    f"the article has “{body[self.start : self.end][:120]}”."
                }
            )

    def dependent_claims(self):
        claims = domain_model("Claim").objects
        return claims.filter(quotes=self) if self.pk else claims.none()


def _claim_saved(sender, instance, **kwargs) -> None:
    # A claim that neither was nor is published makes none of its quotes public or private.
    if instance.seen_by_the_public():
        Quote.objects.filter(claims=instance).refresh_public()


def _claim_deleting(sender, instance, **kwargs) -> None:
    instance._quote_ids = list(instance.quotes.values_list("pk", flat=True))


def _claim_deleted(sender, instance, **kwargs) -> None:
    Quote.objects.filter(pk__in=instance._quote_ids).refresh_public()


def _links_changing(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "pre_clear":
        instance._quote_ids = [instance.pk] if reverse else list(instance.quotes.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        Quote.objects.filter(pk__in=[instance.pk] if reverse else pk_set).refresh_public()
    elif action == "post_clear":
        Quote.objects.filter(pk__in=instance._quote_ids).refresh_public()


def keep_public_quotes() -> None:
    """Connect is_public to every change that can move it: a claim saved or deleted, quotes linked or unlinked.

    Writes in bulk past the ORM's signals (a restore) call refresh_public() themselves.
    """
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    claim = domain_model("Claim")
    post_save.connect(_claim_saved, sender=claim, dispatch_uid="public-quotes-claim-saved")
    pre_delete.connect(_claim_deleting, sender=claim, dispatch_uid="public-quotes-claim-deleting")
    post_delete.connect(_claim_deleted, sender=claim, dispatch_uid="public-quotes-claim-deleted")
    m2m_changed.connect(_links_changing, sender=claim.quotes.through, dispatch_uid="public-quotes-links")
