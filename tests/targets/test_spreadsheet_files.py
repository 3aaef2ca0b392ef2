"""Reading uploaded spreadsheets safely and writing formula-safe exports (no database)."""

import io
import re
import struct
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from targets.spreadsheets.files import (
    DANGEROUS_STARTS,
    SpreadsheetError,
    read_spreadsheet,
    safe_cell,
    unsafe_cell,
    write_spreadsheet,
)

LIMIT = 5 * 1024 * 1024


def read(data: bytes, name: str = "figures.csv", **limits):
    return read_spreadsheet(data, name, **{"max_bytes": LIMIT, **limits})


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook written by openpyxl itself, as Excel or another program would."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, drop=()) -> bytes:
    """The same zip with some parts replaced or left out."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            if entry.filename not in drop:
                content = replace.get(entry.filename, source.read(entry))
                target.writestr(entry.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    def refuse(*args, **kwargs):
        pytest.fail("openpyxl was asked to open a file that should have been refused first")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# CSV


def test_a_utf8_csv_is_read_as_text_stripped_of_surrounding_spaces():
    data = "plan,indicator,text\n laa , NI 112 ,  £10.906m – 5% \n".encode()

    [sheet] = read(data)

    assert sheet.name == "figures.csv"
    assert sheet.headers == ["plan", "indicator", "text"]
    assert sheet.rows == [["laa", "NI 112", "£10.906m – 5%"]]
    assert sheet.row_numbers == [2]
    assert sheet.notes == []


def test_a_utf8_csv_with_a_byte_order_mark_keeps_its_first_column_name_clean():
    [sheet] = read("\ufeffplan,text\nlaa,62%\n".encode())

    assert sheet.headers == ["plan", "text"]
    assert sheet.notes == []


def test_a_windows_1252_csv_is_read_correctly_with_a_note():
    data = "plan,text\nlaa,£10.906m – 2008/09\n".encode("cp1252")

    [sheet] = read(data)

    assert sheet.rows == [["laa", "£10.906m – 2008/09"]]
    assert sheet.notes == ["Read as Windows-1252: the file is not UTF-8."]


def test_a_csv_that_is_neither_utf8_nor_windows_1252_is_refused_in_plain_words():
    with pytest.raises(SpreadsheetError, match="could not be read as UTF-8 or Windows-1252"):
        read(b"plan,text\nlaa,\x81\xff\n")


@pytest.mark.parametrize("data", [b"", b"  \r\n\n ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", b",,\n,"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(SpreadsheetError, match="The file is empty"):
        read(data)


@pytest.mark.parametrize(("name", "shown"), [("plan.xls", "'.xls'"), ("plan", "'plan'")])
def test_only_csv_and_xlsx_files_can_be_imported(name, shown):
    with pytest.raises(SpreadsheetError, match=f"Only .csv and .xlsx files.*not {shown}"):
        read(b"plan\nlaa\n", name)


def test_the_extension_is_read_whatever_its_case():
    [sheet] = read(b"plan\nlaa\n", "FIGURES.CSV")

    assert sheet.rows == [["laa"]]


def test_a_file_over_the_size_limit_is_refused_naming_both_sizes():
    data = b"plan\n" + b"laa\n" * 700_000

    with pytest.raises(SpreadsheetError, match=r"The file is 2\.7 MB; the limit is 2\.0 MB"):
        read(data, max_bytes=2 * 1024 * 1024)


def test_a_small_size_limit_is_named_in_bytes():
    with pytest.raises(SpreadsheetError, match="The file is 12 bytes; the limit is 10 bytes"):
        read(b"plan\nlaa\nlab", max_bytes=10)


def test_a_sheet_over_the_row_limit_is_refused_naming_the_sheet_and_the_limit():
    data = b"plan\n" + b"laa\n" * 11

    assert len(read(data, max_rows=11)[0].rows) == 11
    with pytest.raises(SpreadsheetError, match=r"'figures.csv' has more than 10 rows.*limit is 10"):
        read(data, max_rows=10)


def test_repeated_column_names_are_refused_whatever_their_case():
    with pytest.raises(
        SpreadsheetError, match=r"'figures.csv' has the column\(s\) plan, text more"
    ):
        read(b"plan,text,Plan,TEXT,kind\nlaa,1,laa,2,target\n")


def test_a_column_with_no_name_is_refused_naming_its_letter():
    with pytest.raises(SpreadsheetError, match=r"column\(s\) B with no name .*\(row 1\)"):
        read(b"plan,,text\nlaa,x,1\n")


def test_data_past_the_last_named_column_is_refused():
    with pytest.raises(SpreadsheetError, match=r"column\(s\) C with no name"):
        read(b"plan,text\nlaa,1,stray\n")


def test_empty_columns_past_the_last_named_one_are_ignored():
    [sheet] = read(b"plan,text,,\nlaa,1,,\nlab\n")

    assert sheet.headers == ["plan", "text"]
    assert sheet.rows == [["laa", "1"], ["lab", ""]]


def test_blank_rows_are_dropped_but_rows_keep_their_number_in_the_file():
    data = b"\n,,\nplan,text\nlaa,1\n\n , \nlab,2\n"

    [sheet] = read(data)

    assert sheet.rows == [["laa", "1"], ["lab", "2"]]
    assert sheet.row_numbers == [4, 7]


def test_a_cell_over_several_lines_counts_as_one_row():
    [sheet] = read(b'plan,text\nlaa,"one\ntwo"\nlab,3\n')

    assert sheet.rows == [["laa", "one\ntwo"], ["lab", "3"]]
    assert sheet.row_numbers == [2, 3]


def test_a_semicolon_separated_csv_is_read():
    [sheet] = read(b"plan;text\nlaa;62%\n")

    assert sheet.headers == ["plan", "text"]
    assert sheet.rows == [["laa", "62%"]]


def test_a_semicolon_separated_csv_is_split_on_semicolons_only():
    [sheet] = read(b"plan;text\nlaa;a, b\n")

    assert sheet.rows == [["laa", "a, b"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04rest of a workbook", "zip file .*name it .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", r"old Excel \(.xls\)"),
        ("plan\tindicator\n".encode("utf-16"), "UTF-16"),
        (b"plan,text\nlaa,\x00\n", "NUL bytes"),
    ],
)
def test_a_binary_file_named_csv_is_refused_saying_what_it_is(data, message):
    with pytest.raises(SpreadsheetError, match=message):
        read(data)


def test_a_cell_quoted_by_an_export_is_read_back_as_written():
    [sheet] = read(b"text,change\n'=SUM(A1:A2),'-3 points\n'-3,''=x\n")

    assert sheet.rows == [["=SUM(A1:A2)", "-3 points"], ["'-3", "'=x"]]


# XLSX


def test_an_xlsx_workbook_gives_one_sheet_per_worksheet_with_values_as_text():
    data = xlsx_bytes(
        {
            "figures": [
                ["plan", "indicator", "value", "text", "on", "flag", "blank"],
                ["laa", "NI 112", 62, " £10.906m ", date(2008, 4, 1), True, None],
                ["laa", "NI 59", 77.5, "Level 4", datetime(2009, 3, 31, 12, 30), False, None],
                ["laa", "NI 60", 62.0, "x", None, None, None],
                ["laa", "NI 61", 0.1 + 0.2, -3, 1e-05, 12345678901234, None],
            ],
            "plans": [["slug", "name"], ["laa", "Leicester's LAA"]],
        }
    )

    figures, plans = read(data, "plan.xlsx")

    assert figures.name == "figures"
    assert figures.headers == ["plan", "indicator", "value", "text", "on", "flag", "blank"]
    assert figures.rows == [
        ["laa", "NI 112", "62", "£10.906m", "2008-04-01", "yes", ""],
        ["laa", "NI 59", "77.5", "Level 4", "2009-03-31", "no", ""],
        ["laa", "NI 60", "62", "x", "", "", ""],
        ["laa", "NI 61", "0.3", "-3", "0.00001", "12345678901234", ""],
    ]
    assert figures.row_numbers == [2, 3, 4, 5]
    assert plans.rows == [["laa", "Leicester's LAA"]]


def test_a_percentage_typed_in_excel_is_read_as_the_percentage_shown():
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append(["indicator", "value", "other"])
    worksheet.append(["NI 112", 0.625, 0.5])
    worksheet["B2"].number_format = "0%"
    worksheet["C2"].number_format = "0.00"
    out = io.BytesIO()
    workbook.save(out)

    [sheet] = read(out.getvalue(), "actuals.xlsx")

    assert sheet.rows == [["NI 112", "62.5%", "0.5"]]


def test_empty_worksheets_are_skipped_and_blank_rows_keep_their_numbers():
    data = xlsx_bytes(
        {
            "notes": [],
            "figures": [[None], ["plan", "text"], ["laa", "1"], [None, None], ["lab", "2"]],
        }
    )

    [sheet] = read(data, "plan.xlsx")

    assert sheet.name == "figures"
    assert sheet.rows == [["laa", "1"], ["lab", "2"]]
    assert sheet.row_numbers == [3, 5]


def test_a_workbook_with_only_empty_worksheets_is_empty():
    with pytest.raises(SpreadsheetError, match="The file is empty"):
        read(xlsx_bytes({"one": [], "two": [[None, "  "]]}), "plan.xlsx")


def test_rows_beyond_a_wrongly_declared_sheet_size_are_still_read():
    data = xlsx_bytes({"figures": [["plan", "text"], ["laa", "1"], ["lab", "2"]]})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    wrong = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', sheet_xml)
    assert wrong != sheet_xml

    [sheet] = read(rezip(data, {"xl/worksheets/sheet1.xml": wrong}), "plan.xlsx")

    assert sheet.rows == [["laa", "1"], ["lab", "2"]]


def test_the_row_limit_applies_to_each_worksheet():
    data = xlsx_bytes({"figures": [["plan"]] + [["laa"]] * 4})

    with pytest.raises(SpreadsheetError, match="'figures' has more than 3 rows"):
        read(data, "plan.xlsx", max_rows=3)


def test_repeated_column_names_in_a_worksheet_are_refused():
    with pytest.raises(SpreadsheetError, match=r"'figures' has the column\(s\) plan more"):
        read(xlsx_bytes({"figures": [["plan", "PLAN"], ["a", "b"]]}), "plan.xlsx")


def test_a_file_that_is_not_a_zip_is_not_a_valid_xlsx(openpyxl_must_not_open):
    with pytest.raises(SpreadsheetError, match=r"not a valid .xlsx \(zip\) file"):
        read(b"PK\x03\x04 not really a zip", "plan.xlsx")


def test_an_old_xls_workbook_named_xlsx_is_refused_saying_so(openpyxl_must_not_open):
    with pytest.raises(SpreadsheetError, match=r"old Excel \(.xls\) workbook"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "plan.xlsx")


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml"])
def test_a_zip_without_the_parts_of_a_workbook_is_refused_naming_them(part, openpyxl_must_not_open):
    data = rezip(xlsx_bytes({"figures": [["plan"], ["laa"]]}), drop={part})

    with pytest.raises(SpreadsheetError, match=re.escape(f"it has no {part}")):
        read(data, "plan.xlsx")


def bomb_with(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_bomb_is_refused_without_openpyxl_opening_it(openpyxl_must_not_open):
    data = bomb_with({"xl/worksheets/sheet1.xml": bytes(50 * 1024 * 1024)})
    assert len(data) < 100_000

    with pytest.raises(SpreadsheetError, match=r"zip bomb.*sheet1.xml.*to 50.0 MB, more than 100"):
        read(data, "plan.xlsx")


def test_a_zip_that_unpacks_past_the_total_limit_is_refused(openpyxl_must_not_open):
    # 100 times the upload limit: here 100 x 20 KB, in parts small enough to pass one by one.
    data = bomb_with({f"xl/media/part{n}.bin": bytes(100_000) for n in range(21)})

    with pytest.raises(SpreadsheetError, match=r"zip bomb.*would unpack to 2.0 MB.*limit is 1.9"):
        read(data, "plan.xlsx", max_bytes=20_000)


def test_a_zip_of_too_many_parts_is_refused(openpyxl_must_not_open):
    data = bomb_with({f"xl/media/{n}.bin": b"" for n in range(1_001)})

    with pytest.raises(SpreadsheetError, match=r"zip bomb: it holds 1,003 parts.*limit is 1,000"):
        read(data, "plan.xlsx")


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name` declared, in both of its headers, to unpack to `size` bytes."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(name).header_offset
    struct.pack_into("<L", data, local + 22, size)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 1)
    struct.pack_into("<L", data, central + 24, size)
    return bytes(data)


def test_a_zip_bomb_that_lies_about_its_size_is_refused(openpyxl_must_not_open):
    honest = bomb_with({"xl/styles.xml": bytes(20 * 1024 * 1024)})
    data = lie_about_size(honest, "xl/styles.xml", 1_000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("xl/styles.xml").file_size == 1_000

    with pytest.raises(SpreadsheetError, match=r"zip bomb.*styles\.xml unpacks to more than the"):
        read(data, "plan.xlsx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_xlsx_with_xml_entity_declarations_is_refused(encoding, openpyxl_must_not_open):
    data = xlsx_bytes({"figures": [["plan"], ["laa"]]})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    body = sheet_xml.split("?>", 1)[-1]
    attack = f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'

    data = rezip(data, {"xl/worksheets/sheet1.xml": (attack + body).encode(encoding)})

    with pytest.raises(SpreadsheetError, match="contains XML entity declarations, which are not"):
        read(data, "plan.xlsx")


def test_entities_in_a_part_the_scan_does_not_look_at_are_refused_by_the_xml_parser():
    # The worksheet is renamed so the scan of .xml parts misses it; defusedxml still refuses.
    data = xlsx_bytes({"figures": [["plan"], ["laa"]]})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {entry.filename: archive.read(entry) for entry in archive.infolist()}
    body = parts.pop("xl/worksheets/sheet1.xml").decode().split("?>", 1)[-1]
    parts["xl/worksheets/sheet1.dat"] = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">]>' + body.replace("laa", "&lol;")
    ).encode()
    for name in ["xl/_rels/workbook.xml.rels", "[Content_Types].xml"]:
        parts[name] = parts[name].replace(b"sheet1.xml", b"sheet1.dat")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)

    with pytest.raises(SpreadsheetError, match="contains XML entity declarations"):
        read(out.getvalue(), "plan.xlsx")


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_a_damaged_workbook_is_refused_in_plain_words():
    data = rezip(
        xlsx_bytes({"figures": [["plan"], ["laa"]]}),
        {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"},
    )

    with pytest.raises(SpreadsheetError, match=r"The \.xlsx file could not be read"):
        read(data, "plan.xlsx")


# Writing


def test_a_csv_export_is_utf8_without_bom_with_newlines_and_minimal_quotes():
    data = write_spreadsheet(
        [("figures", ["plan", "text"], [["laa", "£10.906m, as written"], ["lab", 'say "hi"']])],
        "figures.csv",
    )

    assert data == 'plan,text\nlaa,"£10.906m, as written"\nlab,"say ""hi"""\n'.encode()


