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
    # An opener with no noun phrase after it ("When asked ...") is no speaker, not a name "When".
    for text in ["When asked about the merger, she defended her decision.", "Instead, Will called for a recount."]:
        assert candidates(text)[0].speaker_mention is None, text


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


def speakers_of(text: str) -> list[str | None]:
    return [candidate.speaker for candidate in candidates(text)]


def test_she_goes_to_the_nearest_speaker_who_can_be_she():
    # "his budget" tells that Tom Ruiz is not "she"; the nearest speaker who may be is Maria Chen.
    text = (
        "Senator Maria Chen said the levy was unfair. Mayor Tom Ruiz said his budget was sound. "
        "She said the vote would be close."
    )
    assert speakers_of(text) == ["Maria Chen", "Tom Ruiz", "Maria Chen"]


def test_a_title_or_honorific_gives_the_gender():
    text = (
        "Mrs. Ann Lowe said the levy was unfair. Mr. Tom Ruiz said the budget was sound. "
        "She said the vote would be close."
    )
    assert speakers_of(text)[-1] == "Ann Lowe"


def test_they_goes_to_a_group_never_to_one_person():
    text = (
        "Officials said the bridge would close in May. Senator Maria Chen said the levy was unfair. "
        "They said the repairs would take a year."
    )
    assert speakers_of(text) == ["Officials", "Maria Chen", "Officials"]


def test_the_company_is_the_body_the_article_named():
    text = "Acme Corp said profits rose by a third. The company said it would hire 200 workers."
    assert speakers_of(text) == ["Acme Corp", "Acme Corp"]


def test_a_paragraph_continuing_a_quote_keeps_its_speaker_only_when_nobody_intervenes():
    continued = '"We will win," Senator Ann Lowe said.\n\n"The budget is sound and the levy is fair."'
    assert speakers_of(continued) == ["Ann Lowe", "Ann Lowe"]
    interrupted = (
        '"We will win," Senator Ann Lowe said. Critics say the levy is unfair.\n\n'
        '"The budget is sound and the levy is fair."'
    )
    assert speakers_of(interrupted) == ["Ann Lowe", "Critics"]


def test_a_relative_pronoun_alone_stays_the_speaker_phrase():
    from claims.extraction.grammar import noun_phrase

    assert noun_phrase("who", (0, 3)) == (0, 3)  # PolNeAR's source for "..., who said"
    assert noun_phrase("In a clip that", (0, 14)) == (3, 9)


def test_a_description_is_the_entity_the_article_named_before():
    found = candidates("Health Minister Patty Hajdu spoke in Ottawa. The minister said the vaccines would arrive soon.")
    assert [(c.speaker_mention, c.speaker) for c in found] == [("The minister", "Patty Hajdu")]
    found = candidates("Enbridge Inc. filed the plan in May. The company said the pipeline would be safe.")
    assert [(c.speaker_mention, c.speaker) for c in found] == [("The company", "Enbridge Inc.")]
    text = "Jane Smith sued. Her lawyer, Tom Brown, said the case was strong. The lawyer for Smith said it was won."
    assert [c.speaker for c in candidates(text)] == ["Tom Brown", "Tom Brown"]
