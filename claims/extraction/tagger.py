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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice, repeat
from pathlib import Path

import numba
import numpy as np
import pycrfsuite

from .grammar import Span, mostly_shared
from .lexicon import ALL_CUE_FORMS, PRONOUNS, SPEECH_FORMS

MODEL_ENV = "FACTCHECK_EXTRACTION_MODEL"
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "var" / "extraction" / "attribution.crfsuite"
# Chosen on 140 held-out training articles among c1 0.1-4 and 50-200 iterations: a strong L1 keeps precision
# (and the model small); beyond 80 iterations nothing changed by more than the noise.
# 50 iterations rather than 80: on every sixth training article held out (140), with the rules as they are now,
# 50 scored as well or better (all attributions F1 0.673 against 0.671, quotes 0.821 against 0.820, speakers
# 0.857 against 0.854) in five eighths of the time; 35 lost 0.013 F1.
TRAINING_PARAMS = {"c1": 2.0, "c2": 0.01, "max_iterations": 50, "feature.possible_transitions": True}

_TOKEN_RE = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]")  # no token holds a space: bigrams are "a b"
_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")  # splits text into the gaps between tokens and the tokens
_NEWLINE_RE = re.compile("\n")
_END = "<>"  # the word after the last token, in bigrams
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


@dataclass
class Tokens:
    """The tokens of the tagged sentences: their words, and where each starts and ends in the body."""

    words: list[str]
    starts: np.ndarray
    ends: np.ndarray

    def spans(self) -> list[Span]:
        return list(zip(self.starts.tolist(), self.ends.tolist(), strict=True))


def tokens(body: str, rules: RuleMarks) -> Tokens:
    """The tokens of the sentences the rules did not read (nearly) whole: only there can the model add a statement,
    and tagging nothing else saves a quarter of the work. Training reads the same tokens: the model learns this
    very task."""
    covered = _marks(len(body), [(start, end) for start, end, _ in rules.statements])
    # The body as lengths end to end, a gap then a token in turn, and a gap after the last token: splitting a
    # sentence on its tokens gives them so (a gap between two tokens may be empty), and the untagged text before a
    # sentence joins the gap before its first token. Offsets then come from one sum in C rather than a step in
    # Python per token, and the tokens are every other piece, with no test of which pieces are spaces.
    words, lengths = [], [0]
    read_to = 0
    for start, end in rules.sentences:
        if covered.count(1, start, end) <= UNREAD_SHARE * (end - start):
            pieces = _SPLIT_RE.split(body[start:end])
            lengths[-1] += max(start - read_to, 0) + len(pieces[0])
            lengths += map(len, islice(pieces, 1, None))
            words += pieces[1::2]
            read_to = end
    ends = np.cumsum(np.fromiter(lengths, dtype=np.int64, count=len(lengths)))
    return Tokens(words, ends[:-1:2].copy(), ends[1::2].copy())


# What a word tells the tokens around it, in this order: its own token, the token one and two after it (it is
# their previous words), the token one and two before it, and the tokens it is the nearest cue before or after.
OWN, PREVIOUS, SECOND_PREVIOUS, NEXT, SECOND_NEXT, CUE_BEFORE, CUE_AFTER = range(7)
# Where each of those tokens is, from the word; and the feature a token has when there is no such word.
_REACH = {PREVIOUS: 1, SECOND_PREVIOUS: 2, NEXT: -1, SECOND_NEXT: -2}
_NO_WORD = {PREVIOUS: "w-1=<>", SECOND_PREVIOUS: "w-2=<>", NEXT: "w+1=<>", SECOND_NEXT: "w+2=<>"}


