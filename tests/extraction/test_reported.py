from claims.extraction import extract_article

from .helpers import candidates, only


def test_speaker_then_verb_then_that_clause_is_a_reported_statement():
    candidate = only("A White House official said in June that Iran had transferred several hundred drones.")
    assert candidate.kind == "indirect"
    assert candidate.text == "Iran had transferred several hundred drones"
    assert candidate.speaker == "A White House official"
    assert candidate.speaker_kind == "anonymous"


def test_statement_then_speaker_and_verb_is_a_reported_statement():
    candidate = only("The economy will grow by three percent next year, Finance Minister Ana Lopez said.")
    assert candidate.text == "The economy will grow by three percent next year"
    assert candidate.speaker == "Ana Lopez"
    assert candidate.speaker_title == "Finance Minister"


def test_a_statement_opening_the_body_starts_after_its_dateline():
    # The state and the date ("Mass., Dec. 11") are the dateline's, not the statement's.
    candidate = only(
        "Poll finds young voters moving\n\n"
        "CAMBRIDGE, Mass., Dec. 11 (UPI) — Young Democrats are gravitating toward Bernie Sanders, a new poll indicates."
    )
    assert candidate.text == "Young Democrats are gravitating toward Bernie Sanders"
    assert candidate.speaker == "a new poll"


def test_a_stance_verb_with_a_capital_as_speaker_is_found():
    candidate = only("Moscow has denied its forces used Iranian drones in Ukraine.")
    assert candidate.text == "its forces used Iranian drones in Ukraine"
    assert candidate.speaker == "Moscow"
    assert candidate.cue == "denied"


def test_according_to_names_the_speaker():
    candidate = only("The factory will close in March, according to the company's annual report.")
    assert candidate.text == "The factory will close in March"
    assert "annual report" in candidate.speaker


def test_told_reporters_skips_the_people_told():
    candidate = only("The governor told reporters on Tuesday that the budget would be balanced by spring.")
    assert candidate.text == "the budget would be balanced by spring"
    assert candidate.speaker == "The governor"


def test_a_report_citing_a_source_is_the_publications_with_the_source_as_via():
    # The project records the outlet that reported as the speaker and the source it cited as via (seed gold q4).
    candidate = only("The talks have stalled, the Financial Times reported, citing an Iranian official.")
    assert candidate.speaker == "Financial Times"
    assert candidate.via == "an Iranian official"


def test_a_second_verb_shares_the_subject_of_the_first():
    found = candidates("Iran has acknowledged sending drones to Russia but said they were sent before the war.")
    assert [(candidate.text, candidate.speaker) for candidate in found] == [
        ("sending drones to Russia", "Iran"),
        ("they were sent before the war", "Iran"),
    ]


def test_text_without_attribution_has_no_candidates():
    assert candidates("The bridge was built in 1932. It carries ten thousand cars a day.") == []


def test_telling_a_news_outlet_relays_the_statement_through_it():
    candidate = only("White House spokesman Josh Earnest told CNN that the plan would work.")
    assert (candidate.speaker, candidate.speaker_title, candidate.via) == (
        "Josh Earnest",
        "White House spokesman",
        "CNN",
    )


def test_a_statement_ends_where_a_contrasting_attribution_begins():
    found = candidates(
        "The minister said the deal was close, while sources familiar with the talks said it could collapse."
    )
    assert [(candidate.text, candidate.speaker) for candidate in found] == [
        ("the deal was close", "The minister"),
        ("it could collapse", "sources familiar with the talks"),
    ]


def test_an_infinitive_after_an_intention_verb_is_the_content():
    candidate = only("Sanders promised to push for a contested convention this summer.")
    assert candidate.text == "to push for a contested convention this summer"
    assert candidate.speaker == "Sanders"


def test_said_to_reporters_is_still_no_statement():
    assert not candidates("The senator said to reporters in Ohio as the crowd left.")


def test_a_subordinate_clause_statement_ends_at_its_comma():
    found = candidates("And while he said he would bring back waterboarding, he clarified nothing.")
    assert [candidate.text for candidate in found] == ["he would bring back waterboarding"]
    assert found[0].speaker_mention == "he"


def test_a_subordinate_clause_opening_a_later_sentence_ends_at_its_comma_inside_a_quotation():
    found = candidates(
        "The polls closed at eight. Although she conceded that she is \u201cnot a natural politician,\u201d "
        "Hillary Clinton had a good night on Tuesday."
    )
    assert [candidate.text for candidate in found] == ["she is \u201cnot a natural politician"]


