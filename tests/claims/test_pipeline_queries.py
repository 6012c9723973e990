"""Processing an article costs a constant, small number of queries, however many claims are
stored; the bulk path (`process_articles`) records exactly what one-by-one processing does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.matching.candidates import clear_doc_freq_cache, index_claim
from claims.models import Claim, ClaimMention, ClaimStatus, StatusChange
from claims.pipeline import process_article, process_articles
from sources.ingestion import ArticleRecord, archive_source, upsert_article
from sources.models import Article

pytestmark = pytest.mark.django_db

# Invented texts: a lighthouse promise restated, next to a second promise of its own.
LIGHTHOUSE = (
    "Harbour Commissioner Ilse Brandt said on Monday that the new lighthouse at Kessel Point "
    "would be finished by the end of next month."
)
RESTATED = (
    "The regional council said the Oster ring road will be resurfaced by the end of the year. "
    "Ilse Brandt told reporters the new lighthouse at Kessel Point will be finished by the end "
    "of next month.\n\nThe old lighthouse at Kessel Point was completed in 1911, officials said."
)
SPEAKERS = ["Odile Fenwick", "Rafael Quint", "Mirela Sand", "Jonas Achterberg", "Priya Holm"]
# An article of two forecasts and an event report (savepoints too; 67 before the batching
# work, 42 after it; linking the new claim to its Speaker adds 4).
MAX_QUERIES = 46


def store(slug: str, text: str, *, day: str = "2026-06-01") -> Article:
    record = ArticleRecord(
        url=f"https://queries.example/{slug}",
        title=slug,
        published=dt.datetime.fromisoformat(f"{day}T08:00:00+00:00"),
        text=text,
        outlet="Query Gazette",
    )
    result = upsert_article(
        record, source=archive_source("Query Gazette"), fetched_at=record.published
    )
    return Article.objects.get(pk=result.article_id)


def store_similar_claims(count: int, *, offset: int) -> None:
    """`count` stored claims about the Kessel Point lighthouse (each with a live mention), so
    every one shares the new article's rare words and is a candidate of its match."""
    holder = store(f"holder-{offset}", "Filler.", day="2026-05-01")
    now = timezone.now()
    for number in range(offset, offset + count):
        day = dt.date(2026, 7, 1) + dt.timedelta(days=number % 150)
        speaker = SPEAKERS[number % len(SPEAKERS)]
        statement = (
            f"{speaker} said the lighthouse works at Kessel Point, phase {number}, would be "
            f"finished by {day:%B} {day.day}."
        )
        claim = Claim.objects.create(
            statement=statement,
            speaker=speaker,
            entities=["Kessel Point"],
            deadline_earliest=day,
            deadline_latest=day,
            status=ClaimStatus.OPEN,
            status_changed_at=now,
            first_seen_at=now,
            last_mentioned_at=now,
        )
        ClaimMention.objects.create(
            article=holder,
            start=number * 10,
            end=number * 10 + 5,
            kind=ClaimMention.Kind.FORECAST,
            sentence=statement,
            speaker=speaker,
            speaker_kind="named",
            entities=["Kessel Point"],
            deadline_earliest=day,
            deadline_latest=day,
            claim=claim,
        )
        index_claim(claim, texts=[statement], entities=["Kessel Point"])


def queries_to_process(article: Article) -> tuple[int, tuple[int, int, int, int]]:
    """Queries of `process_article(article)` and its outcome, then everything rolled back."""
    clear_doc_freq_cache()  # each measure counts its key frequencies afresh
    article.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        savepoint = transaction.savepoint()
        result = process_article(article)
    transaction.savepoint_rollback(savepoint)
    outcome = (
        result.mentions_created,
        result.claims_created,
        result.claims_joined,
        result.status_changes,
    )
    return len(captured.captured_queries), outcome


def test_the_queries_of_an_article_do_not_grow_with_the_stored_claims(
    django_assert_max_num_queries,
):
    process_article(store("lighthouse", LIGHTHOUSE))
    article = store("restated", RESTATED, day="2026-06-02")
    store_similar_claims(3, offset=0)

    few, outcome = queries_to_process(article)
    assert outcome[0] == 3 and outcome[2] == 1  # three mentions; the restatement joins
    assert few <= MAX_QUERIES

    store_similar_claims(250, offset=3)
    assert Claim.objects.count() > 250
    many, outcome_many = queries_to_process(article)
    assert outcome_many == outcome
    assert many == few
    clear_doc_freq_cache()
    article.refresh_from_db()
    with django_assert_max_num_queries(few):
        process_article(article)


def snapshot() -> dict[str, object]:
    return {
        "mentions": sorted(
            ClaimMention.objects.values_list(
                "article__url", "start", "end", "kind", "claim__statement", "match_score"
            )
        ),
        "claims": sorted(Claim.objects.values_list("statement", "status", "deadline_latest")),
        "changes": sorted(
            StatusChange.objects.values_list("claim__statement", "new_status", "reason")
        ),
    }


ARTICLES = [
    ("lighthouse", LIGHTHOUSE, "2026-06-01"),
    ("restated", RESTATED, "2026-06-02"),
    (
        "bridge",
        "Mayor Anwen Pryce said the Millbrook footbridge would reopen by 15 August. "
        "The harbour board said it will publish the dredging report within two weeks.",
        "2026-06-03",
    ),
    (
        "bridge-again",
        "The Millbrook footbridge will reopen by August 15, Pryce told the council. "
        "Ilse Brandt said the lighthouse at Kessel Point would be finished by the end of July.",
        "2026-06-04",
    ),
]


def test_processing_a_batch_records_what_one_by_one_processing_does():
    for slug, text, day in ARTICLES:
        process_article(store(slug, text, day=day))
    one_by_one = snapshot()
    for model in (StatusChange, ClaimMention, Claim, Article):
        model.objects.all().delete()
    clear_doc_freq_cache()

    articles = [store(slug, text, day=day) for slug, text, day in ARTICLES]
    results = process_articles(articles)

    assert not any(isinstance(result, Exception) for result in results)
    assert snapshot() == one_by_one
    assert all(result.skipped for result in process_articles(articles))  # idempotent


def test_a_batch_task_records_a_failing_article_and_processes_the_others(monkeypatch):
    from claims import pipeline
    from claims.tasks import task_process_articles

    real = pipeline._upsert_mentions

    def explode_on_broken(article, extracted):
        if article.url.endswith("/broken"):
            raise ValueError("the store choked")
        return real(article, extracted)

    monkeypatch.setattr(pipeline, "_upsert_mentions", explode_on_broken)
    good = store("lighthouse", LIGHTHOUSE)
    broken = store("broken", RESTATED)

    assert task_process_articles.delay(article_ids=[broken.pk, good.pk, 999_999]).get() == 1

    broken.refresh_from_db()
    good.refresh_from_db()
    assert broken.processing_error == "ValueError: the store choked"
    assert not broken.claim_mentions.exists()
    assert good.processed_hash == good.content_hash and good.claim_mentions.count() == 1
