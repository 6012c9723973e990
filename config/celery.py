"""The Celery app and the beat schedule of periodic jobs.

Workers: `celery -A config worker`; exactly one scheduler: `celery -A config beat`.
Settings come from Django's settings with the CELERY_ prefix (config/settings.py).

Redelivery. Tasks acknowledge late (`acks_late`, `reject_on_worker_lost`): a worker killed
mid-task leaves its message unacknowledged, and Redis hands it to another worker once the
visibility timeout has passed (`CELERY_VISIBILITY_TIMEOUT`, default 2 h). A message held
longer than that, by a running task or by a retry waiting out its countdown (Redis keeps such
ETA messages unacknowledged in the worker), is delivered a second time while the first is
still held, so the timeout must exceed the longest hold (`longest_hold_seconds`: the hard
time limit 360 s, autoretry backoff up to 600 s, an alert's last retry countdown
60 s * 2**6 = 3840 s). A worker warns at start when it does not. A crashed article does not
wait the full timeout: the sweep re-enqueues articles left unprocessed within 25 minutes,
and the late redelivery then finds the text processed and does nothing.
"""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

logger = logging.getLogger(__name__)

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
    "link-speakers": {
        "task": "claims.link_speakers",
        # New claims are linked as they are created; this catches a later, better name.
        "schedule": 10 * 60.0,
    },
    "sweep-stuck-alerts": {
        "task": "claims.sweep_stuck_alerts",
        "schedule": 5 * 60.0,
    },
}


# Celery's default cap on `retry_backoff` countdowns (the `retry_backoff_max` task option).
AUTORETRY_BACKOFF_MAX = 600


def longest_hold_seconds(settings) -> int:
    """The longest a worker may hold one message unacknowledged, in seconds."""
    alert_countdown = settings.ALERT_RETRY_BACKOFF_SECONDS * 2 ** max(
        settings.ALERT_MAX_ATTEMPTS - 2, 0
    )
    return max(settings.CELERY_TASK_TIME_LIMIT, AUTORETRY_BACKOFF_MAX, alert_countdown)


@worker_ready.connect
def _warn_on_short_visibility_timeout(**_kwargs) -> None:
    from django.conf import settings

    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    longest = longest_hold_seconds(settings)
    if timeout <= longest:
        logger.warning(
            "CELERY_VISIBILITY_TIMEOUT is %d s but a message may be held %d s: long tasks and "
            "retries waiting their countdown will be delivered twice",
            timeout,
            longest,
        )
