"""The learned layer behind the rules: a linear-chain CRF (CRFsuite) trained on PolNeAR's training split.

It labels each token of the body as the start or inside of an attributed statement (B, I), a cue (C), a source
(S) or none of these (O). Its features are the word and its neighbours, the sentence around it, and what the
rules found there, so it learns where the rules stop short: the long tail of beliefs, plans and actions
("lobbied to suspend ...", "has tangled with Trump") that no list of verbs covers.

The rules stay the core and keep their statements; the tagger only adds statements the rules did not find,
each marked as learned with its own confidence. The model is built by `manage.py train_extraction` from the
annotated data (not shipped in the repository, as the data is not) and read from FACTCHECK_EXTRACTION_MODEL
or var/extraction/attribution.crfsuite; without it, or with FACTCHECK_EXTRACTION_MODEL=off, extraction is rules
only.
"""

import os
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pycrfsuite

from .grammar import Span
from .lexicon import ALL_CUE_FORMS, PRONOUNS, SPEECH_FORMS

MODEL_ENV = "FACTCHECK_EXTRACTION_MODEL"
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "var" / "extraction" / "attribution.crfsuite"
# Chosen on 140 held-out training articles among c1 0.1-4 and 50-200 iterations: a strong L1 keeps precision
# (and the model small); beyond 80 iterations nothing changed by more than the noise.
TRAINING_PARAMS = {"c1": 2.0, "c2": 0.01, "max_iterations": 80, "feature.possible_transitions": True}

_TOKEN_RE = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]")
_CUE_WORDS = {*ALL_CUE_FORMS, "according"}
_WINDOW = (-2, -1, 1, 2)
UNREAD_SHARE = 0.8  # a sentence is tagged when the rules' statements cover at most this share of it


class ModelError(RuntimeError):
    """The configured model file cannot be used; the message says which file and what to do."""


@dataclass
class Tagged:
    content: Span
    source: Span | None
    cue: Span | None
    confidence: float  # the CRF's mean marginal probability over the statement's tokens


@dataclass
class RuleMarks:
    """What the rules read, as features: sentences, quotations, statements (direct or not), cues and speakers."""

    sentences: list[Span]
    quoted: list[Span]
    statements: list[tuple[int, int, bool]]  # (start, end, direct)
    cues: list[Span]
    speakers: list[Span]

    @classmethod
    def of(cls, sentences: list[Span], quoted: list[Span], candidates) -> "RuleMarks":
        return cls(
            sentences,
            quoted,
            [(c.start, c.end, c.kind == "direct") for c in candidates],
            [(c.cue_start, c.cue_end) for c in candidates if c.cue_start is not None],
            [(c.speaker_start, c.speaker_end) for c in candidates if c.speaker_start is not None],
        )


def tokens(body: str, rules: RuleMarks) -> list[Span]:
    """The tokens of the sentences the rules did not read (nearly) whole: only there can the model add a statement,
    and tagging nothing else saves a quarter of the work. Training reads the same tokens: the model learns this
    very task."""
    covered = _marks(len(body), [(start, end) for start, end, _ in rules.statements])
    spans = []
    for start, end in rules.sentences:
        if covered.count(1, start, end) <= UNREAD_SHARE * (end - start):
            spans.extend(match.span() for match in _TOKEN_RE.finditer(body, start, end))
    return spans


@lru_cache(maxsize=200_000)  # words repeat across articles; bounded for a long-lived server
def _word_features(word: str) -> tuple[list[str], tuple]:
    """A word's own features, and its features as a neighbour at each window offset (cached: words repeat)."""
    lower = word.lower()
    if word[0].isupper():
        shape = "X" if len(word) > 1 and word.isupper() else "Xx"
    elif word[0].isdigit():
        shape = "d"
    elif word[0].isalpha():
        shape = "x"
    else:
        shape = word
    own = ["bias", "w=" + lower, "sh=" + shape, "s3=" + lower[-3:]]
    if lower in ALL_CUE_FORMS:
        own.append("cue")
    if lower in SPEECH_FORMS:
        own.append("speech")
    if lower in PRONOUNS:
        own.append("pronoun")
    cue = lower in ALL_CUE_FORMS
    window = tuple((f"w{k}={lower}", f"cue{k}") if cue else (f"w{k}={lower}",) for k in _WINDOW)
    return own, (*window, shape, lower)


