"""Speakers and their other names: recording, editing, and folding a duplicate into the one kept."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from claims.choices import SpeakerKind
from claims.hygiene import trim
from claims.models import Claim, Quote, Speaker, SpeakerAlias
from claims.policy import require
from claims.services.base import assign, check_fields, edit_fields, locked, save, unique_slug

SPEAKER_FIELDS = frozenset({"name", "kind", "description", "organization", "wikidata_id", "party", "region", "aliases"})
ALIAS_FIELDS = frozenset({"name"})


@transaction.atomic
def record_speaker(
    *,
    name: str,
    kind: str = SpeakerKind.PERSON,
    description: str = "",
    organization: Speaker | None = None,
    aliases: Iterable[str] = (),
    wikidata_id: str = "",
    party: str = "",
    region: str = "",
    acting_user,
) -> Speaker:
    speaker = Speaker(
        name=trim(name),
        slug=unique_slug(Speaker, name),
        kind=kind,
        description=description,
        organization=organization,
        wikidata_id=wikidata_id,
        party=trim(party),
        region=trim(region),
    )
    require(acting_user, "add", speaker)
    save(speaker, acting_user)
    _set_aliases(speaker, aliases, acting_user)
    return speaker


@transaction.atomic
def edit_speaker(speaker: Speaker, /, *, acting_user, **changes) -> Speaker:
    """Change a speaker's details; `aliases` replaces the whole list of other names."""
    check_fields(changes, SPEAKER_FIELDS, "speaker")
    speaker = locked(speaker)
    require(acting_user, "change", speaker)
    aliases = changes.pop("aliases", None)
    assign(speaker, changes)
    save(speaker, acting_user, changed=changes)
    if aliases is not None:
        _set_aliases(speaker, aliases, acting_user)
    return speaker


def _set_aliases(speaker: Speaker, names: Iterable[str], acting_user) -> None:
    """Make the speaker's aliases exactly `names` (ignoring case and the speaker's own name).

    A refused name is reported under `aliases`, the field the caller gave it in.
    """
    wanted = {}
    for name in map(trim, names):
        if name:
            wanted.setdefault(name.lower(), name)  # the first spelling given wins
    for alias in speaker.aliases.all():
        if alias.name.lower() not in wanted:
            alias._history_user = acting_user
            alias.delete()
    for name in wanted.values():
        try:
            add_speaker_alias(speaker=speaker, name=name, acting_user=acting_user)
        except ValidationError as error:
            raise ValidationError({"aliases": [f"“{name}”: {message}" for message in error.messages]}) from error


@transaction.atomic
def add_speaker_alias(*, speaker: Speaker, name: str, acting_user) -> SpeakerAlias | None:
    """Add another printed name for a speaker; a name it already has is not added twice."""
    name = trim(name)
    if not name:
        raise ValidationError({"name": "An alias cannot be empty."})
    alias = SpeakerAlias(speaker=speaker, name=name)
    require(acting_user, "add", alias)
    if name.lower() == speaker.name.lower() or speaker.aliases.filter(name__iexact=name).exists():
        return None
    return save(alias, acting_user)


@transaction.atomic
def edit_speaker_alias(alias: SpeakerAlias, /, *, acting_user, **changes) -> SpeakerAlias:
    return edit_fields(
        alias,
        {name: trim(value) for name, value in changes.items()},
        editable=ALIAS_FIELDS,
        what="speaker alias",
        acting_user=acting_user,
    )


@dataclass(frozen=True)
class MergeResult:
    speaker: Speaker
    quotes_moved: int
    claims_moved: int
    members_moved: int
    aliases_added: int


@transaction.atomic
def merge_speakers(*, keep: Speaker, merge: Speaker, acting_user) -> MergeResult:
    """Fold `merge` into `keep`: every quote, claim and member re-pointed, its names kept as aliases.

    Blank details of `keep` (description, organisation, Wikidata id) are filled
    from `merge`. The merged speaker's deletion stays in its history.
    """
    require(acting_user, "merge", Speaker)
    if keep.pk == merge.pk:
        raise ValidationError({"merge": "A speaker cannot be merged into itself."})
    keep, merge = (Speaker.objects.select_for_update().get(pk=s.pk) for s in (keep, merge))

    quotes = list(Quote.objects.filter(speaker=merge))
    for quote in quotes:
        quote.speaker = keep
    claims = list(Claim.objects.filter(claimant=merge))
    for claim in claims:
        claim.claimant = keep
    members = list(Speaker.objects.filter(organization=merge).exclude(pk=keep.pk))
    for member in members:
        member.organization = keep
    for model, rows, field in (
        (Quote, quotes, "speaker"),
        (Claim, claims, "claimant"),
        (Speaker, members, "organization"),
    ):
        if rows:
            bulk_update_with_history(rows, model, [field], default_user=acting_user)

    for field in ("description", "wikidata_id"):
        if not getattr(keep, field):
            setattr(keep, field, getattr(merge, field))
    if keep.organization_id is None and merge.organization_id not in (None, keep.pk):
        keep.organization_id = merge.organization_id
    if keep.organization_id == merge.pk:
        keep.organization = None

    names = [merge.name, *merge.aliases.values_list("name", flat=True)]
    merge._history_user = acting_user
    merge.delete()
    save(keep, acting_user)
    added = sum(add_speaker_alias(speaker=keep, name=name, acting_user=acting_user) is not None for name in names)
    return MergeResult(keep, len(quotes), len(claims), len(members), added)
