from claims.extraction.evaluation import (
    GoldArticle,
    GoldStatement,
    Prediction,
    matches,
    parse_ann,
    score_article,
    speaker_correct,
)

ANN = (
    "T1\tSource 0 5\tSmith\n"
    "T2\tCue 6 10\tsaid\n"
    "T3\tContent 11 20;22 30\tthe plan\nworks well\n"
    "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"
)


def test_an_ann_span_running_over_a_line_break_continues_on_the_next_line():
    (statement,) = parse_ann(ANN)
    assert statement.segments == [(11, 20), (22, 30)]
    assert statement.source == "Smith"
    assert statement.cue == "said"
    assert statement.speech_cue


def test_a_prediction_matches_when_the_overlap_is_at_least_half_the_longer_span():
    gold = GoldStatement([(0, 100)], "Smith", "said")
    assert matches(Prediction([(0, 50)], "indirect", "Smith", "Smith", None), gold)
    assert not matches(Prediction([(0, 49)], "indirect", "Smith", "Smith", None), gold)
    assert not matches(Prediction([(0, 300)], "indirect", "Smith", "Smith", None), gold)


def test_speakers_match_by_containment_surname_or_the_mention_as_printed():
    gold = GoldStatement([(0, 10)], "Sen. Chuck Grassley (R-Iowa)", "said")
    assert speaker_correct(Prediction([(0, 10)], "indirect", "Chuck Grassley", "Grassley", None), gold)
    pronoun = GoldStatement([(0, 10)], "he", "said")
    assert speaker_correct(Prediction([(0, 10)], "indirect", "Donald Trump", "he", None), pronoun)
    assert not speaker_correct(Prediction([(0, 10)], "indirect", "Hillary Clinton", "Clinton", None), gold)


def test_scores_count_precision_over_predictions_and_recall_over_gold():
    text = "x" * 200
    article = GoldArticle(
        "a", text, [GoldStatement([(0, 50)], "Smith", "said"), GoldStatement([(100, 150)], "Jones", "believes")]
    )
    predictions = [
        Prediction([(0, 50)], "indirect", "Smith", "Smith", None),
        Prediction([(160, 190)], "indirect", "Lee", "Lee", None),
    ]
    scores = score_article(article, predictions).scores()
    assert scores["precision_overlap"] == 0.5
    assert scores["recall_overlap"] == 0.5
    assert scores["precision_exact"] == 0.5
    assert scores["speaker_accuracy"] == 1.0
    speech = score_article(article, predictions, "speech_cue").scores()
    assert speech["gold"] == 1 and speech["recall_overlap"] == 1.0


def test_quotes_mode_strictly_counts_a_candidate_matching_only_a_belief_wrong():
    article = GoldArticle(
        "a", "x" * 200, [GoldStatement([(0, 50)], "Smith", "said"), GoldStatement([(100, 150)], "Jones", "believes")]
    )
    predictions = [
        Prediction([(0, 50)], "indirect", "Smith", "Smith", None),
        Prediction([(100, 150)], "indirect", "Jones", "Jones", None),
    ]
    assert score_article(article, predictions, "speech_cue").scores()["precision_overlap"] == 1.0
    assert score_article(article, predictions, "speech_cue_strict").scores()["precision_overlap"] == 0.5


def test_later_references_are_scored_against_the_full_name_they_stand_for():
    from claims.extraction.evaluation import references, score_resolution

    text = "Mrs. Ann Lowe said A. Mr. Tom Ruiz said B. She said C. Lowe said D."
    at = text.index

    def said(source: str, position: int, content: str) -> GoldStatement:
        return GoldStatement(
            [(at(content), at(content) + 1)], source, "said", source_segments=[(position, position + len(source))]
        )

    golds = [
        said("Mrs. Ann Lowe", 0, "A"),
        said("Mr. Tom Ruiz", at("Mr. Tom"), "B"),
        said("She", at("She"), "C"),
        said("Lowe", at("Lowe said D"), "D"),
    ]
    article = GoldArticle("a", text, golds)
    # "She" is Ann Lowe: Tom Ruiz is nearer, but "Mr." says he is not she; "Lowe" stands for "Ann Lowe".
    assert [(reference.kind, reference.referent) for reference in references(article)] == [
        ("pronoun", "Mrs. Ann Lowe"),
        ("surname", "Mrs. Ann Lowe"),
    ]
    right = [Prediction(gold.segments, "indirect", "Ann Lowe", "she", None) for gold in golds[2:]]
    wrong = [Prediction(gold.segments, "indirect", "Tom Ruiz", "she", None) for gold in golds[2:]]
    assert score_resolution(article, right).resolved == 2
    assert score_resolution(article, wrong).resolved == 0