def test_the_same_csv_export_twice_gives_the_same_bytes():
    sheets = [
        (
            "figures",
            ["plan", "value", "when", "text"],
            [["laa", Decimal("62.50"), date(2008, 4, 1), "=1+2"], ["lab", -3.0, None, True]],
        )
    ]

    assert write_spreadsheet(sheets, "f.csv") == write_spreadsheet(list(sheets), "f.csv")


def test_a_csv_export_writes_values_as_an_import_reads_them():
    rows = [[62, 62.0, 0.1 + 0.2, Decimal("-12.50"), Decimal("1E+2"), None, True, False]]

    data = write_spreadsheet([("figures", list("abcdefgh"), rows)], "f.csv")

    assert data.decode().splitlines()[1] == "62,62,0.3,-12.50,100,,yes,no"


def test_a_csv_export_neutralises_formulas_but_leaves_negative_numbers():
    rows = [['=HYPERLINK("http://evil")', "@SUM(A1)", "+3 % points", -3, "-3", "\tx"]]

    line = write_spreadsheet([("f", list("abcdef"), rows)], "f.csv").decode().splitlines()[1]

    assert line == '"\'=HYPERLINK(""http://evil"")",\'@SUM(A1),\'+3 % points,-3,-3,\'\tx'


def test_a_csv_holds_one_sheet():
    with pytest.raises(ValueError, match="one sheet"):
        write_spreadsheet([("a", ["x"], []), ("b", ["x"], [])], "f.csv")


