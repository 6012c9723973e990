"""End to end: our invented two-month storyline replayed, as an editor would read it after.

demo/storyline.jsonl holds 15 articles from five invented outlets; demo/storyline_gold.json
(derived from demo/STORYLINE.md) lists each real-world claim, the sentences that state it
and how it really ended. The replay must find the claims, group them across outlets and
end each in the status that really happened, with the history to show why.
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.evaluation import score_replay
from claims.management.commands.replay import parse_until
from claims.models import Claim, ClaimMention, StatusChange

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DEMO = Path(__file__).resolve().parents[2] / "demo"
FILES = [str(DEMO / "storyline.jsonl"), str(DEMO / "storyline_edits.jsonl")]


def replay(capsys=None):
    call_command("replay", *FILES, until=parse_until("2026-11-01"))


@pytest.fixture
def gold():
    return json.loads((DEMO / "storyline_gold.json").read_text())


@pytest.fixture
def replayed(gold, settings):
    # These tests follow the chain to each outcome, so every report's outcome applies at once;
    # `test_weak_outcome_links_wait_for_an_editor` covers the default gate.
    settings.CLAIM_OUTCOME_AUTO = settings.CLAIM_OUTCOME_DATED_AUTO = 0
    replay()
    return score_replay(gold)


def test_weak_outcome_links_wait_for_an_editor(settings):
    settings.CLAIM_OUTCOME_AUTO, settings.CLAIM_OUTCOME_DATED_AUTO = 75, 45
    replay()

    outcomes = StatusChange.objects.filter(
        reason__in=[
            StatusChange.Reason.EVIDENCE_FULFILLED,
            StatusChange.Reason.EVIDENCE_CONTRADICTED,
        ]
    )

    def gate(change):  # a report dated inside the window needs less (match_dated_report)
        return 45 if change.detail.get("dated") else 75

    weak = [change for change in outcomes if change.detail["score"] < gate(change)]
    strong = [change for change in outcomes if change.detail["score"] >= gate(change)]
    assert weak, "the invented storyline has outcome reports in other words"
    assert all(not change.applied for change in weak)
    assert all(change.review_state == StatusChange.Review.PENDING for change in weak)
    for change in weak:  # the claim did not take the proposed outcome
        assert change.claim.status != change.new_status or any(
            other.claim_id == change.claim_id and other.new_status == change.new_status
            for other in strong
        )


def claim_stated_by(sentence_contains: str) -> Claim:
    return ClaimMention.objects.get(sentence__contains=sentence_contains, kind="forecast").claim


def test_every_claim_ends_as_it_really_did(replayed):
    assert {sid: pair[1] for sid, pair in replayed.statuses.items()} == {
        sid: pair[0] for sid, pair in replayed.statuses.items()
    }


def test_claims_are_found_grouped_and_dated(replayed):
    assert replayed.mention_recall >= 0.9
    assert replayed.window_accuracy >= 0.9
    assert replayed.grouping_f1 >= 0.8


def test_a_promise_moved_then_kept_late_has_its_whole_history(replayed):
    claim = claim_stated_by("Kaldora expects to sign its long-delayed port")

    history = list(
        claim.status_changes.order_by("recorded_at", "pk").values_list(
            "old_status", "new_status", "reason"
        )
    )

    assert history == [
        ("", "open", "created"),
        ("open", "due_soon", "deadline_near"),
        ("due_soon", "overdue", "deadline_passed"),
        ("overdue", "open", "deadline_moved"),
        ("open", "overdue", "deadline_passed"),
        ("overdue", "fulfilled_late", "evidence_fulfilled"),
    ]
    moved = claim.status_changes.get(reason="deadline_moved")
    assert (str(moved.old_deadline_latest), str(moved.new_deadline_latest)) == (
        "2026-09-13",
        "2026-09-30",
    )
    assert claim.deadline_moves == 1
    signed = claim.status_changes.get(new_status="fulfilled_late")
    assert str(signed.effective_at.date()) == "2026-10-06"  # the signing, not the report
    assert str(signed.recorded_at.date()) == "2026-10-07"
    assert "signed the Velmar Port" in signed.evidence_quote
    assert signed.review_state == "pending"  # evidence-driven: flagged for an editor


def test_a_broken_truce_is_contradicted_and_an_edited_promise_retracted(replayed):
    truce = claim_stated_by("This ceasefire will hold for at least 30 days")
    prospectus = ClaimMention.objects.get(
        sentence__contains="The prospectus will be published by 15 October"
    ).claim

    assert truce.status == "contradicted"
    assert "collapsed" in truce.status_changes.get(new_status="contradicted").evidence_quote
    assert prospectus.status == "retracted"
    assert prospectus.status_changes.get(new_status="retracted").reason == "source_edited"


def test_replaying_twice_changes_nothing(replayed):
    counts = (Claim.objects.count(), ClaimMention.objects.count(), StatusChange.objects.count())

    replay()

    assert (
        Claim.objects.count(),
        ClaimMention.objects.count(),
        StatusChange.objects.count(),
    ) == counts


def test_export_json_carries_claims_mentions_and_history(replayed, tmp_path):
    out = tmp_path / "claims.json"

    call_command("export_claims", "--format", "json", "-o", str(out))

    exported = json.loads(out.read_text())["claims"]
    port = next(c for c in exported if c["status"] == "fulfilled_late")
    assert port["deadline"]["latest"] == "2026-09-30"
    assert {m["outlet"] for m in port["mentions"]} >= {"The Meridian Post", "Kaldora Daily Wire"}
    assert [h["to"] for h in port["history"]][-1] == "fulfilled_late"
    assert port["history"][0]["from"] is None
    assert set(port["mentions"][0]["timex"]) == {"text", "value", "earliest", "latest"}
