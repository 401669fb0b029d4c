"""The front door: each person's working day for the newsroom, the published verdicts for everyone else."""

from django.shortcuts import render

from claims import dashboard, reads
from claims.policy import can
from claims.views.base import page_of

# Rows in each of the home page's short lists; each links to its full list.
HOME_ROWS = 8


def home(request):
    if not can(request.user, "use_newsroom_tools"):
        return verdicts(request)
    user = request.user
    context = {
        "assigned": reads.assigned_to(user)[:HOME_ROWS],
        "drafts": reads.drafts_by(user)[:HOME_ROWS],
        "published": reads.reviewable_claims()[:HOME_ROWS],
        "changes": dashboard.recent_changes(user, by_others_than=user),
    }
    # The queue is the editors' to clear; a reporter sees where their own claims stand in their drafts.
    if can(user, "publish"):
        # The first few found on the claims alone, then joined to claimant and assignee, as the dashboard's
        # queue does: joining the whole queue before sorting it costs half as much again (benchmarks/desk_speed.py).
        queue = reads.review_queue(user)
        context["queue"] = queue.filter(pk__in=queue.values("pk")[:HOME_ROWS])
    return render(request, "desk/home.html", context)


def verdicts(request):
    """The published verdicts, newest first: what the public reads."""
    return render(request, "desk/verdicts.html", {"page": page_of(request, reads.reviewable_claims())})