def test_only_csv_and_xlsx_can_be_written():
    with pytest.raises(ValueError, match=r"only \.csv and \.xlsx"):
        write_spreadsheet([("a", ["x"], [])], "f.ods")


def test_an_xlsx_export_has_a_bold_header_numbers_as_numbers_and_no_formulas():
    data = write_spreadsheet(
        [
            (
                "a sheet with a name much longer than Excel allows",
                ["plan", "value", "text", "on"],
                [["laa", Decimal("62.5"), "=1+2", date(2008, 4, 1)], ["lab", -3, "@x\x07", None]],
            ),
            ("plans", ["slug"], [["laa"]]),
        ],
        "export.xlsx",
    )

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    worksheet = workbook.worksheets[0]
    assert worksheet.title == "a sheet with a name much longer "[:31]
    assert workbook.sheetnames[1] == "plans"
    assert all(cell.font.bold for cell in worksheet[1])
    assert not any(cell.font.bold for cell in worksheet[2])
    assert [cell.value for cell in worksheet[2]][:3] == ["laa", 62.5, "'=1+2"]
    assert worksheet["B3"].value == -3
    assert worksheet["C3"].value == "'@x"
    assert worksheet["D2"].is_date
    assert not any(cell.data_type == "f" for row in worksheet.iter_rows() for cell in row)


