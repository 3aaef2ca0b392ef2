from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TargetsConfig(AppConfig):
    name = "targets"

    def ready(self):
        post_migrate.connect(reinstall_data_version_triggers, sender=self)


def reinstall_data_version_triggers(using="default", **kwargs):
    """After every migrate: SQLite drops a table's triggers when Django rebuilds the table to
    alter it, so a later migration of a watched table would silently stop the versions."""
    from django.db import connections

    from targets import data_versions
    from targets.models import DataVersion

    if DataVersion._meta.db_table in connections[using].introspection.table_names():
        data_versions.install(using)
    else:  # migrated back before the versions existed
        data_versions.uninstall(using)
