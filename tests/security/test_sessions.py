"""Sessions and passwords: Django's validators, the idle limit, the absolute limit, and a new
session key at sign-in (no session fixation)."""

import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leicester_perf.security import RENEWED_AT, SIGNED_IN_AT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def setting_in_fresh_process(name, **env):
    """A setting as a deployment with these environment variables would read it."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SESSION")}
    environment.update(env, DJANGO_SETTINGS_MODULE="leicester_perf.settings")
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def alice():
    user = UserFactory(username="alice")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    return response


# --- Passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1x", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("4829104729", "This password is entirely numeric."),
        ("alice-smith-2", "The password is too similar to the username."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, message):
    user = UserFactory.build(username="alice-smith")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert message in refused.value.messages


def test_a_good_password_is_accepted():
    validate_password("plum-tractor-harbour-42", UserFactory.build(username="alice"))


def test_the_admin_refuses_to_set_a_weak_password(admin_client):
    user = UserFactory(username="alice")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    before = user.password

    response = admin_client.post(
        url, {"password1": "password123", "password2": "password123", "usable_password": "true"}
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    user.refresh_from_db()
    assert user.password == before


# --- Session lifetime ------------------------------------------------------------------------


def test_the_idle_limit_is_30_minutes_unless_configured():
    assert setting_in_fresh_process("SESSION_COOKIE_AGE", DJANGO_DEBUG="1") == "1800"
    configured = setting_in_fresh_process(
        "SESSION_COOKIE_AGE", DJANGO_DEBUG="1", DJANGO_SESSION_IDLE_SECONDS="600"
    )
    assert configured == "600"


def test_the_absolute_limit_is_10_hours_unless_configured():
    assert setting_in_fresh_process("SESSION_ABSOLUTE_SECONDS", DJANGO_DEBUG="1") == "36000"
    configured = setting_in_fresh_process(
        "SESSION_ABSOLUTE_SECONDS", DJANGO_DEBUG="1", DJANGO_SESSION_ABSOLUTE_SECONDS="3600"
    )
    assert configured == "3600"


def test_a_request_pushes_the_idle_expiry_forward_at_most_once_a_minute(alice):
    client = Client()
    sign_in(client)
    key = client.session.session_key
    idle = timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(session_key=key).update(expire_date=soon)

    # Renewed at sign-in, under a minute ago: the session is not written again.
    assert client.get(reverse("plans:plan-list")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == soon

    # A minute later it is, and the idle limit counts from now.
    session = client.session
    session[RENEWED_AT] = session[RENEWED_AT] - django_settings.SESSION_RENEW_SECONDS
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=soon)
    response = client.get(reverse("plans:plan-list"))
    assert response.status_code == 200
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + idle - timedelta(
        minutes=1
    )
    assert response.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == (
        django_settings.SESSION_COOKIE_AGE
    )


def test_the_session_is_renewed_every_minute_unless_configured():
    assert setting_in_fresh_process("SESSION_RENEW_SECONDS", DJANGO_DEBUG="1") == "60"


def test_after_the_idle_limit_the_next_request_must_sign_in_again(alice):
    client = Client()
    sign_in(client)
    # As if 31 minutes had passed since the last request.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )

    response = client.get(reverse("plans:plan-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_active_session_still_ends_at_the_absolute_limit(alice, caplog):
    client = Client()
    sign_in(client)
    assert client.get(reverse("plans:plan-list")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] -= django_settings.SESSION_ABSOLUTE_SECONDS + 1
    session.save()

    with caplog.at_level(logging.INFO, logger="leicester_perf.security"):
        response = client.get(reverse("plans:plan-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "Session of alice ended: older than 36000 seconds" in caplog.text
    # Signed out for good, not only for that request.
    assert client.get(reverse("plans:plan-list")).status_code == 302


def test_a_session_just_inside_the_absolute_limit_carries_on(alice):
    client = Client()
    sign_in(client)
    session = client.session
    session[SIGNED_IN_AT] -= django_settings.SESSION_ABSOLUTE_SECONDS - 60
    session.save()

    assert client.get(reverse("plans:plan-list")).status_code == 200


def test_signing_in_gives_a_new_session_key(alice):
    client = Client()
    # An attacker who planted a session cookie before sign-in must not share the session after.
    session = client.session
    session["planted"] = "yes"
    session.save()
    planted = session.session_key

    sign_in(client)

    assert client.session.session_key != planted
    assert not Session.objects.filter(session_key=planted).exists()


def test_signing_out_ends_the_session_on_the_server(alice):
    client = Client()
    sign_in(client)
    key = client.session.session_key

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("plans:plan-list")).status_code == 302


def test_session_and_csrf_cookies_are_http_only_and_same_site():
    assert django_settings.SESSION_COOKIE_HTTPONLY
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.CSRF_COOKIE_HTTPONLY
