"""ClaimReview export (DB read): schema.org JSON-LD for the claims an editor has resolved."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from claims.models import FINAL_STATUSES, Claim, ClaimMention, ClaimStatus, StatusChange

# ratingValue on a 1 (worst) … 5 (best) scale; alternateName is what readers see.
RATINGS = {
    ClaimStatus.FULFILLED: (5, "Kept"),
    ClaimStatus.FULFILLED_LATE: (4, "Kept, late"),
    ClaimStatus.MISSED: (2, "Not kept"),
    ClaimStatus.CONTRADICTED: (1, "Contradicted"),
    ClaimStatus.RETRACTED: (3, "Withdrawn"),
}


def _resolution(claim: Claim) -> StatusChange | None:
    """The applied change that put the claim in its outcome, if an editor made or confirmed it."""
    for change in reversed(list(claim.status_changes.all())):
        if change.applied and change.new_status == claim.status:
            editor_made = (
                change.actor_id is not None and change.reason == StatusChange.Reason.EDITOR
            )
            confirmed = change.review_state == StatusChange.Review.CONFIRMED
            return change if (editor_made or confirmed) else None
    return None


def claim_review(claim: Claim, change: StatusChange) -> dict:
    site = settings.SITE_URL.rstrip("/")
    mentions = [m for m in claim.mentions.all() if m.article_id]
    appearances = [
        {
            "@type": "CreativeWork",
            "url": m.article.display_url,
            "headline": m.article.title,
            **(
                {"datePublished": m.article.published_at.date().isoformat()}
                if m.article.published_at
                else {}
            ),
            **(
                {"publisher": {"@type": "Organization", "name": m.article.outlet}}
                if m.article.outlet
                else {}
            ),
        }
        for m in mentions
    ]
    value, label = RATINGS[ClaimStatus(claim.status)]
    item = {"@type": "Claim", "appearance": appearances}
    if claim.speaker:
        item["author"] = {"@type": "Person", "name": claim.speaker}
    if appearances:
        item["firstAppearance"] = appearances[0]
        if "datePublished" in appearances[0]:
            item["datePublished"] = appearances[0]["datePublished"]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": site + reverse("admin:claims_claim_change", args=[claim.pk]),
        "claimReviewed": claim.statement,
        "datePublished": change.recorded_at.date().isoformat(),
        "author": {"@type": "Organization", "name": settings.ALERT_PUBLISHER_NAME, "url": site},
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": label,
        },
    }


def resolved_claims():
    return (
        Claim.objects.filter(status__in=FINAL_STATUSES)
        .order_by("pk")
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=ClaimMention.objects.select_related("article").order_by(
                    "article__published_at", "pk"
                ),
            ),
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("recorded_at", "pk")),
        )
    )


def review_of(claim_id: int) -> dict | None:
    """The ClaimReview of one claim, or None when no editor has resolved it."""
    claim = resolved_claims().filter(pk=claim_id).first()
    change = _resolution(claim) if claim else None
    return claim_review(claim, change) if change else None


def export_claim_reviews() -> list[dict]:
    """One ClaimReview per claim in an outcome status that an editor resolved or confirmed."""
    reviews = []
    for claim in resolved_claims():
        change = _resolution(claim)
        if change is not None:
            reviews.append(claim_review(claim, change))
    return reviews
