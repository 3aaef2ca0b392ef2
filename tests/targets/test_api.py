"""The open-data JSON API (docs/api.md)."""

import pytest
from django.urls import reverse

from plans.models import Activity, PlanKind, Strategy
from targets.models import ActualState
from tests.factories import UserFactory
from tests.scenarios import actual, laa_with_values

pytestmark = pytest.mark.django_db

PLANS = reverse("api:plan-list")
INDICATORS = reverse("api:indicator-list")


@pytest.fixture
def reader(client):
    client.force_login(UserFactory())
    return client


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json"
    return response


def test_api_needs_login_by_default(client):
    laa_with_values()

    for url in [PLANS, "/api/v1/plans/laa-2008-11/", INDICATORS, "/api/v1/indicators/ni-39/"]:
        response = get(client, url)
        assert response.status_code == 403
        assert "Sign in" in response.json()["detail"]


def test_a_council_can_make_the_api_public(client, settings):
    settings.PUBLIC_API = True
    laa_with_values()

    response = get(client, "/api/v1/indicators/ni-39/")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_api_is_read_only(reader):
    for method in (reader.post, reader.put, reader.delete):
        response = method(PLANS)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"


def test_plan_list(reader):
    laa_with_values()

    body = get(reader, PLANS).json()

    assert body["count"] == 1
    (plan,) = body["results"]
    assert plan["slug"] == "laa-2008-11"
    assert (plan["kind"], plan["years"], plan["starts_on"]) == ("laa", "2008-11", "2008-04-01")
    assert (plan["themes"], plan["commitments"]) == (2, 6)
    assert plan["url"] == "http://testserver/api/v1/plans/laa-2008-11/"
    assert plan["html_url"] == "http://testserver/plans/laa-2008-11/"


def test_plan_detail_has_themes_and_commitments(reader):
    laa_with_values()

    body = get(reader, "/api/v1/plans/laa-2008-11/").json()

    assert [theme["title"] for theme in body["themes"]] == [
        "Investing in our children",
        "Improving Wellbeing and Health",
    ]
    health = body["themes"][1]
    ni39 = next(c for c in health["commitments"] if c["indicator"]["code"] == "NI 39")
    assert ni39["lead_partners"] == ["Leicester City Council"]
    assert ni39["partners"] == ["Leicestershire Constabulary"]
    assert ni39["indicator"]["url"] == "http://testserver/api/v1/indicators/ni-39/"
    assert "activities" not in health  # not a delivery plan


def test_a_delivery_plan_lists_its_activities(reader):
    scenario = laa_with_values()
    scenario.plan.kind = PlanKind.DELIVERY_PLAN
    scenario.plan.save()
    activity = Activity(theme=scenario.children, title="Deliver the teenage pregnancy strategy")
    activity.set_by_when("March 2014")
    activity.save()
    activity.strategies.add(Strategy.objects.create(name="Teenage Pregnancy Strategy"))

    body = get(reader, "/api/v1/plans/laa-2008-11/").json()

    (found,) = body["themes"][0]["activities"]
    assert found == {
        "title": "Deliver the teenage pregnancy strategy",
        "by_when": "March 2014",
        "starts_on": "2014-03-01",
        "due_on": "2014-03-31",
        "ongoing": False,
        "needs_review": False,
        "lead_partner": None,
        "strategies": ["Teenage Pregnancy Strategy"],
        "timing": "due",
        "late": True,  # due in 2014, and no update says it is complete
        "progress": None,
    }
    assert body["themes"][1]["activities"] == []


def test_an_unknown_plan_or_indicator_is_not_found(reader):
    assert get(reader, "/api/v1/plans/nope/").status_code == 404
    assert get(reader, "/api/v1/indicators/ni-999/").status_code == 404
    assert get(reader, INDICATORS, plan="nope").status_code == 404


