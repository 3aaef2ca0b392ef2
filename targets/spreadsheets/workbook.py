"""Import and export whole workbooks: all or nothing, every error listed with row and column.

django-import-export imports one sheet at a time and, left to itself, keeps the valid rows when
others fail model validation. Here every sheet of a file runs inside one transaction, which is
rolled back if any row of any sheet is refused (or on a dry run), so a file is applied whole or
not at all.
"""

from collections import Counter
from dataclasses import dataclass, field

import tablib
from django.db import transaction
from django.template.defaultfilters import pluralize
from import_export.results import RowResult

from partners.models import Partner, Person
from plans.models import Activity, Outcome, Plan, Theme
from targets.models import Actual, ActualSource, Baseline, Breakdown, Commitment, Indicator, Target
from targets.spreadsheets.assessment import ASSESSMENT_SHEETS, export_assessment_sheets
from targets.spreadsheets.figures import (
    ActualResource,
    BaselineResource,
    TargetResource,
    figure_rows,
)
from targets.spreadsheets.files import Sheet
from targets.spreadsheets.indicators import CommitmentResource, IndicatorResource
from targets.spreadsheets.lookups import Lookups
from targets.spreadsheets.resources import (
    ActivityResource,
    BreakdownResource,
    OutcomeResource,
    PartnerResource,
    PersonResource,
    PlanResource,
    ServesOutcomesResource,
    ThemeResource,
)
from targets.spreadsheets.widgets import cell_text
from targets.target_text import Shape, parse_figure

# In the order they are applied: each sheet may refer to the rows of the sheets before it.
PLAN_SHEETS = [
    PartnerResource,
    PersonResource,
    PlanResource,
    ThemeResource,
    OutcomeResource,
    ServesOutcomesResource,  # after the outcomes it links to
    BreakdownResource,
    IndicatorResource,
    CommitmentResource,
    TargetResource,  # the `figures` sheet, with BaselineResource
    ActivityResource,
    *ASSESSMENT_SHEETS,  # scale, assessments, assessment (theme scores)
]
FIGURE_FIELDS = {"value", "lower", "upper", "numerator", "denominator", "shape"}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def __str__(self):
        where = f"{self.sheet}, row {self.row}" if self.row else self.sheet
        if self.column:
            where += f", column '{self.column}'"
        refused = f" (value: '{self.value}')" if self.value else ""
        return f"{where}: {self.message}{refused}"


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def total(self, kind: str) -> int:
        return sum(counter[kind] for counter in self.counts.values())

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        if not self.ok:
            errors = len(self.errors)
            return f"Nothing imported from {self.file_name}: {errors} error{pluralize(errors)}."
        return (
            f"{verb} {self.file_name}: {self.total('new')} created, "
            f"{self.total('update')} updated, {self.total('skip')} unchanged."
        )


class ColumnsError(ValueError):
    pass


def _expected(resource_class) -> str:
    return ", ".join(resource_class.columns())


def identify_sheet(sheet: Sheet, candidates) -> type:
    """Which sheet of the format this is: by its name, else by its columns."""
    headers = {header.lower() for header in sheet.headers}
    named = [c for c in candidates if c.sheet == sheet.name.lower().rsplit(".", 1)[0]]
    matching = named or [
        c
        for c in candidates
        if set(c.required_columns()) <= headers and headers <= set(c.columns())
    ]
    if len(matching) != 1:
        expected = "; ".join(f"{c.sheet} ({_expected(c)})" for c in candidates)
        raise ColumnsError(
            f"The columns of '{sheet.name}' ({', '.join(sheet.headers)}) match no sheet of the "
            f"import format. Expected the columns of one of: {expected}."
        )
    resource_class = matching[0]
    missing = [c for c in resource_class.required_columns() if c not in headers]
    unknown = sorted(headers - set(resource_class.columns()))
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unexpected column(s) {', '.join(unknown)}")
        raise ColumnsError(
            f"Sheet '{sheet.name}': {' and '.join(problems)}. "
            f"Expected columns: {_expected(resource_class)}."
        )
    return resource_class


def _dataset(sheet: Sheet, rows: list[list[str]]) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=[h.lower() for h in sheet.headers])


