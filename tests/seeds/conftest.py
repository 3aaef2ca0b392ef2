import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed plans, loaded once for the module through load_seed_plans.

    The load happens inside a transaction that is rolled back afterwards, so
    the rest of the suite sees the database as the migrations left it (a
    flush would also remove the role groups that a migration creates).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed_plans", verbosity=0)
        yield
        transaction.set_rollback(True)
