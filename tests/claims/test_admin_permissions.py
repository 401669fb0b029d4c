"""The admin's permission matrix: every claims model × role × view, add, change and delete, and the database after.

As tests/api/test_permissions.py does for the API. Roles: an anonymous
visitor, a signed-in outsider with is_staff but no newsroom role, a reporter
(who did not create the newsroom's rows), an editor and an admin. The rows
changed and deleted are an editor's; those changed are published.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from claims.choices import ClaimStatus, Relation, Role, Stance
from claims.models import (
    Article,
    Claim,
    ClaimRelation,
    Evidence,
    ImportRun,
    Job,
    Outlet,
    Quote,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    OutletFactory,
    QuoteFactory,
    SourceFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "reporter", "editor", "admin"]
MODELS = [Outlet, Article, Speaker, SpeakerAlias, Quote, Topic, Claim, Source, Evidence, ClaimRelation]


def test_the_matrix_covers_every_claims_model_in_the_admin():
    # The record of imports is read-only, for editors: test_admin_imports.py; jobs, for their starters and
    # editors: tests/jobs/test_who_sees_a_job.py.
    registered = {model for model in admin.site._registry if model._meta.app_label == "claims"}
    assert set(MODELS) == registered - {ImportRun, Job}


# --- the newsroom: an editor's published work, and rows nothing uses --------------------


@dataclass
class Newsroom:
    outlet: Outlet
    article: Article
    speaker: Speaker
    alias: SpeakerAlias
    quote: Quote
    topic: Topic
    claim: Claim
    other_claim: Claim
    draft_claim: Claim
    source: Source
    evidence: Evidence
    relation: ClaimRelation


@pytest.fixture
def newsroom(editor):
    outlet = OutletFactory(created_by=editor)
    quote = QuoteFactory(article=ArticleFactory(outlet=outlet, created_by=editor), created_by=editor)
    quote.speaker.created_by = editor
    quote.speaker.save()
    claim = ClaimFactory(published=True, claimant=quote.speaker, created_by=editor)
    claim.quotes.add(quote)
    topic = Topic.objects.create(name="Public finances", slug="public-finances")
    claim.topics.add(topic)
    other_claim = ClaimFactory(published=True, created_by=editor)
    evidence = EvidenceFactory(claim=claim, source=SourceFactory(created_by=editor), created_by=editor)
    return Newsroom(
        outlet=outlet,
        article=quote.article,
        speaker=quote.speaker,
        alias=SpeakerAlias.objects.create(speaker=quote.speaker, name="The Minister"),
        quote=quote,
        topic=topic,
        claim=claim,
        other_claim=other_claim,
        draft_claim=ClaimFactory(claimant=quote.speaker, created_by=editor),
        source=evidence.source,
        evidence=evidence,
        relation=ClaimRelationFactory(
            from_claim=claim, to_claim=other_claim, relation=Relation.CONTRADICTS, created_by=editor
        ),
    )


def unused_row(model, room: Newsroom, editor):
    """An editor's row that nothing depends on, to delete."""
    speaker = SpeakerFactory(created_by=editor)
    return {
        Outlet: lambda: OutletFactory(created_by=editor),
        Article: lambda: ArticleFactory(outlet=room.outlet, created_by=editor),
        Speaker: lambda: speaker,
        SpeakerAlias: lambda: SpeakerAlias.objects.create(speaker=speaker, name="Another name"),
        Quote: lambda: QuoteFactory(article=room.article, speaker=speaker, created_by=editor),
        Topic: lambda: Topic.objects.create(name="Unused", slug="unused"),
        Claim: lambda: room.draft_claim,
        Source: lambda: SourceFactory(created_by=editor),
        Evidence: lambda: EvidenceFactory(claim=room.draft_claim, source=room.source, created_by=editor),
        ClaimRelation: lambda: ClaimRelationFactory(
            from_claim=room.draft_claim, to_claim=room.other_claim, relation=Relation.SUPPORTS, created_by=editor
        ),
    }[model]()


def published_row(model, room: Newsroom):
    return {
        Outlet: room.outlet,
        Article: room.article,
        Speaker: room.speaker,
        SpeakerAlias: room.alias,
        Quote: room.quote,
        Topic: room.topic,
        Claim: room.claim,
        Source: room.source,
        Evidence: room.evidence,
        ClaimRelation: room.relation,
    }[model]


# --- what a browser would send -----------------------------------------------------------


