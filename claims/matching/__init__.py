"""Claim matching: "has this been checked before?" for any new text.

`claims.reads.checked_before` ranks the claims with a verdict in the database;
`ranking.Index` ranks a pool file (manage.py rank_matches, evaluate_matching).
Both re-rank their candidates with the ranker `configured()` returns: the one
`manage.py train_matching` learned from ../shared/data/claim-matching, named by
FACTCHECK_MATCHING_MODEL or at var/matching/ranker.json; "off", or no file,
means BM25 alone.
"""

import os
from functools import cache
from pathlib import Path

from claims.matching.ranking import Ranker

MODEL_ENV = "FACTCHECK_MATCHING_MODEL"
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "var" / "matching" / "ranker.json"


class ModelError(RuntimeError):
    pass


def configured() -> Ranker:
    named = os.environ.get(MODEL_ENV)
    if named == "off":
        return Ranker()
    if named and not Path(named).is_file():
        raise ModelError(f"{MODEL_ENV} names {named}, which is not a file. Build it with `manage.py train_matching`.")
    return load(Path(named) if named else DEFAULT_MODEL)


@cache
def load(path: Path) -> Ranker:
    if not path.is_file():
        return Ranker()
    try:
        return Ranker.load(path)
    except (ValueError, KeyError, TypeError) as error:
        raise ModelError(f"{path} cannot be read ({error}); run `manage.py train_matching` again.") from None
