"""?ordering= that refuses what it cannot sort by, instead of silently sorting by the default.

DRF's OrderingFilter drops terms it does not know ("created_by__password",
"nonsense") and answers the default order, so a typo looks like a working
request. Here any unknown term is a 400 naming the parameter and the values
the endpoint takes. A view sorts by its `ordering_fields` and nothing else
(only "id" when it names none), and every order ends with the id, so cursor
pages of rows that tie stay stable.
"""

from rest_framework import exceptions
from rest_framework.filters import OrderingFilter


def accepted_orderings(view) -> list[str]:
    fields = list(getattr(view, "ordering_fields", None) or ["id"])
    return [term for field in fields for term in (field, f"-{field}")]


def with_tiebreak(ordering) -> tuple[str, ...]:
    """The ordering, ending with the id in the direction of its first term, unless it has the id already."""
    terms = tuple((ordering,) if isinstance(ordering, str) else ordering or ())
    if not terms or any(term.lstrip("-") in ("id", "pk") for term in terms):
        return terms
    return (*terms, "-id" if terms[0].startswith("-") else "id")


class StrictOrderingFilter(OrderingFilter):
    ordering_description = "How to sort: a field, or several separated by commas; a leading - sorts descending."

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if not raw:
            # Left out, or left blank as an unfilled form leaves it: the list's own order.
            return with_tiebreak(self.get_default_ordering(view))
        accepted = accepted_orderings(view)
        terms = [term.strip() for term in raw.split(",")]
        wrong = [term for term in terms if term not in accepted]
        if wrong or len({term.lstrip("-") for term in terms}) != len(terms):
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        f"Sort by {', '.join(accepted)}, or several of them separated by commas, each once; "
                        f"got “{raw[:100]}”."
                    ]
                }
            )
        return with_tiebreak(terms)

    def get_schema_operation_parameters(self, view):
        names = "|".join(str(field) for field in (getattr(view, "ordering_fields", None) or ["id"]))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"{self.ordering_description} One of: {', '.join(accepted_orderings(view))}.",
                "schema": {"type": "string", "pattern": f"^-?({names})(,-?({names}))*$"},
            }
        ]
