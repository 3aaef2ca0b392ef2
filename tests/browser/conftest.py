"""Real headless Chromium (Debian's package) driven by Playwright, against Django's live server.

Never `playwright install`: the browser is /usr/bin/chromium from `apt-get install chromium`.
Screenshots go to screenshots/ (git-ignored) so a person can look at them.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# The background-networking flags stop Chromium phoning home on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM is still used
    # synchronously by the tests around it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def check_page(page, screenshot):
    """What every journey does on every page it visits: a screenshot, the axe-core WCAG 2.2 AA
    rules with zero violations, and no sideways scrolling at 320 px or at 200% zoom."""
    from tests.browser.axe import axe_check, reflow_check

    def check(name: str, *, reflow: bool = True) -> dict:
        screenshot(name)
        result = axe_check(page, name)
        if reflow:
            reflow_check(page, name, screenshot)
        return result

    return check


@pytest.fixture
def page_problems(page):
    """Console errors, CSP violations, server errors and missing files (scripts, styles,
    images) on the pages visited: a journey ends by asserting there were none. A page answered
    with 400 is not one: a form shown again with its errors is answered so, on purpose."""
    found = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )

    def logged(message):
        # Chromium also logs every 4xx/5xx as a console error; responses are judged below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            found.append(message.text)

    page.on("console", logged)
    page.on("pageerror", lambda error: found.append(str(error)))

    def failed(response):
        if response.status >= 500 or (
            response.status >= 400 and response.request.resource_type != "document"
        ):
            found.append(f"{response.status} {response.url}")

    page.on("response", failed)
    return found


PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def due_now(cast):
    """The cast's plan is in force, so the current quarter is due, with a target for this year;
    everyone in the cast signs in with PASSWORD. Returns the label of the quarter due."""
    from django.utils import timezone

    from targets import reporting
    from targets.models import Frequency, Target
    from tests.factories import period

    plan = cast.commitment.plan
    plan.starts_on, plan.ends_on = timezone.localdate().replace(year=2020), None
    plan.save()
    quarter = reporting.reporting_periods(Frequency.QUARTERLY, timezone.localdate())[0]
    year = period(quarter.label.split(" ")[0])
    target = Target(commitment=cast.commitment, period=year)
    target.set_text("50%")
    target.save()
    for user in (cast.owner, cast.approver, cast.scrutiny, cast.admin):
        user.set_password(PASSWORD)
        user.save()
    return quarter.label


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
