"""Export (DB read): every claim with its mentions and history, as JSON or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import Prefetch

from claims.models import Claim, ClaimMention, StatusChange

CSV_FIELDS = (
    "id",
    "statement",
    "speaker",
    "status",
    "deadline_earliest",
    "deadline_latest",
    "deadline_text",
    "deadline_rule",
    "mentions",
    "outlets",
    "first_seen",
    "last_change_at",
    "last_change_reason",
    "deadline_moves",
)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _claims():
    return Claim.objects.order_by("pk").prefetch_related(
        Prefetch(
            "mentions",
            queryset=ClaimMention.objects.select_related("article").order_by(
                "article__published_at", "pk"
            ),
        ),
        Prefetch(
            "status_changes",
            queryset=StatusChange.objects.select_related("evidence_article", "actor").order_by(
                "recorded_at", "pk"
            ),
        ),
    )


def claim_to_dict(claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "statement": claim.statement,
        "speaker": claim.speaker,
        "status": claim.status,
        "deadline": {
            "earliest": _iso(claim.deadline_earliest),
            "latest": _iso(claim.deadline_latest),
            "text": claim.deadline_text,
            "rule": claim.deadline_rule,
        },
        "mentions": [
            {
                "article_url": m.article.display_url,
                "outlet": m.article.outlet,
                "published": _iso(m.article.published_at),
                "sentence": m.sentence,
                "start": m.start,
                "end": m.end,
                "speaker": m.speaker,
                "suggested": m.suggested,
                "timex": {
                    "text": m.timex_text,
                    "value": m.timex_value,
                    "earliest": _iso(m.deadline_earliest),
                    "latest": _iso(m.deadline_latest),
                },
            }
            for m in claim.mentions.all()
        ],
        "history": [
            {
                "at": _iso(c.recorded_at),
                "effective_at": _iso(c.effective_at),
                "from": c.old_status or None,
                "to": c.new_status,
                "reason": c.reason,
                "old_deadline": _window(c.old_deadline_earliest, c.old_deadline_latest),
                "new_deadline": _window(c.new_deadline_earliest, c.new_deadline_latest),
                "evidence_url": c.evidence_article.display_url if c.evidence_article else None,
                "actor": c.actor.get_username() if c.actor else "system",
                "applied": c.applied,
                "review": c.review_state,
            }
            for c in claim.status_changes.all()
        ],
    }


def _window(earliest, latest) -> dict | None:
    if earliest is None and latest is None:
        return None
    return {"earliest": _iso(earliest), "latest": _iso(latest)}


def export_json() -> dict:
    return {"claims": [claim_to_dict(claim) for claim in _claims().iterator(chunk_size=200)]}


def export_csv_rows() -> Iterator[dict]:
    for claim in _claims().iterator(chunk_size=200):
        mentions = list(claim.mentions.all())
        history = list(claim.status_changes.all())
        last = history[-1] if history else None
        yield {
            "id": claim.pk,
            "statement": claim.statement,
            "speaker": claim.speaker,
            "status": claim.status,
            "deadline_earliest": _iso(claim.deadline_earliest) or "",
            "deadline_latest": _iso(claim.deadline_latest) or "",
            "deadline_text": claim.deadline_text,
            "deadline_rule": claim.deadline_rule,
            "mentions": len(mentions),
            "outlets": "; ".join(sorted({m.article.outlet for m in mentions if m.article.outlet})),
            "first_seen": _iso(claim.first_seen_at) or "",
            "last_change_at": _iso(last.recorded_at) if last else "",
            "last_change_reason": last.reason if last else "",
            "deadline_moves": claim.deadline_moves,
        }


def export_csv() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    writer.writerows(export_csv_rows())
    return buffer.getvalue()
