"""A claim's admin page shows what was checked before it: the claims with a verdict that say the same."""

import pytest
from django.urls import reverse

from claims.choices import Rating
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def page(client, user, claim) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_claim_page_lists_rated_claims_that_say_the_same(client, editor):
    checked = ClaimFactory(
        text="The border wall <script>x</script> will take years to build.", published=True, rating=Rating.FALSE
    )
    unrated = ClaimFactory(text="The border wall will take years to build, they said.")
    new = ClaimFactory(text="Building the border wall takes years", created_by=editor)
    shown = page(client, editor, new)
    assert "Checked before?" in shown
    assert reverse("admin:claims_claim_change", args=[checked.pk]) in shown
    assert "<mark>border</mark> <mark>wall</mark> &lt;script&gt;x&lt;/script&gt;" in shown
    assert reverse("admin:claims_claim_change", args=[unrated.pk]) not in shown
    assert f"{Rating.FALSE.label} · {checked.claimant} · Published" in shown


def test_nothing_checked_before_says_so(client, editor):
    shown = page(client, editor, ClaimFactory(text="?!", created_by=editor))
    assert "No claim with a verdict says the same." in shown
