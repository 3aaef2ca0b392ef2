"""Red / amber / green and direction of travel for many commitments at once: the dashboards.

The rules themselves are ``targets.status``; this module finds what they are applied to. For a
chosen reporting period (a financial year or a quarter) each commitment is judged on its
indicator's *own* period: the period of the indicator's frequency that overlaps the chosen one
most (the latest on a tie). A quarterly indicator in 2008/09 is judged on 2008/09 Q4, a school
year indicator on the 2008/09 school year (summer 09), an annual one on 2008/09 itself.

Then for each part judged (the whole, or each breakdown that has a target): the value readers
may see (``visible_states``) for that period, the target that applies (one set for the period
itself, or the year containing it, pro-rated for a cumulative quarter), the commitment's baseline
for relative targets; ``judge`` gives the status and the indicator shows the ``worst`` of its
parts. Direction of travel compares the value with the one for ``comparable_period``.

Everything is loaded in a fixed number of queries and matched in Python, however many
commitments there are (``assess``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from targets import periods, reporting
from targets.models import (
    Actual,
    ActualState,
    Baseline,
    Breakdown,
    Commitment,
    CommitmentPartner,
    CommitmentStatus,
    CommitmentStatusKind,
    Indicator,
    Period,
    Target,
)
from targets.periods import ParsedPeriod, PeriodKind, UnreadablePeriod
from targets.status import (
    Direction,
    Goal,
    Status,
    comparable_period,
    direction,
    goal_of,
    judge,
    worst,
)
from targets.target_text import Shape

# The order statuses are listed in on every page: best first, then what cannot be judged.
STATUS_ORDER = (
    Status.GREEN,
    Status.AMBER,
    Status.RED,
    Status.OVERDUE,
    Status.NO_DATA,
    Status.NO_TARGET,
)
DIRECTION_ORDER = (Direction.IMPROVING, Direction.NO_CHANGE, Direction.WORSENING)
# How bad a direction is, when an indicator shows the worst of its breakdowns.
_DIRECTION_SEVERITY = {Direction.IMPROVING: 0, Direction.NO_CHANGE: 1, Direction.WORSENING: 2}
REPORTING_KINDS = (PeriodKind.FINANCIAL_YEAR, PeriodKind.QUARTER)


def visible_states() -> list[str]:
    """Readers see approved values, and submitted ones (marked) where the council allows it."""
    if settings.SHOW_SUBMITTED_VALUES:
        return [ActualState.APPROVED, ActualState.SUBMITTED]
    return [ActualState.APPROVED]


# --- Periods ---------------------------------------------------------------------------------


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


# --- Judging ---------------------------------------------------------------------------------


@dataclass
class Part:
    """The indicator as a whole, or one breakdown of it, judged for one period."""

    breakdown: Breakdown | None
    target: Target | None
    baseline: Baseline | None
    actual: Actual | None
    previous: Actual | None
    goal: Goal | None
    status: Status
    direction: Direction | None

    @property
    def value(self) -> Decimal | None:
        return self.actual.value if self.actual is not None else None

    @property
    def name(self) -> str:
        return self.breakdown.name if self.breakdown is not None else ""


@dataclass
class CommitmentRow:
    """One commitment, judged for the indicator's own period within the chosen one."""

    commitment: Commitment
    period: ParsedPeriod
    chosen: ParsedPeriod
    status: Status
    direction: Direction | None
    parts: list[Part]
    partners: list[CommitmentPartner]
    standing: CommitmentStatus | None = None  # withdrawn, dropped or suspended

    @property
    def indicator(self):
        return self.commitment.indicator

    @property
    def plan(self):
        return self.commitment.plan

    @property
    def theme(self):
        return self.commitment.theme

    @property
    def lead_partners(self) -> list:
        return [cp.partner for cp in self.partners if cp.is_lead]

    @property
    def signed_up(self) -> list:
        return [cp.partner for cp in self.partners if not cp.is_lead]

    @property
    def is_exception(self) -> bool:
        """What a scrutiny report lists first: off target, overdue, or getting worse."""
        return self.status in (Status.RED, Status.OVERDUE) or self.direction == Direction.WORSENING

    @property
    def commentary(self) -> list[tuple[str, str]]:
        """(breakdown name, text) of each commentary given with the values judged, once."""
        found, seen = [], set()
        for part in self.parts:
            text = part.actual.commentary.strip() if part.actual is not None else ""
            if text and text not in seen:
                seen.add(text)
                found.append((part.name, text))
        return found

    @property
    def baseline_text(self) -> str:
        return _joined(
            (part.name, _with_period(part.baseline)) for part in self.parts if part.baseline
        )

    @property
    def target_text(self) -> str:
        return _joined((part.name, part.target.text) for part in self.parts if part.target)

    @property
    def value_text(self) -> str:
        return _joined(
            (part.name, reporting.shown(part.value)) for part in self.parts if part.actual
        )

    @property
    def previous_text(self) -> str:
        return _joined(
            (part.name, reporting.shown(part.previous.value))
            for part in self.parts
            if part.previous
        )

    @property
    def is_submitted(self) -> bool:
        """A value shown has not been approved yet (only where submitted values are shown)."""
        return any(p.actual and p.actual.state == ActualState.SUBMITTED for p in self.parts)