def test_agreed_is_a_cue():
    candidate = only("The governor agreed to release the records next week.")
    assert candidate.text == "to release the records next week"
    assert candidate.cue == "agreed"


def test_a_statement_ends_before_the_writers_aside():
    candidate = only("Other candidates said they support charter schools, but they would not fund them.")
    assert candidate.text == "they support charter schools"
    # A contrast, a participle and a new clause after a semicolon are the writer's words too.
    assert only("Ten members said they would back Sanders, while 95 favored Clinton.").text == "they would back Sanders"
    assert only("Critics said the rule was easy to dodge, doing little to curb trading.").text == (
        "the rule was easy to dodge"
    )
    assert only("The mayor said the plan was dead; activists filed suit.").text == "the plan was dead"


def test_a_list_after_including_stays_in_the_statement():
    candidate = only("She said the state would cut taxes, including the levy on fuel.")
    assert candidate.text == "the state would cut taxes, including the levy on fuel"


def test_phrasal_cues_name_what_was_spoken_of():
    candidate = only("Clinton talked about jobs and wages in Ohio.")
    assert (candidate.text, candidate.cue, candidate.speaker) == ("jobs and wages in Ohio", "talked about", "Clinton")
    assert only("He pointed out that the economy had grown.").text == "the economy had grown"
    assert only("Cruz called for a ban on the practice.").text == "a ban on the practice"


def test_a_relative_clause_statement_is_its_antecedents():
    found = candidates(
        "Cruz, who says Trump is attacking him because the polls have tightened, said voters should go with him."
    )
    assert [(candidate.text, candidate.speaker) for candidate in found][0] == (
        "Trump is attacking him because the polls have tightened",
        "Cruz",
    )
    assert only("Contrast that with Trump, who has called the trade pact insanity.").speaker == "Trump"


def test_a_second_speakers_statement_ends_the_first():
    found = candidates("One company says there are 2,400 billionaires, another says there are about 1,800.")
    assert [candidate.text for candidate in found] == [
        "there are 2,400 billionaires",
        "there are about 1,800",
    ]


def test_but_with_a_verb_continues_the_statement():
    candidate = only("The party leader said the process was fair, but required candidates to put forth an effort.")
    assert candidate.text == "the process was fair, but required candidates to put forth an effort"


def test_according_to_inside_the_quoted_content_does_not_end_it():
    candidate = only('Estrosi said that "the driver fired on the crowd, according to the police who killed him."')
    assert candidate.text == '"the driver fired on the crowd, according to the police who killed him."'


def test_a_poll_named_with_its_time_still_shows_a_finding():
    candidate = only("A University of New Hampshire poll out this week shows Clinton with an 8-point lead over Trump.")
    assert candidate.text == "Clinton with an 8-point lead over Trump"
    assert not candidates("The candidate shows his age on the trail.")


def test_what_a_speaker_called_something_is_the_named_phrase():
    candidate = only("In 2009, under what Mr. Hedge called ''the prior economy model,'' the club closed.")
    assert (candidate.text, candidate.speaker) == ("''the prior economy model,''", "Hedge")
    assert only("He criticized what he described as a rigged system, and left.").text == "a rigged system"


def test_a_name_opening_a_long_speaker_phrase_is_the_speaker():
    candidate = only(
        "Rich Heffley, a top GOP operative who played a major role in John McCain's big Florida win in 2008 and is "
        "now running the early-vote efforts in the state, said the absentee program is critical."
    )
    assert (candidate.text, candidate.speaker) == ("the absentee program is critical", "Rich Heffley")


def test_a_transcript_label_speaks_its_paragraph():
    found = candidates(
        "The debate went on.\n\nFALLIN: Well, the whole nation needs to work together.\n\nNote: Updated at noon."
    )
    assert [(candidate.text, candidate.speaker) for candidate in found] == [
        ("Well, the whole nation needs to work together", "FALLIN")
    ]


def test_an_interviews_q_and_a_labels_name_no_speaker():
    assert candidates("Q: Have you talked to McConnell about the court?\n\nA: Not yet, but I will soon.") == []


