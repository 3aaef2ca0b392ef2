"""Reading uploaded spreadsheets safely, and writing exports that spreadsheets cannot execute.

`read_spreadsheet` refuses, before any parser sees it, a file that is too big, not the format
its name says, a zip bomb (judged by what the parts really unpack to, not by the sizes the zip
declares), or XML with entity declarations; it stops at a row limit. Every cell comes back as
text, exactly as written apart from surrounding spaces; each kept row carries its row number
in the file, so errors can point at the row the user sees.

`write_spreadsheet` passes every cell through `safe_cell`, which puts a `'` in front of text a
spreadsheet would run as a formula (OWASP "CSV injection"). Numbers, and text that is a plain
number such as "-3" or "-1,234.5", cannot run and are left alone.

Reading undoes exactly that: `read_spreadsheet` applies `unsafe_cell` to every cell, so text
exported and imported again comes back unchanged and the importer never sees the `'`. The cost
is that a cell typed by hand as `'=A1` is read as `=A1`.
"""

import csv
import io
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# openpyxl parses XML with defusedxml only when it is installed (and not switched off with
# OPENPYXL_DEFUSEDXML); without it an upload could expand entities. Refuse to run at all.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - a broken installation
    raise RuntimeError(
        "defusedxml must be installed (and enabled) so openpyxl parses uploads safely."
    )

MB = 1024 * 1024
# An honest .xlsx unpacks to 5-20 times its size. One that unpacks to more than 100 times the
# upload limit or 200 MB (whichever is lower), or with a part over 1 MB packed more than 100 to
# 1, or with more than 1,000 parts, is an attack.
MAX_UNPACK_FACTOR = 100
MAX_UNPACKED_BYTES = 200 * MB
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE = 1 * MB
MAX_ZIP_ENTRIES = 1_000
REQUIRED_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
ENTITY_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
CHUNK = 64 * 1024

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected workbooks

# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?")


class SpreadsheetError(ValueError):
    """A file that cannot be read as a spreadsheet; the message says why in plain words."""


@dataclass
class Sheet:
    name: str  # the worksheet's name; for a CSV file, the file's name
    headers: list[str]
    rows: list[list[str]]  # every non-empty data row, each as wide as `headers`
    notes: list[str] = field(default_factory=list)
    # The row number in the file of each of `rows`, as a spreadsheet shows it. Empty rows are
    # left out of `rows` but still counted, so row 5 of the file is reported as row 5.
    row_numbers: list[int] = field(default_factory=list)


