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
    ],
    Role.SCRUTINY: [
        "targets.view_indicator",
        "targets.view_commitment",
        "targets.view_actual",
    ],
}

ADMIN_APPS = ["partners", "plans", "targets"]
