"""The accessibility statement: reachable from the footer of every page without signing in,
with the sections UK public sector statements carry, and true to the checks that are run."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SECTIONS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "What we tested and how",
    "Preparation of this accessibility statement",
]


def test_the_statement_is_linked_from_the_sign_in_page_and_open_without_signing_in(
    live_server, page, check_page, page_problems
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()

    page.wait_for_url("**/accessibility/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Accessibility statement for leicester_perf"
    )
    for section in SECTIONS:
        assert page.get_by_role("heading", name=section, exact=True).is_visible(), section
    text = page.inner_text("main")
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Commission for Northern Ireland (ECNI)" in text
    check_page("statement-1")

    # Printed, an outside link shows its address (paper has no links); the footer does not.
    page.emulate_media(media="print")
    printed = page.evaluate(
        """() => getComputedStyle(
          document.querySelector('main a[href^="https://www.equalityadvisoryservice"]'), '::after'
        ).content"""
    )
    assert "https://www.equalityadvisoryservice.com/" in printed
    assert not page.get_by_role("contentinfo").is_visible()
    assert page_problems == []
