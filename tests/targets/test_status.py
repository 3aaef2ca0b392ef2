"""Status rules (issue 6): red / amber / green, direction of travel, milestones.

Targets, baselines and indicators here are unsaved model instances read from the seed texts: the
rules never touch the database, and pytest-django refuses any query in these tests (they are not
marked ``django_db``), so one would fail them.
"""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from targets import periods
from targets.models import Baseline, Indicator, Polarity, QuarterlyValues, Target, Unit
from targets.status import (
    DEFAULT_TOLERANCE_PERCENT,
    Direction,
    Goal,
    GoalKind,
    MilestoneStatus,
    NoGoal,
    Status,
    comparable_period,
    direction,
    goal_of,
    judge,
    milestone_status,
    pro_rata,
    rag,
    resolve_goal,
    worst,
)
from targets.target_text import Shape

D = Decimal
G, A, R = Status.GREEN, Status.AMBER, Status.RED
JUDGED_POLARITIES = [Polarity.HIGHER, Polarity.LOWER, Polarity.RANGE]

# Hypothesis draws inside one test call; the project's autouse settings fixture is harmless here.
property_test = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def target(text: str) -> Target:
    figure = Target()
    figure.set_text(text)
    return figure


def baseline(text: str) -> Baseline:
    figure = Baseline()
    figure.set_text(text)
    return figure


def indicator(**fields) -> Indicator:
    return Indicator(code="T 1", title="Test", **fields)


# --- Status, Direction and MilestoneStatus as other modules use them -------------------------


def test_status_values_and_labels_are_those_the_dashboard_shows():
    assert {status.value: status.label for status in Status} == {
        "green": "On target",
        "amber": "Close to target",
        "red": "Off target",
        "no_target": "No target",
        "no_data": "No data",
        "overdue": "Overdue",
    }
    assert [status for status in Status if status.is_judged] == [G, A, R]


def test_direction_has_words_and_arrows_for_better_or_worse():
    assert [(d.value, d.label, d.arrow) for d in Direction] == [
        ("improving", "Improving", "↑"),
        ("no_change", "No change", "→"),
        ("worsening", "Worsening", "↓"),
    ]


def test_milestone_status_labels_and_rag():
    assert [(m.value, m.label, m.status) for m in MilestoneStatus] == [
        ("done", "Done", G),
        ("on_track", "On track", Status.NO_DATA),
        ("late", "Late", R),
    ]


def test_the_plain_python_constants_match_the_models():
    from targets import status

    assert {status.HIGHER, status.LOWER, status.RANGE, status.NO_POLARITY} == set(Polarity.values)
    assert (status.PERCENT, status.LEVEL) == (Unit.PERCENT, Unit.LEVEL)
    assert status.CUMULATIVE == QuarterlyValues.CUMULATIVE
    assert Indicator._meta.get_field("tolerance_percent").default == DEFAULT_TOLERANCE_PERCENT


# --- worst: breakdowns judged each, the indicator shows the worst ----------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([G, G], G),
        ([G, A], A),
        ([A, R], R),
        ([R, Status.OVERDUE], R),
        ([A, Status.OVERDUE], Status.OVERDUE),
        ([G, Status.OVERDUE], Status.OVERDUE),
        ([A, Status.NO_DATA], A),
        ([G, Status.NO_DATA], Status.NO_DATA),
        ([G, Status.NO_TARGET], G),
        ([Status.NO_TARGET, Status.NO_DATA], Status.NO_DATA),
        ([Status.NO_TARGET, Status.NO_TARGET], Status.NO_TARGET),
        ([G], G),
        ([], Status.NO_DATA),
    ],
)
def test_worst_of_breakdowns(statuses, expected):
    assert worst(statuses) == expected


def test_ni_120_male_and_female_are_each_judged_and_the_indicator_shows_the_worst():
    mortality = indicator(polarity=Polarity.LOWER, unit=Unit.RATE)
    male = judge(D("790"), target("M:801*"), baseline("Male: 1018"), mortality)
    female = judge(D("560"), target("F:552*"), baseline("Female: 665"), mortality)
    assert (male, female) == (G, A)  # 560 is 8 over 552, within 5% (27.6)
    assert worst([male, female]) == A
    late = judge(None, target("F:552*"), None, mortality, period_is_past_deadline=True)
    assert worst([male, late]) == Status.OVERDUE


