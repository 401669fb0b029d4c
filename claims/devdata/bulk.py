"""A large, realistic, deterministic data set for benchmarks (see generate_bulk_data).

Text comes from the LIAR data set (real PolitiFact statements, kept outside the
repo, read by the LIAR importer's reader) with variations, so a million quotes
are not a dozen thousand repeated; without it a small built-in vocabulary stands in. Ids are assigned here, not by
the database, so foreign keys can be written without reading anything back.
Rows go to PostgreSQL by COPY and to SQLite by bulk_create; no history rows are
written. The caller wraps run() in one transaction.
"""

import datetime
import itertools
import random
import re
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils.text import slugify

from claims.choices import ClaimStatus, DatePrecision, OutletKind, QuoteKind, Rating, Relation, SourceKind, SpeakerKind
from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker, SpeakerAlias, Topic
from claims.transfer import liar

UTC = datetime.UTC
# Ten years of news, fixed so that a seed always gives the same rows.
FIRST_DAY = datetime.date(2015, 1, 1)
SPAN_DAYS = 3652

FALSE_SIDE = {Rating.PANTS_ON_FIRE, Rating.FALSE, Rating.MOSTLY_FALSE}

# Used when the LIAR files are absent: enough to exercise every table, not to look real.
BUILTIN_STATEMENTS = [
    ("false", "Says the state budget doubled in four years.", "state-budget", "pat-lindqvist", "State senator"),
    ("half-true", "We have cut taxes for working families every year.", "taxes", "pat-lindqvist", "State senator"),
    ("true", "Unemployment is the lowest it has been in a decade.", "economy,jobs", "ana-okafor", "Governor"),
    ("mostly-true", "Our schools now get more money per pupil than ever.", "education", "ana-okafor", "Governor"),
    ("barely-true", "Crime went up forty percent after the new law.", "crime", "victor-hale", "Mayor"),
    ("pants-fire", "Says the new bridge will cost nothing to taxpayers.", "transportation", "victor-hale", "Mayor"),
    ("false", "Says wind farms raise household power bills by half.", "energy", "citizens-for-power", ""),
    ("half-true", "Most new jobs last year were part-time.", "jobs,economy", "dana-whitfield", "U.S. senator"),
    ("mostly-true", "Health premiums rose faster than wages since 2010.", "health-care", "dana-whitfield", ""),
    ("true", "The city spends more on debt than on parks.", "city-budget", "lena-marsh", "Council member"),
]

PLACES = [
    ("Springfield", "US"), ("Riverside", "US"), ("Fairview", "US"), ("Madison", "US"), ("Georgetown", "US"),
    ("Clinton", "US"), ("Franklin", "US"), ("Arlington", "US"), ("Salem", "US"), ("Ashland", "US"),
    ("Burlington", "US"), ("Milton", "US"), ("Dayton", "US"), ("Lexington", "US"), ("Jackson", "US"),
    ("Austin", "US"), ("Portland", "US"), ("Columbus", "US"), ("Richmond", "US"), ("Albany", "US"),
    ("Tampa", "US"), ("Orlando", "US"), ("Denver", "US"), ("Phoenix", "US"), ("Tucson", "US"),
    ("Reno", "US"), ("Boise", "US"), ("Omaha", "US"), ("Wichita", "US"), ("Tulsa", "US"),
    ("Memphis", "US"), ("Nashville", "US"), ("Raleigh", "US"), ("Charlotte", "US"), ("Atlanta", "US"),
    ("Savannah", "US"), ("Mobile", "US"), ("Biloxi", "US"), ("El Paso", "US"), ("San Antonio", "US"),
    ("Houston", "US"), ("Dallas", "US"), ("Milwaukee", "US"), ("Green Bay", "US"), ("Des Moines", "US"),
    ("Cedar Rapids", "US"), ("Duluth", "US"), ("Fargo", "US"), ("Billings", "US"), ("Spokane", "US"),
    ("Tacoma", "US"), ("Eugene", "US"), ("Fresno", "US"), ("Sacramento", "US"), ("Bakersfield", "US"),
    ("Santa Fe", "US"), ("Provo", "US"), ("Cheyenne", "US"), ("Lansing", "US"), ("Toledo", "US"),
    ("Akron", "US"), ("Erie", "US"), ("Scranton", "US"), ("Trenton", "US"), ("Hartford", "US"),
    ("Providence", "US"), ("Worcester", "US"), ("Manchester", "US"), ("Bangor", "US"), ("Burlingame", "US"),
    ("London", "GB"), ("Leeds", "GB"), ("Glasgow", "GB"), ("Cardiff", "GB"), ("Dublin", "IE"),
    ("Toronto", "CA"), ("Ottawa", "CA"), ("Sydney", "AU"), ("Auckland", "NZ"), ("Cape Town", "ZA"),
]  # fmt: skip
OUTLET_PATTERNS = {
    OutletKind.NEWSPAPER: [
        "The {place} Herald", "The {place} Tribune", "{place} Gazette", "The {place} Post", "{place} Times",
        "The {place} Chronicle", "{place} Observer", "The {place} Journal", "{place} Courier", "{place} Record",
        "The {place} Sentinel", "{place} Dispatch", "The {place} Register", "{place} Examiner", "{place} Daily News",
        "The {place} Star", "{place} Ledger", "{place} Free Press", "{place} Bulletin", "The {place} Standard",
    ],
    OutletKind.BROADCASTER: ["{place} Public Radio", "Channel 7 {place}", "{place} Broadcasting", "{place} News 12"],
    OutletKind.ONLINE: ["{place} Today", "The {place} Beat", "{place} Insider", "{place} Current"],
    OutletKind.AGENCY: ["{place} Press Agency", "{place} Wire Service"],
    OutletKind.STATE_MEDIA: ["{place} State Broadcasting"],
    OutletKind.GOVERNMENT: ["{place} City Hall Newsroom", "{place} Office of Statistics"],
    OutletKind.OTHER: ["{place} Policy Forum", "{place} Civic Review"],
}  # fmt: skip
OUTLET_KIND_WEIGHTS = {
    OutletKind.NEWSPAPER: 55,
    OutletKind.BROADCASTER: 14,
    OutletKind.ONLINE: 14,
    OutletKind.AGENCY: 5,
    OutletKind.STATE_MEDIA: 3,
    OutletKind.GOVERNMENT: 5,
    OutletKind.OTHER: 4,
}
ANONYMOUS_PATTERNS = ["an official at {org}", "a spokesperson for {org}", "a source close to {org}", "an aide at {org}"]

