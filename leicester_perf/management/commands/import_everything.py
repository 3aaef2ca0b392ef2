from django.core.management.base import BaseCommand, CommandError

from leicester_perf.backup import NotEmpty, import_everything


class Command(BaseCommand):
    help = (
        "Load a file written by export_everything into an empty, migrated database, all or "
        "nothing. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        try:
            count = import_everything(file)
        except NotEmpty as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Imported {count:,} rows from {file}.")
