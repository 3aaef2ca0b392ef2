"""The quarter's reporting cycle in real Chromium: an officer enters a value with a typing
mistake, fixes it and submits; an approver returns it with a reason; the officer resubmits; the
approver approves; a scrutiny member sees the approved value on the indicator page."""

import pytest

from targets.models import Actual, ActualState
from tests.browser.conftest import PASSWORD, log_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_value_goes_from_officer_to_approver_and_back_and_is_published(
    live_server, page, screenshot, cast, due_now
):
    # The officer lands on their worklist and opens the value due.
    log_in(page, live_server, "owner", PASSWORD)
    assert page.get_by_role("heading", name="My worklist").is_visible()
    row = page.locator("#worklist tbody tr", has_text="NI 999")
    assert due_now in row.inner_text()
    screenshot("reporting-1-worklist")
    row.get_by_role("link", name="Enter values").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith(due_now)

    # A typing mistake is shown next to the field and in the summary.
    page.get_by_label("Value", exact=True).fill("52,5x")
    page.get_by_role("button", name="Submit for sign-off").click()
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    assert "is not a number" in page.locator("#id_value_total_error").inner_text()
    screenshot("reporting-2-mistake")
    assert not Actual.objects.exists()

    page.get_by_label("Value", exact=True).fill("52.5%")
    page.get_by_role("button", name="Submit for sign-off").click()
    assert f"NI 999 {due_now}: submitted for sign-off." in page.get_by_role("status").inner_text()
    assert "Submitted for sign-off" in page.locator("#worklist").inner_text()
    sign_out(page)

    # The approver returns it with a reason.
    log_in(page, live_server, "approver", PASSWORD)
    assert page.get_by_role("heading", name="Values waiting for sign-off").is_visible()
    page.get_by_label("Why are you returning it?").fill("Please use the validated figure.")
    screenshot("reporting-3-sign-off")
    page.get_by_role("button", name="Return to officer").click()
    assert "Returned NI 999" in page.get_by_role("status").inner_text()
    sign_out(page)

    # The officer sees the reason and resubmits.
    log_in(page, live_server, "owner", PASSWORD)
    row = page.locator("#worklist tbody tr", has_text="NI 999")
    assert "Returned" in row.inner_text()
    assert "Please use the validated figure." in row.inner_text()
    row.get_by_role("link", name="Enter values").click()
    page.get_by_label("Value", exact=True).fill("53")
    page.get_by_label("Commentary").fill("Validated figure from the Q return.")
    page.get_by_role("button", name="Submit for sign-off").click()
    assert "submitted for sign-off" in page.get_by_role("status").inner_text()
    sign_out(page)

    # The approver approves.
    log_in(page, live_server, "approver", PASSWORD)
    page.get_by_role("button", name=f"Approve NI 999 {due_now}").click()
    assert "Approved NI 999" in page.get_by_role("status").inner_text()
    assert Actual.objects.get().state == ActualState.APPROVED
    sign_out(page)

    # A scrutiny member sees the approved value, with its commentary.
    log_in(page, live_server, "scrutiny", PASSWORD)
    page.goto(f"{live_server.url}{cast.indicator.get_absolute_url()}")
    actuals = page.locator("section", has=page.get_by_role("heading", name="Actuals"))
    assert "53" in actuals.inner_text()
    assert "Validated figure from the Q return." in actuals.inner_text()
    assert "Approved" in actuals.inner_text()
    screenshot("reporting-4-published")
