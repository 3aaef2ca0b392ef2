"""Resources for the rows that carry figures: baselines and targets (the `figures` sheet) and
actuals. These sheets are the long ones, so rows are matched against tables read once, and the
model checks that would query the database per row are done here against those tables instead.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields

from targets import services
from targets.models import Actual, ActualSource, ActualState, Baseline, Target
from targets.periods import UnreadablePeriod
from targets.spreadsheets.batches import BatchedResource
from targets.spreadsheets.resources import SheetResource, column
from targets.spreadsheets.widgets import Number, Text, cell_text
from targets.target_text import Shape, parse_figure

FIGURE_COLUMNS = ["plan", "indicator", "kind", "period", "breakdown", "text"]
# Foreign keys are resolved from the lookups, so full_clean need not fetch them again.
RESOLVED = ["commitment", "indicator", "period", "breakdown", "entered_by", "approved_by"]


class FigureResource(BatchedResource):
    """One row of the `figures` sheet: a baseline or a target of a commitment."""

    sheet = "figures"
    key_columns = ("plan", "indicator", "kind", "period")
    kind_name = ""
    plan = column("plan", Text(required=True), attribute=False)
    indicator = column("indicator", Text(required=True), attribute=False)
    kind = column("kind", Text(required=True), attribute=False)
    period = column("period", Text(), attribute=False)
    breakdown = column("breakdown", Text(), attribute=False)
    text = fields.Field(attribute="text", column_name="text", widget=Text(required=True))
    # Each dataset row's figure, where the workbook has read it already (None: not read).
    figures: list | None = None

    class Meta(BatchedResource.Meta):
        fields = FIGURE_COLUMNS

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.existing = {self.key_of(row): row for row in self.stored_rows()}
        self.seen = {}
        self.last_resolved = None

    def resolved(self, row):
        """``resolve(row)``, worked out once for both ``find_existing`` and ``import_instance``."""
        if self.last_resolved is None or self.last_resolved[0] is not row:
            try:
                self.last_resolved = (row, self.resolve(row), None)
            except ValidationError as error:
                self.last_resolved = (row, None, error)
        _, found, error = self.last_resolved
        if error is not None:
            raise error
        return found

    def resolve(self, row):
        """The commitment, period and breakdown a row is about, or every reason it has none."""
        errors = {}
        commitment = period = breakdown = None
        plan = indicator = None
        try:
            plan = self.lookups.plan(cell_text(row.get("plan")))
        except ValueError as error:
            errors["plan"] = [str(error)]
        try:
            indicator = self.lookups.indicator(cell_text(row.get("indicator")))
            if plan is not None:
                commitment = self.lookups.commitment(plan, indicator)
        except ValueError as error:
            errors["indicator"] = [str(error)]
        try:
            period = self.period_of(cell_text(row.get("period")))
        except ValueError as error:
            errors["period"] = [str(error)]
        label = cell_text(row.get("breakdown"))
        if label and commitment is not None:
            try:
                breakdown = self.lookups.breakdown_of(commitment.indicator, label)
            except ValueError as error:
                errors["breakdown"] = [str(error)]
        if errors:
            raise ValidationError(errors)
        return commitment, period, breakdown

    def find_existing(self, row):
        try:
            commitment, period, breakdown = self.resolved(row)
        except ValidationError:
            return None
        return self.existing.get(self.key(commitment, period, breakdown, row))

    def import_instance(self, instance, row, **kwargs):
        # Instead of the base class's: the cells are read here, and a repeated row is found by
        # its key, whichever object it would have found.
        commitment, period, breakdown = self.resolved(row)
        text = cell_text(row.get("text"))
        if not text:
            raise ValidationError({"text": ["This cell is required."]})
        key = self.key(commitment, period, breakdown, row)
        if key in self.seen:
            raise ValidationError(
                {"period": [f"Row {self.seen[key]} already gives this {self.kind_name}."]}
            )
        self.seen[key] = self.spreadsheet_row(kwargs["row_number"])
        instance.commitment = commitment
        instance.breakdown = breakdown
        self.set_period(instance, period, row)
        figure = self.figures[kwargs["row_number"] - 1] if self.figures else None
        if figure is None or figure.text != text:
            figure = parse_figure(text)
        if figure.shape == Shape.BREAKDOWN and breakdown is not None and len(figure.parts) > 1:
            # The whole cell given on one group's row: keep that group's part.
            parts = [part for label, part in figure.parts if breakdown.matches(label)]
            if len(parts) != 1:
                raise ValidationError(
                    {"text": [f"Gives no single figure for the breakdown {breakdown.name}."]}
                )
            figure = parts[0]
        instance.apply_parsed(figure)
        self.parsed = figure

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            # The row's own cells were refused; checking the half-filled instance adds noise.
            raise ValidationError(import_validation_errors)
        errors = {}
        try:
            instance.full_clean(
                exclude=[*errors, *RESOLVED], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        self.existing[self.key_of(instance)] = instance


class TargetResource(FigureResource):
    kind_name = "target"

    class Meta(FigureResource.Meta):
        model = Target

    def stored_rows(self):
        return Target.objects.all()

    def period_of(self, label):
        if not label:
            raise ValueError("This cell is required for a target.")
        return self.lookups.period(label)

    def set_period(self, instance, period, row):
        instance.period = period

    @staticmethod
    def key(commitment, period, breakdown, row):
        return (commitment.pk, period.pk, breakdown.pk if breakdown else None)

    @staticmethod
    def key_of(target):
        return (target.commitment_id, target.period_id, target.breakdown_id)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        services.target_record_consequences(target=instance, figure=self.parsed)


class BaselineResource(FigureResource):
    kind_name = "baseline"

    class Meta(FigureResource.Meta):
        model = Baseline

    def stored_rows(self):
        return Baseline.objects.all()

    def period_of(self, label):
        # A baseline's period is kept as written; one that cannot be read is flagged, not refused.
        if not label:
            return None
        try:
            return self.lookups.period(label)
        except ValueError:
            return None

    def set_period(self, instance, period, row):
        instance.period = period
        instance.period_as_written = cell_text(row.get("period"))

    def apply_review_flag(self, instance):
        if instance.period_as_written and instance.period is None:
            instance.needs_review = True

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        self.apply_review_flag(instance)

    @staticmethod
    def key(commitment, period, breakdown, row):
        return (commitment.pk, breakdown.pk if breakdown else None)

    @staticmethod
    def key_of(baseline):
        return (baseline.commitment_id, baseline.breakdown_id)


class ActualResource(SheetResource):
    """One row of an actuals spreadsheet (`import_actuals`)."""

    sheet = "actuals"
    key_columns = ("indicator", "period", "value")
    indicator = column("indicator", Text(required=True), attribute=False)
    period = column("period", Text(required=True), attribute=False)
    breakdown = column("breakdown", Text(), attribute=False)
    value = column("value", Number(required=True))
    numerator = column("numerator", Number())
    denominator = column("denominator", Number())
    commentary = column("commentary")
    data_source = column("data_source", Text(max_length=300))

    class Meta(SheetResource.Meta):
        model = Actual
        fields = [
            "indicator",
            "period",
            "breakdown",
            "value",
            "numerator",
            "denominator",
            "commentary",
            "data_source",
        ]

    def __init__(self, *, submit_only=False, source_kind=ActualSource.IMPORT, **kwargs):
        super().__init__(**kwargs)
        self.submit_only = submit_only
        self.source_kind = source_kind

    def before_import(self, dataset, **kwargs):
        self.existing = {
            (a.indicator_id, a.period_id, a.breakdown_id): a for a in Actual.objects.all()
        }
        self.seen = {}

    def resolve(self, row):
        errors = {}
        indicator = period = breakdown = None
        try:
            indicator = self.lookups.indicator(cell_text(row.get("indicator")))
        except ValueError as error:
            errors["indicator"] = [str(error)]
        try:
            period = self.lookups.period(cell_text(row.get("period")))
        except (ValueError, UnreadablePeriod) as error:
            errors["period"] = [str(error)]
        label = cell_text(row.get("breakdown"))
        if label and indicator is not None:
            try:
                breakdown = self.lookups.breakdown_of(indicator, label)
            except ValueError as error:
                errors["breakdown"] = [str(error)]
        if errors:
            raise ValidationError(errors)
        return indicator, period, breakdown

    def find_existing(self, row):
        try:
            indicator, period, breakdown = self.resolve(row)
        except ValidationError:
            return None
        return self.existing.get((indicator.pk, period.pk, breakdown.pk if breakdown else None))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            indicator, period, breakdown = self.resolve(row)
        except ValidationError as error:
            raise ValidationError(error.update_error_dict(errors)) from None
        key = (indicator.pk, period.pk, breakdown.pk if breakdown else None)
        if key in self.seen:
            errors["period"] = [f"Row {self.seen[key]} already gives this actual."]
        self.seen[key] = self.spreadsheet_row(kwargs["row_number"])
        if errors:
            raise ValidationError(errors)
        instance.indicator, instance.period, instance.breakdown = indicator, period, breakdown
        self.apply_workflow(instance)

    validate_instance = FigureResource.validate_instance

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance.pk:
            instance.version += 1

    def apply_workflow(self, instance):
        """Imported by an admin: approved by them, or only submitted with --submit-only."""
        now = timezone.now()
        instance.source = self.source_kind
        instance.source_note = self.source[:300]
        instance.entered_by = instance.entered_by or self.user
        instance.submitted_at = now
        if self.submit_only:
            instance.state = ActualState.SUBMITTED
            instance.approved_by = instance.approved_at = None
        else:
            instance.state = ActualState.APPROVED
            instance.approved_by, instance.approved_at = self.user, now

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Workflow fields are set on save; an unchanged figure in an unchanged state is skipped.
        if import_validation_errors or original is None or original.pk is None:
            return False
        wanted = ActualState.SUBMITTED if self.submit_only else ActualState.APPROVED
        figures = ["value", "numerator", "denominator", "commentary", "data_source"]
        return original.state == wanted and all(
            getattr(instance, name) == getattr(original, name) for name in figures
        )

    def dehydrate_indicator(self, actual):
        return actual.indicator.code

    def dehydrate_period(self, actual):
        return actual.period.label

    def dehydrate_breakdown(self, actual):
        return actual.breakdown.name if actual.breakdown_id else ""


def figure_rows(baselines, targets) -> list[list[str]]:
    """The `figures` sheet for export: per commitment, its baselines then its targets."""
    rows = []
    for baseline in baselines:
        rows.append(
            (_commitment_order(baseline.commitment), 0, "", baseline, baseline.period_as_written)
        )
    for target in targets:
        start = target.period.starts_on.isoformat() if target.period.starts_on else ""
        rows.append((_commitment_order(target.commitment), 1, start, target, target.period.label))
    rows.sort(
        key=lambda r: (*r[0], r[1], r[2], r[4], r[3].breakdown.name if r[3].breakdown_id else "")
    )
    return [
        [
            figure.commitment.plan.slug,
            figure.commitment.indicator.code,
            "baseline" if kind == 0 else "target",
            period_label,
            figure.breakdown.name if figure.breakdown_id else "",
            figure.text,
        ]
        for order, kind, _, figure, period_label in rows
    ]


def _commitment_order(commitment):
    return (commitment.plan.slug, commitment.order, commitment.indicator.code)
