"""Sign-in throttling, session limits and the security log. See docs/security.md.

- `LoginThrottle`: django-axes counts failed sign-ins per username *and* IP address together, so
  one person mistyping behind the council's shared address does not lock out colleagues; on top
  of that, no account may have more than `LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR` failed password
  checks in any hour, from however many addresses.
- `SessionLimitMiddleware`: a session ends after `SESSION_ABSOLUTE_SECONDS` from sign-in, however
  active it is (the idle limit is Django's own `SESSION_COOKIE_AGE`, renewed on every request).
- The logger ``leicester_perf.security`` records failed sign-ins, lock-outs and every 403.
"""

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone
from django.views import defaults

logger = logging.getLogger("leicester_perf.security")

SIGNED_IN_AT = "signed_in_at"
RENEWED_AT = "renewed_at"


def client_address(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def account_failures_last_hour(username: str | None) -> int:
    """Failed password checks for this username, from any address, in the last 60 minutes."""
    if not username:
        return 0
    since = timezone.now() - timedelta(hours=1)
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


class LoginThrottle(AxesDatabaseHandler):
    """axes' database handler plus a cap per account per hour, whatever the address.

    Attempts made while locked out never reach the password check and are not recorded
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so every AccessFailureLog row is one
    real guess and the hourly count is exactly the number of guesses.
    """

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        return account_failures_last_hour(username) >= settings.LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR


# --- Signal receivers (connected in apps.py) -------------------------------------------------


def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    # Never the password: axes and Django pass it masked, but only the username is logged.
    logger.warning(
        "Sign-in failed for username %r from %s (%s)",
        credentials.get("username"),
        client_address(request) if request is not None else "unknown address",
        request.path if request is not None else "no request",
    )


def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("Sign-in locked out for username %r from %s", username, ip_address)


def note_sign_in(sender, request, user, **kwargs):
    # Django has already given the signed-in user a new session key (no session fixation);
    # the absolute limit counts from here.
    request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = timezone.now().timestamp()
    logger.info("Signed in: %s from %s", user.get_username(), client_address(request))


# --- Session limit ---------------------------------------------------------------------------


class SessionLimitMiddleware:
    """Sign people out once their session is older than SESSION_ABSOLUTE_SECONDS, and renew the
    idle limit (SESSION_COOKIE_AGE) of a signed-in session at most every SESSION_RENEW_SECONDS.

    The idle limit alone would let a session on a shared PC that is kept busy (a dashboard left
    refreshing) live for ever; this caps it at a working day from sign-in. Renewing means saving
    the session (its expiry and cookie move on): Django's SESSION_SAVE_EVERY_REQUEST did that on
    every request, three statements each, for an expiry that moved by seconds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.get(SIGNED_IN_AT)
            if started is None:
                # A session from before this limit existed (or force_login in tests): start now.
                request.session[SIGNED_IN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logger.info(
                    "Session of %s ended: older than %s seconds",
                    user.get_username(),
                    settings.SESSION_ABSOLUTE_SECONDS,
                )
                logout(request)
            elif now - request.session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT] = now  # saved, with a new expiry, after the view
        return self.get_response(request)


# --- Permission denials ----------------------------------------------------------------------


def log_denied(request, reason: str = "") -> None:
    """One line in the security log for a refused request: who, what, from where, why."""
    user = getattr(request, "user", None)
    logger.warning(
        "Permission denied: %s %s by %s from %s%s",
        request.method,
        request.path,
        user.get_username() if user is not None and user.is_authenticated else "anonymous",
        client_address(request),
        f": {reason}" if reason else "",
    )


def permission_denied(request, exception=None):
    """Django's 403 page, after logging who was refused what (handler403)."""
    log_denied(request, str(exception) if exception is not None else "")
    return defaults.permission_denied(request, exception)
