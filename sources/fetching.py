"""Ingest, network edge: guarded HTTP GET, robots.txt, pacing, feed and sitemap parsing.

Touches the network, never the database. Everything Claimwatch reads from the web comes
through `fetch()`, which

1. accepts only http and https URLs;
2. resolves the host once, refuses private, loopback, link-local (cloud metadata), multicast,
   reserved and shared addresses unless the policy allow-lists them, and then connects to
   exactly the address it checked, so DNS cannot change between the check and the connect;
3. follows at most `max_redirects` redirects, checking every hop as in 2;
4. spaces requests to one host (per process) and honours robots.txt unless told not to;
5. stops reading once the body, wire or decompressed, passes `max_bytes`;
6. gives up at `total_timeout` from the start, whatever the stage: connect (bounded by what
   is left), then every read of status line, headers and body (a deadline checked before
   each socket read, which waits at most what is left), across redirects. Not covered: a
   TLS handshake dripped byte by byte (each handshake read has the connect timeout);
7. decodes text with a charset guess that survives wrong Content-Type headers.

Results are frozen dataclasses; failures are `FetchError` subclasses carrying a message fit
for a source's health panel and a `permanent` flag saying whether retrying can help.
"""

from __future__ import annotations

import codecs
import email.utils
import http.client
import io
import ipaddress
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import certifi
import charset_normalizer
import feedparser
import lxml.etree
import lxml.html
import urllib3
import urllib3.connection
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from sources.normalize import parse_iso_datetime

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_USER_AGENT = (
    "Claimwatch/0.1 (+https://github.com/claimwatch/claimwatch; claimwatch@localhost)"
)
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
DEFAULT_ACCEPT = "*/*"

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Client errors that the same request will hit again; everything else may pass on a retry.
TEMPORARY_CLIENT_STATUSES = frozenset({408, 425, 429})
READ_CHUNK_BYTES = 64 * 1024
# Sitemaps may be 50 MB uncompressed by protocol (sitemaps.org); gzip bombs stop there.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024

# 100.64.0.0/10 is carrier-grade NAT space; Python's is_private does not cover it.
SHARED_ADDRESS_SPACE = ipaddress.IPv4Network("100.64.0.0/10")
CLOUD_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)

# Charset declarations inside the document: <meta charset>, http-equiv, and <?xml encoding?>.
META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
CONTENT_TYPE_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
CHARSET_SNIFF_BYTES = 4096
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers (WHATWG Encoding) read these labels as windows-1252; servers use them loosely.
WINDOWS_1252_ALIASES = frozenset({"latin_1", "iso8859-1", "ascii"})
# How much more "chaos" (charset_normalizer's mess score) windows-1252 may show than the best
# guess and still be preferred.
WESTERN_CHAOS_MARGIN = 0.05


# --- Errors -----------------------------------------------------------------------------


