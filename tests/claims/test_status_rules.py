"""decide_time_status: where time alone puts a claim (pure)."""

import datetime as dt

import pytest

from claims.status import decide_time_status

pytestmark = pytest.mark.unit

FRIDAY = dt.date(2026, 5, 1)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        ("open", dt.date(2026, 4, 27), None),  # 4 days before: still open
        ("open", dt.date(2026, 4, 28), ("due_soon", "deadline_near")),
        ("open", FRIDAY, ("due_soon", "deadline_near")),  # the last day is inclusive
        ("open", dt.date(2026, 5, 2), ("overdue", "deadline_passed")),
        ("due_soon", dt.date(2026, 5, 2), ("overdue", "deadline_passed")),
        ("overdue", dt.date(2026, 5, 15), None),  # 14 days of grace
        ("overdue", dt.date(2026, 5, 16), ("missed", "grace_expired")),
        ("open", dt.date(2026, 6, 1), ("missed", "grace_expired")),  # straight through
        ("overdue", dt.date(2026, 4, 20), None),  # never backwards: replays check the past
        ("fulfilled", dt.date(2026, 6, 1), None),  # outcomes never move by time
        ("contradicted", dt.date(2026, 6, 1), None),
    ],
)
def test_decide_time_status(status, today, expected):
    decision = decide_time_status(
        status, deadline_latest=FRIDAY, today=today, due_soon_days=3, grace_days=14
    )

    got = (decision.new_status, decision.reason) if decision else None
    assert got == expected


def test_claims_without_deadline_never_move_by_time():
    assert (
        decide_time_status(
            "open", deadline_latest=None, today=FRIDAY, due_soon_days=3, grace_days=14
        )
        is None
    )