def test_a_question_asked_is_the_content_of_asked():
    assert only("We asked the campaigns why they did not respond to the questionnaire.").text == (
        "why they did not respond to the questionnaire"
    )
    found = candidates("Asked if he was ever bullied, the candidate said no.")
    assert [candidate.text for candidate in found] == ["if he was ever bullied"]


def test_an_embedded_which_clause_stays_in_the_statement():
    candidate = only("Mr. Kerry said the talks, which started a decade ago, remained one of the best opportunities.")
    assert candidate.text == "the talks, which started a decade ago, remained one of the best opportunities"
    assert only("He said he would sign the bill, which passed on Monday.").text == "he would sign the bill"


def test_a_relative_clause_after_an_inverted_speaker_keeps_the_statement_before_it():
    candidate = only("There is not a whole lot you can do, said a former official who oversaw investigations.")
    assert candidate.text == "There is not a whole lot you can do"
    assert candidate.speaker_mention == "a former official"


def test_a_statement_named_by_a_noun_is_its_owners():
    candidate = only("Voters cheered her promise to cut taxes for the middle class.")
    assert (candidate.text, candidate.speaker_mention, candidate.cue) == (
        "to cut taxes for the middle class",
        "her",
        "promise",
    )
    candidate = only("Voters laughed at Trump's insistence that the wall would be paid for by Mexico.")
    assert (candidate.text, candidate.speaker) == ("the wall would be paid for by Mexico", "Trump")


def test_a_noun_object_ends_at_its_comma():
    candidate = only("She cited the Head Start program, the federally funded pre-school run by schools.")
    assert candidate.text == "the Head Start program"


def test_an_infinitive_content_ends_at_its_comma():
    candidate = only("Trump refused to back an undivided Jerusalem, a red line for many supporters of Israel.")
    assert candidate.text == "to back an undivided Jerusalem"


def test_a_thousands_comma_does_not_end_a_content():
    assert only("He pledged to create 700,000 jobs in seven years, a goal few believe.").text == (
        "to create 700,000 jobs in seven years"
    )


def test_more_attribution_verbs_and_only_their_verb_forms():
    assert only("The senator denounced the ruling as a disgrace to the court.").cue == "denounced"
    assert only("Clinton thanked the volunteers who knocked on doors.").cue == "thanked"
    assert not candidates("The attacks on the embassy continued for hours.")


def test_a_progressive_cue_has_its_subject_as_speaker():
    candidate = only("Trump was referring to the wall on the border.")
    assert (candidate.text, candidate.speaker) == ("the wall on the border", "Trump")
    assert only("Clinton made clear that she would not back down.").cue == "made clear"


def test_a_closing_appositive_is_the_writers_not_the_speakers():
    candidate = only("HP announced it would slash up to 30,000 jobs, a mass layoff rivaling the cuts of 2002.")
    assert candidate.text == "it would slash up to 30,000 jobs"


def test_an_adverbial_participle_cue_is_the_sentence_subjects():
    candidate = only("Trump closed the rally after warning that the election would be rigged.")
    assert (candidate.text, candidate.speaker) == ("the election would be rigged", "Trump")


def test_a_statement_saying_is_a_participle_cue():
    assert only("The committee issued a statement saying that the emails were inexcusable.").text == (
        "the emails were inexcusable"
    )


def test_this_opening_the_content_is_no_time_adjunct():
    assert (
        only("Economists believe this provides an artificial incentive.").text
        == "this provides an artificial incentive"
    )


def test_an_appositive_after_the_person_accused_is_no_statement_end():
    candidate = only('In Salem, Trump accused Cruz, the senator from Texas, of being "politically correct."')
    assert candidate.speaker == "Trump"
    assert candidate.text.startswith("Cruz, the senator from Texas, of being")


def test_a_participles_speaker_may_open_with_the():
    assert only("The DNC issued a statement saying that the emails were inexcusable.").speaker_mention == "The DNC"


def test_a_name_before_a_dashed_aside_is_the_speaker():
    candidate = only("Murphy — after a knock-on-wood gesture — told me he had a relatively tragedy-free life.")
    assert (candidate.text, candidate.speaker) == ("he had a relatively tragedy-free life", "Murphy")