PREFACES = ["Look, ", "Frankly, ", "Let me be clear: ", "The truth is, ", "Here is the thing: ", "And remember, "]
TAGS = [" That is a fact.", " Nobody talks about that.", " Check the numbers.", " People should know that."]
SAY_VERBS = ["said", "claimed", "argued", "insisted", "suggested", "asserted", "told supporters"]
CONNECTIVES = [
    "The remarks drew a quick response.",
    "Officials did not immediately respond to a request for comment.",
    "The figures could not be independently verified.",
    "Critics disputed the numbers.",
    "The comments came during a week of heated debate.",
    "Supporters applauded the remarks.",
    "Similar claims have circulated online for months.",
    "Budget analysts have questioned that account.",
    "The statement was repeated in a later interview.",
    "Opponents called the claim misleading.",
]
LEADS = [
    "The debate over {topic} sharpened this week.",
    "Questions about {topic} dominated the campaign trail.",
    "Lawmakers returned to {topic} on {day}.",
    "A new round of claims about {topic} surfaced on {day}.",
]
EVIDENCE_NOTES = ["Checked against the original document.", "Ask the press office for the raw figures.", ""]
# Statements starting with these words can be lower-cased after "said that".
COMMON_STARTERS = {
    "the", "a", "an", "we", "our", "there", "this", "it", "more", "most", "in", "every", "no", "nearly",
    "about", "over", "under", "since", "when", "one", "two", "three", "half", "only", "i", "you",
    "they", "he", "she", "if", "all", "some", "many", "each", "for", "after", "before", "today",
}  # fmt: skip

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind to generate."""

    outlets: int
    speakers: int
    articles: int
    quotes: int
    claims: int
    sources: int
    evidence: int
    relations: int

    @classmethod
    def scaled(cls, *, quotes: int, claims: int, speakers: int, articles: int, scale: float) -> "Plan":
        claims = round(claims * scale)
        return cls(
            outlets=max(3, round(500 * scale)),
            speakers=round(speakers * scale),
            articles=round(articles * scale),
            quotes=round(quotes * scale),
            claims=claims,
            sources=max(1, round(claims / 2)),
            evidence=round(claims * 1.5),
            relations=round(claims / 2),
        )

    def problems(self) -> list[str]:
        problems = []
        if self.articles < 1 or self.quotes < self.articles:
            problems.append(f"every article needs a quote: {self.quotes} quotes for {self.articles} articles")
        if self.speakers <= self.outlets:
            problems.append(f"{self.speakers} speakers is too few: each of the {self.outlets} outlets speaks too")
        if self.claims < 2:
            problems.append("at least two claims are needed")
        return problems


@dataclass(frozen=True)
class Statement:
    text: str
    rating: str
    subjects: tuple[str, ...]  # topic names
    speaker: str  # the speaker's name
    organization: bool  # the speaker is an organisation
    job_title: str
    state: str
    context: str


@dataclass
class Corpus:
    statements: list[Statement]
    source: str  # where the statements came from, for the command's output

    @classmethod
    def load(cls, liar_dir: Path | None) -> "Corpus":
        files = sorted(liar_dir.glob("*.tsv")) if liar_dir and liar_dir.is_dir() else []
        if not files:
            builtin = [
                Statement(
                    text,
                    liar.LIAR_RATINGS[verdict],
                    tuple(map(liar.topic_name, subjects.split(","))),
                    liar.speaker_name(speaker),
                    liar.is_organization(speaker),
                    job,
                    "",
                    "a speech",
                )
                for verdict, text, subjects, speaker, job in BUILTIN_STATEMENTS
            ]
            return cls(builtin, "the small built-in vocabulary (LIAR not found)")
        # Lines the importer would refuse are left out.
        reviews = [line.record for path in files for line in liar.read(path, str(path)) if not line.reason]
        statements = [
            Statement(
                text=" ".join(review.text.split()),
                rating=review.rating,
                subjects=tuple(review.topics) or ("Other",),
                speaker=review.claimant.name,
                organization=review.claimant.kind == SpeakerKind.ORGANIZATION,
                job_title=" ".join(review.claimant.title.split()),
                state=review.claimant.region.strip(),
                context=" ".join(review.venue.split()),
            )
            for review in reviews
        ]
        return cls(statements, f"{len(statements):,} LIAR statements from {liar_dir}")


class PostgresWriter:
    """COPY into each table; far faster than INSERT for millions of rows."""

    def __init__(self):
        self.quote = connection.ops.quote_name

    def lock(self, models: list) -> None:
        # Blocks other writers (not readers) so the ids we assign stay free.
        tables = ", ".join(self.quote(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")

    def write(self, model, fields: tuple[str, ...], rows: Iterable[tuple]) -> int:
        # Django keeps defaults in Python, not in the table, so COPY must send them.
        omitted = [f for f in model._meta.concrete_fields if f.attname not in fields and not f.primary_key]
        defaults = tuple(f.get_default() for f in omitted)
        columns = ", ".join(self.quote(model._meta.get_field(f).column) for f in fields)
        columns += "".join(f", {self.quote(f.column)}" for f in omitted)
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row + defaults)
                count += 1
        return count

    def finish(self, models: list) -> None:
        # Explicit ids leave the sequences behind; move them past the new rows.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


class DjangoWriter:
    """bulk_create in batches, for SQLite (tests); auto_now fields get the load time."""

    def lock(self, models: list) -> None:
        pass

    def write(self, model, fields: tuple[str, ...], rows: Iterable[tuple]) -> int:
        rows = iter(rows)
        count = 0
        while batch := [model(**dict(zip(fields, row, strict=True))) for row in itertools.islice(rows, 2000)]:
            model.objects.bulk_create(batch)
            count += len(batch)
        return count

    def finish(self, models: list) -> None:
        pass


def writer_for_database():
    return PostgresWriter() if connection.vendor == "postgresql" else DjangoWriter()


def zipf_cumulative(n: int, exponent: float) -> list[float]:
    """Cumulative weights where rank r is drawn in proportion to 1 / r**exponent."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, n + 1)))


