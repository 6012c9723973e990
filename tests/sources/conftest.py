"""A real HTTP server on loopback that serves the feeds and pages in `fixtures/`.

The server listens on 127.0.0.1 and an ephemeral port. Tests reach it through a policy that
allow-lists exactly `127.0.0.1:<port>` (host *and* port), so the SSRF guard stays on for
everything else: a redirect to `127.0.0.1` on another port, to `localhost`, to `[::1]` or to
10.0.0.1 is still refused. Binding to a second loopback address (127.0.0.2) and allow-listing
that network would also let any other port on it through, so host+port is the tighter choice.
"""

from __future__ import annotations

import contextlib
import gzip
import shutil
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sources.fetching import FetchPolicy

FIXTURES = Path(__file__).parent / "fixtures"
MB = 1024 * 1024
HUGE_BYTES = 50 * MB
CONTENT_TYPES = {
    ".xml": "application/xml",
    ".rdf": "application/rdf+xml",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@cache
def gzip_bomb() -> bytes:
    """50 MB of zeros, gzipped to about 50 KB."""
    return gzip.compress(b"\0" * HUGE_BYTES, compresslevel=9)


@cache
def deflate_bomb() -> bytes:
    return zlib.compress(b"\0" * HUGE_BYTES, 9)


@dataclass
class ServerState:
    """What the handler reads (robots.txt) and writes (the request log)."""

    robots_txt: str | None = None
    robots_status: int = 200
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _headers in self.requests]


