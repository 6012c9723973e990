"""Alerts against a real SMTP server on loopback: fan-out, sending, retries, digests."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse

from claims import alerts
from claims.editing import review_change
from claims.models import AlertDelivery, Claim, ClaimMention, StatusChange, Subscription
from claims.status import transition_claim
from claims.tasks import task_send_alert, task_send_digests, task_sweep_stuck_alerts
from sources.models import Article

pytestmark = pytest.mark.django_db

State = AlertDelivery.State


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler that keeps every message; `refuse` makes RCPT answer 550."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = False
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted"


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    settings.ALERT_COALESCE_SECONDS = 0
    settings.ALERT_ONLY_REVIEWED = True
    settings.SITE_URL = "http://claims.test"
    return port


@pytest.fixture
def smtp_server(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def claim():
    article = Article.objects.create(
        canonical_url="https://harbour.example/contract",
        url="https://harbour.example/contract",
        title="Harbour contract <b>news</b>",
        outlet="Harbour Gazette",
        published_at=dt.datetime(2026, 3, 6, 9, tzinfo=dt.UTC),
        text="The port authority said the contract will be signed by the end of next week.",
    )
    claim = Claim.objects.create(
        statement="the contract will be signed by the end of next week",
        speaker="Port authority",
        deadline_earliest=dt.date(2026, 3, 13),
        deadline_latest=dt.date(2026, 3, 15),
        deadline_text="by the end of next week",
        deadline_rule="end of the week after the article's date (Fri 6 Mar 2026)",
    )
    ClaimMention.objects.create(
        article=article,
        claim=claim,
        start=0,
        end=70,
        sentence=article.text,
        speaker="Port authority",
    )
    return claim


def follow(claim=None, **fields) -> Subscription:
    return Subscription.objects.create(
        email=fields.pop("email", "ed@example.org"), claim=claim, **fields
    )


def overdue(claim, capture, **kwargs):
    with capture(execute=True):
        return transition_claim(claim, "overdue", reason="deadline_passed", **kwargs)


def test_alert_reaches_smtp_server_with_both_parts_links_and_unsubscribe(
    smtp_server, claim, client, django_capture_on_commit_callbacks
):
    sub = follow(claim)

    change = overdue(claim, django_capture_on_commit_callbacks)

    assert len(smtp_server.messages) == 1
    msg = smtp_server.messages[0]
    # Django folds a long encoded subject right after "Subject:"; unfolding leaves a space.
    assert msg["Subject"].strip() == (
        '[Claimwatch] Overdue: "the contract will be signed by the end of next week" '
        "— Port authority"
    )
    assert msg["To"] == "ed@example.org"
    unsubscribe = alerts.unsubscribe_url(sub)
    assert msg["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    admin_url = f"http://claims.test/admin/claims/claim/{claim.pk}/change/"
    for part in (text, html):
        assert "Open → " in part or "Open →" in part
        assert "13 Mar 2026 … 15 Mar 2026" in part
        assert "end of the week after the article" in part
        assert admin_url in part
        assert unsubscribe in part
    assert "Status: Open → Overdue" in text
    delivery = AlertDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (State.SENT, 1)
    change.refresh_from_db()
    assert change.alerted_at is not None

    path = unsubscribe.removeprefix("http://claims.test")
    page = client.get(path)
    assert page.status_code == 200
    sub.refresh_from_db()
    assert sub.is_active  # a GET (a link scanner) changes nothing
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    sub.refresh_from_db()
    assert not sub.is_active


def test_unsubscribe_rejects_a_forged_token(client):
    sub = follow()
    forged = f"{sub.unsubscribe_token}:not-the-signature"

    response = client.post(reverse("alerts-unsubscribe", kwargs={"token": forged}))

    assert response.status_code == 404
    sub.refresh_from_db()
    assert sub.is_active


def test_evidence_quote_with_script_is_escaped_in_html(
    smtp_server, claim, django_capture_on_commit_callbacks
):
    follow(claim)
    article = Article.objects.get()

    overdue(
        claim,
        django_capture_on_commit_callbacks,
        evidence_article=article,
        evidence_quote='Officials said <script>alert("x")</script> & signed <img src=x onerror=y>',
    )

    msg = smtp_server.messages[0]
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; signed" in html
    assert "Harbour contract &lt;b&gt;news&lt;/b&gt;" in html
    assert 'href="https://harbour.example/contract"' in html
    text = msg.get_body(("plain",)).get_content()
    assert '<script>alert("x")</script>' in text  # plain text is shown as text, not markup
    assert "Harbour Gazette, 6 Mar 2026: https://harbour.example/contract" in text


def test_smtp_down_keeps_deliveries_pending_then_each_is_delivered_once(
    smtp_port, claim, settings, django_capture_on_commit_callbacks
):
    follow(claim, email="a@example.org")
    follow(claim, email="b@example.org")

    change = overdue(claim, django_capture_on_commit_callbacks)  # nobody listens on the port
    settings.ALERT_SWEEP_AFTER_SECONDS = 0

    assert sorted(AlertDelivery.objects.values_list("state", "attempts")) == [
        (State.PENDING, 1),
        (State.PENDING, 1),
    ]
    assert "ConnectionRefusedError" in AlertDelivery.objects.first().last_error
    change.refresh_from_db()
    assert change.alerted_at is None

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        task_sweep_stuck_alerts.delay()
        task_sweep_stuck_alerts.delay()
    finally:
        controller.stop()

    assert sorted(m["To"] for m in inbox.messages) == ["a@example.org", "b@example.org"]
    assert set(AlertDelivery.objects.values_list("state", flat=True)) == {State.SENT}
    change.refresh_from_db()
    assert change.alerted_at is not None


def test_send_task_run_twice_sends_once(smtp_server, claim, django_capture_on_commit_callbacks):
    follow(claim)
    with django_capture_on_commit_callbacks(execute=False):  # the enqueue is dropped
        transition_claim(claim, "overdue", reason="deadline_passed")
    delivery = AlertDelivery.objects.get()

    assert task_send_alert.delay(delivery_id=delivery.pk).get() == 1
    assert task_send_alert.delay(delivery_id=delivery.pk).get() == 0

    assert len(smtp_server.messages) == 1


def test_fan_out_twice_records_one_delivery_per_subscription(claim):
    follow(claim)
    follow(email="all@example.org")
    change = StatusChange.objects.create(
        claim=claim, old_status="open", new_status="overdue", reason="deadline_passed"
    )

    assert alerts.record_deliveries(change) == 2
    change.alerted_at = None
    assert alerts.record_deliveries(change) == 2

    assert AlertDelivery.objects.count() == 2


def test_permanent_smtp_error_is_recorded_as_failed(
    smtp_server, claim, django_capture_on_commit_callbacks
):
    smtp_server.refuse = True
    follow(claim)

    overdue(claim, django_capture_on_commit_callbacks)

    delivery = AlertDelivery.objects.get()
    assert delivery.state == State.FAILED
    assert "550" in delivery.last_error
    assert smtp_server.messages == []


def test_changes_to_one_claim_close_together_go_out_as_one_mail(
    smtp_server, claim, django_capture_on_commit_callbacks
):
    follow(claim)

    with django_capture_on_commit_callbacks(execute=True):
        transition_claim(claim, "due_soon", reason="deadline_near")
        transition_claim(claim, "overdue", reason="deadline_passed")

    assert len(smtp_server.messages) == 1
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "2 changes to a claim you follow" in text
    assert "Open → Due soon" in text
    assert "Due soon → Overdue" in text
    assert smtp_server.messages[0]["Subject"].strip().startswith("[Claimwatch] Overdue:")
    assert set(AlertDelivery.objects.values_list("state", flat=True)) == {State.SENT}


def test_suggested_change_is_announced_only_once_an_editor_accepts_it(
    smtp_server, claim, editor, settings, django_capture_on_commit_callbacks
):
    settings.ALERT_ONLY_REVIEWED = None  # the default: on, because the instance has an editor
    follow(claim)

    with django_capture_on_commit_callbacks(execute=True):
        change = transition_claim(
            claim, "fulfilled", reason="evidence_fulfilled", review_state="pending"
        )
    assert AlertDelivery.objects.count() == 0
    assert smtp_server.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        review_change(change, editor=editor, accept=True)

    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"].strip().startswith("[Claimwatch] Fulfilled:")


@pytest.mark.parametrize(
    ("fields", "new_status", "reached"),
    [
        ({"speaker": "port AUTHORITY"}, "overdue", True),
        ({"speaker": "Harbour union"}, "overdue", False),
        ({"keyword": "Contract"}, "overdue", True),
        ({"keyword": "ceasefire"}, "overdue", False),
        ({"outlet": "harbour gazette"}, "overdue", True),
        ({"outlet": "Other Times"}, "overdue", False),
        ({}, "overdue", True),
        ({"changes": "outcomes"}, "overdue", False),
        ({"changes": "outcomes"}, "missed", True),
        ({"changes": "deadlines"}, "overdue", True),
        ({"changes": "deadlines"}, "fulfilled", False),
        ({"statuses": ["missed"]}, "overdue", False),
    ],
)
def test_matching_subscriptions_follow_filters_and_change_kinds(claim, fields, new_status, reached):
    follow(**fields)
    reason = {"overdue": "deadline_passed", "missed": "grace_expired"}.get(new_status, "editor")
    change = StatusChange.objects.create(
        claim=claim, old_status="open", new_status=new_status, reason=reason
    )

    assert (len(alerts.matching_subscriptions(change)) == 1) == reached


def test_inactive_and_other_claim_subscriptions_are_not_reached(claim):
    other = Claim.objects.create(statement="the bridge will reopen in May")
    follow(other)
    follow(claim, email="gone@example.org", is_active=False)
    change = StatusChange.objects.create(
        claim=claim, old_status="open", new_status="overdue", reason="deadline_passed"
    )

    assert alerts.matching_subscriptions(change) == []


def test_rolled_back_transition_writes_no_delivery(claim):
    follow(claim)

    with pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            transition_claim(claim, "overdue", reason="deadline_passed")
            raise RuntimeError("abort")

    assert AlertDelivery.objects.count() == 0


def test_digest_goes_out_at_the_subscribers_local_hour_grouped_by_status(
    smtp_server, claim, settings, time_machine, django_capture_on_commit_callbacks
):
    other = Claim.objects.create(
        statement="the ferry will resume by June", speaker="Port authority"
    )
    follow(speaker="Port authority", frequency="daily", digest_hour=8, time_zone="Europe/Berlin")
    with django_capture_on_commit_callbacks(execute=True):
        transition_claim(claim, "overdue", reason="deadline_passed")
        transition_claim(other, "missed", reason="grace_expired")
    assert smtp_server.messages == []  # digest subscribers wait

    time_machine.move_to(dt.datetime(2026, 12, 8, 6, 0, tzinfo=dt.UTC))  # 07:00 in Berlin
    assert task_send_digests.delay().get() == 0
    time_machine.move_to(dt.datetime(2026, 12, 8, 7, 0, tzinfo=dt.UTC))  # 08:00 in Berlin
    assert task_send_digests.delay().get() == 1
    assert task_send_digests.delay().get() == 0

    assert len(smtp_server.messages) == 1
    msg = smtp_server.messages[0]
    assert msg["Subject"].strip() == "[Claimwatch] Daily digest: 2 changes"
    text = msg.get_body(("plain",)).get_content()
    assert re.search(r"== Missed ==.*ferry.*== Overdue ==.*contract", text, re.S)


def test_subscribe_command_creates_and_updates_subscriptions(claim, capsys):
    call_command("subscribe", "ed@example.org", "--claim", str(claim.pk))
    call_command("subscribe", "ed@example.org", "--speaker", "Port authority", "--digest")
    call_command("subscribe", "ed@example.org", "--speaker", "Port authority")
    call_command("subscribe", "all@example.org", "--all")

    rows = sorted(
        Subscription.objects.values_list("email", "claim_id", "speaker", "frequency"),
        key=str,
    )
    assert rows == [
        ("all@example.org", None, "", "immediate"),
        ("ed@example.org", claim.pk, "", "immediate"),
        ("ed@example.org", None, "Port authority", "immediate"),
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["not-an-address", "--all"],
        ["ed@example.org", "--claim", "999999"],
        ["ed@example.org", "--all", "--digest", "--hour", "24"],
        ["ed@example.org", "--all", "--tz", "Mars/Olympus"],
    ],
)
def test_subscribe_command_rejects_bad_input(args):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("subscribe", *args)

    assert Subscription.objects.count() == 0


def test_admin_pages_and_follow_button(admin_client, admin_user, claim):
    admin_user.email = "chief@example.org"
    admin_user.save()
    follow(claim)
    StatusChange.objects.create(
        claim=claim, old_status="open", new_status="overdue", reason="deadline_passed"
    )
    AlertDelivery.objects.create(
        subscription=Subscription.objects.get(),
        status_change=StatusChange.objects.get(),
        state=State.FAILED,
        last_error="550 no such mailbox",
    )

    page = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert page.status_code == 200
    follow_url = reverse("admin:claims_subscription_follow", args=[claim.pk])
    assert follow_url in page.content.decode()
    assert admin_client.get(reverse("admin:claims_subscription_add")).status_code == 200
    outbox = admin_client.get(reverse("admin:claims_alertdelivery_changelist"))
    assert "550 no such mailbox" in outbox.content.decode()

    assert admin_client.post(follow_url).status_code == 302
    assert admin_client.post(follow_url).status_code == 302
    assert Subscription.objects.filter(email="chief@example.org", claim=claim).count() == 1


def test_admin_subscription_form_takes_choices_not_json(admin_client):
    response = admin_client.post(
        reverse("admin:claims_subscription_add"),
        {
            "email": "desk@example.org",
            "speaker": "Port authority",
            "changes": "outcomes",
            "statuses": ["fulfilled", "missed"],
            "frequency": "daily",
            "digest_hour": "9",
            "time_zone": "America/Chicago",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert (sub.statuses, sub.time_zone, sub.changes) == (
        ["fulfilled", "missed"],
        "America/Chicago",
        "outcomes",
    )


def test_a_new_claim_reaches_followers_of_its_speaker_not_outcome_only_ones(db):
    from claims.alerts import wants_change
    from claims.models import Claim, StatusChange, Subscription
    from claims.status import record_new_claim

    everything = Subscription.objects.create(email="desk@example.org")
    speaker = Subscription.objects.create(email="a@example.org", speaker="Ilse Varga-Moren")
    outcomes = Subscription.objects.create(
        email="b@example.org", speaker="Ilse Varga-Moren", changes=Subscription.Changes.OUTCOMES
    )
    claim = Claim.objects.create(
        statement="The customs accord will be signed by the end of next week",
        speaker="Ilse Varga-Moren",
    )
    change = record_new_claim(claim, at=claim.created_at)

    assert change.reason == StatusChange.Reason.CREATED
    assert wants_change(everything, change) and wants_change(speaker, change)
    assert not wants_change(outcomes, change)
    assert set(change.deliveries.values_list("subscription__email", flat=True)) == {
        "desk@example.org",
        "a@example.org",
    }


def test_broker_down_keeps_deliveries_pending_and_the_change_recorded(
    claim, django_capture_on_commit_callbacks, caplog
):
    from tests.reliability.services import broker

    follow(claim)
    with broker("redis://127.0.0.1:1/0"):  # port 1 on loopback: nothing listens
        change = overdue(claim, django_capture_on_commit_callbacks)

    assert change is not None
    claim.refresh_from_db()
    assert claim.status == "overdue"
    assert list(AlertDelivery.objects.values_list("state", flat=True)) == [State.PENDING]
    assert any("on_commit" in r.getMessage() for r in caplog.records)