def _with_period(baseline: Baseline) -> str:
    """A baseline as written with its period as written: "62% (2007/8)"."""
    written = baseline.period_as_written.strip()
    if not written:
        return baseline.text
    if not written.startswith("("):
        written = f"({written})"
    return f"{baseline.text} {written}"


def _joined(items: Iterable[tuple[str, str]]) -> str:
    items = list(items)
    if len(items) == 1:
        return items[0][1]
    return "; ".join(f"{name}: {text}" if name else text for name, text in items)


def _worst_direction(found: Iterable[Direction | None]) -> Direction | None:
    return max(
        (d for d in found if d is not None), key=_DIRECTION_SEVERITY.__getitem__, default=None
    )


def _in_force(changes: list[CommitmentStatus], period: ParsedPeriod) -> CommitmentStatus | None:
    """The latest status change in force on ``period`` (as ``Commitment.status_on``)."""
    found = [
        change
        for change in changes
        if change.from_period is None
        or change.from_period.starts_on is None
        or change.from_period.starts_on <= period.start
    ]
    return found[-1] if found else None


def _applicable_targets(targets: list[Target], period: ParsedPeriod) -> dict[int | None, Target]:
    """For each breakdown, the target for ``period``: one set for the period itself (a
    profiled quarter) wins over one for the year that contains it."""
    chosen: dict[int | None, Target] = {}
    for target in targets:
        tp = target.period
        if tp.starts_on is None or tp.ends_on is None:
            continue
        if not (tp.starts_on <= period.start and tp.ends_on >= period.end):
            continue
        current = chosen.get(target.breakdown_id)
        if current is None or _length(tp) < _length(current.period):
            chosen[target.breakdown_id] = target
    return chosen


def _length(period: Period) -> int:
    return (period.ends_on - period.starts_on).days


def judge_commitment(
    commitment: Commitment,
    chosen: ParsedPeriod,
    *,
    targets: list[Target],
    baselines: list[Baseline],
    changes: list[CommitmentStatus],
    actuals: Mapping[tuple[str, int | None], Actual],
    partners: list[CommitmentPartner],
    deadline: date,
    today: date,
) -> CommitmentRow:
    """Judge one commitment from rows already loaded (``actuals`` by (period label, breakdown
    id), this indicator's only)."""
    indicator = commitment.indicator
    own = own_period(indicator.frequency, chosen)
    earlier = comparable_period(own)
    standing = _in_force(changes, own)
    withdrawn = standing is not None and standing.status != CommitmentStatusKind.ACTIVE
    applicable = {} if withdrawn else _applicable_targets(targets, own)
    keys = list(applicable) or [None]
    keys += [key for (label, key) in actuals if label == own.label and key not in keys]
    baseline_of = {b.breakdown_id: b for b in baselines}
    past_deadline = today > deadline

    parts = []
    for key in sorted(keys, key=lambda k: (k is not None, k or 0)):
        target = applicable.get(key)
        baseline = baseline_of.get(key)
        actual = actuals.get((own.label, key))
        previous = actuals.get((earlier.label, key)) if earlier else None
        value = actual.value if actual is not None else None
        # A quarter judged against its year's target (pro-rated if cumulative); a target set
        # for the quarter itself is already profiled.
        quarter = None
        if (
            target is not None
            and own.kind == PeriodKind.QUARTER
            and target.period.kind == PeriodKind.FINANCIAL_YEAR
        ):
            quarter = own.quarter
        completed_on = None
        if target is not None and target.shape == Shape.MILESTONE and value:
            # A milestone's value is recorded as done (non-zero) for the period it was met in.
            completed_on = own.end
        found = judge(
            value,
            target,
            baseline,
            indicator,
            period_is_past_deadline=past_deadline,
            quarter=quarter,
            completed_on=completed_on,
            today=today,
        )
        goal = goal_of(target, baseline, unit=indicator.unit) if target is not None else None
        travel = None
        if actual is not None and previous is not None:
            travel = direction(value, previous.value, indicator.polarity, goal=goal)
        breakdown = target.breakdown if target is not None else None
        if breakdown is None and actual is not None:
            breakdown = actual.breakdown
        parts.append(Part(breakdown, target, baseline, actual, previous, goal, found, travel))
    status = Status.NO_TARGET if withdrawn else worst(p.status for p in parts)
    whole = next((p for p in parts if p.breakdown is None and p.direction is not None), None)
    travel = whole.direction if whole else _worst_direction(p.direction for p in parts)
    return CommitmentRow(
        commitment=commitment,
        period=own,
        chosen=chosen,
        status=status,
        direction=travel,
        parts=parts,
        partners=partners,
        standing=standing if withdrawn else None,
    )


