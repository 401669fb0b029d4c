"""Published verdicts as schema.org ClaimReview, field for field as schema.org's own examples.

https://schema.org/ClaimReview: claimReviewed, reviewRating (a Rating with
ratingValue, bestRating, worstRating and the verdict's name as alternateName),
itemReviewed (a Claim with author, datePublished and appearance), author (the
fact-checking organisation), datePublished and url.

In a page, JSON-LD goes in a <script type="application/ld+json"> element;
jsonld_script() writes one with <, > and & escaped as JSON's own \\u003C,
\\u003E and \\u0026 (as django.utils.html.json_script does), so no text in a
claim can close the element or open another. The API's JSON answers are not
HTML and need no such escaping.
"""

import json
from collections.abc import Iterable
from typing import TextIO

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from claims.choices import BEST_RATING_VALUE, RATING_VALUES, WORST_RATING_VALUE, SpeakerKind
from claims.models import Claim, Speaker

SCHEMA_CONTEXT = "https://schema.org"
# What could end the script element or start markup, as JSON escapes that parse back to the same characters.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _person_or_organization(speaker: Speaker) -> dict:
    node = {
        "@type": "Person" if speaker.kind == SpeakerKind.PERSON else "Organization",
        "name": speaker.name,
    }
    if speaker.kind == SpeakerKind.PERSON and speaker.description:
        node["jobTitle"] = speaker.description
    if speaker.wikidata_id:
        node["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
    return node


def claim_review(claim: Claim, *, url: str) -> dict:
    """The ClaimReview for a published claim; `url` is where the review can be read.

    Expects the claim with claimant, reviewer and quotes→article→outlet
    prefetched (ClaimReview feeds render many at once).
    """
    quotes = sorted(claim.quotes.all(), key=lambda q: (q.said_on is None, q.said_on, q.pk))
    appearances = []
    seen = set()
    for quote in quotes:
        article = quote.article
        if article.url in seen:
            continue
        seen.add(article.url)
        appearance = {"@type": "NewsArticle", "url": article.url, "headline": article.headline}
        if article.published_at:
            appearance["datePublished"] = article.published_at.date().isoformat()
        appearance["publisher"] = {"@type": "Organization", "name": article.outlet.name}
        appearances.append(appearance)

    item_reviewed = {"@type": "Claim", "author": _person_or_organization(claim.claimant)}
    if claim.made_on:
        item_reviewed["datePublished"] = claim.made_on.isoformat()
    if appearances:
        item_reviewed["appearance"] = appearances
        item_reviewed["firstAppearance"] = appearances[0]

    author = {"@type": "Organization", "name": settings.FACTCHECK_PUBLISHER_NAME}
    if settings.FACTCHECK_PUBLISHER_URL:
        author["url"] = settings.FACTCHECK_PUBLISHER_URL

    review = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "itemReviewed": item_reviewed,
        "author": author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[claim.rating],
            "bestRating": BEST_RATING_VALUE,
            "worstRating": WORST_RATING_VALUE,
            "alternateName": claim.get_rating_display(),
        },
    }
    if claim.rating_summary:
        review["reviewRating"]["ratingExplanation"] = claim.rating_summary
    if claim.published_at:
        review["datePublished"] = claim.published_at.date().isoformat()
    if claim.modified_at:
        review["dateModified"] = claim.modified_at.date().isoformat()
    # Only a full name is public; an account name is not.
    if claim.reviewer_id and claim.reviewer.get_full_name():
        review["creator"] = {"@type": "Person", "name": claim.reviewer.get_full_name()}
    return review


def data_feed(reviews: Iterable[dict]) -> dict:
    """ClaimReviews as one schema.org DataFeed: a page of the API's feed, or the whole export file."""
    return {"@context": SCHEMA_CONTEXT, "@type": "DataFeed", "dataFeedElement": list(reviews)}


def write_feed(claims: Iterable[Claim], handle: TextIO, *, base_url: str) -> int:
    """Claims (as reads.reviewable_claims() gives them) as one DataFeed file on `handle`; how many reviews.

    Each review's url is its claim's claimreview/ at `base_url` ("https://facts.example.org"), as the API's
    feed links it. The file the export_claimreview command, the admin's action and its export job write.
    """
    reviews = (
        claim_review(claim, url=base_url + reverse("api:claim-claimreview", args=[claim.pk])) for claim in claims
    )
    feed = data_feed(reviews)
    json.dump(feed, handle, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    handle.write("\n")
    return len(feed["dataFeedElement"])


def jsonld_script(data) -> SafeString:
    """`data` as a <script type="application/ld+json"> element, safe to embed anywhere in a page's HTML."""
    encoded = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # U+2028 and U+2029 end a line in older JavaScript parsers; escaped, they read the same as JSON.
    encoded = encoded.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(encoded))  # noqa: S308
