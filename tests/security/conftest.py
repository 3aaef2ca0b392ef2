from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from partners.models import Person
from plans import progress
from plans.models import (
    Activity,
    Assessment,
    AssessmentTheme,
    Outcome,
    ProgressStatus,
    ScaleLevel,
    Strategy,
)
from targets import reporting
from targets.models import Baseline, Breakdown
from tests.conftest import VALUE, Cast
from tests.factories import period


@dataclass
class World(Cast):
    """The cast of the reporting cycle, plus one row of everything a URL can point at."""

    plan: object = None
    theme: object = None
    partner: object = None
    submitted: object = None  # a value the owner entered and submitted for sign-off
    activity: object = None
    person: object = None
    activity_update: object = None  # progress on `activity` the owner submitted for sign-off
    indicator_type: object = None  # the indicator's ContentType, for the admin's view-on-site


@pytest.fixture
def world(cast):
    commitment = cast.commitment
    plan, theme = commitment.plan, commitment.theme
    partner = commitment.commitment_partners.get().partner
    [submitted] = reporting.save_values(
        cast.owner,
        cast.indicator,
        cast.quarter,
        [reporting.Entry(None, VALUE)],
        commentary="On track",
        data_source="Survey",
        submit=True,
    )
    baseline = Baseline(commitment=commitment, period=period("2007/08"))
    baseline.set_text("45%")
    baseline.save()
    Breakdown.objects.create(dimension="age", name="Under 18")
    strategy = Strategy.objects.create(name="Housing strategy")
    activity = Activity.objects.create(
        theme=theme, title="Open the new library", lead_partner=partner
    )
    activity.strategies.add(strategy)
    quarter = progress.update_periods(activity, timezone.localdate())[0]
    activity_update = progress.activity_update_save(
        user=cast.owner,
        activity=activity,
        period=progress.period_for(quarter.label),
        status=ProgressStatus.ON_TRACK,
        commentary="Builders on site",
        submit=True,
    )
    Outcome.objects.create(plan=plan, theme=theme, code="O1", title="Fewer empty homes")
    level = ScaleLevel.objects.first() or ScaleLevel.objects.create(
        score=3, judgement="Performing well"
    )
    assessment = Assessment.objects.create(plan=plan, title="Self assessment", year=2007)
    AssessmentTheme.objects.create(assessment=assessment, theme=theme, score=level.score)
    person = Person.objects.create(name="A. Councillor", role="Portfolio holder", partner=partner)
    theme.portfolio_holder = person
    theme.save()
    # The admin lists sign-in attempts too (django-axes).
    attempt = {"username": "owner", "ip_address": "192.0.2.1", "user_agent": "test"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1, get_data="", post_data="")
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    fields = {name: getattr(cast, name) for name in Cast.__dataclass_fields__}
    return World(
        **fields,
        plan=plan,
        theme=theme,
        partner=partner,
        submitted=submitted,
        activity=activity,
        person=person,
        activity_update=activity_update,
        indicator_type=ContentType.objects.get_for_model(cast.indicator),
    )
