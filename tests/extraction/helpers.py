"""Shared helpers for the extraction tests."""

from pathlib import Path

from claims.extraction import Candidate, extract_article, tagger
from claims.extraction.evaluation import GoldArticle, GoldStatement, training_sequences
from tests.conftest import shared_data

__all__ = ["AIMS", "NAMES", "candidates", "only", "shared_data", "train_small_model", "write_polnear_layout"]

# A made-up corpus for the learned layer: "lobbied to ..." is in no rule's lexicon, so only a model can learn
# that it attributes a plan to the lobbyist.
NAMES = ["Governor Ann Lowe", "Senator Bo Park", "Mayor Cy Dunn", "Chief Di Holt", "Judge Ed Marr", "Rep. Fay Cole"]
AIMS = ["close the old mine", "suspend the new levy", "widen the river road", "delay the state audit"]


def candidates(text: str) -> list[Candidate]:
    return extract_article(text=text).candidates


def only(text: str) -> Candidate:
    found = candidates(text)
    assert len(found) == 1, [candidate.text for candidate in found]
    return found[0]


def _lobbying_article(name: str, aim: str) -> GoldArticle:
    text = f"{name} lobbied to {aim}.\n\n{name} walked to the station after lunch."
    start = text.index(f"to {aim}")
    cue = text.index("lobbied")
    statement = GoldStatement(
        segments=[(start, start + len(f"to {aim}"))],
        source=name,
        cue="lobbied",
        source_segments=[(0, len(name))],
        cue_segments=[(cue, cue + len("lobbied"))],
    )
    return GoldArticle(f"{name}-{aim}".replace(" ", "-").replace(".", ""), text, [statement])


def train_small_model(path: Path) -> Path:
    articles = [_lobbying_article(name, aim) for name in NAMES for aim in AIMS]
    tagger.train([sequence for article in articles for sequence in training_sequences(article)], path)
    return path


def write_polnear_layout(split: Path) -> None:
    """The corpus as PolNeAR files: text/NAME.txt and attributions/NAME_annotator.ann in brat standoff."""
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    for name in NAMES:
        for aim in AIMS:
            article = _lobbying_article(name, aim)
            (split / "text" / f"{article.name}.txt").write_text(article.text, encoding="utf-8")
            (statement,) = article.statements
            lines = []
            for number, (kind, (start, end)) in enumerate(
                [
                    ("Source", statement.source_segments[0]),
                    ("Cue", statement.cue_segments[0]),
                    ("Content", statement.segments[0]),
                ],
                start=1,
            ):
                lines.append(f"T{number}\t{kind} {start} {end}\t{article.text[start:end]}")
            lines.append("E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1")
            (split / "attributions" / f"{article.name}_a1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