@dataclass
class Loaded:
    """Commitments with everything they are judged on, loaded once (``load``) and judged for
    any period in Python (``assess``)."""

    commitments: list[Commitment]
    partners: dict[int, list[CommitmentPartner]]
    targets: dict[int, list[Target]]
    baselines: dict[int, list[Baseline]]
    changes: dict[int, list[CommitmentStatus]]
    # The visible actuals of each indicator, by (period label, breakdown id).
    actuals: dict[int, dict[tuple[str, int | None], Actual]]
    # The stored periods seen so far, by label (for their entry deadlines).
    periods: dict[str, Period]

    def plan_periods(self) -> PlanPeriods:
        """The dated periods with values and with targets, by plan."""
        found = PlanPeriods()
        for commitment in self.commitments:
            plan_id = commitment.plan_id
            data = found.with_data.setdefault(plan_id, [])
            for (_, _), actual in self.actuals.get(commitment.indicator_id, {}).items():
                if actual.value is not None and _dated(actual.period):
                    data.append(parsed(actual.period))
            found.with_targets.setdefault(plan_id, []).extend(
                parsed(t.period) for t in self.targets.get(commitment.pk, []) if _dated(t.period)
            )
        for source in (found.with_data, found.with_targets):
            for plan_id, items in source.items():
                source[plan_id] = list({p.label: p for p in items}.values())
        return found

    def assess(
        self,
        period: ParsedPeriod | Mapping[int, ParsedPeriod] | Callable[[object], ParsedPeriod],
        *,
        today: date | None = None,
    ) -> list[CommitmentRow]:
        """Each commitment judged for ``period``; or for its plan's period, given a mapping
        from plan ids or a function of the plan (called once per plan).

        No query, except one to read the entry deadlines of periods judged that are not
        loaded yet, where a target has no value for them (overdue or not yet due).
        """
        today = today or timezone.localdate()
        of_plan: dict[int, ParsedPeriod] = {}

        def chosen_for(commitment: Commitment) -> ParsedPeriod:
            if isinstance(period, ParsedPeriod):
                return period
            if isinstance(period, Mapping):
                return period[commitment.plan_id]
            if commitment.plan_id not in of_plan:
                of_plan[commitment.plan_id] = period(commitment.plan)
            return of_plan[commitment.plan_id]

        own = {c.pk: own_period(c.indicator.frequency, chosen_for(c)) for c in self.commitments}
        self._read_deadlines(own)
        return [
            judge_commitment(
                commitment,
                chosen_for(commitment),
                targets=self.targets.get(commitment.pk, []),
                baselines=self.baselines.get(commitment.pk, []),
                changes=self.changes.get(commitment.pk, []),
                actuals=self.actuals.get(commitment.indicator_id, {}),
                partners=self.partners.get(commitment.pk, []),
                deadline=reporting.deadline_of(
                    own[commitment.pk], self.periods.get(own[commitment.pk].label)
                ),
                today=today,
            )
            for commitment in self.commitments
        ]

    def _read_deadlines(self, own: dict[int, ParsedPeriod]) -> None:
        missing = set()
        for commitment in self.commitments:
            label = own[commitment.pk].label
            if label in self.periods or label in missing:
                continue
            values = self.actuals.get(commitment.indicator_id, {})
            applicable = _applicable_targets(
                self.targets.get(commitment.pk, []), own[commitment.pk]
            )
            if any(
                (actual := values.get((label, key))) is None or actual.value is None
                for key in applicable
            ):
                missing.add(label)
        if missing:
            self.periods.update({p.label: p for p in Period.objects.filter(label__in=missing)})


