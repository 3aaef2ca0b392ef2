"""The serves_outcomes sheet: links from themes to the outcomes they serve, read after the
outcomes sheet that itself names themes."""

import pytest

from plans.models import Theme
from tests.targets.test_import_targets import database_state, run_import

pytestmark = pytest.mark.django_db

WORKBOOK = {
    "plans": [["slug", "name", "kind", "area"], ["cp", "Corporate Plan", "corporate_plan", "X"]],
    "themes": [["plan", "code", "title"], ["cp", "A", "Teaching"], ["cp", "B", "Housing"]],
    "outcomes": [["plan", "theme", "code", "title"], ["cp", "A", "1", "Better schools"]],
    "serves_outcomes": [["plan", "code", "title", "serves_outcomes"], ["cp", "B", "", "cp:1"]],
}


def test_a_theme_is_linked_to_an_outcome_imported_in_the_same_workbook():
    report = run_import(WORKBOOK)
    assert not report.errors
    housing = Theme.objects.get(code="B")
    assert [o.title for o in housing.serves_outcomes.all()] == ["Better schools"]
    assert run_import(WORKBOOK).summary().count("0 created, 0 updated") == 1


def test_a_link_for_a_theme_that_does_not_exist_is_refused_and_nothing_is_written():
    bad = {**WORKBOOK, "serves_outcomes": [*WORKBOOK["serves_outcomes"], ["cp", "Z", "", "cp:1"]]}
    before = database_state()
    report = run_import(bad)
    messages = [str(error) for error in report.errors]
    assert any("row 3" in m and "No theme 'Z' in plan 'cp'" in m for m in messages), messages
    assert database_state() == before


def test_export_writes_the_links_on_their_own_sheet_and_imports_back():
    from targets.spreadsheets.workbook import export_plan_sheets

    run_import(WORKBOOK)
    sheets = {name: [headers, *rows] for name, headers, rows in export_plan_sheets()}
    assert "serves_outcomes" not in sheets["themes"][0]
    assert sheets["serves_outcomes"] == [
        ["plan", "code", "title", "serves_outcomes"],
        ["cp", "B", "Housing", "cp:1"],
    ]
