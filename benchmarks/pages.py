"""Page benchmark: server time and queries of the dashboards and API on the synthetic data set.

    python -m benchmarks.pages [--indicators 2000] [--plans 20] [--years 10] [--requests 30]
    scripts/with-postgres.sh .venv/bin/python -m benchmarks.pages
    python -m benchmarks.pages --profile plan     # pyinstrument profile of one page, to stderr

Builds the synthetic data set (``manage.py generate_synthetic_data``) first at a small scale
(``--small``, 200 indicators) and then at the full one, in a throwaway database, and requests
each page as a signed-in scrutiny member with Django's test client: once to count the queries
(every statement sent to the database), a few times to warm up, then ``--requests`` times
timed. The time is the server's: the whole of Django (middleware, view, queries, template) around
``client.get``, without a network; ``cpu`` is this process's CPU time over the same requests
(steadier on a busy machine, but without PostgreSQL's own time). The last line prints, for each
page, ``<page>_p50_ms=… <page>_p95_ms=… <page>_cpu_p50_ms=… <page>_queries=…`` and
``queries_constant=yes|no`` (the same queries at both scales).
"""

import argparse
import os
import statistics
import sys
import time
import warnings

from benchmarks.setup import django_for_benchmark

WARM_UP = 3
# The dashboards and the API's plan and indicator are kept in the cache under their data versions
# (docs/dashboards.md), so each is timed twice: as usually served, from the cache, and as
# "<page>_uncached", with the cache emptied before every request (the first request after a
# write to the plan, a new day, or a restart).
CACHED = [
    "home",
    "plan",
    "plan_filtered",
    "report",
    "partner",
    "indicator",
    "api_plan",
    "api_indicator",
]
UNCACHED = {f"{name}_uncached" for name in CACHED}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages() -> dict[str, str]:
    """The pages timed: the busiest plan, an indicator in two plans, and the API."""
    from django.urls import reverse

    from plans.models import Plan
    from targets.models import Commitment

    plan = Plan.objects.filter(is_synthetic=True).order_by("slug").first()
    shared = (
        Commitment.objects.filter(indicator__is_synthetic=True, indicator__breakdowns__isnull=True)
        .values_list("indicator__slug", flat=True)
        .order_by("indicator__code")
    )
    counts: dict[str, int] = {}
    for slug in shared:
        counts[slug] = counts.get(slug, 0) + 1
    indicator = next(slug for slug, count in counts.items() if count > 1)
    partner = plan.lead_partner
    urls = {
        "home": reverse("plans:plan-list"),
        "plan": plan.get_absolute_url(),
        "plan_filtered": plan.get_absolute_url() + "?status=red&sort=-status",
        "report": reverse("plans:plan-report", args=[plan.slug]),
        "partner": partner.get_absolute_url(),
        "indicator": reverse("targets:indicator-detail", args=[indicator]),
        "api_plans": reverse("api:plan-list"),
        "api_plan": reverse("api:plan-detail", args=[plan.slug]),
        "api_indicators": reverse("api:indicator-list"),
        "api_indicator": reverse("api:indicator-detail", args=[indicator]),
    }
    return {
        **urls,
        **{f"{name}_uncached": urls[name] for name in CACHED},
    }


def measure(urls: dict[str, str], requests: int, profile: str | None = None) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()
    client.force_login(get_user_model().objects.get(username="synthetic-scrutiny"))
    # As in the tests: no collectstatic manifest here, so plain static file names.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    found = {}
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        for name, url in urls.items():
            queries = []
            # Counted with nothing cached: the most queries the page makes.
            cache.clear()
            with connection.execute_wrapper(_counting(queries)):
                response = client.get(url, secure=True)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {url} answered {response.status_code}.")
            if profile == name:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.0005)
                profiler.start()
                client.get(url, secure=True)
                profiler.stop()
                print(profiler.output_text(unicode=True, color=False), file=sys.stderr)
            for _ in range(WARM_UP):
                client.get(url, secure=True)
            times, cpu = [], []
            for _ in range(requests):
                if name in UNCACHED:
                    cache.clear()
                started, cpu_started = time.perf_counter(), time.process_time()
                client.get(url, secure=True)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            found[name] = {
                "queries": len(queries),
                "p50": statistics.median(times),
                "p95": percentile(times, 0.95),
                "max": max(times),
                # This process's CPU time: less disturbed by other work on a busy machine, but
                # without the PostgreSQL server's own time.
                "cpu_p50": statistics.median(cpu),
                "bytes": len(response.content),
            }
    return found


def _counting(queries: list):
    # Not CaptureQueriesContext: Django empties the query log at the start of every request
    # (reset_queries), which can leave it counting nothing.
    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def analyze():
    """Vacuum and analyze the tables just filled, as autovacuum would have done on a server in
    use: a fresh bulk load has no planner statistics, and until it is vacuumed PostgreSQL's
    background workers vacuum it while the benchmark runs (they took about as much CPU as the
    application in a 40-second load test) and every first read of a row writes its hint bits."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def build(plans: int, indicators: int, years: int) -> float:
    from targets.synthetic import synthetic_data_generate

    started = time.perf_counter()
    counts = synthetic_data_generate(plans=plans, indicators=indicators, years=years, force=True)
    seconds = time.perf_counter() - started
    analyze()
    print(
        f"synthetic data: {counts['indicators']} indicators, {counts['commitments']} "
        f"commitments, {counts['targets']} targets, {counts['actuals']} actuals "
        f"in {seconds:.1f} s",
        file=sys.stderr,
    )
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=2_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--small", type=int, default=200, help="Indicators at the small scale.")
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page.")
    parser.add_argument("--profile", help="Print a pyinstrument profile of this page.")
    args = parser.parse_args()
    django_for_benchmark()
    from django.db import connection

    build(args.plans, args.small, args.years)
    small = measure(pages(), 3)
    build(args.plans, args.indicators, args.years)
    full = measure(pages(), args.requests, args.profile)

    load = os.getloadavg()
    print(
        f"database={connection.vendor} indicators={args.indicators} requests={args.requests} "
        f"loadavg={load[0]:.2f},{load[1]:.2f},{load[2]:.2f}"
    )
    small_header = f"at {args.small}"
    print(
        f"{'page':16} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'queries':>8} "
        f"{small_header:>8}"
    )
    for name, row in full.items():
        print(
            f"{name:16} {row['p50']:8.1f} {row['p95']:8.1f} {row['max']:8.1f} "
            f"{row['cpu_p50']:8.1f} {row['queries']:8} {small[name]['queries']:8}"
        )
    constant = all(full[name]["queries"] == small[name]["queries"] for name in full)
    last = " ".join(
        f"{name}_p50_ms={row['p50']:.0f} {name}_p95_ms={row['p95']:.0f} "
        f"{name}_cpu_p50_ms={row['cpu_p50']:.0f} {name}_queries={row['queries']}"
        for name, row in full.items()
    )
    print(f"{last} queries_constant={'yes' if constant else 'no'}")


if __name__ == "__main__":
    main()
