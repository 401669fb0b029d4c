"""Scoring the extractor against hand annotations (PolNeAR brat files and the seed article's gold JSON).

The official rule (shared/data/README.md): a predicted statement matches a gold
attribution when their content spans overlap by at least half of the longer one.
Precision counts predictions that match some gold statement, recall counts gold
statements matched by some prediction. "Exact" means the same span once both are
trimmed of whitespace, quotation marks and edge punctuation.

Speaker accuracy is over matched gold statements (the best-overlapping prediction):
the predicted speaker is right when, case-insensitively and without leading
articles, it contains or is contained in the gold source text (or a gold name or
alias), when the two surnames agree, or when the speaker as printed at the
statement ("he") is the gold source text. PolNeAR has no coreference, so a
resolved pronoun can only be checked through what was printed.

Quotes mode (only the candidates whose attribution is speech) is scored on the speech-cue subset, as any subset
and strictly (a candidate matching only a gold belief, plan ... is counted wrong).

Subsets: direct quotes (gold content opening or closing with a quotation mark;
predictions of kind "direct", or whose text opens or closes with one, the same
test as for the gold: "called it “a disaster”" is quoted either way) and speech cues (gold cue is a speech verb or
"according to"). A prediction that only matches gold outside a subset is left out
of that subset's precision rather than counted wrong.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import tagger
from .attribution import ALL
from .pipeline import extract_article

_ANN_LINE_RE = re.compile(r"^[TEARN#]\d*\t")
_TRIM = " \t\n\"'“”‘’«»„.,;:!?—–-"
_ARTICLES_RE = re.compile(r"^(?:the|a|an)\s+")
_WORD_RE = re.compile(r"[\w'’-]+")
_QUOTE_MARKS = "\"“”'‘’«»„"
# Verbs of saying for the speech-cue subset: fixed here, so that changing the extractor's lexicon
# never changes which gold statements are scored.
_SCORING_SPEECH_VERBS = [
    "say",
    "tell",
    "add",
    "write",
    "state",
    "declare",
    "announce",
    "explain",
    "note",
    "reply",
    "respond",
    "ask",
    "tweet",
    "report",
    "confirm",
    "deny",
    "acknowledge",
    "admit",
    "claim",
    "assert",
    "allege",
    "insist",
    "argue",
    "warn",
    "predict",
    "promise",
    "suggest",
    "recall",
    "reveal",
    "testify",
    "complain",
    "conclude",
    "repeat",
    "urge",
    "estimate",
    "describe",
    "mention",
    "accuse",
    "criticize",
    "comment",
]
_SCORING_SPEECH_FORMS = (
    {"said", "told", "wrote", "written"}
    | {
        form
        for lemma in _SCORING_SPEECH_VERBS
        for form in (lemma, lemma + "s", lemma + "es", lemma + "d", lemma + "ed", lemma + "ing", lemma[:-1] + "ing")
    }
    | {lemma[:-1] + ending for lemma in _SCORING_SPEECH_VERBS if lemma.endswith("y") for ending in ("ies", "ied")}
)


@dataclass
class GoldStatement:
    segments: list[tuple[int, int]]
    source: str | None
    cue: str | None
    names: list[str] = field(default_factory=list)  # more accepted speaker names (seed gold)
    direct: bool = False
    via_names: list[str] = field(default_factory=list)
    source_segments: list[tuple[int, int]] = field(default_factory=list)
    cue_segments: list[tuple[int, int]] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        return self.segments[0][0], self.segments[-1][1]

    @property
    def length(self) -> int:
        return sum(end - start for start, end in self.segments)

    @property
    def speech_cue(self) -> bool:
        if not self.cue:
            return False
        cue = self.cue.lower()
        return "according to" in cue or any(word in _SCORING_SPEECH_FORMS for word in _WORD_RE.findall(cue))


@dataclass
class GoldArticle:
    name: str
    text: str
    statements: list[GoldStatement]


@dataclass
class Prediction:
    segments: list[tuple[int, int]]  # offsets into the article text as given
    kind: str
    speaker: str | None
    speaker_mention: str | None
    via: str | None
    quoted: bool = False  # a direct quote, or a statement whose text opens or closes with a quotation


def parse_ann(text: str) -> list[GoldStatement]:
    """Attributions of a brat .ann file. A line not starting with an id continues the span text above it."""
    lines: list[str] = []
    for line in text.split("\n"):
        if _ANN_LINE_RE.match(line) or not lines:
            lines.append(line)
        else:
            lines[-1] += "\n" + line
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in lines:
        if line.startswith("T"):
            identifier, annotation, *span_text = line.split("\t")
            kind, offsets = annotation.split(" ", 1)
            segments = [(int(a), int(b)) for a, b in (part.split() for part in offsets.split(";"))]
            spans[identifier] = (kind, segments, "\t".join(span_text))
        elif line.startswith("E"):
            roles = dict(part.split(":", 1) for part in line.split("\t")[1].split())
            events.append(roles)
    statements = []
    for roles in events:
        parts = {re.sub(r"\d+$", "", role): spans[tid] for role, tid in roles.items() if tid in spans}
        if "Content" not in parts:
            continue
        segments = sorted(parts["Content"][1])
        statements.append(
            GoldStatement(
                segments=segments,
                source=parts["Source"][2] if "Source" in parts else None,
                cue=parts["Cue"][2] if "Cue" in parts else None,
                direct=is_quoted(parts["Content"][2]),
                source_segments=sorted(parts["Source"][1]) if "Source" in parts else [],
                cue_segments=sorted(parts["Cue"][1]) if "Cue" in parts else [],
            )
        )
    return statements


def is_quoted(text: str) -> bool:
    text = text.strip()
    return text[:1] in _QUOTE_MARKS or text.rstrip(".,")[-1:] in _QUOTE_MARKS


def load_polnear(directory: Path) -> list[GoldArticle]:
    """One annotation file per article: the first by file name."""
    articles: dict[str, GoldArticle] = {}
    for path in sorted((directory / "attributions").glob("*.ann")):
        name = path.stem.rsplit("_", 1)[0]
        if name in articles:
            continue
        text = (directory / "text" / f"{name}.txt").read_text(encoding="utf-8")
        articles[name] = GoldArticle(name, text, parse_ann(path.read_text(encoding="utf-8")))
    return list(articles.values())


def load_seed(data_dir: Path) -> tuple[GoldArticle, dict]:
    gold = json.loads((data_dir / "seed-article.gold.json").read_text(encoding="utf-8"))
    text = (data_dir / gold["document"]).read_text(encoding="utf-8")
    speakers = {speaker["id"]: speaker for speaker in gold["speakers"]}

    def names(speaker_id: str | None) -> list[str]:
        speaker = speakers.get(speaker_id or "", {})
        return [speaker["name"], *speaker.get("aliases", [])] if speaker else []

    statements = [
        GoldStatement(
            segments=[tuple(quote["span"])],
            source=speakers[quote["speaker"]]["name"],
            cue=None,
            names=names(quote["speaker"]),
            direct=quote["kind"] == "direct",
            via_names=names(quote.get("via")),
        )
        for quote in gold["quotes"]
    ]
    return GoldArticle(gold["document"], text, statements), gold


def training_sequences(article: GoldArticle) -> list[tuple[list[list[str]], list[str]]]:
    """The learned layer's features and labels for one annotated article (its body, and its headline when it has
    one), each as the extractor reads it; labels are read in input offsets. The rules read each text once: the
    marks are the ones extraction hands its tagger (about 2.5 ms an article less than reading them again)."""
    read = _ReadMarks()
    extraction = extract_article(text=article.text, tagger=read)
    statements = article.statements
    contents = [segment for gold in statements for segment in gold.segments]
    cues = [segment for gold in statements for segment in gold.cue_segments]
    sources = [segment for gold in statements for segment in gold.source_segments]
    sequences = []
    for index, (text, marks) in enumerate(read.texts):
        found = tagger.tokens(text, marks)
        if not found.words:
            continue
        in_input = [extraction.to_input_span(start, end, index > 0) for start, end in found.spans()]
        labels = tagger.labels(in_input, contents, cues, sources)
        sequences.extend(tagger.sentence_sequences(tagger.token_context(text, found, marks), labels))
    return sequences


class _ReadMarks:
    """A tagger that adds nothing and keeps each text it is given with the rules' marks of it: the body's, then
    the headline's (read as the rules read it, its cue words in lower case)."""

    def __init__(self):
        self.texts: list[tuple[str, tagger.RuleMarks]] = []

    def tag(self, body: str, rules: tagger.RuleMarks) -> list[tagger.Tagged]:
        self.texts.append((body, rules))
        return []


