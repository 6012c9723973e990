"""Polling end to end against a real HTTP server on loopback: feeds in, articles and health out.

`site` is a small newsroom whose pages the tests write and edit while it runs; `web` (from
conftest) supplies the misbehaving routes: error statuses, slow and huge bodies, redirects.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from xml.sax.saxutils import escape

import pytest

from sources import polling
from sources.models import Article, ArticleSource, ArticleVersion, Source
from sources.polling import (
    backoff_delay,
    enqueue_due_sources,
    poll_source,
    refetch_article,
    refetch_due_articles,
)
from tests.sources.conftest import QuietServer, WebServer, write_response

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 4, 18, 12, 0, tzinfo=dt.UTC)
PARAGRAPHS = [
    "The harbour board said on Friday that the new ferry terminal will open by the end of "
    "June, three weeks later than first planned.",
    "Board chair Ines Marlowe told reporters that the pontoon works were nearly finished and "
    "that the contractor expects to hand over the site in May.",
    "Local traders welcomed the news but said they had heard similar promises before.",
]


# --- A newsroom on loopback ---------------------------------------------------------------


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str = ""


@dataclass
class Site:
    """Pages served by path (query ignored); tests put, edit and remove them.

    `hits` counts every GET by the path as requested, query included.
    """

    host: str = "127.0.0.1"
    port: int = 0
    resources: dict[str, Resource] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"

    def put(self, path: str, body: str, **options: Any) -> str:
        with self.lock:
            self.resources[path] = Resource(body=body.encode("utf-8"), **options)
        return self.url(path)

    def count(self, path: str) -> int:
        with self.lock:
            return self.hits.get(path, 0)


class SiteHandler(BaseHTTPRequestHandler):
    server: Any
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site: Site = self.server.site
        with site.lock:
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            resource = site.resources.get(self.path.split("?", 1)[0])
        if resource is None:
            self.answer(404, b"not found", "text/plain")
        elif resource.etag and self.headers.get("If-None-Match") == resource.etag:
            self.send_response(304)
            self.send_header("ETag", resource.etag)
            self.end_headers()
        else:
            headers = {"ETag": resource.etag} if resource.etag else {}
            self.answer(resource.status, resource.body, resource.content_type, headers)

    def answer(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        write_response(self, body, status=status, content_type=content_type, headers=headers)


@pytest.fixture(scope="module")
def site_server() -> Iterator[Site]:
    server = QuietServer(("127.0.0.1", 0), SiteHandler)
    site = Site(port=server.server_address[1])
    server.site = site  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, name="test-site", daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def site(site_server: Site, web: WebServer, settings) -> Site:
    """The newsroom, emptied; the fetcher allows exactly it and conftest's `web` server."""
    with site_server.lock:
        site_server.resources.clear()
        site_server.hits.clear()
    settings.FETCH_ALLOWED_HOSTS = [site_server.netloc, web.netloc]
    settings.FETCH_HOST_INTERVAL = 0.0
    settings.FETCH_TIMEOUT_CONNECT = 1.0
    settings.FETCH_TIMEOUT_READ = 1.0
    settings.FETCH_TIMEOUT_TOTAL = 5.0
    settings.SOURCE_MAX_FAILURES = 3
    settings.ARTICLE_REFETCH_SCHEDULE = [60, 360, 1440]
    return site_server


