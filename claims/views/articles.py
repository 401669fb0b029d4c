"""Articles at the desk: the list, one article's page, and recording its quotes there.

The article page shows the body for reading with every quote the reader may
see highlighted where it stands (id quote-<id>, so other pages link to
desk:article + "#quote-7"). It is the public's too for an article that published
work quotes. The newsroom also gets its tools: the extractor's candidates not
yet decided (accept, fix or dismiss each), and a form to record a quote from
words selected in the text (article.js maps a selection to body offsets) or
typed into the form and found in the body.

Bodies are rendered by highlighted_body(): the text cut into segments at every
highlight's edge, each segment escaped on its own and carrying its start offset
(data-start), so no stored character is ever read as markup and a selection
maps back to the body exactly.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from claims import reads, services
from claims.choices import DatePrecision, QuoteKind, SpeakerKind
from claims.extraction import ALL, SPEECH_ONLY
from claims.models import Article, DismissedCandidate, Outlet, Quote, Speaker
from claims.policy import can
from claims.views.base import REFUSALS, newsroom_only, page_of, refused_on

TEMPLATE = "desk/articles/article.html"
ATTRIBUTION_MODES = {SPEECH_ONLY: "Quotes only", ALL: "Every attribution"}
# A blank line (spaces allowed) ends a paragraph of the body.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
SPEAKER_KINDS = [
    (SpeakerKind.PERSON, "Person"),
    (SpeakerKind.ORGANIZATION, "Organization"),
    (SpeakerKind.ANONYMOUS, "Anonymous source"),
]
CANDIDATE_KIND_CHOICES = [(QuoteKind.DIRECT, "Direct quote"), (QuoteKind.INDIRECT, "Reported statement")]
_VALID_SPEAKER_KINDS = {value for value, _ in SPEAKER_KINDS}


# --- Highlighted bodies ------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """A span of the body to mark: a quote, or a candidate."""

    start: int
    end: int
    classes: str  # "quote quote--direct"
    ident: str = ""  # the element id of its first piece: quote-7, candidate-3
    label: str = ""  # who said it, shown after it (.who)
    label_url: str = ""
    note: str = ""  # after the label: "via RIA"
    data: dict = field(default_factory=dict)  # data-* on every piece


@dataclass(frozen=True)
class Cue:
    """The words that attribute a candidate ("said", "according to"), marked inside or beside it."""

    start: int
    end: int


def paragraphs(body: str) -> list[tuple[int, int]]:
    """The spans of the body's paragraphs: the text between blank lines."""
    spans, position = [], 0
    for gap in _BLANK_LINE.finditer(body):
        if body[position : gap.start()].strip():
            spans.append((position, gap.start()))
        position = gap.end()
    if body[position:].strip():
        spans.append((position, len(body)))
    return spans


def highlighted_body(body: str, highlights: Iterable[Highlight] = (), cues: Iterable[Cue] = ()) -> SafeString:
    """The body as paragraphs of escaped segments, each <span data-start=N>, inside the marks that cover it.

    Marks that overlap or cross paragraphs are cut into pieces; the first piece
    has the mark's id and the last one is followed by its label. Labels carry no
    data-start, so a selection's offsets count the body's characters alone.
    """
    length = len(body)
    highlights = sorted(
        (h for h in highlights if 0 <= h.start < h.end <= length), key=lambda h: (h.start, -h.end, h.ident)
    )
    cues = [cue for cue in cues if 0 <= cue.start < cue.end <= length]
    opened: set[int] = set()
    html = []
    for p_start, p_end in paragraphs(body):
        cuts = {p_start, p_end}
        cuts.update(at for h in highlights for at in (h.start, h.end) if p_start < at < p_end)
        cuts.update(at for cue in cues for at in (cue.start, cue.end) if p_start < at < p_end)
        # HTML reads a carriage return and the line feed after it as one character: never let them share a segment.
        cuts.update(p_start + index + 1 for index, char in enumerate(body[p_start:p_end]) if char == "\r")
        cuts = sorted(at for at in cuts if p_start <= at <= p_end)
        pieces = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            if a >= b:
                continue
            active = [(index, h) for index, h in enumerate(highlights) if h.start <= a < h.end]
            segment = format_html('<span data-start="{}">{}</span>', a, body[a:b])
            if any(cue.start <= a < cue.end for cue in cues):
                segment = format_html('<span class="cue">{}</span>', segment)
            for index, h in reversed(active):
                segment = _piece(h, segment, first=index not in opened, continues=b < h.end, continued=a > h.start)
                opened.add(index)
            pieces.append(segment)
            pieces.extend(_label(h) for _, h in sorted(active, key=lambda pair: -pair[1].start) if h.end == b)
        html.append(format_html('<p data-para="{}">{}</p>', p_start, _joined(pieces)))
    return _joined(html, "\n")


