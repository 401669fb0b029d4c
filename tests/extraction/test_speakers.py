from claims.extraction.speakers import parse_speaker

from .helpers import candidates


def test_the_title_as_printed_is_split_from_the_name():
    speaker = parse_speaker("Russian Deputy Foreign Minister Sergei Ryabkov")
    assert (speaker.name, speaker.title, speaker.kind) == (
        "Sergei Ryabkov",
        "Russian Deputy Foreign Minister",
        "person",
    )


def test_an_appositive_title_is_kept():
    speaker = parse_speaker("Tad Devine, Sanders' senior media adviser")
    assert (speaker.name, speaker.title) == ("Tad Devine", "Sanders' senior media adviser")


def test_anonymous_sources_stay_anonymous():
    for phrase in ("a White House official", "sources familiar with the talks", "officials at the White House"):
        assert parse_speaker(phrase).kind == "anonymous", phrase


def test_a_later_surname_resolves_to_the_full_name_and_title():
    text = (
        "Russian Deputy Foreign Minister Sergei Ryabkov spoke in Moscow on Friday.\n\n"
        '"There are no changes," Ryabkov said.'
    )
    (candidate,) = candidates(text)
    assert candidate.speaker == "Sergei Ryabkov"
    assert candidate.speaker_title == "Russian Deputy Foreign Minister"
    assert candidate.speaker_mention == "Ryabkov"


def test_a_pronoun_resolves_to_the_last_person_who_spoke():
    text = '"We will win," Senator Maria Chen said.\n\n"The vote is close," she added.'
    found = candidates(text)
    assert [candidate.speaker for candidate in found] == ["Maria Chen", "Maria Chen"]
    assert found[1].speaker_mention == "she"


def test_a_role_resolves_to_the_speaker_with_that_title():
    text = (
        "The sanctions will hurt, Foreign Minister Ali Rezai said on Monday.\n\n"
        "The talks will go on, the minister said."
    )
    assert [candidate.speaker for candidate in candidates(text)] == ["Ali Rezai", "Ali Rezai"]


def test_organisations_and_capitals_speak():
    assert parse_speaker("the White House").kind == "organization"
    assert parse_speaker("The White House").name == "White House"
    assert parse_speaker("Moscow").kind == "organization"


def test_her_opening_a_role_is_a_determiner_not_the_speaker():
    from .helpers import only

    candidate = only("Her chief policy aide, Jake Sullivan, said her record is a blueprint for creating jobs.")
    assert candidate.text == "her record is a blueprint for creating jobs"
    assert candidate.speaker == "Jake Sullivan"


def test_a_lower_case_plural_group_is_a_speaker():
    from .helpers import only

    candidate = only("In interviews, female donors in both parties described cascading cultural changes.")
    assert candidate.speaker_mention == "female donors in both parties"


def test_a_clause_opener_is_no_part_of_a_name():
    found = candidates("Although EDC said it would appeal, the ruling stands. EDC said the ruling was wrong.")
    assert [candidate.speaker for candidate in found] == ["EDC", "EDC"]
    text = "After President Barack Obama met the pope, the pope blessed him. Obama said the visit went well."
    assert [candidate.speaker for candidate in candidates(text)] == ["Barack Obama"]


def test_a_speaker_is_the_noun_phrase_before_its_verb():
    from .helpers import only

    for text, speaker in [
        (
            "The Washington Post on Thursday became the latest US newspaper to endorse Hillary Clinton.",
            "The Washington Post",
        ),
        ("Carson took the stage Tuesday at the Grand Hotel in Baltimore and called the vote a disgrace.", "Carson"),
        ("Trump spotted a sign in the crowd and asked whether its owner was a veteran.", "Trump"),
    ]:
        assert only(text).speaker_mention == speaker, text


def test_a_verb_in_the_speakers_description_is_kept_apart_not_cut():
    from .helpers import only

    candidate = only("Ted Cruz, who won Oklahoma and his home state of Texas, said the race was far from over.")
    assert candidate.speaker == "Ted Cruz"
    assert candidate.speaker_mention == "Ted Cruz, who won Oklahoma and his home state of Texas"
