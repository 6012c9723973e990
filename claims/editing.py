"""Editors' decisions (DB): confirm, detach, merge, set a status, review a proposed change.

Every decision is recorded (a StatusChange with the editor as actor, or the mention's own
fields) and sticks: a detached mention never re-joins that claim by itself, a merged claim
is never matched again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims import alerts, status
from claims.models import Claim, ClaimMention, ClaimStatus, StatusChange, Subscription
from claims.pipeline import _create_claim, _reindex, attach_forecast_mention
from claims.status import transition_claim

Reason = StatusChange.Reason


@transaction.atomic
def confirm_mention(mention: ClaimMention, *, editor) -> None:
    """A suggested join is right: it becomes a plain member of its claim."""
    mention.suggested = False
    mention.confirmed_by = editor
    mention.save(update_fields=["suggested", "confirmed_by", "updated_at"])
    status.refresh_needs_review([mention.claim_id])


@transaction.atomic
def detach_mention(mention: ClaimMention, *, editor) -> Claim | None:
    """A join is wrong: remember it, and match the mention again without that claim.

    Returns the claim the mention ends up in (another one, or a new claim of its own).
    """
    if mention.claim_id is None:
        return None
    old_claim_id = mention.claim_id
    mention.detached_from.add(mention.claim_id)
    mention.claim = None
    mention.suggested = False
    mention.match_score = None
    mention.match_detail = {"detached_by": editor.get_username() if editor else "system"}
    mention.save(update_fields=["claim", "suggested", "match_score", "match_detail", "updated_at"])
    status.refresh_needs_review([old_claim_id])
    if mention.kind != ClaimMention.Kind.FORECAST or mention.deadline_latest is None:
        return None
    attach_forecast_mention(mention, now=timezone.now())
    mention.refresh_from_db(fields=["claim"])
    return mention.claim


class CannotSplit(ValueError):
    """The mention cannot become a claim of its own (the message says why)."""


def _history_note(claim: Claim, *, editor, quote: str, detail: dict, mention=None) -> None:
    """A line in the claim's history that moves neither status nor deadline (a split)."""
    StatusChange.objects.create(
        claim=claim,
        old_status=claim.status,
        new_status=claim.status,
        reason=Reason.EDITOR,
        old_deadline_earliest=claim.deadline_earliest,
        old_deadline_latest=claim.deadline_latest,
        new_deadline_earliest=claim.deadline_earliest,
        new_deadline_latest=claim.deadline_latest,
        evidence_mention=mention,
        evidence_article=mention.article if mention else None,
        evidence_quote=quote,
        detail=detail,
        actor=editor,
        review_state=StatusChange.Review.CONFIRMED,
    )


@transaction.atomic
def split_mention(mention: ClaimMention, *, editor, note: str = "") -> Claim:
    """This sentence states another claim: it leaves its claim and starts a claim of its own.

    The new claim is made from the mention as the pipeline makes one (statement, speaker,
    deadline window), linked to its speaker and put on the time-driven path at once (a
    deadline that passed makes it overdue now, not at the next hourly check). The mention
    never re-joins the old claim by itself (as after a detach). Both claims' histories say
    what happened, with the editor and the note. Raises CannotSplit for an event report
    (evidence of an outcome, not a claim: detach it instead), a mention in no claim, or the
    only mention of its claim.
    """
    mention = ClaimMention.objects.select_for_update().select_related("article").get(pk=mention.pk)
    if mention.claim_id is None:
        raise CannotSplit("The mention is in no claim.")
    if mention.kind != ClaimMention.Kind.FORECAST:
        raise CannotSplit("A report of an event is evidence, not a claim: detach it instead.")
    old = Claim.objects.select_for_update().get(pk=mention.claim_id)
    if not ClaimMention.objects.filter(claim=old).exclude(pk=mention.pk).exists():
        raise CannotSplit(f"The mention is the only one of claim #{old.pk}; nothing to split.")
    who = editor.get_username() if editor else "an editor"
    now = timezone.now()
    mention.detached_from.add(old)
    mention.suggested = False
    mention.match_score = None
    mention.match_detail = {"split_by": who}
    mention.save(update_fields=["suggested", "match_score", "match_detail", "updated_at"])
    new = _create_claim(mention, article=mention.article, now=now)
    decision = status.decide_time_status(
        new.status,
        deadline_latest=new.deadline_latest,
        today=timezone.localdate(now),
        due_soon_days=settings.CLAIM_DUE_SOON_DAYS,
        grace_days=settings.CLAIM_GRACE_DAYS,
    )
    if decision is not None:
        transition_claim(new, decision.new_status, reason=decision.reason, at=now)
    note_detail = {"note": note} if note else {}
    _history_note(
        old,
        editor=editor,
        mention=mention,
        quote=note or f"A mention was split off into claim #{new.pk} by {who}.",
        detail={"split_off_into": new.pk, **note_detail},
    )
    _history_note(
        new,
        editor=editor,
        mention=mention,
        quote=note or f"Split from claim #{old.pk} by {who}.",
        detail={"split_from": old.pk, **note_detail},
    )
    _reindex(old)
    status.refresh_needs_review([old.pk, new.pk])
    return new


