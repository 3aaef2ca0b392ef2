"""Every dashboard, table and API view runs the same number of queries with 10 indicators as
with 500, and no more than 17 (the session, the user and the menu's permissions included; the
session is saved at most once a minute, leicester_perf.security); from the cache, the dashboards
run six."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from targets.models import (
    Actual,
    ActualSource,
    ActualState,
    Baseline,
    Commitment,
    CommitmentPartner,
    Frequency,
    Indicator,
    Polarity,
    QuarterlyValues,
    Target,
)
from targets.target_text import parse_figure
from tests.factories import PartnerFactory, PlanFactory, ThemeFactory, UserFactory, period

pytestmark = pytest.mark.django_db

# 16 since the dashboards read the periods with data in the database (one query) rather than
# loading every value of every year into Python to find them (issue 10, docs/benchmarks.md);
# 18 since they read the themes and plans, the periods and the partners once each (three small
# queries) rather than a copy of each per row, which cost more than the queries saved; 20 since
# the pages read their data versions first, to be served from the cache (below): the partner page
# reads which plans it is in, then their versions; 17 since a request saves the session at most
# once a minute (three statements fewer).
BUDGET = 17
POLARITIES = [Polarity.HIGHER, Polarity.LOWER, Polarity.RANGE]


def add_indicators(plan, themes, partners, start: int, count: int) -> None:
    """``count`` indicators committed to in ``plan``, each with a baseline, targets for two
    years and values for two years (every tenth quarterly and cumulative), in bulk."""
    years = [period("2008/09"), period("2009/10")]
    earlier, latest = period("2007/08"), period("2008/09")
    quarters = [period("2007/08 Q4"), period("2008/09 Q4")]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"Q {n}",
            slug=f"q-{n}",
            title=f"Measure {n}",
            polarity=POLARITIES[n % 3],
            frequency=Frequency.QUARTERLY if n % 10 == 0 else Frequency.ANNUAL,
            quarterly_values=QuarterlyValues.CUMULATIVE,
        )
        for n in range(start, start + count)
    )
    commitments = Commitment.objects.bulk_create(
        Commitment(plan=plan, theme=themes[i % len(themes)], indicator=indicator, order=i)
        for i, indicator in enumerate(indicators)
    )
    CommitmentPartner.objects.bulk_create(
        CommitmentPartner(commitment=c, partner=partners[i % 2], is_lead=True)
        for i, c in enumerate(commitments)
    )
    figures = []
    for commitment in commitments:
        for year, text in zip(years, ["50", "Between 40 and 60"], strict=True):
            target = Target(commitment=commitment, period=year)
            target.apply_parsed(parse_figure(text))
            figures.append(target)
    Target.objects.bulk_create(figures)
    baselines = []
    for commitment in commitments:
        baseline = Baseline(commitment=commitment, period=earlier, period_as_written="2007/8")
        baseline.apply_parsed(parse_figure("45"))
        baselines.append(baseline)
    Baseline.objects.bulk_create(baselines)
    Actual.objects.bulk_create(
        Actual(
            indicator=indicator,
            period=(quarters if indicator.frequency == Frequency.QUARTERLY else [earlier, latest])[
                i
            ],
            value=Decimal(40 + 5 * i + n % 7),
            state=ActualState.APPROVED,
            source=ActualSource.IMPORT,
            commentary=f"=cmd {n}",
        )
        for n, indicator in enumerate(indicators)
        for i in range(2)
    )


def views(plan, partner, indicator) -> dict[str, str]:
    plan_url = plan.get_absolute_url()
    report = reverse("plans:plan-report", args=[plan.slug])
    return {
        "home": reverse("plans:plan-list"),
        "home, 2009/10": reverse("plans:plan-list") + "?period=2009/10",
        "plan": plan_url,
        "plan, filtered and sorted": plan_url + "?status=red&direction=improving&sort=-status",
        "plan, page 2": plan_url + "?page=2",
        "plan, CSV": plan_url + "?export=csv",
        "plan, XLSX": plan_url + "?export=xlsx",
        "partner": partner.get_absolute_url(),
        "report": report,
        "report, theme": report + f"?theme={plan.themes.first().pk}",
        "report, XLSX": report + "?export=xlsx",
        "indicator": indicator.get_absolute_url(),
        "API plans": reverse("api:plan-list"),
        "API plan": reverse("api:plan-detail", args=[plan.slug]),
        "API indicators": reverse("api:indicator-list") + f"?plan={plan.slug}",
        "API indicator": reverse("api:indicator-detail", args=[indicator.slug]),
    }


def measure(client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        # The worst case: nothing cached (the home page keeps its tallies in the cache, and a
        # warm cache needs fewer queries: test_a_warm_home_page_needs_fewer_queries).
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_views_run_the_same_queries_with_10_and_500_indicators(client):
    plan = PlanFactory(name="Budget plan", slug="budget")
    themes = [ThemeFactory(plan=plan, title=f"Theme {n}", order=n) for n in range(3)]
    partners = [PartnerFactory(name="Lead council"), PartnerFactory(name="Lead police")]
    client.force_login(UserFactory())
    add_indicators(plan, themes, partners, 0, 10)
    urls = views(plan, partners[0], Indicator.objects.get(code="Q 1"))
    client.get(reverse("plans:plan-list"))  # the first request of a session creates it

    with_10 = measure(client, urls)
    add_indicators(plan, themes, partners, 10, 490)
    with_500 = measure(client, urls)

    assert Indicator.objects.count() == 500
    print("\nQueries per view (10 indicators, 500 indicators):")
    for name in urls:
        print(f"  {name:28} {with_10[name]:3} {with_500[name]:3}")
    assert with_500 == with_10
    assert max(with_10.values()) <= BUDGET, with_10


def test_a_warm_home_page_needs_fewer_queries(client):
    """With every plan's tally cached, the home page reads the data versions (and the session
    and user) but judges nothing: the same few queries whatever the size."""
    plan = PlanFactory(name="Budget plan", slug="budget")
    themes = [ThemeFactory(plan=plan, title=f"Theme {n}", order=n) for n in range(3)]
    partners = [PartnerFactory(name="Lead council"), PartnerFactory(name="Lead police")]
    client.force_login(UserFactory())
    add_indicators(plan, themes, partners, 0, 10)
    home = {"home": reverse("plans:plan-list")}
    client.get(home["home"])  # the first request of a session creates it
    cold = measure(client, home)["home"]
    client.get(home["home"])  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home["home"]).status_code == 200
    warm = len(queries)
    add_indicators(plan, themes, partners, 10, 490)
    client.get(home["home"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home["home"]).status_code == 200
    print(f"\nHome page queries: {cold} with nothing cached, {warm} warm")
    assert len(queries) == warm < cold


def test_cached_dashboards_need_a_handful_of_queries(client):
    """Once rendered, the home page, a plan's page, its report and an indicator's page are read
    from the cache: six queries whatever the size (the session, the user, the plans or the
    indicator, the data versions, and the menu's two permission reads)."""
    plan = PlanFactory(name="Budget plan", slug="budget")
    themes = [ThemeFactory(plan=plan, title=f"Theme {n}", order=n) for n in range(3)]
    partners = [PartnerFactory(name="Lead council"), PartnerFactory(name="Lead police")]
    client.force_login(UserFactory())
    add_indicators(plan, themes, partners, 0, 10)
    urls = {
        name: url
        for name, url in views(plan, partners[0], Indicator.objects.get(code="Q 1")).items()
        if name.startswith(("home", "plan", "report", "indicator"))
        and "XLSX" not in name
        and "CSV" not in name
    }
    client.get(reverse("plans:plan-list"))  # the first request of a session creates it

    def warm() -> dict[str, int]:
        counts = {}
        for name, url in urls.items():
            client.get(url)  # renders and caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, name
            counts[name] = len(queries)
        return counts

    with_10 = warm()
    add_indicators(plan, themes, partners, 10, 490)
    with_500 = warm()
    print("\nQueries per cached view (10 indicators, 500 indicators):")
    for name in urls:
        print(f"  {name:28} {with_10[name]:3} {with_500[name]:3}")
    assert with_500 == with_10
    assert max(with_10.values()) <= 6, with_10
