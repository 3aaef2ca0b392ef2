"""Indicators, the commitments plans make about them, and what actually happened.

Every baseline and target keeps the text as written in the agreement beside the structured value
parsed from it (``Figure``), because officers and auditors must be able to see what was agreed.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from leicester_perf.addresses import slug_address
from targets import periods, target_text
from targets.target_text import ChangeUnit, Shape

DECIMAL = {"max_digits": 20, "decimal_places": 6, "null": True, "blank": True}


def audit_trail() -> HistoricalRecords:
    """Who changed a row, when, and why. The reason names the import file(s) or the form,
    which can be longer than simple-history's default 100 characters."""
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True))


class PeriodKind(models.TextChoices):
    FINANCIAL_YEAR = periods.PeriodKind.FINANCIAL_YEAR.value, "Financial year"
    QUARTER = periods.PeriodKind.QUARTER.value, "Quarter"
    SCHOOL_YEAR = periods.PeriodKind.SCHOOL_YEAR.value, "School year"
    CALENDAR_YEAR = periods.PeriodKind.CALENDAR_YEAR.value, "Calendar year"
    MONTH = periods.PeriodKind.MONTH.value, "Month"
    SPAN = periods.PeriodKind.SPAN.value, "Span"


class PeriodQuerySet(models.QuerySet):
    def for_label(self, text: str) -> "Period":
        """The period a label such as '2008/9' or 'Q2 2008/09' means, created on first use.

        Raises ``periods.UnreadablePeriod`` for a label that cannot be read.
        """
        parsed = periods.parse_period(text)
        period, _ = self.get_or_create(
            label=parsed.label,
            defaults={
                "kind": parsed.kind.value,
                "starts_on": parsed.start,
                "ends_on": parsed.end,
                "year": parsed.year,
                "quarter": parsed.quarter,
                "qualifier": parsed.qualifier,
            },
        )
        return period


class Period(models.Model):
    """A span of time figures are reported for: a financial year, a quarter, a school year..."""

    label = models.CharField(max_length=100, unique=True, help_text="Canonical: '2008/09 Q2'.")
    kind = models.CharField(max_length=20, choices=PeriodKind.choices)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True, help_text="Starting year.")
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    qualifier = models.CharField(max_length=100, blank=True, help_text="e.g. 'average'.")
    is_locked = models.BooleanField(
        default=False,
        help_text="Reported: no value for this period can change until an admin unlocks it.",
    )
    entry_deadline = models.DateField(
        null=True,
        blank=True,
        help_text="Last day for entering values. Blank: ENTRY_DEADLINE_DAYS after the period ends.",
    )

    objects = PeriodQuerySet.as_manager()
    # Locking and unlocking are logged with who, when and the reason given.
    history = audit_trail()

    class Meta:
        ordering = ["starts_on", "ends_on", "label"]
        permissions = [("lock_period", "Can lock and unlock reported periods")]

    def __str__(self):
        return self.label

    @property
    def deadline(self) -> date | None:
        """The last day values for this period may be entered without being flagged late."""
        if self.entry_deadline:
            return self.entry_deadline
        if self.ends_on is None:
            return None
        return self.ends_on + timedelta(days=settings.ENTRY_DEADLINE_DAYS)

    def is_late_on(self, day: date) -> bool:
        return self.deadline is not None and day > self.deadline

    def clean(self):
        errors = {}
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            errors["quarter"] = f"A quarter is 1 to 4, not {self.quarter}."
        if self.kind == PeriodKind.QUARTER and self.quarter is None:
            errors["quarter"] = "A quarterly period needs its quarter (1 to 4)."
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            errors["ends_on"] = "A period cannot end before it starts."
        if errors:
            raise ValidationError(errors)


class Breakdown(models.Model):
    """A group an indicator is reported for separately, e.g. sex: Male."""

    dimension = models.CharField(max_length=100, help_text="e.g. 'sex', 'ethnicity'.")
    name = models.CharField(max_length=100, help_text="e.g. 'Male', 'BME'.")
    aliases = models.CharField(
        max_length=200, blank=True, help_text="Comma-separated labels used in plans: 'M'."
    )

    class Meta:
        ordering = ["dimension", "name"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "name"], name="unique_breakdown")
        ]

    def __str__(self):
        return f"{self.name} ({self.dimension})"

    def matches(self, label: str) -> bool:
        wanted = label.strip().lower()
        names = [self.name, *self.aliases.split(",")]
        return any(wanted == name.strip().lower() for name in names if name.strip())


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    NUMBER = "number", "Number"
    RATE = "rate", "Rate"
    MONEY = "money", "Money"
    LEVEL = "level", "Level or score"
    DAYS = "days", "Days"
    MILESTONE = "milestone", "Milestone"
    OTHER = "other", "Other"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    RANGE = "range", "Within a range is best"
    NONE = "none", "No polarity (context only)"


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual (financial year)"
    SCHOOL_YEAR = "school_year", "Annual (school year)"
    CALENDAR_YEAR = "calendar_year", "Annual (calendar year)"
    MONTHLY = "monthly", "Monthly"


