"""The home page's tallies, kept in Django's cache under a version read from the database.

The home page shows, for every plan, only how many of its targets have each status and
direction. Judging them all (2,200 commitments in the synthetic county) costs about half a
second of CPU a request, and the answer changes only when the plan's data, the period shown or
the day changes. So each plan's ``Tally`` is kept in the cache (``CACHES["default"]``), one entry
per plan, period shown, day and **data version**, and judged again only when one of those
changes.

The data version is read from the database on every request, for every plan, in one query
(``data_versions``): counts, highest ids and sums of the rows a plan's statuses depend on, and
the highest history id of the models with an audit trail. A write of any kind (a form, the
admin, an import (rows saved in batches, with their history rows), ``bulk_create``, most
``queryset.update()`` calls) changes it, so the next request finds no entry under the new key and
judges that plan again: nothing is ever invalidated, old entries are never asked for again and
expire. Signals are not used: bulk writes do not send them. Writes that could slip through are
listed in docs/dashboards.md: they show within ``TIMEOUT``, or at once after ``forget_tallies``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, CharField, F, Func, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from plans.models import Plan
from targets.dashboard.choosing import PlanPeriods, fallback_period
from targets.dashboard.judging import load, plan_periods, visible_states
from targets.dashboard.summary import Tally, by_plan
from targets.models import (
    Actual,
    Baseline,
    Commitment,
    CommitmentStatus,
    CommitmentStatusKind,
    Indicator,
    Period,
    Target,
)
from targets.periods import ParsedPeriod

# Raised when what is stored, or how it is judged, changes: entries of an older release are then
# never read (a shared cache such as Redis outlives a deploy).
SCHEMA = 1
PREFIX = "dashboard-tally"
# How long an entry is kept: also the longest a write the data versions cannot see (see
# docs/dashboards.md) stays unseen. Judging every plan again every ten minutes costs nothing.
TIMEOUT = 10 * 60
# Raised by ``forget_tallies``: every key includes it.
GENERATION = f"{PREFIX}-generation"


def _aggregate(function: str, expression) -> Func:
    # A bare aggregate function (no GROUP BY): one row per subquery, whatever the rows joined.
    return Func(expression, function=function)


class _Joined(Func):
    """a || b || c, flat: ``Concat`` nests one function call per part, and SQLite's parser
    refuses the depth ("parser stack overflow") past a dozen parts."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = CharField()


def _signature(queryset, *aggregates) -> Subquery:
    """One text of several aggregates over ``queryset`` ("12:5031:871.5"), as a subquery."""
    parts = []
    for aggregate in aggregates:
        # NULL (MAX or SUM of no rows) would make the whole text NULL.
        parts += [Coalesce(Cast(aggregate, CharField()), Value("")), Value(":")]
    signature = _Joined(*parts[:-1]) if len(parts) > 2 else parts[0]
    return Subquery(queryset.order_by().annotate(signature=signature).values("signature"))


def _counted(*sums: str):
    """Rows added or deleted (count, highest id) and values changed in place (sums)."""
    return (
        _aggregate("COUNT", F("pk")),
        _aggregate("MAX", F("pk")),
        *(_aggregate("SUM", F(name)) for name in sums),
    )


def data_versions(plan_ids: Iterable[int]) -> dict[int, str]:
    """For each plan, a text that changes whenever its statuses may: one query.

    What it reads, and which writes each catches:

    - the plan's commitments, status changes, targets, baselines, and the values of its
      indicators: count and highest id (rows added or deleted, also in bulk), sums of the
      figures, the indicator, the period and (for values) the version raised on every save and
      the count of visible ones (changes in place, also ``queryset.update()``);
    - the highest history id of its targets, baselines, values and indicators (every save, the
      importer's batched saves with the history rows it writes, deletions);
    - for every plan alike, the periods: count, highest id and highest history id (an entry
      deadline changed in the admin).
    """
    commitment = OuterRef("pk")
    of_plan = Commitment.objects.filter(plan_id=OuterRef(OuterRef("pk"))).values("indicator_id")
    history = {model: model.history.model for model in (Target, Baseline, Actual, Indicator)}
    visible = Case(When(state__in=visible_states(), then=Value(1)))
    signatures = {
        "commitments": _signature(
            Commitment.objects.filter(plan_id=commitment),
            *_counted("indicator_id"),
        ),
        "changes": _signature(
            CommitmentStatus.objects.filter(commitment__plan_id=commitment),
            *_counted("from_period_id", "commitment_id"),
            _aggregate("COUNT", Case(When(status=CommitmentStatusKind.ACTIVE, then=Value(1)))),
        ),
        "targets": _signature(
            Target.objects.filter(commitment__plan_id=commitment),
            *_counted("value", "lower", "upper", "period_id", "commitment_id", "breakdown_id"),
        ),
        "baselines": _signature(
            Baseline.objects.filter(commitment__plan_id=commitment),
            *_counted("value", "lower", "upper", "period_id", "commitment_id"),
        ),
        "actuals": _signature(
            Actual.objects.filter(indicator_id__in=of_plan),
            *_counted("value", "version", "period_id", "breakdown_id"),
            _aggregate("COUNT", visible),
        ),
        "target_history": _signature(
            history[Target].objects.filter(commitment__plan_id=commitment),
            _aggregate("MAX", F("history_id")),
        ),
        "baseline_history": _signature(
            history[Baseline].objects.filter(commitment__plan_id=commitment),
            _aggregate("MAX", F("history_id")),
        ),
        "actual_history": _signature(
            history[Actual].objects.filter(indicator_id__in=of_plan),
            _aggregate("MAX", F("history_id")),
        ),
        "indicator_history": _signature(
            history[Indicator].objects.filter(id__in=of_plan),
            _aggregate("MAX", F("history_id")),
        ),
        "periods": _signature(Period.objects.all(), *_counted()),
        "period_history": _signature(
            Period.history.model.objects.all(), _aggregate("MAX", F("history_id"))
        ),
    }
    # Prefixed: "commitments" and "targets" are names of the plan's own relations.
    named = {f"version_{name}": signature for name, signature in signatures.items()}
    rows = Plan.objects.filter(pk__in=list(plan_ids)).order_by().annotate(**named)
    return {
        row["pk"]: "|".join(str(row[name]) for name in named) for row in rows.values("pk", *named)
    }


