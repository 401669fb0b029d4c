"""The article the project started from, loaded through the services exactly as hand-annotated."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.choices import DatePrecision, QuoteKind, Relation
from claims.models import Claim, ClaimRelation, Quote
from claims.services import system_account
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db


def _date(value: str) -> tuple[datetime.date, str]:
    """Gold dates are "2023-08-26" or, when only the month is known, "2023-06"."""
    if len(value) == 7:
        return datetime.date.fromisoformat(f"{value}-01"), DatePrecision.MONTH
    return datetime.date.fromisoformat(value), DatePrecision.DAY


def load_gold(editor):
    gold = json.loads(shared_data("seed-article.gold.json").read_text(encoding="utf-8"))
    body = shared_data(gold["document"]).read_text(encoding="utf-8")
    meta = gold["article"]

    outlet = services.record_outlet(name="The Daily Star", kind="newspaper", acting_user=editor)
    agency = services.record_outlet(name=meta["credited_to"], kind="agency", acting_user=editor)
    article = services.record_article(
        url="https://www.thedailystar.net/news/world/russia-iran-military-ties",
        outlet=outlet,
        credited_to=agency,
        headline=meta["headline"],
        body=body,
        language=meta["language"],
        published_at=datetime.datetime.fromisoformat(meta["published_at"] + "+06:00"),
        updated_at=datetime.datetime.fromisoformat(meta["updated_at"] + "+06:00"),
        acting_user=editor,
    )

    speakers = {}
    organizations = {}
    for entry in gold["speakers"]:
        organization = None
        if entry.get("organization"):
            name = entry["organization"]
            organization = organizations.get(name) or services.record_speaker(
                name=name, kind="organization", acting_user=editor
            )
            organizations[name] = organization
        speakers[entry["id"]] = services.record_speaker(
            name=entry["name"],
            kind=entry["kind"],
            description=entry.get("title", ""),
            organization=organization,
            aliases=entry.get("aliases", []),
            acting_user=editor,
        )

    quotes = {}
    for entry in gold["quotes"]:
        said_on, precision = _date(entry["said_on"]) if "said_on" in entry else (None, DatePrecision.DAY)
        if "via" in entry:
            via = speakers[entry["via"]].name
        else:
            via = "; ".join(speakers[s].name if s in speakers else s for s in entry.get("via_sources", []))
        start, end = entry["span"]
        quotes[entry["id"]] = services.record_quote(
            article=article,
            speaker=speakers[entry["speaker"]],
            text=entry["text"],
            kind=entry["kind"],
            start=start,
            end=end,
            said_on=said_on,
            said_on_precision=precision,
            via=via,
            acting_user=editor,
        )

    claims = {}
    for entry in gold["claims"]:
        stated_by = [quotes[q] for q in entry.get("quotes", [])]
        if "span" in entry:
            # The outlet's own reporting: anchored like a quote, spoken by the outlet.
            start, end = entry["span"]
            stated_by.append(
                services.record_quote(
                    article=article,
                    speaker=speakers[entry["claimant"]],
                    text=body[start:end],
                    kind=QuoteKind.REPORTING,
                    start=start,
                    end=end,
                    acting_user=editor,
                )
            )
        claims[entry["id"]] = services.make_claim(
            text=entry["text"], claimant=speakers[entry["claimant"]], quotes=stated_by, acting_user=editor
        )

    for index, entry in enumerate(gold["contradictions"]):
        # Link one pair in the annotated order and the other reversed.
        first, second = (entry["a"], entry["b"]) if index % 2 == 0 else (entry["b"], entry["a"])
        services.relate_claims(
            claim=claims[first],
            other=claims[second],
            relation=Relation.CONTRADICTS,
            note=entry["why"],
            acting_user=system_account(),
        )
    return gold, body, article, speakers, quotes, claims


def test_the_seven_quotes_sit_at_their_spans_with_speaker_and_via(editor):
    gold, body, article, speakers, quotes, _ = load_gold(editor)
    assert len(gold["quotes"]) == 7
    for entry in gold["quotes"]:
        quote = Quote.objects.select_related("speaker").get(pk=quotes[entry["id"]].pk)
        start, end = entry["span"]
        assert (quote.start, quote.end) == (start, end)
        assert quote.text == body[start:end]
        # The gold text is typed with plain spaces; the stored one keeps the article's own.
        assert " ".join(quote.text.split()) == " ".join(entry["text"].split())
        assert quote.speaker == speakers[entry["speaker"]]
        assert quote.kind == entry["kind"]
        if "via" in entry:
            assert quote.via == speakers[entry["via"]].name
    ryabkov = speakers["ryabkov"]
    assert ryabkov.description == "Russian Deputy Foreign Minister"
    assert list(ryabkov.aliases.values_list("name", flat=True)) == ["Ryabkov"]
    assert Quote.objects.get(pk=quotes["q4"].pk).via == "an Iranian official; another person familiar with the talks"
    assert Quote.objects.get(pk=quotes["q7"].pk).said_on_precision == DatePrecision.MONTH
    assert speakers["wh-official"].organization.name == "White House"


def test_the_six_claims_link_to_the_quotes_that_state_them(editor):
    gold, body, _, speakers, quotes, claims = load_gold(editor)
    assert len(gold["claims"]) == 6
    for entry in gold["claims"]:
        claim = Claim.objects.get(pk=claims[entry["id"]].pk)
        assert claim.claimant == speakers[entry["claimant"]]
        linked = set(claim.quotes.all())
        assert {quotes[q] for q in entry.get("quotes", [])} <= linked
        if "span" in entry:
            (reporting,) = linked
            assert reporting.kind == QuoteKind.REPORTING
            assert (reporting.start, reporting.end) == tuple(entry["span"])


def test_the_two_contradictions_are_stored_once_each_whatever_the_order_linked(editor):
    gold, _, _, _, _, claims = load_gold(editor)
    assert ClaimRelation.objects.count() == 2
    for entry in gold["contradictions"]:
        a, b = claims[entry["a"]], claims[entry["b"]]
        stored = ClaimRelation.objects.get(relation=Relation.CONTRADICTS, from_claim=min(a, b, key=lambda c: c.pk))
        assert {stored.from_claim, stored.to_claim} == {a, b}
        with pytest.raises(ValidationError):
            services.relate_claims(claim=b, other=a, relation=Relation.CONTRADICTS, acting_user=system_account())
    assert ClaimRelation.objects.count() == 2
    assert Claim.objects.contradicted(system_account()).count() == 4
