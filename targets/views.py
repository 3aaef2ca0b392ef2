from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView

from leicester_perf.addresses import slug_address
from plans import progress as activity_progress
from targets import audit, charts, dashboard, reporting
from targets.forms import ActualEntryForm, ApproveForm, ReturnForm, WorklistFilter
from targets.models import (
    Actual,
    Indicator,
    Period,
    locked_message,
)
from targets.periods import UnreadablePeriod

# Which values readers see is the dashboards' rule; kept importable from here.
visible_states = dashboard.visible_states


class IndicatorDetailView(LoginRequiredMixin, DetailView):
    """An indicator: how it stands, its chart, targets and values in every plan. The body is
    rendered once per data version (``dashboard.page``); only the "Enter values" button depends
    on who is reading."""

    template_name = "targets/indicator_detail.html"
    context_object_name = "indicator"
    model = Indicator

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        version = dashboard.indicator_version(self.object.pk)
        has_figure, summary, actuals = dashboard.page(
            f"indicator-{self.object.pk}", version, request.GET, self.render_body
        )
        context = self.get_context_data(
            object=self.object,
            may_enter=reporting.may_enter(request.user, self.object),
            has_figure=has_figure,
            summary=mark_safe(summary),
            actuals=mark_safe(actuals),
        )
        return self.render_to_response(context)

    def render_body(self) -> tuple[bool, str, str]:
        indicator = dashboard.indicators_in_full().get(pk=self.object.pk)
        commitments = list(indicator.commitments.all())
        actuals = list(indicator.actuals.all())
        history = dashboard.indicator_history(indicator, commitments, actuals)
        figure = charts.indicator_figure(indicator, commitments, actuals)
        context = {
            "indicator": indicator,
            "history": history,
            "latest": dashboard.latest_with_data(history),
            "figure": figure,
            "figure_caption": charts.caption(figure) if figure else "",
        }
        return (
            bool(figure),
            render_to_string("targets/includes/indicator_summary.html", context, self.request),
            render_to_string("targets/includes/indicator_actuals.html", context, self.request),
        )


# --- The reporting cycle ---------------------------------------------------------------------


class WorklistView(LoginRequiredMixin, TemplateView):
    """What an officer must report this period, and where each value stands: how many are in
    each state, then the rows, filtered by text and status, 50 to a page (an officer of a county
    council answers for hundreds of indicators)."""

    template_name = "targets/worklist.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        rows = reporting.worklist(self.request.user)
        due_now = [row for row in rows if row.due != reporting.Due.NOT_DUE]
        not_due = [row for row in rows if row.due == reporting.Due.NOT_DUE]
        filters = WorklistFilter(self.request.GET or None)
        shown = filters.matching(due_now)
        page = Paginator(shown, self.per_page).get_page(self.request.GET.get("page"))
        not_due_page = Paginator(not_due, self.per_page).get_page(
            self.request.GET.get("page_not_due")
        )
        # Addresses and deadlines for the rows shown only: each address reversed once
        # (slug_address) and each deadline (most rows share one) formatted once.
        deadlines = {}
        for row in [*page, *not_due_page]:
            row.url = slug_address("targets:indicator-detail", row.indicator.slug)
            row.entry_url = slug_address("targets:actual-entry", row.indicator.slug)
            if row.deadline is not None and row.deadline not in deadlines:
                deadlines[row.deadline] = date_format(row.deadline, "j M Y")
            row.deadline_shown = deadlines.get(row.deadline, "")
        counts = Counter(row.due for row in due_now)
        return super().get_context_data(
            rows=rows,
            due_now=due_now,
            counts=[(due, counts[due]) for due in reporting.Due if counts[due]],
            filters=filters,
            filtered=len(shown) != len(due_now),
            page=page,
            not_due=not_due,
            not_due_page=not_due_page,
            **kwargs,
        )


