"""Alert stage: who hears of a status change, the outbox rows, rendering and sending (DB + SMTP).

1. `record_deliveries(change)` runs inside the transaction that wrote the change: it writes one
   pending AlertDelivery per matching subscription (unique per subscription and change) and,
   on commit, enqueues the sending task for the immediate ones.
2. `send_delivery(delivery_id)` claims the delivery and every other pending one of the same
   subscription about the same claim (several quick changes go out as one mail), sends, and
   marks them sent, or failed with the reason when the error is permanent.
3. `sweep_stuck_deliveries()` re-enqueues deliveries left pending or sending (a lost message,
   a crashed worker, the mail server down); `send_digests()` sends the daily digests.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    FINAL_STATUSES,
    AlertDelivery,
    ClaimMention,
    StatusChange,
    Subscription,
)
from claims.tasks import task_send_alert as send_alert_task

logger = logging.getLogger(__name__)

Reason = StatusChange.Reason
State = AlertDelivery.State

# Changes a "deadline changes only" subscriber hears about.
DEADLINE_REASONS = frozenset(
    {Reason.DEADLINE_NEAR, Reason.DEADLINE_PASSED, Reason.GRACE_EXPIRED, Reason.DEADLINE_MOVED}
)
_UNSUBSCRIBE_SALT = "claims.alerts.unsubscribe"


class TransientSendError(Exception):
    """The mail server could not take the message now; the delivery stays pending."""


# --- Who hears of a change -------------------------------------------------------------


def only_reviewed_changes() -> bool:
    """ALERT_ONLY_REVIEWED, or when unset: on as soon as the instance has editors (staff)."""
    setting = settings.ALERT_ONLY_REVIEWED
    if setting is not None:
        return setting
    return get_user_model().objects.filter(is_staff=True, is_active=True).exists()


def is_announceable(change: StatusChange) -> bool:
    """Applied moves only (a new claim is one: it opens); a suggestion waits for its editor."""
    if not change.applied:
        return False
    if change.review_state == StatusChange.Review.REJECTED:
        return False
    pending = change.review_state == StatusChange.Review.PENDING
    return not (pending and only_reviewed_changes())


def wants_change(subscription: Subscription, change: StatusChange) -> bool:
    """The subscriber's choice of changes: all, outcomes only, deadline changes only."""
    if subscription.statuses and change.new_status not in subscription.statuses:
        return False
    if change.reason == Reason.CREATED:
        # A new claim by a followed speaker, outlet or keyword; nobody follows it yet.
        return subscription.claim_id is None and subscription.changes == Subscription.Changes.ALL
    if subscription.changes == Subscription.Changes.OUTCOMES:
        return change.new_status in FINAL_STATUSES
    if subscription.changes == Subscription.Changes.DEADLINES:
        window_moved = (change.old_deadline_latest, change.old_deadline_earliest) != (
            change.new_deadline_latest,
            change.new_deadline_earliest,
        )
        return change.reason in DEADLINE_REASONS or window_moved
    return True


def matching_subscriptions(change: StatusChange) -> list[Subscription]:
    """Active subscriptions that follow this claim, its speaker, an outlet of it, a keyword
    in it, or everything, and want this kind of change."""
    claim = change.claim
    text = f"{claim.statement}\n{claim.event}".casefold()
    speaker = claim.speaker.casefold().strip()
    outlets = {
        o.casefold()
        for o in ClaimMention.objects.filter(claim=claim).values_list("article__outlet", flat=True)
        if o
    }
    if change.evidence_article_id and change.evidence_article.outlet:
        outlets.add(change.evidence_article.outlet.casefold())
    found = []
    # Followers of this claim, or of filters over all claims (checked below).
    candidates = Subscription.objects.filter(is_active=True).filter(
        Q(claim__isnull=True) | Q(claim=claim)
    )
    for sub in candidates:
        if sub.claim_id is None:
            if sub.speaker and sub.speaker.casefold().strip() != speaker:
                continue
            if sub.keyword and sub.keyword.casefold() not in text:
                continue
            if sub.outlet and sub.outlet.casefold() not in outlets:
                continue
        if wants_change(sub, change):
            found.append(sub)
    return found