# --- rag: polarity, tolerance, boundaries ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # NI 39 alcohol admissions, 08/09 "2776*": lower is better although the target rises.
        ("2233", G),
        ("2776", G),  # exactly on target
        ("2776.01", A),
        ("2914.8", A),  # the edge: 2776 + 5% of 2776 = 2914.8 is amber
        ("2914.81", R),
        ("3118", R),
    ],
)
def test_lower_is_better_limits_a_rise(value, expected):
    assert rag(D(value), Goal.point(D("2776")), Polarity.LOWER, D("5")) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # NI 59 initial assessments, 08/09 "63%*": higher is better.
        ("77.5", G),
        ("63", G),
        ("62.99", A),
        ("59.85", A),  # the edge: 63 - 5% of 63
        ("59.84", R),
        ("0", R),
    ],
)
def test_higher_is_better(value, expected):
    assert rag(D(value), Goal.point(D("63")), Polarity.HIGHER, D("5")) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # NI 65 "Between 10% and 15%* (optimum range)".
        ("12", G),
        ("10", G),
        ("15", G),
        ("9.5", A),  # the lower edge: 10 - 5% of 10
        ("9.49", R),
        ("15.75", A),  # the upper edge: 15 + 5% of 15
        ("15.76", R),
        ("15.8", R),  # the 2007/8 baseline
    ],
)
def test_within_a_range(value, expected):
    goal = goal_of(target("Between 10% and 15%* (optimum range)"))
    assert rag(D(value), goal, Polarity.RANGE, D("5")) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("11", G), ("10.45", A), ("11.55", A), ("10.44", R), ("11.56", R)],
)
def test_a_single_figure_for_a_range_indicator_is_a_range_of_one_point(value, expected):
    # NI 65's 08/09 target is "11%*", not a range.
    assert rag(D(value), goal_of(target("11%*")), Polarity.RANGE, D("5")) == expected


@pytest.mark.parametrize("polarity", [*JUDGED_POLARITIES, Polarity.NONE])
@pytest.mark.parametrize(("value", "expected"), [("10.8", G), ("9", G), ("11.34", A), ("11.35", R)])
def test_written_or_less_wins_over_the_polarity(polarity, value, expected):
    # Delivery Plan: "Reception year – 10.8% or less".
    goal = goal_of(target("Reception year – 10.8% or less"))
    assert goal.kind == GoalKind.AT_MOST
    assert rag(D(value), goal, polarity, D("5")) == expected


@pytest.mark.parametrize(("value", "expected"), [("60", G), ("58", A), ("56.99", R)])
def test_written_or_more_is_at_least(value, expected):
    goal = goal_of(target("60% or more"))
    assert goal.kind == GoalKind.AT_LEAST
    assert rag(D(value), goal, Polarity.LOWER, D("5")) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("-8", G), ("-7.97", G), ("-7.5715", A), ("-7.5714", R)]
)
def test_a_negative_target_measures_the_band_from_its_size(value, expected):
    # NI 18 "-7.97%*": lower is better; 5% of 7.97 is 0.3985.
    assert rag(D(value), goal_of(target("-7.97%*")), Polarity.LOWER, D("5")) == expected


@pytest.mark.parametrize(("value", "expected"), [("0", G), ("-1", G), ("0.001", R)])
def test_a_zero_target_has_no_amber_band(value, expected):
    assert rag(D(value), Goal.point(0), Polarity.LOWER, D("5")) == expected


@pytest.mark.parametrize(
    ("tolerance", "value", "expected"),
    [("0", "62.99", R), ("0", "63", G), ("10", "56.7", A), ("10", "56.69", R), (None, "59.85", A)],
)
def test_the_tolerance_is_the_indicators(tolerance, value, expected):
    tolerance = None if tolerance is None else D(tolerance)
    assert rag(D(value), Goal.point(D("63")), Polarity.HIGHER, tolerance) == expected


def test_a_negative_tolerance_is_refused():
    with pytest.raises(ValueError, match="negative"):
        rag(D("1"), Goal.point(1), Polarity.HIGHER, D("-1"))


def test_a_point_goal_for_an_indicator_with_no_polarity_has_nothing_to_judge():
    assert rag(D("5"), Goal.point(5), Polarity.NONE, D("5")) == Status.NO_TARGET
    assert rag(D("12"), Goal.between(10, 15), Polarity.NONE, D("5")) == G


def test_an_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="polarity"):
        rag(D("1"), Goal.point(1), "sideways", D("5"))


