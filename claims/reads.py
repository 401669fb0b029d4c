"""Reads in the newsroom's words, for every door: the API, the web desk, the admin dashboard.

Each read takes the reader (`user`) wherever what it returns depends on who
asks, and returns rows with what showing them needs already joined or
prefetched, so a page of them costs the same queries however long it is.
Nothing here knows about HTTP or Django REST framework: a bad filter value is
a django ValidationError naming the parameter.
"""

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from claims import filters, matching
from claims.choices import ClaimStatus, Relation
from claims.matching import ranking
from claims.matching import stored as matching_stored
from claims.matching import text as matching_text
from claims.models import Claim, ClaimRelation, Comment, Evidence, Quote, Speaker, sees_unpublished
from claims.policy import can, newsroom_members
from claims.search import Hit, is_postgres, normalise_query, search

# What showing a quote needs: its speaker, and its article's headline, outlet and date.
QUOTE_PARTS = ("speaker", "article__outlet")
# What showing a relation needs: both claims and their claimants.
RELATION_PARTS = ("from_claim__claimant", "to_claim__claimant")

# The ClaimReview feed and export: newest verdict first.
REVIEW_ORDER = ("-published_at", "-id")

# Nearly the same words: trigram similarity (PostgreSQL) or difflib's ratio (SQLite).
PRINTING_SIMILARITY = 0.6
MAX_PRINTINGS = 100
# Without trigrams, the newest of a speaker's quotes that are compared word by word.
PRINTING_CANDIDATES = 5000


# --- Speakers ---------------------------------------------------------------------


def with_visible_organization(speakers: QuerySet, user) -> QuerySet:
    """Speakers with `visible_organization`: their organisation if `user` may see it, else None.

    The organisation of a speaker the public may read can itself be unpublished
    work (nothing published quotes it); shown nested, it would tell what its
    own page does not. One query for the whole page, whatever its length.
    """
    return speakers.prefetch_related(
        Prefetch("organization", queryset=Speaker.objects.visible_to(user), to_attr="visible_organization")
    )


def speaker_statements(speaker: Speaker, user) -> QuerySet:
    """The speaker's quotes that `user` may read; callers order them (newest first: -said_on, -id)."""
    return Quote.objects.visible_to(user).filter(speaker=speaker).select_related(*QUOTE_PARTS)


def self_contradictions(speaker: Speaker, user) -> QuerySet:
    """Contradictions between two of the speaker's own claims, both of which `user` may read."""
    own = Claim.objects.visible_to(user).filter(claimant=speaker)
    return (
        ClaimRelation.objects.visible_to(user)
        .filter(relation=Relation.CONTRADICTS, from_claim__in=own, to_claim__in=own)
        .select_related(*RELATION_PARTS)
        .order_by("id")
    )


# --- Quotes -----------------------------------------------------------------------


def printings(quote: Quote, user, *, limit: int = MAX_PRINTINGS) -> list[Quote]:
    """Where else the quote's speaker was printed saying the same or nearly the same words, most alike first."""
    others = (
        Quote.objects.visible_to(user)
        .filter(speaker_id=quote.speaker_id)
        .exclude(pk=quote.pk)
        .select_related(*QUOTE_PARTS)
    )
    if is_postgres():
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            others.annotate(similarity=TrigramSimilarity("text", quote.text))
            .filter(similarity__gte=PRINTING_SIMILARITY)
            .order_by("-similarity", "pk")[:limit]
        )
    wanted = _comparable(quote.text)
    scored = []
    for other in others.order_by("-pk")[:PRINTING_CANDIDATES]:
        ratio = difflib.SequenceMatcher(None, wanted, _comparable(other.text)).ratio()
        if ratio >= PRINTING_SIMILARITY:
            scored.append((ratio, other))
    scored.sort(key=lambda pair: (-pair[0], pair[1].pk))
    return [other for _, other in scored[:limit]]


def _comparable(text: str) -> str:
    return " ".join(text.lower().split())


# --- Claims -----------------------------------------------------------------------


@dataclass(frozen=True)
class SidedRelation:
    """A relation as one of its claims reads it: "B supports A" is, from A, "supported_by B"."""

    relation: ClaimRelation
    name: str  # contradicts, supports, supported_by or same_claim
    claim: Claim  # the claim at the other end

    @property
    def id(self) -> int:
        return self.relation.pk

    @property
    def note(self) -> str:
        return self.relation.note


