"""No data lost under faults: a failure injected at the moment of writing (the database refusing
an INSERT or UPDATE part way through) leaves every row as it was, whichever route was writing;
and a server killed mid-request leaves nothing half-written (PostgreSQL, a real SIGKILL).
docs/operations.md explains why: every write of a request runs in one transaction."""

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from partners.roles import Role
from plans.models import Plan
from targets import reporting
from targets.models import Actual, ActualState, Period, Target
from targets.spreadsheets.example import EXAMPLE_WORKBOOK
from targets.spreadsheets.files import write_spreadsheet
from tests.factories import UserFactory, period

ROOT = Path(__file__).resolve().parents[2]
WATCHED_APPS = {"partners", "plans", "targets", "auth", "admin"}


def snapshot():
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label in WATCHED_APPS
    }


class FailAt:
    """An execute wrapper: the `nth` statement starting with `verb` on `table` fails, as a
    database that goes away or a disk that fills up would make it."""

    def __init__(self, verb: str, table: str, nth: int = 1):
        self.verb, self.table, self.nth = verb, table, nth
        self.seen = 0
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(self.verb) and f'"{self.table}"' in sql:
            self.seen += 1
            if self.seen == self.nth:
                self.fired = True
                raise OperationalError(f"injected fault: {self.verb} on {self.table} failed")
        return execute(sql, params, many, context)


def admin_client():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMIN))
    # A fault is a 500 to the user; the test looks at the database, not the traceback.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def example_upload(name="plan.xlsx"):
    sheets = [(sheet, rows[0], rows[1:]) for sheet, rows in EXAMPLE_WORKBOOK.items()]
    upload = io.BytesIO(write_spreadsheet(sheets, name))
    upload.name = name
    return upload


# --- Imports -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("verb", "table", "nth"),
    [
        ("INSERT", "plans_plan", 1),  # the first sheet
        ("INSERT", "targets_commitment", 1),  # half way: the five commitments, in one batch
        ("INSERT", "targets_historicalcommitment", 1),  # their audit trail
        ("INSERT", "targets_commitmentpartner", 1),  # their partners, after the batch
        ("INSERT", "targets_target", 1),  # the nine targets, written in one batch
        ("INSERT", "targets_historicaltarget", 1),  # their audit trail: the last write of all
    ],
)
def test_an_import_that_fails_part_way_leaves_the_database_as_it_was(roles, verb, table, nth):
    client = admin_client()
    url = reverse("admin:targets_spreadsheet_import")
    preview = client.post(url, {"file": example_upload()})
    token = preview.context["token"]
    before = snapshot()
    fault = FailAt(verb, table, nth)

    with connection.execute_wrapper(fault):
        response = client.post(url, {"confirm": "1", "token": token, "file_name": "plan.xlsx"})

    assert fault.fired
    assert response.status_code in (302, 500)
    assert snapshot() == before
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_the_same_import_succeeds_once_the_fault_is_gone(roles):
    """The control for the test above: the file and the route do work."""
    client = admin_client()
    url = reverse("admin:targets_spreadsheet_import")
    token = client.post(url, {"file": example_upload()}).context["token"]

    client.post(url, {"confirm": "1", "token": token, "file_name": "plan.xlsx"})

    assert Target.objects.count() == 9


@pytest.mark.django_db
def test_an_actuals_import_that_fails_part_way_writes_no_value(cast):
    rows = [
        ["indicator", "period", "value"],
        [cast.indicator.code, "2008/09 Q1", "40"],
        [cast.indicator.code, "2008/09 Q2", "45"],
        [cast.indicator.code, "2008/09 Q3", "50"],
    ]
    upload = io.BytesIO(write_spreadsheet([("actuals", rows[0], rows[1:])], "actuals.csv"))
    upload.name = "actuals.csv"
    client = Client(raise_request_exception=False)
    client.force_login(cast.admin)
    url = reverse("admin:targets_actuals_import")
    preview = client.post(url, {"file": upload})
    assert preview.context["report"].ok, preview.context["report"].errors
    before = snapshot()
    fault = FailAt("INSERT", "targets_actual", 3)

    with connection.execute_wrapper(fault):
        client.post(
            url, {"confirm": "1", "token": preview.context["token"], "file_name": "actuals.csv"}
        )

    assert fault.fired
    assert snapshot() == before
    assert Actual.objects.count() == 0


# --- Entering and signing off values -----------------------------------------------------------


