"""The fetch's total timeout covers connect, status line, headers and body.

A real loopback server drips its answer one byte at a time, each byte well inside the read
timeout, so only the total deadline can stop the fetch.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from sources.fetching import FetchPolicy, FetchTimeoutError, fetch

pytestmark = pytest.mark.unit

STATUS = b"HTTP/1.1 200 OK\r\n"
HEADERS = b"".join(b"X-Pad-%d: drip\r\n" % n for n in range(60))
HEAD = STATUS + b"Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"


class DripServer:
    """Answers each request with `head` at once, then `payload` a byte every `interval` s."""

    def __init__(
        self, payload: bytes, *, head: bytes = b"", interval: float = 0.1, give_up_after=20.0
    ):
        self.head = head
        self.payload = payload
        self.interval = interval
        self.give_up_after = give_up_after  # a regression fails the test instead of hanging it
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by close()
            threading.Thread(target=self._drip, args=(client,), daemon=True).start()

    def _drip(self, client: socket.socket) -> None:
        started = time.monotonic()
        with client:
            client.recv(65536)  # the request
            if self.head:
                client.sendall(self.head)
            for byte in self.payload:
                if self.stopped.is_set() or time.monotonic() - started > self.give_up_after:
                    return
                try:
                    client.sendall(bytes([byte]))
                except OSError:
                    return  # the client gave up: what we want
                time.sleep(self.interval)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def policy(self, **overrides) -> FetchPolicy:
        values = {
            "allowed_hosts": (f"127.0.0.1:{self.port}",),
            "host_interval": 0.0,
            "respect_robots": False,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,  # a byte comes every 0.05 s: never a read timeout
            "total_timeout": 1.0,
        }
        values.update(overrides)
        return FetchPolicy(**values)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.listener.close()


@pytest.fixture
def drip() -> Iterator[type[DripServer]]:
    servers: list[DripServer] = []

    def start(payload: bytes, **options) -> DripServer:
        server = DripServer(payload, **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize(
    ("head", "payload"),
    [
        pytest.param(b"", b"HTTP/1.1 200 " + b"O" * 500 + b"\r\n", id="status-line"),
        pytest.param(STATUS, HEADERS, id="headers"),
        pytest.param(HEAD, b"x" * 100000, id="body"),
    ],
)
def test_a_server_dripping_its_answer_is_cut_off_at_the_total_timeout(drip, head, payload):
    server = drip(payload, head=head, interval=0.05)
    started = time.monotonic()

    with pytest.raises(FetchTimeoutError) as caught:
        fetch(server.url("/news"), policy=server.policy())

    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 2.0, f"held {elapsed:.1f} s with a 1 s total timeout"
    assert not caught.value.permanent


def test_a_quick_answer_is_not_affected_by_the_deadline(drip):
    server = drip(b"", head=STATUS + b"Content-Length: 5\r\n\r\nhello")

    result = fetch(server.url("/ok"), policy=server.policy())

    assert (result.status, result.body) == (200, b"hello")
