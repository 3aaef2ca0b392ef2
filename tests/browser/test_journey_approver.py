"""An approver's sign-off in real Chromium: two values wait; one is approved, the other is
returned with a reason, and the page says so each time. Every page is checked with axe-core and
at 320 px and 200% zoom, and photographed."""

from decimal import Decimal

import pytest
from django.utils import timezone

from targets.models import Actual, ActualSource, ActualState
from tests.browser.conftest import PASSWORD, log_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def two_waiting(cast, due_now):
    """The officer submitted 2008/09 Q2 and Q3 of NI 999; both wait for sign-off."""
    from tests.factories import period

    submitted = {}
    for label, value in (("2008/09 Q2", "48.5"), ("2008/09 Q3", "51")):
        submitted[label] = Actual.objects.create(
            indicator=cast.indicator,
            period=period(label),
            value=Decimal(value),
            state=ActualState.SUBMITTED,
            source=ActualSource.FORM,
            entered_by=cast.owner,
            submitted_at=timezone.now(),
            commentary=f"Figure for {label} from the quarterly return.",
        )
    return submitted


def test_an_approver_approves_one_value_and_returns_another_with_a_reason(
    live_server, page, check_page, page_problems, cast, two_waiting
):
    log_in(page, live_server, "approver", PASSWORD)

    # Approvers land on what waits for them; the navigation offers sign-off, not a worklist.
    assert page.get_by_role("heading", name="Values waiting for sign-off", level=1).is_visible()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Sign-off").get_attribute("aria-current") == "page"
    assert nav.get_by_role("link", name="My worklist").count() == 0
    cards = page.locator("section.card")
    assert cards.count() == 2
    q2 = cards.filter(has_text="2008/09 Q2")
    assert "48.5" in q2.inner_text()
    assert "Figure for 2008/09 Q2 from the quarterly return." in q2.inner_text()
    check_page("approver-1-waiting")

    q2.get_by_role("button", name="Approve NI 999 2008/09 Q2").click()
    assert "Approved NI 999 2008/09 Q2." in page.get_by_role("status").inner_text()
    assert page.locator("section.card").count() == 1
    check_page("approver-2-approved")

    q3 = page.locator("section.card", has_text="2008/09 Q3")
    q3.get_by_label("Why are you returning it?").fill("The Q3 return was revised; use 50.2.")
    q3.get_by_role("button", name="Return to officer NI 999 2008/09 Q3").click()
    assert "Returned NI 999 2008/09 Q3." in page.get_by_role("status").inner_text()
    assert page.get_by_text("Nothing is waiting for you.").is_visible()
    check_page("approver-3-returned")

    approved, returned = (two_waiting[label] for label in ("2008/09 Q2", "2008/09 Q3"))
    approved.refresh_from_db()
    returned.refresh_from_db()
    assert (approved.state, approved.approved_by) == (ActualState.APPROVED, cast.approver)
    assert returned.state == ActualState.RETURNED
    assert returned.return_reason == "The Q3 return was revised; use 50.2."

    sign_out(page)
    assert page.get_by_role("heading", name="Sign in", level=1).is_visible()
    assert page_problems == []
