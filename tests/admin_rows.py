"""One of each row the admin shows (source, article, claim, mention, change, subscription)."""

from __future__ import annotations

import datetime as dt

from claims.models import Claim, ClaimMention, Subscription
from claims.status import transition_claim
from sources.models import Article, Source


def make_admin_rows(*, source_error: str = "") -> tuple[Source, Article, Claim]:
    source = Source.objects.create(
        name="Harbour Gazette", url="https://gazette.example/rss", last_error=source_error
    )
    article = Article.objects.create(
        canonical_url="https://gazette.example/a",
        url="https://gazette.example/a",
        title="Port deal",
        outlet="Harbour Gazette",
        text="The deal will be signed by Friday.",
        published_at=dt.datetime(2026, 9, 4, 8, tzinfo=dt.UTC),
    )
    article.sources.add(source)
    claim = Claim.objects.create(
        statement="The port deal will be signed by Friday",
        speaker="Minister Ilse Varga",
        deadline_earliest=dt.date(2026, 9, 11),
        deadline_latest=dt.date(2026, 9, 11),
    )
    ClaimMention.objects.create(
        article=article, claim=claim, start=0, end=34, sentence=article.text, timex_text="Friday"
    )
    transition_claim(claim, "overdue", reason="deadline_passed", evidence_article=article)
    Subscription.objects.create(email="desk@gazette.example", claim=claim)
    return source, article, claim