def safe_cell(value: object) -> object:
    """`value` as a spreadsheet shows it, never run: formula-like text gets a leading `'`.

    Text that is a plain number ("-3", "+3", "-1,234.5") cannot run and is left as it is, as
    are numbers and every other non-text value; None becomes "". Text already starting with
    `'` before a formula character gets one more, so that `unsafe_cell` can always undo this.
    """
    if value is None:
        return ""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """Undo `safe_cell`: remove the `'` it put in front of formula-like text."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def _needs_quote(text: str) -> bool:
    # Looking past leading quotes makes safe_cell add one to "'=x" too; otherwise unsafe_cell
    # could not tell "'=x" typed by a person from "=x" quoted by safe_cell.
    unquoted = text.lstrip("'")
    return unquoted.startswith(DANGEROUS_STARTS) and not PLAIN_NUMBER.fullmatch(unquoted)


# Reading


def read_spreadsheet(
    data: bytes, file_name: str, *, max_bytes: int, max_rows: int = 200_000
) -> list[Sheet]:
    """The sheets of an uploaded .csv or .xlsx file, or SpreadsheetError saying what is wrong.

    The format is chosen by the file name's extension. A CSV file is one sheet; an .xlsx file
    gives one sheet per worksheet that has anything in it.
    """
    suffix = PurePath(file_name).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise SpreadsheetError(
            f"Only .csv and .xlsx files can be imported, not '{suffix or file_name}'."
        )
    if len(data) > max_bytes:
        raise SpreadsheetError(f"The file is {_size(len(data))}; the limit is {_size(max_bytes)}.")
    if not data.removeprefix(UTF8_BOM).strip():
        raise SpreadsheetError("The file is empty.")
    if suffix == ".csv":
        sheet = _read_csv(data, PurePath(file_name).name, max_rows)
        sheets = [sheet] if sheet else []
    else:
        unpack_limit = min(MAX_UNPACK_FACTOR * max_bytes, MAX_UNPACKED_BYTES)
        sheets = _read_xlsx(data, unpack_limit=unpack_limit, max_rows=max_rows)
    if not sheets:
        raise SpreadsheetError("The file is empty.")
    return sheets


def _size(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB / 10 else f"{size:,} bytes"


def _read_csv(data: bytes, name: str, max_rows: int) -> Sheet | None:
    _refuse_binary(data)
    text, notes = _decode(data)
    header_line = text.partition("\n")[0]
    # Excel in many European locales saves "CSV" separated by semicolons.
    delimiter = ";" if ";" in header_line and "," not in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _sheet(name, reader, notes, max_rows)
    except csv.Error as error:
        raise SpreadsheetError(
            f"'{name}' is not valid CSV (line {reader.line_num}): {error}."
        ) from None


def _refuse_binary(data: bytes) -> None:
    if data.startswith(ZIP_SIGNATURE):
        raise SpreadsheetError(
            "The file is a zip file (an .xlsx workbook?), not CSV text; name it .xlsx."
        )
    if data.startswith(OLE_SIGNATURE):
        raise SpreadsheetError(
            "The file is an old Excel (.xls) workbook, not CSV text; save it as 'CSV UTF-8'."
        )
    if data.startswith(UTF16_BOMS):
        raise SpreadsheetError(
            "The file is UTF-16 ('Unicode Text'), not CSV; save it as 'CSV UTF-8' instead."
        )
    if b"\x00" in data:
        raise SpreadsheetError("The file holds NUL bytes, so it is not CSV text.")


def _decode(data: bytes) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # Excel on Windows saves plain "CSV" in the Windows code page.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            "The file could not be read as UTF-8 or Windows-1252 text; save it as "
            "'CSV UTF-8' and try again."
        ) from None
    return text, ["Read as Windows-1252: the file is not UTF-8."]


def _sheet(name: str, rows: Iterable[list[str]], notes: list[str], max_rows: int) -> Sheet | None:
    """A sheet from rows of text, or None when there is no header row."""
    headers = None
    header_number = 0
    kept, numbers = [], []
    for number, row in enumerate(rows, 1):
        cells = [unsafe_cell(cell.strip()) for cell in row]
        if not any(cells):
            continue
        if headers is None:
            headers, header_number = cells, number
            continue
        if len(kept) == max_rows:
            raise SpreadsheetError(
                f"'{name}' has more than {max_rows:,} rows; the limit is {max_rows:,}."
            )
        kept.append(cells)
        numbers.append(number)
    if headers is None:
        return None
    headers, kept = _square(name, headers, header_number, kept)
    return Sheet(name=name, headers=headers, rows=kept, notes=notes, row_numbers=numbers)


def _square(name: str, headers: list[str], header_number: int, rows: list[list[str]]):
    """Every row as wide as the header, once the header is known to name each column once."""
    width = max([len(headers), *map(len, rows)])
    headers = headers + [""] * (width - len(headers))
    rows = [row + [""] * (width - len(row)) for row in rows]
    # Spreadsheets often carry empty columns past the last one used; they are not columns.
    while headers and not headers[-1] and not any(row[len(headers) - 1] for row in rows):
        headers.pop()
    width = len(headers)
    rows = [row[:width] for row in rows]
    blank = [get_column_letter(n) for n, header in enumerate(headers, 1) if not header]
    if blank:
        raise SpreadsheetError(
            f"'{name}' has column(s) {', '.join(blank)} with no name in the header row "
            f"(row {header_number}); give every column a name."
        )
    first_spelling: dict[str, str] = {}
    repeated = []
    for header in headers:
        key = header.lower()  # column names are case-insensitive
        if key in first_spelling and first_spelling[key] not in repeated:
            repeated.append(first_spelling[key])
        first_spelling.setdefault(key, header)
    if repeated:
        raise SpreadsheetError(
            f"'{name}' has the column(s) {', '.join(repeated)} more than once; "
            "each column may appear only once."
        )
    return headers, rows


def _read_xlsx(data: bytes, *, unpack_limit: int, max_rows: int) -> list[Sheet]:
    _check_xlsx(data, unpack_limit)
    sheets = []
    workbook = None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for worksheet in workbook.worksheets:
            # In read-only mode openpyxl stops at the size the file declares, which some
            # programs get wrong; without it, openpyxl reads every row that is there.
            worksheet.reset_dimensions()
            rows = ([_cell_text(cell) for cell in row] for row in worksheet.iter_rows())
            sheet = _sheet(worksheet.title, rows, [], max_rows)
            if sheet:
                sheets.append(sheet)
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises many kinds of error for a damaged file
        if _caused_by(error, DefusedXmlException):
            raise SpreadsheetError(_ENTITIES) from None
        raise SpreadsheetError(f"The .xlsx file could not be read: {error}") from None
    finally:
        if workbook is not None:
            workbook.close()
    return sheets


def _caused_by(error: BaseException | None, kind: type) -> bool:
    # openpyxl wraps what its XML parser raised in errors of its own.
    for _ in range(10):
        if error is None or isinstance(error, kind):
            return error is not None
        error = error.__cause__ or error.__context__
    return False


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        # Excel stores "62%" as 0.62 shown as a percentage; the text is what the user typed.
        if "%" in (cell.number_format or ""):
            return _number_text(value * 100) + "%"
        return _number_text(value)
    return str(value)


def _number_text(value: int | float | Decimal) -> str:
    """A number as a person writes it: 62 not 62.0, 0.3 not 0.30000000000000004."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int) or not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    # Excel keeps 15 significant digits; more are noise from binary floating point.
    text = format(value, ".15g")
    return format(Decimal(text), "f") if "e" in text else text


