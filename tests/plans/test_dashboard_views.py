"""The scrutiny pages: home, plan (themes and the targets table), quarterly report."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from targets.models import ActualState
from tests.factories import IndicatorFactory, PlanFactory, UserFactory
from tests.scenarios import actual, commit, laa, laa_with_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.force_login(UserFactory(username="councillor"))
    return client


def approve(indicator, value, commentary=""):
    """Approve the draft 2008/09 value of the scenario with ``value``."""
    indicator.actuals.update(state=ActualState.APPROVED, value=value, commentary=commentary)


def page(reader, url, **params):
    response = reader.get(url, params)
    assert response.status_code == 200
    return response


# --- Home ------------------------------------------------------------------------------------


def test_home_needs_login(client):
    response = client.get(reverse("plans:plan-list"))

    assert response.status_code == 302


def test_home_shows_each_plan_with_its_statuses_for_its_latest_period(reader):
    scenario = laa_with_values()
    PlanFactory(name="Corporate Plan")

    response = page(reader, reverse("plans:plan-list"))

    rows = {plan.name: (period, summary) for plan, period, summary in response.context["dashboard"]}
    period, summary = rows["Local Area Agreement 2008-11"]
    assert period.label == "2008/09"
    assert summary.total == 6
    assert (summary.count("amber"), summary.count("red"), summary.count("overdue")) == (3, 1, 1)
    assert (summary.improving, summary.compared) == (2, 2)
    html = response.content.decode()
    assert f'href="{scenario.plan.get_absolute_url()}?period=2008/09"' in html
    assert "No targets in this plan." in html  # the Corporate Plan
    # Status in words and shapes, not colour alone.
    assert '<span class="status-icon" aria-hidden="true">✖</span> Off target' in html


def test_home_counts_every_plan_for_the_period_asked_for(reader):
    laa_with_values()

    response = page(reader, reverse("plans:plan-list"), period="2009/10")

    (_, period, summary), *_ = response.context["dashboard"]
    assert period.label == "2009/10"
    assert summary.count("overdue") == 3  # NI 39, 59 and 65: targets, nothing reported
    # NI 54 waits for its baseline; NI 120 and NI 154 have no 2009/10 target.
    assert summary.count("no_target") == 3


def test_home_explains_a_period_it_cannot_read(reader):
    laa_with_values()

    html = page(reader, reverse("plans:plan-list"), period="summer 09").content.decode()

    assert "choose a financial year or a quarter" in html


# --- Plan page -------------------------------------------------------------------------------


def test_plan_page_summarises_statuses_and_themes(reader):
    scenario = laa_with_values()

    response = page(reader, scenario.plan.get_absolute_url(), period="2008/09")

    assert response.context["summary"].count("amber") == 3
    themes = {theme.title: summary for theme, summary in response.context["themes"]}
    assert themes["Investing in our children"].total == 3
    assert themes["Improving Wellbeing and Health"].count("amber") == 3
    html = response.content.decode()
    assert "How the targets stand in 2008/09" in html
    assert f"?period=2008/09&amp;theme={scenario.children.pk}#targets" in html
    assert reverse("plans:plan-report", args=[scenario.plan.slug]) in html


def test_plan_table_shows_each_target_with_its_status_direction_and_lead(reader):
    scenario = laa_with_values()

    html = page(reader, scenario.plan.get_absolute_url(), period="2008/09").content.decode()

    assert '<a href="/indicators/ni-39/">NI 39</a> Alcohol-harm related hospital' in html
    assert "2233 (2006-07)" in html  # baseline as written, with its period
    assert "2776*" in html  # target as written
    assert "2008/09 Q4" in html  # NI 154 is judged on its own quarter
    assert "↑</span> Improving" in html
    assert '<a href="/partners/leicester-city-council/">Leicester City Council</a>' in html


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"status": "amber"}, {"NI 39", "NI 120", "NI 154"}),
        ({"status": "overdue"}, {"NI 59"}),
        ({"direction": "improving"}, {"NI 39", "NI 65"}),
        ({"direction": "none"}, {"NI 54", "NI 59", "NI 120", "NI 154"}),
        ({"q": "mortality"}, {"NI 120"}),
        ({"status": "amber", "theme": "health"}, {"NI 39", "NI 120", "NI 154"}),
        ({"theme": "children"}, {"NI 54", "NI 59", "NI 65"}),
        ({"lead": "police"}, {"NI 154"}),
    ],
)
def test_plan_table_filters(reader, params, codes):
    scenario = laa_with_values()
    if "theme" in params:
        params["theme"] = getattr(scenario, params["theme"]).pk
    if "lead" in params:
        params["lead"] = scenario.police.pk

    response = page(reader, scenario.plan.get_absolute_url(), period="2008/09", **params)

    shown = {row.indicator.code for row in response.context["table"].data}
    assert shown == codes
    assert response.context["filtered"]


def test_plan_table_sorts_by_status_worst_last_and_back(reader):
    scenario = laa_with_values()
    url = scenario.plan.get_absolute_url()

    ascending = page(reader, url, period="2008/09", sort="status").context["table"]
    descending = page(reader, url, period="2008/09", sort="-status").context["table"]

    order = [row.record.status for row in ascending.rows]
    assert order == ["amber", "amber", "amber", "red", "overdue", "no_target"]
    assert [row.record.status for row in descending.rows] == order[::-1]
    assert 'aria-sort="ascending"' in page(reader, url, sort="status").content.decode()


def test_plan_table_is_paginated(reader):
    scenario = laa()
    for _ in range(30):
        commit(scenario.children, IndicatorFactory(), {}, lead=scenario.council)

    response = page(reader, scenario.plan.get_absolute_url())

    table = response.context["table"]
    assert table.paginator.num_pages == 2
    assert len(table.page.object_list) == 25
    assert "Page 1 of 2 (36 rows)" in response.content.decode()


def test_plan_exports_the_filtered_table_as_formula_safe_csv(reader):
    scenario = laa_with_values()
    approve(scenario.ni59, 64, commentary='=HYPERLINK("http://evil")')

    response = reader.get(
        scenario.plan.get_absolute_url(), {"period": "2008/09", "export": "csv", "q": "NI 59"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="local-area-agreement-2008-11-200809.csv"' in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header[:4] == ["Ref", "Indicator", "Title", "Plan"]
    assert len(rows) == 1
    record = dict(zip(header, rows[0], strict=True))
    assert record["Indicator"] == "NI 59"
    assert record["Status"] == "On target"
    assert record["Lead partner"] == "Leicester City Council"
    assert record["Commentary"] == '\'=HYPERLINK("http://evil")'


def test_plan_exports_every_target_as_xlsx(reader):
    scenario = laa_with_values()
    scenario.ni39.title = "+1 alcohol"
    scenario.ni39.save()

    response = reader.get(scenario.plan.get_absolute_url(), {"period": "2008/09", "export": "xlsx"})

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    values = list(workbook.active.values)
    header, rows = values[0], values[1:]
    assert len(rows) == 6
    by_code = {row[header.index("Indicator")]: row for row in rows}
    assert by_code["NI 39"][header.index("Title")] == "'+1 alcohol"
    assert by_code["NI 39"][header.index("Status")] == "Close to target"
    assert by_code["NI 39"][header.index("Direction")] == "Improving"
    assert by_code["NI 154"][header.index("Period")] == "2008/09 Q4"


# --- Quarterly scrutiny report ---------------------------------------------------------------


def test_report_lists_exceptions_first_with_their_commentary(reader):
    scenario = laa_with_values()
    actual(scenario.ni65, "2008/09 Q2", 1)  # a quarter value does not disturb the annual one

    response = page(
        reader, reverse("plans:plan-report", args=[scenario.plan.slug]), period="2008/09 Q4"
    )

    exceptions = [row.indicator.code for row in response.context["exceptions"]]
    assert exceptions == ["NI 65", "NI 59"]  # red, then overdue
    html = response.content.decode()
    assert html.index("Exceptions") < html.index("All targets")
    assert "Back inside the optimum range." in html
    assert "No commentary given." in html  # NI 59
    assert "2 exceptions" in html


def test_report_defaults_to_the_last_quarter_of_the_latest_period(reader):
    scenario = laa_with_values()

    response = page(reader, reverse("plans:plan-report", args=[scenario.plan.slug]))

    assert response.context["period"].label == "2008/09 Q4"


def test_report_for_one_theme(reader):
    scenario = laa_with_values()

    response = page(
        reader,
        reverse("plans:plan-report", args=[scenario.plan.slug]),
        period="2008/09 Q4",
        theme=scenario.children.pk,
    )

    codes = {row.indicator.code for row in response.context["rows"]}
    assert codes == {"NI 54", "NI 59", "NI 65"}
    assert "Investing in our children" in response.context["title"]


def test_report_has_a_print_stylesheet_for_a4(reader):
    scenario = laa_with_values()
    html = page(reader, reverse("plans:plan-report", args=[scenario.plan.slug])).content.decode()

    assert 'class="filters no-print"' in html
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert "@page { size: A4" in css
    assert ".table tr, .exception { break-inside: avoid" in css


def test_report_exports_exceptions_and_all_targets_to_xlsx(reader):
    scenario = laa_with_values()
    approve(scenario.ni59, 50, commentary="@SUM(1)")

    response = reader.get(
        reverse("plans:plan-report", args=[scenario.plan.slug]),
        {"period": "2008/09 Q4", "export": "xlsx"},
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Exceptions", "All targets"]
    exceptions = list(workbook["Exceptions"].values)
    header = exceptions[0]
    assert [row[header.index("Indicator")] for row in exceptions[1:]] == ["NI 59", "NI 65"]
    assert exceptions[1][header.index("Commentary")] == "'@SUM(1)"
    assert len(list(workbook["All targets"].values)) == 7
