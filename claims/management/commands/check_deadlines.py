"""`manage.py check_deadlines [--now DATETIME]`: apply the time rules to active claims."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims.status import check_deadlines


def parse_now(value: str):
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--now must be an ISO date or datetime, got {value!r}")
        parsed = timezone.datetime.combine(day, timezone.datetime.min.time())
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class Command(BaseCommand):
    help = "Move active claims to due soon / overdue / missed as their deadlines pass."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=parse_now, help="Pretend it is this time (ISO 8601).")

    def handle(self, *args, now=None, **options):
        changes = check_deadlines(now=now)
        for change in changes:
            self.stdout.write(
                f"claim {change.claim_id}: {change.old_status} -> {change.new_status} "
                f"({change.reason})"
            )
        self.stdout.write(f"{len(changes)} change(s)")
