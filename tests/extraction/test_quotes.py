from claims.extraction.quotes import find_quotes

from .helpers import candidates, only


def test_a_quote_followed_by_its_speaker_is_a_direct_candidate():
    candidate = only('"We will not back down from this fight," Mayor Jane Smith said on Monday.')
    assert candidate.kind == "direct"
    assert candidate.text == "We will not back down from this fight,"
    assert candidate.speaker == "Jane Smith"
    assert candidate.speaker_title == "Mayor"
    assert candidate.cue == "said"


def test_a_quote_split_by_its_attribution_is_joined_to_one_speaker():
    found = candidates("\u201cThe plan is sound,\u201d Smith said, \u201cand we will carry it out this year.\u201d")
    assert [candidate.text for candidate in found] == ["The plan is sound,", "and we will carry it out this year."]
    assert {candidate.speaker for candidate in found} == {"Smith"}
    assert found[0].group == found[1].group


def test_a_quote_after_a_colon_takes_the_speaker_before_it():
    candidate = only("The senator told reporters: \u00abWe have the votes and we will pass the bill.\u00bb")
    assert candidate.text == "We have the votes and we will pass the bill."
    assert candidate.speaker == "The senator"


def test_every_quotation_mark_style_opens_and_closes_a_quote():
    for opening, closing in [
        ("\u201c", "\u201d"),
        ("\u00ab", "\u00bb"),
        ("\u201e", "\u201c"),
        ('"', '"'),
        ("''", "''"),
    ]:
        text = f"{opening}We will win this election by a wide margin,{closing} the candidate said."
        assert only(text).text == "We will win this election by a wide margin,", opening


def test_a_quote_over_several_paragraphs_runs_to_its_last_closing_mark():
    text = (
        "\u201cWe will rebuild the bridge and the road.\n\n"
        "\u201cIt will take a year, and it will be worth it,\u201d the mayor said."
    )
    candidate = only(text)
    assert candidate.text.startswith("We will rebuild") and candidate.text.endswith("worth it,")


def test_a_quote_inside_a_quote_stays_part_of_the_outer_quote():
    quotes = find_quotes("\u201cHe told me \u2018never again\u2019 and left,\u201d she said.")
    assert len(quotes) == 1


def test_scare_quotes_and_titles_are_not_statements():
    text = (
        "The so-called \u201cpeace plan\u201d was discussed after the film \u201cThe Long Road Home\u201d "
        "was shown to the delegates at the summit."
    )
    assert candidates(text) == []


def test_apostrophes_are_not_quotation_marks():
    assert find_quotes("Don\u2019t forget O\u2019Brien\u2019s point about the voters\u2019 mood.") == []


def test_an_unbalanced_quotation_mark_does_not_break_the_rest():
    found = candidates('He said "this never ends.\n\nSmith said: "We will win the vote next week."')
    assert any(candidate.text == "We will win the vote next week." for candidate in found)


def test_an_unattributed_quote_after_an_attributed_one_keeps_the_speaker():
    found = candidates('"We are ready," Smith said. "The talks will resume on Monday."')
    assert [candidate.speaker for candidate in found] == ["Smith", "Smith"]


def test_a_quotation_after_a_reported_statement_goes_on_with_it_in_the_same_paragraph():
    found = candidates(
        "The levy is a \u201cfair start,\u201d Mayor Ann Lowe said on Monday. \u201cWe will fix the roads first, "
        "and then the schools.\u201d\n\n\u201cIt is too little,\u201d a resident answered."
    )
    levy, roads = found[:2]
    assert roads.text == "We will fix the roads first, and then the schools."
    assert (roads.kind, roads.speaker, roads.group) == ("direct", "Ann Lowe", levy.group)
    # After a plan, as often a quotation of its own as not: left alone.
    plan = only("Mayor Ann Lowe plans to cut the levy. \u201cWe will fix the roads first.\u201d")
    assert plan.text == "to cut the levy"


def test_a_paragraph_ending_in_a_colon_introduces_the_quote_below_it():
    candidate = only(
        "He told his Democratic audience, to rowdy applause:\n\n\u201cNobody is more qualified to serve.\u201d"
    )
    assert candidate.text == "Nobody is more qualified to serve."
    assert candidate.speaker_mention == "He"


def test_a_long_speaker_phrase_before_a_quote_names_the_sentence_subject():
    from .helpers import only

    candidate = only(
        "Alex Castellanos, a consultant who earlier in the season had tried to organize an anti-Trump campaign, "
        'said, "A fantasy effort to stop Trump exists only as the denial stage of grief."'
    )
    assert candidate.kind == "direct"
    assert candidate.speaker == "Alex Castellanos"


def test_verbs_that_double_their_last_consonant_are_cues():
    from .helpers import only

    candidate = only('"If you ask one more mean question, I may have to leave the stage," Cruz quipped.')
    assert (candidate.speaker, candidate.cue) == ("Cruz", "quipped")
    assert only("The mayor admitted that the budget would not balance this year.").cue == "admitted"


def test_a_role_then_a_name_after_a_quote_is_the_speaker():
    from .helpers import only

    candidate = only("“She is also a mother for three young boys,” another friend, Mariam Emara told CNN.")
    assert candidate.speaker == "Mariam Emara"


def test_a_quote_introduced_by_a_colon_is_the_subjects():
    from .helpers import only

    candidate = only("She then addressed the supporters again: “Here is what I regret. They do not listen.”")
    assert (candidate.text, candidate.speaker_mention) == ("Here is what I regret. They do not listen.", "She")


def test_a_quotation_interrupted_by_an_inverted_attribution_resumes():
    found = candidates("“She is too far behind,” said an Iowa Democrat, “and Iowa was not a decisive win.”")
    assert [(candidate.text, candidate.speaker_mention, candidate.group) for candidate in found] == [
        ("She is too far behind,", "an Iowa Democrat", 0),
        ("and Iowa was not a decisive win.", "an Iowa Democrat", 0),
    ]
