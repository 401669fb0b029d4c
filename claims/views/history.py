"""The changes to one row: every version newest first, who made it, and field by field what changed.

For the newsroom only (a history holds internal notes and who did what). Any
kind of row whose changes are kept (claims.dashboard.recorded_histories) has
this page, deleted rows too: their history stays, though there is nothing left
to restore. Whoever the policy lets "revert" the row as it is now may restore
an earlier version; services.revert_record does it through the row's named
edit, and the restore is itself a new version. Never a claim's status or
verdict: those move only by rating and publishing.

Long texts are compared word by word, every piece escaped before it is marked
<del> or <ins>; foreign keys show what they point to, read in one query per
kind of row whatever the number of versions on the page.
"""

import difflib
import re
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst, get_text_list
from django.views.decorators.http import require_POST

from claims import services
from claims.dashboard import CHANGE_KINDS, recorded_histories
from claims.models import Claim
from claims.policy import can
from claims.views.base import REFUSALS, newsroom_only, page_of, refused_on

VERSIONS_PER_PAGE = 20
# A text this long (or any TextField) is compared word by word rather than shown whole twice.
LONG_TEXT = 120
# Words of unchanged text kept either side of a change in a word diff; longer runs are elided.
CONTEXT_WORDS = 12
# Texts with more words than this are too long to compare word by word in a page view.
MAX_DIFF_WORDS = 30_000
# What a first version shows of a long text.
FIRST_VERSION_CHARS = 400
# How dates and times read on the page (as its versions' own times do).
DAY, WHEN = "j F Y", "j F Y, H:i"
_TOKENS = re.compile(r"\s+|[^\s]+")


class RestoreForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


@dataclass
class FieldChange:
    label: str
    old: object = ""  # text, or SafeString markup built from escaped pieces
    new: object = ""
    diff: SafeString | None = None  # a long text's word diff, when both sides have one
    listed: bool = False  # old and new are <li> items (many-to-many: what was taken off, what was added)


@dataclass
class Version:
    record: models.Model  # the historical row
    kind: str  # added, changed or deleted
    changes: list[FieldChange] = field(default_factory=list)
    is_current: bool = False

    @property
    def pk(self) -> int:
        return self.record.history_id

    @property
    def who(self) -> str:
        user = self.record.history_user
        return (user.get_full_name() or user.get_username()) if user is not None else ""


@newsroom_only
def changes(request, model: str, pk: int):
    return _changes_page(request, model, pk, restore_form=None)


@newsroom_only
@require_POST
def restore(request, model: str, pk: int):
    model_class, historical = _recorded(model)
    record = model_class._default_manager.filter(pk=pk).first()
    if record is None:
        if not historical.objects.filter(id=pk).exists():
            raise Http404
        form = RestoreForm(request.POST)
        form.is_valid()
        form.add_error(None, f"This {model_class._meta.verbose_name} was deleted: there is no row left to restore.")
        return _changes_page(request, model, pk, restore_form=form, status=400)
    form = RestoreForm(request.POST)
    if form.is_valid():
        version = historical.objects.filter(id=pk, history_id=form.cleaned_data["version"]).first()
        if version is None:
            form.add_error("version", "That version is not one of this record's: reload the page and pick again.")
        else:
            try:
                restored = services.revert_record(record, version=version, acting_user=request.user)
            except REFUSALS as error:
                refused_on(form, error)
            else:
                messages.success(request, _restored_message(restored, version))
                return redirect("desk:changes", model=model, pk=pk)
    return _changes_page(request, model, pk, restore_form=form, status=400)


