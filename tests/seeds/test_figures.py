"""Figures of the five seed documents, one by one, against what load_seed_plans loads.

Every expected value was typed from the source document (docs/sources/, a copy of
../shared/seeds/), not copied from the fixtures; each row's comment says where it is
("004 l.298" is line 298 of 004_37bc9ce5422b3ede.txt). Periods are written as the documents
write them and read with the period parser, so "08/09" finds the period 2008/09.
"""

from datetime import date
from decimal import Decimal

import pytest

from partners.models import Person
from plans.models import Activity, Theme
from targets.models import Actual, ActualState, Baseline, Commitment, Period, Target
from targets.periods import parse_period

pytestmark = pytest.mark.django_db

LPSA2 = "lpsa2"  # 000_64ece5062c2478a1.txt
PSA = "leicestershire-psa"  # 001_fc83d2d96680fbc0.txt
CPA = "cpa-2007"  # 002_8fa79fd7281d12ca.txt
DP = "delivery-plan-2013-14"  # 003_7e3ff0d25f7ccc48.txt
LAA = "laa-2008-11"  # 004_37bc9ce5422b3ede.txt


def period(written: str) -> Period:
    return Period.objects.get(label=parse_period(written).label)


def breakdown_filter(breakdown: str) -> dict:
    return {"breakdown__name": breakdown} if breakdown else {"breakdown__isnull": True}


def target(plan, code, written_period, breakdown="") -> Target:
    return Target.objects.get(
        commitment__plan__slug=plan,
        commitment__indicator__code=code,
        period=period(written_period),
        **breakdown_filter(breakdown),
    )


def baseline(plan, code, breakdown="") -> Baseline:
    return Baseline.objects.get(
        commitment__plan__slug=plan, commitment__indicator__code=code, **breakdown_filter(breakdown)
    )


def commitment(plan, code) -> Commitment:
    return Commitment.objects.get(plan__slug=plan, indicator__code=code)


def activity(title_start: str) -> Activity:
    return Activity.objects.get(theme__plan__slug=DP, title__startswith=title_start)


def named(partner, name: str) -> bool:
    """The document's name for a partner: its name, short name or one of its aliases."""
    return name in {partner.name, partner.short_name, *partner.alias_list}


