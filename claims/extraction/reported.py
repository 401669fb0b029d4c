"""Reported (indirect) statements: a cue verb or "according to", its speaker and its content.

Three sentence shapes cover most attributions in news prose:

- SPEAKER CUE [adjuncts] [that] CONTENT   "A White House official said in June that Iran had ..."
- CONTENT, SPEAKER CUE [...]              "Russia's ... pressure, Russian Deputy Foreign Minister Sergei Ryabkov said"
- CONTENT, CUE SPEAKER / according to     "..., said Smith." / "According to X, ..." / "..., according to X."

and relays ride on them: "..., according to a report from RIA" (via RIA),
"the Financial Times reported, citing an Iranian official" (the FT speaks, via the official).
"""

import re
import string
from dataclasses import dataclass

from .attribution import Attribution
from .grammar import (
    CUE_RE,
    Span,
    first_letters,
    is_speaker_phrase,
    speaker_after,
    speaker_before,
    strip_span,
    word_count,
)
from .lexicon import (
    ADJUNCT_RE,
    ALL_CUE_FORMS,
    DETERMINERS,
    FINDING_FORMS,
    FINDING_SUBJECTS,
    NEWS_AGENCIES,
    NOUN_OBJECT_LEMMAS,
    OBJECT_FIRST_LEMMAS,
    SPEECH_FORMS,
    SPEECH_VERBS,
    THAT_ONLY_LEMMAS,
    WEAK_LEMMAS,
)
from .metadata import DATELINE_RE

_THAT_RE = re.compile(r"\s*,?\s*that\b")
_PASSIVE_BEFORE_RE = re.compile(r"\b(?:is|are|was|were|be|being|been|get|got)(?:n[’']t)?\s+(?:\w+ly\s+)?$")
_OBJECT_RE = re.compile(
    r"\s+(?:(?:the|a|an|his|her|their|its)\s+)?(?:[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*)*|reporters|journalists|"
    r"supporters|voters|lawmakers|members|delegates|viewers|listeners|readers|students|him|her|them|us|me|"
    r"crowd|audience|newspaper|paper|station|network|magazine|outlet|host|interviewer)(?=[\s,:.;!?]|$)"
)
# "..., Obama told his closest aides.": a few words closing the sentence are the one told, not a statement.
_SHORT_OBJECT_RE = re.compile(r"(?:\s+[\w'’-]+){1,4}(?=\s*[.!?]?\s*$)")
# Where indirect content ends before the sentence does: a new attribution or a relay starts.
_CONTENT_STOP_RE = re.compile(
    r",\s+(?:adding|saying|noting|arguing|according\s+to|citing|he\s+said|she\s+said|they\s+said|"
    r"he\s+added|she\s+added)\b|\s+[—–]\s+(?:he|she|they)\s+said\b"
)
# Where the writer's own words start after a statement: "..., but they wouldn't", "..., which he said ...",
# "..., while others ...", a participle ("..., highlighting the rift"), a new clause after a semicolon. The last three
# were chosen on the training split: five-fold cross-validation F1 0.6819 against 0.6807, better in 4 folds of 5.
_ASIDE_RE = re.compile(
    r",\s+(?:but\s+(?=(?:he|she|they|it|we|I|the|a|an|his|her|their|its|this|that|there|[A-Z]\w*)\b)|"
    r"(?:which|who)\b(?=[^,]*$)|(?:a|an)\s+(?=[^,]*$)|even\s+as\b|even\s+though\b|whereas\b|while\b|"
    r"(?!according|including)[a-z]+ing\b|compared\s+(?:with|to)\b|up\s+from\b|down\s+from\b)|;\s"
)
# "... but said", "... and has said": a second verb of the same speaker.
_COORDINATED_RE = re.compile(
    r"(?:,\s*|\s+)(?:(?:and|but)\s+(?:(?:he|she|they|it|we|also|has|have|had|later|then|previously)\s+){0,2}|"
    r"(?:while|whereas)\s+(?:[\w’'-]+\s+){1,6})$"
)
_RELAY_RE = re.compile(r"\s*,?\s*(?P<kind>according\s+to|citing)\s+")
_REPORT_HEAD_RE = re.compile(
    r"^(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:report|reports|statement|story|article|interview|broadcast|post|tweet|"
    r"dispatch|documents?|data|figures|publication)\b.*\b(?:from|by|in|of|on|with)\s+(?=[A-Z])"
)
# A sentence's subject as a run of capitalised words (or a pronoun) before a comma or a lower-case verb.
_SUBJECT_RE = re.compile(
    r"(?P<subject>(?:He|She|They|It|We)(?=\s+[a-z])|(?!(?:The|A|An|In|On|At|But|And|As|When|After|If|His|Her|Their|"
    r"Its|This|That|These|Those|Instead|However|Still|Yet|Also|Then|Now|So|Based|While|Although|Because|For|"
    r"With|By|To|From|Since|Despite|Meanwhile|Later|Earlier|During|How|What|Why|Where|Here|There|Among|Start|"
    r"Like|Under|Over|Until|Unless|Whether)\b|\w+ly\b|"
    r"\w+[’']s\b)"
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}(?=,|\s+[a-z]|\s+[—–]\s))"
)
# "The DNC issued a statement saying ...": a determiner and capitalised words before a past-tense verb.
_DETERMINER_SUBJECT_RE = re.compile(
    r"(?P<subject>(?:The|A|An)\s+(?:[a-z-]+\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3})(?=\s+[a-z]+ed\b)"
)
_OUTLET_RE = re.compile(
    r"\b(?:"
    + "|".join(re.escape(name) for name in NEWS_AGENCIES)
    + r"|CNN|MSNBC|NBC|ABC|CBS|Fox|NPR|BBC|PBS|Politico|Axios|[A-Z]\w*\s+(?:News|Times|Post|Journal|Herald|Tribune|"
    r"Telegraph|Guardian|Magazine|Radio|TV|Television|Network))\b"
)
_PREPOSITION_START_RE = re.compile(
    r"\s+(?:after|in|on|at|during|before|while|from|with|earlier|later|to|(?:last|this)\s+(?:week|month|year|"
    r"morning|afternoon|evening|weekend|spring|summer|fall|autumn|winter|[A-Z][a-z]+day)|last|this(?=\s*[,.]))\b"
)
# "promised to push for ...", "declined to comment": "to" opens an infinitive, the content, not an adjunct
# ("said to reporters", "told to the crowd" are adjuncts).
_INFINITIVE_RE = re.compile(
    r"\s*to\s+(?!(?:the|a|an|his|her|their|its|my|our|your|this|that|these|those|him|them|me|us|it|reporters|"
    r"supporters|voters|members|journalists|lawmakers|[A-Z]\w*|\d\w*)\b)[a-z]+\b"
)
_INFINITIVE_LEMMAS = {
    "promise", "pledge", "vow", "threaten", "plan", "intend", "seek", "decline", "refuse", "agree", "want", "wish",
    "hope", "expect", "urge", "ask", "demand", "propose", "tell", "warn", "advise", "encourage", "decide",
    "offer", "fear", "consider", "appear",
}  # fmt: skip
_WHO_RE = re.compile(
    r"(?P<comma>,)?\s*\b(?:who|(?<=,\s)which)\s+(?:(?:has|have|had|also|once|later|previously|repeatedly|often|never|not|now|"
    r"recently|publicly|privately|reportedly|still|then|first|has\s+long)\s+){0,2}$"
)
# The noun phrase a relative clause hangs on: "Senator Bernie Sanders of Vermont", "angry blue-collar voters".
_ANTECEDENT_NAME_RE = re.compile(r"(?:[A-Z][\w.'’&-]*\s+(?:(?:of|de|del|da|van|von|for|the)\s+)*)*[A-Z][\w.'’&-]*$")
_ANTECEDENT_GROUP_RE = re.compile(r"(?:[a-z][\w'’-]*\s+){0,2}[a-z][\w'’-]*$")
_WHAT_RE = re.compile(r"\bwhat\s+(?P<speaker>(?:[\w.'’-]+\s+){1,4}?)(?:(?:has|have|had|once|later|then|now)\s+)?$")
_AS_RE = re.compile(r"\s*(?:as\s+)?")
_OPENING_MARKS = {"“": "”", "''": "''", '"': '"'}
_PHRASE_END_RE = re.compile(r"[,;:.—–(]|\s[-–]\s")
_LABEL_RE = re.compile(
    r"^(?:[-—–]\s+)?(?P<label>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}):[ \t]+(?=[\w“\"‘'])(?P<rest>[^\n]+)",
    re.MULTILINE,
)
# Labels that head a paragraph without naming a speaker.
NOT_LABELS = {
    "note", "update", "updated", "correction", "editor's note", "editor’s note", "photo", "related", "read more",
    "watch", "source", "sources", "credit", "video", "tags", "warning", "disclosure", "clarification", "advertisement",
}  # fmt: skip
# A label with one of these words heads page furniture or a section, not a speaker's words: "WATCH BELOW:",
# "The Latest:", "Delegate Update:", "AP-GfK Poll:".
_FURNITURE_LABEL_WORDS = {
    "watch", "below", "above", "read", "more", "listen", "see", "click", "here", "video", "videos", "photos",
    "gallery", "latest", "update", "updates", "breaking", "exclusive", "live", "poll", "guide", "related",
    "opinion", "analysis", "editorial", "sponsored", "podcast", "subscribe", "share", "follow", "also", "now",
}  # fmt: skip


