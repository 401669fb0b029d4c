"""Intake: paste an article, see what the extractor found in it, fix that, and record it with the quotes accepted.

An article can also be fetched by its address: that is a background job
(claims.fetching, through claims.services.jobs), and the job's page leads back
here (?job=N) with the page's text as the paste and its details filled in.

One page, three steps, all at desk:intake. The paste (text, page furniture and
all, or a page's HTML) is extracted on each post and never stored: the body
recorded is the extractor's clean body, which every candidate's offsets point
into. The form keeps the paste, and each post runs the extraction again; a
save whose candidates are not those shown (claims.extraction.revision) saves
nothing and shows them again. Saving records the outlet, the credited agency,
the article, the accepted quotes and the dismissals in one transaction
(services.record_article_from_extraction): a refusal anywhere saves nothing,
and each reason is shown beside its field or candidate.
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from claims import services
from claims.choices import JobKind, JobState, OutletKind
from claims.extraction import ALL, SPEECH_ONLY, Extraction, ExtractionInputError, extract_article, tagger
from claims.extraction.pipeline import looks_like_html
from claims.extraction.revision import revision_of
from claims.models import Article, Outlet
from claims.services.jobs import start_job
from claims.views.articles import (
    CandidateForm,
    DeskForm,
    candidate_cues,
    candidate_highlight,
    highlighted_body,
    refuse_candidate,
)
from claims.views.base import REFUSALS, newsroom_only, refused_on
from claims.views.jobs import visible_job

TEMPLATE = "desk/articles/intake.html"
READ_AS = [("auto", "Tell by itself"), ("text", "Text"), ("html", "HTML")]
DECISIONS = [("later", "Decide later"), ("accept", "Accept"), ("dismiss", "Dismiss")]
# Outlets offered as the outlet and agency fields are typed (a <datalist>); any other name is recorded anew.
OUTLETS_OFFERED = 500
# The fields one candidate posts; with the page's own, the candidates given a form keep a save under
# DATA_UPLOAD_MAX_NUMBER_FIELDS. Any more are recorded undecided, to be decided on the article's page.
FIELDS_A_CANDIDATE = len(CandidateForm.base_fields) + 1
PAGE_FIELDS = 40


def _datetime_input():
    return forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class PasteForm(DeskForm):
    text = forms.CharField(
        strip=False,
        label="The article",
        widget=forms.Textarea(attrs={"class": "paste", "rows": 18, "spellcheck": "false"}),
        help_text="Paste the page as it comes, headline, credits and the links around it too, or the page's HTML. "
        "The extractor keeps the article's own text.",
    )
    read_as = forms.ChoiceField(choices=READ_AS, initial="auto", required=False, label="Read the paste as")
    every_attribution = forms.BooleanField(
        required=False,
        label="Show every attribution, not only quotes",
        help_text="Beliefs, plans, findings and actions too, each labelled with what it is.",
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        limit = settings.DESK_MAX_PASTE_CHARACTERS
        if len(text) > limit:
            raise ValidationError(
                f"This paste is {len(text):,} characters long; the desk takes up to {limit:,}. Paste a single "
                "article (its text, or its page's HTML), not a whole page archive."
            )
        if not text.strip():
            raise ValidationError("Paste the article's text or its page's HTML.")
        return text

    @property
    def mode(self) -> str:
        return ALL if self.cleaned_data.get("every_attribution") else SPEECH_ONLY

    @property
    def kind(self) -> str:
        chosen = self.cleaned_data.get("read_as") or "auto"
        if chosen == "auto":
            return "html" if looks_like_html(self.cleaned_data["text"]) else "text"
        return chosen

    def extract(self) -> Extraction:
        given = {self.kind: self.cleaned_data["text"]}
        return extract_article(**given, tagger=tagger.configured(), attributions=self.mode)


class MetadataForm(DeskForm):
    url = forms.URLField(
        max_length=2000,
        assume_scheme="https",
        label="Address (URL)",
        help_text="The article's own address, needed to save it: the desk keeps one article per address.",
    )
    headline = forms.CharField(max_length=500, label="Headline")
    outlet = forms.CharField(
        max_length=200,
        label="Outlet",
        help_text="Who published it. A name not on record is recorded as a new outlet.",
        widget=forms.TextInput(attrs={"list": "outlet-names", "autocomplete": "off"}),
    )
    outlet_kind = forms.ChoiceField(choices=OutletKind.choices, initial=OutletKind.OTHER, label="A new outlet is a")
    credited_to = forms.CharField(
        required=False,
        max_length=200,
        label="Credited agency",
        help_text="The wire agency the piece is credited to, if not the outlet's own (Reuters, AP).",
        widget=forms.TextInput(attrs={"list": "outlet-names", "autocomplete": "off"}),
    )
    byline = forms.CharField(required=False, max_length=300, label="Byline")
    language = forms.CharField(max_length=20, initial="en", label="Language", help_text="A tag such as en or pt-BR.")
    published_at = forms.DateTimeField(required=False, label="Published", widget=_datetime_input())
    updated_at = forms.DateTimeField(required=False, label="Updated", widget=_datetime_input())


class FetchForm(DeskForm):
    url = forms.URLField(
        max_length=2000,
        assume_scheme="https",
        label="Address (URL)",
        help_text="A public http or https page; it is fetched in the background, and you are shown how it goes.",
    )


class IntakeCandidateForm(CandidateForm):
    decision = forms.ChoiceField(choices=DECISIONS, initial="later", widget=forms.RadioSelect, label="Decision")

    field_order = ["decision"]


def _revision(extraction: Extraction) -> str:
    """What the editor is shown: the candidates (as the API fingerprints them) and the body they point into."""
    body = hashlib.sha256(extraction.body.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{revision_of([c.to_dict() for c in extraction.candidates])}-{body}"


def _most_candidates() -> int | None:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return None if limit is None else max(0, (limit - PAGE_FIELDS) // FIELDS_A_CANDIDATE)


@newsroom_only
def intake(request):
    if request.method != "POST":
        if "job" in request.GET:
            return _fetched(request)
        return _render(request, PasteForm())
    action = request.POST.get("action") or "preview"
    if action == "fetch":
        return _fetch(request)
    paste = PasteForm(request.POST)
    if not paste.is_valid():
        return _render(request, paste, status=400)
    try:
        extraction = paste.extract()
    except ExtractionInputError as error:
        paste.add_error("text", str(error))
        return _render(request, paste, status=400)
    revision = _revision(extraction)
    seen = request.POST.get("revision", "")
    if action == "preview" or seen != revision:
        notice = ""
        if action != "preview":
            notice = (
                "Nothing was saved: the pasted text (or the extractor) changed since these candidates were shown. "
                "Here they are as the text reads now; check them and save again."
            )
        return _preview(request, paste, extraction, revision, kept=seen == revision, notice=notice)
    return _save(request, paste, extraction, revision, accept_all=action == "accept_all")


def _fetch(request):
    """Queue fetching the article at the address given, and show its job."""
    fetch = FetchForm(request.POST)
    if not fetch.is_valid():
        return _render(request, PasteForm(), fetch=fetch, status=400)
    job = start_job(kind=JobKind.FETCH_ARTICLE, acting_user=request.user, params={"url": fetch.cleaned_data["url"]})
    return redirect("desk:job", job.pk)


def _fetched(request):
    """A fetched article, as if its text had been pasted with its address and details: the candidates to decide."""
    try:
        job = visible_job(request, int(request.GET["job"]))
    except ValueError:
        raise Http404("No such job.") from None
    if job.kind != JobKind.FETCH_ARTICLE or job.state != JobState.SUCCEEDED:
        return redirect("desk:job", job.pk)
    page = job.result
    paste = PasteForm({"text": page["text"], "read_as": "text"})
    if not paste.is_valid():
        return _render(request, paste, status=400)
    try:
        extraction = paste.extract()
    except ExtractionInputError as error:
        paste.add_error("text", str(error))
        return _render(request, paste, status=400)
    given = QueryDict(mutable=True)
    given.update({name: page[name] for name in ("url", "headline", "outlet", "byline", "language") if page[name]})
    return _preview(request, paste, extraction, _revision(extraction), kept=False, given=given)


def _preview(request, paste, extraction, revision, *, kept: bool, notice: str = "", given: QueryDict | None = None):
    """The extraction shown: what the editor typed is kept as typed, with nothing marked as an error yet.

    `given` is what was posted (a fetched page's address and details, when it was fetched).
    """
    given = request.POST if given is None else given
    seen = bool(given.get("revision"))
    metadata_initial = _metadata_initial(paste, extraction)
    # Details given with the paste, or found on a fetched page, over what the extractor made of the text.
    details = ("url", "headline", "outlet", "byline", "language")
    metadata_initial.update({name: given[name] for name in details if given.get(name)})
    if seen:
        metadata_initial = {name: given.get(name, "") for name in MetadataForm.base_fields}
    metadata = MetadataForm(initial=metadata_initial)
    candidates = []
    for number, candidate in enumerate(_with_forms(extraction)):
        row = candidate.to_dict()
        prefix = f"c{number}"
        initial = None
        if kept:
            initial = {name: given.get(f"{prefix}-{name}", "") for name in IntakeCandidateForm.base_fields}
        candidates.append(
            IntakeCandidateForm(
                candidate=row, number=number, prefix=prefix, **({"initial": initial} if initial else {})
            )
        )
    return _render(
        request, paste, extraction=extraction, revision=revision, metadata=metadata, candidates=candidates,
        notice=notice, status=200 if not notice else 409,
    )  # fmt: skip


def _save(request, paste, extraction, revision, *, accept_all: bool):
    metadata = MetadataForm(request.POST)
    candidates = [
        IntakeCandidateForm(request.POST, candidate=candidate.to_dict(), number=number, prefix=f"c{number}")
        for number, candidate in enumerate(_with_forms(extraction))
    ]
    valid = metadata.is_valid()
    accepted, dismissed = {}, []
    for form in candidates:
        if not form.is_valid():
            valid = False
            continue
        decision = form.cleaned_data["decision"]
        if accept_all and decision != "dismiss":
            decision = "accept"
        if decision == "accept":
            chosen = form.chosen(extraction.body, request.user)
            if chosen is None:
                valid = False
            else:
                accepted[form.number] = chosen
        elif decision == "dismiss":
            dismissed.append(form.number)
    page = {"extraction": extraction, "revision": revision, "metadata": metadata, "candidates": candidates}
    if not valid:
        return _render(request, paste, **page, notice="Nothing was saved: see what is marked below.", status=400)
    data = metadata.cleaned_data
    try:
        result = services.record_article_from_extraction(
            extraction=extraction,
            url=data["url"],
            outlet=data["outlet"],
            outlet_kind=data["outlet_kind"],
            headline=data["headline"],
            credited_to=data["credited_to"],
            byline=data["byline"],
            language=data["language"],
            published_at=data["published_at"],
            updated_at=data["updated_at"],
            accepted=accepted,
            dismissed=dismissed,
            acting_user=request.user,
        )
    except services.ArticleAlreadyRecorded as error:
        messages.info(
            request,
            f"“{error.article.headline}” is already on record at {error.article.url}; nothing new was saved. "
            "Here it is: its undecided candidates are on this page.",
        )
        return redirect("desk:article", pk=error.article.pk)
    except services.RefusedCandidates as error:
        _refuse(error, paste, metadata, candidates)
        return _render(request, paste, **page, notice="Nothing was saved: see what is marked below.", status=400)
    except REFUSALS as error:
        refused_on(metadata, error)
        return _render(request, paste, **page, notice="Nothing was saved.", status=400)
    article = result.article
    left = len(extraction.candidates) - len(accepted) - len(result.dismissed)
    recorded = len(result.quotes.quotes)
    said = f"Recorded “{article.headline}” with {recorded} quote{'s' if recorded != 1 else ''}"
    if result.outlets_created:
        said += " and the new outlet" + ("s " if len(result.outlets_created) > 1 else " ")
        said += " and ".join(f"“{outlet.name}”" for outlet in result.outlets_created)
    said += f"; {left} candidate{'s are' if left != 1 else ' is'} left to decide here." if left else "."
    messages.success(request, said)
    return redirect(reverse("desk:article", args=[article.pk]))


def _refuse(error: services.RefusedCandidates, paste: PasteForm, metadata: MetadataForm, candidates: list) -> None:
    """Each refusal beside what it is about: a metadata field, the paste (the body), or a candidate."""
    for name, messages_ in error.message_dict.items():
        if name == "candidates":
            continue
        if name == "body":
            paste.add_error("text", messages_)
        else:
            metadata.add_error(name if name in metadata.fields else None, messages_)
    by_number = {form.number: form for form in candidates}
    for number, reason in error.by_candidate.items():
        if number in by_number:
            refuse_candidate(by_number[number], reason)
        else:
            metadata.add_error(None, reason.messages)


def _with_forms(extraction: Extraction) -> list:
    most = _most_candidates()
    return extraction.candidates if most is None else extraction.candidates[:most]


def _metadata_initial(paste: PasteForm, extraction: Extraction) -> dict:
    found = extraction.metadata
    initial = {
        "headline": found.headline or "",
        "credited_to": found.credited_to or "",
        "byline": found.byline or "",
        "language": found.language or "en",
        "published_at": _local(found.published_at),
        "updated_at": _local(found.updated_at),
        "outlet_kind": OutletKind.OTHER,
    }
    if extraction.input_kind == "html":
        initial.update(_page_facts(paste.cleaned_data["text"]))
    return initial


def _local(iso: str | None) -> str:
    """A found date as a datetime-local field shows it: a date alone is the start of that day."""
    if not iso:
        return ""
    return iso if "T" in iso else f"{iso}T00:00"


def _page_facts(html: str) -> dict:
    """The page's own address and site name, when its HTML says them (canonical link, og: tags)."""
    import trafilatura

    try:
        document = trafilatura.extract_metadata(html)
    except Exception:  # noqa: BLE001 - a page it cannot read says nothing; the editor types them
        return {}
    if document is None:
        return {}
    facts = {}
    if (document.url or "").startswith(("http://", "https://")):
        facts["url"] = document.url
    if document.sitename:
        facts["outlet"] = document.sitename
    return facts


def _render(
    request,
    paste: PasteForm,
    *,
    extraction: Extraction | None = None,
    revision: str = "",
    metadata: MetadataForm | None = None,
    candidates: list | None = None,
    notice: str = "",
    fetch: FetchForm | None = None,
    status: int = 200,
):
    context = {"paste": paste, "notice": notice, "limit": settings.DESK_MAX_PASTE_CHARACTERS}
    if extraction is None:
        # The address may be given with the paste: the details are then checked against the record at once.
        context["address"] = MetadataForm(initial={"url": request.POST.get("url", "")})["url"]
        context["fetch"] = fetch or FetchForm()
    if extraction is not None:
        mode = paste.mode if paste.is_bound and paste.is_valid() else SPEECH_ONLY
        rows = [form.candidate for form in candidates or []]
        highlights = [candidate_highlight(number, row, show_attribution=mode == ALL) for number, row in enumerate(rows)]
        rest = [candidate.to_dict() for candidate in extraction.candidates[len(rows) :]]
        highlights += [
            candidate_highlight(len(rows) + number, row, show_attribution=mode == ALL)
            for number, row in enumerate(rest)
        ]
        url = metadata["url"].value() if metadata is not None else ""
        context.update(
            {
                "extraction": extraction,
                "revision": revision,
                "metadata": metadata,
                "candidates": candidates or [],
                "not_in_form": len(rest),
                "mode": mode,
                "show_attribution": mode == ALL,
                "time_zone": settings.TIME_ZONE,
                "body": highlighted_body(extraction.body, highlights, candidate_cues(rows + rest)),
                "standfirst": extraction.metadata.standfirst,
                "printed_zone": extraction.metadata.timezone,
                "already": Article.objects.filter(url=url).only("pk", "headline").first() if url else None,
                "outlet_names": Outlet.objects.order_by("name").values_list("name", flat=True)[:OUTLETS_OFFERED],
            }
        )
    return render(request, TEMPLATE, context, status=status)
