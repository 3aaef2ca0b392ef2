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

from targets.dashboard.cached import (
    forget_cached,
    indicator_version,
    page,
    plan_tallies,
    plan_versions,
    plans_version,
)
from targets.dashboard.choosing import (
    REPORTING_KINDS,
    PeriodChoices,
    PlanPeriods,
    fallback_period,
    last_quarter_of,
    own_period,
    parsed,
    period_choices,
    reporting_period,
    reporting_period_of,
    requested_period,
)
from targets.dashboard.history import indicator_history, indicators_in_full, latest_with_data
from targets.dashboard.judging import (
    DIRECTION_ORDER,
    STATUS_ORDER,
    CommitmentRow,
    Loaded,
    Part,
    assess,
    judge_commitment,
    load,
    plan_periods,
    visible_states,
)
from targets.dashboard.summary import (
    Summary,
    Tally,
    by_plan,
    by_theme,
    exceptions_first,
    themes_of,
)

__all__ = [
    "DIRECTION_ORDER",
    "REPORTING_KINDS",
    "STATUS_ORDER",
    "CommitmentRow",
    "Loaded",
    "Part",
    "PeriodChoices",
    "PlanPeriods",
    "Summary",
    "Tally",
    "assess",
    "by_plan",
    "by_theme",
    "exceptions_first",
    "fallback_period",
    "forget_cached",
    "indicator_history",
    "indicator_version",
    "indicators_in_full",
    "judge_commitment",
    "last_quarter_of",
    "latest_with_data",
    "load",
    "own_period",
    "page",
    "parsed",
    "period_choices",
    "plan_periods",
    "plan_tallies",
    "plan_versions",
    "plans_version",
    "reporting_period",
    "reporting_period_of",
    "requested_period",
    "themes_of",
    "visible_states",
]
