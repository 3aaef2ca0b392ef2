"""The indicators and commitments sheets, saved in batches: every row still checked and audited,
changes applied on a second import, and the same number of queries however long the sheets."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from targets.models import Commitment, CommitmentPartner, Indicator
from targets.spreadsheets.example import EXAMPLE_WORKBOOK
from targets.spreadsheets.workbook import import_plan_sheets
from tests.factories import UserFactory
from tests.targets.test_import_targets import sheets_of

pytestmark = pytest.mark.django_db

INDICATORS = EXAMPLE_WORKBOOK["indicators"]
COMMITMENTS = EXAMPLE_WORKBOOK["commitments"]
SETUP = {name: EXAMPLE_WORKBOOK[name] for name in ("partners", "plans", "themes", "breakdowns")}
# More rows than a batch (1,000), so that a sheet is saved in more than one.
LONG = 1_200


def run_import(workbook, *, user=None, file_name="laa.csv"):
    return import_plan_sheets(sheets_of(workbook), user=user, file_name=file_name)


def synthetic(count, *, prefix="SYN"):
    """An indicators and a commitments sheet of `count` rows each, for the example's plan."""
    indicators = [["code", "title"]] + [
        [f"{prefix} {n}", f"Synthetic indicator {n}"] for n in range(count)
    ]
    commitments = [["plan", "theme", "indicator", "lead_partners", "partners"]] + [
        ["laa", "Investing in our children", f"{prefix} {n}", "LCC", "NHS Leicester City"]
        for n in range(count)
    ]
    return {"indicators": indicators, "commitments": commitments}


def with_row(rows, at, row):
    """The sheet with `row` in place of its data row `at` (spreadsheet row `at + 1`)."""
    return [*rows[:at], row, *rows[at + 1 :]]


def test_every_imported_indicator_and_commitment_has_a_history_row_by_the_importing_user():
    officer = UserFactory(username="importer")

    report = run_import(EXAMPLE_WORKBOOK, user=officer)

    assert report.ok, [str(e) for e in report.errors]
    for model, fields in ((Indicator, ["code", "slug", "title"]), (Commitment, ["indicator_id"])):
        rows = list(model.objects.all())
        assert len(rows) == 5
        for row in rows:
            [record] = row.history.all()
            assert record.history_type == "+"
            assert record.history_user == officer
            assert record.history_change_reason == "Imported from laa.csv"
            for name in fields:
                assert getattr(record, name) == getattr(row, name), name
    assert Indicator.objects.get(code="NI 120").slug == "ni-120"


def test_a_second_import_updates_and_audits_what_changed_and_leaves_the_rest():
    run_import(EXAMPLE_WORKBOOK, user=UserFactory(username="first"))
    indicators = [row[:] for row in INDICATORS]
    indicators[2][1] = "Child protection plans, second or later time"
    commitments = [row[:] for row in COMMITMENTS]
    commitments[1][5] = "NHS Leicester City"  # NI 59: only its lead partner changes
    commitments[4][3] = "yes"  # NI 74 becomes designated
    editor = UserFactory(username="editor")

    report = run_import(
        {**EXAMPLE_WORKBOOK, "indicators": indicators, "commitments": commitments},
        user=editor,
        file_name="laa-v2.csv",
    )

    assert report.ok, [str(e) for e in report.errors]
    assert (report.counts["indicators"]["update"], report.counts["indicators"]["skip"]) == (1, 4)
    assert (report.counts["commitments"]["update"], report.counts["commitments"]["skip"]) == (2, 3)
    ni65 = Indicator.objects.get(code="NI 65")
    latest, first = ni65.history.all()
    assert (latest.history_type, latest.history_user, latest.title) == ("~", editor, ni65.title)
    assert latest.history_change_reason == "Imported from laa-v2.csv"
    assert (first.history_type, first.title) == ("+", "Child protection plans for a second time")
    assert Indicator.history.count() == 5 + 1
    assert Commitment.history.filter(history_type="~", history_user=editor).count() == 2
    ni59 = Commitment.objects.get(indicator__code="NI 59")
    assert [(cp.partner.name, cp.is_lead) for cp in ni59.commitment_partners.all()] == [
        ("NHS Leicester City", True)
    ]
    assert Commitment.objects.get(indicator__code="NI 74").is_designated
    assert CommitmentPartner.objects.count() == 6


