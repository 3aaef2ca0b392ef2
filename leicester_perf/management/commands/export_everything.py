from django.core.management import call_command
from django.core.management.base import BaseCommand

from leicester_perf.backup import EXCLUDED, INCLUDED


class Command(BaseCommand):
    help = (
        "Export every row the application keeps (people, roles, plans, targets, actuals and "
        "their full history, the admin log) as one JSON file that import_everything loads into "
        "an empty database. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        call_command(
            "dumpdata",
            *INCLUDED,
            exclude=EXCLUDED,
            natural_foreign=True,  # content types and permissions by name: their ids vary
            indent=1,
            output=file,
            verbosity=0,
        )
        self.stdout.write(f"Exported everything to {file}.")