def _changes_page(request, model: str, pk: int, *, restore_form, status: int = 200):
    model_class, historical = _recorded(model)
    live = model_class._default_manager.filter(pk=pk).first()
    versions = historical.objects.filter(id=pk).select_related("history_user").order_by("-history_date", "-history_id")
    page = page_of(request, versions, per_page=VERSIONS_PER_PAGE)
    if live is None and not page.rows and not versions.exists():
        raise Http404
    rows = page.rows
    # The version before the page's oldest, to tell what that one changed (asked on every page, even the last,
    # so a page costs the same queries however many versions there are).
    before = versions.filter(_older_than(rows[-1])).first() if rows else None
    shown = _compare(model_class, historical, rows, before)
    if shown and page.number == 1:
        shown[0].is_current = live is not None
    latest = shown[0].record if shown and page.number == 1 else versions.first()
    context = {
        "model_name": model,
        "verbose_name": model_class._meta.verbose_name,
        "label": _record_label(live, latest),
        "live": live,
        "deleted": latest if live is None else None,
        "record_url": _record_url(model, live) if live is not None else "",
        "page": page,
        "versions": shown,
        "may_restore": live is not None and can(request.user, "revert", live),
        "restore_form": restore_form,
        "failed_version": _failed_version(restore_form, shown),
        "keeps": _what_restoring_keeps(model_class),
    }
    return render(request, "desk/history/changes.html", context, status=status)


def _recorded(model: str):
    recorded = recorded_histories().get(model)
    if recorded is None:
        raise Http404
    return recorded


def _older_than(version) -> models.Q:
    return models.Q(history_date__lt=version.history_date) | models.Q(
        history_date=version.history_date, history_id__lt=version.history_id
    )


def _failed_version(form, shown) -> int | None:
    """The version on this page a refused restore was about, so its reason is shown beside it (else above all)."""
    if form is None or not form.errors:
        return None
    wanted = str(form.data.get("version", ""))
    return next((version.pk for version in shown if str(version.pk) == wanted), None)


# --- what each version changed ---------------------------------------------------------------


def _compare(model_class, historical, rows: list, before) -> list[Version]:
    """Each version with its changes from the one before it (`before` for the page's oldest)."""
    chain = [*rows, before] if before is not None else list(rows)
    m2m = _m2m_fields(model_class)
    m2m_rows = _m2m_rows(historical, m2m, chain)
    pairs = []
    for index, version in enumerate(rows):
        previous = chain[index + 1] if index + 1 < len(chain) else None
        pairs.append((version, previous))
    raw = [_raw_changes(version, previous, m2m) for version, previous in pairs]
    raw = [
        changes + _m2m_changes(version, previous, m2m, m2m_rows)
        for (version, previous), changes in zip(pairs, raw, strict=True)
    ]
    labels = _labels(model_class, m2m, raw)
    return [
        Version(
            record=version,
            kind=CHANGE_KINDS.get(version.history_type, "changed"),
            changes=[_shown(model_class, name, old, new, labels) for name, old, new in changes],
        )
        for (version, _), changes in zip(pairs, raw, strict=True)
    ]


def _m2m_fields(model_class) -> list:
    historical = model_class.history.model
    return list(getattr(historical, "_history_m2m_fields", []))


def _raw_changes(version, previous, m2m) -> list[tuple[str, object, object]]:
    """(field, old, new) for each plain field that differs; for a first version, each field it set."""
    excluded = [m2m_field.name for m2m_field in m2m]
    if version.history_type == "-":
        return []
    if previous is None or version.history_type == "+":
        names = [
            tracked.name
            for tracked in version.tracked_fields
            if tracked.editable and tracked.name not in excluded and not tracked.primary_key
        ]
        return [
            (name, None, getattr(version, _attname(version, name)))
            for name in names
            if getattr(version, _attname(version, name)) not in (None, "")
        ]
    delta = version.diff_against(previous, excluded_fields=excluded)
    return [(change.field, change.old, change.new) for change in delta.changes]


def _attname(version, name: str) -> str:
    return version._meta.get_field(name).attname


def _m2m_rows(historical, m2m, chain) -> dict:
    """For each many-to-many field, each version's set of related ids: one query a field."""
    found = {}
    ids = [version.history_id for version in chain]
    for m2m_field in m2m:
        rows_model = getattr(historical, m2m_field.name).model
        target = m2m_field.m2m_reverse_field_name()
        by_version = {history_id: set() for history_id in ids}
        for history_id, related in rows_model.objects.filter(history_id__in=ids).values_list("history_id", target):
            by_version[history_id].add(related)
        found[m2m_field.name] = by_version
    return found


