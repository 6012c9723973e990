"""Pipeline stage (DB): article -> mentions -> claims -> status evidence.

`process_article` alone chains the stages: extract (pure), store mentions (idempotent by
span), match each new forecast to a claim or start one, move deadlines on restatements, and
turn event reports into fulfilment or contradiction evidence. `handle_article_edit` turns an
edit that removed a claim's sentence into a *retracted* proposal.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.extraction import (
    EVENT_REPORT,
    FORECAST,
    ArticleInput,
    ExtractedClaim,
    extract_claims,
    extract_claims_batch,
    replaced_deadline,
    sets_new_deadline,
)
from claims.matching import (
    Match,
    looks_like_name,
    speakers_agree,
    stem,
    tokenize,
)
from claims.matching.candidates import index_claim
from claims.matching.stage import (
    DATED_REPORT_LATE_DAYS,
    StoredWording,
    match_by_subject,
    match_dated_report,
    match_mention,
    match_undated_report,
)
from claims.models import ACTIVE_STATUSES, Claim, ClaimMention, ClaimStatus, StatusChange
from claims.status import move_deadline, propose_from_evidence, record_new_claim, supersede
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


# An article not processed this long after its last change has lost its extraction message.
UNPROCESSED_GRACE = dt.timedelta(minutes=10)


def unprocessed_articles(*, now: dt.datetime | None = None):
    """Articles whose current text was never processed and that did not fail doing so."""
    now = now or timezone.now()
    return (
        Article.objects.exclude(processed_hash=F("content_hash"))
        .exclude(content_hash="")
        .filter(processing_error="", updated_at__lt=now - UNPROCESSED_GRACE)
        .order_by("updated_at")
    )


def orphaned_forecast_mentions(*, now: dt.datetime | None = None):
    """Live forecast mentions with a deadline but no claim, that no editor detached.

    Only a worker killed between storing a mention and matching it (before processing was
    one transaction) leaves these. An editor's detach always re-attaches the mention, and
    marks it (`detached_from`, `match_detail["detached_by"]`), so those are never taken.
    A mention whose claim an editor deleted looks the same and is matched again.
    """
    now = now or timezone.now()
    return (
        ClaimMention.objects.filter(
            kind=ClaimMention.Kind.FORECAST,
            claim__isnull=True,
            deadline_latest__isnull=False,
            removed_in_version__isnull=True,
            detached_from__isnull=True,
            created_at__lt=now - UNPROCESSED_GRACE,
        )
        .exclude(match_detail__has_key="detached_by")
        .order_by("pk")
    )


def _lock_orphaned_forecast(mention_id: int, *, skip_locked: bool = False) -> ClaimMention | None:
    """Lock the mention's row and return it when it is still an orphaned forecast.

    Call inside a transaction. The row lock makes a re-run and a sweep that meet on one
    orphan attach it once: the second waits (or skips), then sees the claim.
    """
    mention = (
        ClaimMention.objects.select_for_update(skip_locked=skip_locked)
        .filter(
            pk=mention_id,
            kind=ClaimMention.Kind.FORECAST,
            claim__isnull=True,
            deadline_latest__isnull=False,
            removed_in_version__isnull=True,
        )
        .first()
    )
    if mention is None or "detached_by" in (mention.match_detail or {}):
        return None
    if mention.detached_from.exists():
        return None
    return mention


def complete_orphaned_mentions(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Attach each orphaned forecast mention to its claim (or a new one); return how many.

    Each mention is its own transaction with its row locked (SKIP LOCKED), so two sweeps, or
    a sweep and a re-run of the article, never attach one mention twice.
    """
    now = now or timezone.now()
    done = 0
    for mention_id in orphaned_forecast_mentions(now=now).values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            mention = _lock_orphaned_forecast(mention_id, skip_locked=True)
            if mention is None:
                continue
            outcome = attach_forecast_mention(mention, now=now)
        logger.info("sweep: orphaned mention %s %s its claim", mention_id, outcome)
        done += 1
    return done


def needs_processing(article: Article) -> bool:
    """Whether `article`'s current text was never processed."""
    return not (article.processed_hash and article.processed_hash == article.content_hash)


def article_input(article: Article) -> ArticleInput:
    """What extraction reads of a stored article: its text, publication time and outlet."""
    published = article.published_at or article.first_fetched_at or article.created_at
    return ArticleInput(article.text, published, article.outlet)


