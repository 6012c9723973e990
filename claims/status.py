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
from django.db.models import Q
from django.utils import timezone

from claims.models import ACTIVE_STATUSES, Claim, ClaimStatus, StatusChange

logger = logging.getLogger(__name__)

Reason = StatusChange.Reason

# How far along the time-driven path a status is; used to tell a move back (after the
# deadline was moved later) from a move forward.
_TIME_ORDER = {ClaimStatus.OPEN: 0, ClaimStatus.DUE_SOON: 1, ClaimStatus.OVERDUE: 2, ClaimStatus.MISSED: 3}


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
        target, reason = ClaimStatus.OPEN, Reason.DEADLINE_MOVED
    if target == status:
        return None
    if _TIME_ORDER[target] < _TIME_ORDER[ClaimStatus(status)]:
        # Only a later deadline sends a claim back along the time path.
        reason = Reason.DEADLINE_MOVED
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
) -> StatusChange | None:
    """Move `claim` to `new_status` (and optionally a new deadline window) and record it.

    1. Lock the claim row so two workers cannot both move it.
    2. Return None (a no-op) when neither the status nor the window changes.
    3. Write the StatusChange with old/new status and window, then update the claim.
    `at` is when Claimwatch records the move (replay passes simulated times); it defaults
    to now, and `effective_at` defaults to `at`.
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
    )
    locked.status = new_status
    locked.status_changed_at = at
    locked.deadline_earliest, locked.deadline_latest = new_window
    locked.save(
        update_fields=[
            "status", "status_changed_at", "deadline_earliest", "deadline_latest", "updated_at",
        ]
    )
    # Keep the caller's instance in step with the row.
    claim.status, claim.status_changed_at = locked.status, locked.status_changed_at
    claim.deadline_earliest, claim.deadline_latest = new_window
    logger.info(
        "claim %s: %s -> %s (%s)", claim.pk, change.old_status, new_status, reason
    )
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
            claim, decision.new_status, reason=decision.reason, at=now,
            detail={"today": today.isoformat(), "deadline_latest": claim.deadline_latest.isoformat()},
        )
        if change is not None:
            changes.append(change)
    logger.info("check_deadlines at %s: %d change(s)", now.isoformat(), len(changes))
    return changes

