"""Other fact-checkers' verdicts onto the newsroom's scale: their words first, a number only when it means something.

A verdict in words is looked up in VERDICT_WORDS (English, Spanish, Portuguese,
French, German, Hindi and Chinese, as fact-checkers print them), compared
without case, accents (so "engañoso" is also the Portuguese "enganoso"),
hyphens or surrounding punctuation. Words in NO_PLACE are verdicts that are
not about truth (missing context, satire) or that decide nothing (unproven);
such a claim waits in review with the words as written, whatever number comes
with them. Unknown words give way to the number; a number counts only on a
real scale (bestRating above worstRating, the value between them) and is placed
proportionally, its worst on pants on fire and its best on true.
"""

import math
import unicodedata

from claims.choices import Rating

# schema.org's defaults when a Rating leaves them out.
DEFAULT_BEST, DEFAULT_WORST = 5.0, 1.0

VERDICT_WORDS: dict[str, tuple[str, ...]] = {
    Rating.PANTS_ON_FIRE: ("pants on fire", "pants fire", "four pinocchios", "4 pinocchios"),
    Rating.FALSE: (
        "false", "fake", "fake news", "hoax", "scam", "fabricated", "incorrect", "wrong", "untrue", "not true",
        "altered", "manipulated", "doctored",
        "falso", "falsa", "es falso", "bulo", "mentira", "incorrecto", "manipulado", "montaje", "estafa",
        "é falso", "boato", "incorreto", "montagem", "golpe",
        "faux", "fausse", "c'est faux", "infox", "canular",
        "falsch", "unwahr", "frei erfunden", "manipuliert",
        "झूठ", "झूठा", "गलत", "फर्जी", "फेक", "असत्य",
        "錯誤", "错误", "假", "虛假", "虚假", "謠言", "谣言", "詐騙", "诈骗",
    ),
    # Misleading sits here: the reviewer found the claim leaves a false impression, and fact-checkers that
    # publish a number for it (AFP, Newtral, Animal Político) put it just above false.
    Rating.MOSTLY_FALSE: (
        "mostly false", "barely true", "largely false", "misleading", "distorted",
        "mayormente falso", "principalmente falso", "engañoso", "engañosa", "distorsionado",
        "majoritariamente falso", "distorcido",
        "plutôt faux", "trompeur", "trompeuse",
        "überwiegend falsch", "irreführend",
        "भ्रामक", "गुमराह करने वाला",
        "誤導", "误导", "易生誤解", "大部分錯誤",
    ),
    # "Partly false" and "partly true" say the same: some of it holds, some does not.
    Rating.HALF_TRUE: (
        "half true", "mixture", "mixed", "partly false", "partly true", "partially false", "partially true",
        "exaggerated",
        "verdadero a medias", "a medias", "parcialmente falso", "parcialmente verdadero", "exagerado",
        "meia verdade", "parcialmente verdadeiro", "em parte falso",
        "à moitié vrai", "partiellement faux", "partiellement vrai", "exagéré",
        "halb wahr", "teilweise falsch", "teilweise richtig", "übertrieben",
        "आधा सच", "आंशिक रूप से सच", "आंशिक रूप से गलत",
        "部分錯誤", "部分错误", "部分正確", "部分正确", "半真半假",
    ),
    Rating.MOSTLY_TRUE: (
        "mostly true", "mostly correct", "largely true", "largely accurate",
        "mayormente verdadero", "mayormente cierto", "verdadero pero",
        "verdadeiro mas", "em grande parte verdadeiro",
        "plutôt vrai",
        "überwiegend richtig", "überwiegend wahr",
        "大部分正確", "大部分正确",
    ),
    Rating.TRUE: (
        "true", "correct", "accurate",
        "verdadero", "verdadera", "cierto", "verdadeiro", "verdade", "correto",
        "vrai", "exact",
        "richtig", "wahr", "stimmt",
        "सच", "सही", "सत्य",
        "正確", "正确", "屬實", "属实",
    ),
}  # fmt: skip

# Verdicts with no place on a true–false scale: the claim waits in review for an editor.
NO_PLACE: tuple[str, ...] = (
    # Nothing decided.
    "unproven", "unverified", "unsubstantiated", "no evidence", "insufficient evidence", "not enough evidence",
    "unsupported", "too early to say", "research in progress",
    "sin evidencia", "sin pruebas", "no verificable", "inverificable", "insostenible", "discutible",
    "sem provas", "sem evidências", "insustentável", "ainda é cedo para dizer",
    "non prouvé", "invérifiable", "unbelegt", "nicht belegt", "unklar",
    "अपुष्ट", "未經證實", "未经证实",
    # True or not, what is wrong is the framing: only an editor can say how it stands.
    "missing context", "lacks context", "needs context", "out of context",
    "sacado de contexto", "fuera de contexto", "sin contexto", "falta contexto", "falta de contexto",
    "fora de contexto", "sem contexto", "hors contexte", "manque de contexte", "sorti de son contexte",
    "aus dem zusammenhang gerissen", "fehlender kontext", "संदर्भ से हटकर", "事實釐清", "缺乏背景",
    # A joke is not a claim of fact; rating it false would call satire a lie.
    "satire", "satirical", "parody", "sátira", "parodia", "humor", "व्यंग्य", "諷刺", "讽刺",
    "opinion", "explainer", "contradictory", "contradictorio", "contraditório",
)  # fmt: skip


def verdict_key(words: str) -> str:
    """How verdict words are compared: casefolded, Latin accents and punctuation off, spaces single."""
    chars: list[str] = []
    for c in unicodedata.normalize("NFKD", words.casefold()):
        if unicodedata.category(c).startswith("M"):
            # An accent on a Latin letter goes; a Devanagari vowel sign is part of its word; a mark alone is noise.
            if chars and chars[-1] != " " and not chars[-1].isascii():
                chars.append(c)
        else:
            chars.append(c if c.isalnum() else " ")
    return " ".join(unicodedata.normalize("NFC", "".join(chars)).split())


_KNOWN = {verdict_key(word): rating for rating, words in VERDICT_WORDS.items() for word in words} | {
    verdict_key(word): "" for word in NO_PLACE
}


def rating_from_words(words: str) -> str | None:
    """The scale's rating for verdict words; "" when they have no place on it; None when they are unknown."""
    return _KNOWN.get(verdict_key(words))


def rating_from_number(value, best=None, worst=None) -> str | None:
    """The scale's rating for `value` on the reviewer's numeric scale; None when that scale means nothing."""
    value, best, worst = _number(value), _number(best, DEFAULT_BEST), _number(worst, DEFAULT_WORST)
    if value is None or best is None or worst is None or not worst <= value <= best or best == worst:
        return None
    steps = len(Rating.values) - 1
    # Halves go up: the middle of a five-point scale (3 of 1–5) is half true.
    return Rating.values[math.floor((value - worst) / (best - worst) * steps + 0.5)]


def _number(raw, default=None) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else None
    try:
        number = float(str(raw).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None
