"""Commitments judged for a period: loaded in a fixed number of queries, judged in Python."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet, Value
from django.utils import timezone

from partners.models import Partner
from plans.models import Theme
from targets import reporting
from targets.dashboard.choosing import PlanPeriods, own_period, parsed
from targets.models import (
    Actual,
    ActualState,
    Baseline,
    Breakdown,
    Commitment,
    CommitmentPartner,
    CommitmentStatus,
    CommitmentStatusKind,
    Period,
    Target,
)
from targets.periods import ParsedPeriod, PeriodKind
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


def visible_states() -> list[str]:
    """Readers see approved values, and submitted ones (marked) where the council allows it."""
    if settings.SHOW_SUBMITTED_VALUES:
        return [ActualState.APPROVED, ActualState.SUBMITTED]
    return [ActualState.APPROVED]


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

    def is_led_by(self, partner) -> bool:
        """Whether ``partner`` is one of the target's leads (else it has signed up to it)."""
        return any(lead.pk == partner.pk for lead in self.lead_partners)

    @property
    def lead_names(self) -> str:
        return ", ".join(partner.name for partner in self.lead_partners)

    @property
    def status_rank(self) -> int:
        """For sorting: on target first, then close, off, overdue, no data, no target."""
        return STATUS_ORDER.index(self.status)

    @property
    def direction_rank(self) -> int:
        """For sorting: improving first, not compared last."""
        return DIRECTION_ORDER.index(self.direction) if self.direction else len(DIRECTION_ORDER)

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


def applicable_targets(targets: list[Target], period: ParsedPeriod) -> dict[int | None, Target]:
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
    applicable = {} if withdrawn else applicable_targets(targets, own)
    # The parts judged: those with a target, and any other with a value for the period; with
    # neither, the whole (no target, or no data).
    keys = list(applicable)
    keys += [key for (label, key) in actuals if label == own.label and key not in keys]
    keys = keys or [None]
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
        goal = goal_of(target, baseline, unit=indicator.unit) if target is not None else None
        found = judge(
            value,
            target,
            baseline,
            indicator,
            period_is_past_deadline=past_deadline,
            quarter=quarter,
            completed_on=completed_on,
            today=today,
            goal=goal,
        )
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
            applicable = applicable_targets(self.targets.get(commitment.pk, []), own[commitment.pk])
            if any(
                (actual := values.get((label, key))) is None or actual.value is None
                for key in applicable
            ):
                missing.add(label)
        if missing:
            self.periods.update({p.label: p for p in Period.objects.filter(label__in=missing)})