def article_html(
    title: str,
    paragraphs: list[str] = PARAGRAPHS,
    *,
    published: str | None = "2025-04-18T09:12:00+01:00",
    canonical: str | None = None,
) -> str:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | The Test Courier</title>{meta}{link}</head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>{escape(title)}</h1>
{body}
</article><footer><p>© The Test Courier. All rights reserved.</p></footer></body></html>"""


def rss(site: Site, items: list[tuple[str, str, str | None]]) -> str:
    """RSS 2.0 with (path, title, RFC 822 date or None) items linking into `site`."""
    parts = []
    for path, title, date in items:
        pub = f"<pubDate>{date}</pubDate>" if date else ""
        parts.append(
            f"<item><title>{escape(title)}</title><link>{site.url(path)}</link>"
            f"<guid>{site.url(path)}</guid>{pub}<description>About {escape(title)}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>The Test Courier</title><link>http://courier.test/</link>"
        f"<description>Test news</description>{''.join(parts)}</channel></rss>"
    )


def atom(site: Site, entries: list[tuple[str, str, str]]) -> str:
    """Atom with (path, title, RFC 3339 published) entries linking into `site`."""
    parts = [
        f"<entry><title>{escape(title)}</title><id>tag:wire.test,2025:{path}</id>"
        f'<link rel="alternate" href="{site.url(path)}"/><published>{published}</published>'
        f"<updated>{published}</updated><summary>About it</summary></entry>"
        for path, title, published in entries
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Estuary Wire</title><id>tag:wire.test,2025:feed</id>"
        f"<updated>2025-04-18T11:00:00Z</updated>{''.join(parts)}</feed>"
    )


def make_source(
    url: str, *, kind: str = Source.Kind.FEED, name: str = "Test Courier", interval: int = 30
) -> Source:
    return Source.objects.create(name=name, kind=kind, url=url, poll_interval_minutes=interval)


def three_article_feed(site: Site, **feed_options: Any) -> str:
    for number in (1, 2, 3):
        site.put(f"/news/{number}", article_html(f"Story number {number}"))
    return site.put(
        "/feed.xml",
        rss(
            site,
            [
                ("/news/1", "Story number 1", "Fri, 18 Apr 2025 09:12:00 +0100"),
                ("/news/2", "Story number 2", "Fri, 18 Apr 2025 07:00:00 GMT"),
                ("/news/3", "Story number 3", "Thu, 17 Apr 2025 17:40:00 GMT"),
            ],
        ),
        content_type="application/rss+xml",
        **feed_options,
    )


# --- Feeds in -------------------------------------------------------------------------------


def test_poll_rss_feed_stores_each_entry_as_an_article(site):
    source = make_source(three_article_feed(site), interval=20)

    outcome = poll_source(source, now=NOW)

    assert (outcome.ok, outcome.new, outcome.failed) == (True, 3, 0)
    first = Article.objects.get(canonical_url=site.url("/news/1"))
    assert first.title == "Story number 1"
    assert "pontoon works were nearly finished" in first.text
    # Page metadata gives the day; the feed agrees on it and adds the time.
    assert (first.published_at, first.published_source) == (
        dt.datetime(2025, 4, 18, 8, 12, tzinfo=dt.UTC),
        "feed",
    )
    assert first.outlet == "Test Courier"
    assert first.next_refetch_at == NOW + dt.timedelta(minutes=60)
    assert ArticleSource.objects.get(article=first).guid == site.url("/news/1")
    third = Article.objects.get(canonical_url=site.url("/news/3"))
    # The feed says the 17th, the page the 18th: the page wins and gives only the day.
    assert (third.published_at, third.published_source) == (
        dt.datetime(2025, 4, 18, tzinfo=dt.UTC),
        "page",
    )
    source.refresh_from_db()
    assert (source.last_success_at, source.consecutive_failures, source.last_error) == (NOW, 0, "")
    assert source.next_poll_at == NOW + dt.timedelta(minutes=20)


def test_poll_atom_feed_uses_feed_date_when_page_has_none(site):
    site.put("/wire/hull", article_html("Shipyard expects hull to float", published=None))
    site.put("/wire/tariffs", article_html("Port tariffs unchanged"))
    feed_url = site.put(
        "/atom.xml",
        atom(
            site,
            [
                ("/wire/hull", "Shipyard expects hull to float", "2025-04-18T10:30:00+02:00"),
                ("/wire/tariffs", "Port tariffs unchanged", "2025-04-16T07:00:00Z"),
            ],
        ),
        content_type="application/atom+xml",
    )
    source = make_source(feed_url, name="Estuary Wire")

    outcome = poll_source(source, now=NOW)

    assert outcome.new == 2
    hull = Article.objects.get(canonical_url=site.url("/wire/hull"))
    assert (hull.published_at, hull.published_source) == (
        dt.datetime(2025, 4, 18, 8, 30, tzinfo=dt.UTC),
        "feed",
    )
    assert ArticleSource.objects.get(article=hull).guid == "tag:wire.test,2025:/wire/hull"


def test_poll_same_feed_three_times_stores_no_duplicates(site):
    source = make_source(three_article_feed(site))

    outcomes = [poll_source(source, now=NOW + dt.timedelta(minutes=m)) for m in (0, 30, 60)]

    assert [o.new for o in outcomes] == [3, 0, 0]
    assert [o.known for o in outcomes] == [0, 3, 3]
    assert Article.objects.count() == 3
    assert ArticleVersion.objects.count() == 3
    assert ArticleSource.objects.count() == 3
    assert [site.count(f"/news/{n}") for n in (1, 2, 3)] == [1, 1, 1]
    assert site.count("/feed.xml") == 3


def test_article_in_two_feeds_is_one_article_linked_to_both(site):
    site.put("/news/shared", article_html("Bridge will reopen in May"))
    item = [("/news/shared?utm_source=rss", "Bridge will reopen in May", None)]
    courier = make_source(site.put("/a.xml", rss(site, item)), name="Courier")
    gazette = make_source(site.put("/b.xml", rss(site, item)), name="Gazette")

    poll_source(courier, now=NOW)
    second = poll_source(gazette, now=NOW)

    article = Article.objects.get()
    assert article.canonical_url == site.url("/news/shared")
    assert set(article.sources.values_list("name", flat=True)) == {"Courier", "Gazette"}
    assert second.known == 1
    assert site.count("/news/shared?utm_source=rss") == 1


def test_poll_conditional_get_304_fetches_nothing_and_updates_health(site):
    source = make_source(three_article_feed(site, etag='"feed-v1"'))
    poll_source(source, now=NOW)
    source.refresh_from_db()
    assert source.etag == '"feed-v1"'

    later = NOW + dt.timedelta(minutes=30)
    outcome = poll_source(source, now=later)

    assert outcome.not_modified
    assert [site.count(f"/news/{n}") for n in (1, 2, 3)] == [1, 1, 1]
    source.refresh_from_db()
    assert (source.last_polled_at, source.last_success_at) == (later, later)
    assert source.next_poll_at == later + dt.timedelta(minutes=30)


def test_poll_entry_with_newer_feed_date_is_fetched_again_as_an_edit(site):
    site.put("/news/vote", article_html("Vote due on Thursday"))
    feed = [("/news/vote", "Vote due on Thursday", "Fri, 18 Apr 2025 09:00:00 GMT")]
    source = make_source(site.put("/feed.xml", rss(site, feed)))
    poll_source(source, now=NOW)
    edited = [*PARAGRAPHS[:2], "The vote has been moved to the following Monday."]
    site.put("/news/vote", article_html("Vote moved to Monday", edited))
    feed = [("/news/vote", "Vote moved to Monday", "Fri, 18 Apr 2025 15:00:00 GMT")]
    site.put("/feed.xml", rss(site, feed))

    outcome = poll_source(source, now=NOW + dt.timedelta(hours=4))

    assert outcome.updated == 1
    assert Article.objects.get().versions.count() == 2


def test_poll_sitemap_source_stores_news_entries(site):
    site.put("/news/1", article_html("Story number 1", published=None))
    sitemap = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{site.url("/news/1")}</loc><news:news>
    <news:publication_date>2025-04-17T18:00:00Z</news:publication_date>
    <news:title>Story number 1</news:title></news:news></url>
</urlset>"""
    source = make_source(
        site.put("/sitemap.xml", sitemap, content_type="application/xml"), kind=Source.Kind.SITEMAP
    )

    outcome = poll_source(source, now=NOW)

    assert outcome.new == 1
    article = Article.objects.get()
    assert (article.published_at, article.published_source) == (
        dt.datetime(2025, 4, 17, 18, tzinfo=dt.UTC),
        "feed",
    )


