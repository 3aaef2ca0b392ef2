"""Importing plan content from spreadsheets: all or nothing, every error reported, idempotent."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from partners.models import Partner
from plans.models import Plan, Theme
from targets.models import (
    Actual,
    Baseline,
    Commitment,
    CommitmentStatus,
    Indicator,
    Target,
)
from targets.spreadsheets.example import EXAMPLE_WORKBOOK
from targets.spreadsheets.files import read_spreadsheet
from targets.spreadsheets.workbook import import_plan_sheets

pytestmark = pytest.mark.django_db

WORKBOOK = EXAMPLE_WORKBOOK
FIGURES = EXAMPLE_WORKBOOK["figures"]
COMMITMENTS = EXAMPLE_WORKBOOK["commitments"]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def sheets_of(workbook):
    sheets = []
    for name, rows in workbook.items():
        sheets.extend(read_spreadsheet(csv_bytes(rows), f"{name}.csv", max_bytes=5_000_000))
    return sheets


def run_import(workbook=WORKBOOK, **kwargs):
    return import_plan_sheets(sheets_of(workbook), file_name="laa.csv", **kwargs)


def database_state():
    """Everything an import can touch, as comparable values."""
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (Partner, Plan, Theme, Indicator, Commitment, Baseline, Target, Actual)
    }


def test_a_workbook_creates_the_plan_with_every_shape():
    report = run_import()

    assert report.ok, [str(e) for e in report.errors]
    assert report.total("new") == 3 + 1 + 2 + 2 + 5 + 5 + 12
    plan = Plan.objects.get(slug="laa")
    assert plan.lead_partner.name == "Leicester Partnership"
    group = Theme.objects.get(title="Statutory Education and Early Years Targets")
    assert group.parent.title == "Investing in our children"
    ni59 = Commitment.objects.get(indicator__code="NI 59")
    assert ni59.baselines.get().period.label == "2007/08"
    assert ni59.baselines.get().period_as_written == "(2007/8)"
    assert list(ni59.targets.values_list("period__label", "value")) == [
        ("2008/09", 63),
        ("2009/10", 70),
    ]
    assert Target.objects.get(commitment__indicator__code="NI 65").upper == 15
    ni120 = Commitment.objects.get(indicator__code="NI 120")
    assert {b.breakdown.name: b.value for b in ni120.baselines.all()} == {
        "Male": 1018,
        "Female": 665,
    }
    assert [(cp.partner.name, cp.is_lead) for cp in ni120.commitment_partners.all()] == [
        ("NHS Leicester City", True),
        ("Leicester City Council", False),
    ]
    dropped = CommitmentStatus.objects.get(commitment__indicator__code="NI 74")
    assert (dropped.status, dropped.from_period.label) == ("dropped_from_nis", "2009/10")
    assert Actual.objects.get(indicator__code="LAA 1").value == 156


def test_importing_the_same_workbook_twice_changes_nothing():
    run_import()
    before = database_state()

    report = run_import()

    assert report.ok
    assert (report.total("new"), report.total("update")) == (0, 0)
    assert report.total("skip") == 3 + 1 + 2 + 2 + 5 + 5 + 12
    assert database_state() == before


def test_a_changed_target_is_updated_and_audited():
    run_import()
    figures = [row[:] for row in FIGURES]
    figures[2][5] = "64%*"

    report = run_import({**WORKBOOK, "figures": figures})

    assert report.total("update") == 1
    target = Target.objects.get(commitment__indicator__code="NI 59", period__label="2008/09")
    assert target.value == 64
    latest = target.history.first()
    assert latest.history_change_reason == "Imported from laa.csv"
    assert target.history.count() == 2


def test_dry_run_reports_but_writes_nothing():
    report = run_import(dry_run=True)

    assert report.ok
    assert report.total("new") > 0
    assert "Would import" in report.summary()
    assert Plan.objects.count() == 0
    assert Target.objects.count() == 0


def with_figure(*rows):
    return {**WORKBOOK, "figures": [*FIGURES, *rows]}


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (
            ["laa", "NI 999", "target", "2008/09", "", "5%"],
            "indicator",
            "Unknown indicator 'NI 999'",
        ),
        (["laa", "NI 59", "target", "2008/13", "", "5%"], "period", "2008/13"),
        (
            ["laa", "NI 59", "target", "2010/11", "Male", "5%"],
            "breakdown",
            "Unknown breakdown 'Male'",
        ),
        (["laa", "NI 59", "target", "2010/11", "", ""], "text", "required"),
        (["laa", "NI 59", "target", "2008/09", "", "65%"], "period", "Row 3 already gives"),
        (["laa", "NI 65", "target", "2010/11", "", "Between 15% and 10%"], "text", "lower bound"),
        (["nope", "NI 59", "target", "2010/11", "", "5%"], "plan", "Unknown plan 'nope'"),
        (["laa", "NI 59", "forecast", "2010/11", "", "5%"], "kind", "baseline or target"),
    ],
)
def test_a_bad_figure_row_is_reported_with_row_and_column_and_nothing_is_written(
    bad_row, column, message
):
    report = run_import(with_figure(bad_row))

    assert not report.ok
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    error = report.errors[0]
    assert (error.sheet, error.row, error.column) == ("figures", len(FIGURES) + 1, column)
    assert message in error.message
    assert Plan.objects.count() == 0
    assert Partner.objects.count() == 0


def test_every_error_is_listed_not_just_the_first():
    report = run_import(
        with_figure(
            ["laa", "NI 999", "target", "2008/09", "", "5%"],
            ["laa", "NI 59", "target", "summer 2525", "", "5%"],
        )
    )

    assert [(e.row, e.column) for e in report.errors] == [
        (len(FIGURES) + 1, "indicator"),
        (len(FIGURES) + 2, "period"),
    ]
    assert "NI 999" in str(report.errors[0])


def test_an_unknown_partner_is_refused_with_the_name():
    commitments = [
        *COMMITMENTS,
        ["laa", "Investing in our children", "NI 59", "", "", "Nobody Ltd", ""],
    ]
    commitments[1] = commitments[-1]
    commitments.pop()

    report = run_import({**WORKBOOK, "commitments": commitments})

    assert [(e.sheet, e.row, e.column) for e in report.errors] == [
        ("commitments", 2, "lead_partners")
    ]
    assert "Unknown partner 'Nobody Ltd'" in report.errors[0].message
    assert Commitment.objects.count() == 0


def test_a_sheet_with_the_wrong_columns_says_which_were_expected():
    report = run_import({"figures": [["plan", "indicator", "colour"], ["laa", "NI 59", "red"]]})

    assert not report.ok
    message = report.errors[0].message
    assert "missing column(s) kind, period, text" in message
    assert "unexpected column(s) colour" in message
    assert "Expected columns: plan, indicator, kind, period, breakdown, text." in message


def test_a_csv_whose_columns_match_no_sheet_lists_every_sheet_format():
    sheets = read_spreadsheet(
        csv_bytes([["colour", "size"], ["red", "9"]]), "mine.csv", max_bytes=99
    )

    report = import_plan_sheets(sheets, file_name="mine.csv")

    assert "match no sheet of the import format" in report.errors[0].message
    assert "figures (plan, indicator, kind, period, breakdown, text)" in report.errors[0].message


def test_the_command_exits_1_and_lists_errors_when_anything_is_invalid(tmp_path, capsys):
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_bytes([FIGURES[0], ["laa", "NI 59", "target", "2008/09", "", "5%"]]))

    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_targets", str(path))

    assert "Unknown plan 'laa'" in capsys.readouterr().err


def test_the_commands_round_trip_exactly(tmp_path):
    for name, rows in WORKBOOK.items():
        (tmp_path / f"{name}.csv").write_bytes(csv_bytes(rows))
    call_command("import_targets", *sorted(str(p) for p in tmp_path.glob("*.csv")))
    before = database_state()

    call_command("export_targets", str(tmp_path / "first.xlsx"))
    call_command("export_targets", str(tmp_path / "figures-first.csv"))
    call_command("import_targets", str(tmp_path / "first.xlsx"))
    call_command("export_targets", str(tmp_path / "figures-second.csv"))

    assert database_state() == before
    first = (tmp_path / "figures-first.csv").read_bytes()
    assert first == (tmp_path / "figures-second.csv").read_bytes()
    assert b"laa,NI 59,target,2008/09,,63%*" in first
