"""Reading uploaded spreadsheets safely, and writing exports that spreadsheets cannot execute.

Reading refuses, before any parser sees it, a file that is too big, not the format its name
says, a zip bomb, or XML with entity declarations. Every cell comes back as text, exactly as
written apart from surrounding spaces. Writing neutralises formulas (`safe_cell`) and reading
undoes exactly that (`unsafe_cell`), so export → import → export gives the same file.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

import openpyxl
from openpyxl.styles import Font

# openpyxl parses XML with defusedxml when it is installed; refuse to run without it.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - a broken installation
    raise RuntimeError("defusedxml must be installed so openpyxl parses uploads safely.")

MAX_ZIP_ENTRIES = 1_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
REQUIRED_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")


class SpreadsheetError(ValueError):
    """A file that cannot be read as a spreadsheet; the message says why in plain words."""


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    # The spreadsheet row number of each row in `rows` (the header is row 1).
    row_numbers: list[int] = field(default_factory=list)


def safe_cell(value):
    """A value a spreadsheet shows as written: text that would be a formula gets a leading '.

    Numbers, and text that is a plain number such as "-3", cannot execute and stay as they are.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        if PLAIN_NUMBER.match(value):
            return value
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """Undo `safe_cell` on a cell read back from an export."""
    if text.startswith("'") and text[1:].startswith(DANGEROUS_STARTS):
        return text[1:]
    return text


def read_spreadsheet(
    data: bytes, file_name: str, *, max_bytes: int, max_rows: int = 200_000
) -> list[Sheet]:
    suffix = PurePath(file_name).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise SpreadsheetError(
            f"Only .csv and .xlsx files can be imported, not '{suffix or file_name}'."
        )
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.1f} MB."
        )
    if not data.strip().lstrip(b"\xef\xbb\xbf").strip():
        raise SpreadsheetError("The file is empty.")
    sheets = [_read_csv(data, file_name)] if suffix == ".csv" else _read_xlsx(data, file_name)
    if not sheets:
        raise SpreadsheetError("The file is empty.")
    for sheet in sheets:
        _check(sheet, max_rows)
    return sheets


def _decode(data: bytes) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            "The file could not be read as UTF-8 or Windows-1252 text; save it as "
            "'CSV UTF-8' and try again."
        ) from None
    return text, ["Read as Windows-1252: the file is not UTF-8."]


def _read_csv(data: bytes, file_name: str) -> Sheet:
    text, notes = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SpreadsheetError(f"The file is not valid CSV: {error}.") from None
    return _sheet(PurePath(file_name).name, rows, notes)


def _sheet(name: str, rows: list[list[str]], notes: list[str]) -> Sheet:
    rows = [[unsafe_cell(cell.strip()) for cell in row] for row in rows]
    numbered = [(number, row) for number, row in enumerate(rows, 1) if any(row)]
    if not numbered:
        raise SpreadsheetError(f"'{name}' is empty: it has no header row.")
    (_, headers), body = numbered[0], numbered[1:]
    width = len(headers)
    return Sheet(
        name=name,
        headers=headers,
        rows=[(row + [""] * width)[:width] for _, row in body],
        notes=notes,
        row_numbers=[number for number, _ in body],
    )


def _check(sheet: Sheet, max_rows: int) -> None:
    if len(sheet.rows) > max_rows:
        raise SpreadsheetError(
            f"'{sheet.name}' has {len(sheet.rows):,} rows; the limit is {max_rows:,}."
        )
    blank = [str(n) for n, header in enumerate(sheet.headers, 1) if not header]
    if blank:
        raise SpreadsheetError(f"'{sheet.name}' has columns with no name: {', '.join(blank)}.")
    lowered = [header.lower() for header in sheet.headers]
    repeated = sorted({h for h in lowered if lowered.count(h) > 1})
    if repeated:
        raise SpreadsheetError(f"'{sheet.name}' repeats the column(s) {', '.join(repeated)}.")


def _check_zip(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError("The file is not a valid .xlsx (zip) file.")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise SpreadsheetError(
                f"The .xlsx holds {len(entries):,} parts; it looks like a zip bomb."
            )
        total = sum(entry.file_size for entry in entries)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SpreadsheetError(
                f"The .xlsx would unpack to {total / 1_048_576:.0f} MB from "
                f"{len(data) / 1_048_576:.1f} MB; it looks like a zip bomb."
            )
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > 1_048_576 and ratio > MAX_COMPRESSION_RATIO:
                raise SpreadsheetError(
                    f"The .xlsx part {entry.filename} is compressed {ratio:.0f} to 1; "
                    "it looks like a zip bomb."
                )
        names = {entry.filename for entry in entries}
        missing = [part for part in REQUIRED_XLSX_PARTS if part not in names]
        if missing:
            raise SpreadsheetError(f"The .xlsx is missing its part(s) {', '.join(missing)}.")
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels")):
                head = archive.read(entry)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise SpreadsheetError(
                        "The .xlsx contains XML entity declarations, which are not allowed."
                    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _read_xlsx(data: bytes, file_name: str) -> list[Sheet]:
    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetError(f"The .xlsx could not be read: {error}.") from None
    sheets = []
    try:
        for worksheet in workbook.worksheets:
            rows = [
                [_cell(value) for value in row] for row in worksheet.iter_rows(values_only=True)
            ]
            if any(any(row) for row in rows):
                sheets.append(_sheet(worksheet.title, rows, []))
    finally:
        workbook.close()
    return sheets


def write_spreadsheet(sheets, file_name: str) -> bytes:
    """Write (name, headers, rows) sheets as .csv (one sheet) or .xlsx, formula-safe."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        if len(sheets) != 1:
            raise ValueError("A .csv file holds one sheet.")
        _, headers, rows = sheets[0]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([safe_cell(h) for h in headers])
        writer.writerows([[safe_cell(_text(v)) for v in row] for row in rows])
        return out.getvalue().encode("utf-8")
    if suffix != ".xlsx":
        raise ValueError(f"Cannot write '{suffix}': use .csv or .xlsx.")
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, headers, rows in sheets:
        worksheet = workbook.create_sheet(title=name[:31])
        worksheet.append([safe_cell(h) for h in headers])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            worksheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _xlsx_value(value):
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    value = safe_cell(_text(value))
    # openpyxl would store "=..." as a formula; safe_cell has prefixed those, so this is text.
    return value