def test_rag_accepts_whole_numbers_but_not_nonsense():
    assert rag(2776, Goal.point(2776), Polarity.LOWER) == G
    with pytest.raises(TypeError):
        rag(None, Goal.point(1), Polarity.LOWER)


@pytest.mark.parametrize(
    ("kind", "lower", "upper"),
    [
        (GoalKind.POINT, D(1), D(2)),
        (GoalKind.POINT, None, None),
        (GoalKind.AT_LEAST, None, D(1)),
        (GoalKind.AT_MOST, D(1), None),
        (GoalKind.RANGE, D(15), D(10)),
    ],
)
def test_a_goal_refuses_bounds_that_do_not_fit_its_kind(kind, lower, upper):
    with pytest.raises(ValueError, match="goal"):
        Goal(kind, lower, upper)


# --- goal_of / resolve_goal: every shape of target -------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "lower", "upper", "accumulates"),
    [
        ("62%", GoalKind.POINT, "62", "62", False),
        ("2776*", GoalKind.POINT, "2776", "2776", True),
        ("27.3* (3% reduction from baseline)", GoalKind.POINT, "27.3", "27.3", True),
        ("28.1 offences per 1,000 population", GoalKind.POINT, "28.1", "28.1", True),
        ("Between 10% and 15%* (optimum range)", GoalKind.RANGE, "10", "15", False),
        ("2013/14 – 10-15%", GoalKind.RANGE, "10", "15", False),
        ("10 of the estimated 23 (summer 09)", GoalKind.POINT, "10", "10", True),
        ("M:801*", GoalKind.POINT, "801", "801", True),
        ("Level 4", GoalKind.POINT, "4", "4", False),
        ("13/20 Mean target 13/4 = 3.25 = 3*", GoalKind.POINT, "3", "3", False),
        ("£10.906m*", GoalKind.POINT, "10.906", "10.906", True),
        ("140 (actual for year = 156)", GoalKind.POINT, "140", "140", True),
        ("Reception year – 10.8% or less", GoalKind.AT_MOST, None, "10.8", False),
    ],
)
def test_shapes_with_a_figure_become_goals(text, kind, lower, upper, accumulates):
    goal = goal_of(target(text))
    assert goal.kind == kind
    assert goal.lower == (D(lower) if lower else None)
    assert goal.upper == (D(upper) if upper else None)
    assert goal.accumulates is accumulates


def test_money_keeps_its_scale_as_written():
    goal = goal_of(target("£10.906m*"))
    assert (goal.unit, goal.scale) == ("£", "m")


@pytest.mark.parametrize(
    ("text", "shape", "reason"),
    [
        ("N/A (Placeholder)", Shape.NO_TARGET, "No target: Placeholder"),
        ("X", Shape.NO_TARGET, "No target: X"),
        ("N/A", Shape.NO_TARGET, "No target"),
        ("New indicator – targets have not been set", Shape.NO_TARGET, "not been set"),
        ("Available May 2009 at the earliest", Shape.NO_TARGET, "May 2009"),
        ("MEASURE WITHDRAWN FROM LAA", Shape.WITHDRAWN, "Withdrawn: MEASURE WITHDRAWN FROM LAA"),
        ("Dropped from National Indicator Set", Shape.WITHDRAWN, "Dropped"),
        (
            "Developed a tailored neighbourhood model for four areas by March 2014",
            Shape.MILESTONE,
            "judged by its date",
        ),
        ("Average 3% growth per year: 2013 – £491.7m", Shape.GROWTH, "growth rule"),
        ("Male: 1018 Female: 665", Shape.BREAKDOWN, "each group"),
        ("2013", Shape.UNPARSED, "could not be read"),
        ("INCLUDE IN MAA ONLY", Shape.UNPARSED, "could not be read"),
        ("+3 % points from baseline*", Shape.CHANGE, "not known"),
    ],
)
def test_shapes_that_cannot_be_judged_as_a_number_say_why(text, shape, reason):
    figure = target(text)
    assert figure.shape == shape
    outcome = resolve_goal(figure)
    assert isinstance(outcome, NoGoal)
    assert outcome.shape == shape
    assert reason in outcome.reason
    assert goal_of(figure) is None


def test_every_shape_has_a_rule():
    for shape in Shape:
        figure = Target(text="", shape=shape.value)
        assert isinstance(resolve_goal(figure), Goal | NoGoal)
    assert "Unknown shape" in resolve_goal(Target(text="", shape="sideways")).reason


