"""Speakers at the desk: the list, and each speaker's page.

Both are the public's too, over public speakers only (`Speaker.objects.visible_to`):
a speaker the public may not read is a 404, as is an unknown slug. A speaker's
page shows who they are, the contradictions they are part of (their own
flip-flops first), and either their statements (quotes, newest first) or their
claims with verdicts, one list at a time in pages (`?show=quotes` or `?show=claims`).
"""

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, render

from claims import reads
from claims.filters import SpeakerFilter
from claims.models import Claim, Speaker, SpeakerAlias
from claims.policy import can
from claims.views.base import page_of

# Contradictions of each kind, and members of an organisation, shown before a "more" link.
CONTRADICTIONS_SHOWN = 10
MEMBERS_SHOWN = 12
# The lists a speaker's page pages through, by ?show=.
SHOWN_LISTS = ("quotes", "claims")


def speaker_list(request):
    user = request.user
    speakers = reads.with_record_counts(
        reads.with_visible_organization(Speaker.objects.visible_to(user), user), user
    ).order_by("name", "id")
    filterset = SpeakerFilter(request.GET, queryset=speakers, user=user)
    form = filterset.form
    form.label_suffix = ""
    form.fields["name"].label = "Name or alias"
    form.fields["name"].widget.input_type = "search"
    form.fields["kind"].label = "Kind"
    form.fields["kind"].choices = [choice for choice in form.fields["kind"].choices if choice[0] != ""]
    form.fields["kind"].empty_label = "Any kind"
    valid = filterset.is_valid()
    organization = None
    if valid and form.cleaned_data.get("organization"):
        organization = Speaker.objects.visible_to(user).filter(pk=form.cleaned_data["organization"]).first()
    context = {
        "filters": form,
        "organization": organization,
        "filtered": valid and any(value not in (None, "") for value in form.cleaned_data.values()),
        "page": page_of(request, filterset.qs.prefetch_related(_aliases())) if valid else None,
    }
    return render(request, "desk/speakers/list.html", context, status=200 if valid else 400)


def speaker_page(request, slug):
    user = request.user
    visible = reads.with_record_counts(reads.with_visible_organization(Speaker.objects.visible_to(user), user), user)
    speaker = get_object_or_404(visible.prefetch_related(_aliases()), slug=slug)
    show = request.GET.get("show")
    show = show if show in SHOWN_LISTS else SHOWN_LISTS[0]
    if show == "quotes":
        # Each quote with the claims it states that the reader may see (one query for the page).
        rows = reads.speaker_statements(speaker, user).order_by(F("said_on").desc(nulls_last=True), "-id")
        rows = rows.prefetch_related(Prefetch("claims", queryset=Claim.objects.visible_to(user).order_by("id")))
    else:
        rows = reads.claims_by(speaker, user)
    members = Speaker.objects.visible_to(user).filter(organization=speaker).order_by("name", "id")
    members = list(members[: MEMBERS_SHOWN + 1])
    own = list(reads.self_contradictions(speaker, user)[: CONTRADICTIONS_SHOWN + 1])
    others = list(reads.contradictions_with_others(speaker, user)[: CONTRADICTIONS_SHOWN + 1])
    context = {
        "speaker": speaker,
        "show": show,
        "page": page_of(request, rows),
        "members": members[:MEMBERS_SHOWN],
        "more_members": len(members) > MEMBERS_SHOWN,
        "self_contradictions": own[:CONTRADICTIONS_SHOWN],
        "contradictions": [_from_their_side(relation, speaker) for relation in others[:CONTRADICTIONS_SHOWN]],
        "more_contradictions": len(own) > CONTRADICTIONS_SHOWN or len(others) > CONTRADICTIONS_SHOWN,
        "shown_each": CONTRADICTIONS_SHOWN,
        "newsroom": can(user, "use_newsroom_tools"),
        "may_edit": can(user, "change", speaker),
    }
    return render(request, "desk/speakers/speaker.html", context)


def _aliases() -> Prefetch:
    # A visible speaker's aliases are all visible (an alias is public with its speaker).
    return Prefetch("aliases", queryset=SpeakerAlias.objects.order_by("name"))


def _from_their_side(relation, speaker) -> dict:
    """A contradiction with someone else, as the speaker's page reads it: their claim, then the other one."""
    theirs = relation.from_claim if relation.from_claim.claimant_id == speaker.pk else relation.to_claim
    return {"relation": relation, "theirs": theirs, "other": relation.other(theirs)}
