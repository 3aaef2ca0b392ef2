"""Importing a CPA corporate assessment: the scale, the assessment and its theme scores,
all or nothing, errors by row and column, and a second import changes nothing."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings

from partners.models import Partner
from plans.models import Assessment, AssessmentTheme, Plan, ScaleLevel, Theme
from targets.spreadsheets.files import read_spreadsheet
from targets.spreadsheets.workbook import export_plan_sheets, import_plan_sheets

pytestmark = pytest.mark.django_db

FOLDER = Path(settings.BASE_DIR) / "fixtures" / "5-cpa-2007"
SHEETS = ["partners", "plans", "themes", "scale", "assessments", "assessment"]


def fixture_sheets() -> dict[str, list[list[str]]]:
    """The seed's sheets, as rows of cells, so a test can change a cell."""
    return {
        name: list(csv.reader(io.StringIO((FOLDER / f"{name}.csv").read_text()))) for name in SHEETS
    }


def run_import(workbook, **kwargs):
    sheets = []
    for name, rows in workbook.items():
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        sheets.extend(read_spreadsheet(out.getvalue().encode(), f"{name}.csv", max_bytes=99_999))
    return import_plan_sheets(sheets, file_name="cpa.csv", **kwargs)


def with_cell(workbook, sheet, row, column, value):
    """The workbook with one cell changed; `row` counts as a spreadsheet does (headers: 1)."""
    rows = [list(r) for r in workbook[sheet]]
    rows[row - 1][rows[0].index(column)] = value
    return {**workbook, sheet: rows}


def database_state():
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (Partner, Plan, Theme, ScaleLevel, Assessment, AssessmentTheme)
    }


def test_the_2007_self_assessment_is_imported_with_its_scale():
    report = run_import(fixture_sheets())

    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["scale"]["new"] == 4
    assert report.counts["assessments"]["new"] == 1
    assert report.counts["assessment"]["new"] == 5
    assert list(ScaleLevel.objects.values_list("score", "judgement", "description")) == [
        (1, "Inadequate performance", "Below minimum requirements"),
        (2, "Adequate performance", "At only minimum requirements"),
        (3, "Performing well", "Consistently above minimum requirements"),
        (4, "Performing strongly", "Well above minimum requirements"),
    ]
    assessment = Assessment.objects.get(plan__slug="cpa-2007")
    assert (assessment.title, assessment.year, assessment.kind) == ("Self assessment", 2007, "self")
    themes = assessment.theme_scores.select_related("theme")
    assert [(t.theme.title, t.score) for t in themes] == [
        ("Ambition", 4),
        ("Prioritisation", 3),
        ("Capacity", 2),
        ("Performance Management", 3),
        ("Achievement", 3),
    ]
    assert assessment.overall().score == 3


def test_key_risks_and_actions_are_kept_item_by_item_as_written():
    run_import(fixture_sheets())

    capacity = AssessmentTheme.objects.get(theme__title="Capacity")
    assert capacity.key_risk_list == [
        "HR, including staff survey, absenteeism, new processes/policies and a current strategy",
        "Risk management/reporting",
        "Alignment of budget to priorities",
        "Culture/moral - may be at a low point in some areas in the context of the Job "
        "Evaluation scheme",
        "The impact the Job Evaluation scheme on holding up organisational reviews at this point.",
    ]
    assert capacity.action_list[-1] == (
        "Business cases can be made for essential reviews, but inertia now exists"
    )
    achievement = AssessmentTheme.objects.get(theme__title="Achievement")
    assert (achievement.key_risk_list, achievement.action_list) == (
        ["% of performance indicators improving"],
        [],
    )


def test_importing_the_assessment_again_changes_nothing():
    run_import(fixture_sheets())
    before = database_state()

    report = run_import(fixture_sheets())

    assert report.ok
    assert (report.total("new"), report.total("update")) == (0, 0)
    assert report.counts["assessment"]["skip"] == 5
    assert database_state() == before


def test_a_changed_score_is_updated_in_place():
    run_import(fixture_sheets())
    workbook = with_cell(fixture_sheets(), "assessment", 4, "score", "3")
    workbook = with_cell(workbook, "assessment", 4, "judgement", "Performing well")

    report = run_import(workbook)

    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["assessment"]["update"] == 1
    assert AssessmentTheme.objects.get(theme__title="Capacity").score == 3
    assert AssessmentTheme.objects.count() == 5


@pytest.mark.parametrize("bad", ["5", "0", "-1", "3.5", "three"])
def test_a_score_outside_1_to_4_is_refused_by_row_and_column_and_nothing_is_imported(bad):
    # Row 4 of assessment.csv is Capacity (scored 2 in the document).
    report = run_import(with_cell(fixture_sheets(), "assessment", 4, "score", bad))

    assert not report.ok
    assert [(e.sheet, e.row, e.column, e.value) for e in report.errors] == [
        ("assessment", 4, "score", bad)
    ]
    assert "A theme score must be a whole number from 1" in report.errors[0].message
    assert str(report.errors[0]).startswith("assessment, row 4, column 'score': A theme score")
    assert "Nothing imported" in report.summary()
    assert Plan.objects.count() == 0
    assert ScaleLevel.objects.count() == 0
    assert Assessment.objects.count() == 0


def test_a_missing_score_is_refused():
    report = run_import(with_cell(fixture_sheets(), "assessment", 2, "score", ""))

    assert [(e.row, e.column) for e in report.errors] == [(2, "score")]
    assert "score from 1 to 4" in report.errors[0].message


def test_a_judgement_that_is_not_the_scales_for_the_score_is_refused():
    report = run_import(
        with_cell(fixture_sheets(), "assessment", 4, "judgement", "Performing well")
    )

    assert [(e.row, e.column) for e in report.errors] == [(4, "judgement")]
    assert report.errors[0].message == (
        "A score of 2 is 'Adequate performance' on the scoring scale, not 'Performing well'."
    )
    assert AssessmentTheme.objects.count() == 0


def test_a_scale_score_outside_1_to_4_is_refused():
    report = run_import(with_cell(fixture_sheets(), "scale", 5, "score", "5"))

    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("scale", 5, "score")]
    assert ScaleLevel.objects.count() == 0


def test_an_unknown_theme_or_assessment_is_refused_by_name():
    workbook = with_cell(fixture_sheets(), "assessment", 2, "theme", "9")
    workbook = with_cell(workbook, "assessment", 3, "assessment", "Inspection")

    report = run_import(workbook)

    assert [(e.row, e.column) for e in report.errors] == [(2, "theme"), (3, "assessment")]
    assert "Unknown theme '9' in plan 'cpa-2007'" in report.errors[0].message
    assert "Unknown assessment 'Inspection' of plan 'cpa-2007'" in report.errors[1].message


def test_the_assessment_column_may_be_left_out_when_the_plan_has_one_assessment():
    workbook = fixture_sheets()
    workbook["assessment"] = [row[:1] + row[2:] for row in workbook["assessment"]]

    report = run_import(workbook)

    assert report.ok, [str(e) for e in report.errors]
    assert AssessmentTheme.objects.filter(assessment__title="Self assessment").count() == 5


def test_the_assessment_sheets_export_as_they_were_imported():
    workbook = fixture_sheets()
    run_import(workbook)

    exported = {name: [headers, *rows] for name, headers, rows in export_plan_sheets()}

    assert exported["scale"] == workbook["scale"]
    assert exported["assessments"] == workbook["assessments"]
    # The export adds the optional `evidence` column, blank here.
    assert [row[:-1] for row in exported["assessment"]] == workbook["assessment"]
