"""The data versions (targets/data_versions.py): the database raises them on every kind of write
to the tables the dashboards read, only for the plans and indicators written, and never makes
writers wait for one another. What is cached under them: tests/targets/test_dashboard_cache.py
and tests/plans/test_cached_pages.py."""

import re
import threading
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from plans.models import Plan, Theme
from targets import data_versions
from targets.apps import reinstall_data_version_triggers
from targets.data_versions import (
    INDICATOR,
    INDICATOR_SUBMITTED,
    PLAN,
    PLAN_SUBMITTED,
    REFERENCE,
)
from targets.models import (
    Actual,
    ActualSource,
    ActualState,
    Baseline,
    Breakdown,
    Commitment,
    CommitmentPartner,
    CommitmentStatus,
    CommitmentStatusKind,
    DataVersion,
    Indicator,
    Period,
    Target,
)
from tests.factories import (
    CommitmentFactory,
    IndicatorFactory,
    PartnerFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
    period,
)
from tests.scenarios import delivery_plan

pytestmark = pytest.mark.django_db


class Scene:
    """Two plans sharing one indicator (``shared``), each with an indicator of its own."""

    def __init__(self):
        self.plan, self.other_plan = PlanFactory(), PlanFactory()
        self.shared = IndicatorFactory()
        self.own, self.others = IndicatorFactory(), IndicatorFactory()
        self.commitment = CommitmentFactory(
            plan=self.plan, theme=ThemeFactory(plan=self.plan), indicator=self.own
        )
        theme = self.commitment.theme
        CommitmentFactory(plan=self.plan, theme=theme, indicator=self.shared)
        other_theme = ThemeFactory(plan=self.other_plan)
        CommitmentFactory(plan=self.other_plan, theme=other_theme, indicator=self.shared)
        CommitmentFactory(plan=self.other_plan, theme=other_theme, indicator=self.others)
        self.quarter = period("2008/09 Q2")

    def versions(self) -> dict[str, int]:
        found = data_versions.read(
            {
                PLAN: [self.plan.pk, self.other_plan.pk],
                PLAN_SUBMITTED: [self.plan.pk, self.other_plan.pk],
                INDICATOR: [self.own.pk, self.shared.pk, self.others.pk],
                INDICATOR_SUBMITTED: [self.shared.pk],
                REFERENCE: [0],
            }
        )
        names = {
            (PLAN, self.plan.pk): "plan",
            (PLAN, self.other_plan.pk): "other plan",
            (PLAN_SUBMITTED, self.plan.pk): "plan submitted",
            (PLAN_SUBMITTED, self.other_plan.pk): "other plan submitted",
            (INDICATOR, self.own.pk): "own indicator",
            (INDICATOR, self.shared.pk): "shared indicator",
            (INDICATOR, self.others.pk): "other's indicator",
            (INDICATOR_SUBMITTED, self.shared.pk): "shared indicator submitted",
            (REFERENCE, 0): "reference",
        }
        return {name: found[key] for key, name in names.items()}

    def changed_by(self, write) -> set[str]:
        before = self.versions()
        write()
        after = self.versions()
        assert all(after[name] >= before[name] for name in before), "a version went down"
        return {name for name in before if after[name] != before[name]}

    def value(self, indicator, state, value="10"):
        return Actual.objects.create(
            indicator=indicator,
            period=self.quarter,
            value=Decimal(value),
            state=state,
            source=ActualSource.FORM,
        )


@pytest.fixture
def scene():
    return Scene()


def test_every_watched_table_has_its_three_triggers():
    assert data_versions.installed() == data_versions.expected()
    assert len(data_versions.expected()) == 3 * len(data_versions.watched()) == 3 * 20


def test_the_triggers_are_put_back_after_every_migrate():
    """SQLite drops a table's triggers when Django rebuilds it for a migration."""
    data_versions.uninstall()
    assert data_versions.installed() == set()
    reinstall_data_version_triggers(using="default")
    assert data_versions.installed() == data_versions.expected()


