"""Counts and shares of statuses and directions, exceptions, groupings by plan and theme."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from targets.dashboard.judging import STATUS_ORDER, CommitmentRow
from targets.models import Commitment
from targets.status import Direction, Status


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
