"""Settings for leicester_perf, one module driven by environment variables.

Development defaults are safe to run on a laptop (SQLite file beside manage.py); anything that
weakens security in production must be asked for explicitly. See docs/operations.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "leicester_perf",
    "partners",
    "plans",
    "targets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leicester_perf.security.SessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: it turns a lock-out into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leicester_perf.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "leicester_perf.wsgi.application"

# SQLite beside manage.py unless DATABASE_URL says otherwise (postgres://user:pass@host:port/db).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Each worker keeps its connection for a minute rather than opening one (a PostgreSQL
        # backend process and a sign-in) per request; checked before reuse after a restart.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The home page's tallies are kept here (targets/dashboard/cached.py, docs/dashboards.md), each
# under a version read from the database, so any backend is safe. Per process by default; point
# every worker at one shared cache with e.g. LEICESTER_PERF_CACHE_BACKEND=
# django.core.cache.backends.redis.RedisCache and LEICESTER_PERF_CACHE_LOCATION=redis://…
# The dashboards are served from this cache under their data versions (docs/dashboards.md). The
# default is a cache per process; a cache shared by the gunicorn workers (a FileBasedCache folder
# on one server, or Redis) renders each page once rather than once per worker.
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "LEICESTER_PERF_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": os.environ.get("LEICESTER_PERF_CACHE_LOCATION", "leicester-perf"),
        # Django's default keeps 300 entries: about 15 per plan in a county of 20 plans.
        "OPTIONS": {"MAX_ENTRIES": env_int("LEICESTER_PERF_CACHE_MAX_ENTRIES", 300)},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in throttling (django-axes, leicester_perf.security.LoginThrottle; the arithmetic is in
# docs/security.md). Failures count per username *and* address together, so one person's typos
# behind the council's shared address lock out only that person, and only for a cool-off: the
# 10th failure in a row locks that pair for 15 minutes. Whatever the addresses, an account never
# has more than LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR failed password checks in an hour.
AXES_HANDLER = "leicester_perf.security.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LEICESTER_PERF_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LEICESTER_PERF_LOGIN_COOLOFF_MINUTES", 15))
# Attempts while locked out check no password: they neither count nor extend the cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# One row per failed password check; the hourly cap per account counts them. axes trims this
# log newest-first past its per-user limit, which would hide failures from the count: keep all
# (`manage.py axes_reset_failure_logs --age 30` prunes old ones).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 10**9
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR = env_int("LEICESTER_PERF_LOGIN_FAILURES_PER_HOUR", 100)

LOGIN_URL = "login"
# After signing in, each role lands on its own starting page (leicester_perf.views.start).
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# plotly.js comes from the installed plotly package, as static/plotly/plotly.min.js.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "targets.plotly_assets.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions end after inactivity and never outlive a working day; officers on shared council PCs
# walk away from their desks. A request renews the idle limit if the session was last renewed a
# minute or more before (leicester_perf.security): saving the session on every request cost three
# statements a request, and the limit is then between 29 and 30 minutes after the last request.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_RENEW_SECONDS = env_int("DJANGO_SESSION_RENEW_SECONDS", 60)
SESSION_SAVE_EVERY_REQUEST = False
# However active, a session ends this long after sign-in (leicester_perf.security).
SESSION_ABSOLUTE_SECONDS = env_int("DJANGO_SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Production hardening: on unless debug is on. Behind a TLS-terminating proxy set
# DJANGO_SECURE_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The /healthz probe is called over plain HTTP by load balancers inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Everything the pages load comes from this server: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# django-import-export: every import runs in one transaction and is rolled back whole when any
# row fails (see targets/imports.py for how model validation errors are made to count).
# Backups (export_everything) keep datetimes to the microsecond, so a restore is exact.
SERIALIZATION_MODULES = {"json": "leicester_perf.serializers"}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Hostile or mistaken uploads are refused before they are parsed.
IMPORT_MAX_FILE_BYTES = env_int("LEICESTER_PERF_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Rows in any one sheet of an upload; a larger file is refused before anything is imported.
IMPORT_MAX_ROWS = env_int("LEICESTER_PERF_IMPORT_MAX_ROWS", 200_000)

# Quarterly reporting. Values for a period may be entered until this many days after it ends;
# later entries are accepted but flagged late.
ENTRY_DEADLINE_DAYS = env_int("LEICESTER_PERF_ENTRY_DEADLINE_DAYS", 30)
# A value that differs from the previous one by more than this percentage asks the officer to
# confirm it (a slipped digit is the commonest mistake).
ACTUAL_CHANGE_CONFIRM_PERCENT = env_int("LEICESTER_PERF_CHANGE_CONFIRM_PERCENT", 50)
# Dashboards show approved values; with this on they also show submitted ones, marked as such.
SHOW_SUBMITTED_VALUES = env_bool("LEICESTER_PERF_SHOW_SUBMITTED_VALUES")
# Where the accessibility statement (/accessibility/) tells people to report a problem.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("LEICESTER_PERF_ACCESSIBILITY_EMAIL", "")
# The JSON API (docs/api.md) needs a signed-in user unless the council publishes open data.
PUBLIC_API = env_bool("LEICESTER_PERF_PUBLIC_API")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed sign-ins, lock-outs and permission denials (docs/security.md).
        "leicester_perf.security": {"level": "INFO"},
    },
}
