"""What the matcher reads in a text: the words a tweet and a fact-checker's claim can share."""

import datetime

import pytest

from claims.matching.text import MAX_TEXT_CHARS, analyse, last_date, marked, normalise, parse_date, problem, terms


def test_hashtags_and_handles_are_split_into_the_words_a_claim_would_use():
    assert normalise("#AustralianFires and @IlhanMN") == "Australian Fires and Ilhan MN"


def test_links_are_dropped():
    assert terms(normalise("Look https://t.co/abc123 pic.twitter.com/0eJtwJyS1J www.example.com/x wombats")) == (
        "look",
        "wombat",
    )


def test_words_are_stemmed_and_stop_words_left_out():
    assert terms("The butterflies were surviving in wombat holes") == ("butterfli", "surviv", "wombat", "hole")


def test_names_numbers_and_the_tweets_own_date():
    found = analyse("Joe Biden signed 30 orders, 2,000 pages, 12.50% — Forbes (@Forbes) January 28, 2021")
    assert {"joe biden", "forb"} <= found.names
    assert found.numbers == {"30", "2000", "12.5%"}  # the year is the date's, not a number claimed
    assert found.dated == datetime.date(2021, 1, 28)


def test_the_last_date_is_the_tweets_own_and_impossible_dates_are_none():
    assert last_date("On March 3, 2019 he said it; posted 6 March 2021") == datetime.date(2021, 3, 6)
    assert last_date("February 30, 2020") is None
    assert parse_date("26 May 2015") == datetime.date(2015, 5, 26)
    assert parse_date("2020-01-14T10:00:00") == datetime.date(2020, 1, 14)
    assert parse_date("someday") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is empty"),
        ("   \n", "is empty"),
        ("😀🔥 https://t.co/x", "has no words to match on, only links, emoji, numbers or punctuation"),
        ("42 ... 7", "has no words to match on, only links, emoji, numbers or punctuation"),
        ("x" * (MAX_TEXT_CHARS + 1), f"is {MAX_TEXT_CHARS + 1:,} characters long; a statement to match is at most"),
    ],
)
def test_what_cannot_be_matched_says_why(text, reason):
    assert problem(text).startswith(reason)


def test_other_scripts_are_words_too():
    assert problem("Путин заявил о выводе войск") is None
    assert "путин" in " ".join(analyse("Путин заявил о выводе войск").terms)


def test_marked_escapes_the_text_and_marks_the_shared_words():
    shown = marked('Wombats <script>alert(1)</script> " onmouseover=x sheltered butterflies', {"wombat", "butterfli"})
    assert shown == (
        "<mark>Wombats</mark> &lt;script&gt;alert(1)&lt;/script&gt; &quot; onmouseover=x sheltered "
        "<mark>butterflies</mark>"
    )