def test_poll_page_source_stores_the_page_and_then_gets_304(site):
    url = site.put("/news/page", article_html("A single page", canonical="/news/page"), etag='"p1"')
    source = make_source(url, kind=Source.Kind.PAGE)

    first = poll_source(source, now=NOW)
    second = poll_source(source, now=NOW + dt.timedelta(minutes=30))

    assert (first.new, second.not_modified) == (1, True)
    assert Article.objects.get().title == "A single page"
    assert site.count("/news/page") == 2


# --- Failures are source health -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message", "paused"),
    [
        ("/status/404", "HTTP 404", False),
        ("/status/410", "HTTP 410", True),
        ("/status/500", "HTTP 500", False),
        ("/slow?delay=2", "Timed out", False),
        ("/huge", "announces 52428800 bytes", False),
        ("/redirect?to=http://10.0.0.1/feed.xml", "a private address", True),
        ("/redirect?to=http://169.254.169.254/latest/meta-data/", "cloud metadata", True),
        ("/redirect?to=file:///etc/passwd", "only http and https", True),
    ],
)
def test_poll_failure_is_recorded_on_the_source(site, web, path, message, paused):
    source = make_source(web.url(path), interval=10)

    outcome = poll_source(source, now=NOW)

    source.refresh_from_db()
    assert not outcome.ok
    assert message in source.last_error
    assert (source.last_error_at, source.consecutive_failures) == (NOW, 1)
    assert NOW + dt.timedelta(minutes=10) <= source.next_poll_at <= NOW + dt.timedelta(minutes=13)
    assert (source.paused_at is not None) == paused
    assert Article.objects.count() == 0


