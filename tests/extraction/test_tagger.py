"""The learned layer: trained on a small made-up corpus here, so the tests need neither the shared data nor `make`."""

import io
import itertools
import threading

import numpy as np
import pycrfsuite
import pytest
from django.core import checks
from django.core.management import CommandError, call_command

from claims.extraction import ALL, SPEECH_ONLY, extract_article, tagger
from claims.extraction.pipeline import LEARNED_CONFIDENCE_SCALE

from .helpers import AIMS, NAMES, train_small_model, write_polnear_layout


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    return train_small_model(tmp_path_factory.mktemp("model") / "attribution.crfsuite")


def test_labels_mark_content_start_inside_cue_and_source():
    spans = [(0, 3), (4, 11), (12, 14), (15, 20), (21, 25), (25, 26)]  # Ann lobbied to close mine .
    assert tagger.labels(spans, contents=[(12, 25)], cues=[(4, 11)], sources=[(0, 3)]) == [
        "S",
        "C",
        "B",
        "I",
        "I",
        "O",
    ]


def test_a_trained_model_adds_what_the_rules_do_not_know(model_path):
    text = "Councillor Gus Ames lobbied to close the harbour.\n\nHe said that the vote would be close."
    rules_only = extract_article(text=text)
    with_model = extract_article(text=text, tagger=tagger.Tagger(model_path))
    assert "to close the harbour" not in [candidate.text for candidate in rules_only.candidates]
    learned = [candidate for candidate in with_model.candidates if candidate.reason.startswith("learned")]
    assert [candidate.text for candidate in learned] == ["to close the harbour"]
    assert learned[0].speaker_mention == "Councillor Gus Ames" and learned[0].cue == "lobbied"
    assert 0 < learned[0].confidence <= LEARNED_CONFIDENCE_SCALE
    # The rules' own statements are all still there, in order and anchored to the body.
    rule_texts = [candidate.text for candidate in rules_only.candidates]
    assert [c.text for c in with_model.candidates if not c.reason.startswith("learned")] == rule_texts
    for candidate in with_model.candidates:
        assert with_model.body[candidate.start : candidate.end] == candidate.text
    assert [c.start for c in with_model.candidates] == sorted(c.start for c in with_model.candidates)


SCORED_TEXTS = [
    'Governor Ann Lowe lobbied to close the old mine. She walked home | then said: "No comment."',
    "Mayor Cy Dunn, 54, lobbied to widen the river road.\n\nZanzibar's quartz-mining co-op isn't on the list.",
    "Judge Ed Marr lobbied to delay the state audit.",
]


@pytest.mark.parametrize("text", SCORED_TEXTS)
def test_scores_give_crfsuites_labels_and_probabilities(model_path, text):
    """The Tagger scores the model itself; CRFsuite, reading the same features as strings, must agree."""
    model = tagger.Tagger(model_path)
    crf = pycrfsuite.Tagger()
    crf.open(str(model_path))
    body = extract_article(text=text).body
    rules = _no_rules(body)
    context = tagger.token_context(body, tagger.tokens(body, rules), rules)
    feats = tagger.features(context)
    scores = model.scores(context)
    labels = [model.labels[i] for i in tagger.viterbi(scores, model.transitions, context.sentences)]
    probability = tagger.marginals(scores, model.transitions, context.sentences)
    for first, last in context.sentences:
        assert labels[first:last] == crf.tag(feats[first:last])
        expected = [[crf.marginal(label, i) for label in model.labels] for i in range(last - first)]
        assert np.allclose(probability[first:last], expected, atol=1e-4)


def _path_scores(scores, transitions, first, last):
    """Every label path of a short sentence with its score, by brute force."""
    for path in itertools.product(range(scores.shape[1]), repeat=last - first):
        total = sum(scores[first + i, label] for i, label in enumerate(path))
        yield path, total + sum(transitions[a, b] for a, b in itertools.pairwise(path))