def test_a_range_with_reversed_bounds_is_not_judged():
    figure = Target(text="15-10%", shape=Shape.RANGE, lower=D(15), upper=D(10))
    assert "no usable bounds" in resolve_goal(figure).reason


def test_a_cohort_for_a_percentage_indicator_is_its_share():
    goal = goal_of(target("10 of the estimated 23 (summer 09)"), unit=Unit.PERCENT)
    assert goal.value.quantize(D("0.01")) == D("43.48")
    assert (goal.unit, goal.accumulates) == ("%", False)


def test_a_flagged_reading_is_judged_but_carries_the_flag():
    goal = goal_of(target("1192* Increase of 5% (from baseline)"))
    assert goal.value == D(1192)
    assert goal.needs_review is True
    assert goal_of(target("1192*")).needs_review is False


# --- relative targets: percent and percentage points -----------------------------------------


@pytest.mark.parametrize(
    ("target_text", "baseline_text", "expected"),
    [
        # NI 16: "28.1 offences per 1,000 population", "(3% reduction from baseline)".
        ("(3% reduction from baseline)", "28.1 offences per 1,000 population", "27.257"),
        # NI 126: 80.3% + 4.7 points = 85%, not 80.3 × 1.047 = 84.07%.
        ("(+ 4.7% points from baseline)", "80.3%", "85.0"),
        # NI 54 once its baseline is known (60% is an example): 63%, not 61.8%.
        ("+3 % points from baseline*", "60%", "63"),
        ("+6 % points from baseline*", "60%", "66"),
        # NI 40: 1135 increased by 5% (the document writes 1192).
        ("Increase of 5%", "1135", "1191.75"),
        ("(6.7% reduction against baseline)", "235", "219.2550"),
        ("Reduce by 10", "235", "225"),
    ],
)
def test_relative_targets_are_resolved_against_the_baseline(target_text, baseline_text, expected):
    goal = goal_of(target(target_text), baseline(baseline_text))
    assert goal.kind == GoalKind.POINT
    assert goal.value == D(expected)
    assert target_text.strip("()*") in goal.basis


def test_percent_and_percentage_points_are_not_confused():
    points = goal_of(target("+3 % points from baseline*"), baseline("60%"))
    percent = goal_of(target("Increase of 3%"), baseline("60%"))
    assert (points.value, percent.value) == (D("63"), D("61.80"))
    assert (points.unit, points.accumulates) == ("%", False)


@pytest.mark.parametrize(
    ("target_text", "baseline_text", "reason"),
    [
        # NI 54 as agreed: the baseline is "Available May 2009 at the earliest".
        ("+3 % points from baseline*", "Available May 2009 at the earliest", "not known"),
        ("+3 % points from baseline*", None, "not known"),
        ("+2 points from baseline", "235", "not a percentage"),
        ("+2 points from baseline", "£344.197m", "not a percentage"),
        # NI 112 and NI 163 are relative to something other than the commitment's baseline.
        ("(30% reduction from 1998 figures)", "61.2", "1998 figures"),
        ("(+2% points from 2008/9)", "55.9%", "2008/9"),
    ],
)
def test_relative_targets_that_cannot_be_resolved_say_why(target_text, baseline_text, reason):
    base = baseline(baseline_text) if baseline_text else None
    outcome = resolve_goal(target(target_text), base)
    assert isinstance(outcome, NoGoal)
    assert reason in outcome.reason


def test_points_on_a_percentage_indicator_whose_baseline_omits_the_sign():
    goal = goal_of(target("+2 points from baseline"), baseline("55.9"), unit=Unit.PERCENT)
    assert goal.value == D("57.9")


def test_a_change_with_its_own_base_value_uses_it():
    figure = target("(30% reduction from 1998 figures)")
    figure.base_value = D("64.4")
    assert goal_of(figure, baseline("61.2")).value == D("45.080")


# --- judge: no target, no data, overdue ------------------------------------------------------


NO_TARGET_TEXTS = [
    "N/A (Placeholder)",
    "X",
    "N/A",
    "MEASURE WITHDRAWN FROM LAA",
    "Dropped from National Indicator Set",
    "New indicator – targets have not been set",
    "Available May 2009 at the earliest",
    "INCLUDE IN MAA ONLY",
    "Average 3% growth per year: 2013 – £491.7m",
]


