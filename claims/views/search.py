"""The search page: one box over quotes, claims and speakers, with the lists' filters.

The same search as the API's /api/v1/search/ (reads.search_newsroom) under the
same parameter names: `q`, `type` (quote, claim, speaker, comma-separated) and
the quote and claim FilterSets' own filters (claims.filters), each validated by
the FilterSet's own form field, so a URL means the same on the desk and in the
API and a bad value reads the same message beside its filter. A quote filter
narrows the quotes and a claim filter the claims; speakers are found by name.

Open to everyone over what they may read: the public finds published work, the
newsroom its drafts too, labelled with their status. Typing searches as you go
(htmx asks for the results region alone); without JavaScript the form is a GET.
"""

import copy
import re

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims import reads
from claims.models import Outlet, Speaker
from claims.policy import can
from claims.search import MAX_QUERY_CHARS
from claims.views.base import refused_on

# Hits shown for one search: the best ones; narrowing finds the rest.
HITS = 40
KIND_CHOICES = [("", "Everything"), ("quote", "Quotes"), ("claim", "Claims"), ("speaker", "Speakers")]
# The filters the page offers, by the kind they narrow, with how the page names them.
SHOWN_FILTERS = {
    "quote": {
        "speaker": "Said by",
        "outlet": "Printed by",
        "kind": "Kind of quote",
        "said_on_after": "Said on or after",
        "said_on_before": "Said on or before",
    },
    "claim": {
        "status": "Status",
        "rating": "Verdict",
        "claimant": "Claimed by",
        "made_on_after": "Made on or after",
        "made_on_before": "Made on or before",
    },
}
# The filters whose value is a speaker, picked by name (desk/_picker.html posts the id and `<name>_q`).
SPEAKER_FILTERS = ("speaker", "claimant")
# Filters only the newsroom has a use for: the public sees published claims alone.
NEWSROOM_FILTERS = ("status",)
_MARKS = re.compile(r"</?mark>")


class SearchForm(forms.Form):
    """`q` and `type` as the API takes them, and every quote and claim filter as its FilterSet validates it."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY_CHARS,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": f"Give between 1 and {MAX_QUERY_CHARS} characters to search for."},
    )
    type = forms.CharField(label="Look in", required=False)

    def __init__(self, *args, user, outlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.user = user
        kinds = [value for value, _ in KIND_CHOICES]
        given = self.data.get("type", "")
        self.fields["type"].widget = forms.Select(
            choices=KIND_CHOICES + ([(given, given)] if given not in kinds else [])
        )
        for kind, filterset in reads.SEARCH_FILTERS.items():
            for name, declared in filterset.base_filters.items():
                # A copy: the FilterSet's field is its class's, shared by every request.
                field = copy.deepcopy(declared.field)
                field.required = False
                field.kind = kind
                field.label = SHOWN_FILTERS[kind].get(name, field.label)
                if name in SHOWN_FILTERS[kind]:
                    field.help_text = ""
                if isinstance(field, forms.DateField):
                    field.widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
                elif isinstance(field, forms.ChoiceField):
                    field.choices = [choice for choice in field.choices if choice[0] != ""]
                    field.empty_label = "Any"
                self.fields[name] = field
        outlet_field = self.fields["outlet"]
        given_outlet = self.data.get("outlet", "")
        choices = [("", "Any outlet"), *outlets]
        if given_outlet and given_outlet not in {slug for slug, _ in outlets}:
            choices.append((given_outlet, f"{given_outlet} (no such outlet)"))
        outlet_field.widget = forms.Select(choices=choices)

    def clean_type(self):
        given = self.cleaned_data["type"]
        kinds = [kind.strip() for kind in given.split(",") if kind.strip()]
        if given and (not kinds or set(kinds) - set(reads.SEARCH_KINDS)):
            raise ValidationError(f"Use any of {', '.join(reads.SEARCH_KINDS)}, comma-separated.")
        return kinds or list(reads.SEARCH_KINDS)

    def filters_of(self, kind: str) -> list:
        """The bound fields the page shows for one kind, in the page's order."""
        shown = [name for name in SHOWN_FILTERS[kind] if name not in NEWSROOM_FILTERS or self.newsroom]
        return [self[name] for name in shown]

    def other_filters(self) -> list:
        """Filters given in the URL (the API's) that the page does not offer as controls: kept, and named."""
        offered = {name for names in SHOWN_FILTERS.values() for name in names}
        return [
            self[name]
            for name in self.fields
            if name not in offered and name not in ("q", "type") and self.data.get(name) not in (None, "")
        ]

    @property
    def newsroom(self) -> bool:
        return can(self.user, "see_unpublished")


