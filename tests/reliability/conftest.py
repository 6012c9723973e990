"""Helpers for the fault suite: a second database session, waiting, publishing articles."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from django.db import connection

from sources import polling
from sources.ingestion import ArticleRecord, archive_source, upsert_article
from sources.models import Article
from tests.reliability.services import PrivateRedis, Worker


def wait_for(predicate: Callable[[], object], *, timeout: float = 20.0, interval: float = 0.1):
    """Poll `predicate` until it returns something truthy; return that, or fail at `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def conninfo() -> str:
    """libpq connection string of the database the tests use (the test database)."""
    settings = connection.settings_dict
    parts = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"],
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


@pytest.fixture
def other_session(postgres_db) -> Iterator[psycopg.Connection]:
    """A second PostgreSQL session (autocommit), as another process would have."""
    with psycopg.connect(conninfo(), autocommit=True) as session:
        yield session


@pytest.fixture
def monitor(postgres_db) -> Iterator[psycopg.Connection]:
    """A session for watching pg_stat_activity (autocommit: a fresh snapshot each query)."""
    with psycopg.connect(conninfo(), autocommit=True) as session:
        yield session


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    """A private Redis on a free port, not started yet (a broker that is down)."""
    server = PrivateRedis(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def redis(private_redis) -> PrivateRedis:
    """A private Redis, running."""
    private_redis.start()
    return private_redis


@pytest.fixture
def workers(private_redis, tmp_path, postgres_db) -> Iterator[Callable[[], Worker]]:
    """Start a worker subprocess on the private Redis with each call; all stop at the end."""
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(broker_url=private_redis.url, log_path=tmp_path / "worker.log")
        started.append(worker)
        worker.start()
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(autouse=True)
def _forget_broker_outages():
    """An outage one test simulated must not make the next one skip its hand-offs."""
    yield
    polling._broker_down_since, polling._broker_next_try = None, 0.0
    polling._unsent_during_outage = 0


def store(slug: str, text: str, *, day: str = "2026-06-01", outlet: str = "Fault Gazette"):
    """Store an article (not processed) and return it."""
    record = ArticleRecord(
        url=f"https://faults.example/{slug}",
        title=slug,
        published=dt.datetime.fromisoformat(f"{day}T08:00:00+00:00"),
        text=text,
        outlet=outlet,
    )
    result = upsert_article(record, source=archive_source(outlet), fetched_at=record.published)
    return Article.objects.get(pk=result.article_id)


# Invented texts. The second article starts a claim of its own, then restates the first's.
LIGHTHOUSE = (
    "Harbour Commissioner Ilse Brandt said on Monday that the new lighthouse at Kessel Point "
    "would be finished by the end of next month."
)
RING_ROAD_AND_LIGHTHOUSE = (
    "The regional council said the Oster ring road will be resurfaced by the end of the year. "
    "Ilse Brandt told reporters the new lighthouse at Kessel Point will be finished by the end "
    "of next month."
)