def load(commitments: QuerySet[Commitment]) -> Loaded:
    """Six queries, however many commitments: the commitments (with indicator, plan and
    theme), their partners, targets, baselines and status changes, and the visible actuals
    of their indicators."""
    rows = list(commitments.select_related("indicator", "plan", "theme", "theme__parent"))
    loaded = Loaded(
        commitments=rows,
        partners=_grouped(
            CommitmentPartner.objects.filter(commitment__in=commitments).select_related("partner"),
            "commitment_id",
        ),
        targets=_grouped(
            Target.objects.filter(commitment__in=commitments).select_related("period", "breakdown"),
            "commitment_id",
        ),
        baselines=_grouped(
            Baseline.objects.filter(commitment__in=commitments).select_related(
                "period", "breakdown"
            ),
            "commitment_id",
        ),
        changes=_grouped(
            CommitmentStatus.objects.filter(commitment__in=commitments)
            .select_related("from_period")
            .order_by("from_period__starts_on", "pk"),
            "commitment_id",
        ),
        actuals=defaultdict(dict),
        periods={},
    )
    for actual in Actual.objects.filter(
        indicator__in=commitments.values("indicator_id"), state__in=visible_states()
    ).select_related("period", "breakdown"):
        loaded.actuals[actual.indicator_id][(actual.period.label, actual.breakdown_id)] = actual
        loaded.periods[actual.period.label] = actual.period
    for figures in (*loaded.targets.values(), *loaded.baselines.values()):
        loaded.periods.update((f.period.label, f.period) for f in figures if f.period)
    return loaded


def assess(commitments: QuerySet[Commitment], period, *, today: date | None = None):
    """``load`` the commitments and judge them for ``period`` (see ``Loaded.assess``)."""
    return load(commitments).assess(period, today=today)


def _dated(period: Period | None) -> bool:
    return period is not None and period.starts_on is not None and period.ends_on is not None


def _grouped(queryset, key: str) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for item in queryset:
        found[getattr(item, key)].append(item)
    return found


# --- Summaries -------------------------------------------------------------------------------


@dataclass
class Summary:
    """Counts and shares of each status and direction among some judged commitments."""

    rows: list[CommitmentRow]

    def __post_init__(self):
        self.counts = Counter(row.status for row in self.rows)
        self.directions = Counter(row.direction for row in self.rows if row.direction)

    @property
    def total(self) -> int:
        return len(self.rows)

    def count(self, status: Status) -> int:
        return self.counts.get(status, 0)

    def percent(self, status: Status) -> Decimal | None:
        if not self.total:
            return None
        return Decimal(100) * self.count(status) / self.total

    @property
    def statuses(self) -> list[tuple[Status, int, Decimal | None]]:
        return [(status, self.count(status), self.percent(status)) for status in STATUS_ORDER]

    @property
    def improving(self) -> int:
        return self.directions.get(Direction.IMPROVING, 0)

    @property
    def no_change(self) -> int:
        return self.directions.get(Direction.NO_CHANGE, 0)

    @property
    def worsening(self) -> int:
        return self.directions.get(Direction.WORSENING, 0)

    @property
    def compared(self) -> int:
        """Commitments with a direction of travel (a value now and a year earlier)."""
        return sum(self.directions.values())

    @property
    def percent_improving(self) -> Decimal | None:
        """The CPA's achievement measure: improving as a share of those that could be compared."""
        if not self.compared:
            return None
        return Decimal(100) * self.improving / self.compared

    @property
    def exceptions(self) -> list[CommitmentRow]:
        return [row for row in self.rows if row.is_exception]


def exceptions_first(rows: Iterable[CommitmentRow]) -> list[CommitmentRow]:
    """The exceptions a scrutiny report opens with, worst first: off target, overdue, then
    the rest that are getting worse."""
    return sorted(
        (row for row in rows if row.is_exception),
        key=lambda row: (-row.status.severity, row.direction != Direction.WORSENING),
    )