SUPPORTED_BY = "supported_by"


def relations_from_side(claim: Claim, user) -> list[SidedRelation]:
    """The claims `claim` contradicts, supports, is supported by, or restates, that `user` may read."""
    relations = ClaimRelation.objects.visible_to(user).involving(claim).select_related(*RELATION_PARTS).order_by("id")
    sided = []
    for relation in relations:
        name = relation.relation
        if name == Relation.SUPPORTS and relation.to_claim_id == claim.pk:
            name = SUPPORTED_BY
        sided.append(SidedRelation(relation=relation, name=name, claim=relation.other(claim)))
    return sided


def drafts_by(user) -> QuerySet:
    """The claims `user` drafted and has not yet sent for review, the latest touched first."""
    return (
        Claim.objects.filter(created_by=user.pk, status=ClaimStatus.DRAFT)
        .select_related("claimant")
        .order_by("-modified_at", "-id")
    )


def reviewable_claims() -> QuerySet:
    """This newsroom's published verdicts, newest first, with what their ClaimReview shows.

    Claimant, reviewer and quotes' articles come joined. Another fact-checker's
    imported verdict is left out: a ClaimReview is the reviewer's to publish
    (search engines take one only from the site that hosts the review). Only
    published work has a review, so this is the same for every reader.
    """
    return (
        Claim.objects.published()
        .filter(reviewed_by__isnull=True)
        .select_related("claimant", "reviewer")
        .prefetch_related(Prefetch("quotes", queryset=Quote.objects.select_related("article__outlet")))
        .order_by(*REVIEW_ORDER)
    )


# --- Search -----------------------------------------------------------------------

SEARCH_KINDS = ("quote", "claim", "speaker")
# The lists' filters search takes, by the kind they narrow.
SEARCH_FILTERS = {"quote": filters.QuoteFilter, "claim": filters.ClaimFilter}


def each_of(
    rows: QuerySet, ids: Sequence[int], *, chunk: int = 2000, progress: Callable[[int, int], None] | None = None
) -> Iterator:
    """The rows of `rows` whose ids are `ids`, in the order of `ids`, read `chunk` ids a query.

    For a selection kept as ids (an export job's): one IN list of them all would pass SQLite's limit on
    bound parameters, and each chunk costs the same queries, prefetches included, however long the list.
    An id no longer in `rows` (deleted, unpublished, no longer visible) is left out. `progress(done, total)`
    hears after each chunk.
    """
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        found = {row.pk: row for row in rows.filter(pk__in=part)}
        yield from (found[pk] for pk in part if pk in found)
        if progress is not None:
            progress(start + len(part), len(ids))


def searchable(kind: str, user) -> QuerySet:
    """The rows of one kind that `user` may find, with what showing a hit needs."""
    if kind == "quote":
        return Quote.objects.visible_to(user).select_related(*QUOTE_PARTS)
    if kind == "claim":
        return Claim.objects.visible_to(user).select_related("claimant")
    if kind == "speaker":
        return Speaker.objects.visible_to(user)
    raise ValueError(f"Nothing of kind {kind!r} is searched; the kinds are {', '.join(SEARCH_KINDS)}.")


def search_filter_names() -> set[str]:
    return {name for filterset in SEARCH_FILTERS.values() for name in filterset.base_filters}


def search_newsroom(
    user, q: str, *, kinds: Iterable[str] = SEARCH_KINDS, limit: int, params: Mapping[str, str] | None = None
) -> list[Hit]:
    """The best `limit` hits for `q` among what `user` may read, narrowed by the lists' filters in `params`.

    A quote filter narrows the quotes and a claim filter the claims; speakers
    are found by name alone. Raises ValidationError naming a bad filter value.
    """
    if not normalise_query(q):
        raise ValidationError({"q": 'This query has no words to search for, only operators (- " or).'})
    params = params or {}
    querysets = {}
    for kind in kinds:
        queryset = searchable(kind, user)
        filterset_class = SEARCH_FILTERS.get(kind)
        if filterset_class is not None:
            given = {name: value for name, value in params.items() if name in filterset_class.base_filters}
            filterset = filterset_class(given, queryset=queryset, user=user)
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            queryset = filterset.qs
        querysets[kind] = queryset
    return search(querysets, q, limit=limit)