def record_deliveries(change: StatusChange) -> int:
    """Fan one change out to the outbox; call inside the transaction that wrote the change.

    A no-op for changes that are not announced. Running it twice adds nothing (the unique
    (subscription, status_change) constraint). Immediate deliveries are enqueued on commit, so
    a rolled-back change mails nobody. Returns the number of subscriptions reached.
    """
    if change.alerted_at is not None or not is_announceable(change):
        return 0
    subs = matching_subscriptions(change)
    if not subs:
        change.alerted_at = timezone.now()
        change.save(update_fields=["alerted_at"])
        return 0
    AlertDelivery.objects.bulk_create(
        [AlertDelivery(subscription=s, status_change=change) for s in subs],
        ignore_conflicts=True,
        batch_size=1000,
    )
    immediate = list(
        AlertDelivery.objects.filter(
            status_change=change,
            state=State.PENDING,
            subscription__frequency=Subscription.Frequency.IMMEDIATE,
        ).values_list("pk", flat=True)
    )

    def enqueue() -> None:
        # A plain function, not a partial: when it raises (broker down), Django logs the
        # failure by the callback's name, and the rows stay pending for the sweeper.
        _enqueue(immediate)

    transaction.on_commit(enqueue, robust=True)
    return len(subs)


def _enqueue(delivery_ids: list[int]) -> None:
    # The coalescing window: later changes to the same claim join the first mail.
    countdown = settings.ALERT_COALESCE_SECONDS
    for pk in delivery_ids:
        send_alert_task.apply_async(kwargs={"delivery_id": pk}, countdown=countdown)
    if _eager():
        # Embedded default: no beat, so each new change also retries what is stuck.
        sweep_stuck_deliveries()


def _eager() -> bool:
    return bool(send_alert_task.app.conf.task_always_eager)


# --- Sending --------------------------------------------------------------------------


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(str(subscription.unsubscribe_token))


def subscription_from_token(token: str) -> Subscription | None:
    try:
        value = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(unsubscribe_token=value).first()


def unsubscribe_url(subscription: Subscription) -> str:
    path = reverse("alerts-unsubscribe", kwargs={"token": unsubscribe_token(subscription)})
    return settings.SITE_URL.rstrip("/") + path


def _change_context(change: StatusChange) -> dict:
    claim = change.claim
    article = change.evidence_article
    return {
        "change": change,
        "claim": claim,
        "old_status": change.get_old_status_display() or "—",
        "new_status": change.get_new_status_display(),
        "article": article,
        "outlet": article.outlet if article else "",
        "admin_url": settings.SITE_URL.rstrip("/")
        + reverse("admin:claims_claim_change", args=[claim.pk]),
    }


