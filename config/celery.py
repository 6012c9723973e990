"""The Celery app and the beat schedule of periodic jobs.

Workers: `celery -A config worker`; exactly one scheduler: `celery -A config beat`.
Settings come from Django's settings with the CELERY_ prefix (config/settings.py).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("claimwatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task names are explicit strings so a renamed module never orphans queued messages.
app.conf.beat_schedule = {
    "poll-due-sources": {
        "task": "sources.poll_due_sources",
        "schedule": 60.0,  # each source has its own interval; this only finds the due ones
    },
    "refetch-recent-articles": {
        "task": "sources.refetch_due_articles",
        "schedule": 15 * 60.0,
    },
    "check-deadlines": {
        "task": "claims.check_deadlines",
        "schedule": crontab(minute=5),  # hourly, off the top of the hour
    },
    "send-digests": {
        "task": "claims.send_digests",
        # Hourly: each subscriber has a digest hour in their own time zone.
        "schedule": crontab(minute=0),
    },
    "sweep-unprocessed-articles": {
        "task": "claims.sweep_unprocessed_articles",
        "schedule": 15 * 60.0,  # extraction messages lost while the broker was down
    },
    "sweep-stuck-alerts": {
        "task": "claims.sweep_stuck_alerts",
        "schedule": 5 * 60.0,
    },
}
