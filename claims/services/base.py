"""What every service shares: saving one row with its author and history, named edits, the system account."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from claims.choices import Role
from claims.policy import SYSTEM_ACCOUNT, require

# Each failed try means another writer committed a slug of the same name meanwhile.
SLUG_TRIES = 50


def save(record: models.Model, acting_user, *, changed: Iterable[str] | None = None) -> models.Model:
    """Validate and save one row, recording the acting user as its author (when new) and in its history.

    An edit names the fields it `changed`: only they and what constraints tie to them are validated again.
    """
    if record._state.adding and hasattr(record, "created_by_id"):
        record.created_by = acting_user
    record._history_user = acting_user
    if record._state.adding and _has_slug(record):
        return _insert_with_free_slug(record)
    record.full_clean(exclude=None if changed is None else record.unchanged_fields(changed))
    record.save()
    return record


def _has_slug(record: models.Model) -> bool:
    return any(field.name == "slug" for field in record._meta.concrete_fields)


def _insert_with_free_slug(record: models.Model) -> models.Model:
    """Insert a new row whose slug a concurrent writer may have taken first; then take the next free one.

    unique_slug sees only committed rows, so twenty people recording the same
    name at once all pick the same slug; the database lets one in and the
    others try again here, instead of answering 409 to a request that was fine.
    """
    for _ in range(SLUG_TRIES):
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the caller's transaction usable
                record.full_clean()
                record.save()
            return record
        except (IntegrityError, ValidationError) as error:
            if not _slug_taken(record, error):
                raise
        # Slugs are made from the name (see unique_slug's callers).
        record.slug = unique_slug(type(record), record.name)
    raise ValidationError({"slug": f"No free slug for “{record.name}” after {SLUG_TRIES} tries; try again."})


def _slug_taken(record: models.Model, error: Exception) -> bool:
    """Whether `error` came from another row having this slug now, rather than from the input."""
    if isinstance(error, ValidationError) and set(error.message_dict) != {"slug"}:
        return False
    return type(record)._default_manager.filter(slug=record.slug).exists()


# Why a field is not among a named edit's own, where the reason is not just "not editable".
_ELSEWHERE = {
    "status": "Move a claim's status with its own action (submit for review, publish, unpublish).",
    "rating": "Give a verdict with the rating action.",
    "rating_summary": "Give a verdict with the rating action.",
    "reviewer": "The reviewer is whoever gives the verdict.",
    "published_at": "Set by publishing.",
    "assignee": "Assign or reassign a claim with its own action (assign_claim), which records when and by whom.",
    "assigned_at": "Set by assigning.",
    "slug": "The slug is made from the name when the row is recorded and stays, so links keep working.",
    "created_by": "Recorded automatically.",
    "created_at": "Recorded automatically.",
    "modified_at": "Recorded automatically.",
}


def check_fields(changes: dict, editable: frozenset[str], what: str) -> None:
    """A field error for every change a named edit does not take: never a 500, never silently ignored."""
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationError(
            {
                name: _ELSEWHERE.get(name, f"A {what} has no field “{name}” that can be changed here.")
                for name in unknown
            }
        )


def locked(record: models.Model) -> models.Model:
    """The row as stored now, locked until the edit commits.

    An edit applies its changes to this fresh copy, never to the caller's
    instance, which may be stale (a status changed meanwhile) and would
    write old values back; and a refused edit leaves the caller's copy as it was.
    """
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def assign(record: models.Model, changes: dict) -> None:
    for name, value in changes.items():
        setattr(record, name, value)


def edit_fields(record: models.Model, changes: dict, *, editable: frozenset[str], what: str, acting_user):
    """The plain named edit: only `editable` fields, on a fresh locked copy, if the policy allows."""
    check_fields(changes, editable, what)
    record = locked(record)
    require(acting_user, "change", record)
    assign(record, changes)
    return save(record, acting_user, changed=changes)


def unique_slug(model: type[models.Model], name: str, *, exclude_pk=None) -> str:
    """A slug from `name` that no other row of `model` has: "sergei-ryabkov", then "-2", "-3"."""
    return free_slugs(model, [name], exclude_pk=exclude_pk)[0]


def free_slugs(model: type[models.Model], names: list[str], *, exclude_pk=None) -> list[str]:
    """A slug for each name that no row has and no other name in `names` takes (for imports, many at once)."""
    # Room for a "-2" … "-999999999" after the name, within the slug field's length.
    room = model._meta.get_field("slug").max_length - 10
    bases = [slugify(name, allow_unicode=False)[:room] or model._meta.model_name for name in names]
    rows = model.objects.exclude(pk=exclude_pk)
    if len(bases) == 1:
        rows = rows.filter(slug__startswith=bases[0])
    taken = set(rows.values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def system_account():
    """The account imports, jobs and the demo loader act as: an editor that cannot sign in.

    Made by migration 0006; made again here when a test flushed it.
    """
    user, created = get_user_model().objects.get_or_create(username=SYSTEM_ACCOUNT, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        group, _ = Group.objects.get_or_create(name=Role.SYSTEM)
        user.groups.add(group)
    return user