def predict(
    text: str, grouped: bool = False, model: tagger.Tagger | None = None, attributions: str = ALL
) -> list[Prediction]:
    """Candidates as input spans; `grouped` joins the parts of one attribution into one statement."""
    extraction = extract_article(text=text, tagger=model, attributions=attributions)
    predictions: dict[tuple, Prediction] = {}
    located = [(candidate, False) for candidate in extraction.candidates]
    located += [(candidate, True) for candidate in extraction.headline_candidates]
    for index, (candidate, in_headline) in enumerate(located):
        span = extraction.to_input_span(candidate.start, candidate.end, in_headline)
        key = (in_headline, candidate.group) if grouped else (in_headline, index)
        if key in predictions:
            predictions[key].segments.append(span)
        else:
            quoted = candidate.kind == "direct" or is_quoted(candidate.text)
            predictions[key] = Prediction(
                [span], candidate.kind, candidate.speaker, candidate.speaker_mention, candidate.via, quoted
            )
    return list(predictions.values())


def overlap(prediction: Prediction, gold: GoldStatement) -> int:
    return sum(
        max(0, min(p_end, g_end) - max(p_start, g_start))
        for p_start, p_end in prediction.segments
        for g_start, g_end in gold.segments
    )


def _length(prediction: Prediction) -> int:
    return sum(end - start for start, end in prediction.segments)


