"""Fixtures shared by the whole suite: services, the Celery worker, editors."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from config.celery import app as celery_app


def require_service(name: str, reason: str) -> None:
    """Skip a test whose service is missing, or fail when CI demands every service."""
    if settings.CLAIMWATCH_REQUIRE_SERVICES:
        pytest.fail(f"{name} is required (CLAIMWATCH_REQUIRE_SERVICES=1) but {reason}")
    pytest.skip(f"{name} not available: {reason}")


def broker_url_from_env() -> str:
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""


@pytest.fixture(autouse=True)
def _celery_inline_by_default():
    """Tasks run inline in tests unless a test asks for the real worker.

    CI exports REDIS_URL for the worker tests; without this every `.delay()` elsewhere
    would queue a message that no worker consumes.
    """
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def redis_broker_url() -> str:
    url = broker_url_from_env()
    if not url.startswith(("redis://", "rediss://")):
        require_service("Redis", "REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require_service("Redis", f"{url} does not answer ({exc})")
    return url


@pytest.fixture
def postgres_db(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "DATABASE_URL does not select PostgreSQL")
    return connection


@pytest.fixture
def celery_worker(redis_broker_url):
    """A real Celery worker thread consuming from real Redis, on a queue of its own.

    Use with `@pytest.mark.django_db(transaction=True)`: the worker thread has its own
    database connection and only sees committed rows.
    """
    from celery.contrib.testing.worker import start_worker

    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=redis_broker_url, task_always_eager=False)
    # Messages left by an interrupted earlier run must not reach this test's worker.
    with celery_app.connection_for_write() as conn:
        celery_app.amqp.queues[celery_app.conf.task_default_queue].bind(conn).purge()
    try:
        with start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=30,
        ) as worker:
            yield worker
    finally:
        celery_app.conf.update(saved)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        username="editor", password="correct horse battery", is_staff=True
    )