class ActualEntryView(LoginRequiredMixin, TemplateView):
    """Enter one indicator's values for one period: save a draft or submit for sign-off."""

    template_name = "targets/actual_entry.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.indicator = get_object_or_404(Indicator, slug=kwargs["slug"])
        if not reporting.may_enter(request.user, self.indicator):
            raise PermissionDenied(f"You do not answer for {self.indicator.code}.")
        label = request.POST.get("period") or request.GET.get("period")
        if not label:
            due = reporting.reporting_periods(self.indicator.frequency, timezone.localdate())[0]
            label = due.label
        try:
            self.period = Period.objects.for_label(label)
        except UnreadablePeriod as error:
            raise Http404(str(error)) from None
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        self.rows = reporting.entry_rows(self.indicator, self.period)
        return ActualEntryForm(
            data,
            indicator=self.indicator,
            rows=self.rows,
            off_target=self.off_target,
        )

    def off_target(self, row, value):
        return reporting.is_off_target(
            self.indicator, self.period, row, value, targets=self.targets, baselines=self.baselines
        )

    # The page shows the targets and baselines that the off-target test uses: read once,
    # when first needed (a saved draft needs neither).
    @cached_property
    def targets(self):
        return reporting.targets_for(self.indicator, self.period)

    @cached_property
    def baselines(self):
        return reporting.baselines_for(self.indicator)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if self.period.is_locked:
            form.add_error(None, locked_message(self.period))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            reporting.save_values(
                request.user,
                self.indicator,
                self.period,
                form.entries,
                commentary=form.cleaned_data["commentary"],
                data_source=form.cleaned_data["data_source"],
                submit=form.submitting,
            )
        except reporting.StaleValue as stale:
            # Show what is saved now, keep what this officer typed, and let them decide.
            form = self.form(_with_versions(request.POST, stale.current))
            form.is_valid()
            form.add_error(None, f"{stale} Check the value above; save again to replace it.")
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        verb = "submitted for sign-off" if form.submitting else "saved as a draft"
        messages.success(request, f"{self.indicator.code} {self.period}: {verb}.")
        return redirect("worklist")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            indicator=self.indicator,
            period=self.period,
            baselines=self.baselines,
            targets=self.targets,
            recent=reporting.recent_values(self.indicator, self.period),
            other_periods=reporting.entry_periods(self.indicator, timezone.localdate()),
            is_late=self.period.is_late_on(timezone.localdate()),
            **kwargs,
        )


def _with_versions(data, current):
    data = data.copy()
    for actual in current:
        key = str(actual.breakdown_id) if actual.breakdown_id else "total"
        data[f"version_{key}"] = str(actual.version)
    return data


class SignOffView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Submitted values waiting for this approver, oldest first."""

    template_name = "targets/sign_off.html"
    permission_required = "targets.approve_actual"

    def get_context_data(self, **kwargs):
        waiting = list(reporting.awaiting_sign_off(self.request.user))
        # Progress on delivery plan activities goes through the same sign-off.
        activity_updates = list(activity_progress.awaiting_sign_off(self.request.user))
        return super().get_context_data(
            waiting=waiting,
            activity_updates=activity_updates,
            return_form=ReturnForm(),
            **kwargs,
        )


@login_required
@require_POST
def approve_actual(request, pk):
    actual = get_object_or_404(Actual, pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("The form was incomplete; reload the page and try again.")
    try:
        reporting.approve(request.user, actual, seen_version=form.cleaned_data["version"])
    except reporting.StaleValue:
        messages.error(request, f"{actual.indicator.code} {actual.period} changed; look again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Approved {actual.indicator.code} {actual.period}.")
    return redirect("sign-off")


@login_required
@require_POST
def return_actual(request, pk):
    actual = get_object_or_404(Actual, pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you are returning the value.")
        return redirect("sign-off")
    try:
        reporting.return_for_changes(
            request.user,
            actual,
            form.cleaned_data["reason"],
            seen_version=form.cleaned_data["version"],
        )
    except reporting.StaleValue:
        messages.error(request, f"{actual.indicator.code} {actual.period} changed; look again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Returned {actual.indicator.code} {actual.period}.")
    return redirect("sign-off")


class IndicatorHistoryView(LoginRequiredMixin, DetailView):
    """Every change to the indicator's values, targets and baselines: who, when, how, what."""

    template_name = "targets/indicator_history.html"
    context_object_name = "indicator"
    model = Indicator

    def get_context_data(self, **kwargs):
        return super().get_context_data(changes=audit.changes_for(self.object), **kwargs)
