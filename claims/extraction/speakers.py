"""Who spoke: split a speaker phrase into name and title, and resolve later references.

"Russian Deputy Foreign Minister Sergei Ryabkov" -> name "Sergei Ryabkov", title
"Russian Deputy Foreign Minister". A later "Ryabkov", "he" or "the minister" is
resolved to the latest earlier full mention that fits. Anonymous sources ("a White
House official") stay anonymous: they are never resolved to a name.
"""

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass

from .grammar import first_letters, trie_pattern
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
        if (
            lowered[0] == "the"
            and len(words) <= 3
            and (lowered[-1] in ROLE_NOUNS or lowered[-1] in _ORGANISATION_ROLES)
        ):
            return Speaker(phrase, appositive, "role")
        if _has_person_role(words[:4]) or not any(word[:1].isupper() for word in words):
            return Speaker(phrase, appositive, "anonymous")
        return Speaker(phrase, appositive, "organization")
    before_name = [word.lower() for word in title_words[-2:]]
    if (
        len(title_words) == 3
        and title_words[0].lower() == "the"
        and before_name[1:] == ["for"]
        and before_name[0] in ROLE_NOUNS
    ):
        return Speaker(phrase, appositive, "role")  # "the lawyer for Smith": whoever was named her lawyer
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


# Words printed before or as a person's title that tell whether "he" or "she" can point back to them.
_FEMALE_WORDS = {
    "mrs", "ms", "miss", "madam", "lady", "queen", "princess", "congresswoman", "spokeswoman", "chairwoman",
    "councilwoman", "businesswoman", "actress", "wife", "mother", "grandmother", "daughter", "sister", "woman",
}  # fmt: skip
_MALE_WORDS = {
    "mr", "sir", "lord", "king", "prince", "congressman", "spokesman", "chairman", "councilman", "businessman",
    "actor", "husband", "father", "grandfather", "son", "brother", "man", "pope",
}  # fmt: skip
_PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
# "Clinton touted her proposals", "Trump said he": a name, a few lower-case words, then a pronoun of the same clause.
# Each name, word and space is taken whole (possessive quantifiers): no shorter one could be followed by what must
# follow it, so the matches are the same, and the search does not try them (half the time). A possessive "'s"
# stays in the name, as it always did.
_PRONOUN_AFTER_NAME_RE = re.compile(
    r"(?P<name>[A-Z][\w'’-]++)\s++(?:[a-z][\w’'-]*+\s++){0,3}?(?P<pronoun>he|she|his|her)\b"
)
_WORD_RE = re.compile(r"[A-Z][\w'’-]+")
_GENDERED_SPELLINGS = sorted({form for word in _FEMALE_WORDS | _MALE_WORDS for form in (word, word.capitalize())})
# The words as a trie: at most one of them can match at a place (a dot or a space must follow it).
_GENDERED_BEFORE_NAME_RE = re.compile(
    first_letters(_GENDERED_SPELLINGS)
    + r"\b(?P<word>"
    + trie_pattern(_GENDERED_SPELLINGS)
    + r")\.?\s+(?P<name>[A-Z][\w'’-]+)"
)
_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"”’']*\s+(?=[\"“‘']?[A-Z])|\n")
# How far back "he" or "she" may point: the sentence it is in and the three before it.
_PRONOUN_SENTENCES = 2
_PLURAL_PRONOUNS = {"they", "them", "we"}
_ORGANISATION_ROLES = {
    "company", "campaign", "agency", "ministry", "department", "administration", "government", "firm", "group",
    "organization", "organisation", "party", "committee", "utility", "union", "bank", "board", "council",
}  # fmt: skip


