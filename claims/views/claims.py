"""Claims at the desk: the newsroom's list, drafting a claim from quotes, and the claim's own page.

The claim page is the public's too once the claim is published (what the
reader may see is `visible_to`, 404 otherwise): the verdict, the quotes that
state it, its evidence and related claims, and its ClaimReview JSON-LD. The
newsroom works on the same page, each tool shown only when the policy says the
user may use it. Every tool's form posts to an address of its own (one small
view an action, below the page's), which redirects back to the page (PRG); the
panels that change often (evidence, related claims, discussion) answer an htmx
request with the panel alone. A refused write answers 400 with the form as it
was typed and the service's reason beside its field.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import set_response_etag
from django.views.decorators.http import require_POST

from claims import published, reads, services
from claims.choices import ClaimStatus, Rating, Relation, SourceKind, Stance
from claims.filters import ClaimFilter
from claims.models import Claim, ClaimRelation, Comment, Evidence, Outlet, Quote, Speaker, Topic
from claims.policy import can
from claims.views.base import REFUSALS, newsroom_only, page_of, refused_on

TEMPLATE = "desk/claims/claim.html"
# The quotes a new claim can be drafted from at once (?quotes=…): more is a mistake, not a selection.
MAX_QUOTES = 50
# How the list's filters read, where the FilterSet's own labels are the API's.
FILTER_LABELS = {
    "status": "Status",
    "rating": "Rating",
    "topic": "Topic",
    "has_contradictions": "Contradicted",
    "made_on_after": "Said on or after",
    "made_on_before": "Said on or before",
    "reviewed_by": "Verdict by",
    "imported": "Whose verdict",
}
YES_NO = [("", "Either"), ("true", "Yes"), ("false", "No")]
# "supported_by" is "supports" read from the other end.
SUPPORTED_BY = reads.SUPPORTED_BY
# How a related claim reads from this one's side (reads.SidedRelation.name).
RELATION_LABELS = {
    Relation.CONTRADICTS: "Contradicts",
    Relation.SUPPORTS: "Supports",
    SUPPORTED_BY: "Supported by",
    Relation.SAME_CLAIM: "Same claim as",
}
RELATION_CHOICES = [
    (Relation.CONTRADICTS, "Contradicts"),
    (Relation.SUPPORTS, "Supports"),
    (SUPPORTED_BY, "Is supported by"),
    (Relation.SAME_CLAIM, "Same claim as"),
]


class DeskForm(forms.Form):
    """A form of the desk: labels without a trailing colon, as the type-ahead pickers' are."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


# --- The list ----------------------------------------------------------------------------


@newsroom_only
def claim_list(request):
    user = request.user
    filterset = ClaimFilter(request.GET, queryset=reads.desk_claims(user), user=user)
    form = _filter_form(filterset.form)
    valid = filterset.is_valid()
    context = {
        "filters": form,
        "claimant_shown": _claimant_name(request, user, form),
        "filtered": valid and any(value not in (None, "") for value in form.cleaned_data.values()),
        "page": page_of(request, filterset.qs) if valid else None,
    }
    return render(request, "desk/claims/list.html", context, status=200 if valid else 400)


def _filter_form(form: forms.Form) -> forms.Form:
    """The ClaimFilter's own form, with controls a person picks from rather than ids and slugs to type."""
    fields = form.fields
    for name, label in FILTER_LABELS.items():
        fields[name].label = label
    form.label_suffix = ""
    fields["topic"].help_text = ""
    for name, choices in (("status", ClaimStatus.choices), ("rating", Rating.choices)):
        fields[name].empty_label = "Any"
        fields[name].choices = choices  # made again with the empty choice's new label
    fields["topic"].widget = forms.Select(
        choices=[("", "Any topic"), *Topic.objects.order_by("name").values_list("slug", "name")]
    )
    reviewers = Outlet.objects.filter(Exists(Claim.objects.filter(reviewed_by=OuterRef("pk")))).order_by("name")
    fields["reviewed_by"].widget = forms.Select(choices=[("", "Anyone"), *reviewers.values_list("slug", "name")])
    fields["reviewed_by"].help_text = "Verdicts imported from another fact-checker."
    fields["has_contradictions"].widget = forms.Select(choices=YES_NO)
    fields["has_contradictions"].help_text = ""
    fields["imported"].widget = forms.Select(
        choices=[("", "Anyone's"), ("false", "The newsroom's own"), ("true", "Imported")]
    )
    fields["imported"].help_text = ""
    for name in ("made_on_after", "made_on_before"):
        fields[name].widget = _date_input()
    return form


