"""The pages of the reporting cycle: entry form, sign-off, history, and who may use them."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from targets import reporting
from targets.forms import unit_hint
from targets.models import (
    Actual,
    ActualSource,
    ActualState,
    Frequency,
    Indicator,
    Period,
    Target,
    Unit,
)
from tests.conftest import VALUE
from tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    IndicatorFactory,
    PlanFactory,
    ThemeFactory,
    period,
)

pytestmark = pytest.mark.django_db


def entry_url(cast, label=None):
    url = reverse("targets:actual-entry", args=[cast.indicator.slug])
    return f"{url}?period={label or cast.quarter.label}"


def post_entry(client, cast, value="52.5", *, action="submit", version=0, **extra):
    data = {
        "period": cast.quarter.label,
        "value_total": value,
        "version_total": version,
        "commentary": "",
        "data_source": "",
        "action": action,
        **extra,
    }
    return client.post(entry_url(cast), data)


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def state(cast):
    """The values stored for the quarter being entered."""
    rows = Actual.objects.filter(period=cast.quarter)
    return list(rows.values_list("value", "state", "version"))


# --- The entry form --------------------------------------------------------------------------


def test_the_entry_form_shows_what_the_officer_needs_to_judge_the_value(cast):
    Actual.objects.create(
        indicator=cast.indicator,
        period=period("2008/09 Q1"),
        value=Decimal("48"),
        state=ActualState.APPROVED,
        source="form",
    )
    page = as_user(cast.owner).get(entry_url(cast)).content.decode()
    assert "Test rate: 2008/09 Q2" in page
    assert "“50%”" in page  # the target as written, and read
    assert "48 in 2008/09 Q1" in page  # the last value, to compare
    assert 'href="?period=2010/11%20Q4"' in page  # the plan's latest quarters to choose from
    # What to type, under the label, read with the field.
    assert 'id="id_value_total_helptext">A percentage, like 12.5 (the % sign is optional).' in page
    assert 'aria-describedby="id_value_total_helptext"' in page


@pytest.mark.parametrize(
    ("unit", "unit_text", "hint"),
    [
        (Unit.PERCENT, "", "A percentage, like 12.5 (the % sign is optional)."),
        (Unit.RATE, "per 1,000 population", "A rate (per 1,000 population), like 43.2."),
        (Unit.MONEY, "", "An amount, like 3,200 (the £ sign is optional)."),
        (Unit.NUMBER, "", "A number, like 1,234."),
        (Unit.MILESTONE, "", ""),
    ],
)
def test_the_value_field_says_what_to_type(unit, unit_text, hint):
    assert unit_hint(Indicator(unit=unit, unit_text=unit_text)) == hint


@pytest.mark.parametrize(
    ("typed", "stored"), [("52.5%", "52.5"), (" 7 ", "7"), ("1,234", None), ("12.50", "12.5")]
)
def test_numbers_are_read_as_people_type_them(cast, typed, stored):
    response = post_entry(as_user(cast.owner), cast, typed, action="draft")
    if stored is None:  # 1,234 is read, then refused as a percentage over 100
        assert "Must be between 0 and 100 for a percentage, not 1234" in response.content.decode()
        assert state(cast) == []
    else:
        assert response.status_code == 302
        assert Actual.objects.get().value == Decimal(stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12,5x", "is not a number"),
        ("twelve", "“twelve” is not a number. Enter digits, like 1,234 or 12.5."),
        ("150", "Must be between 0 and 100 for a percentage, not 150"),
        ("-3", "Must be between 0 and 100 for a percentage"),
        ("", "Enter the value before submitting."),
    ],
)
def test_a_mistake_is_shown_next_to_the_field_and_nothing_is_saved(cast, typed, message):
    response = post_entry(as_user(cast.owner), cast, typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-message" id="id_value_total_error"' in page
    # The field points at its error, so a screen reader reads it with the field.
    assert (
        'aria-invalid="true" aria-describedby="id_value_total_helptext id_value_total_error"'
        in page
    )
    assert message in page
    assert "There is a problem" in page  # the error summary at the top
    assert state(cast) == []


def test_a_value_off_target_needs_commentary(cast):
    client = as_user(cast.owner)
    response = post_entry(client, cast, "30")  # the target is 50%, higher is better
    assert response.status_code == 400
    assert "Explain why the value is off target" in response.content.decode()
    assert state(cast) == []
    response = post_entry(client, cast, "30", commentary="Staff shortages in Q2.")
    assert response.status_code == 302
    assert Actual.objects.get().commentary == "Staff shortages in Q2."


def test_a_draft_off_target_does_not_need_commentary_yet(cast):
    response = post_entry(as_user(cast.owner), cast, "30", action="draft")
    assert response.status_code == 302
    assert state(cast) == [(Decimal("30"), ActualState.DRAFT, 1)]


def test_the_entry_form_and_a_draft_save_need_the_same_queries_however_much_history(cast):
    # The form reads the targets and baselines once for the page and its off-target test,
    # and a draft (not judged against its target) reads neither (issue 10).
    client = as_user(cast.owner)
    client.get(entry_url(cast))  # the session's first request

    def queries():
        with CaptureQueriesContext(connection) as form:
            assert client.get(entry_url(cast)).status_code == 200
        with CaptureQueriesContext(connection) as draft:
            assert (
                post_entry(client, cast, "51", action="draft", version=version()).status_code == 302
            )
        read = [q["sql"] for q in draft.captured_queries]
        assert not any(
            'FROM "targets_target"' in sql or 'FROM "targets_baseline"' in sql for sql in read
        )
        return len(form), len(draft)

    def version():
        saved = Actual.objects.filter(indicator=cast.indicator, period=cast.quarter).first()
        return saved.version if saved else 0

    few = queries()
    for label in ["2006/07", "2007/08 Q1", "2007/08 Q2", "2007/08 Q3", "2008/09 Q1"]:
        Actual.objects.create(
            indicator=cast.indicator,
            period=period(label),
            value=Decimal("50"),
            state=ActualState.APPROVED,
            source="import",
        )
        target = Target(commitment=cast.commitment, period=period(label.split()[0]))
        if not Target.objects.filter(commitment=cast.commitment, period=target.period).exists():
            target.set_text("50%")
            target.save()
    many = queries()
    assert many == few
    assert few[0] <= 19  # 21 when the targets and baselines were read twice
    assert few[1] <= 30


def test_a_value_far_from_the_last_asks_for_confirmation(cast, settings):
    settings.ACTUAL_CHANGE_CONFIRM_PERCENT = 50
    Actual.objects.create(
        indicator=cast.indicator,
        period=period("2008/09 Q1"),
        value=Decimal("60"),
        state=ActualState.APPROVED,
        source="form",
    )
    client = as_user(cast.owner)
    response = post_entry(client, cast, "95")  # 58% above 60
    page = response.content.decode()
    assert "95 is 58% away from 60 in 2008/09 Q1" in page
    assert "tick the box" in page
    assert state(cast) == []
    response = post_entry(client, cast, "95", confirm_change="on")
    assert response.status_code == 302
    assert state(cast) == [(Decimal("95"), ActualState.SUBMITTED, 1)]


def test_the_second_of_two_editors_is_shown_the_new_value_and_nothing_is_overwritten(cast):
    client = as_user(cast.owner)
    post_entry(client, cast, "52", action="draft")
    # A colleague saves version 1 as version 2 while this officer still has version 1 open.
    reporting.save_values(
        cast.admin,
        cast.indicator,
        cast.quarter,
        [reporting.Entry(None, Decimal("55"), seen_version=1)],
        commentary="",
        data_source="",
        submit=False,
    )
    response = post_entry(client, cast, "53", version=1, commentary="Mine")
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this while you were editing (value is now 55)" in page
    assert 'name="version_total" value="2"' in page  # saving again replaces it knowingly
    assert state(cast) == [(Decimal("55"), ActualState.DRAFT, 2)]


def test_a_locked_period_refuses_the_form_with_a_clear_message(cast):
    reporting.lock_period(cast.admin, cast.quarter)
    client = as_user(cast.owner)
    assert (
        "has been reported; its values cannot change"
        in client.get(entry_url(cast)).content.decode()
    )
    response = post_entry(client, cast, "52")
    assert response.status_code == 400
    assert "2008/09 Q2 is locked because it has been reported" in response.content.decode()
    assert state(cast) == []


def test_a_late_entry_is_warned_about_and_flagged(cast):
    page = as_user(cast.owner).get(entry_url(cast)).content.decode()
    assert "The deadline for 2008/09 Q2 was 30 October 2008" in page
    post_entry(as_user(cast.owner), cast, "52")
    assert Actual.objects.get().is_late


# --- Who may use which page ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["stranger", "scrutiny", "approver"])
def test_only_the_owner_can_open_or_post_the_entry_form(cast, who):
    client = as_user(getattr(cast, who))
    assert client.get(entry_url(cast)).status_code == 403
    assert post_entry(client, cast, "52").status_code == 403
    assert state(cast) == []


def test_anonymous_people_are_sent_to_sign_in_and_nothing_is_written(cast):
    response = post_entry(Client(), cast, "52")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert state(cast) == []


def test_a_post_without_a_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    assert post_entry(client, cast, "52").status_code == 403
    assert state(cast) == []


@pytest.fixture
def submitted(cast):
    [actual] = reporting.save_values(
        cast.owner,
        cast.indicator,
        cast.quarter,
        [reporting.Entry(None, VALUE)],
        commentary="Fine",
        data_source="",
        submit=True,
    )
    return actual


@pytest.mark.parametrize("who", ["owner", "stranger", "scrutiny"])
def test_only_an_approver_of_the_organisation_can_sign_off(cast, submitted, who):
    client = as_user(getattr(cast, who))
    url = reverse("approve-actual", args=[submitted.pk])
    assert client.post(url, {"version": submitted.version}).status_code == 403
    url = reverse("return-actual", args=[submitted.pk])
    assert client.post(url, {"version": submitted.version, "reason": "x"}).status_code == 403
    assert state(cast) == [(VALUE, ActualState.SUBMITTED, 1)]


def test_the_approver_sees_the_queue_and_approves(cast, submitted):
    client = as_user(cast.approver)
    page = client.get(reverse("sign-off")).content.decode()
    assert "NI 999" in page
    assert "52.5" in page
    assert "Fine" in page
    client.post(reverse("approve-actual", args=[submitted.pk]), {"version": 1})
    assert state(cast) == [(VALUE, ActualState.APPROVED, 2)]
    assert "Nothing is waiting for you" in client.get(reverse("sign-off")).content.decode()


def test_a_return_needs_a_reason_and_the_officer_sees_it(cast, submitted):
    client = as_user(cast.approver)
    client.post(reverse("return-actual", args=[submitted.pk]), {"version": 1, "reason": ""})
    assert state(cast) == [(VALUE, ActualState.SUBMITTED, 1)]
    client.post(
        reverse("return-actual", args=[submitted.pk]), {"version": 1, "reason": "Use Q2 data"}
    )
    assert state(cast) == [(VALUE, ActualState.RETURNED, 2)]
    page = as_user(cast.owner).get(entry_url(cast)).content.decode()
    assert "Returned: “Use Q2 data”" in page


def test_scrutiny_cannot_open_the_sign_off_queue(cast):
    assert as_user(cast.scrutiny).get(reverse("sign-off")).status_code == 403


# --- What readers see ------------------------------------------------------------------------


def test_readers_see_approved_values_and_submitted_ones_only_where_allowed(cast, settings):
    reporting.save_values(
        cast.owner,
        cast.indicator,
        period("2008/09 Q1"),
        [reporting.Entry(None, Decimal("41.5"))],
        commentary="",
        data_source="",
        submit=True,
    )
    reporting.save_values(
        cast.owner,
        cast.indicator,
        cast.quarter,
        [reporting.Entry(None, Decimal("43.5"))],
        commentary="",
        data_source="",
        submit=False,
    )
    client = as_user(cast.scrutiny)
    url = cast.indicator.get_absolute_url()
    settings.SHOW_SUBMITTED_VALUES = False
    page = client.get(url).content.decode()
    assert "41.5" not in page
    assert "43.5" not in page
    settings.SHOW_SUBMITTED_VALUES = True
    page = client.get(url).content.decode()
    assert "41.5" in page
    assert "Submitted, not yet approved" in page
    assert "43.5" not in page  # a draft is never shown to readers
    actual = Actual.objects.get(value=Decimal("41.5"))
    reporting.approve(cast.approver, actual)
    settings.SHOW_SUBMITTED_VALUES = False
    assert "41.5" in client.get(url).content.decode()


def test_the_history_page_shows_who_when_how_and_old_and_new_values(cast, submitted):
    reporting.return_for_changes(cast.approver, submitted, "Typo")
    reporting.save_values(
        cast.owner,
        cast.indicator,
        cast.quarter,
        [reporting.Entry(None, Decimal("54"), seen_version=2)],
        commentary="Fixed",
        data_source="",
        submit=True,
    )
    target = Target.objects.get()
    target.set_text("55%")
    target._change_reason = "Admin"
    target.save()
    page = (
        as_user(cast.scrutiny)
        .get(reverse("targets:indicator-history", args=[cast.indicator.slug]))
        .content.decode()
    )
    assert page.count("Entry form") == 2
    assert "Sign-off" in page
    assert "approver" in page
    assert "<del>52.5</del> → <ins>54</ins>" in page
    assert "<del>submitted</del> → <ins>returned</ins>" in page
    assert "<del>50%</del> → <ins>55%</ins>" in page


# --- The admin route -------------------------------------------------------------------------


def test_the_admin_cannot_change_a_value_in_a_locked_period(cast, submitted):
    reporting.lock_period(cast.admin, cast.quarter)
    client = as_user(cast.admin)
    url = reverse("admin:targets_actual_change", args=[submitted.pk])
    response = client.post(
        url,
        {
            "indicator": cast.indicator.pk,
            "period": cast.quarter.pk,
            "value": "1",
            "state": "submitted",
            "source": "form",
            "seen_version": 1,
        },
    )
    assert response.status_code == 200
    assert "is locked because it has been reported" in response.content.decode()
    assert state(cast) == [(VALUE, ActualState.SUBMITTED, 1)]


def test_the_admin_refuses_to_overwrite_a_newer_value(cast, submitted):
    reporting.approve(cast.approver, submitted)  # version 2
    client = as_user(cast.admin)
    url = reverse("admin:targets_actual_change", args=[submitted.pk])
    response = client.post(
        url,
        {
            "indicator": cast.indicator.pk,
            "period": cast.quarter.pk,
            "value": "1",
            "state": "approved",
            "source": "form",
            "seen_version": 1,
        },
    )
    assert "Someone else saved this value after you opened it" in response.content.decode()
    assert state(cast) == [(VALUE, ActualState.APPROVED, 2)]


def test_unlocking_in_the_admin_asks_for_a_reason(cast):
    reporting.lock_period(cast.admin, cast.quarter)
    client = as_user(cast.admin)
    url = reverse("admin:targets_period_changelist")
    data = {"action": "unlock_periods", "_selected_action": [cast.quarter.pk]}
    page = client.post(url, data).content.decode()
    assert "Say why" in page or "reason" in page
    assert Period.objects.get(pk=cast.quarter.pk).is_locked
    client.post(url, {**data, "reason": "Late NHS data"})
    assert not Period.objects.get(pk=cast.quarter.pk).is_locked
    assert Period.history.filter(id=cast.quarter.pk).latest().history_change_reason == (
        "Unlocked: Late NHS data"
    )


def test_officers_land_on_their_worklist_and_approvers_on_sign_off(cast):
    assert as_user(cast.owner).get(reverse("start")).url == reverse("worklist")
    assert as_user(cast.approver).get(reverse("start")).url == reverse("sign-off")
    assert as_user(cast.scrutiny).get(reverse("start")).url == reverse("plans:plan-list")


def test_the_worklist_page_lists_the_officers_indicators(cast):
    page = as_user(cast.owner).get(reverse("worklist")).content.decode()
    assert "NI 999" in page
    assert "NI 999" not in as_user(cast.stranger).get(reverse("worklist")).content.decode()


def test_the_worklist_page_links_each_indicator_its_entry_form_and_deadline(cast):
    # The page reverses each address once for all its rows (it has hundreds); every row's
    # links must still be the ones reverse() gives.
    today = timezone.localdate()
    due = reporting.reporting_periods(Frequency.QUARTERLY, today, limit=1)[0]
    live = PlanFactory(name="Live plan", starts_on=date(2020, 4, 1))
    council = cast.commitment.commitment_partners.get().partner
    odd = IndicatorFactory(code="NI 7_a-2", slug="ni-7_a-2", frequency=Frequency.QUARTERLY)
    commitment = CommitmentFactory(plan=live, theme=ThemeFactory(plan=live), indicator=odd)
    CommitmentPartnerFactory(commitment=commitment, partner=council)
    stored = period(due.label)
    stored.entry_deadline = date(2031, 1, 9)
    stored.save()

    page = as_user(cast.owner).get(reverse("worklist")).content.decode()

    entry = reverse("targets:actual-entry", args=["ni-7_a-2"])
    assert f'href="{reverse("targets:indicator-detail", args=["ni-7_a-2"])}"' in page
    assert f'href="{entry}?period={quote(due.label)}"' in page
    assert "<td>9 Jan 2031</td>" in page
    # NI 999's plan ended in 2011: nothing due, and a link to enter earlier values.
    assert f'href="{reverse("targets:indicator-detail", args=["ni-999"])}"' in page
    assert f'<a href="{reverse("targets:actual-entry", args=["ni-999"])}">Enter earlier' in page


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (Decimal("52.500000"), "52.5"),
        (Decimal("1234.000000"), "1,234"),
        (Decimal("-7.970000"), "-7.97"),
        (Decimal("0E-6"), "0"),
        (None, ""),
        ("submitted", "submitted"),
        (True, "yes"),
        (False, "no"),
    ],
)
def test_stored_figures_are_shown_as_people_write_them(stored, shown):
    from targets.templatetags.figures import figure

    assert figure(stored) == shown


@pytest.fixture
def busy_officer(cast):
    """The owner answers for 120 quarterly indicators of a plan in force, all due now (the
    deadline still to come), two of them with a draft saved."""
    live = PlanFactory(name="Live plan", starts_on=date(2020, 4, 1))
    theme = ThemeFactory(plan=live)
    council = cast.commitment.commitment_partners.get().partner
    due = reporting.reporting_periods(Frequency.QUARTERLY, timezone.localdate(), limit=1)[0]
    stored = period(due.label)
    stored.entry_deadline = date(2099, 1, 9)
    stored.save()
    for n in range(120):
        indicator = IndicatorFactory(
            code=f"BZ {n}", title=f"Busy measure {n}", frequency=Frequency.QUARTERLY
        )
        commitment = CommitmentFactory(plan=live, theme=theme, indicator=indicator)
        CommitmentPartnerFactory(commitment=commitment, partner=council)
        if n in (7, 77):
            Actual.objects.create(
                indicator=indicator,
                period=stored,
                value=Decimal(n),
                state=ActualState.DRAFT,
                source=ActualSource.FORM,
            )
    return as_user(cast.owner)


def worklist_codes(page: str) -> list[str]:
    table = page[page.index('id="worklist"') : page.index("</table>", page.index('id="worklist"'))]
    return re.findall(r'<span class="code">(BZ \d+)</span>', table)


def test_a_long_worklist_shows_50_rows_a_page_in_code_order(busy_officer):
    first = busy_officer.get(reverse("worklist")).content.decode()
    third = busy_officer.get(reverse("worklist") + "?page=3").content.decode()
    assert len(worklist_codes(first)) == 50
    # Not started first, in numeric code order (BZ 2 before BZ 10), then the drafts.
    assert worklist_codes(first)[:8] == [f"BZ {n}" for n in (0, 1, 2, 3, 4, 5, 6, 8)]
    assert worklist_codes(third)[-2:] == ["BZ 7", "BZ 77"]
    assert len(worklist_codes(third)) == 20
    assert "Page 1 of 3 (120 rows)" in first
    assert '<span aria-current="page">3</span>' in third
    assert 'href="?page=2"' in first


def test_the_worklist_counts_each_state_and_filters_by_state_and_text(busy_officer):
    page = busy_officer.get(reverse("worklist")).content.decode()
    assert re.search(r'<span class="card-number">2</span><strong class="tag tag-draft">', page)
    drafts = busy_officer.get(reverse("worklist"), {"state": "draft"}).content.decode()
    assert worklist_codes(drafts) == ["BZ 7", "BZ 77"]
    assert "Due now: 2 of 120" in drafts
    found = busy_officer.get(reverse("worklist"), {"q": "measure 11"}).content.decode()
    assert worklist_codes(found) == ["BZ 11", *(f"BZ {n}" for n in range(110, 120))]
    assert (
        "No value due now matches."
        in busy_officer.get(reverse("worklist"), {"q": "zzz"}).content.decode()
    )


def test_a_bad_worklist_filter_is_named_and_the_list_shown_whole(busy_officer):
    page = busy_officer.get(reverse("worklist"), {"state": "lost"}).content.decode()
    assert "Select a valid choice. lost is not one of the available choices." in page
    assert len(worklist_codes(page)) == 50


def test_the_worklist_filter_hint_is_tied_to_its_field(busy_officer):
    page = busy_officer.get(reverse("worklist")).content.decode()
    assert 'aria-describedby="id_q_helptext"' in page
    assert '<p class="hint" id="id_q_helptext">' in page
