"""When a milestone is late, and the window of milestones due soon (plans/milestones.py)."""

from datetime import date

import pytest

from plans import milestones

DUE = date(2013, 6, 30)


@pytest.mark.parametrize(
    ("due_on", "status", "today", "late"),
    [
        (DUE, None, date(2013, 7, 1), True),  # past due, nothing reported
        (DUE, milestones.ON_TRACK, date(2013, 7, 1), True),  # "on track" is not "complete"
        (DUE, milestones.AT_RISK, date(2013, 7, 1), True),
        (DUE, milestones.COMPLETE, date(2013, 7, 1), False),
        (DUE, None, DUE, False),  # due today is not late yet
        (DUE, milestones.MISSED, date(2013, 5, 1), True),  # reported missed before its date
        (None, None, date(2030, 1, 1), False),  # open-ended, or not read
        (None, milestones.MISSED, date(2030, 1, 1), True),
    ],
)
def test_is_late(due_on, status, today, late):
    assert milestones.is_late(due_on=due_on, status=status, today=today) is late


@pytest.mark.parametrize(
    ("today", "until"),
    [
        (date(2013, 4, 1), date(2013, 9, 30)),  # Q1: to the end of Q2
        (date(2013, 6, 30), date(2013, 9, 30)),
        (date(2013, 11, 23), date(2014, 3, 31)),  # Q3: to the end of Q4
        (date(2014, 2, 1), date(2014, 6, 30)),  # Q4: to the end of next year's Q1
    ],
)
def test_due_soon_runs_to_the_end_of_the_next_quarter(today, until):
    assert milestones.due_soon_until(today) == until