def _run(resource, sheet: Sheet, rows, row_numbers, report: ImportReport, progress=None):
    """Import rows through one resource; count what happened, collect every refusal."""
    resource.row_numbers = row_numbers
    resource.progress = progress
    result = resource.import_data(
        _dataset(sheet, rows), dry_run=False, use_transactions=False, raise_errors=False
    )
    counts = report.counts.setdefault(resource.sheet, Counter())
    for key in (
        RowResult.IMPORT_TYPE_NEW,
        RowResult.IMPORT_TYPE_UPDATE,
        RowResult.IMPORT_TYPE_SKIP,
    ):
        counts[key] += result.totals[key]
    columns = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    headers = [h.lower() for h in sheet.headers]
    for invalid in result.invalid_rows:
        row_number = row_numbers[invalid.number - 1]
        values = dict(zip(headers, rows[invalid.number - 1], strict=False))
        for name, messages in invalid.error.message_dict.items():
            column = columns.get(name, "text" if name in FIGURE_FIELDS else name)
            column = "" if column == "__all__" else column
            for message in messages:
                report.errors.append(
                    RowError(resource.sheet, row_number, column, values.get(column, ""), message)
                )
    for error in result.base_errors:
        report.errors.append(RowError(resource.sheet, None, "", "", str(error.error)))
    for number, errors in result.row_errors():
        for error in errors:
            report.errors.append(
                RowError(resource.sheet, row_numbers[number - 1], "", "", str(error.error))
            )
    return resource


def _figure_rows(sheet: Sheet, report: ImportReport):
    """Split the `figures` sheet into baseline and target rows, keeping spreadsheet rows.

    A whole split cell ("M:801* F:552*") on a row with no breakdown becomes one row per group.
    Each row's figure as read here is kept for the resource (None for a group's row).
    """
    headers = [h.lower() for h in sheet.headers]
    kind_at, breakdown_at, text_at = (
        headers.index(name) if name in headers else None for name in ("kind", "breakdown", "text")
    )
    split = {"baseline": ([], [], []), "target": ([], [], [])}
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        kind = cell_text(row[kind_at]).lower()
        if kind not in split:
            report.errors.append(
                RowError("figures", number, "kind", row[kind_at], "Must be baseline or target.")
            )
            continue
        rows, numbers, figures = split[kind]
        text = cell_text(row[text_at])
        figure = parse_figure(text)
        no_breakdown = breakdown_at is None or not cell_text(row[breakdown_at])
        if figure.shape == Shape.BREAKDOWN and no_breakdown and breakdown_at is not None:
            for label, part in figure.parts:
                expanded = list(row)
                expanded[breakdown_at], expanded[text_at] = label, part.text
                rows.append(expanded)
                numbers.append(number)
                figures.append(None)
        else:
            rows.append(list(row))
            numbers.append(number)
            figures.append(figure)
    return split


def import_plan_sheets(
    sheets: list[Sheet], *, user=None, file_name: str, dry_run: bool = False, progress=None
) -> ImportReport:
    """Import a workbook of plan content (docs/import-format.md), whole or not at all."""
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    by_kind = {}
    for sheet in sheets:
        report.notes.extend(sheet.notes)
        try:
            by_kind.setdefault(identify_sheet(sheet, PLAN_SHEETS), []).append(sheet)
        except ColumnsError as error:
            report.errors.append(RowError(sheet.name, None, "", "", str(error)))
    if report.errors:
        return report
    source = f"Imported from {file_name}"
    with transaction.atomic():
        for resource_class in PLAN_SHEETS:
            for sheet in by_kind.get(resource_class, []):
                lookups = Lookups()
                if resource_class is TargetResource:
                    split = _figure_rows(sheet, report)
                    for kind, figure_class in (
                        ("baseline", BaselineResource),
                        ("target", TargetResource),
                    ):
                        rows, numbers, figures = split[kind]
                        if rows:
                            resource = figure_class(lookups=lookups, user=user, source=source)
                            resource.figures = figures
                            _run(resource, sheet, rows, numbers, report, progress)
                    continue
                resource = resource_class(lookups=lookups, user=user, source=source)
                _run(resource, sheet, sheet.rows, sheet.row_numbers, report, progress)
                if isinstance(resource, CommitmentResource):
                    for row, column, value, message in resource.link_errors():
                        report.errors.append(RowError("commitments", row, column, value, message))
            if report.errors:
                # Later sheets would only repeat these errors as unknown references.
                report.notes.append(
                    f"Stopped after the '{resource_class.sheet}' sheet: the sheets after it are "
                    "checked once these errors are fixed."
                )
                break
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report


