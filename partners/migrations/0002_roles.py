"""Create the four roles as groups with their permissions (see partners/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from partners.roles import ADMIN_APPS, ROLE_PERMISSIONS, Role


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups need them now.
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