def matches(prediction: Prediction, gold: GoldStatement) -> bool:
    shared = overlap(prediction, gold)
    return shared > 0 and shared >= 0.5 * max(_length(prediction), gold.length)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def exact(text: str, prediction: Prediction, gold: GoldStatement) -> bool:
    if len(prediction.segments) != len(gold.segments):
        return False
    return all(
        _trimmed(text, *predicted) == _trimmed(text, *wanted)
        for predicted, wanted in zip(prediction.segments, gold.segments, strict=True)
    )


def _normal(name: str | None) -> str:
    name = (name or "").lower().replace("’", "'").strip(_TRIM)
    return _ARTICLES_RE.sub("", name)


def _surname(name: str) -> str:
    words = _WORD_RE.findall(name)
    return words[-1].removesuffix("'s") if words else ""


def speaker_correct(prediction: Prediction, gold: GoldStatement) -> bool:
    gold_names = [_normal(name) for name in [gold.source, *gold.names] if name]
    if not gold_names:
        return not prediction.speaker and not prediction.speaker_mention  # the writer's own hedge: nobody named
    predicted = _normal(prediction.speaker)
    mention = _normal(prediction.speaker_mention)
    for name in gold_names:
        if not name:
            continue
        if predicted and (predicted in name or name in predicted or _surname(predicted) == _surname(name)):
            return True
        if mention and (mention == name or (len(mention) > 3 and (mention in name or name in mention))):
            return True
    return False


@dataclass
class Counts:
    predicted: int = 0
    predicted_matching: int = 0
    predicted_exact: int = 0
    gold: int = 0
    gold_matched: int = 0
    gold_exact: int = 0
    speaker_correct: int = 0

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        p_overlap = ratio(self.predicted_matching, self.predicted)
        r_overlap = ratio(self.gold_matched, self.gold)
        p_exact = ratio(self.predicted_exact, self.predicted)
        r_exact = ratio(self.gold_exact, self.gold)
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "precision_exact": p_exact,
            "recall_exact": r_exact,
            "f1_exact": f1(p_exact, r_exact),
            "precision_overlap": p_overlap,
            "recall_overlap": r_overlap,
            "f1_overlap": f1(p_overlap, r_overlap),
            "speaker_accuracy": ratio(self.speaker_correct, self.gold_matched),
            "matched": self.gold_matched,
        }


SUBSETS = ("all", "direct", "speech_cue")
# Quotes mode is scored on the speech subset twice: as any subset (a candidate matching only a belief, a plan ...
# is left out), and strictly, counting such a candidate wrong, as a set of news annotated for speech only would.
QUOTE_SUBSETS = ("speech_cue", "speech_cue_strict")