@transaction.atomic
def merge_claims(target: Claim, others: list[Claim], *, editor, note: str = "") -> int:
    """Move the mentions of `others` into `target`; the others are closed as merged into it.

    Their history stays (a final StatusChange points at the target, and `merged_into` too);
    the target's history gets a line naming each claim merged into it.
    With their mentions gone they can never be the best match of a later mention, which
    therefore joins the survivor; their search keys are dropped as well, and followers of
    a merged claim now follow the survivor. Returns the number of mentions moved.
    """
    moved = 0
    for other in others:
        if other.pk == target.pk:
            continue
        moved += ClaimMention.objects.filter(claim=other).update(claim=target, suggested=False)
        status.merge_claim(other, into=target, editor=editor, note=note)
        who = editor.get_username() if editor else "an editor"
        _history_note(  # the survivor's history says what it absorbed
            Claim.objects.get(pk=target.pk),
            editor=editor,
            quote=note or f"Claim #{other.pk} was merged into this claim by {who}.",
            detail={"merged_in": other.pk, **({"note": note} if note else {})},
        )
        # Proposals about the merged claim are moot: it is closed.
        StatusChange.objects.filter(claim=other, review_state=StatusChange.Review.PENDING).update(
            review_state=StatusChange.Review.REJECTED,
            reviewed_by=editor,
            reviewed_at=timezone.now(),
            review_note=f"Claim merged into claim {target.pk}.",
        )
        following = set(target.subscriptions.values_list("email", flat=True))
        Subscription.objects.filter(claim=other).exclude(email__in=following).update(claim=target)
        other.search_keys.all().delete()
    _reindex(target)
    status.refresh_needs_review([target.pk, *(other.pk for other in others)])
    return moved


def set_status(
    claim: Claim,
    new_status: str,
    *,
    editor,
    note: str = "",
    effective_on: dt.date | None = None,
) -> StatusChange | None:
    """An editor's ruling on a claim (fulfilled, missed, …): applied at once, recorded."""
    if new_status == ClaimStatus.NOT_A_CLAIM:
        return status.mark_not_a_claim(claim, editor=editor, note=note)
    if new_status == ClaimStatus.OPEN:
        return status.reopen_claim(claim, editor=editor, note=note)
    return status.editor_set_status(
        claim, new_status, editor=editor, note=note, effective_on=effective_on
    )


def change_deadline(
    claim: Claim,
    *,
    earliest: dt.date | None,
    latest: dt.date | None,
    editor,
    reason: str,
    phrase: str = "",
) -> StatusChange | None:
    """An editor resets the deadline window, saying why: a deadline move in the history."""
    if latest is None and earliest is not None:
        latest = earliest
    if earliest is None:
        earliest = latest
    with transaction.atomic():
        change = status.editor_move_deadline(
            claim, new_window=(earliest, latest), editor=editor, note=reason
        )
        if change is not None:
            rule = f"Set by {editor.get_username() if editor else 'an editor'}: {reason}"
            fields = {"deadline_rule": rule[:2000], "deadline_vague": False}
            if phrase:
                fields["deadline_text"] = phrase[:300]
            Claim.objects.filter(pk=claim.pk).update(**fields)
    return change


@transaction.atomic
def review_change(change: StatusChange, *, editor, accept: bool, note: str = "") -> None:
    """Confirm or reject a machine-proposed change.

    Confirming a change that waited (not yet applied) applies it now; rejecting an applied
    one puts the claim back where it was, as a new editor change in the history.
    """
    change.review_state = StatusChange.Review.CONFIRMED if accept else StatusChange.Review.REJECTED
    change.reviewed_by = editor
    change.reviewed_at = timezone.now()
    change.review_note = note
    change.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "review_note"])
    claim = change.claim
    if accept and not change.applied:
        transition_claim(
            claim,
            change.new_status,
            reason=change.reason,
            actor=editor,
            evidence_mention=change.evidence_mention,
            evidence_article=change.evidence_article,
            evidence_quote=change.evidence_quote,
            effective_at=change.effective_at,
            review_state=StatusChange.Review.CONFIRMED,
        )
        change.applied = True
        change.save(update_fields=["applied"])
    elif accept:
        alerts.record_deliveries(change)  # applied while it waited: announce it now
    elif not accept and change.applied and claim.status == change.new_status:
        transition_claim(
            claim,
            change.old_status or ClaimStatus.OPEN,
            reason=Reason.EDITOR,
            actor=editor,
            evidence_quote=note or f"Rejected: {change.get_reason_display()}",
            new_deadline=(change.old_deadline_earliest, change.old_deadline_latest)
            if change.reason == Reason.DEADLINE_MOVED
            else None,
            review_state=StatusChange.Review.CONFIRMED,
        )
    status.refresh_needs_review([claim.pk])