def write_response(
    handler: BaseHTTPRequestHandler,
    body: bytes,
    *,
    status: int,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    """Send a whole response: status, type, length, extra headers and body."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


class Handler(BaseHTTPRequestHandler):
    server: Any
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean

    def do_GET(self) -> None:
        state: ServerState = self.server.state
        with state.lock:
            state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        path = parts.path
        # The client hangs up on purpose in the size-limit and timeout tests.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.route(path, query)

    def route(self, path: str, query: dict[str, str]) -> None:
        if path.startswith("/static/"):
            self.static(path.removeprefix("/static/"), query)
        elif path == "/robots.txt":
            robots = self.server.state.robots_txt
            if robots is None:
                self.send_body(b"not found", status=404)
            else:
                status = self.server.state.robots_status
                self.send_body(robots.encode(), status=status, content_type="text/plain")
        elif path.startswith("/status/"):
            self.status(int(path.removeprefix("/status/")))
        elif path == "/redirect":
            self.redirect(query["to"], status=int(query.get("status", "302")))
        elif path == "/loop/a":
            self.redirect("/loop/b")
        elif path == "/loop/b":
            self.redirect("/loop/a")
        elif path.startswith("/chain/"):
            left = int(path.removeprefix("/chain/"))
            if left == 0:
                self.send_body(b"end of the chain", content_type="text/plain")
            else:
                self.redirect(f"/chain/{left - 1}")
        elif path == "/slow":
            time.sleep(float(query.get("delay", "2")))
            self.send_body(b"too late", content_type="text/plain")
        elif path == "/trickle":
            self.trickle()
        elif path == "/huge":
            self.huge(chunked=False)
        elif path == "/huge-unsized":
            self.huge(chunked=True)
        elif path == "/gzip-bomb":
            self.send_body(
                gzip_bomb(), content_type="text/html", headers={"Content-Encoding": "gzip"}
            )
        elif path == "/deflate-bomb":
            self.send_body(
                deflate_bomb(), content_type="text/html", headers={"Content-Encoding": "deflate"}
            )
        elif path == "/gzip-page":
            page = (FIXTURES / "article-boilerplate.html").read_bytes()
            headers = {"Content-Encoding": "gzip"}
            self.send_body(
                gzip.compress(page), content_type="text/html; charset=utf-8", headers=headers
            )
        elif path == "/brotli":
            self.send_body(b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"})
        elif path == "/chunked":
            self.chunked((FIXTURES / "rss20.xml").read_bytes())
        elif path == "/conditional":
            self.conditional()
        elif path == "/echo":
            lines = [f"{k}: {v}" for k, v in self.headers.items()]
            self.send_body("\n".join(lines).encode(), content_type="text/plain")
        else:
            self.send_body(b"not found", status=404)

    def send_body(
        self,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        write_response(self, body, status=status, content_type=content_type, headers=headers)

    def static(self, name: str, query: dict[str, str]) -> None:
        file = (FIXTURES / name).resolve()
        if file.parent != FIXTURES.resolve() or not file.is_file():
            self.send_body(b"not found", status=404)
            return
        content_type = query.get("ct", CONTENT_TYPES.get(file.suffix, "application/octet-stream"))
        self.send_body(file.read_bytes(), content_type=content_type)

    def status(self, status: int) -> None:
        headers = {}
        if status == 429:
            headers["Retry-After"] = "120"
        elif status == 503:
            headers["Retry-After"] = "Fri, 31 Dec 2099 23:59:59 GMT"
        self.send_body(f"status {status}".encode(), status=status, headers=headers)

    def redirect(self, location: str, *, status: int = 302) -> None:
        self.send_body(b"", status=status, headers={"Location": location})

    def conditional(self) -> None:
        etag = '"v1-ferry"'
        last_modified = "Fri, 18 Apr 2025 08:12:00 GMT"
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        headers = {"ETag": etag, "Last-Modified": last_modified}
        body = (FIXTURES / "rss20.xml").read_bytes()
        self.send_body(body, content_type="application/rss+xml", headers=headers)

    def chunked(self, body: bytes) -> None:
        """The body in three chunks with Transfer-Encoding: chunked (no Content-Length)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        third = len(body) // 3 + 1
        for start in range(0, len(body), third):
            piece = body[start : start + third]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def trickle(self) -> None:
        """Headers at once, then one byte every 50 ms: each read is quick, the whole is not."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            self.wfile.write(b".")
            self.wfile.flush()
            time.sleep(0.05)

    def huge(self, *, chunked: bool) -> None:
        """50 MB announced (or not), written until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if chunked:
            self.send_header("Connection", "close")  # body ends when the connection does
        else:
            self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        for _ in range(HUGE_BYTES // len(chunk)):
            self.wfile.write(chunk)
        self.close_connection = True


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hang up mid-request on purpose (size limits, timeouts, TLS refusals)


@dataclass
class WebServer:
    """The running server, its request log and a FetchPolicy that allows only it."""

    host: str
    port: int
    state: ServerState
    scheme: str = "http"

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.netloc}{path}"

    def policy(self, **overrides: Any) -> FetchPolicy:
        values: dict[str, Any] = {
            "allowed_hosts": (self.netloc,),
            "host_interval": 0.0,
            "respect_robots": False,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,
            "total_timeout": 10.0,
        }
        values.update(overrides)
        return FetchPolicy(**values)


def _start(server: QuietServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="session")
def web_server() -> Iterator[WebServer]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.state = ServerState()  # type: ignore[attr-defined]
    _start(server)
    yield WebServer(host="127.0.0.1", port=server.server_address[1], state=server.state)  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@pytest.fixture
def web(web_server: WebServer) -> WebServer:
    """The session's server with a fresh request log and no robots.txt."""
    with web_server.state.lock:
        web_server.state.requests.clear()
    web_server.state.robots_txt = None
    web_server.state.robots_status = 200
    return web_server


@dataclass(frozen=True)
class TLSFiles:
    cert: Path
    key: Path


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    """A self-signed certificate for news.example (it is its own CA), made with openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-days", "2", "-subj", "/CN=news.example",
            "-addext", "subjectAltName=DNS:news.example",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return TLSFiles(cert=cert, key=key)


@pytest.fixture(scope="session")
def tls_server(tls_files: TLSFiles) -> Iterator[WebServer]:
    """The same handler over HTTPS on 127.0.0.1, presenting the news.example certificate."""
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.state = ServerState()  # type: ignore[attr-defined]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_files.cert, tls_files.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    _start(server)
    yield WebServer(
        host="127.0.0.1",
        port=server.server_address[1],
        state=server.state,  # type: ignore[attr-defined]
        scheme="https",
    )
    server.shutdown()
    server.server_close()
