import pytest

from plans.assessment import THEMES
from plans.models import Assessment, AssessmentTheme, PlanKind, ScaleLevel, ThemeKind
from tests.factories import (
    PlanFactory,
    ThemeFactory,
)
from tests.scenarios import delivery_plan

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


@pytest.fixture
def delivery(cast):
    return delivery_plan(cast)