def test_poll_429_honours_retry_after(site, web):
    source = make_source(web.url("/status/429"), interval=1)

    poll_source(source, now=NOW)

    source.refresh_from_db()
    assert "retry after 120 s" in source.last_error
    assert source.next_poll_at == NOW + dt.timedelta(seconds=120)


def test_poll_failures_back_off_then_pause_while_other_sources_are_polled(site, web):
    failing = make_source(web.url("/status/500"), name="Broken", interval=10)
    healthy = make_source(three_article_feed(site), name="Healthy", interval=10)
    delays = []
    now = NOW

    for _ in range(3):
        for source in (failing, healthy):
            poll_source(source, now=now)
        failing.refresh_from_db()
        delays.append(failing.next_poll_at - now)
        now = failing.next_poll_at

    assert failing.consecutive_failures == 3
    assert failing.paused_at is not None
    assert "Paused after 3 consecutive failures" in failing.paused_reason
    assert "HTTP 500" in failing.paused_reason
    assert dt.timedelta(minutes=10) <= delays[0] <= dt.timedelta(minutes=12.5)
    assert dt.timedelta(minutes=20) <= delays[1] <= dt.timedelta(minutes=25)
    healthy.refresh_from_db()
    assert (healthy.consecutive_failures, healthy.last_success_at) == (0, now - delays[-1])
    assert Article.objects.count() == 3


def test_backoff_delay_is_capped(settings):
    settings.SOURCE_MAX_BACKOFF_MINUTES = 60

    delay = backoff_delay(failures=12, interval_minutes=30, retry_after=10**9)

    assert delay == dt.timedelta(minutes=60)


@pytest.mark.django_db(transaction=True)
def test_enqueue_due_sources_polls_each_source_once_even_when_one_fails(site, web):
    """Through the real task (eager): a broken source does not stop the others."""
    broken = make_source(web.url("/status/500"), name="Broken")
    healthy = make_source(three_article_feed(site), name="Healthy")
    Source.objects.create(name="Pasted", kind=Source.Kind.MANUAL)

    enqueued = enqueue_due_sources()
    again = enqueue_due_sources()

    assert (enqueued, again) == (2, 0)
    broken.refresh_from_db()
    healthy.refresh_from_db()
    assert broken.consecutive_failures == 1
    assert healthy.last_success_at is not None
    assert Article.objects.count() == 3


def test_entry_page_failure_keeps_the_other_entries_and_shows_the_error(site):
    feed_url = three_article_feed(site, etag='"feed-v1"')
    del site.resources["/news/2"]  # 404: permanent

    outcome = poll_source(make_source(feed_url), now=NOW)

    assert (outcome.ok, outcome.new, outcome.failed) == (True, 2, 1)
    source = Source.objects.get()
    assert source.consecutive_failures == 0
    assert "1 article page(s) failed" in source.last_error
    assert site.url("/news/2") in source.last_error
    assert "HTTP 404" in source.last_error
    assert source.etag == '"feed-v1"'  # nothing to retry: the 304 may come next time


def test_transient_entry_failure_is_retried_on_the_next_poll(site):
    source = make_source(three_article_feed(site, etag='"feed-v1"'))
    site.put("/news/2", "busy", status=503, content_type="text/plain")
    poll_source(source, now=NOW)
    source.refresh_from_db()
    assert source.etag == ""  # do not let a 304 hide the entry that still needs fetching

    site.put("/news/2", article_html("Story number 2"))
    outcome = poll_source(source, now=NOW + dt.timedelta(minutes=30))

    assert (outcome.new, outcome.known) == (1, 2)
    assert Article.objects.count() == 3


