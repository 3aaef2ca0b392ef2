"""CPU time of each kind of request of the load test, by the application and by the database
server, on a database that already holds the synthetic data set: to compare two versions of the
code fairly on a shared machine by running them alternately, and to see which requests the load
test's CPU goes to.

    DATABASE_URL=sqlite:////tmp/syn.sqlite3 python -m benchmarks.page_cpu LABEL
    DATABASE_URL=postgres://…/syn python -m benchmarks.page_cpu LABEL

(with the database made once by ``manage.py migrate`` and ``manage.py generate_synthetic_data``;
run it from each version's checkout in turn, e.g. a ``git worktree`` of the older commit, with the
same virtualenv). For every page it prints the CPU milliseconds of 15 requests (5 for the home
page with nothing cached): ``app``, the median, is this process (Django, and SQLite's own work);
``db``, the mean (/proc counts in 10 ms ticks), is the PostgreSQL backend serving this
connection (0 on SQLite). "warm" pages are
requested again and again with the cache kept, as in the load test between two writes; "cold"
ones with the cache emptied before each request. The last line is
``LABEL <page>=<app+db> … weighted=<the load test's mix>``. It neither builds nor drops the data;
the officer's saves are drafts of the quarter due, as the load test's are.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())  # the checkout it is run from, not this file's
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leicester_perf.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

# How often the load test (benchmarks/locustfile.py) asks for each page: 40 scrutiny members
# with tasks weighted 3:4:1:4:1:2, and 10 officers with the worklist once for every three
# entry forms, each followed by a save.
MIX = {
    "home": 40 * 3 / 15,
    "plan": 40 * 4 / 15,
    "report": 40 * 1 / 15,
    "indicator": 40 * 4 / 15,
    "api_plan": 40 * 1 / 15,
    "api_indicator": 40 * 2 / 15,
    "worklist": 10 * 1 / 4,
    "entry_form": 10 * 3 / 4,
    "save": 10 * 3 / 4,
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELD = re.compile(r'name="((?:value|version)_[^"]+)"(?: [^>]*?value="([^"]*)")?')


class ServerClock:
    """CPU seconds used by the PostgreSQL backend of Django's connection (None on SQLite)."""

    def __init__(self):
        from django.db import connection

        self.stat = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        if self.stat is None:
            return 0.0
        # Fields 14 and 15 (utime, stime), after the command name in parentheses.
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick


def main(label: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from partners.models import Partner
    from plans.models import Plan
    from targets.models import CommitmentPartner, Indicator

    # No collectstatic manifest here: plain static file names, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    users = get_user_model().objects
    reader, officer = Client(), Client()
    reader.force_login(users.get(username="synthetic-scrutiny"))
    officer_user = users.get(username="synthetic-officer-01")
    officer.force_login(officer_user)
    plan = Plan.objects.filter(is_synthetic=True).order_by("name").first()
    partner = plan.lead_partner or Partner.objects.filter(is_synthetic=True).first()
    indicator = Indicator.objects.filter(commitments__plan=plan).order_by("code").first()
    own = (
        CommitmentPartner.objects.filter(partner__memberships__user=officer_user)
        .values_list("commitment__indicator__slug", flat=True)
        .order_by("commitment__indicator__code")
        .first()
    )
    form_url = reverse("targets:actual-entry", args=[own])
    pages = {  # name: (client, url, cache emptied before each request)
        "home": (reader, "/", False),
        "home_uncached": (reader, "/", True),
        "plan": (reader, plan.get_absolute_url(), False),
        "plan_uncached": (reader, plan.get_absolute_url(), True),
        "plan_filtered": (reader, plan.get_absolute_url() + "?status=red&sort=-status", False),
        "report": (reader, plan.get_absolute_url() + "report/", False),
        "report_uncached": (reader, plan.get_absolute_url() + "report/", True),
        "partner": (reader, partner.get_absolute_url(), False),
        "partner_uncached": (reader, partner.get_absolute_url(), True),
        "indicator": (reader, indicator.get_absolute_url(), False),
        "indicator_uncached": (reader, indicator.get_absolute_url(), True),
        "api_plan": (reader, reverse("api:plan-detail", args=[plan.slug]), False),
        "api_indicator": (reader, reverse("api:indicator-detail", args=[indicator.slug]), False),
        "worklist": (officer, reverse("worklist"), False),
        "entry_form": (officer, form_url, False),
        "save": (officer, form_url, False),
    }
    clock = ServerClock()
    figures: dict[str, float] = {}
    print(f"{'page':<16}{'app ms':>8}{'db ms':>8}")
    for name, (client, url, cold) in pages.items():
        app, db = [], []
        for attempt in range(2 + (5 if name == "home_uncached" else 15)):
            if cold:
                cache.clear()
            data = _saved_draft(client.get(url).content.decode()) if name == "save" else None
            started, server = time.process_time(), clock.seconds()
            response = client.post(url, data) if data else client.get(url)
            if attempt >= 2:  # the first two warm up
                app.append(1000 * (time.process_time() - started))
                db.append(1000 * (clock.seconds() - server))
            if response.status_code not in (200, 302):
                raise SystemExit(f"{name} {url} answered {response.status_code}.")
        figures[name] = statistics.median(app) + statistics.mean(db)
        print(f"{name:<16}{statistics.median(app):>8.0f}{statistics.mean(db):>8.0f}")
    weighted = sum(figures[name] * share for name, share in MIX.items()) / sum(MIX.values())
    print(f"database={connection.vendor}", file=sys.stderr)
    print(label, " ".join(f"{name}={value:.0f}" for name, value in figures.items()), end=" ")
    print(f"weighted={weighted:.0f}")


def _saved_draft(form: str) -> dict:
    """The entry form filled in as the load test's officers do, saved as a draft."""
    data = {
        "csrfmiddlewaretoken": CSRF.search(form)[1],
        "period": re.search(r'name="period" value="([^"]+)"', form)[1],
        "commentary": "Synthetic benchmark value.",
        "data_source": "Synthetic",
        "confirm_change": "on",
        "action": "draft",
    }
    for field, value in FIELD.findall(form):
        data[field] = value if field.startswith("version_") else "42"
    return data


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "run")