class QuarterlyValues(models.TextChoices):
    SNAPSHOT = "snapshot", "Snapshot: each quarter is judged against the annual target"
    CUMULATIVE = "cumulative", "Cumulative: year to date, judged against a pro-rata target"


class IndicatorQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(commitments__plan=plan).distinct()

    def search(self, text: str):
        return self.filter(Q(code__icontains=text) | Q(title__icontains=text))


def natural_key(text: str) -> tuple:
    """A sort key that puts numbers in a code in numeric order: NI 5, NI 39, NI 120 (not NI 120,
    NI 39, NI 5), LPSA 2.10 after LPSA 2.9. Letters compare without case."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


class Indicator(models.Model):
    """A measure with one series of actuals, however many plans commit to it."""

    code = models.CharField(max_length=50, unique=True, help_text="Stable key, e.g. 'NI 112'.")
    slug = models.SlugField(max_length=60, unique=True, blank=True, help_text="From the code.")
    title = models.CharField(max_length=500)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.NUMBER)
    unit_text = models.CharField(
        max_length=100, blank=True, help_text="As people read it: 'per 1,000 population'."
    )
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.ANNUAL)
    quarterly_values = models.CharField(
        max_length=20, choices=QuarterlyValues.choices, default=QuarterlyValues.SNAPSHOT
    )
    is_national = models.BooleanField(
        default=False, help_text="From the National Indicator Set (NI 1 … NI 198)."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_measures",
        help_text="For a sub-measure: the measure it is part of.",
    )
    breakdowns = models.ManyToManyField(Breakdown, blank=True, related_name="indicators")
    has_numerator = models.BooleanField(
        default=False, help_text="Actuals are entered as numerator and denominator."
    )
    tolerance_percent = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("5"),
        help_text="Amber band: how far short of target, as % of the target, is still amber.",
    )
    data_source = models.CharField(max_length=300, blank=True)
    is_synthetic = models.BooleanField(default=False, help_text="Generated test data.")

    objects = IndicatorQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_address("targets:indicator-detail", self.slug)

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A measure cannot be its own sub-measure."})

    def fill_slug(self):
        """The slug from the code, once: it is not changed afterwards, so addresses keep working."""
        if not self.slug:
            self.slug = slugify(self.code)[:60]

    @property
    def code_key(self) -> tuple:
        """For listing indicators in the order people number them (``natural_key``)."""
        return natural_key(self.code)


class Figure(models.Model):
    """A baseline or target: the text as written and the structured value read from it.

    One cell of an agreement can hold any of the shapes in ``target_text.Shape``; the fields used
    depend on the shape (a range has bounds, a cohort a numerator and denominator...).
    """

    text = models.TextField(help_text="Exactly as written in the agreement.")
    shape = models.CharField(
        max_length=20, choices=[(s.value, s.value.replace("_", " ")) for s in Shape]
    )
    value = models.DecimalField(**DECIMAL)
    lower = models.DecimalField(**DECIMAL)
    upper = models.DecimalField(**DECIMAL)
    numerator = models.DecimalField(**DECIMAL)
    denominator = models.DecimalField(**DECIMAL)
    unit = models.CharField(max_length=20, blank=True, help_text="'%', '£'.")
    unit_text = models.CharField(max_length=200, blank=True)
    scale = models.CharField(max_length=10, blank=True, help_text="Money scale: 'm', 'k'.")
    change_unit = models.CharField(
        max_length=20,
        blank=True,
        choices=[(c.value, c.value.replace("_", " ")) for c in ChangeUnit],
    )
    base_value = models.DecimalField(**DECIMAL)
    base_text = models.CharField(max_length=100, blank=True)
    due_text = models.CharField(max_length=100, blank=True)
    due_on = models.DateField(null=True, blank=True)
    period_text = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=300, blank=True, help_text="Why there is no target.")
    note = models.CharField(max_length=300, blank=True)
    is_designated = models.BooleanField(default=False, help_text="Marked * in the agreement.")
    is_reward = models.BooleanField(default=False, help_text="Marked ** (reward target).")
    needs_review = models.BooleanField(
        default=False, help_text="The text could not be read with confidence; kept as written."
    )

    class Meta:
        abstract = True

    def clean(self):
        errors = {}
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            errors["lower"] = (
                f"The lower bound ({self.lower}) is above the upper bound ({self.upper})."
            )
        if (
            self.numerator is not None
            and self.denominator is not None
            and self.shape == Shape.COHORT
            and self.numerator > self.denominator
        ):
            errors["numerator"] = (
                f"The numerator ({self.numerator}) is above the denominator ({self.denominator})."
            )
        if self.denominator is not None and self.denominator <= 0:
            errors["denominator"] = "The denominator must be above zero."
        if errors:
            raise ValidationError(errors)

    def set_text(self, text: str) -> None:
        """Read ``text`` as written and fill the structured fields from it."""
        self.apply_parsed(target_text.parse_figure(text))

    def apply_parsed(self, figure: target_text.ParsedFigure) -> None:
        # A row holds one breakdown's figure: a cell such as "M:801*" given for the Male row
        # is stored as that part, with the text still exactly as written.
        if figure.shape == Shape.BREAKDOWN and len(figure.parts) == 1:
            part = figure.parts[0][1]
            figure = target_text.ParsedFigure(
                **{**part.__dict__, "text": figure.text, "needs_review": figure.needs_review}
            )
        self.text = figure.text
        self.shape = figure.shape.value
        for name in ("value", "lower", "upper", "numerator", "denominator", "base_value"):
            setattr(self, name, getattr(figure, name))
        for name in ("unit", "unit_text", "scale", "base_text", "due_text", "period_text"):
            setattr(self, name, getattr(figure, name))
        self.change_unit = figure.change_unit.value if figure.change_unit else ""
        self.reason = figure.reason
        self.note = figure.note
        self.is_designated = figure.designated
        self.is_reward = figure.reward
        self.needs_review = figure.needs_review or figure.shape == Shape.UNPARSED
        self.due_on = _due_date(figure.due_text)

    @property
    def reading(self) -> str:
        """How the text was read, in words, so a person can check the parser's work."""

        def number(value) -> str:
            return f"{value.normalize():f}" if value is not None else "?"

        unit = self.unit if self.unit != "£" else ""
        money = "£" if self.unit == "£" else ""
        match self.shape:
            case Shape.VALUE:
                return f"{number(self.value)}{unit} {self.unit_text}".strip()
            case Shape.RANGE:
                return f"between {number(self.lower)}{unit} and {number(self.upper)}{unit}"
            case Shape.CHANGE:
                sign = "+" if self.value is not None and self.value > 0 else ""
                return f"{sign}{number(self.value)} {self.get_change_unit_display().lower()}"
            case Shape.COHORT:
                return f"{number(self.numerator)} of {number(self.denominator)}"
            case Shape.LEVEL:
                return f"level {number(self.value)}"
            case Shape.MONEY:
                return f"{money}{number(self.value)}{self.scale}"
            case Shape.MILESTONE:
                return f"milestone due {self.due_on:%d %B %Y}" if self.due_on else "milestone"
            case Shape.GROWTH:
                return f"{number(self.value)}% a year from {money}{number(self.base_value)}"
            case Shape.NO_TARGET:
                return "no target"
            case Shape.WITHDRAWN:
                return "withdrawn"
        return "not read: needs review"

    @property
    def is_absent(self) -> bool:
        return self.shape in {Shape.NO_TARGET, Shape.WITHDRAWN}

    def resolve_against(self, baseline_value: Decimal | None) -> Decimal | None:
        """The target value, resolving a change from baseline once the baseline is known."""
        if self.shape == Shape.VALUE or self.shape == Shape.MONEY or self.shape == Shape.LEVEL:
            return self.value
        if self.shape == Shape.COHORT:
            return self.numerator
        if self.shape != Shape.CHANGE or baseline_value is None or self.value is None:
            return None
        if self.change_unit == ChangeUnit.PERCENT:
            return baseline_value * (1 + self.value / 100)
        # Percentage points and absolute changes are both added to the baseline as they stand:
        # "+3 % points" on 62% is 65%, not 63.86%.
        return baseline_value + self.value


