"""Who may do what through the API: claims.policy, asked for each request and each row.

Reads are open to everyone; what each reader sees is the querysets'
visible_to(user). A write asks the policy for the viewset action's policy
action on the model (may they add one at all?) and then on the row. Actions
on one row whose rule depends on the request (a status change, a verdict, a
merge) are left to their service, which asks the policy with the full picture.
"""

from rest_framework import permissions

from claims.policy import can, refusal

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
