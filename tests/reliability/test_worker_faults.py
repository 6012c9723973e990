"""A real worker is killed, loses its database connection or its broker: no work is lost.

Each test runs `celery -A config worker` subprocesses (tests/reliability/services.py) on a
private Redis and the test database, holds a claim's row from a second session so the worker
stops mid-article at a known point (joining that claim), then breaks something.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from claims.models import Claim, ClaimMention, StatusChange
from claims.pipeline import process_article
from config.celery import app as celery_app
from sources.models import Article
from tests.reliability.conftest import (
    LIGHTHOUSE,
    RING_ROAD_AND_LIGHTHOUSE,
    store,
    wait_for,
)
from tests.reliability.services import PrivateRedis, Worker, broker

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Two more articles, each with a claim of its own, queued behind the held one.
FERRY = "The shipping board said the night ferry to Hallsund will resume by the end of May."
MUSEUM = "Curator Oda Vinter said the maritime museum will reopen by the autumn."


@pytest.fixture
def restated():
    """The lighthouse claim (processed) and an article that starts a claim, then joins it."""
    first = store("lighthouse", LIGHTHOUSE)
    process_article(first)
    second = store("ring-road", RING_ROAD_AND_LIGHTHOUSE, day="2026-06-02")
    return Claim.objects.get(), second


def send(task_name: str, redis: PrivateRedis, **kwargs) -> None:
    with broker(redis.url):
        celery_app.send_task(task_name, kwargs=kwargs)


def backend_pid(monitor, worker: Worker, *, waiting: bool) -> int | None:
    """PostgreSQL pid of the worker's session (only while it waits on a lock if `waiting`)."""
    row = monitor.execute(
        "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
        " AND (wait_event_type = 'Lock' OR NOT %s)",
        [worker.name, waiting],
    ).fetchone()
    return row[0] if row else None


def hold_claim_until_the_worker_waits(other_session, monitor, claim: Claim, worker: Worker) -> int:
    """Lock the claim's row (the transaction stays open); return the waiting worker's pid."""
    other_session.execute("BEGIN")
    other_session.execute("SELECT id FROM claims_claim WHERE id = %s FOR UPDATE", [claim.pk])
    return wait_for(lambda: backend_pid(monitor, worker, waiting=True), timeout=40)


def processed(article: Article) -> bool:
    article.refresh_from_db()
    return article.processed_hash == article.content_hash


def assert_restatement_recorded_once(claim: Claim, article: Article, *, others: int = 0) -> None:
    """The article's two forecasts: one new claim, one joined; every row exactly once.

    `others`: articles with one claim each that were processed besides.
    """
    mentions = list(article.claim_mentions.order_by("start"))
    assert [m.kind for m in mentions] == ["forecast", "forecast"]
    assert all(m.claim_id is not None for m in mentions)
    assert mentions[1].claim_id == claim.pk
    assert mentions[0].claim.mentions.count() == 1
    assert claim.mentions.count() == 2
    assert Claim.objects.count() == 2 + others
    # One "new claim" history row per claim, none twice.
    assert sorted(StatusChange.objects.values_list("claim_id", flat=True)) == sorted(
        Claim.objects.values_list("pk", flat=True)
    )
    assert set(StatusChange.objects.values_list("reason", flat=True)) == {"created"}
    assert ClaimMention.objects.filter(claim__isnull=True).count() == 0


def test_a_worker_killed_mid_article_leaves_nothing_and_its_message_is_redone(
    restated, redis, workers, other_session, monitor
):
    claim, article = restated
    worker = workers()
    send("claims.process_article", redis, article_id=article.pk)
    pid = hold_claim_until_the_worker_waits(other_session, monitor, claim, worker)

    worker.kill9()
    other_session.execute("COMMIT")  # the killed session's transaction can end (rolled back)
    wait_for(lambda: backend_pid(monitor, worker, waiting=False) is None)

    assert pid
    assert article.claim_mentions.count() == 0  # nothing half-done survives the kill
    assert Claim.objects.count() == 1
    assert not processed(article)

    restarted = workers()  # finds the unacknowledged message once the visibility timeout passed
    wait_for(lambda: processed(article), timeout=40)

    assert_restatement_recorded_once(claim, article)
    assert restarted.log().count(f"article {article.pk}: 2 mention(s)") == 1


def test_a_dropped_database_connection_mid_task_is_retried_to_completion(
    restated, redis, workers, other_session, monitor
):
    claim, article = restated
    worker = workers()
    send("claims.process_article", redis, article_id=article.pk)
    pid = hold_claim_until_the_worker_waits(other_session, monitor, claim, worker)

    monitor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other_session.execute("COMMIT")
    wait_for(lambda: processed(article), timeout=40)

    assert_restatement_recorded_once(claim, article)
    assert "retry" in worker.log().lower()
    assert worker.alive()


def test_a_redis_restart_mid_run_loses_no_article(restated, redis, workers, other_session, monitor):
    """Redis comes back empty (no persistence): the queued messages are gone, the sweep
    finds their articles, and the article that was running when Redis died completes once."""
    claim, article = restated
    queued = [store("ferry", FERRY), store("museum", MUSEUM)]
    worker = workers()
    send("claims.process_article", redis, article_id=article.pk)
    for other in queued:
        send("claims.process_article", redis, article_id=other.pk)
    hold_claim_until_the_worker_waits(other_session, monitor, claim, worker)

    redis.stop()
    other_session.execute("COMMIT")
    wait_for(lambda: processed(article), timeout=30)
    redis.start()  # same port, empty
    assert not any(processed(other) for other in queued)
    # Ten minutes later, say: the sweep takes articles unprocessed past its grace period.
    Article.objects.update(updated_at=F("updated_at") - dt.timedelta(minutes=11))

    def swept() -> bool:
        # The worker may still be reconnecting: the sweep message then waits in the queue.
        send("claims.sweep_unprocessed_articles", redis)
        return all(processed(other) for other in queued)

    wait_for(swept, timeout=40, interval=3)

    assert worker.alive()
    assert_restatement_recorded_once(claim, article, others=len(queued))
    for other in queued:
        assert other.claim_mentions.count() == 1
