"""Tests for sources.fetching against a real HTTP server on loopback (see conftest.py)."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import urllib3.util.connection

from sources.fetching import (
    DEFAULT_USER_AGENT,
    BlockedURLError,
    ContentDecodingError,
    FeedParseError,
    FetchPolicy,
    FetchResult,
    FetchTimeoutError,
    HostPacer,
    HTTPStatusError,
    NetworkError,
    ResponseTooLargeError,
    RobotsCache,
    RobotsDisallowedError,
    TooManyRedirectsError,
    address_block_reason,
    decode_text,
    fetch,
    fetch_feed,
    fetch_sitemap,
    parse_feed,
    parse_retry_after,
    parse_sitemap,
)
from sources.normalize import extract_article
from tests.sources.conftest import FIXTURES, MB, WebServer

PUBLIC_IP = "93.184.215.14"


def make_result(
    body: bytes, *, content_type: str = "application/xml", url: str = ""
) -> FetchResult:
    url = url or "https://feeds.example/feed.xml"
    text, encoding = decode_text(body, content_type)
    return FetchResult(
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": content_type},
        body=body,
        text=text,
        encoding=encoding,
        content_type=content_type,
        etag="",
        last_modified="",
        not_modified=False,
        redirects=(),
        address=PUBLIC_IP,
        elapsed=0.0,
    )


def fake_resolver(
    monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]
) -> list[str]:
    """Answer getaddrinfo for invented names from `answers` (one list per successive call).

    Other names, including the IP literals urllib3 passes when it connects, go to the real
    resolver. Returns the log of names looked up.
    """
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(name)
        calls = answers[name]
        ips = calls[min(len(lookups) - 1, len(calls) - 1)]
        infos = []
        for ip in ips:
            if ipaddress.ip_address(ip).version == 6:
                infos.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0)))
            else:
                infos.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)))
        return infos

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


# --- The SSRF guard, pure -----------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.0.0.2", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("169.254.10.10", "link-local"),
        ("100.64.1.1", "shared (carrier-grade NAT)"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 — a value to judge, not a bind
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "private"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd00:ec2::254", "cloud metadata"),
        ("ff02::1", "multicast"),
        ("fec0::1", "site-local"),
        ("::ffff:127.0.0.1", "loopback (IPv4-mapped)"),
        ("::ffff:169.254.169.254", "cloud metadata (IPv4-mapped)"),
        ("::10.0.0.1", "reserved"),  # IPv4-compatible, deprecated
        ("2002:a00:1::", "private (embedded in IPv6)"),  # 6to4 around 10.0.0.1
        ("2002:7f00:1::", "loopback (embedded in IPv6)"),  # 6to4 around 127.0.0.1
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),  # Teredo
        ("64:ff9b::a00:1", "reserved"),  # NAT64 around 10.0.0.1
    ],
)
def test_address_block_reason_refuses_non_public_addresses(address: str, reason: str) -> None:
    assert address_block_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.unit
@pytest.mark.parametrize(
    "address", [PUBLIC_IP, "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:5db8:d70e::"]
)
def test_address_block_reason_passes_public_addresses(address: str) -> None:
    assert address_block_reason(ipaddress.ip_address(address)) is None


@pytest.mark.unit
def test_policy_rejects_a_bad_network_with_the_setting_name() -> None:
    with pytest.raises(ValueError, match="FETCH_ALLOWED_NETWORKS"):
        FetchPolicy(allowed_networks=("10.0.0.0/33",))


@pytest.mark.unit
def test_policy_from_settings_reads_fetch_settings(settings: Any) -> None:
    settings.FETCH_MAX_BYTES = 1234
    settings.FETCH_ALLOWED_HOSTS = ["Intranet.Example:8080"]
    settings.FETCH_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    settings.FETCH_HOST_INTERVAL = 0.5

    policy = FetchPolicy.from_settings(read_timeout=3.0)

    assert policy.max_bytes == 1234
    assert policy.allowed_hosts == ("intranet.example:8080",)
    assert policy.allowed_networks == (ipaddress.ip_network("10.20.0.0/16"),)
    assert policy.host_interval == 0.5
    assert policy.read_timeout == 3.0


@pytest.mark.unit
def test_default_user_agent_names_claimwatch_and_a_contact() -> None:
    assert DEFAULT_USER_AGENT.startswith("Claimwatch/")
    assert "@" in DEFAULT_USER_AGENT


# --- Refused URLs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://127.0.0.1:70/_HELO", "ftp://ftp.example/x", "http:///x"],
)
def test_fetch_refuses_non_http_urls(web: WebServer, url: str) -> None:
    with pytest.raises(BlockedURLError) as caught:
        fetch(url, policy=web.policy())

    assert caught.value.permanent


def test_fetch_refuses_loopback_without_an_allow_list(web: WebServer) -> None:
    policy = web.policy(allowed_hosts=(), respect_robots=True)

    with pytest.raises(BlockedURLError, match="loopback"):
        fetch(web.url("/static/rss20.xml"), policy=policy, robots=RobotsCache())

    assert web.state.paths() == []


@pytest.mark.parametrize(
    "host",
    ["localhost", "2130706433", "0x7f.0.0.1", "[::ffff:127.0.0.1]"],
)
def test_fetch_refuses_other_names_for_the_allowed_server(web: WebServer, host: str) -> None:
    """The allow-list names 127.0.0.1:<port>; other spellings of loopback stay refused."""
    with pytest.raises(BlockedURLError):
        fetch(f"http://{host}:{web.port}/static/rss20.xml", policy=web.policy())

    assert web.state.paths() == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/admin",
        "http://127.0.0.1:{other_port}/admin",
        "http://localhost:{port}/secret",
        "http://10.0.0.1/internal",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]:{port}/secret",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:{port}/_secret",
    ],
)
def test_fetch_refuses_redirects_to_internal_addresses(web: WebServer, target: str) -> None:
    location = target.format(port=web.port, other_port=web.port + 1)

    with pytest.raises(BlockedURLError) as caught:
        fetch(web.url(f"/redirect?to={location}"), policy=web.policy())

    assert caught.value.permanent
    assert len(web.state.paths()) == 1  # the redirect itself, never its target


def test_fetch_allows_a_listed_network_but_still_checks_redirects(web: WebServer) -> None:
    policy = web.policy(allowed_hosts=(), allowed_networks=("127.0.0.1/32",))

    result = fetch(web.url("/static/rss20.xml"), policy=policy)
    with pytest.raises(BlockedURLError, match=r"10\.0\.0\.1"):
        fetch(web.url("/redirect?to=http://10.0.0.1/"), policy=policy)

    assert result.status == 200


def test_fetch_connects_to_the_address_it_checked(
    web: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name answers public first, loopback after. We must not ask twice."""
    lookups = fake_resolver(monkeypatch, {"news.example": [[PUBLIC_IP], ["127.0.0.1"]]})
    real_create_connection = urllib3.util.connection.create_connection
    connected: list[tuple[str, int]] = []

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        connected.append(address)
        # Stand in for the public server (no test may reach the internet).
        return real_create_connection((web.host, web.port), *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)

    result = fetch(f"http://news.example:{web.port}/echo", policy=web.policy(allowed_hosts=()))

    assert lookups == ["news.example"]
    assert connected == [(PUBLIC_IP, web.port)]
    assert result.address == PUBLIC_IP
    assert f"Host: news.example:{web.port}" in result.text


