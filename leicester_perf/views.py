"""Project-level views that belong to no single app."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database probe for load balancers; needs no login and reveals nothing."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check could not reach the database")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_safe
def start(request):
    """Where people land after signing in: officers on their worklist, approvers on the values
    waiting for them, everyone else on the plans."""
    user = request.user
    if user.has_perm("targets.add_actual") and not user.is_superuser:
        return redirect("worklist")
    if user.has_perm("targets.approve_actual") and not user.is_superuser:
        return redirect("sign-off")
    return redirect("plans:plan-list")


@require_safe
def accessibility(request):
    """The accessibility statement UK public sector bodies publish: open to anyone, signed in
    or not, since someone who cannot use the sign-in page must still be able to read it."""
    return render(
        request,
        "accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )
