"""Every kind of desk page, on the demo newsroom, passes axe-core for the newsroom and for the public.

The walks (test_seed_walk.py and the topic tests) check pages as they are used; this sweep makes sure no
page is left out of the accessibility check, the lists and the empty states included.
"""

import pytest

from claims.devdata.demo import load_demo
from claims.models import Article, Claim, Speaker
from tests.browser.desk import assert_accessible, screenshot, sign_in


@pytest.fixture
def demo(accounts):
    load_demo()
    return {
        "claim": Claim.objects.in_review().first(),
        "published": Claim.objects.published().first(),
        "article": Article.objects.first(),
        "speaker": Speaker.objects.get(name="Helena Marsh"),
    }


def newsroom_pages(demo) -> dict[str, str]:
    return {
        "home": "/",
        "intake": "/articles/new/",
        "articles": "/articles/",
        "article": f"/articles/{demo['article'].pk}/",
        "claims": "/claims/",
        "claims-in-review": "/claims/?status=in_review",
        "new-claim": f"/claims/new/?quotes={demo['claim'].quotes.first().pk}",
        "claim": f"/claims/{demo['claim'].pk}/",
        "speakers": "/speakers/",
        "speaker": f"/speakers/{demo['speaker'].slug}/",
        "speaker-claims": f"/speakers/{demo['speaker'].slug}/?show=claims",
        "search": "/search/?q=budget",
        "search-empty": "/search/",
        "changes": f"/changes/claim/{demo['claim'].pk}/",
        "verdicts": "/verdicts/",
    }


def test_every_newsroom_page_passes_axe(page, live_server, accounts, demo):
    sign_in(page, live_server, accounts.editor.username, accounts.editor.password)
    for name, path in newsroom_pages(demo).items():
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert_accessible(page, f"{name} ({path}), as an editor")
        screenshot(page, f"every-page/{name}")


def test_every_public_page_passes_axe(page, demo):
    for name, path in {
        "verdicts": "/",
        "claim": f"/claims/{demo['published'].pk}/",
        "article": f"/articles/{demo['published'].quotes.first().article_id}/",
        "speakers": "/speakers/",
        "speaker": f"/speakers/{demo['published'].claimant.slug}/",
        "search": "/search/?q=budget",
        "sign-in": "/signin/",
    }.items():
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert_accessible(page, f"{name} ({path}), as the public")
        screenshot(page, f"every-page/public-{name}")