def is_speaker_label(label: str) -> bool:
    """Whether a paragraph's 'LABEL:' names who speaks ("FALLIN:", "Jeffrey M. Jones:"), not a section."""
    words = {word.lower().strip(".'’") for word in re.split(r"[\s/-]+", label)}
    return label.lower() not in NOT_LABELS and not words & _FURNITURE_LABEL_WORDS


_QUESTION_RE = re.compile(r"\b(?:if|whether|why|what|how|when|where|who|which)\b")
_ASKED_RE = re.compile(r"\b(?:[Ww]hen|[Ii]f|[Oo]nce|[Aa]fter|was|were)\s+$")
# The lookahead leads the search straight to each "Asked" (four times faster than trying every position).
_ASKED_OPENING_RE = re.compile(r"(?=Asked\b)(?:^|(?<=[.!?\"”]\s))Asked\b", re.MULTILINE)
_QUESTION_END_RE = re.compile(r"[,?;\n]|\s[—–-]\s")
_RELATIVE_START_RE = re.compile(r"(?:who|whose|which)\b")
# Words and spaces are taken whole (possessive quantifiers): a shorter one is never followed by what must follow
# it, so the matches are the same, and a run of capitalised words is not split every way before it fails (0.21 ->
# 0.15 ms an article).
_NOMINAL_RE = re.compile(
    first_letters(["his", "her", "their", *string.ascii_uppercase])
    + r"\b(?P<owner>(?:[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w.-]*+(?:\s++[A-Z][\w.-]*+){0,3}[’']s))\s++(?:[a-z-]++\s++){0,2}?"
    r"(?P<noun>claims?|assertions?|arguments?|insistence|contention|allegations?|accusations?|charges?|"
    r"warnings?|suggestions?|beliefs?|views?|promises?|pledges?|vows?|statements?|remarks?|comments?|"
    r"predictions?|assurances?|admission|argument|position|stance|proposals?|plans?|calls?|demands?|threats?|"
    r"decision|refusal|criticism|denials?|announcement|declaration)\s+(?:(?P<that>that)\b|(?P<to>to)\s+[a-z])"
)
# A statement named by a noun is speech ("Trump's claim that"), unless the noun names a view or a plan.
_NOMINAL_ATTRIBUTIONS = {
    "belief": Attribution.BELIEF, "view": Attribution.BELIEF, "position": Attribution.BELIEF,
    "stance": Attribution.BELIEF, "plan": Attribution.PLAN, "decision": Attribution.PLAN,
    "refusal": Attribution.PLAN, "proposal": Attribution.PLAN,
}  # fmt: skip
_DETERMINER_BEFORE_RE = re.compile(
    r"(?:\b(?:his|her|their|its|our|my|your|the|a|an|this|that)|[’']s|\d)\s+$", re.IGNORECASE
)
_NOUN_PHRASE_END_RE = re.compile(r",(?!\d{3})|[;(]|\s[—–-]\s")  # not the comma in "700,000"
# "Trump was referring to the wall": a progressive is a finite verb with its subject before it.
_PROGRESSIVE_RE = re.compile(r"\b(?:is|are|was|were|am|been|be)\s+(?:\w+ly\s+|not\s+|also\s+|still\s+)?$")
_PARTICIPLE_LEAD_RE = re.compile(
    r"\b(?:by|after|before|while|when|without|in|statement|letter|email|e-mail|tweet|post|message|memo|note|ad|"
    r"video|release|op-ed|speech|interview)\s+(?:\w+ly\s+)?$"
)
# '... "I don't like it,'' adding that ...', '... on the spot – saying he was ...': a participle after a break.
_PARTICIPLE_BREAK_RE = re.compile(r"(?:,[\"”’']+|'',|\s[—–-])\s*$")
_POLL_NOUNS = r"(?:poll|polls|survey|surveys|study|analysis|exit\s+polls?|tracking\s+poll|census)"
_POLL_WORDS = ("poll", "survey", "study", "analysis", "census")  # every one of _POLL_NOUNS holds one of these
_POLL_OPENING_RE = re.compile(
    r"(?:According\s+to|In)\s+(?P<source>(?:a|an|the|its|their|this|that)\s+(?:[\w.'’&/-]+\s+){0,6}?"
    + _POLL_NOUNS
    + r"\b(?:[^,]{0,60}?)),\s+(?:(?:conducted|released|taken|published)[^,]{0,60},\s+)?"
)
_POLL_CLOSING_RE = re.compile(
    r"\s+in\s+(?P<source>(?:a|an|the)\s+(?:[\w.'’&/-]+\s+){0,6}?" + _POLL_NOUNS + r")\s*(?:released\s+\w+\s*)?[.]?$"
)
# The writer's own hedged attribution: "Clinton seemed irritated", "Trump is expected to speak tonight".
_EVIDENTIAL_RE = re.compile(
    first_letters(["seem", "appear", "is", "are", "was", "were", "be"])
    + r"\b(?:(?:seem|seems|seemed|appear|appears|appeared)(?=\s+(?:to|like|poised|ready|unlikely|likely|unable|"
    r"certain|sure|as|[a-z]+ed)\b)|(?:is|are|was|were|be|been)\s+(?:widely\s+|also\s+)?"
    r"(?:expected|projected)\s+to)\b"
)
_EVIDENTIAL_WORDS = ("seem", "appear", "expected", "projected")  # every match of _EVIDENTIAL_RE holds one of these
# Where the clause holding a hedged statement starts: a comma, a semicolon or a conjunction before its subject.
_EVIDENTIAL_CLAUSE_RE = re.compile(r"(?:[,;:—–(]|\s(?:and|but|as|while|because|since|if|when|though|although))\s+")
_NOT_CONTENT_START_RE = re.compile(r"(?:away|off|down)\b|by\s+(?:the\s+)?[A-Z]")
# "claimed victory", "claiming 41 percent of the vote": what was won or taken, not a statement.
_CLAIMED_PRIZE_RE = re.compile(
    r"\s*(?:(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?)?(?:victory|victories|win|wins|responsibility|credit|"
    r"nomination|prize|momentum|territory|seats?|delegates|mantle|title|roots|\d[\d.,]*\s+percent)\b"
    r"(?!\s+(?:was|is|were|are|had|has|would|will)\b)"  # "claimed the nomination was stolen" is a statement
)
_NOT_FINITE_BEFORE_RE = re.compile(r"\b(?:to|the|an?)\s+$")
_SUBORDINATE_RE = re.compile(
    r"\b(?:while|whereas|although|though|because|since|if|when|after|before|once|unless|until)\s+$", re.IGNORECASE
)
_CLAUSE_COMMA_RE = re.compile(r",[\"”’']?\s")  # "... politician," Clinton had": the mark stays inside
_CONTENT_EDGE = " \t\n,;:.—–-"
# After "X, he said," the statement resumes, unless a relay, a participle or a relative clause follows.
_RESUMES_RE = re.compile(
    r",\s+(?!according\b|citing\b|who\b|which\b|whose\b|where\b|\w+ing\b|\w+ly\b|in\b|on\b|at\b|after\b|as\b|"
    r"during\b|before\b|when\b|while\b)(?=[\w“\"‘'])"
)
_APPOSITIVE_RE = re.compile(r"(?:an?|the|his|her|their|its|one|who|whose|which|now|then|former|also)\b")
MIN_CONTENT_WORDS = 2


