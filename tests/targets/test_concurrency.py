"""No lost updates: two people saving the same value at once, in real concurrent transactions.

Only meaningful where the database takes row locks, so it runs in the PostgreSQL pass of the
suite (`make test-postgres`) and is deselected, not skipped, on SQLite.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from targets import reporting
from targets.models import Actual
from targets.reporting import Entry

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


def save(cast, user, value, seen_version):
    return reporting.save_values(
        user,
        cast.indicator,
        cast.quarter,
        [Entry(breakdown=None, value=Decimal(value), seen_version=seen_version)],
        commentary="",
        data_source="",
        submit=False,
    )


def test_the_second_of_two_concurrent_saves_is_told_and_nothing_is_overwritten(cast):
    [first] = save(cast, cast.owner, "40", seen_version=0)
    assert first.version == 1
    a_has_written = threading.Event()
    a_may_commit = threading.Event()
    outcome = {}

    def officer_a():
        try:
            with transaction.atomic():
                save(cast, cast.owner, "41", seen_version=1)
                a_has_written.set()
                # Hold the transaction open, row lock and all, while B tries to save.
                a_may_commit.wait(timeout=10)
            outcome["a"] = "saved"
        finally:
            connection.close()

    def officer_b():
        try:
            a_has_written.wait(timeout=10)
            save(cast, cast.admin, "99", seen_version=1)
            outcome["b"] = "saved"
        except reporting.StaleValue as stale:
            outcome["b"] = stale
        finally:
            connection.close()

    a, b = threading.Thread(target=officer_a), threading.Thread(target=officer_b)
    a.start()
    b.start()
    assert a_has_written.wait(timeout=10)
    b.join(timeout=1)
    # B is waiting for A's row lock: it has neither saved nor been refused yet.
    assert b.is_alive()
    assert "b" not in outcome
    a_may_commit.set()
    a.join(timeout=10)
    b.join(timeout=10)

    assert outcome["a"] == "saved"
    assert isinstance(outcome["b"], reporting.StaleValue)
    assert "value is now 41" in str(outcome["b"])
    stored = Actual.objects.get()
    assert (stored.value, stored.version, stored.entered_by) == (Decimal("41"), 2, cast.owner)
    assert Actual.history.filter(id=stored.pk).count() == 2  # B wrote no history either
