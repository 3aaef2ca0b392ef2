"""Status rules: red / amber / green against a target, direction of travel, milestones.

Pure functions over values and model instances passed in: nothing here queries the database or
reads the clock. A target is first turned into a ``Goal`` (``resolve_goal``: relative targets
resolved against the baseline, shapes that cannot be judged as a number refused with a reason),
then a value is judged against it (``rag``) by the indicator's polarity and tolerance. ``judge``
wraps both and adds the no target / no data / overdue rules. The rules, with worked examples from
the seed documents, are in docs/status-rules.md.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from targets import periods
from targets.target_text import ChangeUnit, Shape

if TYPE_CHECKING:
    from targets.models import Baseline, Indicator, Target

# The values of targets.models.Polarity, Unit and QuarterlyValues (a test keeps them in step);
# repeated here so the rules stay plain Python.
HIGHER, LOWER, RANGE, NO_POLARITY = "higher", "lower", "range", "none"
PERCENT, LEVEL = "percent", "level"
CUMULATIVE = "cumulative"

# The amber band when an indicator does not set its own: 5% of the target, as the model's default.
DEFAULT_TOLERANCE_PERCENT = Decimal("5")


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def severity(self) -> int:
        """Rank for ``worst``: higher is worse."""
        return _SEVERITY[self]

    @property
    def is_judged(self) -> bool:
        """A value was compared with a target (red, amber or green)."""
        return self in (Status.GREEN, Status.AMBER, Status.RED)


_STATUS_LABELS = {
    Status.GREEN: "On target",
    Status.AMBER: "Close to target",
    Status.RED: "Off target",
    Status.NO_TARGET: "No target",
    Status.NO_DATA: "No data",
    Status.OVERDUE: "Overdue",
}

# Worst first: red, overdue, amber, no data, green, no target. A known miss outranks everything;
# a late return may hide a miss, so it outranks amber; a part not yet reported keeps the whole
# from showing green; a part with no target does not count against the parts that have one.
_SEVERITY = {
    Status.RED: 5,
    Status.OVERDUE: 4,
    Status.AMBER: 3,
    Status.NO_DATA: 2,
    Status.GREEN: 1,
    Status.NO_TARGET: 0,
}


def worst(statuses: Iterable[Status]) -> Status:
    """The status an indicator shows for its breakdowns (NI 120 male and female): the worst.

    Order, worst first: red, overdue, amber, no data, green, no target. Nothing to combine is
    no data.
    """
    return max(statuses, key=lambda status: status.severity, default=Status.NO_DATA)


class Direction(StrEnum):
    IMPROVING = "improving"
    NO_CHANGE = "no_change"
    WORSENING = "worsening"

    @property
    def label(self) -> str:
        return _DIRECTION_LABELS[self][0]

    @property
    def arrow(self) -> str:
        """Better or worse, not up or down: a falling crime rate is an up arrow."""
        return _DIRECTION_LABELS[self][1]


_DIRECTION_LABELS = {
    Direction.IMPROVING: ("Improving", "↑"),
    Direction.NO_CHANGE: ("No change", "→"),
    Direction.WORSENING: ("Worsening", "↓"),
}


class MilestoneStatus(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    LATE = "late"

    @property
    def label(self) -> str:
        return {"done": "Done", "on_track": "On track", "late": "Late"}[self.value]

    @property
    def status(self) -> Status:
        """As red / amber / green: done is green, late is red, not yet due is no data (like a
        value not yet reported before its deadline)."""
        return {
            MilestoneStatus.DONE: Status.GREEN,
            MilestoneStatus.ON_TRACK: Status.NO_DATA,
            MilestoneStatus.LATE: Status.RED,
        }[self]


class GoalKind(StrEnum):
    POINT = "point"  # one figure: the indicator's polarity says which side of it is good
    AT_LEAST = "at_least"  # written "or more": at or above is good, whatever the polarity
    AT_MOST = "at_most"  # written "or less"
    RANGE = "range"  # written "between": inside is good, whatever the polarity


@dataclass(frozen=True)
class Goal:
    """What a value is judged against, once the target's text is read and resolved.

    ``lower`` and ``upper`` are the bounds of what is on target (None: open); for a point they
    are both the figure. ``unit`` and ``scale`` are the target's as written ("%", "£"; "m"):
    values are compared as numbers in that unit and scale.
    """

    kind: GoalKind
    lower: Decimal | None = None
    upper: Decimal | None = None
    unit: str = ""
    scale: str = ""
    accumulates: bool = True  # a year-to-date total, so a quarter can be pro-rated
    basis: str = ""  # how it was read, for people: "28.1 less 3% = 27.257"
    needs_review: bool = False  # the text was read but flagged for a person to check

    def __post_init__(self):
        lower, upper = self.lower, self.upper
        valid = {
            GoalKind.POINT: lower is not None and lower == upper,
            GoalKind.AT_LEAST: lower is not None and upper is None,
            GoalKind.AT_MOST: lower is None and upper is not None,
            GoalKind.RANGE: lower is not None and upper is not None and lower <= upper,
        }[self.kind]
        if not valid:
            raise ValueError(f"A {self.kind} goal cannot have bounds {lower} and {upper}.")

    @classmethod
    def point(cls, value, **kwargs) -> "Goal":
        value = _decimal(value)
        return cls(GoalKind.POINT, value, value, **kwargs)

    @classmethod
    def at_least(cls, value, **kwargs) -> "Goal":
        return cls(GoalKind.AT_LEAST, _decimal(value), None, **kwargs)

    @classmethod
    def at_most(cls, value, **kwargs) -> "Goal":
        return cls(GoalKind.AT_MOST, None, _decimal(value), **kwargs)

    @classmethod
    def between(cls, lower, upper, **kwargs) -> "Goal":
        return cls(GoalKind.RANGE, _decimal(lower), _decimal(upper), **kwargs)

    @property
    def value(self) -> Decimal | None:
        """The figure of a point goal."""
        return self.lower if self.kind == GoalKind.POINT else None

    def bounds(self, polarity: str) -> tuple[Decimal | None, Decimal | None] | None:
        """(lower, upper) of on target for ``polarity``; None when a point has no good side."""
        if self.kind != GoalKind.POINT:
            return self.lower, self.upper
        match polarity:
            case "higher":
                return self.lower, None
            case "lower":
                return None, self.upper
            case "range":
                # A single figure for a within-a-range indicator is a range of one point.
                return self.lower, self.upper
            case "none":
                return None
        raise ValueError(f"Unknown polarity {polarity!r}.")


@dataclass(frozen=True)
class NoGoal:
    """A target that cannot be judged as a number, and why (shown to people as written)."""

    reason: str
    shape: str = ""


def resolve_goal(
    target: "Target", baseline: "Baseline | None" = None, *, unit: str | None = None
) -> Goal | NoGoal:
    """Read a target (and its baseline, for relative targets) into a Goal, or say why not.

    ``unit`` is the indicator's unit: for a percentage indicator a cohort target ("10 of the
    estimated 23") is its share in %, otherwise its count. Only the instances' own fields are
    read, so unsaved instances do.
    """
    try:
        shape = Shape(target.shape)
    except ValueError:
        return NoGoal(f"Unknown shape {target.shape!r}.", str(target.shape))
    figure = {
        "unit": target.unit,
        "scale": target.scale,
        "needs_review": bool(target.needs_review),
    }
    match shape:
        case Shape.VALUE | Shape.MONEY | Shape.LEVEL | Shape.COHORT:
            value = _figure_value(target, unit)
            if value is None:
                return NoGoal(f"No figure was read from {target.text!r}.", shape)
            if shape == Shape.COHORT:
                figure["unit"] = "%" if unit == PERCENT else ""
            figure["accumulates"] = shape != Shape.LEVEL and _accumulates(figure["unit"], unit)
            return _one_sided(target.note, value, basis=_basis(target), **figure)
        case Shape.RANGE:
            if target.lower is None or target.upper is None or target.lower > target.upper:
                return NoGoal(f"The range in {target.text!r} has no usable bounds.", shape)
            figure["accumulates"] = _accumulates(figure["unit"], unit)
            return Goal.between(target.lower, target.upper, basis=_basis(target), **figure)
        case Shape.CHANGE:
            return _change_goal(target, baseline, unit, figure)
        case Shape.NO_TARGET:
            return NoGoal(f"No target: {target.reason or target.text}", shape)
        case Shape.WITHDRAWN:
            return NoGoal(f"Withdrawn: {target.reason or target.text}", shape)
        case Shape.MILESTONE:
            due = target.due_text or "no date"
            return NoGoal(f"A milestone (due {due}): judged by its date, not a number.", shape)
        case Shape.GROWTH:
            # "Average 3% growth per year: 2013 – £491.7m": whether a year's target counts the
            # base year, and whether growth compounds, is not written down.
            return NoGoal("A growth rule: set each year's figure as its own target.", shape)
        case Shape.BREAKDOWN:
            return NoGoal("Several groups in one cell: judge each group's own target.", shape)
        case Shape.UNPARSED:
            return NoGoal(f"The text {target.text!r} could not be read: needs review.", shape)
    raise AssertionError(f"Shape {shape} is not handled.")  # a new Shape needs a rule here


def goal_of(
    target: "Target", baseline: "Baseline | None" = None, *, unit: str | None = None
) -> Goal | None:
    """The Goal a target sets, or None when it sets none that a number can be judged against
    (``resolve_goal`` says why)."""
    goal = resolve_goal(target, baseline, unit=unit)
    return goal if isinstance(goal, Goal) else None


_AT_LEAST = re.compile(r"\bor (?:more|above|higher)\b", re.I)
_AT_MOST = re.compile(r"\bor (?:less|fewer|below|lower)\b", re.I)
_OWN_BASELINE = {"", "baseline", "the baseline"}
# Once: iterating an Enum class is slow (about 0.5 ms), and this is asked for every change target.
_CHANGE_UNITS = frozenset(ChangeUnit)


def _accumulates(figure_unit: str, unit: str | None) -> bool:
    """Whether a year-to-date figure adds up through the year: not a percentage or a level."""
    return figure_unit != "%" and unit not in (PERCENT, LEVEL)


def _one_sided(note: str, value: Decimal, **kwargs) -> Goal:
    if _AT_LEAST.search(note or ""):
        return Goal.at_least(value, **kwargs)
    if _AT_MOST.search(note or ""):
        return Goal.at_most(value, **kwargs)
    return Goal.point(value, **kwargs)


def _figure_value(figure, unit: str | None) -> Decimal | None:
    """The number a baseline or target states, for the shapes that state one."""
    if figure.shape == Shape.COHORT:
        if figure.numerator is None:
            return None
        if unit == PERCENT:
            if not figure.denominator:
                return None
            return figure.numerator / figure.denominator * 100
        return figure.numerator
    if figure.shape in (Shape.VALUE, Shape.MONEY, Shape.LEVEL):
        return figure.value
    return None


def _basis(target) -> str:
    return " ".join(target.text.split())


def _change_goal(target, baseline, unit, figure) -> Goal | NoGoal:
    change_unit, text = target.change_unit, target.text
    if target.value is None or change_unit not in _CHANGE_UNITS:
        return NoGoal(f"The change in {text!r} could not be read.", Shape.CHANGE)
    if target.base_value is not None:
        base, base_unit, base_name = target.base_value, target.unit, "its stated base"
    elif target.base_text.strip().lower() not in _OWN_BASELINE:
        return NoGoal(
            f"Relative to {target.base_text!r}, not this commitment's baseline: set the figure.",
            Shape.CHANGE,
        )
    elif baseline is None or (base := _figure_value(baseline, unit)) is None:
        written = f" ({baseline.text!r})" if baseline is not None else ""
        return NoGoal(
            f"Relative to the baseline, which is not known as a number yet{written}.",
            Shape.CHANGE,
        )
    else:
        base_unit, base_name = baseline.unit, "the baseline"
    if change_unit == ChangeUnit.PERCENT:
        value = base * (1 + target.value / 100)
        how = f"{base} {'plus' if target.value >= 0 else 'less'} {abs(target.value)}%"
    else:
        if change_unit == ChangeUnit.PERCENTAGE_POINTS and base_unit != "%" and unit != PERCENT:
            return NoGoal(
                f"Percentage points from {base_name}, which is not a percentage.", Shape.CHANGE
            )
        value = base + target.value
        points = " points" if change_unit == ChangeUnit.PERCENTAGE_POINTS else ""
        how = f"{base} {'+' if target.value >= 0 else '-'} {abs(target.value)}{points}"
    is_percentage = base_unit == "%" or unit == PERCENT
    figure.update(
        unit="%" if is_percentage else base_unit, accumulates=_accumulates(base_unit, unit)
    )
    return Goal.point(value, basis=f"{_basis(target)}: {how} = {value.normalize():f}", **figure)


def rag(value, goal: Goal, polarity: str, tolerance_percent=DEFAULT_TOLERANCE_PERCENT) -> Status:
    """Red, amber or green of ``value`` against ``goal``.

    Green when on the good side of the goal or on it; amber when on the wrong side by no more
    than ``tolerance_percent`` of the bound missed (the edge itself is amber); red beyond. A
    point goal for an indicator with no polarity has no good side: no target.
    """
    value, tolerance = _decimal(value), _tolerance(tolerance_percent)
    bounds = goal.bounds(polarity)
    if bounds is None:
        return Status.NO_TARGET
    lower, upper = bounds
    if lower is not None and value < lower:
        miss, bound = lower - value, lower
    elif upper is not None and value > upper:
        miss, bound = value - upper, upper
    else:
        return Status.GREEN
    return Status.AMBER if miss <= abs(bound) * tolerance / 100 else Status.RED


def pro_rata(goal: Goal, quarter: int) -> Goal:
    """The goal a year-to-date value is judged against at the end of financial ``quarter``.

    Quarter 1 to 4 is 1/4 to 4/4 of an annual goal that accumulates (counts, money, rates per
    population counted through the year). A percentage or a level does not add up over the year,
    so a year-to-date one is judged against the annual goal as it is.
    """
    if not isinstance(quarter, int) or not 1 <= quarter <= 4:
        raise ValueError(f"A financial quarter is 1 to 4, not {quarter!r}.")
    if not goal.accumulates or quarter == 4:
        return goal
    share = Decimal(quarter) / 4

    def scaled(bound):
        return None if bound is None else bound * share

    basis = f"{quarter}/4 of the annual goal" + (f" ({goal.basis})" if goal.basis else "")
    return replace(goal, lower=scaled(goal.lower), upper=scaled(goal.upper), basis=basis)


def judge(
    value,
    target: "Target | None",
    baseline: "Baseline | None",
    indicator: "Indicator",
    *,
    period_is_past_deadline: bool = False,
    quarter: int | None = None,
    completed_on: date | None = None,
    today: date | None = None,
    goal: "Goal | object | None" = ...,
) -> Status:
    """The status of one value (None: not reported) against one target, for the dashboard.

    No target (none given, or one that cannot be judged as a number) is no target, whatever the
    value. Then a missing value is overdue once its deadline has passed, else no data. A
    cumulative indicator's year-to-date value for ``quarter`` (1 to 4) of the target's financial
    year is judged against the pro-rata goal; pass ``quarter=None`` for a snapshot, a whole-year
    value, or a target profiled for the quarter itself. A milestone target is judged by
    ``milestone_status`` from ``completed_on`` and ``today`` (required for milestones).
    ``goal``, when given, is ``goal_of(target, baseline, unit=indicator.unit)`` already
    resolved by the caller (the dashboards need it for direction of travel too): resolving it
    twice was a tenth of a dashboard's judging time.
    """
    if target is None:
        return Status.NO_TARGET
    if target.shape == Shape.MILESTONE:
        if today is None:
            raise ValueError("A milestone is judged by its date: pass today.")
        milestone = milestone_status(target.due_on, completed_on, today)
        return milestone.status if milestone else Status.NO_TARGET
    if goal is ...:
        goal = goal_of(target, baseline, unit=indicator.unit)
    if goal is None:
        return Status.NO_TARGET
    if value is None:
        return Status.OVERDUE if period_is_past_deadline else Status.NO_DATA
    if quarter is not None and indicator.quarterly_values == CUMULATIVE:
        goal = pro_rata(goal, quarter)
    return rag(value, goal, indicator.polarity, indicator.tolerance_percent)


def direction(current, previous, polarity: str, *, goal: Goal | None = None) -> Direction | None:
    """Improving, no change or worsening from ``previous`` (the same period a year earlier, or
    the previous year for annual indicators) to ``current``, judged by polarity.

    For a within-a-range indicator it is the distance to the range of ``goal`` (0 inside it):
    closer is improving, both inside is no change. None when either value is missing, when a
    range indicator has no goal, or for an indicator with no polarity.
    """
    if current is None or previous is None:
        return None
    current, previous = _decimal(current), _decimal(previous)
    match polarity:
        case "higher":
            gain = current - previous
        case "lower":
            gain = previous - current
        case "range":
            bounds = goal.bounds(RANGE) if goal is not None else None
            if bounds is None:
                return None
            gain = _distance(previous, *bounds) - _distance(current, *bounds)
        case "none":
            return None
        case _:
            raise ValueError(f"Unknown polarity {polarity!r}.")
    if gain > 0:
        return Direction.IMPROVING
    return Direction.WORSENING if gain < 0 else Direction.NO_CHANGE


def comparable_period(period) -> periods.ParsedPeriod | None:
    """The period a value is compared with for direction of travel: the same quarter or month a
    year earlier, or the year before. Takes a ParsedPeriod or a Period; None for a span."""
    kind, year = str(period.kind), period.year
    start = getattr(period, "start", None) or getattr(period, "starts_on", None)
    try:
        match kind:
            case periods.PeriodKind.QUARTER:
                return periods.quarter(year - 1, period.quarter)
            case periods.PeriodKind.FINANCIAL_YEAR:
                return periods.financial_year(year - 1)
            case periods.PeriodKind.SCHOOL_YEAR:
                return periods.school_year(year - 1)
            case periods.PeriodKind.CALENDAR_YEAR:
                return periods.calendar_year(year - 1)
            case periods.PeriodKind.MONTH:
                return periods.month(start.year - 1, start.month)
    except (periods.UnreadablePeriod, TypeError, AttributeError):
        return None
    return None


def milestone_status(
    due_on: date | None, completed_on: date | None, today: date
) -> MilestoneStatus | None:
    """Done once completed (on or before today, late or not); otherwise on track up to and
    including the due date, late after it. None for an unfinished milestone with no due date."""
    if completed_on is not None and completed_on <= today:
        return MilestoneStatus.DONE
    if due_on is None:
        return None
    return MilestoneStatus.ON_TRACK if today <= due_on else MilestoneStatus.LATE


def _distance(value: Decimal, lower: Decimal | None, upper: Decimal | None) -> Decimal:
    if lower is not None and value < lower:
        return lower - value
    if upper is not None and value > upper:
        return value - upper
    return Decimal(0)


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"Expected a number, not {value!r}.")
    return Decimal(str(value))


def _tolerance(tolerance_percent) -> Decimal:
    if tolerance_percent is None:
        return DEFAULT_TOLERANCE_PERCENT
    tolerance = _decimal(tolerance_percent)
    if tolerance < 0:
        raise ValueError(f"A tolerance cannot be negative ({tolerance}%).")
    return tolerance