class FetchError(Exception):
    """A fetch failed. `str(error)` is a sentence for the source's health panel.

    `permanent` says whether the same request is expected to fail again (a 404, a refused
    address) or may succeed later (a timeout, a 503).
    """

    permanent: bool = False

    def __init__(self, message: str, *, url: str = "", permanent: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        if permanent is not None:
            self.permanent = permanent

    def __str__(self) -> str:
        return self.message


class BlockedURLError(FetchError):
    """The URL's scheme or address is not one we fetch (the SSRF guard)."""

    permanent = True


class ResponseTooLargeError(FetchError):
    """The body, as sent or after decompression, passed the size limit."""

    permanent = True


class FetchTimeoutError(FetchError):
    """Connecting, waiting for data, or the whole fetch took too long."""


class TooManyRedirectsError(FetchError):
    """More redirects than the policy allows, or a redirect loop."""

    permanent = True


class NetworkError(FetchError):
    """DNS, TCP or TLS failed before an HTTP answer arrived."""


class ContentDecodingError(FetchError):
    """The Content-Encoding was unsupported or the compressed body was corrupt."""


class RobotsDisallowedError(FetchError):
    """robots.txt forbids the URL to us, or could not be read (RFC 9309: assume disallow)."""

    permanent = True


class FeedParseError(FetchError):
    """The body is not a feed or sitemap we could read any entries from."""

    permanent = True


class HTTPStatusError(FetchError):
    """The server answered with a status other than 2xx, 304 or a redirect we follow.

    `retry_after` is the server's Retry-After in seconds from now, when it sent one.
    """

    def __init__(self, status: int, *, url: str, retry_after: float | None = None) -> None:
        message = f"HTTP {status} from {url}"
        if retry_after is not None:
            message += f" (retry after {retry_after:.0f} s)"
        permanent = 400 <= status < 500 and status not in TEMPORARY_CLIENT_STATUSES
        super().__init__(message, url=url, permanent=permanent)
        self.status = status
        self.retry_after = retry_after


# --- Policy and results -----------------------------------------------------------------


@dataclass(frozen=True)
class FetchPolicy:
    """How `fetch()` behaves. Build it from Django settings with `FetchPolicy.from_settings()`.

    `allowed_hosts` lifts the address check for listed hosts, either `name` (any port) or
    `name:port` (that port only; IPv6 as `[::1]:8080`). `allowed_networks` lifts it for
    addresses inside the listed CIDR ranges. Both exist for intranet feeds and tests.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    allowed_hosts: tuple[str, ...] = ()
    allowed_networks: tuple[IPNetwork, ...] = ()
    host_interval: float = 1.0
    respect_robots: bool = True
    robots_ttl: float = 3600.0
    ca_certs: str | None = None  # a CA bundle path; None means certifi's bundle

    def __post_init__(self) -> None:
        # Accept lists and strings from settings; store tuples of normalised values.
        hosts = tuple(host.strip().lower() for host in self.allowed_hosts if host.strip())
        object.__setattr__(self, "allowed_hosts", hosts)
        networks = []
        for network in self.allowed_networks:
            try:
                networks.append(ipaddress.ip_network(network, strict=False))
            except ValueError as error:
                raise ValueError(
                    f"FETCH_ALLOWED_NETWORKS: {network!r} is not a CIDR range"
                ) from error
        object.__setattr__(self, "allowed_networks", tuple(networks))

    @classmethod
    def from_settings(cls, **overrides: Any) -> FetchPolicy:
        """Read the FETCH_* settings (each optional) and apply `overrides` on top."""
        from django.conf import settings  # leaf: keeps this module importable without Django

        defaults = cls()
        values: dict[str, Any] = {
            "connect_timeout": getattr(settings, "FETCH_TIMEOUT_CONNECT", defaults.connect_timeout),
            "read_timeout": getattr(settings, "FETCH_TIMEOUT_READ", defaults.read_timeout),
            "total_timeout": getattr(settings, "FETCH_TIMEOUT_TOTAL", defaults.total_timeout),
            "max_bytes": getattr(settings, "FETCH_MAX_BYTES", defaults.max_bytes),
            "max_redirects": getattr(settings, "FETCH_MAX_REDIRECTS", defaults.max_redirects),
            "user_agent": getattr(settings, "FETCH_USER_AGENT", defaults.user_agent),
            "allowed_hosts": tuple(getattr(settings, "FETCH_ALLOWED_HOSTS", ())),
            "allowed_networks": tuple(getattr(settings, "FETCH_ALLOWED_NETWORKS", ())),
            "host_interval": getattr(settings, "FETCH_HOST_INTERVAL", defaults.host_interval),
            "robots_ttl": getattr(settings, "FETCH_ROBOTS_TTL", defaults.robots_ttl),
            "ca_certs": getattr(settings, "FETCH_CA_CERTS", defaults.ca_certs),
        }
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True)
class FetchResult:
    """One completed GET: a 2xx with its body, or a 304 (`not_modified`, empty body).

    `headers` has lower-case names. `text` is `body` decoded with `encoding`. `redirects`
    lists the URLs redirected to, in order; `address` is the IP the final hop connected to.
    """

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    text: str
    encoding: str
    content_type: str
    etag: str
    last_modified: str
    not_modified: bool
    redirects: tuple[str, ...]
    address: str
    elapsed: float


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed or sitemap. `published` is tz-aware (UTC) or None.

    `guid` is the entry's id, or its link when the feed gives none. `summary` is plain text.
    """

    link: str
    guid: str
    title: str
    published: datetime | None
    summary: str = ""
    author: str = ""


@dataclass(frozen=True)
class FetchedFeed:
    """A parsed feed or sitemap (`kind` is feedparser's version, "sitemap" or "sitemapindex").

    A `not_modified` feed has no entries: the server said nothing changed. `warning` keeps a
    parser complaint when entries were still recovered. `sitemaps` lists the child sitemaps
    of a sitemap index.
    """

    url: str
    kind: str
    title: str
    entries: tuple[FeedEntry, ...]
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    warning: str = ""
    sitemaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Target:
    """A URL taken apart for one request hop."""

    url: str
    scheme: str
    host: str  # lower-case, IDNA-encoded, no brackets
    port: int
    request_path: str  # path and query, never the fragment
    host_header: str
    origin: str


# --- The SSRF guard ---------------------------------------------------------------------


def address_block_reason(address: IPAddress) -> str | None:
    """Why we refuse to connect to `address`, or None when it is a public address.

    IPv6 forms that carry an IPv4 address (mapped, compatible, 6to4, Teredo) are judged by
    the IPv4 address too, so `::ffff:10.0.0.1` or `2002:a00:1::` cannot reach 10.0.0.1.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        inner = address_block_reason(address.ipv4_mapped)
        return f"{inner} (IPv4-mapped)" if inner else None
    reason = _direct_block_reason(address)
    if reason is None and isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        inner = address_block_reason(embedded) if embedded is not None else None
        if inner is not None:
            reason = f"{inner} (embedded in IPv6)"
    return reason


def _direct_block_reason(address: IPAddress) -> str | None:
    if address in CLOUD_METADATA_ADDRESSES:
        return "cloud metadata"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_unspecified:
        return "unspecified"
    if address.is_multicast:
        return "multicast"
    if isinstance(address, ipaddress.IPv4Address) and address in SHARED_ADDRESS_SPACE:
        return "shared (carrier-grade NAT)"
    if address.is_private:
        return "private"
    if address.is_reserved:
        return "reserved"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "site-local"
    if not address.is_global:
        return "not globally routable"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-compatible, 6to4 or Teredo IPv6 address, if any."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client address; the server part is public by design
    if int(address) >> 32 == 0:  # ::a.b.c.d, the deprecated IPv4-compatible form
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _parse_target(url: str) -> _Target:
    """Take `url` apart, refusing anything but http(s) with a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise BlockedURLError(f"Invalid URL {url!r}: {error}", url=url) from error
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme or "no scheme"
        raise BlockedURLError(
            f"Refused {url!r}: only http and https are fetched ({shown})", url=url
        )
    if not parts.hostname:
        raise BlockedURLError(f"Refused {url!r}: no host", url=url)
    try:
        host = parts.hostname.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise BlockedURLError(f"Invalid host in {url!r}", url=url) from error
    port = port or DEFAULT_PORTS[scheme]
    shown_host = f"[{host}]" if ":" in host else host
    host_header = shown_host if port == DEFAULT_PORTS[scheme] else f"{shown_host}:{port}"
    request_path = parts.path or "/"
    if parts.query:
        request_path += "?" + parts.query
    return _Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port,
        request_path=request_path,
        host_header=host_header,
        origin=f"{scheme}://{host_header}",
    )


