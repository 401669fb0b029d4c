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
from itertools import compress, repeat
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
_PIECE_RE = re.compile(r"\s+|" + _TOKEN_RE.pattern)  # a token or the whitespace between two
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
    # The body as pieces end to end: the text before each tagged sentence as one gap of spaces, then the
    # sentence's tokens and the whitespace between them. Lengths and offsets then come from loops in C rather
    # than one in Python per token.
    pieces = []
    read_to = 0
    for start, end in rules.sentences:
        if covered.count(1, start, end) <= UNREAD_SHARE * (end - start):
            if start > read_to:
                pieces.append(" " * (start - read_to))
            pieces += _PIECE_RE.findall(body, start, end)
            read_to = end
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    ends = np.cumsum(lengths)
    is_token = ~np.fromiter(map(str.isspace, pieces), dtype=bool, count=len(pieces))
    return Tokens(list(compress(pieces, is_token)), (ends - lengths)[is_token], ends[is_token])


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


def token_context(body: str, tokens: Tokens, rules: RuleMarks) -> Context:
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    n = len(words)
    index = np.arange(n)

    sentence_starts = np.fromiter((start for start, _ in rules.sentences), dtype=np.int64)
    sentence_of = np.searchsorted(sentence_starts, starts, side="right")
    new_sentence = np.diff(sentence_of, prepend=-1) != 0
    ordinal = np.cumsum(new_sentence) - 1  # of the token's sentence among the tagged ones
    bounds = np.append(np.flatnonzero(new_sentence), n)
    from_start = index - bounds[ordinal]
    sentence_length = np.diff(bounds)[ordinal]

    def marked(spans, at=starts) -> np.ndarray:
        return np.frombuffer(_marks(len(body), spans), dtype=np.uint8)[at].astype(bool)

    rule_cue = marked(rules.cues)
    rule_statement = np.frombuffer(_statement_marks(len(body), rules.statements), dtype=np.uint8)[starts]
    flags = {
        "in_quote": marked(rules.quoted),
        "rule1": rule_statement == 1,
        "rule2": rule_statement == 2,
        "rule_start": marked([(start, start + 1) for start, _, _ in rules.statements]),
        "rule_end": marked([(end, end + 1) for _, end, _ in rules.statements], at=ends),
        "rule_cue": rule_cue,
        "rule_cue-1": np.concatenate(([False], rule_cue[:-1])),
        "rule_cue+1": np.concatenate((rule_cue[1:], [False])),
        "rule_speaker": marked(rules.speakers),
        "sentence_start": from_start == 0,
        "paragraph_start": marked([(0, 1)] + [(line.end(), line.end() + 1) for line in _NEWLINE_RE.finditer(body)]),
    }
    buckets = {
        "from_start": np.minimum(from_start, _DISTANCES - 1),
        "to_end": np.minimum(sentence_length - from_start - 1, _DISTANCES - 1),
    }
    # The nearest cue word before and after each token in its sentence, and how far it is.
    is_cue = np.fromiter(map(_CUE_WORDS.__contains__, map(str.lower, words)), dtype=bool, count=n)
    last_cue = np.maximum.accumulate(np.where(is_cue, index, -1))  # at or before each token
    before = np.concatenate(([-1], last_cue[:-1]))
    next_cue = np.minimum.accumulate(np.where(is_cue, index, n)[::-1])[::-1]  # at or after each token
    after = np.concatenate((next_cue[1:], [n]))
    after[after == n] = -1
    nearest_cue = {}
    for role, name, nearest in ((CUE_BEFORE, "cue_before", before), (CUE_AFTER, "cue_after", after)):
        nearest = np.where((nearest >= 0) & (sentence_of[nearest] == sentence_of), nearest, -1)
        nearest_cue[role] = nearest
        flags[name] = nearest >= 0
        buckets[name + "_distance"] = np.where(nearest >= 0, np.minimum(abs(index - nearest), _DISTANCES - 1), -1)
    sentences = list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
    neighbours = {}
    for reach in (1, 2, -1, -2):
        other = index - reach
        neighbours[reach] = np.where((other >= 0) & (other < n), other, -1)
    return Context(words, sentences, neighbours, flags, buckets, nearest_cue)


