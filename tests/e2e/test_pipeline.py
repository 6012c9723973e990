"""The whole chain on the real stack: a feed on a loopback server -> a real Celery worker on
Redis -> articles -> claims in PostgreSQL -> the deadline passes -> overdue.

Our own invented feed and pages. The worker thread shares this process, so the settings
that admit the loopback server to the fetcher apply to it too.
"""

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.models import Claim, ClaimMention
from claims.tasks import task_check_deadlines
from sources.models import Article, Source
from sources.tasks import task_poll_source

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="article:published_time" content="{published}">
</head><body><nav>Home | World | Business | Sport</nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer>© Lakeside Ledger. All rights reserved.</footer></body></html>"""

ARTICLES = {
    "/news/bridge-tender": (
        "Holm sets a date for the Ostmark bridge tender",
        "2026-03-02T08:00:00+00:00",
        [
            "The regional government of Ostmark has been criticised for months over the "
            "state of the old river crossing.",
            "Infrastructure Minister Petra Holm said on Monday that the tender for the new "
            "Ostmark river bridge would be awarded by the end of the month.",
            "Engineers closed the old bridge to lorries in January after cracks were found.",
        ],
    ),
    "/news/bridge-tender-update": (
        "Holm repeats bridge tender promise",
        "2026-03-04T09:30:00+00:00",
        [
            "Petra Holm told the regional assembly that the bridge tender will be awarded "
            "by the end of the month, as she promised on Monday.",
            "Three consortia have submitted bids, according to the ministry.",
        ],
    ),
}


def feed(base: str) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>{dt.datetime.fromisoformat(published):%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        "</item>"
        for path, (title, published, _) in ARTICLES.items()
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Lakeside Ledger</title>'
        f"<link>{base}/</link><description>News</description>{items}</channel></rss>"
    )


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        if self.path == "/feed.xml":
            body, kind = feed(base), "application/rss+xml"
        elif self.path in ARTICLES:
            title, published, paragraphs = ARTICLES[self.path]
            body = PAGE.format(
                title=title,
                published=published,
                paragraphs="".join(f"<p>{p}</p>" for p in paragraphs),
            )
            kind = "text/html; charset=utf-8"
        else:
            body, kind = "", "text/plain"
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def news_site(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address
    settings.FETCH_ALLOWED_HOSTS = [f"{host}:{port}"]
    settings.FETCH_HOST_INTERVAL = 0
    yield f"http://{host}:{port}"
    server.shutdown()


def wait_for(predicate, *, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"condition not met within {timeout} s")


def test_feed_to_overdue_claim_through_the_worker(news_site, celery_worker, postgres_db):
    source = Source.objects.create(
        name="Lakeside Ledger", url=f"{news_site}/feed.xml", ignore_robots=True
    )

    task_poll_source.delay(source_id=source.pk)
    wait_for(
        lambda: (
            Article.objects.count() == 2 and not Article.objects.filter(processed_hash="").exists()
        )
    )

    claim = Claim.objects.get()
    assert claim.deadline_latest == dt.date(2026, 3, 31)
    assert claim.speaker.endswith("Holm")
    assert ClaimMention.objects.filter(claim=claim, kind="forecast").count() == 2
    source.refresh_from_db()
    assert (source.consecutive_failures, source.last_error) == (0, "")

    task_check_deadlines.delay(now="2026-04-01T07:00:00+00:00")
    wait_for(lambda: Claim.objects.get(pk=claim.pk).status == "overdue")

    assert list(claim.status_changes.order_by("pk").values_list("reason", flat=True)) == [
        "created",
        "deadline_passed",
    ]
