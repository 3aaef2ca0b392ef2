"""Plans a council agrees (LAA, LPSA, delivery plan...), their themes, outcomes and activities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from leicester_perf.addresses import slug_address
from plans import assessment as cpa
from plans import by_when, milestones
from targets.models import (
    ActualState,
    PeriodKind,
    WrittenOnlyInOpenPeriods,
    audit_trail,
    locked_message,
)


class PlanKind(models.TextChoices):
    COMMUNITY_STRATEGY = "community_strategy", "Sustainable community strategy"
    CORPORATE_PLAN = "corporate_plan", "Corporate plan"
    LPSA = "lpsa", "Local Public Service Agreement"
    PSA = "psa", "Public Service Agreement"
    LAA = "laa", "Local Area Agreement"
    DELIVERY_PLAN = "delivery_plan", "Delivery plan"
    CPA_ASSESSMENT = "cpa_assessment", "CPA corporate assessment"
    OTHER = "other", "Other"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed / bid"
    AGREED = "agreed", "Agreed"
    CLOSED = "closed", "Closed"
    SUPERSEDED = "superseded", "Superseded"


class PlanQuerySet(models.QuerySet):
    def real(self):
        return self.filter(is_synthetic=False)


class Plan(models.Model):
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=PlanKind.choices)
    area = models.CharField(max_length=200, help_text="e.g. 'Leicester', 'Leicestershire'.")
    years_text = models.CharField(
        max_length=100, blank=True, help_text="The years covered, as written: '2008-11'."
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.AGREED)
    description = models.TextField(blank=True)
    framework = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delivery_plans",
        help_text="The strategy this plan delivers, e.g. the LAA within One Leicester.",
    )
    lead_partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans_led",
    )
    source_document = models.CharField(
        max_length=300, blank=True, help_text="The document the plan was loaded from."
    )
    is_synthetic = models.BooleanField(default=False, help_text="Generated test data.")

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self):
        return f"{self.name} ({self.years_text})" if self.years_text else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_address("plans:plan-detail", self.slug)

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": "The plan cannot end before it starts."})


class ThemeKind(models.TextChoices):
    PRIORITY = "priority", "Priority"
    THEME = "theme", "Theme"
    GROUP = "group", "Group of targets"
    VALUE = "value", "Value"


class Theme(models.Model):
    """A grouping inside a plan: a priority for action, a theme, or a sub-group of targets."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text="For a sub-group such as 'Statutory Education and Early Years Targets'.",
    )
    kind = models.CharField(max_length=20, choices=ThemeKind.choices, default=ThemeKind.PRIORITY)
    code = models.CharField(max_length=20, blank=True, help_text="e.g. 'A' or '3'.")
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    portfolio_holder = models.ForeignKey(
        "partners.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="themes",
    )
    serves_themes = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="served_by_themes",
        help_text="Higher priorities this one serves, e.g. Corporate Plan priority A.",
    )
    serves_outcomes = models.ManyToManyField("Outcome", blank=True, related_name="served_by_themes")

    class Meta:
        ordering = ["plan", "order", "code", "title"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "parent", "title"], name="unique_theme_title")
        ]

    def __str__(self):
        label = f"{self.code}. {self.title}" if self.code else self.title
        return f"{label} ({self.plan.name})"

    def clean(self):
        if self.parent_id and self.parent.plan_id != self.plan_id:
            raise ValidationError({"parent": "A sub-group must belong to the same plan."})


