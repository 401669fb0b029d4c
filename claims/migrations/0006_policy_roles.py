"""Roles carry no Django permissions any more: claims.policy says what each may do.

Clears what 0002 once gave the role groups, adds the system role and its
account (imports, jobs and the demo loader act as it; it cannot sign in).
"""

from django.contrib.auth.hashers import make_password
from django.db import migrations

ROLES = ("reporter", "editor", "admin", "system")
SYSTEM_ACCOUNT = "factcheck-system"


def roles_without_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.clear()
    account, _ = User.objects.get_or_create(
        username=SYSTEM_ACCOUNT, defaults={"is_active": False, "password": make_password(None)}
    )
    account.groups.add(Group.objects.get(name="system"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_stored_search_vectors")]

    operations = [
        migrations.AlterModelOptions(name="claim", options={"ordering": ["-created_at", "-id"]}),
        migrations.AlterModelOptions(name="speaker", options={"ordering": ["name", "id"]}),
        migrations.RunPython(roles_without_permissions, migrations.RunPython.noop),
    ]