def _distance(d: int) -> str:
    return "0" if d == 0 else "1" if d == 1 else "2" if d == 2 else "3-5" if d <= 5 else "6-10" if d <= 10 else "11+"


def _distance_features(name: str) -> list[str]:
    """`name=bucket` for distances 0 to 11 and more, index with min(d, 11): built once, not per token."""
    return [f"{name}={_distance(d)}" for d in range(12)]


_FROM_START = _distance_features("from_start")
_TO_END = _distance_features("to_end")
_CUE_DISTANCE = {
    "cue_before": _distance_features("cue_before_distance"),
    "cue_after": _distance_features("cue_after_distance"),
}


def _marks(length: int, spans, value: int = 1) -> bytearray:
    marks = bytearray(length + 1)
    for start, end in spans:
        marks[start:end] = bytes([value]) * (end - start)
    return marks


def features(body: str, spans: list[Span], rules: RuleMarks) -> list[list[str]]:
    """One feature list per token."""
    sentences = rules.sentences
    n = len(spans)
    words = [body[start:end] for start, end in spans]
    cached = [_word_features(word) for word in words]
    lower = [neighbour[-1] for _, neighbour in cached]
    in_quote = _marks(len(body), rules.quoted)
    in_rule = _marks(len(body), [(s, e) for s, e, direct in rules.statements if not direct])
    for start, end, direct in rules.statements:
        if direct:
            in_rule[start:end] = b"\x02" * (end - start)
    rule_starts = {start for start, _, _ in rules.statements}
    rule_ends = {end for _, end, _ in rules.statements}
    rule_cue = _marks(len(body), rules.cues)
    rule_speaker = _marks(len(body), rules.speakers)

    sentence_of = []
    index = 0
    for start, _ in spans:
        while index + 1 < len(sentences) and sentences[index + 1][0] <= start:
            index += 1
        sentence_of.append(index)
    first = {}
    last = {}
    for i, sentence in enumerate(sentence_of):
        first.setdefault(sentence, i)
        last[sentence] = i

    result = []
    for i, (start, end) in enumerate(spans):
        own, _ = cached[i]
        feats = [*own]
        for slot, k in enumerate(_WINDOW):
            j = i + k
            if 0 <= j < n:
                feats.extend(cached[j][1][slot])
            else:
                feats.append(f"w{k}=<>")
        if i:
            feats.append("sh-1=" + cached[i - 1][1][4])
            feats.append("bg=" + lower[i - 1] + "|" + lower[i])
        if i + 1 < n:
            feats.append("sh+1=" + cached[i + 1][1][4])
        feats.append("bg+=" + lower[i] + "|" + (lower[i + 1] if i + 1 < n else "<>"))
        if in_quote[start]:
            feats.append("in_quote")
        if in_rule[start]:
            feats.append(f"rule{in_rule[start]}")
        if start in rule_starts:
            feats.append("rule_start")
        if end in rule_ends:
            feats.append("rule_end")
        if rule_cue[start]:
            feats.append("rule_cue")
        if i and rule_cue[spans[i - 1][0]]:
            feats.append("rule_cue-1")
        if i + 1 < n and rule_cue[spans[i + 1][0]]:
            feats.append("rule_cue+1")
        if rule_speaker[start]:
            feats.append("rule_speaker")
        sentence = sentence_of[i]
        if i == first[sentence]:
            feats.append("sentence_start")
        if start == 0 or body[start - 1] == "\n":
            feats.append("paragraph_start")
        feats.append(_FROM_START[min(i - first[sentence], 11)])
        feats.append(_TO_END[min(last[sentence] - i, 11)])
        result.append(feats)

    # The nearest cue word before and after the token in its sentence, and how far it is.
    for order in (range(n), range(n - 1, -1, -1)):
        name = "cue_before" if order.step == 1 else "cue_after"
        distances = _CUE_DISTANCE[name]
        nearest = None
        for i in order:
            if nearest is not None and sentence_of[nearest] == sentence_of[i]:
                result[i] += (f"{name}={lower[nearest]}", distances[min(abs(i - nearest), 11)], name)
            if lower[i] in _CUE_WORDS:
                nearest = i
    return result


