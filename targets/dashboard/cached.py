"""Dashboards kept in Django's cache under data versions kept current by the database.

Judging a plan's targets costs tens of milliseconds of CPU for a plan of a hundred commitments
(half a second for the home page's 2,200), and the answer changes only when the plan's data, the
period shown, the day or a setting of the rules changes. So what is judged is kept in the cache
(``CACHES["default"]``) under a key that includes all of those, and judged again only when one
of them changes:

- each plan's ``Tally`` for the home page (``plan_tallies``), one entry per plan, so a write
  judges only its plan again;
- whole rendered page bodies (``page``): the home page's table, a plan's dashboard and its
  report, a partner's and an indicator's page, and the API's plan and indicator, for the query
  string asked for.

The **data versions** (``targets/data_versions.py``) are numbers the database raises on every
write to the tables the dashboards read, by triggers, so every route counts: forms, the admin,
the importer's batched saves, ``bulk_create``, ``queryset.update()``, raw SQL, deletes. They are
read on every request, in one small query, never trusted from memory. Nothing is ever
invalidated: a write changes the version, so the next request finds no entry under the new key
and judges again; old entries are never asked for again and expire. Only emptying tables with
``TRUNCATE`` or restoring a backup escapes the triggers: ``forget_cached`` (which
``import_everything`` calls) starts every key afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from targets import data_versions as versions
from targets.dashboard.choosing import PlanPeriods, fallback_period
from targets.dashboard.judging import load, plan_periods, visible_states
from targets.dashboard.summary import Tally, by_plan
from targets.models import Commitment
from targets.periods import ParsedPeriod

# Raised when what is stored, how it is judged or how a page looks changes: entries of an older
# release are then never read (a shared cache such as Redis outlives a deploy).
SCHEMA = 2
PREFIX = "dashboard"
# How long an entry is kept. Judging every plan again every ten minutes costs little.
TIMEOUT = 10 * 60
# Raised by ``forget_cached``: every key includes it.
GENERATION = f"{PREFIX}-generation"
T = TypeVar("T")


def plan_versions(plan_ids: Iterable[int]) -> dict[int, str]:
    """For each plan, a text that changes whenever what its dashboards show may: its own data
    version, the shared tables' (indicators, periods, partners...) and, where readers see
    submitted values, its submitted values' (``targets/data_versions.py``). One small query."""
    return _versions(versions.PLAN, versions.PLAN_SUBMITTED, list(plan_ids))


def plans_version(plan_ids: Iterable[int]) -> str:
    """One text for several plans together and the shared tables, for a page that shows them
    all (a partner's): it changes when any of them does, or the set of plans."""
    ids = sorted(set(plan_ids))
    found = plan_versions(ids) if ids else {}
    if not found:
        shared = versions.read({versions.REFERENCE: [0]})[(versions.REFERENCE, 0)]
        return f"no plans.{shared}"
    return repr(sorted(found.items()))


def indicator_version(indicator_id: int) -> str:
    """What an indicator's page shows may have changed when this has: its values readers see,
    its commitments and their figures, and the shared tables."""
    return _versions(versions.INDICATOR, versions.INDICATOR_SUBMITTED, [indicator_id])[indicator_id]


def _versions(scope: str, submitted: str, ids: list[int]) -> dict[int, str]:
    """Each object's "own.submitted.shared" versions, "-" for the submitted values where readers
    do not see them: one query."""
    wanted = {scope: ids, versions.REFERENCE: [0]}
    if settings.SHOW_SUBMITTED_VALUES:
        wanted[submitted] = ids
    found = versions.read(wanted)
    shared = found[(versions.REFERENCE, 0)]
    return {pk: f"{found[(scope, pk)]}.{found.get((submitted, pk), '-')}.{shared}" for pk in ids}


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
    return f"{PREFIX}-tally:{plan_id}:{digest}"


def plan_tallies(
    plans: list,
    chosen: ParsedPeriod | None,
    *,
    today: date | None = None,
    versions: dict[int, str] | None = None,
) -> tuple[PlanPeriods, dict[int, ParsedPeriod | None], dict[int, Tally]]:
    """For the home page: the periods with data by plan, the period each plan is shown for (None
    for a plan with nothing dated) and its tally, from the cache where the data has not changed.

    The same as judging every plan afresh (``tests/targets/test_dashboard_cache.py``). On a warm
    cache, one query (the versions); otherwise also the periods with data (one query) if they
    changed, and ``load`` (five) for the plans whose entries are missing. ``versions``: the
    plans' versions (``plan_versions``), if the caller has just read them.
    """
    today = today or timezone.localdate()
    plan_version = versions if versions is not None else plan_versions(p.pk for p in plans)
    generation = cache.get(GENERATION, 0)
    # The periods with data depend on the same rows: cached under all the plans' versions.
    everything = hashlib.sha256(
        repr((SCHEMA, generation, tuple(visible_states()), sorted(plan_version.items()))).encode()
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
        pk: _key(pk, period_of[pk], today, plan_version.get(pk, ""), generation) for pk in period_of
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


def page(name: str, version: str, params, render: Callable[[], T]) -> T:
    """What ``render`` gives (a page's rendered body, or several parts of it), from the cache
    while ``version`` (the data versions of everything it shows) and the query string ``params``
    are those it was rendered for.

    ``render`` must depend on nothing else: not on the user (keep what depends on them outside
    the body), only on the data, the query string, the day and the rules' settings, which are in
    the key."""
    query = sorted((key, tuple(params.getlist(key))) for key in params)
    context = (
        SCHEMA,
        cache.get(GENERATION, 0),
        name,
        version,
        query,
        timezone.localdate().isoformat(),
        tuple(visible_states()),
        settings.ENTRY_DEADLINE_DAYS,
    )
    key = f"{PREFIX}-page:{name}:{hashlib.sha256(repr(context).encode()).hexdigest()[:32]}"
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found, TIMEOUT)
    return found


def forget_cached() -> None:
    """Judge and render everything again on the next request: after a write the data versions
    cannot see (``TRUNCATE``, a restored backup). Other entries of the cache are left alone. With
    the default per-process cache this reaches only the process it runs in; elsewhere the
    entries expire within ``TIMEOUT``."""
    try:
        cache.incr(GENERATION)
    except ValueError:  # not set yet, or expired
        cache.set(GENERATION, 1, None)