# --- Checked before? ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckedBefore:
    """A claim with a verdict that states what a new text says, and why the matcher thinks so."""

    claim: Claim
    match: ranking.Match  # score, and the terms, names and numbers shared
    highlighted: str  # the claim's text, escaped, with the shared words in <mark>


def rated_claims(user) -> QuerySet:
    """The claims with a verdict that `user` may read: what a new text is matched against."""
    return Claim.objects.visible_to(user).exclude(rating="").select_related("claimant")


def checked_before(text: str, user, *, limit: int = 5, excluding: Claim | None = None) -> list[CheckedBefore]:
    """The rated claims `user` may read that say what `text` says, best first (claims.matching).

    Raises ValidationError on `text` when there is nothing in it to match.
    """
    if reason := matching_text.problem(text):
        raise ValidationError({"text": f"This text {reason}."})
    query = matching_text.analyse(text)
    rated = rated_claims(user)
    if excluding is not None:
        rated = rated.exclude(pk=excluding.pk)
    rows, documents, statistics = matching_stored.candidates(rated, query)
    by_id = {row.pk: row for row in rows}
    return [
        CheckedBefore(
            claim=by_id[match.checked.key],
            match=match,
            highlighted=matching_text.marked(by_id[match.checked.key].text, set(match.shared_terms)),
        )
        for match in ranking.rank(query, documents, statistics, matching.configured(), limit=limit)
    ]


def checked_before_claim(claim: Claim, user, *, limit: int = 5) -> list[CheckedBefore]:
    """The rated claims `user` may read that say what `claim` says, other than itself, best first.

    None for a claim whose text has no words to match: a page shows an empty panel, not an error.
    """
    try:
        return checked_before(claim.text, user, limit=limit, excluding=claim)
    except ValidationError:
        return []


# --- Assignment and discussion --------------------------------------------------------


def assigned_to(user) -> QuerySet:
    """The claims `user` has been given to check that are not published yet, the longest assigned first.

    Claimant joined. Empty for anyone outside the newsroom (no one assigns them).
    """
    if user is None or not user.is_authenticated:
        return Claim.objects.none()
    return (
        Claim.objects.visible_to(user)
        .unpublished()
        .filter(assignee=user.pk)
        .select_related("claimant")
        .order_by("assigned_at", "pk")
    )


def comments_on(claim: Claim, user) -> QuerySet:
    """The comments on `claim` that `user` may read, oldest first, with author and resolver joined.

    The newsroom reads the whole discussion, resolved comments included (Comment.is_resolved
    tells them apart; `.open()` narrows to the rest); the public reads none, on any claim.
    """
    return (
        Comment.objects.visible_to(user)
        .filter(claim=claim)
        .select_related("author", "resolved_by")
        .order_by("created_at", "id")
    )


def review_queue(user) -> QuerySet:
    """The claims in review that `user` may read, the longest waiting first: the desk's queue, for a page to paginate.

    Each has `entered_review_at` (when it last went into review; None for a claim
    with no such history, loaded in bulk) and `waiting_since` (that, else when the
    claim was recorded: what the queue is ordered by), with claimant and assignee
    (who has it, and since `assigned_at`) joined. The order is the database's, so
    a page of it costs the same queries however long the queue.
    """
    return (
        Claim.objects.visible_to(user)
        .in_review()
        .with_entered_review()
        .annotate(waiting_since=Coalesce("entered_review_at", "created_at"))
        .select_related("claimant", "assignee")
        .order_by("waiting_since", "pk")
    )


def assignable_people(user) -> QuerySet:
    """Who `user` may be shown as able to take a claim: the active reporters and editors, by username.

    What a page offers when an editor assigns a claim (services.assign_claim refuses anyone else);
    nobody for readers outside the newsroom.
    """
    if not sees_unpublished(user):
        return newsroom_members().none()
    return newsroom_members()


# --- The desk's claim pages -------------------------------------------------------------


def desk_claims(user) -> QuerySet:
    """The claims `user` may read, for the desk's list: the latest changed first, with claimant and assignee joined."""
    return Claim.objects.visible_to(user).select_related("claimant", "assignee").order_by("-modified_at", "-id")


