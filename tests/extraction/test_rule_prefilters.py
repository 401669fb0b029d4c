"""The cheap tests that spare a rule's regex the text it cannot match decide nothing themselves: with or without
them, the rule finds the same."""

import pytest

from claims.extraction import cleaning
from claims.extraction.grammar import sentence_spans
from claims.extraction.reported import evidential_statements, opening_questions, poll_statements

NOTICES = [
    "We use cookies to improve your experience.",
    "Subscribe to our newsletter",
    "Sign up for the morning briefing",
    "Log in to keep reading",
    "Register now, it's free",
    "A rally in Ohio (Photo by Jane Doe)",
    "REUTERS/Jonathan Ernst",
    "© 2016 Example Media. All rights reserved.",
    "Download our app",
    # Letters that IGNORECASE matches to ASCII ones: the word test must not skip them.
    "\u017fub\u017fcribe today",  # long s
    "Coo\u212aies help us run the site",  # Kelvin sign
    "Regİster for free",  # capital I with dot above
    "Log ın here",  # dotless i
]


@pytest.mark.parametrize("line", NOTICES)
def test_every_kind_of_notice_is_still_furniture(line):
    assert cleaning._FURNITURE_NOTICE_RE.search(line)
    assert cleaning.is_furniture(line)


def test_a_line_without_the_notice_words_is_not_searched_and_not_furniture():
    line = "The council said the bridge would reopen next week."
    assert not cleaning._may_hold_notice(line)
    assert not cleaning.is_furniture(line)


def _in_every_sentence(rule, body):
    """The rule given every sentence, one at a time: no sentence is skipped for it."""
    return [found for sentence in sentence_spans(body) for found in rule(body, [sentence])]


def test_hedges_and_polls_are_found_as_by_a_search_of_every_sentence():
    body = (
        "Sanders appeared to dismiss the email issue. Nabisco is expected to cut 277 workers.\n\n"
        "In the CBS poll, Trump's lead over Cruz narrowed to five points. The weather was fine.\n\n"
        "Clinton leads among women in a new Washington Post-ABC News poll."
    )
    sentences = sentence_spans(body)
    assert evidential_statements(body, sentences) == _in_every_sentence(evidential_statements, body)
    assert poll_statements(body, sentences) == _in_every_sentence(poll_statements, body)
    assert len(evidential_statements(body, sentences)) == 2
    assert len(poll_statements(body, sentences)) == 2
    assert evidential_statements("No hedge here. None.", sentence_spans("No hedge here. None.")) == []


def test_an_opening_question_needs_its_word():
    assert opening_questions("Asked if he was ever bullied, the candidate said no.")
    assert opening_questions("He was asked if he was ever bullied, and said no.") == []