def test_decoding_all_sentences_at_once_matches_brute_force_even_with_extreme_scores():
    rng = np.random.default_rng(7)
    scores = rng.normal(0, 60, size=(9, 5))  # far beyond a trained model's scores: no overflow, no 0/0
    transitions = rng.normal(0, 15, size=(5, 5))
    sentences = [(0, 4), (4, 5), (5, 9)]
    tags = tagger.viterbi(scores, transitions, sentences)
    probability = tagger.marginals(scores, transitions, sentences)
    for first, last in sentences:
        paths = list(_path_scores(scores, transitions, first, last))
        assert tuple(tags[first:last]) == max(paths, key=lambda path: path[1])[0]
        top = max(total for _, total in paths)
        weights = [(path, np.exp(total - top)) for path, total in paths]
        norm = sum(weight for _, weight in weights)
        for i in range(last - first):
            expected = [sum(w for path, w in weights if path[i] == label) / norm for label in range(5)]
            assert np.allclose(probability[first + i], expected, atol=1e-9)


def _log_sum_exp(values, axis):
    top = values.max(axis=axis, keepdims=True)
    return (top + np.log(np.exp(values - top).sum(axis=axis, keepdims=True))).squeeze(axis)


def test_probabilities_stay_exact_over_a_long_sentence_with_extreme_scores():
    """Against forward-backward in log space: the rescaling keeps every value inside float64's range."""
    rng = np.random.default_rng(11)
    scores, transitions = rng.normal(0, 80, size=(300, 5)), rng.normal(0, 20, size=(5, 5))
    forward, backward = np.zeros((300, 5)), np.zeros((300, 5))
    forward[0] = scores[0]
    for i in range(1, 300):
        forward[i] = _log_sum_exp(forward[i - 1][:, None] + transitions, axis=0) + scores[i]
    for i in range(298, -1, -1):
        backward[i] = _log_sum_exp(transitions + scores[i + 1] + backward[i + 1], axis=1)
    expected = np.exp(forward + backward - _log_sum_exp(forward + backward, axis=1)[:, None])
    assert np.allclose(tagger.marginals(scores, transitions, [(0, 300)]), expected, atol=1e-9)


def test_runs_open_on_their_label_and_go_on_only_with_the_continuing_one():
    o, b, i, c = 0, 1, 2, 3
    tags = np.array([b, i, i, b, o, i, c, c, o, b])
    assert tagger._runs(tags, b, i) == [(0, 2), (3, 3), (5, 5), (9, 9)]
    assert tagger._runs(tags, c, c) == [(6, 7)]
    assert tagger._runs(np.array([o, o]), b, i) == []


def test_a_full_word_memory_starts_afresh_with_the_same_results(monkeypatch, model_path):
    model = tagger.Tagger(model_path)
    text = "Chief Di Holt lobbied to suspend the new levy. Nobody else spoke."
    expected = extract_article(text=text, tagger=model).candidates
    monkeypatch.setattr(tagger._Words, "LIMIT", 3)
    assert extract_article(text=text, tagger=model).candidates == expected
    assert extract_article(text=text, tagger=model).candidates == expected


def test_threads_share_one_model_without_mixing_their_articles(model_path):
    model = tagger.Tagger(model_path)
    texts = [f"{name} lobbied to {aim}." for name in NAMES[:3] for aim in AIMS[:2]]
    expected = {text: [c.text for c in extract_article(text=text, tagger=model).candidates] for text in texts}
    seen: dict[str, list[list[str]]] = {text: [] for text in texts}

    def work():
        for _ in range(20):
            for text in texts:
                seen[text].append([c.text for c in extract_article(text=text, tagger=model).candidates])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected[text] for text, results in seen.items() for result in results)


def test_the_model_is_read_from_the_environment(monkeypatch, model_path):
    monkeypatch.setenv(tagger.MODEL_ENV, str(model_path))
    assert tagger.configured().path == model_path
    monkeypatch.setenv(tagger.MODEL_ENV, "off")
    assert tagger.configured() is None


def test_a_missing_or_broken_model_stops_the_server_with_the_reason(monkeypatch, tmp_path):
    monkeypatch.setenv(tagger.MODEL_ENV, str(tmp_path / "absent.crfsuite"))
    with pytest.raises(tagger.ModelError, match="not a file"):
        tagger.configured()
    broken = tmp_path / "broken.crfsuite"
    broken.write_bytes(b"not a model")
    monkeypatch.setenv(tagger.MODEL_ENV, str(broken))
    errors = checks.run_checks()
    assert [error.id for error in errors] == ["claims.E001"]
    assert "train_extraction" in errors[0].msg


