"""Who spoke: split a speaker phrase into name and title, and resolve later references.

"Russian Deputy Foreign Minister Sergei Ryabkov" -> name "Sergei Ryabkov", title
"Russian Deputy Foreign Minister". A later "Ryabkov", "he" or "the minister" is
resolved to the latest earlier full mention that fits. Anonymous sources ("a White
House official") stay anonymous: they are never resolved to a name.
"""

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from .lexicon import CAPITALS, CLAUSE_OPENERS, NEWS_AGENCIES, PRONOUNS, ROLE_NOUNS, TITLE_WORDS

_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)")
_RELATIVE_CLAUSE_RE = re.compile(r",?\s+(?:who|which|whose|whom)\b.*$", re.IGNORECASE | re.DOTALL)
_NAME_PARTICLES = {"de", "da", "van", "von", "der", "bin", "al", "el", "la", "le", "di", "du", "del", "ibn"}
_ORGANISATION_WORDS = {
    "times",
    "post",
    "news",
    "journal",
    "herald",
    "tribune",
    "telegraph",
    "guardian",
    "house",
    "party",
    "committee",
    "department",
    "ministry",
    "agency",
    "commission",
    "council",
    "campaign",
    "institute",
    "university",
    "group",
    "inc",
    "corp",
    "corporation",
    "company",
    "association",
    "union",
    "administration",
    "government",
    "office",
    "court",
    "congress",
    "senate",
    "parliament",
    "assembly",
    "foundation",
    "fund",
    "bank",
    "board",
    "network",
    "press",
    "service",
    "services",
    "center",
    "centre",
    "bureau",
    "police",
    "army",
    "navy",
    "force",
    "forces",
    "kremlin",
    "pentagon",
    "reuters",
    "bloomberg",
    "cnn",
    "nbc",
    "abc",
    "cbs",
    "fox",
    "msnbc",
    "npr",
    "bbc",
    "pbs",
    "ap",
    "afp",
    "ria",
    "tass",
    "xinhua",
    "poll",
}
_PERSON_ROLES = set(ROLE_NOUNS) - _ORGANISATION_WORDS - {
    "report", "reports", "poll", "polls", "survey", "surveys", "study", "studies", "statement", "document",
    "documents", "data", "company", "agency", "ministry", "government", "administration", "department",
    "campaign", "team", "military", "army",
}  # fmt: skip
# A run of capitalised words (with initials, particles and hyphens): a candidate proper name.
_PROPER_RUN_RE = re.compile(
    r"(?:[A-Z][a-z]{0,2}\.|[A-Z][\w'’-]*)(?:\s+(?:(?:de|da|van|von|der|bin|al|el|la|le|di|du|del|ibn)\s+)?"
    r"(?:[A-Z][a-z]{0,2}\.|[A-Z][\w'’-]*))*"
)
_PREPOSITIONS = {"at", "of", "for", "from", "with", "in", "on", "to", "by"}
_SENTENCE_INITIAL_WORDS = {"the", "a", "an", "it", *CLAUSE_OPENERS}


@dataclass
class Speaker:
    name: str
    title: str | None
    kind: str  # person, organization, anonymous, pronoun, role (the last two before resolution)


def _is_title_word(word: str) -> bool:
    return word.lower().strip(".,") in TITLE_WORDS


def _clean_phrase(phrase: str) -> str:
    phrase = _PARENTHESIS_RE.sub("", phrase)
    return phrase.strip(" \t\n,;:\"“”‘’'—–-")


def parse_speaker(phrase: str) -> Speaker:
    """Name, title and kind of a speaker phrase as printed."""
    phrase = _clean_phrase(phrase)
    appositive = None
    if "," in phrase:
        head, rest = phrase.split(",", 1)
        rest = _RELATIVE_CLAUSE_RE.sub("", rest).strip(" ,")
        phrase, appositive = head.strip(), rest or None
        head_words = phrase.split()
        if (
            appositive
            and head_words[0].lower() in {"her", "his", "their", "its", "our", "the", "a", "an"}
            and not any(word[:1].isupper() for word in head_words[1:])
            and all(word[:1].isupper() for word in appositive.split())
            and len(appositive.split()) <= 4
        ):
            # "Her chief policy aide, Jake Sullivan": the role comes first, the name after it.
            phrase, appositive = appositive, phrase
    words = phrase.split()
    if not words:
        return Speaker(phrase, appositive, "anonymous")
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return Speaker(words[0], None, "pronoun")
    # The name is the trailing run of capitalised words that are not title words.
    name_start = len(words)
    while name_start > 0:
        word = words[name_start - 1]
        if (
            word[:1].isupper()
            and not _is_title_word(word)
            or word.lower() in _NAME_PARTICLES
            and name_start < len(words)
            and name_start > 1
        ):
            name_start -= 1
        else:
            break
    name_words = words[name_start:]
    title_words = words[:name_start]
    if len(name_words) > 1 and name_words[0] in {"The", "A", "An"}:
        # "The White House" at a sentence start: the article is not part of the name.
        title_words, name_words = [*title_words, name_words[0].lower()], name_words[1:]
    if not name_words:
        lowered = [word.lower().strip(".") for word in words]
        if lowered[0] == "the" and len(words) <= 3 and lowered[-1] in ROLE_NOUNS:
            return Speaker(phrase, appositive, "role")
        if _has_person_role(words[:4]) or not any(word[:1].isupper() for word in words):
            return Speaker(phrase, appositive, "anonymous")
        return Speaker(phrase, appositive, "organization")
    before_name = [word.lower() for word in title_words[-2:]]
    if before_name and (
        before_name[-1] in _PREPOSITIONS or before_name == [before_name[0], "the"] and before_name[0] in _PREPOSITIONS
    ):
        # "officials at the White House": the capitalised words belong to a lower-case head noun.
        kind = "anonymous" if _has_person_role(title_words) else "organization"
        return Speaker(phrase, appositive, kind)
    name = " ".join(name_words)
    title_text = " ".join(word for word in title_words if word.lower() not in {"the", "a", "an"}) or None
    if appositive and not title_text:
        title_text = appositive
    return Speaker(name, title_text, _kind_of_name(name_words, title_words))