@lru_cache(maxsize=50_000)  # words repeat across articles; bounded for a long-lived server
def word_features(word: str) -> tuple[tuple[str, ...], ...]:
    """A word's features for each token it describes (OWN ... CUE_AFTER)."""
    lower = word.lower()
    if word[0].isupper():
        shape = "X" if len(word) > 1 and word.isupper() else "Xx"
    elif word[0].isdigit():
        shape = "d"
    elif word[0].isalpha():
        shape = "x"
    else:
        shape = word
    cue = lower in ALL_CUE_FORMS
    # Prefix and short suffix: 5-fold cross-validation on the training split, F1 0.6807 against 0.6793 without,
    # better in 4 folds of 5.
    own = ("bias", "w=" + lower, "sh=" + shape, "s3=" + lower[-3:], "s2=" + lower[-2:], "p3=" + lower[:3])
    own += ("cue",) * cue + ("speech",) * (lower in SPEECH_FORMS) + ("pronoun",) * (lower in PRONOUNS)
    return (
        own,
        ("w-1=" + lower, "sh-1=" + shape) + ("cue-1",) * cue,
        ("w-2=" + lower,) + ("cue-2",) * cue,
        ("w+1=" + lower, "sh+1=" + shape) + ("cue+1",) * cue,
        ("w+2=" + lower,) + ("cue+2",) * cue,
        ("cue_before=" + lower,),
        ("cue_after=" + lower,),
    )


def _distance(d: int) -> str:
    return "0" if d == 0 else "1" if d == 1 else "2" if d == 2 else "3-5" if d <= 5 else "6-10" if d <= 10 else "11+"


_DISTANCES = 12  # distances are bucketed from min(d, 11)
BUCKETED = ("from_start", "to_end", "cue_before_distance", "cue_after_distance")
BUCKET_FEATURES = {name: [f"{name}={_distance(d)}" for d in range(_DISTANCES)] for name in BUCKETED}


def _marks(length: int, spans, value: int = 1) -> bytearray:
    marks = bytearray(length + 1)
    for start, end in spans:
        marks[start:end] = bytes([value]) * (end - start)
    return marks


@dataclass
class Context:
    """What the features of each token are read from; training spells it as feature strings, tagging adds up the
    weights of the same features from arrays."""

    words: list[str]
    sentences: list[tuple[int, int]]  # token index ranges, [first, last + 1)
    # reach: index of the token `reach` before each token, or -1. Neighbours cross into the previous tagged sentence:
    # on 140 held-out training articles that scored a little better than stopping at the sentence (F1 0.723, 0.721).
    neighbours: dict[int, np.ndarray]
    flags: dict[str, np.ndarray]  # feature name: whether each token has it
    buckets: dict[str, np.ndarray]  # name in BUCKETED: each token's distance, capped at 11 (-1: none)
    nearest_cue: dict[int, np.ndarray]  # CUE_BEFORE or CUE_AFTER: index of that cue word in the sentence, or -1

    def describing(self, role: int) -> np.ndarray:
        """For each token, the index of the token whose word describes it in `role` (-1: none)."""
        return self.nearest_cue[role] if role in self.nearest_cue else self.neighbours[_REACH[role]]


# The per-token arrays, in the order token_context gives them: flags (bool), then distances capped at 11 (-1: none).
_FLAGS = (
    "in_quote",
    "rule1",
    "rule2",
    "rule_start",
    "rule_end",
    "rule_cue",
    "rule_cue-1",
    "rule_cue+1",
    "rule_speaker",
    "sentence_start",
    "paragraph_start",
    "cue_before",
    "cue_after",
)


