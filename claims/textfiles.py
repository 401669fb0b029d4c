"""Text files: read line by line with errors that name the file, the line and the reason; written whole or not at all.

Shared by every door that reads or writes files (claim matching, the importers, the exports); no Django in it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


class BadFile(ValueError):
    """A file, or one line of it, that cannot be read as what it should be.

    Code that knows the line but not the file (a writer handed records) gives
    no path; the door that knows the file names it with in_file().
    """

    def __init__(self, path: Path | str | None, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        where = ", ".join(part for part in (str(path) if path else "", f"line {line}" if line else "") if part)
        super().__init__(f"{where}: {reason}" if where else reason)

    def in_file(self, path: Path | str) -> "BadFile":
        return self if self.path else BadFile(path, self.line, self.reason)


def numbered_lines(path: Path, name: str | None = None) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line of a UTF-8 file (a byte-order mark is dropped).

    Lines are decoded one by one, so text in another encoding is reported at its
    line. `name` is what errors call the file (an upload's own name), the path by default.
    """
    name = name or str(path)
    try:
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    yield number, raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise BadFile(
                        name, number, f"not UTF-8 text ({error.reason} at byte {error.start}); save the file as UTF-8"
                    ) from None
    except FileNotFoundError:
        raise BadFile(name, None, "no such file") from None
    except IsADirectoryError:
        raise BadFile(name, None, "is a directory, not a file") from None


@contextmanager
def written_whole(path: Path, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """A handle on a side file that replaces `path` when the block ends well, and vanishes when it does not.

    A failed or interrupted write leaves the previous file, or none, never half of one.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding=encoding, newline=newline) as handle:
            yield handle
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
