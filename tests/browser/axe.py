"""Accessibility checks run on every page a browser journey visits.

- ``axe_check``: axe-core (bundled in the axe-playwright-python wheel, so nothing is fetched)
  with the WCAG 2.0, 2.1 and 2.2 A and AA rules; any violation fails the test with the rule,
  its impact and the elements. Each page's result is recorded in screenshots/axe-results.json
  and .csv (git-ignored) so the number of rules run on each page can be quoted.
- ``reflow_check``: WCAG 1.4.10 (reflow) and 1.4.4 (resize text): no page-level horizontal
  scroll in a 320 CSS px wide window, nor at 200% zoom. Browser zoom at 200% halves the layout
  viewport: a 1280 px window zoomed to 200% lays out exactly as a 640 CSS px window (media
  queries included, which CSS ``zoom`` would not trigger), only drawn with twice the pixels.
  So 200% zoom is emulated with a 640 x 450 CSS px viewport; the screenshots are at one device
  pixel per CSS pixel (Playwright's full-page screenshots reset any other scale).
"""

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
RESULTS_JSON = SCREENSHOTS / "axe-results.json"
RESULTS_CSV = SCREENSHOTS / "axe-results.csv"

# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core has no rule tagged wcag22a).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    # Every rule is still listed under passes/incomplete/inapplicable; only their nodes are
    # left out, which keeps the result small.
    "resultTypes": ["violations"],
}
OUTCOMES = ("passes", "violations", "incomplete", "inapplicable")
# Rules axe may leave "needing review" on a page without that being a failure, each looked at
# by hand:
# - color-contrast: symbols with no text (the status icons ✓ ▲ ✖ ! on their tinted
#   backgrounds), text whose background axe cannot compute where boxes overlap, and the Django
#   admin's "Add"/"Change" links, whose icon is a background image (#417893 on white: 4.85:1);
# - th-has-data-cells: the Django admin's model lists, whose "Add" cell is empty for a model
#   nobody may add to (the sign-in logs); the column header still describes the column.
# Any other rule needing review fails the check: such a result found aria-describedby pointing
# at hint ids the template never rendered.
REVIEWED_BY_HAND = {"color-contrast", "th-has-data-cells"}

# The layouts each page must fit without scrolling sideways: (name, width, height).
LAYOUTS = [("320", 320, 640), ("zoom200", 640, 450)]


def axe_check(page, name: str, *, context: dict | None = None) -> dict:
    """Run axe on the page as it is now; record the result; fail on any violation."""
    response = Axe().run(page, context=context, options=OPTIONS).response
    counts = {outcome: len(response[outcome]) for outcome in OUTCOMES}
    entry = {
        "name": name,
        "path": _path(page.url),
        "title": page.title(),
        "rules_run": sum(counts.values()),
        **counts,
        "violation_ids": [v["id"] for v in response["violations"]],
        "needs_review": [rule["id"] for rule in response["incomplete"]],
        "axe_core": response["testEngine"]["version"],
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _record(entry)
    assert entry["rules_run"] > 20, f"axe ran only {entry['rules_run']} rules on {name}"
    assert not response["violations"], _describe(name, page.url, response["violations"])
    unreviewed = [r for r in response["incomplete"] if r["id"] not in REVIEWED_BY_HAND]
    assert not unreviewed, "needing review: " + _describe(name, page.url, unreviewed)
    return entry


def reflow_check(page, name: str, screenshot) -> None:
    """No sideways scrolling of the whole page at 320 px, nor at 200% zoom; a screenshot of
    each. Wide tables scroll inside their own container instead."""
    original = page.viewport_size
    try:
        for layout, width, height in LAYOUTS:
            page.set_viewport_size({"width": width, "height": height})
            # Let layout and the resize handlers (charts redraw, tables become regions) settle.
            page.wait_for_function(f"window.innerWidth === {width}")
            page.wait_for_timeout(200)
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            too_wide = _too_wide(page) if widths[0] > widths[1] else []
            screenshot(f"{name}-{layout}")
            assert widths[0] <= widths[1], (
                f"{name} ({_path(page.url)}) scrolls sideways at {layout}: the page is "
                f"{widths[0]} px wide in a {widths[1]} px window; too wide: {too_wide}"
            )
    finally:
        page.set_viewport_size(original)


def _too_wide(page) -> list[str]:
    """The outermost elements that stick out past the window's right edge."""
    return page.evaluate(
        """() => {
          const limit = document.documentElement.clientWidth;
          const found = [];
          for (const el of document.body.querySelectorAll('*')) {
            if (el.getBoundingClientRect().right <= limit + 0.5) continue;
            if (found.some(outer => outer.contains(el))) continue;
            found.push(el);
          }
          return found.slice(0, 8).map(el =>
            el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (el.className && el.className.baseVal === undefined && el.className
              ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
            ' (' + Math.round(el.getBoundingClientRect().right) + ' px)');
        }"""
    )


def _describe(name: str, url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s) on {name} ({url}):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{', '.join(t for t in violation['tags'] if t.startswith('wcag'))}]"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def _path(url: str) -> str:
    # The live server's port changes from run to run; the path and query identify the page.
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _record(entry: dict) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    results[entry["name"]] = entry
    RESULTS_JSON.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    columns = ["name", "path", "title", "rules_run", *OUTCOMES, "axe_core", "checked_at"]
    with RESULTS_CSV.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(results[key] for key in sorted(results))