def search(request):
    user = request.user
    outlets = list(Outlet.objects.order_by("name", "id").values_list("slug", "name"))
    form = SearchForm(request.GET or None, user=user, outlets=outlets)
    hits, searched, pickers = None, False, {}
    if form.is_bound and form.is_valid():
        pickers = _picked_speakers(request, form)
        q = form.cleaned_data["q"]
        if q and form.is_valid():
            searched = True
            params = {name: value for name, value in request.GET.items() if name in reads.search_filter_names()}
            params.update({name: str(picked.pk) for name, picked in pickers.items() if picked is not None})
            try:
                hits = reads.search_newsroom(
                    user, q, kinds=dict.fromkeys(form.cleaned_data["type"]), limit=HITS, params=params
                )
            except ValidationError as error:
                refused_on(form, error)
                hits = None
    elif form.is_bound:
        pickers = _shown_speakers(request, form)
    context = {
        "form": form,
        "searched": searched,
        "hits": [_shown(hit, user) for hit in hits] if hits is not None else None,
        "limit": HITS,
        "filter_groups": _filter_groups(form, _picker_fields(request, form, pickers)),
        "newsroom": form.newsroom,
    }
    template = "desk/search/search.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#region"
    response = render(request, template, context, status=400 if form.errors else 200)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _picked_speakers(request, form) -> dict:
    """Each speaker filter's speaker: by the id the picker chose, else by the name typed (without JavaScript).

    A name typed but not found, or found more than once, is an error beside its filter.
    """
    found = {}
    for name in SPEAKER_FILTERS:
        chosen, typed = form.cleaned_data.get(name), request.GET.get(f"{name}_q", "").strip()
        visible = Speaker.objects.visible_to(form.user)
        picked = visible.filter(pk=chosen).first() if chosen else None
        # A picked speaker shows their name; another name typed since is what the field says now.
        if picked is not None and (not typed or typed == picked.name):
            found[name] = picked
        elif chosen and not typed:
            found[name] = None
        elif typed:
            named = list(visible.named(typed).order_by("name", "id")[:2])
            if len(named) == 1:
                found[name] = named[0]
            elif named:
                form.add_error(name, f"More than one speaker is called “{typed}”: pick one from the suggestions.")
            else:
                form.add_error(name, f"No speaker on record is called “{typed}”: type their full name or an alias.")
    return found


def _shown_speakers(request, form) -> dict:
    """On a form with errors, the speakers whose ids are valid, so their names are shown again."""
    found = {}
    for name in SPEAKER_FILTERS:
        value = form.data.get(name, "")
        if value.isascii() and value.isdigit() and name not in form.errors:
            found[name] = Speaker.objects.visible_to(form.user).filter(pk=value).first()
    return found


def _picker_fields(request, form, pickers) -> dict:
    """What each speaker filter's field shows: the chosen id, the name typed or found, its errors."""
    fields = {}
    for name in SPEAKER_FILTERS:
        picked = pickers.get(name)
        typed = request.GET.get(f"{name}_q", "").strip()
        fields[name] = {
            "name": name,
            "label": form.fields[name].label,
            "value": picked.pk if picked is not None else form.data.get(name, "") if name in form.errors else "",
            "shown": typed or (picked.name if picked is not None else ""),
            "errors": form.errors.get(name, []),
        }
    return fields


def _filter_groups(form, pickers) -> list[dict]:
    """The filters by the kind they narrow, each group open while that kind is searched."""
    searched = form.cleaned_data.get("type", reads.SEARCH_KINDS) if form.is_bound and form.is_valid() else None
    if searched is None:
        given = [kind.strip() for kind in form.data.get("type", "").split(",") if kind.strip()]
        searched = given or reads.SEARCH_KINDS
    return [
        {
            "kind": kind,
            "title": title,
            "searched": kind in searched,
            "entries": [{"field": field, "picker": pickers.get(field.name)} for field in form.filters_of(kind)],
        }
        for kind, title in (("quote", "Quotes"), ("claim", "Claims"))
    ]


def _shown(hit, user) -> dict:
    """A hit as the page shows it: its kind, its row, its snippet as markup, and where it leads."""
    return {"kind": hit.kind, "record": hit.record, "snippet": safe_snippet(hit.snippet), "url": _url(hit, user)}


def safe_snippet(snippet: str) -> SafeString:
    """claims.search's snippet is the text HTML-escaped with <mark> around what matched; nothing else is markup.

    Checked rather than trusted: a snippet holding any other tag is escaped whole (its marks shown as text).
    """
    if re.search(r"[<>]", _MARKS.sub("", snippet)):
        return escape(snippet)
    return mark_safe(snippet)  # noqa: S308 (escaped by claims.search, and checked above to hold only <mark>)


def _url(hit, user) -> str:
    record = hit.record
    if hit.kind == "speaker":
        return reverse("desk:speaker", args=[record.slug])
    if hit.kind == "claim":
        return _desk_url("desk:claim", record.pk)
    # A quote: where it sits in its article for the newsroom; the article itself, where it was published, for others.
    if can(user, "use_newsroom_tools"):
        article = _desk_url("desk:article", record.article_id)
        if article:
            return f"{article}#quote-{record.pk}"
    return record.article.url


def _desk_url(name: str, pk: int) -> str:
    """The desk page of a row, or "" while that page does not exist."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""