# plan, indicator, period, breakdown, value: each year's target, as parsed
TARGET_VALUES = [
    (LAA, "NI 59", "08/09", "", "63"),  # 004 l.298 "63%*"
    (LAA, "NI 59", "09/10", "", "70"),  # 004 l.299 "70%*"
    (LAA, "NI 59", "10/11", "", "77.5"),  # 004 l.300 "77.5%*"
    (LAA, "NI 65", "08/09", "", "11"),  # 004 l.309 "11%*"
    (LAA, "NI 112", "08/09", "", "45.1"),  # 004 l.530 "45.1* (30% reduction from 1998 figures)"
    (LAA, "NI 117", "08/09", "", "8.4"),  # 004 l.546 "8.4%**"
    (LAA, "NI 154", "09/10", "", "470"),  # 004 l.578 "470*", the dip between two 940s
    (LAA, "NI 186", "08/09", "", "6.7"),  # 004 l.623 "6.7 tonnes per capita*"
    (LAA, "NI 16", "08/09", "", "27.3"),  # 004 l.714 "27.3* (3% reduction from baseline)"
    (LAA, "NI 39", "08/09", "", "2776"),  # 004 l.936: a rise limited, lower is better
    (LAA, "NI 39", "09/10", "", "2970"),  # 004 l.937
    (LAA, "NI 39", "10/11", "", "3118"),  # 004 l.938
    (LAA, "NI 120", "08/09", "Male", "801"),  # 004 l.980 "M:801*"
    (LAA, "NI 120", "08/09", "Female", "552"),  # 004 l.982 "F:552*"
    (LAA, "NI 120", "10/11", "Male", "692"),  # 004 l.986 "M:692*"
    (LAA, "NI 120", "10/11", "Female", "501"),  # 004 l.988 "F:501*"
    (LAA, "LAA L1", "08/09", "", "140"),  # 004 l.915 "140 (actual for year = 156)"
    (LAA, "LAA L1", "09/10", "", "134"),  # 004 l.918
    (LAA, "LAA L1", "10/11", "", "224"),  # 004 l.921
    (LAA, "NI 163", "08/09", "", "57.65"),  # 004 l.1094 "57.65%**"
    (LAA, "NI 179", "08/09", "", "10.906"),  # 004 l.1155 "£10.906m*"
    (LAA, "NI 188", "09/10", "", "4"),  # 004 l.652 "Level 4"
    (LAA, "NI 35", "10/11", "", "5"),  # 004 l.858-864 "20/20 Mean target: 20/4 = 5 = 5*"
    (LAA, "NI 40", "08/09", "", "1192"),  # 004 l.952 "1192* Increase of 5% (from baseline)"
    (LAA, "NI 131", "08/09", "", "11.9"),  # 004 l.1029 "11.9*"
    (LAA, "NI 152", "08/09", "", "16.3"),  # 004 l.1071 "16.3%**"
    (LAA, "NI 172", "08/09", "", "100"),  # 004 l.1128 "100%* (of regional average)"
    (DP, "DP 1.1", "2013/14", "", "1062"),  # 003 l.225 creation of new jobs "2013/14 – 1,062"
    (DP, "DP 1.10", "2013/14", "", "1.333"),  # 003 l.234 cultural attendances "1.333 million"
    (DP, "DP 2.1", "2013/14", "", "6500"),  # 003 l.277 dangerous potholes repaired
    (DP, "DP 2.2", "2013/14", "", "1350"),  # 003 l.278 "Reduce to 1,350 per year ..."
    (DP, "DP 5.1", "2013/14", "", "2587"),  # 003 l.416 supported to stop smoking
    (DP, "DP 5.2", "2013/14", "", "2050"),  # 003 l.417 alcohol admissions per 100,000
    (DP, "DP 5.10b", "2013/14", "", "150"),  # 003 l.427 inspections and test purchases
    (DP, "DP 5.3", "school year 2012/13", "Reception year", "10.8"),  # 003 l.418
    (DP, "DP 5.3", "school year 2012/13", "Year 6", "20.9"),  # 003 l.418
    (DP, "DP 6.8", "2013/14", "", "629"),  # 003 l.494 "629 days" to adoption
    (DP, "DP 6.15", "2013/14", "", "0.54"),  # 003 l.503 rate of re-offending
    (DP, "NI 112", "2013/14", "", "43.2"),  # 003 l.559 "Under 18 conception rate"
    (DP, "NI 93", "2013/14", "", "95"),  # 003 l.563 "(NI93)" "2013/14 – 95%"
    (DP, "NI 94", "2013/14", "", "92"),  # 003 l.564 "(NI94)" "2013/14 – 92%"
    (DP, "DP 8.2a", "2013/14", "", "6000"),  # 003 l.610 first welfare advice sub-measure
    (DP, "DP 8.2d", "2013/14", "", "7"),  # 003 l.610 money advice referrals "7 per week"
    (DP, "DP 8.11", "2013/14", "", "8200"),  # 003 l.619 flytipping "8,200 by March 2014"
    (DP, "DP 9.4", "2013/14", "Twitter", "5000"),  # 003 l.677 "Twitter – 5,000 followers"
    (DP, "DP 9.6", "2013/14", "Female", "55"),  # 003 l.679 "Female – 55%"
    (DP, "DP 9.6", "2013/14", "BME", "30"),  # 003 l.679 "BME – 30%"
    (DP, "DP 9.5", "2013/14", "", "3"),  # 003 l.678 "To achieve level three – 'excellent'"
    (DP, "DP 9.9", "2013/14", "", "9"),  # 003 l.682 "9 days" sickness
]