def test_values_raise_their_plans_only_once_readers_may_see_them(scene):
    draft = scene.value(scene.shared, ActualState.DRAFT)
    # A draft shows on no page readers see (the officer's own pages read it afresh).
    assert scene.changed_by(lambda: Actual.objects.filter(pk=draft.pk).update(value=11)) == set()
    submitted = {"plan submitted", "other plan submitted", "shared indicator submitted"}
    assert (
        scene.changed_by(lambda: Actual.objects.filter(pk=draft.pk).update(state="submitted"))
        == submitted
    )
    # Approving takes it out of the submitted ones and into what every reader sees, in both
    # plans the indicator is in.
    approve = lambda: Actual.objects.filter(pk=draft.pk).update(state=ActualState.APPROVED)  # noqa: E731
    assert scene.changed_by(approve) == {"plan", "other plan", "shared indicator", *submitted}
    assert scene.changed_by(lambda: Actual.objects.filter(pk=draft.pk).delete()) == {
        "plan",
        "other plan",
        "shared indicator",
    }


def test_a_value_of_one_plans_indicator_leaves_the_other_plan_alone(scene):
    changed = scene.changed_by(lambda: scene.value(scene.own, ActualState.APPROVED))
    assert changed == {"plan", "own indicator"}


@pytest.mark.parametrize(
    "route",
    ["save", "bulk_create", "queryset.update", "raw SQL", "delete"],
)
def test_every_route_of_writing_a_target_is_counted(scene, route):
    target = Target.objects.create(
        commitment=scene.commitment, period=period("2008/09"), value=Decimal("50")
    )
    next_year = period("2009/10")  # a new period is shared reference data: made beforehand

    def write():
        if route == "save":
            target.value = Decimal("55")
            target.save()
        elif route == "bulk_create":
            Target.objects.bulk_create(
                [Target(commitment=scene.commitment, period=next_year, value=1)]
            )
        elif route == "queryset.update":
            # Text fields only: no figure, count or id changes, which the versions once missed.
            Target.objects.filter(pk=target.pk).update(text="Fifty", reason="Agreed")
        elif route == "raw SQL":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Target._meta.db_table} SET value = 60 WHERE id = %s", [target.pk]
                )
        else:
            target.delete()

    assert scene.changed_by(write) == {"plan", "own indicator"}


def test_what_hangs_off_a_commitment_raises_its_plan_and_indicator(scene):
    commitment = scene.commitment
    expected = {"plan", "own indicator"}
    # Periods and partners are shared reference data: made beforehand.
    earlier, later, partner = period("2007/08"), period("2009/10"), PartnerFactory()
    assert (
        scene.changed_by(
            lambda: Baseline.objects.create(
                commitment=commitment, period=earlier, value=Decimal("40")
            )
        )
        == expected
    )
    assert (
        scene.changed_by(
            lambda: CommitmentStatus.objects.create(
                commitment=commitment,
                status=CommitmentStatusKind.WITHDRAWN,
                from_period=later,
            )
        )
        == expected
    )
    assert (
        scene.changed_by(
            lambda: CommitmentPartner.objects.create(
                commitment=commitment, partner=partner, is_lead=True
            )
        )
        == expected
    )
    linked = Commitment.objects.filter(plan=scene.other_plan).first()
    assert scene.changed_by(lambda: commitment.linked_commitments.add(linked)) == {"plan"}


def test_a_commitment_moved_to_another_plan_raises_both(scene):
    theme = Theme.objects.filter(plan=scene.other_plan).first()
    move = lambda: Commitment.objects.filter(pk=scene.commitment.pk).update(  # noqa: E731
        plan=scene.other_plan, theme=theme
    )
    assert scene.changed_by(move) == {"plan", "other plan", "own indicator"}


def test_plans_and_themes_raise_their_plan_and_what_every_page_shares(scene):
    rename = lambda: Plan.objects.filter(pk=scene.plan.pk).update(name="Renamed")  # noqa: E731
    assert scene.changed_by(rename) == {"plan", "reference"}
    retitle = lambda: Theme.objects.filter(plan=scene.other_plan).update(title="New")  # noqa: E731
    assert scene.changed_by(retitle) == {"other plan", "reference"}


@pytest.mark.parametrize("model", [Indicator, Period, Breakdown, Partner])
def test_shared_tables_raise_the_shared_version(scene, model):
    if model is Breakdown:
        Breakdown.objects.create(name="Female")
    if model is Partner:
        PartnerFactory()
    field = {Indicator: "title", Period: "qualifier", Breakdown: "name", Partner: "name"}
    changed = scene.changed_by(
        lambda: model.objects.filter(pk=model.objects.first().pk).update(**{field[model]: "x"})
    )
    assert changed == {"reference"}


def test_a_rolled_back_write_changes_nothing(scene):
    def write_and_fail():
        with transaction.atomic():
            scene.value(scene.own, ActualState.APPROVED)
            raise RuntimeError("the import failed")

    def write_then_roll_back():
        with pytest.raises(RuntimeError, match="the import failed"):
            write_and_fail()

    assert scene.changed_by(write_then_roll_back) == set()


