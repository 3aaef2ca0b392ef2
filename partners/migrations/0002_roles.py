"""Create the four roles as groups with their permissions (see partners/roles.py)."""

from django.db import migrations

from partners.roles import Role, sync_roles


def create_roles(apps, schema_editor):
    sync_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[r.value for r in Role]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("plans", "0001_initial"),
        ("targets", "0003_import_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