def _due_date(text: str):
    if not text:
        return None
    try:
        return periods.parse_period(text).end
    except periods.UnreadablePeriod:
        return None


class CommitmentQuerySet(models.QuerySet):
    def for_partner(self, partner):
        return self.filter(partners=partner).distinct()

    def led_by(self, partner):
        return self.filter(commitment_partners__partner=partner, commitment_partners__is_lead=True)


class Commitment(models.Model):
    """An indicator in a plan's theme: what the plan agreed to achieve, and who answers for it."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="commitments")
    theme = models.ForeignKey("plans.Theme", on_delete=models.PROTECT, related_name="commitments")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="commitments")
    reference = models.CharField(
        max_length=50, blank=True, help_text="The plan's own reference: 'L1', '3(a)'."
    )
    title_as_written = models.TextField(
        blank=True, help_text="The measure as this plan words it, where it differs."
    )
    description = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    is_designated = models.BooleanField(
        default=False, help_text="A designated target agreed with government (*)."
    )
    is_reward = models.BooleanField(default=False, help_text="A reward-weighted target (**).")
    is_statutory = models.BooleanField(default=False, help_text="A statutory education target.")
    is_placeholder = models.BooleanField(
        default=False, help_text="Kept in the agreement before its baseline exists."
    )
    partners = models.ManyToManyField(
        "partners.Partner", through="CommitmentPartner", related_name="commitments"
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    linked_commitments = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="linked_from",
        help_text="Other targets this one links with ('Links with L3 & L5').",
    )
    order = models.PositiveIntegerField(default=0)

    objects = CommitmentQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        ordering = ["plan", "theme__order", "order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="unique_commitment")
        ]

    def __str__(self):
        return f"{self.indicator.code} in {self.plan.name}"

    def clean(self):
        if self.theme_id and self.plan_id and self.theme.plan_id != self.plan_id:
            raise ValidationError({"theme": "The theme must belong to the commitment's plan."})

    def status_on(self, period: Period) -> "CommitmentStatus | None":
        """The latest status change in force on ``period`` (None: active throughout)."""
        changes = [
            change
            for change in self.status_changes.all()
            if change.from_period is None
            or period.starts_on is None
            or change.from_period.starts_on is None
            or change.from_period.starts_on <= period.starts_on
        ]
        return changes[-1] if changes else None


class CommitmentPartner(models.Model):
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="commitment_partners"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="commitment_partners"
    )
    is_lead = models.BooleanField(default=False, help_text="Lead partner (* in the agreement).")
    name_as_written = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-is_lead", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "partner"], name="unique_commitment_partner"
            )
        ]

    def __str__(self):
        return f"{self.partner.name}{' (lead)' if self.is_lead else ''}"


class CommitmentStatusKind(models.TextChoices):
    ACTIVE = "active", "Active"
    DROPPED_FROM_NIS = "dropped_from_nis", "Dropped from the National Indicator Set"
    WITHDRAWN = "withdrawn", "Withdrawn from the plan"
    SUSPENDED = "suspended", "Suspended"


class CommitmentStatus(models.Model):
    """A change in a commitment's standing from a period on; earlier periods keep theirs."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=20, choices=CommitmentStatusKind.choices)
    from_period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(max_length=300, blank=True, help_text="As written.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["commitment", "from_period__starts_on"]
        verbose_name_plural = "commitment statuses"

    def __str__(self):
        since = f" from {self.from_period}" if self.from_period_id else ""
        return f"{self.get_status_display()}{since}"


class Baseline(Figure):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="baselines")
    breakdown = models.ForeignKey(
        Breakdown, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.PROTECT, related_name="baselines"
    )
    period_as_written = models.CharField(
        max_length=100, blank=True, help_text="The baseline's period as written: '(2007/8)'."
    )

    history = audit_trail()

    class Meta:
        ordering = ["commitment", "breakdown__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment"],
                condition=Q(breakdown__isnull=True),
                name="unique_baseline_total",
            ),
            models.UniqueConstraint(
                fields=["commitment", "breakdown"], name="unique_baseline_breakdown"
            ),
        ]

    def __str__(self):
        return f"Baseline {self.text} ({self.period_as_written or self.period or '?'})"


