"""Statuses and directions as people read them: in words with a shape, never colour alone."""

from decimal import Decimal
from functools import cache

from django import template
from django.utils.html import format_html

from targets.status import Direction, Status

register = template.Library()

# Shapes that differ without colour: a tick, a triangle, a cross...
ICONS = {
    Status.GREEN: "✓",
    Status.AMBER: "▲",
    Status.RED: "✖",
    Status.OVERDUE: "!",
    Status.NO_DATA: "…",
    Status.NO_TARGET: "–",
}


@register.simple_tag
def status_badge(status) -> str:
    return _status_badge(Status(status))


@register.simple_tag
def direction_badge(direction) -> str:
    return _direction_badge(Direction(direction) if direction else None)


# Six statuses and three directions, shown on thousands of rows (a partner page has 600): each
# badge is formatted once per process, not once per row.
@cache
def _status_badge(status: Status) -> str:
    return format_html(
        '<span class="status status-{}"><span class="status-icon" aria-hidden="true">{}</span> '
        "{}</span>",
        status.value.replace("_", "-"),
        ICONS[status],
        status.label,
    )


@cache
def _direction_badge(direction: Direction | None) -> str:
    if direction is None:
        return format_html('<span class="direction direction-none">{}</span>', "Not compared")
    return format_html(
        '<span class="direction direction-{}"><span aria-hidden="true">{}</span> {}</span>',
        direction.value.replace("_", "-"),
        direction.arrow,
        direction.label,
    )


@register.filter
def status_label(status) -> str:
    return Status(status).label


@register.filter
def status_icon(status) -> str:
    return ICONS[Status(status)]


@register.filter
def percent(value: Decimal | None) -> str:
    """A share as a whole percentage; a dash when there is nothing to share."""
    if value is None:
        return "–"
    return f"{value:.0f}%"


@register.inclusion_tag("targets/includes/status_bar.html")
def status_bar(summary):
    """The statuses of a summary as one stacked bar (an SVG: no inline styles for the CSP).
    Decorative: the same numbers are in the table beside it."""
    segments, x = [], Decimal(0)
    for status, count, share in summary.statuses:
        if count:
            segments.append({"status": status.value.replace("_", "-"), "x": x, "width": share})
            x += share
    return {"segments": segments}