@pytest.mark.parametrize(("plan", "code", "written_period", "breakdown", "value"), TARGET_VALUES)
def test_target_value(seeded, plan, code, written_period, breakdown, value):
    assert target(plan, code, written_period, breakdown).value == Decimal(value)


# plan, indicator, period, lower, upper: targets that are a range
TARGET_RANGES = [
    (LAA, "NI 65", "09/10", "10", "15"),  # 004 l.310 "Between 10% and 15% *(optimum range)"
    (LAA, "NI 65", "10/11", "10", "15"),  # 004 l.311 "Between 10% and 15%* (optimum range)"
    (DP, "DP 6.1", "2013/14", "10", "15"),  # 003 l.487 repeat child protection plans "10-15%"
]


@pytest.mark.parametrize(("plan", "code", "written_period", "lower", "upper"), TARGET_RANGES)
def test_target_range(seeded, plan, code, written_period, lower, upper):
    found = target(plan, code, written_period)

    assert (found.shape, found.lower, found.upper) == ("range", Decimal(lower), Decimal(upper))
    assert found.commitment.indicator.polarity == "range"


# plan, indicator, period, shape, field, value: the other shapes of target
TARGET_SHAPES = [
    (LAA, "NI 54", "09/10", "change", "value", "3"),  # 004 l.272 "+3 % points from baseline*"
    (LAA, "NI 99", "08/09", "cohort", "numerator", "10"),  # 004 l.482 "10 of the estimated 23"
    (LAA, "NI 99", "08/09", "cohort", "denominator", "23"),  # 004 l.482
    (DP, "DP 3.1", "2013/14", "change", "value", "-21"),  # 003 l.325 "2013/14 – 21% reduction"
    (DP, "DP 6.27", "2013/14", "change", "value", "-25"),  # 003 l.519 "reduce by 25%"
    (DP, "DP 1.9", "2013/14", "growth", "value", "3"),  # 003 l.233 "Average 3% growth per year"
    (DP, "DP 1.9", "2013/14", "growth", "base_value", "491.7"),  # 003 l.233 "2013 – £491.7m"
]


@pytest.mark.parametrize(
    ("plan", "code", "written_period", "shape", "field", "value"), TARGET_SHAPES
)
def test_target_of_another_shape(seeded, plan, code, written_period, shape, field, value):
    found = target(plan, code, written_period)

    assert found.shape == shape
    assert getattr(found, field) == Decimal(value)


# plan, indicator, period, flag, value: a target marked * (designated) or ** (reward)
TARGET_MARKS = [
    (LAA, "NI 59", "08/09", "is_designated", True),  # 004 l.298 "63%*"
    (LAA, "NI 59", "08/09", "is_reward", False),  # 004 l.298, one star only
    (LAA, "NI 152", "08/09", "is_reward", True),  # 004 l.1071 "16.3%**"
    (LAA, "NI 118", "08/09", "is_designated", False),  # 004 l.557 "14%", no star
    (LAA, "NI 118", "08/09", "is_reward", False),  # 004 l.557
]


@pytest.mark.parametrize(("plan", "code", "written_period", "flag", "value"), TARGET_MARKS)
def test_target_marks(seeded, plan, code, written_period, flag, value):
    assert getattr(target(plan, code, written_period), flag) is value


def test_a_withdrawn_measure_is_withdrawn_from_then_on(seeded):
    # 004 l.608-609: NI 175 "79.4%*" for 08/09, then "MEASURE WITHDRAWN FROM LAA"
    assert target(LAA, "NI 175", "08/09").value == Decimal("79.4")
    assert target(LAA, "NI 175", "09/10").shape == "withdrawn"
    assert commitment(LAA, "NI 175").status_changes.get().from_period == period("09/10")


def test_a_milestone_is_due_at_the_end_of_its_month(seeded):
    # 003 l.609 "Developed a tailored neighbourhood model for four areas by March 2014"
    found = target(DP, "DP 8.1", "2013/14")

    assert (found.shape, found.due_on) == ("milestone", date(2014, 3, 31))