def test_fetch_refuses_a_name_with_any_private_address(
    web: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_resolver(monkeypatch, {"news.example": [[PUBLIC_IP, "10.1.2.3"]]})

    with pytest.raises(BlockedURLError, match=r"10\.1\.2\.3"):
        fetch(f"http://news.example:{web.port}/echo", policy=web.policy(allowed_hosts=()))


def test_fetch_reports_unresolvable_names(web: WebServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(*args: Any, **kwargs: Any) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    with pytest.raises(NetworkError, match=r"Could not resolve nowhere\.example") as caught:
        fetch("http://nowhere.example/feed", policy=web.policy())

    assert not caught.value.permanent


def test_fetch_over_https_checks_the_certificate_for_the_name(
    tls_server: WebServer, tls_files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_resolver(monkeypatch, {"news.example": [["127.0.0.1"]], "other.example": [["127.0.0.1"]]})
    policy = tls_server.policy(
        allowed_hosts=(f"news.example:{tls_server.port}", f"other.example:{tls_server.port}"),
        ca_certs=str(tls_files.cert),
    )

    result = fetch(f"https://news.example:{tls_server.port}/echo", policy=policy)
    with pytest.raises(NetworkError, match="TLS"):
        fetch(f"https://other.example:{tls_server.port}/echo", policy=policy)

    assert result.address == "127.0.0.1"
    assert f"Host: news.example:{tls_server.port}" in result.text


# --- Redirects ----------------------------------------------------------------------------


def test_fetch_follows_relative_redirects(web: WebServer) -> None:
    result = fetch(web.url("/redirect?to=/static/rss20.xml&status=301"), policy=web.policy())

    assert result.final_url == web.url("/static/rss20.xml")
    assert result.redirects == (web.url("/static/rss20.xml"),)
    assert result.url == web.url("/redirect?to=/static/rss20.xml&status=301")


def test_fetch_follows_five_redirects(web: WebServer) -> None:
    result = fetch(web.url("/chain/5"), policy=web.policy())

    assert result.text == "end of the chain"
    assert len(result.redirects) == 5


def test_fetch_stops_after_five_redirects(web: WebServer) -> None:
    with pytest.raises(TooManyRedirectsError, match="More than 5 redirects"):
        fetch(web.url("/chain/6"), policy=web.policy())

    assert len(web.state.paths()) == 6


def test_fetch_detects_a_redirect_loop(web: WebServer) -> None:
    with pytest.raises(TooManyRedirectsError, match="loop"):
        fetch(web.url("/loop/a"), policy=web.policy())

    assert web.state.paths() == ["/loop/a", "/loop/b"]


# --- Status codes -------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "permanent"), [(404, True), (410, True), (500, False)])
def test_fetch_raises_http_errors_with_status(web: WebServer, status: int, permanent: bool) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        fetch(web.url(f"/status/{status}"), policy=web.policy())

    assert caught.value.status == status
    assert caught.value.permanent is permanent
    assert caught.value.retry_after is None
    assert str(caught.value) == f"HTTP {status} from {web.url(f'/status/{status}')}"


def test_fetch_passes_on_retry_after_seconds(web: WebServer) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        fetch(web.url("/status/429"), policy=web.policy())

    assert caught.value.status == 429
    assert caught.value.retry_after == 120.0
    assert not caught.value.permanent


def test_fetch_passes_on_retry_after_dates(web: WebServer) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        fetch(web.url("/status/503"), policy=web.policy())

    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 365 * 24 * 3600


@pytest.mark.unit
@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("Fri, 18 Apr 2025 10:02:00 GMT", 120.0), ("", None), ("soon", None)],
)
def test_parse_retry_after(header: str, seconds: float | None) -> None:
    now = datetime(2025, 4, 18, 10, 0, tzinfo=UTC)

    assert parse_retry_after(header, now=now) == seconds


# --- Timeouts and size limits -------------------------------------------------------------


def test_fetch_times_out_waiting_for_a_slow_response(web: WebServer) -> None:
    started = time.monotonic()

    with pytest.raises(FetchTimeoutError) as caught:
        fetch(web.url("/slow?delay=2"), policy=web.policy(read_timeout=0.3))

    assert time.monotonic() - started < 1.5
    assert not caught.value.permanent


def test_fetch_times_out_on_a_trickling_body(web: WebServer) -> None:
    """Every read is quick, so only the overall deadline can stop this one."""
    started = time.monotonic()

    with pytest.raises(FetchTimeoutError):
        fetch(web.url("/trickle"), policy=web.policy(read_timeout=2.0, total_timeout=0.5))

    assert time.monotonic() - started < 1.5


def test_fetch_refuses_an_announced_50_mb_body_at_once(web: WebServer) -> None:
    started = time.monotonic()

    with pytest.raises(ResponseTooLargeError, match="announces 52428800 bytes"):
        fetch(web.url("/huge"), policy=web.policy())

    assert time.monotonic() - started < 2


def test_fetch_stops_reading_an_unannounced_50_mb_body(web: WebServer) -> None:
    with pytest.raises(ResponseTooLargeError, match="more than 1048576 bytes"):
        fetch(web.url("/huge-unsized"), policy=web.policy(max_bytes=MB))


@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb"])
def test_fetch_stops_decompressing_a_bomb(web: WebServer, path: str) -> None:
    with pytest.raises(ResponseTooLargeError, match="decompresses to more than"):
        fetch(web.url(path), policy=web.policy())


def test_fetch_reads_chunked_bodies(web: WebServer) -> None:
    result = fetch(web.url("/chunked"), policy=web.policy())

    assert "transfer-encoding" in result.headers
    assert result.body == (FIXTURES / "rss20.xml").read_bytes()


def test_fetch_decompresses_gzip_pages(web: WebServer) -> None:
    result = fetch(web.url("/gzip-page"), policy=web.policy())

    assert result.headers["content-encoding"] == "gzip"
    assert result.body == (FIXTURES / "article-boilerplate.html").read_bytes()
    assert "Ferry terminal" in result.text


def test_fetch_refuses_unsupported_content_encodings(web: WebServer) -> None:
    with pytest.raises(ContentDecodingError, match="'br'"):
        fetch(web.url("/brotli"), policy=web.policy())


# --- Conditional GET, headers, pacing -----------------------------------------------------


def test_fetch_conditional_get_answers_not_modified(web: WebServer) -> None:
    first = fetch(web.url("/conditional"), policy=web.policy())

    second = fetch(
        web.url("/conditional"),
        policy=web.policy(),
        etag=first.etag,
        last_modified=first.last_modified,
    )

    assert first.etag == '"v1-ferry"'
    assert first.last_modified == "Fri, 18 Apr 2025 08:12:00 GMT"
    assert not first.not_modified
    assert second.not_modified
    assert second.status == 304
    assert second.body == b""
    assert (second.etag, second.last_modified) == (first.etag, first.last_modified)
    sent = web.state.requests[-1][1]
    assert sent["if-none-match"] == '"v1-ferry"'
    assert sent["if-modified-since"] == "Fri, 18 Apr 2025 08:12:00 GMT"


def test_fetch_feed_returns_an_empty_not_modified_feed(web: WebServer) -> None:
    feed = fetch_feed(web.url("/conditional"), etag='"v1-ferry"', policy=web.policy())

    assert feed.not_modified
    assert feed.entries == ()
    assert feed.etag == '"v1-ferry"'


def test_fetch_sends_user_agent_and_accepts_compression(web: WebServer) -> None:
    fetch(web.url("/echo"), policy=web.policy(user_agent="Claimwatch/9 (ops@claims.example)"))

    sent = web.state.requests[-1][1]
    assert sent["user-agent"] == "Claimwatch/9 (ops@claims.example)"
    assert sent["accept-encoding"] == "gzip, deflate"
    assert sent["host"] == web.netloc


def test_fetch_paces_requests_to_one_host(web: WebServer) -> None:
    pacer = HostPacer()
    policy = web.policy(host_interval=0.2)
    started = time.monotonic()

    for _ in range(3):
        fetch(web.url("/echo"), policy=policy, pacer=pacer)

    assert time.monotonic() - started >= 0.4


@pytest.mark.unit
def test_host_pacer_spaces_one_host_and_not_others() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    pacer = HostPacer(clock=lambda: now[0], sleep=sleep)

    waits = [
        pacer.wait("a.example", 2.0),
        pacer.wait("a.example", 2.0),
        pacer.wait("b.example", 2.0),
    ]

    assert waits == [0.0, 2.0, 0.0]
    assert slept == [2.0]


@pytest.mark.unit
def test_host_pacer_queues_concurrent_callers() -> None:
    pacer = HostPacer()
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        waited = pacer.wait("a.example", 0.05)
        with lock:
            waits.append(round(waited, 2))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(waits) == pytest.approx([0.0, 0.05, 0.10, 0.15], abs=0.02)


# --- robots.txt ---------------------------------------------------------------------------


def test_fetch_honours_robots_txt_and_caches_it(web: WebServer) -> None:
    web.state.robots_txt = (
        "User-agent: Claimwatch\nDisallow: /static/private\n\nUser-agent: *\nDisallow: /\n"
    )
    policy = web.policy(respect_robots=True)
    robots = RobotsCache()

    fetch(web.url("/static/rss20.xml"), policy=policy, robots=robots)
    fetch(web.url("/static/atom.xml"), policy=policy, robots=robots)
    with pytest.raises(RobotsDisallowedError, match="disallows"):
        fetch(web.url("/static/private-notes.xml"), policy=policy, robots=robots)

    assert web.state.paths() == ["/robots.txt", "/static/rss20.xml", "/static/atom.xml"]


def test_fetch_reads_robots_txt_again_after_its_ttl(web: WebServer) -> None:
    web.state.robots_txt = "User-agent: *\nAllow: /\n"
    now = [1000.0]
    robots = RobotsCache(clock=lambda: now[0])
    policy = web.policy(respect_robots=True, robots_ttl=60.0)

    fetch(web.url("/echo"), policy=policy, robots=robots)
    now[0] += 59
    fetch(web.url("/echo"), policy=policy, robots=robots)
    now[0] += 2
    fetch(web.url("/echo"), policy=policy, robots=robots)

    assert web.state.paths().count("/robots.txt") == 2


def test_fetch_can_ignore_robots_txt(web: WebServer) -> None:
    web.state.robots_txt = "User-agent: *\nDisallow: /\n"

    result = fetch(
        web.url("/static/rss20.xml"),
        policy=web.policy(respect_robots=True),
        robots=RobotsCache(),
        ignore_robots=True,
    )

    assert result.status == 200
    assert "/robots.txt" not in web.state.paths()


def test_fetch_treats_a_missing_robots_txt_as_allow_all(web: WebServer) -> None:
    result = fetch(
        web.url("/static/rss20.xml"), policy=web.policy(respect_robots=True), robots=RobotsCache()
    )

    assert result.status == 200


def test_fetch_holds_off_while_robots_txt_fails(web: WebServer) -> None:
    web.state.robots_txt = "server on fire"
    web.state.robots_status = 503
    robots = RobotsCache()
    policy = web.policy(respect_robots=True)

    with pytest.raises(RobotsDisallowedError, match="unreachable") as caught:
        fetch(web.url("/static/rss20.xml"), policy=policy, robots=robots)
    web.state.robots_status = 200
    web.state.robots_txt = "User-agent: *\nAllow: /\n"
    result = fetch(web.url("/static/rss20.xml"), policy=policy, robots=robots)

    assert not caught.value.permanent
    assert result.status == 200


# --- Charsets -----------------------------------------------------------------------------


CAFE_CP1252 = (FIXTURES / "article-cp1252.html").read_bytes()


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=windows-1252",
        "text/html; charset=utf-8",
        "text/html",
        "text/html; charset=bogus",
    ],
)
def test_fetch_decodes_windows_1252_whatever_the_header_says(
    web: WebServer, content_type: str
) -> None:
    result = fetch(web.url(f"/static/article-cp1252.html?ct={content_type}"), policy=web.policy())

    assert result.encoding == "cp1252"
    assert "café on Mill Lane will reopen “by Easter at the latest”" in result.text
    assert "€40,000" in result.text


