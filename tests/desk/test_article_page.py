"""The article page (/articles/<pk>/) and the list (/articles/): reading an article with its quotes highlighted,
deciding on the extractor's candidates, recording a quote from selected or typed words."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Article, DismissedCandidate, Quote, Speaker
from claims.views.articles import Highlight, highlighted_body, paragraphs
from tests.desk import PAYLOAD
from tests.desk.test_intake import form_fields, messages_of
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Finance Minister Helena Marsh said on Tuesday that the budget would be balanced by 2027.\n\n"
    "\u201cWe will close the gap without raising a single tax,\u201d Marsh told parliament, according to\u00a0Reuters. "
    "\u201cNot one.\u201d\n\n"
    "The Treasury said the figures were sound."
)
LIST = reverse("desk:articles")


def url_of(article, **query) -> str:
    url = reverse("desk:article", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def body_html(response) -> str:
    return response.content.decode().split('id="article-text"', 1)[1].split("</div>", 1)[0]


class Segments(HTMLParser):
    """The text of each <span data-start> of a rendered body, and the text outside them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.segments: list[tuple[int, str]] = []
        self.outside = ""
        self._open: list[int | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._open.append(int(attrs["data-start"]) if "data-start" in attrs else None)
        if "data-start" in attrs:
            self.segments.append((int(attrs["data-start"]), ""))

    def handle_endtag(self, tag):
        self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1] is not None:
            start, text = self.segments[-1]
            self.segments[-1] = (start, text + data)
        elif self._open and self._open[-1] is None and any(o is not None for o in self._open):
            raise AssertionError("an element inside a segment")
        else:
            self.outside += data


def segments_of(html: str) -> Segments:
    parser = Segments()
    parser.feed(html)
    return parser


@pytest.fixture
def article(editor):
    return ArticleFactory(body=BODY, headline="Budget will balance", created_by=editor)


@pytest.fixture
def as_reporter(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def quote_in(article, text, **kwargs):
    start = article.body.index(text)
    return QuoteFactory(article=article, text=text, start=start, end=start + len(text), **kwargs)


def published_quote(article, text, **kwargs):
    quote = quote_in(article, text, **kwargs)
    ClaimFactory(published=True, claimant=quote.speaker).quotes.add(quote)
    return quote


# --- rendering bodies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        BODY,
        "One line.\r\nSame paragraph.\r\n\r\nNext one, after a blank line.\n \t\nAnd a third. \U0001f600 emoji.",
        "\n\n  Leading blank lines, then text.\n\n\n\nTrailing.\n\n",
        PAYLOAD + "\n\n" + PAYLOAD,
    ],
)
def test_every_segment_of_a_rendered_body_holds_the_body_exactly_at_its_offset(body):
    marks = [Highlight(3, min(40, len(body)), "quote quote--direct", "quote-1", "A"), Highlight(1, 12, "quote", "q-2")]
    parsed = segments_of(str(highlighted_body(body, marks)))
    covered = set()
    for start, text in parsed.segments:
        # The browser reads \r\n as \n, so a segment ends after any \r: the offsets after it still hold.
        assert body[start : start + len(text)] == text
        assert "\r" not in text[:-1]
        covered.update(range(start, start + len(text)))
    for p_start, p_end in paragraphs(body):
        assert set(range(p_start, p_end)) <= covered
    assert " ".join(body[s:e] for s, e in paragraphs(body)).split() == body.split()


def test_paragraphs_split_on_blank_lines_only():
    body = "a\nb\n\nc\n  \nd"
    assert [body[s:e] for s, e in paragraphs(body)] == ["a\nb", "c", "d"]


def test_overlapping_highlights_are_cut_into_pieces_with_one_id_and_one_label():
    body = "abcdefghij"
    html = str(highlighted_body(body, [Highlight(0, 6, "x", "first", "One"), Highlight(3, 9, "y", "second", "Two")]))
    assert html.count('id="first"') == 1 and html.count('id="second"') == 1
    assert html.count(">One<") == 1 and html.count(">Two<") == 1
    assert html.index(">One<") < html.index('data-start="6"') < html.index(">Two<")