# Articles parsed together by `nlp.pipe` in the bulk paths: spaCy's own default batch.
EXTRACTION_BATCH = 32


def extract_articles(inputs: list[ArticleInput]) -> list[list[ExtractedClaim]]:
    """`extract_claims` of each input, parsed together with `nlp.pipe` (the bulk paths)."""
    return extract_claims_batch(inputs, batch_size=EXTRACTION_BATCH)


def process_articles(
    articles: list[Article], *, now: dt.datetime | None = None
) -> list[ProcessResult | Exception]:
    """`process_article` for each article, their texts parsed together (`nlp.pipe`).

    Each article is still its own transaction and its own failure: the result at an
    article's position is its `ProcessResult` or the exception its processing raised (a
    database outage, `OperationalError`, is raised at once). When the batch's extraction
    fails, each article is extracted on its own, so one bad text fails alone.
    """
    from django.db import OperationalError

    pending = [article for article in articles if needs_processing(article)]
    try:
        extracted = dict(
            zip(
                (article.pk for article in pending),
                extract_articles([article_input(article) for article in pending]),
                strict=True,
            )
        )
    except Exception:
        logger.exception("batch extraction of %d article(s) failed; one by one", len(pending))
        extracted = {}
    results: list[ProcessResult | Exception] = []
    for article in articles:
        try:
            results.append(process_article(article, now=now, extracted=extracted.get(article.pk)))
        except OperationalError:
            raise
        except Exception as exc:  # one bad article must not stop the batch
            results.append(exc)
    return results


def process_article(
    article: Article,
    *,
    now: dt.datetime | None = None,
    force: bool = False,
    extracted: list[ExtractedClaim] | None = None,
) -> ProcessResult:
    """Extract and record the dated claims of `article`; a no-op when its text was processed.

    `now` is when the processing happens (replay passes the simulated time); history rows
    are recorded at it. Re-running on the same text changes nothing. `extracted` is the
    article's extraction when a bulk path already made it (`process_articles`, replay).
    """
    if not force and not needs_processing(article):
        return ProcessResult(article.pk, 0, 0, 0, 0, skipped=True)
    now = now or timezone.now()
    if extracted is None:
        source = article_input(article)
        extracted = extract_claims(source.text, published=source.published, outlet=source.outlet)

    created_mentions = claims_created = joined = changes = 0
    # One transaction for the article's writes (extraction above is pure and stays outside):
    # a worker killed half-way leaves no mention without its claim, and the redelivered task
    # or the sweep does the article again. Alerts are enqueued on commit, so none goes out
    # for work that was rolled back.
    with transaction.atomic():
        resolved, article_claims = _upsert_mentions(article, extracted)
        for item, (mention, created) in zip(extracted, resolved, strict=True):
            # A forecast stored without its claim (a worker killed mid-article before this
            # was one transaction) is completed now; other existing mentions are complete.
            orphan = (
                not created
                and mention.claim_id is None
                and _lock_orphaned_forecast(mention.pk) is not None
            )
            created_mentions += created
            if orphan or (created and item.kind == FORECAST and item.latest is not None):
                outcome = attach_forecast_mention(
                    mention, now=now, fresh=created, article_claims=article_claims
                )
                article_claims.add(mention.claim_id)
                claims_created += outcome == "created"
                joined += outcome in ("joined", "moved")
                changes += outcome in ("created", "moved")
            elif created and item.kind == EVENT_REPORT:
                changes += _apply_event_report(
                    mention, item, article=article, now=now, article_claims=article_claims
                )

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