def _in_subset(subset: str, gold: GoldStatement) -> bool:
    return (
        subset == "all" or (subset == "direct" and gold.direct) or (subset.startswith("speech_cue") and gold.speech_cue)
    )


def score_article(article: GoldArticle, predictions: list[Prediction], subset: str = "all") -> Counts:
    counts = Counts()
    golds = [gold for gold in article.statements if _in_subset(subset, gold)]
    others = [gold for gold in article.statements if not _in_subset(subset, gold)]
    if subset == "direct":
        predictions = [prediction for prediction in predictions if prediction.quoted]
    for prediction in predictions:
        inside = [gold for gold in golds if matches(prediction, gold)]
        if not inside and subset != "speech_cue_strict" and any(matches(prediction, gold) for gold in others):
            continue  # belongs to statements outside this subset
        counts.predicted += 1
        counts.predicted_matching += bool(inside)
        counts.predicted_exact += any(exact(article.text, prediction, gold) for gold in inside)
    for gold in golds:
        counts.gold += 1
        candidates = [prediction for prediction in predictions if matches(prediction, gold)]
        if not candidates:
            continue
        counts.gold_matched += 1
        counts.gold_exact += any(exact(article.text, prediction, gold) for prediction in candidates)
        best = max(candidates, key=lambda prediction: overlap(prediction, gold))
        counts.speaker_correct += speaker_correct(best, gold)
    return counts