def _host_is_allowed(target: _Target, allowed_hosts: tuple[str, ...]) -> bool:
    shown_host = f"[{target.host}]" if ":" in target.host else target.host
    return bool(
        {target.host, shown_host, f"{shown_host}:{target.port}"}.intersection(allowed_hosts)
    )


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """All addresses `host` resolves to, in resolver order (one DNS lookup)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise NetworkError(f"Could not resolve {host}: {error}") from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        # Drop an IPv6 scope id ("fe80::1%eth0"); the address itself is what we judge.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise NetworkError(f"Could not resolve {host}: no addresses")
    return addresses


def _checked_address(target: _Target, policy: FetchPolicy) -> str:
    """Resolve the target's host once and return the address to connect to.

    Every address the resolver returned must pass, not just the one we use: a mixed answer
    (one public, one private) is how rebinding attacks hedge their bets.
    """
    addresses = resolve_host(target.host, target.port)
    if not _host_is_allowed(target, policy.allowed_hosts):
        for address in addresses:
            if _in_allowed_networks(address, policy.allowed_networks):
                continue
            reason = address_block_reason(address)
            if reason is not None:
                raise BlockedURLError(
                    f"Refused {target.url}: {target.host} resolves to {address}, "
                    f"a {reason} address",
                    url=target.url,
                )
    return str(addresses[0])


def _in_allowed_networks(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.1.2.3 is allowed where 10.1.2.3 is
    return any(address in network for network in networks)


# --- Pacing and robots.txt --------------------------------------------------------------


class HostPacer:
    """Keeps requests to one host at least `interval` seconds apart, across threads.

    Per process only: each Celery worker process paces itself.
    """

    MAX_TRACKED_HOSTS = 10_000

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}

    def wait(self, host: str, interval: float) -> float:
        """Block until `host` may be requested again; return the seconds waited."""
        if interval <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            if len(self._next_slot) > self.MAX_TRACKED_HOSTS:
                self._next_slot = {h: t for h, t in self._next_slot.items() if t > now}
            slot = max(now, self._next_slot.get(host, now))
            # Reserve the slot before sleeping so concurrent callers queue up behind it.
            self._next_slot[host] = slot + interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay


class RobotsCache:
    """robots.txt per origin, fetched through the guarded fetcher and kept for a TTL.

    Following RFC 9309: a 4xx robots.txt allows everything; a 5xx or network failure
    disallows everything for now and is not cached, so the next fetch asks again.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, RobotFileParser]] = {}

    def check(self, url: str, *, policy: FetchPolicy, pacer: HostPacer) -> None:
        """Raise RobotsDisallowedError unless robots.txt lets `policy.user_agent` fetch `url`."""
        target = _parse_target(url)
        parser = self._parser_for(target.origin, policy=policy, pacer=pacer)
        if not parser.can_fetch(policy.user_agent, url):
            raise RobotsDisallowedError(f"robots.txt of {target.origin} disallows {url}", url=url)

    def _parser_for(self, origin: str, *, policy: FetchPolicy, pacer: HostPacer) -> RobotFileParser:
        with self._lock:
            cached = self._entries.get(origin)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        # Fetch outside the lock: one slow robots.txt must not stall other hosts.
        parser = _load_robots(f"{origin}/robots.txt", policy=policy, pacer=pacer)
        with self._lock:
            self._entries[origin] = (self._clock() + policy.robots_ttl, parser)
        return parser


