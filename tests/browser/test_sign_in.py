import pytest

from targets.services import target_record
from tests.browser.conftest import log_in
from tests.factories import CommitmentFactory, UserFactory, period

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery-staple"


def test_a_reader_signs_in_and_follows_a_plan_to_an_indicator(live_server, page, screenshot):
    UserFactory(username="councillor")
    commitment = CommitmentFactory(
        indicator__code="NI 59",
        indicator__title="Initial assessments for children's social care",
        theme__title="Investing in our children",
        theme__plan__name="Local Area Agreement",
    )
    target_record(commitment=commitment, period=period("2008/09"), text="63%*")

    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    log_in(page, live_server, "councillor", PASSWORD)

    page.get_by_role("link", name="Local Area Agreement").click()
    # The plan page lists its themes, then its targets for the period (2008/09, the year of
    # its only target).
    assert page.get_by_role("link", name="Investing in our children").is_visible()
    assert page.get_by_role("heading", name="How the targets stand in 2008/09").is_visible()
    assert page.get_by_role("cell", name="63%*", exact=True).is_visible()
    screenshot("plan-detail")

    page.get_by_role("link", name="NI 59").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("NI 59")
    screenshot("indicator-detail")


def test_a_wrong_password_shows_an_error_and_keeps_the_person_out(live_server, page, check_page):
    UserFactory(username="councillor")

    log_in(page, live_server, "councillor", "not-the-password")

    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    assert "/accounts/login/" in page.url
    check_page("sign-in-error")  # axe-core, 320 px and 200% zoom, as on every journey page


def test_too_many_wrong_passwords_pause_the_account_on_an_accessible_page(
    live_server, page, check_page, settings
):
    settings.AXES_FAILURE_LIMIT = 2  # the production limit is 10
    UserFactory(username="councillor")

    for _ in range(2):
        log_in(page, live_server, "councillor", "not-the-password")
    log_in(page, live_server, "councillor", PASSWORD)  # right, but too late

    assert page.get_by_role("heading", level=1).inner_text() == "Too many attempts to sign in"
    assert "/accounts/login/" in page.url
    assert page.get_by_role("link", name="Sign out").count() == 0  # not signed in
    check_page("sign-in-locked-out")
