"""The dashboards read only the periods they show (``load(..., periods=...)``) and find the
periods with data in the database (``plan_periods``); both must give exactly what loading
everything gives, or a page would show another status than the full history implies."""

from datetime import date

import pytest

from targets import dashboard, periods
from targets.models import Commitment
from targets.synthetic import synthetic_data_generate
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

TODAY = date(2011, 6, 1)


@pytest.fixture
def commitments():
    # Every shape of target, quarterly values, breakdowns, withdrawals, shared indicators.
    synthetic_data_generate(plans=3, indicators=42, years=3, end_year=2010, today=TODAY)
    # A plan without values or targets still gets a period (its fallback).
    PlanFactory(name="Synthetic empty plan", is_synthetic=True)
    return Commitment.objects.all()


def judged(rows) -> list[tuple]:
    return sorted(
        (
            row.commitment.pk,
            row.period.label,
            row.status,
            row.direction,
            tuple(
                (
                    part.breakdown.pk if part.breakdown else None,
                    part.target.pk if part.target else None,
                    part.baseline.pk if part.baseline else None,
                    part.actual.pk if part.actual else None,
                    part.previous.pk if part.previous else None,
                    part.status,
                    part.direction,
                )
                for part in row.parts
            ),
        )
        for row in rows
    )


def every_reporting_period() -> list[periods.ParsedPeriod]:
    years = [periods.financial_year(year) for year in range(2006, 2013)]
    return years + [quarter for year in years for quarter in periods.quarters_of(year)]


def test_judging_a_period_from_its_window_equals_judging_it_from_everything(commitments):
    everything = dashboard.load(commitments)

    for period in every_reporting_period():
        window = dashboard.load(commitments, periods=[period])
        assert judged(window.assess(period, today=TODAY)) == judged(
            everything.assess(period, today=TODAY)
        ), period.label


def test_a_window_of_each_plans_own_period_equals_everything(commitments):
    found = dashboard.plan_periods(commitments)

    def period_of(plan):
        return found.default_for(plan, today=TODAY) or dashboard.fallback_period(plan)

    window = dashboard.load(commitments, periods=period_of)
    everything = dashboard.load(commitments)

    assert judged(window.assess(period_of, today=TODAY)) == judged(
        everything.assess(period_of, today=TODAY)
    )


def test_a_window_reads_fewer_values(commitments):
    period = periods.quarter(2010, 2)
    window = dashboard.load(commitments, periods=[period])
    everything = dashboard.load(commitments)

    def count(loaded):
        return sum(len(values) for values in loaded.actuals.values())

    # This quarter and the same one a year earlier, of the eleven with values (the twelfth,
    # 2010/11 Q4, is due on TODAY and left open).
    assert count(window) * 11 == count(everything) * 2


def test_periods_with_data_from_the_database_equal_those_of_a_full_load(commitments):
    from_database = dashboard.plan_periods(commitments)
    from_loaded = dashboard.load(commitments).plan_periods()

    def labels(found):
        return {
            source: {plan: sorted(p.label for p in items) for plan, items in by_plan.items()}
            for source, by_plan in (
                ("data", found.with_data),
                ("targets", found.with_targets),
            )
        }

    assert labels(from_database) == labels(from_loaded)
    assert from_database.with_data  # not trivially equal
