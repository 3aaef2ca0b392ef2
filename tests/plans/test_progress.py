"""Reporting progress on activities (plans/progress.py): who may, sign-off, locks, versions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from plans import progress
from plans.models import ActivityUpdate, ProgressStatus
from targets.models import ActualState, PeriodLocked
from targets.reporting import NotAllowed
from tests.factories import period

pytestmark = pytest.mark.django_db


def save(delivery, user=None, *, activity=None, status=ProgressStatus.ON_TRACK, **kwargs):
    options = {"commentary": "Both sites have planning permission.", "submit": True}
    options.update(kwargs)
    return progress.activity_update_save(
        user=user or delivery.cast.owner,
        activity=activity or delivery.june,
        period=delivery.quarter,
        status=status,
        **options,
    )


def test_owner_officer_submits_progress(delivery):
    update = save(delivery)

    assert (update.state, update.status, update.version) == (
        ActualState.SUBMITTED,
        ProgressStatus.ON_TRACK,
        1,
    )
    assert update.entered_by == delivery.cast.owner
    assert update.history.get().history_change_reason == progress.ROUTE_PROGRESS


def test_officer_of_another_organisation_is_refused(delivery):
    with pytest.raises(NotAllowed, match="do not answer for this activity"):
        save(delivery, delivery.cast.stranger)

    assert not ActivityUpdate.objects.exists()


def test_scrutiny_member_is_refused(delivery):
    with pytest.raises(NotAllowed):
        save(delivery, delivery.cast.scrutiny)

    assert not ActivityUpdate.objects.exists()


def test_an_activity_with_no_lead_is_answered_for_by_the_plans_lead(delivery):
    delivery.june.lead_partner = None
    delivery.june.save()

    assert progress.may_update(delivery.cast.owner, delivery.june)
    assert not progress.may_update(delivery.cast.stranger, delivery.june)


def test_approver_approves_and_readers_then_see_the_status(delivery):
    update = save(delivery, status=ProgressStatus.COMPLETE)

    progress.activity_update_approve(user=delivery.cast.approver, update=update, seen_version=1)

    update.refresh_from_db()
    assert (update.state, update.approved_by, update.version) == (
        ActualState.APPROVED,
        delivery.cast.approver,
        2,
    )
    reasons = list(update.history.values_list("history_change_reason", flat=True))
    assert reasons == ["Sign-off", progress.ROUTE_PROGRESS]  # newest first


def test_nobody_signs_off_their_own_update(delivery):
    update = save(delivery, delivery.cast.admin)

    with pytest.raises(NotAllowed, match="someone else"):
        progress.activity_update_approve(user=delivery.cast.admin, update=update)

    update.refresh_from_db()
    assert update.state == ActualState.SUBMITTED


def test_an_officer_cannot_sign_off(delivery):
    update = save(delivery)

    with pytest.raises(NotAllowed):
        progress.activity_update_approve(user=delivery.cast.stranger, update=update)
    assert not progress.may_sign_off(delivery.cast.owner, update)


def test_return_needs_a_reason_and_the_officer_sees_it(delivery):
    update = save(delivery)

    with pytest.raises(ValidationError, match="Say why"):
        progress.activity_update_return(user=delivery.cast.approver, update=update, reason=" ")
    progress.activity_update_return(
        user=delivery.cast.approver, update=update, reason="Which two sites?"
    )

    update.refresh_from_db()
    assert (update.state, update.return_reason) == (ActualState.RETURNED, "Which two sites?")
    rows = progress.activity_worklist(delivery.cast.owner, date(2013, 7, 15))
    (row,) = [r for r in rows if r.update]
    assert row.return_reason == "Which two sites?"


def test_at_risk_needs_commentary(delivery):
    with pytest.raises(ValidationError, match="at risk or late"):
        save(delivery, status=ProgressStatus.AT_RISK, commentary="  ")

    assert not ActivityUpdate.objects.exists()


def test_an_unknown_status_is_refused_with_the_choices(delivery):
    with pytest.raises(ValidationError, match=r"Choose a status .*On track"):
        save(delivery, status="fine")


def test_an_approved_update_cannot_change_until_returned(delivery):
    update = save(delivery)
    progress.activity_update_approve(user=delivery.cast.approver, update=update)

    with pytest.raises(NotAllowed, match="approved"):
        save(delivery, status=ProgressStatus.AT_RISK, seen_version=2)

    update.refresh_from_db()
    assert update.status == ProgressStatus.ON_TRACK


def test_a_save_over_a_newer_version_is_refused(delivery):
    save(delivery, submit=False)  # version 1

    with pytest.raises(progress.StaleUpdate, match="On track"):
        save(delivery, status=ProgressStatus.COMPLETE, seen_version=0)

    update = ActivityUpdate.objects.get()
    assert (update.status, update.version) == (ProgressStatus.ON_TRACK, 1)


def test_a_locked_period_refuses_progress_and_nothing_changes(delivery):
    update = save(delivery, submit=False)
    delivery.quarter.is_locked = True
    delivery.quarter.save()

    with pytest.raises(PeriodLocked, match="locked"):
        save(delivery, status=ProgressStatus.COMPLETE, seen_version=1)
    with pytest.raises(PeriodLocked):
        progress.activity_update_approve(user=delivery.cast.approver, update=update)

    update.refresh_from_db()
    assert (update.status, update.state, update.version) == (
        ProgressStatus.ON_TRACK,
        ActualState.DRAFT,
        1,
    )


def test_the_model_refuses_a_locked_period_whatever_the_route(delivery):
    update = save(delivery, submit=False)
    delivery.quarter.is_locked = True
    delivery.quarter.save()

    update.status = ProgressStatus.COMPLETE
    with pytest.raises(PeriodLocked):
        update.save()
    with pytest.raises(PeriodLocked):
        update.delete()

    assert ActivityUpdate.objects.get().status == ProgressStatus.ON_TRACK


def test_progress_is_reported_by_quarter(delivery):
    update = ActivityUpdate(
        activity=delivery.june, period=period("2013/14"), status=ProgressStatus.ON_TRACK
    )

    with pytest.raises(ValidationError, match="by quarter"):
        update.full_clean()
    with pytest.raises(ValidationError, match="by quarter"):
        progress.period_for("2013/14")


def test_awaiting_sign_off_is_the_approvers_scope_only(delivery):
    update = save(delivery)

    assert list(progress.awaiting_sign_off(delivery.cast.approver)) == [update]
    assert list(progress.awaiting_sign_off(delivery.cast.owner)) == []  # no permission


def test_update_periods_run_to_the_due_date_or_the_plans_end(delivery):
    today = date(2026, 1, 1)

    june = [p.label for p in progress.update_periods(delivery.june, today)]
    later = [p.label for p in progress.update_periods(delivery.later, today)]
    ongoing = [p.label for p in progress.update_periods(delivery.ongoing, today)]

    assert june[0] == "2013/14 Q4"  # the plan ends after June 2013
    assert later[0] == "2025/26 Q3"  # due after the plan's end: reported on until then
    assert ongoing[0] == "2013/14 Q4"
    assert june[-1] == "2013/14 Q1"  # nothing before the plan starts


def test_worklist_puts_late_milestones_first(delivery):
    rows = progress.activity_worklist(delivery.cast.owner, date(2013, 7, 15))

    assert rows[0].activity == delivery.june
    assert [row.is_late for row in rows] == [True, False, False]
    assert {row.period.label for row in rows} == {"2013/14 Q1"}
    assert progress.activity_worklist(delivery.cast.stranger) == []


def test_a_complete_activity_is_no_longer_late_nor_due(delivery):
    update = save(delivery, status=ProgressStatus.COMPLETE)
    progress.activity_update_approve(user=delivery.cast.approver, update=update)

    (row,) = [
        r
        for r in progress.activity_worklist(delivery.cast.owner, date(2014, 1, 1))
        if r.activity == delivery.june
    ]

    assert (row.is_late, row.period) == (False, None)


def test_worklist_queries_do_not_grow_with_activities(delivery, django_assert_max_num_queries):
    from plans.models import Activity

    for number in range(20):
        extra = Activity(theme=delivery.objective, title=f"Extra {number}", order=10 + number)
        extra.set_by_when("March 2014")
        extra.lead_partner = delivery.june.lead_partner
        extra.save()

    with django_assert_max_num_queries(8):
        rows = progress.activity_worklist(delivery.cast.owner, date(2014, 5, 1))
    assert len(rows) == 23
