"""Shared helpers for the extraction tests."""

from claims.extraction import Candidate, extract_article
from tests.conftest import shared_data

__all__ = ["candidates", "only", "shared_data"]


def candidates(text: str) -> list[Candidate]:
    return extract_article(text=text).candidates


def only(text: str) -> Candidate:
    found = candidates(text)
    assert len(found) == 1, [candidate.text for candidate in found]
    return found[0]