def test_train_extraction_builds_a_model_from_a_polnear_layout(tmp_path):
    data = tmp_path / "data"
    write_polnear_layout(data / "polnear-train")
    output = tmp_path / "model.crfsuite"
    out = io.StringIO()
    call_command("train_extraction", "--data", str(data), "--output", str(output), stdout=out)
    assert "Trained on 24 articles" in out.getvalue()
    body = "Senator Bo Park lobbied to close the old mine."
    (statement,) = tagger.Tagger(output).tag(body, _no_rules(body))
    assert body[statement.content[0] : statement.content[1]] == "to close the old mine"


def test_train_extraction_without_the_data_says_where_it_looked(tmp_path):
    with pytest.raises(CommandError, match="No PolNeAR training split"):
        call_command("train_extraction", "--data", str(tmp_path), "--output", str(tmp_path / "m.crfsuite"))
    assert not (tmp_path / "m.crfsuite").exists()


def _no_rules(body: str) -> tagger.RuleMarks:
    return tagger.RuleMarks([(0, len(body))], [], [], [], [])


def test_training_reads_the_articles_in_parallel_to_the_same_model(tmp_path):
    data = tmp_path / "data"
    write_polnear_layout(data / "polnear-train")
    models = []
    for jobs in ("1", "2"):
        output = tmp_path / f"model-{jobs}.crfsuite"
        call_command(
            "train_extraction", "--data", str(data), "--output", str(output), "--jobs", jobs, stdout=io.StringIO()
        )
        models.append(output.read_bytes())
    assert models[0] == models[1]


class _MarkedTagger:
    """A model's one statement, as given: its content, source and cue spans by their words."""

    def __init__(self, text: str, content: str, source: str | None, cue: str | None, confidence: float = 0.9):
        self.statement = tagger.Tagged(
            _span(text, content), _span(text, source) if source else None, _span(text, cue) if cue else None, confidence
        )

    def tag(self, body, rules):
        return [self.statement]


def _learned(text: str, model, attributions: str = ALL) -> list:
    """The candidates the model added to the rules' for `text`."""
    candidates = extract_article(text=text, tagger=model, attributions=attributions).candidates
    return [candidate for candidate in candidates if candidate.reason.startswith("learned")]


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_a_learned_statement_after_its_cue_has_the_cues_subject_for_speaker():
    # The model's nearest source run can be any word nearby ("now"); the subject before the cue is the speaker.
    text = "House Republican Thomas Massie used to support fellow Kentuckian Rand Paul until now."
    for source in ["now", None]:
        model = _MarkedTagger(text, "fellow Kentuckian Rand Paul", source, "used to support")
        (learned,) = _learned(text, model)
        assert (learned.speaker_mention, learned.speaker) == ("House Republican Thomas Massie", "Thomas Massie")


def test_quotes_mode_asks_more_confidence_of_a_learned_statement():
    text = "Governor Ann Lowe spoke at the fair. She said the levy was unfair to farmers."
    for confidence, in_quotes_mode in [(0.9, True), (0.5, False)]:
        model = _MarkedTagger(text, "the levy was unfair to farmers", "She", "said", confidence)
        for mode, expected in [(ALL, True), (SPEECH_ONLY, in_quotes_mode)]:
            assert bool(_learned(text, model, mode)) == expected, (confidence, mode)


def test_a_learned_statement_of_one_word_is_left_out():
    # One in four such statements matched an attribution on held-out training articles.
    text = "Governor Ann Lowe spent the week campaigning against Smith in the valley towns."
    for content, kept in [("Smith", False), ("Smith in the valley towns", True)]:
        model = _MarkedTagger(text, content, "Governor Ann Lowe", "campaigning against")
        assert bool(_learned(text, model)) == kept, content


def test_a_learned_quotation_with_no_source_or_cue_goes_on_with_the_speaker_before():
    text = '"They needed it," Governor Ann Lowe said. "And the federal money came with strings attached."'
    model = _MarkedTagger(text, '"And the federal money came with strings attached."', None, None)
    (learned,) = _learned(text, model)
    assert learned.speaker == "Ann Lowe"