# --- who may see what -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_the_newsroom_reads_the_article_with_every_quote_and_the_candidates(client, request, persona, article):
    draft = quote_in(article, "Not one.", speaker=SpeakerFactory(name="Helena Marsh"))
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url_of(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="quote-{draft.pk}"' in page and 'class="article-body"' in page
    assert response.context["candidates"] and 'class="quote quote--candidate' in page
    assert 'action="' + reverse("desk:article_record_quote", args=[article.pk]) + '"' in page
    assert "claims/desk/article.js" in page


def test_the_public_reads_an_article_with_published_quotes_only(client, article):
    shown = published_quote(article, "Not one.", speaker=SpeakerFactory(name="Helena Marsh"))
    draft = quote_in(article, "the figures were sound", kind="indirect", speaker=SpeakerFactory(name="Secret Drafter"))
    response = client.get(url_of(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="quote-{shown.pk}"' in page
    assert f'id="quote-{draft.pk}"' not in page and "Secret Drafter" not in page
    assert "candidate" not in body_html(response) and "Record a quote" not in page and "csrfmiddlewaretoken" not in page
    assert "rita_reporter" not in page and "erin_editor" not in page


def test_an_unpublished_article_is_not_found_for_an_outsider_and_asks_a_visitor_to_sign_in(client, article, outsider):
    response = client.get(url_of(article))
    assert response.status_code == 302 and response.url.startswith(reverse("desk:sign_in"))
    client.force_login(outsider)
    assert client.get(url_of(article)).status_code == 404
    assert client.get(reverse("desk:article", args=[article.pk + 1000])).status_code == 404


@pytest.mark.parametrize("name", ["article_record_quote", "article_candidates"])
def test_only_the_newsroom_posts_to_an_article(client, article, outsider, name):
    url = reverse(f"desk:{name}", args=[article.pk])
    assert client.post(url, {"text": "Not one."}).status_code == 302
    client.force_login(outsider)
    assert client.post(url, {"text": "Not one."}).status_code == 403
    assert not Quote.objects.exists()


def test_csrf_is_enforced_on_recording_a_quote(article, reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    refused = client.post(reverse("desk:article_record_quote", args=[article.pk]), {"text": "Not one."})
    assert refused.status_code == 403 and not Quote.objects.exists()


# --- the page's parts ---------------------------------------------------------------------------


def test_each_quote_is_highlighted_by_kind_labelled_and_listed_with_its_links(as_editor, article):
    marsh = SpeakerFactory(name="Helena Marsh", slug="helena-marsh")
    direct = quote_in(article, "Not one.", speaker=marsh, via="Reuters")
    indirect = quote_in(article, "the budget would be balanced by 2027", speaker=marsh, kind="indirect")
    response = as_editor.get(url_of(article))
    body = body_html(response)
    assert re.search(rf'<mark class="quote quote--direct"[^>]* id="quote-{direct.pk}"', body)
    assert re.search(rf'<mark class="quote quote--indirect"[^>]* id="quote-{indirect.pk}"', body)
    assert '<a class="who" href="/speakers/helena-marsh/">Helena Marsh<span class="who__note"> · via Reuters' in body
    page = response.content.decode()
    assert f'action="{reverse("desk:new_claim")}"' in page and f'name="quotes" value="{direct.pk}"' in page
    assert "Make a claim from the selected quotes" in page
    assert reverse("desk:changes", args=["quote", direct.pk]) in page
    assert reverse("desk:speaker", args=["helena-marsh"]) in page
    assert f'href="{article.url}"' in page


def test_the_articles_details_are_shown(as_editor):
    agency = OutletFactory(name="Reuters", kind="agency")
    article = ArticleFactory(
        body=BODY,
        byline="Ann Writer",
        credited_to=agency,
        published_at=datetime.datetime(2023, 8, 26, 5, 32, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2023, 8, 27, 9, 0, tzinfo=datetime.UTC),
    )
    page = as_editor.get(url_of(article)).content.decode()
    for shown in (article.headline, article.outlet.name, "Credited to Reuters", "By Ann Writer", "26 August 2023"):
        assert shown in page
    assert "27 August 2023" in page and "Read the original" in page


def test_recorded_and_dismissed_candidates_leave_and_the_rest_stay(as_reporter, article, reporter):
    found = services.article_candidates(article)
    texts = [c["text"] for c in found.candidates]
    assert "Not one." in texts and "the figures were sound" in texts
    quote_in(article, "Not one.")
    sound = texts.index("the figures were sound")
    services.dismiss_candidate(
        article=article,
        start=found.candidates[sound]["start"],
        end=found.candidates[sound]["end"],
        acting_user=reporter,
    )
    left = [row["candidate"]["text"] for row in as_reporter.get(url_of(article)).context["candidates"]]
    assert "Not one." not in left and "the figures were sound" not in left
    assert len(left) == len(texts) - 2


# --- deciding on candidates ---------------------------------------------------------------------


def candidate_number(response, text) -> int:
    return next(row["number"] for row in response.context["candidates"] if row["candidate"]["text"] == text)


def decide(client, response, number, action, **changes):
    url = reverse("desk:article_candidates", args=[response.context["article"].pk])
    fields = (
        next(forms_with_number(response, number))
        | {"action": action}
        | {f"c{number}-{k}": v for k, v in changes.items()}
    )
    return client.post(url, fields)


def forms_with_number(response, number):
    url = reverse("desk:article_candidates", args=[response.context["article"].pk])
    from tests.desk.test_intake import forms_of

    for form in forms_of(response):
        fields = dict(form["fields"])
        if form["action"] == url and fields.get("number") == str(number):
            yield fields


def test_a_candidate_is_accepted_as_found(as_reporter, article, reporter):
    page = as_reporter.get(url_of(article))
    number = candidate_number(page, "Not one.")
    response = decide(as_reporter, page, number, "accept")
    quote = Quote.objects.get()
    assert response.status_code == 302 and response.url == url_of(article) + f"#quote-{quote.pk}"
    assert (quote.text, quote.speaker.name, quote.created_by) == ("Not one.", "Helena Marsh", reporter)
    assert "Recorded the quote" in messages_of(response)[0]


def test_a_candidate_is_fixed_then_accepted(as_reporter, article):
    page = as_reporter.get(url_of(article))
    number = candidate_number(page, "the figures were sound")
    start = article.body.index("the figures")
    response = decide(
        as_reporter,
        page,
        number,
        "accept",
        start=start,
        end=start + len("the figures"),
        speaker_q="HM Treasury",
        speaker_kind="organization",
        via="the Treasury's spokesman",
    )
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert (quote.text, quote.speaker.name, quote.speaker.kind) == ("the figures", "HM Treasury", "organization")
    assert quote.via == "the Treasury's spokesman"
    # Mostly the same words as the candidate: it counts as decided.
    assert "the figures were sound" not in [
        r["candidate"]["text"] for r in as_reporter.get(url_of(article)).context["candidates"]
    ]


def test_a_refused_accept_shows_why_beside_the_field_and_keeps_what_was_typed(as_reporter, article):
    page = as_reporter.get(url_of(article))
    number = candidate_number(page, "Not one.")
    response = decide(as_reporter, page, number, "accept", speaker_q="", via="Typed via", start=0, end=5)
    assert response.status_code == 400
    form = next(row["form"] for row in response.context["candidates"] if row["number"] == number)
    assert form.errors and ("speaker_q" in form.errors or "__all__" in form.errors)
    assert form["via"].value() == "Typed via"
    assert not Quote.objects.exists() and not Speaker.objects.exists()
    html = response.content.decode().split(f'id="candidate-{number}"', 1)[1].split("candidate__actions", 1)[0]
    assert "Typed via" in html and "errorlist" in html


def test_a_candidate_is_dismissed_and_offered_again(as_reporter, article, reporter, other_reporter, editor):
    page = as_reporter.get(url_of(article))
    number = candidate_number(page, "the figures were sound")
    response = decide(as_reporter, page, number, "dismiss")
    assert response.status_code == 302
    dismissal = DismissedCandidate.objects.get()
    assert (dismissal.text, dismissal.dismissed_by) == ("the figures were sound", reporter)
    after = as_reporter.get(url_of(article))
    assert "the figures were sound" not in [r["candidate"]["text"] for r in after.context["candidates"]]
    assert "Offer again" in after.content.decode()
    restore = reverse("desk:article_candidates", args=[article.pk])
    # Another reporter may not take back someone else's decision; its author or an editor may.
    as_reporter.force_login(other_reporter)
    refused = as_reporter.post(restore, {"action": "restore", "dismissal": dismissal.pk})
    assert refused.status_code == 400 and DismissedCandidate.objects.exists()
    as_reporter.force_login(editor)
    assert as_reporter.post(restore, {"action": "restore", "dismissal": dismissal.pk}).status_code == 302
    assert not DismissedCandidate.objects.exists()


def test_accept_all_records_every_undecided_candidate(as_editor, article):
    page = as_editor.get(url_of(article))
    count = len(page.context["candidates"])
    url = reverse("desk:article_candidates", args=[article.pk])
    response = as_editor.post(
        url, {"action": "accept_all", "revision": page.context["revision"], "attributions": "speech"}
    )
    assert response.status_code == 302 and Quote.objects.count() == count
    assert as_editor.get(url_of(article)).context["candidates"] == []


def test_a_stale_revision_records_nothing(as_editor, article):
    page = as_editor.get(url_of(article))
    number = candidate_number(page, "Not one.")
    fields = next(forms_with_number(page, number)) | {"action": "accept", "revision": "0" * 32}
    response = as_editor.post(reverse("desk:article_candidates", args=[article.pk]), fields)
    assert response.status_code == 409 and not Quote.objects.exists()
    assert "not the ones you chose from" in response.content.decode()


def test_every_attribution_is_a_switch_on_the_page_too(as_editor):
    article = ArticleFactory(
        body="Senator Ann Lowe said the levy was unfair. Mayor Cy Dunn believes the levy will pass."
    )
    quotes = as_editor.get(url_of(article)).context["candidates"]
    every = as_editor.get(url_of(article, attributions="all"))
    assert [r["candidate"]["attribution"] for r in quotes] == ["speech"]
    assert [r["candidate"]["attribution"] for r in every.context["candidates"]] == ["speech", "belief"]
    assert 'name="attributions" value="all"' in every.content.decode()


def test_candidates_are_cached_by_body_and_extractor(article):
    first = services.article_candidates(article)
    again = services.article_candidates(article)
    assert first == again and first.revision
    article.body = article.body.replace("Not one.", "Not a single one.")
    assert services.article_candidates(article).revision != first.revision


# --- recording a quote from words ------------------------------------------------------------


def record(client, article, **fields):
    page = client.get(url_of(article))
    data = form_fields(page, reverse("desk:article_record_quote", args=[article.pk])) | fields
    return client.post(reverse("desk:article_record_quote", args=[article.pk]), data)


def test_selected_words_by_offsets_are_recorded_with_a_new_speaker_in_one_go(as_reporter, article, reporter):
    start = article.body.index("We will close")
    end = article.body.index(",\u201d Marsh")
    response = record(
        as_reporter,
        article,
        text="",
        start=start,
        end=end,
        speaker_q="Helena Marsh",
        speaker_kind="person",
        kind="direct",
        speaker_title="Finance Minister",
        said_on="2023-08-22",
        said_on_precision="day",
        via="Reuters",
    )
    quote = Quote.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#quote-{quote.pk}")
    assert (quote.start, quote.end, quote.text) == (start, end, article.body[start:end])
    assert (quote.speaker.name, quote.speaker.description, quote.speaker.created_by) == (
        "Helena Marsh",
        "Finance Minister",
        reporter,
    )
    assert (quote.said_on, quote.via) == (datetime.date(2023, 8, 22), "Reuters")
    assert "new person" in messages_of(response)[0]


def test_typed_words_are_found_in_the_body_whatever_their_spaces_and_quote_marks(as_reporter, article):
    marsh = SpeakerFactory(name="Helena Marsh")
    typed = 'told parliament,  according to Reuters. "Not one.'
    response = record(as_reporter, article, text=typed, speaker=marsh.pk, speaker_q=marsh.name, kind="indirect")
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert article.body[quote.start : quote.end] == quote.text and "\u00a0Reuters. \u201cNot one." in quote.text
    assert quote.speaker == marsh and Speaker.objects.count() == 1


def test_a_typed_name_on_record_is_that_speaker_not_a_new_one(as_reporter, article):
    marsh = SpeakerFactory(name="Helena Marsh")
    record(as_reporter, article, text="Not one.", speaker_q="helena marsh")
    assert Quote.objects.get().speaker == marsh and Speaker.objects.count() == 1


def test_words_not_in_the_article_are_refused_beside_them_and_nothing_is_recorded(as_reporter, article):
    response = record(as_reporter, article, text="We will raise every tax.", speaker_q="Brand New Person", via="Kept")
    assert response.status_code == 400
    form = response.context["record_form"]
    assert "not in the article" in " ".join(form.errors["text"])
    assert form["via"].value() == "Kept" and form["speaker_q"].value() == "Brand New Person"
    assert not Quote.objects.exists() and not Speaker.objects.exists()
    assert 'id="record-quote" open' in response.content.decode()


def test_a_quote_needs_its_words_or_its_span_and_its_speaker(as_reporter, article):
    nothing = record(as_reporter, article, text="", speaker_q="Helena Marsh")
    assert nothing.status_code == 400 and nothing.context["record_form"].errors["text"]
    half = record(as_reporter, article, text="", start=3, speaker_q="Helena Marsh")
    assert half.status_code == 400 and half.context["record_form"].errors["end"]
    nobody = record(as_reporter, article, text="Not one.", speaker_q="")
    assert nobody.status_code == 400 and nobody.context["record_form"].errors["speaker_q"]
    assert not Quote.objects.exists()


# --- escaping -----------------------------------------------------------------------------------


def test_stored_markup_shows_as_text_in_highlights_labels_and_lists(as_editor, client, editor):
    body = f'The mayor said \u201c{PAYLOAD} is a motto.\u201d Then " onmouseover="y happened.'
    article = ArticleFactory(body=body, headline=f"Headline {PAYLOAD}", byline=PAYLOAD)
    speaker = SpeakerFactory(name=f"Mayor {PAYLOAD}")
    quote = published_quote(article, f"{PAYLOAD} is a motto.", speaker=speaker, via=PAYLOAD)
    for reader in (as_editor, Client()):
        response = reader.get(url_of(article))
        page = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in page and '" onmouseover="' not in page
        body_part = body_html(response)
        assert re.search(
            rf'<mark class="quote quote--direct"[^>]*id="quote-{quote.pk}"[^>]*>(<[^>]+>)*&lt;script&gt;', body_part
        )
        assert "Mayor &lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in body_part
    listed = as_editor.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in listed and "Headline &lt;script&gt;" in listed


# --- query counts ---------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_article_page_costs_the_same_queries_with_20_more_quotes(as_editor, article):
    speaker = SpeakerFactory()
    quote_in(article, "Not one.", speaker=speaker)
    queries_for(as_editor, url_of(article))  # warm the candidates cache and the session
    before = queries_for(as_editor, url_of(article))
    for _ in range(20):
        QuoteFactory(article=article, speaker=SpeakerFactory(), text="Not one.", start=None, end=None)
    assert queries_for(as_editor, url_of(article)) == before


def test_the_list_costs_the_same_queries_with_20_more_articles(as_editor):
    ArticleFactory()
    before = queries_for(as_editor, LIST)
    for _ in range(20):
        QuoteFactory(article=ArticleFactory(outlet=OutletFactory(), credited_to=OutletFactory()))
    assert queries_for(as_editor, LIST) == before


# --- the list ---------------------------------------------------------------------------------


def test_the_list_is_the_newsrooms_newest_first_with_quote_counts(client, reporter, outsider):
    now = timezone.now()
    old = ArticleFactory(headline="Older piece", published_at=now - datetime.timedelta(days=5))
    new = ArticleFactory(headline="Newer piece", published_at=now - datetime.timedelta(days=1))
    undated = ArticleFactory(headline="Undated piece", published_at=None)
    QuoteFactory(article=new)
    QuoteFactory(article=new, text="the budget is balanced")
    assert client.get(LIST).status_code == 302
    client.force_login(outsider)
    assert client.get(LIST).status_code == 403
    client.force_login(reporter)
    response = client.get(LIST)
    rows = response.context["page"].rows
    assert [a.headline for a in rows] == ["Newer piece", "Older piece", "Undated piece"]
    assert [a.quote_count for a in rows] == [2, 0, 0]
    page = response.content.decode()
    assert reverse("desk:article", args=[old.pk]) in page and reverse("desk:article", args=[undated.pk]) in page


def test_the_list_searches_filters_by_outlet_and_pages(as_reporter):
    star = OutletFactory(name="Daily Star", slug="daily-star")
    ArticleFactory(headline="Drones over Kyiv", outlet=star)
    ArticleFactory(headline="Budget row", credited_to=star)
    ArticleFactory(headline="Harbour closes")
    found = as_reporter.get(LIST, {"q": "drones"}).context["page"].rows
    assert [a.headline for a in found] == ["Drones over Kyiv"]
    by_outlet = as_reporter.get(LIST, {"outlet": "daily-star"}).context["page"].rows
    assert {a.headline for a in by_outlet} == {"Drones over Kyiv", "Budget row"}
    assert as_reporter.get(LIST, {"outlet": "nowhere"}).status_code == 404
    for _ in range(30):
        ArticleFactory()
    first = as_reporter.get(LIST)
    assert first.context["page"].has_next and len(first.context["page"].rows) == 25
    assert len(as_reporter.get(LIST, {"page": 2}).context["page"].rows) == 33 - 25


def test_the_intake_saves_into_a_page_that_lists_it(as_reporter):
    assert Article.objects.count() == 0
    assert "Paste the first one" in as_reporter.get(LIST).content.decode()


def test_nobody_outside_the_newsroom_dismisses(article, outsider):
    with pytest.raises(PermissionDenied, match="Only the newsroom"):
        services.dismiss_candidate(article=article, start=0, end=5, acting_user=outsider)
    assert not DismissedCandidate.objects.exists()


def test_dismissing_twice_keeps_one_and_a_moved_body_lets_it_go(article, reporter, editor):
    first = services.dismiss_candidate(article=article, start=0, end=7, acting_user=reporter)
    again = services.dismiss_candidate(article=article, start=0, end=7, acting_user=editor)
    assert first == again and DismissedCandidate.objects.count() == 1
    assert (0, 7) in DismissedCandidate.objects.matching(article)
    services.edit_article(article, body="Deputy " + article.body, acting_user=editor)
    article.refresh_from_db()
    assert (0, 7) not in DismissedCandidate.objects.matching(article)


def test_the_public_never_sees_a_dismissal(anonymous, article, reporter):
    services.dismiss_candidate(article=article, start=0, end=7, acting_user=reporter)
    assert not DismissedCandidate.objects.visible_to(anonymous).exists()
    assert DismissedCandidate.objects.visible_to(reporter).exists()
