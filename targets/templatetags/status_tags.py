"""Statuses and directions as people read them: in words with a shape, never colour alone."""

from decimal import Decimal

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
    status = Status(status)
    return format_html(
        '<span class="status status-{}"><span class="status-icon" aria-hidden="true">{}</span> '
        "{}</span>",
        status.value.replace("_", "-"),
        ICONS[status],
        status.label,
    )


@register.simple_tag
def direction_badge(direction) -> str:
    if not direction:
        return format_html('<span class="direction direction-none">{}</span>', "Not compared")
    direction = Direction(direction)
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
