"""The speakers list (/speakers/) and a speaker's page (/speakers/<slug>/): the public's over public speakers,
the newsroom's over all; who they are, their statements and claims, and the contradictions they are part of."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.choices import DatePrecision, QuoteKind, Relation, SpeakerKind
from claims.models import SpeakerAlias
from tests.desk import PAYLOAD
from tests.factories import ArticleFactory, ClaimFactory, ClaimRelationFactory, QuoteFactory, SpeakerFactory

LIST = reverse("desk:speakers")


def page_of(speaker, **query):
    url = reverse("desk:speaker", args=[speaker.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def public_speaker(**kwargs):
    """A speaker the public may read: one of their claims is published."""
    speaker = SpeakerFactory(**kwargs)
    ClaimFactory(claimant=speaker, published=True, text=f"A published claim of {speaker.name}.")
    return speaker


def quoted(speaker, *, text, said_on=None, precision=DatePrecision.DAY, published=True, **kwargs):
    """A quote by `speaker`, in an article whose body holds it; public when a published claim states it."""
    article = ArticleFactory(body=f"Before. {text} After.", headline=kwargs.pop("headline", "Budget row deepens"))
    quote = QuoteFactory(
        article=article, speaker=speaker, text=text, said_on=said_on, said_on_precision=precision, **kwargs
    )
    claim = ClaimFactory(claimant=speaker, published=published, text=f"Claim from “{text}”.")
    claim.quotes.add(quote)
    return quote


# --- the list ---------------------------------------------------------------------------------


def test_the_public_lists_only_public_speakers(client, db):
    shown = public_speaker(name="Helena Marsh")
    hidden = SpeakerFactory(name="Hidden Drafter")
    ClaimFactory(claimant=hidden, text="Only a draft.")

    response = client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Helena Marsh" in page and reverse("desk:speaker", args=[shown.slug]) in page
    assert "Hidden Drafter" not in page


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_the_newsroom_lists_every_speaker_with_counts(client, request, persona, db):
    public_speaker(name="Helena Marsh")
    drafter = SpeakerFactory(name="Hidden Drafter")
    ClaimFactory(claimant=drafter, text="Only a draft.")
    ClaimFactory(claimant=drafter, text="Another draft.")
    client.force_login(request.getfixturevalue(persona))

    page = client.get(LIST).content.decode()

    assert "Helena Marsh" in page and "Hidden Drafter" in page
    assert '<td class="numeric">2</td>' in page


def test_the_name_filter_finds_aliases_and_kind_narrows(client, editor):
    ryabkov = SpeakerFactory(name="Sergei Ryabkov")
    SpeakerAlias.objects.create(speaker=ryabkov, name="Ryabkov's office")
    SpeakerFactory(name="Kremlin", kind=SpeakerKind.ORGANIZATION)
    client.force_login(editor)

    by_alias = client.get(LIST, {"name": "office"}).content.decode()
    by_kind = client.get(LIST, {"kind": "organization"}).content.decode()

    assert "Sergei Ryabkov" in by_alias and "Kremlin" not in by_alias
    assert "Ryabkov&#x27;s office" in by_alias  # its aliases are shown, escaped
    assert "Kremlin" in by_kind and "Sergei Ryabkov" not in by_kind


def test_a_bad_filter_value_is_named_beside_its_filter_and_kept(client, editor):
    client.force_login(editor)

    response = client.get(LIST, {"kind": "wizard", "name": "Ryab"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice. wizard is not one of the available choices." in page
    assert 'id="id_kind_error"' in page
    assert 'value="Ryab"' in page


def test_an_unpublished_organisation_is_not_named_to_the_public(client, editor):
    ministry = SpeakerFactory(name="Secret Ministry", kind=SpeakerKind.ORGANIZATION)
    public_speaker(name="Minister Marsh", organization=ministry)

    public = client.get(LIST).content.decode()
    client.force_login(editor)
    newsroom = client.get(LIST).content.decode()

    assert "Minister Marsh" in public and "Secret Ministry" not in public
    assert "Secret Ministry" in newsroom


def test_stored_text_is_escaped_in_the_list(client, db):
    public_speaker(name=PAYLOAD, description=PAYLOAD)

    page = client.get(LIST).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert '" onmouseover="x' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in page


def test_the_list_is_paginated(client, editor):
    for n in range(30):
        SpeakerFactory(name=f"Speaker {n:02}")
    client.force_login(editor)

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert "Speaker 00" in first and "Speaker 29" not in first and 'rel="next"' in first
    assert "Speaker 29" in second and "Speaker 00" not in second


@pytest.mark.parametrize("persona", ["anonymous", "editor"])
def test_the_list_costs_the_same_queries_with_more_speakers(client, request, persona, db):
    if persona == "editor":
        client.force_login(request.getfixturevalue("editor"))
    organization = public_speaker(name="Org", kind=SpeakerKind.ORGANIZATION)
    public_speaker(name="First", organization=organization)
    client.get(LIST)  # sessions and the like, once

    with CaptureQueriesContext(connection) as before:
        client.get(LIST)
    for n in range(20):
        speaker = public_speaker(name=f"More {n}", organization=organization)
        SpeakerAlias.objects.create(speaker=speaker, name=f"Alias {n}")
    with CaptureQueriesContext(connection) as after:
        response = client.get(LIST)

    assert "More 19" in response.content.decode()
    assert len(after) == len(before), [q["sql"] for q in after]


# --- a speaker's page -------------------------------------------------------------------------


def test_an_unknown_or_unpublished_speaker_is_not_found_by_the_public(client, editor):
    drafter = SpeakerFactory(name="Hidden Drafter")
    ClaimFactory(claimant=drafter, text="Only a draft.")

    assert client.get(reverse("desk:speaker", args=["nobody"])).status_code == 404
    assert client.get(page_of(drafter)).status_code == 404
    client.force_login(editor)
    assert client.get(page_of(drafter)).status_code == 200


def test_who_they_are(client, db):
    ministry = public_speaker(name="Ministry of Finance", kind=SpeakerKind.ORGANIZATION)
    speaker = public_speaker(
        name="Helena Marsh", description="Finance Minister", organization=ministry, wikidata_id="Q42", party="Labour"
    )
    SpeakerAlias.objects.create(speaker=speaker, name="Marsh")

    page = client.get(page_of(speaker)).content.decode()

    assert "<h1>Helena Marsh</h1>" in page
    assert "Finance Minister" in page and "Labour" in page
    assert reverse("desk:speaker", args=[ministry.slug]) in page
    assert 'href="https://www.wikidata.org/wiki/Q42"' in page
    assert "<li>Marsh</li>" in page
    # The public gets no newsroom tools.
    assert reverse("desk:changes", args=["speaker", speaker.pk]) not in page
    assert "/admin/" not in page.split('<main id="main"')[1]


def test_an_organisation_lists_its_members(client, db):
    ministry = public_speaker(name="Ministry of Finance", kind=SpeakerKind.ORGANIZATION)
    public_speaker(name="An Official", organization=ministry)
    SpeakerFactory(name="Unpublished Member", organization=ministry)

    page = client.get(page_of(ministry)).content.decode()

    assert "An Official" in page
    assert "Unpublished Member" not in page


def test_the_public_sees_neither_the_hidden_organisation_nor_drafts_nor_who_recorded_them(client, reporter, editor):
    secret = SpeakerFactory(name="Secret Ministry", kind=SpeakerKind.ORGANIZATION)
    speaker = public_speaker(name="Helena Marsh", organization=secret)
    ClaimFactory(claimant=speaker, text="A draft claim nobody outside may read.", created_by=reporter)
    draft_quote = quoted(speaker, text="words from an unpublished story", published=False, created_by=reporter)

    public = client.get(page_of(speaker)).content.decode()
    public_claims = client.get(page_of(speaker, show="claims")).content.decode()
    client.force_login(editor)
    newsroom_claims = client.get(page_of(speaker, show="claims")).content.decode()

    for page in (public, public_claims):
        assert "Secret Ministry" not in page
        assert "A draft claim nobody outside may read." not in page
        assert draft_quote.text not in page
        assert reporter.username not in page
    assert "A draft claim nobody outside may read." in newsroom_claims
    assert 'class="status status--draft"' in newsroom_claims


def test_the_timeline_is_newest_first_with_each_date_as_precise_as_it_is_known(client, editor):
    speaker = public_speaker(name="Helena Marsh")
    quoted(speaker, text="oldest words", said_on=datetime.date(2021, 3, 4))
    quoted(speaker, text="words said in June", said_on=datetime.date(2023, 6, 1), precision=DatePrecision.MONTH)
    quoted(speaker, text="words of some year", said_on=datetime.date(2022, 1, 1), precision=DatePrecision.YEAR)
    quoted(speaker, text="undated words", said_on=None)

    page = client.get(page_of(speaker)).content.decode()

    order = [
        page.index(words) for words in ("words said in June", "words of some year", "oldest words", "undated words")
    ]
    assert order == sorted(order)
    assert '<time datetime="2023-06">June 2023</time>' in page
    assert '<time datetime="2022">2022</time>' in page
    assert '<time datetime="2021-03-04">4 March 2021</time>' in page
    assert "Date not known" in page


def test_a_quote_leads_the_newsroom_into_its_article_and_the_public_to_where_it_was_published(client, editor):
    speaker = public_speaker(name="Helena Marsh")
    quote = quoted(speaker, text="the budget is balanced", headline="Budget balanced, says Marsh")

    public = client.get(page_of(speaker)).content.decode()
    client.force_login(editor)
    newsroom = client.get(page_of(speaker)).content.decode()

    assert f'href="{quote.article.url}"' in public
    article_page = _desk_article(quote)
    if article_page:
        assert f'href="{article_page}#quote-{quote.pk}"' in newsroom
    assert "Budget balanced, says Marsh" in public and quote.article.outlet.name in public
    # Each statement names the claims it states, with their verdicts.
    assert "Claim from “the budget is balanced”." in public and "Mostly false" in public


def _desk_article(quote) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("desk:article", args=[quote.article_id])
    except NoReverseMatch:
        return ""


def test_claims_with_their_verdicts(client, db):
    speaker = SpeakerFactory(name="Helena Marsh")
    claim = ClaimFactory(claimant=speaker, published=True, text="Exports doubled.")

    page = client.get(page_of(speaker, show="claims")).content.decode()

    assert "Exports doubled." in page
    assert reverse("desk:claim", args=[claim.pk]) in page
    assert 'class="rating rating--mostly_false"' in page
    assert "The budget balances only if pension costs are left out." in page
    assert 'aria-current="page">Claims and verdicts' in page


def test_their_own_flip_flops_come_before_contradictions_with_others(client, editor):
    speaker = SpeakerFactory(name="Helena Marsh")
    other = SpeakerFactory(name="Tom Okafor")
    first = ClaimFactory(claimant=speaker, published=True, text="Taxes will not rise.")
    second = ClaimFactory(claimant=speaker, published=True, text="Taxes will rise next year.")
    theirs = ClaimFactory(claimant=other, published=True, text="The deficit is shrinking.")
    mine = ClaimFactory(claimant=speaker, published=True, text="The deficit is growing.")
    ClaimRelationFactory(from_claim=first, to_claim=second, relation=Relation.CONTRADICTS, note="Internal: same week")
    low, high = sorted([theirs, mine], key=lambda claim: claim.pk)
    ClaimRelationFactory(from_claim=low, to_claim=high, relation=Relation.CONTRADICTS)
    ClaimRelationFactory(from_claim=mine, to_claim=first, relation=Relation.SUPPORTS)

    public = client.get(page_of(speaker)).content.decode()
    client.force_login(editor)
    newsroom = client.get(page_of(speaker)).content.decode()

    own_heading, others_heading = public.index("Helena Marsh against Helena Marsh"), public.index("against others")
    assert own_heading < public.index("Taxes will rise next year.") < others_heading
    assert others_heading < public.index("The deficit is growing.") < public.index("The deficit is shrinking.")
    assert reverse("desk:speaker", args=[other.slug]) in public
    # The relation's note is the newsroom's.
    assert "Internal: same week" not in public and "Internal: same week" in newsroom


def test_a_contradiction_with_a_draft_is_not_the_publics(client, editor):
    speaker = SpeakerFactory(name="Helena Marsh")
    published = ClaimFactory(claimant=speaker, published=True, text="Taxes will not rise.")
    draft = ClaimFactory(claimant=SpeakerFactory(name="Tom Okafor"), text="Taxes rose in March, says a draft.")
    low, high = sorted([published, draft], key=lambda claim: claim.pk)
    ClaimRelationFactory(from_claim=low, to_claim=high, relation=Relation.CONTRADICTS)

    public = client.get(page_of(speaker)).content.decode()
    client.force_login(editor)
    newsroom = client.get(page_of(speaker)).content.decode()

    assert "Taxes rose in March, says a draft." not in public and "No contradiction is published" in public
    assert "Taxes rose in March, says a draft." in newsroom


def test_the_newsroom_gets_the_changes_link_and_editors_the_admin(client, reporter, editor):
    speaker = SpeakerFactory(name="Helena Marsh", created_by=editor)
    ClaimFactory(claimant=speaker, published=True)
    changes = reverse("desk:changes", args=["speaker", speaker.pk])
    admin = reverse("admin:claims_speaker_change", args=[speaker.pk])

    client.force_login(reporter)
    as_reporter = client.get(page_of(speaker)).content.decode()
    client.force_login(editor)
    as_editor = client.get(page_of(speaker)).content.decode()

    assert changes in as_reporter and admin not in as_reporter  # a published speaker is the editors' to change
    assert changes in as_editor and admin in as_editor


def test_stored_text_is_escaped_on_the_page(client, editor):
    speaker = public_speaker(name=PAYLOAD, description=PAYLOAD, party=PAYLOAD)
    SpeakerAlias.objects.create(speaker=speaker, name=PAYLOAD)
    quoted(speaker, text=PAYLOAD, via=PAYLOAD, speaker_title=PAYLOAD, kind=QuoteKind.INDIRECT)
    other = ClaimFactory(claimant=SpeakerFactory(name=PAYLOAD + "2"), published=True, text=PAYLOAD)
    mine = ClaimFactory(claimant=speaker, published=True, text=PAYLOAD + " mine")
    low, high = sorted([other, mine], key=lambda claim: claim.pk)
    ClaimRelationFactory(from_claim=low, to_claim=high, relation=Relation.CONTRADICTS, note=PAYLOAD)
    client.force_login(editor)

    for page in (client.get(page_of(speaker)), client.get(page_of(speaker, show="claims"))):
        body = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in body
        assert '" onmouseover="x' not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("show", ["quotes", "claims"])
@pytest.mark.parametrize("persona", ["anonymous", "editor"])
def test_the_page_costs_the_same_queries_with_more_on_record(client, request, persona, show, db):
    if persona == "editor":
        client.force_login(request.getfixturevalue("editor"))
    organization = public_speaker(name="Ministry", kind=SpeakerKind.ORGANIZATION)
    speaker = public_speaker(name="Helena Marsh", organization=organization)
    other = SpeakerFactory(name="Tom Okafor")

    def add_more(n):
        quoted(speaker, text=f"statement number {n}", said_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=n))
        mine = ClaimFactory(claimant=speaker, published=True, text=f"Mine {n}.")
        again = ClaimFactory(claimant=speaker, published=True, text=f"Mine again {n}.")
        theirs = ClaimFactory(claimant=other, published=True, text=f"Theirs {n}.")
        ClaimRelationFactory(from_claim=mine, to_claim=again, relation=Relation.CONTRADICTS)
        ClaimRelationFactory(from_claim=mine, to_claim=theirs, relation=Relation.CONTRADICTS)
        public_speaker(name=f"Member {n}", organization=speaker)
        SpeakerAlias.objects.create(speaker=speaker, name=f"Alias {n}")

    add_more(0)
    client.get(page_of(speaker, show=show))
    with CaptureQueriesContext(connection) as before:
        client.get(page_of(speaker, show=show))
    for n in range(1, 21):
        add_more(n)
    with CaptureQueriesContext(connection) as after:
        response = client.get(page_of(speaker, show=show))

    assert response.status_code == 200
    assert "Alias 20" in response.content.decode()
    assert len(after) == len(before), [q["sql"] for q in after]


def test_statements_are_paginated(client, editor):
    speaker = SpeakerFactory(name="Helena Marsh")
    for n in range(30):
        quoted(speaker, text=f"statement {n:02} here", said_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=n))
    client.force_login(editor)

    first = client.get(page_of(speaker)).content.decode()
    second = client.get(page_of(speaker, page=2)).content.decode()

    assert "statement 29 here" in first and "statement 00 here" not in first
    assert "statement 00 here" in second
