"""Input hygiene, in one place: text that could spoof a reader or break a page is refused.

Every text field of every domain model passes through `check_text` (from
DomainModel.clean_fields), and the API passes query parameters through it, so
a form, an endpoint, an import and a command all refuse the same characters
with the same message.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Line breaks and tabs are text; every other C0 and C1 control is not (the
# search highlighter's own markers, U+0002 and U+0003, among them).
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
# Embeddings, overrides and isolates reorder what a reader sees ("evil\u202egnp.exe").
# The plain marks U+200E, U+200F and U+061C that right-to-left text needs stay allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS


# Every character check_text refuses, found in one scan in C rather than a Python loop per
# character (a LIAR import spent a fifth of its time there). Unicode fixes category Cc as
# U+0000–U+001F and U+007F–U+009F, so the first 160 code points hold every control.
_REFUSED = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0xA0) if _is_control(chr(c))) + "".join(sorted(BIDI_CONTROLS)) + "]"
)


def _is_invisible(char: str) -> bool:
    # Spaces, and format characters such as zero-width space and joiners.
    return char.isspace() or unicodedata.category(char) == "Cf"


def trim(value: str) -> str:
    """`value` without the spaces around it.

    Unlike str.strip(), it leaves the control characters Python counts as
    space (U+001C–U+001F, U+0085, vertical tab) for check_text to refuse,
    rather than cleaning them away unseen.
    """
    start, end = 0, len(value)
    while start < end and _is_trimmable(value[start]):
        start += 1
    while end > start and _is_trimmable(value[end - 1]):
        end -= 1
    return value[start:end]


def _is_trimmable(char: str) -> bool:
    return char.isspace() and not _is_control(char)


def check_text(value: str) -> None:
    """Raise ValidationError when `value` holds control or bidi-override characters, or nothing visible."""
    refused = _REFUSED.search(value)
    if refused:
        position, char = refused.start(), refused.group()
        if char in BIDI_CONTROLS:
            raise ValidationError(
                f"Remove the bidirectional override U+{ord(char):04X} at position {position}; "
                "it can make text read differently from what is stored.",
                code="bidi_override",
            )
        raise ValidationError(
            f"Remove the control character U+{ord(char):04X} at position {position}; it cannot be shown.",
            code="control_character",
        )
    if value and all(_is_invisible(char) for char in value):
        raise ValidationError("This has no visible characters; type the words themselves.", code="invisible")
