"""Editors settle claims from the admin, each decision recorded through the status service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimMention, StatusChange
from claims.status import check_deadlines, refresh_needs_review
from tests.admin.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client_for):
    return client_for("editor")


def _decide(client, claim, name, **data):
    url = reverse("admin:claims_claim_decide", args=[claim.pk, name])
    return client.post(url, data)


def test_fulfilled_late_from_the_list_asks_for_a_note_then_records_it(
    editor_client, newsroom, users
):
    claim = newsroom["other"]
    url = reverse("admin:claims_claim_changelist")
    chosen = {"action": "mark_fulfilled_late", "_selected_action": [claim.pk]}

    page = editor_client.post(url, chosen)

    assert page.status_code == 200
    assert claim.statement in page.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "overdue"  # nothing applied yet

    done = editor_client.post(
        url, {**chosen, "apply": "1", "note": "Signed, photos", "effective_on": "2026-09-19"}
    )

    assert done.status_code == 302
    claim.refresh_from_db()
    change = claim.status_changes.latest("recorded_at")
    assert (claim.status, change.old_status, change.new_status) == (
        "fulfilled_late",
        "overdue",
        "fulfilled_late",
    )
    assert change.actor == users["editor"]
    assert change.evidence_quote == "Signed, photos"
    assert timezone.localdate(change.effective_at) == dt.date(2026, 9, 19)
    # and the claim page shows it in the history, with the note
    history = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Signed, photos" in history.content.decode()


def test_not_a_claim_is_kept_and_no_longer_moved_by_time(editor_client, newsroom):
    claim = newsroom["other"]

    _decide(editor_client, claim, "mark_not_a_claim", note="A quote of a quote")
    check_deadlines(now=timezone.now() + dt.timedelta(days=60))

    claim.refresh_from_db()
    assert claim.status == "not_a_claim"
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert claim.mentions.count() == 1


def test_change_deadline_is_a_deadline_move_with_the_reason(editor_client, newsroom):
    claim = newsroom["other"]
    later = timezone.localdate() + dt.timedelta(days=40)

    response = _decide(
        editor_client,
        claim,
        "change_deadline",
        latest=later.isoformat(),
        note="Ministry says end of next month",
        phrase="by the end of next month",
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    move = claim.status_changes.latest("recorded_at")
    assert move.reason == "deadline_moved"
    assert (move.old_deadline_latest, move.new_deadline_latest) == (dt.date(2026, 9, 18), later)
    assert move.evidence_quote == "Ministry says end of next month"
    assert (claim.status, claim.deadline_latest, claim.deadline_moves) == ("open", later, 1)
    assert claim.deadline_text == "by the end of next month"
    page = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content
    assert f"18 Sep 2026 → {later:%-d %b %Y}" in page.decode()


def test_change_deadline_needs_a_reason(editor_client, newsroom):
    claim = newsroom["other"]

    response = _decide(editor_client, claim, "change_deadline", latest="2099-01-01", note="")

    assert response.status_code == 200  # the form again, with the error
    assert Claim.objects.get(pk=claim.pk).deadline_latest == dt.date(2026, 9, 18)


def test_a_hand_edit_of_the_deadline_in_the_form_changes_nothing(editor_client, newsroom):
    claim = newsroom["other"]
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    response = editor_client.post(
        url,
        {
            "statement": claim.statement,
            "speaker": claim.speaker,
            "event": "",
            "deadline_latest": "2099-01-01",
            "deadline_earliest": "2099-01-01",
            "status": "fulfilled",
            "needs_review": "on",
            "mentions-TOTAL_FORMS": "0",
            "mentions-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.deadline_latest, claim.status) == (dt.date(2026, 9, 18), "overdue")
    page = editor_client.get(url).content.decode()
    assert 'name="deadline_latest"' not in page
    assert "Change the deadline" in page


def test_merge_shows_a_confirmation_then_the_loser_is_merged_not_retracted(editor_client, newsroom):
    keep, lose = newsroom["lapsed"], newsroom["other"]
    url = reverse("admin:claims_claim_changelist")
    chosen = {"action": "merge_claims", "_selected_action": [keep.pk, lose.pk]}

    page = editor_client.post(url, chosen)

    assert page.status_code == 200
    content = page.content.decode()
    assert keep.statement in content and lose.statement in content
    assert Claim.objects.get(pk=lose.pk).status == "overdue"

    editor_client.post(url, {**chosen, "apply": "1", "survivor": keep.pk, "note": "Same deal"})

    lose.refresh_from_db()
    assert (lose.status, lose.merged_into_id) == ("merged", keep.pk)
    assert lose.mentions.count() == 0
    assert keep.mentions.count() == 3
    assert not lose.search_keys.exists()
    absorbed = keep.status_changes.get(detail__merged_in=lose.pk)  # the survivor's history
    assert (absorbed.evidence_quote, absorbed.actor.username) == ("Same deal", "editor1")
    assert absorbed.old_status == absorbed.new_status == Claim.objects.get(pk=keep.pk).status
    listed = editor_client.get(url).content.decode()
    assert f"merged into #{keep.pk}" in listed


def test_after_a_merge_a_later_mention_joins_the_survivor(editor_client, db):
    from tests.claims.test_editing import PROMISE_A, PROMISE_B, forecast, publish

    first = forecast(publish("ferry-contract", PROMISE_A, "2026-06-01"))
    # Two claims of one promise (an editor split them earlier)
    from claims import editing

    second = forecast(publish("ferry-delay", PROMISE_B, "2026-06-02", outlet="Harbour Times"))
    editing.detach_mention(second, editor=None)
    second.refresh_from_db()
    keep, lose = first.claim, second.claim
    assert keep.pk != lose.pk

    url = reverse("admin:claims_claim_changelist")
    editor_client.post(
        url,
        {
            "action": "merge_claims",
            "_selected_action": [keep.pk, lose.pk],
            "apply": "1",
            "survivor": keep.pk,
        },
    )
    later = forecast(
        publish(
            "ferry-again",
            PROMISE_B.replace("reporters", "the council"),
            "2026-06-03",
            outlet="Island Post",
        )
    )

    assert later.claim_id == keep.pk


def test_merge_needs_two_claims(editor_client, newsroom):
    claim = newsroom["other"]
    url = reverse("admin:claims_claim_changelist")

    page = editor_client.post(
        url,
        {
            "action": "merge_claims",
            "_selected_action": [claim.pk],
            "apply": "1",
            "survivor": claim.pk,
        },
    )

    assert page.status_code == 200
    assert "at least two claims" in page.content.decode()


def test_review_flag_means_a_proposal_or_a_suggestion_waits_and_review_clears_it(
    editor_client, newsroom
):
    claim, proposal, suggestion = newsroom["lapsed"], newsroom["proposal"], newsroom["evidence"]
    assert claim.needs_review
    assert not Claim.objects.get(pk=newsroom["other"].pk).needs_review

    editor_client.post(
        reverse("admin:claims_statuschange_review", args=[proposal.pk, "accept"]),
        {"note": "Confirmed by the port authority"},
    )
    claim.refresh_from_db()
    assert claim.status == "fulfilled_late"
    assert claim.needs_review  # the suggested mention still waits

    editor_client.post(
        reverse("admin:claims_claimmention_decide", args=[suggestion.pk, "confirm"]), {}
    )
    claim.refresh_from_db()
    assert not claim.needs_review
    proposal.refresh_from_db()
    assert (proposal.review_state, proposal.review_note) == (
        "confirmed",
        "Confirmed by the port authority",
    )


def test_rejecting_a_proposal_that_waited_leaves_the_status(editor_client, newsroom):
    claim, proposal = newsroom["lapsed"], newsroom["proposal"]

    editor_client.post(
        reverse("admin:claims_statuschange_review", args=[proposal.pk, "reject"]),
        {"note": "Different port"},
    )

    claim.refresh_from_db()
    proposal.refresh_from_db()
    assert (claim.status, proposal.review_state) == ("overdue", "rejected")


def test_the_claim_page_offers_accept_and_reject_for_a_pending_change(editor_client, newsroom):
    claim, proposal = newsroom["lapsed"], newsroom["proposal"]

    page = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content
    review = editor_client.get(
        reverse("admin:claims_statuschange_review", args=[proposal.pk, "accept"])
    ).content.decode()

    assert reverse("admin:claims_statuschange_review", args=[proposal.pk, "accept"]) in (
        page.decode()
    )
    assert "The port deal was signed on Thursday" in review  # the evidence, before deciding


def test_a_suggested_mention_saved_by_the_matcher_flags_its_claim(newsroom):
    claim = newsroom["other"]
    article = make_article(
        "again", "The port agreement will be signed soon.", outlet="X", day=dt.date(2026, 9, 5)
    )
    ClaimMention.objects.create(
        article=article, claim=claim, start=0, end=10, sentence=article.text, suggested=True
    )

    assert Claim.objects.get(pk=claim.pk).needs_review
    ClaimMention.objects.filter(claim=claim, suggested=True).update(suggested=False)
    refresh_needs_review([claim.pk])
    assert not Claim.objects.get(pk=claim.pk).needs_review


def test_merged_claims_cannot_be_reopened(editor_client, newsroom):
    keep, lose = newsroom["lapsed"], newsroom["other"]
    editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "merge_claims",
            "_selected_action": [keep.pk, lose.pk],
            "apply": "1",
            "survivor": keep.pk,
        },
    )

    _decide(editor_client, lose, "reopen")

    lose.refresh_from_db()
    assert lose.status == "merged"
    assert StatusChange.objects.filter(claim=lose, new_status="merged").count() == 1
