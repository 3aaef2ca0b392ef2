"""Importing actuals: what people type is read, what cannot be right is refused, all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from targets.models import Actual, ActualSource, ActualState, Breakdown, Unit
from targets.spreadsheets.files import read_spreadsheet
from targets.spreadsheets.workbook import import_actual_sheets
from tests.factories import IndicatorFactory, UserFactory
from tests.targets.test_import_targets import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["indicator", "period", "breakdown", "value", "commentary"]


@pytest.fixture(autouse=True)
def indicators():
    IndicatorFactory(code="NI 59", unit=Unit.PERCENT)
    ni120 = IndicatorFactory(code="NI 120")
    ni120.breakdowns.set(
        [
            Breakdown.objects.create(dimension="sex", name="Male", aliases="M"),
            Breakdown.objects.create(dimension="sex", name="Female", aliases="F"),
        ]
    )
    IndicatorFactory(code="NI 39")


def run(rows, **kwargs):
    sheets = read_spreadsheet(csv_bytes([HEADER, *rows]), "actuals.csv", max_bytes=5_000_000)
    return import_actual_sheets(sheets, file_name="actuals.csv", **kwargs)


def actual_rows():
    return sorted(map(str, Actual.objects.values_list()))


def test_values_are_read_as_people_type_them_and_approved_by_the_importer():
    admin = UserFactory(username="performance-team")

    report = run(
        [
            ["NI 59", "2008/9", "", " 64.5% ", "Above target"],
            ["NI 39", "Q1 2008/09", "", "1,234", ""],
            ["NI 120", "08/09", "M", "801", ""],
        ],
        user=admin,
    )

    assert report.ok, [str(e) for e in report.errors]
    values = dict(Actual.objects.values_list("indicator__code", "value"))
    assert values == {"NI 59": 64.5, "NI 39": 1234, "NI 120": 801}
    ni39 = Actual.objects.get(indicator__code="NI 39")
    assert ni39.period.label == "2008/09 Q1"
    assert (ni39.state, ni39.approved_by, ni39.source) == (
        ActualState.APPROVED,
        admin,
        ActualSource.IMPORT,
    )
    audit = ni39.history.first()
    assert (audit.history_user, audit.history_change_reason) == (
        admin,
        "Imported from actuals.csv",
    )


def test_submit_only_records_values_for_sign_off():
    run([["NI 39", "2008/09", "", "7", ""]], submit_only=True)

    actual = Actual.objects.get()
    assert (actual.state, actual.approved_by) == (ActualState.SUBMITTED, None)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["NI 39", "2010/11", "", "12,5x", ""], "value", "Not a number."),
        (["NI 39", "2010/11", "", "", ""], "value", "This cell is required."),
        (["NI 59", "2008/09", "", "112%", ""], "value", "between 0 and 100 for a percentage"),
        (["NI 404", "2008/09", "", "5", ""], "indicator", "Unknown indicator 'NI 404'."),
        (["NI 39", "last year", "", "5", ""], "period", "last year"),
        (["NI 120", "2008/09", "Other", "5", ""], "breakdown", "Unknown breakdown 'Other'"),
        (["NI 39", "2009/10", "", "5", ""], "period", "Row 3 already gives this actual."),
    ],
)
def test_a_bad_row_is_refused_with_its_row_column_and_value_and_nothing_changes(
    row, column, message
):
    run([["NI 39", "2007/08", "", "1", ""]])
    before = actual_rows()

    report = run([["NI 39", "2008/09", "", "2", ""], ["NI 39", "2009/10", "", "3", ""], row])

    assert [(e.row, e.column) for e in report.errors] == [(4, column)], [
        str(e) for e in report.errors
    ]
    assert message in report.errors[0].message
    assert report.errors[0].value == row[HEADER.index(column)]
    assert actual_rows() == before


def test_importing_the_same_actuals_twice_changes_nothing():
    rows = [["NI 39", "2008/09", "", "2,776", ""], ["NI 120", "2008/09", "Female", "552", ""]]
    run(rows)
    before = actual_rows()

    report = run(rows)

    assert (report.total("new"), report.total("update"), report.total("skip")) == (0, 0, 2)
    assert actual_rows() == before


def test_export_then_import_then_export_is_byte_identical(tmp_path):
    run([["NI 39", "2008/09", "", "2776", "Rising"], ["NI 120", "2008/09", "Male", "801", ""]])
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"

    call_command("export_actuals", str(first))
    call_command("import_actuals", str(first))
    call_command("export_actuals", str(second))

    assert first.read_bytes() == second.read_bytes()
    assert b"NI 39,2008/09,,2776,,,Rising," in first.read_bytes()


def test_the_command_refuses_an_empty_file(tmp_path):
    empty = tmp_path / "actuals.csv"
    empty.write_bytes(b"")

    with pytest.raises(CommandError, match="empty"):
        call_command("import_actuals", str(empty))

    assert Actual.objects.count() == 0


def test_a_row_for_a_locked_period_is_refused_with_its_row_and_nothing_changes():
    from targets.models import Period

    run([["NI 39", "2008/09 Q1", "", "7", ""]])
    Period.objects.filter(label="2008/09 Q1").update(is_locked=True)
    before = actual_rows()

    report = run([["NI 39", "2008/09 Q2", "", "8", ""], ["NI 39", "Q1 2008/09", "", "9", ""]])

    messages = [str(error) for error in report.errors]
    assert any("row 3" in m and "2008/09 Q1 is locked" in m for m in messages), messages
    assert actual_rows() == before
