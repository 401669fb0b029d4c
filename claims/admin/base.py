"""What every admin page shares: the policy answers who may do what, the services make every write.

A ModelAdmin here decides no rule. Its has_*_permission methods ask
claims.policy.can() with the row; its forms collect what a person typed and
hand it to the model's record service (adding) or named edit (changing); its
inlines do the same row by row; deleting, actions and revert call the
services too. A service that refuses (ValidationError, PermissionDenied, a
row still in use) leaves nothing changed, and its reasons are shown on the
form, on the row, or as a message: never a 500.

How a refusal reaches the form: Django validates the form, then calls
save_model and save_related inside one transaction. When a service refuses
there, the view raises, the transaction rolls back, and the view runs again
on the same POST with the reasons remembered on the request; this time the
forms add them as errors, so Django shows the page as for any invalid form.
"""

import inspect

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet, construct_instance
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst, get_text_list
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.admin_site import ActionRefused
from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker, SpeakerAlias, Topic
from claims.policy import can
from claims.services.jobs import JobRefused, start_export
from claims.transfer import exports

# Each model's record service: what adding a row in the admin calls (the named edits are services.EDITS).
RECORDS = {
    Outlet: services.record_outlet,
    Article: services.record_article,
    Speaker: services.record_speaker,
    SpeakerAlias: services.add_speaker_alias,
    Quote: services.record_quote,
    Topic: services.record_topic,
    Claim: services.make_claim,
    Source: services.record_source,
    Evidence: services.attach_evidence,
    ClaimRelation: services.relate_claims,
}

# What a service may refuse with. Anything else is a bug, and a 500 says so.
REFUSALS = (ValidationError, PermissionDenied, models.ProtectedError, models.RestrictedError)

# Where the reasons of a refused save wait for the second pass over the same POST.
_REFUSALS_ON_REQUEST = "_admin_refusals"


def reasons(error: Exception) -> dict[str | None, list[str]]:
    """A refusal's messages by field name (None: not about one field)."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return {
                (None if name == NON_FIELD_ERRORS else name): list(ValidationError(errors).messages)
                for name, errors in error.error_dict.items()
            }
        return {None: list(error.messages)}
    if isinstance(error, (models.ProtectedError, models.RestrictedError)):
        rows = list(error.protected_objects if isinstance(error, models.ProtectedError) else error.restricted_objects)
        named = get_text_list([f"{row._meta.verbose_name} “{row}”" for row in rows[:5]], "and")
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        return {None: [f"It is still used by {named}{more}: change or remove those first."]}
    return {None: [str(error) or "You may not do this."]}


def explain(error: Exception) -> str:
    """A refusal as one sentence for a message."""
    return " ".join(
        f"{capfirst(name.replace('_', ' '))}: {message}" if name else message
        for name, found in reasons(error).items()
        for message in found
    )


class Refused(Exception):
    """A service refused part of a save: reasons by form prefix ("" for the main form), then by field."""

    def __init__(self, errors: dict[str, dict[str | None, list[str]]]):
        super().__init__(errors)
        self.errors = errors

    def __str__(self):
        return " ".join(
            message for by_field in self.errors.values() for found in by_field.values() for message in found
        )


def adopt(obj: models.Model, record: models.Model) -> None:
    """Make the admin's unsaved instance stand for the row a service saved (pk, values, database)."""
    for field in record._meta.concrete_fields:
        setattr(obj, field.attname, getattr(record, field.attname))
    obj._state.adding = False
    obj._state.db = record._state.db


def service_arguments(service, values: dict, renamed: dict[str, str]) -> dict:
    """The values a service takes, by its keyword names (`renamed` maps a form's name to the service's)."""
    accepted = {
        name
        for name, parameter in inspect.signature(service).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name != "acting_user"
    }
    arguments = {renamed.get(name, name): value for name, value in values.items()}
    return {name: value for name, value in arguments.items() if name in accepted}


def selected(queryset: models.QuerySet) -> models.QuerySet:
    """The rows an action was given, without what the list added to show them (counts, joins, order)."""
    return queryset.model._default_manager.filter(pk__in=queryset.values("pk"))


def attachment(export: str) -> HttpResponse:
    """An empty download of the export format, named `stem-<UTC time>.extension`, for the export to write into."""
    response = HttpResponse(content_type=exports.FORMATS[export].content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(export)}"'
    return response


def site_url(request) -> str:
    """This site's address, which makes an export's links absolute."""
    return request.build_absolute_uri("/").rstrip("/")


def count_of(model: type[models.Model], field: str) -> Coalesce:
    """A correlated COUNT of `model` rows whose `field` is the outer row: per row of a page, not a join over all."""
    rows = model._default_manager.filter(**{field: models.OuterRef("pk")}).order_by()
    counted = rows.annotate(n=models.Func(models.F("pk"), function="COUNT")).values("n")[:1]
    return Coalesce(models.Subquery(counted), 0)


