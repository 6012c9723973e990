"""Settings of the fault suite's worker subprocesses: the app's, with quick redelivery.

A message a killed worker held comes back after 2 s (not 2 h), and a restarted worker looks
for such messages every second, so a test sees the redelivery within its time budget.
"""

from config.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
