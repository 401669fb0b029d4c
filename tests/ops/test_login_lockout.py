"""Sign-ins are locked per account and address after LOGIN_FAILURE_LIMIT wrong passwords (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt

from claims.choices import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a long passphrase"  # noqa: S105 (a test account's)
HOME = "198.51.100.7"
ELSEWHERE = "203.0.113.9"


@pytest.fixture
def erin(db):
    user = UserFactory(username="erin_editor", role=Role.EDITOR)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username: str, password: str, address: str = HOME, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def fail(client, times: int, username: str = "erin_editor", address: str = HOME, **extra):
    return [sign_in(client, username, "wrong", address, **extra).status_code for _ in range(times)]


def test_the_login_page_is_the_newsrooms(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b"Fact-checking newsroom" in response.content
    assert type(response.context["form"]).__name__ == "NewsroomAuthenticationForm"


def test_wrong_passwords_lock_the_account_from_that_address_and_say_when_to_try_again(client, erin, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    # The form answers the first four with its own message; the fifth locks.
    assert fail(client, 5) == [200, 200, 200, 200, 429]

    locked = sign_in(client, "erin_editor", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    text = locked.content.decode()
    assert text.startswith("Too many failed sign-ins for erin_editor from your address.")
    assert "locked until" in text and "(in 15 minutes)" in text
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_one_account_at_one_address_only(client, erin, settings):
    fail(client, 5)
    other = UserFactory(username="rita_reporter", role=Role.REPORTER)
    other.set_password(PASSWORD)
    other.save()
    assert sign_in(client, "rita_reporter", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "erin_editor", PASSWORD, address=ELSEWHERE).status_code == 302


def test_a_made_up_forwarded_address_does_not_escape_the_lock(client, erin):
    for n in range(5):
        sign_in(client, "erin_editor", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(client, "erin_editor", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_the_lock_ends_after_the_cool_off_and_a_success_clears_the_count(client, erin):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert sign_in(client, "erin_editor", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_four_failures_then_the_right_password_signs_in(client, erin):
    assert fail(client, 4) == [200] * 4
    assert sign_in(client, "erin_editor", PASSWORD).status_code == 302


def test_an_admin_sees_the_lock_and_lifts_it_an_editor_cannot(client, erin):
    fail(client, 5)
    attempt = AccessAttempt.objects.get()
    admin = UserFactory(username="ada_admin", role=Role.ADMIN)

    client.force_login(erin)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    client.force_login(admin)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and b"erin_editor" in listing.content
    lifted = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert lifted.status_code == 302
    client.logout()
    assert sign_in(client, "erin_editor", PASSWORD).status_code == 302
