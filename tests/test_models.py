"""Database constraints that carry idempotency and history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import AlertDelivery, Claim, ClaimMention, StatusChange, Subscription
from sources.models import Article, ArticleSource, ArticleVersion, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return Article.objects.create(
        canonical_url="https://news.example/a",
        url="https://news.example/a?utm_source=x",
        title="Talks",
        text="Officials said a deal will be signed by Friday.",
    )


@pytest.fixture
def claim():
    return Claim.objects.create(
        statement="A deal will be signed by Friday",
        deadline_earliest=dt.date(2026, 5, 1),
        deadline_latest=dt.date(2026, 5, 1),
    )


def assert_violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_article_is_unique_per_canonical_url(article):
    assert_violates(
        lambda: Article.objects.create(
            canonical_url="https://news.example/a", url="https://news.example/a#top"
        )
    )


def test_source_url_is_unique_but_blank_urls_may_repeat():
    Source.objects.create(name="A", url="https://a.example/feed")
    Source.objects.create(name="Pasted 1", kind=Source.Kind.MANUAL, url="")
    Source.objects.create(name="Pasted 2", kind=Source.Kind.MANUAL, url="")

    assert_violates(lambda: Source.objects.create(name="B", url="https://a.example/feed"))


def test_article_is_linked_once_per_source(article):
    source = Source.objects.create(name="A", url="https://a.example/feed")
    ArticleSource.objects.create(article=article, source=source, guid="1")

    assert_violates(lambda: ArticleSource.objects.create(article=article, source=source, guid="1"))


def test_article_version_numbers_are_unique(article):
    ArticleVersion.objects.create(
        article=article, number=1, text="x", content_hash="a", fetched_at=dt.datetime.now(dt.UTC)
    )

    assert_violates(
        lambda: ArticleVersion.objects.create(
            article=article,
            number=1,
            text="y",
            content_hash="b",
            fetched_at=dt.datetime.now(dt.UTC),
        )
    )


def test_mention_is_unique_per_article_and_span(article, claim):
    ClaimMention.objects.create(article=article, claim=claim, start=0, end=20, sentence="s")
    ClaimMention.objects.create(article=article, claim=claim, start=0, end=21, sentence="s")

    assert_violates(
        lambda: ClaimMention.objects.create(article=article, start=0, end=20, sentence="s")
    )


def test_mention_span_must_be_ordered(article):
    assert_violates(
        lambda: ClaimMention.objects.create(article=article, start=20, end=20, sentence="s")
    )


def test_claim_deadline_window_must_be_ordered():
    assert_violates(
        lambda: Claim.objects.create(
            statement="x",
            deadline_earliest=dt.date(2026, 5, 2),
            deadline_latest=dt.date(2026, 5, 1),
        )
    )


def test_one_delivery_per_subscription_and_status_change(claim):
    change = StatusChange.objects.create(
        claim=claim, old_status="open", new_status="overdue", reason="deadline_passed"
    )
    subscription = Subscription.objects.create(email="desk@news.example", claim=claim)
    AlertDelivery.objects.create(subscription=subscription, status_change=change)

    assert_violates(
        lambda: AlertDelivery.objects.create(subscription=subscription, status_change=change)
    )


def test_subscribing_twice_to_one_claim_is_refused(claim):
    Subscription.objects.create(email="desk@news.example", claim=claim)
    Subscription.objects.create(email="desk@news.example", speaker="Finance Minister")
    Subscription.objects.create(email="desk@news.example", keyword="ceasefire")

    assert_violates(lambda: Subscription.objects.create(email="desk@news.example", claim=claim))


def test_status_change_history_is_append_only(claim):
    change = StatusChange.objects.create(
        claim=claim, old_status="open", new_status="overdue", reason="deadline_passed"
    )

    change.reason = "editor"
    with pytest.raises(ValidationError):
        change.save()
    change.refresh_from_db()
    change.review_state = StatusChange.Review.CONFIRMED
    change.save(update_fields=["review_state"])

    change.refresh_from_db()
    assert (change.reason, change.review_state) == ("deadline_passed", "confirmed")
