"""transition_claim and check_deadlines against the database."""

import datetime as dt

import pytest
from django.core.management import call_command

from claims.models import Claim, StatusChange
from claims.pipeline import unprocessed_articles
from claims.status import check_deadlines, transition_claim
from sources.models import Article

pytestmark = pytest.mark.django_db


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


@pytest.fixture
def claim():
    return Claim.objects.create(
        statement="The coalition will present its budget by the end of the month",
        deadline_earliest=dt.date(2026, 9, 30),
        deadline_latest=dt.date(2026, 9, 30),
    )


def test_transition_claim_is_noop_when_status_unchanged(claim):
    assert transition_claim(claim, "open", reason="editor") is None
    assert StatusChange.objects.count() == 0


def test_transition_claim_records_old_and_new_window(claim, editor):
    change = transition_claim(
        claim,
        "open",
        reason="deadline_moved",
        actor=editor,
        at=at("2026-09-20T10:00"),
        new_deadline=(dt.date(2026, 10, 9), dt.date(2026, 10, 11)),
    )

    claim.refresh_from_db()
    assert (change.old_deadline_latest, change.new_deadline_latest) == (
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 11),
    )
    assert claim.deadline_latest == dt.date(2026, 10, 11)
    assert change.actor == editor
    assert change.recorded_at == change.effective_at == at("2026-09-20T10:00")


def test_check_deadlines_walks_a_claim_through_time_once(claim):
    timeline = ["2026-09-20", "2026-09-27", "2026-09-27", "2026-10-01", "2026-10-14", "2026-10-15"]

    seen = [[c.new_status for c in check_deadlines(now=at(day))] for day in timeline]

    assert seen == [[], ["due_soon"], [], ["overdue"], [], ["missed"]]
    claim.refresh_from_db()
    assert claim.status == "missed"
    assert list(claim.status_changes.values_list("reason", flat=True)) == [
        "deadline_near",
        "deadline_passed",
        "grace_expired",
    ]


def test_check_deadlines_command_takes_a_simulated_now(claim, capsys):
    call_command("check_deadlines", "--now", "2026-10-02T06:00:00+00:00")

    claim.refresh_from_db()
    assert claim.status == "overdue"
    assert claim.status_changes.get().recorded_at == at("2026-10-02T06:00")
    assert "1 change(s)" in capsys.readouterr().out


def test_sweep_finds_articles_whose_extraction_was_lost():
    lost = Article.objects.create(
        canonical_url="https://ledger.example/a",
        url="https://ledger.example/a",
        text="The council will vote on the budget on Friday.",
        content_hash="h1",
    )
    failed = Article.objects.create(
        canonical_url="https://ledger.example/b",
        url="https://ledger.example/b",
        text="x",
        content_hash="h2",
        processing_error="ValueError: bad text",
    )
    done = Article.objects.create(
        canonical_url="https://ledger.example/c",
        url="https://ledger.example/c",
        text="y",
        content_hash="h3",
        processed_hash="h3",
    )

    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)

    assert list(unprocessed_articles(now=later)) == [lost]
    assert failed not in unprocessed_articles(now=later)
    assert done not in unprocessed_articles(now=later)
    assert list(unprocessed_articles()) == []  # too fresh: its message may still be queued
