"""The shared cache of claims as readers are shown them: in the API, on their pages, in the ClaimReview feed,
in the public's search.

What a reader is shown of a claim depends on one thing about them, whether they are of the newsroom
(drafts, internal fields) or not (audience()), so an entry is kept per audience and address.

An entry is kept with the versions it was built under and served only while they are all current;
a change replaces the versions it touches, so an entry from before the change is never served again
(the next reader builds it anew over it); no reader can miss an invalidation. The versions, each per
audience but the last:

- one per claim: its row, its evidence, its relations, its quotes and topics,
  and the claims related to it (their text and status show on its page);
- one for claims as a set (lists, the feed, search), changed with every claim's;
- one for everything else (speakers, outlets, quotes, sources, articles), which
  a claim's answer shows too, and for bulk writes (imports, restore, merges);
- the newsroom's only, for rows just recorded, which are in no claim's answer until
  something links them: one for quotes as a set and one per speaker for their quotes
  (a new quote changes both), and one for speakers as a set (a new speaker or alias).

The public sees a quote or a speaker only while a published claim states or names it
(Quote.is_public, SpeakerQuerySet.public), so the public's answers about them move with the
public's claims and with everything else, and a row just recorded moves none of them.

The public's versions move only with what the public can see: a claim that is or was published, the
evidence of a published claim, a relation between two published claims. Drafts edited all day leave
the public's answers kept.

A version is a random token, never a counter: a version evicted from Redis comes back
as a new token, so an entry made under the old one is never taken for current. Every row
saved, deleted or re-linked through the ORM replaces its versions (signals, connected in
ClaimsConfig.ready); services that write in bulk, past the ORM's signals, call
changed_everything(). Versions change at once and again when the transaction commits: a
reader that filled an entry between the two, from the data before the commit, filled it
under a version that is not current after it.

The cache is CACHES["published"]: Redis when REDIS_URL is set; with no shared cache (one
process per version of the truth) it is the dummy cache and every read builds its answer.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

from claims.choices import ClaimStatus
from claims.models.base import sees_unpublished

# Besides claims, their evidence and relations: what a claim's answer shows of other rows.
OTHER_PARTS = ("Speaker", "SpeakerAlias", "Outlet", "Article", "Quote", "Source", "Topic")

EVERYTHING = "everything"
QUOTES = "quotes"
SPEAKERS = "speakers"
AUDIENCES = ("public", "newsroom")


@dataclass(frozen=True)
class Entry:
    """An answer as sent: its body, its content type and its ETag."""

    body: bytes
    content_type: str
    etag: str

    def response(self) -> HttpResponse:
        # ConditionalGetMiddleware turns it into a 304 when If-None-Match names the ETag.
        return HttpResponse(self.body, content_type=self.content_type, headers={"ETag": self.etag})


def _cache():
    return caches["published"]


def claim_entry(request, pk, build: Callable[[], Entry]) -> Entry:
    """One claim's answer at this address for this reader's audience: the claim, its page, its ClaimReview."""
    who = audience(request.user)
    return entry(name_for(request), (EVERYTHING, f"{who}:claim:{pk}"), build)


def claims_entry(request, build: Callable[[], Entry]) -> Entry:
    """An answer drawn from many claims (a list, the feed, a search) at this address for this reader's audience."""
    return entry(name_for(request), (EVERYTHING, f"{audience(request.user)}:claims"), build)


def quote_entry(request, build: Callable[[], Entry]) -> Entry:
    """One quote: its own fields, its speaker's and its article's, all of which move EVERYTHING."""
    return _quotes_or_speakers_entry(request, (), build)


def quotes_entry(request, build: Callable[[], Entry], *, speaker_id: int | None = None) -> Entry:
    """A list of quotes; one speaker's (the list the newsroom reads most) stays kept while others are recorded."""
    return _quotes_or_speakers_entry(request, (QUOTES if speaker_id is None else f"quotes-of:{speaker_id}",), build)


def speakers_entry(request, build: Callable[[], Entry]) -> Entry:
    """A speaker or a list of speakers (a list by name finds aliases too)."""
    return _quotes_or_speakers_entry(request, (SPEAKERS,), build)


def search_entry(request, build: Callable[[], Entry]) -> Entry:
    """Search results: claims, quotes and speakers, as this reader's audience may find them."""
    who = audience(request.user)
    recorded = (QUOTES, SPEAKERS) if who == "newsroom" else ()
    return entry(name_for(request), (EVERYTHING, f"{who}:claims", *recorded), build)


def _quotes_or_speakers_entry(request, recorded: tuple[str, ...], build: Callable[[], Entry]) -> Entry:
    public = audience(request.user) == "public"
    return entry(name_for(request), (EVERYTHING, *(("public:claims",) if public else recorded)), build)


