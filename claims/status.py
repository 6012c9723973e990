"""Status stage: decide a claim's status (pure) and record the move (DB, the only writer).

`decide_time_status` is pure and says where time alone puts a claim. `transition_claim` is
the only code that writes `Claim.status`; every move it makes is a `StatusChange` row.
`check_deadlines` applies the time rules to every active claim.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from claims import alerts, speakers
from claims.models import ACTIVE_STATUSES, Claim, ClaimMention, ClaimStatus, StatusChange

logger = logging.getLogger(__name__)

Reason = StatusChange.Reason

# How far along the time-driven path a status is.
_TIME_ORDER = {
    ClaimStatus.OPEN: 0,
    ClaimStatus.DUE_SOON: 1,
    ClaimStatus.OVERDUE: 2,
    ClaimStatus.MISSED: 3,
}


@dataclass(frozen=True)
class TimeDecision:
    new_status: str
    reason: str


def decide_time_status(
    status: str,
    *,
    deadline_latest: dt.date | None,
    today: dt.date,
    due_soon_days: int,
    grace_days: int,
) -> TimeDecision | None:
    """Where time alone puts a claim on `today`; None when it stays where it is.

    Only active claims (open, due soon, overdue) move. The window's last day is inclusive:
    a claim due by Friday is overdue on Saturday and missed `grace_days` after Friday.
    """
    if status not in ACTIVE_STATUSES or deadline_latest is None:
        return None
    if today > deadline_latest + dt.timedelta(days=grace_days):
        target, reason = ClaimStatus.MISSED, Reason.GRACE_EXPIRED
    elif today > deadline_latest:
        target, reason = ClaimStatus.OVERDUE, Reason.DEADLINE_PASSED
    elif today >= deadline_latest - dt.timedelta(days=due_soon_days):
        target, reason = ClaimStatus.DUE_SOON, Reason.DEADLINE_NEAR
    else:
        return None
    if _TIME_ORDER[target] <= _TIME_ORDER[ClaimStatus(status)]:
        # Time only moves forward; a later deadline moves a claim back (move_deadline), and a
        # replay that checks an earlier moment must not undo what a later one decided.
        return None
    return TimeDecision(new_status=target, reason=reason)


@transaction.atomic
def transition_claim(
    claim: Claim,
    new_status: str,
    *,
    reason: str,
    actor=None,
    at: dt.datetime | None = None,
    effective_at: dt.datetime | None = None,
    evidence_mention=None,
    evidence_article=None,
    evidence_quote: str = "",
    new_deadline: tuple[dt.date | None, dt.date | None] | None = None,
    detail: dict | None = None,
    review_state: str = StatusChange.Review.NOT_NEEDED,
    apply: bool = True,
) -> StatusChange | None:
    """Move `claim` to `new_status` (and optionally a new deadline window) and record it.

    1. Lock the claim row so two workers cannot both move it.
    2. Return None (a no-op) when neither the status nor the window changes.
    3. Write the StatusChange with old/new status and window, then update the claim.
    `at` is when Claimwatch records the move (replay passes simulated times); it defaults
    to now, and `effective_at` defaults to `at`. With `apply=False` the change is only
    proposed: recorded for an editor's review, the claim itself untouched.
    """
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    old_window = (locked.deadline_earliest, locked.deadline_latest)
    new_window = new_deadline if new_deadline is not None else old_window
    if locked.status == new_status and new_window == old_window:
        return None
    at = at or timezone.now()
    change = StatusChange.objects.create(
        claim=locked,
        old_status=locked.status,
        new_status=new_status,
        reason=reason,
        old_deadline_earliest=old_window[0],
        old_deadline_latest=old_window[1],
        new_deadline_earliest=new_window[0],
        new_deadline_latest=new_window[1],
        evidence_mention=evidence_mention,
        evidence_article=evidence_article,
        evidence_quote=evidence_quote,
        detail=detail or {},
        actor=actor,
        recorded_at=at,
        effective_at=effective_at or at,
        review_state=review_state,
        applied=apply,
    )
    if review_state == StatusChange.Review.PENDING:
        # A machine proposal waits for an editor: the claim's one review flag says so.
        Claim.objects.filter(pk=locked.pk, needs_review=False).update(needs_review=True)
        claim.needs_review = True
    if not apply:
        logger.info("claim %s: %s proposed (%s), waiting for review", claim.pk, new_status, reason)
        return change
    locked.status = new_status
    locked.status_changed_at = at
    locked.deadline_earliest, locked.deadline_latest = new_window
    fields = ["status", "status_changed_at", "deadline_earliest", "deadline_latest", "updated_at"]
    if reason == Reason.DEADLINE_MOVED:
        # Counted where the move applies, however it came: a restatement, an extension, an
        # editor's new deadline, or a proposal an editor accepts later.
        locked.deadline_moves += 1
        fields.append("deadline_moves")
    locked.save(update_fields=fields)
    # Keep the caller's instance in step with the row.
    claim.status, claim.status_changed_at = locked.status, locked.status_changed_at
    claim.deadline_earliest, claim.deadline_latest = new_window
    claim.deadline_moves = locked.deadline_moves
    logger.info("claim %s: %s -> %s (%s)", claim.pk, change.old_status, new_status, reason)
    alerts.record_deliveries(change)  # the outbox rows, in this transaction
    return change


def check_deadlines(*, now: dt.datetime | None = None) -> list[StatusChange]:
    """Apply the time rules to every active claim with a deadline; returns the changes.

    Running it twice at the same `now` changes nothing the second time.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due_soon_days = settings.CLAIM_DUE_SOON_DAYS
    grace_days = settings.CLAIM_GRACE_DAYS
    # The latest window end that can still need a move today (due soon is the earliest step).
    horizon = today + dt.timedelta(days=due_soon_days)
    candidates = (
        Claim.objects.filter(status__in=ACTIVE_STATUSES, deadline_latest__isnull=False)
        # Open claims far from their deadline need nothing (the partial index serves this).
        .exclude(Q(status=ClaimStatus.OPEN) & Q(deadline_latest__gt=horizon))
        .only("id", "status", "deadline_latest")
    )
    changes = []
    for claim in candidates.iterator(chunk_size=500):
        decision = decide_time_status(
            claim.status,
            deadline_latest=claim.deadline_latest,
            today=today,
            due_soon_days=due_soon_days,
            grace_days=grace_days,
        )
        if decision is None:
            continue
        change = transition_claim(
            claim,
            decision.new_status,
            reason=decision.reason,
            at=now,
            detail={
                "today": today.isoformat(),
                "deadline_latest": claim.deadline_latest.isoformat(),
            },
        )
        if change is not None:
            changes.append(change)
    logger.info("check_deadlines at %s: %d change(s)", now.isoformat(), len(changes))
    return changes


