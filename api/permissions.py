"""Who may do what through the API.

Reads are open to everyone; what each reader sees is decided by the
querysets' visible_to(user) (claims.queries). Writes need the role's model
permission (add, change, delete), and changes to one row need
claims.roles.may_edit. Rules that belong to one action (rating, publishing,
merging) are enforced by the services, whose PermissionDenied becomes 403.
"""

from rest_framework import permissions

from claims.roles import may_edit

# The model permission each standard viewset action needs.
_PERMISSION_FOR_ACTION = {"create": "add", "update": "change", "partial_update": "change", "destroy": "delete"}


class RolePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            return False
        model = getattr(view, "queryset", None) is not None and view.queryset.model
        action = _PERMISSION_FOR_ACTION.get(getattr(view, "action", None))
        if not (model and action):
            # Actions on one row (verdict, status, merge) and tools (extract):
            # any newsroom role may try; the service decides.
            return request.user.has_perm("claims.view_claim")
        return request.user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return request.user.has_perm(f"{obj._meta.app_label}.delete_{obj._meta.model_name}")
        return may_edit(request.user, obj)