def build_message(subscription: Subscription, changes: list[StatusChange], *, digest: bool):
    """One email (plain text + HTML) about `changes`, newest last, with unsubscribe headers."""
    items = [_change_context(c) for c in changes]
    groups = defaultdict(list)
    for item in items:
        groups[item["new_status"]].append(item)
    latest = items[-1]
    context = {
        "subscription": subscription,
        "items": items,
        "latest": latest,
        "groups": sorted(groups.items()),
        "digest": digest,
        "unsubscribe_url": unsubscribe_url(subscription),
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("claims/email/status_changed_subject.txt", context)
    subject = " ".join(subject.split())  # a header is one line, whatever the claim text holds
    text = render_to_string("claims/email/status_changed_body.txt", context)
    html = render_to_string("claims/email/status_changed_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.ALERT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _classify(exc: Exception) -> tuple[bool, str]:
    """(permanent?, reason): 5xx replies are permanent, the rest (network, 4xx) transient."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return (
            bool(codes) and all(c >= 500 for c in codes)
        ), f"recipients refused: {exc.recipients}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500, f"{exc.smtp_code} {exc.smtp_error!r}"
    return False, f"{type(exc).__name__}: {exc}"


def _send(subscription: Subscription, deliveries: list[AlertDelivery], *, digest: bool) -> None:
    """Send one mail for `deliveries` (already claimed as sending) and record the outcome."""
    ids = [d.pk for d in deliveries]
    changes = [
        d.status_change
        for d in sorted(deliveries, key=lambda d: (d.status_change.recorded_at, d.pk))
    ]
    now = timezone.now()
    try:
        message = build_message(subscription, changes, digest=digest)
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([message])
    except (OSError, smtplib.SMTPException) as exc:
        permanent, why = _classify(exc)
        for d in deliveries:
            gave_up = not permanent and d.attempts + 1 >= settings.ALERT_MAX_ATTEMPTS
            state = State.FAILED if permanent or gave_up else State.PENDING
            note = f" (gave up after {d.attempts + 1} attempts)" if gave_up else ""
            AlertDelivery.objects.filter(pk=d.pk).update(
                state=state, attempts=d.attempts + 1, last_error=(why + note)[:2000], updated_at=now
            )
        logger.warning(
            "alert to %s %s: %s", subscription.email, "failed" if permanent else "deferred", why
        )
        if not permanent:
            raise TransientSendError(why) from exc
    else:
        AlertDelivery.objects.filter(pk__in=ids).update(
            state=State.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="", updated_at=now
        )
        logger.info("alert to %s: %d change(s) sent", subscription.email, len(ids))
    _mark_alerted({d.status_change_id for d in deliveries})


def _mark_alerted(change_ids: set[int]) -> None:
    still_open = set(
        AlertDelivery.objects.filter(
            status_change_id__in=change_ids, state__in=[State.PENDING, State.SENDING]
        ).values_list("status_change_id", flat=True)
    )
    StatusChange.objects.filter(pk__in=change_ids - still_open, alerted_at__isnull=True).update(
        alerted_at=timezone.now()
    )


def _claim(deliveries_qs) -> list[AlertDelivery]:
    """Take pending deliveries for this worker: a conditional update per row, 0 rows means
    another worker has it."""
    taken = []
    for d in deliveries_qs.select_related(
        "status_change__claim", "status_change__evidence_article"
    ):
        if AlertDelivery.objects.filter(pk=d.pk, state=State.PENDING).update(
            state=State.SENDING, updated_at=timezone.now()
        ):
            taken.append(d)
    return taken


def send_delivery(delivery_id: int) -> int:
    """Send one immediate delivery together with the other pending ones of its subscription
    about the same claim. Returns how many deliveries went out (0: already handled)."""
    delivery = (
        AlertDelivery.objects.select_related("subscription", "status_change")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.state != State.PENDING:
        return 0
    subscription = delivery.subscription
    if not subscription.is_active:
        AlertDelivery.objects.filter(pk=delivery_id, state=State.PENDING).update(
            state=State.SKIPPED, last_error="unsubscribed"
        )
        _mark_alerted({delivery.status_change_id})
        return 0
    taken = _claim(
        AlertDelivery.objects.filter(
            subscription=subscription,
            status_change__claim_id=delivery.status_change.claim_id,
            state=State.PENDING,
        )
    )
    if not taken:
        return 0
    _send(subscription, taken, digest=False)
    return len(taken)


def sweep_stuck_deliveries(*, now: dt.datetime | None = None) -> int:
    """Re-enqueue immediate deliveries pending (or sending, a crashed worker) for longer than
    ALERT_SWEEP_AFTER_SECONDS. Returns how many were re-enqueued."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.ALERT_SWEEP_AFTER_SECONDS)
    stuck = AlertDelivery.objects.filter(
        state__in=[State.PENDING, State.SENDING],
        updated_at__lt=cutoff,
        subscription__frequency=Subscription.Frequency.IMMEDIATE,
        attempts__lt=settings.ALERT_MAX_ATTEMPTS,
    )
    AlertDelivery.objects.filter(pk__in=stuck.filter(state=State.SENDING).values("pk")).update(
        state=State.PENDING
    )
    ids = list(stuck.values_list("pk", flat=True)[:1000])
    eager = _eager()
    for pk in ids:
        send_alert_task.apply_async(kwargs={"delivery_id": pk})
        if eager and AlertDelivery.objects.filter(pk=pk, state=State.PENDING).exists():
            break  # run inline and the server is still down: leave the rest for next time
    if ids:
        logger.info("sweep: re-enqueued %d stuck alert deliver(ies)", len(ids))
    return len(ids)


def _digest_due(subscription: Subscription, now: dt.datetime) -> bool:
    try:
        tz = zoneinfo.ZoneInfo(subscription.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = dt.UTC
    if now.astimezone(tz).hour != subscription.digest_hour:
        return False
    # Once a day, whatever the hour the beat actually ran at.
    return subscription.last_digest_at is None or now - subscription.last_digest_at > dt.timedelta(
        hours=20
    )


def send_digests(*, now: dt.datetime | None = None) -> int:
    """Hourly: each digest subscriber whose local digest hour it is gets one mail of the
    pending changes, grouped by status. Returns the number of mails sent."""
    now = now or timezone.now()
    sent = 0
    subs = Subscription.objects.filter(
        is_active=True,
        frequency=Subscription.Frequency.DAILY,
        deliveries__state=State.PENDING,
    ).distinct()
    for sub in subs:
        if not _digest_due(sub, now):
            continue
        taken = _claim(sub.deliveries.filter(state=State.PENDING))
        if not taken:
            continue
        try:
            _send(sub, taken, digest=True)
        except TransientSendError:
            continue  # stays pending for the next hour's run
        Subscription.objects.filter(pk=sub.pk).update(last_digest_at=now)
        sent += 1
    return sent


def unsubscribe(subscription: Subscription) -> None:
    """Stop the subscription and skip what it still had pending."""
    Subscription.objects.filter(pk=subscription.pk).update(is_active=False)
    AlertDelivery.objects.filter(subscription=subscription, state=State.PENDING).update(
        state=State.SKIPPED, last_error="unsubscribed"
    )
