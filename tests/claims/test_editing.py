"""Editors' decisions stick: detach, merge, rulings, reviews of machine-proposed changes."""

import datetime as dt

import pytest
from django.urls import reverse

from claims import editing
from claims.models import Claim, ClaimMention, StatusChange
from claims.pipeline import attach_forecast_mention, process_article
from sources.ingestion import ArticleRecord, archive_source, upsert_article
from sources.models import Article

pytestmark = pytest.mark.django_db

PROMISE_A = (
    "Transport Minister Hedda Lund said on Monday that the new ferry contract with Norrvik "
    "Shipping would be signed by the end of next week."
)
PROMISE_B = (
    "Hedda Lund told reporters the ferry contract with Norrvik Shipping will be signed by "
    "the end of next week, after months of delay."
)
SIGNED = (
    "Transport Minister Hedda Lund and Norrvik Shipping signed the new ferry contract on "
    "Wednesday, ending months of delay."
)


def publish(slug: str, text: str, day: str, outlet: str = "Coastal Courier") -> Article:
    record = ArticleRecord(
        url=f"https://{outlet.split()[0].lower()}.example/{slug}",
        title=slug,
        published=dt.datetime.fromisoformat(f"{day}T08:00:00+00:00"),
        text=text,
        outlet=outlet,
    )
    result = upsert_article(record, source=archive_source(outlet), fetched_at=record.published)
    article = Article.objects.get(pk=result.article_id)
    process_article(article, now=record.published)
    return article


def forecast(article: Article) -> ClaimMention:
    return article.claim_mentions.get(kind="forecast")


@pytest.fixture
def two_outlets():
    first = publish("ferry-contract", PROMISE_A, "2026-06-01")
    second = publish("ferry-delay", PROMISE_B, "2026-06-02", outlet="Harbour Times")
    return forecast(first), forecast(second)


def test_restatements_in_two_outlets_are_one_claim(two_outlets):
    first, second = two_outlets

    assert first.claim_id == second.claim_id
    assert first.claim.deadline_latest == dt.date(2026, 6, 14)


def test_a_detached_mention_never_rejoins_that_claim(two_outlets, editor):
    first, second = two_outlets
    original = first.claim

    new_home = editing.detach_mention(second, editor=editor)
    attach_forecast_mention(second, now=dt.datetime(2026, 6, 3, tzinfo=dt.UTC))

    second.refresh_from_db()
    assert new_home is not None and new_home.pk != original.pk
    assert second.claim_id != original.pk
    assert list(second.detached_from.values_list("pk", flat=True)) == [original.pk]


def test_merge_moves_mentions_and_closes_the_other_claim(two_outlets, editor):
    first, second = two_outlets
    editing.detach_mention(second, editor=editor)
    second.refresh_from_db()
    keep, other = first.claim, second.claim

    moved = editing.merge_claims(keep, [other], editor=editor)

    other.refresh_from_db()
    assert moved == 1
    assert keep.mentions.count() == 2
    assert other.status == "merged"
    assert other.merged_into == keep
    closing = other.status_changes.get(reason="editor")
    assert (closing.actor, closing.detail) == (editor, {"merged_into": keep.pk})


def test_evidence_fulfils_then_an_editor_rejects_it(two_outlets, editor):
    first, _ = two_outlets
    publish("ferry-signed", SIGNED, "2026-06-10", outlet="Harbour Times")
    claim = Claim.objects.get(pk=first.claim_id)
    proposed = claim.status_changes.get(reason="evidence_fulfilled")
    assert (claim.status, proposed.review_state) == ("fulfilled", "pending")
    assert proposed.effective_at.date() == dt.date(2026, 6, 10)

    editing.review_change(proposed, editor=editor, accept=False, note="Different contract")

    claim.refresh_from_db()
    proposed.refresh_from_db()
    assert claim.status == "open"
    assert proposed.review_state == "rejected"
    assert claim.status_changes.order_by("-pk").first().actor == editor


def test_with_review_required_evidence_waits_for_an_editor(two_outlets, editor, settings):
    settings.CLAIM_REVIEW_BEFORE_APPLY = True
    first, _ = two_outlets
    publish("ferry-signed", SIGNED, "2026-06-10", outlet="Harbour Times")
    claim = Claim.objects.get(pk=first.claim_id)
    proposed = claim.status_changes.get(reason="evidence_fulfilled")
    assert (claim.status, proposed.applied) == ("open", False)

    editing.review_change(proposed, editor=editor, accept=True)

    claim.refresh_from_db()
    assert claim.status == "fulfilled"


def test_admin_action_records_the_editor_ruling(two_outlets, admin_client, admin_user):
    claim = two_outlets[0].claim

    chosen = {"action": "mark_missed", "_selected_action": [claim.pk]}
    url = reverse("admin:claims_claim_changelist")
    asked = admin_client.post(url, chosen)  # the page with the optional note first
    response = admin_client.post(url, {**chosen, "apply": "1", "note": ""})

    claim.refresh_from_db()
    assert asked.status_code == 200
    assert response.status_code == 302
    assert claim.status == "missed"
    ruling = claim.status_changes.get(reason="editor")
    assert (ruling.actor, ruling.new_status) == (admin_user, "missed")
    assert StatusChange.objects.filter(claim=claim).count() == 2  # created + ruling


def test_article_page_shows_its_claims_and_each_edit_as_a_word_diff(admin_client, two_outlets):
    from sources.models import ArticleVersion

    first, _ = two_outlets
    article = first.article
    ArticleVersion.objects.create(
        article=article,
        number=2,
        text=article.text,
        content_hash="x" * 64,
        fetched_at=article.published_at,
        removed_sentences=["The <b>old</b> timetable is gone."],
        changed_sentences=[
            {"old": "signed by the end of next week", "new": "signed by the end of the month"}
        ],
    )

    html = admin_client.get(reverse("admin:sources_article_change", args=[article.pk])).content
    html = html.decode()

    assert "Claims found in this article" in html
    assert reverse("admin:claims_claim_change", args=[first.claim_id]) in html
    assert "<del>The &lt;b&gt;old&lt;/b&gt; timetable is gone.</del>" in html
    assert "<del>next week</del> <ins>the month</ins>" in html
