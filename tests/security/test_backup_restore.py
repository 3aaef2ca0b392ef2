"""Backup and restore (docs/operations.md): export everything, load it into an empty database,
export again: the two exports are identical. On PostgreSQL, the same for pg_dump/pg_restore."""

import os
import shutil
import subprocess
import sys
from glob import glob
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from partners.roles import Role
from targets import reporting
from targets.models import Actual, ActualState
from tests.factories import person
from tests.scenarios import laa_with_values

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(world):
    """A site with a bit of everything: the seed scenario's plan and values, the reporting
    cycle's people, a value approved (history), a period locked, an admin log entry."""
    laa_with_values()
    reporting.approve(world.approver, world.submitted)
    reporting.lock_period(world.admin, world.quarter)
    from django.contrib.admin.models import CHANGE, LogEntry

    LogEntry.objects.log_actions(
        user_id=world.admin.pk,
        queryset=[world.indicator],
        action_flag=CHANGE,
        change_message="Edited",
        single_object=True,
    )
    return world


def export(path) -> bytes:
    call_command("export_everything", str(path))
    return Path(path).read_bytes()


def empty_the_database():
    """As a new server after `migrate`: no data; content types and permissions recreated by
    the post-migrate signal, with new ids."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_export_load_into_an_empty_database_export_again_is_identical(site, tmp_path):
    first = export(tmp_path / "first.json")
    counts = {model: model.objects.count() for model in (Actual, type(site.owner))}
    empty_the_database()
    assert Actual.objects.count() == 0

    call_command("import_everything", str(tmp_path / "first.json"))
    second = export(tmp_path / "second.json")

    assert second == first
    assert {model: model.objects.count() for model in counts} == counts
    # The restored site works: the approver's value is approved, the roles have their rights.
    site.submitted.refresh_from_db()
    assert site.submitted.state == ActualState.APPROVED
    assert site.submitted.history.count() == 2
    site.owner.refresh_from_db()
    assert site.owner.has_perm("targets.add_actual")
    assert site.owner.check_password("correct-horse-battery-staple")  # hashes kept as they were


@pytest.mark.django_db
def test_the_export_holds_every_model_that_keeps_data(site, tmp_path):
    import json

    from leicester_perf.backup import dumped_models

    rows = json.loads(export(tmp_path / "all.json"))
    exported = {row["model"] for row in rows}
    present = {m._meta.label_lower for m in dumped_models() if m._base_manager.exists()}

    assert present <= exported
    for needed in [
        "auth.user",
        "auth.group",
        "targets.actual",
        "targets.historicalactual",
        "plans.plan",
        "partners.partner",
        "admin.logentry",
        "plans.activityupdate",
    ]:
        assert needed in exported


@pytest.mark.django_db
def test_importing_over_existing_data_is_refused_and_changes_nothing(site, tmp_path):
    export(tmp_path / "all.json")
    person(Role.SCRUTINY, username="newcomer")

    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_everything", str(tmp_path / "all.json"))

    assert type(site.owner).objects.filter(username="newcomer").exists()


@pytest.mark.django_db(transaction=True)
def test_a_damaged_export_loads_nothing(site, tmp_path):
    text = export(tmp_path / "all.json").decode()
    broken = tmp_path / "broken.json"
    # Cut short part way through: the first half would load, so all must be refused.
    broken.write_text(text[: len(text) // 2])
    empty_the_database()

    with pytest.raises(Exception):  # noqa: B017, PT011 - loaddata's own DeserializationError
        call_command("import_everything", str(broken))

    assert Actual.objects.count() == 0
    assert type(site.owner).objects.count() == 0


# --- pg_dump / pg_restore ----------------------------------------------------------------------


def pg_tool(name):
    found = shutil.which(name) or sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]
    return found if isinstance(found, str) else found[0]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_into_a_new_database_gives_the_same_export(site, tmp_path):
    db = connection.settings_dict
    server = ["-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"]]
    restored = f"{db['NAME']}_restored"
    dump = tmp_path / "site.dump"
    run = {"check": True, "capture_output": True, "timeout": 300}

    subprocess.run([pg_tool("pg_dump"), *server, "-Fc", "-f", str(dump), db["NAME"]], **run)
    subprocess.run([pg_tool("dropdb"), *server, "--if-exists", restored], **run)
    subprocess.run([pg_tool("createdb"), *server, restored], **run)
    try:
        subprocess.run(
            [pg_tool("pg_restore"), *server, "--no-owner", "-d", restored, str(dump)], **run
        )
        exports = []
        for name in (db["NAME"], restored):
            url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
            out = tmp_path / f"{name}.json"
            subprocess.run(
                [sys.executable, "manage.py", "export_everything", str(out)],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": url},
                **run,
            )
            exports.append(out.read_bytes())
    finally:
        subprocess.run([pg_tool("dropdb"), *server, "--if-exists", restored], **run)

    assert exports[0] == exports[1]
    assert b'"model": "targets.actual"' in exports[0]


@pytest.mark.django_db
def test_backup_json_keeps_datetimes_to_the_microsecond():
    """Django's own JSON cuts times to the millisecond, so a restored history time differed."""
    import datetime
    import json

    from django.contrib.auth.models import User
    from django.core import serializers

    moment = datetime.datetime(2026, 11, 23, 19, 44, 14, 437, tzinfo=datetime.UTC)
    text = serializers.serialize("json", [User(pk=1, username="a", last_login=moment)])
    assert json.loads(text)[0]["fields"]["last_login"] == "2026-11-23T19:44:14.000437Z"
    (restored,) = serializers.deserialize("json", text)
    assert restored.object.last_login == moment
