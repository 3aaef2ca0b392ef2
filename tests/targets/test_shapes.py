"""Every shape of baseline and target in DOMAIN.md is stored and read back without loss.

Each case stores the example through the service admins and importers use, reloads it from the
database, and compares both the text as written and the structured value.
"""

from datetime import date
from decimal import Decimal

import pytest

from targets.models import (
    Actual,
    ActualSource,
    ActualState,
    Baseline,
    Breakdown,
    CommitmentStatus,
    CommitmentStatusKind,
    Indicator,
    Polarity,
    Target,
)
from targets.services import baseline_record, target_record
from tests.factories import CommitmentFactory, IndicatorFactory, period

pytestmark = pytest.mark.django_db

D = Decimal


def stored_target(text, label="2008/09", **commitment_kwargs):
    commitment = CommitmentFactory(**commitment_kwargs)
    target_record(commitment=commitment, period=period(label), text=text)
    return Target.objects.get(commitment=commitment)


def fields(row, *names):
    return {name: getattr(row, name) for name in names}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("62%", {"shape": "value", "value": D("62"), "unit": "%"}),
        ("77.5%*", {"shape": "value", "value": D("77.5"), "unit": "%", "is_designated": True}),
        ("2776", {"shape": "value", "value": D("2776")}),
        (
            "Between 10% and 15%* (optimum range)",
            {"shape": "range", "lower": D("10"), "upper": D("15"), "unit": "%"},
        ),
        ("10-15%", {"shape": "range", "lower": D("10"), "upper": D("15"), "unit": "%"}),
        (
            "+3 % points from baseline*",
            {"shape": "change", "value": D("3"), "change_unit": "percentage_points"},
        ),
        (
            "(3% reduction from baseline)",
            {"shape": "change", "value": D("-3"), "change_unit": "percent"},
        ),
        (
            "10 of the estimated 23 (summer 09)",
            {"shape": "cohort", "numerator": D("10"), "denominator": D("23")},
        ),
        ("Level 4", {"shape": "level", "value": D("4")}),
        ("£10.906m", {"shape": "money", "value": D("10.906"), "unit": "£", "scale": "m"}),
        ("N/A (Placeholder)", {"shape": "no_target"}),
        ("X", {"shape": "no_target"}),
        ("New indicator – targets have not been set", {"shape": "no_target"}),
        ("Available May 2009 at the earliest", {"shape": "no_target"}),
        ("Dropped from National Indicator Set", {"shape": "withdrawn"}),
        ("MEASURE WITHDRAWN FROM LAA", {"shape": "withdrawn"}),
        (
            "Average 3% growth per year: 2013 – £491.7m",
            {"shape": "growth", "value": D("3"), "base_value": D("491.7")},
        ),
    ],
)
def test_target_shape_is_stored_with_its_text_unchanged(text, expected):
    target = stored_target(text)

    assert target.text == text
    assert fields(target, *expected) == expected
    assert target.needs_review is False


def test_rate_per_population_keeps_its_unit_text():
    target = stored_target("28.1 offences per 1,000 population")

    assert target.value == D("28.1")
    assert "per 1,000 population" in target.unit_text


def test_cohort_baseline_holds_numerator_and_denominator():
    commitment = CommitmentFactory()

    baseline_record(commitment=commitment, text="5 out of 14")

    baseline = Baseline.objects.get(commitment=commitment)
    assert (baseline.shape, baseline.numerator, baseline.denominator) == ("cohort", 5, 14)
    assert baseline.text == "5 out of 14"


def test_money_baseline_is_exact():
    commitment = CommitmentFactory()

    baseline_record(commitment=commitment, text="£344.197m")

    baseline = Baseline.objects.get(commitment=commitment)
    assert baseline.value == D("344.197")
    assert baseline.scale == "m"


@pytest.mark.parametrize(
    ("text", "level"),
    [("Level 2", D("2")), ("level three – 'excellent'", D("3"))],
)
def test_level_on_a_stated_scale(text, level):
    target = stored_target(text)

    assert target.shape == "level"
    assert target.value == level


def test_split_by_group_gives_one_target_per_breakdown():
    indicator = IndicatorFactory(code="NI 120")
    male = Breakdown.objects.create(dimension="sex", name="Male", aliases="M")
    female = Breakdown.objects.create(dimension="sex", name="Female", aliases="F")
    indicator.breakdowns.set([male, female])
    commitment = CommitmentFactory(indicator=indicator)

    baseline_record(commitment=commitment, text="Male: 1018 Female: 665")
    target_record(commitment=commitment, period=period("2008/09"), text="M:801* F:552*")

    targets = {t.breakdown.name: t for t in Target.objects.filter(commitment=commitment)}
    assert {name: t.value for name, t in targets.items()} == {"Male": 801, "Female": 552}
    assert all(t.is_designated for t in targets.values())
    baselines = {b.breakdown.name: b.value for b in Baseline.objects.filter(commitment=commitment)}
    assert baselines == {"Male": 1018, "Female": 665}


