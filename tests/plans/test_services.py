"""The share of a plan's performance indicators improving: the CPA's achievement measure."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.services import share_improving
from targets.models import Actual, ActualSource, ActualState, Polarity
from targets.services import target_record
from targets.status import Direction
from tests.factories import CommitmentFactory, IndicatorFactory, ThemeFactory, UserFactory, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme():
    return ThemeFactory(title="Achievement")


def committed(theme, code, polarity=Polarity.HIGHER, **values):
    """An indicator of the theme's plan, with approved actuals {period label: value}."""
    indicator = IndicatorFactory(code=code, polarity=polarity)
    commitment = CommitmentFactory(theme=theme, indicator=indicator)
    for label, value in values.items():
        record(indicator, label, value)
    return commitment


def record(indicator, label, value, state=ActualState.APPROVED):
    return Actual.objects.create(
        indicator=indicator,
        period=period(label),
        value=Decimal(value),
        state=state,
        source=ActualSource.DOCUMENT,
    )


def directions(share):
    return {travel.indicator.code: travel.direction for travel in share.travels}


def test_each_indicator_is_judged_against_the_same_period_a_year_earlier_by_polarity(theme):
    committed(theme, "bus patronage", **{"2005/06": "33890912", "2006/07": "35122472"})
    committed(theme, "KSI", Polarity.LOWER, **{"2004": "80", "2005": "69"})
    committed(theme, "parks satisfaction", **{"2005": "95", "2006": "95"})
    committed(theme, "sports visits", **{"2005/06": "14", "2006/07": "13"})

    share = share_improving(theme.plan)

    assert directions(share) == {
        "bus patronage": Direction.IMPROVING,
        "KSI": Direction.IMPROVING,
        "parks satisfaction": Direction.NO_CHANGE,
        "sports visits": Direction.WORSENING,
    }
    assert (share.improving, share.no_change, share.worsening, share.compared) == (2, 1, 1, 4)
    assert share.percent == 50


def test_the_latest_value_is_compared_not_an_earlier_pair(theme):
    # 2006/07 has no value a year earlier (2005/06 is missing): not compared, even though
    # 2004/05 -> 2003/04 could be.
    committed(
        theme, "level-access bus stops", **{"2003/04": "51", "2004/05": "60", "2006/07": "76"}
    )

    share = share_improving(theme.plan)

    (travel,) = share.travels
    assert travel.current.period.label == "2006/07"
    assert (travel.previous, travel.direction) == (None, None)
    assert (share.compared, share.not_compared, share.percent) == (0, 1, None)


def test_quarters_are_compared_with_the_same_quarter_a_year_earlier(theme):
    committed(theme, "NI 16", Polarity.LOWER, **{"2007/08 Q2": "30", "2008/09 Q1": "25"})
    committed(theme, "NI 17", Polarity.LOWER, **{"2007/08 Q1": "20", "2008/09 Q1": "25"})

    assert directions(share_improving(theme.plan)) == {
        "NI 16": None,
        "NI 17": Direction.WORSENING,
    }


def test_context_indicators_are_left_out_and_unapproved_values_ignored(theme):
    committed(theme, "population", Polarity.NONE, **{"2004": "280000", "2005": "288000"})
    commitment = committed(theme, "employment rate", **{"2005": "66"})
    record(commitment.indicator, "2006", "67", state=ActualState.SUBMITTED)

    share = share_improving(theme.plan)

    assert [travel.indicator.code for travel in share.travels] == ["employment rate"]
    assert share.travels[0].direction is None


def test_an_indicator_of_another_plan_does_not_count(theme):
    committed(ThemeFactory(), "elsewhere", **{"2005": "1", "2006": "2"})

    assert share_improving(theme.plan).indicators == 0


def test_a_range_indicator_is_judged_by_its_distance_to_the_plans_target_range(theme):
    commitment = committed(theme, "NI 65", Polarity.RANGE, **{"2007/08": "18", "2008/09": "16"})
    target_record(
        commitment=commitment,
        period=period("2008/09"),
        text="Between 10% and 15% (optimum range)",
    )

    assert directions(share_improving(theme.plan)) == {"NI 65": Direction.IMPROVING}