# plan, indicator, breakdown, value, period as written, and the first and last day it covers
BASELINES = [
    (LAA, "NI 59", "", "62", "(2007/8)", "2007-04-01", "2008-03-31"),  # 004 l.295-297 "62%"
    (LAA, "NI 65", "", "15.8", "2007/8", "2007-04-01", "2008-03-31"),  # 004 l.307-308
    (LAA, "NI 16", "", "28.1", "(2007/8)", "2007-04-01", "2008-03-31"),  # 004 l.712-713
    (LAA, "NI 19", "", "235", "(2005/6)", "2005-04-01", "2006-03-31"),  # 004 l.750-752
    (LAA, "NI 126", "", "80.3", "(Q2 2008/9)", "2008-07-01", "2008-09-30"),  # 004 l.1009-1010
    (LAA, "NI 39", "", "2233", "(2006-07)", "2006-04-01", "2007-03-31"),  # 004 l.933-935
    # 004 l.543-545 "8.9%" "Nov 07-Jan 08 average"
    (LAA, "NI 117", "", "8.9", "Nov 07-Jan 08 average", "2007-11-01", "2008-01-31"),
    (LAA, "NI 120", "Male", "1018", "(1995-97)", "1995-01-01", "1997-12-31"),  # 004 l.975, 979
    (LAA, "NI 120", "Female", "665", "(1995-97)", "1995-01-01", "1997-12-31"),  # 004 l.977, 979
    (LAA, "NI 154", "", "1100", "(2003/4 – 2006/7)", "2003-04-01", "2007-03-31"),  # 004 l.570-572
    (DP, "DP 3.1", "", "61310", "2008/9", "2008-04-01", "2009-03-31"),  # 003 l.325 "61,310 tonnes"
    (DP, "DP 3.2", "", "2338.3", "1990", "1990-01-01", "1990-12-31"),  # 003 l.326 "2338.3 ktCO2"
]


@pytest.mark.parametrize(
    ("plan", "code", "breakdown", "value", "as_written", "starts", "ends"), BASELINES
)
def test_baseline_value_and_period(seeded, plan, code, breakdown, value, as_written, starts, ends):
    found = baseline(plan, code, breakdown)

    assert found.value == Decimal(value)
    assert found.period_as_written == as_written
    assert (found.period.starts_on, found.period.ends_on) == (
        date.fromisoformat(starts),
        date.fromisoformat(ends),
    )


def test_money_baseline(seeded):
    found = baseline(LAA, "NI 179")  # 004 l.1152 "£344.197m"

    assert (found.shape, found.value, found.unit, found.scale) == (
        "money",
        Decimal("344.197"),
        "£",
        "m",
    )


def test_cohort_baseline(seeded):
    found = baseline(LAA, "NI 99")  # 004 l.481 "5 out of 14"

    assert (found.numerator, found.denominator) == (Decimal(5), Decimal(14))