@dataclass
class Reported:
    content: Span
    speaker: Span | None
    cue: Span
    reason: str
    confidence: float
    via: Span | None = None
    speaker_from: int | None = None  # index into the result list of a statement whose speaker is shared
    continuation: Span | None = None  # the statement's second part, after a parenthetical "he said,"
    attribution: Attribution | None = None  # None: the cue tells (attribution.of_cue)


def subject_before(body: str, start: int, end: int) -> Span | None:
    """The name opening a sentence whose speaker phrase is too long to bound: 'Rich Heffley, a ... who ..., said'."""
    subject = _SUBJECT_RE.match(body, start, end)
    return subject.span("subject") if subject else None


def relay_after(body: str, position: int, end: int) -> tuple[Span | None, Span | None]:
    """After a cue: ', according to a report from RIA' (via) or ', citing an Iranian official' (cited source)."""
    adjunct = ADJUNCT_RE.match(body, position, end)
    start = adjunct.end() if adjunct else position
    via = cited = None
    while True:
        match = _RELAY_RE.match(body, start, end)
        if not match:
            return via, cited
        phrase = speaker_after(body, match.end(), end)
        if phrase is None:
            return via, cited
        if match.group("kind").startswith("according"):
            via = relay_source(body, phrase)
        else:
            # "citing an Iranian official and another person ...": the first source cited speaks.
            text = body[phrase[0] : phrase[1]]
            cut = text.find(" and ")
            cited = (phrase[0], phrase[0] + cut) if cut > 0 else phrase
        start = phrase[1]


