"""Statuses never go stale: the in-process scheduler and the cron command move claims on time."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimStatus
from config.scheduler import InProcessScheduler

pytestmark = pytest.mark.django_db

# An hour after a deadline: the window "by Friday 11 September" ended at midnight.
NOW = dt.datetime(2026, 9, 12, 1, 0, tzinfo=dt.UTC)


def _lapsed_claim() -> Claim:
    return Claim.objects.create(
        statement="The port deal will be signed by Friday",
        deadline_earliest=dt.date(2026, 9, 11),
        deadline_latest=dt.date(2026, 9, 11),
        needs_review=False,
    )


def test_one_tick_makes_a_claim_overdue_an_hour_after_its_deadline():
    claim = _lapsed_claim()
    scheduler = InProcessScheduler(only=["check-deadlines"])

    results = scheduler.tick(now=NOW)

    claim.refresh_from_db()
    assert results == {"check-deadlines": 1}
    assert claim.status == ClaimStatus.OVERDUE
    change = claim.status_changes.get()
    assert change.reason == "deadline_passed"
    assert change.recorded_at == NOW


def test_the_scheduler_runs_every_beat_job_at_start_then_each_on_its_own_schedule():
    scheduler = InProcessScheduler()
    names = {job.name for job in scheduler.jobs}
    assert {"check-deadlines", "sweep-stuck-alerts", "sweep-unprocessed-articles"} <= names

    first = scheduler.tick(now=NOW)
    assert set(first) == names  # everything runs once at start
    assert all(not str(result).endswith("Error") for result in first.values()), first

    # One minute later only the every-minute poll is due; the hourly check waits for :05.
    assert set(scheduler.tick(now=NOW + dt.timedelta(minutes=1))) == {"poll-due-sources"}
    later = scheduler.tick(now=NOW.replace(minute=5) + dt.timedelta(seconds=1))
    assert "check-deadlines" in later


def test_a_failing_job_is_reported_and_does_not_stop_the_others(monkeypatch):
    claim = _lapsed_claim()
    scheduler = InProcessScheduler(only=["check-deadlines", "sweep-stuck-alerts"])

    def broken(*args, **kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr("claims.alerts.sweep_stuck_deliveries", broken)
    results = scheduler.tick(now=NOW)

    assert results["sweep-stuck-alerts"] == "RuntimeError: mail server on fire"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OVERDUE


def test_run_scheduler_once_and_check_deadlines_move_lapsed_claims():
    claim = _lapsed_claim()
    out = StringIO()

    call_command("check_deadlines", "--now", NOW.isoformat(), stdout=out)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OVERDUE
    assert f"claim {claim.pk}: open -> overdue" in out.getvalue()


def test_run_scheduler_once_runs_the_deadline_check_at_the_real_time():
    claim = Claim.objects.create(
        statement="The bridge reopens by yesterday",
        deadline_latest=dt.date.today() - dt.timedelta(days=1),
    )
    out = StringIO()

    call_command("run_scheduler", "--once", "--only", "check-deadlines", stdout=out)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OVERDUE
    assert "check-deadlines: 1" in out.getvalue()
