"""What the four import and export commands share: reading files, reporting, exit status."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from targets.spreadsheets.files import SpreadsheetError, read_spreadsheet, write_spreadsheet
from targets.spreadsheets.workbook import ImportReport


def read_files(paths: list[str]):
    sheets = []
    for path in paths:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            sheets.extend(
                read_spreadsheet(
                    file.read_bytes(),
                    file.name,
                    max_bytes=settings.IMPORT_MAX_FILE_BYTES,
                    max_rows=settings.IMPORT_MAX_ROWS,
                )
            )
        except SpreadsheetError as error:
            raise CommandError(f"{file.name}: {error}") from None
    return sheets


def print_report(command, report: ImportReport) -> None:
    for note in report.notes:
        command.stdout.write(f"Note: {note}")
    for error in report.errors:
        command.stderr.write(str(error))
    if report.ok:
        command.stdout.write(report.summary())
    else:
        raise CommandError(report.summary())


def write_file(command, path: str, sheets) -> None:
    file = Path(path)
    if file.suffix.lower() == ".csv" and len(sheets) > 1:
        sheets = [sheet for sheet in sheets if sheet[0] in {"figures", "actuals"}]
    file.write_bytes(write_spreadsheet(sheets, file.name))
    rows = sum(len(sheet[2]) for sheet in sheets)
    command.stdout.write(f"Exported {rows} rows in {len(sheets)} sheet(s) to {path}.")


class ProgressBar:
    """A one-line progress bar on a terminal, for files of more than a few hundred rows."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.shown = None

    def __call__(self, sheet: str, done: int, total: int) -> None:
        if not self.enabled or total < 500:
            return
        filled = self.WIDTH * done // total
        if (sheet, filled) == self.shown and done != total:
            return
        self.shown = (sheet, filled)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        end = "\n" if done == total else ""
        self.stream.write(f"\r{sheet:<12} [{bar}] {done:,}/{total:,}{end}")
        self.stream.flush()