def spoken(statement: str) -> str:
    """PolitiFact's "Says X" in the speaker's own words: X."""
    for prefix in ("Says that ", "Says "):
        if statement.startswith(prefix) and len(statement) > len(prefix) + 3:
            rest = statement[len(prefix) :]
            return rest[0].upper() + rest[1:]
    return statement


def lower_start(text: str) -> str:
    """Lower-case the first letter when it starts a common word, not a name."""
    first = text.split(" ", 1)[0].lower()
    return text[0].lower() + text[1:] if first in COMMON_STARTERS else text


def short_name(name: str) -> str:
    parts = name.split()
    return parts[-1] if len(parts) > 1 else name


def unique_slug(base: str, taken: set[str], limit: int = 200) -> str:
    base = (slugify(base) or "item")[:limit]
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: limit - len(suffix)] + suffix
    taken.add(slug)
    return slug


def at(day: datetime.date, rng: random.Random, first_hour: int = 6) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.randrange(first_hour, 23), rng.randrange(60), rng.randrange(60)), tzinfo=UTC
    )


class BulkGenerator:
    """Writes a Plan's rows through a writer, reporting each table's time."""

    def __init__(self, plan: Plan, corpus: Corpus, seed: int, writer, chunk: int = 5000) -> None:
        self.plan, self.corpus, self.seed, self.writer = plan, corpus, seed, writer
        self.chunk = chunk
        self.timings: dict[str, tuple[int, float]] = {}
        self.by_speaker: dict[str, list[int]] = defaultdict(list)  # LIAR speaker's name -> statement indexes
        for index, statement in enumerate(corpus.statements):
            self.by_speaker[statement.speaker].append(index)

    def rng(self, step: str) -> random.Random:
        # One stream per table: changing one table's code leaves the others' rows alone.
        return random.Random(f"{self.seed}:{step}")  # noqa: S311 (benchmark data, not secrets)

    def next_id(self, model) -> int:
        return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1

    def write(self, model, fields: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Write rows; the table is charged the time since the last write, generating its rows included."""
        count = self.writer.write(model, fields, rows)
        now = time.perf_counter()
        name = model._meta.db_table
        rows_before, seconds_before = self.timings.get(name, (0, 0.0))
        self.timings[name] = (rows_before + count, seconds_before + now - self.checkpoint)
        self.checkpoint = now
        return count

    def run(self) -> dict[str, tuple[int, float]]:
        models = [Outlet, Speaker, SpeakerAlias, Topic, Article, Quote, Claim, Source, Evidence, ClaimRelation]
        models += [Claim.quotes.through, Claim.topics.through]
        self.writer.lock(models)
        self.checkpoint = time.perf_counter()
        self.outlets()
        self.speakers()
        self.topics()
        self.articles_and_quotes()
        self.claims()
        self.sources()
        self.evidence()
        self.relations()
        self.writer.finish([Outlet, Speaker, Topic, Article, Quote, Claim, Source])
        # Rows written past the ORM send no signals: which quotes are public is worked out once, here.
        Quote.objects.filter(pk__gte=self.first_quote).refresh_public()
        return self.timings

    def outlets(self) -> None:
        rng = self.rng("outlets")
        first = self.next_id(Outlet)
        taken_slugs = set(Outlet.objects.values_list("slug", flat=True))
        kinds, weights = list(OUTLET_KIND_WEIGHTS), list(OUTLET_KIND_WEIGHTS.values())
        self.outlet_rows = []  # (id, name, slug, kind)
        rows = []
        for outlet_id in range(first, first + self.plan.outlets):
            kind = OutletKind.AGENCY if outlet_id == first else rng.choices(kinds, weights)[0]
            place, country = rng.choice(PLACES)
            name = rng.choice(OUTLET_PATTERNS[kind]).format(place=place)
            slug = unique_slug(name, taken_slugs)
            if slug != slugify(name):
                name = f"{name} ({slug.rsplit('-', 1)[1]})"
            created = at(FIRST_DAY, rng)
            homepage = f"https://{slug}.example.com/"
            rows.append((outlet_id, name, slug, kind, homepage, country, created, created))
            self.outlet_rows.append((outlet_id, name, slug, kind))
        fields = ("id", "name", "slug", "kind", "homepage", "country", "created_at", "modified_at")
        self.write(Outlet, fields, rows)
        self.agencies = [(outlet_id, name) for outlet_id, name, _slug, kind in self.outlet_rows if kind == "agency"]
        # Big outlets publish most articles.
        self.outlet_cumulative = zipf_cumulative(len(self.outlet_rows), 1.0)

    def speakers(self) -> None:
        """Each outlet speaks for its own reporting; LIAR's speakers lead a Zipf tail of invented names."""
        rng = self.rng("speakers")
        first = self.next_id(Speaker)
        taken = set(Speaker.objects.values_list("slug", flat=True))
        liar_counts = Counter(s.speaker for s in self.corpus.statements)
        organizations_named = {s.speaker for s in self.corpus.statements if s.organization}
        job_titles = {}
        for name in liar_counts:
            titles = Counter(self.corpus.statements[i].job_title for i in self.by_speaker[name])
            titles.pop("", None)
            job_titles[name] = titles.most_common(1)[0][0] if titles else ""
        people = [name for name in liar_counts if name not in organizations_named and " " in name]
        first_names = sorted({name.split()[0] for name in people})
        last_names = sorted({name.split()[-1] for name in people})
        all_titles = [s.job_title for s in self.corpus.statements if s.job_title]

        rows = []  # id, name, slug, kind, description, organization_id
        self.speaker_info = {}  # id -> (name, LIAR speaker's name or "")
        self.outlet_speaker = {}
        next_id = itertools.count(first)
        for outlet_id, name, slug, _kind in self.outlet_rows:
            speaker_id = next(next_id)
            rows.append((speaker_id, name, unique_slug(slug, taken), SpeakerKind.ORGANIZATION, "", None))
            self.outlet_speaker[outlet_id] = speaker_id
        room = self.plan.speakers - len(rows)
        organizations = list(self.outlet_speaker.values())
        quoting = []  # speakers who are quoted, most quoted first
        for liar_name, _count in liar_counts.most_common(room - room // 100):
            speaker_id = next(next_id)
            is_org = liar_name in organizations_named or " " not in liar_name
            kind = SpeakerKind.ORGANIZATION if is_org else SpeakerKind.PERSON
            name = liar_name[:200]
            rows.append((speaker_id, name, unique_slug(name, taken), kind, job_titles[liar_name][:300], None))
            self.speaker_info[speaker_id] = (name, liar_name)
            quoting.append(speaker_id)
            if is_org:
                organizations.append(speaker_id)
        names = {row[0]: row[1] for row in rows}
        taken_names = set(names.values())
        while len(rows) < self.plan.speakers:
            speaker_id = next(next_id)
            if rng.random() < 0.02:
                # "An official at X" belongs to X.
                org_id = rng.choice(organizations)
                name = rng.choice(ANONYMOUS_PATTERNS).format(org=names[org_id])[:200]
                rows.append((speaker_id, name, unique_slug(name, taken), SpeakerKind.ANONYMOUS, "", org_id))
            else:
                name = f"{rng.choice(first_names)} {rng.choice(last_names)}"
                if name in taken_names:
                    name = f"{name.split()[0]} {chr(rng.randrange(65, 91))}. {name.split()[1]}"
                taken_names.add(name)
                title = rng.choice(all_titles)[:300] if all_titles and rng.random() < 0.7 else ""
                rows.append((speaker_id, name, unique_slug(name, taken), SpeakerKind.PERSON, title, None))
            self.speaker_info[speaker_id] = (name, "")
            quoting.append(speaker_id)
        created = datetime.datetime.combine(FIRST_DAY, datetime.time(), tzinfo=UTC)
        fields = ("id", "name", "slug", "kind", "description", "organization_id", "created_at", "modified_at")
        self.write(Speaker, fields, (row + (created, created) for row in rows))
        self.speaker_title = {row[0]: row[4] for row in rows}
        self.speaker_name = {row[0]: row[1] for row in rows}
        self.quoting = quoting
        # Exponent 0.8: the head speakers get tens of thousands of quotes, the tail a few each.
        self.quoting_cumulative = zipf_cumulative(len(quoting), 0.8)
        self.aliases(rows, rng)

    def aliases(self, speakers: list[tuple], rng: random.Random) -> None:
        rows = []
        outlets = set(self.outlet_speaker.values())
        for speaker_id, name, _slug, kind, title, _org in speakers:
            names = set()
            if kind == SpeakerKind.PERSON and " " in name and rng.random() < 0.7:
                names.add(short_name(name))
                if title and len(title) < 40 and rng.random() < 0.3:
                    names.add(f"{title} {short_name(name)}")
            elif kind == SpeakerKind.ORGANIZATION and len(name.split()) >= 3 and speaker_id not in outlets:
                names.add("".join(word[0] for word in name.split() if word[0].isalpha()).upper())
            rows.extend((speaker_id, alias[:200]) for alias in {n.lower(): n for n in names}.values())
        self.write(SpeakerAlias, ("speaker_id", "name"), rows)

    def topics(self) -> None:
        existing = dict(Topic.objects.values_list("slug", "id"))
        taken_names = set(Topic.objects.values_list("name", flat=True))
        first = self.next_id(Topic)
        rows = []
        self.topic_ids = dict(existing)
        for subject in sorted({s for statement in self.corpus.statements for s in statement.subjects}):
            slug = slugify(subject)[:100]
            if not slug or slug in self.topic_ids or subject in taken_names:
                continue
            topic_id = first + len(rows)
            rows.append((topic_id, subject, slug))
            self.topic_ids[slug] = topic_id
            taken_names.add(subject)
        self.write(Topic, ("id", "name", "slug"), rows)

    def statement_for(self, speaker_id: int, rng: random.Random) -> int:
        """A LIAR speaker says their own statements; an invented one says anyone's."""
        liar_name = self.speaker_info.get(speaker_id, ("", ""))[1]
        own = self.by_speaker.get(liar_name)
        return rng.choice(own) if own else rng.randrange(len(self.corpus.statements))

    def quote_text(self, statement_index: int, speaker_id: int, kind: str, rng: random.Random) -> str:
        """The statement as printed for this kind of quote, varied so that repeats are rare."""
        text = spoken(self.corpus.statements[statement_index].text)
        roll = rng.random()
        if kind == QuoteKind.REPORTING:
            pass
        elif roll < 0.15:
            # One sentence of several, but not a stray "Mr." from a naive split.
            sentences = [sentence for sentence in SENTENCE_END.split(text) if len(sentence) >= 20]
            if len(sentences) > 1:
                text = rng.choice(sentences)
            else:
                cut = max(text.find(", ", 40), text.find("; ", 40))
                text = text[:cut] if cut > 0 else text
        elif kind == QuoteKind.INDIRECT:
            pass
        elif roll < 0.3:
            text = rng.choice(PREFACES) + lower_start(text)
        elif roll < 0.45:
            text = text + rng.choice(TAGS)
        elif roll < 0.65:
            text = f"{text} {spoken(self.corpus.statements[self.statement_for(speaker_id, rng)].text)}"
        if kind == QuoteKind.DIRECT:
            # Inside our quotation marks, the statement's own quotes become single ones.
            text = text.strip('" ').replace('"', "'")
        elif kind == QuoteKind.INDIRECT:
            text = lower_start(text)
        # The sentence's full stop is ours, outside the span.
        return text.strip().rstrip(". ") or self.corpus.statements[statement_index].text

    def articles_and_quotes(self) -> None:
        """Articles and their quotes in chunks: each body is written around its quotes."""
        rng = self.rng("articles")
        plan = self.plan
        first_article, first_quote = self.next_id(Article), self.next_id(Quote)
        # Cut points split the quotes into one run per article, at least one each.
        cuts = sorted(rng.sample(range(1, plan.quotes), plan.articles - 1)) + [plan.quotes]
        self.first_quote = first_quote
        self.quote_speaker = array("q")
        self.quote_statement = array("l")
        self.quote_day = array("l")  # said_on as an ordinal
        article_fields = (
            "id", "url", "outlet_id", "credited_to_id", "headline", "byline", "language", "published_at",
            "updated_at", "body", "created_at", "modified_at",
        )  # fmt: skip
        quote_fields = (
            "id", "article_id", "speaker_id", "text", "kind", "start", "end", "speaker_title", "said_on",
            "said_on_precision", "via", "created_at", "modified_at",
        )  # fmt: skip
        previous_cut = 0
        for chunk_start in range(0, plan.articles, self.chunk):
            articles, quotes = [], []
            for index in range(chunk_start, min(chunk_start + self.chunk, plan.articles)):
                count = cuts[index] - previous_cut
                previous_cut = cuts[index]
                self.article(first_article + index, first_quote + len(self.quote_speaker), count, rng, articles, quotes)
            self.write(Article, article_fields, articles)
            self.write(Quote, quote_fields, quotes)

    def article(self, article_id: int, quote_id: int, count: int, rng: random.Random, articles, quotes) -> None:
        outlet_id, outlet_name, outlet_slug, outlet_kind = rng.choices(
            self.outlet_rows, cum_weights=self.outlet_cumulative
        )[0]
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(SPAN_DAYS))
        published = at(day, rng)
        created = published + datetime.timedelta(minutes=rng.randrange(5, 600))
        # An article quotes one to three people, over and over.
        cast = rng.choices(self.quoting, cum_weights=self.quoting_cumulative, k=min(count, rng.randint(1, 3)))
        first_statement = first_speaker = None
        parts: list[str] = []
        length = 0
        mentioned: set[int] = set()
        for n in range(count):
            kind = rng.choices([QuoteKind.DIRECT, QuoteKind.INDIRECT, QuoteKind.REPORTING], [70, 22, 8])[0]
            speaker_id = self.outlet_speaker[outlet_id] if kind == QuoteKind.REPORTING else rng.choice(cast)
            statement = self.statement_for(speaker_id, rng)
            if first_statement is None:
                first_statement, first_speaker = statement, speaker_id
            text = self.quote_text(statement, speaker_id, kind, rng)
            title = self.speaker_title.get(speaker_id, "") if rng.random() < 0.5 else ""
            name = self.speaker_name[speaker_id]
            reference = name if speaker_id not in mentioned else short_name(name)
            if title and speaker_id not in mentioned and len(title) < 60:
                reference = f"{title} {name}"
            mentioned.add(speaker_id)
            if n == 0:
                subject = self.corpus.statements[statement].subjects[0]
                lead = rng.choice(LEADS).format(topic=subject.lower(), day=day.strftime("%A"))
                parts.append(lead + " ")
                length += len(lead) + 1
            elif rng.random() < 0.6:
                connective = rng.choice(CONNECTIVES) + ("\n\n" if rng.random() < 0.4 else " ")
                parts.append(connective)
                length += len(connective)
            anchored = rng.random() >= 0.03
            if kind == QuoteKind.DIRECT:
                before, after = rng.choice(
                    [(f'{reference} said: "', '." '), ('"', f'," {reference} said. '), ('"', f'," {reference} added. ')]
                )
            elif kind == QuoteKind.INDIRECT:
                before, after = f"{reference} {rng.choice(SAY_VERBS)} that ", ". "
            else:
                before, after = "", ("" if text[-1] in "!?" else ".") + " "
            start = end = None
            if anchored:
                start = length + len(before)
                end = start + len(text)
                sentence = before + text + after
                parts.append(sentence)
                length += len(sentence)
            said = day - datetime.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 3, 7]))
            precision = rng.choices([DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR], [88, 9, 3])[0]
            if precision == DatePrecision.MONTH:
                said = said.replace(day=1)
            elif precision == DatePrecision.YEAR:
                said = said.replace(month=1, day=1)
            via = ""
            if kind == QuoteKind.INDIRECT and self.agencies and rng.random() < 0.15:
                via = rng.choice(self.agencies)[1]
            quotes.append(
                (
                    quote_id + n, article_id, speaker_id, text, kind, start, end, title[:300], said, precision,
                    via[:300], created, created,
                )
            )  # fmt: skip
            self.quote_speaker.append(speaker_id)
            self.quote_statement.append(statement)
            self.quote_day.append(said.toordinal())
        body = "".join(parts).rstrip()
        lead_speaker = self.speaker_name[first_speaker]
        words = spoken(self.corpus.statements[first_statement].text).rstrip(".").split()
        excerpt = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
        topic = self.corpus.statements[first_statement].subjects[0].lower()
        headline = rng.choice(
            [f"{lead_speaker} says {lower_start(excerpt)}", f"Fact check: {lead_speaker} on {topic}", excerpt]
        )[:500]
        credited = None
        if self.agencies and outlet_kind != OutletKind.AGENCY and rng.random() < 0.12:
            credited = rng.choice(self.agencies)[0]
        byline = "" if rng.random() < 0.15 else f"By {self.speaker_name[rng.choice(self.quoting)]}"[:300]
        updated = published + datetime.timedelta(hours=rng.randrange(1, 48)) if rng.random() < 0.2 else None
        url = f"https://{outlet_slug}.example.com/{day:%Y/%m/%d}/{slugify(excerpt)[:80]}-{article_id}"
        articles.append(
            (article_id, url, outlet_id, credited, headline, byline, "en", published, updated, body, created, created)
        )

    def claims(self) -> None:
        """Claims restate a quote in the editor's words, with LIAR's real verdict."""
        rng = self.rng("claims")
        first = self.next_id(Claim)
        self.first_claim = first
        self.claim_statement = array("l")
        self.claim_rating = []
        quotes_of = defaultdict(list)
        for index, speaker_id in enumerate(self.quote_speaker):
            quotes_of[speaker_id].append(index)
        rows, quote_links, topic_links = [], [], []
        statuses = [ClaimStatus.PUBLISHED, ClaimStatus.IN_REVIEW, ClaimStatus.DRAFT]
        for claim_id in range(first, first + self.plan.claims):
            quote = rng.randrange(len(self.quote_speaker))
            claimant = self.quote_speaker[quote]
            statement = self.corpus.statements[self.quote_statement[quote]]
            text = statement.text
            if text.startswith("Says ") and rng.random() < 0.5:
                text = f"{self.speaker_name[claimant]} says {text[5:]}"
            made_on = datetime.date.fromordinal(self.quote_day[quote])
            created = at(made_on + datetime.timedelta(days=rng.randrange(6)), rng)
            status = rng.choices(statuses, [70, 10, 20])[0]
            rating, summary, published = "", "", None
            if status == ClaimStatus.PUBLISHED or (status == ClaimStatus.IN_REVIEW and rng.random() < 0.5):
                rating = statement.rating
            if status == ClaimStatus.PUBLISHED:
                summary = liar.RATING_SUMMARIES[rating]
                published = created + datetime.timedelta(days=rng.randrange(1, 21), hours=rng.randrange(24))
            rows.append(
                (claim_id, text, claimant, made_on, status, rating, summary, published, created, published or created)
            )
            self.claim_statement.append(self.quote_statement[quote])
            self.claim_rating.append(rating)
            linked = {self.first_quote + quote}
            if rng.random() < 0.25:
                linked.add(self.first_quote + rng.choice(quotes_of[claimant]))
            quote_links.extend((claim_id, quote_id) for quote_id in sorted(linked))
            topics = {self.topic_ids[slugify(s)[:100]] for s in statement.subjects[:3] if slugify(s)}
            topic_links.extend((claim_id, topic_id) for topic_id in sorted(topics))
        fields = (
            "id", "text", "claimant_id", "made_on", "status", "rating", "rating_summary", "published_at",
            "created_at", "modified_at",
        )  # fmt: skip
        self.write(Claim, fields, rows)
        self.write(Claim.quotes.through, ("claim_id", "quote_id"), quote_links)
        self.write(Claim.topics.through, ("claim_id", "topic_id"), topic_links)

    def sources(self) -> None:
        rng = self.rng("sources")
        first = self.next_id(Source)
        self.first_source = first
        kinds = list(SourceKind.values)
        rows = []
        for source_id in range(first, first + self.plan.sources):
            statement = rng.choice(self.corpus.statements)
            kind = rng.choices(kinds, [40, 20, 10, 15, 7, 5, 3])[0]
            day = FIRST_DAY + datetime.timedelta(days=rng.randrange(SPAN_DAYS))
            outlet_id, outlet_name, outlet_slug, _kind = rng.choice(self.outlet_rows)
            topic = statement.subjects[0]
            context = statement.context or "a statement"
            title = rng.choice(
                [
                    f"{topic}: figures for {day.year}",
                    f"Transcript of {context}, {day:%B %Y}",
                    f"{outlet_name} on {topic.lower()}",
                    f"Report on {topic.lower()} ({day.year})",
                ]
            )[:500]
            if rng.random() < 0.6:
                url = f"https://{outlet_slug}.example.com/{kind.replace('_', '-')}s/{source_id}"
            else:
                outlet_id = None
                url = f"https://records.example.org/{kind.replace('_', '-')}s/{day:%Y}/{source_id}"
            archived = f"https://web.archive.org/web/{day:%Y%m%d}000000/{url}" if rng.random() < 0.4 else ""
            created = at(day, rng)
            rows.append((source_id, url, title, outlet_id, kind, day, archived, created, created))
        fields = (
            "id",
            "url",
            "title",
            "outlet_id",
            "kind",
            "published_on",
            "archived_url",
            "created_at",
            "modified_at",
        )
        self.write(Source, fields, rows)

    def evidence(self) -> None:
        rng = self.rng("evidence")
        stances = {
            True: ["refutes"] * 6 + ["context"] * 3 + ["supports"],
            False: ["supports"] * 6 + ["context"] * 3 + ["refutes"],
        }
        seen = set()
        rows = []
        attempts = 0
        while len(rows) < self.plan.evidence and attempts < self.plan.evidence * 5:
            attempts += 1
            claim = rng.randrange(self.plan.claims)
            source_id = self.first_source + rng.randrange(self.plan.sources)
            if (claim, source_id) in seen:
                continue
            seen.add((claim, source_id))
            rating = self.claim_rating[claim]
            stance = rng.choice(stances[rating in FALSE_SIDE]) if rating else "context"
            excerpt = rng.choice(self.corpus.statements).text if rng.random() < 0.7 else ""
            note = rng.choice(EVIDENCE_NOTES) if rng.random() < 0.2 else ""
            created = datetime.datetime.combine(FIRST_DAY, datetime.time(), tzinfo=UTC) + datetime.timedelta(
                days=rng.randrange(SPAN_DAYS)
            )
            rows.append((self.first_claim + claim, source_id, stance, excerpt, note, created, created))
        fields = ("claim_id", "source_id", "stance", "excerpt", "note", "created_at", "modified_at")
        self.write(Evidence, fields, rows)

    def relations(self) -> None:
        """Restatements of one LIAR statement are the same claim; claims on one topic contradict or support."""
        rng = self.rng("relations")
        by_statement, by_rating_side = defaultdict(list), defaultdict(list)
        for claim, statement in enumerate(self.claim_statement):
            by_statement[statement].append(claim)
            subject = self.corpus.statements[statement].subjects[0]
            by_rating_side[subject, self.claim_rating[claim] in FALSE_SIDE].append(claim)
        pairs, rows = set(), []
        attempts = 0
        while len(rows) < self.plan.relations and attempts < self.plan.relations * 20:
            attempts += 1
            a = rng.randrange(self.plan.claims)
            statement = self.claim_statement[a]
            subject = self.corpus.statements[statement].subjects[0]
            false_side = self.claim_rating[a] in FALSE_SIDE
            roll = rng.random()
            if roll < 0.25:
                relation, b = Relation.SAME_CLAIM, rng.choice(by_statement[statement])
            elif roll < 0.65:
                # A claim rated false contradicts one on the same subject rated true.
                relation, b = Relation.CONTRADICTS, rng.choice(by_rating_side[subject, not false_side] or [a])
            else:
                relation, b = Relation.SUPPORTS, rng.choice(by_rating_side[subject, false_side])
            pair = (min(a, b), max(a, b))
            if a == b or pair in pairs:
                continue
            pairs.add(pair)
            if relation in (Relation.SAME_CLAIM, Relation.CONTRADICTS):
                a, b = pair
            created = datetime.datetime.combine(FIRST_DAY, datetime.time(), tzinfo=UTC) + datetime.timedelta(
                days=rng.randrange(SPAN_DAYS)
            )
            rows.append((self.first_claim + a, self.first_claim + b, relation, "", created, created))
        fields = ("from_claim_id", "to_claim_id", "relation", "note", "created_at", "modified_at")
        self.write(ClaimRelation, fields, rows)