def token_context(body: str, tokens: Tokens, rules: RuleMarks) -> Context:
    """The per-token arrays of `Context`, from the tokens and what the rules marked; computed in one compiled pass
    (_token_arrays): in numpy they were some sixty calls, each about as costly on a headline as on a long body."""
    words = tokens.words
    is_cue = np.fromiter(map(_CUE_WORDS.__contains__, map(str.lower, words)), dtype=bool, count=len(words))
    paragraph_starts = [0] + [line.end() for line in _NEWLINE_RE.finditer(body)]
    bounds, flags, numbers = _token_arrays(
        len(body),
        tokens.starts,
        tokens.ends,
        np.fromiter((start for start, _ in rules.sentences), dtype=np.int64, count=len(rules.sentences)),
        _array(rules.quoted, 2),
        _array(rules.statements, 3),
        _array(rules.cues, 2),
        _array(rules.speakers, 2),
        np.array(paragraph_starts, dtype=np.int64),
        is_cue,
    )
    from_start, to_end, cue_before_distance, cue_after_distance, before, after, *reaching = numbers
    distances = (from_start, to_end, cue_before_distance, cue_after_distance)
    return Context(
        words,
        list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)),
        dict(zip((1, 2, -1, -2), reaching, strict=True)),
        dict(zip(_FLAGS, flags, strict=True)),
        dict(zip(BUCKETED, distances, strict=True)),
        {CUE_BEFORE: before, CUE_AFTER: after},
    )


def _array(spans: list[tuple], width: int) -> np.ndarray:
    return np.array(spans, dtype=np.int64).reshape(-1, width)


def features(context: Context) -> list[list[str]]:
    """Each token's features as CRFsuite reads them: what training learns from and `Tagger.scores` adds up."""
    n = len(context.words)
    described = [word_features(word) for word in context.words]
    lower = [features[OWN][1][2:] for features in described]  # from "w=..."
    result = []
    for i in range(n):
        feats = [*described[i][OWN]]
        for role, reach in _REACH.items():
            j = context.neighbours[reach][i]
            feats.extend(described[j][role] if j >= 0 else (_NO_WORD[role],))
        if (before := context.neighbours[1][i]) >= 0:
            feats.append(f"bg={lower[before]} {lower[i]}")
        after = context.neighbours[-1][i]
        feats.append(f"bg+={lower[i]} {lower[after] if after >= 0 else _END}")
        result.append(feats)
    for name, flag in context.flags.items():
        for i in np.flatnonzero(flag):
            result[i].append(name)
    for name, bucket in context.buckets.items():
        for i in np.flatnonzero(bucket >= 0):
            result[i].append(BUCKET_FEATURES[name][bucket[i]])
    for role, nearest in context.nearest_cue.items():
        for i in np.flatnonzero(nearest >= 0):
            result[i].extend(described[nearest[i]][role])
    return result


def labels(spans: list[Span], contents: list[Span], cues: list[Span], sources: list[Span]) -> list[str]:
    """Training labels for tokens, all spans in the same coordinates: content first, then cue, then source. A token
    is content where a statement covers its start (B where the earliest such statement starts there) or starts
    inside it (B); marks by character make each token a few lookups, not a pass over every statement."""
    size = max((end for _, end in [*spans, *contents, *cues, *sources]), default=0) + 1
    covering_start = [-1] * size  # the earliest start of a statement covering each character
    for start, end in sorted(contents, reverse=True):
        covering_start[start:end] = [start] * (end - start)
    content_starts = _marks(size, [(start, start + 1) for start, _ in contents])
    cue, source = _marks(size, cues), _marks(size, sources)
    result = []
    for i, (start, end) in enumerate(spans):
        if covering_start[start] >= 0:
            label = "B" if start == covering_start[start] or (i and result[-1] not in ("B", "I")) else "I"
        elif content_starts.find(1, start + 1, end) >= 0:
            label = "B"
        else:
            label = "C" if cue[start] else "S" if source[start] else "O"
        result.append(label)
    return result


def sentence_sequences(context: Context, labels: list[str]) -> list[tuple[list[list[str]], list[str]]]:
    """Training sequences, one per sentence: the tagger decodes sentence by sentence."""
    feats = features(context)
    return [(feats[first:last], labels[first:last]) for first, last in context.sentences]