@pytest.mark.unit
def test_decode_text_prefers_utf8_over_a_latin1_label() -> None:
    body = "<p>Renée said “soon”.</p>".encode()

    text, encoding = decode_text(body, "text/html; charset=ISO-8859-1")

    assert (text, encoding) == ("<p>Renée said “soon”.</p>", "utf-8")


@pytest.mark.unit
def test_decode_text_reads_latin1_labels_as_windows_1252() -> None:
    text, encoding = decode_text(b"\x93quoted\x94 \x80 5", "text/plain; charset=iso-8859-1")

    assert (text, encoding) == ("“quoted” € 5", "cp1252")


@pytest.mark.unit
def test_decode_text_follows_a_byte_order_mark_over_the_header() -> None:
    body = "\ufeffRenée".encode("utf-16-le")

    assert decode_text(body, "text/plain; charset=utf-8") == ("Renée", "utf-16-le")


@pytest.mark.unit
def test_decode_text_reads_the_xml_declaration() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-15"?><t>€</t>'.encode("iso-8859-15")

    assert decode_text(body, "application/xml") == (
        '<?xml version="1.0" encoding="ISO-8859-15"?><t>€</t>',
        "iso8859-15",
    )


@pytest.mark.unit
def test_decode_text_guesses_undeclared_windows_1252() -> None:
    body = (FIXTURES / "article-cp1252-nometa.html").read_bytes()

    text, _encoding = decode_text(body, "text/html")

    assert "café on Mill Lane will reopen “by Easter at the latest”" in text


