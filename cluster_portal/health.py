"""The health endpoint probed by load balancers."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """200 ``ok`` when the default database answers ``SELECT 1``, else 503 ``unavailable``.

    Says nothing else (no versions, no error text): the reason goes to the log only.
    """
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return HttpResponse("unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
