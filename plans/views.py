from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_tables2 import RequestConfig

from partners.models import Person
from plans import assessment as cpa
from plans import delivery, progress
from plans.forms import ActivityUpdateForm, MilestoneFilter
from plans.models import (
    ActivityUpdate,
    Assessment,
    AssessmentTheme,
    Plan,
    ScaleLevel,
    Theme,
)
from plans.services import share_improving
from targets import dashboard
from targets.cached_views import CachedBody
from targets.filters import CommitmentFilter
from targets.forms import ApproveForm, ReturnForm
from targets.models import Commitment
from targets.tables import EXPORT_FORMATS, CommitmentTable, export_response, report_export


class PlanListView(LoginRequiredMixin, CachedBody, TemplateView):
    """Every plan with how its targets stand. The body is rendered once per set of plans and
    their data versions (and query string) and then read from the cache (``dashboard.page``);
    each plan's tally is cached on its own too, so a write judges only its plan again."""

    template_name = "plans/plan_list.html"
    body_template = "plans/includes/plan_list_body.html"

    def get(self, request, *args, **kwargs):
        self.versions = dashboard.plan_versions(Plan.objects.values_list("pk", flat=True))
        everything = repr(sorted(self.versions.items()))
        return self.cached_body_response("home", everything)

    def dashboard_context(self) -> dict:
        """Each plan's statuses for the period asked for or, by default, for its own latest
        period with data (plans run in different years)."""
        plans = list(
            Plan.objects.annotate(
                theme_count=Count("themes", distinct=True),
                commitment_count=Count("commitments", distinct=True),
            ).order_by("is_synthetic", "-starts_on", "name")
        )
        chosen, error = dashboard.requested_period(self.request.GET)
        # Each plan's tally, from the cache unless its data, the period or the day has changed.
        found, shown, tallies = dashboard.plan_tallies(plans, chosen, versions=self.versions)
        dated = [period for period in shown.values() if period]
        selected = chosen or max(dated, key=lambda p: p.end, default=dashboard.fallback_period())
        return {
            "plans": plans,
            "dashboard": [(plan, shown[plan.pk], tallies[plan.pk]) for plan in plans],
            "periods": dashboard.period_choices(selected, found.seen(shown)),
            "period_chosen": chosen,
            "period_error": error,
            "statuses": dashboard.STATUS_ORDER,
            "show_submitted": settings.SHOW_SUBMITTED_VALUES,
        }


class PlanDetailView(LoginRequiredMixin, CachedBody, DetailView):
    """A plan's themes and its targets, each judged for the period chosen: a sortable,
    filterable table, exported as CSV or XLSX with ``?export=csv`` or ``?export=xlsx``.

    The body is rendered once per data version and query string and then read from the cache
    (``dashboard.page``); only the exports are built afresh every time."""

    template_name = "plans/plan_detail.html"
    body_template = "plans/includes/plan_dashboard.html"
    context_object_name = "plan"
    model = Plan
    per_page = 25

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        export = request.GET.get("export")
        if export in EXPORT_FORMATS:
            dashboard_context = self.dashboard_context()
            label = dashboard_context["period"].label
            name = f"{self.object.name} {label}"
            return export_response(
                dashboard_context["table"], export, name, sheet=f"Targets {label}"
            )
        version = dashboard.plan_versions([self.object.pk])[self.object.pk]
        return self.cached_body_response(f"plan-{self.object.pk}", version)

    def dashboard_context(self) -> dict:
        plan = self.object
        commitments = Commitment.objects.filter(plan=plan)
        chosen, error = dashboard.requested_period(self.request.GET)
        found = dashboard.plan_periods(commitments)
        period = chosen or found.default_for(plan) or dashboard.fallback_period(plan)
        rows = dashboard.load(commitments, periods=[period]).assess(period)
        filters = CommitmentFilter(self.request.GET, rows=rows)
        shown = filters.matching(rows)
        table = CommitmentTable(shown, caption=f"Targets of {plan.name}, {period.label}")
        if not any(row.commitment.reference for row in rows):
            table.columns.hide("reference")
        RequestConfig(self.request, paginate={"per_page": self.per_page}).configure(table)
        return {
            "plan": plan,
            "period": period,
            "periods": dashboard.period_choices(period, found.seen([plan.pk])),
            "period_error": error,
            "summary": dashboard.Summary(rows),
            "themes": dashboard.by_theme(rows),
            "filters": filters,
            "filtered": len(shown) != len(rows),
            "shown_count": len(shown),
            "table": table,
            "statuses": dashboard.STATUS_ORDER,
        }