def _m2m_changes(version, previous, m2m, m2m_rows) -> list[tuple[str, object, object]]:
    if version.history_type == "-":
        return []
    changes = []
    for m2m_field in m2m:
        now = m2m_rows[m2m_field.name][version.history_id]
        then = m2m_rows[m2m_field.name][previous.history_id] if previous is not None else set()
        if now != then:
            changes.append((m2m_field.name, sorted(then - now), sorted(now - then)))
    return changes


def _labels(model_class, m2m, raw) -> dict:
    """What each related row referred to is called, by model and id: one query per kind of related row."""
    wanted: dict[type, set] = {}
    for changes in raw:
        for name, old, new in changes:
            related = _related_model(model_class, name)
            if related is None:
                continue
            values = [*old, *new] if isinstance(new, list) else [old, new]
            wanted.setdefault(related, set()).update(value for value in values if value is not None)
    labels = {}
    for related, ids in wanted.items():
        rows = related._default_manager.select_related().in_bulk(ids) if ids else {}
        labels[related] = {pk: _label_of(row) for pk, row in rows.items()}
    return labels


def _related_model(model_class, name: str):
    try:
        model_field = model_class._meta.get_field(name)
    except FieldDoesNotExist:  # a field the live model no longer has
        return None
    return model_field.related_model if model_field.is_relation else None


def _label_of(row) -> str:
    if hasattr(row, "get_username"):
        return row.get_full_name() or row.get_username()
    if row._meta.model_name == "quote":
        return f"“{row.text[:100]}”"
    return str(row)[:120]


def _shown(model_class, name: str, old, new, labels) -> FieldChange:
    try:
        model_field = model_class._meta.get_field(name)
    except FieldDoesNotExist:
        model_field = None
    label = capfirst(str(model_field.verbose_name)) if model_field is not None else name
    if model_field is not None and model_field.many_to_many:
        related = labels.get(model_field.related_model, {})
        what = model_field.related_model._meta
        return FieldChange(
            label=label,
            old=_named_list(old, related, what) if old else "",
            new=_named_list(new, related, what) if new else "",
            listed=True,
        )
    if model_field is not None and model_field.is_relation:
        related = labels.get(model_field.related_model, {})
        meta = model_field.related_model._meta
        return FieldChange(label=label, old=_related_label(old, related, meta), new=_related_label(new, related, meta))
    old_text, new_text = _value(model_field, old), _value(model_field, new)
    long = isinstance(model_field, models.TextField) or max(len(old_text), len(new_text)) > LONG_TEXT
    if long and old_text and new_text:
        return FieldChange(label=label, old=old_text, new=new_text, diff=word_diff(old_text, new_text))
    if long and not old_text:
        shown = new_text if len(new_text) <= FIRST_VERSION_CHARS else new_text[:FIRST_VERSION_CHARS] + "…"
        return FieldChange(label=label, old="", new=shown)
    return FieldChange(label=label, old=old_text, new=new_text)


def _named_list(ids, labels, meta) -> SafeString:
    return format_html_join(
        "", "<li>{}</li>", ((labels.get(pk, f"a deleted {meta.verbose_name} (#{pk})"),) for pk in ids)
    )


def _related_label(pk, labels, meta) -> str:
    if pk is None:
        return ""
    return labels.get(pk, f"a deleted {meta.verbose_name} (#{pk})")


def _value(model_field, value) -> str:
    if value is None or value == "":
        return ""
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, WHEN)
    if hasattr(value, "isoformat"):
        return formats.date_format(value, DAY)
    return str(value)


def word_diff(old: str, new: str) -> SafeString:
    """`old` turned into `new`, word by word: removed words in <del>, added ones in <ins>, long same runs elided.

    Every piece of text is escaped before it is wrapped, so the markup is only ours.
    """
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    if len(before) + len(after) > MAX_DIFF_WORDS:
        return format_html('<span class="muted">{}</span>', "Too long to compare word by word; both versions are kept.")
    pieces = []
    runs = _runs(before, after)
    for index, (same, removed, added) in enumerate(runs):
        if same is not None:
            pieces.append(_context(same, first=index == 0, last=index == len(runs) - 1))
            continue
        if removed:
            pieces.append(format_html("<del>{}</del>", "".join(removed)))
        if added:
            pieces.append(format_html("<ins>{}</ins>", "".join(added)))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece above came from format_html, which escapes)