@pytest.mark.parametrize("text", NO_TARGET_TEXTS)
@pytest.mark.parametrize("value", [None, D("0"), D("80")])
def test_no_target_is_no_target_whatever_the_value(text, value):
    for polarity in [*JUDGED_POLARITIES, Polarity.NONE]:
        status = judge(
            value, target(text), None, indicator(polarity=polarity), period_is_past_deadline=True
        )
        assert status == Status.NO_TARGET


def test_no_target_row_is_no_target():
    assert judge(D("5"), None, None, indicator()) == Status.NO_TARGET


@pytest.mark.parametrize(("past", "expected"), [(False, Status.NO_DATA), (True, Status.OVERDUE)])
def test_a_missing_value_is_overdue_only_after_its_deadline(past, expected):
    ni_59 = indicator(polarity=Polarity.HIGHER, unit=Unit.PERCENT)
    assert judge(None, target("63%*"), None, ni_59, period_is_past_deadline=past) == expected


def test_a_relative_target_waiting_for_its_baseline_is_no_target_not_overdue():
    ni_54 = indicator(polarity=Polarity.HIGHER, unit=Unit.PERCENT)
    figure, base = (
        target("+3 % points from baseline*"),
        baseline("Available May 2009 at the earliest"),
    )
    assert judge(None, figure, base, ni_54, period_is_past_deadline=True) == Status.NO_TARGET
    assert judge(D("70"), figure, baseline("60%"), ni_54) == G
    assert judge(D("62"), figure, baseline("60%"), ni_54) == A


@pytest.mark.parametrize(("value", "expected"), [("2700", G), ("2914.8", A), ("2914.81", R)])
def test_judge_uses_the_indicators_polarity_and_tolerance(value, expected):
    ni_39 = indicator(polarity=Polarity.LOWER, tolerance_percent=D("5"))
    assert judge(D(value), target("2776*"), baseline("2233"), ni_39) == expected


def test_judge_reads_no_relation_of_an_unsaved_target():
    # No commitment, period or breakdown set: reading any of them would raise.
    figure = target("Between 10% and 15%* (optimum range)")
    assert judge(D("12"), figure, None, indicator(polarity=Polarity.RANGE)) == G


# --- quarterly values: cumulative against pro-rata, snapshot against the annual goal ---------


@pytest.mark.parametrize(("quarter", "expected"), [(1, "235"), (2, "470"), (3, "705"), (4, "940")])
def test_pro_rata_is_a_quarter_of_the_annual_goal_per_quarter(quarter, expected):
    # NI 154 net additional homes, 08/09 "940*".
    goal = pro_rata(goal_of(target("940*")), quarter)
    assert goal.value == D(expected)


def test_pro_rata_scales_both_bounds_of_a_range_of_counts():
    goal = pro_rata(Goal.between(100, 200), 2)
    assert (goal.lower, goal.upper) == (D(50), D(100))


@pytest.mark.parametrize("text", ["63%*", "Level 4", "Between 10% and 15%* (optimum range)"])
def test_percentages_and_levels_are_not_pro_rated(text):
    goal = goal_of(target(text))
    assert pro_rata(goal, 1) == goal


def test_a_count_on_a_percentage_indicator_is_not_pro_rated():
    goal = goal_of(target("63"), unit=Unit.PERCENT)
    assert pro_rata(goal, 1) == goal


@pytest.mark.parametrize("quarter", [0, 5, "Q1", None])
def test_pro_rata_refuses_a_quarter_that_is_not_one(quarter):
    with pytest.raises(ValueError, match="quarter"):
        pro_rata(Goal.point(940), quarter)


@pytest.mark.parametrize(
    ("values", "value", "quarter", "expected"),
    [
        (QuarterlyValues.CUMULATIVE, "470", 2, G),  # 470 homes by Q2 against 940 a year
        (QuarterlyValues.CUMULATIVE, "450", 2, A),  # 20 short of 470: within 23.5
        (QuarterlyValues.CUMULATIVE, "446", 2, R),
        (QuarterlyValues.SNAPSHOT, "470", 2, R),  # a snapshot is judged against 940
        (QuarterlyValues.CUMULATIVE, "470", None, R),  # a whole-year value
    ],
)
def test_cumulative_values_meet_a_pro_rata_goal_and_snapshots_the_annual(
    values, value, quarter, expected
):
    homes = indicator(polarity=Polarity.HIGHER, unit=Unit.NUMBER, quarterly_values=values)
    assert judge(D(value), target("940*"), None, homes, quarter=quarter) == expected


