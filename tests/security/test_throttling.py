"""Sign-in throttling (django-axes with leicester_perf.security.LoginThrottle) and the log of
failed sign-ins and refusals. The arithmetic behind the limits is in docs/security.md."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate, get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
COUNCIL_NETWORK = "10.20.30.40"  # everyone at County Hall shares one address to the outside


@pytest.fixture
def alice():
    user = UserFactory(username="alice")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def bob():
    user = UserFactory(username="bob")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(username, password, address=COUNCIL_NETWORK):
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(username, times, address=COUNCIL_NETWORK) -> list[int]:
    """Wrong passwords; the status of each answer (200: the form again; 429: locked out)."""
    return [sign_in(username, "wrong-password", address)[1].status_code for _ in range(times)]


def pass_time(minutes):
    """Move every recorded attempt into the past, as if `minutes` had gone by."""
    for model in (AccessAttempt, AccessFailureLog):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(
                attempt_time=row.attempt_time - timedelta(minutes=minutes)
            )


def test_the_tenth_failure_locks_that_person_at_that_address_with_a_clear_page(alice):
    assert fail("alice", 9) == [200] * 9
    client, response = sign_in("alice", PASSWORD)
    assert signed_in(client)  # nine mistakes then the right password: in, and the count resets

    assert fail("alice", 10) == [200] * 9 + [429]  # the tenth failure is answered by the lock
    client, response = sign_in("alice", PASSWORD)

    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert not signed_in(client)


def test_one_persons_failures_do_not_lock_out_a_colleague_on_the_same_network(alice, bob):
    fail("alice", 10)

    client, _ = sign_in("bob", PASSWORD)

    assert signed_in(client)


def test_the_locked_person_can_still_sign_in_from_another_address(alice):
    fail("alice", 10)

    client, _ = sign_in("alice", PASSWORD, address="192.0.2.7")

    assert signed_in(client)


def test_the_lock_is_a_cool_off_that_ends_after_fifteen_minutes(alice):
    fail("alice", 10)
    pass_time(14)
    client, response = sign_in("alice", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)

    pass_time(2)
    client, _ = sign_in("alice", PASSWORD)

    assert signed_in(client)


def test_attempts_while_locked_out_check_no_password_and_do_not_extend_the_lock(alice, monkeypatch):
    fail("alice", 10)
    checks = count_password_checks(monkeypatch)
    pass_time(10)
    assert fail("alice", 5) == [429] * 5
    assert checks == []

    pass_time(6)  # 16 minutes after the tenth failure, whatever happened while locked
    client, _ = sign_in("alice", PASSWORD)

    assert signed_in(client)


def count_password_checks(monkeypatch) -> list:
    """Record every password actually checked against the database."""
    checked = []
    original = get_user_model().check_password

    def check_password(user, raw_password):
        checked.append(user.username)
        return original(user, raw_password)

    monkeypatch.setattr(get_user_model(), "check_password", check_password)
    return checked


def test_no_account_gets_more_than_100_failed_password_checks_in_any_hour(alice, monkeypatch):
    """An attacker with many addresses guesses alice's password for two hours, four guesses a
    minute from ever-changing addresses (so the per-address lock never bites). Time is simulated
    a minute at a time; the password checks that really happen are counted."""
    checks = count_password_checks(monkeypatch)
    per_minute = []
    factory = RequestFactory()
    for minute in range(120):
        before = len(checks)
        for attempt in range(4):
            address = f"198.51.100.{(minute * 4 + attempt) % 250 + 1}"
            request = factory.post(reverse("login"), REMOTE_ADDR=address)
            assert (
                authenticate(request, username="alice", password=f"guess-{minute}-{attempt}")
                is None
            )
        per_minute.append(len(checks) - before)
        pass_time(1)

    windows = [sum(per_minute[start : start + 60]) for start in range(len(per_minute) - 59)]
    assert max(windows) <= 100
    # The cap is what stopped the attacker: without it 240 guesses an hour would be checked.
    assert sum(per_minute[:60]) == 100
    # And it is an hourly cap, not a permanent lock: the second hour gets guesses checked again.
    assert sum(per_minute[60:]) > 0


def test_the_hourly_cap_locks_the_account_until_the_hour_has_passed(alice):
    for n in range(100):
        fail("alice", 1, address=f"203.0.113.{n + 1}")
    client, response = sign_in("alice", PASSWORD, address="192.0.2.99")
    assert response.status_code == 429

    pass_time(61)
    client, _ = sign_in("alice", PASSWORD, address="192.0.2.99")

    assert signed_in(client)


def test_a_locked_out_colleague_does_not_affect_the_admin_sign_in_of_another(alice, bob):
    bob.is_staff = bob.is_superuser = True
    bob.save()
    fail("alice", 10)

    client = Client(REMOTE_ADDR=COUNCIL_NETWORK)
    response = client.post(
        reverse("admin:login"), {"username": "bob", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert signed_in(client)


def test_the_admin_sign_in_is_throttled_too(alice):
    alice.is_staff = True
    alice.save()
    client = Client(REMOTE_ADDR=COUNCIL_NETWORK)
    for _ in range(10):
        client.post(reverse("admin:login"), {"username": "alice", "password": "wrong"})

    response = client.post(reverse("admin:login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert not signed_in(client)


# --- The security log ------------------------------------------------------------------------


def test_a_failed_sign_in_is_logged_with_username_and_address_but_not_the_password(alice, caplog):
    with caplog.at_level(logging.INFO, logger="leicester_perf.security"):
        fail("alice", 1)

    [record] = [
        r
        for r in caplog.records
        if r.name == "leicester_perf.security" and "Sign-in failed" in r.getMessage()
    ]
    assert record.levelno == logging.WARNING
    assert "Sign-in failed for username 'alice' from 10.20.30.40" in record.getMessage()
    assert "wrong-password" not in caplog.text


def test_a_lockout_is_logged(alice, caplog):
    with caplog.at_level(logging.INFO, logger="leicester_perf.security"):
        fail("alice", 10)

    assert "Sign-in locked out for username 'alice' from 10.20.30.40" in caplog.text


def test_a_permission_denial_is_logged_with_who_what_and_why(cast, caplog):
    client = Client(REMOTE_ADDR="10.1.1.1")
    client.force_login(cast.stranger)
    url = reverse("targets:actual-entry", args=[cast.indicator.slug])

    with caplog.at_level(logging.INFO, logger="leicester_perf.security"):
        response = client.post(url, {"value_total": "1"})

    assert response.status_code == 403
    [record] = [
        r
        for r in caplog.records
        if r.name == "leicester_perf.security" and "Permission denied" in r.getMessage()
    ]
    assert record.getMessage() == (
        f"Permission denied: POST {url} by stranger from 10.1.1.1: You do not answer for NI 999."
    )


def test_an_admin_page_refused_to_a_staff_member_without_permission_is_logged(cast, caplog):
    cast.approver.is_staff = True
    cast.approver.save()
    client = Client()
    client.force_login(cast.approver)

    with caplog.at_level(logging.INFO, logger="leicester_perf.security"):
        response = client.get(reverse("admin:targets_spreadsheet_import"))

    assert response.status_code == 403
    assert f"Permission denied: GET {reverse('admin:targets_spreadsheet_import')} by approver" in (
        caplog.text
    )


def test_an_api_request_without_sign_in_is_refused_and_logged(caplog):
    client = Client(REMOTE_ADDR="10.9.9.9")

    with caplog.at_level(logging.INFO, logger="leicester_perf.security"):
        response = client.get(reverse("api:plan-list"))

    assert response.status_code == 403
    assert (
        "Permission denied: GET /api/v1/plans/ by anonymous from 10.9.9.9: "
        "the API needs a signed-in user"
    ) in caplog.text
