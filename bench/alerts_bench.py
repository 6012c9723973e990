"""Benchmark the alert fan-out: one status change to BENCH_SUBSCRIPTIONS (default 10,000).

Run by `make bench` (or `python bench/alerts_bench.py`). Needs PostgreSQL; exits 0 with a
message when it does not answer. Works in a scratch database made with Django's test-database
utilities (`test_<name>` of $BENCH_DATABASE_URL, else $DATABASE_URL when it names PostgreSQL,
else postgres://postgres@127.0.0.1:5432/claimwatch_bench), dropped at the end.

The subscriptions are invented: a third follow everything, a third the claim's speaker (half of
them someone else), a third a keyword (half of them absent). `record_deliveries` runs inside a
transaction that is rolled back, so the on-commit sending never starts: this times the outbox
writes alone. Summary line::

    alerts.fanout subscriptions=10000 deliveries=.. seconds=.. deliveries_per_s=..
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/claimwatch_bench"


class _Rollback(Exception):
    pass


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_DATABASE_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import OperationalError, connection, transaction

    try:
        # The named database need not exist: the scratch one is made from the server's.
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1")
    except OperationalError as exc:
        print(f"alerts.fanout skipped: PostgreSQL does not answer ({exc})")
        return 0
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from claims import alerts
        from claims.models import AlertDelivery, Claim, StatusChange, Subscription

        total = int(os.environ.get("BENCH_SUBSCRIPTIONS", "10000"))
        claim = Claim.objects.create(
            statement="the tunnel will reopen by the end of the month", speaker="Roads agency"
        )
        subs = []
        for i in range(total):
            kind = i % 3
            fields = {}
            if kind == 1:
                fields["speaker"] = "Roads agency" if i % 2 else "Harbour board"
            elif kind == 2:
                fields["keyword"] = "tunnel" if i % 2 else "ferry"
            subs.append(Subscription(email=f"reader{i}@example.org", **fields))
        Subscription.objects.bulk_create(subs, batch_size=2000)
        from django.conf import settings

        settings.ALERT_ONLY_REVIEWED = False

        deliveries = 0
        seconds = 0.0
        try:
            with transaction.atomic():
                change = StatusChange.objects.create(
                    claim=claim, old_status="open", new_status="overdue", reason="deadline_passed"
                )
                started = time.perf_counter()
                alerts.record_deliveries(change)
                seconds = time.perf_counter() - started
                deliveries = AlertDelivery.objects.filter(status_change=change).count()
                raise _Rollback
        except _Rollback:
            pass
        rate = deliveries / seconds if seconds else 0.0
        print(
            f"alerts.fanout subscriptions={total} deliveries={deliveries} "
            f"seconds={seconds:.3f} deliveries_per_s={rate:.0f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
