"""The open-data JSON API, read-only: plans, their themes and commitments, indicators with their
baselines, targets, actuals and latest status. Documented in docs/api.md.

Signed-in users only, unless the council publishes open data: ``LEICESTER_PERF_PUBLIC_API=1``
(``settings.PUBLIC_API``) opens it to everyone. Actuals are those readers see on the pages
(``dashboard.visible_states``). Every view runs a fixed number of queries; a plan and an
indicator are built once per data version and then read from the cache, like the pages.
"""

import json
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone

from leicester_perf import security
from plans.models import Activity, Plan, PlanKind, Theme
from targets import dashboard
from targets.models import Commitment, CommitmentPartner, Indicator
from targets.status import Status

NUMBER_FIELDS = ("value", "lower", "upper", "numerator", "denominator")


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def api_view(view):
    """GET and HEAD only; signed-in users only unless the API is public."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _error(405, "The API is read-only: use GET.")
            response["Allow"] = "GET, HEAD"
            return response
        public = settings.PUBLIC_API
        if not public and not request.user.is_authenticated:
            security.log_denied(request, "the API needs a signed-in user")
            return _error(
                403,
                "Sign in to use the API (it is public only where the council publishes "
                "open data: LEICESTER_PERF_PUBLIC_API).",
            )
        response = view(request, *args, **kwargs)
        if public:
            # Open data may be read from other sites; nothing here depends on a cookie.
            response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def number(value: Decimal | None) -> int | float | None:
    """A stored decimal as a JSON number: 62 rather than "62.000000"."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value):
    return value.isoformat() if value else None


def _period(period) -> str | None:
    return period.label if period is not None else None


def _plan_summary(request, plan) -> dict:
    return {
        "slug": plan.slug,
        "name": plan.name,
        "kind": plan.kind,
        "kind_label": plan.get_kind_display(),
        "area": plan.area,
        "years": plan.years_text,
        "starts_on": _date(plan.starts_on),
        "ends_on": _date(plan.ends_on),
        "status": plan.status,
        "url": request.build_absolute_uri(reverse("api:plan-detail", args=[plan.slug])),
        "html_url": request.build_absolute_uri(plan.get_absolute_url()),
    }


def _by_slug(request, url_name: str):
    """slug -> the absolute URL of ``url_name`` for it, reversed once rather than once a row
    (at 2,000 indicators, reverse() and build_absolute_uri() were three quarters of the list's
    time)."""
    marker = "__slug__"
    before, after = request.build_absolute_uri(reverse(url_name, args=[marker])).rsplit(marker, 1)
    return lambda slug: f"{before}{slug}{after}"


def _indicator_summary(request, indicator, plans: list[str], urls=None) -> dict:
    api_url, html_url = urls or _indicator_urls(request)
    return {
        "code": indicator.code,
        "slug": indicator.slug,
        "title": indicator.title,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "plans": plans,
        "url": api_url(indicator.slug),
        "html_url": html_url(indicator.slug),
    }


def _indicator_urls(request):
    return _by_slug(request, "api:indicator-detail"), _by_slug(request, "targets:indicator-detail")


def _figure(figure, plan_slugs: dict[int, str]) -> dict:
    """A baseline or target: the text as written, and what was read from it."""
    found = {
        "plan": plan_slugs.get(figure.commitment_id),
        "period": _period(figure.period),
        "breakdown": figure.breakdown.name if figure.breakdown_id else None,
        "text": figure.text,
        "shape": figure.shape,
        "reading": figure.reading,
    }
    found.update({name: number(getattr(figure, name)) for name in NUMBER_FIELDS})
    if hasattr(figure, "period_as_written"):  # a baseline keeps its period as written
        found["period_as_written"] = figure.period_as_written
    found.update(
        unit=figure.unit,
        unit_text=figure.unit_text,
        scale=figure.scale,
        change_unit=figure.change_unit or None,
        needs_review=figure.needs_review,
    )
    return found


@api_view
def plan_list(request):
    plans = Plan.objects.annotate(
        theme_count=Count("themes", distinct=True),
        commitment_count=Count("commitments", distinct=True),
    ).order_by("is_synthetic", "-starts_on", "name")
    results = [
        {
            **_plan_summary(request, plan),
            "themes": plan.theme_count,
            "commitments": plan.commitment_count,
        }
        for plan in plans
    ]
    return JsonResponse({"count": len(results), "results": results})


def _cached_json(request, name: str, version: str, build) -> HttpResponse:
    """``build()``'s answer as JSON, from the cache while the data version, the query string and
    the address the links are built on are those it was built for (``dashboard.page``)."""
    site = request.build_absolute_uri("/")
    body = dashboard.page(
        f"api-{name}-{site}",
        version,
        request.GET,
        lambda: json.dumps(build(), cls=DjangoJSONEncoder),
    )
    return HttpResponse(body, content_type="application/json")


@api_view
def plan_detail(request, slug):
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        return _error(404, f"No plan '{slug}'.")
    version = dashboard.plan_versions([plan.pk])[plan.pk]
    return _cached_json(request, f"plan-{plan.pk}", version, lambda: _plan_detail(request, plan))


