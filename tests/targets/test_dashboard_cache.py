"""The home page's tallies kept in the cache (targets/dashboard/cached.py) always equal the
tallies judged afresh from everything in the database, after every kind of write: values entered,
approved and returned through the reporting services, targets imported from a spreadsheet (its
bulk create and bulk update), bulk writes that send no signals (``bulk_create``,
``queryset.update()``), text fields changed in place, a status change, a period's deadline, and
the day moving on. (The versions themselves: tests/targets/test_data_versions.py.)"""

import io
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command

from plans.models import Plan
from targets import dashboard, reporting
from targets.models import (
    Actual,
    ActualSource,
    ActualState,
    Commitment,
    CommitmentStatus,
    CommitmentStatusKind,
    Indicator,
    Target,
)
from targets.reporting import Entry
from targets.status import Status
from targets.target_text import Shape
from tests.factories import period
from tests.targets.test_import_targets import WORKBOOK, run_import

pytestmark = pytest.mark.django_db

# After the deadline of 2008/09 Q2 (30 days after 30 September): a missing value is overdue.
TODAY = date(2008, 11, 20)
# The quarter the cast's value is for, chosen on the home page (?period=2008/09 Q2).
Q2 = dashboard.reporting_period("2008/09 Q2")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def afresh(today: date, chosen=None) -> dict[int, dashboard.Tally]:
    """Each plan's tally judged from everything: every value and target loaded (no window, no
    cache), for the period the home page shows it for."""
    found = dashboard.plan_periods(Commitment.objects.all())
    period_of = {
        plan.pk: chosen
        or found.default_for(plan, today=today)
        or dashboard.fallback_period(today=today)
        for plan in Plan.objects.all()
    }
    rows = dashboard.by_plan(
        dashboard.load(Commitment.objects.all()).assess(period_of, today=today)
    )
    return {pk: dashboard.Tally.of(rows.get(pk, [])) for pk in period_of}


def from_cache(today: date, chosen=None) -> dict[int, dashboard.Tally]:
    return dashboard.plan_tallies(list(Plan.objects.all()), chosen, today=today)[2]


def check(today: date = TODAY, chosen=None) -> dict[int, dashboard.Tally]:
    """The tallies the home page shows equal those judged afresh, both when judged for the
    request and when then read back from the cache without judging anything."""
    expected = afresh(today, chosen)
    assert from_cache(today, chosen) == expected
    with mock.patch("targets.dashboard.cached.load", side_effect=AssertionError("judged again")):
        assert from_cache(today, chosen) == expected
    return expected


def enter(cast, value, *, submit=True):
    return reporting.save_values(
        cast.owner,
        cast.indicator,
        cast.quarter,
        [Entry(breakdown=None, value=value, seen_version=_version(cast))],
        commentary="",
        data_source="Test return",
        submit=submit,
        today=TODAY,
    )[0]


def _version(cast) -> int:
    found = Actual.objects.filter(indicator=cast.indicator, period=cast.quarter).first()
    return found.version if found else 0


def tally(cast, found) -> dashboard.Tally:
    return found[cast.commitment.plan_id]


def test_values_entered_approved_and_returned_through_the_services(cast):
    before = check(chosen=Q2)
    assert tally(cast, before).count(Status.OVERDUE) == 1
    by_default = check()

    submitted = enter(cast, Decimal("52.5"))
    # Submitted values are not shown yet: the tallies are unchanged, and still right.
    assert check(chosen=Q2) == before
    assert check() == by_default

    reporting.approve(cast.approver, submitted, seen_version=submitted.version)
    approved = check(chosen=Q2)
    assert tally(cast, approved).count(Status.GREEN) == 1
    # The plan now opens on the quarter with data, not the year in progress.
    assert check() == approved

    reporting.return_for_changes(cast.approver, Actual.objects.get(), "Check the source.")
    assert check(chosen=Q2) == before
    assert check() == by_default

    # Re-entered lower and approved again: the same row, a new version.
    again = enter(cast, Decimal("30"))
    reporting.approve(cast.approver, again, seen_version=again.version)
    assert tally(cast, check(chosen=Q2)).count(Status.RED) == 1
    assert check() == check(chosen=Q2)


def test_showing_submitted_values_is_part_of_the_key(cast, settings):
    enter(cast, Decimal("52.5"))
    hidden = check(chosen=Q2)
    settings.SHOW_SUBMITTED_VALUES = True
    shown = check(chosen=Q2)
    assert tally(cast, shown).count(Status.GREEN) == 1
    assert shown != hidden


def test_the_day_moving_on(cast):
    # Before the deadline the missing value is "no data"; after it, overdue.
    early = check(today=date(2008, 10, 5), chosen=Q2)
    late = check(today=TODAY, chosen=Q2)
    assert tally(cast, early).count(Status.NO_DATA) == 1
    assert tally(cast, late).count(Status.OVERDUE) == 1


def test_a_periods_deadline_changed(cast):
    before = check(chosen=Q2)
    quarter = cast.quarter
    quarter.entry_deadline = TODAY + timedelta(days=10)
    quarter.save()
    after = check(chosen=Q2)
    assert tally(cast, after).count(Status.NO_DATA) == 1
    assert after != before