def test_feed_of_consent_walls_is_a_failing_source(site):
    wall = "<html><body><div id='consent'><button>Accept all</button></div></body></html>"
    site.put("/news/1", wall)
    site.put("/news/2", wall)
    items = [("/news/1", "One", None), ("/news/2", "Two", None)]
    source = make_source(site.put("/feed.xml", rss(site, items)))

    outcome = poll_source(source, now=NOW)

    source.refresh_from_db()
    assert not outcome.ok
    assert source.consecutive_failures == 1
    assert "All 2 article page(s) failed" in source.last_error
    assert "No article text found" in source.last_error


# --- Re-fetching for edits ------------------------------------------------------------------


def ingest_one(site: Site, *, etag: str = "", extra: list[str] | None = None) -> Article:
    page = article_html("Ferry terminal to open by June", [*PARAGRAPHS, *(extra or [])])
    site.put("/news/ferry", page, etag=etag)
    items = [("/news/ferry", "Ferry terminal to open by June", "Fri, 18 Apr 2025 09:00:00 GMT")]
    poll_source(make_source(site.put("/feed.xml", rss(site, items))), now=NOW)
    return Article.objects.get()


def test_refetch_of_edited_article_writes_one_version_with_the_diff(site):
    article = ingest_one(site)
    edited = [
        PARAGRAPHS[0].replace("end of June", "end of September"),
        PARAGRAPHS[1],
    ]
    site.put("/news/ferry", article_html("Ferry terminal to open by September", edited))

    first = refetch_article(article, now=NOW + dt.timedelta(minutes=61))
    article.refresh_from_db()
    second = refetch_article(article, now=NOW + dt.timedelta(minutes=361))

    assert (first.changed, first.version) == (True, 2)
    assert (second.changed, second.version) == (False, 2)
    version = ArticleVersion.objects.get(article=article, number=2)
    assert version.removed_sentences == [PARAGRAPHS[2]]
    assert version.changed_sentences == [
        {"old": "Ferry terminal to open by June", "new": "Ferry terminal to open by September"},
        {"old": PARAGRAPHS[0], "new": edited[0]},
    ]  # the headline is the first line of the extracted text
    assert "-" + PARAGRAPHS[2] in version.diff
    article.refresh_from_db()
    assert article.title == "Ferry terminal to open by September"
    assert article.refetch_count == 2
    assert article.next_refetch_at == NOW + dt.timedelta(minutes=1440)


def test_refetch_with_trivial_edit_writes_no_version(site):
    article = ingest_one(site, extra=["Updated 10:42 BST", "87 comments"])
    rerendered = [*PARAGRAPHS, "Updated 14:02 BST", "1,204 comments"]
    site.put("/news/ferry", article_html("Ferry terminal to open by June", rerendered))

    result = refetch_article(article, now=NOW + dt.timedelta(minutes=61))

    assert result.changed is False
    assert article.versions.count() == 1


def test_refetch_sends_validators_and_a_304_changes_nothing(site):
    article = ingest_one(site, etag='"ferry-1"')
    assert article.etag == '"ferry-1"'

    result = refetch_article(article, now=NOW + dt.timedelta(minutes=61))

    assert result is None
    assert site.count("/news/ferry") == 2
    article.refresh_from_db()
    assert (article.refetch_count, article.fetch_error) == (1, "")
    assert article.next_refetch_at == NOW + dt.timedelta(minutes=360)


@pytest.mark.parametrize(
    ("page", "error"),
    [
        (None, "HTTP 404"),
        ("<html><body><p>Please accept cookies to continue.</p></body></html>", "shrank"),
    ],
)
def test_refetch_failure_is_recorded_on_the_article_never_as_a_version(site, page, error):
    article = ingest_one(site)
    if page is None:
        del site.resources["/news/ferry"]
    else:
        site.put("/news/ferry", page)

    result = refetch_article(article, now=NOW + dt.timedelta(minutes=61))

    assert result is None
    article.refresh_from_db()
    assert error in article.fetch_error
    assert article.last_fetched_at == NOW  # the last good fetch
    assert article.versions.count() == 1
    assert article.next_refetch_at == NOW + dt.timedelta(minutes=360)


