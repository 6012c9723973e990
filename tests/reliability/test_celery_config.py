"""Celery's redelivery settings suit the longest task (see config/celery.py)."""

from __future__ import annotations

import pytest
from django.conf import settings

from claims.tasks import task_handle_article_edit, task_process_article
from config.celery import app, longest_hold_seconds

pytestmark = pytest.mark.unit


def test_visibility_timeout_exceeds_the_longest_hold_of_a_message():
    timeout = app.conf.broker_transport_options["visibility_timeout"]

    assert longest_hold_seconds(settings) == 3840  # an alert's last retry countdown
    assert timeout > longest_hold_seconds(settings)
    assert timeout > settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.parametrize("task", [task_process_article, task_handle_article_edit])
def test_article_tasks_acknowledge_late_and_retry_when_the_database_is_away(task):
    from django.db import OperationalError

    assert task.acks_late and task.reject_on_worker_lost
    assert OperationalError in task.autoretry_for
