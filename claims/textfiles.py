"""Reading a text file line by line, with errors that name the file, the line and the reason.

Shared by every reader of files (claim matching's pools, the importers); no Django in it.
"""

from collections.abc import Iterator
from pathlib import Path


class BadFile(ValueError):
    """A file, or one line of it, that cannot be read as what it should be."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


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