def management_form(prefix: str, rows: list[dict] = (), initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def claim_inlines() -> dict:
    """The empty inlines of a claim's add form: its evidence, and its relations from either side."""
    return {**management_form("evidence"), **management_form("relations_from"), **management_form("relations_to")}


def new_row_payload(model, room: Newsroom) -> dict:
    """A valid add form for each model."""
    return {
        Outlet: {"name": "Evening Post", "kind": "newspaper", "homepage": "", "country": ""},
        Article: {
            "url": "https://post.example.com/1",
            "outlet": room.outlet.pk,
            "credited_to": "",
            "headline": "New",
            "byline": "",
            "language": "en",
            "published_at_0": "",
            "published_at_1": "",
            "updated_at_0": "",
            "updated_at_1": "",
            "body": "He said “yes”.",
            **management_form("quotes"),
        },
        Speaker: {
            "name": "Jo Bloggs",
            "kind": "person",
            "description": "",
            "organization": "",
            "wikidata_id": "",
            **management_form("aliases", [{"name": "Bloggs"}]),
        },
        SpeakerAlias: {"speaker": room.speaker.pk, "name": "The Chancellor"},
        Quote: {
            "article": room.article.pk,
            "speaker": room.speaker.pk,
            "text": "the budget",
            "anchored": "on",
            "start": "",
            "end": "",
            "kind": "direct",
            "speaker_title": "",
            "said_on": "",
            "said_on_precision": "day",
            "via": "",
        },
        Topic: {"name": "Health care"},
        Claim: {"text": "Taxes rose.", "claimant": room.speaker.pk, "made_on": "", **claim_inlines()},
        Source: {
            "url": "https://stats.example.gov/x",
            "title": "Tables",
            "outlet": "",
            "kind": "dataset",
            "published_on": "",
            "archived_url": "",
        },
        Evidence: {
            "claim": room.draft_claim.pk,
            "source": room.source.pk,
            "stance": Stance.CONTEXT,
            "excerpt": "",
            "note": "",
        },
        ClaimRelation: {
            "from_claim": room.draft_claim.pk,
            "to_claim": room.other_claim.pk,
            "relation": Relation.CONTRADICTS,
            "note": "",
        },
    }[model]


# A change to one field of the published row, and how to read it back.
CHANGES = {
    Outlet: ("name", "Renamed"),
    Article: ("headline", "Corrected headline"),
    Speaker: ("description", "Former minister"),
    SpeakerAlias: ("name", "The Treasurer"),
    Quote: ("via", "a radio interview"),
    Topic: ("name", "State finances"),
    Claim: ("text", "Sharper wording."),
    Source: ("title", "Retitled"),
    Evidence: ("excerpt", "A better excerpt."),
    ClaimRelation: ("note", "Checked again."),
}


class _FormValues(HTMLParser):
    """The values a browser would submit from the admin's change form (not the logout form)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self.in_form = False
        self.select = None
        self.textarea = None

    def add(self, name, value):
        if name and "__prefix__" not in name:
            self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id", "").endswith("_form") and attrs.get("id") != "logout-form"
        if not self.in_form or "disabled" in attrs:
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "reset"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.add(attrs.get("name"), attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            self.add(name, text.removeprefix("\n"))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def change_form_values(client, url) -> dict:
    parser = _FormValues()
    response = client.get(url)
    assert response.status_code == 200
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.values.items()}


# --- the personas as browsers ------------------------------------------------------------


@pytest.fixture
def admin_role(db):
    return UserFactory(username="ada_admin", role=Role.ADMIN)


@pytest.fixture
def browsers(client, django_user_model, outsider, reporter, editor, admin_role):
    from django.test import Client

    outsider.is_staff = True
    outsider.save()
    people = {"anonymous": None, "outsider": outsider, "reporter": reporter, "editor": editor, "admin": admin_role}
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    return clients


def url(model, view, row=None):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[] if row is None else [row.pk])


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- the matrix --------------------------------------------------------------------------

SEES = {"anonymous": "login", "outsider": "login", "reporter": 200, "editor": 200, "admin": 200}
EXPECTED = {
    "list": SEES,
    "view": SEES,
    "add page": SEES,
    "add": {"anonymous": "login", "outsider": "login", "reporter": "added", "editor": "added", "admin": "added"},
    "change": {"anonymous": "login", "outsider": "login", "reporter": 403, "editor": "changed", "admin": "changed"},
    "delete": {"anonymous": "login", "outsider": "login", "reporter": 403, "editor": "deleted", "admin": "deleted"},
}
# A reporter adds nothing onto an editor's work: evidence and relations on an editor's claim, aliases of an
# editor's speaker. The service refuses, and the form says why.
EXCEPTIONS = {
    ("add", Evidence, "reporter"): "refused",
    ("add", ClaimRelation, "reporter"): "refused",
    ("add", SpeakerAlias, "reporter"): "refused",
}
CASES = [(operation, model) for operation in EXPECTED for model in MODELS]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation, model", CASES, ids=lambda value: getattr(value, "__name__", value))
def test_admin_permission_matrix(operation, model, role, browsers, newsroom, editor):
    client = browsers[role]
    expected = EXCEPTIONS.get((operation, model, role), EXPECTED[operation][role])

    if operation == "list":
        response = client.get(url(model, "changelist"))
    elif operation == "view":
        response = client.get(url(model, "change", published_row(model, newsroom)))
        if expected == 200:
            # A reporter sees an editor's published row, with nothing to save; an editor can change it.
            can_save = 'name="_save"' in response.content.decode()
            assert can_save is (role != "reporter")
    elif operation == "add page":
        response = client.get(url(model, "add"))
    elif operation == "add":
        before = model.objects.count()
        response = client.post(url(model, "add"), new_row_payload(model, newsroom))
        added = model.objects.count() - before
        if expected == "added":
            assert response.status_code == 302, response.content.decode()[:3000]
            assert added == 1
            return
        assert added == 0
        if expected == "refused":
            assert response.status_code == 200
            assert "reporters change only their own drafts" in response.content.decode()
            return
    elif operation == "change":
        row = published_row(model, newsroom)
        field, value = CHANGES[model]
        before = getattr(row, field)
        data = {**change_form_values(browsers["editor"], url(model, "change", row)), field: value, "_save": "Save"}
        response = client.post(url(model, "change", row), data)
        row.refresh_from_db()
        if expected == "changed":
            assert response.status_code == 302, response.content.decode()[:3000]
            assert getattr(row, field) == value
            if model is Claim:
                assert row.status == ClaimStatus.PUBLISHED
            return
        assert getattr(row, field) == before
    else:
        row = unused_row(model, newsroom, editor)
        response = client.post(url(model, "delete", row), {"post": "yes"})
        gone = not model.objects.filter(pk=row.pk).exists()
        if expected == "deleted":
            assert response.status_code == 302
            assert gone
            return
        assert not gone

    if expected == "login":
        assert_sent_to_login(response)
    else:
        assert response.status_code == expected
