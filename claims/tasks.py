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
    """Hourly: daily digests for the subscribers whose local digest hour it is."""
    from claims.alerts import send_digests  # leaf: alerts imports this module

    return send_digests()


@shared_task(name="claims.link_speakers", acks_late=True, reject_on_worker_lost=True)
def task_link_speakers() -> int:
    """Every 10 minutes: link claims whose speaker string changed to their Speaker."""
    from claims.speakers import link_speakers  # leaf

    return link_speakers()


@shared_task(name="claims.sweep_stuck_alerts", acks_late=True, reject_on_worker_lost=True)
def task_sweep_stuck_alerts() -> int:
    """Every 5 minutes: re-enqueue alert deliveries stuck in pending/sending."""
    from claims.alerts import sweep_stuck_deliveries  # leaf

    return sweep_stuck_deliveries()


@shared_task(
    name="claims.send_alert",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # bounded by ALERT_MAX_ATTEMPTS below
)
def task_send_alert(self, *, delivery_id: int) -> int:
    """Send one outbox row (and its subscription's other pending rows about that claim).

    A transient SMTP error leaves the rows pending and retries with exponential backoff; in
    eager mode (no worker) it does not retry inline: the sweeper picks the rows up later.
    """
    from django.conf import settings

    from claims.alerts import TransientSendError, send_delivery  # leaf

    try:
        return send_delivery(delivery_id)
    except TransientSendError as exc:
        if self.request.is_eager or self.request.retries + 1 >= settings.ALERT_MAX_ATTEMPTS:
            return 0
        countdown = settings.ALERT_RETRY_BACKOFF_SECONDS * (2**self.request.retries)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(
    name="claims.process_article",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def task_process_article(*, article_id: int) -> None:
    """Extract, match and evaluate one article. A failure stays with that article."""
    from claims.pipeline import process_article  # leaf: the pipeline enqueues tasks
    from sources.models import Article

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        logger.warning("Article %s not found; skipping", article_id)
        return
    try:
        process_article(article)
    except OperationalError:
        raise  # the database is away: retry later
    except Exception as exc:
        # A bad article must not poison the queue: record why, log it, move on.
        logger.exception("claim extraction failed for article %s", article_id)
        Article.objects.filter(pk=article_id).update(
            processing_error=f"{type(exc).__name__}: {exc}"[:2000]
        )


@shared_task(
    name="claims.process_articles",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def task_process_articles(*, article_ids: list[int]) -> int:
    """`claims.process_article` for many articles, their texts parsed together (bulk import).

    Each article is its own transaction and its own failure, recorded on it; an article
    already processed (a redelivered batch) is skipped. Returns the articles processed.
    """
    from claims.pipeline import process_articles  # leaf: the pipeline enqueues tasks
    from sources.models import Article

    found = Article.objects.in_bulk(article_ids)
    missing = [article_id for article_id in article_ids if article_id not in found]
    if missing:
        logger.warning("Articles %s not found; skipping", missing)
    articles = [found[article_id] for article_id in article_ids if article_id in found]
    done = 0
    for article, result in zip(articles, process_articles(articles), strict=True):
        if isinstance(result, Exception):
            logger.error("claim extraction failed for article %s", article.pk, exc_info=result)
            Article.objects.filter(pk=article.pk).update(
                processing_error=f"{type(result).__name__}: {result}"[:2000]
            )
        else:
            done += not result.skipped
    return done


@shared_task(
    name="claims.handle_article_edit",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def task_handle_article_edit(*, article_id: int, version_id: int) -> None:
    """Mark the mentions an edit removed, propose retractions, process the new text.

    One transaction (`handle_article_edit`): a lost database connection rolls it all back
    and the task retries from the start.
    """
    from claims.pipeline import handle_article_edit  # leaf
    from sources.models import ArticleVersion

    version = (
        ArticleVersion.objects.select_related("article")
        .filter(pk=version_id, article_id=article_id)
        .first()
    )
    if version is None:
        logger.warning("Version %s of article %s not found; skipping", version_id, article_id)
        return
    handle_article_edit(version.article, version)


@shared_task(
    name="claims.sweep_unprocessed_articles",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def task_sweep_unprocessed_articles() -> int:
    """Every 15 minutes: finish the claims work that a lost message or a crash left undone.

    1. Re-enqueue articles whose current text was never processed: extraction messages lost
       while the broker was down (an import stores articles even then). An article whose
       processing failed keeps its error for editors and is not retried here.
    2. Attach forecast mentions left without a claim (a worker killed mid-article before
       processing was one transaction); editors' detaches are left alone.
    Returns articles re-enqueued plus mentions completed.
    """
    from claims.pipeline import complete_orphaned_mentions, unprocessed_articles  # leaf

    ids = list(unprocessed_articles().values_list("pk", flat=True)[:500])
    for article_id in ids:
        task_process_article.delay(article_id=article_id)
    if ids:
        logger.info("sweep: re-enqueued %d unprocessed article(s)", len(ids))
    completed = complete_orphaned_mentions()
    if completed:
        logger.info("sweep: completed %d orphaned mention(s)", completed)
    return len(ids) + completed
