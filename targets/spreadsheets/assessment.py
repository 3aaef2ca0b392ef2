"""The sheets of a CPA corporate assessment: the scoring scale, the assessments, their themes.

Three sheets of the import format (docs/import-format.md), applied after the plan sheets:
`scale` (the scoring scale), `assessments` (one row per assessment of a plan) and `assessment`
(one row per theme: score, key areas of risk, key actions).
"""

from functools import cached_property

from django.core.exceptions import ValidationError
from import_export.widgets import Widget

from plans import assessment as cpa
from plans.models import Assessment, AssessmentKind, AssessmentTheme, ScaleLevel
from targets.spreadsheets.resources import (
    SheetResource,
    column,
    plan_ref,
    show_slug,
    show_theme,
    theme_in_row_plan,
)
from targets.spreadsheets.widgets import (
    SEPARATOR,
    Choice,
    IsoDate,
    Reference,
    Text,
    cell_text,
    split_list,
)


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


class Score(Widget):
    """A theme score: a whole number from 1 to 4, refused with what a score must be."""

    required = True

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError("This cell is required: a score from 1 to 4.")
        try:
            score = int(text)
        except ValueError:
            score = text
        return cpa.check_score(score)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class Year(Widget):
    required = True

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not (text.isdigit() and len(text) == 4):
            raise ValueError("Must be a year written with four digits: 2007.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class AssessmentOfPlan(Reference):
    """An assessment of the row's plan by its title; blank means the plan's only assessment."""

    def __init__(self):
        super().__init__(self.find_assessment, lambda a: a.title, required=False)
        self.known: dict[int, list[Assessment]] | None = None

    def find_assessment(self, lookups, text, row):
        plan = lookups.plan(cell_text(row.get("plan")))
        if self.known is None:
            # Read once per sheet, after the `assessments` sheet of the same import is saved.
            self.known = {}
            for found in Assessment.objects.all():
                self.known.setdefault(found.plan_id, []).append(found)
        of_plan = self.known.get(plan.pk, [])
        if text:
            matching = [a for a in of_plan if _key(a.title) == _key(text)]
            if not matching:
                raise ValueError(f"Unknown assessment '{text}' of plan '{plan.slug}'.")
            return matching[0]
        if len(of_plan) != 1:
            raise ValueError(
                f"Plan '{plan.slug}' has {len(of_plan)} assessments: say which one, by its title."
            )
        return of_plan[0]

    def clean(self, value, row=None, **kwargs):
        return self.find(self.lookups, cell_text(value), row)


class ScaleResource(SheetResource):
    sheet = "scale"
    key_columns = ("score",)
    score = column("score", Score())
    judgement = column("judgement", Text(required=True, max_length=100))
    description = column("description", Text(max_length=300))

    class Meta(SheetResource.Meta):
        model = ScaleLevel
        fields = ["score", "judgement", "description"]

    def find_existing(self, row):
        score = Score().clean(row.get("score"))
        return ScaleLevel.objects.filter(score=score).first()


class AssessmentResource(SheetResource):
    sheet = "assessments"
    key_columns = ("plan", "title")
    plan = column("plan", Reference(plan_ref, show_slug, required=True))
    title = column("title", Text(required=True, max_length=300))
    kind = column("kind", Choice(AssessmentKind.choices, default=AssessmentKind.SELF))
    year = column("year", Year())
    assessed_on = column("assessed_on", IsoDate())
    source_note = column("source_note")

    class Meta(SheetResource.Meta):
        model = Assessment
        fields = ["plan", "title", "kind", "year", "assessed_on", "source_note"]

    def find_existing(self, row):
        plan = self.lookups.plan(cell_text(row.get("plan")))
        return Assessment.objects.filter(plan=plan, title=cell_text(row.get("title"))).first()


class AssessmentThemeResource(SheetResource):
    sheet = "assessment"
    key_columns = ("plan", "theme")
    plan = column("plan", Reference(plan_ref, show_slug, required=True), attribute=False)
    assessment = column("assessment", AssessmentOfPlan())
    theme = column("theme", Reference(theme_in_row_plan, show_theme, required=True))
    score = column("score", Score())
    judgement = column("judgement", attribute=False)
    key_risks = column("key_risks")
    actions = column("actions")
    evidence = column("evidence")

    class Meta(SheetResource.Meta):
        model = AssessmentTheme
        fields = [
            "plan",
            "assessment",
            "theme",
            "score",
            "judgement",
            "key_risks",
            "actions",
            "evidence",
        ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["assessment"].widget.lookups = self.lookups

    @cached_property
    def scale(self) -> dict[int, ScaleLevel]:
        # Read when first needed, after the `scale` sheet of the same import is saved.
        return ScaleLevel.objects.by_score()

    def find_existing(self, row):
        found = self.fields["assessment"].widget.clean(row.get("assessment"), row)
        theme = theme_in_row_plan(self.lookups, cell_text(row.get("theme")), row)
        return AssessmentTheme.objects.filter(assessment=found, theme=theme).first()

    def before_import_row(self, row, **kwargs):
        # Without the column, the row's plan must have only one assessment; say so if not.
        row.setdefault("assessment", "")
        # One item per line in the model, '; '-separated in the sheet.
        for name in ("key_risks", "actions"):
            row[name] = "\n".join(split_list(row.get(name)))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "score" not in errors and (message := self.judgement_error(instance.score, row)):
            errors["judgement"] = [message]
        if errors:
            raise ValidationError(errors)

    def judgement_error(self, score: int, row) -> str | None:
        """The judgement, where the sheet states one, must be the scale's for the score."""
        written = cell_text(row.get("judgement"))
        if not written:
            return None
        level = self.scale.get(score)
        if level is None:
            return f"The scoring scale has no score {score}: import the scale sheet first."
        if _key(written) != _key(level.judgement):
            return (
                f"A score of {score} is '{level.judgement}' on the scoring scale, not '{written}'."
            )
        return None

    def dehydrate_plan(self, theme_score):
        return theme_score.assessment.plan.slug

    def dehydrate_judgement(self, theme_score):
        level = self.scale.get(theme_score.score)
        return level.judgement if level else ""

    def dehydrate_key_risks(self, theme_score):
        return SEPARATOR.join(theme_score.key_risk_list)

    def dehydrate_actions(self, theme_score):
        return SEPARATOR.join(theme_score.action_list)


ASSESSMENT_SHEETS = [ScaleResource, AssessmentResource, AssessmentThemeResource]


def _sheet(resource_class, queryset) -> tuple[str, list[str], list[list]]:
    dataset = resource_class().export(queryset)
    return (resource_class.sheet, list(dataset.headers), [list(row) for row in dataset])


def export_assessment_sheets(plans) -> list[tuple[str, list[str], list[list]]]:
    """The scale, and the assessments of the given plans with their themes, in import order."""
    assessments = Assessment.objects.filter(plan__in=plans)
    return [
        _sheet(ScaleResource, ScaleLevel.objects.all()),
        _sheet(
            AssessmentResource,
            assessments.order_by("plan__slug", "year", "title").select_related("plan"),
        ),
        _sheet(
            AssessmentThemeResource,
            AssessmentTheme.objects.filter(assessment__in=assessments)
            .order_by("assessment__plan__slug", "assessment__title", "theme__order", "theme__code")
            .select_related("assessment__plan", "theme"),
        ),
    ]
