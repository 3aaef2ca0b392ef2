"""The application's own full export and import (manage.py export_everything / import_everything).

Django's dumpdata and loaddata, with the choices that make a round trip exact: every app that
holds the council's data, with primary keys kept (so history rows still point at their
objects); content types and permissions, which migrations recreate with other ids, referred to
by name; sessions and sign-in throttling records left out (they are transient). The spreadsheet
exports (export_targets, export_actuals) are for people; this is for restoring a whole site.
"""

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from targets import dashboard

INCLUDED = ["auth", "admin", "partners", "plans", "targets"]
# Recreated by migrate, with other ids; the export names them (natural keys) where it needs them.
# The data versions are counts of writes kept by database triggers, not data: loading the export
# writes new ones.
EXCLUDED = ["auth.permission", "targets.dataversion"]
# If any of these has a row, the database holds someone's data: refuse to load over it.
DATA_MODELS = ["auth.User", "partners.Partner", "plans.Plan", "targets.Indicator"]


class NotEmpty(Exception):
    pass


def dumped_models():
    excluded = {label.lower() for label in EXCLUDED}
    return [
        model
        for label in INCLUDED
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in excluded
    ]


@transaction.atomic
def import_everything(path) -> int:
    """Load an export into an empty database; return the number of objects loaded."""
    for label in DATA_MODELS:
        model = apps.get_model(label)
        if model._default_manager.exists():
            raise NotEmpty(
                f"The database already holds data ({model._meta.verbose_name_plural} and maybe "
                "more): import_everything only loads into an empty, freshly migrated database."
            )
    # Migrations seed some rows (the role groups); the export holds them as they were.
    for model in reversed(dumped_models()):
        model._base_manager.all().delete()
    before = sum(model._base_manager.count() for model in dumped_models())
    call_command("loaddata", str(path), verbosity=0)
    # The versions start again from what loading wrote: entries cached before, in a cache that
    # outlived the old database, could share their numbers.
    dashboard.forget_cached()
    return sum(model._base_manager.count() for model in dumped_models()) - before