def test_an_xlsx_export_reads_back_as_written():
    rows = [
        ["laa", 62, 77.5, "£10.906m", "=SUM(A1:A2)", "-3", "'=x", date(2008, 4, 1), True],
        ["lab", -3, Decimal("0.5"), "M:801* F:552*", "@home", "+3 % points", "", None, False],
    ]
    headers = ["plan", "a", "b", "text", "formula", "number", "quoted", "on", "flag"]

    [sheet] = read(write_spreadsheet([("figures", headers, rows)], "x.xlsx"), "x.xlsx")

    assert sheet.headers == headers
    assert sheet.rows == [
        ["laa", "62", "77.5", "£10.906m", "=SUM(A1:A2)", "-3", "'=x", "2008-04-01", "yes"],
        ["lab", "-3", "0.5", "M:801* F:552*", "@home", "+3 % points", "", "", "no"],
    ]


def test_a_cell_holding_a_carriage_return_survives_a_csv_round_trip():
    data = write_spreadsheet(
        [("f", ["a", "b"], [["one\rtwo", "x"], ["three\r\nfour", "y"]])], "f.csv"
    )

    [sheet] = read(data)

    assert sheet.rows == [["one\rtwo", "x"], ["three\r\nfour", "y"]]


# Properties

# Text biased towards what a formula, or a quoted one, starts with.
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))
tricky_text = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["", "'", "''", *DANGEROUS_STARTS, "'-", "-1", "'+3", " "]),
    any_text,
)
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
)
stripped_cell = st.one_of(cell_text, tricky_text.filter(lambda t: "\x00" not in t)).map(str.strip)