def test_changed_breakdowns_partners_and_links_are_saved_and_then_left_alone():
    workbook = {name: rows for name, rows in EXAMPLE_WORKBOOK.items() if name != "figures"}
    run_import(workbook)
    indicators = [row[:] for row in INDICATORS]
    indicators[1][5] = "sex:Male"  # NI 59
    indicators[3][5] = "sex:Female"  # NI 120 loses Male
    commitments = [[*COMMITMENTS[0], "links"]] + [[*row, ""] for row in COMMITMENTS[1:]]
    commitments[1][-1] = "NI 65; LAA 1"  # NI 59 links with two commitments
    commitments[3][6] = ""  # NI 120: NHS Leicester City alone
    changed = {**workbook, "indicators": indicators, "commitments": commitments}

    report = run_import(changed)

    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["indicators"]["update"] == 2
    assert report.counts["commitments"]["update"] == 2
    assert [b.name for b in Indicator.objects.get(code="NI 59").breakdowns.all()] == ["Male"]
    assert [b.name for b in Indicator.objects.get(code="NI 120").breakdowns.all()] == ["Female"]
    ni59 = Commitment.objects.get(indicator__code="NI 59")
    assert sorted(c.indicator.code for c in ni59.linked_commitments.all()) == ["LAA 1", "NI 65"]
    ni120 = Commitment.objects.get(indicator__code="NI 120")
    assert [cp.partner.name for cp in ni120.commitment_partners.all()] == ["NHS Leicester City"]

    again = run_import(changed)

    assert again.ok
    assert (again.total("new"), again.total("update")) == (0, 0)
    without_links = [row[:-1] for row in commitments]
    without_links[1][4] = "yes"  # NI 59 becomes statutory, and says nothing of its links
    third = run_import({**changed, "commitments": without_links})
    assert third.counts["commitments"]["update"] == 1
    assert ni59.linked_commitments.count() == 2


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (["SYN 600", "A measure", "furlongs"], "unit", "Must be one of"),
        (["X" * 51, "A measure", ""], "code", "At most 50 characters"),
        (["SYN 600", "", ""], "title", "required"),
        (["SYN 600", "A measure", "", "sex:Other"], "breakdowns", "Unknown breakdown 'sex:Other'"),
        (["SYN 600", "A measure", "", "", "SYN 9999"], "parent", "Unknown indicator 'SYN 9999'"),
        (["SYN 3", "The same code again", ""], "code", "Row 5 already gives this indicator."),
        (["syn-3", "Another spelling", ""], "code", "web address ('syn-3')"),
    ],
)
def test_a_bad_indicator_row_in_the_middle_is_reported_with_row_and_column_and_nothing_is_saved(
    bad_row, column, message
):
    indicators = [["code", "title", "unit", "breakdowns", "parent"]] + [
        [f"SYN {n}", f"Synthetic indicator {n}", "", "", ""] for n in range(LONG)
    ]
    bad_row = bad_row + [""] * (5 - len(bad_row))

    report = run_import({**SETUP, "indicators": with_row(indicators, 600, bad_row)})

    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("indicators", 601, column)]
    assert message in report.errors[0].message
    assert Indicator.objects.count() == 0
    assert Indicator.history.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "column", "message"),
    [
        ("theme", "No such theme", "theme", "Unknown theme 'No such theme'"),
        ("indicator", "SYN 3", "indicator", "Row 5 already gives this commitment."),
        ("lead_partners", "Nobody Ltd", "lead_partners", "Unknown partner 'Nobody Ltd'"),
        ("partners", "LCC; Nobody Ltd", "partners", "Unknown partner 'Nobody Ltd'"),
    ],
)
def test_a_bad_commitment_row_in_the_middle_is_reported_with_row_and_column_and_nothing_is_saved(
    field, value, column, message
):
    sheets = synthetic(LONG)
    commitments = sheets["commitments"]
    bad_row = commitments[600][:]
    bad_row[commitments[0].index(field)] = value

    report = run_import({**SETUP, **sheets, "commitments": with_row(commitments, 600, bad_row)})

    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("commitments", 601, column)]
    assert message in report.errors[0].message
    assert Commitment.objects.count() == Indicator.objects.count() == 0
    assert CommitmentPartner.objects.count() == 0


def test_a_sub_measure_may_name_a_new_measure_above_it_in_any_batch():
    indicators = [["code", "title", "parent"], ["P 1", "A measure", ""], ["S 1", "Part", "P 1"]]
    indicators += [[f"SYN {n}", f"Synthetic {n}", ""] for n in range(LONG)]
    indicators += [["S 2", "A later part", "P 1"], ["S 3", "A part of a part", "S 1"]]

    report = run_import({"indicators": indicators})

    assert report.ok, [str(e) for e in report.errors]
    parents = dict(Indicator.objects.filter(code__startswith="S ").values_list("code", "parent"))
    measure, part = Indicator.objects.get(code="P 1"), Indicator.objects.get(code="S 1")
    assert parents == {"S 1": measure.pk, "S 2": measure.pk, "S 3": part.pk}


def test_a_stored_indicator_may_become_part_of_a_new_one():
    run_import({"indicators": [["code", "title"], ["OLD 1", "A measure"]]})

    report = run_import(
        {
            "indicators": [
                ["code", "title", "parent"],
                ["NEW 1", "New", ""],
                ["OLD 1", "A measure", "NEW 1"],
            ]
        }
    )

    assert report.ok, [str(e) for e in report.errors]
    assert Indicator.objects.get(code="OLD 1").parent.code == "NEW 1"


def test_ten_times_the_indicators_and_commitments_take_no_more_queries_but_inserts():
    run_import(SETUP)

    def queries(count, prefix):
        with CaptureQueriesContext(connection) as captured:
            report = run_import(synthetic(count, prefix=prefix))
        assert report.ok, [str(e) for e in report.errors]
        assert report.total("new") == 2 * count
        return Counter(query["sql"].split()[0] for query in captured)

    small = queries(40, "ONE")
    large = queries(400, "TEN")

    assert {**large, "INSERT": 0} == {**small, "INSERT": 0}
    # Rows are inserted in batches, which Django splits by the database's limit on query
    # parameters (999 on SQLite): dozens of rows a statement, where row by row there were six
    # statements for each commitment.
    assert large["INSERT"] <= 2 * 400 / 25