def _load_robots(robots_url: str, *, policy: FetchPolicy, pacer: HostPacer) -> RobotFileParser:
    parser = RobotFileParser(robots_url)
    robots_policy = replace(policy, respect_robots=False)
    try:
        result = fetch(robots_url, policy=robots_policy, accept="text/plain", pacer=pacer)
    except FetchError as error:
        if isinstance(error, HTTPStatusError) and error.permanent:
            parser.allow_all = True  # 404, 410, 403...: no robots.txt for us, all allowed
            return parser
        raise RobotsDisallowedError(
            f"robots.txt unreachable ({error}); not fetching for now",
            url=robots_url,
            permanent=False,
        ) from error
    parser.parse(result.text.splitlines())
    parser.modified()  # can_fetch() answers False until a parser is marked as read
    return parser


_DEFAULT_PACER = HostPacer()
_DEFAULT_ROBOTS = RobotsCache()


# --- Body reading -----------------------------------------------------------------------


class _Decompressor:
    """Incremental gzip/deflate decoding that never produces more than asked for.

    We decode ourselves (urllib3 gets decode_content=False) so that the size limit counts
    decompressed bytes as they are produced: a 5 MB limit stops a gzip bomb after 5 MB.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header
        else:
            self._zlib = None
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decode `data`; return at most `limit + 1` bytes (one more signals "too large")."""
        if self._zlib is None:
            return data
        try:
            out = self._decompress(data, limit)
        except zlib.error:
            if self.encoding != "deflate" or self._started:
                raise
            # Some servers send raw deflate without the zlib header that HTTP asks for.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._decompress(data, limit)
        self._started = True
        return out

    def _decompress(self, data: bytes, limit: int) -> bytes:
        assert self._zlib is not None
        out = self._zlib.decompress(data, limit + 1)
        # max_length leaves the rest of the input in unconsumed_tail; drain it in bounded steps.
        while self._zlib.unconsumed_tail and len(out) <= limit:
            out += self._zlib.decompress(self._zlib.unconsumed_tail, limit + 1 - len(out))
        return out


def _read_body(
    response: urllib3.BaseHTTPResponse, *, url: str, max_bytes: int, deadline: float
) -> bytes:
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise ContentDecodingError(f"Unsupported Content-Encoding {encoding!r} from {url}", url=url)
    decompressor = _Decompressor(encoding)
    body = bytearray()
    wire_bytes = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchTimeoutError(f"Timed out reading {url}", url=url)
        # read1 returns what one socket read gives, so the deadline is checked as data trickles.
        chunk = response.read1(READ_CHUNK_BYTES, decode_content=False)
        if not chunk:
            break
        wire_bytes += len(chunk)
        if wire_bytes > max_bytes:
            raise ResponseTooLargeError(f"{url} sent more than {max_bytes} bytes", url=url)
        try:
            body += decompressor.feed(chunk, max_bytes - len(body))
        except zlib.error as error:
            raise ContentDecodingError(
                f"Corrupt {encoding} body from {url}: {error}", url=url
            ) from error
        if len(body) > max_bytes:
            raise ResponseTooLargeError(
                f"{url} decompresses to more than {max_bytes} bytes", url=url
            )
    return bytes(body)


