"""`manage.py run_scheduler`: the beat schedule in one process, for runs without a broker.

scripts/run starts it beside runserver when no broker is configured, so deadlines pass,
sweeps run and digests go out under `make run` as they do under Celery beat in production.
`--once` runs one tick (every job) and exits: the same as `manage.py check_deadlines` plus
the sweeps, for cron.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from config.scheduler import InProcessScheduler


class Command(BaseCommand):
    help = "Run the periodic jobs (deadline checks, sweeps, polls) in this process."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between ticks (default 30)."
        )
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")
        parser.add_argument(
            "--only", action="append", help="Run only this job (beat entry or task name)."
        )

    def handle(self, *args, interval: float, once: bool, only=None, **options):
        scheduler = InProcessScheduler(only=only)
        names = ", ".join(job.name for job in scheduler.jobs)
        self.stdout.write(f"Scheduler: {len(scheduler.jobs)} job(s): {names}")
        while True:
            for name, result in scheduler.tick().items():
                self.stdout.write(f"{name}: {result}")
            if once:
                return
            time.sleep(interval)
