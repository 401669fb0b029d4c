"""The shared cache of claims as readers are shown them: in the API, on their pages, in the ClaimReview feed.

What a reader is shown of a claim depends on one thing about them, whether they are of the newsroom
(drafts, internal fields) or not (audience()), so an entry is kept per audience and address.

An entry's key holds versions, and a change replaces the versions it touches,
so an entry from before the change is never asked for again; nothing is
deleted and no reader can miss an invalidation. The versions:

- one per claim: its row, its evidence, its relations, its quotes and topics,
  and the claims related to it (their text and status show on its page);
- one for claims as a set (lists and the feed), changed with every claim's;
- one for everything else (speakers, outlets, quotes, sources, articles), which
  a claim's representation shows too, and for bulk writes (imports, restore, merges).

A version is a random token, never a counter: a version evicted from Redis comes back
as a new token, so an entry made under the old one is never taken for current. Every row
saved, deleted or re-linked through the ORM replaces its versions (signals, connected in
ClaimsConfig.ready); services that write in bulk, past the ORM's signals, call
changed_everything(). Versions change at once and again when the transaction commits: a
reader that filled an entry between the two, from the data before the commit, filled it
under a version no one asks for after it.

The cache is CACHES["published"]: Redis when REDIS_URL is set; with no shared cache (one
process per version of the truth) it is the dummy cache and every read builds its answer.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

from claims.models.base import sees_unpublished

# What a public representation shows: a change to any of these may change one.
CLAIM_PARTS = ("Claim", "Evidence", "ClaimRelation")
OTHER_PARTS = ("Speaker", "SpeakerAlias", "Outlet", "Article", "Quote", "Source", "Topic")

EVERYTHING = "everything"
CLAIMS = "claims"


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


# What a list of claims or the feed is kept under.
CLAIMS_VERSIONS = (EVERYTHING, CLAIMS)


def claim_version(pk) -> str:
    return f"claim:{pk}"


def claim_versions(pk) -> tuple[str, ...]:
    """What one claim's answers are kept under."""
    return (EVERYTHING, claim_version(pk))


def audience(user) -> str:
    """Who reads: every anonymous reader (and anyone outside the newsroom) reads what the public reads, and
    every member of the newsroom what the newsroom reads, so one kept answer serves each."""
    return "newsroom" if sees_unpublished(user) else "public"


def name_for(request) -> str:
    """An entry named by its audience and the address asked for, host and query included (answers carry links)."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"{audience(request.user)}:{address}"


def entry(name: str, versions: tuple[str, ...], build: Callable[[], Entry]) -> Entry:
    """The entry `name` under the current `versions`, built (and kept) when there is none.

    `build` may raise (a 404 for a claim the public cannot see): nothing is kept then.
    """
    cache = _cache()
    current = _current(cache, versions)
    key = "entry:" + name + ":" + ":".join(current[version] for version in versions)
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found)
    return found


def _current(cache, versions: tuple[str, ...]) -> dict[str, str]:
    current = cache.get_many(versions)
    for version in versions:
        if version not in current:
            # First read, or evicted: a new token. add() so that of two readers, both take the same one.
            cache.add(version, secrets.token_hex(8), timeout=None)
            current[version] = cache.get(version) or secrets.token_hex(8)
    return current


def changed(*versions: str) -> None:
    """Replace `versions` now and when the transaction that is writing commits."""
    _replace(versions)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _replace(versions))


def _replace(versions) -> None:
    _cache().set_many({version: secrets.token_hex(8) for version in versions}, timeout=None)


def changed_everything() -> None:
    changed(EVERYTHING, CLAIMS)


def changed_claims(pks) -> None:
    changed(CLAIMS, *(claim_version(pk) for pk in pks))


def _claim_row_changed(sender, instance, **kwargs) -> None:
    from claims.models import ClaimRelation

    if sender.__name__ == "Claim":
        ends = ClaimRelation.objects.filter(Q(from_claim=instance.pk) | Q(to_claim=instance.pk)).order_by()
        changed_claims({instance.pk, *(pk for pair in ends.values_list("from_claim", "to_claim") for pk in pair)})
    elif sender.__name__ == "Evidence":
        changed_claims([instance.claim_id])
    else:
        changed_claims([instance.from_claim_id, instance.to_claim_id])


def _other_row_changed(sender, instance, created=False, **kwargs) -> None:
    # A new speaker, quote or source is in no claim's representation until something links it (a signal of its own).
    if not created:
        changed_everything()


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:
        # From the quote's or topic's side: the claims named, or all of them for a clear().
        changed_claims(pk_set) if pk_set else changed_everything()
    else:
        changed_claims([instance.pk])


def connect() -> None:
    from django.apps import apps

    from claims.models import Claim

    for name in CLAIM_PARTS:
        model = apps.get_model("claims", name)
        post_save.connect(_claim_row_changed, sender=model, dispatch_uid=f"published-{name}-save")
        post_delete.connect(_claim_row_changed, sender=model, dispatch_uid=f"published-{name}-delete")
    for name in OTHER_PARTS:
        model = apps.get_model("claims", name)
        post_save.connect(_other_row_changed, sender=model, dispatch_uid=f"published-{name}-save")
        post_delete.connect(_other_row_changed, sender=model, dispatch_uid=f"published-{name}-delete")
    for through in (Claim.quotes.through, Claim.topics.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"published-{through.__name__}")
