"""Quotes stay anchored to their article's exact characters, whichever side of them is edited."""

import pytest
from django.urls import reverse

from claims.models import Article, Quote
from tests.api.conftest import client_for, if_match
from tests.factories import ArticleFactory, QuoteFactory

pytestmark = pytest.mark.django_db

BODY = "The minister said: \u201cWe won\u2019t raise taxes this year,\u201d before leaving. Critics disagreed."
WORDS = "We won\u2019t raise taxes this year"


@pytest.fixture
def quote(editor):
    article = ArticleFactory(body=BODY, created_by=editor)
    return QuoteFactory(article=article, text=WORDS, created_by=editor)


def patch(client, quote, body):
    url = reverse("api:quote-detail", args=[quote.pk])
    return client.patch(url, body, format="json", **if_match(client, url))


def test_a_quote_patched_as_not_anchored_loses_its_span(editor, quote):
    response = patch(client_for(editor), quote, {"anchored": False})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"], body["text"]) == (None, None, WORDS)
    assert Quote.objects.get(pk=quote.pk).start is None


def test_a_quote_anchored_again_finds_its_words(editor, quote):
    client = client_for(editor)
    patch(client, quote, {"anchored": False})
    body = patch(client, quote, {"anchored": True}).json()
    assert BODY[body["start"] : body["end"]] == WORDS


def test_new_words_typed_with_other_spaces_and_marks_store_the_articles_own(editor, quote):
    typed = "We  won't raise\ntaxes this year"
    response = patch(client_for(editor), quote, {"text": typed})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"] == WORDS
    assert BODY[body["start"] : body["end"]] == WORDS


def test_new_words_not_in_the_article_are_refused(editor, quote):
    response = patch(client_for(editor), quote, {"text": "We will cut taxes"})
    assert response.status_code == 400
    assert "not in the article" in response.json()["error"]["fields"]["text"][0]
    assert Quote.objects.get(pk=quote.pk).text == WORDS


def test_an_article_body_that_drops_a_quotes_words_is_refused_naming_the_quote(editor, quote):
    url = reverse("api:article-detail", args=[quote.article_id])
    client = client_for(editor)
    response = client.patch(url, {"body": "The minister said nothing at all."}, format="json", **if_match(client, url))
    assert response.status_code == 400, response.content
    message = response.json()["error"]["fields"]["body"][0]
    assert f"quote {quote.pk}" in message and WORDS[:20] in message
    assert Article.objects.get(pk=quote.article_id).body == BODY
    stored = Quote.objects.get(pk=quote.pk)
    assert (stored.start, stored.end, stored.text) == (quote.start, quote.end, WORDS)


def test_an_article_body_that_keeps_the_words_elsewhere_moves_the_quote(editor, quote):
    new_body = "Updated at noon. Critics disagreed, after the minister said: \u201c" + WORDS + ",\u201d and left."
    url = reverse("api:article-detail", args=[quote.article_id])
    client = client_for(editor)
    response = client.patch(url, {"body": new_body}, format="json", **if_match(client, url))
    assert response.status_code == 200, response.content
    stored = Quote.objects.get(pk=quote.pk)
    assert stored.start != quote.start
    assert new_body[stored.start : stored.end] == stored.text == WORDS
    shown = client_for(editor).get(reverse("api:quote-detail", args=[quote.pk])).json()
    assert new_body[shown["start"] : shown["end"]] == WORDS