def test_fetched_mislabelled_page_extracts_cleanly(web: WebServer) -> None:
    result = fetch(
        web.url("/static/article-cp1252.html?ct=text/html; charset=utf-8"), policy=web.policy()
    )

    article = extract_article(result.text, result.final_url)

    assert article.title == "Café to reopen by Easter"
    assert "Renée Duval said the kitchen would be finished ‘within a fortnight’" in article.text


def test_fetched_gzip_page_extracts_without_boilerplate(web: WebServer) -> None:
    result = fetch(web.url("/gzip-page"), policy=web.policy())

    article = extract_article(result.text, result.final_url)

    assert article.author == "Priya Lindqvist"
    assert "Most read" not in article.text
    assert "the new ferry terminal on the east quay" in article.text


# --- Feeds --------------------------------------------------------------------------------


def test_fetch_feed_reads_rss_2(web: WebServer) -> None:
    feed = fetch_feed(web.url("/static/rss20.xml"), policy=web.policy())

    assert feed.kind == "rss20"
    assert feed.title == "The Riverside Courier – Local news"
    assert [entry.guid for entry in feed.entries] == [
        "courier-48213",
        "https://riverside-courier.example/news/2025/04/17/bus-lane-decision",
    ]
    first, second = feed.entries
    assert first.title == "Ferry terminal “will open by the end of June”, harbour board says"
    assert first.link == (
        "https://riverside-courier.example/news/2025/04/18/ferry-terminal-june"
        "?utm_source=rss&utm_medium=feed"
    )
    assert first.published == datetime(2025, 4, 18, 8, 12, tzinfo=UTC)
    assert first.author == "Priya Lindqvist"
    assert first.summary.startswith("The harbour board expects the new ferry terminal")
    assert second.link == web.url("/news/2025/04/17/bus-lane-decision")  # relative to the feed
    assert feed.warning == ""


def test_fetch_feed_reads_atom(web: WebServer) -> None:
    feed = fetch_feed(web.url("/static/atom.xml"), policy=web.policy())

    assert feed.kind == "atom10"
    first, second = feed.entries
    assert first.title == "Shipyard expects first hull to float by September"
    assert first.guid == "tag:estuary-wire.example,2025:entry-771"
    assert first.published == datetime(2025, 4, 18, 8, 30, tzinfo=UTC)
    assert first.author == "Tomasz Evers"
    assert second.published == datetime(2025, 4, 16, 7, 0, tzinfo=UTC)  # only <updated>


@pytest.mark.parametrize(
    ("name", "kind", "published"),
    [
        ("rss10.rdf", "rss10", datetime(2025, 4, 15, 6, 45, tzinfo=UTC)),
        ("rss091.xml", "rss091u", None),
        ("nodates.xml", "rss20", None),
    ],
)
def test_fetch_feed_reads_older_and_undated_feeds(
    web: WebServer, name: str, kind: str, published: datetime | None
) -> None:
    feed = fetch_feed(web.url(f"/static/{name}"), policy=web.policy())

    assert feed.kind == kind
    assert feed.entries
    assert all(entry.published == published for entry in feed.entries)


def test_parse_feed_keeps_entries_of_a_malformed_feed_with_a_warning(web: WebServer) -> None:
    feed = fetch_feed(web.url("/static/malformed-recoverable.xml"), policy=web.policy())

    assert [entry.title for entry in feed.entries] == [
        "Mayor & council promise flood wall by winter"
    ]
    assert feed.warning != ""


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/static/broken.xml", "is not a readable feed"),
        ("/static/article-undated.html", "is not a readable feed"),
    ],
)
def test_parse_feed_refuses_what_is_not_a_feed(web: WebServer, path: str, message: str) -> None:
    with pytest.raises(FeedParseError, match=message) as caught:
        fetch_feed(web.url(path), policy=web.policy())

    assert caught.value.permanent


