"""The admin's home: panels of what the newsroom has, each a title, a template and one read.

A panel's read takes the reader and returns what its template shows, in one or
two aggregate queries whatever the number of rows (tests/claims/test_dashboard.py
pins each count). Adding a panel is a read here, its template in
templates/admin/dashboard/, and its line in PANELS; no other panel changes.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Substr, TruncWeek
from django.utils import timezone

from claims import reads
from claims.choices import ClaimStatus, Rating, Relation
from claims.models import Claim, ClaimRelation, ImportRun, Outlet, Quote, Speaker

# How many rows a ranked list or a log shows.
TOP = 10
# The weeks of the publication chart, this one included.
WEEKS = 26
# Enough of a changed row's text to recognise it.
LABEL_LENGTH = 100


@dataclass(frozen=True)
class Panel:
    """One part of the dashboard; `name` is its template under admin/dashboard/ and its HTML id."""

    name: str
    title: str
    read: Callable[[Any], Any]

    @property
    def template(self) -> str:
        return f"admin/dashboard/{self.name}.html"


@dataclass(frozen=True)
class Shown:
    panel: Panel
    data: Any


@dataclass(frozen=True)
class Tally:
    key: str | int  # what the admin's list filters by: a status, or an outlet's id
    label: str
    count: int


@dataclass(frozen=True)
class VerdictTally:
    rating: str
    label: str
    own: int  # this newsroom's verdicts
    others: int  # other fact-checkers' verdicts, brought in by imports


@dataclass(frozen=True)
class Week:
    starts: datetime.date
    count: int


@dataclass(frozen=True)
class ReviewQueue:
    total: int
    # The oldest waiting first (claims.reads.review_queue): each with entered_review_at (None when no
    # history row says when) and waiting_since, its claimant and its assignee.
    oldest: list[Claim]


@dataclass(frozen=True)
class ContradictedSpeaker:
    speaker: Speaker
    by_others: int  # contradictions between one of their claims and someone else's
    own: int  # flip-flops: contradictions between two of their own claims


@dataclass(frozen=True)
class Change:
    model: type
    object_id: int
    label: str
    kind: str  # simple_history's +, ~ or -
    when: datetime.datetime
    who: str

    @property
    def history_url_name(self) -> str:
        return f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_history"

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    @property
    def action(self) -> str:
        return CHANGE_KINDS[self.kind]


CHANGE_KINDS = {"+": "added", "~": "changed", "-": "deleted"}


# --- Claims ------------------------------------------------------------------------


def claims_by_status(user) -> list[Tally]:
    """How many claims are drafts, in review and published, in the workflow's order."""
    counts = dict(Claim.objects.visible_to(user).order_by().values_list("status").annotate(n=Count("pk")))
    return [Tally(status.value, status.label, counts.get(status.value, 0)) for status in ClaimStatus]


def claims_by_verdict(user) -> list[VerdictTally]:
    """Rated claims by verdict, worst to best, this newsroom's apart from other fact-checkers'."""
    rows = (
        Claim.objects.visible_to(user)
        .exclude(rating="")
        .order_by()
        .values_list("rating")
        .annotate(
            own=Count("pk", filter=Q(reviewed_by__isnull=True)), others=Count("pk", filter=Q(reviewed_by__isnull=False))
        )
    )
    counts = {rating: (own, others) for rating, own, others in rows}
    return [VerdictTally(rating.value, rating.label, *counts.get(rating.value, (0, 0))) for rating in Rating]


def first_chart_week(today: datetime.date) -> datetime.date:
    """The Monday WEEKS - 1 weeks before this week's."""
    return today - datetime.timedelta(days=today.weekday(), weeks=WEEKS - 1)


