"""The officer's journey again with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing,
never a click. At every stop the focused element must be clearly highlighted (the 3px yellow
focus style), the skip link must be the first stop and move focus to the main content, and the
error summary must take focus and lead to the field in error."""

from decimal import Decimal

import pytest

from targets.models import Actual, ActualState
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# What the focused element looks like: GOV.UK's focus style (see site.css). Links turn yellow;
# controls get a 3px yellow outline.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 3
    && style.outlineColor === 'rgb(255, 221, 0)';
  const highlighted = style.backgroundColor === 'rgb(255, 221, 0)';
  return {
    tag: el.tagName.toLowerCase(), id: el.id, className: String(el.className),
    name: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim(),
    visible: (outlined || highlighted) && box.width > 0 && box.height > 0,
    onScreen: box.bottom > 0 && box.top < window.innerHeight,
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def press(page, key: str) -> dict:
    """Press a key; if focus moved to a new element, it must be visibly focused and on screen."""
    page.keyboard.press(key)
    now = focused(page)
    if now["tag"] not in ("body", "main"):
        assert now["visible"], f"{key} moved focus to an element with no visible focus: {now}"
        assert now["onScreen"], f"{key} moved focus off screen: {now}"
    return now


def tab_to(page, name: str, *, limit: int = 40) -> dict:
    """Tab forward until the focused element's text or label starts with ``name``."""
    for _ in range(limit):
        now = press(page, "Tab")
        if now["name"].startswith(name):
            return now
    raise AssertionError(f"{limit} presses of Tab never reached {name!r}")


def skip_to_main(page) -> None:
    """The first Tab on a page reaches the skip link, shown on screen; Enter moves focus to
    the main content, so the next Tab starts there rather than in the navigation."""
    first = press(page, "Tab")
    assert (first["className"], first["name"]) == ("skip-link", "Skip to main content")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


def test_an_officer_does_the_whole_journey_with_the_keyboard_only(
    live_server, page, check_page, page_problems, cast, due_now
):
    page.goto(f"{live_server.url}/accounts/login/")
    # The sign-in page puts the cursor in the username (Django's autofocus): type at once.
    assert focused(page)["id"] == "id_username"
    page.keyboard.type("owner")
    press(page, "Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/worklist/")
    check_page("keyboard-1-worklist", reflow=False)

    skip_to_main(page)
    tab_to(page, "Enter values")
    page.keyboard.press("Enter")
    page.wait_for_url("**/values/**")

    skip_to_main(page)
    value = tab_to(page, "")
    while value["id"] != "id_value_total":
        value = press(page, "Tab")
    page.keyboard.type("52,5x")
    # Shift+Tab goes back: forward to the commentary, back to the value.
    assert press(page, "Tab")["id"] == "id_commentary"
    assert press(page, "Shift+Tab")["id"] == "id_value_total"
    tab_to(page, "Submit for sign-off")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="There is a problem").wait_for()

    # The error summary has focus, so it is read first; its link leads to the field.
    now = focused(page)
    assert "error-summary" in now["className"]
    assert now["visible"]
    check_page("keyboard-2-error-summary-focused", reflow=False)
    link = press(page, "Tab")
    assert link["name"].startswith("Value:")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_value_total"
    page.keyboard.press("Control+A")
    page.keyboard.type("52.5%")
    tab_to(page, "Submit for sign-off")
    page.keyboard.press("Space")  # a button works with Space as with Enter
    page.wait_for_url("**/worklist/")
    assert "submitted for sign-off" in page.get_by_role("status").inner_text()
    actual = Actual.objects.get()
    assert (actual.state, actual.value) == (ActualState.SUBMITTED, Decimal("52.5"))

    # Signing out: a new page starts at the top, through the navigation.
    skip = press(page, "Tab")
    assert skip["className"] == "skip-link"
    tab_to(page, "Sign out")
    check_page("keyboard-3-sign-out-focused", reflow=False)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("heading", name="Sign in", level=1).is_visible()
    assert page_problems == []