def _claimant_name(request, user, form) -> str:
    """What the claimant picker shows: the name picked or typed, else the name of the speaker whose id is asked."""
    typed = request.GET.get("claimant_q", "")
    if typed or form.errors.get("claimant"):
        return typed
    picked = form.cleaned_data.get("claimant")
    if not picked:
        return ""
    return Speaker.objects.visible_to(user).filter(pk=picked).values_list("name", flat=True).first() or ""


# --- Drafting a claim --------------------------------------------------------------------


class ClaimFields(DeskForm):
    """A claim's own words, who made it, when and where: what drafting and editing a claim share."""

    text = forms.CharField(
        label="Claim",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One checkable proposition, in the newsroom's words.",
    )
    # The claimant picker (desk/_picker.html) posts the chosen id here and what was typed as claimant_q.
    claimant = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    claimant_q = forms.CharField(required=False, max_length=200)
    made_on = forms.DateField(label="Said on", required=False, widget=_date_input())
    venue = forms.CharField(
        label="Where it was said", required=False, max_length=300, help_text="“A floor speech”, “a mailer”."
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # A name typed without picking anyone, and no one on record by that name: recorded as a new speaker.
        self.new_claimant = ""

    def clean(self):
        data = super().clean()
        picked, typed = data.get("claimant"), (data.get("claimant_q") or "").strip()
        if "claimant" in self.errors:
            return data
        if picked:
            data["claimant"] = Speaker.objects.visible_to(self.user).filter(pk=picked).first()
            if data["claimant"] is None:
                self.add_error("claimant", "That speaker is not on record (any more): pick another.")
        elif typed:
            named = list(Speaker.objects.named(typed)[:2])
            if len(named) > 1:
                self.add_error("claimant", f"Several speakers go by “{typed}”: pick one from the list.")
            data["claimant"] = named[0] if len(named) == 1 else None
            self.new_claimant = "" if named else typed
        else:
            self.add_error("claimant", "Say who made the claim: type a name and pick a speaker.")
        return data

    def claimant_or_new(self):
        """The claimant picked, or a new speaker recorded by the name typed (call inside the claim's transaction)."""
        if self.cleaned_data["claimant"] is not None:
            return self.cleaned_data["claimant"]
        return services.record_speaker(name=self.new_claimant, acting_user=self.user)


class NewClaimForm(ClaimFields):
    quotes = forms.ModelMultipleChoiceField(queryset=Quote.objects.none(), required=False)

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quotes"].queryset = Quote.objects.visible_to(self.user).filter(pk__in=[q.pk for q in offered])
        self.fields["made_on"].help_text = "Leave empty to use the date of the earliest quote that has one."


def _offered_quotes(request) -> list[Quote]:
    """The quotes named by ?quotes=…, those the reader may see, in the order asked (the first proposes the claim)."""
    ids = []
    for value in request.GET.getlist("quotes")[:MAX_QUOTES]:
        if value.isascii() and value.isdigit() and len(value) < 19 and int(value) not in ids:
            ids.append(int(value))
    found = Quote.objects.visible_to(request.user).filter(pk__in=ids).select_related(*reads.QUOTE_PARTS)
    by_id = {quote.pk: quote for quote in found}
    return [by_id[pk] for pk in ids if pk in by_id]


@newsroom_only
def new_claim(request):
    user = request.user
    offered = _offered_quotes(request)
    if request.method == "POST":
        form = NewClaimForm(request.POST, user=user, offered=offered)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # A new claimant and the claim are recorded together or not at all.
                with transaction.atomic():
                    claim = services.make_claim(
                        text=data["text"],
                        claimant=form.claimant_or_new(),
                        quotes=data["quotes"],
                        made_on=data["made_on"],
                        topics=data["topics"],
                        venue=data["venue"],
                        acting_user=user,
                    )
            except REFUSALS as error:
                refused_on(form, error)
            else:
                quoted = len(data["quotes"])
                messages.success(
                    request,
                    "Claim drafted" + (f" from {quoted} quote{'s' if quoted != 1 else ''}." if quoted else "."),
                )
                return redirect("desk:claim", claim.pk)
        chosen = {str(value) for value in request.POST.getlist("quotes")}
        status = 400
    else:
        first = offered[0] if offered else None
        initial = {"quotes": offered}
        if first is not None:
            initial.update(text=first.text, claimant=first.speaker_id, claimant_q=first.speaker.name)
        form = NewClaimForm(initial=initial, user=user, offered=offered)
        chosen = {str(quote.pk) for quote in offered}
        status = 200
    context = {"form": form, "offered": offered, "chosen": chosen}
    return render(request, "desk/claims/new.html", context, status=status)


# --- The claim's page --------------------------------------------------------------------


class EditClaimForm(ClaimFields):
    pass


class VerdictForm(DeskForm):
    rating = forms.ChoiceField(label="Rating", choices=[("", "Choose a rating…"), *Rating.choices])
    rating_summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The verdict in a sentence or two, for readers.",
    )


