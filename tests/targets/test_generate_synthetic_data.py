"""manage.py generate_synthetic_data: a labelled synthetic data set that never mixes silently
with real data."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from partners.models import Partner
from plans.models import Plan, Theme
from targets import dashboard, synthetic
from targets.models import (
    Actual,
    ActualState,
    Baseline,
    Commitment,
    CommitmentStatus,
    Indicator,
    Target,
)
from targets.target_text import Shape
from tests.factories import IndicatorFactory, PlanFactory

pytestmark = pytest.mark.django_db

SMALL = ["--plans", "3", "--indicators", "28", "--years", "3", "--end-year", "2010"]


def generate(*extra):
    call_command("generate_synthetic_data", *SMALL, *extra, stdout=_Quiet())


class _Quiet:
    def write(self, text):
        pass

    def flush(self):
        pass


def snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Plan, Theme, Partner, Indicator, Commitment, Target, Baseline, Actual)
    }


def test_makes_the_counts_asked_for():
    generate()

    assert Plan.objects.count() == 3
    assert Theme.objects.count() == 3 * synthetic.THEMES_PER_PLAN
    assert Indicator.objects.count() == 28
    # Every tenth indicator is in a second plan: 28 indicators, 2 of them twice.
    assert Commitment.objects.count() == 30
    # Quarterly values for 3 years (all ended by now); the 2 split indicators have two groups.
    assert Actual.objects.count() == (28 + 2) * 12
    assert Actual.objects.exclude(state=ActualState.APPROVED).count() == 0


def test_every_object_says_it_is_synthetic():
    generate()

    assert not Plan.objects.filter(is_synthetic=False).exists()
    assert not Partner.objects.filter(is_synthetic=False).exists()
    assert not Indicator.objects.filter(is_synthetic=False).exists()
    assert not Actual.objects.filter(is_synthetic=False).exists()
    assert all(p.name.startswith("Synthetic plan ") for p in Plan.objects.all())
    assert all("not a real place" in p.area for p in Plan.objects.all())
    assert all(t.title.startswith("Synthetic theme ") for t in Theme.objects.all())
    assert all(p.name.startswith("Synthetic partner ") for p in Partner.objects.all())
    assert all(i.title.startswith("Synthetic indicator SYN-") for i in Indicator.objects.all())
    usernames = get_user_model().objects.values_list("username", flat=True)
    assert usernames
    assert all(name.startswith("synthetic-") for name in usernames)


def test_targets_come_in_every_shape():
    generate()

    shapes = set(Target.objects.values_list("shape", flat=True))
    expected = {
        Shape.VALUE,
        Shape.RANGE,
        Shape.CHANGE,
        Shape.COHORT,
        Shape.LEVEL,
        Shape.MONEY,
        Shape.MILESTONE,
        Shape.GROWTH,
        Shape.NO_TARGET,
        Shape.WITHDRAWN,
    }
    assert expected <= shapes
    assert not Target.objects.filter(needs_review=True).exists()
    assert Target.objects.filter(breakdown__name="Male").exists()
    assert Indicator.objects.filter(parent__isnull=False).exists()
    assert CommitmentStatus.objects.exists()


def test_the_dashboards_judge_the_data_with_mixed_statuses():
    generate()

    rows = dashboard.assess(Commitment.objects.all(), dashboard.reporting_period("2010/11 Q4"))

    statuses = {row.status for row in rows}
    assert len(statuses) >= 4, statuses


def test_the_same_seed_gives_the_same_data_and_a_rerun_replaces_it():
    generate("--seed", "7")
    first = list(
        Actual.objects.order_by("indicator__code", "period__starts_on", "breakdown").values_list(
            "indicator__code", "period__label", "value"
        )
    )
    counts = snapshot()

    generate("--seed", "7")

    again = list(
        Actual.objects.order_by("indicator__code", "period__starts_on", "breakdown").values_list(
            "indicator__code", "period__label", "value"
        )
    )
    assert again == first
    assert snapshot() == counts


def test_another_seed_gives_other_values():
    generate("--seed", "1")
    first = sorted(Actual.objects.values_list("value", flat=True))

    generate("--seed", "2")

    assert sorted(Actual.objects.values_list("value", flat=True)) != first


def test_refuses_a_database_with_real_data_and_changes_nothing():
    PlanFactory(name="Local Area Agreement")
    IndicatorFactory(code="NI 112")
    before = snapshot()

    with pytest.raises(CommandError, match="not synthetic"):
        generate()

    assert snapshot() == before


def test_force_adds_the_synthetic_set_beside_real_data():
    real_plan = PlanFactory(name="Local Area Agreement")

    generate("--force")

    assert Plan.objects.filter(is_synthetic=True).count() == 3
    assert Plan.objects.filter(pk=real_plan.pk).exists()


def test_clear_deletes_only_synthetic_data():
    real_plan = PlanFactory(name="Local Area Agreement")
    generate("--force")

    call_command("generate_synthetic_data", "--clear", stdout=_Quiet())

    assert list(Plan.objects.all()) == [real_plan]
    assert not Indicator.objects.filter(is_synthetic=True).exists()
    assert not get_user_model().objects.filter(username__startswith="synthetic-").exists()


def test_the_quarter_due_now_is_left_for_officers_to_enter():
    counts = synthetic.synthetic_data_generate(
        plans=1, indicators=2, years=1, end_year=2026, today=date(2026, 11, 23)
    )

    labels = set(Actual.objects.values_list("period__label", flat=True))
    # 2026/27 Q2 (July to September) is due on 23 November 2026; Q1 has been reported.
    assert labels == {"2026/27 Q1"}
    assert counts["actuals"] == 2
