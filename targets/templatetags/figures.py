"""Template filters for showing stored figures as people write them."""

from django import template

from targets.reporting import shown

register = template.Library()


@register.filter
def figure(value):
    """52.500000 → 52.5; 1234.000000 → 1,234. Blank stays blank; a yes/no field (the history
    of changes shows them) reads "yes" or "no", not Python's True/False."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    try:
        text = shown(value)
    except (AttributeError, TypeError):
        return value
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = f"{int(digits):,}" if digits.isdigit() else digits
    return f"{sign}{grouped}{'.' + fraction if fraction else ''}"
