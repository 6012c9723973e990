"""Pipeline stage (DB): article -> mentions -> claims -> status evidence.

`process_article` alone chains the stages: extract (pure), store mentions (idempotent by
span), match each new forecast to a claim or start one, move deadlines on restatements, and
turn event reports into fulfilment or contradiction evidence. `handle_article_edit` turns an
edit that removed a claim's sentence into a *retracted* proposal.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.candidates import index_claim, match_mention
from claims.extraction import EVENT_REPORT, FORECAST, ExtractedClaim, extract_claims
from claims.matching import MatchInput
from claims.models import ACTIVE_STATUSES, Claim, ClaimMention, ClaimStatus, StatusChange
from claims.status import move_deadline, propose_from_evidence, record_new_claim
from sources.models import Article, ArticleVersion

logger = logging.getLogger(__name__)

Reason = StatusChange.Reason

# Verbs of an event report that say the promised thing did NOT happen.
CONTRADICTION_VERBS = frozenset(
    {
        "collapse",
        "reject",
        "abandon",
        "cancel",
        "withdraw",
        "fail",
        "break",
        "postpone",
        "delay",
        "suspend",
        "halt",
        "scrap",
        "deny",
        "refuse",
        "walk",
        "drop",
        "miss",
        "stall",
        "falter",
        "end",
        "shelve",
        "block",
        "veto",
    }
)


@dataclass(frozen=True)
class ProcessResult:
    article_id: int
    mentions_created: int
    claims_created: int
    claims_joined: int
    status_changes: int
    skipped: bool = False


def process_article(
    article: Article, *, now: dt.datetime | None = None, force: bool = False
) -> ProcessResult:
    """Extract and record the dated claims of `article`; a no-op when its text was processed.

    `now` is when the processing happens (replay passes the simulated time); history rows
    are recorded at it. Re-running on the same text changes nothing.
    """
    if not force and article.processed_hash and article.processed_hash == article.content_hash:
        return ProcessResult(article.pk, 0, 0, 0, 0, skipped=True)
    now = now or timezone.now()
    published = article.published_at or article.first_fetched_at or article.created_at
    extracted = extract_claims(article.text, published=published, outlet=article.outlet)

    created_mentions = claims_created = joined = changes = 0
    for item in extracted:
        mention, created = _upsert_mention(article, item)
        if not created:
            continue
        created_mentions += 1
        if item.kind == FORECAST and item.latest is not None:
            outcome = _attach_forecast(mention, item, article=article, now=now)
            claims_created += outcome == "created"
            joined += outcome in ("joined", "moved")
            changes += outcome in ("created", "moved")
        elif item.kind == EVENT_REPORT:
            changes += _apply_event_report(mention, item, article=article, now=now)

    Article.objects.filter(pk=article.pk).update(
        processed_hash=article.content_hash, processed_at=now, processing_error=""
    )
    article.processed_hash = article.content_hash
    logger.info(
        "article %s: %d mention(s), %d new claim(s), %d joined, %d status change(s)",
        article.pk,
        created_mentions,
        claims_created,
        joined,
        changes,
    )
    return ProcessResult(article.pk, created_mentions, claims_created, joined, changes)


def _upsert_mention(article: Article, item: ExtractedClaim) -> tuple[ClaimMention, bool]:
    """One mention per sentence; an edit that only shifted offsets updates them."""
    existing = ClaimMention.objects.filter(
        article=article, sentence=item.sentence, removed_in_version__isnull=True
    ).first()
    if existing is not None:
        if (existing.start, existing.end) != (item.start, item.end):
            existing.start, existing.end = item.start, item.end
            existing.save(update_fields=["start", "end", "updated_at"])
        return existing, False
    timex = item.timex
    mention, created = ClaimMention.objects.get_or_create(
        article=article,
        start=item.start,
        end=item.end,
        defaults={
            "kind": item.kind,
            "sentence": item.sentence,
            "speaker": item.speaker[:300],
            "speaker_kind": item.speaker_kind,
            "cue": item.cue[:100],
            "event": item.event,
            "negated": item.negated,
            "conditional": item.conditional,
            "confidence": item.confidence,
            "entities": list(item.entities),
            "timex_text": timex.text[:300] if timex else "",
            "timex_type": timex.type if timex else "",
            "timex_value": (timex.value or "")[:100] if timex else "",
            "timex_mod": (timex.mod or "") if timex else "",
            "deadline_earliest": timex.earliest if timex else None,
            "deadline_latest": timex.latest if timex else None,
            "deadline_rule": timex.rule if timex else "",
            "deadline_vague": bool(timex.vague) if timex else False,
        },
    )
    return mention, created


def _match_input(mention: ClaimMention) -> MatchInput:
    return MatchInput(
        id=str(mention.pk),
        text=mention.sentence,
        event=mention.event,
        speaker=mention.speaker if mention.speaker_kind != "reporter" else "",
        entities=frozenset(mention.entities),
        earliest=mention.deadline_earliest,
        latest=mention.deadline_latest,
    )


def _attach_forecast(
    mention: ClaimMention, item: ExtractedClaim, *, article: Article, now: dt.datetime
) -> str:
    """Join the mention to its claim (maybe moving the deadline) or start a new claim."""
    match = match_mention(
        _match_input(mention),
        auto=settings.CLAIM_MATCH_AUTO,
        suggest=settings.CLAIM_MATCH_SUGGEST,
        exclude_ids=tuple(mention.detached_from.values_list("pk", flat=True)),
    )
    with transaction.atomic():
        if match is None:
            claim = _create_claim(mention, item, article=article, now=now)
            return "created"
        claim = Claim.objects.get(pk=int(match.candidate_id))
        mention.claim = claim
        mention.match_score = round(match.score, 1)
        mention.match_detail = match.parts
        mention.suggested = match.suggested
        mention.save(
            update_fields=["claim", "match_score", "match_detail", "suggested", "updated_at"]
        )
        Claim.objects.filter(pk=claim.pk).update(last_mentioned_at=article.published_at or now)
        if (
            not match.suggested
            and claim.status in ACTIVE_STATUSES
            and claim.deadline_latest is not None
            and mention.deadline_latest is not None
            and mention.deadline_latest > claim.deadline_latest
            and _same_speaker(claim.speaker, mention.speaker)
            and not mention.deadline_vague
        ):
            move_deadline(
                claim,
                new_window=(mention.deadline_earliest, mention.deadline_latest),
                at=now,
                evidence_mention=mention,
                evidence_article=article,
            )
            Claim.objects.filter(pk=claim.pk).update(
                deadline_text=mention.timex_text,
                deadline_value=mention.timex_value,
                deadline_rule=mention.deadline_rule,
            )
            return "moved"
    return "joined"


def _create_claim(
    mention: ClaimMention, item: ExtractedClaim, *, article: Article, now: dt.datetime
) -> Claim:
    seen_at = article.published_at or now
    claim = Claim.objects.create(
        statement=item.event or item.sentence,
        event=item.event,
        speaker=item.speaker[:300],
        entities=list(item.entities),
        negated=item.negated,
        conditional=item.conditional,
        deadline_earliest=mention.deadline_earliest,
        deadline_latest=mention.deadline_latest,
        deadline_text=mention.timex_text,
        deadline_value=mention.timex_value,
        deadline_rule=mention.deadline_rule,
        deadline_vague=mention.deadline_vague,
        status=ClaimStatus.OPEN,
        status_changed_at=now,
        first_seen_at=seen_at,
        last_mentioned_at=seen_at,
    )
    mention.claim = claim
    mention.save(update_fields=["claim", "updated_at"])
    record_new_claim(claim, at=now, mention=mention, article=article)
    index_claim(claim, texts=[mention.sentence, item.event], entities=item.entities)
    return claim


def _apply_event_report(
    mention: ClaimMention, item: ExtractedClaim, *, article: Article, now: dt.datetime
) -> int:
    """A past-tense report that matches an active claim proposes its outcome."""
    match = match_mention(
        _match_input(mention),
        auto=settings.CLAIM_MATCH_AUTO,
        suggest=settings.CLAIM_MATCH_SUGGEST,
        exclude_ids=tuple(
            ClaimMention.objects.filter(article=article, claim__isnull=False).values_list(
                "claim_id", flat=True
            )
        ),
    )
    if match is None:
        return 0
    claim = Claim.objects.filter(pk=int(match.candidate_id), status__in=ACTIVE_STATUSES).first()
    if claim is None or (
        claim.first_seen_at and article.published_at and article.published_at <= claim.first_seen_at
    ):
        return 0  # background in the claim's own first article is not evidence
    happened = _event_date(item, article)
    effective_at = dt.datetime.combine(happened, dt.time(12, 0), tzinfo=dt.UTC)
    contradicted = item.negated or item.verb in CONTRADICTION_VERBS
    if contradicted:
        new_status, reason = ClaimStatus.CONTRADICTED, Reason.EVIDENCE_CONTRADICTED
    elif claim.deadline_latest is None or happened <= claim.deadline_latest:
        new_status, reason = ClaimStatus.FULFILLED, Reason.EVIDENCE_FULFILLED
    else:
        new_status, reason = ClaimStatus.FULFILLED_LATE, Reason.EVIDENCE_FULFILLED
    ClaimMention.objects.filter(pk=mention.pk).update(
        match_score=round(match.score, 1), match_detail=match.parts
    )
    change = propose_from_evidence(
        claim,
        new_status,
        reason=reason,
        at=now,
        effective_at=effective_at,
        evidence_mention=mention,
        evidence_article=article,
        detail={"score": round(match.score, 1), "event_date": happened.isoformat()},
    )
    return int(change is not None)


def _event_date(item: ExtractedClaim, article: Article) -> dt.date:
    if item.timex is not None and item.timex.latest is not None:
        return item.timex.latest
    published = article.published_at or timezone.now()
    return published.date()


def _same_speaker(a: str, b: str) -> bool:
    a, b = a.lower().strip(), b.lower().strip()
    if not a or not b:
        return False
    return a == b or a.split()[-1] == b.split()[-1]


def handle_article_edit(
    article: Article, version: ArticleVersion, *, now: dt.datetime | None = None
) -> int:
    """An edit removed or changed sentences: mark their mentions and propose *retracted*.

    Then the new text is processed like any article (new sentences may hold new claims).
    Returns the number of retraction proposals.
    """
    now = now or timezone.now()
    gone = set(version.removed_sentences) | {pair["old"] for pair in version.changed_sentences}
    proposals = 0
    for mention in article.claim_mentions.filter(removed_in_version__isnull=True).select_related(
        "claim"
    ):
        if not any(_sentence_overlaps(mention.sentence, sentence) for sentence in gone):
            continue
        mention.removed_in_version = version
        mention.save(update_fields=["removed_in_version", "updated_at"])
        claim = mention.claim
        if claim is None or claim.status not in ACTIVE_STATUSES or mention.kind != FORECAST:
            continue
        live = claim.mentions.filter(removed_in_version__isnull=True).exclude(pk=mention.pk)
        if live.exists():
            continue  # other articles still state it
        change = propose_from_evidence(
            claim,
            ClaimStatus.RETRACTED,
            reason=Reason.SOURCE_EDITED,
            at=now,
            effective_at=now,
            evidence_mention=mention,
            evidence_article=article,
            detail={"version": version.number},
        )
        proposals += change is not None
    process_article(article, now=now)
    return proposals


def _sentence_overlaps(mention_sentence: str, removed: str) -> bool:
    a = " ".join(mention_sentence.split())
    b = " ".join(removed.split())
    return bool(a) and bool(b) and (a in b or b in a)
