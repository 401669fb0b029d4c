"""The search page (/search/): the API's search and filters, over what the reader may see, with safe highlights."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from claims.choices import ClaimStatus, Rating
from claims.views.search import safe_snippet
from tests.desk import PAYLOAD
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, QuoteFactory, SpeakerFactory

URL = reverse("desk:search")


def quote_of(speaker, text, *, outlet=None, said_on=datetime.date(2023, 8, 21), published=True):
    article = ArticleFactory(body=f"Lead. {text} End.", **({"outlet": outlet} if outlet else {}))
    quote = QuoteFactory(article=article, speaker=speaker, text=text, said_on=said_on)
    claim = ClaimFactory(claimant=speaker, published=published, text=f"Stated: {text}")
    claim.quotes.add(quote)
    return quote


def body(response) -> str:
    """The page, with the highlights' <mark> tags taken out so the words read as stored."""
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def markup(response) -> str:
    return response.content.decode()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_an_empty_page_explains_the_search(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    page = body(response)
    assert "How to search" in page
    assert 'name="q"' in page and 'role="search"' in page
    # One form, plain GET without JavaScript.
    assert 'method="get"' in page and f'action="{URL}"' in page


def test_the_public_finds_published_work_only(client, db):
    speaker = SpeakerFactory(name="Helena Marsh")
    ClaimFactory(claimant=speaker, published=True, text="Drones were delivered in August.")
    ClaimFactory(claimant=speaker, text="Drones were a draft idea.")

    page = body(client.get(URL, {"q": "drones"}))

    assert "were delivered in August." in page
    assert "a draft idea" not in page
    assert 'class="status' not in page  # no workflow labels for readers


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_the_newsroom_finds_drafts_labelled_with_their_status(client, request, persona, db):
    ClaimFactory(text="Drones were a draft idea.", status=ClaimStatus.DRAFT)
    ClaimFactory(text="Drones under review.", status=ClaimStatus.IN_REVIEW)
    client.force_login(request.getfixturevalue(persona))

    page = body(client.get(URL, {"q": "drones"}))

    assert "a draft idea" in page and "under review" in page
    assert 'class="status status--draft">Draft' in page
    assert 'class="status status--in_review">In review' in page


def test_hits_are_highlighted_and_stored_text_escaped_inside_the_highlight(client, db):
    speaker = SpeakerFactory(name=PAYLOAD)
    ClaimFactory(claimant=speaker, published=True, text=f"Drones {PAYLOAD} drones again")
    quote_of(speaker, f"drones {PAYLOAD}")

    response = client.get(URL, {"q": "drones"})

    page = markup(response)
    assert response.status_code == 200
    assert "<mark>drones</mark>" in page.lower()
    assert "<script>alert(1)</script>" not in page
    assert '" onmouseover="x' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in page


def test_a_speaker_named_like_the_query_is_found_with_a_highlight(client, db):
    speaker = SpeakerFactory(name=f"Ryabkov {PAYLOAD}")
    ClaimFactory(claimant=speaker, published=True)

    page = markup(client.get(URL, {"q": "Ryabkov", "type": "speaker"}))

    assert reverse("desk:speaker", args=[speaker.slug]) in page
    assert "<mark>Ryabkov</mark>" in page
    assert "<script>alert(1)</script>" not in page


def test_a_snippet_with_any_other_markup_is_escaped_whole():
    assert str(safe_snippet("the <mark>drones</mark> &amp; more")) == "the <mark>drones</mark> &amp; more"
    assert "<b>" not in safe_snippet("<b>bold</b> <mark>x</mark>")
    assert "&lt;b&gt;" in safe_snippet("<b>bold</b> <mark>x</mark>")


def _desk(name, pk):
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def test_each_hit_leads_to_its_page(client, editor):
    speaker = SpeakerFactory(name="Drone Minister")
    claim = ClaimFactory(claimant=speaker, published=True, text="Drones were delivered.")
    quote = quote_of(speaker, "the drones arrived")

    public = body(client.get(URL, {"q": "drones"}))
    speakers = body(client.get(URL, {"q": "Drone Minister", "type": "speaker"}))
    client.force_login(editor)
    newsroom = body(client.get(URL, {"q": "drones"}))

    assert f'href="{reverse("desk:claim", args=[claim.pk])}"' in public
    assert f'href="{quote.article.url}"' in public  # the public reads the article where it was published
    assert f'href="{reverse("desk:speaker", args=[speaker.slug])}"' in speakers
    article = _desk("desk:article", quote.article_id)
    assert (f'href="{article}#quote-{quote.pk}"' if article else f'href="{quote.article.url}"') in newsroom


def test_filters_narrow_as_the_apis_do(editor_client):
    wanted_speaker = SpeakerFactory(name="Helena Marsh")
    other = SpeakerFactory(name="Tom Okafor")
    outlet = OutletFactory(name="Daily Planet", slug="daily-planet")
    wanted_quote = quote_of(wanted_speaker, "drones over the bay", outlet=outlet)
    quote_of(other, "drones over the hills", outlet=outlet)
    quote_of(wanted_speaker, "drones in the archive", said_on=datetime.date(2019, 1, 1))
    ClaimFactory(claimant=wanted_speaker, text="Drones cost millions.", status=ClaimStatus.IN_REVIEW)
    ClaimFactory(claimant=wanted_speaker, text="Drones cost billions.", rating=Rating.FALSE)
    query = {
        "q": "drones",
        "speaker": wanted_speaker.pk,
        "outlet": "daily-planet",
        "said_on_after": "2020-01-01",
        "claimant": wanted_speaker.pk,
        "status": "in_review",
    }

    desk = body(editor_client.get(URL, query))
    api = editor_client.get(reverse("api:search"), query).json()

    assert "drones over the bay" in desk
    assert "drones over the hills" not in desk and "drones in the archive" not in desk
    assert "Drones cost millions." in desk and "Drones cost billions." not in desk
    found = {(hit["type"], hit["id"]) for hit in api["results"]}
    shown = {(kind, pk) for kind, pk in found if f"hit-{kind}-{pk}" in desk}
    assert ("quote", wanted_quote.pk) in found
    assert shown == found


def test_what_to_search_is_the_apis_type(editor_client):
    ClaimFactory(text="Drones claim.")
    SpeakerFactory(name="Drones Inc")

    claims_only = body(editor_client.get(URL, {"q": "drones", "type": "claim"}))
    both = body(editor_client.get(URL, {"q": "drones", "type": "claim,speaker"}))

    assert "Drones claim." in claims_only and "Drones Inc" not in claims_only
    assert "Drones claim." in both and "Drones Inc" in both


def test_a_bad_filter_value_is_the_filtersets_message_beside_it_keeping_what_was_typed(editor_client):
    response = editor_client.get(URL, {"q": "drones", "said_on_after": "2023-13-45", "rating": "awful"})

    assert response.status_code == 400
    page = body(response)
    assert "Enter a valid date." in page
    assert 'id="id_said_on_after_error"' in page
    assert 'value="2023-13-45"' in page
    assert "Select a valid choice. awful is not one of the available choices." in page
    assert 'value="drones"' in page


def test_a_bad_speaker_id_is_named_beside_the_speaker_filter(editor_client):
    response = editor_client.get(URL, {"q": "drones", "speaker": "abc"})

    assert response.status_code == 400
    page = body(response)
    assert "Use a row id: a whole number from 1 to" in page
    assert 'id="speaker-errors"' in page


def test_a_speaker_typed_by_name_without_javascript_is_found_by_name_or_alias(client, db):
    speaker = SpeakerFactory(name="Sergei Ryabkov")
    speaker.aliases.create(name="Ryabkov")
    quote_of(speaker, "drones were never sent")
    quote_of(SpeakerFactory(name="Someone Else"), "drones were sent")

    found = client.get(URL, {"q": "drones", "type": "quote", "speaker_q": "Ryabkov"})
    unknown = client.get(URL, {"q": "drones", "speaker_q": "Nobody Atall"})

    assert found.status_code == 200
    assert "drones were never sent" in body(found) and "drones were sent" not in body(found)
    assert unknown.status_code == 400
    assert "No speaker on record is called “Nobody Atall”" in body(unknown)
    assert 'value="Nobody Atall"' in body(unknown)


def test_a_query_of_only_operators_gets_the_reads_message(client, db):
    response = client.get(URL, {"q": '-- " or'})

    assert response.status_code == 400
    assert "This query has no words to search for, only operators" in body(response)


def test_a_query_too_long_is_refused_as_the_api_does(client, db):
    response = client.get(URL, {"q": "x" * 201})

    assert response.status_code == 400
    assert "Give between 1 and 200 characters to search for." in body(response)


def test_an_unknown_type_is_refused_as_the_api_does(client, db):
    response = client.get(URL, {"q": "drones", "type": "quote,article"})

    assert response.status_code == 400
    assert "Use any of quote, claim, speaker, comma-separated." in body(response)


def test_htmx_asks_for_the_results_region_alone(client, db):
    ClaimFactory(published=True, text="Drones were delivered.")

    response = client.get(URL, {"q": "drones"}, headers={"HX-Request": "true"})

    page = body(response)
    assert response.status_code == 200
    assert "<html" not in page and "Drones were delivered." in page
    assert 'id="filters-heading"' in page  # the filters come with it, so their errors show
    assert 'name="q"' not in page  # the box being typed in is never replaced
    assert "HX-Request" in response["Vary"]


def test_htmx_restoring_history_gets_the_whole_page(client, db):
    response = client.get(URL, {"q": "drones"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert "<html" in body(response)


def test_the_public_gets_no_newsroom_only_status_filter(client, editor):
    public = body(client.get(URL))
    client.force_login(editor)
    newsroom = body(client.get(URL))

    assert 'name="status"' not in public and 'name="status"' in newsroom
    # The type-ahead is the newsroom's; the public types a name.
    assert reverse("desk:suggest_speakers") not in public and reverse("desk:suggest_speakers") in newsroom


def test_filters_from_an_api_url_the_page_does_not_offer_are_kept_and_named(editor_client):
    ClaimFactory(text="Drones one.", reviewed_by=None)

    page = body(editor_client.get(URL, {"q": "drones", "imported": "false"}))

    assert "imported=false" in page
    assert '<input type="hidden" name="imported" value="false">' in page
    assert "Drones one." in page


def test_no_hit_says_so(client, db):
    page = body(client.get(URL, {"q": "zeppelins"}))

    assert "Nothing published matches “zeppelins”" in page


@pytest.mark.parametrize("persona", ["anonymous", "editor"])
def test_the_page_costs_the_same_queries_with_more_hits(client, request, persona, db):
    if persona == "editor":
        client.force_login(request.getfixturevalue("editor"))
    speaker = SpeakerFactory(name="Drone Speaker")
    quote_of(speaker, "drones again and again")
    query = {"q": "drones", "speaker_q": "Drone Speaker", "outlet": "nowhere-at-all"}
    client.get(URL, query)
    with CaptureQueriesContext(connection) as before:
        client.get(URL, {"q": "drones"})
    for n in range(20):
        quote_of(SpeakerFactory(name=f"Drones Person {n}"), f"drones number {n}")
        OutletFactory()
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL, {"q": "drones"})

    assert body(response).count('<li class="hit ') > 20
    assert len(after) == len(before), [q["sql"] for q in after]