def train(sequences, path: Path) -> None:
    """`sequences`: (feature lists, labels) per sentence."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, tags in sequences:
        trainer.append(feats, tags)
    trainer.set_params(TRAINING_PARAMS)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))


_ROLES = (OWN, PREVIOUS, SECOND_PREVIOUS, NEXT, SECOND_NEXT, CUE_BEFORE, CUE_AFTER)
_AROUND = _ROLES[1:]  # the roles in which a word describes other tokens
_ABSENT = 0  # the id of no word: a token's neighbour before the first token, or its nearest cue where there is none


class _Words:
    """The words one thread has seen, each with an id, and by id: its weights for each token it describes (rows
    OWN ... CUE_AFTER) and its lower case form's id among the model's bigram words (-1: in none). The first id is
    _ABSENT, whose weights are `absent`."""

    LIMIT = 100_000  # words kept before starting afresh: bounded for a long-lived server

    def __init__(self, absent: np.ndarray):
        self.ids: dict[str, int] = {}
        self.weights = np.zeros((1024, *absent.shape))
        self.weights[_ABSENT] = absent
        self.pair_word = np.full(1024, -1)


class Tagger:
    """A trained model, scored here rather than by CRFsuite: building and passing feature strings cost more than
    the rule pass, while adding up each word's weights once and reusing them is cheap. CRFsuite trains the model,
    and a test holds the two to the same labels and probabilities."""

    def __init__(self, path: Path):
        self.path = path
        crf = pycrfsuite.Tagger()
        try:
            crf.open(str(path))
            model = crf.info()  # weights to six decimals: probabilities agree with CRFsuite's to about 1e-5
        except (OSError, ValueError) as error:
            raise ModelError(
                f"{path} is not a CRFsuite model ({error}); rebuild it with `manage.py train_extraction`."
            ) from error
        finally:
            crf.close()
        self.labels = sorted(model.labels, key=lambda label: int(model.labels[label]))
        column = {label: i for i, label in enumerate(self.labels)}
        self._weights: dict[str, np.ndarray] = {}
        for (attribute, label), weight in model.state_features.items():
            self._weights.setdefault(attribute, np.zeros(len(self.labels)))[column[label]] = weight
        self.transitions = np.zeros((len(self.labels), len(self.labels)))
        for (before, after), weight in model.transitions.items():
            self.transitions[column[before], column[after]] = weight
        # A distance bucket's weights by distance, and zeros in the last row for no distance (-1).
        self._bucket_weights = np.stack(
            [np.stack([self._weight(f) for f in BUCKET_FEATURES[name]] + [self._weight()]) for name in BUCKETED]
        )
        self._absent = np.stack(
            [self._weight(_NO_WORD[role]) if role in _NO_WORD else self._weight() for role in _ROLES]
        )
        self._flags: dict[tuple[str, ...], np.ndarray] = {}  # flag names: their weights, one row each
        # Bigrams ("bg=a b" of a token and the word before it, "bg+=a b" of a token and the word after it) are
        # looked up by the pair of their words' ids, all pairs of an article at once.
        pairs = {tuple(name.split("=", 1)[1].split(" ")) for name in self._weights if name.startswith(("bg=", "bg+="))}
        words = sorted({word for pair in pairs for word in pair})
        self._pair_words = {word: i for i, word in enumerate(words)}
        keys = sorted({self._pair_words[a] * len(words) + self._pair_words[b] for a, b in pairs})
        self._pair_keys = np.array(keys, dtype=np.int64)
        self._pair_weights = {
            prefix: np.stack(
                [self._weight(f"{prefix}{words[key // len(words)]} {words[key % len(words)]}") for key in keys]
            )
            for prefix in ("bg=", "bg+=")
        }
        self._local = threading.local()

    def _weight(self, *feature_names: str) -> np.ndarray:
        zero = np.zeros(len(self.labels))
        return sum((self._weights.get(name, zero) for name in feature_names), zero)

    def _word_ids(self, words: list[str]) -> tuple[np.ndarray, _Words]:
        known = getattr(self._local, "words", None)
        if known is None or len(known.ids) > _Words.LIMIT:
            known = self._local.words = _Words(self._absent)
        # Read straight into an array, -1 for a word not seen yet: no list to search for a missing word and convert.
        ids = np.fromiter(map(known.ids.get, words, repeat(-1)), dtype=np.intp, count=len(words))
        if (ids < 0).any():
            for word in words:
                if word not in known.ids:
                    self._learn_word(known, word)
            ids = np.fromiter(map(known.ids.__getitem__, words), dtype=np.intp, count=len(words))
        return ids, known

    def _learn_word(self, known: _Words, word: str) -> None:
        i = len(known.ids) + 1  # after _ABSENT
        if i == len(known.pair_word):
            known.weights = np.concatenate((known.weights, np.zeros_like(known.weights)))
            known.pair_word = np.concatenate((known.pair_word, np.full_like(known.pair_word, -1)))
        known.weights[i] = [self._weight(*names) for names in word_features(word)]
        known.pair_word[i] = self._pair_words.get(word.lower(), -1)
        known.ids[word] = i

    def scores(self, context: Context) -> np.ndarray:
        """Each token's score for each label: the sum of its features' weights, as `features(context)` spells them."""
        ids, known = self._word_ids(context.words)
        names = tuple(context.flags)
        if names not in self._flags:  # the same names every time: token_context sets them
            self._flags[names] = np.stack([self._weight(name) for name in names])
        # The features' weights are added up in one compiled pass (numpy took a dozen calls of about 20 us each,
        # however short the text), in the order numpy added them: the scores are the same to the bit. The per-token
        # arrays go as tuples: stacking them into one array cost more than the pass.
        return _scores(
            known.weights.reshape(-1, len(self.labels)),
            ids,
            tuple(context.describing(role) for role in _AROUND),
            context.neighbours[-1],
            known.pair_word,
            self._pair_words.get(_END, -1),
            len(self._pair_words),
            self._pair_keys,
            self._pair_weights["bg+="],
            self._pair_weights["bg="],
            tuple(context.flags.values()),
            self._flags[names],
            tuple(context.buckets[name] for name in BUCKETED),
            self._bucket_weights,
        )

    def tag(self, body: str, rules: RuleMarks) -> list[Tagged]:
        """The statements the model finds that the rules did not (sharing at most half of one of theirs)."""
        found = tokens(body, rules)
        if not found.words:
            return []
        context = token_context(body, found, rules)
        scores = self.scores(context)
        tags = viterbi(scores, self.transitions, context.sentences)
        runs = {label: _runs(tags, *(self.labels.index(name) for name in names)) for label, names in _RUNS.items()}
        starts, ends = found.starts.tolist(), found.ends.tolist()
        new = [
            (first, last) for first, last in runs["statement"] if not _found_by_rules(starts[first], ends[last], rules)
        ]
        if not new:
            return []
        # Confidence: the mean probability of each token's label, in the sentences that hold new statements.
        firsts = [first for first, _ in context.sentences]
        holding = sorted({context.sentences[bisect_right(firsts, first) - 1] for first, _ in new})
        probability = marginals(scores, self.transitions, holding)[np.arange(len(tags)), tags]
        running = np.concatenate(([0.0], np.cumsum(probability)))
        first, last = np.array(new).T
        confidence = ((running[last + 1] - running[first]) / (last - first + 1)).tolist()
        return [
            Tagged(
                (starts[first], ends[last]),
                _nearest(runs["source"], first, last, starts, ends),
                _nearest(runs["cue"], first, last, starts, ends),
                statement_confidence,
            )
            for (first, last), statement_confidence in zip(new, confidence, strict=True)
        ]


def _found_by_rules(start: int, end: int, rules: RuleMarks) -> bool:
    return any(mostly_shared((start, end), (s, e)) for s, e, _ in rules.statements if s < end and start < e)


def viterbi(scores: np.ndarray, transitions: np.ndarray, sentences: list[tuple[int, int]]) -> np.ndarray:
    """The best label of each token, sentence by sentence (the first best on a tie, as numpy's argmax)."""
    return _viterbi(scores, transitions, np.array(sentences, dtype=np.int64).reshape(-1, 2))


def marginals(scores: np.ndarray, transitions: np.ndarray, sentences: list[tuple[int, int]]) -> np.ndarray:
    """Each label's probability at each token of `sentences` (forward-backward); other rows are zero."""
    return _marginals(scores, transitions, np.array(sentences, dtype=np.int64).reshape(-1, 2))


def _compiled(function):
    """The decoders, the per-token arrays, the scores and the label runs are compiled (numba): each is a few additions
    or comparisons a token, which numpy makes cost its per-call overhead many times over, on a headline as on a long
    body (the decoders: on polnear-dev 1.4 ms of CPU an article in numpy, under 0.1 compiled).
    Compiled once per checkout (a few seconds) and loaded from numba's cache after, in __pycache__ or, in a read-only
    checkout, the user's cache directory; with neither writable, compiled in each process. nogil: threads tagging at
    once run in parallel."""
    try:
        return numba.njit(cache=True, nogil=True)(function)
    except RuntimeError:  # "no locator available": nowhere to write the cache
        return numba.njit(nogil=True)(function)


@_compiled
def _viterbi(scores, transitions, sentences):
    count = scores.shape[1]
    tags = np.zeros(len(scores), dtype=np.int64)
    back = np.zeros(scores.shape, dtype=np.int64)
    best, following = np.empty(count), np.empty(count)
    for first, last in sentences:
        best[:] = scores[first]
        for i in range(first + 1, last):
            for label in range(count):
                came_from = 0
                for before in range(1, count):
                    if best[before] + transitions[before, label] > best[came_from] + transitions[came_from, label]:
                        came_from = before
                back[i, label] = came_from
                following[label] = best[came_from] + transitions[came_from, label] + scores[i, label]
            best[:] = following
        label = np.argmax(best)
        for i in range(last - 1, first, -1):
            tags[i] = label
            label = back[i, label]
        tags[first] = label
    return tags


@_compiled
def _marginals(scores, transitions, sentences):
    # Each token's emissions are taken relative to its best label's, and each step's values rescaled to sum 1:
    # every value stays inside float64's range whatever the scores, and the scales cancel at the end. Sums are
    # loops over the labels, in the order numba's np.sum adds (as the first version did), with no array made
    # for each step: a third of the time.
    count = scores.shape[1]
    result = np.zeros(scores.shape)
    move = np.exp(transitions)
    emit, forward, backward = np.empty(scores.shape), np.empty(scores.shape), np.empty(scores.shape)
    for first, last in sentences:
        for i in range(first, last):
            emit[i] = np.exp(scores[i] - scores[i].max())
        forward[first] = emit[first] / emit[first].sum()
        for i in range(first + 1, last):
            for label in range(count):
                total = 0.0
                for before in range(count):
                    total += forward[i - 1, before] * move[before, label]
                forward[i, label] = emit[i, label] * total
            forward[i] /= forward[i].sum()
        backward[last - 1] = 1.0
        for i in range(last - 2, first - 1, -1):
            for label in range(count):
                total = 0.0
                for after in range(count):
                    total += move[label, after] * emit[i + 1, after] * backward[i + 1, after]
                backward[i, label] = total
            backward[i] /= backward[i].sum()
        for i in range(first, last):
            total = 0.0
            for label in range(count):
                total += forward[i, label] * backward[i, label]
            for label in range(count):
                result[i, label] = forward[i, label] * backward[i, label] / total
    return result


@_compiled
def _scores(
    rows,
    ids,
    others,
    after,
    pair_word,
    end_word,
    pair_count,
    pair_keys,
    after_pairs,
    before_pairs,
    flags,
    flag_weights,
    buckets,
    bucket_weights,
):
    """What `Tagger.scores` adds up: `rows` the weights of (word id, role), `others` for each role of _AROUND the
    token describing each token in it (-1: the absent word), `after` the token after each (-1: none), the bigram
    words of the word ids and the bigrams' keys and weights, the flags and buckets (each an array by token) and
    their weights."""
    count, labels = len(ids), rows.shape[1]
    scores = np.empty((count, labels))
    roles = len(others)
    total = np.empty(labels)
    for i in range(count):
        for role in range(roles):  # the roles' weights added up first, then added to the word's own
            j = others[role][i]
            row = (ids[j] if j >= 0 else 0) * (roles + 1) + role + 1
            for label in range(labels):
                total[label] = rows[row, label] if role == 0 else total[label] + rows[row, label]
        own = ids[i] * (roles + 1)  # the rows of each word: OWN, then the roles of _AROUND
        for label in range(labels):
            scores[i, label] = rows[own, label] + total[label]
    # Bigrams: pair i is token i and the word after it (end_word after the last); "bg+=" scores token i, then
    # "bg=" the token after it, each over all tokens in turn.
    found = np.full(count, -1)
    for i in range(count):
        first = pair_word[ids[i]]
        second = pair_word[ids[after[i]]] if after[i] >= 0 else end_word
        if first >= 0 and second >= 0 and len(pair_keys):
            key = first * pair_count + second
            at = min(np.searchsorted(pair_keys, key), len(pair_keys) - 1)
            if pair_keys[at] == key:
                found[i] = at
                for label in range(labels):
                    scores[i, label] += after_pairs[at, label]
    for i in range(count):
        if found[i] >= 0 and after[i] >= 0:
            for label in range(labels):
                scores[after[i], label] += before_pairs[found[i], label]
    for i in range(count):  # then the flags' weights, added up from zero, then each distance's
        total[:] = 0.0
        for flag in range(len(flags)):
            if flags[flag][i]:
                for label in range(labels):
                    total[label] += flag_weights[flag, label]
        for label in range(labels):
            scores[i, label] += total[label]
        for bucket in range(len(buckets)):
            for label in range(labels):  # -1, no distance: the last row, zeros
                scores[i, label] += bucket_weights[bucket, buckets[bucket][i], label]
    return scores


@_compiled
def _token_arrays(length, starts, ends, sentence_starts, quoted, statements, cues, speakers, paragraphs, is_cue):
    """token_context's arrays: the bounds of the tagged sentences (token indices, the last one past the end), the
    flags of _FLAGS by row, and rows of numbers: the distances of BUCKETED, the nearest cue before and after in
    the sentence (-1: none), and the neighbours at reach 1, 2, -1 and -2 (-1: none). The rules' marks are read by
    character, as spans cover them: where a reported statement and a direct quote overlap, the quote's."""
    count, longest = len(starts), _DISTANCES - 1
    at_start = np.zeros(length + 1, dtype=np.uint8)  # bits: quoted 1, cue 2, speaker 4, statement start 8, paragraph 16
    at_end = np.zeros(length + 1, dtype=np.bool_)  # statement ends
    statement = np.zeros(length + 1, dtype=np.uint8)  # 1 reported, 2 direct
    for spans, bit in ((quoted, 1), (cues, 2), (speakers, 4)):
        for k in range(len(spans)):
            for c in range(spans[k, 0], spans[k, 1]):
                at_start[c] |= bit
    for direct in (0, 1):  # reported first, then direct over them
        for k in range(len(statements)):
            if statements[k, 2] == direct:
                statement[statements[k, 0] : statements[k, 1]] = direct + 1
    for k in range(len(statements)):
        at_start[statements[k, 0]] |= 8
        at_end[statements[k, 1]] = True
    for start in paragraphs:
        at_start[start] |= 16
    sentence_of = np.searchsorted(sentence_starts, starts, side="right")
    bounds = np.empty(count + 1, dtype=np.int64)  # where each tagged sentence starts, then the end
    sentence = 0  # of the current token, among the tagged ones
    bounds[0] = 0
    for i in range(1, count):
        if sentence_of[i] != sentence_of[i - 1]:
            sentence += 1
            bounds[sentence] = i
    bounds[sentence + 1] = count
    bounds = bounds[: sentence + 2]
    flags = np.zeros((13, count), dtype=np.bool_)
    numbers = np.full((10, count), -1, dtype=np.int64)
    sentence = 0
    cue_before = -1
    for i in range(count):
        if bounds[sentence + 1] <= i:
            sentence += 1
        first, marks, kind = bounds[sentence], at_start[starts[i]], statement[starts[i]]
        flags[0, i] = (marks & 1) != 0
        flags[1, i] = kind == 1
        flags[2, i] = kind == 2
        flags[3, i] = (marks & 8) != 0
        flags[4, i] = at_end[ends[i]]
        flags[5, i] = (marks & 2) != 0
        flags[8, i] = (marks & 4) != 0
        flags[9, i] = first == i
        flags[10, i] = (marks & 16) != 0
        numbers[0, i] = min(i - first, longest)
        numbers[1, i] = min(bounds[sentence + 1] - i - 1, longest)
        if cue_before >= 0 and sentence_of[cue_before] == sentence_of[i]:
            flags[11, i] = True
            numbers[2, i] = min(i - cue_before, longest)
            numbers[4, i] = cue_before
        if is_cue[i]:
            cue_before = i
    flags[6, 1:] = flags[5, :-1]  # the rule's cue on the token before
    flags[7, :-1] = flags[5, 1:]  # and after
    cue_after = -1
    for i in range(count - 1, -1, -1):
        if cue_after >= 0 and sentence_of[cue_after] == sentence_of[i]:
            flags[12, i] = True
            numbers[3, i] = min(cue_after - i, longest)
            numbers[5, i] = cue_after
        if is_cue[i]:
            cue_after = i
    for row, reach in ((6, 1), (7, 2), (8, -1), (9, -2)):
        for i in range(max(0, reach), min(count, count + reach)):
            numbers[row, i] = i - reach
    return bounds, flags, numbers


# Runs of tokens by label: a statement is B then any Is; a cue or a source is a run of Cs or Ss.
_RUNS = {"statement": ("B", "I"), "cue": ("C", "C"), "source": ("S", "S")}


def _runs(tags: np.ndarray, opening: int, continuing: int) -> list[tuple[int, int]]:
    """(first, last) token indices of runs of `opening` or `continuing` tokens; only `continuing` carries one on."""
    bounds = _run_bounds(tags, opening, continuing)
    return list(zip(bounds[:, 0].tolist(), bounds[:, 1].tolist(), strict=True))


@_compiled
def _run_bounds(tags, opening, continuing):
    """_runs as an array: a dozen numpy calls each time, three times a text, cost more than the rest of decoding."""
    bounds = np.empty((len(tags), 2), dtype=np.int64)
    runs, first = 0, -1  # the runs found, and where the open one starts (-1: none open)
    for i in range(len(tags)):
        continues = first >= 0 and tags[i] == continuing
        if first >= 0 and not continues:
            bounds[runs] = first, i - 1
            runs, first = runs + 1, -1
        if not continues and (tags[i] == opening or tags[i] == continuing):
            first = i
    if first >= 0:
        bounds[runs] = first, len(tags) - 1
        runs += 1
    return bounds[:runs]


_NEAREST_REACH = 12  # tokens between a statement and its cue or source, at most


def _nearest(runs: list[tuple[int, int]], first: int, last: int, starts: list[int], ends: list[int]) -> Span | None:
    """The run closest to a statement (tokens first to last) within 12 tokens of it, the one before on a tie.
    No run overlaps the statement: each token has one label."""
    after = bisect_left(runs, (first,))
    gap_before = first - runs[after - 1][1] if after else _NEAREST_REACH + 1
    gap_after = runs[after][0] - last if after < len(runs) else _NEAREST_REACH + 1
    if min(gap_before, gap_after) > _NEAREST_REACH:
        return None
    run_first, run_last = runs[after - 1] if gap_before <= gap_after else runs[after]
    return starts[run_first], ends[run_last]


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