# --- forms ----------------------------------------------------------------------------


class ServiceForm(forms.ModelForm):
    """A form that collects values for a service and leaves validating the row to it.

    The services full_clean() what they save; validating the instance here as
    well would refuse what they accept (a quote typed with other quote marks,
    new words for a quote they re-anchor) and say it twice. The reasons a
    service gave on the first pass are added as errors on the second
    (`refusals`, set per request by the admin).
    """

    refusals: dict[str, dict[str | None, list[str]]] = {}
    # Form field name by service field name, where they differ (a relation's "other" is its to_claim).
    form_names: dict[str, str] = {}
    # Fields an existing row cannot change through its named edit (an inline row's source): shown disabled.
    fixed_once_saved: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in self.fixed_once_saved & set(self.fields):
                self.fields[name].disabled = True

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("DELETE"):
            for name, found in self.refusals.get(self.prefix or "", {}).items():
                self.add_refusal(self.form_names.get(name, name) if name else None, found)
        return cleaned_data

    def add_refusal(self, name: str | None, found: list[str]) -> None:
        if name in self.fields and not self.fields[name].disabled:
            self.add_error(name, found)
            return
        label = self.label_for(name)
        self.add_error(None, [f"{label}: {message}" if label else message for message in found])

    def label_for(self, name: str | None) -> str:
        if name is None:
            return ""
        if name in self.fields and self.fields[name].label:
            return str(self.fields[name].label)
        try:
            return capfirst(self._meta.model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return capfirst(name.replace("_", " "))

    def _post_clean(self):
        # Django's ModelForm builds the instance, then validates it; the services validate.
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as error:
            self._update_errors(error)


def with_refusals(form_class: type[ServiceForm], request, **attributes) -> type[ServiceForm]:
    """The form class for this request: it shows what the services refused on the first pass."""
    refusals = getattr(request, _REFUSALS_ON_REQUEST, {})
    return type(form_class.__name__, (form_class,), {"refusals": refusals, **attributes})


class ServiceInlineFormSet(BaseInlineFormSet):
    """Rows of an inline; a refused deletion is an error of the whole formset (Django ignores a deleted row's)."""

    inline = None  # the InlineModelAdmin, set by PolicyInline.get_formset

    def clean(self):
        super().clean()
        problems = [
            f"{form.instance}: {message}"
            for form in self.forms
            if self.can_delete and self._should_delete_form(form)
            for found in self.form.refusals.get(form.prefix, {}).values()
            for message in found
        ]
        if problems:
            raise ValidationError(problems)


# --- change lists ---------------------------------------------------------------------


class TolerantChangeList(ChangeList):
    """A list reached by a mangled link (?said_on__year=99999999999) is Django's ?e=1 page, never a 500.

    Django turns most bad filter values into IncorrectLookupParameters; dates
    beyond the calendar raise OverflowError or ValueError while it builds the
    date hierarchy's bounds, or while the query is compiled, and a NUL
    character reaches the database.
    """

    def get_filters(self, request):
        if any("\x00" in key or "\x00" in value for key, values in self.filter_params.items() for value in values):
            raise IncorrectLookupParameters("A filter value holds a NUL character.")
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


# --- model admins ---------------------------------------------------------------------


class PolicyAdmin(admin.ModelAdmin):
    """A model's admin whose permissions are the policy's and whose writes are the services'."""

    form = ServiceForm
    # Never typed: made by the services (slugs), or by who acted and when.
    always_readonly: tuple[str, ...] = ("slug", "created_by", "created_at", "modified_at")
    # Form field name -> the record service's keyword, where they differ.
    service_names: dict[str, str] = {}
    # The spreadsheet format (claims.transfer.exports.FORMATS) of the export_csv action, on lists that offer it.
    csv_export = ""

    # --- permissions: the policy, asked with the row ---

    def has_view_permission(self, request, obj=None):
        target = self.model if obj is None else obj
        return can(request.user, "view", target) or can(request.user, "change", target)

    def has_add_permission(self, request):
        return can(request.user, "add", self.model)

    def has_change_permission(self, request, obj=None):
        return can(request.user, "change", self.model if obj is None else obj)

    def has_delete_permission(self, request, obj=None):
        return can(request.user, "delete", self.model if obj is None else obj)

    def has_export_permission(self, request):
        return can(request.user, "export")

    # --- exporting the selection ---

    @admin.action(description="Export the selected %(verbose_name_plural)s as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        rows = selected(queryset)
        return self.export(request, self.csv_export, rows, rows.count())

    def export(self, request, export: str, rows: models.QuerySet, count: int) -> HttpResponse:
        """`count` rows as the file itself, up to EXPORT_IN_REQUEST_ROWS; more, as a job whose page offers it."""
        if exports.in_request(count):
            response = attachment(export)
            exports.write_export(export, response, acting_user=request.user, base_url=site_url(request), rows=rows)
            return response
        try:
            job = start_export(export=export, rows=rows, acting_user=request.user, base_url=site_url(request))
        except (JobRefused, PermissionDenied) as refused:
            self.message_user(request, f"Nothing was exported: {refused}", messages.ERROR)
            return None
        label = exports.FORMATS[export].label
        self.message_user(
            request, f"{count:,} {label} are being written as job {job.pk}; this page follows it.", messages.SUCCESS
        )
        return redirect("admin:claims_job_change", job.pk)

    # --- what the forms offer ---

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # What str() and the list columns read, for the list, autocomplete and the change page alike.
        return queryset.select_related(*self.list_select_related) if self.list_select_related else queryset

    def get_changelist(self, request, **kwargs):
        return TolerantChangeList

    def edit_fields(self) -> frozenset[str]:
        """What the model's named edit takes (services.EDITS)."""
        return services.EDITS[self.model][1]

    def get_readonly_fields(self, request, obj=None):
        names = {field.name for field in self.model._meta.get_fields()}
        readonly = [name for name in (*self.always_readonly, *self.readonly_fields) if name in names]
        if obj is not None:
            # A saved row changes only through its named edit: the rest is shown, not offered.
            readonly += [
                field.name
                for field in self.model._meta.concrete_fields
                if field.editable
                and not field.primary_key
                and field.name not in self.edit_fields()
                and field.name not in readonly
                and field.name not in self.writable_fields(request, obj)
            ]
        return readonly

    def writable_fields(self, request, obj) -> tuple[str, ...]:
        """Fields outside the named edit that another service changes from this form (a claim's verdict)."""
        return ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return with_refusals(form_class, request, form_names={v: k for k, v in self.service_names.items()})

    # --- saving through the services ---

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            # Django's transaction around the save has rolled back; show the forms again with the reasons.
            if hasattr(request, _REFUSALS_ON_REQUEST):
                self.message_user(request, f"Nothing was saved: {refused}", messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            setattr(request, _REFUSALS_ON_REQUEST, refused.errors)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            record = self.update(request, form, obj) if change else self.create(request, form)
        except REFUSALS as error:
            raise Refused({"": reasons(error)}) from error
        adopt(obj, record)

    def create(self, request, form) -> models.Model:
        """A new row from the add form, through the model's record service."""
        service = RECORDS[self.model]
        return service(**service_arguments(service, form.cleaned_data, self.service_names), acting_user=request.user)

    def update(self, request, form, obj) -> models.Model:
        """The changed fields, through the model's named edit, on the row as stored (the form has changed `obj`)."""
        record = self.model._default_manager.get(pk=obj.pk)
        writable = self.writable_fields(request, record)
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name not in writable}
        if changes:
            record = services.edit(record, acting_user=request.user, **changes)
        return record

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): a claim's quotes and topics were set by make_claim or edit_claim.
        refused = {}
        for formset in formsets:
            try:
                self.save_formset(request, form, formset, change=change)
            except Refused as error:
                refused.update(error.errors)
        if refused:
            raise Refused(refused)

    def save_formset(self, request, form, formset, change):
        """Each inline row through a service: new rows added, changed ones edited, deleted ones deleted."""
        parent = self.model._default_manager.get(pk=form.instance.pk)
        refused = {}
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row_form in formset.initial_forms:
            deleting = formset.can_delete and formset._should_delete_form(row_form)
            # has_changed() is False where the inline is view-only for this user (Django's inline form says so).
            if not (deleting or row_form.has_changed()):
                continue
            # The row as stored: the form has already written its values onto row_form.instance.
            row = formset.model._default_manager.get(pk=row_form.instance.pk)
            try:
                if deleting:
                    services.delete_record(row, acting_user=request.user)
                    formset.deleted_objects.append(row)
                else:
                    changes = {name: row_form.cleaned_data[name] for name in row_form.changed_data}
                    row = services.edit(row, acting_user=request.user, **changes)
                    formset.changed_objects.append((row, row_form.changed_data))
            except REFUSALS as error:
                refused[row_form.prefix] = reasons(error)
        for row_form in formset.extra_forms:
            if not row_form.has_changed() or (formset.can_delete and formset._should_delete_form(row_form)):
                continue
            try:
                row = formset.inline.create(request, parent, row_form)
            except REFUSALS as error:
                refused[row_form.prefix] = reasons(error)
                continue
            if row is not None:
                adopt(row_form.instance, row)
                formset.new_objects.append(row)
        if refused:
            raise Refused(refused)

    # --- deleting through the services ---

    def delete_model(self, request, obj):
        try:
            services.delete_record(self.model._default_manager.get(pk=obj.pk), acting_user=request.user)
        except REFUSALS as error:
            raise ActionRefused(explain(error)) from error

    def delete_queryset(self, request, queryset):
        # The site's delete_selected runs this inside one transaction: a refusal keeps every row.
        for row in queryset:
            try:
                services.delete_record(row, acting_user=request.user)
            except REFUSALS as error:
                raise ActionRefused(f"{self.opts.verbose_name} “{row}”: {explain(error)}") from error

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ActionRefused as refused:
            self.message_user(request, f"Nothing was deleted: {refused}", messages.ERROR)
            return HttpResponseRedirect(self.change_url(unquote(object_id)))

    def change_url(self, pk) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[pk])


class HistoryAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """A PolicyAdmin with django-simple-history's History page, whose Revert goes through services.revert_record.

    The revert form shows the version; posting it restores the row's own
    editable fields through its named edit and nothing else: never a
    claim's status or verdict, so a revert cannot republish a claim an
    editor took back.
    """

    def live_row(self, obj):
        return None if obj is None else self.model._default_manager.filter(pk=obj.pk).first()

    def revert_disabled(self, request, obj=None):
        # Asked about the row as it is now: the version shown may have had another status or author.
        if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
            return True
        row = self.live_row(obj)
        return row is None or not can(request.user, "revert", row)

    def history_view(self, request, object_id, extra_context=None):
        # Every id here is a number; simple_history would look up "abc" and fail with a 500.
        if not unquote(object_id).isdigit():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (unquote(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        record = self.get_object(request, unquote(object_id))
        version = self.model.history.filter(id=unquote(object_id), history_id=version_id).first()
        if record is None or version is None:
            raise Http404
        if self.revert_disabled(request, record):
            raise PermissionDenied
        try:
            with transaction.atomic():
                record = services.revert_record(record, version=version, acting_user=request.user)
                self.log_change(request, record, f"Reverted to the version of {self.when(version)}.")
        except REFUSALS as error:
            self.message_user(request, f"Nothing was reverted: {explain(error)}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        restored = [
            str(self.model._meta.get_field(name).verbose_name)
            for name in sorted(self.edit_fields())
            if name in {field.name for field in self.model._meta.concrete_fields}
        ]
        self.message_user(
            request,
            f"“{record}” has the {get_text_list(restored, 'and')} it had on {self.when(version)}; "
            "nothing else about it was changed.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self.change_url(record.pk))

    @staticmethod
    def when(version) -> str:
        return formats.date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")


# --- inlines --------------------------------------------------------------------------


class PolicyInline(admin.TabularInline):
    """Rows shown on their parent's page; the policy is asked about them, the services save them.

    Django asks about an inline's rows with the parent only. The question put
    to the policy is about a row of this inline hanging on that parent (what
    the rule would say of such a row the user recorded); each row saved is
    then asked about again, itself, by its service.
    """

    form = ServiceForm
    formset = ServiceInlineFormSet
    extra = 0
    fk_name: str  # the inline model's foreign key to the parent, named explicitly
    # Form field name -> the record service's keyword, where they differ (as PolicyAdmin.service_names).
    service_names: dict[str, str] = {}

    def candidate(self, obj):
        """An unsaved row of this inline hanging on `obj` (or on a parent not yet saved)."""
        return self.model(**{self.fk_name: obj if obj is not None else self.parent_model()})

    def has_view_permission(self, request, obj=None):
        target = self.model if obj is None else obj
        return can(request.user, "view", target)

    def has_add_permission(self, request, obj=None):
        return can(request.user, "add", self.candidate(obj))

    def has_change_permission(self, request, obj=None):
        return can(request.user, "change", self.candidate(obj))

    def has_delete_permission(self, request, obj=None):
        return can(request.user, "delete", self.candidate(obj))

    def get_formset(self, request, obj=None, **kwargs):
        editable = services.EDITS[self.model][1]
        form = with_refusals(
            self.form,
            request,
            fixed_once_saved=frozenset(self.fields or ()) - editable,
            form_names={v: k for k, v in self.service_names.items()},
        )
        formset = type(self.formset.__name__, (self.formset,), {"inline": self})
        return super().get_formset(request, obj, **{"form": form, "formset": formset, **kwargs})

    def create(self, request, parent, form) -> models.Model | None:
        """A new row on `parent`, through the inline model's record service."""
        service = RECORDS[self.model]
        values = {name: value for name, value in form.cleaned_data.items() if name not in ("id", "DELETE")}
        values[self.fk_name] = parent
        return service(**service_arguments(service, values, self.service_names), acting_user=request.user)
