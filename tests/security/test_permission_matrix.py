"""Who may read (GET) and write (POST) through every route of the site, for every role.

The test walks the whole URL configuration (get_resolver), so a route added without an entry
here makes `test_every_route_has_an_entry_in_the_matrix` fail.

HOW TO ADD A ROUTE
------------------
Add one line to ROUTES, keyed by the route's name with its namespace ("plans:plan-detail"), or
by its full pattern if it has no name:

    "plans:plan-detail": Route(read=SIGNED_IN, write=NOBODY, kwargs={"slug": "plan.slug"}),

- read / write: the roles that may GET / POST it. Roles: ANONYMOUS, OWNER (an officer of the
  organisation that owns the indicator), STRANGER (an officer of another organisation),
  SCRUTINY, APPROVER (of the owning organisation), ADMIN; and the sets EVERYONE, SIGNED_IN,
  NOBODY. Anyone not listed must be refused: 403, 404, 405 or a redirect to a sign-in page,
  with no row of the database changed.
- kwargs / args: the URL's parameters, as attribute paths on the `world` fixture
  (tests/security/conftest.py: cast, plan, theme, partner, submitted, activity, person...) or
  as plain values. Add an object to `world` if the route needs one it lacks.
- data: what a POST sends, as a function of the world: make it a *valid* request, so that a
  refusal is the permission check's doing, not a form error's.
- queries: extra query strings to probe too (exports: "?export=csv").

Admin pages of registered models (changelist, add, change, delete, history, ...) need no entry:
they are generated from admin.site._registry, allowed to ADMIN as far as the ModelAdmin permits
and refused to everyone else. Only custom admin URLs need an entry (keyed "admin:<name>").
"""

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ANONYMOUS, OWNER, STRANGER, SCRUTINY, APPROVER, ADMIN = (
    "anonymous",
    "owner",
    "stranger",
    "scrutiny",
    "approver",
    "admin",
)
ROLES = [ANONYMOUS, OWNER, STRANGER, SCRUTINY, APPROVER, ADMIN]
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
NOBODY = frozenset()
ADMIN_ONLY = frozenset({ADMIN})


@dataclass(frozen=True)
class Route:
    read: frozenset
    write: frozenset
    kwargs: dict = field(default_factory=dict)
    args: tuple = ()
    data: Callable | None = None
    queries: tuple = ("",)
    # Redirects that count as a refusal, besides those to a sign-in page.
    refused_redirects: tuple = ()
    # Where a permitted request may be redirected to a sign-in page (signing out).
    ends_at_sign_in: bool = False


def entry_values(world):
    return {
        "period": world.quarter.label,
        "value_total": "52.5",
        "version_total": str(world.submitted.version),
        "commentary": "On track",
        "data_source": "Survey",
        "action": "submit",
    }


def progress_values(world):
    update = world.activity_update
    return {
        "period": update.period.label,
        "status": "at_risk",
        "commentary": "The contractor has gone into administration",
        "version": str(update.version),
        "action": "submit",
    }


def wrong_password(world):
    return {"username": "owner", "password": "not-the-password"}


