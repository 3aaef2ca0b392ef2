"""The partner page's filters: its targets come from several plans, so they are filtered by plan
and by the partner's role in them rather than by theme and lead partner."""

import django_filters

from targets.filters import CommitmentFilter

LEADS = "leads"
SIGNED_UP = "signed_up"


class PartnerCommitmentFilter(CommitmentFilter):
    plan = django_filters.ChoiceFilter(label="Plan", empty_label="All")
    role = django_filters.ChoiceFilter(
        label="Role", empty_label="All", choices=[(LEADS, "Leads"), (SIGNED_UP, "Signed up")]
    )

    class Meta(CommitmentFilter.Meta):
        fields = ["q", "plan", "role", "status", "direction"]

    def __init__(self, data=None, *, rows, partner, **kwargs):
        super().__init__(data, rows=rows, **kwargs)
        self.partner = partner
        # Themes belong to one plan each, and the lead partner is what "role" says.
        del self.filters["theme"], self.filters["lead"]
        plans = {row.plan.pk: row.plan for row in rows}
        self.filters["plan"].extra["choices"] = [(str(pk), plan.name) for pk, plan in plans.items()]

    def test(self, name: str, row, value) -> bool:
        if name == "plan":
            return str(row.plan.pk) == value
        if name == "role":
            return row.is_led_by(self.partner) == (value == LEADS)
        return super().test(name, row, value)
