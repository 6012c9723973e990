"""One smoke test per admin page, with rows in them."""

import datetime as dt

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimMention, StatusChange, Subscription
from claims.status import transition_claim
from sources.models import Article, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    source = Source.objects.create(name="Harbour Gazette", url="https://gazette.example/rss")
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


@pytest.mark.parametrize(
    "model",
    [
        "sources_source",
        "sources_article",
        "claims_claim",
        "claims_statuschange",
        "claims_subscription",
        "claims_alertdelivery",
    ],
)
def test_admin_changelist_renders(admin_client, rows, model):
    response = admin_client.get(reverse(f"admin:{model}_changelist"))

    assert response.status_code == 200


def test_claim_change_page_shows_history_and_mentions(admin_client, rows):
    _, _, claim = rows

    response = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Deadline passed" in content
    assert "Harbour Gazette" in content


def test_lapsed_filter_lists_unresolved_claims_past_their_window(admin_client, rows):
    response = admin_client.get(reverse("admin:claims_claim_changelist") + "?deadline=lapsed")

    assert response.status_code == 200
    assert "The port deal will be signed by Friday" in response.content.decode()


def test_status_history_is_read_only_in_admin(admin_client, rows):
    change = StatusChange.objects.get()

    response = admin_client.post(
        reverse("admin:claims_statuschange_change", args=[change.pk]), {"reason": "editor"}
    )

    assert response.status_code == 403
