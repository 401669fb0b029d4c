"""LIAR (Wang, ACL 2017): PolitiFact's checked statements, one a TSV line, as PolitiFact's verdicts.

A line's 14 columns: statement id ("2635.json"), verdict, statement, subjects
(comma-separated), speaker (a slug, "barack-obama"), the speaker's job title,
state, party, five counts of the speaker's earlier verdicts (not imported: they
are PolitiFact's tally at the time, not facts about this statement), and the
context ("a mailer"), kept as the claim's venue.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from claims.choices import Rating, SpeakerKind, TransferKind
from claims.services.reviews import Claimant, ReviewedStatement, import_reviews
from claims.textfiles import numbered_lines
from claims.transfer.runs import Importer, Line

COLUMNS = 14
REVIEWER = "PolitiFact"
REVIEWER_URL = "https://www.politifact.com/"

# PolitiFact renamed "Barely True" to "Mostly False" in 2011; the meaning stayed.
LIAR_RATINGS = {
    "pants-fire": Rating.PANTS_ON_FIRE,
    "false": Rating.FALSE,
    "barely-true": Rating.MOSTLY_FALSE,
    "half-true": Rating.HALF_TRUE,
    "mostly-true": Rating.MOSTLY_TRUE,
    "true": Rating.TRUE,
}
# PolitiFact's own definitions of its ratings (the Truth-O-Meter), for each claim's summary.
RATING_SUMMARIES = {
    Rating.PANTS_ON_FIRE: "The statement is not accurate and makes a ridiculous claim.",
    Rating.FALSE: "The statement is not accurate.",
    Rating.MOSTLY_FALSE: "The statement has an element of truth but ignores critical facts.",
    Rating.HALF_TRUE: "The statement is partially accurate but leaves out important details.",
    Rating.MOSTLY_TRUE: "The statement is accurate but needs clarification or additional information.",
    Rating.TRUE: "The statement is accurate and nothing significant is missing.",
}

# LIAR speakers whose slug has one of these words are organisations, not people.
ORGANIZATION_WORDS = {
    "party", "committee", "posts", "email", "image", "group", "council", "association", "pac", "campaign",
    "club", "coalition", "democrats", "republicans", "network", "news", "institute", "foundation", "union",
    "center", "americans", "fund", "action", "alliance", "blog", "posting", "org", "department", "house",
    "office", "agency", "chamber", "league", "project", "tweets", "website", "media", "ads", "bloggers",
}  # fmt: skip
# What LIAR writes in the party and state columns when there is none.
NOT_GIVEN = {"", "none", "unknown", "n/a"}
# Stray characters in LIAR's text, left from PolitiFact's pages: byte-order marks before a
# statement, a C1 control (U+0090, a mis-decoded byte) before a tab, and a left-to-right
# embedding pair copied from a tweet around "#Bernie". They carry nothing, and the text rules
# (claims.hygiene) refuse the last two, so they are dropped; any other such character is refused.
STRAY = str.maketrans("", "", "\ufeff\x90\u202a\u202c")
STATEMENT_ID = re.compile(r"([0-9]+)\.json")


def speaker_name(slug: str) -> str:
    """A readable name from LIAR's slug: "john-mccain" is John McCain; "GaGOP" stays as written."""
    return " ".join(_name_part(part) for part in slug.split("-") if part)


def _name_part(part: str) -> str:
    if not part.islower():
        return part
    if part.startswith("mc") and len(part) > 3:
        return "Mc" + part[2:].capitalize()
    return part.capitalize()


def is_organization(slug: str) -> bool:
    return bool(ORGANIZATION_WORDS & set(slug.lower().split("-")))


def topic_name(subject: str) -> str:
    """A readable topic from LIAR's subject slug: "foreign-policy" is "Foreign policy"."""
    return subject.replace("-", " ").strip().capitalize()[:100]


def read(path: Path, name: str) -> Iterator[Line]:
    """Each line of a LIAR file as a PolitiFact verdict, or the reason it cannot be one."""
    seen: dict[str, int] = {}
    for number, raw in numbered_lines(path, name):
        if not raw.strip():
            continue
        columns = raw.rstrip("\r\n").translate(STRAY).split("\t")
        reason = _problem(columns)
        if not reason:
            statement_id = columns[0].strip()
            if statement_id in seen:
                reason = f"statement {statement_id} is on line {seen[statement_id]} already"
            seen.setdefault(statement_id, number)
        if reason:
            yield Line(number, raw, reason=reason)
        else:
            yield Line(number, raw, _statement(columns, number))


def _problem(columns: list[str]) -> str:
    if len(columns) != COLUMNS:
        return (
            f"expected {COLUMNS} tab-separated columns (id, verdict, statement, subjects, speaker, job title, "
            f"state, party, five counts, context), found {len(columns)}"
        )
    statement_id, verdict, text, _subjects, speaker = (column.strip() for column in columns[:5])
    if not STATEMENT_ID.fullmatch(statement_id):
        return f"the statement id (column 1) should look like 2635.json, not “{statement_id}”"
    if verdict not in LIAR_RATINGS:
        return f"unknown verdict “{verdict}” (column 2); LIAR's verdicts are {', '.join(LIAR_RATINGS)}"
    if not text:
        return "no statement (column 3 is empty)"
    if not speaker:
        return "no speaker (column 5 is empty)"
    return ""


def _statement(columns: list[str], number: int) -> ReviewedStatement:
    statement_id, verdict, text, subjects, speaker, title, state, party = columns[:8]
    rating = LIAR_RATINGS[verdict.strip()]
    slug, party = speaker.strip(), party.strip()
    organization = is_organization(slug) or party == "organization"
    return ReviewedStatement(
        text=text,
        claimant=Claimant(
            name=speaker_name(slug),
            kind=SpeakerKind.ORGANIZATION if organization else SpeakerKind.PERSON,
            title=title,
            party="" if organization or party.lower() in NOT_GIVEN else party.replace("-", " ").capitalize(),
            region="" if state.strip().lower() in NOT_GIVEN else state,
        ),
        reviewer=REVIEWER,
        reviewer_url=REVIEWER_URL,
        line=number,
        rating=rating,
        rating_as_written=verdict.strip(),
        summary=RATING_SUMMARIES[rating],
        external_id=STATEMENT_ID.fullmatch(statement_id.strip())[1],
        venue=columns[13],
        topics=tuple(dict.fromkeys(topic_name(s) for s in subjects.split(",") if s.strip())),
    )


IMPORTER = Importer(TransferKind.LIAR, read, import_reviews)
