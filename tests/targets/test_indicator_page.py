"""The indicator page: how it stands, a chart with its data table beside it, plotly.js served
from the plotly package under a strict CSP."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from partners.roles import Role
from targets import charts
from targets.models import ActualState
from targets.plotly_assets import bundle_path, injected_style_ids, plotly_css
from tests.factories import UserFactory, person
from tests.scenarios import actual, laa_with_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.force_login(UserFactory())
    return client


def figure_of(response) -> dict:
    match = re.search(
        r'<script id="indicator-figure" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the chart's data is emitted with json_script"
    return json.loads(match.group(1))


def test_indicator_page_says_how_the_indicator_stands_in_words(reader):
    scenario = laa_with_values()

    response = reader.get(scenario.ni39.get_absolute_url())

    html = response.content.decode()
    assert response.context["latest"].period.label == "2008/09"
    assert "2008/09: " in html
    assert "▲</span> Close to target" in html
    assert "↑</span> Improving" in html
    assert "Values against targets, by period" in html
    assert "Winter pressures" in html  # commentary with the actuals


def test_indicator_chart_draws_values_targets_and_baseline(reader):
    scenario = laa_with_values()

    figure = figure_of(reader.get(scenario.ni39.get_absolute_url()))

    traces = {trace["name"]: trace for trace in figure["data"]}
    assert traces["Actual"]["x"] == ["2008-03-31", "2009-03-31"]
    assert traces["Actual"]["y"] == [2900, 2800]
    # One dashed line per year across the year, gaps between years.
    assert traces["Target"]["y"] == [2776, 2776, None, 2970, 2970, None, 3118, 3118]
    assert traces["Target"]["x"][:2] == ["2008-04-01", "2009-03-31"]
    # The baseline (2006-07) is a dotted line across the chart.
    assert traces["Baseline 2006-07"]["y"] == [2233, 2233]
    assert traces["Baseline 2006-07"]["x"] == ["2008-03-31", "2011-03-31"]
    assert figure["layout"]["xaxis"]["type"] == "date"
    assert charts.caption(figure) == (
        "Values at the end of each period; dashed lines are targets across their period; "
        "dotted lines are baselines."
    )


def test_a_range_target_is_drawn_as_a_band(reader):
    scenario = laa_with_values()

    figure = figure_of(reader.get(scenario.ni65.get_absolute_url()))

    bands = [trace for trace in figure["data"] if trace["name"] == "Target range"]
    assert len(bands) == 2  # 2009/10 and 2010/11
    assert bands[0]["fill"] == "toself"
    assert bands[0]["y"] == [10, 10, 15, 15, 10]
    assert [t["showlegend"] for t in bands] == [True, False]
    assert figure["layout"]["yaxis"]["ticksuffix"] == "%"


def test_each_breakdown_is_its_own_series(reader):
    scenario = laa_with_values()

    figure = figure_of(reader.get(scenario.ni120.get_absolute_url()))

    names = [trace["name"] for trace in figure["data"]]
    assert {"Male", "Female", "Target (Male)", "Target (Female)"} <= set(names)
    assert "Actual" not in names


def test_values_not_yet_approved_are_drawn_open_when_shown(reader, settings):
    settings.SHOW_SUBMITTED_VALUES = True
    scenario = laa_with_values()
    actual(scenario.ni39, "2009/10", 2990, state=ActualState.SUBMITTED)

    figure = figure_of(reader.get(scenario.ni39.get_absolute_url()))

    series = next(trace for trace in figure["data"] if trace["name"] == "Actual")
    assert series["marker"]["symbol"] == ["circle", "circle", "circle-open"]
    assert series["text"][-1] == "2009/10 (not yet approved)"
    assert charts.caption(figure).endswith("Open circles are values not yet approved.")


def test_a_relative_target_is_drawn_where_it_resolves_against_the_baseline():
    scenario = laa_with_values()
    commitment = scenario.commitment(scenario.ni54)
    baseline = commitment.baselines.get()
    baseline.set_text("60%")
    baseline.save()

    figure = charts.indicator_figure(scenario.ni54, [commitment], [])

    (target,) = [trace for trace in figure["data"] if trace["name"] == "Target"]
    assert target["y"] == [63, 63]  # +3 percentage points, not 61.8


def test_nothing_dated_to_draw_is_no_chart(reader):
    scenario = laa_with_values()

    response = reader.get(scenario.ni54.get_absolute_url())

    assert response.context["figure"] is None
    assert "plotly.min.js" not in response.content.decode()


def test_chart_page_loads_plotly_once_from_static_files_and_no_inline_script(reader):
    scenario = laa_with_values()

    response = reader.get(scenario.ni39.get_absolute_url())

    html = response.content.decode()
    assert html.count('<script src="/static/plotly/plotly.min.js"></script>') == 1
    assert '<script src="/static/js/charts.js"></script>' in html
    scripts = re.findall(r"<script(?P<attributes>[^>]*)>", html)
    assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts)
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in html
    for style_id in injected_style_ids():
        assert f'<template id="{style_id}"></template>' in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "unsafe-inline" not in policy
    assert "cdn" not in html.lower()


def test_indicator_page_keeps_entering_values_and_history(client):
    scenario = laa_with_values()
    client.force_login(person(Role.OFFICER, scenario.council))

    html = client.get(scenario.ni39.get_absolute_url()).content.decode()

    assert reverse("targets:actual-entry", args=["ni-39"]) in html
    assert "Enter values" in html
    assert reverse("targets:indicator-history", args=["ni-39"]) in html


# --- plotly.js from the plotly package -------------------------------------------------------


def test_plotly_js_is_found_in_the_installed_plotly_package():
    found = finders.find("plotly/plotly.min.js")

    assert Path(found) == bundle_path()
    assert "site-packages" in found or "dist-packages" in found


def test_plotly_js_needs_no_eval_for_the_charts_drawn_here():
    bundle = bundle_path().read_text(encoding="utf-8")

    # Its only `new Function` is the fallback for browsers without globalThis.
    assert bundle.count("new Function(") == 1
    assert 'typeof globalThis=="object")return globalThis;try{return this||new Function' in bundle


def test_plotly_css_is_in_step_with_the_installed_plotly():
    committed = (Path(settings.BASE_DIR) / "static" / "css" / "plotly.css").read_text()

    assert committed == plotly_css(), "run `manage.py write_plotly_css` after upgrading plotly"
    assert ".js-plotly-plot .plotly .main-svg{position:absolute;" in committed


def test_collectstatic_collects_plotly_once(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    assert (tmp_path / "plotly" / "plotly.min.js").stat().st_size == bundle_path().stat().st_size
    assert not (tmp_path / "plotly" / "datasets").exists()
