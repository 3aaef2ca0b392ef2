"""Data versions: a number for each plan and indicator that changes whenever what its pages show
may have changed, kept current by the database itself.

The dashboards cache what they judge (targets/dashboard/cached.py) under these numbers, so
they must change on *every* write that could change a page, by any route: forms, the admin, the
importer's batched saves, ``bulk_create``, ``queryset.update()``, raw SQL, deletes. Signals miss
the bulk routes, so the database counts the writes: a trigger on each table the dashboards read
(``WATCHED``) adds to the version of each scope and object the changed rows belong to. Readers
then read a handful of rows (``read``) instead of aggregating the data (docs/dashboards.md).

Scopes:

- ``plan``: what a plan's dashboards and API show (its commitments, their targets, baselines,
  status changes and partners, its themes, activities and their progress, the plan itself, and
  the *approved* values of its indicators);
- ``plan-submitted``: submitted values of its indicators, which readers see only where
  ``SHOW_SUBMITTED_VALUES`` is on (drafts and returned values are never shown, so saving a
  draft changes no plan's version);
- ``indicator`` and ``indicator-submitted``: what an indicator's page shows, likewise: its
  approved (and submitted) values, its commitments and their figures;
- ``reference``: one version (object 0) for the shared tables every page reads: indicators,
  breakdowns, periods, partners, people, strategies, and the names of plans and themes.

How the number is kept differs by database, not what it means: a version is the sum of
``DataVersion.changes`` over its rows, and it only ever grows. PostgreSQL runs one trigger per
statement (over its transition tables) that *appends* a row per scope and object changed: no row
is ever updated, so writers never wait for one another on a version row or deadlock over two of
them, and a version changes exactly when the write that raised it commits. SQLite has a single
writer at a time and only row triggers: each changed row raises its scopes' one row each.

Triggers are (re)installed after every ``migrate`` (``install``, run on ``post_migrate``):
SQLite drops a table's triggers whenever Django rebuilds the table to alter it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Count, Q, Sum

PLAN = "plan"
PLAN_SUBMITTED = "plan-submitted"
INDICATOR = "indicator"
INDICATOR_SUBMITTED = "indicator-submitted"
REFERENCE = "reference"
# More rows than this for one scope and object (PostgreSQL appends one a write) and ``read``
# folds them into one.
COMPACT_AFTER = 200
PREFIX = "data_version"


@dataclass(frozen=True)
class Watched:
    """A table whose writes change versions: the columns of a changed row ``r`` that ``keys``
    uses, and ``keys``, a SELECT of (scope, object_id) from ``{rows}`` (the changed rows, as
    ``r``), run on the rows before and after the write."""

    table: str
    columns: tuple[str, ...]
    keys: str


def watched() -> list[Watched]:
    """Every table the dashboards read, and which versions a change to a row of it raises."""
    from partners.models import Partner, Person
    from plans.models import Activity, ActivityUpdate, Plan, Strategy, Theme
    from targets.models import (
        Actual,
        ActualState,
        Baseline,
        Breakdown,
        Commitment,
        CommitmentPartner,
        CommitmentStatus,
        Indicator,
        Period,
        Target,
    )

    commitment = Commitment._meta.db_table
    approved, submitted = ActualState.APPROVED.value, ActualState.SUBMITTED.value
    # A commitment's plan and indicator, for the tables that hang off a commitment.
    of_commitment = (
        f"SELECT '{PLAN}' AS scope, c.plan_id AS object_id"
        f" FROM {{rows}} JOIN {commitment} c ON c.id = r.commitment_id"
        f" UNION ALL SELECT '{INDICATOR}', c.indicator_id"
        f" FROM {{rows}} JOIN {commitment} c ON c.id = r.commitment_id"
    )
    everything = f"SELECT '{REFERENCE}' AS scope, 0 AS object_id FROM {{rows}}"
    by_commitment = [
        Watched(model._meta.db_table, ("commitment_id",), of_commitment)
        for model in (Target, Baseline, CommitmentStatus, CommitmentPartner)
    ]
    links = Commitment.linked_commitments.through
    theme = Theme._meta.db_table
    of_activity = (
        f"SELECT '{PLAN}' AS scope, t.plan_id AS object_id FROM {{rows}}"
        f" JOIN {Activity._meta.db_table} a ON a.id = r.activity_id"
        f" JOIN {theme} t ON t.id = a.theme_id"
    )
    return [
        Watched(
            Actual._meta.db_table,
            ("indicator_id", "state"),
            # The indicator and every plan it is in, as approved or as submitted values.
            f"SELECT CASE WHEN r.state = '{approved}' THEN '{PLAN}' ELSE '{PLAN_SUBMITTED}' END"
            f" AS scope, c.plan_id AS object_id"
            f" FROM {{rows}} JOIN {commitment} c ON c.indicator_id = r.indicator_id"
            f" WHERE r.state IN ('{approved}', '{submitted}')"
            f" UNION ALL SELECT CASE WHEN r.state = '{approved}' THEN '{INDICATOR}'"
            f" ELSE '{INDICATOR_SUBMITTED}' END, r.indicator_id FROM {{rows}}"
            f" WHERE r.state IN ('{approved}', '{submitted}')",
        ),
        *by_commitment,
        Watched(
            commitment,
            ("plan_id", "indicator_id"),
            f"SELECT '{PLAN}' AS scope, r.plan_id AS object_id FROM {{rows}}"
            f" UNION ALL SELECT '{INDICATOR}', r.indicator_id FROM {{rows}}",
        ),
        Watched(
            links._meta.db_table,
            ("from_commitment_id",),
            f"SELECT '{PLAN}' AS scope, c.plan_id AS object_id"
            f" FROM {{rows}} JOIN {commitment} c ON c.id = r.from_commitment_id",
        ),
        # A plan's or theme's name shows on its indicators' pages too: rare writes, so they
        # raise the shared version rather than every indicator's.
        Watched(
            Theme._meta.db_table,
            ("plan_id",),
            f"SELECT '{PLAN}' AS scope, r.plan_id AS object_id FROM {{rows}}"
            f" UNION ALL SELECT '{REFERENCE}', 0 FROM {{rows}}",
        ),
        Watched(
            Plan._meta.db_table,
            ("id",),
            f"SELECT '{PLAN}' AS scope, r.id AS object_id FROM {{rows}}"
            f" UNION ALL SELECT '{REFERENCE}', 0 FROM {{rows}}",
        ),
        # Delivery plans' activities and their progress (the plan's API).
        Watched(
            Activity._meta.db_table,
            ("theme_id",),
            f"SELECT '{PLAN}' AS scope, t.plan_id AS object_id"
            f" FROM {{rows}} JOIN {theme} t ON t.id = r.theme_id",
        ),
        *(
            Watched(table, ("activity_id",), of_activity)
            for table in (
                ActivityUpdate._meta.db_table,
                Activity.strategies.through._meta.db_table,
            )
        ),
        *(
            Watched(table, ("id",), everything)
            for table in (
                Strategy._meta.db_table,
                Person._meta.db_table,
                Indicator._meta.db_table,
                Indicator.breakdowns.through._meta.db_table,
                Breakdown._meta.db_table,
                Period._meta.db_table,
                Partner._meta.db_table,
                Partner.members.through._meta.db_table,
            )
        ),
    ]


# --- Reading ----------------------------------------------------------------------------------


def read(wanted: dict[str, Iterable[int]], *, using: str = "default") -> dict[tuple[str, int], int]:
    """The versions of the objects ``wanted`` by scope ({"plan": [3, 4]}), as
    {(scope, object_id): version}; 0 for one never written. One query."""
    from targets.models import DataVersion

    keys = {(scope, int(pk)) for scope, pks in wanted.items() for pk in pks}
    found = dict.fromkeys(keys, 0)
    if not keys:
        return found
    by_scope: dict[str, set[int]] = defaultdict(set)
    for scope, pk in keys:
        by_scope[scope].add(pk)
    where = Q()
    for scope, pks in by_scope.items():
        where |= Q(scope=scope, object_id__in=sorted(pks))
    crowded = []
    rows = (
        DataVersion.objects.using(using)
        .filter(where)
        .order_by()
        .values_list("scope", "object_id")
        .annotate(version=Sum("changes"), rows=Count("pk"))
    )
    for scope, pk, version, count in rows:
        found[(scope, pk)] = version
        if count > COMPACT_AFTER:
            crowded.append((scope, pk))
    if crowded:
        compact(crowded, using=using)
    return found


def compact(keys: Iterable[tuple[str, int]], *, using: str = "default") -> None:
    """Fold each version's rows into one row with their sum: the version is unchanged.

    Rows appended meanwhile by writers are not locked and not seen (they are added after this
    transaction's snapshot), so they stay and keep counting; two compactions at once each fold
    only the rows the other did not delete."""
    from targets.models import DataVersion

    with transaction.atomic(using=using):
        for scope, pk in keys:
            rows = list(
                DataVersion.objects.using(using)
                .select_for_update()
                .filter(scope=scope, object_id=pk)
                .values_list("pk", "changes")
            )
            if len(rows) < 2:
                continue
            DataVersion.objects.using(using).filter(pk__in=[row for row, _ in rows]).delete()
            DataVersion.objects.using(using).create(
                scope=scope, object_id=pk, changes=sum(changes for _, changes in rows)
            )


# --- Installing the triggers ------------------------------------------------------------------


def install(using: str = "default") -> None:
    """Create (or replace) the triggers on every watched table. Idempotent."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for statement in _statements(connection, drop=False):
            cursor.execute(statement)


def uninstall(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for statement in _statements(connection, drop=True):
            cursor.execute(statement)


def installed(using: str = "default") -> set[tuple[str, str]]:
    """(table, trigger name) of the data-version triggers in the database, for checks."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE %s",
                [f"{PREFIX}%"],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
                [f"{PREFIX}%"],
            )
        return set(cursor.fetchall())


def expected() -> set[tuple[str, str]]:
    return {
        (table.table, f"{PREFIX}_{table.table}_{event}")
        for table in watched()
        for event in ("insert", "update", "delete")
    }


def _statements(connection, *, drop: bool) -> list[str]:
    write = {"postgresql": _postgresql, "sqlite": _sqlite}.get(connection.vendor)
    if write is None:
        raise NotImplementedError(f"No data-version triggers for {connection.vendor}.")
    # Only tables that exist: PostgreSQL refuses to drop a trigger of a missing table.
    existing = set(connection.introspection.table_names())
    return [sql for table in watched() if table.table in existing for sql in write(table, drop)]


def _version_table() -> str:
    from targets.models import DataVersion

    return DataVersion._meta.db_table


EVENTS = {
    # event: the transition tables (PostgreSQL) or row records (SQLite) it has
    "insert": ("new",),
    "update": ("old", "new"),
    "delete": ("old",),
}


def _postgresql(table: Watched, drop: bool) -> list[str]:
    name = f"{PREFIX}_{table.table}"
    statements = [f'DROP TRIGGER IF EXISTS "{name}_{event}" ON "{table.table}"' for event in EVENTS]
    if drop:
        return [*statements, f'DROP FUNCTION IF EXISTS "{name}"()']
    # One function for the three events: plpgsql plans each branch when it first runs, so a
    # branch naming a transition table its trigger does not have is never compiled.
    branches = []
    for event, sides in EVENTS.items():
        keys = " UNION ALL ".join(
            f"({table.keys.format(rows=f'{side}_rows AS r')})" for side in sides
        )
        branches.append(
            f"IF TG_OP = '{event.upper()}' THEN"
            f" INSERT INTO {_version_table()} (scope, object_id, changes)"
            f" SELECT DISTINCT k.scope, k.object_id, 1 FROM ({keys}) AS k"
            f" WHERE k.object_id IS NOT NULL; END IF;"
        )
    statements.append(
        f'CREATE OR REPLACE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$'
        f" BEGIN {' '.join(branches)} RETURN NULL; END $$"
    )
    for event, sides in EVENTS.items():
        referencing = " ".join(f"{side.upper()} TABLE AS {side}_rows" for side in sides)
        statements.append(
            f'CREATE TRIGGER "{name}_{event}" AFTER {event.upper()} ON "{table.table}"'
            f' REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION "{name}"()'
        )
    return statements


# SQLite keeps one row per scope and object (one writer at a time: no waiting to avoid), raised
# in place by an upsert, which needs this index; PostgreSQL's rows are appended, so not there.
SQLITE_ONE_ROW_EACH = "data_version_one_row_each"


def _sqlite(table: Watched, drop: bool) -> list[str]:
    name = f"{PREFIX}_{table.table}"
    statements = [f'DROP TRIGGER IF EXISTS "{name}_{event}"' for event in EVENTS]
    if drop:
        return statements
    versions = _version_table()
    statements.append(
        f'CREATE UNIQUE INDEX IF NOT EXISTS "{SQLITE_ONE_ROW_EACH}"'
        f" ON {versions} (scope, object_id)"
    )
    for event, sides in EVENTS.items():
        rows = {
            side: "(SELECT "
            + ", ".join(f"{side.upper()}.{column} AS {column}" for column in table.columns)
            + ") AS r"
            for side in sides
        }
        keys = " UNION ".join(table.keys.format(rows=rows[side]) for side in sides)
        # One upsert, each key found through the index: a row trigger runs for every row of a
        # bulk write (an import of 100,000 targets).
        statements.append(
            f'CREATE TRIGGER "{name}_{event}" AFTER {event.upper()} ON "{table.table}" BEGIN'
            f" INSERT INTO {versions} (scope, object_id, changes)"
            f" SELECT scope, object_id, 1 FROM ({keys}) WHERE object_id IS NOT NULL"
            " ON CONFLICT (scope, object_id) DO UPDATE SET changes = changes + 1;"
            " END"
        )
    return statements
