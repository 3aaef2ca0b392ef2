from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.views.generic import DetailView, ListView
from django_tables2 import RequestConfig

from plans import assessment as cpa
from plans.models import Assessment, AssessmentTheme, Plan, ScaleLevel
from plans.services import share_improving
from targets import dashboard
from targets.filters import CommitmentFilter
from targets.models import Commitment
from targets.tables import EXPORT_FORMATS, CommitmentTable, export_response, report_export


class PlanListView(LoginRequiredMixin, ListView):
    template_name = "plans/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return Plan.objects.annotate(
            theme_count=Count("themes", distinct=True),
            commitment_count=Count("commitments", distinct=True),
        ).order_by("is_synthetic", "-starts_on", "name")

    def get_context_data(self, **kwargs):
        """Each plan's statuses for the period asked for or, by default, for its own latest
        period with data (plans run in different years)."""
        context = super().get_context_data(**kwargs)
        plans = list(context["plans"])
        loaded = dashboard.load(Commitment.objects.all())
        chosen, error = dashboard.requested_period(self.request.GET)
        found = loaded.plan_periods()
        shown = {plan.pk: chosen or found.default_for(plan) for plan in plans}
        # A plan with nothing dated has nothing to judge in any period: its targets are all
        # "no target" whichever period is used.
        period_of = {pk: period or dashboard.fallback_period() for pk, period in shown.items()}
        rows = dashboard.by_plan(loaded.assess(period_of))
        context["dashboard"] = [
            (plan, shown[plan.pk], dashboard.Summary(rows.get(plan.pk, []))) for plan in plans
        ]
        dated = [period for period in shown.values() if period]
        selected = chosen or max(dated, key=lambda p: p.end, default=dashboard.fallback_period())
        context["periods"] = dashboard.period_choices(selected, found.seen(shown))
        context["period_chosen"] = chosen
        context["period_error"] = error
        context["statuses"] = dashboard.STATUS_ORDER
        context["show_submitted"] = settings.SHOW_SUBMITTED_VALUES
        return context


class PlanDetailView(LoginRequiredMixin, DetailView):
    """A plan's themes and its targets, each judged for the period chosen: a sortable,
    filterable table, exported as CSV or XLSX with ``?export=csv`` or ``?export=xlsx``."""

    template_name = "plans/plan_detail.html"
    context_object_name = "plan"
    model = Plan
    per_page = 25

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        export = request.GET.get("export")
        if export in EXPORT_FORMATS:
            label = context["period"].label
            name = f"{self.object.name} {label}"
            return export_response(context["table"], export, name, sheet=f"Targets {label}")
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        loaded = dashboard.load(Commitment.objects.filter(plan=plan))
        chosen, error = dashboard.requested_period(self.request.GET)
        found = loaded.plan_periods()
        period = chosen or found.default_for(plan) or dashboard.fallback_period(plan)
        rows = loaded.assess(period)
        filters = CommitmentFilter(self.request.GET, rows=rows)
        shown = filters.matching(rows)
        table = CommitmentTable(shown, caption=f"Targets of {plan.name}, {period.label}")
        if not any(row.commitment.reference for row in rows):
            table.columns.hide("reference")
        RequestConfig(self.request, paginate={"per_page": self.per_page}).configure(table)
        context.update(
            period=period,
            periods=dashboard.period_choices(period, found.seen([plan.pk])),
            period_error=error,
            summary=dashboard.Summary(rows),
            themes=dashboard.by_theme(rows),
            filters=filters,
            filtered=len(shown) != len(rows),
            shown_count=len(shown),
            table=table,
            statuses=dashboard.STATUS_ORDER,
        )
        return context


class PlanReportView(LoginRequiredMixin, DetailView):
    """The quarterly scrutiny report of a plan, or one theme of it: exceptions first (off
    target, overdue, worsening) with their commentary, then every target. Prints on A4;
    ``?export=xlsx`` downloads it."""

    template_name = "plans/plan_report.html"
    context_object_name = "plan"
    model = Plan

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        if request.GET.get("export") == "xlsx":
            return report_export(context["title"], context["exceptions"], context["rows"])
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        loaded = dashboard.load(Commitment.objects.filter(plan=plan))
        themes = dashboard.themes_of(loaded.commitments)
        theme = next((t for t in themes if str(t.pk) == self.request.GET.get("theme")), None)
        chosen, error = dashboard.requested_period(self.request.GET)
        found = loaded.plan_periods()
        period = chosen or dashboard.last_quarter_of(
            found.default_for(plan) or dashboard.fallback_period(plan)
        )
        rows = loaded.assess(period)
        if theme is not None:
            # A theme's report includes its sub-groups' targets.
            rows = [r for r in rows if theme.pk in (r.theme.pk, r.theme.parent_id)]
        title = f"{plan.name}{f': {theme.title}' if theme else ''}, {period.label}"
        context.update(
            title=title,
            theme=theme,
            themes=themes,
            period=period,
            periods=dashboard.period_choices(period, found.seen([plan.pk])),
            period_error=error,
            summary=dashboard.Summary(rows),
            rows=rows,
            exceptions=dashboard.exceptions_first(rows),
            by_theme=dashboard.by_theme(rows),
            statuses=dashboard.STATUS_ORDER,
            today=timezone.localdate(),
            show_submitted=settings.SHOW_SUBMITTED_VALUES,
        )
        return context


class PlanAssessmentView(LoginRequiredMixin, DetailView):
    """A plan's CPA corporate assessment scorecard: each theme's score and judgement, key
    risks and actions, and the overall score with the clause of the rule that gave it."""

    template_name = "plans/plan_assessment.html"
    context_object_name = "plan"

    def get_queryset(self):
        theme_scores = AssessmentTheme.objects.select_related("theme")
        assessments = Assessment.objects.prefetch_related(
            Prefetch("theme_scores", queryset=theme_scores)
        )
        return Plan.objects.prefetch_related(Prefetch("assessments", queryset=assessments))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scale = list(ScaleLevel.objects.all())
        by_score = {level.score: level for level in scale}
        assessments = self.object.assessments.all()
        context["scale"] = scale
        context["scorecards"] = [
            {
                "assessment": assessment,
                "overall": assessment.overall(),
                "themes": [
                    (theme_score, by_score.get(theme_score.score))
                    for theme_score in assessment.theme_scores.all()
                ],
            }
            for assessment in assessments
        ]
        context["improving"] = share_improving(self.object) if assessments else None
        context["rule"] = cpa.RULE
        return context