def _key(plan_id: int, period: ParsedPeriod, today: date, version: str, generation) -> str:
    # Everything a tally depends on besides the data: the rules' settings and the day.
    context = (
        SCHEMA,
        generation,
        plan_id,
        period.label,
        today.isoformat(),
        tuple(visible_states()),
        settings.ENTRY_DEADLINE_DAYS,
        version,
    )
    digest = hashlib.sha256(repr(context).encode()).hexdigest()[:32]
    return f"{PREFIX}:{plan_id}:{digest}"


def plan_tallies(
    plans: list, chosen: ParsedPeriod | None, *, today: date | None = None
) -> tuple[PlanPeriods, dict[int, ParsedPeriod | None], dict[int, Tally]]:
    """For the home page: the periods with data by plan, the period each plan is shown for (None
    for a plan with nothing dated) and its tally, from the cache where the data has not changed.

    The same as judging every plan afresh (``tests/targets/test_dashboard_cache.py``). On a warm
    cache, one query (the versions); otherwise also the periods with data (one query) if they
    changed, and ``load`` (five) for the plans whose entries are missing.
    """
    today = today or timezone.localdate()
    versions = data_versions(plan.pk for plan in plans)
    generation = cache.get(GENERATION, 0)
    # The periods with data depend on the same rows: cached under all the plans' versions.
    everything = hashlib.sha256(
        repr((SCHEMA, generation, tuple(visible_states()), sorted(versions.items()))).encode()
    ).hexdigest()[:32]
    periods_key = f"{PREFIX}-periods:{everything}"
    found = cache.get(periods_key)
    if found is None:
        found = plan_periods(Commitment.objects.all())
        cache.set(periods_key, found, TIMEOUT)
    shown = {plan.pk: chosen or found.default_for(plan, today=today) for plan in plans}
    # A plan with nothing dated has nothing to judge in any period: its targets are all
    # "no target" whichever period is used.
    period_of = {pk: period or fallback_period(today=today) for pk, period in shown.items()}
    keys = {
        pk: _key(pk, period_of[pk], today, versions.get(pk, ""), generation) for pk in period_of
    }
    stored = cache.get_many(keys.values())
    tallies = {pk: stored[key] for pk, key in keys.items() if key in stored}
    missing = [pk for pk in keys if pk not in tallies]
    if missing:
        missing_periods = {pk: period_of[pk] for pk in missing}
        loaded = load(
            Commitment.objects.filter(plan_id__in=missing),
            periods=missing_periods.values(),
            counts_only=True,
        )
        rows = by_plan(loaded.assess(missing_periods, today=today))
        fresh = {pk: Tally.of(rows.get(pk, [])) for pk in missing}
        cache.set_many({keys[pk]: tally for pk, tally in fresh.items()}, TIMEOUT)
        tallies.update(fresh)
    return found, shown, tallies


def forget_tallies() -> None:
    """Judge every plan again on the next request: after a write the data versions cannot see
    (docs/dashboards.md). Other entries of the cache are left alone. With the default
    per-process cache this reaches only the process it runs in; elsewhere the entries expire
    within ``TIMEOUT``."""
    try:
        cache.incr(GENERATION)
    except ValueError:  # not set yet, or expired
        cache.set(GENERATION, 1, None)
