"""JSON-LD in pages: {% load jsonld %}, then {% claimreview_jsonld claim %} or {{ data|jsonld }}.

Both write one <script type="application/ld+json"> element whose JSON has <, >
and & escaped (claims.claimreview.jsonld_script), so a claim that reads
"</script><script>…" stays text in the JSON and never becomes markup.
"""

from django import template
from django.urls import reverse

from claims.claimreview import claim_review, jsonld_script

register = template.Library()


@register.filter(is_safe=True)
def jsonld(data):
    """Any JSON-serialisable value as a JSON-LD script element."""
    return jsonld_script(data)


@register.simple_tag(takes_context=True)
def claimreview_jsonld(context, claim, url=None):
    """The schema.org ClaimReview of a published claim, for search engines and fact-check aggregators.

    `url` is where the review is read: by default the page being rendered (or,
    without a request, the claim's ClaimReview in the API). A claim that is not
    published renders nothing: a draft's verdict is not for readers; nor does
    another fact-checker's imported verdict, whose ClaimReview is theirs to publish.
    """
    if not claim.is_published or claim.reviewed_by_id:
        return ""
    if url is None:
        request = context.get("request")
        path = reverse("api:claim-claimreview", args=[claim.pk])
        url = request.build_absolute_uri() if request is not None else path
    return jsonld_script(claim_review(claim, url=url))
