"""The quarterly reporting cycle: what is due from whom, entering values, sign-off, locked periods.

The entry form, the sign-off page, the admin and the imports all change actuals; the rules they
share live here (who may write, the version check, locks), so each route only asks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from partners.roles import Role
from plans.models import Plan
from targets import periods
from targets.models import (
    Actual,
    ActualSource,
    ActualState,
    Baseline,
    Breakdown,
    Commitment,
    CommitmentPartner,
    Frequency,
    Indicator,
    Period,
    PeriodKind,
    PeriodLocked,
    Target,
    locked_message,
)
from targets.status import Status, judge

# How each route is named in the audit trail (simple-history's change reason).
ROUTE_FORM = "Entry form"
ROUTE_SIGN_OFF = "Sign-off"
ROUTE_ADMIN = "Admin"


def shown(number: Decimal | None) -> str:
    """A stored number as people write it: 55 rather than 55.000000."""
    return "" if number is None else format(number.normalize(), "f")


class NotAllowed(PermissionDenied):
    """The user may not make this change; the message says why."""


class StaleValue(Exception):
    """Someone saved the value after this user opened it: nothing was written."""

    def __init__(self, current: list[Actual]):
        self.current = current
        names = ", ".join(
            f"{actual.breakdown.name if actual.breakdown_id else 'value'} is now "
            f"{shown(actual.value)}"
            for actual in current
        )
        super().__init__(f"Someone else saved this while you were editing ({names}).")


# --- Roles and scope -------------------------------------------------------------------------


def is_admin(user) -> bool:
    return user.is_superuser or user.groups.filter(name=Role.ADMIN).exists()


def commitments_in_scope(user):
    """The commitments a user answers for: those an organisation of theirs leads or has signed
    up to, and those that name them as the responsible officer. Admins answer for all."""
    if is_admin(user):
        return Commitment.objects.all()
    # A subquery, not a join: a join repeats a commitment two of the user's organisations have
    # signed, and the DISTINCT that removed the copies compared every column of every row.
    signed = CommitmentPartner.objects.filter(
        partner_id__in=user.memberships.values("partner_id")
    ).values("commitment_id")
    return Commitment.objects.filter(Q(pk__in=signed) | Q(responsible_officer=user))


def indicators_in_scope(user):
    return Indicator.objects.filter(pk__in=commitments_in_scope(user).values("indicator_id"))


def may_enter(user, indicator: Indicator) -> bool:
    return (
        user.has_perm("targets.add_actual")
        and indicators_in_scope(user).filter(pk=indicator.pk).exists()
    )


def may_sign_off(user, actual: Actual) -> bool:
    return (
        user.has_perm("targets.approve_actual")
        and indicators_in_scope(user).filter(pk=actual.indicator_id).exists()
    )


# --- Reporting periods -----------------------------------------------------------------------

_KIND_OF_FREQUENCY = {
    Frequency.QUARTERLY: periods.PeriodKind.QUARTER,
    Frequency.ANNUAL: periods.PeriodKind.FINANCIAL_YEAR,
    Frequency.SCHOOL_YEAR: periods.PeriodKind.SCHOOL_YEAR,
    Frequency.CALENDAR_YEAR: periods.PeriodKind.CALENDAR_YEAR,
    Frequency.MONTHLY: periods.PeriodKind.MONTH,
}


def _containing(frequency: str, day: date) -> periods.ParsedPeriod:
    kind = _KIND_OF_FREQUENCY[Frequency(frequency)]
    if kind == periods.PeriodKind.MONTH:
        return periods.month(day.year, day.month)
    if kind == periods.PeriodKind.CALENDAR_YEAR:
        return periods.calendar_year(day.year)
    if kind == periods.PeriodKind.SCHOOL_YEAR:
        return periods.school_year(day.year if day.month >= 9 else day.year - 1)
    financial = day.year if day.month >= 4 else day.year - 1
    if kind == periods.PeriodKind.FINANCIAL_YEAR:
        return periods.financial_year(financial)
    return periods.quarter(financial, (day.month - 4) % 12 // 3 + 1)


def reporting_periods(frequency: str, today: date, *, since: date | None = None, limit=12):
    """The periods of an indicator's frequency that have ended by ``today``, newest first:
    the first is the one due now. Goes back to ``since`` (a plan's start), at most ``limit``."""
    found = []
    period = _containing(frequency, today)
    while len(found) < limit:
        if period.end < today:
            if since is not None and period.end < since:
                break
            found.append(period)
        period = _containing(frequency, period.start - timedelta(days=1))
    return found


def plan_in_force(plan, period: periods.ParsedPeriod) -> bool:
    starts, ends = plan.starts_on, plan.ends_on
    return (starts is None or starts <= period.end) and (ends is None or ends >= period.start)


# --- The worklist ----------------------------------------------------------------------------


class Due(StrEnum):
    """Where the value due for a period stands."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"

    @property
    def label(self) -> str:
        return {
            Due.NOT_STARTED: "Not started",
            Due.DRAFT: "Draft saved",
            Due.SUBMITTED: "Submitted for sign-off",
            Due.RETURNED: "Returned",
            Due.APPROVED: "Approved",
            Due.OVERDUE: "Overdue",
            Due.NOT_DUE: "Nothing due",
        }[self]


def due_state(actuals: list[Actual], deadline: date | None, today: date) -> Due:
    """One period's state from its values (one per breakdown, or one in all)."""
    states = {actual.state for actual in actuals}
    if actuals and states == {ActualState.APPROVED}:
        return Due.APPROVED
    if ActualState.RETURNED in states:
        return Due.RETURNED
    if actuals and states <= {ActualState.SUBMITTED, ActualState.APPROVED}:
        return Due.SUBMITTED
    if deadline is not None and today > deadline:
        return Due.OVERDUE
    return Due.DRAFT if actuals else Due.NOT_STARTED


@dataclass
class WorklistRow:
    indicator: Indicator
    plans: list  # the plans that commit to the indicator
    period: periods.ParsedPeriod | None
    deadline: date | None
    due: Due
    latest: Actual | None
    return_reason: str = ""
    actuals: list[Actual] = field(default_factory=list)
    # What the page shows, filled in once for all its rows by targets.views.WorklistView.
    url: str = ""
    entry_url: str = ""
    deadline_shown: str = ""


def deadline_of(period: periods.ParsedPeriod, stored: Period | None) -> date:
    if stored is not None and stored.entry_deadline:
        return stored.entry_deadline
    return period.end + timedelta(days=settings.ENTRY_DEADLINE_DAYS)


def worklist(user, today: date | None = None) -> list[WorklistRow]:
    """The indicators a user answers for, each with what is due now and where it stands.

    A fixed number of queries however many indicators there are."""
    today = today or timezone.localdate()
    # Only the ids of the commitments (in their plans' order): each indicator and each plan
    # is read once, rather than a copy of both for every commitment.
    pairs = list(commitments_in_scope(user).values_list("indicator_id", "plan_id"))
    plans = Plan.objects.in_bulk({plan_id for _, plan_id in pairs})
    plans_of: dict[int, list] = {}
    for indicator_id, plan_id in pairs:
        plans_of.setdefault(indicator_id, []).append(plans[plan_id])
    latest_value = (
        Actual.objects.filter(indicator=OuterRef("pk"), value__isnull=False)
        .order_by(
            F("period__starts_on").desc(nulls_last=True),
            F("period__ends_on").desc(nulls_last=True),
            "-pk",
        )
        .values("pk")[:1]
    )
    # NI 39 before NI 120, as people number them (codes that read the same in the plans'
    # order). Each comes with the id of its latest value.
    position = {indicator_id: n for n, indicator_id in enumerate(plans_of)}
    indicators = sorted(
        Indicator.objects.filter(pk__in=list(plans_of)).annotate(latest_id=Subquery(latest_value)),
        key=lambda indicator: (indicator.code_key, position[indicator.pk]),
    )

    # The period due depends only on the frequency: worked out once for each, not per indicator.
    due_for = functools.cache(lambda frequency: reporting_periods(frequency, today, limit=1)[0])
    due_periods = {}
    for indicator in indicators:
        period = due_for(indicator.frequency)
        in_force = any(plan_in_force(plan, period) for plan in plans_of[indicator.pk])
        due_periods[indicator.pk] = period if in_force else None
    labels = {p.label for p in due_periods.values() if p}
    stored = {p.label: p for p in Period.objects.filter(label__in=labels)}

    # Only the values of the periods due and each indicator's latest value, not years of
    # history (an officer of a large partner answers for hundreds of indicators).
    latest_ids = [indicator.latest_id for indicator in indicators if indicator.latest_id]
    due_now = Q(indicator_id__in=list(plans_of), period__in=list(stored.values()))
    actuals: dict[int, list[Actual]] = {}
    for actual in (
        Actual.objects.filter(due_now | Q(pk__in=latest_ids))
        .select_related("period", "breakdown")
        .order_by("period__starts_on", "period__ends_on", "pk")
    ):
        actuals.setdefault(actual.indicator_id, []).append(actual)

    rows = []
    for indicator in indicators:
        items = plans_of[indicator.pk]
        history = actuals.get(indicator.pk, [])
        period = due_periods[indicator.pk]
        latest = next((a for a in reversed(history) if a.value is not None), None)
        if period is None:
            rows.append(WorklistRow(indicator, items, None, None, Due.NOT_DUE, latest))
            continue
        deadline = deadline_of(period, stored.get(period.label))
        of_period = [a for a in history if a.period.label == period.label]
        state = due_state(of_period, deadline, today)
        reason = next((a.return_reason for a in of_period if a.state == ActualState.RETURNED), "")
        rows.append(
            WorklistRow(indicator, items, period, deadline, state, latest, reason, of_period)
        )
    order = list(Due)
    rows.sort(key=lambda row: (order.index(row.due) if row.due != Due.OVERDUE else -1,))
    return rows


# --- Entering values -------------------------------------------------------------------------


@dataclass
class EntryRow:
    """One line of the entry form: the indicator as a whole, or one of its breakdowns."""

    breakdown: Breakdown | None
    actual: Actual | None  # the value saved so far for this period, if any
    previous: Actual | None  # the latest value of an earlier period, to spot slipped digits

    @property
    def key(self) -> str:
        return str(self.breakdown.pk) if self.breakdown else "total"

    @property
    def label(self) -> str:
        return self.breakdown.name if self.breakdown else "Value"


def entry_rows(indicator: Indicator, period: Period) -> list[EntryRow]:
    """The lines of the entry form: one per breakdown the indicator is reported by, or one."""
    breakdowns = list(indicator.breakdowns.all()) or [None]
    values = Actual.objects.filter(indicator=indicator).select_related("period", "breakdown")
    saved = {a.breakdown_id: a for a in values.filter(period=period)}
    earlier = values.filter(period__ends_on__lt=period.starts_on, value__isnull=False).order_by(
        "-period__ends_on"
    )
    previous: dict[int | None, Actual] = {}
    for actual in earlier[:50]:
        previous.setdefault(actual.breakdown_id, actual)
    rows = []
    for breakdown in breakdowns:
        key = breakdown.pk if breakdown else None
        rows.append(EntryRow(breakdown, saved.get(key), previous.get(key)))
    return rows


def recent_values(indicator: Indicator, period: Period, count: int = 4) -> list[Actual]:
    """The values of the ``count`` periods before this one, newest first, every breakdown."""
    earlier = (
        Actual.objects.filter(indicator=indicator, period__ends_on__lt=period.starts_on)
        .select_related("period", "breakdown")
        .order_by("-period__ends_on", "breakdown__name")
    )
    labels: list[str] = []
    found = []
    for actual in earlier[: count * 20]:
        if actual.period.label not in labels:
            if len(labels) == count:
                break
            labels.append(actual.period.label)
        found.append(actual)
    return found


@dataclass(frozen=True)
class Entry:
    """One value typed into the form: for a breakdown, or for the indicator as a whole."""

    breakdown: Breakdown | None
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    # The version the officer saw when the form was opened; 0 for a value not yet saved.
    seen_version: int = 0


def ensure_open(period: Period) -> None:
    if period.is_locked:
        raise PeriodLocked(locked_message(period))


def _locked_rows(indicator: Indicator, period: Period) -> dict[int | None, Actual]:
    rows = Actual.objects.select_for_update(of=("self",)).filter(indicator=indicator, period=period)
    found = {}
    for actual in rows.select_related("breakdown", "period"):
        actual.indicator = indicator  # already read; its checks need its unit
        found[actual.breakdown_id] = actual
    return found


@transaction.atomic
def save_values(
    user,
    indicator: Indicator,
    period: Period,
    entries: list[Entry],
    *,
    commentary: str,
    data_source: str,
    submit: bool,
    today: date | None = None,
) -> list[Actual]:
    """Save an officer's values for one period, as a draft or submitted for sign-off.

    Raises NotAllowed, PeriodLocked, StaleValue (someone saved in between: nothing is written)
    or ValidationError (the model's own checks, by field)."""
    if not may_enter(user, indicator):
        raise NotAllowed(f"You do not answer for {indicator.code}, so you cannot enter its values.")
    period = Period.objects.select_for_update().get(pk=period.pk)
    ensure_open(period)
    today = today or timezone.localdate()
    existing = _locked_rows(indicator, period)
    stale = [
        existing[entry.breakdown.pk if entry.breakdown else None]
        for entry in entries
        if (existing.get(entry.breakdown.pk if entry.breakdown else None) or _NEW).version
        != (entry.seen_version or 0)
    ]
    if stale:
        raise StaleValue(stale)
    for actual in existing.values():
        if actual.state == ActualState.APPROVED:
            raise NotAllowed(
                f"The {period} value has been approved; an approver must return it "
                "before it can change."
            )

    saved = []
    for entry in entries:
        actual = existing.get(entry.breakdown.pk if entry.breakdown else None) or Actual(
            indicator=indicator, period=period, breakdown=entry.breakdown, source=ActualSource.FORM
        )
        actual.value, actual.numerator, actual.denominator = (
            entry.value,
            entry.numerator,
            entry.denominator,
        )
        actual.commentary = commentary
        actual.data_source = data_source
        actual.entered_by = user
        actual.source = ActualSource.FORM
        if submit:
            actual.state = ActualState.SUBMITTED
            actual.submitted_at = timezone.now()
            actual.is_late = period.is_late_on(today)
        elif actual.state != ActualState.RETURNED:
            actual.state = ActualState.DRAFT
        _write(actual, user, ROUTE_FORM)
        saved.append(actual)
    return saved


class _NewRow:
    version = 0


_NEW = _NewRow()


def _write(actual: Actual, user, route: str) -> None:
    # Every field and the model's own rules are checked; not the foreign keys, which are objects
    # this transaction has just read (the period locked), and not uniqueness, which the rows read
    # for update settle: ``full_clean`` would ask the database about each again (four queries a
    # value), and the database's own constraints still hold.
    actual.full_clean(
        exclude=["entered_at", "indicator", "period", "breakdown", "entered_by", "approved_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    if actual.pk:
        actual.version += 1
    actual._history_user = user
    actual._change_reason = route
    actual.save()


# --- Sign-off --------------------------------------------------------------------------------


def _for_sign_off(user, actual: Actual, seen_version: int | None) -> Actual:
    current = (
        Actual.objects.select_for_update(of=("self",)).select_related("period").get(pk=actual.pk)
    )
    if not may_sign_off(user, current):
        raise NotAllowed("You cannot sign off values for this indicator.")
    if current.entered_by_id == user.pk:
        raise NotAllowed("You entered this value, so someone else must sign it off.")
    ensure_open(current.period)
    if seen_version is not None and current.version != seen_version:
        raise StaleValue([current])
    return current


def mark_approved(current, user, *, noun: str, state_shown: str) -> None:
    """Approve a submitted value or activity update (``current``, locked for update); the
    caller checks who may and saves. ``noun`` and ``state_shown`` word the refusal."""
    if current.state != ActualState.SUBMITTED:
        raise ValidationError(
            f"Only a submitted {noun} can be approved; this one is {state_shown}."
        )
    current.state = ActualState.APPROVED
    current.approved_by = user
    current.approved_at = timezone.now()
    current.return_reason = ""


def mark_returned(current, reason: str, *, noun: str, state_shown: str) -> None:
    """Return a submitted or approved value or activity update to its officer, with the
    reason they will see; the caller checks who may and saves."""
    if current.state not in (ActualState.SUBMITTED, ActualState.APPROVED):
        raise ValidationError(
            f"Only a submitted or approved {noun} can be returned; this one is {state_shown}."
        )
    if not reason.strip():
        raise ValidationError({"reason": f"Say why the {noun} is being returned."})
    current.state = ActualState.RETURNED
    current.return_reason = reason.strip()
    current.approved_by = None
    current.approved_at = None


@transaction.atomic
def approve(user, actual: Actual, *, seen_version: int | None = None) -> Actual:
    current = _for_sign_off(user, actual, seen_version)
    mark_approved(current, user, noun="value", state_shown=current.state)
    _write(current, user, ROUTE_SIGN_OFF)
    return current


@transaction.atomic
def return_for_changes(user, actual: Actual, reason: str, *, seen_version: int | None = None):
    current = _for_sign_off(user, actual, seen_version)
    mark_returned(current, reason, noun="value", state_shown=current.state)
    _write(current, user, ROUTE_SIGN_OFF)
    return current


def awaiting_sign_off(user):
    """Submitted values the user may sign off, oldest first (they have waited longest)."""
    if not user.has_perm("targets.approve_actual"):
        return Actual.objects.none()
    return (
        Actual.objects.filter(state=ActualState.SUBMITTED, indicator__in=indicators_in_scope(user))
        .exclude(entered_by=user)
        .select_related("indicator", "period", "breakdown", "entered_by")
        .order_by("submitted_at")
    )


# --- Locking periods -------------------------------------------------------------------------


@transaction.atomic
def lock_period(user, period: Period, reason: str = "Reported") -> Period:
    if not user.has_perm("targets.lock_period"):
        raise NotAllowed("Only an admin can lock a period.")
    period = Period.objects.select_for_update().get(pk=period.pk)
    period.is_locked = True
    period._history_user = user
    period._change_reason = f"Locked: {reason}".strip()
    period.save()
    return period


@transaction.atomic
def unlock_period(user, period: Period, reason: str) -> Period:
    if not user.has_perm("targets.lock_period"):
        raise NotAllowed("Only an admin can unlock a period.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the period is being unlocked; it is logged."})
    period = Period.objects.select_for_update().get(pk=period.pk)
    period.is_locked = False
    period._history_user = user
    period._change_reason = f"Unlocked: {reason.strip()}"
    period.save()
    return period


def targets_for(indicator: Indicator, period: Period) -> list[Target]:
    """The targets that apply to a period: those for the period itself or for the year that
    contains it (a quarter is judged against its financial year's target)."""
    return list(
        Target.objects.filter(
            commitment__indicator=indicator,
            period__starts_on__lte=period.starts_on,
            period__ends_on__gte=period.ends_on,
        )
        .select_related("commitment__plan", "period", "breakdown")
        .order_by("commitment__plan__starts_on", "period__starts_on")
    )


def entry_periods(indicator: Indicator, today: date) -> list[tuple[str, bool]]:
    """The periods an officer can pick on the entry form, newest first, with whether each is
    locked: the indicator's reporting periods back to the start of its earliest plan."""
    plans = [c.plan for c in indicator.commitments.select_related("plan")]
    since = min((p.starts_on for p in plans if p.starts_on), default=None)
    if plans and all(p.ends_on for p in plans):
        today = min(today, max(p.ends_on for p in plans) + timedelta(days=1))
    found = reporting_periods(indicator.frequency, today, since=since, limit=8)
    locked = set(
        Period.objects.filter(label__in=[p.label for p in found], is_locked=True).values_list(
            "label", flat=True
        )
    )
    return [(p.label, p.label in locked) for p in found]


def baselines_for(indicator: Indicator) -> list[Baseline]:
    """Every baseline of the indicator, in its plans' order, as the entry form shows them."""
    return list(
        Baseline.objects.filter(commitment__indicator=indicator)
        .select_related("commitment__plan", "period", "breakdown")
        .order_by("commitment__plan__starts_on", "breakdown__name")
    )


def is_off_target(
    indicator: Indicator,
    period: Period,
    row: EntryRow,
    value: Decimal,
    *,
    targets: list[Target],
    baselines: list[Baseline],
) -> bool:
    """Whether a typed value is off (or close to being off) its target, for the rule that such
    a value needs commentary; ``targets`` and ``baselines`` as ``targets_for`` and
    ``baselines_for`` give them."""
    key = row.breakdown.pk if row.breakdown else None
    for target in (t for t in targets if t.breakdown_id == key):
        baseline = next(
            (
                b
                for b in baselines
                if b.commitment_id == target.commitment_id and b.breakdown_id == key
            ),
            None,
        )
        # A quarter's value against its year's target; a target set for the quarter
        # itself is already profiled, so it is not pro-rated again.
        quarter = period.quarter if target.period.kind != PeriodKind.QUARTER else None
        today = timezone.localdate()
        status = judge(value, target, baseline, indicator, quarter=quarter, today=today)
        if status in (Status.RED, Status.AMBER):
            return True
    return False
