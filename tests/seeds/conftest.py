import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed plans, loaded once for the module through load_seed_plans."""
    with django_db_blocker.unblock():
        call_command("load_seed_plans", verbosity=0)
        yield
        from django.db import connection

        with connection.cursor():
            call_command("flush", interactive=False, verbosity=0)