def relay_source(body: str, phrase: Span) -> Span:
    """'a report on Saturday from Russian state news agency RIA' -> 'Russian state news agency RIA'."""
    match = _REPORT_HEAD_RE.match(body[phrase[0] : phrase[1]])
    return (phrase[0] + match.end(), phrase[1]) if match else phrase


def _content_end(body: str, start: int, end: int) -> int:
    """Content runs to the sentence end, or to where a new attribution starts ("..., adding", "but said")."""
    # Words inside a quotation the content opens are the speaker's own: no stop there.
    stop = next((m for m in _CONTENT_STOP_RE.finditer(body, start, end) if not _in_quote(body, start, m.start())), None)
    end = stop.start() if stop else end
    aside = next((m for m in _ASIDE_RE.finditer(body, start, end) if not _in_quote(body, start, m.start())), None)
    end = aside.start() if aside else end
    for cue in CUE_RE.finditer(body, start, end):
        if not cue.group("verb") or cue.group("verb") not in SPEECH_FORMS or _in_quote(body, start, cue.start()):
            continue
        joined = _COORDINATED_RE.search(body, max(start, cue.start() - 40), cue.start())
        if joined:
            return joined.start()
        # "one company says there are 2,400, another says 1,800": a second speaker's statement starts.
        comma = body.rfind(", ", max(start, cue.start() - 40), cue.start())
        if comma > start:
            phrase = body[comma + 2 : cue.start()].strip()
            if 0 < word_count(phrase) <= 4 and is_speaker_phrase(phrase):
                return comma
    return end


def _in_quote(body: str, start: int, position: int) -> bool:
    """Whether `position` is inside a quotation opened after `start`."""
    text = body[start:position]
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1 or text.count("''") % 2 == 1


def _content_span(body: str, start: int, end: int, min_words: int = MIN_CONTENT_WORDS) -> Span | None:
    span = strip_span(body, start, end, _CONTENT_EDGE)
    # Keep a closing quotation mark only when its opening mark is inside the content.
    text = body[span[0] : span[1]]
    if (text.endswith("”") and "“" not in text) or (text.endswith('"') and text.count('"') % 2):
        span = strip_span(body, span[0], span[1] - 1, _CONTENT_EDGE)
    return span if word_count(body[span[0] : span[1]]) >= min_words else None


def _confidence(lemma: str, speaker_text: str | None) -> float:
    if lemma in WEAK_LEMMAS:
        return 0.45
    base = 0.8 if lemma in SPEECH_VERBS else 0.6
    return base if speaker_text else base - 0.15


def _according_to(body: str, match: re.Match, sentence: Span) -> Reported | None:
    start, end = sentence
    clause_start = _clause_start(body, start)
    if not body[clause_start : match.start()].strip():
        # "According to X, CONTENT."
        comma = body.find(",", match.end(), end)
        if comma == -1:
            return None
        speaker = speaker_after(body, match.end(), comma + 1) or _source_phrase(body, match.end(), comma)
        content = _content_span(body, comma + 1, _content_end(body, comma + 1, end))
        reason = '"according to" opens the sentence'
    else:
        # "CONTENT, according to X."
        speaker = speaker_after(body, match.end(), end) or _source_phrase(body, match.end(), end)
        continuation = _continuation(body, speaker[1], end) if speaker else None
        # "For Trump, according to Bennett, Monday's speech represents ...": a short opening when it resumes.
        content = _content_span(body, clause_start, match.start(), 1 if continuation else MIN_CONTENT_WORDS)
        reason = '"according to" follows the statement'
    if not speaker or not content:
        return None
    statement = Reported(content, relay_source(body, speaker), match.span(), reason, 0.75)
    if "follows" in reason:
        statement.continuation = continuation
    return statement


def _source_phrase(body: str, start: int, end: int) -> Span | None:
    """After "according to" any noun phrase is a source: 'early results of exit polls conducted for the AP by
    Edison Research', 'new Crowdpac research'. It runs to the next comma or the sentence end."""
    comma = body.find(",", start, end)
    span = strip_span(body, start, comma if comma > 0 else end, ".;:")
    return span if 0 < word_count(body[span[0] : span[1]]) <= 25 else None


def _clause_start(body: str, sentence_start: int) -> int:
    dateline = DATELINE_RE.match(body, sentence_start)
    return dateline.end() if dateline and dateline.group("place") else sentence_start


def _skip_adjunct_before_that(body: str, position: int, end: int) -> int:
    """'said after a lunch on Tuesday that ...': a prepositional phrase before "that" is not content."""
    if not _PREPOSITION_START_RE.match(body, position, end) or _INFINITIVE_RE.match(body, position, end):
        return position
    that = _THAT_RE.search(body, position, min(end, position + 80))
    if that and word_count(body[position : that.start()]) <= 8 and "," not in body[position : that.start()]:
        return that.start()
    return position


def _skip_object(body: str, position: int, end: int) -> int:
    """'told reporters on Monday that ...': the person told is not the content."""
    that = _THAT_RE.search(body, position, min(end, position + 80))
    if that and word_count(body[position : that.start()]) <= 8:
        return that.start()
    match = _OBJECT_RE.match(body, position, end) or _SHORT_OBJECT_RE.match(body, position, end)
    return match.end() if match else position


def labelled_statements(body: str) -> list[Reported]:
    """Transcripts and interviews: 'FALLIN: Well, I think ...', 'Jeffrey M. Jones: “Gallup's analysis ...”'.

    The label opening the paragraph speaks the whole paragraph after the colon.
    """
    found = []
    for match in _LABEL_RE.finditer(body):
        label = match.group("label")
        # "Q:" and "A:" name no one: on polnear-train 2 of some 50 such turns were attributions of speech.
        if not is_speaker_label(label) or not ((label.isupper() and len(label) > 1) or len(label.split()) >= 2):
            continue
        content = _content_span(body, match.start("rest"), match.end("rest"))
        if content:
            colon = match.end("label")
            found.append(
                Reported(
                    content,
                    match.span("label"),
                    (colon, colon + 1),
                    "a speaker's label, then a colon",
                    0.65,
                    attribution=Attribution.SPEECH,
                )
            )
    return found


def opening_questions(body: str) -> list[Reported]:
    """'Asked if he was ever bullied, the candidate said no.': the question put to the speaker of the sentence."""
    found = []
    if "Asked" not in body:
        return found  # most articles: a look for the word is a fortieth of the search
    for match in _ASKED_OPENING_RE.finditer(body):
        question = _QUESTION_RE.search(body, match.end(), min(len(body), match.end() + 120))
        if not question or "," in body[match.end() : question.start()]:
            continue
        content = _content_span(body, question.start(), _question_end(body, question.start(), len(body)), 2)
        if content:
            found.append(
                Reported(content, None, match.span(), 'the question "Asked"', 0.4, attribution=Attribution.SPEECH)
            )
    return found


def nominal_statements(body: str, sentences: list[Span]) -> list[Reported]:
    """'Trump's claim that he opposed the war', 'her promise to cut taxes': a statement named by a noun."""
    found = []
    for start, end in sentences:
        for match in _NOMINAL_RE.finditer(body, start, end):
            owner = match.span("owner")
            if body[owner[1] - 2 : owner[1]] in ("'s", "’s"):
                owner = (owner[0], owner[1] - 2)
            content_start = match.end()
            if match.group("to"):
                content_start = match.start("to")
            content = _content_span(body, content_start, _content_end(body, content_start, end))
            if content:
                noun = match.group("noun")
                attribution = _NOMINAL_ATTRIBUTIONS.get(noun.rstrip("s"), Attribution.SPEECH)
                found.append(Reported(content, owner, match.span("noun"), f'"{noun}"', 0.45, attribution=attribution))
    return found


def _sentences_with(body: str, sentences: list[Span], words: tuple[str, ...]) -> list[Span]:
    """The sentences that hold one of `words`: a rule whose pattern needs one of them searches only these (in one
    sentence in forty of polnear-dev), and looking for a word costs a small part of a regex search."""
    present = [word for word in words if word in body]
    if not present:
        return []
    return [(start, end) for start, end in sentences if any(body.find(word, start, end) != -1 for word in present)]


def evidential_statements(body: str, sentences: list[Span]) -> list[Reported]:
    """'Sanders appeared to dismiss the email issue', 'Nabisco is expected to cut 277 workers': PolNeAR attributes
    such a hedged clause, subject included, to nobody in particular; the editor decides whose view it is."""
    found = []
    for start, end in _sentences_with(body, sentences, _EVIDENTIAL_WORDS):
        clause_start = _clause_start(body, start)
        for match in _EVIDENTIAL_RE.finditer(body, clause_start, end):
            breaks = list(_EVIDENTIAL_CLAUSE_RE.finditer(body, clause_start, match.start()))
            subject_start = breaks[-1].end() if breaks else clause_start
            if not body[subject_start : match.start()].strip() or _in_quote(body, clause_start, match.start()):
                continue  # "It appears, though, ..." has no subject of its own; a quotation is the speaker's
            content = _content_span(body, subject_start, _content_end(body, match.end(), end))
            if content:
                cue = strip_span(body, match.start(), match.end())
                reason = f'hedged "{body[cue[0] : cue[1]]}"'
                found.append(Reported(content, None, cue, reason, 0.35, attribution=Attribution.BELIEF))
    return found


def poll_statements(body: str, sentences: list[Span]) -> list[Reported]:
    """'In the CBS poll, Trump's lead ... narrowed' and '... view of Trump in a new Washington Post-ABC News poll.':
    the poll or survey the figures come from is the source."""
    found = []
    for start, end in _sentences_with(body, sentences, _POLL_WORDS):
        clause_start = _clause_start(body, start)
        opening = _POLL_OPENING_RE.match(body, clause_start, end)
        if opening:
            source = (opening.start("source"), opening.end("source"))
            cue = (opening.start(), opening.start("source") - 1)  # "In", "According to"
            content = _content_span(body, opening.end(), _content_end(body, opening.end(), end))
        else:
            closing = _POLL_CLOSING_RE.search(body, clause_start, end)
            if not closing:
                continue
            source = (closing.start("source"), closing.end("source"))
            cue = (closing.start("source") - 3, closing.start("source") - 1)  # "in"
            content = _content_span(body, clause_start, closing.start())
        if content:
            found.append(
                Reported(content, source, cue, "figures from a named poll", 0.5, attribution=Attribution.FINDING)
            )
    return found


def reported_statements(body: str, sentences: list[Span], quoted: list[Span], used_cues: set[int]) -> list[Reported]:
    """Indirect statements in each sentence. `quoted` spans hold quoted speech, whose verbs are not cues."""
    found: list[Reported] = []
    quote_index = 0
    for sentence in sentences:
        start, end = sentence
        sentence_first = len(found)
        for match in CUE_RE.finditer(body, start, end):
            while quote_index < len(quoted) and quoted[quote_index][1] <= match.start():
                quote_index += 1
            if quote_index < len(quoted) and quoted[quote_index][0] <= match.start():
                continue  # a verb inside a quotation is quoted speech
            if match.start() in used_cues:
                continue
            if match.group("according"):
                statement = _according_to(body, match, sentence)
            else:
                statement = _verb_statement(body, match, sentence, found[sentence_first:], sentence_first)
            if statement:
                found.append(statement)
        if body[start : start + 1].isupper() and (opening := _opening_participle(body, start, end)):
            found.append(opening)
    return found


_OPENING_PARTICIPLE_RE = re.compile(r"(?P<verb>[A-Z][a-z]+ing)\b(?P<that>\s+that\b)?")


def _opening_participle(body: str, start: int, end: int) -> Reported | None:
    """'Noting that only Kirk voted with them, Tester added: ...': a participle opening the sentence; its statement
    ends at the comma, and the subject of the main clause after it says it."""
    match = _OPENING_PARTICIPLE_RE.match(body, start, end)
    if not match or ALL_CUE_FORMS.get(match.group("verb").lower()) not in SPEECH_VERBS:
        return None
    close = body.find(", ", match.end(), end)
    subject = _SUBJECT_RE.match(body, close + 2, end) if close > 0 else None
    content = _content_span(body, match.end(), close) if subject else None
    if not content:
        return None
    cue_text = match.group("verb")
    return Reported(content, subject.span("subject"), match.span("verb"), f'opening participle "{cue_text}"', 0.5)


