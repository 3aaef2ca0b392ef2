from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.views.generic import DetailView

from targets.models import Actual, Commitment, Indicator


class IndicatorDetailView(LoginRequiredMixin, DetailView):
    template_name = "targets/indicator_detail.html"
    context_object_name = "indicator"

    def get_queryset(self):
        commitments = Commitment.objects.select_related("plan", "theme").prefetch_related(
            "baselines__period",
            "baselines__breakdown",
            "targets__period",
            "targets__breakdown",
            "commitment_partners__partner",
            "status_changes__from_period",
        )
        return Indicator.objects.select_related("parent").prefetch_related(
            Prefetch("commitments", queryset=commitments),
            Prefetch(
                "actuals",
                queryset=Actual.objects.select_related("period", "breakdown").order_by(
                    "period__starts_on", "breakdown__name"
                ),
            ),
            "sub_measures",
            "breakdowns",
        )
