"""Review queue decisions (DB): accept or reject a pending change, confirm or detach a mention.

The queue's buttons call these. Each locks its row and checks that the item still waits for
an editor, so a double click or two editors deciding at once settle it exactly once; the
decision itself goes through `claims.editing` (and so through `status.transition_claim`).
"""

from __future__ import annotations

from django.db import transaction

from claims import editing
from claims.models import ClaimMention, StatusChange


class AlreadyDecided(Exception):
    """The item no longer waits for review (someone settled it first, or it is gone)."""


@transaction.atomic
def decide_change(change_id: int, *, editor, accept: bool, note: str = "") -> StatusChange:
    """Accept or reject one pending StatusChange; raises AlreadyDecided if it is not pending.

    Accepting a held change applies it now; rejecting an applied one puts the claim back
    where it was (a new editor row in the history). See `editing.review_change`.
    """
    change = StatusChange.objects.select_for_update().filter(pk=change_id).first()
    if change is None or change.review_state != StatusChange.Review.PENDING:
        raise AlreadyDecided(f"status change {change_id} is not waiting for review")
    editing.review_change(change, editor=editor, accept=accept, note=note)
    return change


@transaction.atomic
def decide_mention(mention_id: int, *, editor, confirm: bool) -> ClaimMention:
    """Confirm a suggested join, or detach the mention (it is matched again without that claim).

    Raises AlreadyDecided when the mention is no longer a suggestion.
    """
    mention = ClaimMention.objects.select_for_update().filter(pk=mention_id).first()
    if mention is None or not mention.suggested or mention.claim_id is None:
        raise AlreadyDecided(f"mention {mention_id} is not a suggested join")
    if confirm:
        editing.confirm_mention(mention, editor=editor)
    else:
        editing.detach_mention(mention, editor=editor)
    return mention
