"""A real Celery worker consumes from real Redis and writes to the real database."""

import datetime as dt
import time

import pytest

from claims.models import Claim, ClaimStatus, StatusChange
from claims.tasks import task_check_deadlines

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def test_worker_moves_overdue_claims_through_redis(celery_worker, postgres_db):
    claim = Claim.objects.create(
        statement="The ministry will publish the audit by the end of the month",
        deadline_earliest=dt.date(2026, 3, 31),
        deadline_latest=dt.date(2026, 3, 31),
    )
    far = Claim.objects.create(
        statement="The bridge will reopen by the end of the year",
        deadline_earliest=dt.date(2026, 12, 31),
        deadline_latest=dt.date(2026, 12, 31),
    )

    result = task_check_deadlines.delay(now="2026-04-02T09:00:00+00:00")
    wait_for(lambda: StatusChange.objects.filter(claim=claim).exists())

    assert result.id
    claim.refresh_from_db()
    far.refresh_from_db()
    assert claim.status == ClaimStatus.OVERDUE
    assert far.status == ClaimStatus.OPEN
    change = StatusChange.objects.get(claim=claim)
    assert (change.old_status, change.new_status, change.reason) == (
        "open",
        "overdue",
        "deadline_passed",
    )
    assert change.recorded_at == dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC)
