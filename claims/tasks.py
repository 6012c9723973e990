"""Celery adapters for the claims side: load rows, call one service, handle retries."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)


@shared_task(
    name="claims.check_deadlines",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def task_check_deadlines(*, now: str | None = None) -> int:
    """Hourly: move active claims along open → due soon → overdue → missed."""
    from claims.status import check_deadlines  # leaf: status may enqueue tasks

    at = parse_datetime(now) if now else None
    return len(check_deadlines(now=at))


@shared_task(name="claims.send_digests", acks_late=True, reject_on_worker_lost=True)
def task_send_digests() -> int:
    """Daily digest of status changes for digest subscribers.

    Scheduled from the start so the beat schedule is complete; the alerts work fills it.
    """
    logger.info("send_digests: alert delivery is not built yet; nothing sent")
    return 0


@shared_task(name="claims.sweep_stuck_alerts", acks_late=True, reject_on_worker_lost=True)
def task_sweep_stuck_alerts() -> int:
    """Re-enqueue alert deliveries stuck in pending/sending (messages lost while Redis was down).

    Scheduled from the start so the beat schedule is complete; the alerts work fills it.
    """
    logger.info("sweep_stuck_alerts: alert delivery is not built yet; nothing to sweep")
    return 0