@pytest.mark.postgres_only
def test_many_rows_of_one_version_are_folded_into_one_with_the_same_sum(scene):
    """PostgreSQL appends a row a write; SQLite keeps one row each (a unique index)."""
    DataVersion.objects.bulk_create(
        DataVersion(scope=PLAN, object_id=scene.plan.pk, changes=2)
        for _ in range(data_versions.COMPACT_AFTER + 5)
    )
    rows = DataVersion.objects.filter(scope=PLAN, object_id=scene.plan.pk)
    total = sum(rows.values_list("changes", flat=True))
    assert data_versions.read({PLAN: [scene.plan.pk]})[(PLAN, scene.plan.pk)] == total
    assert rows.count() == 1
    assert data_versions.read({PLAN: [scene.plan.pk]})[(PLAN, scene.plan.pk)] == total


def test_how_each_database_keeps_a_version(scene):
    """SQLite raises one row in place; PostgreSQL appends (see the module)."""
    if connection.vendor != "sqlite":
        assert DataVersion.objects.filter(scope=PLAN, object_id=scene.plan.pk).count() > 1
        return
    for _ in range(3):
        scene.value(scene.own, ActualState.APPROVED).delete()
    assert DataVersion.objects.filter(scope=PLAN, object_id=scene.plan.pk).count() == 1


def test_an_object_never_written_has_version_zero():
    assert data_versions.read({PLAN: [987654]}) == {(PLAN, 987654): 0}


# Tables a dashboard may read without a version: who is asking, not what is shown.
NOT_SHOWN = {
    "django_session",
    "auth_user",
    "auth_group",
    "auth_user_groups",
    "auth_permission",
    "auth_group_permissions",
    "auth_user_user_permissions",
    "django_content_type",
    "partners_membership",
    DataVersion._meta.db_table,
}
TABLE = re.compile(r'(?:FROM|JOIN)\s+"([a-z_0-9]+)"', re.IGNORECASE)


def test_every_table_the_cached_pages_read_is_watched(cast, client):
    """If a page cached under the versions starts reading a table no trigger watches, its cache
    would not see writes to it: this names the table."""
    Actual.objects.create(
        indicator=cast.indicator,
        period=cast.quarter,
        value=Decimal("52.5"),
        state=ActualState.APPROVED,
        source=ActualSource.FORM,
    )
    client.force_login(UserFactory())
    plan = cast.commitment.plan
    urls = [
        reverse("plans:plan-list"),
        plan.get_absolute_url(),
        plan.get_absolute_url() + "?status=red&sort=-status",
        reverse("plans:plan-report", args=[plan.slug]),
        cast.indicator.get_absolute_url(),
        reverse("api:plan-detail", args=[plan.slug]),
        reverse("api:indicator-detail", args=[cast.indicator.slug]),
        cast.commitment.commitment_partners.get().partner.get_absolute_url(),
        reverse("api:plan-detail", args=[delivery_plan(cast).plan.slug]),
    ]
    read = set()
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        read |= {table for query in queries for table in TABLE.findall(query["sql"])}
    watched = {table.table for table in data_versions.watched()}
    assert read - NOT_SHOWN - watched == set()
    assert {Actual._meta.db_table, Target._meta.db_table} <= read


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_writers_to_the_same_plan_do_not_wait_for_one_another():
    """PostgreSQL appends a row per write instead of raising one row, so a long transaction (an
    import) holds no lock that an officer's save to the same plan would wait for, and two
    transactions cannot deadlock over two versions."""
    scene = Scene()
    before = scene.versions()
    a_has_written, a_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def long_import():
        try:
            with transaction.atomic():
                scene.value(scene.own, ActualState.APPROVED)
                a_has_written.set()
                a_may_commit.wait(timeout=10)
        finally:
            connection.close()

    a = threading.Thread(target=long_import)
    a.start()
    try:
        assert a_has_written.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        # The same plan, through the shared indicator: saved at once, not after A commits.
        scene.value(scene.shared, ActualState.APPROVED)
        outcome["b"] = "saved"
        assert scene.versions()["plan"] == before["plan"] + 1  # A's not visible yet
    finally:
        a_may_commit.set()
        a.join(timeout=10)
    assert outcome == {"b": "saved"}
    assert scene.versions()["plan"] == before["plan"] + 2