def _statement_marks(length: int, statements: list[tuple[int, int, bool]]) -> bytearray:
    """1 inside a reported statement, 2 inside a direct quote (which wins where they overlap)."""
    marks = _marks(length, [(start, end) for start, end, direct in statements if not direct])
    for start, end, direct in statements:
        if direct:
            marks[start:end] = b"\x02" * (end - start)
    return marks


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
        self._buckets = {
            name: np.stack([self._weight(f) for f in BUCKET_FEATURES[name]] + [self._weight()]) for name in BUCKETED
        }
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
        # What each token's neighbours and nearest cues tell it, in one gather: the word at index -1 is the
        # memory's first, the absent word (_NO_WORD's weights as a neighbour, none as a cue).
        others = np.column_stack([context.describing(role) for role in _AROUND])
        # Rows (word, role) of one flat table: a take along one axis is cheaper than indexing two (on polnear-dev
        # 0.19 ms of CPU an article against 0.23).
        rows = known.weights.reshape(-1, len(self.labels))
        around = np.append(ids, _ABSENT)[others] * len(_ROLES) + _AROUND
        gathered = rows.take(around.ravel(), axis=0).reshape(*around.shape, -1)
        # Added up role by role, in the order a sum over the middle axis adds them: that sum is three times slower.
        around_sum = gathered[:, 0] + gathered[:, 1]
        for role in range(2, len(_AROUND)):
            around_sum += gathered[:, role]
        scores = rows.take(ids * len(_ROLES) + OWN, axis=0) + around_sum
        # Pair i is token i and the word after it (_END after the last).
        after = context.neighbours[-1]
        pair_word = known.pair_word[ids]
        second = np.where(after >= 0, pair_word[after], self._pair_words.get(_END, -1))
        keys = pair_word * len(self._pair_words) + second
        found = np.minimum(np.searchsorted(self._pair_keys, keys), len(self._pair_keys) - 1)
        hit = (pair_word >= 0) & (second >= 0) & (self._pair_keys[found] == keys)
        scores[hit] += self._pair_weights["bg+="][found[hit]]
        inner = hit & (after >= 0)
        scores[after[inner]] += self._pair_weights["bg="][found[inner]]
        names = tuple(context.flags)
        if names not in self._flags:  # the same names every time: token_context sets them
            self._flags[names] = np.stack([self._weight(name) for name in names])
        scores += np.column_stack(list(context.flags.values())) @ self._flags[names]
        for name, bucket in context.buckets.items():
            scores += self._buckets[name][bucket]  # -1, no distance: the last row, zeros
        return scores

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
    """The decoders are compiled (numba): a step of either is a few dozen additions over 5 labels, which numpy makes
    cost its per-call overhead many times over (on polnear-dev 1.4 ms of CPU an article in numpy, under 0.1 compiled).
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
    # every value stays inside float64's range whatever the scores, and the scales cancel at the end.
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
                forward[i, label] = emit[i, label] * np.sum(forward[i - 1] * move[:, label])
            forward[i] /= forward[i].sum()
        backward[last - 1] = 1.0
        for i in range(last - 2, first - 1, -1):
            for label in range(count):
                backward[i, label] = np.sum(move[label] * emit[i + 1] * backward[i + 1])
            backward[i] /= backward[i].sum()
        for i in range(first, last):
            result[i] = forward[i] * backward[i] / np.sum(forward[i] * backward[i])
    return result


# Runs of tokens by label: a statement is B then any Is; a cue or a source is a run of Cs or Ss.
_RUNS = {"statement": ("B", "I"), "cue": ("C", "C"), "source": ("S", "S")}


def _runs(tags: np.ndarray, opening: int, continuing: int) -> list[tuple[int, int]]:
    """(first, last) token indices of runs of `opening` or `continuing` tokens; only `continuing` carries one on."""
    part = (tags == opening) | (tags == continuing)
    continues = tags == continuing
    continues[0] = False
    continues[1:] &= part[:-1]
    opens = part & ~continues
    closes = part.copy()
    closes[:-1] &= ~continues[1:]
    return list(zip(np.flatnonzero(opens).tolist(), np.flatnonzero(closes).tolist(), strict=True))


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