# indicator, period, value: actuals the documents record
ACTUALS = [
    ("LAA L1", "2008/09", "156"),  # 004 l.917 "(actual for year = 156)"
    ("LAA L1", "2009/10", "101"),  # 004 l.920 "(actual for year = 101)"
    ("LAA L1", "2010/11", "415"),  # 004 l.923 "(actual for year = 415)"
    ("CPA bus patronage", "2005/06", "33890912"),  # 002 l.700 "from 33,890,912 in 2005/06"
    ("CPA bus patronage", "2006/07", "35122472"),  # 002 l.700 "to 35,122,472 in 2006/07"
    ("CPA level-access bus stops", "2003/04", "51"),  # 002 l.702 "from 51% in 2003/04"
    ("CPA level-access bus stops", "2006/07", "76"),  # 002 l.702 "to 76% in 2006/07"
    ("CPA Star Trak routes", "2004", "32"),  # 002 l.704 "from 32% in 2004"
    ("CPA Star Trak routes", "2007", "46"),  # 002 l.704 "to 46% in 2007"
    ("CPA KSI", "1994-98 average", "127"),  # 002 l.777 "1994-98 average was 127"
    ("CPA KSI", "2005", "69"),  # 002 l.778 "down to 69 KSIs"
    ("CPA slight injuries", "2005", "1266"),  # 002 l.780 "declined by 9% to 1,266"
    ("CPA city centre cars", "2006", "4610"),  # 002 l.708 "reduced by 2.8% to 4,610"
    ("CPA population", "2005", "288000"),  # 002 l.205 "288,000 residents (2005 ...)"
    ("CPA BME residents", "2001", "39.46"),  # 002 l.206 "39.46% are BME (2001 Census)"
    ("CPA HB caseload", "Feb 2005", "35358"),  # 002 l.885 "from 35,358 in Feb 2005"
    ("CPA HB caseload", "February 2007", "36568"),  # 002 l.885 "to 36,568 in February 2007"
    ("CPA under-18 conception rate", "2005", "54.3"),  # 002 l.913 "54.3 per 1000"
    ("CPA corporate assessment score", "2002", "3"),  # 002 l.151 "in 2002 ... rated at level three"
    ("CPA star rating", "2006", "4"),  # 002 l.151 "in 2006 it was rated a four star council"
]


@pytest.mark.parametrize(("code", "written_period", "value"), ACTUALS)
def test_actual_recorded_from_the_document(seeded, code, written_period, value):
    found = Actual.objects.get(
        indicator__code=code, period=period(written_period), breakdown__isnull=True
    )

    assert found.value == Decimal(value)
    assert found.state == ActualState.APPROVED


# plan, indicator, the document's name for each lead partner
LEAD_PARTNERS = [
    (LPSA2, "LPSA2 1", ["E&LLL"]),  # 000 l.8
    (LPSA2, "LPSA2 2", ["SC&H"]),  # 000 l.9
    (LPSA2, "LPSA2 7a", ["CDRP"]),  # 000 l.19 "Crime & Disorder Reduction P'ship (CDRP)"
    # 000 l.22 "Leics Fire & Rescue Service": the canonical name of the same service
    (LPSA2, "LPSA2 8", ["Leicestershire Fire and Rescue Service"]),
    (LPSA2, "LPSA2 10b", ["Housing"]),  # 000 l.24-25, the lead cell merged over (a) and (b)
    (LPSA2, "LPSA2 12a", ["RAD"]),  # 000 l.28
    (PSA, "PSA N2", []),  # 001 l.8: "Potential Partners/Partnerships", nobody leads
    (LAA, "NI 112", ["Leicester City Council"]),  # 004 l.536-537 (NHS Leicester City unstarred)
    (LAA, "NI 117", ["Connexions Leicester Shire"]),  # 004 l.549
    (LAA, "NI 143", ["Leicestershire and Rutland Probation Area"]),  # 004 l.907
    (LAA, "NI 39", ["NHS Leicester City"]),  # 004 l.939
    (LAA, "NI 19", ["Leicester City Youth Offending Service"]),  # 004 l.761
    (LAA, "NI 40", ["Leicester Drug and Alcohol Action Team"]),  # 004 l.966
    (LAA, "NI 152", ["Jobcentre Plus"]),  # 004 l.1074
    (LAA, "NI 163", ["Leicestershire LSC"]),  # 004 l.1103
    (LAA, "NI 172", []),  # 004 l.1142 "East Midlands Development Agency", no star
]


@pytest.mark.parametrize(("plan", "code", "leads"), LEAD_PARTNERS)
def test_lead_partner(seeded, plan, code, leads):
    found = [cp.partner for cp in commitment(plan, code).commitment_partners.filter(is_lead=True)]

    assert len(found) == len(leads)
    for name in leads:
        assert any(named(partner, name) for partner in found), name


