"""An admin's spreadsheet import in real Chromium: a targets workbook with one bad row is
refused with the row, column, value and reason; the corrected workbook is previewed, confirmed
and its rows are in the database. The Django admin pages on the way are checked with axe-core
and at 320 px and 200% zoom like every other page, and photographed."""

import pytest
from playwright.sync_api import expect

from plans.models import Plan
from targets.models import Target
from targets.spreadsheets.example import EXAMPLE_WORKBOOK
from targets.spreadsheets.files import write_spreadsheet
from tests.browser.conftest import PASSWORD, log_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(sheets: dict, name: str) -> dict:
    """A real .xlsx file, as Playwright uploads it."""
    data = write_spreadsheet([(n, rows[0], rows[1:]) for n, rows in sheets.items()], name)
    return {"name": name, "mimeType": XLSX, "buffer": data}


def test_an_admin_imports_targets_reads_the_error_and_imports_the_corrected_file(
    live_server, page, check_page, page_problems, cast, due_now
):
    figures = [*EXAMPLE_WORKBOOK["figures"], ["laa", "NI 404", "target", "2010/11", "", "5%"]]
    with_mistake = workbook({**EXAMPLE_WORKBOOK, "figures": figures}, "laa-targets.xlsx")
    corrected = workbook(EXAMPLE_WORKBOOK, "laa-targets-corrected.xlsx")
    targets_before = Target.objects.count()

    log_in(page, live_server, "admin", PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Administration").is_visible()
    nav.get_by_role("link", name="Import targets").click()
    expect(page.get_by_role("heading", name="Import plans and targets", level=1)).to_be_visible()
    check_page("admin-1-import")

    # The file with a mistake: nothing is imported, the error names the sheet, row and value.
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(with_mistake)
    page.get_by_role("button", name="Preview").click()
    assert "Nothing imported from laa-targets.xlsx: 1 error." in page.inner_text("main")
    errors = page.get_by_role("table", name="Errors (1)")
    error_row = errors.locator("tbody tr")
    assert error_row.count() == 1
    cells = error_row.locator("td").all_inner_texts()
    assert cells[0] == "figures"
    assert cells[3] == "NI 404"
    assert cells[4] == "Unknown indicator 'NI 404'."
    assert page.get_by_role("button", name="Confirm import").count() == 0
    assert Plan.objects.filter(slug="laa").count() == 0
    check_page("admin-2-import-error")

    # The corrected file: the preview says what would happen and writes nothing yet.
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(corrected)
    page.get_by_role("button", name="Preview").click()
    assert "Would import laa-targets-corrected.xlsx: 30 created" in page.inner_text("main")
    assert "Nothing has been written yet." in page.inner_text("main")
    assert page.get_by_role("table", name="What the import would do, by sheet").is_visible()
    assert Target.objects.count() == targets_before
    check_page("admin-3-preview")

    page.get_by_role("button", name="Confirm import").click()
    assert "Imported laa-targets-corrected.xlsx" in page.locator(".messagelist").inner_text()
    check_page("admin-4-imported")
    assert Target.objects.count() == targets_before + 9
    assert Plan.objects.filter(slug="laa").exists()
    assert Target.objects.filter(commitment__indicator__code="NI 404").count() == 0

    page.goto(f"{live_server.url}/admin/")
    check_page("admin-5-index")
    page.goto(f"{live_server.url}/")
    sign_out(page)
    assert page_problems == []
