"""What every desk page shares: the policy's answer at the door, lists in pages, a service's refusal on its form."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest, QueryDict

from claims.policy import can

# Rows on a page of any list.
PER_PAGE = 25
# Page numbers past this are refused: an OFFSET that deep reads the whole table, and nobody pages that far.
MAX_PAGE = 400


def newsroom_only(view: Callable) -> Callable:
    """Sign in first (anonymous), then the policy's answer: only the newsroom opens the desk's working pages."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can(request.user, "use_newsroom_tools"):
            raise PermissionDenied("Only the newsroom's reporters and editors work at the desk.")
        return view(request, *args, **kwargs)

    return checked


@dataclass(frozen=True)
class Page:
    """One page of a list, found with a single query: a row more than shown tells whether another page follows.

    No total is counted: on a million quotes COUNT(*) costs more than the page itself.
    """

    rows: list
    number: int
    has_next: bool
    query: QueryDict  # the request's other parameters, kept by the pager's links

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def link(self, number: int) -> str:
        query = self.query.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    @property
    def next_link(self) -> str:
        return self.link(self.number + 1)

    @property
    def previous_link(self) -> str:
        return self.link(self.number - 1)


def page_of(request: HttpRequest, rows: QuerySet, *, per_page: int = PER_PAGE) -> Page:
    """The page of `rows` the request asks for (?page=N); a bad or too deep number is the first or the last allowed."""
    try:
        number = min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        number = 1
    start = (number - 1) * per_page
    found = list(rows[start : start + per_page + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return Page(rows=found[:per_page], number=number, has_next=len(found) > per_page, query=query)


# What a service may refuse with: bad input named by field, or the policy's no.
REFUSALS = (ValidationError, PermissionDenied)


def refused_on(form: Form, error: Exception) -> None:
    """Show a service's refusal on the form: each field's reason beside it, the rest above the form.

    The form keeps what the editor typed, so a refused save loses nothing.
    """
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or "You may not do this.")
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class DeskFormRenderer(DjangoTemplates):
    """Django's form rendering with each field in its own block (settings.FORM_RENDERER); the admin renders its own."""

    field_template_name = "desk/forms/field.html"
