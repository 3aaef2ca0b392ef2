"""Filters for tables of judged commitments: by text, theme, lead partner, status, direction.

Status and direction are computed, not stored, and the rows are already in memory, so the
FilterSet builds and validates the form (its choices come from the rows: no query) and
``matching`` keeps the rows that match, in Python.
"""

import django_filters

from targets.dashboard import DIRECTION_ORDER, STATUS_ORDER, themes_of
from targets.models import Commitment

NOT_COMPARED = "none"


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Indicator")
    theme = django_filters.ChoiceFilter(label="Theme", empty_label="All")
    lead = django_filters.ChoiceFilter(label="Lead partner", empty_label="All")
    status = django_filters.ChoiceFilter(
        label="Status",
        empty_label="All",
        choices=[(status.value, status.label) for status in STATUS_ORDER],
    )
    direction = django_filters.ChoiceFilter(
        label="Direction",
        empty_label="All",
        choices=[(d.value, d.label) for d in DIRECTION_ORDER] + [(NOT_COMPARED, "Not compared")],
    )

    class Meta:
        model = Commitment
        fields = ["q", "theme", "lead", "status", "direction"]

    def __init__(self, data=None, *, rows, **kwargs):
        super().__init__(data, queryset=Commitment.objects.none(), **kwargs)
        self.rows = rows
        self.filters["theme"].extra["choices"] = [
            (str(theme.pk), f"– {theme.title}" if theme.parent_id else theme.title)
            for theme in themes_of(row.commitment for row in rows)
        ]
        leads = {partner.pk: partner for row in rows for partner in row.lead_partners}
        self.filters["lead"].extra["choices"] = [
            (str(partner.pk), partner.name)
            for partner in sorted(leads.values(), key=lambda partner: partner.name)
        ]

    def matching(self, rows):
        """The rows that match every filter given, in their order."""
        if not self.is_bound or not self.form.is_valid():
            self._point_fields_at_their_errors()
            return list(rows)
        wanted = {name: value for name, value in self.form.cleaned_data.items() if value}
        return [row for row in rows if all(self.test(name, row, v) for name, v in wanted.items())]

    def _point_fields_at_their_errors(self) -> None:
        # A screen reader then reads the error (shown above the field) with the field.
        for name in self.form.errors if self.is_bound else ():
            if name in self.form.fields:
                field = self.form[name]
                field.field.widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{field.auto_id}_error"}
                )

    def test(self, name: str, row, value) -> bool:
        """Whether ``row`` matches the filter ``name`` set to ``value``."""
        return _TESTS[name](row, value)


def _has_text(row, text: str) -> bool:
    text = text.casefold()
    indicator = row.commitment.indicator
    return text in indicator.code.casefold() or text in indicator.title.casefold()


def _in_theme(row, value: str) -> bool:
    theme = row.commitment.theme
    return value in (str(theme.pk), str(theme.parent_id))


def _led_by(row, value: str) -> bool:
    return any(str(partner.pk) == value for partner in row.lead_partners)


def _has_direction(row, value: str) -> bool:
    return (row.direction or NOT_COMPARED) == value


_TESTS = {
    "q": _has_text,
    "theme": _in_theme,
    "lead": _led_by,
    "status": lambda row, value: row.status == value,
    "direction": _has_direction,
}
