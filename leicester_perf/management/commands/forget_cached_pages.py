from django.core.management.base import BaseCommand

from targets import dashboard


class Command(BaseCommand):
    help = (
        "Render every cached dashboard afresh on its next request: after restoring a backup "
        "(pg_restore) or emptying tables with TRUNCATE, which the data versions do not see "
        "(docs/dashboards.md)."
    )

    def handle(self, *args, **options):
        dashboard.forget_cached()
        self.stdout.write(
            "Cached dashboards forgotten: each is rendered afresh when next asked for."
        )
