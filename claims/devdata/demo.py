"""A small demo newsroom, written for this project.

Every person, outlet and figure here is invented, so no real person is put on
record as having said anything. The shapes are the real ones: a wire story
carried by a newspaper, a broadcaster's report, an online explainer; direct
quotes, reported speech and an unnamed official; claims at each stage of
review, with verdicts, evidence and contradictions.

load_demo() is idempotent: each row is looked up by its natural key first.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction

from claims import services
from claims.choices import ClaimStatus, QuoteKind, Rating, Relation, Role, SpeakerKind, Stance
from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker, Topic

UTC = datetime.UTC

OUTLETS = [
    {"name": "Continental Press Agency", "kind": "agency", "country": "GB", "homepage": "https://cpa.example.net"},
    {"name": "Northbridge Herald", "kind": "newspaper", "country": "GB", "homepage": "https://herald.example.com"},
    {"name": "Channel 9 Riverside", "kind": "broadcaster", "country": "GB", "homepage": "https://c9.example.tv"},
    {"name": "Civic Ledger", "kind": "online", "country": "GB", "homepage": "https://civicledger.example.org"},
    {
        "name": "Office for Public Statistics",
        "kind": "government",
        "country": "GB",
        "homepage": "https://stats.example.gov",
    },
]

SPEAKERS = [
    {"name": "Ministry of Finance", "kind": SpeakerKind.ORGANIZATION, "aliases": ["the Treasury"]},
    {
        "name": "Helena Marsh",
        "kind": SpeakerKind.PERSON,
        "description": "Finance Minister",
        "organization": "Ministry of Finance",
        "aliases": ["Marsh"],
        "wikidata_id": "",
    },
    {
        "name": "Tom Okafor",
        "kind": SpeakerKind.PERSON,
        "description": "Opposition finance spokesman",
        "aliases": ["Okafor"],
    },
    {"name": "Priya Raman", "kind": SpeakerKind.PERSON, "description": "Health Secretary", "aliases": ["Raman"]},
    {"name": "National Nurses' Union", "kind": SpeakerKind.ORGANIZATION, "aliases": ["the union", "NNU"]},
    {"name": "a Treasury official", "kind": SpeakerKind.ANONYMOUS, "organization": "Ministry of Finance"},
]

ARTICLES = [
    {
        "url": "https://herald.example.com/politics/2026/03/10/budget-balanced-next-year",
        "outlet": "Northbridge Herald",
        "credited_to": "Continental Press Agency",
        "headline": "Finance minister says budget will be balanced by 2027",
        "byline": "By Anna Kowalczyk",
        "published_at": datetime.datetime(2026, 3, 10, 9, 15, tzinfo=UTC),
        "body": (
            "NORTHBRIDGE (CPA) - Finance Minister Helena Marsh said on Tuesday that the national budget would be "
            "balanced by 2027, a year earlier than her ministry forecast in the autumn.\n\n"
            "\u201cWe will close the gap by 2027 without raising a single tax,\u201d Marsh told parliament. "
            "\u201cThe numbers are there for anyone to read.\u201d\n\n"
            "Opposition finance spokesman Tom Okafor said the projections left out the rising cost of public "
            "sector pensions. \u201cThis is a budget balanced on paper and nowhere else,\u201d he said.\n\n"
            "A Treasury official, speaking on condition of anonymity, said the forecast assumed growth of 3 percent "
            "a year, above the 1.4 percent the independent Fiscal Council expects."
        ),
    },
    {
        "url": "https://c9.example.tv/news/health/waiting-lists-fall-2026-03-12",
        "outlet": "Channel 9 Riverside",
        "headline": "Hospital waiting lists down by a third, health secretary says",
        "byline": "Channel 9 Riverside health desk",
        "published_at": datetime.datetime(2026, 3, 12, 18, 0, tzinfo=UTC),
        "body": (
            "Health Secretary Priya Raman said hospital waiting lists had fallen by a third since January.\n\n"
            "\u201cWaiting lists have fallen by a third since January, and they are still falling,\u201d "
            "Raman told Channel 9 Riverside.\n\n"
            "The National Nurses' Union disputed the figure. The union said waiting lists had grown since January "
            "once patients moved to private clinics were counted."
        ),
    },
    {
        "url": "https://civicledger.example.org/explainers/jobs-and-the-budget",
        "outlet": "Civic Ledger",
        "headline": "Explainer: what the jobs figures say about the budget row",
        "byline": "Sam Adeyemi",
        "published_at": datetime.datetime(2026, 3, 14, 7, 30, tzinfo=UTC),
        "body": (
            "Tom Okafor said in a radio interview on Friday that \u201cunemployment is at its highest level in a "
            "decade.\u201d\n\n"
            "Helena Marsh has repeatedly said that unemployment has fallen for six straight quarters, and on Friday "
            "she again said the budget would be balanced by 2027.\n\n"
            "The Office for Public Statistics puts unemployment at 4.1 percent, down from 4.3 percent a year ago."
        ),
    },
]

# (key, article url suffix, speaker, words as printed, kind, title as printed, said on, via)
QUOTES = [
    (
        "marsh-balanced",
        0,
        "Helena Marsh",
        "the national budget would be balanced by 2027",
        QuoteKind.INDIRECT,
        "Finance Minister",
        datetime.date(2026, 3, 10),
        "Continental Press Agency",
    ),
    (
        "marsh-no-tax",
        0,
        "Helena Marsh",
        "We will close the gap by 2027 without raising a single tax,",
        QuoteKind.DIRECT,
        "Finance Minister",
        datetime.date(2026, 3, 10),
        "Continental Press Agency",
    ),
    (
        "okafor-pensions",
        0,
        "Tom Okafor",
        "the projections left out the rising cost of public sector pensions",
        QuoteKind.INDIRECT,
        "Opposition finance spokesman",
        datetime.date(2026, 3, 10),
        "Continental Press Agency",
    ),
    (
        "okafor-paper",
        0,
        "Tom Okafor",
        "This is a budget balanced on paper and nowhere else,",
        QuoteKind.DIRECT,
        "Opposition finance spokesman",
        datetime.date(2026, 3, 10),
        "Continental Press Agency",
    ),
    (
        "official-growth",
        0,
        "a Treasury official",
        "the forecast assumed growth of 3 percent a year",
        QuoteKind.INDIRECT,
        "",
        datetime.date(2026, 3, 10),
        "Continental Press Agency",
    ),
    (
        "raman-third",
        1,
        "Priya Raman",
        "Waiting lists have fallen by a third since January, and they are still falling,",
        QuoteKind.DIRECT,
        "Health Secretary",
        datetime.date(2026, 3, 12),
        "",
    ),
    (
        "union-grown",
        1,
        "National Nurses' Union",
        "waiting lists had grown since January",
        QuoteKind.INDIRECT,
        "",
        datetime.date(2026, 3, 12),
        "",
    ),
    (
        "okafor-unemployment",
        2,
        "Tom Okafor",
        "unemployment is at its highest level in a decade.",
        QuoteKind.DIRECT,
        "",
        datetime.date(2026, 3, 13),
        "a radio interview",
    ),
    (
        "marsh-quarters",
        2,
        "Helena Marsh",
        "unemployment has fallen for six straight quarters",
        QuoteKind.INDIRECT,
        "",
        None,
        "",
    ),
    (
        "marsh-balanced-again",
        2,
        "Helena Marsh",
        "the budget would be balanced by 2027",
        QuoteKind.INDIRECT,
        "",
        datetime.date(2026, 3, 13),
        "",
    ),
]

SOURCES = [
    {
        "url": "https://fiscalcouncil.example.gov/reports/2026-spring-outlook",
        "title": "Spring fiscal outlook 2026",
        "kind": "document",
        "outlet": None,
        "published_on": datetime.date(2026, 3, 2),
    },
    {
        "url": "https://stats.example.gov/labour-market/2026-q1",
        "title": "Labour market overview, Q1 2026",
        "kind": "dataset",
        "outlet": "Office for Public Statistics",
        "published_on": datetime.date(2026, 3, 11),
    },
    {
        "url": "https://stats.example.gov/health/waiting-lists-2026-02",
        "title": "Hospital waiting lists, February 2026",
        "kind": "dataset",
        "outlet": "Office for Public Statistics",
        "published_on": datetime.date(2026, 3, 5),
    },
]

# text, claimant, quote keys, topics, status, (rating, summary), evidence [(source url, stance, excerpt)]
CLAIMS = [
    (
        "The national budget will be balanced by 2027 without tax rises.",
        "Helena Marsh",
        ["marsh-balanced", "marsh-no-tax", "marsh-balanced-again"],
        ["Public finances"],
        ClaimStatus.PUBLISHED,
        (Rating.MOSTLY_FALSE, "Balancing by 2027 needs 3% growth a year; the Fiscal Council expects 1.4%."),
        [(SOURCES[0]["url"], Stance.REFUTES, "We project a deficit of 1.9% of GDP in 2027.")],
    ),
    (
        "The budget projections leave out the rising cost of public sector pensions.",
        "Tom Okafor",
        ["okafor-pensions"],
        ["Public finances", "Pensions"],
        ClaimStatus.IN_REVIEW,
        None,
        [(SOURCES[0]["url"], Stance.CONTEXT, "Pension liabilities are reported separately from the budget balance.")],
    ),
    (
        "Hospital waiting lists have fallen by a third since January.",
        "Priya Raman",
        ["raman-third"],
        ["Health"],
        ClaimStatus.PUBLISHED,
        (
            Rating.HALF_TRUE,
            "Lists fell 31% in public hospitals, but patients moved to private clinics are not counted.",
        ),
        [(SOURCES[2]["url"], Stance.SUPPORTS, "Patients waiting: 412,000 (January) to 284,000 (February).")],
    ),
    (
        "Hospital waiting lists have grown since January.",
        "National Nurses' Union",
        ["union-grown"],
        ["Health"],
        ClaimStatus.DRAFT,
        None,
        [],
    ),
    (
        "Unemployment is at its highest level in a decade.",
        "Tom Okafor",
        ["okafor-unemployment"],
        ["Jobs"],
        ClaimStatus.PUBLISHED,
        (Rating.FALSE, "Unemployment is 4.1%, below its level in each of the past ten years."),
        [(SOURCES[1]["url"], Stance.REFUTES, "Unemployment rate: 4.1% (Q1 2026), 4.3% (Q1 2025).")],
    ),
    (
        "Unemployment has fallen for six straight quarters.",
        "Helena Marsh",
        ["marsh-quarters"],
        ["Jobs"],
        ClaimStatus.DRAFT,
        None,
        [(SOURCES[1]["url"], Stance.SUPPORTS, "The rate has fallen in each of the last six quarters.")],
    ),
]

# (claim index, claim index, relation, note)
RELATIONS = [
    (2, 3, Relation.CONTRADICTS, "The minister says lists fell by a third; the union says they grew."),
    (4, 5, Relation.CONTRADICTS, "Highest in a decade cannot be true if it fell six quarters running."),
    (1, 0, Relation.SUPPORTS, "Unbudgeted pension costs would make a 2027 balance harder."),
]

DEMO_ACCOUNTS = [
    ("editor", Role.EDITOR, "Erin", "Editor"),
    ("reporter", Role.REPORTER, "Rita", "Reporter"),
    ("admin", Role.ADMIN, "Ada", "Admin"),
]


@dataclass
class DemoAccount:
    username: str
    role: str
    password: str | None  # None when the account existed and was left as it was


def _outlet(name: str | None) -> Outlet | None:
    return Outlet.objects.get(name=name) if name else None


DEMO_COMMENT = "Can we get the pension fund's own projection before we rate this? The budget office's is two years old."


@transaction.atomic
def load_demo(*, reset_passwords: bool = False) -> list[DemoAccount]:
    accounts = [_account(*spec, reset_password=reset_passwords) for spec in DEMO_ACCOUNTS]
    editor = User.objects.get(username="editor")
    reporter = User.objects.get(username="reporter")

    for spec in OUTLETS:
        if not Outlet.objects.filter(name=spec["name"]).exists():
            services.record_outlet(**spec, acting_user=editor)

    for spec in SPEAKERS:
        if not Speaker.objects.filter(name=spec["name"]).exists():
            organization = Speaker.objects.get(name=spec["organization"]) if spec.get("organization") else None
            services.record_speaker(**{**spec, "organization": organization}, acting_user=reporter)

    articles = []
    for spec in ARTICLES:
        article = Article.objects.filter(url=spec["url"]).first()
        if article is None:
            fields = {**spec, "outlet": _outlet(spec["outlet"]), "credited_to": _outlet(spec.get("credited_to"))}
            article = services.record_article(**fields, acting_user=reporter)
        articles.append(article)

    quotes = {}
    for key, article_index, speaker, words, kind, title, said_on, via in QUOTES:
        article = articles[article_index]
        quote = Quote.objects.filter(article=article, text=words).first() or services.record_quote(
            article=article,
            speaker=Speaker.objects.get(name=speaker),
            text=words,
            kind=kind,
            speaker_title=title,
            said_on=said_on,
            via=via,
            acting_user=reporter,
        )
        quotes[key] = quote

    for spec in SOURCES:
        if not Source.objects.filter(url=spec["url"]).exists():
            services.record_source(**{**spec, "outlet": _outlet(spec["outlet"])}, acting_user=reporter)

    claims = []
    for text, claimant, quote_keys, topic_names, status, verdict, evidence in CLAIMS:
        claim = Claim.objects.filter(text=text).first()
        if claim is None:
            topics = [
                Topic.objects.filter(name=n).first() or services.record_topic(name=n, acting_user=editor)
                for n in topic_names
            ]
            claim = services.make_claim(
                text=text,
                claimant=Speaker.objects.get(name=claimant),
                quotes=[quotes[k] for k in quote_keys],
                topics=topics,
                acting_user=reporter,
            )
            for url, stance, excerpt in evidence:
                services.attach_evidence(
                    claim=claim,
                    source=Source.objects.get(url=url),
                    stance=stance,
                    excerpt=excerpt,
                    acting_user=reporter,
                )
            if verdict:
                services.rate_claim(claim=claim, rating=verdict[0], summary=verdict[1], acting_user=editor)
            if status != ClaimStatus.DRAFT:
                services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)
            if status == ClaimStatus.PUBLISHED:
                services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
        claims.append(claim)

    for first, second, relation, note in RELATIONS:
        a, b = claims[first], claims[second]
        linked = ClaimRelation.objects.filter(from_claim__in=[a, b], to_claim__in=[a, b]).exists()
        if not linked:
            services.relate_claims(claim=a, other=b, relation=relation, note=note, acting_user=editor)

    # The desk's working state: the claim in review is the reporter's to check, with a question on it.
    in_review = Claim.objects.in_review().get(pk__in=[claim.pk for claim in claims])
    if in_review.assignee_id is None:
        services.assign_claim(claim=in_review, assignee=reporter, acting_user=editor)
    if not in_review.comments.exists():
        services.comment_on_claim(claim=in_review, body=DEMO_COMMENT, acting_user=editor)
    return accounts


def _account(username: str, role: str, first_name: str, last_name: str, *, reset_password: bool) -> DemoAccount:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name, "is_staff": True}
    )
    user.groups.add(Group.objects.get(name=role))
    if not (created or reset_password):
        return DemoAccount(username, role, None)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    return DemoAccount(username, role, password)


def demo_counts() -> dict[str, int]:
    return {
        model._meta.verbose_name_plural: model.objects.count()
        for model in (Outlet, Article, Speaker, Quote, Claim, Source, Evidence, ClaimRelation)
    }