def published_per_week(user) -> list[Week]:
    """Claims published in each of the last WEEKS weeks (Monday to Sunday, local time), empty weeks included."""
    first = first_chart_week(timezone.localdate())
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = (
        Claim.objects.visible_to(user)
        .published()
        .filter(published_at__gte=since)
        .order_by()
        .annotate(week=TruncWeek("published_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
    )
    counts = {timezone.localtime(week).date(): n for week, n in rows}
    weeks = (first + datetime.timedelta(weeks=offset) for offset in range(WEEKS))
    return [Week(starts, counts.get(starts, 0)) for starts in weeks]


def review_queue(user) -> ReviewQueue:
    """The claims in review, the longest waiting first, with who has each (the assignee) and since when.

    The queue is claims.reads.review_queue's: a claim with no history of
    entering review (loaded in bulk) counts as waiting since it was recorded.
    """
    queue = reads.review_queue(user)
    # The ten found on the claims alone, then joined to who said and who has them: joining all first costs more.
    first = queue.values("pk")[:TOP]
    return ReviewQueue(total=queue.count(), oldest=list(queue.filter(pk__in=first)))


# --- Speakers and outlets ------------------------------------------------------------


def most_contradicted_speakers(user) -> list[ContradictedSpeaker]:
    """The speakers whose claims others contradict most, with their own flip-flops counted apart.

    Each contradiction counts once for each of its two claimants, or once as a
    flip-flop when both claims are the same speaker's. The pairs are the ORM's
    query (so visibility is the models'); counting both ends of each pair needs
    a common table expression read twice, which the ORM does not write.
    """
    pairs = (
        ClaimRelation.objects.visible_to(user)
        .filter(relation=Relation.CONTRADICTS)
        .order_by()
        .values_list("from_claim__claimant", "to_claim__claimant")
    )
    pairs_sql, params = pairs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH pairs (one_end, other_end) AS ({pairs_sql})"  # noqa: S608  (only the ORM's own SQL is interpolated)
            " SELECT speaker, SUM(1 - own) AS by_others, SUM(own) AS own FROM ("
            " SELECT one_end AS speaker, CASE WHEN one_end = other_end THEN 1 ELSE 0 END AS own FROM pairs"
            " UNION ALL SELECT other_end, 0 FROM pairs WHERE one_end <> other_end"
            " ) AS ends GROUP BY speaker ORDER BY by_others DESC, own DESC, speaker LIMIT %s",
            (*params, TOP),
        )
        ranked = cursor.fetchall()
    speakers = Speaker.objects.in_bulk([speaker for speaker, _, _ in ranked])
    return [ContradictedSpeaker(speakers[speaker], by_others, own) for speaker, by_others, own in ranked]


def outlets_by_quotes(user) -> list[Tally]:
    """The outlets whose articles hold the most recorded quotes.

    COUNT(*) grouped by the outlet alone lets PostgreSQL count from the index
    on quotes' articles without reading the quotes; the names come after.
    """
    rows = (
        Quote.objects.visible_to(user)
        .order_by()
        .values_list("article__outlet")
        .annotate(n=Count("*"))
        .order_by("-n", "article__outlet")[:TOP]
    )
    ranked = list(rows)
    outlets = Outlet.objects.in_bulk([outlet for outlet, _ in ranked])
    return [Tally(outlet, outlets[outlet].name, n) for outlet, n in ranked]


# --- Imports and changes -------------------------------------------------------------


def recent_imports(user) -> list[ImportRun]:
    """The latest imports, whatever their outcome, with who started them."""
    return list(ImportRun.objects.select_related("started_by")[:TOP])


# Kept in a history, but not changes to the record: the desk's internal discussion, read on each claim's page.
NOT_CHANGES = frozenset({"comment"})


@functools.cache
def recorded_histories() -> dict[str, tuple[type, type]]:
    """The claims app's models whose changes simple_history keeps, by name, each with its history model.

    Kept once: simple_history builds a new manager each time `Model.history` is read.
    """
    recorded = {}
    for model in apps.get_app_config("claims").get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager is not None and model._meta.model_name not in NOT_CHANGES:
            recorded[model._meta.model_name] = (model, getattr(model, manager).model)
    return recorded


def _label(historical: type):
    """The historical row's first naming text field, shortened; empty when it has none."""
    names = {field.name for field in historical._meta.fields}
    for name in ("name", "headline", "title", "text", "excerpt"):
        if name in names:
            return Substr(name, 1, LABEL_LENGTH)
    return Value("", output_field=CharField())


def recent_changes(user, *, by_others_than=None) -> list[Change]:
    """The latest changes to any recorded row, newest first, with who made them (one query across the histories).

    `by_others_than` leaves out one person's own changes (a person's desk shows what the others did).
    """
    recorded = recorded_histories()
    # Not exclude(history_user=None), which would also drop the changes nobody signed.
    others = {} if by_others_than is None else {"history_user": by_others_than}
    legs = [
        historical.objects.exclude(**others)
        .order_by()
        .values_list(
            Value(name, output_field=CharField()),
            "id",
            _label(historical),
            "history_type",
            "history_date",
            "history_user__username",
        )
        for name, (_, historical) in recorded.items()
    ]
    # Each history's latest rows come from its index on history_date; SQLite cannot order or
    # limit a leg of a union, so it sorts them all.
    if connection.features.supports_slicing_ordering_in_compound:
        legs = [leg.order_by("-history_date", "-history_id")[:TOP] for leg in legs]
    rows = legs[0].union(*legs[1:], all=True).order_by("-history_date")[:TOP]
    return [
        Change(recorded[name][0], object_id, label, kind, when, who or "")
        for name, object_id, label, kind, when, who in rows
    ]


PANELS = [
    Panel("status", "Claims by status", claims_by_status),
    Panel("verdicts", "Claims by verdict", claims_by_verdict),
    Panel("weekly", f"Claims published per week, last {WEEKS} weeks", published_per_week),
    Panel("review_queue", "Review queue", review_queue),
    Panel("contradicted", "Most contradicted speakers", most_contradicted_speakers),
    Panel("outlets", "Outlets with the most recorded quotes", outlets_by_quotes),
    Panel("imports", "Imports", recent_imports),
    Panel("changes", "Recent changes", recent_changes),
]


def dashboard(user) -> list[Shown]:
    """Every panel with its data, as `user` may read it."""
    return [Shown(panel, panel.read(user)) for panel in PANELS]
