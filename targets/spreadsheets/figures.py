"""Resources for the rows that carry figures: baselines and targets (the `figures` sheet) and
actuals. These sheets are the long ones, so rows are matched against tables read once, and the
model checks that would query the database per row are done here against those tables instead.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from import_export import fields

from targets import services
from targets.models import Actual, ActualSource, ActualState, Baseline, Target
from targets.periods import UnreadablePeriod
from targets.spreadsheets.resources import SheetResource, column
from targets.spreadsheets.widgets import Number, Text, cell_text
from targets.target_text import Shape, parse_figure

FIGURE_COLUMNS = ["plan", "indicator", "kind", "period", "breakdown", "text"]
# Foreign keys are resolved from the lookups, so full_clean need not fetch them again.
RESOLVED = ["commitment", "indicator", "period", "breakdown", "entered_by", "approved_by"]


class FigureResource(SheetResource):
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

    class Meta(SheetResource.Meta):
        fields = FIGURE_COLUMNS
        # Thousands of rows: saved in batches, with their history written in batches too.
        use_bulk = True
        batch_size = 1000
        # No deep copy and field-by-field diff of every row: `skip_row` compares the stored
        # values kept by `after_init_instance` instead.
        skip_diff = True

    def before_import(self, dataset, **kwargs):
        self.existing = {self.key_of(row): row for row in self.stored_rows()}
        self.seen = {}
        self.original = None
        self.last_resolved = None

    def stored_values(self, instance) -> tuple:
        return tuple(getattr(instance, f.attname) for f in self._meta.model._meta.concrete_fields)

    def after_init_instance(self, instance, new, row, **kwargs):
        self.original = None if new else self.stored_values(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self.original is None:
            return False
        return self.stored_values(instance) == self.original

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

    def get_bulk_update_fields(self):
        return [f.name for f in self._meta.model._meta.concrete_fields if not f.primary_key]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances:
            model = self._meta.model
            try:
                with transaction.atomic(using=router.db_for_write(model), savepoint=False):
                    model.objects.bulk_create(self.create_instances, batch_size=batch_size)
                    write_history(
                        model,
                        [instance.pk for instance in self.create_instances],
                        history_type="+",
                        user=self.user,
                        reason=self.source,
                    )
            except Exception as error:  # reported as a file error; the import is rolled back
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances:
            model = self._meta.model
            try:
                with transaction.atomic(using=router.db_for_write(model), savepoint=False):
                    model.objects.bulk_update(
                        self.update_instances, self.get_bulk_update_fields(), batch_size=batch_size
                    )
                    write_history(
                        model,
                        [instance.pk for instance in self.update_instances],
                        history_type="~",
                        user=self.user,
                        reason=self.source,
                    )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()


def write_history(model, pks, *, history_type: str, user, reason: str) -> None:
    """The audit rows (django-simple-history's table) of rows just saved in bulk.

    The database copies each saved row into the history table, stamped with the user, the
    change reason and the time: the rows simple-history's ``bulk_history_create`` writes, without
    building and inserting a historical instance per row in Python, which took longer than the
    rest of the import.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not pks:
        return
    if None in pks:
        raise ValueError("The database did not return the new rows' ids.")
    history = model.history.model
    meta = history._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    copied = [(meta.get_field(f.name).column, f.column) for f in history.tracked_fields]
    stamps = {
        "history_date": timezone.now(),
        "history_type": history_type,
        "history_user": user.pk if user is not None else None,
        "history_change_reason": reason,
    }
    targets = [quote(column) for column, _ in copied]
    targets += [quote(meta.get_field(name).column) for name in stamps]
    stamp_values = [
        meta.get_field(name).get_db_prep_save(value, connection) for name, value in stamps.items()
    ]
    sources = ", ".join([*(quote(column) for _, column in copied), *["%s"] * len(stamps)])
    pk = quote(model._meta.pk.column)
    step = connection.ops.bulk_batch_size([model._meta.pk], pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), step):
            batch = pks[start : start + step]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({', '.join(targets)}) "
                f"SELECT {sources} FROM {quote(model._meta.db_table)} "
                f"WHERE {pk} IN ({', '.join(['%s'] * len(batch))}) ORDER BY {pk}",
                [*stamp_values, *batch],
            )


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
