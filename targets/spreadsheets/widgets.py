"""How a spreadsheet cell becomes a model value and back (django-import-export widgets).

Every ``clean`` raises ``ValueError`` with a message that makes sense next to the cell's column
and row; the importer reports it with the value that was refused.
"""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from import_export import widgets

SEPARATOR = "; "


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def split_list(value) -> list[str]:
    return [item.strip() for item in cell_text(value).split(";") if item.strip()]


class Text(widgets.Widget):
    def __init__(self, *, required=False, max_length=None):
        self.required = required
        self.max_length = max_length
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if self.required and not text:
            raise ValueError("This cell is required.")
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"At most {self.max_length} characters, not {len(text)}.")
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class Choice(widgets.Widget):
    def __init__(self, choices, *, default=None):
        self.values = [value for value, _ in choices]
        self.default = default
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).lower()
        if not text:
            if self.default is None:
                raise ValueError(f"This cell is required: one of {', '.join(self.values)}.")
            return self.default
        if text not in self.values:
            raise ValueError(f"Must be one of {', '.join(self.values)}.")
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNo(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).lower()
        if text in {"", "no", "n", "false"}:
            return False
        if text in {"yes", "y", "true"}:
            return True
        raise ValueError("Must be yes or no.")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else ""


class Number(widgets.Widget):
    """A decimal as people type it: '1,234', '12.5%', ' 7 ', '£10.9'."""

    def __init__(self, *, required=False):
        self.required = required
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        return read_number(value, required=self.required)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format_number(value)


def read_number(value, *, required=False) -> Decimal | None:
    text = cell_text(value)
    if not text:
        if required:
            raise ValueError("This cell is required.")
        return None
    cleaned = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text).removeprefix("£").removesuffix("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("Not a number.") from None
    if not number.is_finite():
        raise ValueError("Not a number.")
    return number


def format_number(value: Decimal) -> str:
    """The shortest exact form: 62.000000 → '62', 77.5 → '77.5'."""
    text = f"{Decimal(value).normalize():f}"
    return text


class Integer(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return 0
        if not text.isdigit():
            raise ValueError("Must be a whole number.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if not value else str(value)


class IsoDate(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError("Must be a date written YYYY-MM-DD.") from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class Reference(widgets.Widget):
    """A cell naming another row, found through the resource's lookups.

    ``find(lookups, text, row)`` returns the object or raises ValueError; ``show(obj)`` writes
    the reference back on export.
    """

    def __init__(self, find: Callable, show: Callable, *, required=False):
        self.find = find
        self.show = show
        self.required = required
        self.lookups = None  # set by the resource for each import
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError("This cell is required.")
            return None
        return self.find(self.lookups, text, row)

    def render(self, value, obj=None, **kwargs):
        return self.show(value) if value is not None else ""


class References(widgets.ManyToManyWidget):
    """Several references in one cell, separated by '; '."""

    def __init__(self, model, find: Callable, show: Callable):
        self.find = find
        self.show = show
        self.lookups = None
        super().__init__(model)

    def clean(self, value, row=None, **kwargs):
        return [self.find(self.lookups, item, row) for item in split_list(value)]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return SEPARATOR.join(sorted(self.show(item) for item in value.all()))
