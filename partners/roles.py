"""The four roles people have, as Django groups, and what each may do.

Object-level rules (an officer writes only for the commitments of their own organisations) live
in the services that write; the groups below set the coarse permissions the admin checks.
"""

from django.db.models import TextChoices


class Role(TextChoices):
    OFFICER = "Officer"
    APPROVER = "Approver"
    SCRUTINY = "Scrutiny"
    ADMIN = "Admin"


# Model permissions per role, as "app_label.codename". Admins are given every permission of the
# project's apps when the groups are created.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [
        "targets.view_indicator",
        "targets.view_commitment",
        "targets.view_actual",
        "targets.add_actual",
        "targets.change_actual",
    ],
    Role.APPROVER: [
        "targets.view_indicator",
        "targets.view_commitment",
        "targets.view_actual",
        "targets.change_actual",
        "targets.approve_actual",
    ],
    Role.SCRUTINY: [
        "targets.view_indicator",
        "targets.view_commitment",
        "targets.view_actual",
    ],
}

ADMIN_APPS = ["partners", "plans", "targets"]


def sync_roles(apps) -> None:
    """Create the role groups and give each exactly the permissions above.

    Called from migrations (with the historical ``apps``) whenever a migration adds permissions
    that a role should have, and by tests that flush the database (with the live registry).
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    if apps is not global_apps:
        # In a migration, permissions are normally created only after all migrations have run;
        # the groups need them now.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.ADMIN:
            permissions = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        else:
            wanted = [name.split(".") for name in ROLE_PERMISSIONS[role]]
            permissions = [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in wanted
            ]
        group.permissions.set(permissions)
