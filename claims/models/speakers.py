"""Speakers: whoever a statement is attributed to, and the other names they go by."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from claims.choices import ClaimStatus, SpeakerKind
from claims.models.base import DomainModel, EditorialRecord, VisibleQuerySet, domain_model, wikidata_id
from claims.models.outlets import quote_links


class SpeakerQuerySet(VisibleQuerySet):
    def public(self):
        published = domain_model("Claim").objects.filter(status=ClaimStatus.PUBLISHED)
        return self.filter(
            Exists(published.filter(claimant=OuterRef("pk")))
            | Exists(domain_model("Quote").objects.public().filter(speaker=OuterRef("pk")))
        )

    def name_contains(self, text: str):
        """Speakers with `text` anywhere in their name or an alias, any case."""
        first, *rest = speaker_ids_named_like(text)
        return self.filter(pk__in=first.union(*rest))

    def named(self, name: str):
        """Speakers whose name or one of whose aliases is `name`, ignoring case."""
        return self.filter(
            Q(name__iexact=name) | Exists(SpeakerAlias.objects.filter(speaker=OuterRef("pk"), name__iexact=name))
        )


def speaker_ids_named_like(text: str) -> list[models.QuerySet]:
    """Id look-ups to union: by name and by alias, each served by a trigram index on PostgreSQL.

    A union of ids, because an OR across the alias join scanned every speaker.
    """
    return [
        Speaker.objects.filter(name__icontains=text).order_by().values("pk"),
        SpeakerAlias.objects.filter(name__icontains=text).order_by().values("speaker_id"),
    ]


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
    party = models.CharField(max_length=100, blank=True, help_text='Political party, e.g. "Republican".')
    region = models.CharField(
        max_length=100, blank=True, help_text="The state, province or region they represent or come from."
    )

    objects = SpeakerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
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

    def dependent_claims(self):
        # Its own claims, the claims its quotes state, and those of its members,
        # which show it as their organisation.
        if self.pk is None:
            return domain_model("Claim").objects.none()
        speakers = Speaker.objects.filter(Q(pk=self.pk) | Q(organization=self.pk)).values("pk")
        stating = quote_links().filter(quote__speaker__in=speakers).values("claim_id")
        return domain_model("Claim").objects.filter(Q(claimant__in=speakers) | Q(pk__in=stating))


class SpeakerAliasQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(speaker__in=Speaker.objects.public())


class SpeakerAlias(DomainModel):
    """Another name a speaker goes by in print ("Ryabkov", "Moscow")."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    objects = SpeakerAliasQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "speaker",
                name="%(app_label)s_%(class)s_unique_per_speaker",
                violation_error_message="The speaker already has this name (ignoring case) as an alias.",
                violation_error_code="duplicate",
            ),
        ]
        indexes = [
            # Finding speakers by alias, case-insensitively.
            models.Index(Lower("name"), name="claims_alias_name_lower"),
        ]

    def __str__(self):
        return self.name

    def dependent_claims(self):
        return self.speaker.dependent_claims()
