from datetime import date

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from targets import dashboard
from targets.models import (
    ActualState,
    Commitment,
    CommitmentStatus,
    CommitmentStatusKind,
    natural_key,
)
from targets.periods import UnreadablePeriod, financial_year, parse_period, quarter
from targets.status import Direction, Status
from targets.tables import CommitmentTable
from tests.factories import CommitmentFactory, IndicatorFactory, PlanFactory, ThemeFactory, period
from tests.scenarios import TODAY, actual, laa, laa_with_values

pytestmark = pytest.mark.django_db


def judged(scenario, label="2008/09", today=TODAY):
    rows = dashboard.assess(
        Commitment.objects.filter(plan=scenario.plan), parse_period(label), today=today
    )
    return {row.indicator.code: row for row in rows}


# --- Periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "chosen", "own"),
    [
        ("annual", "2008/09", "2008/09"),
        ("annual", "2008/09 Q2", "2008/09"),
        ("quarterly", "2008/09", "2008/09 Q4"),
        ("quarterly", "2008/09 Q2", "2008/09 Q2"),
        # September to August: seven months of 2008/09 against five of 2007/08.
        ("school_year", "2008/09", "2008/09 school year"),
        ("school_year", "2008/09 Q1", "2007/08 school year"),
        ("calendar_year", "2008/09", "2008"),
        ("monthly", "2008/09 Q3", "December 2008"),
    ],
)
def test_each_indicator_is_judged_on_its_own_period_within_the_chosen_one(frequency, chosen, own):
    assert dashboard.own_period(frequency, parse_period(chosen)).label == own


def test_only_financial_years_and_quarters_can_be_chosen():
    assert dashboard.reporting_period("2008/9") == financial_year(2008)
    assert dashboard.reporting_period("Q2 2008/09") == quarter(2008, 2)
    with pytest.raises(UnreadablePeriod, match="school year"):
        dashboard.reporting_period("summer 09")


def test_a_period_asked_for_that_cannot_be_read_says_why():
    chosen, error = dashboard.requested_period({"period": "next Tuesday"})

    assert chosen is None
    assert "Showing the latest period with data" in error


def test_period_choices_list_each_year_with_its_quarters_newest_first():
    choices = dashboard.period_choices(quarter(2009, 2), [parse_period("2007/08")])

    assert [year.label for year, _ in choices.groups()] == ["2009/10", "2007/08"]
    assert [q.label for q in choices.groups()[0][1]] == [f"2009/10 Q{n}" for n in range(1, 5)]


def test_a_plan_opens_on_its_latest_period_with_data_while_it_was_in_force():
    scenario = laa_with_values()
    # A value from before the plan began does not count as the plan's data.
    actual(scenario.ni59, "2005/06", 50)
    loaded = dashboard.load(Commitment.objects.filter(plan=scenario.plan))

    assert loaded.plan_periods().default_for(scenario.plan).label == "2008/09"


def test_a_plan_without_data_opens_on_its_last_year_once_it_has_ended():
    scenario = laa()
    loaded = dashboard.load(Commitment.objects.filter(plan=scenario.plan))

    assert loaded.plan_periods().default_for(scenario.plan, today=TODAY).label == "2010/11"


# --- Statuses: the seed cases ----------------------------------------------------------------


def test_laa_2008_09_statuses_follow_the_status_rules():
    rows = judged(laa_with_values())

    assert rows["NI 39"].status == Status.AMBER  # 2800 against 2776, lower is better
    assert rows["NI 65"].status == Status.RED  # 12% against the single figure 11%
    assert rows["NI 120"].status == Status.AMBER  # male green, female amber: the worst
    assert rows["NI 59"].status == Status.OVERDUE  # only a draft, which readers do not see
    assert rows["NI 54"].status == Status.NO_TARGET  # "N/A (Placeholder)"
    assert rows["NI 154"].status == Status.AMBER  # Q4 year to date 900 against 940


def test_ni_120_judges_each_sex_against_its_own_target():
    row = judged(laa_with_values())["NI 120"]

    assert {p.name: p.status for p in row.parts} == {
        "Male": Status.GREEN,
        "Female": Status.AMBER,
    }
    # "M:801* F:552*" is stored as one target per sex.
    assert row.target_text == "Male: 801*; Female: 552*"
    assert row.value_text == "Male: 790; Female: 560"


def test_a_missing_group_after_the_deadline_makes_the_indicator_overdue():
    scenario = laa()
    actual(scenario.ni120, "2008/09", 790, breakdown=scenario.male)

    assert judged(scenario)["NI 120"].status == Status.OVERDUE