def by_plan(rows: Iterable[CommitmentRow]) -> dict[int, list[CommitmentRow]]:
    found: dict[int, list[CommitmentRow]] = defaultdict(list)
    for row in rows:
        found[row.commitment.plan_id].append(row)
    return found


def themes_of(commitments: Iterable[Commitment]) -> list:
    """The themes of these commitments and the themes they are sub-groups of, in plan order."""
    found = {}
    for commitment in commitments:
        theme = commitment.theme
        found[theme.pk] = theme
        if theme.parent_id:
            found[theme.parent_id] = theme.parent
    return sorted(found.values(), key=_theme_order)


def _theme_order(theme) -> tuple:
    parent = theme.parent if theme.parent_id else None
    top = parent or theme
    return (top.order, top.code, top.title, parent is not None, theme.order, theme.title)


def by_theme(rows: Iterable[CommitmentRow]) -> list[tuple[object, Summary]]:
    """(theme, summary) in the plan's order of themes, for themes with commitments."""
    grouped: dict[int, list[CommitmentRow]] = {}
    themes = {}
    for row in rows:
        grouped.setdefault(row.commitment.theme_id, []).append(row)
        themes[row.commitment.theme_id] = row.commitment.theme
    ordered = sorted(themes.values(), key=_theme_order)
    return [(theme, Summary(grouped[theme.pk])) for theme in ordered]


# --- One indicator's history -----------------------------------------------------------------


def indicators_in_full() -> QuerySet[Indicator]:
    """Indicators with what ``indicator_history`` and the indicator page read: commitments
    (plan, theme, baselines, targets, partners, status changes) and the visible actuals."""
    commitments = (
        Commitment.objects.select_related("plan", "theme")
        .prefetch_related(
            Prefetch("baselines", Baseline.objects.select_related("period", "breakdown")),
            Prefetch("targets", Target.objects.select_related("period", "breakdown")),
            Prefetch("commitment_partners", CommitmentPartner.objects.select_related("partner")),
            Prefetch(
                "status_changes",
                CommitmentStatus.objects.select_related("from_period").order_by(
                    "from_period__starts_on", "pk"
                ),
            ),
        )
        .order_by("plan__starts_on", "plan__name")
    )
    return Indicator.objects.select_related("parent").prefetch_related(
        Prefetch("commitments", queryset=commitments),
        Prefetch(
            "actuals",
            queryset=Actual.objects.filter(state__in=visible_states())
            .select_related("period", "breakdown")
            .order_by("period__starts_on", "breakdown__name"),
        ),
    )


def indicator_history(
    indicator, commitments: list[Commitment], actuals: list[Actual], *, today: date | None = None
) -> list[CommitmentRow]:
    """The indicator judged for every period of its own frequency that has a value or a
    target, oldest first, from rows already loaded (commitments with their targets, baselines,
    partners and status changes prefetched; the visible actuals with period and breakdown).

    Each period is judged against the commitment with a target for it (the plan in force),
    or the first commitment where none has one.
    """
    today = today or timezone.localdate()
    by_key = {(a.period.label, a.breakdown_id): a for a in actuals}
    stored = {a.period.label: a.period for a in actuals}
    found: dict[str, ParsedPeriod] = {}
    dated = [a.period for a in actuals] + [t.period for c in commitments for t in c.targets.all()]
    for period in dated:
        stored.setdefault(period.label, period)
        if period.starts_on is None or period.ends_on is None:
            continue
        own = own_period(indicator.frequency, parsed(period))
        found.setdefault(own.label, own)
    rows = []
    for period in sorted(found.values(), key=lambda p: (p.start, p.end)):
        commitment = next(
            (c for c in commitments if _applicable_targets(list(c.targets.all()), period)),
            commitments[0] if commitments else None,
        )
        if commitment is None:
            break
        commitment.indicator = indicator
        rows.append(
            judge_commitment(
                commitment,
                period,
                targets=list(commitment.targets.all()),
                baselines=list(commitment.baselines.all()),
                changes=list(commitment.status_changes.all()),
                actuals=by_key,
                partners=list(commitment.commitment_partners.all()),
                deadline=reporting.deadline_of(period, stored.get(period.label)),
                today=today,
            )
        )
    return rows


def latest_with_data(history: list[CommitmentRow]) -> CommitmentRow | None:
    """The row of the latest period with a value, as the API and indicator page show it."""
    return next((row for row in reversed(history) if any(p.actual for p in row.parts)), None)
