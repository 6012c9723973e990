"""An article is processed whole or not at all; whatever a crash left half-done is completed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError, connection

from claims.models import Claim, ClaimMention, StatusChange
from claims.pipeline import complete_orphaned_mentions, orphaned_forecast_mentions, process_article
from claims.tasks import task_sweep_unprocessed_articles
from tests.reliability.conftest import LIGHTHOUSE, RING_ROAD_AND_LIGHTHOUSE, store

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, object]:
    """What processing recorded: each mention with its claim, claims, history rows."""
    return {
        "mentions": sorted(
            ClaimMention.objects.values_list("article_id", "start", "kind", "claim_id")
        ),
        "claims": Claim.objects.count(),
        "changes": sorted(StatusChange.objects.values_list("claim_id", "new_status", "reason")),
    }


@pytest.fixture
def restated():
    """The lighthouse claim, and an unprocessed article that starts one claim and joins it."""
    first = store("lighthouse", LIGHTHOUSE)
    process_article(first)
    second = store("ring-road", RING_ROAD_AND_LIGHTHOUSE, day="2026-06-02")
    return Claim.objects.get(), second


def test_a_database_error_mid_article_leaves_nothing_and_a_rerun_does_it_whole(
    restated, other_session
):
    """The join waits on a row another session holds, and the lock wait times out.

    By then the article's first claim and both mentions were written: all are rolled back.
    """
    claim, article = restated
    before = snapshot()
    with other_session.transaction():
        other_session.execute("SELECT id FROM claims_claim WHERE id = %s FOR UPDATE", [claim.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        try:
            with pytest.raises(OperationalError):
                process_article(article)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")

    assert snapshot() == before
    article.refresh_from_db()
    assert article.processed_hash != article.content_hash

    result = process_article(article)

    assert (result.mentions_created, result.claims_created, result.claims_joined) == (2, 1, 1)
    assert article.claim_mentions.filter(claim__isnull=True).count() == 0
    assert article.claim_mentions.filter(claim=claim).count() == 1


def orphan_the_restatement(article) -> ClaimMention:
    """The state a worker killed between storing and matching a mention used to leave."""
    mention = article.claim_mentions.get(sentence__startswith="Ilse Brandt")
    ClaimMention.objects.filter(pk=mention.pk).update(claim=None, match_score=None, match_detail={})
    return mention


def test_a_rerun_attaches_a_forecast_mention_left_without_its_claim(restated):
    claim, article = restated
    process_article(article)
    complete = snapshot()
    mention = orphan_the_restatement(article)

    result = process_article(article, force=True)

    assert result.claims_joined == 1
    assert snapshot() == complete
    mention.refresh_from_db()
    assert mention.claim_id == claim.pk


def test_the_sweep_completes_orphaned_mentions_once(restated):
    claim, article = restated
    process_article(article)
    complete = snapshot()
    mention = orphan_the_restatement(article)
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=11)

    assert list(orphaned_forecast_mentions()) == []  # too fresh: may still be in flight
    with time_machine.travel(later, tick=False):
        swept = task_sweep_unprocessed_articles.delay().get()
        again = task_sweep_unprocessed_articles.delay().get()

    assert (swept, again) == (1, 0)
    assert snapshot() == complete
    mention.refresh_from_db()
    assert mention.claim_id == claim.pk


def test_the_sweep_leaves_mentions_an_editor_detached(restated):
    _claim, article = restated
    process_article(article)
    mention = orphan_the_restatement(article)
    ClaimMention.objects.filter(pk=mention.pk).update(match_detail={"detached_by": "editor"})
    other = article.claim_mentions.exclude(pk=mention.pk).get()
    other_claim = other.claim
    ClaimMention.objects.filter(pk=other.pk).update(claim=None)
    other.detached_from.add(other_claim)
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=11)

    completed = complete_orphaned_mentions(now=later)

    assert completed == 0
    assert list(article.claim_mentions.values_list("claim_id", flat=True)) == [None, None]