# plan, indicator, the document's name for a (non-lead) partner signed up
PARTNERS = [
    (LPSA2, "LPSA2 8", "Arson Task Force"),  # 000 l.22
    (LPSA2, "LPSA2 9", "Cultural Strategy Partnership"),  # 000 l.23
    (PSA, "PSA N26", "Road Safety Partnership"),  # 001 l.30
    (PSA, "PSA N9", "Quality Bus Partnerships"),  # 001 l.38
    (LAA, "NI 112", "NHS Leicester City"),  # 004 l.536
    (LAA, "LAA L1", "Registered Social Landlords"),  # 004 l.925
]


@pytest.mark.parametrize(("plan", "code", "name"), PARTNERS)
def test_partner_signed_up(seeded, plan, code, name):
    signed_up = commitment(plan, code).commitment_partners.filter(is_lead=False)

    assert any(named(cp.partner, name) for cp in signed_up)


# indicator, the targets it links with: "(Links with L3 & L5)"
PSA_LINKS = [
    ("PSA N6", {"L3", "L5"}),  # 001 l.13
    ("PSA L3", {"N6"}),  # 001 l.14
    ("PSA L2", {"N14"}),  # 001 l.17
    ("PSA N13", {"L5", "N26"}),  # 001 l.23
    ("PSA L5", {"N6", "N13"}),  # 001 l.27
    ("PSA N26", {"N13"}),  # 001 l.30
]


@pytest.mark.parametrize(("code", "links"), PSA_LINKS)
def test_psa_target_links(seeded, code, links):
    linked = commitment(PSA, code).linked_commitments.all()

    assert {c.reference for c in linked} == links


# LPSA2 priority, the Corporate Plan priorities it serves (column "CP Priority")
LPSA2_SERVES = [
    ("2", {"A", "D"}),  # 000 l.9
    ("5", {"A", "B"}),  # 000 l.15
    ("11", {"H"}),  # 000 l.26
]


@pytest.mark.parametrize(("code", "letters"), LPSA2_SERVES)
def test_lpsa2_priority_serves_corporate_plan_priorities(seeded, code, letters):
    theme = Theme.objects.get(plan__slug=LPSA2, code=code)

    assert {t.code for t in theme.serves_themes.all()} == letters


# LPSA2 priority, the Corporate Plan outcomes it serves (column "CP Outcome(s)")
LPSA2_SERVES_OUTCOMES = [
    ("1", {1, 3, 6, 7, 8, 9}),  # 000 l.8
    ("2", {1, 2, 3, 5, 6, 7, 8, 9, 24}),  # 000 l.9
    ("3", {1, 2, 3, 4, 5, 6, 7, 8, 9, 23, 46}),  # 000 l.10
]


@pytest.mark.parametrize(("code", "outcomes"), LPSA2_SERVES_OUTCOMES)
def test_lpsa2_priority_serves_corporate_plan_outcomes(seeded, code, outcomes):
    theme = Theme.objects.get(plan__slug=LPSA2, code=code)

    served = theme.serves_outcomes.all()
    assert {o.plan.slug for o in served} == {"corporate-plan"}
    assert {int(o.code) for o in served} == outcomes


def test_a_target_still_to_be_developed_is_a_placeholder(seeded):
    # 000 l.18 "b) (target around improved intermediate care to be developed)"
    assert commitment(LPSA2, "LPSA2 6b").is_placeholder


