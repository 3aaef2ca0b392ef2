"""Give the roles the permissions added for sign-off and period locks (see partners/roles.py)."""

from django.db import migrations

from partners.roles import sync_roles


def update_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_slugs_from_names"),
        ("targets", "0005_period_locks_sign_off_late_entries"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
