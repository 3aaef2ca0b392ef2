"""Tables of judged commitments (``dashboard.CommitmentRow``), sortable, paginated, exportable.

Rows are computed in Python, so the tables sort lists: status and direction sort by how good
they are, not alphabetically. Columns that are not shown (plan, period, commentary...) still go
into exports, which are written by the formula-safe ``write_spreadsheet``.
"""

import re

import django_tables2 as tables
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify

from targets.spreadsheets.files import write_spreadsheet
from targets.templatetags.status_tags import direction_badge, status_badge

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class CommitmentTable(tables.Table):
    reference = tables.Column(accessor="commitment__reference", verbose_name="Ref", default="")
    indicator = tables.Column(
        accessor="commitment__indicator__code",
        verbose_name="Indicator",
        order_by=("commitment__indicator__code_key",),
    )
    title = tables.Column(accessor="commitment__indicator__title", visible=False)
    plan = tables.Column(accessor="commitment__plan__name", visible=False)
    theme = tables.Column(accessor="commitment__theme__title", verbose_name="Theme")
    lead = tables.Column(
        accessor="lead_partners", verbose_name="Lead partner", order_by=("lead_names",)
    )
    signed_up = tables.Column(accessor="signed_up", verbose_name="Signed up", visible=False)
    period = tables.Column(accessor="period__label", verbose_name="Period", visible=False)
    baseline = tables.Column(accessor="baseline_text", verbose_name="Baseline", orderable=False)
    target = tables.Column(accessor="target_text", verbose_name="Target", orderable=False)
    value = tables.Column(
        accessor="value_text", verbose_name="Actual", orderable=False, empty_values=()
    )
    previous = tables.Column(accessor="previous_text", verbose_name="A year earlier", visible=False)
    status = tables.Column(accessor="status", verbose_name="Status", order_by=("status_rank",))
    direction = tables.Column(
        accessor="direction",
        verbose_name="Direction",
        order_by=("direction_rank",),
        empty_values=(),
    )
    commentary = tables.Column(accessor="commentary", verbose_name="Commentary", visible=False)

    class Meta:
        template_name = "targets/includes/table.html"
        attrs = {"class": "table commitments-table"}
        empty_text = "No targets match these filters."
        orderable = True

    def __init__(self, data, *args, caption: str = "", **kwargs):
        super().__init__(data, *args, **kwargs)
        self.caption = caption

    def render_indicator(self, record):
        indicator = record.commitment.indicator
        return format_html(
            '<a href="{}">{}</a> {}', indicator.get_absolute_url(), indicator.code, indicator.title
        )

    def render_lead(self, value):
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((p.get_absolute_url(), p.name) for p in value)
        )

    def render_reference(self, value):
        return value

    def render_period(self, value):
        return value

    def render_value(self, record, value):
        # A quarterly or school-year indicator is judged on its own period within the one chosen.
        own = ""
        if record.period.label != record.chosen.label:
            own = format_html(' <span class="share">{}</span>', record.period.label)
        pending = ""
        if record.is_submitted:
            pending = format_html(' <strong class="tag tag-submitted">Not yet approved</strong>')
        return format_html("{}{}{}", value, own, pending)

    def render_target(self, record, value):
        if record.standing is not None:
            return format_html(
                '{} <span class="subtle">({} from {})</span>',
                value or "",
                record.standing.get_status_display(),
                record.standing.from_period or "the start",
            )
        return value

    def render_status(self, value):
        return status_badge(value)

    def render_direction(self, value):
        return direction_badge(value)

    # Exports: plain text, one value per cell.
    def value_indicator(self, value):
        return value

    def value_lead(self, value):
        return ", ".join(p.name for p in value)

    def value_signed_up(self, value):
        return ", ".join(p.name for p in value)

    def value_status(self, value):
        return value.label

    def value_direction(self, value):
        return value.label if value else ""

    def value_commentary(self, value):
        return "\n".join(f"{name}: {text}" if name else text for name, text in value)

    def value_target(self, record, value):
        if record.standing is not None:
            return f"{value} ({record.standing.get_status_display()})".strip()
        return value


def sheet_name(name: str) -> str:
    """A worksheet name: at most 31 characters, none of \\ / ? * [ ] : (2008/09 is 2008-09)."""
    return re.sub(r"[\\/?*\[\]:]", "-", name)[:31].strip() or "Export"


def export_response(
    table: tables.Table, export_format: str, name: str, *, sheet: str = ""
) -> HttpResponse:
    """The table's rows, every column, as a .csv or .xlsx download, formula-safe."""
    header, *rows = list(table.as_values())
    file_name = f"{slugify(name) or 'export'}.{export_format}"
    content = write_spreadsheet([(sheet_name(sheet or name), header, rows)], file_name)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[export_format])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def report_export(title: str, exceptions, rows) -> HttpResponse:
    """A scrutiny report as an .xlsx workbook: the exceptions, then every target."""
    sheets = []
    for name, items in (("Exceptions", exceptions), ("All targets", rows)):
        header, *values = list(CommitmentTable(list(items)).as_values())
        sheets.append((name, header, values))
    file_name = f"{slugify(f'scrutiny report {title}')}.xlsx"
    content = write_spreadsheet(sheets, file_name)
    response = HttpResponse(content, content_type=EXPORT_FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
