"""The load test's simulated people, for locust (run by ``python -m benchmarks.load``).

Scrutiny members read dashboards, plans, reports, indicators and the API; officers open the
entry form of an indicator they answer for and save or submit a value for the quarter due.
Each waits 1 to 3 seconds between requests, as a person reading a page would. The
indicators and accounts come from the JSON file named by LOAD_TEST_PLAN (written by
benchmarks/load.py).
"""

import json
import os
import random
import re
import time
from pathlib import Path

from locust import FastHttpUser, between, events, task

PLAN_FILE = Path(os.environ["LOAD_TEST_PLAN"])
PLAN = json.loads(PLAN_FILE.read_text())
# Every request's name, time in ms, whether it failed, whether every user had signed in by then
# and when it ended (seconds), written out when locust stops, so benchmarks/load.py can take
# exact percentiles of the steady state (locust's own are rounded and include signing in).
TIMINGS: list[tuple[str, float, bool, bool, float]] = []
STARTED = {"all": False, "signed_in": 0}


@events.request.add_listener
def record(name, response_time, exception, **kwargs):
    TIMINGS.append((name, response_time, exception is not None, STARTED["all"], time.time()))


@events.quitting.add_listener
def write_timings(environment, **kwargs):
    (PLAN_FILE.parent / "timings.json").write_text(json.dumps(TIMINGS))


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELD = re.compile(r'name="((?:value|version)_[^"]+)"(?: [^>]*?value="([^"]*)")?')


class SignedIn(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="sign in (form)")
        token = CSRF.search(page.text)[1]
        response = self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token,
            },
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in ({response.status_code}).")
        # The steady state starts once everyone has signed in, not once everyone has started:
        # signing in hashes a password (about 0.3 s of CPU), and 50 people starting in 10 s
        # keep both cores busy with it for a while after the last has started.
        STARTED["signed_in"] += 1
        if STARTED["signed_in"] >= self.environment.runner.target_user_count:
            STARTED["all"] = True


class ScrutinyMember(SignedIn):
    weight = 4
    username = "synthetic-scrutiny"

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(4)
    def plan(self):
        plan = random.choice(PLAN["plans"])
        page = random.choice(["", "?page=2", "?status=red&sort=-status"])
        self.client.get(f"/plans/{plan}/{page}", name="plan")

    @task(1)
    def report(self):
        self.client.get(f"/plans/{random.choice(PLAN['plans'])}/report/", name="report")

    @task(4)
    def indicator(self):
        self.client.get(f"/indicators/{random.choice(PLAN['indicators'])}/", name="indicator")

    @task(1)
    def api_plan(self):
        self.client.get(f"/api/v1/plans/{random.choice(PLAN['plans'])}/", name="api plan")

    @task(2)
    def api_indicator(self):
        slug = random.choice(PLAN["indicators"])
        self.client.get(f"/api/v1/indicators/{slug}/", name="api indicator")


class Officer(SignedIn):
    weight = 1

    def on_start(self):
        self.username, self.indicators = random.choice(list(PLAN["officers"].items()))
        super().on_start()

    @task(1)
    def worklist(self):
        self.client.get("/worklist/", name="worklist")

    @task(3)
    def enter_a_value(self):
        slug = random.choice(self.indicators)
        form = self.client.get(f"/indicators/{slug}/values/", name="entry form")
        if form.status_code != 200:
            return
        data = {
            "csrfmiddlewaretoken": CSRF.search(form.text)[1],
            "period": re.search(r'name="period" value="([^"]+)"', form.text)[1],
            "commentary": "Synthetic load test value.",
            "data_source": "Synthetic",
            "confirm_change": "on",
            "action": random.choice(["submit", "draft"]),
        }
        for name, value in FIELD.findall(form.text):
            data[name] = value if name.startswith("version_") else str(random.randint(10, 90))
        with self.client.post(
            f"/indicators/{slug}/values/",
            data,
            name="save value",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 409: another simulated officer saved the same value in between, and the form
            # says so (the version check working), which is not an error of the server.
            if response.status_code in (302, 409):
                response.success()
            else:
                response.failure(f"{response.status_code}")
