"""An officer's quarter in real Chromium: sign in, the worklist, a value typed with a mistake,
the mistake explained in the error summary and next to the field, fixed, submitted, sign out.
Every page is checked with axe-core and at 320 px and 200% zoom, and photographed."""

from decimal import Decimal

import pytest
from django.utils import timezone

from targets.models import Actual, ActualState
from tests.browser.conftest import PASSWORD, log_in, sign_out
from tests.factories import period

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_officer_enters_a_value_fixes_a_mistake_submits_and_signs_out(
    live_server, page, check_page, page_problems, cast, due_now
):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", name="Sign in", level=1).is_visible()
    check_page("officer-1-sign-in")
    log_in(page, live_server, "owner", PASSWORD)

    # Officers land on their worklist; the navigation offers what an officer does.
    assert page.get_by_role("heading", name="My worklist", level=1).is_visible()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="My worklist").get_attribute("aria-current") == "page"
    assert nav.get_by_role("link", name="Plans").is_visible()
    assert nav.get_by_role("link", name="Sign-off").count() == 0
    assert nav.get_by_role("link", name="Administration").count() == 0
    row = page.locator("#worklist tbody tr", has_text="NI 999")
    assert due_now in row.inner_text()
    # Nothing entered yet: "Not started", or "Overdue" once the deadline has passed.
    deadline_passed = period(due_now).deadline < timezone.localdate()
    assert ("Overdue" if deadline_passed else "Not started") in row.inner_text()
    check_page("officer-2-worklist")

    row.get_by_role("link", name="Enter values for NI 999").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"NI 999 Test rate: {due_now}"
    assert "50%" in page.get_by_role("complementary").inner_text()  # the target, beside the form
    check_page("officer-3-entry")

    # A slip of the keyboard: the summary says what is wrong and links to the field, which
    # says it again; nothing is saved.
    page.get_by_label("Value", exact=True).fill("52,5x")
    page.get_by_role("button", name="Submit for sign-off").click()
    summary = page.get_by_role("alert")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    assert summary.get_by_role("link").first.inner_text().startswith("Value:")
    field_error = page.locator("#id_value_total_error")
    assert "is not a number" in field_error.inner_text()
    # The field keeps what was typed, so the officer corrects it rather than retyping it.
    assert page.get_by_label("Value", exact=True).input_value() == "52,5x"
    assert not Actual.objects.exists()
    check_page("officer-4-mistake")

    page.get_by_label("Value", exact=True).fill("52.5%")
    page.get_by_label("Commentary").fill("Ahead of target after the summer campaign.")
    page.get_by_role("button", name="Submit for sign-off").click()
    assert f"NI 999 {due_now}: submitted for sign-off." in page.get_by_role("status").inner_text()
    row = page.locator("#worklist tbody tr", has_text="NI 999")
    assert "Submitted for sign-off" in row.inner_text()
    check_page("officer-5-submitted")
    actual = Actual.objects.get()
    assert (actual.state, actual.value) == (ActualState.SUBMITTED, Decimal("52.5"))

    sign_out(page)
    assert page.get_by_role("heading", name="Sign in", level=1).is_visible()
    assert page.get_by_role("button", name="Sign out").count() == 0
    assert page_problems == []
