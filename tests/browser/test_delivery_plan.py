"""Delivery plan progress in real Chromium: an officer finds a late milestone among their
activities and reports it at risk; an approver signs the update off; a scrutiny member sees the
milestone flagged late, with its approved status, on the plan's milestones page and the theme's
page."""

import pytest

from plans.models import ActivityUpdate, ProgressStatus
from targets.models import ActualState
from tests.browser.conftest import PASSWORD, log_in, sign_out
from tests.scenarios import delivery_plan

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def delivery(cast):
    return delivery_plan(cast)


def test_an_officer_reports_progress_and_a_late_milestone_is_flagged(
    live_server, page, check_page, page_problems, delivery
):
    cast = delivery.cast
    for user in (cast.owner, cast.approver, cast.scrutiny):
        user.set_password(PASSWORD)
        user.save()

    # The officer goes from the worklist to their activities: the June 2013 one is late.
    log_in(page, live_server, "owner", PASSWORD)
    page.get_by_role("link", name="My delivery plan activities").click()
    row = page.locator("#activity-worklist tbody tr", has_text="Open two new children's centres")
    assert "Late" in row.inner_text()
    assert "3 activities, 1 late" in page.locator("main").inner_text()
    check_page("delivery-1-my-activities")

    # A status that needs commentary is explained next to the field; nothing is saved.
    row.get_by_role("link", name="Report progress").click()
    assert page.get_by_role("status").filter(has_text="Late").is_visible()
    page.get_by_label("At risk").check()
    page.get_by_role("button", name="Submit for sign-off").click()
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    assert not ActivityUpdate.objects.exists()
    check_page("delivery-2-needs-commentary")

    page.get_by_label("At risk").check()
    page.get_by_label("Commentary").fill("The second site is waiting for planning permission.")
    page.get_by_role("button", name="Submit for sign-off").click()
    assert "submitted for sign-off" in page.get_by_role("status").inner_text()
    update = ActivityUpdate.objects.get()
    assert (update.status, update.state) == (ProgressStatus.AT_RISK, ActualState.SUBMITTED)
    sign_out(page)

    # The approver signs it off with the values waiting.
    log_in(page, live_server, "approver", PASSWORD)
    page.goto(f"{live_server.url}/sign-off/")
    section = page.locator("section.card", has_text="Open two new children's centres")
    assert "waiting for planning permission" in section.inner_text()
    check_page("delivery-3-sign-off")
    section.get_by_role("button", name="Approve").click()
    assert "Approved progress" in page.get_by_role("status").inner_text()
    update.refresh_from_db()
    assert update.state == ActualState.APPROVED
    sign_out(page)

    # A scrutiny member sees the milestone flagged late, with its approved status.
    log_in(page, live_server, "scrutiny", PASSWORD)
    page.goto(f"{live_server.url}/plans/{delivery.plan.slug}/milestones/")
    overdue = page.locator("section", has=page.get_by_role("heading", name="Overdue"))
    late_row = overdue.locator("tbody tr", has_text="Open two new children's centres")
    assert "Late" in late_row.inner_text()
    assert "At risk" in late_row.inner_text()
    check_page("delivery-4-milestones")

    page.get_by_role("link", name="Vi Dempster").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vi Dempster")
    check_page("delivery-5-portfolio-holder")
    page.get_by_role("link", name="Our children and young people").first.click()
    assert "1 late" in page.locator("main").inner_text()
    check_page("delivery-6-theme")
    assert page_problems == []