def decode_text(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode a body to text; return `(text, encoding)`.

    Order: a byte-order mark; then the charset from the Content-Type header, then from the
    document (<meta charset>, <?xml encoding?>), each only if the bytes decode cleanly and
    are not valid non-ASCII UTF-8 (servers label UTF-8 as ISO-8859-1 all the time); then
    UTF-8; then charset_normalizer's guess; last, UTF-8 with replacement characters.
    """
    if not body:
        return "", "utf-8"
    for bom, bom_encoding in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding
    is_utf8 = _is_utf8(body)
    is_ascii = body.isascii()
    for label in _declared_charsets(body, content_type):
        encoding = _codec_name(label)
        if encoding is None:
            continue
        if is_utf8 and not is_ascii and encoding != "utf-8":
            continue
        try:
            return body.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    if is_utf8:
        return body.decode("utf-8"), "utf-8"
    guessed = _guess_encoding(body)
    if guessed is not None:
        return body.decode(guessed, errors="replace"), guessed
    return body.decode("utf-8", errors="replace"), "utf-8"


def _guess_encoding(body: bytes) -> str | None:
    """charset_normalizer's guess, leaning to windows-1252 when it fits as well.

    For short Western text it often ranks a Baltic or DOS code page first that reads "é" as
    something else; windows-1252 is also what browsers assume for undeclared pages.
    """
    matches = charset_normalizer.from_bytes(body)
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        fits_as_well = match.chaos <= best.chaos + WESTERN_CHAOS_MARGIN
        if fits_as_well and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return _codec_name(best.encoding)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared_charsets(body: bytes, content_type: str) -> Iterable[str]:
    header = CONTENT_TYPE_CHARSET_RE.search(content_type)
    if header:
        yield header.group(1)
    head = body[:CHARSET_SNIFF_BYTES]
    for pattern in (XML_ENCODING_RE, META_CHARSET_RE):
        declared = pattern.search(head)
        if declared:
            yield declared.group(1).decode("ascii", errors="ignore")


def _codec_name(label: str) -> str | None:
    """Python's codec name for a charset label, with the WHATWG windows-1252 aliasing."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    if name in WINDOWS_1252_ALIASES:
        return "cp1252"
    if name == "utf-8-sig":
        return "utf-8"
    return name


# --- fetch() ----------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    policy: FetchPolicy | None = None,
    etag: str = "",
    last_modified: str = "",
    accept: str = DEFAULT_ACCEPT,
    ignore_robots: bool = False,
    pacer: HostPacer | None = None,
    robots: RobotsCache | None = None,
) -> FetchResult:
    """GET `url` under `policy` (default: from settings) and return the final response.

    Sends If-None-Match / If-Modified-Since when `etag` / `last_modified` are given; a 304
    comes back as a result with `not_modified=True`. Raises a `FetchError` subclass for
    everything else: refused URLs, timeouts, too large bodies, non-2xx answers.
    """
    policy = policy or FetchPolicy.from_settings()
    pacer = pacer or _DEFAULT_PACER
    robots = robots or _DEFAULT_ROBOTS
    started = time.monotonic()
    deadline = started + policy.total_timeout
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    current_url = url
    redirects: list[str] = []
    while True:
        target = _parse_target(current_url)
        # The address check comes first so that a refused URL is reported as refused
        # (permanent), not as an unreachable robots.txt (temporary).
        address = _checked_address(target, policy)
        if policy.respect_robots and not ignore_robots:
            robots.check(current_url, policy=policy, pacer=pacer)
        pacer.wait(target.host, policy.host_interval)
        outcome = _request_once(target, address, headers=headers, policy=policy, deadline=deadline)
        if isinstance(outcome, str):  # a redirect: check and follow the next hop
            next_url = urljoin(current_url, outcome)
            if next_url in redirects or next_url == url:
                raise TooManyRedirectsError(f"Redirect loop at {next_url} (from {url})", url=url)
            if len(redirects) >= policy.max_redirects:
                raise TooManyRedirectsError(
                    f"More than {policy.max_redirects} redirects from {url}", url=url
                )
            redirects.append(next_url)
            current_url = next_url
            continue
        status, response_headers, body = outcome
        break

    content_type = response_headers.get("content-type", "")
    not_modified = status == 304
    text, encoding = ("", "") if not_modified else decode_text(body, content_type)
    return FetchResult(
        url=url,
        final_url=current_url,
        status=status,
        headers=response_headers,
        body=body,
        text=text,
        encoding=encoding,
        content_type=content_type.split(";", 1)[0].strip().lower(),
        etag=response_headers.get("etag", etag if not_modified else ""),
        last_modified=response_headers.get("last-modified", last_modified if not_modified else ""),
        not_modified=not_modified,
        redirects=tuple(redirects),
        address=address,
        elapsed=time.monotonic() - started,
    )