def _verb_statement(
    body: str, match: re.Match, sentence: Span, earlier: list[Reported], earlier_offset: int
) -> Reported | None:
    start, end = sentence
    clause_start = _clause_start(body, start)
    verb = match.group("verb")
    lemma = ALL_CUE_FORMS[verb]
    cue_text = body[match.start() : match.end()]
    before = body[max(start, match.start() - 30) : match.start()]
    if lemma == "ask":
        question = _QUESTION_RE.search(body, match.end(), min(end, match.end() + 120))
        if question and "," not in body[match.end() : question.start()]:
            content = _content_span(body, question.start(), _question_end(body, question.start(), end), 2)
            if content and (verb[0].isupper() or _ASKED_RE.search(before)):
                # "Asked if he was ever bullied, the candidate said no": the question put to him.
                return Reported(content, None, match.span(), f'the question "{cue_text}"', 0.4)
            if content and not _PASSIVE_BEFORE_RE.search(before):
                # "We asked the campaigns why they did not respond": the question asked.
                speaker = speaker_before(body, clause_start, match.start())
                if speaker:
                    return Reported(content, speaker, match.span(), f'speaker, then the question "{cue_text}"', 0.5)
    head = lemma.split()[0]
    if verb.split()[0] in (head, head + "s") and _DETERMINER_BEFORE_RE.search(before):
        return None  # "Trump's claim that ...", "her promise to ...": a noun, read by nominal_statements
    if _PASSIVE_BEFORE_RE.search(before) and not verb.split()[0].endswith("ing"):
        return None  # "was told", "is said to": not the speaker's own statement
    position = match.end()
    adjunct = ADJUNCT_RE.match(body, position, end)
    position = adjunct.end() if adjunct else position
    told_outlet = None
    if lemma in OBJECT_FIRST_LEMMAS:
        object_start = position
        position = _skip_object(body, position, end)
        if position > object_start and body[position:end].lstrip().startswith(",") and lemma != "tell":
            # "accused Cruz, the senator from Texas, of being ...": the object's appositive, not a statement's end.
            position = object_start
        told = strip_span(body, object_start, position, ",")
        if lemma == "tell" and _OUTLET_RE.search(body, told[0], told[1]):
            told_outlet = told  # "told RIA Novosti": the outlet relays the statement
        adjunct = ADJUNCT_RE.match(body, position, end)  # "told the court in his filing"
        position = adjunct.end() if adjunct else position
    position = _skip_adjunct_before_that(body, position, end)
    that = _THAT_RE.match(body, position, end)
    if not that and (lemma in THAT_ONLY_LEMMAS or (lemma == "claim" and _CLAIMED_PRIZE_RE.match(body, position, end))):
        return None
    content_start = that.end() if that else position
    follows = body[content_start:end].lstrip()
    cue_text = body[match.start() : match.end()]
    via, cited = relay_after(body, match.end(), end)
    via = via or told_outlet

    what = _WHAT_RE.search(body, max(clause_start, match.start() - 60), match.start())
    if what and not verb.split()[0].endswith("ing"):
        # "shedding what Gilbert called "a perception problem."": the phrase named is the statement.
        speaker = strip_span(body, what.start("speaker"), what.end("speaker"))
        if not is_speaker_phrase(body[speaker[0] : speaker[1]]):
            return None
        content = _named_phrase(body, position, end)
        if not content:
            return None
        return Reported(content, speaker, match.span(), f'what the speaker "{cue_text}"', 0.6)

    progressive = _PROGRESSIVE_RE.search(before)
    if verb.split()[0].endswith("ing") and not progressive:
        # ", saying CONTENT": the speaker is the subject of the sentence's main clause.
        comma = body[max(start, match.start() - 2) : match.start()].startswith(",") or bool(
            _PARTICIPLE_BREAK_RE.search(before)
        )
        if not comma and not _PARTICIPLE_LEAD_RE.search(before):
            if not (that and lemma in SPEECH_VERBS and lemma not in WEAK_LEMMAS):
                return None  # "by saying", "after warning": the adverbial participle's subject is the sentence's
            # "with even a prominent columnist suggesting that ...": the noun phrase before the participle says it.
            speaker = speaker_before(body, clause_start, match.start())
            if not speaker and before.endswith(" and "):
                # "..., painting others as weak and suggesting that ...": the sentence's subject goes on.
                subject = _SUBJECT_RE.match(body, clause_start, match.start())
                speaker = subject.span("subject") if subject else None
            content = _content_span(body, content_start, _content_end(body, content_start, end))
            if not speaker or not content:
                return None
            return Reported(content, speaker, match.span(), f'speaker, then participle "{cue_text}"', 0.45)
        content = _content_span(body, content_start, _participle_end(body, content_start, end))
        if not content or (lemma == "cite" and _RELAYED_BY_RE.match(body, content[0], content[1])):
            return None  # "..., the FT reported, citing an Iranian official": the source it went through (via)
        if earlier:
            statement = Reported(content, None, match.span(), f'participle "{cue_text}"', 0.6)
            statement.speaker_from = earlier_offset + len(earlier) - 1
            return statement
        subject = _SUBJECT_RE.match(body, clause_start, match.start()) or _DETERMINER_SUBJECT_RE.match(
            body, clause_start, match.start()
        )
        reason = f'participle "{cue_text}"'
        if subject:
            return Reported(content, subject.span("subject"), match.span(), reason, 0.5)
        spoken = _speaker_of_verb_before(body, clause_start, match.start())
        if spoken:
            # '"It's a reflection of anger," McCain said, citing low growth': who said it goes on.
            return Reported(content, spoken, match.span(), reason + ", speaker of the verb before it", 0.5)
        # The statement is still worth showing; the editor names the speaker.
        return Reported(content, None, match.span(), reason + ", speaker not found", 0.35)

    inverted = not that and _inverted_speaker(body, clause_start, match.start(), position, end)
    infinitive = lemma in _INFINITIVE_LEMMAS and _INFINITIVE_RE.match(follows)
    # "said Sunday in Virginia as the crowd roared": an adjunct, not a statement; the statement, if any, is before
    # ("Kasich was the one, he said Wednesday on CNN.").
    adjunct_follows = bool(follows) and not that and not infinitive and _PREPOSITION_START_RE.match(" " + follows)
    if adjunct_follows and lemma not in _REPORTING_LEMMAS:
        return None  # "he only hinted at Trump", "the union agreed in 2011 to ...": no statement before either
    if follows and not follows.startswith((",", ".", ";", "?", "!")) and not inverted and not adjunct_follows:
        if _NOT_CONTENT_START_RE.match(follows):
            return None  # "a biography written by ...", "backed away from the deal": no statement follows
        # SPEAKER CUE CONTENT
        min_words = 1 if lemma in NOUN_OBJECT_LEMMAS else MIN_CONTENT_WORDS  # "Jeb Bush endorsed Cruz"
        content_end = _content_end(body, content_start, end)
        if not that and (lemma in NOUN_OBJECT_LEMMAS or infinitive):
            # "cited the Head Start program, the federally funded pre-school ...": a noun phrase ends at its comma.
            phrase_end = _NOUN_PHRASE_END_RE.search(body, content_start, content_end)
            content_end = phrase_end.start() if phrase_end else content_end
        content = _content_span(body, content_start, content_end, min_words)
        if not content:
            return None
        speaker = speaker_before(body, clause_start, match.start())
        relative = _WHO_RE.search(body, clause_start, match.start()) if speaker is None else None
        if relative:
            # "Cruz, who says Trump is attacking him, said ...": the relative clause's antecedent speaks,
            # and the clause ends at its closing comma.
            speaker = speaker_before(body, clause_start, relative.start()) or _antecedent(
                body, clause_start, relative.start()
            )
            # "Cruz, who says X, said Y": a relative clause on the subject closes at its comma; on an object
            # ("Trump was out-brutalizing Ted Cruz, who said X.") it runs to the sentence end.
            subject_relative = speaker and not body[clause_start : speaker[0]].strip()
            comma = body.find(", ", content[0], content[1]) if relative.group("comma") and subject_relative else -1
            content = _content_span(body, content[0], comma, min_words) if comma > 0 else content
            if not content or not speaker:
                return None
        if lemma in FINDING_FORMS.values() and not _finding_subject(body, speaker):
            return None
        if speaker is None:
            # "Iran has acknowledged X but said Y": the second verb shares the first one's speaker.
            joined = _COORDINATED_RE.search(body, clause_start, match.start())
            if not joined:
                # "Rich Heffley, a top GOP operative who ... in the state, said ...": the name opening the sentence.
                subject = _SUBJECT_RE.match(body, clause_start, match.start())
                if _NOT_FINITE_BEFORE_RE.search(before):
                    subject = None  # "trying to explain ...", "the estimated 11 million": not the subject's statement
                if subject and lemma in SPEECH_VERBS and lemma not in WEAK_LEMMAS:
                    reason = f'sentence subject, then "{cue_text}", then the statement'
                    return _with_relay(
                        Reported(content, subject.span("subject"), match.span(), reason, 0.5), via, cited
                    )
                if not (that and lemma in SPEECH_VERBS):
                    return None
                # "Another Muslim who worshiped here and didn't want to be named said that ...": a speaker too long
                # to read is still a speaker; the statement is shown and the editor names who.
                reason = f'"{cue_text} that", speaker not read'
                return Reported(content, None, match.span(), reason, 0.4)
            reason = f'"{cue_text}" shares the subject before it'
            if earlier:
                statement = Reported(content, None, match.span(), reason, 0.6)
                statement.speaker_from = earlier_offset + len(earlier) - 1
                return statement
            # "House Democrats, looking for a way out, seized the floor and said ...": the sentence's subject.
            subject = _SUBJECT_RE.match(body, clause_start, match.start())
            return Reported(content, subject.span("subject"), match.span(), reason, 0.5) if subject else None
        if _SUBORDINATE_RE.search(body, clause_start, speaker[0]):
            # "While he said X, he clarified Y": the subordinate clause ends at its comma.
            comma = _CLAUSE_COMMA_RE.search(body, content[0], content[1])
            content = _content_span(body, content[0], comma.start(), min_words) if comma else content
            if not content:
                return None
        speaker_text = body[speaker[0] : speaker[1]]
        reason = f'speaker, then "{cue_text}", then the statement'
        return _with_relay(
            Reported(content, speaker, match.span(), reason, _confidence(lemma, speaker_text)), via, cited
        )

    # CONTENT, SPEAKER CUE  or  CONTENT, CUE SPEAKER
    if _ends_with_comma(body[clause_start : match.start()]):
        boundary = body.rfind(",", clause_start, match.start())
        if body[boundary + 1 : match.start()].strip() in _CLOSING_MARKS:
            boundary = body.rfind(",", clause_start, match.start()) + 2  # 'may be "strategic," said X': keep the mark
        speaker = speaker_after(body, position, end)
        reason = f'statement, then "{cue_text}" and speaker'
    else:
        speaker = speaker_before(body, clause_start, match.start())
        if not speaker or speaker[0] <= clause_start:
            return None
        boundary = _boundary_before(body, clause_start, speaker[0])
        reason = f'statement, then speaker and "{cue_text}"'
    if boundary is None or speaker is None or (lemma in FINDING_FORMS.values() and not _finding_subject(body, speaker)):
        return None
    after_attribution = max(position, speaker[1]) if speaker[0] > match.start() else position
    continuation = _continuation(body, after_attribution, end)
    if continuation and speaker[0] > match.start() and _APPOSITIVE_RE.match(body, continuation[0]):
        continuation = None  # "..., said Mark Kantrowitz, a debt expert who ...": who he is, not what he said
    # "For decades, Mr. de Vos noted, the United States has ...": a short opening is kept when the statement resumes.
    content = _content_span(body, clause_start, boundary, 1 if continuation else MIN_CONTENT_WORDS)
    if not content:
        return None
    statement = Reported(content, speaker, match.span(), reason, _confidence(lemma, body[speaker[0] : speaker[1]]))
    statement.continuation = continuation
    return _with_relay(statement, via, cited)


