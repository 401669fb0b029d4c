"""The newsroom's roles, as Django groups, and the one rule for who may edit what.

Groups are created by a data migration from ROLE_PERMISSIONS, so every
database has them; `sync_role_groups` is also safe to run again.
"""

from claims.choices import ClaimStatus, Role

EDITORIAL_MODELS = (
    "outlet",
    "article",
    "speaker",
    "speakeralias",
    "quote",
    "topic",
    "claim",
    "source",
    "evidence",
    "claimrelation",
)

_VIEW = [f"claims.view_{m}" for m in EDITORIAL_MODELS]
_ADD = [f"claims.add_{m}" for m in EDITORIAL_MODELS]
_CHANGE = [f"claims.change_{m}" for m in EDITORIAL_MODELS]
_DELETE = [f"claims.delete_{m}" for m in EDITORIAL_MODELS]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Reporters record what they read; changes to rows they did not create,
    # and anything past draft, belong to editors (see may_edit).
    Role.REPORTER: _VIEW + _ADD + _CHANGE,
    Role.EDITOR: _VIEW + _ADD + _CHANGE + _DELETE + ["claims.publish_claim", "claims.merge_speakers"],
    Role.ADMIN: _VIEW
    + _ADD
    + _CHANGE
    + _DELETE
    + ["claims.publish_claim", "claims.merge_speakers"]
    + [f"auth.{action}_{model}" for model in ("user", "group") for action in ("view", "add", "change", "delete")]
    + ["authtoken.view_tokenproxy", "authtoken.add_tokenproxy", "authtoken.delete_tokenproxy"],
}


def is_editor(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("claims.publish_claim"))


def may_edit(user, record) -> bool:
    """Whether `user` may change or delete this editorial row.

    Editors may change anything. Reporters may change only rows they created,
    and a claim only while it is a draft.
    """
    if not (user and user.is_authenticated):
        return False
    if is_editor(user):
        return True
    if getattr(record, "created_by_id", None) != user.pk:
        return False
    status = getattr(record, "status", None)
    return status in (None, ClaimStatus.DRAFT)


def sync_role_groups(apps) -> None:
    """Create the role groups and give each exactly its permissions."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