def _runs(before: list[str], after: list[str]) -> list[tuple[list | None, list, list]]:
    """The diff as runs: (same tokens, None, None) or (None, removed, added), a change that is only split by
    spaces ("this year" for "in 2023") read as one."""
    runs = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append((before[i1:i2], None, None))
            continue
        removed, added = before[i1:i2], after[j1:j2]
        between = runs[-1][0] if runs and runs[-1][0] is not None else None
        if len(runs) >= 2 and between is not None and "".join(between).isspace() and runs[-2][0] is None:
            _, earlier_removed, earlier_added = runs[-2]
            runs[-2:] = [(None, earlier_removed + between + removed, earlier_added + between + added)]
        elif runs and runs[-1][0] is None:
            _, earlier_removed, earlier_added = runs[-1]
            runs[-1] = (None, earlier_removed + removed, earlier_added + added)
        else:
            runs.append((None, removed, added))
    return runs


def _context(tokens: list[str], *, first: bool, last: bool) -> SafeString:
    """Unchanged text between changes, cut to CONTEXT_WORDS words either side of them."""
    keep = CONTEXT_WORDS * 2  # words and the spaces between them
    if first and last:
        return format_html("{}", "".join(tokens))
    head = [] if first else tokens[:keep]
    tail = [] if last else tokens[-keep:]
    if len(tokens) <= len(head) + len(tail) + 2:
        return format_html("{}", "".join(tokens))
    elided = '<span class="diff__gap" title="unchanged text left out">…</span>'
    return format_html("{}" + elided + "{}", "".join(head), "".join(tail))


# --- the record and its restore -----------------------------------------------------------------


def _record_label(live, latest) -> str:
    """The row's name; a deleted row's as its last version had it (what it named may be gone too)."""
    if live is not None:
        return str(live)
    if latest is None:
        return ""
    try:
        return str(latest.instance)
    except ObjectDoesNotExist:
        return f"{latest.instance._meta.verbose_name} #{latest.id}"


def _record_url(model: str, live) -> str:
    """The record's own page on the desk, else its page in the admin."""
    desk = {
        "speaker": ("desk:speaker", [getattr(live, "slug", "")]),
        "claim": ("desk:claim", [live.pk]),
        "article": ("desk:article", [live.pk]),
    }
    try:
        if model == "quote":
            return reverse("desk:article", args=[live.article_id]) + f"#quote-{live.pk}"
        if model in desk:
            name, args = desk[model]
            return reverse(name, args=args)
    except NoReverseMatch:
        pass
    try:
        return reverse(f"admin:{live._meta.app_label}_{live._meta.model_name}_change", args=[live.pk])
    except NoReverseMatch:
        return ""


def _restored_fields(model_class) -> list[str]:
    """What restoring sets, as the admin's revert names it: the row's own fields its named edit takes."""
    concrete = {model_field.name for model_field in model_class._meta.concrete_fields}
    return [
        str(model_class._meta.get_field(name).verbose_name)
        for name in sorted(services.EDITS[model_class][1])
        if name in concrete
    ]


def _what_restoring_keeps(model_class) -> str:
    """What a restore leaves as it is now, in revert_record's words."""
    kept = [
        str(getattr(model_field, "verbose_name", None) or model_field.related_model._meta.verbose_name_plural)
        for model_field in model_class._meta.get_fields()
        if (model_field.many_to_many or model_field.one_to_many) and model_field.name in services.EDITS[model_class][1]
    ]
    said = "Restoring sets the " + get_text_list(_restored_fields(model_class), "and") + " as they were in that version"
    if kept:
        said += "; the " + get_text_list(kept, "and") + " stay as they are now"
    if model_class is Claim:
        said += ". A claim's status and verdict are never restored: they move only by rating and publishing"
    return said + ". The restore is kept as a new version."


def _restored_message(record, version) -> str:
    when = formats.date_format(timezone.localtime(version.history_date), WHEN)
    said = (
        f"“{record}” has the {get_text_list(_restored_fields(type(record)), 'and')} it had on {when}; "
        "nothing else about it was changed."
    )
    if isinstance(record, Claim):
        said += " Its status and verdict are never restored: they move only by rating and publishing."
    return said + " The restore is kept as a new version."