# Verbs of saying whose statement may stand before them when an adjunct follows ("X, he said Wednesday on CNN.").
_REPORTING_LEMMAS = {"say", "tell", "add", "explain", "note", "argue", "insist", "declare", "acknowledge", "recall"}
_CLOSING_MARKS = {'"', "”", "’", "'", "''"}


def _participle_end(body: str, start: int, end: int) -> int:
    """Where a participle's statement ends: as any statement's, or at the comma before the main verb when the
    participle stands between the subject and its verb ("Mr. Manafort, citing the polls, said ...")."""
    content_end = _content_end(body, start, end)
    for verb in CUE_RE.finditer(body, start, content_end):
        if _MAIN_VERB_AFTER_RE.search(body, start, verb.start()):
            return body.rfind(",", start, verb.start())
    return content_end


# What is cited as the source a report went through, not as a reason: a person, an official, a source.
_RELAYED_BY_RE = re.compile(
    r"(?:[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*)*$|.*\b(?:officials?|sources?|person|people|spokes(?:man|woman|person)|"
    r"aides?|diplomats?|officers?|insiders?|executives?|lawmakers?|analysts?|witness(?:es)?)\b)",
    re.DOTALL,
)
_MAIN_VERB_AFTER_RE = re.compile(r",[\"”’']*\s+$")


