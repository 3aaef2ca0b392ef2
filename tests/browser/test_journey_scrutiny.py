"""A scrutiny member's reading in real Chromium: the home dashboard, a plan, its targets
filtered to those off target, an indicator with its chart, the targets downloaded as CSV, and
the quarterly report on screen and as printed. Every page is checked with axe-core and at
320 px and 200% zoom, and photographed; nothing on the way breaks the CSP or logs an error."""

import csv
import io
from pathlib import Path

import pytest

from partners.roles import Role
from tests.browser.conftest import PASSWORD, log_in, sign_out
from tests.factories import person
from tests.scenarios import laa_with_values

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_scrutiny_member_reads_the_dashboards_downloads_the_targets_and_the_report(
    live_server, page, check_page, screenshot, page_problems, roles
):
    laa_with_values()
    person(Role.SCRUTINY, username="councillor")
    log_in(page, live_server, "councillor", PASSWORD)

    # Home: every plan with its statuses in words; the navigation is just the plans.
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Plans").get_attribute("aria-current") == "page"
    for absent in ("My worklist", "Sign-off", "Import targets", "Administration"):
        assert nav.get_by_role("link", name=absent).count() == 0
    row = page.get_by_role("row", name="Local Area Agreement 2008-11")
    assert "2008/09" in row.inner_text()
    assert page.get_by_role("columnheader", name="Off target").is_visible()
    check_page("scrutiny-1-home")

    # The plan: 6 targets, then only the one off target.
    row.get_by_role("link", name="Local Area Agreement 2008-11").click()
    assert page.get_by_role("heading", name="How the targets stand in 2008/09").is_visible()
    table = page.locator("table.commitments-table")
    assert table.locator("tbody tr").count() == 6
    check_page("scrutiny-2-plan")
    page.get_by_label("Status", exact=True).select_option("red")
    page.get_by_role("button", name="Show").click()
    assert table.locator("tbody tr").count() == 1
    assert "NI 65" in table.inner_text()
    assert page.get_by_role("link", name="Clear filters").is_visible()
    check_page("scrutiny-3-plan-off-target")

    # The filtered targets as CSV: what was shown, and only that.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["Indicator"], r["Status"]) for r in rows] == [("NI 65", "Off target")]

    # The lead partner's page: how its targets stand, across plans.
    table.get_by_role("link", name="Leicester City Council").click()
    assert page.get_by_role("heading", name="Leicester City Council", level=1).is_visible()
    assert page.get_by_role("heading", name="How its targets stand").is_visible()
    check_page("scrutiny-3b-partner")
    page.go_back()

    # The indicator: the chart drawn (SVG by plotly.js), the same figures in a table beside it.
    table.get_by_role("link", name="NI 65").click()
    chart = page.locator(".chart[data-drawn='true']")
    chart.wait_for(timeout=15_000)
    assert chart.get_attribute("role") == "img"
    assert "values by period" in chart.get_attribute("aria-label")
    assert chart.locator(".scatterlayer .trace").count() >= 4
    figures = page.get_by_role("table", name="Values against targets, by period")
    assert "12%" in figures.inner_text() or "12" in figures.inner_text()
    check_page("scrutiny-4-indicator")
    page.get_by_role("link", name="History of changes").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("History of NI 65")
    check_page("scrutiny-4b-history")

    # The quarterly report, exceptions first, on screen and as printed.
    page.goto(f"{live_server.url}/plans/laa-2008-11/report/?period=2008/09+Q4")
    assert page.get_by_role("heading", name="Exceptions").is_visible()
    first = page.locator("article.exception").first
    assert "NI 65" in first.inner_text()
    assert "Back inside the optimum range." in first.inner_text()
    check_page("scrutiny-5-report")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    for hidden in ("form.filters", "nav.site-nav", ".site-footer", ".skip-link"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.get_by_role("heading", name="Exceptions").is_visible()
    screenshot("scrutiny-6-report-print")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_out(page)
    assert page_problems == []