def test_before_the_deadline_a_missing_value_is_no_data_not_overdue():
    scenario = laa()

    rows = judged(scenario, today=date(2009, 4, 15))

    assert rows["NI 59"].status == Status.NO_DATA
    assert rows["NI 59"].period.label == "2008/09"


def test_an_entry_deadline_set_on_the_period_moves_overdue():
    scenario = laa()
    quarter_two = period("2008/09 Q2")
    quarter_two.entry_deadline = date(2008, 12, 1)
    quarter_two.save()

    rows = judged(scenario, "2008/09 Q2", today=date(2008, 11, 15))

    assert rows["NI 154"].status == Status.NO_DATA  # 30 days after September, but extended


def test_a_cumulative_quarter_is_judged_against_the_pro_rata_target():
    scenario = laa()
    actual(scenario.ni154, "2008/09 Q2", 470)

    row = judged(scenario, "2008/09 Q2")["NI 154"]

    assert row.period.label == "2008/09 Q2"
    assert row.status == Status.GREEN  # 2/4 of 940 = 470


def test_an_annual_indicator_in_a_quarter_is_judged_on_its_year():
    scenario = laa_with_values()

    row = judged(scenario, "2008/09 Q3")["NI 39"]

    assert row.period.label == "2008/09"
    assert row.status == Status.AMBER


def test_a_relative_target_waits_for_its_baseline():
    scenario = laa()
    actual(scenario.ni54, "2009/10", 70)

    assert judged(scenario, "2009/10")["NI 54"].status == Status.NO_TARGET


def test_a_withdrawn_commitment_has_no_target_from_its_period_on():
    scenario = laa_with_values()
    CommitmentStatus.objects.create(
        commitment=scenario.commitment(scenario.ni39),
        status=CommitmentStatusKind.WITHDRAWN,
        from_period=period("2009/10"),
        text="MEASURE WITHDRAWN FROM LAA",
    )
    actual(scenario.ni39, "2009/10", 5000)

    assert judged(scenario)["NI 39"].status == Status.AMBER
    later = judged(scenario, "2009/10")["NI 39"]
    assert later.status == Status.NO_TARGET
    assert later.standing.text == "MEASURE WITHDRAWN FROM LAA"


def test_only_approved_values_count_unless_submitted_ones_are_shown(settings):
    scenario = laa()
    actual(scenario.ni59, "2008/09", 64, state=ActualState.SUBMITTED)

    assert judged(scenario)["NI 59"].status == Status.OVERDUE
    settings.SHOW_SUBMITTED_VALUES = True
    row = judged(scenario)["NI 59"]
    assert row.status == Status.GREEN
    assert row.is_submitted


def test_returned_and_draft_values_never_count(settings):
    settings.SHOW_SUBMITTED_VALUES = True
    scenario = laa()
    actual(scenario.ni59, "2008/09", 64, state=ActualState.DRAFT)
    actual(scenario.ni39, "2008/09", 2000, state=ActualState.RETURNED)

    rows = judged(scenario)

    assert rows["NI 59"].status == Status.OVERDUE
    assert rows["NI 39"].status == Status.OVERDUE


# --- Direction of travel ---------------------------------------------------------------------


def test_direction_compares_with_the_same_period_a_year_earlier_by_polarity():
    rows = judged(laa_with_values())

    assert rows["NI 39"].direction == Direction.IMPROVING  # 2900 to 2800, lower is better
    assert rows["NI 65"].direction == Direction.IMPROVING  # 15.8% to 12%, nearer 11%
    assert rows["NI 120"].direction is None  # nothing a year earlier
    assert rows["NI 39"].previous_text == "2900"


def test_a_rise_in_a_lower_is_better_indicator_is_worsening():
    scenario = laa()
    actual(scenario.ni39, "2008/09", 2800)
    actual(scenario.ni39, "2009/10", 2950)

    row = judged(scenario, "2009/10")["NI 39"]

    assert row.status == Status.GREEN  # below the rising target of 2970
    assert row.direction == Direction.WORSENING


def test_quarters_compare_with_the_same_quarter_a_year_earlier():
    scenario = laa()
    actual(scenario.ni154, "2007/08 Q2", 400)
    actual(scenario.ni154, "2008/09 Q1", 900)
    actual(scenario.ni154, "2008/09 Q2", 470)

    assert judged(scenario, "2008/09 Q2")["NI 154"].direction == Direction.IMPROVING


# --- Summaries and reports -------------------------------------------------------------------


def test_summary_counts_and_shares_each_status_and_the_share_improving():
    summary = dashboard.Summary(list(judged(laa_with_values()).values()))

    assert summary.total == 6
    assert summary.count(Status.AMBER) == 3
    assert summary.count(Status.RED) == 1
    assert summary.percent(Status.AMBER) == 50
    assert (summary.improving, summary.compared, summary.percent_improving) == (2, 2, 100)
    assert [status for status, _, _ in summary.statuses] == list(dashboard.STATUS_ORDER)


