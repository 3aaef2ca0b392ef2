"""The reporting cycle's rules: who answers for what, what is due, drafts, submission, sign-off,
locked periods, late entries and the version check."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.roles import Role
from targets import reporting
from targets.models import Actual, ActualSource, ActualState, Frequency, Period, PeriodLocked
from targets.reporting import Due, Entry
from tests.conftest import VALUE
from tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    IndicatorFactory,
    MembershipFactory,
    PartnerFactory,
    PlanFactory,
    ThemeFactory,
    period,
    person,
)

pytestmark = pytest.mark.django_db


def enter(cast, user=None, value=VALUE, *, submit=False, seen_version=0, when=None):
    return reporting.save_values(
        user or cast.owner,
        cast.indicator,
        cast.quarter,
        [Entry(breakdown=None, value=value, seen_version=seen_version)],
        commentary="On track.",
        data_source="Test return",
        submit=submit,
        today=when or cast.quarter.ends_on + timedelta(days=5),
    )


# --- Who answers for what --------------------------------------------------------------------


def test_only_officers_of_an_organisation_on_the_commitment_may_enter(cast):
    assert reporting.may_enter(cast.owner, cast.indicator)
    assert reporting.may_enter(cast.admin, cast.indicator)
    assert not reporting.may_enter(cast.stranger, cast.indicator)
    assert not reporting.may_enter(cast.scrutiny, cast.indicator)
    # An approver of the lead organisation signs off but does not enter.
    assert not reporting.may_enter(cast.approver, cast.indicator)


def test_partners_signed_up_and_the_named_officer_may_enter_too(cast):
    partner = PartnerFactory(name="Testshire NHS")
    CommitmentPartnerFactory(commitment=cast.commitment, partner=partner, is_lead=False)
    nhs_officer = person(Role.OFFICER, partner)
    assert reporting.may_enter(nhs_officer, cast.indicator)

    assert not reporting.may_enter(cast.stranger, cast.indicator)
    cast.commitment.responsible_officer = cast.stranger
    cast.commitment.save()
    assert reporting.may_enter(cast.stranger, cast.indicator)


def test_a_stranger_cannot_save_values_and_nothing_is_written(cast):
    with pytest.raises(reporting.NotAllowed, match="You do not answer for NI 999"):
        enter(cast, cast.stranger)
    with pytest.raises(reporting.NotAllowed):
        enter(cast, cast.scrutiny)
    assert not Actual.objects.exists()


# --- Reporting periods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "today", "due"),
    [
        (Frequency.QUARTERLY, date(2026, 11, 23), "2026/27 Q2"),
        (Frequency.QUARTERLY, date(2026, 10, 1), "2026/27 Q2"),
        (Frequency.QUARTERLY, date(2026, 9, 30), "2026/27 Q1"),
        (Frequency.QUARTERLY, date(2026, 4, 2), "2025/26 Q4"),
        (Frequency.ANNUAL, date(2026, 11, 23), "2025/26"),
        (Frequency.ANNUAL, date(2026, 3, 31), "2024/25"),
        (Frequency.SCHOOL_YEAR, date(2026, 11, 23), "2025/26 school year"),
        (Frequency.CALENDAR_YEAR, date(2026, 11, 23), "2025"),
        (Frequency.MONTHLY, date(2026, 11, 23), "October 2026"),
    ],
)
def test_the_period_due_is_the_latest_that_has_ended(frequency, today, due):
    assert reporting.reporting_periods(frequency, today, limit=1)[0].label == due


def test_reporting_periods_go_back_no_further_than_the_plan():
    found = reporting.reporting_periods(
        Frequency.QUARTERLY, date(2009, 11, 1), since=date(2008, 4, 1)
    )
    assert [p.label for p in found] == [
        "2009/10 Q2",
        "2009/10 Q1",
        "2008/09 Q4",
        "2008/09 Q3",
        "2008/09 Q2",
        "2008/09 Q1",
    ]


@pytest.mark.parametrize(
    ("states", "past_deadline", "due"),
    [
        ([], False, Due.NOT_STARTED),
        ([], True, Due.OVERDUE),
        ([ActualState.DRAFT], False, Due.DRAFT),
        ([ActualState.DRAFT], True, Due.OVERDUE),
        ([ActualState.SUBMITTED], True, Due.SUBMITTED),
        ([ActualState.SUBMITTED, ActualState.APPROVED], False, Due.SUBMITTED),
        ([ActualState.APPROVED, ActualState.APPROVED], True, Due.APPROVED),
        ([ActualState.APPROVED, ActualState.RETURNED], False, Due.RETURNED),
    ],
)
def test_a_period_state_follows_its_values_and_its_deadline(states, past_deadline, due):
    today = date(2026, 11, 23)
    deadline = today - timedelta(days=1) if past_deadline else today
    actuals = [Actual(state=state) for state in states]
    assert reporting.due_state(actuals, deadline, today) is due


# --- The worklist ----------------------------------------------------------------------------


def plan_in_force(cast):
    plan = cast.commitment.plan
    plan.starts_on, plan.ends_on = date(2025, 4, 1), None
    plan.save()


def test_the_worklist_shows_what_is_due_and_where_it_stands(cast):
    plan_in_force(cast)
    [row] = reporting.worklist(cast.owner, today=date(2026, 11, 23))
    assert row.indicator == cast.indicator
    assert row.period.label == "2026/27 Q2"
    assert row.deadline == date(2026, 10, 30)  # 30 days after 30 September
    assert row.due is Due.OVERDUE

    [row] = reporting.worklist(cast.owner, today=date(2026, 10, 15))
    assert row.due is Due.NOT_STARTED
    assert reporting.worklist(cast.stranger, today=date(2026, 10, 15)) == []


def test_the_worklist_shows_a_returned_value_with_its_reason(cast):
    enter(cast, submit=True)
    actual = Actual.objects.get()
    reporting.return_for_changes(cast.approver, actual, "Wrong quarter's figure")
    plan = cast.commitment.plan
    [row] = reporting.worklist(cast.owner, today=date(2008, 10, 15))
    assert plan.starts_on <= row.period.start
    assert row.period.label == "2008/09 Q2"
    assert row.due is Due.RETURNED
    assert row.return_reason == "Wrong quarter's figure"
    assert row.latest.value == VALUE


def test_an_ended_plan_leaves_nothing_due(cast):
    [row] = reporting.worklist(cast.owner, today=date(2026, 11, 23))
    assert row.due is Due.NOT_DUE
    assert row.period is None


def test_the_worklist_needs_the_same_queries_for_3_and_30_indicators(cast):
    plan_in_force(cast)

    def queries():
        with CaptureQueriesContext(connection) as context:
            reporting.worklist(cast.owner, today=date(2026, 11, 23))
        return len(context.captured_queries)

    council = cast.commitment.commitment_partners.get().partner
    for _ in range(2):
        commitment = CommitmentFactory(plan=cast.commitment.plan, theme=cast.commitment.theme)
        CommitmentPartnerFactory(commitment=commitment, partner=council)
    few = queries()
    for _ in range(27):
        commitment = CommitmentFactory(plan=cast.commitment.plan, theme=cast.commitment.theme)
        CommitmentPartnerFactory(commitment=commitment, partner=council)
    assert len(reporting.worklist(cast.owner, today=date(2026, 11, 23))) == 30
    assert queries() == few


def test_the_worklist_queries_do_not_grow_with_plans_frequencies_and_values(cast):
    # As above, with what makes a real worklist: several plans, frequencies and periods due,
    # values due now and values of earlier years.
    plan_in_force(cast)
    council = cast.commitment.commitment_partners.get().partner
    today = date(2026, 11, 23)

    def add(count):
        for n in range(count):
            plan = PlanFactory(starts_on=date(2020, 4, 1) if n % 2 else date(2005, 4, 1))
            frequency = [Frequency.QUARTERLY, Frequency.ANNUAL, Frequency.MONTHLY][n % 3]
            indicator = IndicatorFactory(frequency=frequency)
            for each in (plan, cast.commitment.plan):
                commitment = CommitmentFactory(plan=each, theme=ThemeFactory(plan=each))
                commitment.indicator = indicator
                commitment.save()
                CommitmentPartnerFactory(commitment=commitment, partner=council)
            due = reporting.reporting_periods(frequency, today, limit=3)
            for label, state in [(due[2].label, ActualState.APPROVED), (due[0].label, "draft")]:
                Actual.objects.create(
                    indicator=indicator,
                    period=period(label),
                    value=Decimal(n),
                    state=state,
                    source=ActualSource.FORM,
                )

    def queries():
        with CaptureQueriesContext(connection) as context:
            rows = reporting.worklist(cast.owner, today=today)
        return len(rows), len(context.captured_queries)

    add(3)
    few = queries()
    add(30)
    many = queries()
    assert (few[0], many[0]) == (4, 34)
    assert many[1] == few[1] <= 6


def test_an_indicator_is_listed_once_with_each_plan_that_commits_to_it(cast):
    # The officer answers for it through both organisations and as the named officer.
    plan_in_force(cast)
    council = cast.commitment.commitment_partners.get().partner
    police = PartnerFactory(name="Testshire Police")
    MembershipFactory(user=cast.owner, partner=police)
    CommitmentPartnerFactory(commitment=cast.commitment, partner=police, is_lead=False)
    later = PlanFactory(name="Later plan", starts_on=date(2026, 4, 1))
    again = CommitmentFactory(plan=later, theme=ThemeFactory(plan=later), indicator=cast.indicator)
    CommitmentPartnerFactory(commitment=again, partner=council)
    again.responsible_officer = cast.owner
    again.save()

    [row] = reporting.worklist(cast.owner, today=date(2026, 11, 23))

    # Newest plan first, as plans are listed everywhere.
    assert row.plans == [later, cast.commitment.plan]
    assert reporting.indicators_in_scope(cast.owner).count() == 1
    assert reporting.commitments_in_scope(cast.owner).count() == 2


def test_the_worklist_lists_indicators_as_people_number_them_with_overdue_first(cast):
    plan_in_force(cast)
    council = cast.commitment.commitment_partners.get().partner
    plan = cast.commitment.plan
    for code in ["NI 120", "NI 39", "LPSA 2.10", "LPSA 2.9"]:
        commitment = CommitmentFactory(
            plan=plan, theme=ThemeFactory(plan=plan), indicator=IndicatorFactory(code=code)
        )
        CommitmentPartnerFactory(commitment=commitment, partner=council)
    Actual.objects.create(
        indicator=cast.indicator,
        period=period("2026/27 Q2"),
        value=VALUE,
        state=ActualState.SUBMITTED,
        source=ActualSource.FORM,
    )

    rows = reporting.worklist(cast.owner, today=date(2026, 11, 23))

    assert [(row.indicator.code, row.due) for row in rows] == [
        ("LPSA 2.9", Due.OVERDUE),
        ("LPSA 2.10", Due.OVERDUE),
        ("NI 39", Due.OVERDUE),
        ("NI 120", Due.OVERDUE),
        ("NI 999", Due.SUBMITTED),
    ]


def test_the_worklist_shows_the_latest_value_however_old_without_reading_every_year(cast):
    # The worklist reads only the periods due and each indicator's latest value (issue 10);
    # the latest must still be the latest of all, and an empty period after it is skipped.
    plan_in_force(cast)
    for label, value in [("2024/25 Q1", 40), ("2025/26 Q3", 44), ("2025/26 Q1", 42)]:
        Actual.objects.create(
            indicator=cast.indicator,
            period=period(label),
            value=Decimal(value),
            state=ActualState.APPROVED,
            source=ActualSource.IMPORT,
        )
    Actual.objects.create(
        indicator=cast.indicator,
        period=period("2025/26 Q4"),
        value=None,
        state=ActualState.DRAFT,
        source=ActualSource.FORM,
    )

    [row] = reporting.worklist(cast.owner, today=date(2026, 11, 23))

    assert row.latest.period.label == "2025/26 Q3"
    assert row.latest.value == 44
    assert row.period.label == "2026/27 Q2"
    assert row.due is Due.OVERDUE


# --- Drafts, submission, late entries --------------------------------------------------------


def test_a_draft_then_a_submission_and_the_audit_trail_says_who_and_how(cast):
    [draft] = enter(cast)
    assert draft.state == ActualState.DRAFT
    assert draft.source == ActualSource.FORM
    [submitted] = enter(cast, value=Decimal("53"), submit=True, seen_version=draft.version)
    assert submitted.pk == draft.pk
    assert submitted.state == ActualState.SUBMITTED
    assert submitted.version == 2
    assert submitted.is_late is False
    records = list(Actual.history.filter(id=draft.pk).order_by("history_date"))
    assert [(r.value, r.state, r.history_user, r.history_change_reason) for r in records] == [
        (VALUE, ActualState.DRAFT, cast.owner, "Entry form"),
        (Decimal("53"), ActualState.SUBMITTED, cast.owner, "Entry form"),
    ]


def test_a_submission_after_the_deadline_is_accepted_and_flagged_late(cast):
    deadline = cast.quarter.ends_on + timedelta(days=30)
    [on_time] = enter(cast, submit=True, when=deadline)
    assert not on_time.is_late
    reporting.return_for_changes(cast.approver, on_time, "Check")
    [late] = enter(cast, submit=True, seen_version=2, when=deadline + timedelta(days=1))
    assert late.is_late


def test_a_period_deadline_can_be_set_for_the_period(cast, settings):
    settings.ENTRY_DEADLINE_DAYS = 10
    assert cast.quarter.deadline == cast.quarter.ends_on + timedelta(days=10)
    cast.quarter.entry_deadline = date(2008, 12, 24)
    assert cast.quarter.deadline == date(2008, 12, 24)


# --- The version check -----------------------------------------------------------------------


def test_a_save_over_someone_elses_change_is_refused_and_writes_nothing(cast):
    [first] = enter(cast)
    colleague = person(Role.OFFICER, cast.commitment.commitment_partners.get().partner)
    enter(cast, colleague, value=Decimal("60"), seen_version=first.version)

    with pytest.raises(reporting.StaleValue, match="value is now 60"):
        enter(cast, value=Decimal("70"), seen_version=first.version)
    stored = Actual.objects.get()
    assert (stored.value, stored.version, stored.entered_by) == (Decimal("60"), 2, colleague)


def test_a_new_value_that_someone_else_created_first_is_not_overwritten(cast):
    enter(cast, value=Decimal("60"))
    with pytest.raises(reporting.StaleValue):
        enter(cast, value=Decimal("70"), seen_version=0)
    assert Actual.objects.get().value == Decimal("60")


# --- Sign-off --------------------------------------------------------------------------------


def test_an_approver_approves_a_submitted_value(cast):
    [actual] = enter(cast, submit=True)
    approved = reporting.approve(cast.approver, actual, seen_version=actual.version)
    assert approved.state == ActualState.APPROVED
    assert approved.approved_by == cast.approver
    assert approved.history.latest().history_change_reason == "Sign-off"


def test_returned_values_are_resubmitted_then_approved(cast):
    [actual] = enter(cast, submit=True)
    with pytest.raises(ValidationError, match="Say why"):
        reporting.return_for_changes(cast.approver, actual, "  ")
    returned = reporting.return_for_changes(cast.approver, actual, "Use the validated figure")
    assert returned.state == ActualState.RETURNED
    [again] = enter(cast, value=Decimal("51"), submit=True, seen_version=returned.version)
    assert again.state == ActualState.SUBMITTED
    assert reporting.approve(cast.approver, again).state == ActualState.APPROVED


def test_nobody_signs_off_their_own_value_or_outside_their_organisations(cast):
    [actual] = enter(cast, cast.admin, submit=True)
    with pytest.raises(reporting.NotAllowed, match="someone else must sign it off"):
        reporting.approve(cast.admin, actual)
    outsider = person(Role.APPROVER, PartnerFactory(name="Other Council"))
    with pytest.raises(reporting.NotAllowed):
        reporting.approve(outsider, actual)
    with pytest.raises(reporting.NotAllowed):
        reporting.approve(cast.owner, actual)  # officers cannot sign off
    assert Actual.objects.get().state == ActualState.SUBMITTED


def test_an_approved_value_cannot_be_changed_by_the_officer(cast):
    [actual] = enter(cast, submit=True)
    reporting.approve(cast.approver, actual)
    with pytest.raises(reporting.NotAllowed, match="approver must return it"):
        enter(cast, value=Decimal("1"), seen_version=2)
    assert Actual.objects.get().value == VALUE


def test_only_a_submitted_value_can_be_approved(cast):
    [draft] = enter(cast)
    with pytest.raises(ValidationError, match="Only a submitted value"):
        reporting.approve(cast.approver, draft)


def test_sign_off_queue_holds_what_the_approver_may_sign(cast):
    [actual] = enter(cast, submit=True)
    assert list(reporting.awaiting_sign_off(cast.approver)) == [actual]
    assert list(reporting.awaiting_sign_off(cast.owner)) == []
    outsider = person(Role.APPROVER, PartnerFactory(name="Other Council"))
    assert list(reporting.awaiting_sign_off(outsider)) == []


# --- Locked periods --------------------------------------------------------------------------


def test_a_locked_period_refuses_every_write_and_unlocking_is_logged(cast):
    [actual] = enter(cast, submit=True)
    with pytest.raises(reporting.NotAllowed):
        reporting.lock_period(cast.owner, cast.quarter)
    reporting.lock_period(cast.admin, cast.quarter)

    with pytest.raises(PeriodLocked, match="2008/09 Q2 is locked"):
        enter(cast, seen_version=actual.version)
    with pytest.raises(PeriodLocked):
        reporting.approve(cast.approver, actual)
    actual.refresh_from_db()
    actual.value = Decimal("1")
    with pytest.raises(PeriodLocked):
        actual.save()  # any other route: admin, shell, API
    with pytest.raises(PeriodLocked):
        actual.delete()
    with pytest.raises(ValidationError, match="is locked"):
        actual.full_clean()
    assert Actual.objects.get().value == VALUE

    with pytest.raises(ValidationError, match="Say why"):
        reporting.unlock_period(cast.admin, cast.quarter, "")
    reporting.unlock_period(cast.admin, cast.quarter, "ONS revised the figure")
    latest = Period.history.filter(id=cast.quarter.pk).latest()
    assert latest.history_change_reason == "Unlocked: ONS revised the figure"
    assert latest.history_user == cast.admin
    assert not Period.objects.get(pk=cast.quarter.pk).is_locked
    reporting.approve(cast.approver, actual)


def test_other_periods_stay_open_when_one_is_locked(cast):
    reporting.lock_period(cast.admin, period("2008/09 Q1"))
    [actual] = enter(cast)
    assert actual.period == cast.quarter