def test_a_cumulative_percentage_is_judged_against_the_annual_percentage():
    ni_59 = indicator(
        polarity=Polarity.HIGHER, unit=Unit.PERCENT, quarterly_values=QuarterlyValues.CUMULATIVE
    )
    assert judge(D("40"), target("63%*"), None, ni_59, quarter=2) == R


# --- milestones ------------------------------------------------------------------------------


DUE = date(2014, 3, 31)  # "… by March 2014"


@pytest.mark.parametrize(
    ("completed_on", "today", "expected"),
    [
        (None, date(2013, 6, 1), MilestoneStatus.ON_TRACK),
        (None, DUE, MilestoneStatus.ON_TRACK),  # due date itself: still on track
        (None, date(2014, 4, 1), MilestoneStatus.LATE),
        (date(2014, 1, 10), date(2014, 2, 1), MilestoneStatus.DONE),
        (date(2014, 5, 1), date(2014, 6, 1), MilestoneStatus.DONE),  # done late is done
        (date(2014, 5, 1), date(2014, 4, 15), MilestoneStatus.LATE),  # a completion still ahead
    ],
)
def test_milestone_done_on_track_or_late_by_its_date(completed_on, today, expected):
    assert milestone_status(DUE, completed_on, today) == expected


def test_a_milestone_without_a_due_date():
    assert milestone_status(None, None, date(2014, 1, 1)) is None
    assert milestone_status(None, date(2013, 1, 1), date(2014, 1, 1)) == MilestoneStatus.DONE


@pytest.mark.parametrize(
    ("completed_on", "today", "expected"),
    [(None, date(2013, 6, 1), Status.NO_DATA), (None, date(2014, 4, 1), R), (DUE, DUE, G)],
)
def test_judge_a_milestone_target(completed_on, today, expected):
    figure = target("Developed a tailored neighbourhood model for four areas by March 2014")
    assert figure.due_on == DUE
    milestone = indicator(unit=Unit.MILESTONE)
    status = judge(None, figure, None, milestone, completed_on=completed_on, today=today)
    assert status == expected


def test_judging_a_milestone_needs_today():
    figure = target("Developed a tailored neighbourhood model for four areas by March 2014")
    with pytest.raises(ValueError, match="today"):
        judge(None, figure, None, indicator())


# --- direction of travel ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        ("65", "62", Polarity.HIGHER, Direction.IMPROVING),
        ("62", "65", Polarity.HIGHER, Direction.WORSENING),
        ("62", "62.0", Polarity.HIGHER, Direction.NO_CHANGE),
        # NI 39: fewer admissions is improving, whatever the rising targets.
        ("2800", "2900", Polarity.LOWER, Direction.IMPROVING),
        ("2900", "2800", Polarity.LOWER, Direction.WORSENING),
        ("2900", "2900", Polarity.LOWER, Direction.NO_CHANGE),
        (None, "2900", Polarity.LOWER, None),
        ("2900", None, Polarity.LOWER, None),
        ("5", "4", Polarity.NONE, None),
    ],
)
def test_direction_by_polarity(current, previous, polarity, expected):
    def number(text):
        return None if text is None else D(text)

    assert direction(number(current), number(previous), polarity) == expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        ("14", "15.8", Direction.IMPROVING),  # NI 65: into the range from the baseline
        ("15.8", "14", Direction.WORSENING),
        ("12", "14", Direction.NO_CHANGE),  # both inside: both optimum
        ("9", "16.5", Direction.IMPROVING),  # 1 below is closer than 1.5 above
        ("16", "9", Direction.NO_CHANGE),  # 1 above and 1 below
        ("8", "9", Direction.WORSENING),
    ],
)
def test_direction_within_a_range_is_the_distance_to_the_range(current, previous, expected):
    goal = goal_of(target("Between 10% and 15%* (optimum range)"))
    assert direction(D(current), D(previous), Polarity.RANGE, goal=goal) == expected


def test_direction_for_a_range_needs_the_range():
    assert direction(D("12"), D("14"), Polarity.RANGE) is None