def import_actual_sheets(
    sheets: list[Sheet],
    *,
    user=None,
    file_name: str,
    dry_run: bool = False,
    submit_only: bool = False,
    source_kind: str = ActualSource.IMPORT,
    progress=None,
) -> ImportReport:
    """Import actuals: approved by the importing user, or only submitted for sign-off."""
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    with transaction.atomic():
        for sheet in sheets:
            report.notes.extend(sheet.notes)
            try:
                identify_sheet(sheet, [ActualResource])
            except ColumnsError as error:
                report.errors.append(RowError(sheet.name, None, "", "", str(error)))
                continue
            resource = ActualResource(
                user=user,
                source=f"Imported from {file_name}",
                submit_only=submit_only,
                source_kind=source_kind,
            )
            _run(resource, sheet, sheet.rows, sheet.row_numbers, report, progress)
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report


# Export ---------------------------------------------------------------------------------------


def _sheet(resource_class, queryset) -> tuple[str, list[str], list[list]]:
    dataset = resource_class().export(queryset)
    return (resource_class.sheet, list(dataset.headers), [list(row) for row in dataset])


def export_plan_sheets(plan: Plan | None = None) -> list[tuple[str, list[str], list[list]]]:
    """Every sheet of the import format, for one plan or for everything, in import order."""
    plans = Plan.objects.filter(pk=plan.pk) if plan else Plan.objects.all()
    commitments = Commitment.objects.filter(plan__in=plans)
    indicators = Indicator.objects.filter(commitments__in=commitments).distinct()
    if plan:
        indicators = Indicator.objects.filter(
            pk__in=[
                *indicators.values_list("pk", flat=True),
                *indicators.values_list("parent", flat=True),
            ]
        )
    sheets = [
        _sheet(PartnerResource, Partner.objects.order_by("name").prefetch_related("members")),
        _sheet(PersonResource, Person.objects.order_by("name").select_related("partner")),
        _sheet(PlanResource, plans.order_by("slug").select_related("framework", "lead_partner")),
        _sheet(
            ThemeResource,
            Theme.objects.filter(plan__in=plans)
            .order_by("plan__slug", "parent_id", "order", "code", "title")
            .select_related("plan", "parent", "portfolio_holder")
            .prefetch_related("serves_themes__plan"),
        ),
        _sheet(
            OutcomeResource,
            Outcome.objects.filter(plan__in=plans).order_by("plan__slug", "order", "code"),
        ),
        _sheet(
            ServesOutcomesResource,
            Theme.objects.filter(plan__in=plans, serves_outcomes__isnull=False)
            .distinct()
            .order_by("plan__slug", "parent_id", "order", "code", "title")
            .select_related("plan")
            .prefetch_related("serves_outcomes__plan"),
        ),
        _sheet(BreakdownResource, Breakdown.objects.order_by("dimension", "name")),
        _sheet(
            IndicatorResource,
            indicators.order_by("parent_id", "code").prefetch_related("breakdowns"),
        ),
        _sheet(
            CommitmentResource,
            commitments.order_by("plan__slug", "order", "indicator__code")
            .select_related("plan", "theme", "indicator")
            .prefetch_related("commitment_partners__partner", "linked_commitments__indicator"),
        ),
    ]
    figures_related = ["commitment__plan", "commitment__indicator", "breakdown", "period"]
    baselines = Baseline.objects.filter(commitment__in=commitments).select_related(
        *[name for name in figures_related if name != "period"]
    )
    targets = Target.objects.filter(commitment__in=commitments).select_related(*figures_related)
    sheets.append(("figures", TargetResource.columns(), figure_rows(baselines, targets)))
    sheets.append(
        _sheet(
            ActivityResource,
            Activity.objects.filter(theme__plan__in=plans)
            .order_by("theme__plan__slug", "theme__order", "order", "title")
            .select_related("theme__plan", "lead_partner")
            .prefetch_related("strategies"),
        )
    )
    sheets.extend(export_assessment_sheets(plans))
    return [sheet for sheet in sheets if sheet[2] or sheet[0] in {"plans", "figures"}]


def export_actual_sheet(plan: Plan | None = None) -> tuple[str, list[str], list[list]]:
    actuals = Actual.objects.select_related("indicator", "period", "breakdown")
    if plan:
        actuals = actuals.filter(indicator__commitments__plan=plan).distinct()
    actuals = actuals.order_by(
        "indicator__code", "period__starts_on", "period__label", "breakdown__name"
    )
    return _sheet(ActualResource, actuals)