class Target(Figure):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="targets")
    breakdown = models.ForeignKey(
        Breakdown, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = audit_trail()

    class Meta:
        ordering = ["commitment", "period__starts_on", "breakdown__name"]
        permissions = [("import_targets", "Can import plans and targets from spreadsheets")]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "period"],
                condition=Q(breakdown__isnull=True),
                name="unique_target_total",
            ),
            models.UniqueConstraint(
                fields=["commitment", "period", "breakdown"], name="unique_target_breakdown"
            ),
        ]

    def __str__(self):
        part = f" {self.breakdown.name}" if self.breakdown_id else ""
        return f"Target {self.period}{part}: {self.text}"


class ActualState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


class ActualSource(models.TextChoices):
    FORM = "form", "Entry form"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "Spreadsheet import"
    DOCUMENT = "document", "Recorded in a source document"
    SYNTHETIC = "synthetic", "Synthetic (generated)"


class PeriodLocked(ValidationError):
    """A value was about to be written to a period that has been reported and locked."""


def locked_message(period: "Period") -> str:
    return (
        f"{period} is locked because it has been reported; values for it cannot change. "
        "An admin can unlock it, giving a reason."
    )


class WrittenOnlyInOpenPeriods:
    """For models reported by period (values, activity progress): the last line of defence for
    every route (form, admin, API, command): whatever the caller checked, a row in a locked
    period is never written or deleted."""

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)

    def _refuse_if_locked(self):
        if Period.objects.filter(pk=self.period_id, is_locked=True).exists():
            raise PeriodLocked(locked_message(self.period))


class ActualQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=ActualState.APPROVED)


class Actual(WrittenOnlyInOpenPeriods, models.Model):
    """What happened: one value of an indicator for a period (and breakdown)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="actuals")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="actuals")
    breakdown = models.ForeignKey(
        Breakdown, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(**DECIMAL)
    numerator = models.DecimalField(**DECIMAL)
    denominator = models.DecimalField(**DECIMAL)
    commentary = models.TextField(blank=True)
    data_source = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=20, choices=ActualState.choices, default=ActualState.DRAFT)
    return_reason = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=ActualSource.choices)
    source_note = models.CharField(
        max_length=300, blank=True, help_text="e.g. the file imported, or the document's words."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save, so concurrent edits are detected."
    )
    is_late = models.BooleanField(
        default=False, help_text="Submitted after the period's entry deadline."
    )
    is_synthetic = models.BooleanField(default=False, help_text="Generated test data.")

    objects = ActualQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        ordering = ["indicator", "period__starts_on", "breakdown__name"]
        permissions = [
            ("import_actuals", "Can import actuals from spreadsheets"),
            ("approve_actual", "Can approve or return submitted actuals"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(breakdown__isnull=True),
                name="unique_actual_total",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "breakdown"], name="unique_actual_breakdown"
            ),
        ]

    def __str__(self):
        part = f" {self.breakdown.name}" if self.breakdown_id else ""
        return f"{self.indicator.code} {self.period}{part}: {self.value}"

    def clean(self):
        errors = {}
        if self.numerator is not None and self.denominator is not None:
            if self.denominator <= 0:
                errors["denominator"] = "The denominator must be above zero."
            elif self.numerator > self.denominator:
                errors["numerator"] = (
                    f"The numerator ({self.numerator}) is above "
                    f"the denominator ({self.denominator})."
                )
        if (
            self.value is not None
            and self.indicator_id
            and self.indicator.unit == Unit.PERCENT
            and not 0 <= self.value <= 100
        ):
            errors["value"] = f"Must be between 0 and 100 for a percentage, not {self.value}."
        if self.state == ActualState.RETURNED and not self.return_reason.strip():
            errors["return_reason"] = "Say why the value was returned."
        if self.period_id and self.period.is_locked:
            errors["period"] = locked_message(self.period)
        if errors:
            raise ValidationError(errors)


class DataVersion(models.Model):
    """How often what a plan's or an indicator's pages show has changed: rows written by database
    triggers on every write to the tables those pages read (``targets/data_versions.py``), so that
    what is judged from them can be cached under the version and read back until it changes.

    A version is the sum of ``changes`` over the rows of its scope and object. PostgreSQL appends
    a row per scope and object each statement changes (no row is updated, so concurrent writers
    never wait for one another or deadlock); SQLite, which has one writer at a time, keeps one row
    each and raises it. ``data_versions.compact`` folds many rows into one."""

    scope = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    changes = models.BigIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["scope", "object_id"], name="data_version_key")]

    def __str__(self):
        return f"{self.scope} {self.object_id}: +{self.changes}"