def audience(user) -> str:
    """Who reads: every anonymous reader (and anyone outside the newsroom) reads what the public reads, and
    every member of the newsroom what the newsroom reads, so one kept answer serves each."""
    return "newsroom" if sees_unpublished(user) else "public"


def name_for(request) -> str:
    """An entry named by its audience and the address asked for, host and query included (answers carry links)."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"{audience(request.user)}:{address}"


def entry(name: str, versions: tuple[str, ...], build: Callable[[], Entry]) -> Entry:
    """The entry `name` if it was built under the current `versions`, else built now (and kept).

    The versions and the entry come in one round trip. `build` may raise (a 404 for a claim the
    public cannot see): nothing is kept then.
    """
    cache = _cache()
    key = "entry:" + name
    found = cache.get_many([*versions, key])
    current = tuple(_current(cache, version, found) for version in versions)
    kept = found.get(key)
    if kept is not None and kept[0] == current:
        return kept[1]
    built = build()
    # Under the versions read before building: a change made meanwhile has replaced them already.
    cache.set(key, (current, built))
    return built


def _current(cache, version: str, found: dict) -> str:
    if version in found:
        return found[version]
    # First read, or evicted: a new token. add() so that of two readers, both take the same one.
    cache.add(version, secrets.token_hex(8), timeout=None)
    return cache.get(version) or secrets.token_hex(8)


def changed(*versions: str) -> None:
    """Replace `versions` now and when the transaction that is writing commits."""
    _replace(versions)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _replace(versions))


def _replace(versions) -> None:
    _cache().set_many({version: secrets.token_hex(8) for version in versions}, timeout=None)


def changed_everything() -> None:
    changed(EVERYTHING, *(f"{who}:claims" for who in AUDIENCES))


def changed_claims(pks, *, public: bool) -> None:
    """Claims `pks` changed; `public` when the public could see the change (one of them is or was published)."""
    for who in AUDIENCES if public else ("newsroom",):
        changed(f"{who}:claims", *(f"{who}:claim:{pk}" for pk in pks))


def _any_published(pks) -> bool:
    from claims.models import Claim

    return Claim.objects.filter(pk__in=pks, status=ClaimStatus.PUBLISHED).exists()


def _claim_changed(sender, instance, **kwargs) -> None:
    from claims.models import ClaimRelation

    ends = ClaimRelation.objects.involving(instance.pk).order_by().values_list("from_claim", "to_claim")
    changed_claims({instance.pk, *(pk for pair in ends for pk in pair)}, public=instance.seen_by_the_public())


def _evidence_changed(sender, instance, **kwargs) -> None:
    changed_claims([instance.claim_id], public=_any_published([instance.claim_id]))


def _relation_changed(sender, instance, **kwargs) -> None:
    from claims.models import Claim

    ends = [instance.from_claim_id, instance.to_claim_id]
    # The public sees a relation only between two published claims (ClaimRelation.objects.public()).
    both = Claim.objects.filter(pk__in=ends, status=ClaimStatus.PUBLISHED).count() == len(set(ends))
    changed_claims(ends, public=both)


def _other_row_changed(sender, instance, created=False, **kwargs) -> None:
    # A new row is in no claim's answer until something links it (a signal of its own), but it is in the
    # newsroom's lists of its kind.
    if not created:
        changed_everything()
    elif sender._meta.model_name == "quote":
        changed(QUOTES, f"quotes-of:{instance.speaker_id}")
    elif sender._meta.model_name in ("speaker", "speakeralias"):
        changed(SPEAKERS)


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        changed_claims([instance.pk], public=instance.status == ClaimStatus.PUBLISHED)
    elif pk_set:
        changed_claims(pk_set, public=_any_published(pk_set))
    else:
        changed_everything()  # a quote's or topic's claims cleared: which ones is gone


def connect() -> None:
    from django.apps import apps

    from claims.models import Claim, ClaimRelation, Evidence

    for model, handler in ((Claim, _claim_changed), (Evidence, _evidence_changed), (ClaimRelation, _relation_changed)):
        post_save.connect(handler, sender=model, dispatch_uid=f"published-{model.__name__}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"published-{model.__name__}-delete")
    for name in OTHER_PARTS:
        model = apps.get_model("claims", name)
        post_save.connect(_other_row_changed, sender=model, dispatch_uid=f"published-{name}-save")
        post_delete.connect(_other_row_changed, sender=model, dispatch_uid=f"published-{name}-delete")
    for through in (Claim.quotes.through, Claim.topics.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"published-{through.__name__}")
