"""Type-ahead: the speakers or claims a few typed letters find, as a list of buttons to pick from.

The same search as the search page and the API (reads.search_newsroom), over
what the reader may see. Each answers an htmx request with the fragment the
picker (desk/_picker.html, desk.js) swaps in under the field. The typed
words come as `q`, or as the picker's own field, named `<field>_q`.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from claims import reads
from claims.views.base import newsroom_only

SUGGESTIONS = 8
# Fewer letters than this find too much to be useful.
MIN_LETTERS = 2


def _typed(request) -> str:
    return next((value for name, value in request.GET.items() if name == "q" or name.endswith("_q")), "").strip()


def _hits(request, kind: str) -> list:
    typed = _typed(request)
    if len(typed) < MIN_LETTERS:
        return []
    try:
        hits = reads.search_newsroom(request.user, typed, kinds=(kind,), limit=SUGGESTIONS + 1)
    except ValidationError:  # only operators typed: nothing to look for yet
        return []
    excluded = request.GET.get("excluding", "")
    return [hit.record for hit in hits if str(hit.record.pk) != excluded][:SUGGESTIONS]


@newsroom_only
def speakers(request):
    found = {"speakers": _hits(request, "speaker"), "typed": _typed(request)}
    return render(request, "desk/suggest/speakers.html", found)


@newsroom_only
def claims(request):
    found = {"claims": _hits(request, "claim"), "typed": _typed(request)}
    return render(request, "desk/suggest/claims.html", found)