@pytest.mark.unit
def test_parse_feed_never_opens_a_body_as_a_file_name(tmp_path: Path) -> None:
    """feedparser opens a str argument as a path; a body naming a local file must stay data."""
    secret = tmp_path / "secret.xml"
    secret.write_bytes((FIXTURES / "rss20.xml").read_bytes())

    with pytest.raises(FeedParseError):
        parse_feed(make_result(str(secret).encode()))


# --- Sitemaps -----------------------------------------------------------------------------


def test_fetch_sitemap_reads_a_news_sitemap(web: WebServer) -> None:
    sitemap = fetch_sitemap(web.url("/static/news-sitemap.xml"), policy=web.policy())

    assert sitemap.kind == "sitemap"
    assert [(e.link, e.published) for e in sitemap.entries] == [
        (
            "https://riverside-courier.example/news/2025/04/18/ferry-terminal-june",
            datetime(2025, 4, 18, 8, 12, tzinfo=UTC),
        ),
        (
            "https://riverside-courier.example/news/2025/04/17/bus-lane-decision",
            datetime(2025, 4, 17, tzinfo=UTC),
        ),
    ]
    assert sitemap.entries[1].title == 'Council to decide on bus lane "within weeks"'


@pytest.mark.unit
def test_parse_sitemap_lists_the_sitemaps_of_an_index() -> None:
    sitemap = parse_sitemap(make_result((FIXTURES / "sitemap-index.xml").read_bytes()))

    assert sitemap.kind == "sitemapindex"
    assert sitemap.sitemaps == (
        "https://riverside-courier.example/sitemaps/news-2025-04.xml",
        "https://riverside-courier.example/sitemaps/news-2025-03.xml.gz",
    )


@pytest.mark.unit
def test_parse_sitemap_reads_gzipped_files_within_a_limit() -> None:
    gzipped = gzip.compress((FIXTURES / "news-sitemap.xml").read_bytes())

    sitemap = parse_sitemap(make_result(gzipped))
    with pytest.raises(ResponseTooLargeError):
        parse_sitemap(make_result(gzipped), max_bytes=100)

    assert len(sitemap.entries) == 2


@pytest.mark.unit
def test_parse_sitemap_does_not_expand_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://news.example/a&x;</loc></url></urlset>"
    ).encode()

    sitemap = parse_sitemap(make_result(body))

    assert "TOP-SECRET" not in sitemap.entries[0].link


@pytest.mark.unit
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<rss version='2.0'><channel/></rss>", "not a sitemap"),
        (b"<urlset><url>", "not well-formed"),
    ],
)
def test_parse_sitemap_refuses_other_documents(body: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_sitemap(make_result(body))
