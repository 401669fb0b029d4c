"""Outlets and articles: recording them, and named edits that keep every quote anchored."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from claims.models import Article, Outlet
from claims.policy import require
from claims.services.base import assign, check_fields, edit_fields, locked, save, unique_slug
from claims.services.quotes import find_span

OUTLET_FIELDS = frozenset({"name", "kind", "homepage", "country"})
ARTICLE_FIELDS = frozenset(
    {"url", "outlet", "credited_to", "headline", "byline", "language", "published_at", "updated_at", "body"}
)


@transaction.atomic
def record_outlet(*, name: str, kind: str = "other", homepage: str = "", country: str = "", acting_user) -> Outlet:
    outlet = Outlet(name=name, slug=unique_slug(Outlet, name), kind=kind, homepage=homepage, country=country)
    require(acting_user, "add", outlet)
    return save(outlet, acting_user)


@transaction.atomic
def edit_outlet(outlet: Outlet, /, *, acting_user, **changes) -> Outlet:
    return edit_fields(outlet, changes, editable=OUTLET_FIELDS, what="outlet", acting_user=acting_user)


@transaction.atomic
def record_article(
    *,
    url: str,
    outlet: Outlet,
    headline: str,
    body: str,
    credited_to: Outlet | None = None,
    byline: str = "",
    language: str = "en",
    published_at: datetime.datetime | None = None,
    updated_at: datetime.datetime | None = None,
    acting_user,
) -> Article:
    article = Article(
        url=url,
        outlet=outlet,
        headline=headline,
        body=body,
        credited_to=credited_to,
        byline=byline,
        language=language,
        published_at=published_at,
        updated_at=updated_at,
    )
    require(acting_user, "add", article)
    return save(article, acting_user)


@transaction.atomic
def edit_article(article: Article, /, *, acting_user, **changes) -> Article:
    """Change an article; a changed body re-anchors every quote in it, or nothing changes.

    Each anchored quote is found again in the new body with the same tolerant
    finder recording uses, nearest its old place. If any cannot be placed, the
    edit is refused naming them, and the article and its quotes stay as they were.
    """
    check_fields(changes, ARTICLE_FIELDS, "article")
    article = locked(article)
    require(acting_user, "change", article)
    body_changed = "body" in changes and changes["body"] != article.body
    assign(article, changes)
    quotes = list(article.quotes.filter(start__isnull=False).order_by("start", "pk")) if body_changed else []
    lost = []
    for quote in quotes:
        span = find_span(article.body, quote.text, near=quote.start)
        if span is None:
            lost.append(quote)
            continue
        quote.start, quote.end = span
        quote.text = article.body[quote.start : quote.end]
        quote.article = article
    if lost:
        named = "; ".join(f"quote {quote.pk} “{quote.text[:60]}”" for quote in lost[:10])
        more = f" and {len(lost) - 10} more" if len(lost) > 10 else ""
        raise ValidationError(
            {
                "body": f"The new body no longer contains {len(lost)} recorded quote(s): {named}{more}. "
                "Keep their words in the body, or edit or remove those quotes first."
            }
        )
    save(article, acting_user, changed=changes)
    for quote in quotes:
        quote.full_clean()
    if quotes:
        bulk_update_with_history(quotes, type(quotes[0]), ["start", "end", "text"], default_user=acting_user)
    return article