def _speaker_of_verb_before(body: str, clause_start: int, position: int) -> Span | None:
    """The speaker of the last verb of saying before `position` in the clause: '..., McCain said,' or '..., said
    McCain,'."""
    verbs = [m for m in CUE_RE.finditer(body, clause_start, position) if m.group("verb")]
    verbs = [m for m in verbs if ALL_CUE_FORMS[m.group("verb")] in SPEECH_VERBS]
    if not verbs:
        return None
    verb = verbs[-1]
    return speaker_before(body, clause_start, verb.start()) or speaker_after(body, verb.end(), position)


def _antecedent(body: str, clause_start: int, relative_start: int) -> Span | None:
    """What 'who' points back to when it is not the clause's subject: '... out-brutalizing Ted Cruz, who said'."""
    end = strip_span(body, clause_start, relative_start, ",")[1]
    for pattern in (_ANTECEDENT_NAME_RE, _ANTECEDENT_GROUP_RE):
        match = pattern.search(body, clause_start, end)
        if match and is_speaker_phrase(match.group()):
            return match.span()
    return None


def _named_phrase(body: str, position: int, end: int) -> Span | None:
    """'called "a perception problem,"' -> the quotation; 'described as a rigged system, ...' -> up to the comma."""
    start = _AS_RE.match(body, position, end).end()
    for opening, closing in _OPENING_MARKS.items():
        if body.startswith(opening, start):
            close = body.find(closing, start + len(opening), end)
            return (start, close + len(closing)) if close > 0 else None
    stop = _PHRASE_END_RE.search(body, start, end)
    return _content_span(body, start, stop.start() if stop else end, 1)


def _question_end(body: str, start: int, end: int) -> int:
    """A reported question runs to its comma or question mark, or to the sentence end."""
    stop = _QUESTION_END_RE.search(body, start, end)
    return stop.start() if stop else end


def _finding_subject(body: str, speaker: Span | None) -> bool:
    """'A University of New Hampshire poll out this week shows ...': a poll, study or record finds, not a person."""
    if speaker is None:
        return False
    words = body[speaker[0] : speaker[1]].lower().replace(",", " ").split()
    return any(word.strip(".'’") in FINDING_SUBJECTS for word in words)


def _ends_with_comma(text: str) -> bool:
    """'... debt,' or '... may be "strategic,"' (a closing quotation mark after the comma)."""
    return text.rstrip().rstrip("\"”’'").endswith(",")


def _inverted_speaker(body: str, clause_start: int, cue_start: int, position: int, end: int) -> bool:
    """'A variety of factors ..., said Mark Kantrowitz, a debt expert.': the name after the cue closes the clause.

    Not 'Mark Wynn, chairman of the district GOP, said his district ...': a name opening the clause is the speaker.
    """
    before = body[clause_start:cue_start].rstrip()
    if not _ends_with_comma(before):
        return False
    first = before.split(",", 1)[0].split()
    if len(first) <= 5 and all(word[:1].isupper() or word in {"of", "de", "van", "von"} for word in first):
        return False
    speaker = speaker_after(body, position, end)
    rest = body[speaker[1] : end].strip(" ") if speaker else ""
    if speaker is None or (rest[:1].isalnum() and not _RELATIVE_START_RE.match(rest)):
        return False  # '..., said a former official who oversaw ...': a relative clause may follow the name
    words = body[speaker[0] : speaker[1]].split()
    # "..., said lobbyist Roger Stone.": a title in lower case before the name.
    return words[0][:1].isupper() or (len(words) <= 6 and (words[0].lower() in DETERMINERS or words[-1][:1].isupper()))


def _continuation(body: str, position: int, end: int) -> Span | None:
    """'If X, he said, Congress can still Y': the statement resumes after the attribution."""
    match = _RESUMES_RE.match(body, position, end)
    if not match:
        return None
    return _content_span(body, match.end(), _content_end(body, match.end(), end))


def _boundary_before(body: str, clause_start: int, speaker_start: int) -> int | None:
    """The comma (or closing quotation mark) that separates the statement from its speaker."""
    text = body[clause_start:speaker_start].rstrip()
    if text.endswith(("”", '"', "’", "'", "»")) and text.rstrip("”\"’'»").endswith((",", ".", "?", "!")):
        return clause_start + len(text)  # '... we know," Clinton declared': the closing mark stays with the quote
    if text.endswith((",", "—", "–")):
        return clause_start + len(text) - 1
    return None


def _with_relay(statement: Reported, via: Span | None, cited: Span | None) -> Reported:
    """'X reported, citing Y': X is the speaker (the outlet that made the report) and Y the source it went through,
    as the project records reports. 'according to a report from Z' after the cue: via Z."""
    if cited:
        statement.via = cited
        statement.reason += ", citing a source"
    elif via:
        statement.via = via
        statement.reason += ', relayed "according to" a source'
    return statement