def claim_for_page(user) -> QuerySet:
    """The claims `user` may read, each with what its page and its ClaimReview show in one query and two prefetches.

    Claimant, reviewer, assignee, author and the outside reviewer joined; topics, and the quotes `user` may
    read that state it (speaker, article and outlet joined; in the order they were said) prefetched.
    """
    stating = (
        Quote.objects.visible_to(user).select_related(*QUOTE_PARTS).order_by(F("said_on").asc(nulls_last=True), "id")
    )
    return (
        Claim.objects.visible_to(user)
        .select_related("claimant", "reviewer", "assignee", "created_by", "reviewed_by")
        .prefetch_related("topics", Prefetch("quotes", queryset=stating))
    )


def evidence_for(claim: Claim, user) -> list[Evidence]:
    """The evidence on `claim` that `user` may read, in the order it was attached, with source and outlet joined.

    Each row's claim is `claim` itself, so asking the policy about a row reads nothing more.
    """
    rows = list(Evidence.objects.visible_to(user).filter(claim=claim).select_related("source__outlet").order_by("id"))
    for row in rows:
        row.claim = claim
    return rows


@dataclass(frozen=True)
class StatusMove:
    """A status a claim may move to next, and what the button doing it says."""

    status: str
    label: str


_MOVE_LABELS = {
    (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW): "Send for review",
    (ClaimStatus.DRAFT, ClaimStatus.PUBLISHED): "Publish",
    (ClaimStatus.IN_REVIEW, ClaimStatus.DRAFT): "Back to draft",
    (ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED): "Publish",
    (ClaimStatus.PUBLISHED, ClaimStatus.IN_REVIEW): "Unpublish (back to review)",
}


def status_moves(claim: Claim, user) -> list[StatusMove]:
    """The moves of `claim` through draft → in review → published that `user` may make, as services allow them.

    The same transitions and the same question to the policy as services.change_claim_status
    ("publish" for a move into or out of published, "change" otherwise), so a button shown is one
    the service accepts, except for what depends on the claim's content (publishing needs a rating).
    """
    from claims.services.claims import STATUS_TRANSITIONS

    moves = []
    for status in ClaimStatus.values:
        if status not in STATUS_TRANSITIONS[claim.status]:
            continue
        action = "publish" if ClaimStatus.PUBLISHED in (status, claim.status) else "change"
        if can(user, action, claim):
            moves.append(StatusMove(status=status, label=_MOVE_LABELS.get((claim.status, status), status)))
    return moves


# --- Speakers' pages --------------------------------------------------------------------


def counted(rows: QuerySet):
    """A correlated COUNT of `rows` (filtered on an OuterRef): a page of parents counts over an index, never a GROUP BY
    of every child row."""
    from django.db.models import F, Func, Subquery
    from django.db.models.functions import Coalesce

    return Coalesce(Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]), 0)


def with_record_counts(speakers: QuerySet, user) -> QuerySet:
    """Speakers with `quote_count` and `claim_count`: how many of their quotes and claims `user` may read.

    Two correlated counts over the speaker indexes of quotes and claims, so a page of speakers is one query.
    """
    from django.db.models import OuterRef

    return speakers.annotate(
        quote_count=counted(Quote.objects.visible_to(user).filter(speaker=OuterRef("pk"))),
        claim_count=counted(Claim.objects.visible_to(user).filter(claimant=OuterRef("pk"))),
    )


def claims_by(speaker: Speaker, user) -> QuerySet:
    """The claims `speaker` made that `user` may read, the latest said first (undated last), claimant joined."""
    from django.db.models import F

    return (
        Claim.objects.visible_to(user)
        .filter(claimant=speaker)
        .select_related("claimant")
        .order_by(F("made_on").desc(nulls_last=True), "-id")
    )


def contradictions_with_others(speaker: Speaker, user) -> QuerySet:
    """Contradictions between one of the speaker's claims and someone else's, both of which `user` may read.

    The complement of self_contradictions: exactly one end is the speaker's. Both claims and their
    claimants come joined; the newest link first.
    """
    from django.db.models import Q

    own = Claim.objects.visible_to(user).filter(claimant=speaker).values("pk")
    theirs_first, theirs_second = Q(from_claim__in=own), Q(to_claim__in=own)
    return (
        ClaimRelation.objects.visible_to(user)
        .filter(relation=Relation.CONTRADICTS)
        .filter((theirs_first & ~theirs_second) | (~theirs_first & theirs_second))
        .select_related(*RELATION_PARTS)
        .order_by("-id")
    )
