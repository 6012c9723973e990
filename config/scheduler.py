"""A small scheduler for runs without a broker: the beat schedule, run in one process.

Production runs `celery -A config beat` beside the workers. Under `make run` there is no
broker and tasks run inline, so nothing would move claims from open to overdue as their
deadlines pass. `manage.py run_scheduler` (started by scripts/run beside runserver) loops
over `InProcessScheduler.tick`, which runs each entry of `config.celery`'s beat schedule
when it is due, in this process: the same jobs, the same intervals, one source of truth.

Every job runs at the first tick (a fresh start has missed whatever fell due while it was
down), then on its own schedule. A job that raises is logged and tried again when next due;
it never stops the others.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from dataclasses import dataclass, field

from celery.schedules import BaseSchedule, schedule
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str  # the beat entry's key
    task: str  # the registered task name
    schedule: BaseSchedule
    kwargs: dict = field(default_factory=dict)
    last_run_at: dt.datetime | None = None


def _as_schedule(value) -> BaseSchedule:
    if isinstance(value, BaseSchedule):
        return value
    if isinstance(value, dt.timedelta):
        return schedule(value)
    return schedule(dt.timedelta(seconds=float(value)))


def jobs_from_beat(beat_schedule: dict) -> list[Job]:
    return [
        Job(
            name=name,
            task=entry["task"],
            schedule=_as_schedule(entry["schedule"]),
            kwargs=dict(entry.get("kwargs") or {}),
        )
        for name, entry in beat_schedule.items()
    ]


class InProcessScheduler:
    """Runs the due jobs of a beat schedule inline, one tick at a time."""

    def __init__(self, app=None, *, only: list[str] | None = None):
        if app is None:
            from config.celery import app
        self.app = app
        app.loader.import_default_modules()  # registers the tasks of every installed app
        jobs = jobs_from_beat(app.conf.beat_schedule)
        if only:
            jobs = [job for job in jobs if job.name in only or job.task in only]
        self.jobs = jobs

    def due_jobs(self, now: dt.datetime) -> list[Job]:
        due = []
        for job in self.jobs:
            if job.last_run_at is None:
                due.append(job)
                continue
            # Celery's schedules answer "is it due, given the last run?" relative to their own
            # clock; give them ours so a tick at a simulated `now` decides the same way.
            job.schedule.nowfun = lambda now=now: now
            if job.schedule.is_due(job.last_run_at).is_due:
                due.append(job)
        return due

    def tick(self, now: dt.datetime | None = None) -> dict[str, object]:
        """Run every due job once; returns {job name: its result, or the error text}."""
        now = now or timezone.now()
        results: dict[str, object] = {}
        for job in self.due_jobs(now):
            job.last_run_at = now
            task = self.app.tasks[job.task]
            kwargs = dict(job.kwargs)
            if "now" in inspect.signature(task.run).parameters:
                kwargs.setdefault("now", now.isoformat())  # check_deadlines at the tick's time
            try:
                results[job.name] = task.apply(kwargs=kwargs, throw=True).get()
            except Exception as exc:
                logger.exception("scheduler: %s failed", job.name)
                results[job.name] = f"{type(exc).__name__}: {exc}"
            else:
                logger.info("scheduler: %s -> %r", job.name, results[job.name])
        return results
