"""The API's one request parser: JSON, refusing nesting deeper than any of its bodies needs.

Python's json module recurses once per nested array or object, so a couple of
kilobytes of brackets raise RecursionError, which would be a 500. The depth is
measured before parsing, on the raw text with its strings taken out, by
regular expressions rather than a Python loop over every character (an
extraction body may be megabytes).
"""

import codecs
import itertools
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

# No body the API takes nests deeper than three levels; 32 leaves room and is far from Python's limit.
MAX_JSON_DEPTH = 32

# A JSON string: what is inside it is never structure.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_OPENING = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (0 for a bare value)."""
    structure = _BRACKET.findall(_STRING.sub("", text))
    return max(itertools.accumulate(_OPENING[bracket] for bracket in structure), default=0)


class DepthLimitedJSONParser(JSONParser):
    """JSONParser that answers a too-deeply nested body with a 400 naming the limit."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeError, ValueError) as exc:
            raise ParseError(f"The request body is not valid {encoding} text: {exc}") from None
        if json_depth(text) > self.max_depth:
            raise ParseError(
                f"JSON parse error - the body nests arrays or objects more than {self.max_depth} levels deep; "
                f"this API takes at most {self.max_depth}."
            )
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
