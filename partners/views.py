from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.views.generic import DetailView

from partners.models import Partner
from targets import dashboard
from targets.models import Commitment

Membership = Partner.members.through


class PartnerDetailView(LoginRequiredMixin, DetailView):
    """What an organisation leads and signs up to, and how those targets stand: each plan's
    for the period chosen or, by default, its own latest period with data."""

    template_name = "partners/partner_detail.html"
    context_object_name = "partner"

    def get_object(self, queryset=None):
        """The partner, its departments, members and the partnerships it belongs to: one
        query (the dashboard below needs the rest of the page's query budget)."""
        slug = self.kwargs["slug"]
        member = Membership.objects.filter(from_partner__slug=slug, to_partner=OuterRef("pk"))
        member_of = Membership.objects.filter(to_partner__slug=slug, from_partner=OuterRef("pk"))
        found = list(
            Partner.objects.annotate(is_member=Exists(member), is_partnership=Exists(member_of))
            .filter(
                Q(slug=slug) | Q(parent__slug=slug) | Q(is_member=True) | Q(is_partnership=True)
            )
            .select_related("parent")
        )
        partner = next((p for p in found if p.slug == slug), None)
        if partner is None:
            raise Http404(f"No partner '{slug}'.")
        others = [p for p in found if p.pk != partner.pk]
        partner.department_list = [p for p in others if p.parent_id == partner.pk]
        partner.member_list = [p for p in others if p.is_member]
        partner.partnership_list = [p for p in others if p.is_partnership]
        return partner

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.object
        commitments = Commitment.objects.filter(commitment_partners__partner=partner)
        chosen, error = dashboard.requested_period(self.request.GET)
        found = dashboard.plan_periods(commitments)

        def period_of(plan):
            return chosen or found.default_for(plan) or dashboard.fallback_period(plan)

        # Only the values and targets of the periods shown: not ten years of history.
        rows = dashboard.load(commitments, periods=period_of).assess(period_of)
        leads = [row for row in rows if partner in row.lead_partners]
        led = {id(row) for row in leads}
        plans = []
        for plan_rows in dashboard.by_plan(rows).values():
            plans.append((plan_rows[0].plan, plan_rows[0].chosen, plan_rows))
        selected = chosen or max(
            (row.chosen for row in rows), key=lambda p: p.end, default=dashboard.fallback_period()
        )
        context.update(
            roles=[
                ("Leads", dashboard.Summary(leads)),
                ("Signed up to", dashboard.Summary([r for r in rows if id(r) not in led])),
            ],
            plans=plans,
            periods=dashboard.period_choices(selected, found.seen(p.pk for p, _, _ in plans)),
            period_chosen=chosen,
            period_error=error,
            statuses=dashboard.STATUS_ORDER,
        )
        return context