def labels(spans: list[Span], contents: list[Span], cues: list[Span], sources: list[Span]) -> list[str]:
    """Training labels for tokens, all spans in the same coordinates: content first, then cue, then source."""
    result = []
    contents = sorted(contents)
    for i, (start, end) in enumerate(spans):
        label = "O"
        for c_start, c_end in contents:
            if c_start <= start < c_end:
                label = "B" if start == c_start or (i and result[-1] not in ("B", "I")) else "I"
                break
            if start < c_start < end:
                label = "B"
                break
        if label == "O":
            if any(c_start <= start < c_end for c_start, c_end in cues):
                label = "C"
            elif any(s_start <= start < s_end for s_start, s_end in sources):
                label = "S"
        result.append(label)
    return result


def train(sequences, path: Path) -> None:
    """`sequences`: (feature lists, labels) per article."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, tags in sequences:
        trainer.append(feats, tags)
    trainer.set_params(TRAINING_PARAMS)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))


class Tagger:
    """A trained model. CRFsuite taggers keep state between calls, so each thread opens its own."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        self._crf()  # fail now, not on the first article, if the file is not a model

    def _crf(self) -> pycrfsuite.Tagger:
        crf = getattr(self._local, "crf", None)
        if crf is None:
            crf = pycrfsuite.Tagger()
            try:
                crf.open(str(self.path))
            except (OSError, ValueError) as error:
                raise ModelError(
                    f"{self.path} is not a CRFsuite model ({error}); rebuild it with `manage.py train_extraction`."
                ) from error
            self._local.crf = crf
        return crf

    def tag(self, body: str, rules: RuleMarks) -> list[Tagged]:
        spans = tokens(body, rules)
        if not spans:
            return []
        crf = self._crf()
        tags = crf.tag(features(body, spans, rules))
        runs = _runs(spans, tags)
        statements = []
        for first, last in runs["B"]:
            confidence = sum(crf.marginal(tags[i], i) for i in range(first, last + 1)) / (last - first + 1)
            content = (spans[first][0], spans[last][1])
            source = _nearest(runs["S"], first, last, spans)
            statements.append(Tagged(content, source, _nearest(runs["C"], first, last, spans), confidence))
        return statements


def _runs(spans: list[Span], tags: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Token index ranges of statements (B then I...), cues and sources."""
    runs = {"B": [], "C": [], "S": []}
    current = None  # [kind, first, last] of the run the previous token is in
    for i, tag in enumerate(tags):
        kind = "B" if tag in ("B", "I") else tag
        if current and current[0] == kind and tag != "B":
            current[2] = i
            continue
        if current:
            runs[current[0]].append((current[1], current[2]))
        current = [kind, i, i] if kind in runs else None
    if current:
        runs[current[0]].append((current[1], current[2]))
    return runs


def _nearest(runs: list[tuple[int, int]], first: int, last: int, spans: list[Span], reach: int = 12) -> Span | None:
    """The run closest to a statement, within `reach` tokens of it."""
    best = None
    for run_first, run_last in runs:
        gap = first - run_last if run_last < first else run_first - last if run_first > last else 0
        if 0 < gap <= reach and (best is None or gap < best[0]):
            best = (gap, (spans[run_first][0], spans[run_last][1]))
    return best[1] if best else None


def configured() -> Tagger | None:
    """The model named by FACTCHECK_EXTRACTION_MODEL ("off": none), else var/extraction/attribution.crfsuite
    if it was built."""
    named = os.environ.get(MODEL_ENV)
    if named == "off":
        return None
    if named and not Path(named).is_file():
        raise ModelError(f"{MODEL_ENV} names {named}, which is not a file. Build it with `manage.py train_extraction`.")
    return load(Path(named) if named else DEFAULT_MODEL)


@cache
def load(path: Path) -> Tagger | None:
    return Tagger(path) if path.is_file() else None