def _has_person_role(words: list[str]) -> bool:
    return any(word.lower().strip(".,") in _PERSON_ROLES for word in words)


def _kind_of_name(name_words: list[str], title_words: list[str]) -> str:
    lowered = {word.lower().strip(".,'’s") for word in name_words}
    if lowered & _ORGANISATION_WORDS or " ".join(name_words) in NEWS_AGENCIES or name_words[0] in CAPITALS:
        return "organization"
    if title_words and title_words[0].lower() == "the" and len(title_words) == 1:
        return "organization"
    if len(name_words) == 1 and not title_words:
        return "organization"  # "Iran", "Moscow"; a surname seen earlier as a full name is resolved first
    return "person"


@dataclass
class Mention:
    position: int
    name: str
    title: str | None


class SpeakerResolver:
    """Resolves surnames, pronouns and roles to the latest earlier full mention.

    Persons are registered from every capitalised run of two or more words in the body, so
    "Ryabkov said" resolves even when the full name appeared outside any attribution.
    """

    def __init__(self, body: str):
        self.mentions: list[Mention] = []
        for match in _PROPER_RUN_RE.finditer(body):
            words = match.group().split()
            if words[0].lower() in _SENTENCE_INITIAL_WORDS:
                words = words[1:]
            start = 0
            while start < len(words) and _is_title_word(words[start]):
                start += 1
            name_words = words[start:]
            if len(name_words) >= 2 and not {w.lower() for w in name_words} & _ORGANISATION_WORDS:
                title = " ".join(words[:start]) or None
                self.mentions.append(Mention(match.start(), " ".join(name_words), title))
        self.positions = [mention.position for mention in self.mentions]
        # Full names by their last word and by themselves, in text order: lookups stay logarithmic.
        self.by_key: dict[str, list[Mention]] = defaultdict(list)
        for mention in self.mentions:
            self.by_key[mention.name].append(mention)
            self.by_key["surname:" + mention.name.split()[-1]].append(mention)
        self.speakers: list[tuple[int, Speaker]] = []

    def _latest(self, key: str, position: int) -> Mention | None:
        mentions = self.by_key.get(key, [])
        index = bisect_left(mentions, position, key=lambda mention: mention.position)
        return mentions[index - 1] if index else None

    def resolve(self, speaker: Speaker, position: int) -> Speaker:
        resolved = self._resolve(speaker, position)
        self.speakers.append((position, resolved))
        return resolved

    def _resolve(self, speaker: Speaker, position: int) -> Speaker:
        if speaker.kind == "pronoun":
            return self._resolve_pronoun(speaker, position)
        if speaker.kind == "role":
            role = speaker.name.split()[-1].lower()
            for _, earlier in reversed(self.speakers[-50:]):
                if earlier.title and role in earlier.title.lower():
                    return earlier
            return Speaker(speaker.name, speaker.title, "anonymous")
        if speaker.kind in {"person", "organization"}:
            mention = self._latest(speaker.name, position)
            if mention is None and len(speaker.name.split()) == 1:
                mention = self._latest("surname:" + speaker.name, position)
            if mention:
                return Speaker(mention.name, speaker.title or mention.title, "person")
        return speaker

    def _resolve_pronoun(self, speaker: Speaker, position: int) -> Speaker:
        word = speaker.name.lower()
        wanted = {"he": "person", "she": "person", "him": "person", "her": "person", "it": "organization"}.get(word)
        for _, earlier in reversed(self.speakers[-20:]):
            if wanted is None or earlier.kind == wanted:
                return earlier
        index = bisect_left(self.positions, position)
        if wanted == "person" and index:
            mention = self.mentions[index - 1]
            return Speaker(mention.name, mention.title, "person")
        return speaker
