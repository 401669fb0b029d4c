"""Every candidate says what kind of attribution it is; quotes only (speech) or all of them are asked for."""

import pytest

from claims.extraction import ALL, SPEECH_ONLY, Attribution, ExtractionInputError, extract_article


def attributions(text: str, mode: str = ALL) -> list[tuple[str, str]]:
    return [
        (candidate.text, candidate.attribution)
        for candidate in extract_article(text=text, attributions=mode).candidates
    ]


@pytest.mark.parametrize(
    ("text", "attribution"),
    [
        ("Senator Ann Lowe said the levy was unfair.", Attribution.SPEECH),
        ("The levy was unfair, according to Senator Ann Lowe.", Attribution.SPEECH),
        ("The talks have stalled, the Financial Times reported, citing an Iranian official.", Attribution.SPEECH),
        ("Mayor Cy Dunn believes the levy will pass.", Attribution.BELIEF),
        ("Mayor Cy Dunn fears the levy will pass.", Attribution.BELIEF),
        ("Mayor Cy Dunn plans to repeal the levy next year.", Attribution.PLAN),
        ("Mayor Cy Dunn declined to comment on the levy.", Attribution.PLAN),
        ("A new poll shows the mayor trailing by nine points.", Attribution.FINDING),
        ("The study estimated that the levy would raise $4 million.", Attribution.FINDING),
        ("Jeb Bush endorsed Cruz.", Attribution.ACTION),
        # A vow, a pledge, a proposal, a threat: what someone means to do, not what was said.
        ("Sanders vowed to stay in the race until the convention.", Attribution.PLAN),
        ("Mayor Cy Dunn pledged to repeal the levy.", Attribution.PLAN),
        ("Mayor Cy Dunn expressed concern about the levy.", Attribution.BELIEF),
        ("Mayor Cy Dunn signaled that he would veto the levy.", Attribution.BELIEF),
        # A stance taken toward a thing, with no statement of its own, like "condemned" and "praised".
        ("Senator Ann Lowe denounced the levy as unfair to farmers.", Attribution.ACTION),
        ("Senator Ann Lowe talked about the levy at the fair.", Attribution.ACTION),
        ("Nabisco is expected to cut 277 workers in Chicago.", Attribution.BELIEF),
    ],
)
def test_each_candidate_says_what_kind_of_attribution_it_is(text, attribution):
    ((_, found),) = attributions(text)
    assert found == attribution


def test_a_person_estimating_speaks_a_study_estimating_finds():
    assert attributions("Smith estimated that the levy would raise $4 million.") == [
        ("the levy would raise $4 million", "speech")
    ]


def test_quotes_only_leaves_out_beliefs_plans_findings_actions_and_hedges():
    text = (
        "Senator Ann Lowe said the levy was unfair. Mayor Cy Dunn believes the levy will pass. "
        "He plans to repeal it next year. A new poll shows the mayor trailing by nine points. "
        "Lowe seemed irritated by the question.\n\n"
        '"We will win," Lowe told reporters.'
    )
    every = attributions(text)
    assert {attribution for _, attribution in every} == {"speech", "belief", "plan", "finding"}
    assert attributions(text, SPEECH_ONLY) == [(t, a) for t, a in every if a == "speech"]
    assert [t for t, _ in attributions(text, SPEECH_ONLY)] == ["the levy was unfair", "We will win,"]


def test_a_colon_label_of_page_furniture_is_no_speaker():
    text = (
        "The mayor spoke at the fair.\n\nWATCH BELOW: The mayor's speech at the county fair\n\n"
        "The Latest: Voters head to polls"
    )
    assert attributions(text) == []


def test_a_transcripts_speaker_label_is_speech():
    assert attributions("FALLIN: Well, I think the governor has done a fine job.") == [
        ("Well, I think the governor has done a fine job", "speech")
    ]


def test_an_unknown_mode_is_refused_with_the_modes_named():
    with pytest.raises(ExtractionInputError, match="'speech'"):
        extract_article(text="Lowe said the levy was unfair.", attributions="quotes")


def test_a_verb_naming_a_speech_act_without_its_words_is_no_quote():
    # "called the vote a disgrace", "praised the mayor": what was spoken of, not what was said.
    for text in ("Senator Ann Lowe called the vote a disgrace.", "Senator Ann Lowe praised the mayor for his work."):
        ((_, attribution),) = attributions(text)
        assert attribution == Attribution.ACTION, text
        assert attributions(text, SPEECH_ONLY) == []
