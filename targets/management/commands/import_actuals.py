import sys

from django.core.management.base import BaseCommand

from targets.spreadsheets.commands import ProgressBar, print_report, read_files
from targets.spreadsheets.workbook import import_actual_sheets


class Command(BaseCommand):
    help = (
        "Import actuals from .csv or .xlsx files (docs/import-format.md), recorded as approved "
        "(or only submitted, with --submit-only). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Check, write nothing.")
        parser.add_argument(
            "--submit-only", action="store_true", help="Record as submitted for sign-off."
        )

    def handle(self, *args, files, dry_run, submit_only, **options):
        report = import_actual_sheets(
            read_files(files),
            file_name=", ".join(files),
            dry_run=dry_run,
            submit_only=submit_only,
            progress=ProgressBar(sys.stderr),
        )
        print_report(self, report)