_ENTITIES = "The .xlsx file contains XML entity declarations, which are not allowed."


def _zip_bomb(reason: str) -> SpreadsheetError:
    return SpreadsheetError(f"The .xlsx file looks like a zip bomb: {reason}.")


def _check_xlsx(data: bytes, unpack_limit: int) -> None:
    """Refuse a file that is not a safe .xlsx before openpyxl opens it."""
    if data.startswith(OLE_SIGNATURE):
        raise SpreadsheetError(
            "The file is not a valid .xlsx (zip) file: it is an old Excel (.xls) workbook or "
            "a password-protected one. Save it as .xlsx without a password."
        )
    not_valid = "The file is not a valid .xlsx (zip) file."
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(not_valid)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    # NotImplementedError: a damaged header asking for a zip version Python cannot read (found
    # by benchmarks/fuzz_parsers.py).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError):
        raise SpreadsheetError(not_valid) from None

    if len(entries) > MAX_ZIP_ENTRIES:
        raise _zip_bomb(f"it holds {len(entries):,} parts; the limit is {MAX_ZIP_ENTRIES:,}")
    total = sum(entry.file_size for entry in entries)
    if total > unpack_limit:
        raise _zip_bomb(
            f"its {_size(len(data))} would unpack to {_size(total)}; "
            f"the limit is {_size(unpack_limit)}"
        )
    for entry in entries:
        if entry.file_size > RATIO_CHECKED_ABOVE and (
            entry.file_size > MAX_COMPRESSION_RATIO * entry.compress_size
        ):
            raise _zip_bomb(
                f"its part {entry.filename} unpacks from {_size(entry.compress_size)} to "
                f"{_size(entry.file_size)}, more than {MAX_COMPRESSION_RATIO} to 1"
            )
    names = {entry.filename for entry in entries}
    missing = [part for part in REQUIRED_XLSX_PARTS if part not in names]
    if missing:
        raise SpreadsheetError(
            f"The file is not a valid .xlsx workbook: it has no {' or '.join(missing)}."
        )
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise SpreadsheetError("The .xlsx file is encrypted; save it without a password.")
        if entry.compress_type not in {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}:
            raise SpreadsheetError(
                f"The .xlsx part {entry.filename} is compressed in a way Excel does not use."
            )
        try:
            _check_part(data, entry)
        except (zlib.error, struct.error):
            raise SpreadsheetError(not_valid) from None


