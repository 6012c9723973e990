"""`stored_wordings` reads a stored mention as scoring does: the mention's own fields, its
entities, and its article's UTC publication day (else the day it was first fetched)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from claims.matching import MatchInput
from claims.matching.stage import mention_input, stored_wordings
from claims.models import Claim, ClaimMention, ClaimStatus
from sources.models import Article

pytestmark = pytest.mark.django_db

SENTENCE = "Harbour Commissioner Ilse Brandt said the Kessel Point lighthouse would open by May 3."


def make_mention(*, published: dt.datetime | None, fetched: dt.datetime | None, slug: str):
    article = Article.objects.create(
        canonical_url=f"https://wordings.example/{slug}",
        url=f"https://wordings.example/{slug}",
        title=slug,
        outlet="Wording Gazette",
        published_at=published,
        first_fetched_at=fetched,
        text=SENTENCE,
        content_hash=slug,
    )
    now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    claim = Claim.objects.create(
        statement=SENTENCE,
        status=ClaimStatus.OPEN,
        status_changed_at=now,
        first_seen_at=now,
        last_mentioned_at=now,
    )
    return ClaimMention.objects.create(
        article=article,
        claim=claim,
        start=0,
        end=len(SENTENCE),
        kind=ClaimMention.Kind.FORECAST,
        sentence=SENTENCE,
        event="open the Kessel Point lighthouse",
        event_verb="open",
        speaker="Ilse Brandt",
        speaker_kind="named",
        entities=["Kessel Point", "Ilse Brandt"],
        deadline_earliest=dt.date(2026, 5, 3),
        deadline_latest=dt.date(2026, 5, 3),
        negated=False,
    )


@pytest.mark.parametrize(
    ("published", "fetched", "day"),
    [
        # 23:30 in New York on 1 April is 2 April in UTC, the day the article object gives.
        (dt.datetime(2026, 4, 1, 23, 30, tzinfo=ZoneInfo("America/New_York")), None, 2),
        (None, dt.datetime(2026, 4, 5, 0, 10, tzinfo=dt.UTC), 5),
        (None, None, None),
    ],
)
def test_stored_wordings_reads_a_mention_as_mention_input_does(published, fetched, day):
    mention = make_mention(published=published, fetched=fetched, slug=f"w-{day}")
    mention = ClaimMention.objects.select_related("article").get(pk=mention.pk)

    (wording,) = stored_wordings(ClaimMention.objects.filter(pk=mention.pk))

    expected: MatchInput = mention_input(mention, as_id=str(mention.claim_id))
    assert wording.input == expected
    assert wording.input.published == (dt.date(2026, 4, day) if day else None)
    assert wording.input.entities == frozenset({"Kessel Point", "Ilse Brandt"})
    assert (wording.pk, wording.claim_id, wording.article_id) == (
        mention.pk,
        mention.claim_id,
        mention.article_id,
    )