def test_bulk_writes_that_send_no_signals(cast):
    before = check(chosen=Q2)

    # bulk_create, as the synthetic data and the plain imports write.
    Actual.objects.bulk_create(
        [
            Actual(
                indicator=cast.indicator,
                period=cast.quarter,
                value=Decimal("52.5"),
                state=ActualState.APPROVED,
                source=ActualSource.IMPORT,
            )
        ]
    )
    created = check(chosen=Q2)
    assert created != before

    # queryset.update(): no save(), no signal, no history row, no version raised.
    Actual.objects.update(value=Decimal("20"))
    lowered = check(chosen=Q2)
    assert tally(cast, lowered).count(Status.RED) == 1
    Actual.objects.update(state=ActualState.RETURNED)
    assert check(chosen=Q2) == before

    Actual.objects.update(state=ActualState.APPROVED)
    Target.objects.update(value=Decimal("15"))
    assert tally(cast, check(chosen=Q2)).count(Status.GREEN) == 1

    Actual.objects.all().delete()
    assert tally(cast, check(chosen=Q2)).count(Status.OVERDUE) == 1


def test_a_commitment_withdrawn(cast):
    enter(cast, Decimal("52.5"), submit=False)
    before = check(chosen=Q2)
    CommitmentStatus.objects.create(
        commitment=cast.commitment,
        status=CommitmentStatusKind.WITHDRAWN,
        from_period=period("2008/09 Q1"),
    )
    withdrawn = check(chosen=Q2)
    assert tally(cast, withdrawn).count(Status.NO_TARGET) == 1
    assert withdrawn != before


def test_an_indicator_changed_in_the_admin(cast):
    enter(cast, Decimal("30"), submit=False)
    Actual.objects.update(state=ActualState.APPROVED)
    before = check(chosen=Q2)
    indicator = Indicator.objects.get(pk=cast.indicator.pk)
    indicator.tolerance_percent = Decimal("50")  # 30 against 50% is now within the amber band
    indicator.save()
    after = check(chosen=Q2)
    assert tally(cast, after).count(Status.AMBER) == 1
    assert after != before


def test_targets_imported_from_a_spreadsheet_created_then_updated_in_bulk(cast):
    check()
    assert run_import().ok
    laa = Plan.objects.get(slug="laa")
    ni59 = Indicator.objects.get(code="NI 59")
    Actual.objects.create(
        indicator=ni59,
        period=period("2008/09"),
        value=Decimal("61"),
        state=ActualState.APPROVED,
        source=ActualSource.IMPORT,
    )
    imported = check(chosen=dashboard.reporting_period("2008/09"))
    assert imported[laa.pk].total == laa.commitments.count() > 0

    # The same rows imported again with NI 59's target for 2008/09 lowered: the importer
    # updates the existing target in a batch (its history rows written by SQL).
    figures = [
        [*row[:5], "60%*"] if row[1:4] == ["NI 59", "target", "08/09"] else row
        for row in WORKBOOK["figures"]
    ]
    report = run_import({**WORKBOOK, "figures": figures})
    assert report.ok
    assert Target.objects.get(commitment__indicator=ni59, period__label="2008/09").value == 60
    updated = check(chosen=dashboard.reporting_period("2008/09"))
    assert updated[laa.pk] != imported[laa.pk]
    # The other plan was not judged again: its entry was still good.
    assert updated[cast.commitment.plan_id] == imported[cast.commitment.plan_id]


def test_only_the_plan_whose_data_changed_is_judged_again(cast):
    assert run_import().ok
    check()
    # A draft is not shown anywhere: no plan is judged again.
    draft = enter(cast, Decimal("52.5"), submit=False)
    with mock.patch("targets.dashboard.cached.load", wraps=dashboard.load) as judged:
        from_cache(TODAY)
    assert not judged.called
    # Approved, it is: only its plan is judged again.
    Actual.objects.filter(pk=draft.pk).update(state=ActualState.APPROVED)
    with mock.patch("targets.dashboard.cached.load", wraps=dashboard.load) as judged:
        from_cache(TODAY)
    (commitments,), _ = judged.call_args
    assert set(commitments.values_list("plan_id", flat=True)) == {cast.commitment.plan_id}


def test_a_write_of_text_fields_only_is_seen(cast):
    """Before the versions were counted by triggers, a ``queryset.update()`` that changed only a
    target's text fields changed no count, id, sum or history row, and stayed unseen until the
    entry expired. The triggers count every write."""
    enter(cast, Decimal("52.5"), submit=False)
    Actual.objects.update(state=ActualState.APPROVED)
    before = check(chosen=Q2)
    Target.objects.update(shape=Shape.NO_TARGET, reason="Not set this year")
    assert tally(cast, check(chosen=Q2)).count(Status.NO_TARGET) == 1
    assert afresh(TODAY, Q2) != before


def test_forget_cached_judges_everything_again(cast):
    """For what the triggers cannot see (a restored backup, ``TRUNCATE``)."""
    check()
    dashboard.forget_cached()
    with mock.patch("targets.dashboard.cached.load", wraps=dashboard.load) as judged:
        from_cache(TODAY)
    (commitments,), _ = judged.call_args
    assert set(commitments.values_list("plan_id", flat=True)) == set(
        Plan.objects.values_list("pk", flat=True)
    )


def test_forget_cached_pages_command(cast):
    check()
    out = io.StringIO()
    call_command("forget_cached_pages", stdout=out)
    assert "rendered afresh" in out.getvalue()
    with mock.patch("targets.dashboard.cached.load", wraps=dashboard.load) as judged:
        from_cache(TODAY)
    assert judged.called