def test_indicator_list_filters_by_plan_and_text(reader):
    laa_with_values()

    everything = get(reader, INDICATORS).json()
    in_plan = get(reader, INDICATORS, plan="laa-2008-11", q="mortality").json()

    assert everything["count"] == 6
    assert [i["code"] for i in everything["results"]][:2] == ["NI 120", "NI 154"]
    assert in_plan["count"] == 1
    (found,) = in_plan["results"]
    assert found == {
        "code": "NI 120",
        "slug": "ni-120",
        "title": "All-age all cause mortality rate",
        "unit": "number",
        "polarity": "lower",
        "plans": ["laa-2008-11"],
        "url": "http://testserver/api/v1/indicators/ni-120/",
        "html_url": "http://testserver/indicators/ni-120/",
    }


def test_indicator_detail_shape(reader):
    laa_with_values()

    body = get(reader, "/api/v1/indicators/ni-39/").json()

    assert {
        "code",
        "title",
        "unit",
        "polarity",
        "plans",
        "baselines",
        "targets",
        "actuals",
        "status",
        "direction",
    } <= set(body)
    assert (body["code"], body["slug"], body["polarity"]) == ("NI 39", "ni-39", "lower")
    assert body["plans"][0]["slug"] == "laa-2008-11"
    assert body["baselines"][0]["text"] == "2233"
    assert body["baselines"][0]["value"] == 2233
    assert body["baselines"][0]["period_as_written"] == "2006-07"
    target = body["targets"][0]
    assert (target["period"], target["text"], target["value"]) == ("2008/09", "2776*", 2776)
    assert target["breakdown"] is None
    assert body["actuals"] == [
        {
            "period": "2007/08",
            "breakdown": None,
            "value": 2900,
            "numerator": None,
            "denominator": None,
            "state": "approved",
            "commentary": "",
        },
        {
            "period": "2008/09",
            "breakdown": None,
            "value": 2800,
            "numerator": None,
            "denominator": None,
            "state": "approved",
            "commentary": "Winter pressures; the alcohol liaison nurse service starts in April.",
        },
    ]
    assert (body["latest_period"], body["status"], body["direction"]) == (
        "2008/09",
        "amber",
        "improving",
    )


def test_range_targets_give_their_bounds_and_breakdowns_their_names(reader):
    laa_with_values()

    ni65 = get(reader, "/api/v1/indicators/ni-65/").json()
    ni120 = get(reader, "/api/v1/indicators/ni-120/").json()

    band = ni65["targets"][1]
    assert (band["shape"], band["lower"], band["upper"]) == ("range", 10, 15)
    assert ni65["status"] == "red"
    assert {(t["breakdown"], t["value"]) for t in ni120["targets"]} == {
        ("Male", 801),
        ("Female", 552),
    }
    assert {a["breakdown"] for a in ni120["actuals"]} == {"Male", "Female"}
    assert ni120["status"] == "amber"
    assert ni120["direction"] is None


def test_indicator_without_values_is_no_data(reader):
    laa_with_values()

    body = get(reader, "/api/v1/indicators/ni-54/").json()

    assert (body["status"], body["direction"], body["latest_period"]) == ("no_data", None, None)


def test_api_shows_only_what_readers_may_see(reader, settings):
    scenario = laa_with_values()
    actual(scenario.ni39, "2009/10", 3000, state=ActualState.SUBMITTED)

    hidden = get(reader, "/api/v1/indicators/ni-39/").json()
    settings.SHOW_SUBMITTED_VALUES = True
    shown = get(reader, "/api/v1/indicators/ni-39/").json()

    assert [a["period"] for a in hidden["actuals"]] == ["2007/08", "2008/09"]
    assert shown["actuals"][-1]["state"] == "submitted"
    assert shown["latest_period"] == "2009/10"
    ni59 = get(reader, "/api/v1/indicators/ni-59/").json()
    assert ni59["actuals"] == []  # a draft is never shown