def _joined(pieces: Iterable[SafeString | str], separator: str = "") -> SafeString:
    """Pieces joined, each escaped unless it is already safe markup."""
    return format_html_join(separator, "{}", ((piece,) for piece in pieces if piece))


def _piece(h: Highlight, inner: SafeString, *, first: bool, continues: bool, continued: bool) -> SafeString:
    classes = h.classes + (" is-continued" if continued else "") + (" is-continuing" if continues else "")
    attributes = [format_html(' class="{}"', classes)]
    if first and h.ident:
        attributes.append(format_html(' id="{}"', h.ident))
    attributes.extend(format_html(' data-{}="{}"', name, value) for name, value in h.data.items())
    return format_html("<mark{}>{}</mark>", _joined(attributes), inner)


def _label(h: Highlight) -> SafeString | str:
    if not h.label and not h.note:
        return ""
    note = format_html('<span class="who__note"> · {}</span>', h.note) if h.note else ""
    if h.label_url:
        return format_html('<a class="who" href="{}">{}{}</a>', h.label_url, h.label, note)
    return format_html('<span class="who">{}{}</span>', h.label, note)


def quote_highlight(quote: Quote) -> Highlight:
    return Highlight(
        start=quote.start,
        end=quote.end,
        classes=f"quote quote--{quote.kind}",
        ident=f"quote-{quote.pk}",
        label=quote.speaker.name,
        label_url=reverse("desk:speaker", args=[quote.speaker.slug]),
        note=f"via {quote.via}" if quote.via else "",
        data={"quote": quote.pk},
    )


def candidate_highlight(number: int, candidate: dict, *, show_attribution: bool = False) -> Highlight:
    who = candidate.get("speaker") or candidate.get("speaker_mention") or "Speaker unknown"
    notes = [f"via {candidate['via']}"] if candidate.get("via") else []
    if show_attribution:
        notes.append(candidate["attribution"])
    return Highlight(
        start=candidate["start"],
        end=candidate["end"],
        classes="quote quote--candidate",
        ident=f"candidate-mark-{number}",
        label=f"#{number} {who}",
        label_url=f"#candidate-{number}",
        note=" · ".join(notes),
        data={"candidate": number},
    )


def candidate_cues(candidates: Iterable[dict]) -> list[Cue]:
    return [
        Cue(candidate["cue_start"], candidate["cue_end"])
        for candidate in candidates
        if candidate.get("cue_start") is not None and candidate.get("cue_end") is not None
    ]


# --- Forms -------------------------------------------------------------------------------


class DeskForm(forms.Form):
    """A form in the desk's look: labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CandidateForm(DeskForm):
    """A candidate as the editor fixes it before accepting: span, speaker, kind, title as printed, via."""

    start = forms.IntegerField(min_value=0, label="Starts at", help_text="Offset of the first character.")
    end = forms.IntegerField(min_value=1, label="Ends at", help_text="Offset after the last character.")
    # The type-ahead picker (desk/_picker.html) posts the chosen speaker's id and what was typed.
    speaker = forms.IntegerField(required=False, widget=forms.HiddenInput)
    speaker_q = forms.CharField(required=False, max_length=200, label="Who said it")
    speaker_kind = forms.ChoiceField(choices=SPEAKER_KINDS, label="A new speaker is a", required=False)
    kind = forms.ChoiceField(choices=CANDIDATE_KIND_CHOICES, label="Kind")
    speaker_title = forms.CharField(required=False, max_length=300, label="Speaker's title as printed")
    via = forms.CharField(required=False, max_length=300, label="Via", help_text="Who relayed it: “RIA”.")

    def __init__(self, *args, candidate: dict, number: int, **kwargs):
        kwargs.setdefault("initial", candidate_initial(candidate))
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.number = number

    def chosen(self, body: str, user) -> dict | None:
        """The candidate as the service takes it, with the editor's fixes; None (and field errors) if it cannot be."""
        data, candidate = self.cleaned_data, self.candidate
        start, end = data["start"], data["end"]
        fixed = {
            **candidate,
            "start": start,
            "end": end,
            "text": body[start:end] if 0 <= start < end <= len(body) else candidate["text"],
            "kind": data["kind"],
            "speaker_title": data["speaker_title"],
            "via": data["via"],
        }
        if data.get("speaker"):
            speaker = Speaker.objects.visible_to(user).filter(pk=data["speaker"]).first()
            if speaker is None:
                self.add_error("speaker_q", "There is no such speaker, or not one you may see; pick one again.")
                return None
            fixed["speaker"] = speaker
            return fixed
        typed = data["speaker_q"].strip()
        unchanged = typed == (candidate.get("speaker") or "")
        fixed["speaker"] = typed
        if not (unchanged and candidate.get("speaker_kind") not in _VALID_SPEAKER_KINDS):
            fixed["speaker_kind"] = data["speaker_kind"] or SpeakerKind.PERSON
        return fixed