@pytest.fixture
def submitted(cast):
    [actual] = reporting.save_values(
        cast.owner,
        cast.indicator,
        cast.quarter,
        [reporting.Entry(None, 52)],
        commentary="On track",
        data_source="",
        submit=True,
    )
    return actual


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("verb", "table"),
    [
        ("UPDATE", "targets_actual"),  # the value itself
        ("INSERT", "targets_historicalactual"),  # its audit record, after the value is written
    ],
)
def test_a_database_error_in_the_middle_of_a_sign_off_changes_nothing(cast, submitted, verb, table):
    client = Client(raise_request_exception=False)
    client.force_login(cast.approver)
    before = snapshot()
    fault = FailAt(verb, table)

    with connection.execute_wrapper(fault):
        response = client.post(
            reverse("approve-actual", args=[submitted.pk]), {"version": submitted.version}
        )

    assert fault.fired
    assert response.status_code == 500
    assert snapshot() == before
    submitted.refresh_from_db()
    assert (submitted.state, submitted.version) == (ActualState.SUBMITTED, 1)
    # And with the fault gone the same request approves it.
    client.post(reverse("approve-actual", args=[submitted.pk]), {"version": submitted.version})
    submitted.refresh_from_db()
    assert submitted.state == ActualState.APPROVED


@pytest.mark.django_db
def test_a_database_error_while_entering_a_value_changes_nothing(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.owner)
    before = snapshot()
    fault = FailAt("INSERT", "targets_historicalactual")

    with connection.execute_wrapper(fault):
        response = client.post(
            reverse("targets:actual-entry", args=[cast.indicator.slug]),
            {
                "period": cast.quarter.label,
                "value_total": "52.5",
                "version_total": "0",
                "commentary": "",
                "data_source": "",
                "action": "save",
            },
        )

    assert fault.fired
    assert response.status_code == 500
    assert snapshot() == before


@pytest.mark.django_db
def test_locking_several_periods_is_all_or_nothing(cast):
    """The admin action locks each selected period; a fault on the second must not leave the
    first locked alone."""
    first, second = period("2008/09 Q3"), period("2008/09 Q4")
    client = Client(raise_request_exception=False)
    client.force_login(cast.admin)
    fault = FailAt("UPDATE", "targets_period", 2)

    with connection.execute_wrapper(fault):
        client.post(
            reverse("admin:targets_period_changelist"),
            {"action": "lock_periods", "_selected_action": [first.pk, second.pk]},
        )

    assert fault.fired
    assert list(
        Period.objects.filter(pk__in=[first.pk, second.pk]).values_list("is_locked", flat=True)
    ) == [False, False]


# --- A server stopped mid-request -------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_stopped_mid_import_by_an_exit_leaves_nothing(roles, monkeypatch):
    """gunicorn ends a worker that overruns its timeout with SystemExit raised wherever it is:
    not an Exception, but the transaction is still rolled back."""
    from targets.spreadsheets.files import read_spreadsheet
    from targets.spreadsheets.workbook import import_plan_sheets
    from tests.targets.test_admin_import import workbook_upload

    sheets = read_spreadsheet(workbook_upload().read(), "plan.xlsx", max_bytes=10**7)
    before = snapshot()

    class Stop(FailAt):
        def __call__(self, execute, sql, params, many, context):
            if sql.lstrip().upper().startswith("INSERT") and '"targets_target"' in sql:
                self.fired = True
                raise SystemExit(1)
            return execute(sql, params, many, context)

    stop = Stop("INSERT", "targets_target")
    with pytest.raises(SystemExit), connection.execute_wrapper(stop):
        import_plan_sheets(sheets, file_name="plan.xlsx")

    assert stop.fired
    assert snapshot() == before


KILLED_MID_IMPORT = """
import os, signal, sys
import django
django.setup()
from django.db import connection
from targets.spreadsheets.files import read_spreadsheet
from targets.spreadsheets.workbook import import_plan_sheets

def kill_once_the_targets_are_written(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.startswith("INSERT") and '"targets_target"' in sql:
        print("killing", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no rollback by Python
    return result

sheets = read_spreadsheet(sys.stdin.buffer.read(), "plan.xlsx", max_bytes=10**7)
with connection.execute_wrapper(kill_once_the_targets_are_written):
    import_plan_sheets(sheets, file_name="plan.xlsx")
print("not killed", flush=True)
"""


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_server_killed_mid_import_leaves_nothing_half_written(roles):
    """A real process, SIGKILLed once it has written the plan, its indicators, commitments and
    targets: PostgreSQL never saw a COMMIT, so it drops the lot when the connection dies."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "leicester_perf.settings"}
    before = snapshot()

    result = subprocess.run(
        [sys.executable, "-c", KILLED_MID_IMPORT],
        input=example_upload().read(),
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )

    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    assert result.stdout.decode().strip() == "killing"
    assert snapshot() == before
    assert Target.objects.count() == 0
