"""The Content Security Policy in real Chromium: an indicator page draws its plotly chart with
no CSP violation, and the watcher used to prove that does catch a violation when there is one."""

import pytest

from targets.models import Indicator
from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.scenarios import laa_with_values

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery-staple"

# Runs in every page before its own scripts: keeps each violation the browser reports.
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture
def violations(page):
    """CSP violations, from the page's event and from the console (Chromium logs each one)."""
    found = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )

    def collect():
        return found + page.evaluate("window.__cspViolations")

    return collect


def open_chart(page, live_server):
    laa_with_values()
    UserFactory(username="councillor")
    log_in(page, live_server, "councillor", PASSWORD)
    indicator = Indicator.objects.get(code="NI 65")
    response = page.goto(live_server.url + indicator.get_absolute_url())
    page.locator(".chart[data-drawn='true'] svg.main-svg").first.wait_for(timeout=15_000)
    return response


def test_an_indicator_chart_renders_under_the_csp_with_no_violation(live_server, page, violations):
    response = open_chart(page, live_server)

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "unsafe-inline" not in policy
    chart = page.locator(".chart[data-drawn='true']")
    assert chart.locator(".scatterlayer .trace").count() >= 1
    assert violations() == []


def test_the_watcher_sees_an_inline_script_being_blocked(live_server, page, violations):
    """Without this, an empty list above could mean the watcher is deaf."""
    open_chart(page, live_server)

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)

    assert page.evaluate("window.__ran === true") is False
    assert any("script-src" in violation for violation in violations())