class Outcome(models.Model):
    """What a priority serves, e.g. Corporate Plan outcome 24 'Reduction in children at risk'."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_outcome_code")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Strategy(models.Model):
    """A strategy or document an activity relates to, e.g. 'Local Transport Plan 3'."""

    name = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "strategies"

    def __str__(self):
        return self.name


class ActivityQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(theme__plan=plan)

    def with_progress(self, states=None):
        """Each activity with its updates readers see (approved; ``states`` to widen), oldest
        first, in ``shown_updates``, and its theme, plan and portfolio holder: one query more,
        however many activities."""
        updates = ActivityUpdate.objects.filter(
            state__in=states or [ActualState.APPROVED]
        ).select_related("period")
        return self.select_related(
            "theme__plan", "theme__parent__portfolio_holder", "theme__portfolio_holder"
        ).prefetch_related(
            models.Prefetch(
                "updates",
                queryset=updates.order_by("period__starts_on"),
                to_attr="shown_updates",
            )
        )


class Activity(models.Model):
    """A council activity or project in a plan, with its 'by when' as written and as dates."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="activities")
    title = models.TextField()
    by_when_text = models.CharField(max_length=200, blank=True, help_text="As written.")
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    is_ongoing = models.BooleanField(
        default=False,
        help_text="Open-ended ('Ongoing', 'From April 2013'): no due date.",
    )
    needs_review = models.BooleanField(
        default=False, help_text="The 'by when' could not be read; kept as written."
    )
    strategies = models.ManyToManyField(Strategy, blank=True, related_name="activities")
    lead_partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    order = models.PositiveIntegerField(default=0)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "order"]
        verbose_name_plural = "activities"

    def __str__(self):
        title = self.title if len(self.title) <= 80 else f"{self.title[:77]}…"
        return f"{title} (by {self.by_when_text})" if self.by_when_text else title

    def get_absolute_url(self):
        return reverse("plans:activity-progress", kwargs={"pk": self.pk})

    def clean(self):
        if self.starts_on and self.due_on and self.starts_on > self.due_on:
            raise ValidationError({"due_on": "An activity cannot be due before it starts."})

    def set_by_when(self, text: str) -> None:
        """Read the 'by when' as written into dates; what cannot be read is flagged, not guessed
        (the conventions are in ``plans.by_when``)."""
        read = by_when.read_by_when(text)
        self.by_when_text = text
        self.starts_on, self.due_on = read.starts_on, read.due_on
        self.is_ongoing = read.is_ongoing
        self.needs_review = read.needs_review

    @property
    def timing(self) -> by_when.Timing:
        if self.needs_review:
            return by_when.Timing.UNREAD
        if self.is_ongoing:
            return by_when.Timing.OPEN_ENDED
        if self.due_on:
            return by_when.Timing.DUE
        return by_when.Timing.BLANK

    @property
    def portfolio_holder(self):
        """The holder of the activity's theme or, for an objective, of the theme above it."""
        theme = self.theme
        return theme.portfolio_holder or (theme.parent.portfolio_holder if theme.parent else None)

    @property
    def latest_update(self) -> "ActivityUpdate | None":
        """The latest update readers see; needs ``ActivityQuerySet.with_progress``."""
        shown = getattr(self, "shown_updates", None)
        if shown is None:
            raise AttributeError("Load activities with .with_progress() to read their updates.")
        return shown[-1] if shown else None

    def is_late_on(self, today) -> bool:
        latest = self.latest_update
        return milestones.is_late(
            due_on=self.due_on, status=latest.status if latest else None, today=today
        )


class ProgressStatus(models.TextChoices):
    NOT_STARTED = milestones.NOT_STARTED, "Not started"
    ON_TRACK = milestones.ON_TRACK, "On track"
    AT_RISK = milestones.AT_RISK, "At risk"
    COMPLETE = milestones.COMPLETE, "Complete"
    MISSED = milestones.MISSED, "Late / missed"


