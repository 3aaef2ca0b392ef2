"""Load the reference plans in fixtures/, through the same importer admins use.

Each folder of fixtures/ is one source document, in the import format of docs/import-format.md;
folders load in name order, so a later document may refer to an earlier one's indicators.
Running it again changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from targets.models import ActualSource
from targets.spreadsheets.commands import read_files
from targets.spreadsheets.workbook import PLAN_SHEETS, import_actual_sheets, import_plan_sheets

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SHEET_NAMES = {resource.sheet for resource in PLAN_SHEETS} | {"figures"}


class Command(BaseCommand):
    help = "Load the seed plans from fixtures/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(FIXTURES), help="Folder of fixtures.")

    @transaction.atomic
    def handle(self, *args, fixtures, **options):
        folders = sorted(p for p in Path(fixtures).iterdir() if p.is_dir())
        if not folders:
            raise CommandError(f"No seed documents in {fixtures}.")
        for folder in folders:
            plan_files = sorted(str(p) for p in folder.glob("*.csv") if p.stem in SHEET_NAMES)
            report = import_plan_sheets(read_files(plan_files), file_name=f"fixtures/{folder.name}")
            self._report(report)
            actuals = folder / "actuals.csv"
            if actuals.exists():
                report = import_actual_sheets(
                    read_files([str(actuals)]),
                    file_name=f"fixtures/{folder.name}/actuals.csv",
                    source_kind=ActualSource.DOCUMENT,
                )
                self._report(report)
            others = sorted(
                p.name for p in folder.glob("*.csv") if p.stem not in SHEET_NAMES | {"actuals"}
            )
            if others:
                self.stdout.write(f"  not loaded yet (no importer for them): {', '.join(others)}")

    def _report(self, report):
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