class _DeadlineReader(io.RawIOBase):
    """A socket's bytes, each read bounded by the per-read timeout AND the fetch's deadline.

    A socket timeout counts per read, so a server dripping its status line and headers a byte
    at a time would hold a fetch for ever: http.client reads them with no deadline of its
    own. Here each read waits at most what is left of the deadline, and none starts after it.
    """

    def __init__(self, raw: io.RawIOBase, sock: socket.socket, *, deadline: float) -> None:
        super().__init__()
        self._raw = raw  # the socket's own reader (socket.SocketIO), read through
        self._sock = sock
        self._deadline = deadline
        self._read_timeout = sock.gettimeout()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:  # type: ignore[override]
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the fetch's total timeout passed while reading the response")
        if self._read_timeout is not None:
            remaining = min(remaining, self._read_timeout)
        self._sock.settimeout(remaining)
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineHTTPResponse(http.client.HTTPResponse):
    """http.client's response, reading status line, headers and body under the deadline."""

    def __init__(self, sock: socket.socket, *args: Any, deadline: float, **kwargs: Any):
        super().__init__(sock, *args, **kwargs)
        # Keep the socket's reader (its reference keeps the socket open once the connection
        # hands it to the response and closes: `Connection: close` bodies) under ours.
        raw = self.fp.detach()
        self.fp = io.BufferedReader(_DeadlineReader(raw, sock, deadline=deadline))


class _DeadlineConnectionMixin:
    """Makes urllib3's connection read its response through `_DeadlineHTTPResponse`."""

    def __init__(self, *args: Any, deadline: float, **kwargs: Any) -> None:
        self._deadline = deadline
        super().__init__(*args, **kwargs)

    def response_class(self, sock: socket.socket, *args: Any, **kwargs: Any):
        # http.client calls `self.response_class(sock, method=...)`: a method serves as well.
        return _DeadlineHTTPResponse(sock, *args, deadline=self._deadline, **kwargs)


class _DeadlineHTTPConnection(_DeadlineConnectionMixin, urllib3.connection.HTTPConnection):
    pass


class _DeadlineHTTPSConnection(_DeadlineConnectionMixin, urllib3.connection.HTTPSConnection):
    pass