_PRONOUN_SOURCES = {"he", "she", "him", "her", "it", "they", "we"}
_NAME_RUN_RE = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:de|van|von|del|da)?\s*[A-Z][\w'’.-]*)+")
# How far back a pronoun's referent is looked for: about three paragraphs of news prose.
_REFERENCE_REACH = 1500


@dataclass
class Reference:
    """A gold statement whose source is a later reference ("he", "Ryabkov"), and the full name it stands for."""

    statement: GoldStatement
    kind: str  # "pronoun" or "surname"
    referent: str


def references(article: GoldArticle) -> list[Reference]:
    """The later references among an article's gold sources, with the full name each refers to.

    PolNeAR marks no coreference, so the referent is read from the annotation the same way for every system: a
    surname refers to the first full name in the text ending with it; a personal pronoun to the nearest earlier
    source the annotators marked as a name, within about three paragraphs, that its own words ("Mrs.",
    "spokesman") do not give the other gender. Descriptions ("the company") have no
    referent this way and are not counted.
    """
    named = []  # (start, full name, gender its own words give or None) of gold sources that are names
    for gold in article.statements:
        source = gold.source or ""
        if gold.source_segments and source.strip()[:1].isupper() and _normal(source) not in _PRONOUN_SOURCES:
            full = _full_name(article.text, source, gold.source_segments)
            named.append((gold.source_segments[0][0], full, _printed_gender(source)))
    named.sort()
    found = []
    for gold in article.statements:
        if not gold.source_segments or not gold.source:
            continue
        start = gold.source_segments[0][0]
        source = _normal(gold.source)
        if source in _PRONOUN_SOURCES - {"it", "we"}:
            gender = _PRONOUN_GENDERS.get(source)
            earlier = [
                name
                for position, name, printed in named
                if start - _REFERENCE_REACH <= position < start and printed in (None, gender)
            ]
            if earlier:
                found.append(Reference(gold, "pronoun", earlier[-1]))
        elif re.fullmatch(r"[A-Z][\w'’-]+", gold.source.strip()):
            full = _full_name(article.text, gold.source, gold.source_segments)
            if full != gold.source.strip():
                found.append(Reference(gold, "surname", full))
    return found


_PRONOUN_GENDERS = {"he": "male", "him": "male", "she": "female", "her": "female"}
_GENDERED_WORDS = {
    "mr": "male", "mrs": "female", "ms": "female", "miss": "female", "congressman": "male",
    "congresswoman": "female", "spokesman": "male", "spokeswoman": "female", "chairman": "male",
    "chairwoman": "female", "sir": "male", "lady": "female", "actress": "female", "actor": "male",
}  # fmt: skip


def _printed_gender(source: str) -> str | None:
    """'Mrs. Clinton' female, 'Rep. Jim Cooper' unknown: only what the source's own words say."""
    words = {word.lower().strip(".,") for word in source.split()}
    genders = {_GENDERED_WORDS[word] for word in words if word in _GENDERED_WORDS}
    return genders.pop() if len(genders) == 1 else None


def _full_name(text: str, name: str, segments: list[tuple[int, int]]) -> str:
    """'Ryabkov' -> 'Sergei Ryabkov', the first capitalised run before the source that ends with its last word."""
    surname = _surname(name)
    for match in _NAME_RUN_RE.finditer(text, 0, segments[0][0]):
        if _surname(match.group()) == surname and match.group() != surname:
            return match.group()
    return name.strip()


def resolved(prediction: Prediction, reference: Reference) -> bool:
    """Whether the candidate's speaker is the person or body the reference stands for."""
    predicted = _normal(prediction.speaker)
    referent = _normal(reference.referent)
    return bool(predicted) and (
        _surname(predicted) == _surname(referent) or predicted in referent or referent in predicted
    )


@dataclass
class Resolution:
    """Later references among the matched gold statements: how many, resolved to their referent, left unresolved."""

    references: int = 0
    resolved: int = 0
    unresolved: int = 0  # the speaker left as printed ("he") or none

    def add(self, other: "Resolution") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score_resolution(article: GoldArticle, predictions: list[Prediction]) -> Resolution:
    result = Resolution()
    for reference in references(article):
        candidates = [prediction for prediction in predictions if matches(prediction, reference.statement)]
        if not candidates:
            continue
        best = max(candidates, key=lambda prediction: overlap(prediction, reference.statement))
        result.references += 1
        result.resolved += resolved(best, reference)
        result.unresolved += not best.speaker or _normal(best.speaker) in _PRONOUN_SOURCES
    return result


def evaluate_resolution(
    articles: list[GoldArticle], model: tagger.Tagger | None = None, attributions: str = ALL
) -> Resolution:
    total = Resolution()
    for article in articles:
        total.add(score_resolution(article, predict(article.text, True, model, attributions)))
    return total


def evaluate_articles(
    articles: list[GoldArticle], grouped: bool = False, model: tagger.Tagger | None = None, attributions: str = ALL
) -> dict[str, dict[str, float | int]]:
    """Scores per subset: every attribution's subsets, or in quotes mode (attributions="speech") the speech ones."""
    subsets = SUBSETS if attributions == ALL else QUOTE_SUBSETS
    totals = {subset: Counts() for subset in subsets}
    for article in articles:
        predictions = predict(article.text, grouped, model, attributions)
        for subset in subsets:
            totals[subset].add(score_article(article, predictions, subset))
    return {subset: counts.scores() for subset, counts in totals.items()}


def evaluate_seed(data_dir: Path, model: tagger.Tagger | None = None) -> dict:
    """The seed article's figures and the per-statement checks its acceptance targets name."""
    article, gold = load_seed(data_dir)
    extraction = extract_article(text=article.text, tagger=model)
    predictions = predict(article.text, model=model)
    statements = []
    for statement in article.statements:
        candidates = [prediction for prediction in predictions if matches(prediction, statement)]
        best = max(candidates, key=lambda prediction: overlap(prediction, statement)) if candidates else None
        statements.append(
            {
                "gold": article.text[statement.span[0] : statement.span[1]],
                "kind": "direct" if statement.direct else "indirect",
                "gold_speaker": statement.source,
                "found": best is not None,
                "exact": bool(best) and best.segments == statement.segments,
                "speaker": best.speaker if best else None,
                "speaker_correct": bool(best) and speaker_correct(best, statement),
                "via": best.via if best else None,
                "via_correct": bool(best) and _via_correct(best, statement),
            }
        )
    furniture = [
        text
        for text in gold["article"]["not_article_text"]
        if text in extraction.body or any(text in candidate.text for candidate in extraction.candidates)
    ]
    return {
        "scores": {subset: score_article(article, predictions, subset).scores() for subset in SUBSETS},
        "statements": statements,
        "furniture_left": furniture,
        "metadata": extraction.metadata.to_dict(),
    }


def _via_correct(prediction: Prediction, gold: GoldStatement) -> bool:
    if not gold.via_names:
        return prediction.via is None
    via = _normal(prediction.via)
    return bool(via) and any(via == _normal(name) or _normal(name) in via for name in gold.via_names)