class PlanReportView(LoginRequiredMixin, DetailView):
    """The quarterly scrutiny report of a plan, or one theme of it: exceptions first (off
    target, overdue, worsening) with their commentary, then every target. Prints on A4;
    ``?export=xlsx`` downloads it. Cached like the plan page."""

    template_name = "plans/plan_report.html"
    body_template = "plans/includes/plan_report_body.html"
    context_object_name = "plan"
    model = Plan

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.GET.get("export") == "xlsx":
            report = self.report_context()
            return report_export(report["title"], report["exceptions"], report["rows"])
        version = dashboard.plan_versions([self.object.pk])[self.object.pk]
        title, body = dashboard.page(
            f"report-{self.object.pk}", version, request.GET, self.render_body
        )
        return self.render_to_response(self.get_context_data(title=title, body=mark_safe(body)))

    def render_body(self) -> tuple[str, str]:
        report = self.report_context()
        return report["title"], render_to_string(self.body_template, report, self.request)

    def report_context(self) -> dict:
        plan = self.object
        commitments = Commitment.objects.filter(plan=plan)
        chosen, error = dashboard.requested_period(self.request.GET)
        found = dashboard.plan_periods(commitments)
        period = chosen or dashboard.last_quarter_of(
            found.default_for(plan) or dashboard.fallback_period(plan)
        )
        loaded = dashboard.load(commitments, periods=[period])
        themes = dashboard.themes_of(loaded.commitments)
        theme = next((t for t in themes if str(t.pk) == self.request.GET.get("theme")), None)
        rows = loaded.assess(period)
        if theme is not None:
            # A theme's report includes its sub-groups' targets.
            rows = [r for r in rows if theme.pk in (r.theme.pk, r.theme.parent_id)]
        title = f"{plan.name}{f': {theme.title}' if theme else ''}, {period.label}"
        return {
            "plan": plan,
            "title": title,
            "theme": theme,
            "themes": themes,
            "period": period,
            "periods": dashboard.period_choices(period, found.seen([plan.pk])),
            "period_error": error,
            "summary": dashboard.Summary(rows),
            "rows": rows,
            "exceptions": dashboard.exceptions_first(rows),
            "by_theme": dashboard.by_theme(rows),
            "statuses": dashboard.STATUS_ORDER,
            "today": timezone.localdate(),
            "show_submitted": settings.SHOW_SUBMITTED_VALUES,
        }


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
        # As at the latest assessment's year: a 2007 assessment cannot know later values.
        year = max((assessment.year for assessment in assessments), default=None)
        context["improving"] = share_improving(self.object, year=year) if assessments else None
        context["rule"] = cpa.RULE
        return context


# --- Delivery plans: themes, activities and milestones ---------------------------------------


def _in_scope(user, activities) -> set[int]:
    """Which of these activities the user may report progress on: one query."""
    if not user.has_perm("plans.add_activityupdate"):
        return set()
    ids = [activity.pk for activity in activities]
    return set(progress.activities_in_scope(user).filter(pk__in=ids).values_list("pk", flat=True))


class ThemeDetailView(LoginRequiredMixin, DetailView):
    """A theme of a plan: its performance measures and its activities side by side."""

    template_name = "plans/theme_detail.html"
    context_object_name = "theme"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Theme.objects.select_related("plan", "parent", "portfolio_holder"),
            plan__slug=self.kwargs["slug"],
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        chosen, error = dashboard.requested_period(self.request.GET)
        rows = delivery.theme_rows([theme], chosen)
        period = rows[0].chosen if rows else chosen or dashboard.fallback_period(theme.plan)
        found = delivery.theme_activities([theme])[0]
        today = timezone.localdate()
        delivery.flag_late(found.activities, today)
        context.update(
            plan=theme.plan,
            period=period,
            period_error=error,
            rows=rows,
            summary=dashboard.Summary(rows),
            groups=found.groups,
            activity_count=len(found.activities),
            late_count=sum(a.late for a in found.activities),
            may_update=_in_scope(self.request.user, found.activities),
            today=today,
            statuses=dashboard.STATUS_ORDER,
        )
        return context