def _check_part(data: bytes, entry: zipfile.ZipInfo) -> None:
    """Unpack one part as far as its declared size, refusing entities and anything beyond.

    zipfile trusts the sizes a zip declares: asked for a whole part, it would unpack all of a
    deflate stream that lies about its size before cutting it short. So each part is unpacked
    here, a piece at a time, and refused if it holds more than it declares.
    """
    scan = entry.filename.lower().endswith(XML_PART_SUFFIXES)
    overlap = max(map(len, ENTITY_MARKERS)) - 1
    unpacked = 0
    tail = b""
    for piece in _unpack(data, entry):
        unpacked += len(piece)
        if unpacked > entry.file_size:
            raise _zip_bomb(
                f"its part {entry.filename} unpacks to more than the "
                f"{_size(entry.file_size)} it declares"
            )
        if scan:
            window = tail + piece
            if any(marker in window for marker in ENTITY_MARKERS):
                raise SpreadsheetError(_ENTITIES)
            tail = window[-overlap:]


def _unpack(data: bytes, entry: zipfile.ZipInfo) -> Iterator[bytes]:
    start = entry.header_offset
    # The local file header: 30 bytes, the name's and the extra field's lengths at 26 and 28.
    if data[start : start + 4] != ZIP_SIGNATURE:
        raise zlib.error("no local file header")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    start += 30 + name_length + extra_length
    packed = memoryview(data)[start : start + entry.compress_size]
    if len(packed) < entry.compress_size:
        raise zlib.error("truncated")
    if entry.compress_type == zipfile.ZIP_STORED:
        for offset in range(0, len(packed), CHUNK):
            yield bytes(packed[offset : offset + CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for offset in range(0, len(packed), CHUNK):
        pending = packed[offset : offset + CHUNK]
        while pending and not inflater.eof:
            # At most CHUNK bytes at a time, however much the input would expand to.
            yield inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
        if inflater.eof:
            return
    yield inflater.flush()


# Writing


def write_spreadsheet(
    sheets: list[tuple[str, list[str], list[list[object]]]], file_name: str
) -> bytes:
    """`(name, headers, rows)` sheets as a .csv (one sheet) or .xlsx file, formula-safe.

    CSV is UTF-8 without a byte-order mark, "\\n" line endings, quoted only where needed; the
    same sheets always give the same bytes. In .xlsx, numbers and dates stay numbers and dates.
    """
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        return _write_csv(sheets)
    if suffix == ".xlsx":
        return _write_xlsx(sheets)
    raise ValueError(f"Cannot write '{file_name}': only .csv and .xlsx files can be written.")


def _write_csv(sheets) -> bytes:
    if len(sheets) != 1:
        raise ValueError(f"A .csv file holds one sheet, not {len(sheets)}.")
    _, headers, rows = sheets[0]
    buffer = io.StringIO()
    # Python before 3.11.9 quotes a cell holding a lone "\r" only when "\r" is part of the line
    # ending, and a reader would split the row there: write "\r\n", then end lines with "\n".
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in [headers, *rows]:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(_csv_text(value)) for value in row])
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines).encode("utf-8")


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | Decimal):
        return _number_text(value)
    return str(value)


def _write_xlsx(sheets) -> bytes:
    if not sheets:
        raise ValueError("An .xlsx file needs at least one sheet.")
    # Write-only mode streams rows instead of holding every cell as an object.
    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for name, headers, rows in sheets:
        worksheet = workbook.create_sheet(title=name[:31])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(worksheet, value=_xlsx_value(header))
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        for row in rows:
            worksheet.append([_xlsx_value(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal | date):
        return value
    text = "" if value is None else str(value)
    # Control characters are not allowed in the file format; openpyxl would refuse the export.
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", text))