@given(tricky_text)
def test_unsafe_cell_undoes_safe_cell(text):
    assert unsafe_cell(safe_cell(text)) == text


@given(tricky_text)
def test_safe_text_never_starts_a_formula_unless_it_is_a_plain_number(text):
    safe = safe_cell(text)

    if safe.startswith(DANGEROUS_STARTS):
        assert re.fullmatch(r"[+-][0-9][0-9,]*(\.[0-9]+)?", safe)
        float(safe.replace(",", ""))


@given(
    st.one_of(
        st.integers(),
        st.floats(allow_nan=False),
        st.decimals(allow_nan=False),
        st.booleans(),
        st.dates(),
    )
)
def test_safe_cell_leaves_numbers_and_other_values_unchanged(value):
    assert safe_cell(value) is value


def test_safe_cell_turns_none_into_an_empty_cell():
    assert safe_cell(None) == ""


@given(st.lists(st.lists(stripped_cell, min_size=3, max_size=3), max_size=8))
def test_text_written_to_csv_reads_back_unchanged(rows):
    data = write_spreadsheet([("figures", ["plan", "text", "note"], rows)], "figures.csv")

    [sheet] = read(data)

    kept = [(number, row) for number, row in enumerate(rows, 2) if any(row)]
    assert sheet.headers == ["plan", "text", "note"]
    assert sheet.rows == [row for _, row in kept]
    assert sheet.row_numbers == [number for number, _ in kept]


xlsx_cell = st.text(
    # .xlsx cannot hold most control characters, and XML reads a "\r" as "\n".
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, range(32))).replace("\t", "").replace("\n", ""),
    ),
).map(str.strip)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(xlsx_cell, min_size=2, max_size=2), min_size=1, max_size=4))
def test_text_written_to_xlsx_reads_back_unchanged(rows):
    data = write_spreadsheet([("figures", ["plan", "text"], rows)], "figures.xlsx")

    [sheet] = read(data, "figures.xlsx")

    assert sheet.rows == [row for row in rows if any(row)]
