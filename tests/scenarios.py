"""The seed cases the dashboards are tested with, built through the same services as imports.

``laa()`` is a small Local Area Agreement 2008-11 with the LAA's own awkward targets: NI 39
(lower is better, targets that limit a rise), NI 65 (within a range), NI 120 (a target per sex),
NI 59 (higher is better), NI 54 (a placeholder) and NI 154 (quarterly, cumulative).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from partners.models import Partner, Person, Portfolio
from plans.models import Activity, PlanKind, ThemeKind
from targets.models import (
    Actual,
    ActualSource,
    ActualState,
    Breakdown,
    Frequency,
    Polarity,
    QuarterlyValues,
    Unit,
)
from targets.services import baseline_record, target_record
from tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    IndicatorFactory,
    PartnerFactory,
    PlanFactory,
    ThemeFactory,
    period,
)

# Every period of the scenario's plan is long past its entry deadline on this day.
TODAY = date(2011, 6, 30)


def actual(indicator, label, value, *, breakdown=None, state=ActualState.APPROVED, commentary=""):
    return Actual.objects.create(
        indicator=indicator,
        period=period(label),
        breakdown=breakdown,
        value=None if value is None else Decimal(str(value)),
        state=state,
        source=ActualSource.FORM,
        commentary=commentary,
    )


@dataclass
class Laa:
    plan: object
    children: object  # theme "Investing in our children"
    health: object  # theme "Improving Wellbeing and Health"
    council: object
    police: object
    ni39: object
    ni65: object
    ni120: object
    ni59: object
    ni54: object
    ni154: object
    male: object
    female: object

    def commitment(self, indicator):
        return indicator.commitments.get(plan=self.plan)


def commit(theme, indicator, targets, *, lead, partners=(), baseline=None, baseline_period=""):
    commitment = CommitmentFactory(theme=theme, plan=theme.plan, indicator=indicator)
    CommitmentPartnerFactory(commitment=commitment, partner=lead, is_lead=True)
    for partner in partners:
        CommitmentPartnerFactory(commitment=commitment, partner=partner, is_lead=False)
    if baseline is not None:
        baseline_record(commitment=commitment, text=baseline, period_text=baseline_period)
    for label, text in targets.items():
        target_record(commitment=commitment, period=period(label), text=text)
    return commitment


def laa(**plan) -> Laa:
    plan = PlanFactory(
        name="Local Area Agreement 2008-11",
        slug="laa-2008-11",
        years_text="2008-11",
        starts_on=date(2008, 4, 1),
        ends_on=date(2011, 3, 31),
        **plan,
    )
    children = ThemeFactory(plan=plan, title="Investing in our children", order=1)
    health = ThemeFactory(plan=plan, title="Improving Wellbeing and Health", order=2)
    council = PartnerFactory(name="Leicester City Council")
    police = PartnerFactory(name="Leicestershire Constabulary")
    male, _ = Breakdown.objects.get_or_create(dimension="sex", name="Male", aliases="M")
    female, _ = Breakdown.objects.get_or_create(dimension="sex", name="Female", aliases="F")

    ni39 = IndicatorFactory(
        code="NI 39",
        title="Alcohol-harm related hospital admission rates",
        polarity=Polarity.LOWER,
    )
    commit(
        health,
        ni39,
        {"2008/09": "2776*", "2009/10": "2970*", "2010/11": "3118*"},
        lead=council,
        partners=[police],
        baseline="2233",
        baseline_period="2006-07",
    )
    ni65 = IndicatorFactory(
        code="NI 65",
        title="Children becoming the subject of a Child Protection Plan again",
        unit=Unit.PERCENT,
        polarity=Polarity.RANGE,
    )
    optimum = "Between 10% and 15%* (optimum range)"
    commit(
        children,
        ni65,
        {"2008/09": "11%*", "2009/10": optimum, "2010/11": optimum},
        lead=council,
        baseline="15.8%",
        baseline_period="2007/8",
    )
    ni120 = IndicatorFactory(
        code="NI 120", title="All-age all cause mortality rate", polarity=Polarity.LOWER
    )
    ni120.breakdowns.add(male, female)
    commit(health, ni120, {"2008/09": "M:801* F:552*"}, lead=council)
    ni59 = IndicatorFactory(
        code="NI 59",
        title="Initial assessments for children's social care",
        unit=Unit.PERCENT,
        polarity=Polarity.HIGHER,
    )
    commit(
        children,
        ni59,
        {"2008/09": "63%*", "2009/10": "70%*", "2010/11": "77.5%*"},
        lead=council,
        baseline="62%",
        baseline_period="2007/8",
    )
    ni54 = IndicatorFactory(code="NI 54", title="Services for disabled children")
    commit(
        children,
        ni54,
        {"2008/09": "N/A (Placeholder)", "2009/10": "+3 % points from baseline*"},
        lead=council,
        baseline="Available May 2009 at the earliest",
    )
    ni154 = IndicatorFactory(
        code="NI 154",
        title="Net additional homes provided",
        frequency=Frequency.QUARTERLY,
        quarterly_values=QuarterlyValues.CUMULATIVE,
    )
    commit(health, ni154, {"2008/09": "940*"}, lead=police)
    return Laa(
        plan, children, health, council, police, ni39, ni65, ni120, ni59, ni54, ni154, male, female
    )


def laa_with_values() -> Laa:
    """The scenario with 2008/09 values (and 2007/08 ones to compare with):

    NI 39 2800 against 2776: amber (24 over, within 5% = 138.8), improving on 2900;
    NI 65 12% against the single figure 11%: red (1 over, beyond 0.55), improving on 15.8%;
    NI 120 male 790 green, female 560 amber (8 over 552, within 27.6): amber;
    NI 59 only a draft, which readers do not see: overdue; NI 54 a placeholder: no target;
    NI 154 2008/09 Q4, year to date, 900 against 940: amber (within 47).
    """
    scenario = laa()
    actual(scenario.ni39, "2007/08", 2900)
    actual(
        scenario.ni39,
        "2008/09",
        2800,
        commentary="Winter pressures; the alcohol liaison nurse service starts in April.",
    )
    actual(scenario.ni65, "2007/08", "15.8")
    actual(scenario.ni65, "2008/09", 12, commentary="Back inside the optimum range.")
    actual(scenario.ni120, "2008/09", 790, breakdown=scenario.male)
    actual(scenario.ni120, "2008/09", 560, breakdown=scenario.female)
    actual(scenario.ni154, "2008/09 Q4", 900)
    actual(scenario.ni59, "2008/09", 99, state=ActualState.DRAFT)
    return scenario


@dataclass
class Delivery:
    """A delivery plan led by the cast's council, one theme held by a portfolio holder, an
    objective under it, and three activities: one due in June 2013, one due next March, and
    one ongoing; one measure on the theme."""

    plan: object
    theme: object
    objective: object
    holder: object
    june: object  # "June 2013": late once June 2013 is over, unless complete
    later: object  # March next year
    ongoing: object
    quarter: object  # 2013/14 Q1, a quarter of the plan
    cast: object


def delivery_plan(cast) -> Delivery:
    """The Delivery scenario, for the ``cast`` of tests/conftest.py."""
    council = Partner.objects.get(name="Testshire Council")
    plan = PlanFactory(
        kind=PlanKind.DELIVERY_PLAN,
        slug="delivery",
        name="Mayor's Delivery Plan",
        years_text="2013-14",
        starts_on=date(2013, 4, 1),
        ends_on=date(2014, 3, 31),
        lead_partner=council,
    )
    holder = Person.objects.create(name="Vi Dempster", role="Assistant city mayor")
    Portfolio.objects.create(holder=holder, title="children, young people and schools")
    theme = ThemeFactory(
        plan=plan, title="Our children and young people", kind=ThemeKind.THEME, order=1,
        portfolio_holder=holder,
    )  # fmt: skip
    objective = ThemeFactory(
        plan=plan, parent=theme, title="Improve outcomes", kind=ThemeKind.GROUP, order=2
    )
    made = []
    for order, (title, by_when) in enumerate(
        [
            ("Open two new children's centres", "June 2013"),
            # Due after today whenever the tests run, so never late by date.
            ("Deliver the Think Family programme", f"March {date.today().year + 1}"),
            ("Support young carers", "Ongoing"),
        ],
        start=1,
    ):
        activity = Activity(theme=objective, title=title, lead_partner=council, order=order)
        activity.set_by_when(by_when)
        activity.save()
        made.append(activity)
    indicator = IndicatorFactory(code="DP 7.1", title="Children in good schools")
    CommitmentFactory(plan=plan, theme=theme, indicator=indicator)
    return Delivery(plan, theme, objective, holder, *made, period("2013/14 Q1"), cast)
