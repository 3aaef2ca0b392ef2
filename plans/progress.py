"""Quarterly progress on delivery plan activities: who may report it, saving, sign-off.

The same cycle as actuals (``targets.reporting``): an officer saves a draft or submits a status
with commentary for a quarter; an approver of the same organisation approves it or returns it
with a reason, never their own; nothing changes in a locked period; a save over a newer version
is refused. Every write keeps its history with the route as the change reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from plans.models import Activity, ActivityUpdate, ProgressStatus
from targets import periods
from targets.models import ActualState, Frequency, Period
from targets.reporting import (
    ROUTE_FORM,
    ROUTE_SIGN_OFF,
    Due,
    NotAllowed,
    deadline_of,
    ensure_open,
    is_admin,
    mark_approved,
    mark_returned,
    reporting_periods,
)

ROUTE_PROGRESS = f"{ROUTE_FORM}: activity progress"


class StaleUpdate(Exception):
    """Someone saved the update after this user opened it: nothing was written."""

    def __init__(self, current: ActivityUpdate):
        self.current = current
        super().__init__(
            f"Someone else saved this update while you were editing (it now says "
            f"{current.get_status_display()!r})."
        )


# --- Scope -----------------------------------------------------------------------------------


def activities_in_scope(user):
    """The activities a user answers for: those an organisation of theirs leads or, where an
    activity names no lead, those of plans their organisation leads. Admins answer for all."""
    if is_admin(user):
        return Activity.objects.all()
    partner_ids = user.memberships.values("partner_id")
    return Activity.objects.filter(
        Q(lead_partner_id__in=partner_ids)
        | Q(lead_partner__isnull=True, theme__plan__lead_partner_id__in=partner_ids)
    )


def may_update(user, activity: Activity) -> bool:
    return (
        user.has_perm("plans.add_activityupdate")
        and activities_in_scope(user).filter(pk=activity.pk).exists()
    )


def may_sign_off(user, update: ActivityUpdate) -> bool:
    return (
        user.has_perm("plans.approve_activityupdate")
        and activities_in_scope(user).filter(pk=update.activity_id).exists()
    )


# --- Which quarters ----------------------------------------------------------------------------


def update_periods(
    activity: Activity, today: date, *, limit: int = 8
) -> list[periods.ParsedPeriod]:
    """The quarters progress can be reported for, newest first (the first is the one due): the
    quarters that have ended, from the plan's start to its end or, for an activity due later,
    to its due date."""
    plan = activity.theme.plan
    last = max((d for d in (plan.ends_on, activity.due_on) if d), default=None)
    if last is not None and not activity.is_ongoing:
        today = min(today, last + timedelta(days=1))
    elif plan.ends_on is not None:
        today = min(today, plan.ends_on + timedelta(days=1))
    return reporting_periods(Frequency.QUARTERLY, today, since=plan.starts_on, limit=limit)


def period_for(label: str) -> Period:
    """The stored quarter a label names; ValidationError for anything but a quarter."""
    try:
        period = Period.objects.for_label(label)
    except periods.UnreadablePeriod as error:
        raise ValidationError({"period": str(error)}) from None
    if period.kind != periods.PeriodKind.QUARTER:
        raise ValidationError({"period": f"Progress is reported by quarter, not for {period}."})
    return period


# --- Saving ----------------------------------------------------------------------------------


def _write(update: ActivityUpdate, user, route: str) -> None:
    update.full_clean(exclude=["entered_at"])
    if update.pk:
        update.version += 1
    update._history_user = user
    update._change_reason = route
    update.save()


@transaction.atomic
def activity_update_save(
    *,
    user,
    activity: Activity,
    period: Period,
    status: str,
    commentary: str,
    submit: bool,
    seen_version: int = 0,
) -> ActivityUpdate:
    """Save an officer's progress on an activity for a quarter, as a draft or submitted.

    Raises NotAllowed, PeriodLocked, StaleUpdate (nothing is written) or ValidationError."""
    if not may_update(user, activity):
        raise NotAllowed("You do not answer for this activity, so you cannot report its progress.")
    period = Period.objects.select_for_update().get(pk=period.pk)
    ensure_open(period)
    if status not in ProgressStatus.values:
        choices = ", ".join(label for _, label in ProgressStatus.choices)
        raise ValidationError({"status": f"Choose a status ({choices}), not {status!r}."})
    if status in (ProgressStatus.AT_RISK, ProgressStatus.MISSED) and not commentary.strip():
        raise ValidationError(
            {"commentary": "Say why the activity is at risk or late, and what is being done."}
        )
    update = (
        ActivityUpdate.objects.select_for_update(of=("self",))
        .filter(activity=activity, period=period)
        .first()
    )
    # Nothing saved yet (or deleted since) leaves nothing to overwrite.
    if update is not None and update.version != (seen_version or 0):
        raise StaleUpdate(update)
    if update is None:
        update = ActivityUpdate(activity=activity, period=period)
    elif update.state == ActualState.APPROVED:
        raise NotAllowed(
            f"The {period} update has been approved; an approver must return it before it "
            "can change."
        )
    update.status = status
    update.commentary = commentary.strip()
    update.entered_by = user
    if submit:
        update.state = ActualState.SUBMITTED
        update.submitted_at = timezone.now()
    elif update.state != ActualState.RETURNED:
        update.state = ActualState.DRAFT
    _write(update, user, ROUTE_PROGRESS)
    return update


# --- Sign-off --------------------------------------------------------------------------------


def _for_sign_off(user, update: ActivityUpdate, seen_version: int | None) -> ActivityUpdate:
    current = (
        ActivityUpdate.objects.select_for_update(of=("self",))
        .select_related("period", "activity")
        .get(pk=update.pk)
    )
    if not may_sign_off(user, current):
        raise NotAllowed("You cannot sign off progress on this activity.")
    if current.entered_by_id == user.pk:
        raise NotAllowed("You entered this update, so someone else must sign it off.")
    ensure_open(current.period)
    if seen_version is not None and current.version != seen_version:
        raise StaleUpdate(current)
    return current


@transaction.atomic
def activity_update_approve(*, user, update: ActivityUpdate, seen_version=None) -> ActivityUpdate:
    current = _for_sign_off(user, update, seen_version)
    mark_approved(current, user, noun="update", state_shown=current.get_state_display())
    _write(current, user, ROUTE_SIGN_OFF)
    return current


@transaction.atomic
def activity_update_return(
    *, user, update: ActivityUpdate, reason: str, seen_version=None
) -> ActivityUpdate:
    current = _for_sign_off(user, update, seen_version)
    mark_returned(current, reason, noun="update", state_shown=current.get_state_display())
    _write(current, user, ROUTE_SIGN_OFF)
    return current


def awaiting_sign_off(user):
    """Submitted updates the user may sign off, oldest first."""
    if not user.has_perm("plans.approve_activityupdate"):
        return ActivityUpdate.objects.none()
    return (
        ActivityUpdate.objects.filter(
            state=ActualState.SUBMITTED, activity__in=activities_in_scope(user)
        )
        .exclude(entered_by=user)
        .select_related("activity__theme__plan", "period", "entered_by")
        .order_by("submitted_at")
    )


# --- The officer's list ----------------------------------------------------------------------


@dataclass
class ActivityRow:
    activity: Activity
    period: periods.ParsedPeriod | None  # the quarter due, None when nothing is due
    due: Due
    update: ActivityUpdate | None  # this quarter's update, any state
    is_late: bool  # the milestone (by the latest approved update)

    @property
    def return_reason(self) -> str:
        return self.update.return_reason if self.update else ""


def _due_state(update: ActivityUpdate | None, deadline: date | None, today: date) -> Due:
    if update is None:
        return Due.OVERDUE if deadline and today > deadline else Due.NOT_STARTED
    if update.state == ActualState.APPROVED:
        return Due.APPROVED
    if update.state == ActualState.RETURNED:
        return Due.RETURNED
    if update.state == ActualState.SUBMITTED:
        return Due.SUBMITTED
    return Due.OVERDUE if deadline and today > deadline else Due.DRAFT


def activity_worklist(user, today: date | None = None, *, plan=None) -> list[ActivityRow]:
    """The activities a user answers for, each with the quarter due and where its update
    stands; late milestones and then what needs doing first. A fixed number of queries."""
    today = today or timezone.localdate()
    activities = activities_in_scope(user).with_progress()
    if plan is not None:
        activities = activities.of_plan(plan)
    activities = list(activities.order_by("theme__plan__name", "theme__order", "order"))
    due_period = {}
    for activity in activities:
        # A complete activity has nothing more to report.
        latest = activity.latest_update
        done = latest is not None and latest.status == ProgressStatus.COMPLETE
        found = [] if done else update_periods(activity, today, limit=1)
        due_period[activity.pk] = found[0] if found else None
    labels = {p.label for p in due_period.values() if p}
    stored = {p.label: p for p in Period.objects.filter(label__in=labels)}
    updates = {
        (u.activity_id, u.period.label): u
        for u in ActivityUpdate.objects.filter(
            activity__in=[a.pk for a in activities], period__label__in=labels
        ).select_related("period")
    }
    rows = []
    for activity in activities:
        period = due_period[activity.pk]
        late = activity.is_late_on(today)
        if period is None:
            rows.append(ActivityRow(activity, None, Due.NOT_DUE, None, late))
            continue
        update = updates.get((activity.pk, period.label))
        deadline = deadline_of(period, stored.get(period.label))
        rows.append(
            ActivityRow(activity, period, _due_state(update, deadline, today), update, late)
        )
    order = list(Due)
    rows.sort(key=lambda row: (not row.is_late, order.index(row.due)))
    return rows
