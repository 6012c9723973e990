"""ClaimReview JSON-LD export: editor-resolved claims only, in the schema.org shape."""

import datetime as dt
import json

import jsonschema
import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.editing import set_status
from claims.models import Claim, ClaimMention
from claims.status import transition_claim
from sources.models import Article

pytestmark = pytest.mark.django_db

# The parts of https://schema.org/ClaimReview that fact-check readers (and search engines) use.
CLAIM_REVIEW_SHAPE = {
    "type": "object",
    "required": [
        "@context",
        "@type",
        "url",
        "claimReviewed",
        "datePublished",
        "author",
        "reviewRating",
        "itemReviewed",
    ],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "ClaimReview"},
        "url": {"type": "string", "pattern": "^https?://"},
        "claimReviewed": {"type": "string", "minLength": 1},
        "datePublished": {"type": "string", "format": "date"},
        "author": {
            "type": "object",
            "required": ["@type", "name"],
            "properties": {"@type": {"enum": ["Organization", "Person"]}},
        },
        "reviewRating": {
            "type": "object",
            "required": ["@type", "ratingValue", "bestRating", "worstRating", "alternateName"],
            "properties": {
                "@type": {"const": "Rating"},
                "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                "alternateName": {"type": "string", "minLength": 1},
            },
        },
        "itemReviewed": {
            "type": "object",
            "required": ["@type", "appearance"],
            "properties": {
                "@type": {"const": "Claim"},
                "author": {"type": "object", "required": ["@type", "name"]},
                "appearance": {
                    "type": "array",
                    "items": {"type": "object", "required": ["@type", "url"]},
                },
            },
        },
    },
}


def test_export_claimreview_lists_editor_resolved_claims_in_schema_org_shape(editor, tmp_path):
    article = Article.objects.create(
        canonical_url="https://wire.example/deal",
        url="https://wire.example/deal",
        title="Deal talks",
        outlet="Wire Daily",
        published_at=dt.datetime(2026, 4, 18, tzinfo=dt.UTC),
    )
    resolved = Claim.objects.create(statement="the deal will be signed next week", speaker="Envoy")
    ClaimMention.objects.create(article=article, claim=resolved, start=0, end=10, sentence="x")
    machine = Claim.objects.create(statement="the mine will reopen in May")
    set_status(resolved, "fulfilled_late", editor=editor, note="signed on 30 April")
    transition_claim(machine, "missed", reason="grace_expired")  # not an editor's verdict
    out = tmp_path / "reviews.json"

    call_command("export_claims", "--format", "claimreview", "-o", str(out))

    reviews = json.loads(out.read_text())
    assert [r["claimReviewed"] for r in reviews] == ["the deal will be signed next week"]
    jsonschema.validate(reviews[0], CLAIM_REVIEW_SHAPE, format_checker=jsonschema.FormatChecker())
    assert reviews[0]["reviewRating"]["alternateName"] == "Kept, late"
    assert reviews[0]["itemReviewed"]["author"] == {"@type": "Person", "name": "Envoy"}
    assert reviews[0]["itemReviewed"]["appearance"][0]["url"] == "https://wire.example/deal"


def test_public_page_carries_escaped_json_ld_only_when_public(client, editor, settings):
    claim = Claim.objects.create(
        statement='the port deal </script><script>alert("x")</script> will close', speaker="Envoy"
    )
    set_status(claim, "missed", editor=editor)
    url = reverse("claim-review", args=[claim.pk])

    assert client.get(url).status_code == 404
    settings.ALERT_PUBLIC_PAGES = True
    page = client.get(url).content.decode()

    assert '<script>alert("x")' not in page
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(page[start : page.index("</script>", start)])
    jsonschema.validate(data, CLAIM_REVIEW_SHAPE, format_checker=jsonschema.FormatChecker())
    assert data["claimReviewed"] == claim.statement
    assert data["reviewRating"]["alternateName"] == "Not kept"
    other = Claim.objects.create(statement="the ferry will sail")
    assert client.get(reverse("claim-review", args=[other.pk])).status_code == 404