def test_direction_refuses_an_unknown_polarity():
    with pytest.raises(ValueError, match="polarity"):
        direction(D("1"), D("2"), "sideways")


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2008/09 Q2", "2007/08 Q2"),
        ("2008/09", "2007/08"),
        ("summer 09", "2007/08 school year"),
        ("2006", "2005"),
        ("March 2014", "March 2013"),
        ("Place Survey 2008/9", "2007/08"),
        ("1995-97", None),
        ("Nov 07-Jan 08", None),
    ],
)
def test_the_comparable_period_is_a_year_earlier(label, expected):
    compared = comparable_period(periods.parse_period(label))
    assert (compared.label if compared else None) == expected


def test_the_comparable_period_of_a_stored_period():
    from targets.models import Period

    quarter = Period(label="2008/09 Q4", kind="quarter", year=2008, quarter=4)
    assert comparable_period(quarter).label == "2007/08 Q4"
    month = Period(label="March 2014", kind="month", year=2014, starts_on=date(2014, 3, 1))
    assert comparable_period(month).label == "March 2013"
    assert comparable_period(Period(label="1900/01", kind="financial_year", year=1900)) is None


# --- the seed quotations in these tests and in docs/status-rules.md are exact -----------------

# The source documents, kept in the repository (docs/sources/) so any clone can check them.
SEEDS = Path(__file__).resolve().parents[2] / "docs" / "sources"
DOC = Path(__file__).resolve().parents[2] / "docs" / "status-rules.md"
QUOTED = [
    "2776*",
    "M:801*",
    "F:552*",
    "Male: 1018",
    "Female: 665",
    "Between 10% and 15%* (optimum range)",
    "+3 % points from baseline*",
    "+6 % points from baseline*",
    "(3% reduction from baseline)",
    "27.3* (3% reduction from baseline)",
    "85%* (+ 4.7% points from baseline)",
    "28.1 offences per 1,000 population",
    "(30% reduction from 1998 figures)",
    "(+2% points from 2008/9)",
    "10 of the estimated 23 (summer 09)",
    "13/20 Mean target 13/4 = 3.25 = 3*",
    "£10.906m*",
    "-7.97%*",
    "Reception year – 10.8% or less",
    "2013/14 – 10-15%",
    *NO_TARGET_TEXTS,
    "Developed a tailored neighbourhood model for four areas by March 2014",
]


def _collapsed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("quote", QUOTED)
def test_seed_quotations_occur_as_written(quote):
    seeds = " ".join(_collapsed(path.read_text()) for path in SEEDS.glob("0*.txt"))
    assert quote in seeds


def test_the_documents_quotations_occur_as_written():
    seeds = " ".join(_collapsed(path.read_text()) for path in SEEDS.glob("0*.txt"))
    quotes = re.findall(r'"([^"]+)"', _collapsed(DOC.read_text()))
    assert len(quotes) > 20
    missing = [quote for quote in quotes if quote not in seeds]
    assert missing == []


# --- properties ------------------------------------------------------------------------------

numbers = st.decimals(
    min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
)
tolerances = st.decimals(min_value=0, max_value=50, places=2)
statuses = st.sampled_from(list(Status))


def _goals():
    points = numbers.map(Goal.point)
    at_least = numbers.map(Goal.at_least)
    at_most = numbers.map(Goal.at_most)
    ranges = st.tuples(numbers, numbers).map(lambda pair: Goal.between(*sorted(pair)))
    return st.one_of(points, at_least, at_most, ranges)


def _mirror(goal: Goal) -> Goal:
    """The goal seen through value -> -value: bounds swap and change sign."""
    lower = None if goal.upper is None else -goal.upper
    upper = None if goal.lower is None else -goal.lower
    kind = {GoalKind.AT_LEAST: GoalKind.AT_MOST, GoalKind.AT_MOST: GoalKind.AT_LEAST}
    return Goal(kind.get(goal.kind, goal.kind), lower, upper)


MIRRORED = {Polarity.HIGHER: Polarity.LOWER, Polarity.LOWER: Polarity.HIGHER}
MIRRORED[Polarity.RANGE] = Polarity.RANGE


@property_test
@given(value=numbers, goal=_goals(), tolerance=tolerances, polarity=st.sampled_from(list(MIRRORED)))
def test_mirroring_higher_into_lower_is_better_mirrors_the_status(value, goal, tolerance, polarity):
    status = rag(value, goal, polarity, tolerance)
    assert rag(-value, _mirror(goal), MIRRORED[polarity], tolerance) == status