def record_new_claim(claim: Claim, *, at: dt.datetime, mention=None, article=None) -> StatusChange:
    """The first history row of a claim: it was first seen, open, with this window.

    Followers of its speaker, an outlet or a keyword hear of it (alerts.wants_change). The
    claim is linked to its Speaker first (claims.speakers).
    """
    speakers.link_claim(claim)
    change = StatusChange.objects.create(
        claim=claim,
        old_status="",
        new_status=claim.status,
        reason=Reason.CREATED,
        new_deadline_earliest=claim.deadline_earliest,
        new_deadline_latest=claim.deadline_latest,
        evidence_mention=mention,
        evidence_article=article,
        evidence_quote=mention.sentence if mention else "",
        recorded_at=at,
        effective_at=at,
    )
    alerts.record_deliveries(change)
    return change


def move_deadline(
    claim: Claim,
    *,
    new_window: tuple[dt.date | None, dt.date | None],
    at: dt.datetime,
    evidence_mention=None,
    evidence_article=None,
) -> StatusChange | None:
    """A restatement with a later window: same claim, new deadline, time status follows it."""
    today = timezone.localdate(at)
    decision = decide_time_status(
        ClaimStatus.OPEN,
        deadline_latest=new_window[1],
        today=today,
        due_soon_days=settings.CLAIM_DUE_SOON_DAYS,
        grace_days=settings.CLAIM_GRACE_DAYS,
    )
    new_status = decision.new_status if decision else ClaimStatus.OPEN
    change = transition_claim(
        claim,
        new_status,
        reason=Reason.DEADLINE_MOVED,
        at=at,
        new_deadline=new_window,
        evidence_mention=evidence_mention,
        evidence_article=evidence_article,
        evidence_quote=evidence_mention.sentence if evidence_mention else "",
        review_state=StatusChange.Review.PENDING,
    )
    return change