def _request_once(
    target: _Target,
    address: str,
    *,
    headers: Mapping[str, str],
    policy: FetchPolicy,
    deadline: float,
) -> str | tuple[int, dict[str, str], bytes]:
    """One GET to `address`, presenting `target.host` in Host, SNI and certificate checks.

    Returns the Location of a redirect, or `(status, headers, body)` for 2xx and 304.
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeoutError(f"Timed out fetching {target.url}", url=target.url)
    timeout = urllib3.Timeout(
        connect=min(policy.connect_timeout, remaining), read=min(policy.read_timeout, remaining)
    )
    # The deadline goes to the connection (urllib3 passes unknown pool options on to it).
    pool_options: dict[str, Any] = {
        "timeout": timeout,
        "retries": False,
        "maxsize": 1,
        "deadline": deadline,
    }
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        # Connect to the checked IP, but send SNI and check the certificate for the host name.
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=policy.ca_certs or certifi.where(),
            **pool_options,
        )
        pool.ConnectionCls = _DeadlineHTTPSConnection
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, **pool_options)
        pool.ConnectionCls = _DeadlineHTTPConnection

    request_headers = {"Host": target.host_header, **headers}
    response = None
    try:
        response = pool.urlopen(
            "GET",
            target.request_path,
            headers=request_headers,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=False,
        )
        status = response.status
        response_headers = {name.lower(): value for name, value in response.headers.items()}
        if status in REDIRECT_STATUSES and response_headers.get("location"):
            return response_headers["location"]
        if status == 304:
            return status, response_headers, b""
        if not 200 <= status < 300:
            raise HTTPStatusError(
                status,
                url=target.url,
                retry_after=parse_retry_after(response_headers.get("retry-after", "")),
            )
        declared_length = response_headers.get("content-length", "")
        if declared_length.isdigit() and int(declared_length) > policy.max_bytes:
            raise ResponseTooLargeError(
                f"{target.url} announces {declared_length} bytes; the limit is {policy.max_bytes}",
                url=target.url,
            )
        body = _read_body(response, url=target.url, max_bytes=policy.max_bytes, deadline=deadline)
        return status, response_headers, body
    except (ConnectTimeoutError, ReadTimeoutError, TimeoutError) as error:
        if isinstance(error, NewConnectionError):  # a subclass of ConnectTimeoutError
            raise NetworkError(
                f"Could not connect to {target.host} ({address}): {error}", url=target.url
            ) from error
        raise FetchTimeoutError(f"Timed out fetching {target.url}", url=target.url) from error
    except SSLError as error:
        raise NetworkError(f"TLS error with {target.host}: {error}", url=target.url) from error
    except (HTTPError, OSError) as error:
        raise NetworkError(
            f"Network error fetching {target.url}: {error}", url=target.url
        ) from error
    finally:
        if response is not None:
            response.close()
        pool.close()


def parse_retry_after(value: str, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# --- Feeds and sitemaps -----------------------------------------------------------------


SITEMAP_ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.5"


def fetch_feed(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    policy: FetchPolicy | None = None,
    ignore_robots: bool = False,
) -> FetchedFeed:
    """Fetch and parse an RSS/Atom feed; a 304 gives a `not_modified` feed with no entries."""
    return _fetch_listing(url, FEED_ACCEPT, parse_feed, etag, last_modified, policy, ignore_robots)


def fetch_sitemap(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    policy: FetchPolicy | None = None,
    ignore_robots: bool = False,
) -> FetchedFeed:
    """Fetch and parse a (news) sitemap or sitemap index, like `fetch_feed`."""
    return _fetch_listing(
        url, SITEMAP_ACCEPT, parse_sitemap, etag, last_modified, policy, ignore_robots
    )


def _fetch_listing(
    url: str,
    accept: str,
    parse: Callable[[FetchResult], FetchedFeed],
    etag: str,
    last_modified: str,
    policy: FetchPolicy | None,
    ignore_robots: bool,
) -> FetchedFeed:
    result = fetch(
        url,
        policy=policy,
        etag=etag,
        last_modified=last_modified,
        accept=accept,
        ignore_robots=ignore_robots,
    )
    return _not_modified_feed(result) if result.not_modified else parse(result)


def _not_modified_feed(result: FetchResult) -> FetchedFeed:
    return FetchedFeed(
        url=result.final_url,
        kind="",
        title="",
        entries=(),
        etag=result.etag,
        last_modified=result.last_modified,
        not_modified=True,
    )


def parse_feed(result: FetchResult) -> FetchedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom from a fetched body with feedparser.

    Entries without a link are skipped. A malformed feed raises FeedParseError unless
    feedparser still recovered entries; then the complaint is kept in `warning`.
    """
    # Bytes, never a str: feedparser treats a str as a URL or a file path to open.
    # No feed needs entity declarations of its own; a "billion laughs" one expands each.
    body = _DOCTYPE_SUBSET_RE.sub(b"", _CHARREF_RE.sub(_safe_charref, result.body), count=1)
    try:
        parsed = feedparser.parse(
            io.BytesIO(body),
            response_headers={
                "content-type": result.headers.get("content-type", ""),
                "content-location": result.final_url,
            },
        )
    except Exception as error:  # a parser bug must not take the whole poll down
        raise FeedParseError(
            f"{result.final_url} could not be parsed: {type(error).__name__}: {error}",
            url=result.final_url,
        ) from error
    entries = tuple(
        entry
        for entry in (_feed_entry(raw, base_url=result.final_url) for raw in parsed.entries)
        if entry is not None
    )
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not entries:
        if problem is not None:
            raise FeedParseError(
                f"{result.final_url} is not a readable feed: {problem}", url=result.final_url
            )
        if not parsed.get("version"):
            raise FeedParseError(
                f"{result.final_url} is not an RSS or Atom feed", url=result.final_url
            )
    return FetchedFeed(
        url=result.final_url,
        kind=parsed.get("version") or "unknown",
        title=parsed.feed.get("title", ""),
        entries=entries,
        etag=result.etag,
        last_modified=result.last_modified,
        warning=str(problem) if problem is not None else "",
    )


