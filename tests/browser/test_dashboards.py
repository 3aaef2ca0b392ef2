"""The scrutiny pages in real Chromium under the real CSP: a councillor goes from the plans to a
plan, an indicator (its chart drawn as SVG by plotly.js from the static files) and the quarterly
report. Screenshots of each go to tests/browser/screenshots/ (git-ignored) to be looked at."""

from pathlib import Path

import pytest

from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.scenarios import laa_with_values

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery-staple"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def shoot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str, **options) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, **options)
        return path

    return take


@pytest.fixture
def problems(page):
    """Console errors and CSP violations on every page visited: there must be none."""
    found = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.on("console", lambda message: message.type == "error" and found.append(message.text))
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and found.append(f"{r.status} {r.url}"))
    return found


def test_a_councillor_follows_the_dashboards_to_an_indicator_chart_and_the_report(
    live_server, page, shoot, problems
):
    laa_with_values()
    UserFactory(username="councillor")
    log_in(page, live_server, "councillor", PASSWORD)

    # Home: each plan with its statuses in words.
    page.goto(f"{live_server.url}/")
    row = page.get_by_role("row", name="Local Area Agreement 2008-11")
    assert "2008/09" in row.inner_text()
    assert page.get_by_role("columnheader", name="Off target").is_visible()
    shoot("home")

    # The plan: themes, then the table of targets, filtered to what is off target.
    row.get_by_role("link", name="Local Area Agreement 2008-11").click()
    assert page.get_by_role("heading", name="How the targets stand in 2008/09").is_visible()
    assert page.get_by_role("link", name="Investing in our children").is_visible()
    table = page.locator("table.commitments-table")
    assert table.get_by_role("row").count() == 7
    shoot("plan")
    page.get_by_label("Status", exact=True).select_option("red")
    page.get_by_role("button", name="Show").click()
    assert table.get_by_role("row").count() == 2
    assert "NI 65" in table.inner_text()

    # The indicator: the chart is drawn as SVG, with the data table beside it.
    table.get_by_role("link", name="NI 65").click()
    chart = page.locator(".chart[data-drawn='true']")
    chart.wait_for(timeout=15_000)
    assert chart.locator("svg.main-svg").count() >= 1
    assert chart.locator(".scatterlayer .trace").count() >= 4  # actual, band x2, target, ...
    assert chart.locator(".legendtext", has_text="Target range").count() == 1
    assert page.get_by_role("table", name="Values against targets, by period").is_visible()
    assert page.get_by_role("link", name="History of changes").is_visible()
    shoot("indicator")

    # The quarterly report, exceptions first, on screen and as printed.
    page.goto(f"{live_server.url}/plans/laa-2008-11/report/?period=2008/09+Q4")
    assert page.get_by_role("heading", name="Exceptions").is_visible()
    first = page.locator("article.exception").first
    assert "NI 65" in first.inner_text()
    assert "Back inside the optimum range." in first.inner_text()
    shoot("report")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    assert not page.locator("form.filters").is_visible()
    shoot("report-print")

    assert problems == []
