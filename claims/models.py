"""The newsroom's domain: who said what, where, and what it is worth.

Integrity the database can state lives in named constraints; what SQL cannot
say (a quote's text equals its span of the article body) lives in clean().
Writes that touch more than one row go through claims.services.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least, Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from claims.choices import (
    SYMMETRIC_RELATIONS,
    ClaimStatus,
    DatePrecision,
    OutletKind,
    QuoteKind,
    Rating,
    Relation,
    SourceKind,
    SpeakerKind,
    Stance,
)
from claims.queries import (
    ArticleQuerySet,
    ClaimQuerySet,
    ClaimRelationQuerySet,
    EvidenceQuerySet,
    OutletQuerySet,
    QuoteQuerySet,
    SourceQuerySet,
    SpeakerQuerySet,
)

# Only web addresses: a fact-check must link to something a reader can open.
http_url = URLValidator(schemes=["http", "https"], message="Enter a web address starting with http:// or https://.")
wikidata_id = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q42.")
country_code = RegexValidator(r"^[A-Z]{2}$", "Use the two-letter ISO 3166 country code, e.g. GB.")
language_tag = RegexValidator(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "Use a language tag such as en or pt-BR.")


class WebURLField(models.URLField):
    """A URLField that accepts only http and https."""

    default_validators = [http_url]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # A typed "example.org/x" becomes https://, as browsers do.
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class EditorialRecord(models.Model):
    """Who created a row and when; the full change log is in each model's history."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


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
            # Date-range filters across all outlets.
            models.Index(fields=["-published_at"], name="claims_article_published"),
        ]

    def __str__(self):
        return self.headline

    def clean(self):
        if self.published_at and self.updated_at and self.updated_at < self.published_at:
            raise ValidationError({"updated_at": "An article cannot be updated before it was published."})


class Speaker(EditorialRecord):
    """Whoever a statement is attributed to: a person, an organisation, or an unnamed source."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    description = models.CharField(
        max_length=300, blank=True, help_text='Title or role, e.g. "Deputy Foreign Minister".'
    )
    # "A White House official" belongs to the White House.
    organization = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    wikidata_id = models.CharField(max_length=20, blank=True, validators=[wikidata_id])

    objects = SpeakerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        permissions = [("merge_speakers", "Can merge two speakers into one")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SpeakerKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            models.CheckConstraint(
                condition=~Q(organization=F("id")), name="%(app_label)s_%(class)s_not_own_organization"
            ),
        ]
        indexes = [
            # Case-insensitive name look-ups when matching an extracted speaker.
            models.Index(Lower("name"), name="claims_speaker_name_lower"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:claims_speaker_change", args=[self.pk])


class SpeakerAlias(models.Model):
    """Another name a speaker goes by in print ("Ryabkov", "Moscow")."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(Lower("name"), "speaker", name="%(app_label)s_%(class)s_unique_per_speaker"),
        ]
        indexes = [
            # Finding speakers by alias, case-insensitively.
            models.Index(Lower("name"), name="claims_alias_name_lower"),
        ]

    def __str__(self):
        return self.name


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


class Topic(models.Model):
    """A subject heading claims are filed under ("Ukraine war", "Health care")."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Claim(EditorialRecord):
    """One checkable proposition, in the editor's words, with its verdict."""

    text = models.TextField()
    claimant = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="claims")
    made_on = models.DateField(null=True, blank=True)
    quotes = models.ManyToManyField(Quote, blank=True, related_name="claims")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    rating_summary = models.TextField(blank=True, help_text="The verdict in a sentence or two, for readers.")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_claims"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[quotes, topics])

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("publish_claim", "Can review, rate and publish claims")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=Rating.values),
                name="%(app_label)s_%(class)s_rating_on_scale",
                violation_error_message="The rating must be one of the scale's verdicts.",
            ),
            # A published verdict always has a rating and a publication time.
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.PUBLISHED) | (~Q(rating="") & Q(published_at__isnull=False)),
                name="%(app_label)s_%(class)s_published_has_verdict",
                violation_error_message="A claim needs a rating before it is published.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="%(app_label)s_%(class)s_text_not_empty"),
        ]
        indexes = [
            # The public feed: published claims, newest first.
            models.Index(
                fields=["-published_at"], condition=Q(status=ClaimStatus.PUBLISHED), name="claims_claim_published"
            ),
            # The review queue and status filters.
            models.Index(fields=["status", "-created_at"], name="claims_claim_status"),
            # A speaker's claims over time.
            models.Index(fields=["claimant", "-made_on"], name="claims_claim_claimant_made"),
        ]

    def __str__(self):
        return self.text[:100]

    @property
    def is_published(self) -> bool:
        return self.status == ClaimStatus.PUBLISHED


class Source(EditorialRecord):
    """A piece of evidence outside the claim: a report, dataset, statement, video."""

    url = WebURLField(unique=True)
    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources")
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.ARTICLE)
    published_on = models.DateField(null=True, blank=True)
    archived_url = WebURLField(blank=True, help_text="A snapshot that stays if the original changes or vanishes.")

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="%(app_label)s_%(class)s_kind_valid"),
        ]

    def __str__(self):
        return self.title


class Evidence(EditorialRecord):
    """A source's bearing on a claim: supports, refutes, or gives context."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=20, choices=Stance.choices)
    excerpt = models.TextField(blank=True, help_text="The passage of the source that matters.")
    # Internal: never shown to the public.
    note = models.TextField(blank=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"],
                name="%(app_label)s_%(class)s_unique_claim_source",
                violation_error_message="This source is already evidence for this claim.",
                violation_error_code="duplicate",
            ),
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="%(app_label)s_%(class)s_stance_valid"),
        ]

    def __str__(self):
        return f"{self.source} {self.stance} {self.claim}"


class ClaimRelation(EditorialRecord):
    """Two claims that contradict, support, or restate each other.

    Contradicts and same-claim read the same both ways, so they are stored once
    with the lower id first; a pair of claims has at most one relation.
    """

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_to")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    # Internal: why the editor linked them.
    note = models.TextField(blank=True)

    objects = ClaimRelationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["from_claim", "to_claim"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message="A claim cannot be related to itself.",
            ),
            models.CheckConstraint(
                condition=~Q(relation__in=SYMMETRIC_RELATIONS) | Q(from_claim__lt=F("to_claim")),
                name="%(app_label)s_%(class)s_symmetric_ordered",
                violation_error_message="Contradicts and same-claim links are stored lower-numbered claim first: "
                "swap the two claims.",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values), name="%(app_label)s_%(class)s_relation_valid"
            ),
            models.UniqueConstraint(
                Least("from_claim", "to_claim"),
                Greatest("from_claim", "to_claim"),
                name="%(app_label)s_%(class)s_unique_pair",
                violation_error_message="These two claims are already related.",
                violation_error_code="duplicate",
            ),
        ]
        # Both ends are foreign keys, so each has its own index already.

    def __str__(self):
        return f"{self.from_claim_id} {self.relation} {self.to_claim_id}"

    def other(self, claim: Claim) -> Claim:
        """The claim at the other end from `claim`."""
        return self.to_claim if claim.pk == self.from_claim_id else self.from_claim