@property_test
@given(
    bounds=st.tuples(numbers, numbers).map(sorted),
    data=st.data(),
    tolerance=tolerances,
    polarity=st.sampled_from(list(Polarity)),
)
def test_a_value_inside_a_range_is_never_red(bounds, data, tolerance, polarity):
    lower, upper = bounds
    value = data.draw(st.decimals(min_value=lower, max_value=upper, places=3))
    status = rag(value, Goal.between(lower, upper), polarity, tolerance)
    assert status != R
    assert status == G


@property_test
@given(
    text=st.sampled_from(NO_TARGET_TEXTS)
    | st.from_regex(r"N/A \([A-Za-z ]{1,20}\)", fullmatch=True),
    value=st.none() | numbers,
    polarity=st.sampled_from(list(Polarity)),
    past=st.booleans(),
    quarter=st.none() | st.integers(1, 4),
)
def test_no_target_is_never_green(text, value, polarity, past, quarter):
    ind = indicator(polarity=polarity, quarterly_values=QuarterlyValues.CUMULATIVE)
    status = judge(value, target(text), None, ind, period_is_past_deadline=past, quarter=quarter)
    assert status == Status.NO_TARGET


@property_test
@given(value=numbers, goal_value=numbers, tolerance=tolerances)
def test_a_point_goal_without_polarity_is_never_green(value, goal_value, tolerance):
    assert rag(value, Goal.point(goal_value), Polarity.NONE, tolerance) == Status.NO_TARGET


@property_test
@given(value=numbers, goal=_goals(), polarity=st.sampled_from(JUDGED_POLARITIES))
def test_amber_never_occurs_when_tolerance_is_zero(value, goal, polarity):
    assert rag(value, goal, polarity, D(0)) in (G, R)


@property_test
@given(goal=_goals(), tolerance=tolerances, polarity=st.sampled_from(JUDGED_POLARITIES))
def test_a_value_exactly_on_target_is_green_for_every_polarity(goal, tolerance, polarity):
    for on_target in {goal.lower, goal.upper} - {None}:
        assert rag(on_target, goal, polarity, tolerance) == G


@property_test
@given(
    low=numbers,
    step=st.decimals(min_value=0, max_value=1000, places=3),
    goal=numbers.map(Goal.point),
    tolerance=tolerances,
)
def test_a_better_value_never_has_a_worse_status(low, step, goal, tolerance):
    high = low + step
    assert rag(high, goal, Polarity.HIGHER, tolerance).severity <= (
        rag(low, goal, Polarity.HIGHER, tolerance).severity
    )
    assert rag(low, goal, Polarity.LOWER, tolerance).severity <= (
        rag(high, goal, Polarity.LOWER, tolerance).severity
    )


@property_test
@given(value=numbers, goal=_goals(), small=tolerances, extra=tolerances)
def test_a_wider_tolerance_never_makes_a_status_worse(value, goal, small, extra):
    for polarity in JUDGED_POLARITIES:
        narrow = rag(value, goal, polarity, small)
        wide = rag(value, goal, polarity, small + extra)
        assert wide.severity <= narrow.severity
        assert (narrow == G) == (wide == G)


@property_test
@given(items=st.lists(statuses, max_size=6), data=st.data())
def test_worst_does_not_depend_on_order_and_is_one_of_its_inputs(items, data):
    result = worst(items)
    assert result == worst(data.draw(st.permutations(items)))
    assert result in items or (not items and result == Status.NO_DATA)
    assert all(result.severity >= item.severity for item in items)
    if result == G:
        assert set(items) <= {G, Status.NO_TARGET}


@property_test
@given(current=numbers, previous=numbers)
def test_direction_mirrors_and_reverses(current, previous):
    forward = direction(current, previous, Polarity.HIGHER)
    assert direction(-current, -previous, Polarity.LOWER) == forward
    backward = direction(previous, current, Polarity.HIGHER)
    opposite = {Direction.IMPROVING: Direction.WORSENING, Direction.WORSENING: Direction.IMPROVING}
    assert backward == opposite.get(forward, Direction.NO_CHANGE)


@property_test
@given(goal=_goals(), quarter=st.integers(1, 4))
def test_pro_rata_scales_every_bound_by_the_share_of_the_year(goal, quarter):
    scaled = pro_rata(goal, quarter)
    share = D(quarter) / 4
    assert scaled.kind == goal.kind
    for before, after in [(goal.lower, scaled.lower), (goal.upper, scaled.upper)]:
        assert after == (None if before is None else before * share)