def supersede(
    claim: Claim,
    successor: Claim,
    *,
    at: dt.datetime,
    evidence_mention=None,
    evidence_article=None,
    detail: dict | None = None,
    confident: bool = True,
) -> StatusChange | None:
    """A later statement extended or postponed the claim's deadline: *deadline moved*.

    "The order extends the deadline by 75 days": the new deadline is its own claim
    (`successor`, with its own outcome); this one ends as *deadline moved*, its history naming
    the successor and the new window. Held for review unless `confident`, like evidence.
    """
    moved_to = {
        "successor": successor.pk,
        "moved_to": [
            successor.deadline_earliest.isoformat() if successor.deadline_earliest else None,
            successor.deadline_latest.isoformat() if successor.deadline_latest else None,
        ],
    }
    change = propose_from_evidence(
        claim,
        ClaimStatus.DEADLINE_MOVED,
        reason=Reason.DEADLINE_MOVED,
        at=at,
        effective_at=at,
        evidence_mention=evidence_mention,
        evidence_article=evidence_article,
        detail={**(detail or {}), **moved_to},
        confident=confident,
    )
    return change


def propose_from_evidence(
    claim: Claim,
    new_status: str,
    *,
    reason: str,
    at: dt.datetime,
    effective_at: dt.datetime,
    evidence_mention=None,
    evidence_article=None,
    detail: dict | None = None,
    confident: bool = True,
) -> StatusChange | None:
    """Evidence-driven change: applied and flagged for review, or held for review.

    It is held (recorded, not applied, waiting in the review queue) when the setting asks
    for every change to wait, or when the caller is not `confident` that the evidence
    clearly shows the outcome: a wrong outcome is the error an editor might publish.
    """
    already = StatusChange.objects.filter(
        claim=claim, new_status=new_status, evidence_mention=evidence_mention
    ).exists()
    if already and evidence_mention is not None:
        return None  # the same evidence replayed: nothing new
    return transition_claim(
        claim,
        new_status,
        reason=reason,
        at=at,
        effective_at=effective_at,
        evidence_mention=evidence_mention,
        evidence_article=evidence_article,
        evidence_quote=evidence_mention.sentence if evidence_mention else "",
        detail=detail,
        review_state=StatusChange.Review.PENDING,
        apply=confident and not settings.CLAIM_REVIEW_BEFORE_APPLY,
    )


# --- Editors' decisions (called by claims.editing; the admin never writes status itself) ---


def refresh_needs_review(claim_ids) -> int:
    """Recompute `needs_review` of these claims from what actually waits for an editor.

    True exactly when a StatusChange of the claim is pending review or one of its mentions
    is a suggested (unconfirmed) join. Returns the number of claims whose flag changed.
    """
    ids = [pk for pk in set(claim_ids) if pk is not None]
    if not ids:
        return 0
    waiting = Exists(
        StatusChange.objects.filter(claim=OuterRef("pk"), review_state=StatusChange.Review.PENDING)
    ) | Exists(ClaimMention.objects.filter(claim=OuterRef("pk"), suggested=True))
    flagged = set(Claim.objects.filter(pk__in=ids).filter(waiting).values_list("pk", flat=True))
    changed = Claim.objects.filter(pk__in=flagged, needs_review=False).update(needs_review=True)
    changed += Claim.objects.filter(pk__in=set(ids) - flagged, needs_review=True).update(
        needs_review=False
    )
    return changed


