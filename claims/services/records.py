"""What every kind of row shares: its named edit, deletion, and reverting to an earlier version."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction

from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker, SpeakerAlias, Topic
from claims.policy import require
from claims.services import claims, evidence, outlets, quotes, speakers

# Each model's named edit and the fields it takes.
EDITS = {
    Outlet: (outlets.edit_outlet, outlets.OUTLET_FIELDS),
    Article: (outlets.edit_article, outlets.ARTICLE_FIELDS),
    Speaker: (speakers.edit_speaker, speakers.SPEAKER_FIELDS),
    SpeakerAlias: (speakers.edit_speaker_alias, speakers.ALIAS_FIELDS),
    Quote: (quotes.edit_quote, quotes.QUOTE_FIELDS),
    Claim: (claims.edit_claim, claims.CLAIM_FIELDS),
    Topic: (claims.edit_topic, claims.TOPIC_FIELDS),
    Source: (evidence.edit_source, evidence.SOURCE_FIELDS),
    Evidence: (evidence.edit_evidence, evidence.EVIDENCE_FIELDS),
    ClaimRelation: (evidence.edit_relation, evidence.RELATION_FIELDS),
}


def edit(record: models.Model, /, *, acting_user, **changes) -> models.Model:
    """The named edit for this kind of row."""
    edit_service, _ = EDITS[type(record)]
    return edit_service(record, acting_user=acting_user, **changes)


@transaction.atomic
def delete_record(record: models.Model, /, *, acting_user) -> None:
    """Delete one row; the history keeps what it was and who removed it."""
    require(acting_user, "delete", record)
    record._history_user = acting_user
    record.delete()


@transaction.atomic
def revert_record(record: models.Model, /, *, version, acting_user) -> models.Model:
    """Restore a row's own fields as they were in `version` (one of its history rows), through its named edit.

    A claim's status and verdict are not restored: they move only by rating
    and publishing, so a revert never republishes a claim an editor took back.
    Aliases, quotes and topics stay as they are now.
    """
    require(acting_user, "revert", record)
    if version.instance_type is not type(record) or getattr(version, "id", None) != record.pk:
        raise ValidationError("That version belongs to another record.")
    edit_service, fields = EDITS[type(record)]
    changes = {}
    for name in fields:
        field = _concrete(type(record), name)
        if field is None:
            continue
        changes[name] = getattr(version, field.attname)
        if field.is_relation:
            changes[name] = field.related_model.objects.filter(pk=changes[name]).first()
    if isinstance(record, Quote):
        changes["anchored"] = changes["start"] is not None
    return edit_service(record, acting_user=acting_user, **changes)


def _concrete(model, name):
    """The column behind an edit's field, or None for those that are not one ("anchored", "aliases", quotes)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return None if field.many_to_many or field.auto_created else field
