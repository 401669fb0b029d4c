"""Outlets and the articles they publish."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from claims.choices import ClaimStatus, OutletKind
from claims.models.base import EditorialRecord, VisibleQuerySet, WebURLField, country_code, domain_model, language_tag


def quote_links():
    """The links of quotes to the claims they state."""
    return domain_model("Claim").quotes.through.objects


def public_quote_links():
    """Links of quotes to published claims: what makes a quote, and what it hangs on, public."""
    return quote_links().filter(claim__status=ClaimStatus.PUBLISHED)


class OutletQuerySet(VisibleQuerySet):
    def public(self):
        # Publishers are public knowledge.
        return self


class Outlet(EditorialRecord):
    """A publisher or agency: where an article was read, or who wrote it."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OutletKind.choices, default=OutletKind.OTHER)
    homepage = WebURLField(blank=True)
    country = models.CharField(max_length=2, blank=True, validators=[country_code])

    objects = OutletQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OutletKind.values), name="%(app_label)s_%(class)s_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def dependent_claims(self):
        claims = domain_model("Claim").objects
        if self.pk is None:
            return claims.none()
        articles = Article.objects.filter(Q(outlet=self) | Q(credited_to=self))
        stating = quote_links().filter(quote__article__in=articles).values("claim_id")
        citing = domain_model("Evidence").objects.filter(source__outlet=self).values("claim_id")
        return claims.filter(Q(pk__in=stating) | Q(pk__in=citing))


class ArticleQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(Exists(domain_model("Quote").objects.public().filter(article=OuterRef("pk"))))


class Article(EditorialRecord):
    """One published piece; quote offsets point into its body."""

    url = WebURLField(unique=True)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    # The wire agency the piece is credited to, when it is not the outlet's own.
    credited_to = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="credited_articles"
    )
    headline = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=20, default="en", validators=[language_tag])
    published_at = models.DateTimeField(null=True, blank=True)
    # The publisher's own "Updated:" stamp, not this row's modification time.
    updated_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField(help_text="The article text that quote offsets point into.")

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # Article lists per outlet, newest first.
            models.Index(fields=["outlet", "-published_at"], name="claims_article_outlet_pub"),
            # The dashboard's outlets by quotes: each article's outlet, without reading its body.
            models.Index(fields=["id", "outlet"], name="claims_article_id_outlet"),
            # Date-range filters across all outlets.
            models.Index(fields=["-published_at"], name="claims_article_published"),
        ]

    def __str__(self):
        return self.headline

    def clean(self):
        if self.published_at and self.updated_at and self.updated_at < self.published_at:
            raise ValidationError({"updated_at": "An article cannot be updated before it was published."})

    def dependent_claims(self):
        claims = domain_model("Claim").objects
        if self.pk is None:
            return claims.none()
        return claims.filter(pk__in=quote_links().filter(quote__article=self).values("claim_id"))
