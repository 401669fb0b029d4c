"""Who may do what through the API: claims.policy, asked for each request and each row.

Reads are open to everyone; what each reader sees is the querysets'
visible_to(user). A write asks the policy for the viewset action's policy
action on the model (may they add one at all?) and then on the row. Actions
on one row whose rule depends on the request (a status change, a verdict, a
merge) are left to their service, which asks the policy with the full picture.

Who the caller is comes first: an API token, refused once it is older than
API_TOKEN_MAX_AGE_DAYS (api/tokens.py rotates them).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from claims.policy import can, refusal, remember_roles

# The policy action each standard viewset action is.
POLICY_ACTION = {"create": "add", "update": "change", "partial_update": "change", "destroy": "delete"}


class PolicyPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            return False
        action = POLICY_ACTION.get(getattr(view, "action", None))
        queryset = getattr(view, "queryset", None)
        if action is None or queryset is None:
            return self._answer(request.user, "use_newsroom_tools", None)
        return self._answer(request.user, action, queryset.model)

    def has_object_permission(self, request, view, obj):
        action = POLICY_ACTION.get(getattr(view, "action", None))
        if request.method in permissions.SAFE_METHODS or action is None:
            return True
        return self._answer(request.user, action, obj)

    def _answer(self, user, action, target) -> bool:
        allowed = can(user, action, target)
        if not allowed:
            self.message = refusal(user, action, target)
        return allowed


def expires_at(token: Token) -> datetime:
    return token.created + timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token look-up, with the user's roles (one query), refusing a token older than API_TOKEN_MAX_AGE_DAYS."""

    def authenticate_credentials(self, key):
        user, token = self._token_and_roles(key)
        expired = expires_at(token)
        if expired <= timezone.now():
            raise exceptions.AuthenticationFailed(
                f"This token expired on {expired:%Y-%m-%d %H:%M} UTC. Ask an admin for a new one; "
                "rotate the next one (POST /api/v1/token/rotate/) before it expires."
            )
        return user, token

    def _token_and_roles(self, key):
        """DRF's look-up of the token and its user, with the user's role names in the same query.

        A user in n groups comes back as n rows (none in a group: one, with no name). The role names were a
        second query at the first policy question of every signed-in request.
        """
        rows = list(
            self.get_model()
            .objects.select_related("user")
            .filter(key=key)
            .annotate(_group_name=F("user__groups__name"))
        )
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = rows[0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_roles(token.user, [row._group_name for row in rows])
        return token.user, token