_CHARREF_RE = re.compile(rb"&#(x[0-9a-fA-F]{1,8}|[0-9]{1,10});")
_DOCTYPE_SUBSET_RE = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)


def _safe_charref(match: re.Match[bytes]) -> bytes:
    """ "&#xD800;", "&#0;" or "&#99999999;" name no character text can hold: U+FFFD instead.

    feedparser turns character references into characters without checking them, and a lone
    surrogate then breaks its UTF-8 encoding of the whole feed.
    """
    ref = match.group(1)
    code = int(ref[1:], 16) if ref[:1] in (b"x", b"X") else int(ref)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return b"&#xFFFD;"
    return match.group(0)


def _feed_entry(raw: Mapping[str, Any], *, base_url: str) -> FeedEntry | None:
    link = (raw.get("link") or "").strip()
    if not link:
        return None
    link = urljoin(base_url, link)
    # feedparser maps pubDate to published and dc:date (RSS 1.0) or Atom updated to updated.
    parsed_date = raw.get("published_parsed") or raw.get("updated_parsed")
    published = datetime(*parsed_date[:6], tzinfo=UTC) if parsed_date else None
    return FeedEntry(
        link=link,
        guid=(raw.get("id") or "").strip() or link,
        title=_html_to_text(raw.get("title", "")),
        published=published,
        summary=_html_to_text(raw.get("summary", "")),
        author=(raw.get("author") or "").strip(),
    )


def _html_to_text(fragment: str) -> str:
    if "<" not in fragment:
        return " ".join(fragment.split())
    try:
        text = lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()
    except (lxml.etree.ParserError, ValueError):
        return " ".join(fragment.split())
    return " ".join(text.split())


def parse_sitemap(result: FetchResult, *, max_bytes: int = SITEMAP_MAX_BYTES) -> FetchedFeed:
    """Parse a sitemap, news sitemap or sitemap index (gzipped files too) with lxml.

    News sitemap entries carry title and publication date; plain `<lastmod>` is a change
    date, not a publication date, so it is not used. Non-http(s) locations are skipped.
    """
    body = result.body
    if body[:2] == b"\x1f\x8b":  # a .xml.gz served as a file, not as Content-Encoding
        try:
            body = _Decompressor("gzip").feed(body, max_bytes)
        except zlib.error as error:
            raise FeedParseError(
                f"{result.final_url}: corrupt gzip sitemap", url=result.final_url
            ) from error
        if len(body) > max_bytes:
            raise ResponseTooLargeError(
                f"{result.final_url} decompresses to more than {max_bytes} bytes",
                url=result.final_url,
            )
    # No entities, no DTDs, no network: sitemaps need none of them and XXE needs all.
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as error:
        raise FeedParseError(
            f"{result.final_url} is not well-formed XML: {error}", url=result.final_url
        ) from error
    kind = lxml.etree.QName(root).localname
    if kind == "sitemapindex":
        sitemaps = tuple(
            loc
            for loc in (_child_text(node, "loc") for node in root.iterfind("{*}sitemap"))
            if _is_http_url(loc)
        )
        return FetchedFeed(
            url=result.final_url,
            kind=kind,
            title="",
            entries=(),
            etag=result.etag,
            last_modified=result.last_modified,
            sitemaps=sitemaps,
        )
    if kind != "urlset":
        raise FeedParseError(
            f"{result.final_url} is not a sitemap (<{kind}>)", url=result.final_url
        )
    entries = []
    for node in root.iterfind("{*}url"):
        loc = _child_text(node, "loc")
        if not _is_http_url(loc):
            continue
        news = node.find("{*}news")
        title = _child_text(news, "title") if news is not None else ""
        published = (
            parse_iso_datetime(_child_text(news, "publication_date")) if news is not None else None
        )
        entries.append(FeedEntry(link=loc, guid=loc, title=title, published=published))
    return FetchedFeed(
        url=result.final_url,
        kind="sitemap",
        title="",
        entries=tuple(entries),
        etag=result.etag,
        last_modified=result.last_modified,
    )


def _child_text(node: Any, name: str) -> str:
    child = node.find("{*}" + name)
    return " ".join((child.text or "").split()) if child is not None else ""


def _is_http_url(value: str) -> bool:
    return urlsplit(value).scheme in ALLOWED_SCHEMES and bool(urlsplit(value).netloc)
