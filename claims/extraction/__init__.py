"""Extraction of attributed statements from a pasted news article: rules, and a learned layer behind them.

    from claims.extraction import extract_article, tagger
    extraction = extract_article(text=paste)        # or html=page; tagger=tagger.configured() adds the model
                                                    # attributions=SPEECH_ONLY: quotes only
    for candidate in extraction.candidates:
        candidate.text == extraction.body[candidate.start : candidate.end]

No database, no network, nothing downloaded: the learned layer (tagger.py) is a small CRF
trained here from annotated news by `manage.py train_extraction`. Each candidate says which
cue and rule found it (`cue`, `reason`), so an editor can see why it is there, and what kind of attribution it
is (`attribution`: speech, belief, plan, finding, action).
"""

from .attribution import ALL, MODES, SPEECH_ONLY, Attribution
from .pipeline import MAX_INPUT_CHARS, Candidate, Extraction, ExtractionInputError, extract_article

__all__ = [
    "ALL",
    "MAX_INPUT_CHARS",
    "MODES",
    "SPEECH_ONLY",
    "Attribution",
    "Candidate",
    "Extraction",
    "ExtractionInputError",
    "extract_article",
]
