"""API tokens that expire and can be rotated.

A token is good for API_TOKEN_MAX_AGE_DAYS from when it was issued; after
that it is refused with a message saying so (api.permissions, which DRF's
settings import before any view exists). Its holder swaps it for a fresh
one before then (POST token/rotate/), which revokes the old key at once.
An expired token cannot rotate itself: an admin issues a new one
(manage.py drf_create_token -r USERNAME, or the admin's Tokens page).
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import expires_at


def rotate_token(*, acting_user) -> Token:
    """A new token for acting_user; the one they had, if any, stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=acting_user).delete()
        return Token.objects.create(user=acting_user)


class RotateTokenView(APIView):
    """Swap the caller's API token for a new one (the policy's use_newsroom_tools, like every write)."""

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "RotatedToken", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
            )
        },
    )
    def post(self, request):
        token = rotate_token(acting_user=request.user)
        return Response({"token": token.key, "expires": expires_at(token)}, status=status.HTTP_201_CREATED)
