from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.views.generic import DetailView

from partners.models import Partner
from targets.models import CommitmentPartner


class PartnerDetailView(LoginRequiredMixin, DetailView):
    template_name = "partners/partner_detail.html"
    context_object_name = "partner"

    def get_queryset(self):
        return Partner.objects.select_related("parent").prefetch_related(
            "members",
            "partnerships",
            "departments",
            Prefetch(
                "commitment_partners",
                queryset=CommitmentPartner.objects.select_related(
                    "commitment__indicator", "commitment__plan"
                ),
            ),
        )
