"""Shallow grammar shared by the quote and reported-statement rules.

No parser: sentences are cut at terminal punctuation (not after abbreviations),
cue verbs are found with one precompiled regex, and the phrase naming the
speaker is bounded by commas and clause words. Spans are (start, end) offsets
into the body, end exclusive.
"""

import re

from .lexicon import (
    ALL_CUE_FORMS,
    AUXILIARIES,
    CLAUSE_OPENERS,
    DETERMINERS,
    NOT_A_CUE_AFTER,
    PRONOUNS,
    QUOTE_ONLY_FORMS,
    ROLE_NOUNS,
)

Span = tuple[int, int]

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "sens",
    "rep",
    "reps",
    "gov",
    "gen",
    "lt",
    "col",
    "capt",
    "sgt",
    "st",
    "jr",
    "sr",
    "prof",
    "rev",
    "hon",
    "no",
    "vs",
    "etc",
    "inc",
    "corp",
    "co",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.n",
    "u.k",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "d.c",
    "ft",
    "mt",
    "pres",
    "ph.d",
    "approx",
    "dept",
    "est",
    "fig",
}
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+[(\[]?(?:''|[\"“‘'«„])?[A-Z0-9])|\n\n")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_PARAGRAPH_RE = re.compile(r"[^\n]+")


def trie_pattern(words: list[str]) -> str:
    """One alternation shaped as a trie, so the ~400 cue forms are tried letter by letter in one pass
    instead of one alternative after another at every position."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(tree)


def first_letters(words) -> str:
    """A lookahead for the first letters of `words`: put before a pattern, it lets the search skip every position
    no match can start at instead of trying the pattern there: a tenth to a third faster for the patterns here."""
    return "(?=[" + re.escape("".join(sorted({word[0] for word in words}))) + "])"


# Not after a hyphen: "so-called" is no cue.
CUE_RE = re.compile(
    first_letters([*ALL_CUE_FORMS, "Accor", "accor"])
    + r"\b(?:(?P<according>[Aa]ccording to)|(?<!-)(?P<verb>"
    + trie_pattern(list(ALL_CUE_FORMS))
    + r"))\b"
    + NOT_A_CUE_AFTER
)
# Next to quotation marks a few more verbs introduce speech ("Wallnau continues:").
QUOTE_CUE_RE = re.compile(
    first_letters([*ALL_CUE_FORMS, *QUOTE_ONLY_FORMS])
    + r"\b(?<!-)(?P<verb>"
    + trie_pattern([*ALL_CUE_FORMS, *QUOTE_ONLY_FORMS])
    + r")\b"
    + NOT_A_CUE_AFTER
)
# A speaker phrase cannot cross these words: they start a new clause.
_CLAUSE_BREAK_RE = re.compile(
    r"(?:^|\s)(?:and|but|or|so|because|while|when|as|after|before|if|although|though|since|that|which|"
    r"where|whereas|until|unless|then|yet|nor)(?=\s)",
    re.IGNORECASE,
)
# Past and -ing forms are verbs; base and -s forms ("report", "claims") may be nouns inside a speaker phrase.
# After a possessive the form is a noun: "a source familiar with Cruz's thinking". Only whether it matches is read,
# so the forms are a trie (a fifth of the time of ~360 alternatives tried one after another).
_VERB_ONLY_FORMS = ["says", *(f for f, lemma in ALL_CUE_FORMS.items() if f not in (lemma, lemma + "s", lemma + "es"))]
_VERB_ONLY_RE = re.compile(
    first_letters(_VERB_ONLY_FORMS) + r"\b(?<!['’]s\s)(?:" + trie_pattern(_VERB_ONLY_FORMS) + r")\b"
)
_FINITE_VERB_RE = re.compile(r"\b(?:is|are|was|were|will|would|has|have|had|do|does|did|can|could|be)\b|\wn[’']t\b")
_ADJUNCT_TIMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "week", "month", "year"]
_ADJUNCT_TIMES += ["morning", "night", "evening", "afternoon"]
_ADJUNCT_MEDIA = ["statement", "interview", "speech", "tweet", "post", "letter"]
_TRAILING_ADJUNCT_RE = re.compile(
    r"(?:\s+(?:went|goes|go|going)\s+on\s+to|\s+(?:continued|continues|decided|wanted|tried|had|has|have|used|rushed|"
    r"took\s+to\s+\w+\s+to)\s+to|\s+(?:on|last|this|earlier|late|early)?\s*(?:" + "|".join(_ADJUNCT_TIMES) + r")|"
    r"\s+in\s+(?:a|an|his|her|its|their)\s+[\w\s-]{0,30}?(?:" + "|".join(_ADJUNCT_MEDIA) + r")|"
    r"\s+(?:" + "|".join(sorted(AUXILIARIES)) + r")|\s+[a-z]+ly)$",
    re.IGNORECASE,
)
# Every trailing adjunct ends in one of these: testing that first spares most searches.
_TRAILING_ADJUNCT_ENDINGS = ("to", "ly", *(word.lower() for word in _ADJUNCT_TIMES), *_ADJUNCT_MEDIA, *AUXILIARIES)
_TRAILING_ADJUNCT_REACH = 80  # characters: the longest adjunct above is about 50
_PHRASE_BREAK_RE = re.compile(r'[,;:—–("“”]')  # found by the regex engine, not a Python loop over every character
_LEADING_PREPOSITION_RE = re.compile(r"(?:with|from|for|to|by|like|among|against)\s+(?=[A-Z])")
_TRAILING_WHO_RE = re.compile(r"\s+who$")
_PLURAL_HEAD_RE = re.compile(r"(?:[a-z-]+\s+){0,2}[a-z]{3,}[^s\s]s\b(?:\s+(?:in|of|at|from|with|on)\s|\s*$)")
_RELATIVE_RE = re.compile(r"\s+(?:who|whose|whom|which)\s")
_SPEAKER_TOKEN_RE = re.compile(r"[\w'’.&-]+")
MAX_SPEAKER_WORDS = 16
_NOT_A_HEAD = {
    "to",
    "of",
    "for",
    "and",
    "or",
    "but",
    "likely",
    "that",
    "which",
    "who",
    "not",
    "also",
    "than",
    "as",
    "the",
}


def paragraph_spans(body: str) -> list[Span]:
    return [match.span() for match in _PARAGRAPH_RE.finditer(body)]


# After these a full stop may end the sentence too: "... attacks in the U.S. He says", "... at 7 p.m. They".
# A title ("Sen.", "Mr.") or an initial never ends one.
_CLOSING_ABBREVIATIONS = {"u.s", "u.n", "u.k", "d.c", "a.m", "p.m", "inc", "corp", "co", "ltd", "jr", "sr", "etc"}
_PRONOUN_AFTER_RE = re.compile(r"\s+(?:He|She|They|It|We|I)\b")


def _after_abbreviation(body: str, dot: int) -> bool:
    before = _WORD_BEFORE_RE.search(body, max(0, dot - 12), dot + 1)
    if not before:
        return False
    word = before.group(1).lower()
    if word in _CLOSING_ABBREVIATIONS and _PRONOUN_AFTER_RE.match(body, dot + 1):
        return False  # a new sentence's subject follows
    return word in _ABBREVIATIONS or len(before.group(1)) == 1


def sentence_end(body: str, start: int, limit: int) -> int:
    """Where the sentence running from `start` ends (at most `limit`)."""
    for match in _SENTENCE_END_RE.finditer(body, start, limit):
        if match.group() == "\n\n" or not _after_abbreviation(body, match.start()):
            return match.end() if match.group() != "\n\n" else match.start()
    return limit


def sentence_spans(body: str, quoted: list[Span] = ()) -> list[Span]:
    """Sentences as spans; a paragraph break always ends one, an abbreviation's full stop or a stop inside
    a quotation (`quoted` spans, sorted) never does."""
    spans: list[Span] = []
    start = 0
    quote_index = 0
    for match in _SENTENCE_END_RE.finditer(body):
        if match.group() != "\n\n":
            if _after_abbreviation(body, match.start()):
                continue
            while quote_index < len(quoted) and quoted[quote_index][1] < match.start():
                quote_index += 1
            # A stop inside a quotation ends no sentence, unless the closing mark follows it ('... state." She').
            if (
                quote_index < len(quoted)
                and quoted[quote_index][0] < match.start() <= match.end() <= quoted[quote_index][1]
            ):
                continue
        end = match.start() if match.group() == "\n\n" else match.end()
        if body[start:end].strip():
            spans.append(strip_span(body, start, end))
        start = match.end()
    if body[start:].strip():
        spans.append(strip_span(body, start, len(body)))
    return spans


def mostly_shared(a: Span, b: Span) -> bool:
    """Whether two spans share more than half of the shorter: the same statement, found twice."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared > 0.5 * min(a[1] - a[0], b[1] - b[0])


def strip_span(body: str, start: int, end: int, chars: str = "") -> Span:
    """Trim whitespace and the given punctuation from both ends of a span."""
    while start < end and (body[start].isspace() or body[start] in chars):
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in chars):
        end -= 1
    return start, end


def speaker_before(body: str, start: int, end: int) -> Span | None:
    """The phrase naming the speaker that ends just before a cue: 'Russian Deputy Foreign Minister Sergei Ryabkov'.

    `start` is where the clause may begin (sentence start or the end of a quote); auxiliaries and time
    adjuncts before the cue ("has", "on Tuesday") are not part of the speaker.
    """
    text = body[start:end]
    trimmed = _strip_trailing_adjuncts(text.rstrip())
    appositive = trimmed.endswith(",")
    trimmed = trimmed.rstrip(",").rstrip()
    # The speaker starts after the last clause break; an appositive ("Tad Devine, an adviser,") keeps its name.
    commas = [match.start() for match in _PHRASE_BREAK_RE.finditer(trimmed)]
    if appositive and commas:
        earlier = [index for index in commas if index < commas[-1]]
        phrase_start = earlier[-1] + 1 if earlier else 0
    else:
        phrase_start = commas[-1] + 1 if commas else 0
    if not appositive:
        breaks = [match.end() for match in _CLAUSE_BREAK_RE.finditer(trimmed, phrase_start)]
        phrase_start = breaks[-1] if breaks else phrase_start
    span = strip_span(body, start + phrase_start, start + len(trimmed), "\"“”‘’'(),")
    # "Contrast that with Trump, who ...": the preposition is not part of the name; nor a closing "who".
    lead = _LEADING_PREPOSITION_RE.match(body, span[0], span[1])
    span = (lead.end(), span[1]) if lead else span
    trail = _TRAILING_WHO_RE.search(body, span[0], span[1])
    span = (span[0], trail.start()) if trail else span
    return span if span[0] < span[1] and is_speaker_phrase(body[span[0] : span[1]]) else None


def speaker_after(body: str, start: int, end: int) -> Span | None:
    """The phrase naming the speaker right after an inverted cue: '... said Le Pen, who ...'."""
    text = body[start:end]
    stop = len(text)
    for index, char in enumerate(text):
        if char in ',;:.!?()"“”\n' and not (char == "." and _is_abbreviation_dot(text, index)):
            stop = index
            break
    # "a Democratic strategist who spoke on condition of anonymity": the relative clause is not the name.
    relative = _RELATIVE_RE.search(text, 0, stop)
    if relative and relative.start() > 0:
        stop = relative.start()
    span = strip_span(body, start, start + stop)
    return span if is_speaker_phrase(body[span[0] : span[1]]) else None


# Past tenses a speaker phrase cannot hold, whatever follows: "Carson took the stage ... and called", "The Post
# became the latest ... to endorse". Other past tenses are told by what follows them (see _verb_at).
_PAST_VERBS = {
    "took", "made", "went", "came", "gave", "got", "saw", "won", "lost", "ran", "sent", "left", "put", "met",
    "held", "brought", "kept", "began", "spent", "stood", "led", "paid", "built", "became", "sat", "fell", "chose",
    "drew", "drove", "flew", "grew", "hit", "rose", "sold", "struck", "taught", "threw", "wore", "broke", "heard",
    "joined", "returned", "walked", "visited", "released", "issued", "posted", "signed", "voted", "spotted",
}  # fmt: skip
# What follows a finite verb and not a noun: an object's determiner, a particle, an infinitive's "to".
_AFTER_VERB = {
    "a", "an", "the", "his", "her", "their", "its", "my", "our", "this", "that", "these", "those", "to", "out",
    "up", "off", "down", "back", "away", "he", "she", "they", "we", "it", "i", "him", "them", "us",
}  # fmt: skip
_MODALS = {"will", "would", "could", "might", "may", "can", "should", "must", "did", "does", "do", "has", "have", "had"}
_SUBJECT_PRONOUNS = ("He", "She", "They", "It", "We", "I")
_PHRASE_WORD_RE = re.compile(r"[^\s]+")
# ". He", ". The": a sentence ends inside the phrase unless the full stop closes a title or an initial.
_INNER_SENTENCE_RE = re.compile(r"(?<=[\w.])\.\s+(?=[A-Z])")
_TITLE_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "sen", "sens", "rep", "reps", "gov", "gen", "lt", "col", "capt", "sgt"}
_TITLE_ABBREVIATIONS |= {"st", "jr", "sr", "prof", "rev", "hon", "u.s", "u.n", "u.k", "no", "ft", "mt", "pres", "inc"}


def noun_phrase(body: str, span: Span) -> Span | None:
    """The speaker phrase cut to the noun phrase it opens with: no clause opener before it ("After", "Although"),
    no verb after it ("Trump spotted a sign in the crowd and"), no sentence before it ("... D.C. He"). None when
    no noun phrase is left."""
    start, end = span
    for stop in _INNER_SENTENCE_RE.finditer(body, start, end):
        word = body[max(start, stop.start() - 12) : stop.start()].split()[-1:] or [""]
        text_after = body[stop.end() : end]
        if word[0].lower().lstrip("(") not in _TITLE_ABBREVIATIONS and (
            len(word[0].rstrip(".")) > 1 or text_after.startswith(_SUBJECT_PRONOUNS)
        ):
            start = stop.end()
    words = [match.span() for match in _PHRASE_WORD_RE.finditer(body, start, end)]
    while words and _is_clause_opener(body[words[0][0] : words[0][1]]):
        words = words[1:]
    if not words:
        return None  # "When asked about ...", "Even as he won ...": a clause opener alone names no one
    start = words[0][0]
    # Only the head is read for a verb: an appositive or relative clause after its comma is the speaker's description
    # ("Ted Cruz, who won Oklahoma"), which parse_speaker keeps apart.
    for index in range(1, len(words)):
        if body[words[index - 1][1] - 1] in ",(":
            break
        if _verb_at(body, words, index, end):
            end = words[index][0]
            words = words[:index]
            break
    # "St. Paul Votes to", "Le Pen Backs Trump And": function words do not end a noun phrase; a relative pronoun
    # alone ("..., who said") stands for its antecedent and is kept.
    while (
        len(words) > 1 and body[words[-1][0] : words[-1][1]].lower() in _NOT_A_HEAD and body[words[-1][1] - 1].isalpha()
    ):
        end = words.pop()[0]
    end = start + len(_strip_trailing_adjuncts(body[start:end].rstrip()).rstrip(" ,;:"))
    span = strip_span(body, start, end, "\"“”‘’'(),")
    return span if span[0] < span[1] else None


def _is_clause_opener(word: str) -> bool:
    """'After', 'although': not 'AT' in a headline in capitals."""
    return word.lower() in CLAUSE_OPENERS and not (len(word) > 1 and word.isupper())


def _verb_at(body: str, words: list[Span], index: int, end: int) -> bool:
    word = body[words[index][0] : words[index][1]]
    if not word.isalpha() or not word.islower():
        return False
    previous = body[words[index - 1][0] : words[index - 1][1]].lower()
    if previous in DETERMINERS or previous in {"be", "been", "being", "is", "are", "was", "were"}:
        return False  # "the elected officials", "a retired general"
    if index + 1 < len(words):
        following = body[words[index + 1][0] : words[index + 1][1]]
    else:
        following = (body[end : end + 30].split() or [""])[0]  # the word after the phrase: "choose to| believe"
    following = following.lower().strip(",")
    if word in _PAST_VERBS or word in _MODALS:
        return True
    if word.endswith("ed") and body[words[index - 1][0]].isupper() and following != "by":
        return True  # "Reid caucused in Nevada", "Ms. Sherry smiled": a name, then its verb
    if word in ROLE_NOUNS or word in _NOT_A_HEAD or word in AUXILIARIES:
        return False  # "aides to Clinton", "more likely to"
    if following == "to" and word.endswith(("ed", "s", "e")) and index + 2 <= len(words):
        return True  # "started to", "seeks to", "choose to"
    return word.endswith("ed") and len(word) >= 4 and following in _AFTER_VERB and following != "to"


def _strip_trailing_adjuncts(trimmed: str) -> str:
    """'Trump on Tuesday', 'Iran has': the phrase without the time, medium and auxiliaries after the name."""
    while True:
        if not trimmed.lower().endswith(_TRAILING_ADJUNCT_ENDINGS):
            return trimmed
        # Only the end can match: search there, not from the clause start.
        match = _TRAILING_ADJUNCT_RE.search(trimmed, max(0, len(trimmed) - _TRAILING_ADJUNCT_REACH))
        if not match:
            return trimmed
        trimmed = trimmed[: match.start()].rstrip()


def _is_abbreviation_dot(text: str, index: int) -> bool:
    match = _WORD_BEFORE_RE.search(text[max(0, index - 10) : index + 1])
    return bool(match) and (match.group(1).lower() in _ABBREVIATIONS or len(match.group(1)) == 1)


def is_speaker_phrase(phrase: str) -> bool:
    """A noun phrase that can name who spoke: a name, a pronoun, or 'a/the/some ... official(s)'."""
    words = _SPEAKER_TOKEN_RE.findall(phrase)
    if not words or len(words) > MAX_SPEAKER_WORDS:
        return False
    first = words[0]
    head = phrase.split(",")[0]
    if _FINITE_VERB_RE.search(head) or _VERB_ONLY_RE.search(head):
        return False
    if first.lower() in PRONOUNS and (len(words) == 1 or first != "Her"):
        return len(words) == 1  # not "Her chief policy aide, Jake Sullivan": there "Her" is a determiner
    if first[0].isupper() or first[0].isdigit():
        return True
    if len(words) <= 6 and words[-1][0].isupper():
        return True  # "reporter Jackie Nespral", "veteran analyst Charlie Cook"
    if words[-1].lower() in _NOT_A_HEAD:
        return False  # "more likely to", "some of"
    lowered = [word.lower() for word in words[:2]]
    if len(words) == 1 and first.endswith("s") and first.isalpha():
        return True  # a bare plural: "participants said", "organizers say"
    if len(words) <= 5 and all(word.isalpha() for word in words[:3]) and _PLURAL_HEAD_RE.match(phrase):
        return True  # "female donors in both parties", "many liberal economists"
    return lowered[0] in DETERMINERS or any(word in ROLE_NOUNS for word in lowered)


def word_count(text: str) -> int:
    return len(text.split())
