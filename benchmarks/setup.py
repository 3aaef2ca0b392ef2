"""Start Django for a benchmark on a throwaway database (SQLite in a temp dir by default).

Set DATABASE_URL to benchmark PostgreSQL instead (scripts/with-postgres.sh does that): the
benchmark then runs in a new test database on that server, dropped at the end.
"""

import atexit
import os
import tempfile


def django_for_benchmark():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leicester_perf.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key")
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="leicester-perf-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0, interactive=False)
        return
    # The server's own database may not exist (scripts/with-postgres.sh creates none).
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    atexit.register(connection.creation.destroy_test_db, old_name, verbosity=0)
