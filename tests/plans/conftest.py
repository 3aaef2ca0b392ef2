from dataclasses import dataclass
from datetime import date

import pytest

from partners.models import Partner, Person, Portfolio
from plans.assessment import THEMES
from plans.models import Activity, Assessment, AssessmentTheme, PlanKind, ScaleLevel, ThemeKind
from tests.factories import (
    CommitmentFactory,
    IndicatorFactory,
    PlanFactory,
    ThemeFactory,
    period,
)

# The scoring scale as the Cabinet report of November 2007 words it (seed 002, paragraph 2.2).
SCALE = [
    (1, "Inadequate performance", "Below minimum requirements"),
    (2, "Adequate performance", "At only minimum requirements"),
    (3, "Performing well", "Consistently above minimum requirements"),
    (4, "Performing strongly", "Well above minimum requirements"),
]


@pytest.fixture
def scale(db):
    return [
        ScaleLevel.objects.create(score=score, judgement=judgement, description=description)
        for score, judgement, description in SCALE
    ]


@pytest.fixture
def cpa_plan(db):
    """A CPA corporate assessment plan with the five themes, codes 1 to 5."""
    plan = PlanFactory(kind=PlanKind.CPA_ASSESSMENT, slug="cpa", name="CPA corporate assessment")
    for order, title in enumerate(THEMES, start=1):
        ThemeFactory(plan=plan, code=str(order), title=title, order=order, kind=ThemeKind.THEME)
    return plan


@pytest.fixture
def assess(cpa_plan):
    """Record an assessment of the CPA plan with a score for each of its first themes."""

    def assess(scores, *, title="Self assessment", year=2007, plan=cpa_plan, **theme_fields):
        assessment = Assessment.objects.create(plan=plan, title=title, year=year)
        for theme, score in zip(plan.themes.order_by("order"), scores, strict=False):
            AssessmentTheme.objects.create(
                assessment=assessment, theme=theme, score=score, **theme_fields
            )
        return assessment

    return assess


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


@pytest.fixture
def delivery(cast):
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