def candidate_initial(candidate: dict) -> dict:
    named = candidate.get("speaker_kind") in _VALID_SPEAKER_KINDS
    return {
        "start": candidate["start"],
        "end": candidate["end"],
        "speaker_q": candidate.get("speaker") or "" if named else "",
        "speaker_kind": candidate.get("speaker_kind") if named else SpeakerKind.PERSON,
        "kind": candidate["kind"] if candidate["kind"] in dict(CANDIDATE_KIND_CHOICES) else QuoteKind.INDIRECT,
        "speaker_title": candidate.get("speaker_title") or "",
        "via": candidate.get("via") or "",
    }


# A service's field, as a candidate form calls it.
CANDIDATE_FIELDS = {
    "start": "start",
    "end": "end",
    "kind": "kind",
    "speaker": "speaker_q",
    "name": "speaker_q",
    "speaker_kind": "speaker_kind",
    "description": "speaker_title",
    "speaker_title": "speaker_title",
    "via": "via",
}


def refuse_candidate(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal of one candidate, each reason beside the field it is about."""
    if hasattr(error, "error_dict"):
        renamed: dict[str, list] = {}
        for name, errors in error.error_dict.items():
            renamed.setdefault(CANDIDATE_FIELDS.get(name, "__all__"), []).extend(errors)
        error = ValidationError(renamed)
    refused_on(form, error)


class RecordQuoteForm(DeskForm):
    """A quote from the article's words: selected in the text (start and end) or typed here and found."""

    text = forms.CharField(
        required=False,
        strip=False,
        label="The words",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select them in the text, or type or paste them here: they are found in the article.",
    )
    start = forms.IntegerField(required=False, min_value=0, label="Starts at")
    end = forms.IntegerField(required=False, min_value=1, label="Ends at")
    speaker = forms.IntegerField(required=False, widget=forms.HiddenInput)
    speaker_q = forms.CharField(required=False, max_length=200, label="Who said it")
    speaker_kind = forms.ChoiceField(choices=SPEAKER_KINDS, initial=SpeakerKind.PERSON, label="A new speaker is a")
    kind = forms.ChoiceField(choices=QuoteKind.choices, initial=QuoteKind.DIRECT, label="Kind")
    speaker_title = forms.CharField(required=False, max_length=300, label="Speaker's title as printed")
    said_on = forms.DateField(
        required=False, label="Said on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    said_on_precision = forms.ChoiceField(
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        label="Known to the",
        help_text="“Said in June”: month.",
    )
    via = forms.CharField(required=False, max_length=300, label="Via", help_text="Who relayed it: “according to RIA”.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            self.add_error("end" if end is None else "start", "Give both ends of the span, or neither.")
        elif start is None and not (data.get("text") or "").strip() and not self.has_error("text"):
            self.add_error("text", "Select the words in the text, or type them here.")
        return data


# --- The list ----------------------------------------------------------------------------


@newsroom_only
def article_list(request):
    rows = (
        Article.objects.visible_to(request.user)
        .select_related("outlet", "credited_to")
        .defer("body")
        # Counted per shown article: a Count() join grouped all million quotes before the page was taken.
        .annotate(quote_count=reads.counted(Quote.objects.filter(article=OuterRef("pk"))))
        .order_by(F("published_at").desc(nulls_last=True), "-id")
    )
    typed = request.GET.get("q", "").strip()[:200]
    if typed:
        rows = rows.filter(Q(headline__icontains=typed) | Q(url__icontains=typed))
    outlet = request.GET.get("outlet", "").strip()[:200]
    outlet_row = None
    if outlet:
        outlet_row = get_object_or_404(Outlet.objects.visible_to(request.user), slug=outlet)
        rows = rows.filter(Q(outlet=outlet_row) | Q(credited_to=outlet_row))
    context = {"page": page_of(request, rows), "typed": typed, "outlet": outlet_row}
    return render(request, "desk/articles/list.html", context)


# --- The article page --------------------------------------------------------------------


def _visible_article(request, pk: int) -> Article:
    found = Article.objects.visible_to(request.user).select_related("outlet", "credited_to").filter(pk=pk).first()
    if found is None:
        raise Http404("No such article, or not one you may see.")
    return found


def article_page(request, pk: int):
    try:
        article = _visible_article(request, pk)
    except Http404:
        if not request.user.is_authenticated:
            # Perhaps the newsroom's work in progress: whoever may see it signs in first.
            return redirect_to_login(request.get_full_path())
        raise
    return _render_article(request, article)


def _mode(request) -> str:
    mode = request.POST.get("attributions") or request.GET.get("attributions")
    return mode if mode in ATTRIBUTION_MODES else SPEECH_ONLY


def _render_article(
    request,
    article: Article,
    *,
    record_form: RecordQuoteForm | None = None,
    candidate_forms: dict[int, CandidateForm] | None = None,
    notice: str = "",
    status: int = 200,
):
    user = request.user
    newsroom = can(user, "use_newsroom_tools")
    quotes = list(
        Quote.objects.visible_to(user).filter(article=article).select_related("speaker").order_by("start", "id")
    )
    anchored = [quote for quote in quotes if quote.is_anchored]
    highlights = [quote_highlight(quote) for quote in anchored]
    context = {
        "article": article,
        "quotes": quotes,
        "newsroom": newsroom,
        "notice": notice,
    }
    cues: list[Cue] = []
    if newsroom:
        mode = _mode(request)
        found = services.article_candidates(article, attributions=mode)
        dismissed = DismissedCandidate.objects.matching(article)
        undecided = services.undecided_candidates(
            found.candidates, quotes=[(q.start, q.end) for q in anchored], dismissed=dismissed
        )
        forms_given = candidate_forms or {}
        rows = [
            {
                "number": number,
                "candidate": candidate,
                "show_attribution": mode == ALL,
                "form": forms_given.get(number)
                or CandidateForm(candidate=candidate, number=number, prefix=f"c{number}"),
            }
            for number, candidate in undecided
        ]
        highlights += [candidate_highlight(number, c, show_attribution=mode == ALL) for number, c in undecided]
        cues = candidate_cues(candidate for _, candidate in undecided)
        context.update(
            {
                "mode": mode,
                "modes": ATTRIBUTION_MODES,
                "revision": found.revision,
                "problem": found.problem,
                "candidates": rows,
                "dismissed": sorted(dismissed.values(), key=lambda row: row.start),
                "record_form": record_form or RecordQuoteForm(initial=_record_initial(article)),
                "may_record": can(user, "add", Quote),
            }
        )
    context["body"] = highlighted_body(article.body, highlights, cues)
    return render(request, TEMPLATE, context, status=status)


def _record_initial(article: Article) -> dict:
    return {"said_on": article.published_at.date() if article.published_at else None}


@require_POST
@newsroom_only
def record_quote(request, pk: int):
    article = _visible_article(request, pk)
    form = RecordQuoteForm(request.POST)
    if not form.is_valid():
        return _render_article(request, article, record_form=form, status=400)
    data = form.cleaned_data
    speaker = None
    if data["speaker"]:
        speaker = Speaker.objects.visible_to(request.user).filter(pk=data["speaker"]).first()
        if speaker is None:
            form.add_error("speaker_q", "There is no such speaker, or not one you may see; pick one again.")
            return _render_article(request, article, record_form=form, status=400)
    try:
        recorded = services.record_quote_with_speaker(
            article=article,
            speaker=speaker,
            speaker_name=data["speaker_q"],
            speaker_kind=data["speaker_kind"],
            text=data["text"],
            start=data["start"],
            end=data["end"],
            kind=data["kind"],
            speaker_title=data["speaker_title"],
            said_on=data["said_on"],
            said_on_precision=data["said_on_precision"],
            via=data["via"],
            acting_user=request.user,
        )
    except REFUSALS as error:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError(
                {("speaker_q" if name == "speaker" else name): errors for name, errors in error.error_dict.items()}
            )
        refused_on(form, error)
        return _render_article(request, article, record_form=form, status=400)
    quote = recorded.quote
    new = f" (recorded as a new {quote.speaker.get_kind_display().lower()})" if recorded.speaker_created else ""
    messages.success(request, f"Recorded the quote “{_short(quote.text)}” by {quote.speaker.name}{new}.")
    return redirect(reverse("desk:article", args=[article.pk]) + f"#quote-{quote.pk}")


@require_POST
@newsroom_only
def decide_candidates(request, pk: int):
    """Accept (as found, or fixed), accept every one, dismiss, or offer again a dismissed candidate."""
    article = _visible_article(request, pk)
    action = request.POST.get("action", "")
    mode = _mode(request)
    back = reverse("desk:article", args=[article.pk]) + ("" if mode == SPEECH_ONLY else f"?attributions={mode}")
    if action == "restore":
        dismissal = get_object_or_404(
            DismissedCandidate.objects.visible_to(request.user),
            pk=_number(request.POST.get("dismissal")),
            article=article,
        )
        try:
            services.restore_candidate(dismissal, acting_user=request.user)
        except REFUSALS as error:
            return _render_article(request, article, notice=_refusal_text(error), status=400)
        messages.success(request, f"The candidate “{_short(dismissal.text)}” is offered again.")
        return redirect(back + "#candidates")
    found = services.article_candidates(article, attributions=mode)
    if request.POST.get("revision") != found.revision:
        notice = (
            "The article's candidates are not the ones you chose from: its text or the extractor changed since. "
            "Here they are again; nothing was recorded."
        )
        return _render_article(request, article, notice=notice, status=409)
    if action == "accept_all":
        return _accept_all(request, article, found, back)
    number = _number(request.POST.get("number"))
    if number >= len(found.candidates):
        return _render_article(request, article, notice="There is no such candidate in this article.", status=400)
    candidate = found.candidates[number]
    if action == "dismiss":
        try:
            services.dismiss_candidate(
                article=article, start=candidate["start"], end=candidate["end"], acting_user=request.user
            )
        except REFUSALS as error:
            return _render_article(request, article, notice=_refusal_text(error), status=400)
        messages.success(request, f"Dismissed the candidate “{_short(candidate['text'])}”.")
        return redirect(back + "#candidates")
    if action != "accept":
        return _render_article(request, article, notice="Choose to accept or dismiss the candidate.", status=400)
    form = CandidateForm(request.POST, candidate=candidate, number=number, prefix=f"c{number}")
    chosen = form.chosen(article.body, request.user) if form.is_valid() else None
    if chosen is None:
        return _render_article(request, article, candidate_forms={number: form}, status=400)
    try:
        result = services.record_extracted_quotes(
            article=article, candidates={number: chosen}, acting_user=request.user
        )
    except services.RefusedCandidates as error:
        refuse_candidate(form, error.by_candidate.get(number) or error)
        return _render_article(request, article, candidate_forms={number: form}, status=400)
    except REFUSALS as error:
        refused_on(form, error)
        return _render_article(request, article, candidate_forms={number: form}, status=400)
    quote = result.quotes[number]
    messages.success(request, f"Recorded the quote “{_short(quote.text)}” by {quote.speaker.name}.")
    return redirect(reverse("desk:article", args=[article.pk]) + f"#quote-{quote.pk}")


def _accept_all(request, article: Article, found, back: str):
    dismissed = DismissedCandidate.objects.matching(article)
    spans = article.quotes.filter(start__isnull=False).values_list("start", "end")
    undecided = dict(services.undecided_candidates(found.candidates, quotes=spans, dismissed=dismissed))
    if not undecided:
        messages.info(request, "Every candidate is decided already.")
        return redirect(back)
    try:
        result = services.record_extracted_quotes(article=article, candidates=undecided, acting_user=request.user)
    except services.RefusedCandidates as error:
        forms_refused = {}
        for number, reason in error.by_candidate.items():
            form = _as_found(undecided[number], number)
            refuse_candidate(form, reason)
            forms_refused[number] = form
        notice = (
            f"Nothing was recorded: {len(error.by_candidate)} of the {len(undecided)} candidates cannot be accepted "
            "as they stand. Fix or dismiss them (each says why), then accept the rest."
        )
        return _render_article(request, article, candidate_forms=forms_refused, notice=notice, status=400)
    except REFUSALS as error:
        return _render_article(request, article, notice=_refusal_text(error), status=400)
    messages.success(request, f"Recorded {len(result.recorded)} quote(s) from the candidates.")
    return redirect(back + "#quotes")


def _as_found(candidate: dict, number: int) -> CandidateForm:
    """The candidate's form as accepting it unchanged posts it, checked, so a refusal can be shown beside its fields."""
    prefix = f"c{number}"
    data = {f"{prefix}-{name}": "" if value is None else value for name, value in candidate_initial(candidate).items()}
    form = CandidateForm(data, candidate=candidate, number=number, prefix=prefix)
    form.is_valid()
    return form


def _number(value) -> int:
    """A posted number (a candidate's, a row's id); anything else is one no row has."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 2**62
    return number if 0 <= number < 2**62 else 2**62


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You may not do this."


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
