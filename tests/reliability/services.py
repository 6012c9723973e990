"""Real services the fault suite starts, breaks and restarts: a private Redis, Celery workers.

Never the shared Redis or PostgreSQL servers: the suite's Redis is a `redis-server` of its
own on a free port, and workers are `celery -A config worker` subprocesses that reach the
test database by name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import kombu.pools
from django.db import connection

from config.celery import app as celery_app
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A throw-away `redis-server` (no persistence): stop() loses everything it held."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            require_service("redis-server", "it is not installed (the fault suite starts its own)")
        self.process = subprocess.Popen(
            [
                binary,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise AssertionError("private redis-server did not start")

    def stop(self) -> None:
        """SIGKILL: the broker vanishes at once, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def worker_database_url(*, application_name: str) -> str:
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{settings['NAME']}?application_name={application_name}"


class Worker:
    """`celery -A config worker --pool=solo` as a subprocess on the test database."""

    def __init__(self, *, broker_url: str, log_path: Path) -> None:
        self.name = f"reliab-{uuid.uuid4().hex[:8]}"  # also the worker's PostgreSQL app name
        self.broker_url = broker_url
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self._log_offset = 0

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
            "DATABASE_URL": worker_database_url(application_name=self.name),
            "CELERY_BROKER_URL": self.broker_url,
            "REDIS_URL": self.broker_url,
            "PYTHONUNBUFFERED": "1",
        }
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    *(str(CELERY), "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"),
                    *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                    *("--hostname", f"{self.name}@%h"),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_for_log("ready.", timeout=60)

    def log(self) -> str:
        """What this worker wrote since its last start."""
        with self.log_path.open("rb") as log:
            log.seek(self._log_offset)
            return log.read().decode("utf-8", "replace")

    def wait_for_log(self, text: str, *, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"worker exited early:\n{self.log()[-3000:]}")
            time.sleep(0.1)
        raise AssertionError(f"worker never logged {text!r}:\n{self.log()[-3000:]}")

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this process's Celery app at `url`, not eager, with fresh connection pools."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}

    def forget_pools() -> None:
        # Pools are cached per broker URL and process; a test's broker comes and goes.
        kombu.pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    forget_pools()
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield
    finally:
        forget_pools()
        celery_app.conf.update(saved)
