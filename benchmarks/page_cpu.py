"""CPU time of the dashboard pages on a database that already holds the synthetic data set, to
compare two versions of the code fairly on a shared machine by running them alternately.

    DATABASE_URL=sqlite:////tmp/syn.sqlite3 python -m benchmarks.page_cpu LABEL

(with the database made once by ``manage.py migrate`` and ``manage.py generate_synthetic_data``;
run it from each version's checkout in turn, e.g. a ``git worktree`` of the older commit, with the
same virtualenv). Prints ``LABEL plan=… report=… partner=… home_uncached=…``: the median CPU
milliseconds of 15 requests a page (5 for the home page), the cache emptied before each, as the
synthetic scrutiny member. Unlike ``benchmarks.pages`` it neither builds nor drops the data.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())  # the checkout it is run from, not this file's
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leicester_perf.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")


def main(label: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from partners.models import Partner
    from plans.models import Plan

    client = Client()
    client.force_login(get_user_model().objects.get(username="synthetic-scrutiny"))
    plan = Plan.objects.filter(is_synthetic=True).order_by("name").first()
    partner = plan.lead_partner or Partner.objects.filter(is_synthetic=True).first()
    urls = {
        "plan": plan.get_absolute_url(),
        "report": plan.get_absolute_url() + "report/",
        "partner": partner.get_absolute_url(),
        "home_uncached": "/",
    }
    figures = []
    for name, url in urls.items():
        for _ in range(2):  # warm up
            cache.clear()
            client.get(url)
        times = []
        for _ in range(5 if name == "home_uncached" else 15):
            cache.clear()
            started = time.process_time()
            response = client.get(url)
            times.append(1000 * (time.process_time() - started))
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}.")
        figures.append(f"{name}={statistics.median(times):.0f}")
    print(label, " ".join(figures))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "run")