class ActivityUpdate(WrittenOnlyInOpenPeriods, models.Model):
    """An officer's quarterly progress report on an activity: a status and commentary, signed
    off like an actual (draft, submitted, approved or returned) and kept in the audit trail."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(
        "targets.Period", on_delete=models.PROTECT, related_name="activity_updates"
    )
    status = models.CharField(max_length=20, choices=ProgressStatus.choices)
    commentary = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=ActualState.choices, default=ActualState.DRAFT)
    return_reason = models.TextField(blank=True)
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

    history = audit_trail()

    class Meta:
        ordering = ["activity", "period__starts_on"]
        permissions = [("approve_activityupdate", "Can approve or return activity progress")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "period"], name="unique_activity_update")
        ]

    def __str__(self):
        return f"{self.activity} {self.period}: {self.get_status_display()}"

    def clean(self):
        errors = {}
        if self.period_id and self.period.kind != PeriodKind.QUARTER:
            errors["period"] = f"Progress is reported by quarter, not for {self.period}."
        elif self.period_id and self.period.is_locked:
            errors["period"] = locked_message(self.period)
        if self.state == ActualState.RETURNED and not self.return_reason.strip():
            errors["return_reason"] = "Say why the update was returned."
        if errors:
            raise ValidationError(errors)


def validate_theme_score(score) -> None:
    if error := cpa.score_error(score):
        raise ValidationError(error, code="score_range")


class ScaleLevelQuerySet(models.QuerySet):
    def by_score(self) -> dict[int, "ScaleLevel"]:
        return {level.score: level for level in self}


class ScaleLevel(models.Model):
    """One score of the CPA scoring scale, with the judgement and description as the scale
    words them ("3 · Performing well · Consistently above minimum requirements")."""

    score = models.PositiveSmallIntegerField(unique=True, validators=[validate_theme_score])
    judgement = models.CharField(max_length=100, help_text="As written: 'Performing well'.")
    description = models.CharField(max_length=300, blank=True)

    objects = ScaleLevelQuerySet.as_manager()

    class Meta:
        ordering = ["score"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=cpa.LOWEST_SCORE, score__lte=cpa.HIGHEST_SCORE),
                name="scale_level_score_1_to_4",
            )
        ]

    def __str__(self):
        return f"{self.score} {self.judgement}"


class AssessmentKind(models.TextChoices):
    SELF = "self", "Self-assessment (anticipated scores)"
    INSPECTION = "inspection", "Inspection (scores awarded)"


class Assessment(models.Model):
    """A CPA corporate assessment of a plan: its five themes scored 1 to 4.

    The overall score is not stored: it follows from the theme scores by the rule in
    ``plans.assessment``, so it can never disagree with them.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assessments")
    title = models.CharField(max_length=300, help_text="As written: 'Self assessment'.")
    kind = models.CharField(
        max_length=20, choices=AssessmentKind.choices, default=AssessmentKind.SELF
    )
    year = models.PositiveSmallIntegerField(help_text="The CPA year assessed: 2007.")
    assessed_on = models.DateField(null=True, blank=True, help_text="Where the date is known.")
    source_note = models.TextField(
        blank=True, help_text="Where the scores are stated, in the document's words."
    )

    class Meta:
        ordering = ["plan", "-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="unique_assessment_title")
        ]

    def __str__(self):
        return f"{self.title} {self.year} ({self.plan.name})"

    def clean(self):
        if self.plan_id and self.plan.kind != PlanKind.CPA_ASSESSMENT:
            raise ValidationError(
                {"plan": "Only a plan of kind 'CPA corporate assessment' has an assessment."}
            )

    def overall(self) -> "cpa.Overall | None":
        """The overall score by the rule, or None until all five themes are scored."""
        scores = [theme_score.score for theme_score in self.theme_scores.all()]
        if len(scores) != len(cpa.THEMES):
            return None
        return cpa.overall(scores)


class AssessmentTheme(models.Model):
    """One theme of an assessment: its score, key areas of risk and key actions."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="theme_scores"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="assessment_scores")
    score = models.PositiveSmallIntegerField(validators=[validate_theme_score])
    key_risks = models.TextField(blank=True, help_text="Key areas of risk, one per line.")
    actions = models.TextField(blank=True, help_text="Key actions or comments, one per line.")
    evidence = models.TextField(blank=True, help_text="What the score rests on.")

    class Meta:
        ordering = ["assessment", "theme__order", "theme__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "theme"], name="unique_assessment_theme"),
            models.CheckConstraint(
                condition=models.Q(score__gte=cpa.LOWEST_SCORE, score__lte=cpa.HIGHEST_SCORE),
                name="assessment_theme_score_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.theme.title}: {self.score}"

    def clean(self):
        # None if not set; it may be unsaved yet (added in the admin together with its themes).
        assessment = getattr(self, "assessment", None)
        if self.theme_id and assessment and self.theme.plan_id != assessment.plan_id:
            message = f"'{self.theme.title}' is a theme of another plan, not this assessment's."
            raise ValidationError({"theme": message})

    @property
    def key_risk_list(self) -> list[str]:
        return [line.strip() for line in self.key_risks.splitlines() if line.strip()]

    @property
    def action_list(self) -> list[str]:
        return [line.strip() for line in self.actions.splitlines() if line.strip()]
