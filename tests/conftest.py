"""Personas shared by every test: an editor, two reporters, an outsider, an anonymous reader."""

import secrets
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from claims.choices import Role
from tests.factories import UserFactory

# Real material lives beside the checkout, never inside it.
SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or a skip saying why the test cannot run here."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads the project's shared real data, kept outside the repo.")
    return path


@pytest.fixture(autouse=True)
def rules_only_extraction(monkeypatch):
    # Whether `make` could train the learned layer depends on the machine; tests that want a model build their own.
    monkeypatch.setenv("FACTCHECK_EXTRACTION_MODEL", "off")


@pytest.fixture(autouse=True)
def bm25_only_matching(monkeypatch):
    # The same for claim matching's learned re-ranking: tests that want it train or load their own.
    monkeypatch.setenv("FACTCHECK_MATCHING_MODEL", "off")


@pytest.fixture(autouse=True)
def own_published_cache(settings):
    # Redis outlives test databases, whose ids start again at 1: each test reads only the entries it made.
    if "KEY_PREFIX" in settings.CACHES.get("published", {}):
        published = {**settings.CACHES["published"], "KEY_PREFIX": f"test-{secrets.token_hex(6)}"}
        settings.CACHES = {**settings.CACHES, "published": published}


@pytest.fixture
def nothing_kept(settings):
    """Every read built from the database, for tests that count its queries (a kept answer costs none)."""
    settings.CACHES = {**settings.CACHES, "published": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; tests are about permissions, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committed(transactional_db):
    """Real commits, with the role groups migrations make: for a job, queued when its transaction commits and
    run by a worker in process that closes a connection it finds in a transaction (on PostgreSQL the test's
    own), and for a live server's requests.

    Another transactional test's flush may have removed the groups; they are made again rather than restored
    by serialized rollback, which fails once that flush has renumbered the content types.
    """
    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def editor(db):
    return UserFactory(username="erin_editor", role=Role.EDITOR)


@pytest.fixture
def reporter(db):
    return UserFactory(username="rita_reporter", role=Role.REPORTER)


@pytest.fixture
def other_reporter(db):
    return UserFactory(username="ravi_reporter", role=Role.REPORTER)


@pytest.fixture
def outsider(db):
    """Signed in, but holds no newsroom role."""
    return UserFactory(username="oscar_outsider")


@pytest.fixture
def anonymous():
    return AnonymousUser()
