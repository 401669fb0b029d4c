"""API tokens expire after API_TOKEN_MAX_AGE_DAYS and their holders can rotate them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ROTATE = "/api/v1/token/rotate/"
# A write: the token check is the request's own, unlike a public read.
PRIVATE = "/api/v1/claims/?status=draft"


def token_client(token: Token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def aged(token: Token, days: float) -> Token:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=days))
    return token


def test_a_token_within_its_age_signs_in(editor, settings):
    settings.API_TOKEN_MAX_AGE_DAYS = 30
    token = aged(Token.objects.create(user=editor), 29)
    response = token_client(token).post(ROTATE)
    assert response.status_code == 201, response.content


def test_an_expired_token_is_refused_saying_when_and_what_to_do(editor, settings):
    settings.API_TOKEN_MAX_AGE_DAYS = 30
    token = aged(Token.objects.create(user=editor), 31)
    response = token_client(token).get("/api/v1/claims/")
    assert response.status_code == 401
    body = response.json()
    detail = body.get("detail") or str(body)
    assert "This token expired on" in detail and "Ask an admin for a new one" in detail
    assert Token.objects.filter(pk=token.pk).exists()  # refused, not deleted: the admin sees whose it was


def test_rotation_issues_a_new_token_and_the_old_one_stops_working(editor, django_assert_num_queries):
    old = Token.objects.create(user=editor)
    client = token_client(old)
    # Token, its user and the user's roles in one query, then delete the old and insert the new in one transaction.
    with django_assert_num_queries(5):
        response = client.post(ROTATE)
    assert response.status_code == 201, response.content
    new_key = response.json()["token"]
    assert new_key != old.key
    assert Token.objects.filter(user=editor).get().key == new_key
    expires = response.json()["expires"]
    assert expires.startswith(str((timezone.now() + timedelta(days=90)).date()))

    assert token_client(old).post(ROTATE).status_code == 401
    assert token_client(Token.objects.get(key=new_key)).get(PRIVATE).status_code == 200


def test_the_token_look_up_reads_every_role_of_its_user_and_none_of_an_outsider(editor, outsider):
    from django.contrib.auth.models import Group

    from api.permissions import ExpiringTokenAuthentication
    from claims.choices import Role
    from claims.policy import roles_of

    editor.groups.add(Group.objects.get(name=Role.REPORTER))  # two groups: two rows, one token
    user, token = ExpiringTokenAuthentication().authenticate_credentials(Token.objects.create(user=editor).key)
    assert user == editor and token.user_id == editor.pk
    assert roles_of(user) == {Role.EDITOR, Role.REPORTER}
    user, _ = ExpiringTokenAuthentication().authenticate_credentials(Token.objects.create(user=outsider).key)
    assert roles_of(user) == frozenset()


def test_an_unknown_token_or_an_inactive_user_is_refused(editor):
    assert token_client(Token(key="0" * 40)).get(PRIVATE).status_code == 401
    token = Token.objects.create(user=editor)
    editor.is_active = False
    editor.save()
    response = token_client(token).get(PRIVATE)
    assert response.status_code == 401
    assert "User inactive or deleted." in str(response.json())


def test_a_role_taken_away_counts_from_the_next_request(editor):
    client = token_client(Token.objects.create(user=editor))
    assert client.post(ROTATE).status_code == 201
    editor.groups.clear()
    client = token_client(Token.objects.get(user=editor))
    assert client.post(ROTATE).status_code == 403


def test_rotation_needs_a_newsroom_account(api, outsider):
    assert api.post(ROTATE).status_code == 401
    response = token_client(Token.objects.create(user=outsider)).post(ROTATE)
    assert response.status_code == 403
    assert Token.objects.filter(user=outsider).count() == 1


def test_rotation_by_a_signed_in_session_gives_a_first_token(editor):
    client = APIClient()
    client.force_login(editor)
    response = client.post(ROTATE)
    assert response.status_code == 201
    assert Token.objects.get(user=editor).key == response.json()["token"]