# the start of an activity's title, its "by when" as written, the due date read from it
ACTIVITY_DUE = [
    ("Develop the city's brand identity", "April 2013", date(2013, 4, 30)),  # 003 l.218
    ("promotion of the city's festivals", "August 2013", date(2013, 8, 31)),  # 003 l.218
    ("Negotiate a City Deal bid", "January 2014", date(2014, 1, 31)),  # 003 l.217
    ("Modernising street lighting", "September 2015", date(2015, 9, 30)),  # 003 l.264
    ("Think Family programme", "2013/14 – 2014/15", date(2015, 3, 31)),  # 003 l.460
    ("Implement the district energy scheme", "2015", date(2015, 12, 31)),  # 003 l.317
    ("Introduce a garden waste collection", "May 2013", date(2013, 5, 31)),  # 003 l.601
    ("Provide a new state-of-the-art household", "May 2014", date(2014, 5, 31)),  # 003 l.601
    ("Support the Boundary Commission review", "April 2014", date(2014, 4, 30)),  # 003 l.653
    ("Schools Partnership programme", "Throughout 2013/14", date(2014, 3, 31)),  # 003 l.546
]


@pytest.mark.parametrize(("title_start", "by_when", "due_on"), ACTIVITY_DUE)
def test_activity_due_date(seeded, title_start, by_when, due_on):
    found = activity(title_start)

    assert (found.by_when_text, found.due_on) == (by_when, due_on)


def test_an_ongoing_activity_has_no_due_date(seeded):
    found = activity("Enforcement of more bus lanes")  # 003 l.265 "Ongoing"

    assert (found.is_ongoing, found.due_on) == (True, None)


def test_a_by_when_that_cannot_be_read_is_kept_as_written(seeded):
    found = activity("Producing a new Local Plan for Leicester")  # 003 l.217 "Draft in 2013"

    assert (found.by_when_text, found.due_on, found.needs_review) == ("Draft in 2013", None, True)


def test_the_mayoral_team(seeded):
    # 003 l.58-88: the city mayor, his deputy and six assistant city mayors
    team = {
        "Peter Soulsby", "Rory Palmer", "Vi Dempster", "Andy Connelly",
        "Rita Patel", "Sarah Russell", "Piara Singh Clair", "Manjula Sood",
    }  # fmt: skip
    palmer = Person.objects.get(name="Rory Palmer")  # 003 l.62-64

    assert set(Person.objects.values_list("name", flat=True)) >= team
    assert palmer.role == "Deputy city mayor"
    assert [p.title for p in palmer.portfolios.all()] == ["health and wellbeing and climate change"]
    assert Person.objects.filter(role="Assistant city mayor").count() == 6


# issue 7: shapes of "by when" the period parser alone does not read (003's activity tables)
D = date
ACTIVITY_WINDOW = [
    # title start, by when, starts_on, due_on, open-ended
    ("Launch new Leicester Business Investment", "From April 2013", D(2013, 4, 1), None, True),
    ("Targeted learning support for residents", "Starts September 2013", D(2013, 9, 1), None, True),
    ("New planning policies to manage parking", "End of 2013", None, D(2013, 12, 31), False),
    ("development of a Richard III visitor", "Spring 2014", D(2014, 3, 1), D(2014, 5, 31), False),
    ("Launch Leicester to Work programme", "Ongoing to 2015", None, D(2015, 12, 31), False),
    ("Provide quality rented homes", "All ongoing", None, None, True),
]


@pytest.mark.parametrize(("title_start", "by_when", "starts_on", "due_on", "open"), ACTIVITY_WINDOW)
def test_activity_window(seeded, title_start, by_when, starts_on, due_on, open):
    found = activity(title_start)

    assert (found.by_when_text, found.starts_on, found.due_on) == (by_when, starts_on, due_on)
    assert (found.is_ongoing, found.needs_review) == (open, False)


def test_activity_by_when_counts(seeded):
    # docs/seed-notes/delivery-plan-2013-14.md, "Activities"
    found = Activity.objects.filter(theme__plan__slug=DP)
    kept = found.filter(needs_review=True).order_by("by_when_text")

    assert found.count() == 218
    assert found.filter(due_on__isnull=False).count() == 105
    assert found.filter(is_ongoing=True).count() == 103
    assert list(kept.values_list("by_when_text", flat=True)) == [
        "Annual",
        "Autumn 2013, then bi-annual updates",
        "Draft in 2013",
    ]
    assert found.filter(by_when_text="").count() == 7
