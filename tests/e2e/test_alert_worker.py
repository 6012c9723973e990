"""A real worker sends alerts through a real SMTP server, retrying while the server is down."""

import datetime as dt

import pytest
from aiosmtpd.controller import Controller

from claims.models import AlertDelivery, Claim, Subscription
from claims.status import transition_claim
from tests.claims.test_alerts import Inbox, free_port
from tests.e2e.test_worker import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_worker_retries_with_backoff_until_smtp_is_back_then_sends_once(
    celery_worker, postgres_db, settings
):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.ALERT_COALESCE_SECONDS = 0
    settings.ALERT_RETRY_BACKOFF_SECONDS = 1
    settings.ALERT_ONLY_REVIEWED = True
    claim = Claim.objects.create(
        statement="the depot will reopen by Friday",
        speaker="Transit board",
        deadline_latest=dt.date(2026, 3, 6),
    )
    Subscription.objects.create(email="desk@example.org", claim=claim)

    transition_claim(claim, "overdue", reason="deadline_passed")  # commits: the worker gets it
    wait_for(lambda: AlertDelivery.objects.filter(attempts__gte=1).exists())
    delivery = AlertDelivery.objects.get()
    assert delivery.state == AlertDelivery.State.PENDING
    assert "ConnectionRefusedError" in delivery.last_error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        wait_for(lambda: AlertDelivery.objects.filter(state="sent").exists(), timeout=30)
    finally:
        controller.stop()

    delivery.refresh_from_db()
    assert delivery.attempts >= 2
    assert [m["To"] for m in inbox.messages] == ["desk@example.org"]