def _plan_detail(request, plan) -> dict:
    commitments = Commitment.objects.select_related("indicator").prefetch_related(
        Prefetch(
            "commitment_partners",
            CommitmentPartner.objects.select_related("partner"),
        )
    )
    prefetches = [Prefetch("commitments", queryset=commitments)]
    is_delivery_plan = plan.kind == PlanKind.DELIVERY_PLAN
    if is_delivery_plan:
        activities = (
            Activity.objects.with_progress(dashboard.visible_states())
            .select_related("lead_partner")
            .prefetch_related("strategies")
        )
        prefetches.append(Prefetch("activities", queryset=activities))
    themes = (
        Theme.objects.filter(plan=plan)
        .select_related("parent", "portfolio_holder")
        .prefetch_related(*prefetches)
    )
    today = timezone.localdate()
    found = []
    for theme in themes:
        item = {
            "code": theme.code,
            "title": theme.title,
            "kind": theme.kind,
            "parent": theme.parent.title if theme.parent_id else None,
            "summary": theme.summary,
            "commitments": [_commitment(request, c) for c in theme.commitments.all()],
        }
        if is_delivery_plan:
            holder = theme.portfolio_holder
            item["portfolio_holder"] = holder.name if holder else None
            item["activities"] = [_activity(a, today) for a in theme.activities.all()]
        found.append(item)
    return {**_plan_summary(request, plan), "description": plan.description, "themes": found}


def _commitment(request, commitment) -> dict:
    indicator = commitment.indicator
    partners = commitment.commitment_partners.all()
    return {
        "reference": commitment.reference,
        "indicator": {
            "code": indicator.code,
            "title": indicator.title,
            "url": request.build_absolute_uri(
                reverse("api:indicator-detail", args=[indicator.slug])
            ),
        },
        "title_as_written": commitment.title_as_written,
        "designated": commitment.is_designated,
        "reward": commitment.is_reward,
        "statutory": commitment.is_statutory,
        "placeholder": commitment.is_placeholder,
        "lead_partners": [cp.partner.name for cp in partners if cp.is_lead],
        "partners": [cp.partner.name for cp in partners if not cp.is_lead],
    }


def _activity(activity, today) -> dict:
    latest = activity.latest_update
    return {
        "title": activity.title,
        "by_when": activity.by_when_text,
        "starts_on": _date(activity.starts_on),
        "due_on": _date(activity.due_on),
        "ongoing": activity.is_ongoing,
        "needs_review": activity.needs_review,
        "lead_partner": activity.lead_partner.name if activity.lead_partner_id else None,
        "strategies": [strategy.name for strategy in activity.strategies.all()],
        "timing": activity.timing.value,
        "late": activity.is_late_on(today),
        "progress": (
            {
                "period": latest.period.label,
                "status": latest.status,
                "state": latest.state,
                "commentary": latest.commentary,
            }
            if latest
            else None
        ),
    }


@api_view
def indicator_list(request):
    indicators = Indicator.objects.order_by("code")
    plan_slug = request.GET.get("plan", "").strip()
    if plan_slug:
        plan = Plan.objects.filter(slug=plan_slug).first()
        if plan is None:
            return _error(404, f"No plan '{plan_slug}'.")
        indicators = indicators.for_plan(plan)
    text = request.GET.get("q", "").strip()
    if text:
        indicators = indicators.search(text)
    plans: dict[int, list[str]] = {}
    for indicator_id, slug in (
        Commitment.objects.filter(indicator__in=indicators)
        .order_by("plan__starts_on", "plan__slug")
        .values_list("indicator_id", "plan__slug")
    ):
        plans.setdefault(indicator_id, []).append(slug)
    urls = _indicator_urls(request)
    results = [_indicator_summary(request, i, plans.get(i.pk, []), urls) for i in indicators]
    return JsonResponse({"count": len(results), "results": results})


@api_view
def indicator_detail(request, slug):
    found = Indicator.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if found is None:
        return _error(404, f"No indicator '{slug}'.")
    return _cached_json(
        request,
        f"indicator-{found}",
        dashboard.indicator_version(found),
        lambda: _indicator_detail(request, dashboard.indicators_in_full().get(pk=found)),
    )


def _indicator_detail(request, indicator) -> dict:
    commitments = list(indicator.commitments.all())
    actuals = list(indicator.actuals.all())
    plan_slugs = {c.pk: c.plan.slug for c in commitments}
    latest = dashboard.latest_with_data(
        dashboard.indicator_history(indicator, commitments, actuals)
    )
    return {
        **_indicator_summary(request, indicator, [c.plan.slug for c in commitments]),
        "definition": indicator.definition,
        "unit_text": indicator.unit_text,
        "frequency": indicator.frequency,
        "plans": [
            {
                "slug": c.plan.slug,
                "name": c.plan.name,
                "theme": c.theme.title,
                "reference": c.reference,
                "url": request.build_absolute_uri(reverse("api:plan-detail", args=[c.plan.slug])),
            }
            for c in commitments
        ],
        "baselines": [_figure(b, plan_slugs) for c in commitments for b in c.baselines.all()],
        "targets": [_figure(t, plan_slugs) for c in commitments for t in c.targets.all()],
        "actuals": [
            {
                "period": actual.period.label,
                "breakdown": actual.breakdown.name if actual.breakdown_id else None,
                "value": number(actual.value),
                "numerator": number(actual.numerator),
                "denominator": number(actual.denominator),
                "state": actual.state,
                "commentary": actual.commentary,
            }
            for actual in actuals
        ],
        "latest_period": latest.period.label if latest else None,
        # Nothing reported yet is no data.
        "status": latest.status.value if latest else Status.NO_DATA.value,
        "direction": latest.direction.value if latest and latest.direction else None,
    }