def test_figures_in_a_named_poll_are_the_polls():
    candidate = only("In the CBS poll, Trump's lead over Cruz narrowed from 20 points to 13 points.")
    assert (candidate.text, candidate.speaker_mention, candidate.cue) == (
        "Trump's lead over Cruz narrowed from 20 points to 13 points",
        "the CBS poll",
        "In",
    )
    candidate = only("Just 18 percent of Hispanic voters view Trump favorably in a new Washington Post-ABC News poll.")
    assert (candidate.speaker_mention, candidate.cue) == ("a new Washington Post-ABC News poll", "in")


def test_a_passive_agent_or_a_particle_after_the_cue_is_no_statement():
    assert not candidates("It is a biography written by the Washington Post editor Marc Fisher.")
    assert not candidates("Mr. Lewandowski backed away from the deal last week.")


def test_any_noun_phrase_after_according_to_is_a_source():
    candidate = only("Sanders has raised $6 million from tech donors, according to new Crowdpac research.")
    assert (candidate.text, candidate.speaker_mention) == (
        "Sanders has raised $6 million from tech donors",
        "new Crowdpac research",
    )


def test_a_statement_resumes_after_a_mid_sentence_according_to():
    found = candidates("For Trump, according to William J. Bennett, the speech represents a test of his discipline.")
    assert [candidate.text for candidate in found] == ["For Trump", "the speech represents a test of his discipline"]
    assert {candidate.group for candidate in found} == {0}


def test_a_two_word_statement_is_kept():
    assert only("Clinton said it's strong.").text == "it's strong"


def test_an_infinitive_cue_does_not_take_the_sentence_subject():
    assert not candidates("He then proceeded to repeat almost the same phrasing three times.")


def test_a_relative_clause_on_an_object_speaks_for_its_antecedent_to_the_sentence_end():
    found = only("Trump was out-brutalizing Ted Cruz, who said he would only use it sparingly, in emergencies.")
    assert found.text == "he would only use it sparingly, in emergencies"
    assert found.speaker == "Ted Cruz"


def test_a_which_clause_after_an_organisation_is_its_statement():
    found = only("The union, which endorsed Hillary Clinton in June, has two million members.")
    assert found.text == "Hillary Clinton in June"
    assert found.speaker == "The union" or found.speaker_mention == "The union"


def test_a_hedged_clause_is_the_writers_with_its_subject_and_no_speaker():
    found = only("At the time, Clinton seemed irritated by the question.")
    assert found.text == "Clinton seemed irritated by the question"
    assert found.speaker is None and found.cue == "seemed"


def test_an_expected_event_is_a_hedged_statement():
    found = only("Separately, Nabisco is expected to cut 277 workers this week.")
    assert found.text == "Nabisco is expected to cut 277 workers this week"


def test_it_seems_has_no_subject_to_hedge():
    assert candidates("It seems, though, that nobody noticed.") == []


def test_a_headline_statement_is_read_with_its_title_case_cue_and_anchored_in_the_headline():
    extraction = extract_article(
        text="Francois Hollande Says Donald Trump ‘Makes You Want To Retch’\n\nThe French president spoke on Monday."
    )
    (found,) = extraction.headline_candidates
    assert found.text == "Donald Trump ‘Makes You Want To Retch’" and found.cue == "Says"
    assert found.speaker == "Francois Hollande"
    assert extraction.metadata.headline[found.start : found.end] == found.text
    start, end = extraction.to_input_span(found.start, found.end, in_headline=True)
    assert extraction.source[start:end] == found.text


def test_a_headline_label_names_its_speaker():
    extraction = extract_article(text="Lynch: No outside influence on FBI probe\n\nThe attorney general spoke.")
    (found,) = extraction.headline_candidates
    assert (found.speaker, found.text, found.cue) == ("Lynch", "No outside influence on FBI probe", ":")


def test_a_headline_without_attribution_has_no_statement():
    extraction = extract_article(text="Update: Bridge Reopens After Repairs\n\nThe bridge opened on Monday.")
    assert extraction.headline_candidates == []


def test_an_adjunct_after_the_cue_is_a_whole_word():
    # "again" is not the start of "against", nor "this week" of "this weekend": the statement starts at a word.
    assert only("Senator Ann Lowe said against all odds the court would rule.").text == (
        "against all odds the court would rule"
    )
    assert only("Trump said this weekend that the wall would be built.").text == "the wall would be built"


def test_think_tank_is_a_noun_not_a_cue():
    text = "The conservative Heritage Foundation think tank released a report on the tax plan last week."
    assert candidates(text) == []
    candidate = only("Economists at think tanks on the left and right agree the plan would cost billions.")
    assert candidate.cue == "agree"


