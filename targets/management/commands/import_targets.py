import sys

from django.core.management.base import BaseCommand

from targets.spreadsheets.commands import ProgressBar, print_report, read_files
from targets.spreadsheets.workbook import import_plan_sheets


class Command(BaseCommand):
    help = (
        "Import plans, themes, indicators, commitments, baselines and targets from .csv or .xlsx "
        "files (docs/import-format.md). All or nothing: any invalid row and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Check, write nothing.")

    def handle(self, *args, files, dry_run, **options):
        report = import_plan_sheets(
            read_files(files),
            file_name=", ".join(files),
            dry_run=dry_run,
            progress=ProgressBar(sys.stderr),
        )
        print_report(self, report)
