import os

import pytest
from django.db import IntegrityError, connection

from targets.models import Target
from targets.services import target_record
from tests.factories import CommitmentFactory, period

pytestmark = pytest.mark.django_db


def test_tests_run_on_the_database_that_was_asked_for():
    # `make test` runs the suite twice; this proves the second run really is on PostgreSQL.
    wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"

    assert connection.vendor == wanted


def test_a_second_total_target_for_the_same_period_is_refused_by_the_database():
    commitment = CommitmentFactory()
    target_record(commitment=commitment, period=period("2008/09"), text="63%")

    with pytest.raises(IntegrityError):
        Target.objects.create(
            commitment=commitment, period=period("2008/09"), text="64%", shape="value"
        )
