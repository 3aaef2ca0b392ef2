"""The partner page's table: every target the partner leads or signs up to, across plans."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from targets.tables import CommitmentTable


class PartnerCommitmentTable(CommitmentTable):
    plan = tables.Column(accessor="commitment__plan__name", verbose_name="Plan")
    role = tables.Column(accessor="lead_partners", verbose_name="Role", orderable=False)

    class Meta(CommitmentTable.Meta):
        sequence = ("reference", "indicator", "title", "plan", "role", "...")
        empty_text = "None of its targets match these filters."

    def __init__(self, data, *args, partner, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.partner = partner
        for name in ("reference", "theme", "lead", "baseline"):
            self.columns.hide(name)

    def render_plan(self, record):
        return format_html(
            '<a href="{}?{}">{}</a>',
            record.plan.get_absolute_url(),
            urlencode({"period": record.chosen.label}),
            record.plan.name,
        )

    def render_role(self, record):
        if record.is_led_by(self.partner):
            return mark_safe("<strong>Leads</strong>")
        led_by = format_html_join(", ", "{}", ((lead.name,) for lead in record.lead_partners))
        if not led_by:
            return "Signed up"
        return format_html('Signed up<span class="share">led by {}</span>', led_by)

    def value_plan(self, value):
        return value

    def value_role(self, record):
        return "Leads" if record.is_led_by(self.partner) else "Signed up"