def _start_of_day(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _time_status_from_open(deadline_latest: dt.date | None, *, at: dt.datetime) -> str:
    """Where time alone puts an open claim with this window end today."""
    decision = decide_time_status(
        ClaimStatus.OPEN,
        deadline_latest=deadline_latest,
        today=timezone.localdate(at),
        due_soon_days=settings.CLAIM_DUE_SOON_DAYS,
        grace_days=settings.CLAIM_GRACE_DAYS,
    )
    return decision.new_status if decision else ClaimStatus.OPEN


def editor_set_status(
    claim: Claim,
    new_status: str,
    *,
    editor,
    note: str = "",
    effective_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> StatusChange | None:
    """An editor's ruling (fulfilled, fulfilled late, missed, …): applied at once, recorded.

    `effective_on` is the day it happened in the world (the day the deal was signed), when
    the editor knows it; the note is kept as the change's evidence text.
    """
    if new_status == ClaimStatus.MERGED:
        raise ValueError("Merging needs a target claim: use merge_claim().")
    return transition_claim(
        claim,
        new_status,
        reason=Reason.EDITOR,
        actor=editor,
        at=at,
        effective_at=_start_of_day(effective_on),
        evidence_quote=note,
        detail={"note": note} if note else None,
        review_state=StatusChange.Review.CONFIRMED,
    )


def reopen_claim(
    claim: Claim, *, editor, note: str = "", at: dt.datetime | None = None
) -> StatusChange | None:
    """Back to the time-driven path: open, or due soon / overdue / missed as the window says."""
    at = at or timezone.now()
    fresh = Claim.objects.only("deadline_latest", "merged_into").get(pk=claim.pk)
    if fresh.merged_into_id is not None:
        raise ValueError(f"Claim {claim.pk} was merged into claim {fresh.merged_into_id}.")
    return transition_claim(
        claim,
        _time_status_from_open(fresh.deadline_latest, at=at),
        reason=Reason.EDITOR,
        actor=editor,
        at=at,
        evidence_quote=note or "Reopened by an editor.",
        detail={"reopened": True, **({"note": note} if note else {})},
        review_state=StatusChange.Review.CONFIRMED,
    )


@transaction.atomic
def editor_move_deadline(
    claim: Claim,
    *,
    new_window: tuple[dt.date | None, dt.date | None],
    editor,
    note: str = "",
    at: dt.datetime | None = None,
) -> StatusChange | None:
    """An editor changes the deadline window: recorded as a deadline move, with the reason.

    A claim still on the time-driven path follows its new window (a later deadline takes an
    overdue claim back to open); an outcome an editor or evidence set stays as it is.
    """
    at = at or timezone.now()
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.status in ACTIVE_STATUSES:
        new_status = _time_status_from_open(new_window[1], at=at)
    else:
        new_status = locked.status
    change = transition_claim(
        claim,
        new_status,
        reason=Reason.DEADLINE_MOVED,
        actor=editor,
        at=at,
        new_deadline=new_window,
        evidence_quote=note,
        detail={"by_editor": True, **({"note": note} if note else {})},
        review_state=StatusChange.Review.CONFIRMED,
    )
    return change


@transaction.atomic
def merge_claim(
    claim: Claim, *, into: Claim, editor, note: str = "", at: dt.datetime | None = None
) -> StatusChange | None:
    """Close `claim` as merged into `into` (not retracted): its history stays, pointing there."""
    if claim.pk == into.pk:
        raise ValueError("A claim cannot be merged into itself.")
    # Never a cycle: the survivor must not itself be (or lead back to) the merged claim.
    survivor = Claim.objects.only("merged_into").get(pk=into.pk)
    if survivor.merged_into_id is not None:
        raise ValueError(f"Claim {into.pk} is itself merged into claim {survivor.merged_into_id}.")
    change = transition_claim(
        claim,
        ClaimStatus.MERGED,
        reason=Reason.EDITOR,
        actor=editor,
        at=at,
        evidence_quote=note or f"Merged into claim {into.pk} by an editor.",
        detail={"merged_into": into.pk, **({"note": note} if note else {})},
        review_state=StatusChange.Review.CONFIRMED,
    )
    Claim.objects.filter(pk=claim.pk).update(merged_into=into)
    # Claims merged into this one earlier now point at the survivor directly.
    Claim.objects.filter(merged_into=claim.pk).update(merged_into=into)
    claim.merged_into = into
    return change


def mark_not_a_claim(
    claim: Claim, *, editor, note: str = "", at: dt.datetime | None = None
) -> StatusChange | None:
    """The extractor was wrong: kept (extraction quality counts it), closed, no more alerts."""
    return transition_claim(
        claim,
        ClaimStatus.NOT_A_CLAIM,
        reason=Reason.EDITOR,
        actor=editor,
        at=at,
        evidence_quote=note or "Not a claim (an editor's ruling).",
        detail={"not_a_claim": True, **({"note": note} if note else {})},
        review_state=StatusChange.Review.CONFIRMED,
    )
