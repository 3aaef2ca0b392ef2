"""When an activity's milestone is late, and which milestones are coming up. Plain Python.

A milestone is late when its due date has passed and the latest update readers see does not
say it is complete, or when that update itself says it was missed. An open-ended activity, or
one whose "by when" could not be read, has no due date and is never late by date.
"""

from datetime import date, timedelta

# The progress statuses an officer reports each quarter (stored values: keep them exactly).
NOT_STARTED = "not_started"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
COMPLETE = "complete"
MISSED = "missed"


def is_late(*, due_on: date | None, status: str | None, today: date) -> bool:
    """Whether a milestone shows as late on ``today`` given its latest reported status."""
    if status == COMPLETE:
        return False
    if status == MISSED:
        return True
    return due_on is not None and due_on < today


def quarter_end(day: date) -> date:
    """The last day of the financial quarter (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar) of ``day``."""
    last_month = ((day.month - 1) // 3) * 3 + 3
    following = date(day.year + (last_month == 12), last_month % 12 + 1, 1)
    return following - timedelta(days=1)


def due_soon_until(today: date) -> date:
    """The end of the window of milestones "due in the next quarter": from today to the last day
    of the next financial quarter, so nothing due later this quarter drops out of sight."""
    return quarter_end(quarter_end(today) + timedelta(days=1))
