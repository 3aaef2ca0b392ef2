"""Reads across plans and targets that several pages share."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

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
    # The assessment's year, where the share is as at that year; and whether the indicators are
    # those with actuals in that year (the plan commits to none) rather than the plan's own.
    year: int | None = None
    by_actuals_in_year: bool = False

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


def share_improving(plan, *, year: int | None = None) -> ShareImproving:
    """The share of the plan's performance indicators improving, computed from actuals.

    For each indicator the plan commits to (those with no polarity are context, not
    performance, and are left out), its latest approved actual for the whole (no breakdown) is
    compared with the approved actual for the same period a year earlier, by the indicator's
    polarity (``targets.status.direction``). A within-a-range indicator is judged by the distance
    to the plan's target range for the later period. An indicator with no actual, or none a
    year earlier, counts as not compared. A fixed number of queries, however many indicators.

    With ``year`` (a CPA assessment's year) the share is as at that year: only actuals for
    periods ending by its 31 December count. A CPA plan judges the council's performance as a
    whole rather than committing to indicators of its own; when the plan commits to none, the
    indicators are those with an approved actual for a period ending in that year.
    """
    in_time = Actual.objects.approved().filter(breakdown__isnull=True, value__isnull=False)
    performance = Indicator.objects.exclude(polarity=Polarity.NONE).order_by("code")
    if year is None:
        indicators = list(performance.for_plan(plan))
    else:
        in_time = in_time.filter(period__ends_on__lte=date(year, 12, 31))
        # One query for both: the plan's own indicators, and those with actuals in the year.
        in_year = in_time.filter(indicator=OuterRef("pk"), period__ends_on__gte=date(year, 1, 1))
        own = Commitment.objects.filter(plan=plan, indicator=OuterRef("pk"))
        found = list(
            performance.annotate(is_own=Exists(own), in_year=Exists(in_year)).filter(
                Q(is_own=True) | Q(in_year=True)
            )
        )
        indicators = [i for i in found if i.is_own] or found
    by_actuals_in_year = year is not None and bool(indicators) and not indicators[0].is_own
    actuals: dict[int, dict[str, Actual]] = {}
    for actual in in_time.filter(indicator__in=indicators).select_related("period"):
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
    return ShareImproving(travels, year=year, by_actuals_in_year=by_actuals_in_year)


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
