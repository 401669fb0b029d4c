"""Intake (/articles/new/): paste an article, check what the extractor found, and record it in one go.

The tests post the page as a browser would: every field of the rendered form with
the value it shows (form_fields), changed only where an editor would change it.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from claims import services
from claims.choices import OutletKind
from claims.extraction import extract_article
from claims.models import Article, DismissedCandidate, Outlet, Quote, Speaker
from tests.conftest import shared_data
from tests.desk import PAYLOAD
from tests.factories import ArticleFactory, OutletFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

INTAKE = reverse("desk:intake")
MARSH = (
    "Budget will balance, minister says\n\n"
    "By Ann Writer\n\n"
    "Finance Minister Helena Marsh said on Tuesday that the budget would be balanced by 2027.\n\n"
    "\u201cWe will close the gap without raising a single tax,\u201d Marsh told parliament, according to Reuters. "
    "\u201cNot one.\u201d\n\n"
    "The Treasury said the figures were sound."
)


class Forms(HTMLParser):
    """Each <form> of a page: its action, and the fields it would post as the page stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "method": attrs.get("method", "get"), "fields": []}
            self.forms.append(self._form)
        elif self._form is None or "name" not in attrs and tag != "option":
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["fields"].append([attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self._form["fields"].append(self._textarea)
        elif tag == "select":
            self._select = [attrs["name"], None]
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in attrs):
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(response) -> list[dict]:
    parser = Forms()
    parser.feed(response.content.decode())
    return parser.forms


def form_fields(response, action: str | None = None) -> dict[str, str]:
    """The fields of the page's form posting to `action` (the intake's by default), as the browser sends them."""
    action = action or INTAKE
    (form,) = [form for form in forms_of(response) if form["action"] == action and form["method"] == "post"][:1]
    return dict(form["fields"])


def pasted(client, text, **extra):
    return client.post(INTAKE, {"text": text, "read_as": "auto", "action": "preview", **extra})


def candidates_of(response) -> list[dict]:
    return [form.candidate for form in response.context["candidates"]]


def number_of(response, predicate) -> list[int]:
    return [form.number for form in response.context["candidates"] if predicate(form.candidate)]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def as_reporter(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_the_newsroom_opens_intake(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(INTAKE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="text"' in page and "Find the quotes" in page
    assert "claims/desk/intake.js" in page and "<script>" not in page


def test_an_anonymous_visitor_is_sent_to_sign_in_and_an_outsider_refused(client, outsider):
    response = client.get(INTAKE)
    assert response.status_code == 302 and response.url.startswith(reverse("desk:sign_in"))
    assert client.post(INTAKE, {"text": MARSH}).status_code == 302
    client.force_login(outsider)
    assert client.get(INTAKE).status_code == 403
    assert client.post(INTAKE, {"text": MARSH, "action": "preview"}).status_code == 403


def test_csrf_is_enforced(reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    assert client.post(INTAKE, {"text": MARSH, "action": "preview"}).status_code == 403
    page = client.get(INTAKE)
    token = page.cookies["csrftoken"].value
    assert client.post(INTAKE, {"text": MARSH, "action": "preview", "csrfmiddlewaretoken": token}).status_code == 200


# --- the seed article, walked through -----------------------------------------------------------


def test_the_seed_article_from_paste_to_two_recorded_quotes(as_reporter, reporter):
    raw = shared_data("seed-article.txt").read_text(encoding="utf-8")
    gold = json.loads(shared_data("seed-article.gold.json").read_text(encoding="utf-8"))

    response = pasted(as_reporter, raw)

    assert response.status_code == 200
    extraction = response.context["extraction"]
    body = extraction.body
    for furniture in gold["article"]["not_article_text"]:
        assert furniture not in body
    assert "\u00a0" not in body and body.startswith("Russia's military cooperation with Iran")
    # The metadata found, each in its own editable field.
    metadata = response.context["metadata"]
    assert metadata["headline"].value() == gold["article"]["headline"]
    assert metadata["credited_to"].value() == "Reuters"
    assert metadata["published_at"].value() == "2023-08-26T05:32"
    assert metadata["updated_at"].value() == "2023-08-26T05:32"
    assert metadata["language"].value() == "en"
    # Both of Ryabkov's direct quotes are offered with their speaker and via, highlighted in the body.
    ryabkov = {q["text"] for q in gold["quotes"] if q["speaker"] == "ryabkov" and q["kind"] == "direct"}
    direct = [c for c in candidates_of(response) if c["kind"] == "direct"]
    assert {c["text"] for c in direct} == ryabkov
    assert all((c["speaker"], c["via"]) == ("Sergei Ryabkov", "RIA") for c in direct)
    page = response.content.decode()
    numbers = number_of(response, lambda c: c["kind"] == "direct")
    for number in numbers:
        assert (
            f'id="candidate-mark-{number}"' in page and f'href="#candidate-{number}">#{number} Sergei Ryabkov' in page
        )
    assert 'class="quote quote--candidate' in page and '<span class="cue">' in page and "via RIA" in page
    assert "RELATED STORIES" not in page.split('id="article-text"', 1)[1].split("</div>", 1)[0]

    fields = form_fields(response)
    assert fields["text"] == raw.replace("\r\n", "\n") or fields["text"].strip() == raw.strip()
    fields.update({"url": "https://www.thedailystar.net/news/world/russia-iran-ties", "outlet": "The Daily Star"})
    for number in numbers:
        fields[f"c{number}-decision"] = "accept"
    fields["action"] = "save"
    saved = as_reporter.post(INTAKE, fields)

    article = Article.objects.get()
    assert saved.status_code == 302 and saved.url == reverse("desk:article", args=[article.pk])
    assert "with 2 quotes" in messages_of(saved)[0]
    assert article.body == body and article.headline == gold["article"]["headline"]
    assert (article.outlet.name, article.credited_to.name, article.credited_to.kind) == (
        "The Daily Star",
        "Reuters",
        OutletKind.AGENCY,
    )
    assert article.published_at.isoformat().startswith("2023-08-26T05:32")
    quotes = list(article.quotes.order_by("start"))
    assert len(quotes) == 2
    for quote in quotes:
        assert article.body[quote.start : quote.end] == quote.text
        assert " ".join(quote.text.split()) in ryabkov
        assert (quote.speaker.name, quote.via, quote.kind) == ("Sergei Ryabkov", "RIA", "direct")
        assert quote.speaker_title == "Russian Deputy Foreign Minister" and quote.created_by == reporter
    # What was not decided is left for the article's page.
    shown = as_reporter.get(saved.url)
    assert len(shown.context["candidates"]) == len(candidates_of(response)) - 2


# --- deciding, fixing, refusing ---------------------------------------------------------------


def test_accept_all_accepts_everything_not_dismissed_and_remembers_the_dismissed(as_editor, editor):
    response = pasted(as_editor, MARSH)
    candidates = candidates_of(response)
    assert len(candidates) >= 3
    fields = form_fields(response) | {"url": "https://news.example.org/marsh", "outlet": "Daily Record"}
    treasury = number_of(response, lambda c: c["speaker"] == "Treasury")[0]
    fields[f"c{treasury}-decision"] = "dismiss"
    fields["action"] = "accept_all"

    saved = as_editor.post(INTAKE, fields)

    assert saved.status_code == 302, saved.content.decode()[:3000]
    article = Article.objects.get()
    assert article.quotes.count() == len(candidates) - 1
    (dismissal,) = DismissedCandidate.objects.all()
    assert (dismissal.start, dismissal.end, dismissal.dismissed_by) == (
        candidates[treasury]["start"],
        candidates[treasury]["end"],
        editor,
    )
    assert as_editor.get(saved.url).context["candidates"] == []


def test_a_candidate_is_fixed_before_it_is_accepted(as_reporter):
    response = pasted(as_reporter, MARSH)
    number = number_of(response, lambda c: c["text"].startswith("We will close the gap"))[0]
    body = response.context["extraction"].body
    start = body.index("We will close the gap")
    end = start + len("We will close the gap")
    chosen = SpeakerFactory(name="Helena Marsh-Jones")
    fields = form_fields(response) | {"url": "https://news.example.org/fixed", "outlet": "Daily Record"}
    fields.update(
        {
            f"c{number}-decision": "accept",
            f"c{number}-start": str(start),
            f"c{number}-end": str(end),
            f"c{number}-speaker": str(chosen.pk),
            f"c{number}-speaker_q": chosen.name,
            f"c{number}-kind": "indirect",
            f"c{number}-speaker_title": "Finance Minister",
            f"c{number}-via": "",
            "action": "save",
        }
    )
    assert as_reporter.post(INTAKE, fields).status_code == 302
    quote = Quote.objects.get()
    assert (quote.text, quote.start, quote.end) == ("We will close the gap", start, end)
    assert (quote.speaker, quote.kind, quote.speaker_title, quote.via) == (chosen, "indirect", "Finance Minister", "")


def test_a_new_speaker_typed_for_a_candidate_is_recorded_with_the_kind_chosen(as_reporter):
    response = pasted(as_reporter, MARSH)
    number = number_of(response, lambda c: c["speaker"] == "Treasury")[0]
    fields = form_fields(response) | {"url": "https://news.example.org/new-speaker", "outlet": "Daily Record"}
    fields.update(
        {
            f"c{number}-decision": "accept",
            f"c{number}-speaker_q": "HM Treasury",
            f"c{number}-speaker_kind": "organization",
            "action": "save",
        }
    )
    assert as_reporter.post(INTAKE, fields).status_code == 302
    speaker = Speaker.objects.get(name="HM Treasury")
    assert speaker.kind == "organization" and Quote.objects.get().speaker == speaker


def test_a_refused_candidate_saves_nothing_and_shows_why_beside_it_keeping_what_was_typed(as_reporter):
    text = MARSH + " \u201cIt is not enough,\u201d he said."
    response = pasted(as_reporter, text)
    unnamed = number_of(response, lambda c: c["text"].startswith("It is not enough"))
    marsh = number_of(response, lambda c: c["text"].startswith("We will close"))[0]
    assert unnamed, candidates_of(response)
    number = unnamed[0]
    fields = form_fields(response) | {
        "url": "https://news.example.org/refused",
        "outlet": "A Brand New Outlet",
        "headline": "Typed headline, kept",
        "byline": "Typed byline",
    }
    fields.update({f"c{number}-decision": "accept", f"c{number}-speaker_q": "", f"c{marsh}-decision": "accept"})
    fields[f"c{marsh}-via"] = "Typed via, kept"
    fields["action"] = "save"

    refused = as_reporter.post(INTAKE, fields)

    assert refused.status_code == 400
    assert not Article.objects.exists() and not Outlet.objects.exists()
    assert not Quote.objects.exists() and not Speaker.objects.exists()
    forms = {form.number: form for form in refused.context["candidates"]}
    assert "choose the speaker" in " ".join(forms[number].errors["speaker_q"])
    page = refused.content.decode()
    card = page.split(f'id="candidate-{number}"', 1)[1].split("</li>", 1)[0]
    assert "choose the speaker" in card
    again = form_fields(refused)
    assert again["headline"] == "Typed headline, kept" and again["byline"] == "Typed byline"
    assert again["outlet"] == "A Brand New Outlet" and again[f"c{marsh}-via"] == "Typed via, kept"
    assert again[f"c{marsh}-decision"] == "accept" and again["text"].strip() == text.strip()


def test_a_refused_field_is_named_beside_it_and_nothing_is_saved(as_reporter):
    response = pasted(as_reporter, MARSH)
    fields = form_fields(response) | {
        "url": "https://news.example.org/bidi",
        "outlet": "Fresh Outlet",
        "headline": "Budget \u202eevil",
        "action": "accept_all",
    }
    refused = as_reporter.post(INTAKE, fields)
    assert refused.status_code == 400
    assert "bidirectional override" in " ".join(refused.context["metadata"].errors["headline"])
    assert not Article.objects.exists() and not Outlet.objects.exists() and not Quote.objects.exists()
    assert form_fields(refused)["headline"] == "Budget \u202eevil"


def test_the_address_is_required_to_save(as_reporter):
    response = pasted(as_reporter, MARSH)
    fields = form_fields(response) | {"outlet": "Daily Record", "url": "", "action": "save"}
    refused = as_reporter.post(INTAKE, fields)
    assert refused.status_code == 400 and refused.context["metadata"].errors["url"]
    assert not Article.objects.exists()


def test_the_same_address_twice_leads_to_the_article_on_record_never_a_copy(as_reporter, editor):
    existing = ArticleFactory(url="https://news.example.org/marsh", headline="Already here")
    response = pasted(as_reporter, MARSH, url=existing.url)
    fields = form_fields(response) | {"url": existing.url, "outlet": "Another Outlet", "action": "accept_all"}
    page = response.content.decode()
    assert "already on record" in page and reverse("desk:article", args=[existing.pk]) in page

    again = as_reporter.post(INTAKE, fields)

    assert again.status_code == 302 and again.url == reverse("desk:article", args=[existing.pk])
    assert "already on record" in messages_of(again)[0]
    assert Article.objects.count() == 1 and not Quote.objects.exists()
    assert not Outlet.objects.filter(name="Another Outlet").exists()


def test_a_paste_over_the_limit_is_refused_beside_the_text_box_and_kept(as_reporter, settings):
    settings.DESK_MAX_PASTE_CHARACTERS = 100
    response = pasted(as_reporter, MARSH)
    assert response.status_code == 400
    errors = response.context["paste"].errors["text"]
    assert "the desk takes up to 100" in errors[0]
    assert form_fields(response)["text"].strip() == MARSH.strip()
    assert settings.DESK_MAX_PASTE_CHARACTERS < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_the_default_limit_is_under_what_a_form_may_post():
    from django.conf import settings

    assert settings.DESK_MAX_PASTE_CHARACTERS * 12 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_binary_junk_is_refused_beside_the_text_box(as_reporter):
    response = pasted(as_reporter, "\x01\x02\x03" * 200)
    assert response.status_code == 400 and "control characters" in response.context["paste"].errors["text"][0]


def test_a_changed_paste_saves_nothing_and_shows_the_new_candidates(as_reporter):
    response = pasted(as_reporter, MARSH)
    fields = form_fields(response) | {"url": "https://news.example.org/changed", "outlet": "Daily Record"}
    fields["text"] = MARSH.replace("The Treasury said the figures were sound.", "Critics said the plan was thin.")
    fields["action"] = "accept_all"
    again = as_reporter.post(INTAKE, fields)
    assert again.status_code == 409 and "Nothing was saved" in again.content.decode()
    assert not Article.objects.exists()
    assert any(c["text"] == "the plan was thin" for c in candidates_of(again))
    # What was typed in the details is kept.
    assert form_fields(again)["url"] == "https://news.example.org/changed"


def test_every_attribution_is_a_switch_and_each_says_what_it_is(as_reporter):
    text = "Senator Ann Lowe said the levy was unfair. Mayor Cy Dunn believes the levy will pass."
    quotes = pasted(as_reporter, text)
    assert [c["attribution"] for c in candidates_of(quotes)] == ["speech"]
    every = pasted(as_reporter, text, every_attribution="on")
    assert [c["attribution"] for c in candidates_of(every)] == ["speech", "belief"]
    page = every.content.decode()
    assert '<span class="tag tag--attribution">belief</span>' in page and "· belief" in page


def test_html_is_read_and_its_address_and_site_prefill_the_details(as_reporter):
    html = (
        '<html><head><link rel="canonical" href="https://www.example.org/budget">'
        '<meta property="og:site_name" content="Example Times"><title>Budget</title></head>'
        f"<body><article><h1>Budget</h1><p>{MARSH.split(chr(10) * 2, 2)[2]}</p></article></body></html>"
    )
    response = pasted(as_reporter, html)
    assert response.status_code == 200 and response.context["extraction"].input_kind == "html"
    metadata = response.context["metadata"]
    assert metadata["url"].value() == "https://www.example.org/budget"
    assert metadata["outlet"].value() == "Example Times"
    assert "<p>" not in response.context["extraction"].body


def test_an_outlet_on_record_is_found_by_name_not_recorded_again(as_reporter):
    daily = OutletFactory(name="Daily Record")
    response = pasted(as_reporter, MARSH)
    fields = form_fields(response) | {"url": "https://news.example.org/found", "outlet": "daily record"}
    fields["action"] = "save"
    assert as_reporter.post(INTAKE, fields).status_code == 302
    assert Article.objects.get().outlet == daily and Outlet.objects.filter(name__iexact="daily record").count() == 1


# --- escaping ---------------------------------------------------------------------------------


def test_pasted_markup_shows_as_text_in_the_body_and_in_every_highlight(as_reporter):
    text = (
        f"Mayor Ann Lowe said \u201c{PAYLOAD} is our motto.\u201d\n\n"
        f'\u201cWe <b>mean</b> it,\u201d said Lowe " onmouseover="y.'
    )
    response = pasted(as_reporter, text)
    page = response.content.decode()
    assert response.status_code == 200
    assert any(PAYLOAD in c["text"] for c in candidates_of(response))
    assert "<script>alert(1)</script>" not in page and "<b>mean</b>" not in page
    assert '" onmouseover="' not in page
    body = page.split('id="article-text"', 1)[1].split("</div>", 1)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in body
    assert re.search(r'<mark class="quote quote--candidate[^"]*"[^>]*>(<[^>]+>)*[^<]*&lt;script&gt;', body)


# --- the service itself -------------------------------------------------------------------------


def test_recording_from_an_extraction_is_all_or_nothing(editor):
    extraction = extract_article(text=MARSH, attributions="speech")
    good = extraction.candidates[0].to_dict()
    bad = {**extraction.candidates[1].to_dict(), "start": 0, "end": 3}
    with pytest.raises(services.RefusedCandidates) as refused:
        services.record_article_from_extraction(
            extraction=extraction,
            url="https://news.example.org/all-or-nothing",
            outlet="Brand New",
            credited_to="Reuters",
            headline="Budget",
            accepted={0: good, 1: bad},
            acting_user=editor,
        )
    assert list(refused.value.by_candidate) == [1]
    assert refused.value.message_dict["candidates"][0].startswith("Candidate 1 (")
    assert not Article.objects.exists() and not Outlet.objects.exists() and not Speaker.objects.exists()


def test_recording_from_an_extraction_names_field_and_candidate_refusals_together(editor):
    extraction = extract_article(text=MARSH, attributions="speech")
    bad = {**extraction.candidates[0].to_dict(), "speaker": "", "speaker_kind": "pronoun"}
    with pytest.raises(services.RefusedCandidates) as refused:
        services.record_article_from_extraction(
            extraction=extraction, url="not a url", outlet="", headline="", accepted={0: bad}, acting_user=editor
        )
    errors = refused.value.message_dict
    assert {"url", "outlet", "headline", "candidates"} <= set(errors)
    assert "choose the speaker" in errors["candidates"][0]


def test_only_the_newsroom_records_an_article(outsider):
    extraction = extract_article(text=MARSH, attributions="speech")
    with pytest.raises(PermissionDenied, match="Only the newsroom"):
        services.record_article_from_extraction(
            extraction=extraction, url="https://news.example.org/x", outlet="X", headline="X", acting_user=outsider
        )
    assert not Article.objects.exists()


def test_candidates_past_what_one_form_may_post_are_left_for_the_articles_page(as_reporter, settings):
    from claims.views.intake import FIELDS_A_CANDIDATE, PAGE_FIELDS

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = PAGE_FIELDS + 2 * FIELDS_A_CANDIDATE
    response = pasted(as_reporter, MARSH)
    assert len(response.context["candidates"]) == 2 and response.context["not_in_form"] == 2
    assert "more candidates than one form can carry" in response.content.decode()
    fields = form_fields(response) | {"url": "https://news.example.org/many", "outlet": "Daily Record"}
    assert len(fields) + 1 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    saved = as_reporter.post(INTAKE, fields | {"action": "accept_all"})
    assert saved.status_code == 302 and Quote.objects.count() == 2
    assert len(as_reporter.get(saved.url).context["candidates"]) == 2