class MilestonesView(LoginRequiredMixin, DetailView):
    """A plan's milestones that are overdue or due by the end of the next quarter, by theme
    and portfolio holder; ``?on=`` views them as at another day."""

    template_name = "plans/plan_milestones.html"
    context_object_name = "plan"
    model = Plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        themes = delivery.plan_themes(plan)
        activities = delivery.plan_milestones(plan)
        holders = {
            a.portfolio_holder.pk: a.portfolio_holder for a in activities if a.portfolio_holder
        }
        filters = MilestoneFilter(
            self.request.GET or None,
            themes=themes,
            holders=sorted(holders.values(), key=lambda person: person.name),
        )
        today = timezone.localdate()
        if filters.is_bound and filters.form.is_valid() and filters.form.cleaned_data.get("on"):
            today = filters.form.cleaned_data["on"]
        shown = filters.matching(activities, lambda a: delivery.top_theme(a.theme))
        delivery.flag_late(shown, today)
        context.update(
            filters=filters,
            filtered=len(shown) != len(activities),
            milestones=delivery.milestones_of(shown, today),
            today=today,
            may_update=_in_scope(self.request.user, shown),
        )
        return context


class PortfolioHolderListView(LoginRequiredMixin, ListView):
    """The people who hold the plans' themes (the mayoral team) and their portfolios."""

    template_name = "plans/portfolio_holder_list.html"
    context_object_name = "people"

    def get_queryset(self):
        themes = Theme.objects.select_related("plan").order_by("plan__name", "order")
        return delivery.portfolio_holders().prefetch_related(Prefetch("themes", queryset=themes))


class PortfolioHolderDetailView(LoginRequiredMixin, DetailView):
    """A portfolio holder's themes, each with its measures and its activities."""

    template_name = "plans/portfolio_holder_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.select_related("partner").prefetch_related("portfolios")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        themes = list(
            Theme.objects.filter(portfolio_holder=self.object)
            .select_related("plan", "parent")
            .order_by("plan__name", "order")
        )
        chosen, error = dashboard.requested_period(self.request.GET)
        rows = delivery.theme_rows(themes, chosen) if themes else []
        found = delivery.theme_activities(themes) if themes else []
        today = timezone.localdate()
        sections = []
        for theme_activities in found:
            theme = theme_activities.theme
            theme_rows = [r for r in rows if theme.pk in (r.theme.pk, r.theme.parent_id)]
            activities = delivery.flag_late(theme_activities.activities, today)
            sections.append(
                {
                    "theme": theme,
                    "rows": theme_rows,
                    "period": theme_rows[0].chosen if theme_rows else None,
                    "summary": dashboard.Summary(theme_rows),
                    "activities": activities,
                    "late": [a for a in activities if a.late],
                }
            )
        context.update(sections=sections, period_error=error, today=today)
        return context


# --- Reporting progress on activities ----------------------------------------------------------


class ActivityWorklistView(LoginRequiredMixin, TemplateView):
    """The activities an officer reports progress on, late milestones first."""

    template_name = "plans/activity_worklist.html"

    def get_context_data(self, **kwargs):
        rows = progress.activity_worklist(self.request.user)
        return super().get_context_data(
            rows=rows, late_count=sum(row.is_late for row in rows), **kwargs
        )