def load(
    commitments: QuerySet[Commitment],
    *,
    periods: Iterable[ParsedPeriod] | Callable[[object], ParsedPeriod] | None = None,
    counts_only: bool = False,
) -> Loaded:
    """Nine queries, however many commitments: the commitments (with their indicators), the
    themes and plans they are in, their partner links and the partners, targets, baselines and
    status changes, every stored period, and the visible actuals of their indicators.

    Given ``periods`` (the periods that will be assessed, or a function giving a plan's), only
    what judging them needs is read: the values of each indicator's own period within them and
    of the period compared with for direction of travel, and the targets whose period covers
    one of those. Judging any of ``periods`` then gives the same as a full load;
    ``Loaded.plan_periods`` does not (use ``plan_periods`` instead). At 2,000 indicators with
    ten years of quarterly values, this reads a twentieth of the rows.

    Plans, themes, partners and periods are read once each and shared by every row that refers
    to them, not built again per row as ``select_related`` would: building model objects was
    most of a dashboard's time (a plan of 200 commitments had 3,400 of them, 1,500 of them
    copies of the same few plans, themes and periods; docs/benchmarks.md).

    ``counts_only``: for pages that show only how many targets have each status and direction
    (the home page), the partners are not read: two queries fewer. The rows' ``partners`` are
    then empty, so do not show them.
    """
    rows = list(commitments.select_related("indicator"))
    _share_themes_and_plans(rows, commitments)
    rows = in_reading_order(rows)
    stored_periods = Period.objects.in_bulk()
    targets = Target.objects.filter(commitment__in=commitments)
    actuals = Actual.objects.filter(
        indicator__in=commitments.values("indicator_id"), state__in=visible_states()
    )
    if periods is not None:
        if callable(periods):
            chosen = [periods(plan) for plan in {c.plan_id: c.plan for c in rows}.values()]
        else:
            chosen = list(periods)
        frequencies = {commitment.indicator.frequency for commitment in rows}
        own = [own_period(frequency, p) for frequency in frequencies for p in chosen]
        labels = {p.label for p in own} | {
            earlier.label for p in own if (earlier := comparable_period(p)) is not None
        }
        actuals = actuals.filter(period__label__in=labels)
        if own:
            # Covering one of them needs at least this much; applicable_targets does the rest.
            targets = targets.filter(
                period__starts_on__lte=max(p.start for p in own),
                period__ends_on__gte=min(p.end for p in own),
            )
        else:
            targets = targets.none()

    def with_periods(figures, field):
        # Each figure's period, from the periods read once.
        for figure in figures:
            field.set_cached_value(figure, stored_periods.get(figure.period_id))
            yield figure

    loaded = Loaded(
        commitments=rows,
        partners={} if counts_only else _partners(commitments),
        targets=_grouped(
            with_periods(targets.select_related("breakdown"), Target.period.field),
            "commitment_id",
        ),
        baselines=_grouped(
            with_periods(
                Baseline.objects.filter(commitment__in=commitments).select_related("breakdown"),
                Baseline.period.field,
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
        # Every stored period, so that judging need not read one for its entry deadline.
        periods={period.label: period for period in stored_periods.values()},
    )
    for actual in with_periods(actuals.select_related("breakdown"), Actual.period.field):
        loaded.actuals[actual.indicator_id][(actual.period.label, actual.breakdown_id)] = actual
    return loaded


def in_reading_order(commitments: list[Commitment]) -> list[Commitment]:
    """Commitments in the order the database gave them (plan, theme, order in the theme), but
    with indicator codes in numeric order within a theme: NI 39 before NI 120, which the
    database's text order puts the other way round."""
    plan_position: dict[int, int] = {}
    for commitment in commitments:
        plan_position.setdefault(commitment.plan_id, len(plan_position))
    return sorted(
        commitments,
        key=lambda c: (
            plan_position[c.plan_id],
            c.theme.order,
            c.order,
            c.indicator.code_key,
        ),
    )


def _share_themes_and_plans(rows: list[Commitment], commitments: QuerySet[Commitment]) -> None:
    """Give each commitment its theme, each theme its parent, and both their plan, as one
    object each however many commitments share them: one query (every theme of the plans
    involved, a few dozen)."""
    themes = {
        theme.pk: theme
        for theme in Theme.objects.filter(
            plan__in=commitments.order_by().values("plan_id")
        ).select_related("plan")
    }
    plans = {}
    for theme in themes.values():
        plan = plans.setdefault(theme.plan_id, theme.plan)
        Theme.plan.field.set_cached_value(theme, plan)
        Theme.parent.field.set_cached_value(theme, themes.get(theme.parent_id))
    for commitment in rows:
        Commitment.theme.field.set_cached_value(commitment, themes[commitment.theme_id])
        Commitment.plan.field.set_cached_value(commitment, plans[commitment.plan_id])


def _partners(commitments: QuerySet[Commitment]) -> dict[int, list[CommitmentPartner]]:
    """Each commitment's partner links, with one object per partner: two queries."""
    links = list(CommitmentPartner.objects.filter(commitment__in=commitments))
    partners = Partner.objects.in_bulk({link.partner_id for link in links})
    for link in links:
        CommitmentPartner.partner.field.set_cached_value(link, partners[link.partner_id])
    return _grouped(links, "commitment_id")


def plan_periods(commitments: QuerySet[Commitment]) -> PlanPeriods:
    """What ``Loaded.plan_periods`` finds, without loading the values and targets: the dated
    periods with visible values and with targets, by plan, in one query."""
    fields = ["label", "kind", "starts_on", "ends_on", "year", "quarter", "qualifier"]
    dated = {"period__starts_on__isnull": False, "period__ends_on__isnull": False}
    with_data = (
        Actual.objects.filter(
            indicator__commitments__in=commitments,
            state__in=visible_states(),
            value__isnull=False,
            **dated,
        )
        .order_by()
        .annotate(has_data=Value(True))
        .values_list(
            "has_data", "indicator__commitments__plan_id", *(f"period__{f}" for f in fields)
        )
        .distinct()
    )
    with_targets = (
        Target.objects.filter(commitment__in=commitments, **dated)
        .order_by()
        .annotate(has_data=Value(False))
        .values_list("has_data", "commitment__plan_id", *(f"period__{f}" for f in fields))
        .distinct()
    )
    found = PlanPeriods()
    # Each side made distinct on its own, then UNION ALL: a plain UNION had PostgreSQL sort all
    # 110,000 joined rows on disk to find the 940 distinct ones (0.5 s at 2,000 indicators,
    # EXPLAIN ANALYZE in docs/benchmarks.md); this way each side is a small hash aggregate.
    for has_data, plan_id, label, kind, *rest in with_data.union(with_targets, all=True):
        source = found.with_data if has_data else found.with_targets
        source.setdefault(plan_id, []).append(ParsedPeriod(PeriodKind(kind), label, *rest))
    return found


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
