"""The newsroom's admin site: the policy says who gets in, and bulk deletion goes through the services.

Django's own site lets in anyone with is_staff. Here the door asks
claims.policy (the "use_newsroom_tools" permission), as signing in does, so
a staff flag without a newsroom role opens nothing. Which sections and rows
each member sees and may change is the policy's answer too, asked by each
ModelAdmin (claims/admin/). Its home is the dashboard (claims/dashboard.py).
"""

from django.contrib import admin, messages
from django.contrib.admin import actions
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from claims.dashboard import dashboard
from claims.policy import can


def is_newsroom_member(user) -> bool:
    return bool(user is not None and user.is_active and can(user, "use_newsroom_tools"))


class NewsroomAuthenticationForm(AdminAuthenticationForm):
    """Signing in to the admin asks the policy, not the staff flag."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Please enter the correct %(username)s and password for a newsroom account. "
            "Note that both fields may be case-sensitive."
        ),
    }

    def confirm_login_allowed(self, user):
        # AuthenticationForm's own check (an inactive account is refused), without the admin's is_staff one.
        super(AdminAuthenticationForm, self).confirm_login_allowed(user)
        if not is_newsroom_member(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class ActionRefused(Exception):
    """A write an admin action or bulk deletion asked for was refused; nothing it did is kept."""


@admin.action(permissions=["delete"], description=gettext_lazy("Delete selected %(verbose_name_plural)s"))
def delete_selected(modeladmin, request, queryset):
    """Django's confirmation page and per-row permission check, then every deletion in one transaction.

    ModelAdmins that delete through the services raise ActionRefused from
    delete_queryset when a row cannot go; then no row goes, and the message says so.
    """
    try:
        with transaction.atomic():
            return actions.delete_selected(modeladmin, request, queryset)
    except ActionRefused as refused:
        modeladmin.message_user(request, f"Nothing was deleted: {refused}", messages.ERROR)
        return None


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Fact-checking newsroom"
    site_title = "Fact-checking"
    index_title = "Newsroom dashboard"
    # The dashboard's panels (claims.dashboard), with the list of records below them.
    index_template = "admin/dashboard/index.html"
    login_form = NewsroomAuthenticationForm

    def __init__(self, name="admin"):
        super().__init__(name)
        self.add_action(delete_selected, "delete_selected")

    def has_permission(self, request):
        return is_newsroom_member(request.user)

    def index(self, request, extra_context=None):
        # Only a newsroom member gets here (admin_view asks has_permission first).
        return super().index(request, extra_context={"panels": dashboard(request.user), **(extra_context or {})})