def test_split_by_ethnicity_and_sex_in_one_cell():
    indicator = IndicatorFactory(code="DP workforce")
    indicator.breakdowns.set(
        [
            Breakdown.objects.create(dimension="sex", name="Female"),
            Breakdown.objects.create(dimension="ethnicity", name="BME"),
        ]
    )
    commitment = CommitmentFactory(indicator=indicator)

    target_record(commitment=commitment, period=period("2013/14"), text="Female – 55% BME – 30%")

    values = {t.breakdown.name: t.value for t in Target.objects.filter(commitment=commitment)}
    assert values == {"Female": 55, "BME": 30}


def test_several_measures_under_one_heading_are_sub_measures():
    parent = IndicatorFactory(code="DP 5.1", title="Households receiving free advice")
    children = [IndicatorFactory(code=f"DP 5.1.{n}", parent=parent) for n in range(1, 5)]

    assert list(parent.sub_measures.order_by("code")) == children


def test_milestone_keeps_its_due_date():
    target = stored_target(
        "Developed a tailored neighbourhood model for four areas by March 2014", "2013/14"
    )

    assert target.shape == "milestone"
    assert target.due_text == "March 2014"
    assert target.due_on == date(2014, 3, 31)


def test_withdrawn_commitment_keeps_its_history_from_a_period():
    commitment = CommitmentFactory()
    target_record(commitment=commitment, period=period("2008/09"), text="69%")
    target_record(
        commitment=commitment, period=period("2009/10"), text="Dropped from National Indicator Set"
    )
    CommitmentStatus.objects.create(
        commitment=commitment,
        status=CommitmentStatusKind.DROPPED_FROM_NIS,
        from_period=period("2009/10"),
        text="Dropped from National Indicator Set",
    )

    assert commitment.status_on(period("2008/09")) is None
    assert commitment.status_on(period("2010/11")).status == "dropped_from_nis"
    assert Target.objects.get(commitment=commitment, period__label="2008/09").value == 69


def test_annotated_actual_records_the_target_and_the_actual():
    commitment = CommitmentFactory()

    target_record(
        commitment=commitment, period=period("2008/09"), text="140 (actual for year = 156)"
    )

    target = Target.objects.get(commitment=commitment)
    actual = Actual.objects.get(indicator=commitment.indicator)
    assert (target.value, actual.value) == (140, 156)
    assert actual.state == ActualState.APPROVED
    assert actual.source == ActualSource.DOCUMENT
    assert "actual for year = 156" in actual.source_note


def test_limit_a_rise_keeps_lower_is_better():
    commitment = CommitmentFactory(indicator=IndicatorFactory(polarity=Polarity.LOWER))

    for label, text in [("2008/09", "2776"), ("2009/10", "2970"), ("2010/11", "3118")]:
        target_record(commitment=commitment, period=period(label), text=text)

    indicator = Indicator.objects.get(pk=commitment.indicator_id)
    assert indicator.polarity == "lower"
    assert list(Target.objects.filter(commitment=commitment).values_list("value", flat=True)) == [
        2776,
        2970,
        3118,
    ]


@pytest.mark.parametrize(
    ("period_text", "label", "starts_on"),
    [
        ("(2007/8)", "2007/08", date(2007, 4, 1)),
        ("(2006)", "2006", date(2006, 1, 1)),
        ("Q2 2008/9", "2008/09 Q2", date(2008, 7, 1)),
        ("Place Survey 2008/9", None, date(2008, 4, 1)),
        ("1995-97", None, date(1995, 1, 1)),
    ],
)
def test_baseline_period_is_kept_as_written_and_dated(period_text, label, starts_on):
    commitment = CommitmentFactory()

    baseline_record(commitment=commitment, text="62%", period_text=period_text)

    baseline = Baseline.objects.select_related("period").get(commitment=commitment)
    assert baseline.period_as_written == period_text
    assert baseline.period.starts_on == starts_on
    if label:
        assert baseline.period.label == label


def test_unreadable_text_is_kept_and_flagged_never_guessed():
    target = stored_target("to be agreed with GOEM ?? see annex")

    assert target.text == "to be agreed with GOEM ?? see annex"
    assert target.shape == "unparsed"
    assert target.value is None
    assert target.needs_review is True


def test_unreadable_baseline_period_is_kept_and_flagged():
    commitment = CommitmentFactory()

    baseline_record(commitment=commitment, text="62%", period_text="sometime last year")

    baseline = Baseline.objects.get(commitment=commitment)
    assert baseline.period is None
    assert baseline.period_as_written == "sometime last year"
    assert baseline.needs_review is True


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("62%", "62%"),
        ("Between 10% and 15% (optimum range)", "between 10% and 15%"),
        ("+3 % points from baseline", "+3 percentage points"),
        ("(3% reduction from baseline)", "-3 percent"),
        ("10 of the estimated 23", "10 of 23"),
        ("£10.906m", "£10.906m"),
        ("Level 4", "level 4"),
        ("N/A (Placeholder)", "no target"),
        ("to be agreed ??", "not read: needs review"),
    ],
)
def test_reading_says_in_words_how_the_text_was_read(text, reading):
    assert stored_target(text).reading == reading
