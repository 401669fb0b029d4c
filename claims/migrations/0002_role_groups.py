from django.db import migrations

ROLES = ("reporter", "editor", "admin")


def create_role_groups(apps, schema_editor):
    # What each role may do is claims.policy; the groups only say who holds it.
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
