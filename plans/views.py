from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch
from django.views.generic import DetailView, ListView

from plans.models import Plan, Theme
from targets.models import Commitment


class PlanListView(LoginRequiredMixin, ListView):
    template_name = "plans/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return Plan.objects.annotate(
            theme_count=Count("themes", distinct=True),
            commitment_count=Count("commitments", distinct=True),
        ).order_by("is_synthetic", "-starts_on", "name")


class PlanDetailView(LoginRequiredMixin, DetailView):
    template_name = "plans/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        commitments = Commitment.objects.select_related("indicator").prefetch_related(
            "commitment_partners__partner", "baselines", "targets__period", "status_changes"
        )
        return Plan.objects.prefetch_related(
            Prefetch(
                "themes",
                queryset=Theme.objects.prefetch_related(
                    Prefetch("commitments", queryset=commitments)
                ),
            )
        )
