"""Celery adapters for ingestion: load rows, call one service, handle retries."""

from __future__ import annotations

import logging
import time
from typing import Any

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
def task_poll_source(*, source_id: int) -> dict[str, Any] | None:
    """Poll one source; returns the poll's summary (stored only when a caller asks for it).

    Fetch problems never raise: they are the source's health (see sources.polling).
    """
    from sources.models import Source
    from sources.polling import poll_source  # leaf

    started_at = time.time()
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        logger.warning("Source %s not found; skipping", source_id)
        return None
    if source.paused_at is not None or not source.is_active:
        logger.info("Source %s is paused or inactive; skipping", source_id)
        return None
    summary = poll_source(source).as_dict()
    summary["started_at"] = started_at  # the benchmark's queueing time
    return summary


@shared_task(name="sources.refetch_due_articles", acks_late=True, reject_on_worker_lost=True)
def task_refetch_due_articles() -> int:
    """Every 15 minutes: enqueue a re-fetch of each article whose next edit check is due."""
    from sources.polling import refetch_due_articles  # leaf

    return refetch_due_articles()


@shared_task(
    name="sources.refetch_article",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def task_refetch_article(*, article_id: int) -> None:
    """Re-fetch one article for edits; fetch problems are recorded on it, never raised."""
    from sources.models import Article
    from sources.polling import refetch_article  # leaf

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        logger.warning("Article %s not found; skipping", article_id)
        return
    refetch_article(article)
