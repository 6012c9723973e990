"""Project-level views: the health check and the landing redirect."""

from __future__ import annotations

import logging
import time

from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0


# The body says only ok / not ok per dependency: /healthz is reachable without a login, and
# an exception's text names hosts, ports and user names. The detail goes to the log.


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the log says why
        logger.warning("healthz: database check failed: %s: %s", type(exc).__name__, exc)
        return {"ok": False}
    return {"ok": True, "ms": _ms_since(started)}


def check_broker() -> dict:
    """Connect to the Celery broker; with tasks inline there is nothing to reach."""
    if celery_app.conf.task_always_eager:
        return {"ok": True, "mode": "inline"}
    started = time.monotonic()
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:
        logger.warning("healthz: broker check failed: %s: %s", type(exc).__name__, exc)
        return {"ok": False, "mode": "broker"}
    return {"ok": True, "mode": "broker", "ms": _ms_since(started)}


def _ms_since(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker both answer, 503 otherwise.

    `{"status": "ok"|"unavailable", "database": {"ok": ...}, "broker": {"ok": ..., "mode":
    "inline"|"broker"}}`, plus the check's duration in ms when it passed.
    """
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
    )


def home(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect("/admin/")
