"""A new row's slug, when another writer takes it between choosing it and saving: the next free one, never a 409.

The race itself, twenty writers at once on PostgreSQL, is tests/api/test_concurrency.py;
here the other writer is played in between, so it runs on SQLite too.
"""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Outlet, Speaker, Topic
from claims.services import claims as claim_services
from claims.services import outlets as outlet_services
from claims.services import speakers as speaker_services

pytestmark = pytest.mark.django_db

RECORDS = {
    "speaker": (speaker_services, Speaker, services.record_speaker),
    "outlet": (outlet_services, Outlet, services.record_outlet),
    "topic": (claim_services, Topic, services.record_topic),
}


@pytest.fixture
def rival_takes_the_slug(monkeypatch):
    """unique_slug as it is, but another writer saves a row with the slug it chose before the caller can."""

    def install(module, model):
        chose = module.unique_slug

        def choose_then_lose(model_, name, **kwargs):
            slug = chose(model_, name, **kwargs)
            model_.objects.create(name=f"{name} (the rival's)", slug=slug)
            return slug

        monkeypatch.setattr(module, "unique_slug", choose_then_lose)

    return install


@pytest.mark.parametrize("checked", ["by the check before the insert", "by the database"])
@pytest.mark.parametrize("what", RECORDS)
def test_a_slug_taken_meanwhile_gives_the_next_free_one(what, checked, editor, rival_takes_the_slug, monkeypatch):
    module, model, record = RECORDS[what]
    model.objects.create(name="Kyiv Post (old)", slug="kyiv-post")
    rival_takes_the_slug(module, model)
    if checked == "by the database":
        # What a concurrent writer looks like on PostgreSQL: the check saw no such row; the unique index does.
        monkeypatch.setattr(model, "validate_unique", lambda self, exclude=None: None)

    row = record(name="Kyiv Post", acting_user=editor)

    assert row.slug == "kyiv-post-3"  # -2 was the rival's
    assert set(model.objects.values_list("slug", flat=True)) == {"kyiv-post", "kyiv-post-2", "kyiv-post-3"}
    if what != "topic":  # topics keep no history
        assert row.history.count() == 1


def test_a_row_refused_for_its_own_input_is_not_tried_again(editor):
    with pytest.raises(ValidationError) as refused:
        services.record_speaker(name="", acting_user=editor)
    assert set(refused.value.message_dict) == {"name"}
    assert not Speaker.objects.exists()


def test_a_long_name_leaves_room_in_the_slug_for_its_number(editor):
    first = services.record_topic(name="a" * 100, acting_user=editor)
    second = services.record_topic(name="a" * 99 + "!", acting_user=editor)
    assert second.slug == first.slug + "-2"
    assert len(second.slug) <= Topic._meta.get_field("slug").max_length