# fmt: off
ROUTES: dict[str, Route] = {
    # --- Site ---------------------------------------------------------------------------------
    "healthz": Route(read=EVERYONE, write=NOBODY),
    "accessibility": Route(read=EVERYONE, write=NOBODY),
    "login": Route(read=EVERYONE, write=EVERYONE, data=wrong_password),
    "logout": Route(read=NOBODY, write=EVERYONE, ends_at_sign_in=True),
    "start": Route(read=SIGNED_IN, write=NOBODY),
    # --- The reporting cycle ------------------------------------------------------------------
    "worklist": Route(read=SIGNED_IN, write=NOBODY),
    "sign-off": Route(read={APPROVER, ADMIN}, write=NOBODY),
    "approve-actual": Route(
        read=NOBODY, write={APPROVER, ADMIN}, kwargs={"pk": "submitted.pk"},
        data=lambda w: {"version": w.submitted.version},
    ),
    "return-actual": Route(
        read=NOBODY, write={APPROVER, ADMIN}, kwargs={"pk": "submitted.pk"},
        data=lambda w: {"version": w.submitted.version, "reason": "Check the source"},
    ),
    "targets:indicator-detail": Route(
        read=SIGNED_IN, write=NOBODY, kwargs={"slug": "indicator.slug"}
    ),
    "targets:actual-entry": Route(
        read={OWNER, ADMIN}, write={OWNER, ADMIN}, kwargs={"slug": "indicator.slug"},
        data=entry_values,
    ),
    "targets:indicator-history": Route(
        read=SIGNED_IN, write=NOBODY, kwargs={"slug": "indicator.slug"}
    ),
    # --- Dashboards, reports and exports ------------------------------------------------------
    "plans:plan-list": Route(read=SIGNED_IN, write=NOBODY),
    "plans:plan-detail": Route(
        read=SIGNED_IN, write=NOBODY, kwargs={"slug": "plan.slug"},
        queries=("", "?export=csv", "?export=xlsx"),
    ),
    "plans:plan-report": Route(
        read=SIGNED_IN, write=NOBODY, kwargs={"slug": "plan.slug"},
        queries=("", "?export=xlsx"),
    ),
    "plans:plan-assessment": Route(read=SIGNED_IN, write=NOBODY, kwargs={"slug": "plan.slug"}),
    "partners:partner-detail": Route(
        read=SIGNED_IN, write=NOBODY, kwargs={"slug": "partner.slug"}
    ),
    # --- Delivery plans: themes, milestones, portfolio holders, progress on activities --------
    "plans:theme-detail": Route(
        read=SIGNED_IN, write=NOBODY, kwargs={"slug": "plan.slug", "pk": "theme.pk"}
    ),
    "plans:plan-milestones": Route(read=SIGNED_IN, write=NOBODY, kwargs={"slug": "plan.slug"}),
    "plans:portfolio-holder-list": Route(read=SIGNED_IN, write=NOBODY),
    "plans:portfolio-holder-detail": Route(
        read=SIGNED_IN, write=NOBODY, kwargs={"pk": "person.pk"}
    ),
    "plans:activity-worklist": Route(read=SIGNED_IN, write=NOBODY),
    # Everyone signed in reads an activity's approved progress; its officers report on it.
    "plans:activity-progress": Route(
        read=SIGNED_IN, write={OWNER, ADMIN}, kwargs={"pk": "activity.pk"},
        data=progress_values,
    ),
    "plans:approve-activity-update": Route(
        read=NOBODY, write={APPROVER, ADMIN}, kwargs={"pk": "activity_update.pk"},
        data=lambda w: {"version": w.activity_update.version},
    ),
    "plans:return-activity-update": Route(
        read=NOBODY, write={APPROVER, ADMIN}, kwargs={"pk": "activity_update.pk"},
        data=lambda w: {"version": w.activity_update.version, "reason": "Say which site"},
    ),
    # --- The JSON API (read-only; open to anonymous readers only with PUBLIC_API) -------------
    "api:plan-list": Route(read=SIGNED_IN, write=NOBODY),
    "api:plan-detail": Route(read=SIGNED_IN, write=NOBODY, kwargs={"slug": "plan.slug"}),
    "api:indicator-list": Route(read=SIGNED_IN, write=NOBODY),
    "api:indicator-detail": Route(
        read=SIGNED_IN, write=NOBODY, kwargs={"slug": "indicator.slug"}
    ),
    # --- The admin site's own pages -----------------------------------------------------------
    "admin:index": Route(read=ADMIN_ONLY, write=ADMIN_ONLY),
    # Signed-in non-staff people see the form saying they may not use the admin.
    "admin:login": Route(read=EVERYONE, write=EVERYONE, data=wrong_password),
    # Non-staff are sent to the admin index, which sends them to sign in; the admin signs out.
    "admin:logout": Route(
        read=NOBODY, write=ADMIN_ONLY, refused_redirects=("/admin/",), ends_at_sign_in=True
    ),
    "admin:password_change": Route(read=ADMIN_ONLY, write=ADMIN_ONLY),
    "admin:password_change_done": Route(read=ADMIN_ONLY, write=NOBODY),
    "admin:autocomplete": Route(
        read=ADMIN_ONLY, write=NOBODY,
        queries=("?app_label=targets&model_name=commitment&field_name=indicator&term=NI",),
    ),
    "admin:jsi18n": Route(read=ADMIN_ONLY, write=NOBODY),
    "admin:view_on_site": Route(
        read=ADMIN_ONLY, write=ADMIN_ONLY,
        kwargs={"content_type_id": "indicator_type.pk", "object_id": "indicator.pk"},
    ),
    "admin:app_list": Route(read=ADMIN_ONLY, write=ADMIN_ONLY, kwargs={"app_label": "targets"}),
    "admin:auth_user_password_change": Route(
        read=ADMIN_ONLY, write=ADMIN_ONLY, kwargs={"id": "owner.pk"}
    ),
    # Unknown admin addresses: 404 for the admin, sign-in for everyone else.
    "admin/(?P<url>.*)$": Route(read=NOBODY, write=NOBODY, kwargs={"url": "no-such-page/"}),
    # --- Spreadsheet imports (admin) ----------------------------------------------------------
    "admin:targets_spreadsheet_import": Route(read=ADMIN_ONLY, write=ADMIN_ONLY),
    "admin:targets_actuals_import": Route(read=ADMIN_ONLY, write=ADMIN_ONLY),
    # A download: a POST answers the same file and writes nothing.
    "admin:targets_spreadsheet_example": Route(read=ADMIN_ONLY, write=ADMIN_ONLY),
}
# fmt: on

# Admin pages generated for every registered model: the ModelAdmin permission each needs for
# GET and for POST (for the ADMIN role; every other role is refused them all).
ADMIN_KINDS = {
    "changelist": ("view_or_change", "view_or_change"),
    "add": ("add", "add"),
    "change": ("view_or_change", "change"),
    "delete": ("delete", "delete"),
    "history": ("view_or_change", "view_or_change"),
    "simple_history": ("view_or_change", "change"),  # django-simple-history's revert form
    "object": ("view_or_change", "view_or_change"),  # <id>/ redirects to the change page
}


@dataclass
class Probe:
    key: str  # the matrix entry
    url: str
    route: Route


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def _admin_model(full_pattern: str):
    """The registered model whose admin URLs this pattern is one of, or None."""
    for model in admin.site._registry:
        if full_pattern.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def _admin_kind(model, pattern: URLPattern) -> str | None:
    if pattern.name is None:
        return "object" if str(pattern.pattern) == "<path:object_id>/" else None
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    if pattern.name.startswith(prefix) and pattern.name[len(prefix) :] in ADMIN_KINDS:
        return pattern.name[len(prefix) :]
    return None


def route_keys():
    """(key, full pattern, admin model, admin kind) for every URL pattern of the site."""
    for full, namespace, pattern in _walk(get_resolver()):
        model = _admin_model(full) if namespace == "admin" else None
        kind = _admin_kind(model, pattern) if model is not None else None
        if kind is not None:
            key = f"admin:{model._meta.label_lower}:{kind}"
        elif pattern.name:
            key = f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            key = full
        yield key, full, model, kind


def test_every_route_has_an_entry_in_the_matrix():
    missing = [
        f"{key!r} ({full})"
        for key, full, _, kind in route_keys()
        if kind is None and key not in ROUTES
    ]
    assert not missing, (
        "These routes have no entry in the permission matrix: add each to ROUTES in "
        "tests/security/test_permission_matrix.py (see HOW TO ADD A ROUTE at the top), saying "
        "who may read and write it:\n  " + "\n  ".join(missing)
    )


def test_every_entry_in_the_matrix_is_a_route():
    keys = {key for key, *_ in route_keys()}
    stale = sorted(set(ROUTES) - keys)
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"


# --- Building the probes -----------------------------------------------------------------------


def _resolve(world, value):
    if not isinstance(value, str) or "." not in value:
        return value
    obj = world
    for part in value.split("."):
        obj = getattr(obj, part)
    return obj


def _superuser_request(world):
    request = RequestFactory().get("/admin/")
    request.user = world.admin
    return request


def _admin_route(world, model, kind, full) -> tuple[Route, dict, tuple]:
    model_admin = admin.site._registry[model]
    request = _superuser_request(world)
    read_perm, write_perm = ADMIN_KINDS[kind]

    def allowed(perm):
        return ADMIN_ONLY if getattr(model_admin, f"has_{perm}_permission")(request) else NOBODY

    route = Route(read=allowed(read_perm), write=allowed(write_perm))
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None or kind in ("changelist", "add"), (
        f"No {model._meta.label} row to build {full} with: create one in the `world` fixture "
        "(tests/security/conftest.py)."
    )
    if kind == "simple_history":
        record = model.history.filter(id=obj.pk).order_by("history_id").first()
        return route, {}, (str(obj.pk), str(record.history_id))
    if kind in ("change", "delete", "history", "object"):
        return route, {"object_id": str(obj.pk)}, ()
    return route, {}, ()