class ActivityProgressView(LoginRequiredMixin, TemplateView):
    """One activity: its dates, whether it is late, its updates; and, for the officers who
    answer for it, the form to report this quarter's progress."""

    template_name = "plans/activity_progress.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.activity = get_object_or_404(
            delivery.activities_with_progress().select_related("lead_partner"), pk=kwargs["pk"]
        )
        self.may_update = progress.may_update(request.user, self.activity)
        self.periods = progress.update_periods(self.activity, timezone.localdate())
        label = request.POST.get("period") or request.GET.get("period")
        self.period = None
        if label or self.periods:
            try:
                self.period = progress.period_for(label or self.periods[0].label)
            except ValidationError as error:
                return HttpResponseBadRequest(" ".join(error.messages))
        return super().dispatch(request, *args, **kwargs)

    def current_update(self):
        if self.period is None:
            return None
        return ActivityUpdate.objects.filter(activity=self.activity, period=self.period).first()

    def get(self, request, *args, **kwargs):
        update = self.current_update()
        initial = {"version": update.version if update else 0}
        if update:
            initial.update(status=update.status, commentary=update.commentary)
        return self.render_to_response(
            self.get_context_data(form=ActivityUpdateForm(initial=initial), update=update)
        )

    def post(self, request, *args, **kwargs):
        if not self.may_update:
            raise PermissionDenied("You do not answer for this activity.")
        submitting = request.POST.get("action") == "submit"
        form = ActivityUpdateForm(request.POST, submitting=submitting)
        update = self.current_update()
        if self.period is None:
            form.add_error(None, "This activity has no quarter to report on yet.")
        elif self.period.is_locked:
            form.add_error(None, f"{self.period} is locked because it has been reported.")
        if not form.is_valid():
            context = self.get_context_data(form=form, update=update)
            return self.render_to_response(context, status=400)
        try:
            progress.activity_update_save(
                user=request.user,
                activity=self.activity,
                period=self.period,
                status=form.cleaned_data["status"],
                commentary=form.cleaned_data["commentary"],
                submit=submitting,
                seen_version=form.cleaned_data["version"] or 0,
            )
        except progress.StaleUpdate as stale:
            # Keep what this officer typed, with the version now saved, so saving again
            # replaces the other person's update knowingly.
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            form = ActivityUpdateForm(data, submitting=submitting)
            form.is_valid()
            form.add_error(None, f"{stale} Check it below; save again to replace it.")
            context = self.get_context_data(form=form, update=stale.current)
            return self.render_to_response(context, status=409)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            context = self.get_context_data(form=form, update=update)
            return self.render_to_response(context, status=400)
        verb = "submitted for sign-off" if submitting else "saved as a draft"
        messages.success(request, f"Progress for {self.period}: {verb}.")
        return redirect("plans:activity-worklist")

    def get_context_data(self, **kwargs):
        activity = self.activity
        states = None if self.may_update else dashboard.visible_states()
        updates = activity.updates.select_related("period", "entered_by", "approved_by")
        if states is not None:
            updates = updates.filter(state__in=states)
        return super().get_context_data(
            activity=activity,
            plan=activity.theme.plan,
            top_theme=delivery.top_theme(activity.theme),
            period=self.period,
            periods=self.periods,
            may_update=self.may_update,
            updates=updates.order_by("-period__starts_on"),
            is_late=activity.is_late_on(timezone.localdate()),
            **kwargs,
        )


def _sign_off_action(request, pk, act):
    update = get_object_or_404(ActivityUpdate.objects.select_related("activity", "period"), pk=pk)
    name = f"“{update.activity.title[:60]}” {update.period}"
    try:
        act(update)
    except progress.StaleUpdate:
        messages.error(request, f"{name} changed; look again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    # NotAllowed (a PermissionDenied) is not caught: someone who may not sign off gets a 403,
    # as on the actuals' sign-off (tests/security/test_permission_matrix.py).
    return name


@login_required
@require_POST
def approve_activity_update(request, pk):
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("The form was incomplete; reload the page and try again.")
    version = form.cleaned_data["version"]
    done = []

    def act(update):
        progress.activity_update_approve(user=request.user, update=update, seen_version=version)
        done.append(update)

    name = _sign_off_action(request, pk, act)
    if done:
        messages.success(request, f"Approved progress on {name}.")
    return redirect("sign-off")


@login_required
@require_POST
def return_activity_update(request, pk):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you are returning the update.")
        return redirect("sign-off")
    done = []

    def act(update):
        progress.activity_update_return(
            user=request.user,
            update=update,
            reason=form.cleaned_data["reason"],
            seen_version=form.cleaned_data["version"],
        )
        done.append(update)

    name = _sign_off_action(request, pk, act)
    if done:
        messages.success(request, f"Returned progress on {name}.")
    return redirect("sign-off")
