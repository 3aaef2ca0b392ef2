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
        "plans.view_activity",
        "plans.view_activityupdate",
        "plans.add_activityupdate",
        "plans.change_activityupdate",
    ],
    Role.APPROVER: [
        "targets.view_indicator",
        "targets.view_commitment",
        "targets.view_actual",
        "targets.change_actual",
        "targets.approve_actual",
        "plans.view_activity",
        "plans.view_activityupdate",
        "plans.change_activityupdate",
        "plans.approve_activityupdate",
    ],
    Role.SCRUTINY: [
        "targets.view_indicator",
        "targets.view_commitment",
        "targets.view_actual",
        "plans.view_activity",
        "plans.view_activityupdate",
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
            wanted = {tuple(name.split(".")) for name in ROLE_PERMISSIONS[role]}
            # An early migration runs before later models exist; the migration that adds a
            # model's permissions calls this again, so the ones missing now are given then.
            permissions = [
                permission
                for permission in Permission.objects.filter(
                    codename__in=[codename for _, codename in wanted]
                ).select_related("content_type")
                if (permission.content_type.app_label, permission.codename) in wanted
            ]
            if apps is global_apps and len(permissions) != len(wanted):
                found = {(p.content_type.app_label, p.codename) for p in permissions}
                missing = ", ".join(sorted(".".join(name) for name in wanted - found))
                raise LookupError(f"Role {role}: no permission {missing}.")
        group.permissions.set(permissions)