def test_exceptions_are_red_overdue_and_worsening_worst_first():
    scenario = laa_with_values()
    actual(scenario.ni120, "2007/08", 700, breakdown=scenario.male)
    actual(scenario.ni120, "2007/08", 500, breakdown=scenario.female)

    rows = dashboard.exceptions_first(judged(scenario).values())

    assert [row.indicator.code for row in rows] == ["NI 65", "NI 59", "NI 120"]
    assert rows[2].direction == Direction.WORSENING


def test_judging_takes_nine_queries_however_many_commitments(django_assert_num_queries):
    scenario = laa_with_values()
    commitments = Commitment.objects.filter(plan=scenario.plan)

    with django_assert_num_queries(9):
        loaded = dashboard.load(commitments)
        loaded.assess(parse_period("2008/09"), today=TODAY)
    with django_assert_num_queries(7):  # no partners
        dashboard.load(commitments, counts_only=True).assess(parse_period("2008/09"), today=TODAY)


def test_rows_share_one_object_per_plan_theme_partner_and_period():
    # Building a copy of each per row was most of a dashboard's time (docs/benchmarks.md).
    scenario = laa_with_values()
    rows = dashboard.load(Commitment.objects.filter(plan=scenario.plan)).assess(
        parse_period("2008/09"), today=TODAY
    )

    def distinct(objects):
        objects = [o for o in objects if o is not None]
        return len({id(o) for o in objects}) == len({o.pk for o in objects})

    assert len(rows) > 3
    assert distinct(row.commitment.plan for row in rows)
    assert distinct(row.commitment.theme for row in rows)
    assert distinct(row.commitment.theme.parent for row in rows)
    assert distinct(partner for row in rows for partner in row.lead_partners)
    assert distinct(part.target.period for row in rows for part in row.parts if part.target)
    assert distinct(part.actual.period for row in rows for part in row.parts if part.actual)
    # And they are the objects they stand for.
    assert {row.commitment.plan.name for row in rows} == {scenario.plan.name}
    assert {p.name for row in rows for p in row.lead_partners} == {
        scenario.council.name,
        scenario.police.name,
    }


def test_indicator_history_judges_every_period_with_a_value_or_target():
    scenario = laa_with_values()
    indicator = dashboard.indicators_in_full().get(pk=scenario.ni39.pk)

    history = dashboard.indicator_history(
        indicator, list(indicator.commitments.all()), list(indicator.actuals.all()), today=TODAY
    )

    assert [(row.period.label, row.status) for row in history] == [
        ("2007/08", Status.NO_TARGET),
        ("2008/09", Status.AMBER),
        ("2009/10", Status.OVERDUE),
        ("2010/11", Status.OVERDUE),
    ]
    assert dashboard.latest_with_data(history).period.label == "2008/09"


@pytest.mark.parametrize(
    "codes",
    [
        ["NI 5", "NI 39", "NI 120"],
        ["LPSA 2.9", "LPSA 2.10", "LPSA 10.1"],
        ["A1", "a2", "B1"],
        ["DP 7", "DP 7.1", "DP 7a"],
    ],
)
def test_codes_sort_in_numeric_order(codes):
    scrambled = codes[1:] + codes[:1]
    assert sorted(scrambled, key=natural_key) == codes


def test_targets_are_listed_and_sorted_with_codes_in_numeric_order():
    plan = PlanFactory()
    first, second = ThemeFactory(plan=plan, order=1), ThemeFactory(plan=plan, order=2)
    for theme, code in [(second, "NI 7"), (first, "NI 120"), (first, "NI 39"), (first, "NI 5")]:
        CommitmentFactory(plan=plan, theme=theme, indicator=IndicatorFactory(code=code))
    rows = dashboard.load(Commitment.objects.filter(plan=plan)).assess(
        parse_period("2008/09"), today=TODAY
    )

    # The theme's order comes first; within a theme, the codes as people number them.
    assert [row.indicator.code for row in rows] == ["NI 5", "NI 39", "NI 120", "NI 7"]
    for sort, expected in [
        ("indicator", ["NI 5", "NI 7", "NI 39", "NI 120"]),
        ("-indicator", ["NI 120", "NI 39", "NI 7", "NI 5"]),
    ]:
        table = CommitmentTable(rows)
        RequestConfig(RequestFactory().get("/", {"sort": sort})).configure(table)
        assert [row.record.indicator.code for row in table.rows] == expected
