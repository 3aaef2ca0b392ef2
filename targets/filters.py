"""Filters for tables of judged commitments: theme and lead partner in the database, status and
direction from the rows already judged (they are computed, not stored)."""

import django_filters
from django.db.models import Q

from targets.dashboard import DIRECTION_ORDER, STATUS_ORDER
from targets.models import Commitment

NOT_COMPARED = "none"


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Indicator")
    theme = django_filters.ChoiceFilter(field_name="theme_id", label="Theme", empty_label="All")
    lead = django_filters.ChoiceFilter(method="filter_lead", label="Lead partner", empty_label="All")
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label="Status",
        empty_label="All",
        choices=[(status.value, status.label) for status in STATUS_ORDER],
    )
    direction = django_filters.ChoiceFilter(
        method="filter_direction",
        label="Direction",
        empty_label="All",
        choices=[(d.value, d.label) for d in DIRECTION_ORDER] + [(NOT_COMPARED, "Not compared")],
    )

    class Meta:
        model = Commitment
        fields = ["q", "theme", "lead", "status", "direction"]

    def __init__(self, data=None, queryset=None, *, rows, **kwargs):
        """``rows`` are the judged commitments of ``queryset``: the choices come from them,
        so building the form costs no query."""
        super().__init__(data, queryset, **kwargs)
        self.rows = rows
        themes = {row.commitment.theme_id: row.commitment.theme for row in rows}
        self.filters["theme"].extra["choices"] = [
            (str(pk), theme.title)
            for pk, theme in sorted(themes.items(), key=lambda item: (item[1].order, item[1].title))
        ]
        leads = {partner.pk: partner for row in rows for partner in row.lead_partners}
        self.filters["lead"].extra["choices"] = [
            (str(pk), partner.name)
            for pk, partner in sorted(leads.items(), key=lambda item: item[1].name)
        ]

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(indicator__code__icontains=value) | Q(indicator__title__icontains=value)
        )

    def filter_lead(self, queryset, name, value):
        return queryset.filter(
            commitment_partners__partner_id=value, commitment_partners__is_lead=True
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(pk__in=[r.commitment.pk for r in self.rows if r.status == value])

    def filter_direction(self, queryset, name, value):
        wanted = None if value == NOT_COMPARED else value
        return queryset.filter(pk__in=[r.commitment.pk for r in self.rows if r.direction == wanted])

    def matching(self, rows):
        """The rows the filters keep, in their order: one query, for the ids."""
        if not self.is_bound or not any(self.form.data.get(name) for name in self.filters):
            return list(rows)
        kept = set(self.qs.values_list("pk", flat=True))
        return [row for row in rows if row.commitment.pk in kept]
