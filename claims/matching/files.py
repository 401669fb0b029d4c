"""The CheckThat! claim-matching files: a pool of checked claims, queries, relevance judgements, runs.

Every reader checks the whole file first and raises `BadFile` naming the line
and what is wrong with it, so a command stops before it writes anything.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from claims.matching.ranking import Checked, Match
from claims.matching.text import parse_date, problem
from claims.textfiles import BadFile, numbered_lines


@dataclass(frozen=True)
class Query:
    key: str
    text: str


def read_pool(path: Path) -> list[Checked]:
    """JSON lines, each with `vclaim_id` and `vclaim`, and `title`, `subtitle`, `date` where present."""
    pool, seen = [], set()
    for number, line in numbered_lines(path):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadFile(path, number, f"not JSON ({error.msg})") from None
        if not isinstance(entry, dict):
            raise BadFile(path, number, "not a JSON object")
        key, claim = entry.get("vclaim_id"), entry.get("vclaim")
        if not isinstance(key, str) or not key.strip():
            raise BadFile(path, number, "no vclaim_id")
        if not isinstance(claim, str) or not claim.strip():
            raise BadFile(path, number, "no vclaim text")
        if key in seen:
            raise BadFile(path, number, f"vclaim_id {key} appears twice")
        seen.add(key)
        title, subtitle = entry.get("title") or "", entry.get("subtitle") or ""
        if not isinstance(title, str) or not isinstance(subtitle, str):
            raise BadFile(path, number, "title and subtitle must be text")
        # Real pools hold claims cut short ("The"); the title and subtitle still say what was checked.
        if reason := problem(" ".join((claim, title, subtitle))):
            raise BadFile(path, number, f"the claim with its title and subtitle {reason}")
        dated = entry.get("date")
        pool.append(Checked(key, claim, title, subtitle, parse_date(dated if isinstance(dated, str) else None)))
    if not pool:
        raise BadFile(path, None, "holds no claims")
    return pool


def read_queries(path: Path) -> list[Query]:
    """`id<TAB>text` lines; a first line `iclaim_id<TAB>iclaim` (or any header naming an id) is skipped."""
    queries, seen = [], set()
    for number, line in numbered_lines(path):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        key, tab, text = line.partition("\t")
        if number == 1 and key.strip().lower() in ("id", "iclaim_id", "tweet_id", "query_id"):
            continue
        if not tab:
            raise BadFile(path, number, "expected an id, a tab and the text")
        if not key.strip():
            raise BadFile(path, number, "no id before the tab")
        if key in seen:
            raise BadFile(path, number, f"id {key} appears twice")
        if reason := problem(text):
            raise BadFile(path, number, f"the text of {key} {reason}")
        seen.add(key)
        queries.append(Query(key.strip(), text))
    if not queries:
        raise BadFile(path, None, "holds no queries")
    return queries


def read_qrels(path: Path) -> dict[str, set[str]]:
    """TREC judgements, `query_id<TAB>0<TAB>vclaim_id<TAB>1`: the pool entries that check each query."""
    relevant: dict[str, set[str]] = {}
    for number, line in numbered_lines(path):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise BadFile(path, number, "expected query_id, 0, vclaim_id and relevance")
        if parts[3] != "0":
            relevant.setdefault(parts[0], set()).add(parts[2])
    return relevant


def write_run(handle, key: str, matches: list[Match], tag: str) -> None:
    """TREC run lines: `query_id Q0 vclaim_id rank score tag`."""
    for position, match in enumerate(matches, start=1):
        handle.write(f"{key}\tQ0\t{match.checked.key}\t{position}\t{match.score:.6f}\t{tag}\n")


@dataclass(frozen=True)
class CheckThat:
    """../shared/data/claim-matching: the pool, every query, and which claim checks each, by split."""

    pool: list[Checked]
    queries: dict[str, Query]
    relevant: dict[str, dict[str, set[str]]]

    SPLITS = ("train", "dev", "devtest")

    @classmethod
    def read(cls, directory: Path) -> "CheckThat":
        if not (directory / "vclaims.jsonl").is_file():
            raise BadFile(directory, None, "holds no vclaims.jsonl; pass --data pointing at the shared data directory")
        queries = read_queries(directory / "train-dev.queries.tsv") + read_queries(directory / "devtest.queries.tsv")
        relevant = {split: read_qrels(directory / f"{split}.qrels.tsv") for split in cls.SPLITS}
        return cls(read_pool(directory / "vclaims.jsonl"), {q.key: q for q in queries}, relevant)

    def split(self, name: str) -> list[Query]:
        return [self.queries[key] for key in self.relevant[name] if key in self.queries]
