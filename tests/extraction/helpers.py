"""Shared helpers for the extraction tests."""

from pathlib import Path

import pytest

from claims.extraction import Candidate, extract_article

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads the shared real data kept beside the checkout.")
    return path


def candidates(text: str) -> list[Candidate]:
    return extract_article(text=text).candidates


def only(text: str) -> Candidate:
    found = candidates(text)
    assert len(found) == 1, [candidate.text for candidate in found]
    return found[0]
