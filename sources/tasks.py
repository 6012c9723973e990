"""Celery adapters for ingestion: load rows, call one service, handle retries."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

logger = logging.getLogger(__name__)


@shared_task(name="sources.poll_due_sources", acks_late=True, reject_on_worker_lost=True)
def task_poll_due_sources() -> int:
    """Every minute: enqueue one poll per due source (each source fails on its own)."""
    from sources.polling import enqueue_due_sources  # leaf: polling imports this module

    return enqueue_due_sources()


@shared_task(
    name="sources.poll_source",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def task_poll_source(*, source_id: int) -> None:
    from sources.models import Source
    from sources.polling import poll_source  # leaf

    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        logger.warning("Source %s not found; skipping", source_id)
        return
    poll_source(source)


@shared_task(name="sources.refetch_due_articles", acks_late=True, reject_on_worker_lost=True)
def task_refetch_due_articles() -> int:
    """Every 15 minutes: re-fetch recent articles whose next edit check is due."""
    from sources.polling import refetch_due_articles  # leaf

    return refetch_due_articles()
