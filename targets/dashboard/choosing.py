"""Which period a dashboard shows, and which period of its own each indicator is judged on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.utils import timezone

from targets import periods, reporting
from targets.models import Period
from targets.periods import ParsedPeriod, PeriodKind, UnreadablePeriod

REPORTING_KINDS = (PeriodKind.FINANCIAL_YEAR, PeriodKind.QUARTER)


def parsed(period: Period) -> ParsedPeriod:
    """A stored period as the pure rules take it."""
    return ParsedPeriod(
        PeriodKind(period.kind),
        period.label,
        period.starts_on,
        period.ends_on,
        period.year,
        period.quarter,
        period.qualifier,
    )


def reporting_period(label: str) -> ParsedPeriod:
    """The financial year or quarter a label names; UnreadablePeriod for anything else."""
    period = periods.parse_period(label)
    if period.kind not in REPORTING_KINDS:
        raise UnreadablePeriod(
            f"“{label}” is a {period.kind.replace('_', ' ')}: choose a financial year or a quarter."
        )
    return period


# Pure, and asked the same few questions for every commitment of a dashboard (thousands).
@lru_cache(maxsize=4096)
def own_period(frequency: str, chosen: ParsedPeriod) -> ParsedPeriod:
    """The period of an indicator's frequency that ``chosen`` covers most of (the share of the
    period's days that fall in the chosen one); the latest on a tie.

    2008/09 is 2008/09 Q4 for a quarterly indicator (all four quarters are covered, Q4 is the
    latest), the 2008/09 school year (September to August: seven months of it fall in 2008/09)
    for a school-year one, 2008 for a calendar-year one; 2008/09 Q2 is 2008/09 for an annual
    indicator.
    """
    best, best_share = None, -1.0
    candidate = reporting._containing(frequency, chosen.end)
    while candidate.end >= chosen.start:
        days = (min(candidate.end, chosen.end) - max(candidate.start, chosen.start)).days + 1
        share = days / ((candidate.end - candidate.start).days + 1)
        if share > best_share:
            best, best_share = candidate, share
        candidate = reporting._containing(frequency, candidate.start - timedelta(days=1))
    return best


def reporting_period_of(period: ParsedPeriod) -> ParsedPeriod | None:
    """The financial year or quarter that shows a period's data: a quarter is itself, anything
    else the financial year it overlaps most. None for a period without dates."""
    if period.start is None or period.end is None:
        return None
    if period.kind == PeriodKind.QUARTER:
        return periods.quarter(period.year, period.quarter)
    return own_period("annual", period)


def requested_period(params: Mapping[str, str]) -> tuple[ParsedPeriod | None, str]:
    """The period a page was asked for (``?period=2008/09 Q2``), or None and why not."""
    label = (params.get("period") or "").strip()
    if not label:
        return None, ""
    try:
        return reporting_period(label), ""
    except UnreadablePeriod as error:
        return None, f"{error} Showing the latest period with data instead."


@dataclass(frozen=True)
class PeriodChoices:
    """The financial years (newest first) a reader can pick, each with its quarters."""

    selected: ParsedPeriod
    years: list[ParsedPeriod]

    def groups(self) -> list[tuple[ParsedPeriod, list[ParsedPeriod]]]:
        return [(year, periods.quarters_of(year)) for year in self.years]


def last_quarter_of(period: ParsedPeriod) -> ParsedPeriod:
    """A quarterly report's default: the period itself if a quarter, else its last quarter."""
    if period.kind == PeriodKind.QUARTER:
        return period
    return periods.quarters_of(period)[-1]


def period_choices(selected: ParsedPeriod, seen: Iterable[ParsedPeriod]) -> PeriodChoices:
    years = {selected.year} | {
        found.year for period in seen if (found := reporting_period_of(period)) is not None
    }
    return PeriodChoices(
        selected, [periods.financial_year(year) for year in sorted(years, reverse=True)]
    )


@dataclass
class PlanPeriods:
    """For each plan, the periods with values readers can see and the periods with targets."""

    with_data: dict[int, list[ParsedPeriod]] = field(default_factory=dict)
    with_targets: dict[int, list[ParsedPeriod]] = field(default_factory=dict)

    def default_for(self, plan, *, today: date | None = None) -> ParsedPeriod | None:
        """The period a plan's dashboard opens on: its latest period with data while the plan
        was in force; else the year in progress (or the plan's last year, once it has ended);
        for a plan without dates, its latest target's year. None when nothing is dated."""
        data = [p for p in self.with_data.get(plan.pk, []) if _plan_in_force(plan, p)]
        if data:
            return reporting_period_of(_latest(data))
        if plan.starts_on or plan.ends_on:
            return fallback_period(plan, today=today)
        targets = self.with_targets.get(plan.pk, [])
        return reporting_period_of(_latest(targets)) if targets else None

    def seen(self, plan_ids: Iterable[int]) -> list[ParsedPeriod]:
        ids = list(plan_ids)
        return [
            p
            for source in (self.with_data, self.with_targets)
            for plan_id in ids
            for p in source.get(plan_id, [])
        ]


def _latest(found: Iterable[ParsedPeriod]) -> ParsedPeriod:
    """The period that ends last; of those ending together, the longest (the year, not Q4)."""
    return max(found, key=lambda p: (p.end, -p.start.toordinal()))


def _plan_in_force(plan, period: ParsedPeriod) -> bool:
    return (plan.starts_on is None or plan.starts_on <= period.end) and (
        plan.ends_on is None or plan.ends_on >= period.start
    )


def fallback_period(plan=None, *, today: date | None = None) -> ParsedPeriod:
    """Where there is no data yet: the financial year in progress, or the plan's last year."""
    day = today or timezone.localdate()
    if plan is not None and plan.ends_on and plan.ends_on < day:
        day = plan.ends_on
    if plan is not None and plan.starts_on and plan.starts_on > day:
        day = plan.starts_on
    return own_period("annual", ParsedPeriod(PeriodKind.SPAN, "", day, day, None, None))