class SpeakerResolver:
    """Resolves surnames, pronouns and descriptions to the entity the article named earlier.

    Persons are registered from every capitalised run of two or more words in the body, so "Ryabkov said"
    resolves even when the full name appeared outside any attribution; a later surname alone points back to
    its full name. "He" and "she" go to the nearest person of a compatible gender (from a title, "Mr.",
    "Mrs.", or the article's own "Clinton ... her"), the subject of the nearest sentence that has one;
    "they" only to a group or a body; "the company", "the minister" to the latest body or person so described.
    """

    def __init__(self, body: str):
        self.body = body
        self.mentions: list[Mention] = []
        for match in _PROPER_RUN_RE.finditer(body):
            words = match.group().split()
            if len(words) < 2:
                continue  # a full name has two words at least; seven runs in ten are one word
            skipped = 0
            if words[0].lower() in _SENTENCE_INITIAL_WORDS:
                skipped, words = len(words[0]) + 1, words[1:]
            start = 0
            while start < len(words) and _is_title_word(words[start]):
                start += 1
            name_words = words[start:]
            # "... in the U.S. He says": a pronoun starts a new sentence, it is no part of a name.
            pronoun = next((i for i, word in enumerate(name_words) if word.lower() in PRONOUNS), len(name_words))
            name_words = name_words[:pronoun]
            if len(name_words) >= 2 and not {w.lower() for w in name_words} & _ORGANISATION_WORDS:
                title = " ".join(words[:start]) or None
                self.mentions.append(Mention(match.start() + skipped, " ".join(name_words), title))
        self.positions = [mention.position for mention in self.mentions]
        # Full names by their last word and by themselves, in text order: lookups stay logarithmic.
        self.by_key: dict[str, list[Mention]] = defaultdict(list)
        for mention in self.mentions:
            self.by_key[mention.name].append(mention)
            self.by_key["surname:" + mention.name.split()[-1]].append(mention)
        self.speakers: list[tuple[int, Speaker]] = []
        self._persons: list[tuple[int, str, str | None]] | None = None  # built at the first pronoun
        self._genders: dict[str, str] = {}
        self._sentence_starts: list[int] = []

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
            return self._resolve_role(speaker, position)
        if speaker.kind in {"person", "organization"}:
            mention = self._latest(speaker.name, position)
            if mention is None and len(speaker.name.split()) == 1:
                mention = self._latest("surname:" + speaker.name, position)
            if mention:
                return Speaker(mention.name, speaker.title or mention.title, "person")
        return speaker

    def _resolve_role(self, speaker: Speaker, position: int) -> Speaker:
        """'the minister', 'the lawyer for Smith' -> the latest earlier speaker or person named with that title;
        'the company' -> the latest body that spoke, else the latest named with a word of a body ("Enbridge Inc.")."""
        words = speaker.name.lower().split()
        role = words[words.index("for") - 1] if "for" in words else words[-1]
        titled = [
            (mention.position, Speaker(mention.name, mention.title, "person"))
            for mention in self.mentions[: bisect_left(self.positions, position)]
            if mention.title and role in mention.title.lower()
        ][-1:]
        spoken = sorted((item for item in self.speakers if item[0] < position), key=lambda item: item[0])[-50:]
        for _, earlier in sorted(spoken + titled, key=lambda item: item[0], reverse=True):
            if earlier.title and role in earlier.title.lower():
                return earlier
            if role in _ORGANISATION_ROLES and earlier.kind == "organization" and earlier.name[:1].isupper():
                return earlier
        if role in _ORGANISATION_ROLES:
            body = self._named_body(position)
            if body:
                return body
        return Speaker(speaker.name, speaker.title, "anonymous")

    def _named_body(self, position: int) -> Speaker | None:
        """The latest name before `position`, within about three paragraphs, that has a word of a body in it."""
        bodies = [
            match.group()
            for match in _PROPER_RUN_RE.finditer(self.body, max(0, position - 1500), position)
            if len(match.group().split()) > 1
            and {w.lower().strip(".,") for w in match.group().split()[1:]} & _ORGANISATION_WORDS
        ]
        return Speaker(bodies[-1], None, "organization") if bodies else None

    def _resolve_pronoun(self, speaker: Speaker, position: int) -> Speaker:
        word = speaker.name.lower()
        if word in _PRONOUN_GENDER:
            return self._resolve_person(speaker, position, _PRONOUN_GENDER[word])
        earlier = [item for item in self.speakers if item[0] < position]
        for _, candidate in sorted(earlier, key=lambda item: item[0], reverse=True)[:20]:
            if word == "it" and candidate.kind == "organization":
                return candidate
            if word in _PLURAL_PRONOUNS and _is_group(candidate):
                return candidate  # "officials said ... they added"; never one person
        return speaker

    def _resolve_person(self, speaker: Speaker, position: int, gender: str) -> Speaker:
        """The nearest earlier speaker of a compatible gender: in the sentences just before (the first of a
        sentence, its subject as a rule), else among the last twenty; else the nearest person named."""
        if self._persons is None:
            self._index_persons()
        compatible = [
            (at, earlier)
            for at, earlier in self.speakers
            if at < position
            and (earlier.kind == "person" or (len(earlier.name.split()) == 1 and earlier.name in self._genders))
            and self._genders.get(earlier.name, gender) == gender
        ]
        compatible.sort(key=lambda item: item[0])
        sentence = bisect_right(self._sentence_starts, position) - 1
        for back in range(_PRONOUN_SENTENCES):
            if sentence - back < 0:
                break
            start = self._sentence_starts[sentence - back]
            inside = [earlier for at, earlier in compatible if at >= start]
            if inside:
                return inside[0]
            compatible = [(at, earlier) for at, earlier in compatible if at < start]
        if compatible:
            return compatible[-1][1]
        named = [
            (at, name, title)
            for at, name, title in self._persons
            if at < position and self._genders.get(name, gender) == gender
        ]
        if named:
            _, name, title = max(named, key=lambda person: person[0])
            return Speaker(name, title, "person")
        return speaker

    def _index_persons(self) -> None:
        """Every mention of a person (full names, and later surnames standing for them), and what the article
        says of each one's gender, by full name: "Mrs. Clinton" says nothing when Bill and Hillary are both in it."""
        body = self.body
        self._sentence_starts = [0] + [match.end() for match in _SENTENCE_BREAK_RE.finditer(body)]
        persons = [(mention.position, mention.name, mention.title) for mention in self.mentions]
        votes: dict[str, Counter] = defaultdict(Counter)
        for mention in self.mentions:
            for word in (mention.title or "").lower().replace(".", "").split():
                if word in _FEMALE_WORDS or word in _MALE_WORDS:
                    votes[mention.name]["female" if word in _FEMALE_WORDS else "male"] += 2

        def person_at(word: str, position: int) -> str | None:
            """The one full name a surname stands for here, or the word itself when it is no surname."""
            named = {mention.name for mention in self.by_key.get("surname:" + word, ())}
            if len(named) > 1:
                return None  # a family: which one is meant is not known
            mention = self._latest("surname:" + word, position)
            return mention.name if mention else word

        for match in _WORD_RE.finditer(body):
            if "surname:" + match.group() in self.by_key:
                mention = self._latest("surname:" + match.group(), match.start())
                if mention and match.start() > mention.position + len(mention.name):
                    persons.append((match.start(), mention.name, mention.title))
        for match in _GENDERED_BEFORE_NAME_RE.finditer(body):  # "Mrs. Clinton", "spokesman Josh Earnest"
            if person := person_at(match.group("name"), match.start("name")):
                votes[person]["female" if match.group("word").lower() in _FEMALE_WORDS else "male"] += 2
        for match in _PRONOUN_AFTER_NAME_RE.finditer(body):
            if person := person_at(match.group("name"), match.start()):
                votes[person][_PRONOUN_GENDER[match.group("pronoun")]] += 1
        self._genders = {name: count.most_common(1)[0][0] for name, count in votes.items() if count}
        self._persons = persons


def _is_group(speaker: Speaker) -> bool:
    """A body or a group of people: 'the White House', 'officials', 'Democrats'."""
    head = speaker.name.split()[-1].lower() if speaker.name else ""
    return speaker.kind == "organization" or (speaker.kind == "anonymous" and head.endswith("s"))
