"""What every domain model shares: text hygiene, who created a row, web addresses, visibility."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models

from claims.hygiene import check_text

# Only web addresses: a fact-check must link to something a reader can open.
http_url = URLValidator(schemes=["http", "https"], message="Enter a web address starting with http:// or https://.")
wikidata_id = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q42.")
country_code = RegexValidator(r"^[A-Z]{2}$", "Use the two-letter ISO 3166 country code, e.g. GB.")
language_tag = RegexValidator(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "Use a language tag such as en or pt-BR.")

# Who may see unpublished rows is the policy's answer (claims.policy).
SEE_UNPUBLISHED = "claims.see_unpublished"


class WebURLField(models.URLField):
    """A URLField that accepts only http and https."""

    default_validators = [http_url]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # A typed "example.org/x" becomes https://, as browsers do.
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class DomainModel(models.Model):
    """Every text field refuses what could spoof a reader (claims.hygiene)."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)) or field.name in (exclude or ()):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str) and field.name not in errors:
                try:
                    check_text(value)
                except ValidationError as error:
                    errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def unchanged_fields(self, changed: Iterable[str]) -> set[str]:
        """What an edit of `changed` leaves out of validation: the fields it does not change and that no constraint
        ties to one it does. They were valid as stored, and checking them again costs a query each (a foreign key's
        row, a check constraint in a savepoint) on every edit; a ModelForm leaves out the fields it does not show
        the same way. A constraint is checked whole or not at all, so its other fields are checked with it."""
        changed = set(changed)
        checked = set(changed)
        for constraint in self._meta.constraints:
            tied = set(getattr(constraint, "fields", ()))
            for expression in (*getattr(constraint, "expressions", ()), getattr(constraint, "condition", None)):
                if expression is not None:
                    # Django's own walk of an expression's field references, as its constraint validation uses.
                    tied |= {reference[0] for reference in self._get_expr_references(expression)}
            if tied & changed:
                checked |= tied
        return {field.name for field in self._meta.concrete_fields} - checked


class EditorialRecord(DomainModel):
    """Who created a row and when; the full change log is in each model's history.

    Each editorial model also says, in dependent_claims(), which claims show it
    to readers: claims.policy lets a reporter change a row only while every one
    of them is the reporter's own draft.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def domain_model(name: str) -> type[models.Model]:
    """A model of this app by name, for querysets that read another topic's table."""
    from django.apps import apps

    return apps.get_model("claims", name)


class VisibleQuerySet(models.QuerySet):
    """Each subclass says in public() what the public may see; the newsroom sees all."""

    def visible_to(self, user):
        return self if sees_unpublished(user) else self.public()


def sees_unpublished(user) -> bool:
    """Drafts and internal notes are for the newsroom; the policy says who that is."""
    return bool(user is not None and user.has_perm(SEE_UNPUBLISHED))
