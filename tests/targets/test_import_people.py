"""The `people` sheet: a person's portfolios follow the sheet, like any other column."""

import csv
import io

import pytest

from partners.models import Person
from targets.spreadsheets.files import read_spreadsheet
from targets.spreadsheets.workbook import import_plan_sheets

pytestmark = pytest.mark.django_db


def import_people(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    sheets = read_spreadsheet(out.getvalue().encode(), "people.csv", max_bytes=100_000)
    return import_plan_sheets(sheets, file_name="people.csv")


def portfolios_of(name):
    return list(Person.objects.get(name=name).portfolios.values_list("title", flat=True))


def test_a_changed_portfolio_is_updated_although_the_person_is_unchanged():
    import_people([["name", "role", "portfolios"], ["Andy Connelly", "Assistant", "housing"]])

    report = import_people(
        [["name", "role", "portfolios"], ["Andy Connelly", "Assistant", "housing; heritage"]]
    )

    assert report.ok
    assert report.total("update") == 1
    assert portfolios_of("Andy Connelly") == ["housing", "heritage"]


def test_unchanged_portfolios_are_skipped():
    rows = [["name", "role", "portfolios"], ["Rita Patel", "Assistant", "adult social care"]]
    import_people(rows)

    report = import_people(rows)

    assert (report.total("new"), report.total("update"), report.total("skip")) == (0, 0, 1)


def test_a_sheet_without_the_portfolios_column_leaves_them_alone():
    import_people([["name", "role", "portfolios"], ["Vi Dempster", "Assistant", "schools"]])

    report = import_people([["name", "role"], ["Vi Dempster", "Assistant city mayor"]])

    assert report.ok
    assert portfolios_of("Vi Dempster") == ["schools"]