def probes(world) -> list[Probe]:
    found = []
    for key, full, model, kind in route_keys():
        if kind is not None:
            route, kwargs, args = _admin_route(world, model, kind, full)
        elif key not in ROUTES:
            continue  # test_every_route_has_an_entry_in_the_matrix names it
        else:
            route = ROUTES[key]
            kwargs = {name: _resolve(world, value) for name, value in route.kwargs.items()}
            args = tuple(_resolve(world, value) for value in route.args)
        if kind is None and key != full:
            url = reverse(key, kwargs=kwargs or None, args=args or None)
        else:
            url = _fill(full, kwargs, args)
        found.extend(Probe(key, url + query, route) for query in route.queries)
    return found


def _fill(full, kwargs, args):
    """A URL for a pattern without a usable name, by filling in its parameters."""
    url = full
    for name, value in kwargs.items():
        url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
        url = re.sub(rf"\(\?P<{name}>[^)]*\)", str(value), url)
    for value in args:
        url = re.sub(r"\([^)]*\)", str(value), url, count=1)
    url = url.replace("^", "").replace("$", "")
    return "/" + url


# --- Running them -------------------------------------------------------------------------------

# Tables that change as a side effect of any request and say nothing about permissions.
UNWATCHED_APPS = {"sessions", "axes", "contenttypes"}


def snapshot():
    """Every row of every model that matters, to show a refused write changed nothing."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in UNWATCHED_APPS or not model._meta.managed:
            continue
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return rows


def outcome(response, route: Route) -> str:
    sign_in_pages = (reverse("login"), reverse("admin:login"))
    if response.status_code in (301, 302, 303, 307):
        target = response.url
        if target.startswith(sign_in_pages):
            return "ok" if route.ends_at_sign_in else "refused"
        if any(target == page or target.startswith(page + "?") for page in route.refused_redirects):
            return "refused"
        return "ok"
    if response.status_code in (403, 404, 405):
        return "refused"
    if response.status_code >= 500:
        return f"error {response.status_code}"
    return "ok"  # 200, or 400/409: the view took the request and answered about its content


def client_for(world, role) -> Client:
    client = Client(raise_request_exception=True)
    if role != ANONYMOUS:
        client.force_login(getattr(world, role))
    return client


def run_matrix(world, role):
    """Every probe as `role`: GET and POST, each in a savepoint rolled back afterwards so that
    one permitted write does not change what the next probe sees."""
    client = client_for(world, role)
    problems = []
    count = 0
    for probe in probes(world):
        for method, allowed in (("GET", probe.route.read), ("POST", probe.route.write)):
            count += 1
            cookies = copy.deepcopy(client.cookies)  # signing out must not end the run
            with transaction.atomic():
                before = snapshot() if method == "POST" else None
                if method == "GET":
                    response = client.get(probe.url)
                else:
                    data = probe.route.data(world) if probe.route.data else {}
                    response = client.post(probe.url, data)
                after = snapshot() if method == "POST" else None
                transaction.set_rollback(True)
            client.cookies = cookies
            got = outcome(response, probe.route)
            want = "ok" if role in allowed else "refused"
            where = f"{method} {probe.url} [{probe.key}] as {role}"
            if got != want:
                problems.append(f"{where}: expected {want}, got {got} ({response.status_code})")
            if want == "refused" and before != after:
                changed = [label for label in before if before[label] != after.get(label)]
                problems.append(f"{where}: refused, yet changed {changed}")
    return count, problems


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_and_writes_exactly_what_the_matrix_allows(world, role):
    count, problems = run_matrix(world, role)

    assert count > 100
    assert not problems, f"{len(problems)} of {count} requests broke the matrix:\n" + "\n".join(
        problems
    )


def test_the_matrix_size(world, capsys):
    """Reports the figure quoted in docs/security.md: routes (URL patterns, each admin pattern
    once per registered model), probes (with export variants) and requests (x roles x 2)."""
    patterns = list(route_keys())
    found = probes(world)
    with capsys.disabled():
        print(
            f"\npermission matrix: {len(patterns)} routes x {len(ROLES)} roles = "
            f"{len(patterns) * len(ROLES)} route-role pairs; {len(found)} URLs probed, "
            f"{len(found) * len(ROLES) * 2} requests (GET and POST)"
        )
    assert len(patterns) >= len(ROUTES)
