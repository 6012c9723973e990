"""Roles × pages × actions: who may see and do what in the editors' workspace.

Anonymous visitors and non-staff users are sent to the login page; a Viewer sees every page
and changes nothing (403, or an action that is not offered and has no effect); an Editor
reviews and changes claims; a superuser may do everything an Editor may.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimMention, StatusChange
from tests.admin.conftest import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
MODELS = [
    "claims_claim",
    "claims_claimmention",
    "claims_statuschange",
    "claims_subscription",
    "claims_alertdelivery",
    "claims_speaker",
    "sources_source",
    "sources_article",
]
# Add pages: claims come from articles, history and mentions are written by the pipeline.
ADDABLE = {
    "editor": {"claims_subscription", "sources_article"},
    "superuser": {"claims_subscription", "sources_article", "sources_source"},
}


def _object(model: str, newsroom) -> int:
    from claims.models import AlertDelivery, Speaker, Subscription
    from sources.models import Article, Source

    rows = {
        "claims_speaker": Speaker.objects.first,
        "claims_claim": Claim.objects.first,
        "claims_claimmention": ClaimMention.objects.first,
        "claims_statuschange": StatusChange.objects.first,
        "claims_subscription": Subscription.objects.first,
        "claims_alertdelivery": AlertDelivery.objects.first,
        "sources_source": Source.objects.first,
        "sources_article": Article.objects.first,
    }
    row = rows[model]()
    if row is None:  # no alert delivery yet: make one from the proposal
        sub = Subscription.objects.first()
        row = AlertDelivery.objects.create(subscription=sub, status_change=newsroom["proposal"])
    return row.pk


def _expect_login(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("page", ["changelist", "change", "add"])
def test_every_admin_page_answers_each_role(client_for, newsroom, role, model, page):
    args = [_object(model, newsroom)] if page == "change" else []
    response = client_for(role).get(reverse(f"admin:{model}_{page}", args=args))

    if role in ("anonymous", "nonstaff"):
        _expect_login(response)
    elif page == "add":
        assert response.status_code == (200 if model in ADDABLE.get(role, ()) else 403)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_posting_the_claim_form_changes_it_only_for_editors(client_for, newsroom, role):
    claim = newsroom["lapsed"]
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = {
        "statement": "The port deal will be signed by Friday (edited)",
        "event": "",
        "speaker": claim.speaker,
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    response = client_for(role).post(url, data)

    claim.refresh_from_db()
    edited = claim.statement.endswith("(edited)")
    if role in ("anonymous", "nonstaff"):
        _expect_login(response)
        assert not edited
    elif role == "viewer":
        assert response.status_code == 403
        assert not edited
    else:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert edited


# --- The claim page's decisions and the other custom views: GET shows, POST applies ---

CLAIM_DECISIONS = [
    ("mark_fulfilled", {}, "fulfilled"),
    ("mark_fulfilled_late", {"effective_on": "2026-09-19"}, "fulfilled_late"),
    ("mark_missed", {}, "missed"),
    ("mark_contradicted", {}, "contradicted"),
    ("mark_retracted", {}, "retracted"),
    ("reopen", {}, "overdue"),  # reopened, time puts it straight back to overdue
    ("mark_not_a_claim", {}, "not_a_claim"),
    ("change_deadline", {"latest": "2099-10-30", "note": "Postponed by the ministry"}, "open"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "data", "result"), CLAIM_DECISIONS)
def test_claim_page_decisions_by_role(client_for, newsroom, role, name, data, result):
    claim = newsroom["other"]
    if name == "reopen":  # ruled missed, but its deadline passed only two days ago
        two_days_ago = timezone.localdate() - dt.timedelta(days=2)
        Claim.objects.filter(pk=claim.pk).update(status="missed", deadline_latest=two_days_ago)
    before = claim.status_changes.count()
    url = reverse("admin:claims_claim_decide", args=[claim.pk, name])
    client = client_for(role)

    shown = client.get(url)
    applied = client.post(url, {"note": "Checked with the ministry", **data})

    claim.refresh_from_db()
    if role in ("anonymous", "nonstaff"):
        _expect_login(shown)
        _expect_login(applied)
    elif role == "viewer":
        assert (shown.status_code, applied.status_code) == (403, 403)
    else:
        assert shown.status_code == 200
        assert applied.status_code == 302
        assert claim.status == result
        assert claim.status_changes.count() == before + 1
        return
    assert claim.status_changes.count() == before  # nothing happened


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verdict", ["accept", "reject"])
def test_reviewing_a_proposed_change_by_role(client_for, newsroom, role, verdict):
    change = newsroom["proposal"]
    url = reverse("admin:claims_statuschange_review", args=[change.pk, verdict])
    client = client_for(role)

    shown = client.get(url)
    applied = client.post(url, {"note": "Seen the signing photos"})

    change.refresh_from_db()
    if role in ("anonymous", "nonstaff"):
        _expect_login(shown)
        _expect_login(applied)
        assert change.review_state == "pending"
    elif role == "viewer":
        assert (shown.status_code, applied.status_code) == (403, 403)
        assert change.review_state == "pending"
    else:
        assert (shown.status_code, applied.status_code) == (200, 302)
        assert change.review_state == ("confirmed" if verdict == "accept" else "rejected")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["confirm", "detach"])
def test_mention_decisions_by_role(client_for, newsroom, role, name):
    mention = newsroom["evidence"]
    url = reverse("admin:claims_claimmention_decide", args=[mention.pk, name])
    client = client_for(role)

    shown = client.get(url)
    applied = client.post(url, {"note": ""})

    mention.refresh_from_db()
    if role in ("anonymous", "nonstaff"):
        _expect_login(shown)
        _expect_login(applied)
        assert mention.suggested
    elif role == "viewer":
        assert (shown.status_code, applied.status_code) == (403, 403)
        assert mention.suggested
    else:
        assert (shown.status_code, applied.status_code) == (200, 302)
        assert not mention.suggested
        if name == "detach":
            assert mention.claim_id != newsroom["lapsed"].pk


@pytest.mark.parametrize("role", ROLES)
def test_pasting_an_article_by_role(client_for, newsroom, role):
    response = client_for(role).get(reverse("admin:sources_article_paste"))

    if role in ("anonymous", "nonstaff"):
        _expect_login(response)
    else:
        assert response.status_code == (403 if role == "viewer" else 200)


# --- List actions: offered and effective for editors, neither for viewers ---

LIST_ACTIONS = [
    ("claims_claim", "mark_missed", "newsroom.lapsed"),
    ("claims_claim", "merge_claims", "both"),
    ("claims_claimmention", "confirm_mentions", "newsroom.evidence"),
    ("claims_claimmention", "detach_mentions", "newsroom.evidence"),
    ("claims_claimmention", "split_mentions", "restatement"),
    ("claims_statuschange", "accept_changes", "newsroom.proposal"),
    ("claims_statuschange", "reject_changes", "newsroom.proposal"),
    ("claims_speaker", "merge_speakers", "speakers"),
    ("sources_source", "resume_sources", "source"),
]


def _selected(target: str, newsroom) -> list[int]:
    from sources.models import Source

    if target == "both":
        return [newsroom["lapsed"].pk, newsroom["other"].pk]
    if target == "source":
        return [Source.objects.get().pk]
    if target == "restatement":  # a second forecast in the lapsed claim, to split off
        from tests.admin.conftest import second_forecast

        return [second_forecast(newsroom["lapsed"]).pk]
    if target == "speakers":  # the newsroom's minister, and a second spelling kept apart
        from claims.models import Speaker

        Speaker.objects.create(name="I. Varga")
        return list(Speaker.objects.order_by("pk").values_list("pk", flat=True))
    return [newsroom[target.split(".")[1]].pk]


def _state(newsroom) -> tuple:
    from claims.models import Speaker
    from sources.models import Source

    lapsed, evidence, proposal = (
        Claim.objects.get(pk=newsroom["lapsed"].pk),
        ClaimMention.objects.get(pk=newsroom["evidence"].pk),
        StatusChange.objects.get(pk=newsroom["proposal"].pk),
    )
    return (
        lapsed.status,
        Claim.objects.get(pk=newsroom["other"].pk).status,
        evidence.suggested,
        evidence.claim_id,
        proposal.review_state,
        StatusChange.objects.count(),
        tuple(Source.objects.values_list("next_poll_at", "updated_at")),
        Speaker.objects.count(),
        Claim.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "action", "target"), LIST_ACTIONS)
def test_list_actions_by_role(client_for, newsroom, role, model, action, target):
    from sources.models import Source

    Source.objects.update(consecutive_failures=3)
    url = reverse(f"admin:{model}_changelist")
    client = client_for(role)
    selected = _selected(target, newsroom)
    listed = client.get(url)
    before = _state(newsroom)

    first = client.post(url, {"action": action, "_selected_action": selected})
    extra = {"survivor": selected[0]} if action in ("merge_claims", "merge_speakers") else {}
    applied = client.post(
        url, {"action": action, "_selected_action": selected, "apply": "1", "note": "", **extra}
    )

    if role in ("anonymous", "nonstaff"):
        for response in (listed, first, applied):
            _expect_login(response)
        assert _state(newsroom) == before
        return
    offered = f'value="{action}"' in listed.content.decode()
    # Sources are configured by administrators; editors see them, like viewers.
    if role == "viewer" or (role == "editor" and model == "sources_source"):
        assert not offered
        assert _state(newsroom) == before
        assert Source.objects.get().consecutive_failures == 3
        return
    assert offered
    assert applied.status_code == 302
    if action == "resume_sources":
        assert Source.objects.get().consecutive_failures == 0
    else:
        assert first.status_code == 200  # the confirmation page, nothing applied yet
        assert b"apply" in first.content
        assert _state(newsroom) != before


def test_every_claims_and_sources_admin_action_declares_its_permissions():
    undeclared = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("claims", "sources"):
            continue
        for action in model_admin.actions or ():
            func = getattr(model_admin, action) if isinstance(action, str) else action
            if not getattr(func, "allowed_permissions", None):
                undeclared.append(
                    f"{type(model_admin).__name__}.{getattr(func, '__name__', action)}"
                )
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES)
def test_following_a_claim_needs_the_subscription_add_permission(client_for, newsroom, role):
    from claims.models import Subscription

    claim = newsroom["other"]
    url = reverse("admin:claims_subscription_follow", args=[claim.pk])
    client = client_for(role)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    response = client.post(url)

    follows = Subscription.objects.filter(claim=claim).count()
    if role in ("anonymous", "nonstaff"):
        _expect_login(response)
        assert follows == 0
    elif role == "viewer":
        assert response.status_code == 403
        assert follows == 0
        assert url not in page.content.decode()  # no Follow button either
    else:
        assert response.status_code == 302
        assert url in page.content.decode()
        assert Subscription.objects.get(claim=claim).email.endswith("@desk.example")


@pytest.mark.parametrize("role", ROLES)
def test_retrying_deliveries_needs_the_outbox_change_permission(client_for, newsroom, role):
    """Re-queueing mail is for administrators: a Viewer or an Editor is not offered it."""
    from claims.models import AlertDelivery, Subscription

    sub = Subscription.objects.get(claim=newsroom["lapsed"])
    delivery = AlertDelivery.objects.create(
        subscription=sub,
        status_change=newsroom["proposal"],
        state=AlertDelivery.State.FAILED,
        attempts=6,
        last_error="550 mailbox unavailable",
    )
    url = reverse("admin:claims_alertdelivery_changelist")
    client = client_for(role)
    listed = client.get(url)

    response = client.post(url, {"action": "retry_now", "_selected_action": [delivery.pk]})

    delivery.refresh_from_db()
    if role in ("anonymous", "nonstaff"):
        _expect_login(listed)
        _expect_login(response)
    elif role in ("viewer", "editor"):
        assert 'value="retry_now"' not in listed.content.decode()
        assert (delivery.state, delivery.attempts) == ("failed", 6)
        return
    else:
        assert 'value="retry_now"' in listed.content.decode()
        assert response.status_code == 302
        assert delivery.attempts < 6  # re-queued (and, eagerly, maybe already tried again)
        return
    assert (delivery.state, delivery.attempts) == ("failed", 6)
