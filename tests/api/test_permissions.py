"""The permission matrix: every endpoint, method and role, against what the newsroom expects.

Roles: an anonymous reader, a signed-in outsider with no role, a reporter
(who did not create the rows in the newsroom fixture) and an editor.
"""

import pytest
from django.urls import reverse

from claims.choices import Role
from tests.api.conftest import client_for, if_match
from tests.factories import ClaimFactory, OutletFactory, SourceFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "reporter", "editor"]


@pytest.fixture
def people(anonymous, outsider, reporter, editor):
    return {"anonymous": anonymous, "outsider": outsider, "reporter": reporter, "editor": editor}


def new_row_payload(resource: str, room) -> dict:
    """A valid body to create one row of each resource."""
    return {
        "outlets": {"name": "Evening Post", "kind": "newspaper"},
        "articles": {
            "url": "https://post.example.com/1",
            "outlet": room.outlet.pk,
            "headline": "New",
            "body": "He said “yes”.",
        },
        "speakers": {"name": "Jo Bloggs", "aliases": ["Bloggs"]},
        "quotes": {"article": room.published_article.pk, "speaker": room.published_speaker.pk, "text": "the budget"},
        "claims": {"text": "Taxes rose.", "claimant": room.published_speaker.pk},
        "sources": {"url": "https://stats.example.gov/x", "title": "Tables"},
        "evidence": {"claim": room.draft_claim.pk, "source": room.published_source.pk, "stance": "context"},
        "relations": {"claim": room.draft_claim.pk, "other": room.relation.to_claim.pk, "relation": "contradicts"},
    }[resource]


def change_payload(resource: str) -> dict:
    return {
        "outlets": {"name": "Renamed"},
        "articles": {"headline": "Corrected headline"},
        "speakers": {"description": "Former minister"},
        "quotes": {"via": "a radio interview"},
        "claims": {"text": "Sharper wording."},
        "sources": {"title": "Retitled"},
        "evidence": {"excerpt": "A better excerpt."},
        "relations": {"note": "Checked again."},
    }[resource]


def public_row(resource: str, room):
    return {
        "outlets": room.outlet,
        "articles": room.published_article,
        "speakers": room.published_speaker,
        "quotes": room.published_quote,
        "claims": room.published_claim,
        "sources": room.published_source,
        "evidence": room.published_evidence,
        "relations": room.relation,
    }[resource]


def draft_row(resource: str, room):
    return {
        "articles": room.draft_article,
        "speakers": room.draft_speaker,
        "quotes": room.draft_quote,
        "claims": room.draft_claim,
        "sources": room.draft_source,
        "evidence": room.draft_evidence,
        "relations": room.private_relation,
    }.get(resource)


def unused_row(resource: str):
    """A row nothing points at, for the rows that cannot be deleted while in use."""
    factory = {"outlets": OutletFactory, "speakers": SpeakerFactory, "sources": SourceFactory}.get(resource)
    return factory() if factory else None


RESOURCES = ["outlets", "articles", "speakers", "quotes", "claims", "sources", "evidence", "relations"]
BASENAME = {"evidence": "evidence", "relations": "relation"}


def url_for(resource, row=None):
    basename = BASENAME.get(resource, resource.rstrip("s"))
    if row is None:
        return reverse(f"api:{basename}-list")
    return reverse(f"api:{basename}-detail", args=[row.pk])


# What each role gets, per operation.
EXPECTED = {
    "list": {"anonymous": 200, "outsider": 200, "reporter": 200, "editor": 200},
    "read public": {"anonymous": 200, "outsider": 200, "reporter": 200, "editor": 200},
    "read draft": {"anonymous": 404, "outsider": 404, "reporter": 200, "editor": 200},
    "create": {"anonymous": 401, "outsider": 403, "reporter": 201, "editor": 201},
    "patch another's": {"anonymous": 401, "outsider": 403, "reporter": 403, "editor": 200},
    "put another's": {"anonymous": 401, "outsider": 403, "reporter": 403, "editor": 200},
    "delete": {"anonymous": 401, "outsider": 403, "reporter": 403, "editor": 204},
}


# Evidence and relations hang on claims: a reporter adds them only to their own drafts,
# and the newsroom fixture's claims are the editor's.
EXCEPTIONS = {("create", "evidence", "reporter"): 403, ("create", "relations", "reporter"): 403}

# Outlets are public knowledge: there is no private outlet to read.
CASES = [(op, res) for op in EXPECTED for res in RESOURCES if (op, res) != ("read draft", "outlets")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation, resource", CASES)
def test_permission_matrix(operation, resource, role, people, newsroom):
    client = client_for(people[role])
    expected = EXCEPTIONS.get((operation, resource, role), EXPECTED[operation][role])
    if operation == "list":
        response = client.get(url_for(resource))
    elif operation == "read public":
        response = client.get(url_for(resource, public_row(resource, newsroom)))
    elif operation == "read draft":
        response = client.get(url_for(resource, draft_row(resource, newsroom)))
    elif operation == "create":
        response = client.post(url_for(resource), new_row_payload(resource, newsroom), format="json")
    elif operation == "patch another's":
        url = url_for(resource, public_row(resource, newsroom))
        response = client.patch(url, change_payload(resource), **if_match(client, url))
    elif operation == "put another's":
        row = public_row(resource, newsroom)
        body = client_for(people["editor"]).get(url_for(resource, row)).json()
        full = {**_put_body(resource, row, body), **change_payload(resource)}
        response = client.put(url_for(resource, row), full, format="json", **if_match(client, url_for(resource, row)))
    else:
        url = url_for(resource, unused_row(resource) or draft_row(resource, newsroom))
        response = client.delete(url, **if_match(client, url))
    assert response.status_code == expected, response.content


def _put_body(resource, row, shown) -> dict:
    """A complete body for PUT, from the row as the API shows it."""
    if resource == "relations":
        return {"note": row.note}
    keep = {
        "outlets": ["name", "kind", "homepage", "country"],
        "articles": ["url", "headline", "byline", "language", "published_at", "updated_at", "body"],
        "speakers": ["name", "kind", "description", "wikidata_id", "aliases"],
        "quotes": ["text", "kind", "start", "end", "speaker_title", "said_on", "said_on_precision", "via"],
        "claims": ["text", "made_on", "topics", "quotes"],
        "sources": ["url", "title", "kind", "published_on", "archived_url"],
        "evidence": ["stance", "excerpt"],
    }[resource]
    body = {name: shown[name] for name in keep if name in shown}
    references = {
        "articles": ["outlet"],
        "quotes": ["article", "speaker"],
        "claims": ["claimant"],
    }
    body.update({name: getattr(row, f"{name}_id") for name in references.get(resource, [])})
    return body


# --- Actions on one claim or speaker -------------------------------------------------


@pytest.mark.parametrize("role, expected", [("anonymous", 401), ("outsider", 403), ("reporter", 403), ("editor", 200)])
def test_only_editors_give_verdicts(role, expected, people, newsroom):
    url = reverse("api:claim-verdict", args=[newsroom.draft_claim.pk])
    client = client_for(people[role])
    current = if_match(client, reverse("api:claim-detail", args=[newsroom.draft_claim.pk]))
    response = client.post(url, {"rating": "false", "summary": "The figures say otherwise."}, **current)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role, expected", [("anonymous", 401), ("outsider", 403), ("reporter", 403), ("editor", 200)])
def test_only_editors_merge_speakers(role, expected, people, newsroom):
    url = reverse("api:speaker-merge", args=[newsroom.published_speaker.pk])
    response = client_for(people[role]).post(url, {"merge": newsroom.draft_speaker.pk})
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role, expected", [("reporter", 403), ("editor", 200)])
def test_only_editors_publish(role, expected, people, newsroom):
    claim = newsroom.draft_claim
    claim.rating, claim.rating_summary = "false", "No."
    claim.save()
    url = reverse("api:claim-status", args=[claim.pk])
    client = client_for(people[role])
    response = client.post(
        url, {"status": "published"}, **if_match(client, reverse("api:claim-detail", args=[claim.pk]))
    )
    assert response.status_code == expected, response.content


def test_a_reporter_edits_and_submits_their_own_draft(reporter):
    claim = ClaimFactory(created_by=reporter)
    client = client_for(reporter)
    url = reverse("api:claim-detail", args=[claim.pk])
    edited = client.patch(url, {"text": "Better."}, **if_match(client, url))
    assert edited.status_code == 200
    response = client.post(
        reverse("api:claim-status", args=[claim.pk]), {"status": "in_review"}, HTTP_IF_MATCH=edited["ETag"]
    )
    assert response.status_code == 200
    # Once in review, it is the editors' to change.
    assert client.patch(url, {"text": "Again."}, HTTP_IF_MATCH=response["ETag"]).status_code == 403


@pytest.mark.parametrize(
    "name, role, expected",
    [
        ("claim-relations", "anonymous", 200),
        ("claim-claimreview", "anonymous", 200),
        ("speaker-statements", "anonymous", 200),
        ("quote-printings", "anonymous", 200),
    ],
)
def test_graph_reads_of_published_work_are_public(name, role, expected, people, newsroom):
    row = {"claim": newsroom.published_claim, "speaker": newsroom.published_speaker, "quote": newsroom.published_quote}
    url = reverse(f"api:{name}", args=[row[name.split("-")[0]].pk])
    assert client_for(people[role]).get(url).status_code == expected


@pytest.mark.parametrize(
    "name, row",
    [
        ("claim-relations", "draft_claim"),
        ("claim-claimreview", "draft_claim"),
        ("speaker-statements", "draft_speaker"),
        ("quote-printings", "draft_quote"),
    ],
)
def test_graph_reads_of_drafts_are_not_found_for_the_public(name, row, anonymous, editor, newsroom):
    url = reverse(f"api:{name}", args=[getattr(newsroom, row).pk])
    assert client_for(anonymous).get(url).status_code == 404
    # Staff find the draft; a draft has no ClaimReview yet.
    assert client_for(editor).get(url).status_code == (404 if name == "claim-claimreview" else 200)


@pytest.mark.parametrize("role, expected", [("anonymous", 401), ("outsider", 403), ("reporter", 200)])
def test_extraction_is_a_newsroom_tool(role, expected, people):
    response = client_for(people[role]).post(reverse("api:extract"), {"text": "Nothing quoted here."})
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_search_and_the_claimreview_feed_are_open_to_all(role, people, newsroom):
    client = client_for(people[role])
    assert client.get(reverse("api:search"), {"q": "budget"}).status_code == 200
    assert client.get(reverse("api:claimreview-feed")).status_code == 200


def test_admins_hold_every_editor_permission(db):
    admin = UserFactory(username="ada_admin", role=Role.ADMIN)
    editor = UserFactory(username="eve_editor", role=Role.EDITOR)
    assert editor.get_all_permissions() <= admin.get_all_permissions()


def test_deleting_a_row_still_in_use_is_a_conflict_that_changes_nothing(editor, newsroom):
    client, url = client_for(editor), url_for("speakers", newsroom.published_speaker)
    response = client.delete(url, **if_match(client, url))
    assert response.status_code == 409
    assert "still used by" in response.json()["error"]["message"]
    assert type(newsroom.published_speaker).objects.filter(pk=newsroom.published_speaker.pk).exists()