class StatusForm(DeskForm):
    status = forms.CharField()


class AssignForm(DeskForm):
    assignee = forms.ModelChoiceField(
        label="Assign to", queryset=None, required=False, empty_label="Nobody (take it back)"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reads.assignable_people(user)
        self.fields["assignee"].label_from_instance = lambda person: (
            f"{person.get_full_name()} ({person.get_username()})" if person.get_full_name() else person.get_username()
        )


class EvidenceForm(DeskForm):
    url = forms.URLField(label="Source address", max_length=2000, assume_scheme="https")
    title = forms.CharField(
        label="Source title", required=False, max_length=500, help_text="Only for a source not on record yet."
    )
    kind = forms.ChoiceField(label="Kind of source", choices=SourceKind.choices, initial=SourceKind.ARTICLE)
    stance = forms.ChoiceField(label="Stance", choices=Stance.choices)
    excerpt = forms.CharField(
        label="Excerpt", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The passage of the source that matters.",
    )  # fmt: skip
    note = forms.CharField(
        label="Internal note", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the newsroom: never shown to readers.",
    )  # fmt: skip


class EvidenceEditForm(DeskForm):
    stance = forms.ChoiceField(label="Stance", choices=Stance.choices)
    excerpt = forms.CharField(label="Excerpt", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(
        label="Internal note", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the newsroom: never shown to readers.",
    )  # fmt: skip


class RelationForm(DeskForm):
    # The claim picker (desk/_picker.html) posts the chosen id as `other` and what was typed as other_q.
    other = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    other_q = forms.CharField(required=False, max_length=200)
    relation = forms.ChoiceField(label="This claim…", choices=RELATION_CHOICES)
    note = forms.CharField(
        label="Internal note", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why they are linked; never shown to readers.",
    )  # fmt: skip

    def __init__(self, *args, user, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.claim = user, claim

    def clean(self):
        data = super().clean()
        if "other" in self.errors:
            return data
        if not data.get("other"):
            self.add_error("other", "Type some of the other claim's words and pick it from the list.")
            return data
        data["other"] = Claim.objects.visible_to(self.user).filter(pk=data["other"]).first()
        if data["other"] is None:
            self.add_error("other", "That claim is not on record (any more): pick another.")
        return data


class CommentForm(DeskForm):
    body = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Internal: only the newsroom reads the discussion.",
    )  # fmt: skip


def _claim_or_404(request, pk: int) -> Claim:
    """The claim with what its page shows, if the reader may see it; 404 otherwise (as for a claim never recorded)."""
    return get_object_or_404(reads.claim_for_page(request.user), pk=pk)


def claim_page(request, pk: int):
    # Open to everyone: a published claim is the public's (visible_to), anything else the newsroom's.
    # The newsroom's page holds forms with the reader's own CSRF token: only the public's is kept.
    if not request.user.is_authenticated and not request.GET and not messages.get_messages(request):
        return published.claim_entry(request, pk, lambda: _public_page(request, pk)).response()
    claim = _claim_or_404(request, pk)
    return render(request, TEMPLATE, _page_context(request, claim))


def _public_page(request, pk: int) -> published.Entry:
    """The page as every anonymous reader sees it; a claim the public may not see is a 404 here, and not kept."""
    response = render(request, TEMPLATE, _page_context(request, _claim_or_404(request, pk)))
    set_response_etag(response)
    return published.Entry(body=response.content, content_type=response["Content-Type"], etag=response["ETag"])


def _claim_fields(claim: Claim) -> dict:
    return {
        "text": claim.text,
        "claimant": claim.claimant_id,
        "claimant_q": claim.claimant.name,
        "made_on": claim.made_on,
        "venue": claim.venue,
        "topics": list(claim.topics.all()),
    }


def _page_context(request, claim: Claim, **bound) -> dict:
    """What the page shows `request.user`, with the forms in `bound` (as typed, refused) instead of empty ones."""
    user = request.user
    evidence = reads.evidence_for(claim, user)
    context = {
        "claim": claim,
        "quotes": list(claim.quotes.all()),
        "topics": list(claim.topics.all()),
        "evidence": evidence,
        "relations": [
            {"side": side, "label": RELATION_LABELS[side.name]} for side in reads.relations_from_side(claim, user)
        ],
        "newsroom": can(user, "use_newsroom_tools"),
        "done": bound.pop("done", ""),
    }
    if not context["newsroom"]:
        return context
    may = {
        "edit": can(user, "change", claim),
        "add_evidence": can(user, "add", Evidence(claim=claim)),
        "relate": can(user, "add", ClaimRelation(from_claim=claim)),
        "rate": can(user, "rate", claim),
        "assign": can(user, "assign", claim),
        "comment": can(user, "comment", claim),
    }
    for row in evidence:
        row.may_change = can(user, "change", row)
        row.may_delete = can(user, "delete", row)
        row.form = bound.get(f"evidence_{row.pk}") or EvidenceEditForm(
            prefix=f"evidence-{row.pk}", initial={"stance": row.stance, "excerpt": row.excerpt, "note": row.note}
        )
        row.form_errors = bound.get(f"evidence_{row.pk}_errors")
    for related in context["relations"]:
        related["may_delete"] = can(user, "delete", related["side"].relation)
    comments = list(reads.comments_on(claim, user))
    for comment in comments:
        comment.claim = claim  # the policy asks whether the claim is the user's to check
        comment.may_resolve = not comment.is_resolved and can(user, "resolve", comment)
    context.update(
        may=may,
        checked_before=reads.checked_before_claim(claim, user),
        moves=reads.status_moves(claim, user),
        open_comments=[comment for comment in comments if not comment.is_resolved],
        resolved_comments=[comment for comment in comments if comment.is_resolved],
        status_form=bound.get("status_form") or StatusForm(),
        edit_form=bound.get("edit_form")
        or (EditClaimForm(prefix="claim", initial=_claim_fields(claim), user=user) if may["edit"] else None),
        verdict_form=bound.get("verdict_form")
        or VerdictForm(prefix="verdict", initial={"rating": claim.rating, "rating_summary": claim.rating_summary}),
        assign_form=bound.get("assign_form")
        or (AssignForm(prefix="assign", initial={"assignee": claim.assignee_id}, user=user) if may["assign"] else None),
        evidence_form=bound.get("evidence_form") or EvidenceForm(prefix="evidence"),
        evidence_errors=bound.get("evidence_errors"),
        relation_form=bound.get("relation_form") or RelationForm(prefix="relation", user=user, claim=claim),
        relation_errors=bound.get("relation_errors"),
        comment_form=bound.get("comment_form") or CommentForm(prefix="comment"),
        comment_errors=bound.get("comment_errors"),
    )
    return context


def _done(request, claim: Claim, message: str, panel: str = ""):
    """A write went through: the panel alone for htmx, else back to the page (at the panel) with the message."""
    if panel and request.htmx:
        claim = _claim_or_404(request, claim.pk)
        return render(request, f"{TEMPLATE}#{panel}", _page_context(request, claim, done=message))
    messages.success(request, message)
    return redirect(reverse("desk:claim", args=[claim.pk]) + (f"#{panel}" if panel else ""))


def _refused(request, claim: Claim, panel: str = "", **bound):
    """A write was refused: the page (or, for htmx, the panel) again, with the forms as typed and the reasons."""
    template = f"{TEMPLATE}#{panel}" if panel and request.htmx else TEMPLATE
    return render(request, template, _page_context(request, claim, **bound), status=400)


def _refusal(error: Exception) -> forms.Form:
    """A form with no fields that carries a refusal of an action that takes no input (remove, resolve)."""
    form = DeskForm(data={})
    form.full_clean()
    refused_on(form, error)
    return form


@newsroom_only
@require_POST
def edit_claim(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = EditClaimForm(request.POST, prefix="claim", user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a new claimant and the edit, together or not at all
                services.edit_claim(
                    claim,
                    text=data["text"],
                    claimant=form.claimant_or_new(),
                    made_on=data["made_on"],
                    venue=data["venue"],
                    topics=data["topics"],
                    acting_user=request.user,
                )
        except REFUSALS as error:
            refused_on(form, error)
        else:
            return _done(request, claim, "Claim saved.")
    return _refused(request, claim, edit_form=form)


@newsroom_only
@require_POST
def move_claim(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            moved = services.change_claim_status(
                claim=claim, status=form.cleaned_data["status"], acting_user=request.user
            )
        except REFUSALS as error:
            refused_on(form, error)
        else:
            return _done(request, claim, f"The claim is {moved.get_status_display().lower()} now.")
    return _refused(request, claim, status_form=form)


@newsroom_only
@require_POST
def rate_claim(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = VerdictForm(request.POST, prefix="verdict")
    if form.is_valid():
        try:
            rated = services.rate_claim(
                claim=claim,
                rating=form.cleaned_data["rating"],
                summary=form.cleaned_data["rating_summary"],
                acting_user=request.user,
            )
        except REFUSALS as error:
            refused_on(form, error)
        else:
            return _done(request, claim, f"Verdict saved: {rated.get_rating_display()}.")
    return _refused(request, claim, verdict_form=form)


@newsroom_only
@require_POST
def assign_claim(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = AssignForm(request.POST, prefix="assign", user=request.user)
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            services.assign_claim(claim=claim, assignee=assignee, acting_user=request.user)
        except REFUSALS as error:
            refused_on(form, error)
        else:
            if assignee is None:
                message = "Nobody has the claim now."
            else:
                message = f"Assigned to {assignee.get_full_name() or assignee.get_username()}."
            return _done(request, claim, message)
    return _refused(request, claim, assign_form=form)


@newsroom_only
@require_POST
def add_evidence(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = EvidenceForm(request.POST, prefix="evidence")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.cite_source(
                claim=claim,
                url=data["url"],
                title=data["title"],
                kind=data["kind"],
                stance=data["stance"],
                excerpt=data["excerpt"],
                note=data["note"],
                acting_user=request.user,
            )
        except REFUSALS as error:
            refused_on(form, error)
        else:
            return _done(request, claim, "Evidence added.", "evidence")
    return _refused(request, claim, "evidence", evidence_form=form)


def _evidence_or_404(request, claim: Claim, evidence_pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=evidence_pk, claim=claim)
    evidence.claim = claim
    return evidence


@newsroom_only
@require_POST
def edit_evidence(request, pk: int, evidence_pk: int):
    claim = _claim_or_404(request, pk)
    evidence = _evidence_or_404(request, claim, evidence_pk)
    form = EvidenceEditForm(request.POST, prefix=f"evidence-{evidence.pk}")
    if form.is_valid():
        try:
            services.edit_evidence(evidence, acting_user=request.user, **form.cleaned_data)
        except REFUSALS as error:
            refused_on(form, error)
        else:
            return _done(request, claim, "Evidence saved.", "evidence")
    return _refused(request, claim, "evidence", **{f"evidence_{evidence.pk}": form})


@newsroom_only
@require_POST
def remove_evidence(request, pk: int, evidence_pk: int):
    claim = _claim_or_404(request, pk)
    evidence = _evidence_or_404(request, claim, evidence_pk)
    try:
        services.delete_record(evidence, acting_user=request.user)
    except REFUSALS as error:
        return _refused(request, claim, "evidence", **{f"evidence_{evidence.pk}_errors": _refusal(error)})
    return _done(request, claim, "Evidence removed.", "evidence")


@newsroom_only
@require_POST
def relate_claim(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = RelationForm(request.POST, prefix="relation", user=request.user, claim=claim)
    if form.is_valid():
        data = form.cleaned_data
        # "Is supported by" is the other claim supporting this one.
        first, second = (data["other"], claim) if data["relation"] == SUPPORTED_BY else (claim, data["other"])
        relation = Relation.SUPPORTS if data["relation"] == SUPPORTED_BY else data["relation"]
        try:
            services.relate_claims(
                claim=first, other=second, relation=relation, note=data["note"], acting_user=request.user
            )
        except REFUSALS as error:
            refused_on(form, error)
        else:
            return _done(request, claim, "Claims linked.", "relations")
    return _refused(request, claim, "relations", relation_form=form)


@newsroom_only
@require_POST
def unrelate_claim(request, pk: int, relation_pk: int):
    claim = _claim_or_404(request, pk)
    relation = get_object_or_404(
        ClaimRelation.objects.visible_to(request.user).involving(claim).select_related(*reads.RELATION_PARTS),
        pk=relation_pk,
    )
    try:
        services.delete_record(relation, acting_user=request.user)
    except REFUSALS as error:
        return _refused(request, claim, "relations", relation_errors=_refusal(error))
    return _done(request, claim, "Link removed.", "relations")


@newsroom_only
@require_POST
def comment_on_claim(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            services.comment_on_claim(claim=claim, body=form.cleaned_data["body"], acting_user=request.user)
        except REFUSALS as error:
            refused_on(form, error)
        else:
            return _done(request, claim, "Comment added.", "discussion")
    return _refused(request, claim, "discussion", comment_form=form)


@newsroom_only
@require_POST
def resolve_comment(request, pk: int, comment_pk: int):
    claim = _claim_or_404(request, pk)
    comment = get_object_or_404(Comment.objects.visible_to(request.user), pk=comment_pk, claim=claim)
    comment.claim = claim
    try:
        services.resolve_comment(comment=comment, acting_user=request.user)
    except REFUSALS as error:
        return _refused(request, claim, "discussion", comment_errors=_refusal(error))
    return _done(request, claim, "Comment resolved.", "discussion")
