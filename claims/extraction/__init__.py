"""Rule-based extraction of attributed statements from a pasted news article.

    from claims.extraction import extract_article
    extraction = extract_article(text=paste)        # or html=page
    for candidate in extraction.candidates:
        candidate.text == extraction.body[candidate.start : candidate.end]

Pure Python: no database, no model, no network. Each candidate says which cue and
rule found it (`cue`, `reason`), so an editor can see why it is there.
"""

from .pipeline import MAX_INPUT_CHARS, Candidate, Extraction, ExtractionInputError, extract_article

__all__ = ["MAX_INPUT_CHARS", "Candidate", "Extraction", "ExtractionInputError", "extract_article"]
