"""Counts and shares of statuses and directions, exceptions, groupings by plan and theme."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from targets.dashboard.judging import STATUS_ORDER, CommitmentRow
from targets.models import Commitment
from targets.status import Direction, Status


@dataclass
class Tally:
    """How many commitments have each status and direction: what the home page shows of a
    plan. Small and picklable, so it can be kept in the cache (``dashboard.plan_tallies``)."""

    total: int = 0
    counts: Counter = field(default_factory=Counter)
    directions: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, rows: Iterable[CommitmentRow]) -> Tally:
        rows = list(rows)
        return cls(
            len(rows),
            Counter(row.status for row in rows),
            Counter(row.direction for row in rows if row.direction),
        )

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


class Summary(Tally):
    """The tally of some judged commitments, keeping the rows (for their exceptions)."""

    def __init__(self, rows: list[CommitmentRow]):
        found = Tally.of(rows)
        super().__init__(found.total, found.counts, found.directions)
        self.rows = rows

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