def test_refetch_schedule_ends_after_the_last_point(site):
    article = ingest_one(site)

    refetch_article(article, now=NOW + dt.timedelta(days=2))

    article.refresh_from_db()
    assert (article.next_refetch_at, article.refetch_count) == (None, 1)


@pytest.mark.django_db(transaction=True)
def test_refetch_due_articles_refetches_only_due_ones(site):
    article = ingest_one(site)
    later = Article.objects.create(
        canonical_url=site.url("/news/later"),
        url=site.url("/news/later"),
        text="x",
        next_refetch_at=NOW + dt.timedelta(days=1),
    )

    count = refetch_due_articles(now=NOW + dt.timedelta(minutes=61))

    assert count == 1
    article.refresh_from_db()
    later.refresh_from_db()
    assert article.refetch_count == 1
    assert later.refetch_count == 0


# --- Handing on to the claims side ----------------------------------------------------------


@dataclass
class ClaimsSpy:
    processed: list[int] = field(default_factory=list)
    edits: list[tuple[int, int]] = field(default_factory=list)


@pytest.fixture(autouse=True)
def claims_spy(monkeypatch) -> ClaimsSpy:
    """Stands in for the claims tasks: extraction is not under test here (and needs spaCy)."""
    spy = ClaimsSpy()

    def process(*, article_id: int) -> None:
        spy.processed.append(article_id)

    def edit(*, article_id: int, version_id: int) -> None:
        number = ArticleVersion.objects.get(pk=version_id).number
        spy.edits.append((article_id, number))

    handlers = {"claims.process_article": process, "claims.handle_article_edit": edit}
    monkeypatch.setattr(polling, "send_to_claims", lambda name, **kwargs: handlers[name](**kwargs))
    return spy


def test_new_and_edited_articles_are_handed_to_claims_after_commit(
    site, claims_spy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ingest_one(site)
    assert claims_spy.processed == [article.pk]
    site.put("/news/ferry", article_html("Ferry terminal", PARAGRAPHS[:2]))

    with django_capture_on_commit_callbacks(execute=True):
        refetch_article(article, now=NOW + dt.timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        refetch_article(article, now=NOW + dt.timedelta(minutes=361))

    site.put("/news/ferry", article_html("Ferry terminal", [*PARAGRAPHS[:2], "A new sentence."]))
    with django_capture_on_commit_callbacks(execute=True):
        refetch_article(article, now=NOW + dt.timedelta(minutes=1441))

    # Version 2 removed a sentence: handle_article_edit marks mentions, then re-processes.
    # Version 3 only added one: processing the new text is enough.
    assert claims_spy.edits == [(article.pk, 2)]
    assert claims_spy.processed == [article.pk, article.pk]


def test_failures_never_reach_the_claims_side(
    site, web, claims_spy, django_capture_on_commit_callbacks
):
    article = ingest_one(site)
    del site.resources["/news/ferry"]

    with django_capture_on_commit_callbacks(execute=True):
        refetch_article(article, now=NOW + dt.timedelta(minutes=61))
        poll_source(make_source(web.url("/status/404"), name="Gone"), now=NOW)

    assert (claims_spy.processed, claims_spy.edits) == ([], [])


def test_poll_defers_entries_over_the_limit_to_the_next_poll(site, settings):
    settings.SOURCE_MAX_ENTRIES_PER_POLL = 2
    source = make_source(three_article_feed(site, etag='"v1"'))

    started = time.monotonic()
    outcome = poll_source(source, now=NOW)

    assert (outcome.new, outcome.deferred) == (2, 1)
    assert time.monotonic() - started < 5
    source.refresh_from_db()
    assert source.etag == ""  # the next poll gets the whole feed and the deferred entry
    assert Article.objects.filter(canonical_url=site.url("/news/1")).exists()  # newest first


def test_poll_now_in_admin_polls_at_once_and_says_what_it_found(site, admin_client):
    source = make_source(three_article_feed(site))

    response = admin_client.post(
        "/admin/sources/source/",
        {"action": "poll_now", "_selected_action": [source.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert Article.objects.filter(sources=source).count() == 3
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Test Courier:") and "3" in m for m in messages), messages
