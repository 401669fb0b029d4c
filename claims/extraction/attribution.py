"""What kind of attribution a candidate is: speech (a quote as a newsroom means it) or a belief, plan, finding
or action attributed to someone.

PolNeAR, the corpus the rules and the learned layer are built from, annotates every attribution: "Trump believes
...", "Cruz plans to ...", "the poll shows ...", "Bush endorsed Cruz". A fact-checker looking for quotes wants only
what was said; `SPEECH_ONLY` (the default of the doors) keeps those, `ALL` keeps everything.
"""

from enum import StrEnum

from .lexicon import (
    ALL_CUE_FORMS,
    FINDING_SUBJECTS,
    FINDING_VERBS,
    INTENTION_VERBS,
    SPEECH_VERBS,
    STANCE_VERBS,
    TOPIC_VERBS,
)


class Attribution(StrEnum):
    """A candidate's `attribution`."""

    # Said, told, wrote, asked, denied; "according to"; a direct quote or reported speech, and the outlet's own
    # reporting ("the FT reported").
    SPEECH = "speech"
    # Believes, thinks, fears, hopes, knows; and the writer's hedges with no one named ("seems", "is expected to").
    BELIEF = "belief"
    # Plans, intends, wants, seeks, declines, refuses, considers.
    PLAN = "plan"
    # What a poll, study, record or document shows, finds or estimates.
    FINDING = "finding"
    # A position taken or a thing done, by deed or by a word that gives no statement of its own: endorsed, backed,
    # lobbied to, ordered; praised X, defended X, called for X, referred to X, posted X.
    ACTION = "action"


# Which candidates to return: only speech (quotes, the default an editor sees), or every attribution.
SPEECH_ONLY = "speech"
ALL = "all"
MODES = (SPEECH_ONLY, ALL)

# The verbs of the lexicon that are not speech, by what they attribute. A lemma in no list here is speech.
# "Agreed that", "expressed concern", "wondered whether": a view held; "signaled", "hinted", "implied", "indicated":
# a view let be seen. Neither is words given.
_BELIEF = {
    *STANCE_VERBS, "see", "view", "prefer", "agree", "express", "wonder", "signal", "hint", "imply", "indicate",
} - {"want"}  # fmt: skip
# A pledge, a vow, a proposal or a threat says what someone means to do ("vowed to soldier on").
_PLAN = {"plan", "intend", "seek", "decline", "refuse", "consider", "want", "pledge", "vow", "propose", "threaten"}
# Verbs of speaking whose object is what was spoken of or to, not what was said ("called the vote a disgrace",
# "praised the mayor", "referred to the wall"): on PolNeAR's training split these matched a statement of speech
# in at most one case in five, against nine in ten for "said" (for "denounced" ... "laid out", added later, none
# in 25 to one in 8: they are "condemned" and "discussed" in other words).
_SPEECH_ACTS = {
    "call", "call for", "call on", "praise", "defend", "question", "challenge", "discuss", "refer to", "point to",
    "post", "thank", "applaud", "welcome", "condemn", "blame", "echo", "highlight", "cite", "retweet", "chant",
    "denounce", "decry", "slam", "blast", "assail", "rail against", "mock", "dismiss", "reject", "tout", "portray",
    "talk about", "speak about", "speak of", "lay out",
}  # fmt: skip
_ACTION = {
    *(set(INTENTION_VERBS) - _PLAN - {"agree"}),
    *_SPEECH_ACTS,
    "attack", "order", "offer", "focus on", "name", "identify", "encourage", "list",
}  # fmt: skip
_FINDING = {*FINDING_VERBS, "learn"}
# Verbs of speech that are findings when a poll, a study or a record is their subject ("the study estimated").
_FINDING_WHEN_RECORDED = {"estimate", "forecast", "predict", "show", "find", "indicate", "suggest", "reveal"}
_LEMMA_ATTRIBUTION = {
    **dict.fromkeys([*SPEECH_VERBS, *TOPIC_VERBS], Attribution.SPEECH),
    **dict.fromkeys(_BELIEF, Attribution.BELIEF),
    **dict.fromkeys(_PLAN, Attribution.PLAN),
    **dict.fromkeys(_ACTION, Attribution.ACTION),
    **dict.fromkeys(_FINDING, Attribution.FINDING),
}


def of_cue(cue: str, speaker: str | None = None) -> Attribution | None:
    """The attribution a cue makes ('said' speech, 'believes' belief, 'plans' plan), or None for no known cue.

    A cue of speech or finding whose speaker is a poll, study or record is a finding: "the poll showed",
    "the study estimated".
    """
    words = cue.lower().split()
    if not words:
        return None
    if " ".join(words[:2]) == "according to":
        return Attribution.SPEECH
    lemma = ALL_CUE_FORMS.get(" ".join(words[:2])) or next(
        (ALL_CUE_FORMS[word] for word in words if word in ALL_CUE_FORMS), None
    )
    if lemma is None:
        return None
    if lemma in _FINDING_WHEN_RECORDED and speaker and _is_record(speaker):
        return Attribution.FINDING
    return _LEMMA_ATTRIBUTION.get(lemma, Attribution.SPEECH)


def _is_record(speaker: str) -> bool:
    words = speaker.lower().replace(",", " ").split()
    return any(word.strip(".'’") in FINDING_SUBJECTS for word in words)


def wanted(attribution: str, mode: str) -> bool:
    """Whether a candidate of this attribution is returned in this mode."""
    return mode == ALL or attribution == Attribution.SPEECH
