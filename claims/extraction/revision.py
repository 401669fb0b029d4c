"""A recorded article's candidates in its own body's offsets, and the revision that names what they are.

Both doors that let an editor choose among candidates and record them (the API's
POST /extract/ and the desk's article and intake pages) number the candidates as
the extractor lists them, and record the ones chosen by number. `revision_of` is
a fingerprint of what each number stands for: asked again before recording, a
different revision means the body or the extractor changed since the editor
looked, so the numbers no longer mean what they chose.
"""

import hashlib
import json

from .pipeline import Candidate, Extraction


def in_article(extraction: Extraction, candidate: Candidate) -> dict:
    """A candidate of an article's own body, its offsets and texts the body's (the extractor reads a clean copy).

    For text input the extractor's offsets map back to the input character for
    character; only whitespace between may differ (a non-breaking space it read as a space).
    """
    body = extraction.source
    row = candidate.to_dict()
    for text_name, start_name, end_name in (
        ("text", "start", "end"),
        ("speaker_mention", "speaker_start", "speaker_end"),
        ("cue", "cue_start", "cue_end"),
    ):
        start, end = row[start_name], row[end_name]
        if start is None or end is None:
            continue
        start, end = extraction.to_input_span(start, end)
        row.update({start_name: start, end_name: end, text_name: body[start:end]})
    return row


def revision_of(candidates: list[dict]) -> str:
    """A short fingerprint of what each candidate number stands for: same candidates, same revision."""
    parts = [
        [c["start"], c["end"], c["kind"], c["attribution"], c["speaker"], c["speaker_kind"], c["text"]]
        for c in candidates
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]
