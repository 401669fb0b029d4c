"""Writing an export file whole or not at all."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def written_whole(path: Path, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """A handle on a side file that replaces `path` when the block ends well, and vanishes when it does not.

    A failed or interrupted export leaves the previous file, or none, never half of one.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding=encoding, newline=newline) as handle:
            yield handle
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
