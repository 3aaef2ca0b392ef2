"""Start Django for a benchmark on a throwaway database (SQLite in a temp dir by default).

Set DATABASE_URL to benchmark PostgreSQL instead (scripts/with-postgres.sh does that).
"""

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

    call_command("migrate", verbosity=0, interactive=False)