def _upsert_mentions(
    article: Article, extracted: list[ExtractedClaim]
) -> tuple[list[tuple[ClaimMention, bool]], set[int]]:
    """(mention, created) for each item: one mention per sentence, in three queries; and
    the claims the article's stored mentions (live or removed) already belong to.

    An item whose sentence has a live mention is that mention (an edit that only shifted
    offsets updates them); else the mention at its span (live or removed) is reused; else a
    new one is made, all new ones in one INSERT. The article's row is locked first, so two
    workers processing one article take turns and the second finds the first's mentions.
    Call inside a transaction.
    """
    Article.objects.select_for_update().filter(pk=article.pk).values_list("pk").first()
    stored = list(ClaimMention.objects.filter(article=article))  # ordered by start
    live: dict[str, ClaimMention] = {}
    for mention in stored:
        if mention.removed_in_version_id is None:
            live.setdefault(mention.sentence, mention)
    by_span = {(mention.start, mention.end): mention for mention in stored}
    pending: list[ClaimMention] = []
    resolved: list[tuple[ClaimMention, bool]] = []
    for item in extracted:
        existing = live.get(item.sentence)
        if existing is not None:
            if (existing.start, existing.end) != (item.start, item.end):
                if by_span.get((existing.start, existing.end)) is existing:
                    del by_span[existing.start, existing.end]
                existing.start, existing.end = item.start, item.end
                by_span[existing.start, existing.end] = existing
                if existing.pk is not None:
                    existing.save(update_fields=["start", "end", "updated_at"])
            resolved.append((existing, False))
            continue
        existing = by_span.get((item.start, item.end))
        if existing is not None:
            resolved.append((existing, False))
            continue
        mention = _new_mention(article, item)
        pending.append(mention)
        live[mention.sentence] = mention
        by_span[mention.start, mention.end] = mention
        resolved.append((mention, True))
    if pending:
        ClaimMention.objects.bulk_create(pending)
    return resolved, {mention.claim_id for mention in stored if mention.claim_id is not None}


def _new_mention(article: Article, item: ExtractedClaim) -> ClaimMention:
    timex = item.timex
    return ClaimMention(
        article=article,
        start=item.start,
        end=item.end,
        kind=item.kind,
        sentence=item.sentence,
        speaker=item.speaker[:300],
        speaker_kind=item.speaker_kind,
        cue=item.cue[:100],
        statement=item.statement,
        event=item.event,
        event_verb=item.verb[:50],
        event_subject=item.subject[:100],
        negated=item.negated,
        conditional=item.conditional,
        confidence=item.confidence,
        entities=list(item.entities),
        timex_text=timex.text[:300] if timex else "",
        timex_type=timex.type if timex else "",
        timex_value=(timex.value or "")[:100] if timex else "",
        timex_mod=(timex.mod or "") if timex else "",
        deadline_earliest=timex.earliest if timex else None,
        deadline_latest=timex.latest if timex else None,
        deadline_rule=timex.rule if timex else "",
        deadline_vague=bool(timex.vague) if timex else False,
    )