def test_a_statement_ends_at_a_full_stop_after_us_when_a_new_subject_follows():
    text = "Senator Ted Cruz said Obama is failing to stop attacks in the U.S. He says the U.S. Senate must act."
    assert [(candidate.text, candidate.speaker) for candidate in candidates(text)] == [
        ("Obama is failing to stop attacks in the U.S", "Ted Cruz"),
        ("the U.S. Senate must act", "Ted Cruz"),  # not "S. He", a name read across the full stop
    ]


def test_maintain_and_charge_attribute_only_with_that():
    assert candidates("Clinton maintains a wide lead over Sanders among black voters.") == []
    assert candidates("Police charged Corey Lewandowski with battery last month.") == []
    assert only("Senator Ann Lowe maintained that the vote was rigged.").text == "the vote was rigged"
    assert only("Senator Ann Lowe charged that the levy was illegal.").text == "the levy was illegal"


def test_a_claimed_victory_is_no_statement():
    assert candidates("Clinton claimed victory in a tweet on Tuesday night.") == []
    assert candidates("Islamic State claimed responsibility for the attack.") == []
    assert only("Sanders claimed the nomination was stolen.").text == "the nomination was stolen"


def test_the_one_told_closing_the_sentence_is_no_statement():
    candidate = only("Shoukair was kind and responsible, a Cairo airport official told Reuters.")
    assert (candidate.text, candidate.speaker) == ("Shoukair was kind and responsible", "a Cairo airport official")
    candidate = only("This is not about me, President Obama told his closest aides.")
    assert (candidate.text, candidate.speaker) == ("This is not about me", "Obama")


def test_an_inverted_speaker_may_open_with_a_title_in_lower_case():
    candidate = only("The firm lobbied for the Trump Organization on gaming, said lobbyist Charlie Black.")
    assert (candidate.text, candidate.speaker) == (
        "The firm lobbied for the Trump Organization on gaming",
        "Charlie Black",
    )


def test_a_statement_before_a_verb_of_saying_and_its_adjunct():
    candidate = only("Outright victory is vital, Collins said after meeting Thursday with Trump aides.")
    assert (candidate.text, candidate.speaker) == ("Outright victory is vital", "Collins")
    assert not candidates("At the final debate and one town hall, he only hinted at Donald Trump.")


def test_what_a_speaker_cites_is_an_attribution_of_its_own():
    found = candidates("The economy is weak, McCain said, citing low growth, unemployment and inequality.")
    assert [(c.text, c.speaker, c.attribution) for c in found] == [
        ("The economy is weak", "McCain", "speech"),
        ("low growth, unemployment and inequality", "McCain", "action"),
    ]
    found = candidates("Mr. Manafort, citing the polls, said the candidate could win Pennsylvania.")
    assert [(c.text, c.speaker) for c in found] == [
        ("the polls", "Manafort"),
        ("the candidate could win Pennsylvania", "Manafort"),
    ]


def test_a_participle_after_a_quotation_is_its_speakers():
    found = candidates('"It is a reflection of the anger people feel," McCain said, adding that growth was low.')
    assert [(c.text, c.speaker) for c in found][1] == ("growth was low", "McCain")


def test_a_participle_after_a_closing_quotation_mark_or_a_dash():
    found = candidates("Mr. Trump said of the episode, ''I don't like it,'' adding that they had real anger.")
    assert [(c.text, c.speaker) for c in found][1] == ("they had real anger", "Trump")
    candidate = only("Marco Rubio flipped his choice on the spot – saying he was rooting for Peyton Manning.")
    assert (candidate.text, candidate.speaker) == ("he was rooting for Peyton Manning", "Marco Rubio")


def test_a_participle_opening_the_sentence_is_the_main_clauses_subjects():
    found = candidates("Noting he majored in philosophy during college, Allen said he tends to give long answers.")
    assert [(c.text, c.speaker, c.cue) for c in found][0] == (
        "he majored in philosophy during college",
        "Allen",
        "Noting",
    )


def test_a_participle_with_that_after_a_noun_phrase_is_that_phrases():
    found = candidates(
        "Trump has sought to bolster his image, painting others as weak and suggesting that he would win."
    )
    assert [(c.text, c.speaker) for c in found][-1] == ("he would win", "Trump")
