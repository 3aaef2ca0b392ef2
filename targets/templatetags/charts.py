"""What a page with a chart puts in its <head> for plotly.js under a strict CSP."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

from targets.plotly_assets import injected_style_ids

register = template.Library()


@register.simple_tag
def plotly_styles() -> str:
    """plotly.js's own rules as a stylesheet (it then adds no <style> element of its own), and
    an empty placeholder for each stylesheet it would otherwise inject on load (maps only)."""
    link = format_html(
        '<link rel="stylesheet" id="plotly.js-style-global" class="no-inline-styles" href="{}">',
        static("css/plotly.css"),
    )
    placeholders = format_html_join(
        "", '<template id="{}"></template>', ((i,) for i in injected_style_ids())
    )
    return format_html("{}{}", link, placeholders)
