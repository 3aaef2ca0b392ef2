from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.views.generic import DetailView
from django_tables2 import RequestConfig

from partners.filters import PartnerCommitmentFilter
from partners.models import Partner
from partners.tables import PartnerCommitmentTable
from targets import dashboard
from targets.cached_views import CachedBody
from targets.models import Commitment
from targets.tables import EXPORT_FORMATS, export_response

Membership = Partner.members.through


class PartnerDetailView(LoginRequiredMixin, CachedBody, DetailView):
    """What an organisation leads and signs up to, and how those targets stand: each plan's
    for the period chosen or, by default, its own latest period with data. The targets are one
    filterable, sortable table, a page at a time (a county council is in hundreds), exported
    whole as CSV or XLSX with ``?export=csv`` or ``?export=xlsx``."""

    template_name = "partners/partner_detail.html"
    body_template = "partners/includes/partner_dashboard.html"
    context_object_name = "partner"
    per_page = 25

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        export = request.GET.get("export")
        if export in EXPORT_FORMATS:
            table = self.dashboard_context()["table"]
            if table is not None:
                return export_response(table, export, f"{self.object.name} targets")
        # The body is rendered once per version of the partner's plans and then read from the
        # cache (``dashboard.page``).
        plans = self.commitments().order_by().values_list("plan_id", flat=True).distinct()
        version = dashboard.plans_version(plans)
        return self.cached_body_response(f"partner-{self.object.pk}", version)

    def commitments(self):
        return Commitment.objects.filter(commitment_partners__partner=self.object)

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

    def dashboard_context(self) -> dict:
        partner = self.object
        commitments = self.commitments()
        chosen, error = dashboard.requested_period(self.request.GET)
        found = dashboard.plan_periods(commitments)

        def period_of(plan):
            return chosen or found.default_for(plan) or dashboard.fallback_period(plan)

        # Only the values and targets of the periods shown: not ten years of history.
        rows = dashboard.load(commitments, periods=period_of).assess(period_of)
        led = [row for row in rows if row.is_led_by(partner)]
        plans = [
            (plan_rows[0].plan, plan_rows[0].chosen, dashboard.Summary(plan_rows))
            for plan_rows in dashboard.by_plan(rows).values()
        ]
        selected = chosen or max(
            (row.chosen for row in rows), key=lambda p: p.end, default=dashboard.fallback_period()
        )
        filters = PartnerCommitmentFilter(self.request.GET, rows=rows, partner=partner)
        shown = filters.matching(rows)
        table = None
        if rows:
            table = PartnerCommitmentTable(
                shown, partner=partner, caption=f"Targets {partner.name} leads and signs up to"
            )
            RequestConfig(self.request, paginate={"per_page": self.per_page}).configure(table)
        return {
            "partner": partner,
            "roles": [
                ("Leads", dashboard.Summary(led)),
                ("Signed up to", dashboard.Summary([r for r in rows if not r.is_led_by(partner)])),
            ],
            "plans": plans,
            "periods": dashboard.period_choices(selected, found.seen(p.pk for p, _, _ in plans)),
            "period_chosen": chosen,
            "period_error": error,
            "statuses": dashboard.STATUS_ORDER,
            "filters": filters,
            "filtered": len(shown) != len(rows),
            "shown_count": len(shown),
            "table": table,
        }
