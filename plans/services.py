"""Reads across plans and targets that several pages share."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from targets import status
from targets.models import Actual, Commitment, Indicator, Polarity


@dataclass(frozen=True)
class IndicatorTravel:
    """One indicator's latest approved value against the same period a year earlier."""

    indicator: Indicator
    current: Actual | None
    previous: Actual | None
    direction: status.Direction | None


@dataclass(frozen=True)
class ShareImproving:
    """How many of a plan's performance indicators are improving: the CPA's achievement
    measure, "% of performance indicators improving"."""

    travels: list[IndicatorTravel] = field(default_factory=list)

    def _count(self, direction) -> int:
        return sum(travel.direction == direction for travel in self.travels)

    @property
    def indicators(self) -> int:
        return len(self.travels)

    @property
    def improving(self) -> int:
        return self._count(status.Direction.IMPROVING)

    @property
    def no_change(self) -> int:
        return self._count(status.Direction.NO_CHANGE)

    @property
    def worsening(self) -> int:
        return self._count(status.Direction.WORSENING)

    @property
    def compared(self) -> int:
        return sum(travel.direction is not None for travel in self.travels)

    @property
    def not_compared(self) -> int:
        return self.indicators - self.compared

    @property
    def percent(self) -> Decimal | None:
        """Improving as a % of the indicators that could be compared; None if none could."""
        if not self.compared:
            return None
        return Decimal(100) * self.improving / self.compared


def share_improving(plan) -> ShareImproving:
    """The share of the plan's performance indicators improving, computed from actuals.

    For each indicator the plan commits to (those with no polarity are context, not
    performance, and are left out), its latest approved actual for the whole (no breakdown) is
    compared with the approved actual for the same period a year earlier, by the indicator's
    polarity (``targets.status.direction``). A within-a-range indicator is judged by the distance
    to the plan's target range for the later period. An indicator with no actual, or none a
    year earlier, counts as not compared. A fixed number of queries, however many indicators.
    """
    indicators = list(
        Indicator.objects.for_plan(plan).exclude(polarity=Polarity.NONE).order_by("code")
    )
    actuals: dict[int, dict[str, Actual]] = {}
    for actual in (
        Actual.objects.approved()
        .filter(indicator__in=indicators, breakdown__isnull=True, value__isnull=False)
        .select_related("period")
    ):
        actuals.setdefault(actual.indicator_id, {})[actual.period.label] = actual
    commitments = {
        commitment.indicator_id: commitment
        for commitment in Commitment.objects.filter(
            plan=plan, indicator__in=[i for i in indicators if i.polarity == Polarity.RANGE]
        ).prefetch_related("targets__period", "baselines")
    }

    travels = []
    for indicator in indicators:
        series = actuals.get(indicator.pk, {})
        if not series:
            travels.append(IndicatorTravel(indicator, None, None, None))
            continue
        current = max(series.values(), key=_latest_first)
        earlier = status.comparable_period(current.period)
        previous = series.get(earlier.label) if earlier else None
        goal = None
        if indicator.polarity == Polarity.RANGE and indicator.pk in commitments:
            goal = _goal_for(commitments[indicator.pk], current.period, indicator)
        found = None
        if previous is not None:
            found = status.direction(current.value, previous.value, indicator.polarity, goal=goal)
        travels.append(IndicatorTravel(indicator, current, previous, found))
    return ShareImproving(travels)


def _latest_first(actual: Actual) -> tuple[date, date]:
    period = actual.period
    return (period.ends_on or period.starts_on or date.min, period.starts_on or date.min)


def _goal_for(commitment, period, indicator) -> status.Goal | None:
    target = next(
        (
            t
            for t in commitment.targets.all()
            if t.period.label == period.label and t.breakdown_id is None
        ),
        None,
    )
    if target is None:
        return None
    baseline = next((b for b in commitment.baselines.all() if b.breakdown_id is None), None)
    return status.goal_of(target, baseline, unit=indicator.unit)
