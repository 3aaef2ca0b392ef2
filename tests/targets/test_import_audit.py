"""Figures are saved in bulk; each still gets its audit row, and long sheets still resolve."""

import csv
import io

import pytest

from plans.models import Plan
from targets.models import Baseline, Commitment, Indicator, Target
from targets.spreadsheets.example import EXAMPLE_WORKBOOK
from targets.spreadsheets.files import read_spreadsheet
from targets.spreadsheets.lookups import Lookups
from targets.spreadsheets.workbook import import_plan_sheets
from tests.factories import PlanFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDITED = ["text", "shape", "value", "lower", "upper", "commitment_id", "breakdown_id"]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def run_import(workbook, *, user, file_name="laa.csv"):
    sheets = []
    for name, rows in workbook.items():
        sheets.extend(read_spreadsheet(csv_bytes(rows), f"{name}.csv", max_bytes=5_000_000))
    report = import_plan_sheets(sheets, user=user, file_name=file_name)
    assert report.ok, [str(e) for e in report.errors]
    return report


@pytest.mark.parametrize("model", [Target, Baseline])
def test_every_bulk_created_figure_has_a_history_row_by_the_importing_user(model):
    officer = UserFactory(username="importer")

    run_import(EXAMPLE_WORKBOOK, user=officer)

    figures = list(model.objects.all())
    assert figures
    for figure in figures:
        [record] = figure.history.all()
        assert record.history_type == "+"
        assert record.history_user == officer
        assert record.history_change_reason == "Imported from laa.csv"
        for name in AUDITED:
            assert getattr(record, name) == getattr(figure, name), name


def test_a_bulk_updated_target_is_audited_as_a_change_by_the_user_who_imported_it():
    run_import(EXAMPLE_WORKBOOK, user=UserFactory(username="first"))
    figures = [row[:] for row in EXAMPLE_WORKBOOK["figures"]]
    figures[2][5] = "64%*"
    editor = UserFactory(username="editor")

    run_import({**EXAMPLE_WORKBOOK, "figures": figures}, user=editor, file_name="laa-v2.csv")

    target = Target.objects.get(commitment__indicator__code="NI 59", period__label="2008/09")
    latest, first = target.history.all()
    assert (latest.history_type, latest.history_user, latest.value) == ("~", editor, 64)
    assert latest.history_change_reason == "Imported from laa-v2.csv"
    assert (first.history_type, first.value) == ("+", 63)
    assert Target.history.filter(history_type="~").count() == 1


def test_lookups_find_commitments_and_breakdowns_past_sqlite_expression_limit():
    # Django 5.2 prefetches a foreign key with one OR per row on SQLite, refused past 1,000.
    plan = PlanFactory(slug="big")
    theme = ThemeFactory(plan=plan)
    indicators = Indicator.objects.bulk_create(
        Indicator(code=f"SYN {n}", slug=f"syn-{n}", title=f"Synthetic {n}") for n in range(1100)
    )
    Commitment.objects.bulk_create(
        Commitment(plan=plan, theme=theme, indicator=indicator) for indicator in indicators
    )
    lookups = Lookups()

    last = lookups.indicator("SYN 1099")
    commitment = lookups.commitment(Plan.objects.get(slug="big"), last)

    assert commitment.indicator is last
    with pytest.raises(ValueError, match="known: none"):
        lookups.breakdown_of(commitment.indicator, "Male")