def test_a_range_indicator_without_a_target_is_not_compared(theme):
    committed(theme, "NI 65", Polarity.RANGE, **{"2007/08": "18", "2008/09": "16"})

    assert directions(share_improving(theme.plan)) == {"NI 65": None}


def test_the_share_takes_a_fixed_number_of_queries(theme, django_assert_max_num_queries):
    for number in range(10):
        committed(theme, f"PI {number}", **{"2005/06": "1", "2006/07": str(number)})

    with django_assert_max_num_queries(3):
        share = share_improving(theme.plan)

    assert share.compared == 10


def test_the_scorecard_shows_the_share_on_the_achievement_theme(client, assess, scale):
    assessment = assess([4, 3, 2, 3, 3])
    achievement = assessment.plan.themes.get(title="Achievement")
    committed(achievement, "bus patronage", **{"2005/06": "33890912", "2006/07": "35122472"})
    committed(achievement, "sports visits", **{"2005/06": "14", "2006/07": "13"})
    committed(achievement, "KSI", Polarity.LOWER, **{"2005": "69"})
    client.force_login(UserFactory())

    html = client.get(reverse("plans:plan-assessment", kwargs={"slug": assessment.plan.slug}))

    text = " ".join(html.content.decode().split())
    assert (
        "Share of performance indicators improving, computed from actuals: <strong>50%</strong> "
        "(1 of 2 compared with the same period a year earlier; 0 no change, 1 worsening; "
        "1 could not be compared)."
    ) in text


def measured(code, polarity=Polarity.HIGHER, **values):
    """An indicator no plan commits to, with approved actuals {period label: value}."""
    indicator = IndicatorFactory(code=code, polarity=polarity)
    for label, value in values.items():
        record(indicator, label, value)
    return indicator


def test_a_plan_with_no_indicators_of_its_own_uses_those_with_actuals_in_the_year(theme):
    # A CPA plan (fixtures/5-cpa-2007) records the council's indicators, not commitments.
    measured("bus patronage", **{"2005/06": "33890912", "2006/07": "35122472"})
    measured("sports visits", **{"2005/06": "14", "2006/07": "13"})
    measured("homeless", Polarity.LOWER, **{"2006/07": "5"})  # nothing a year earlier
    measured("population", Polarity.NONE, **{"2006/07": "1", "2005/06": "2"})  # context
    measured("later", **{"2008/09": "1", "2009/10": "2"})  # no actual in 2007

    share = share_improving(theme.plan, year=2007)

    assert share.by_actuals_in_year
    assert directions(share) == {
        "bus patronage": Direction.IMPROVING,
        "homeless": None,
        "sports visits": Direction.WORSENING,
    }
    assert (share.percent, share.not_compared) == (Decimal(50), 1)
    assert share_improving(theme.plan).indicators == 0  # without a year, as before


def test_the_share_is_as_at_the_assessments_year(theme):
    committed(theme, "bus patronage", **{"2005/06": "3", "2006/07": "4", "2007/08": "1"})

    as_at_2007 = share_improving(theme.plan, year=2007)
    latest = share_improving(theme.plan)

    assert not as_at_2007.by_actuals_in_year  # the plan's own indicators
    assert as_at_2007.travels[0].current.period.label == "2006/07"
    assert directions(as_at_2007) == {"bus patronage": Direction.IMPROVING}
    assert directions(latest) == {"bus patronage": Direction.WORSENING}


def test_the_scorecard_shares_the_indicators_with_actuals_in_the_assessment_year(
    client, assess, scale
):
    assessment = assess([4, 3, 2, 3, 3], year=2007)
    measured("bus patronage", **{"2005/06": "33890912", "2006/07": "35122472"})
    client.force_login(UserFactory())

    html = client.get(reverse("plans:plan-assessment", kwargs={"slug": assessment.plan.slug}))

    text = " ".join(html.content.decode().split())
    assert "computed from actuals: <strong>100%</strong> (1 of 1 compared" in text
    assert "these are the 1 performance indicator with approved actuals for 2007" in text
