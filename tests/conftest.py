import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from partners.roles import Role
from targets.models import Frequency, Target, Unit
from tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    IndicatorFactory,
    PartnerFactory,
    PlanFactory,
    ThemeFactory,
    period,
    person,
)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a broken promise (a missing server or browser), not a pass."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; in CI a skip is a failure.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashes passwords slowly on purpose (about 0.3 s each); the tests create
    # thousands of users and sign in hundreds of times, and none tests the hasher itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached dashboards are keyed by data versions, which count writes: a test's rolled-back
    # transaction leaves numbers the next test reaches again with other data.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production uses hashed file names from `collectstatic`; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only need real row locks; the SQLite pass leaves them out (the
    PostgreSQL pass of `make test` and CI runs them). Deselected, not skipped: nothing is hidden."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@dataclass
class Cast:
    """The people of the reporting cycle and the indicator they report on."""

    owner: object  # an officer of the lead organisation
    stranger: object  # an officer of another organisation
    scrutiny: object
    approver: object  # an approver of the lead organisation
    admin: object
    indicator: object
    commitment: object
    quarter: object  # 2008/09 Q2, a period of the plan


@pytest.fixture
def roles(db):
    """The role groups. A migration makes them, but tests that run in real transactions flush
    the database afterwards, groups and all, so those make them again."""
    from django.apps import apps

    from partners.roles import sync_roles

    sync_roles(apps)


@pytest.fixture
def cast(roles):
    council = PartnerFactory(name="Testshire Council")
    elsewhere = PartnerFactory(name="Elsewhere Police")
    plan = PlanFactory(starts_on=date(2008, 4, 1), ends_on=date(2011, 3, 31))
    indicator = IndicatorFactory(
        code="NI 999", title="Test rate", unit=Unit.PERCENT, frequency=Frequency.QUARTERLY
    )
    commitment = CommitmentFactory(plan=plan, theme=ThemeFactory(plan=plan), indicator=indicator)
    CommitmentPartnerFactory(commitment=commitment, partner=council, is_lead=True)
    target = Target(commitment=commitment, period=period("2008/09"))
    target.set_text("50%")
    target.save()
    admin = person(Role.ADMIN, username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return Cast(
        owner=person(Role.OFFICER, council, username="owner"),
        stranger=person(Role.OFFICER, elsewhere, username="stranger"),
        scrutiny=person(Role.SCRUTINY, username="scrutiny"),
        approver=person(Role.APPROVER, council, username="approver"),
        admin=admin,
        indicator=indicator,
        commitment=commitment,
        quarter=period("2008/09 Q2"),
    )


VALUE = Decimal("52.5")