def attach_forecast_mention(
    mention: ClaimMention,
    *,
    now: dt.datetime,
    fresh: bool = False,
    article_claims: set[int] | None = None,
) -> str:
    """Join the mention to its claim (maybe moving the deadline) or start a new claim.

    Returns "created", "joined" or "moved". Claims the mention was detached from by an
    editor are never considered (a `fresh` mention, stored just now, has none).
    `article_claims`: the claims of the article's mentions, when the caller keeps them.
    """
    article = mention.article
    detached = () if fresh else tuple(mention.detached_from.values_list("pk", flat=True))
    match = match_mention(mention, exclude_ids=detached, article_claims=article_claims)
    # No savepoint: the caller's transaction (the article's) is undone whole on any error.
    with transaction.atomic(savepoint=False):
        if match is None:
            claim = _create_claim(mention, article=article, now=now)
            granted = sets_new_deadline(mention.sentence)
            _supersede_moved_deadline(claim, mention, article=article, now=now, granted=granted)
            if granted:
                _fulfil_promised_extension(mention, article=article, now=now)
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
        _reindex(claim)
        if looks_like_name(mention.speaker) and not looks_like_name(claim.speaker):
            # "the country's economy minister" first, "Ilse Varga-Moren" later: keep the name.
            Claim.objects.filter(pk=claim.pk).update(speaker=mention.speaker[:300])
            claim.speaker = mention.speaker
        # A granted extension fulfils the promise of it, the claim it joined included ("will
        # sign an order extending the deadline" / "extended the deadline by 60 days").
        if _fulfil_promised_extension(mention, article=article, now=now):
            claim.refresh_from_db(fields=["status", "deadline_earliest", "deadline_latest"])
        if not match.suggested:
            # Only a move granted ("extended the deadline until …") ends the earlier claim.
            granted = mention.cue in _GRANTED_CUES and sets_new_deadline(mention.sentence)
            _supersede_moved_deadline(claim, mention, article=article, now=now, granted=granted)
        if (
            not match.suggested
            and claim.status in ACTIVE_STATUSES
            and claim.deadline_latest is not None
            and mention.deadline_latest is not None
            and mention.deadline_latest > claim.deadline_latest
            and _restated_by_same_speaker(claim, mention)
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


def _supersede_moved_deadline(
    claim: Claim, mention: ClaimMention, *, article: Article, now: dt.datetime, granted: bool
) -> None:
    """End the claim whose deadline `mention` moved to `claim`'s: the one due on the day it
    names as the old deadline, or else, for a move `granted`, the best earlier match."""
    if not _supersede_named_deadline(claim, mention, article=article, now=now) and granted:
        _supersede_earlier_deadline(claim, mention, article=article, now=now)


def _supersede_named_deadline(
    claim: Claim, mention: ClaimMention, *, article: Article, now: dt.datetime
) -> int:
    """ "Delayed until August 1 from the July 9 deadline": the claim due on the day the move
    names as the old deadline ends as *deadline moved*, `claim` (the new deadline) its successor.

    Found as a dated report is (`match_dated_report` on the old day: its keys, its subject),
    whatever the verbs, and only a claim whose window closes on that day (give or take
    `DATED_REPORT_LATE_DAYS`). Returns how many claims it moved or proposed to move.
    """
    published = article.published_at or article.first_fetched_at
    if mention.deadline_latest is None or mention.deadline_vague or published is None:
        return 0
    old_day = replaced_deadline(mention.sentence, published.date(), mention.deadline_latest)
    if old_day is None:
        return 0
    matches = match_dated_report(
        mention,
        day=old_day,
        exclude_ids=(claim.pk, *_claims_stated_in(article)),
        statuses=(*ACTIVE_STATUSES, ClaimStatus.MISSED),
        promised=lambda wording: True,
        # The move's subject is the order or the declaration, not what was due.
        check_subject=False,
    )
    slack = dt.timedelta(days=DATED_REPORT_LATE_DAYS)
    moved = 0
    for match in matches:
        earlier = Claim.objects.get(pk=int(match.candidate_id))
        if earlier.deadline_latest is None or abs(earlier.deadline_latest - old_day) > slack:
            continue
        moved += (
            supersede(
                earlier,
                claim,
                at=now,
                evidence_mention=mention,
                evidence_article=article,
                detail={"score": round(match.score, 1), "replaced": old_day.isoformat()},
                confident=_outcome_is_clear(match),
            )
            is not None
        )
    return moved


def _supersede_earlier_deadline(
    claim: Claim, mention: ClaimMention, *, article: Article, now: dt.datetime
) -> None:
    """ "Trump extended the deadline by 75 days, to June 19": the active claim with the
    earlier deadline that this statement moves ends as *deadline moved*.

    The earlier claim is found like a report's (its words and event, not its window), must
    end before the new deadline and come from an earlier article; below `CLAIM_OUTCOME_AUTO`
    the move waits for an editor.
    """
    if mention.deadline_latest is None or mention.deadline_vague:
        return
    same_article = _claims_stated_in(article)
    earlier = Claim.objects.filter(
        status__in=ACTIVE_STATUSES, deadline_latest__lt=mention.deadline_latest
    ).exclude(pk__in=same_article)
    match = match_mention(
        mention,
        exclude_ids=(claim.pk, *same_article),
        compare_window=False,
        statuses=ACTIVE_STATUSES,
    )
    if match is None or not earlier.filter(pk=int(match.candidate_id)).exists():
        return
    supersede(
        Claim.objects.get(pk=int(match.candidate_id)),
        claim,
        at=now,
        evidence_mention=mention,
        evidence_article=article,
        detail={"score": round(match.score, 1)},
        confident=_outcome_is_clear(match),
    )


def _claims_stated_in(article: Article) -> tuple[int, ...]:
    """The claims the article's own mentions state: never evidence about themselves."""
    return tuple(
        ClaimMention.objects.filter(article=article, claim__isnull=False).values_list(
            "claim_id", flat=True
        )
    )


def _fulfil_promised_extension(
    mention: ClaimMention, *, article: Article, now: dt.datetime, day: dt.date | None = None
) -> int:
    """ "Trump extended the deadline by 90 days" fulfils "he will sign an order this week
    pushing the deadline back": a claim that promised a move, due when it was granted.

    Only a move reported as done (an event report, or a forecast without a future auxiliary:
    `_GRANTED_CUES`) fulfils anything; it happened on `day` (the report's own, "signed an
    order on Monday extending …") or the article's. Returns how many claims it settled or
    proposed to settle.
    """
    granted = mention.kind == ClaimMention.Kind.EVENT_REPORT or mention.cue in _GRANTED_CUES
    if (
        not granted
        or mention.negated
        or _REFUSED_MOVE_RE.search(mention.sentence)
        or article.published_at is None
    ):
        return 0  # "has not extended the deadline", "no extensions": nothing was granted
    day = day or article.published_at.date()
    same_article = tuple(pk for pk in _claims_stated_in(article) if pk != mention.claim_id)
    matches = match_dated_report(
        mention,
        day=day,
        exclude_ids=same_article,
        statuses=(*ACTIVE_STATUSES, ClaimStatus.MISSED),
        promised=_promises_a_move,
    )
    return _settle_all(mention, matches, happened=day, article=article, now=now)


_REFUSED_MOVE_RE = re.compile(
    r"\b(?:not|no|never|refus\w*|reject\w*|rul\w+ out|den(?:y|ies|ied))\b[^.;:]{0,40}?"
    r"\b(?:extend|extension|delay|postpon|push\w* back|defer|prolong|reprieve)",
    re.IGNORECASE,
)
# Cues of a deadline move stated without a future auxiliary: "extended the ban until June 19",
# "signed an order extending the deadline": reported as done, not promised.
_GRANTED_CUES = frozenset({"extension", "deadline"})


def _promises_a_move(stated: StoredWording) -> bool:
    """A wording that promises a deadline move ("will sign an order extending it"), not one
    that reports a move already granted (that claim is the move itself)."""
    return stated.cue not in _GRANTED_CUES and sets_new_deadline(stated.input.text)


def _create_claim(mention: ClaimMention, *, article: Article, now: dt.datetime) -> Claim:
    seen_at = article.published_at or now
    claim = Claim.objects.create(
        statement=_capitalised(mention.statement or mention.event or mention.sentence),
        event=mention.event,
        speaker=mention.speaker,
        entities=list(mention.entities),
        negated=mention.negated,
        conditional=mention.conditional,
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
    index_claim(claim, texts=[mention.sentence, mention.event], entities=mention.entities)
    return claim


def _apply_event_report(
    mention: ClaimMention,
    item: ExtractedClaim,
    *,
    article: Article,
    now: dt.datetime,
    article_claims: set[int] | None = None,
) -> int:
    """A past-tense report that matches a claim proposes (or applies) its outcome.

    Only claims not stated in this same article can take evidence. The strongest link wins:

    1. a move granted ("signed an order extending …") fulfils the promise of it;
    2. a report dated on a single day settles the claims due around it
       (`match_dated_report`), even ones the clock called missed;
    3. a report that names a product ("has unveiled GPT-5") settles the open claims that
       promised it (`match_undated_report`), bounded by its day or its article's;
    4. an undated report settles a claim due on its article's day (`_due_on_the_day`);
    5. otherwise its words: a report of failure ("the ceasefire collapsed") is matched on
       what failed and contradicts the claim at an `auto`-level match; any other must be of
       the claim's kind and have happened on or after the day the claim was made.
    """
    contradicted = item.negated or item.verb in CONTRADICTION_VERBS
    if article_claims is not None:
        same_article = tuple(sorted(article_claims))
    else:
        same_article = _claims_stated_in(article)
    if not contradicted and sets_new_deadline(item.sentence):
        # "Signed an executive order on Monday extending the app's operations": a move granted.
        granted = _fulfil_promised_extension(mention, article=article, now=now, day=_own_day(item))
        if granted:
            return granted
    day = None if contradicted else _reported_day(item)
    if day is not None:
        dated = match_dated_report(
            mention,
            day=day,
            exclude_ids=same_article,
            # The clock's "missed" is no evidence: a report that it happened in time wins.
            statuses=(*ACTIVE_STATUSES, ClaimStatus.MISSED),
        )
        if dated:
            return _settle_all(mention, dated, happened=day, article=article, now=now)
    # A dated report that settles no claim due that day may still name what it released.
    upto = day or (None if contradicted else _undated_upto(item, article))
    if upto is not None:
        undated = match_undated_report(
            mention, upto=upto, exclude_ids=same_article, statuses=ACTIVE_STATUSES
        )
        if undated:
            return _settle_all(mention, undated, happened=upto, article=article, now=now)
        if item.timex is None and (todays := _due_on_the_day(mention, upto, same_article)):
            return _settle_all(mention, todays, happened=upto, article=article, now=now)
    match = match_mention(
        mention,
        exclude_ids=same_article,
        article_claims=set(same_article),
        # An event report's date says when it happened, not a deadline: match on the event.
        compare_window=False,
        compare_verb=not contradicted,
        statuses=ACTIVE_STATUSES,
    )
    if contradicted and (
        match is None
        or match.score < settings.CLAIM_MATCH_AUTO
        or not _states_subject(match, mention.event_subject)
    ):
        # "The ceasefire collapsed" against "the ceasefire will hold": the sentences share
        # little but what failed is what was promised. Short of an `auto` match, only a claim
        # about the same subject takes the contradiction ("talks broke up" is not "the gas
        # cut-off").
        match = match_by_subject(mention, exclude_ids=same_article, statuses=ACTIVE_STATUSES)
    if match is None:
        return 0
    if not contradicted and match.parts.get("verb", 0) < 0:
        return 0
    return _settle(
        mention,
        match,
        happened=_event_date(item, article),
        article=article,
        now=now,
        contradicted=contradicted,
    )


def _settle_all(
    mention: ClaimMention,
    matches: list[Match],
    *,
    happened: dt.date,
    article: Article,
    now: dt.datetime,
) -> int:
    """One report may settle several claims ("the order, signed on Thursday, extends the
    deadline" fulfils both "he will sign an order this week" and "he will extend it again")."""
    return sum(
        _settle(mention, match, happened=happened, article=article, now=now) for match in matches
    )


def _settle(
    mention: ClaimMention,
    match: Match,
    *,
    happened: dt.date,
    article: Article,
    now: dt.datetime,
    contradicted: bool = False,
) -> int:
    """Propose (or, for a clear match, apply) the outcome a report gives its matched claim.

    Fulfilled when the event happened inside the window, late after it (by the event's date,
    not the article's); contradicted for a report of failure. Applied unreviewed only when
    the match is `suggested` no more (see `_outcome_is_clear`).
    """
    claim = Claim.objects.get(pk=int(match.candidate_id))
    if claim.first_seen_at and happened < timezone.localdate(claim.first_seen_at):
        return 0  # it happened before the promise was made: background, not evidence
    effective_at = dt.datetime.combine(happened, dt.time(12, 0), tzinfo=dt.UTC)
    if contradicted:
        new_status, reason = ClaimStatus.CONTRADICTED, Reason.EVIDENCE_CONTRADICTED
    elif claim.deadline_latest is None or happened <= claim.deadline_latest + dt.timedelta(
        # A day after the window is news's precision ("75 days" counted both ways, time
        # zones), not lateness: a dated report found that close is on time.
        days=DATED_REPORT_LATE_DAYS if "dated" in match.parts else 0
    ):
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
        detail={"score": round(match.score, 1), "event_date": happened.isoformat()}
        | ({"dated": True} if "dated" in match.parts else {}),
        confident=_outcome_is_clear(match),
    )
    return int(change is not None)


def _outcome_is_clear(match: Match) -> bool:
    """Whether a report's link to a claim is strong enough for its outcome to apply unreviewed.

    On real news a report of an outcome shares few words with the promise ("TikTok restores
    service" / "the app will go dark"), and links below `CLAIM_OUTCOME_AUTO` are wrong often
    enough that they only become proposals in the review queue (a contradiction found by
    its subject alone scores far below). A report dated inside the claim's window, of the
    promised kind (`match_dated_report`), needs only `CLAIM_OUTCOME_DATED_AUTO`.
    """
    if "dated" in match.parts or "undated" in match.parts:
        return not match.suggested
    return match.score >= settings.CLAIM_OUTCOME_AUTO


# Verbs that state no event of their own ("the deadline was January 19", "it had support").
_STATE_VERBS = frozenset({"be", "have"})


def _reported_day(item: ExtractedClaim) -> dt.date | None:
    """The day a report says its event happened, when it says so itself ("on Saturday").

    None for an undated report (only the article's date bounds it), a span ("in August"),
    a state ("was", "had"), a negation, or a postponement ("delayed the vote to May" moves a
    deadline, it fulfils nothing).
    """
    if sets_new_deadline(item.sentence):
        return None
    return _own_day(item)


def _states_an_event(item: ExtractedClaim) -> bool:
    """A report that something happened: not a negation, not a state ("was", "had")."""
    return not item.negated and item.verb not in _STATE_VERBS


def _own_day(item: ExtractedClaim) -> dt.date | None:
    """The single day a report's own time expression names, if it names one."""
    timex = item.timex
    if timex is None or timex.latest is None or not _states_an_event(item):
        return None
    if timex.earliest is not None and (timex.latest - timex.earliest).days > 1:
        return None
    return timex.latest


# "released it this week", "earlier this month": a span this short, ending by the article's
# day, bounds a report as its article does.
UNDATED_SPAN_DAYS = 7


def _due_on_the_day(
    mention: ClaimMention, day: dt.date, same_article: tuple[int, ...]
) -> list[Match]:
    """ "The two leaders spoke by telephone", published the day they were due to speak: news
    of the day reports the day's events, so an undated report settles a claim due on its
    article's day (or the day before), as a report dated that day would."""
    matches = match_dated_report(
        mention,
        day=day,
        exclude_ids=same_article,
        statuses=(*ACTIVE_STATUSES, ClaimStatus.MISSED),
    )
    due = {
        claim.pk: claim.deadline_latest
        for claim in Claim.objects.filter(pk__in=[int(m.candidate_id) for m in matches])
    }
    return [
        match
        for match in matches
        if due.get(int(match.candidate_id)) is not None
        and day - dt.timedelta(days=1) <= due[int(match.candidate_id)] <= day
    ]


def _undated_upto(item: ExtractedClaim, article: Article) -> dt.date | None:
    """The latest day an undated report's event can have happened: its article's day.

    "OpenAI has unveiled GPT-5", "released it this week": no day of its own, so the article
    bounds it. None for a state, a negation or a postponement (as for `_reported_day`).
    """
    if not _states_an_event(item) or sets_new_deadline(item.sentence):
        return None
    day = (article.published_at or article.first_fetched_at or timezone.now()).date()
    if item.timex is not None and item.timex.latest is not None:
        if item.timex.earliest is None or item.timex.latest - item.timex.earliest > dt.timedelta(
            days=UNDATED_SPAN_DAYS
        ):
            return None
        day = min(day, item.timex.latest)
    return day


def _states_subject(match: Match, subject: str) -> bool:
    """Whether what failed ("talks broke up") is named in the claim's matched wording.

    "Talks broke up" does not contradict "gas deliveries will stop if talks fail", however
    alike the sentences read: a contradiction is about the claim's own subject.
    """
    if not subject:
        return True
    via = ClaimMention.objects.filter(pk=match.parts.get("via_mention")).first()
    return via is not None and stem(subject.lower()) in tokenize(via.sentence)


def _event_date(item: ExtractedClaim, article: Article) -> dt.date:
    if item.timex is not None and item.timex.latest is not None:
        return item.timex.latest
    published = article.published_at or timezone.now()
    return published.date()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reindex(claim: Claim) -> None:
    """Index a claim under the words of all its live mentions, so any wording finds it."""
    mentions = claim.mentions.filter(removed_in_version__isnull=True).values_list(
        "sentence", "event", "entities"
    )
    texts, entities = [], set()
    for sentence, event, names in mentions:
        texts += [sentence, event]
        entities.update(names or [])
    index_claim(claim, texts=texts, entities=sorted(entities))


def _restated_by_same_speaker(claim: Claim, mention: ClaimMention) -> bool:
    """Whether the mention's speaker is the claim's, under any of the names it was given."""
    if not mention.speaker or mention.speaker_kind == "reporter":
        return False
    names = {claim.speaker} | set(
        claim.mentions.filter(removed_in_version__isnull=True)
        .exclude(pk=mention.pk)
        .exclude(speaker_kind="reporter")
        .values_list("speaker", flat=True)
    )
    return any(speakers_agree(mention.speaker, name) for name in names if name)


# Marks, retraction proposals and the new text's claims stand or fall together: a task killed
# half-way is redone whole, never with its removed mentions already marked and unproposed.
@transaction.atomic
def handle_article_edit(
    article: Article,
    version: ArticleVersion,
    *,
    now: dt.datetime | None = None,
    extracted: list[ExtractedClaim] | None = None,
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
    process_article(article, now=now, extracted=extracted)
    return proposals


def _sentence_overlaps(mention_sentence: str, removed: str) -> bool:
    a = " ".join(mention_sentence.split())
    b = " ".join(removed.split())
    return bool(a) and bool(b) and (a in b or b in a)
