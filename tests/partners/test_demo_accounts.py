import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from partners.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_accounts_get_one_role_each_and_working_printed_passwords(settings, capsys):
    settings.DEBUG = True

    call_command("create_demo_accounts")

    output = capsys.readouterr().out
    assert "DEMO ACCOUNTS" in output
    rows = [line.split() for line in output.splitlines() if line.startswith("  demo-")]
    assert [row[0] for row in rows] == [
        "demo-officer",
        "demo-approver",
        "demo-scrutiny",
        "demo-admin",
    ]
    for username, password, *_ in rows:
        # django-axes checks every sign-in against its throttle, which needs the request.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=password) is not None
    officer = get_user_model().objects.get(username="demo-officer")
    assert list(officer.groups.values_list("name", flat=True)) == [Role.OFFICER]
    assert officer.is_staff is False
    assert officer.memberships.get().partner.name == "Leicester City Council"


def test_demo_accounts_refuse_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="development only"):
        call_command("create_demo_accounts")

    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_running_again_changes_the_passwords(settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    first = capsys.readouterr().out
    call_command("create_demo_accounts")
    second = capsys.readouterr().out

    def password(output):
        return next(line.split()[1] for line in output.splitlines() if "demo-admin" in line)

    assert password(first) != password(second)
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 4
