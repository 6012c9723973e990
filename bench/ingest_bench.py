"""Benchmark ingestion: feeds and pages from a loopback server, through a real Celery worker.

Run by `make bench` (or `python bench/ingest_bench.py`). Needs PostgreSQL and Redis; exits 0
with a message when either does not answer.

1. Generate BENCH_ARTICLES (default 2,000) invented articles (our own templates and names)
   in feeds of BENCH_FEED_SIZE (default 100) entries, and serve feeds and pages from a
   threaded HTTP server on 127.0.0.1 (pages with navigation, asides and footers, so
   trafilatura has boilerplate to remove; feeds with ETags).
2. Create a scratch database with Django's test-database utilities (`test_<name>` of
   $BENCH_DATABASE_URL, else $DATABASE_URL when it names PostgreSQL, else
   postgres://postgres@127.0.0.1:5432/claimwatch_bench), migrated, dropped at the end; the
   named database itself is never touched.
3. Start `celery -A config worker` (prefork, BENCH_CONCURRENCY processes, default twice
   the CPU count) on $BENCH_REDIS_URL / $REDIS_URL (default redis://127.0.0.1:6379/13), with
   FETCH_HOST_INTERVAL=0 and the loopback server allow-listed, consuming only the
   `ingest-bench` queue. One `sources.poll_source` task per feed goes there; each returns
   its stage timings (time.perf_counter around fetch, extract, DB, enqueue).
4. Claim extraction: the polls enqueue `claims.process_article` on the default queue, which
   no worker reads during step 3, so ingestion is measured alone. Then (unless
   BENCH_EXTRACT=0) a worker on the default queue drains them and we time that too.
5. Poll every feed again: the feeds answer 304, nothing is re-fetched.

`--workers 1,2,4` runs step 3 alone once per worker count (each on a fresh scratch
database, no extraction, no re-poll) and prints `ingest.workers workers=N articles_per_s=…`.

Summary lines::

    ingest articles=2000 seconds=.. articles_per_s=.. fetch_ms_p50=.. extract_ms_p50=.. db_ms_p50=..
    ingest.claims articles=2000 seconds=.. articles_per_s=.. mentions=.. claims=..
    ingest.repoll sources=20 seconds=.. not_modified=20
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/claimwatch_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
N_ARTICLES = int(os.environ.get("BENCH_ARTICLES", "2000"))
FEED_SIZE = int(os.environ.get("BENCH_FEED_SIZE", "100"))
# Twice the CPUs: a poll waits on PostgreSQL and Redis for most of its time.
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
RUN_EXTRACTION = os.environ.get("BENCH_EXTRACT", "1") != "0"
QUEUE = "ingest-bench"
SEED = 4
TIMEOUT_SECONDS = 900


# ---------------------------------------------------------------------------
# Generated news (invented names and places; no real articles)
# ---------------------------------------------------------------------------

PEOPLE = [
    "Ines Marlowe", "Tomasz Evers", "Anwen Pryce", "Odile Fenwick", "Rafael Quint",
    "Mirela Sand", "Jonas Achterberg", "Priya Lindqvist", "Caspar Holm", "Leona Brask",
]  # fmt: skip
ROLES = ["minister", "council leader", "chief executive", "spokesperson", "harbour master"]
BODIES = [
    "the harbour board", "Millbrook council", "the water company", "the regional assembly",
    "the ferry operator", "the transport ministry", "the port authority", "the rail union",
]  # fmt: skip
PROJECTS = [
    "the new ferry terminal", "the bypass", "the library refurbishment", "the tram extension",
    "the flood barrier", "the hospital wing", "the budget review", "the wage agreement",
]  # fmt: skip
DEADLINES = [
    "by the end of June", "within a fortnight", "before the autumn term", "by next spring",
    "within days", "by the end of the year", "before the summer holidays", "by 30 September",
]  # fmt: skip
VERBS = ["completed", "opened", "signed", "approved", "published", "finished", "agreed"]
BACKGROUND = [
    "Work on {project} began two years ago and has been delayed twice.",
    "Residents have complained about noise and road closures since the spring.",
    "The project is funded partly by a regional grant agreed last year.",
    "Opposition members said they would believe it when they saw it.",
    "A public meeting on the plans drew more than two hundred people in March.",
    "{body} declined to say how much the delay had cost so far.",
]


@dataclass(frozen=True)
class BenchArticle:
    feed: int
    number: int
    title: str
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/ingest-bench/{self.feed}/{self.number}.html"


def generate_articles(count: int) -> list[BenchArticle]:
    rng = random.Random(SEED)
    start = datetime(2026, 3, 2, 6, tzinfo=UTC)
    articles = []
    for index in range(count):
        person, role = rng.choice(PEOPLE), rng.choice(ROLES)
        body, project = rng.choice(BODIES), rng.choice(PROJECTS)
        deadline, verb = rng.choice(DEADLINES), rng.choice(VERBS)
        lead = (
            f"{person}, the {role}, said on {rng.choice(['Monday', 'Tuesday', 'Thursday'])} "
            f"that {project} would be {verb} {deadline}."
        )
        quote = (
            f"“We expect {project} to be {verb} {deadline}, and we will publish a timetable "
            f"next week,” {person.split()[0]} told reporters after a meeting with {body}."
        )
        rest = [
            sentence.format(project=project, body=body.capitalize())
            for sentence in rng.sample(BACKGROUND, 4)
        ]
        paragraphs = (lead, quote, *rest, f"Article number {index} of the ingest benchmark.")
        articles.append(
            BenchArticle(
                feed=index // FEED_SIZE,
                number=index % FEED_SIZE,
                title=f"{body.capitalize()} says {project} will be {verb} {deadline}",
                published=start + timedelta(minutes=7 * index),
                paragraphs=paragraphs,
            )
        )
    return articles


def page_html(article: BenchArticle) -> bytes:
    related = "".join(
        f'<li><a href="/ingest-bench/{article.feed}/{(article.number + k) % FEED_SIZE}.html">'
        f"Related story {k}</a></li>"
        for k in range(1, 6)
    )
    body = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(article.title)} | The Bench Courier</title>
<meta name="author" content="Bench Desk">
<meta property="article:published_time" content="{article.published.isoformat()}">
<link rel="canonical" href="{article.path}">
<script>window.dataLayer = window.dataLayer || [];</script>
</head><body>
<div class="cookie-banner"><p>We use cookies.</p><button>Accept</button></div>
<header><a href="/">The Bench Courier</a><nav><ul><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/business">Business</a></li></ul></nav></header>
<main><article><h1>{escape(article.title)}</h1>
<p class="byline">By Bench Desk</p>
{body}
</article>
<aside><h2>Related</h2><ul>{related}</ul></aside></main>
<footer><p>© The Bench Courier, an invented newspaper.</p><a href="/about">About</a></footer>
</body></html>""".encode()


def feed_xml(base: str, feed: int, articles: list[BenchArticle]) -> bytes:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{base}{a.path}</link>"
        f"<guid isPermaLink='false'>bench-{a.feed}-{a.number}</guid>"
        f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed {feed}</title><link>{base}/</link>"
        f"<description>Generated</description>{items}</channel></rss>"
    ).encode()


# ---------------------------------------------------------------------------
# The loopback server
# ---------------------------------------------------------------------------


class BenchHandler(BaseHTTPRequestHandler):
    server: Any
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        found = self.server.pages.get(self.path)
        if found is None:
            self.answer(404, b"not found", "text/plain", "")
            return
        body, content_type = found
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.answer(200, body, content_type, etag)

    def answer(self, status: int, body: bytes, content_type: str, etag: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)


class BenchServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # workers hang up on shutdown; nothing to report


def start_server(articles: list[BenchArticle]) -> tuple[BenchServer, str, list[str]]:
    server = BenchServer(("127.0.0.1", 0), BenchHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages: dict[str, tuple[bytes, str]] = {
        a.path: (page_html(a), "text/html; charset=utf-8") for a in articles
    }
    feeds = []
    for feed in sorted({a.feed for a in articles}):
        path = f"/ingest-bench/feed-{feed}.xml"
        entries = [a for a in articles if a.feed == feed]
        pages[path] = (feed_xml(base, feed, entries), "application/rss+xml")
        feeds.append(base + path)
    server.pages = pages  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, name="bench-http", daemon=True).start()
    return server, base, feeds


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_DATABASE_URL


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL


def services_problem(db_url: str, broker: str) -> str | None:
    """Why PostgreSQL or Redis cannot be used, or None."""
    import psycopg
    import redis

    parts = urlsplit(db_url)
    try:
        psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3).close()
    except psycopg.Error as error:
        return f"PostgreSQL at {parts.hostname}:{parts.port}: {str(error).strip().splitlines()[0]}"
    try:
        redis.Redis.from_url(broker, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis at {broker}: {error}"
    return None


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish, then exit
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start_worker(
    *, db_url: str, broker: str, allowed: str, queue: str, log: Path, concurrency: int = CONCURRENCY
) -> Worker:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": broker,
        "CELERY_BROKER_URL": broker,
        "FETCH_ALLOWED_HOSTS": allowed,
        "FETCH_HOST_INTERVAL": "0",  # pacing off for the loopback host
        "DJANGO_DEBUG": "true",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(REPO / ".venv" / "bin" / "celery"), "-A", "config", "--result-backend", broker,
        "worker", "--pool", "prefork", "--concurrency", str(concurrency), "--queues", queue,
        "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--prefetch-multiplier", "1",
    ]  # fmt: skip
    if not Path(command[0]).exists():
        command[0] = shutil.which("celery") or "celery"
    handle = log.open("w")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
    return Worker(process=process, log=log)


def purge(app: Any, *queues: str) -> None:
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in queues:
            channel.queue_purge(queue)


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


def p50(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[-1]


def poll_all(app: Any, source_ids: list[int]) -> tuple[list[dict[str, Any]], list[float], float]:
    """One poll task per source on QUEUE; (task summaries, queue waits in ms, seconds)."""
    from sources.tasks import task_poll_source

    started = time.perf_counter()
    sent = []
    for source_id in source_ids:
        enqueued_at = time.time()
        result = task_poll_source.apply_async(
            kwargs={"source_id": source_id}, queue=QUEUE, ignore_result=False
        )
        sent.append((enqueued_at, result))
    summaries, waits = [], []
    for enqueued_at, result in sent:
        summary = result.get(timeout=TIMEOUT_SECONDS)
        result.forget()
        summaries.append(summary)
        waits.append((summary["started_at"] - enqueued_at) * 1000)
    return summaries, waits, time.perf_counter() - started


def wait_for_extraction(total: int) -> tuple[float, int]:
    """Seconds until every article is processed (or failed), and how many failed."""
    from django.db.models import Q

    from sources.models import Article

    started = time.perf_counter()
    done = Q(processed_at__isnull=False) | ~Q(processing_error="")
    while time.perf_counter() - started < TIMEOUT_SECONDS:
        if Article.objects.filter(done).count() >= total:
            break
        time.sleep(0.5)
    failed = Article.objects.exclude(processing_error="").count()
    return time.perf_counter() - started, failed


def report_ingest(summaries: list[dict[str, Any]], waits: list[float], seconds: float) -> int:
    timings: dict[str, list[float]] = {}
    for summary in summaries:
        for stage, values in summary["timings_ms"].items():
            timings.setdefault(stage, []).extend(values)
    new = sum(s["new"] for s in summaries)
    failed = sum(s["failed"] for s in summaries) + sum(not s["ok"] for s in summaries)
    stages = ("listing", "fetch", "extract", "db", "enqueue")
    totals = {stage: sum(timings.get(stage, [])) for stage in stages}
    busy = sum(totals.values()) or 1.0
    print(
        f"ingest articles={new} seconds={seconds:.2f} articles_per_s={new / seconds:.1f} "
        f"fetch_ms_p50={p50(timings['fetch']):.2f} extract_ms_p50={p50(timings['extract']):.2f} "
        f"db_ms_p50={p50(timings['db']):.2f} enqueue_ms_p50={p50(timings['enqueue']):.2f} "
        f"task_queue_wait_ms_p50={p50(waits):.0f} workers={CONCURRENCY} failed={failed}"
    )
    shares = " ".join(f"{stage}={100 * totals[stage] / busy:.1f}%" for stage in stages)
    print(f"ingest.where_time_goes worker_seconds={busy / 1000:.1f} {shares}")
    print(
        "ingest.p95 "
        + " ".join(f"{stage}_ms_p95={p95(timings.get(stage, [])):.2f}" for stage in stages)
    )
    return new


def sweep_workers(app: Any, *, counts: list[int], feeds: list[str], base: str, db_url: str) -> None:
    """Ingestion alone (no claim extraction) with 1, 2, 4 … worker processes, each count on a
    fresh scratch database: `ingest.workers workers=N articles_per_s=…` per count."""
    from django.db import connection

    from sources.models import Article, Source

    old_name = connection.settings_dict["NAME"]
    for count in counts:
        test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        workdir = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
        worker = None
        try:
            purge(app, QUEUE, app.conf.task_default_queue)
            ids = [
                Source.objects.create(
                    name=f"ingest-bench {i}", url=url, poll_interval_minutes=30
                ).pk
                for i, url in enumerate(feeds)
            ]
            worker = start_worker(
                db_url=with_database(db_url, test_name), broker=broker_of(app),
                allowed=urlsplit(base).netloc, queue=QUEUE, log=workdir / "ingest-worker.log",
                concurrency=count,
            )  # fmt: skip
            summaries, _waits, seconds = poll_all(app, ids)
            new = sum(s["new"] for s in summaries)
            failed = sum(s["failed"] for s in summaries) + sum(not s["ok"] for s in summaries)
            print(
                f"ingest.workers workers={count} articles={new} seconds={seconds:.2f} "
                f"articles_per_s={new / seconds:.1f} stored={Article.objects.count()} "
                f"failed={failed} cpus={os.cpu_count()}",
                flush=True,
            )
        finally:
            if worker is not None:
                worker.stop()
            purge(app, QUEUE, app.conf.task_default_queue)
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(workdir, ignore_errors=True)


def broker_of(app: Any) -> str:
    return app.conf.broker_url


def main() -> int:
    db_url, broker = database_url(), redis_url()
    problem = services_problem(db_url, broker)
    if problem:
        print(f"ingest skipped: {problem}")
        return 0

    os.environ["DATABASE_URL"] = db_url
    os.environ["REDIS_URL"] = broker
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "true"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.db import connection

    from config.celery import app
    from sources.models import Article, Source

    app.conf.update(broker_url=broker, result_backend=broker, task_always_eager=False)
    articles = generate_articles(N_ARTICLES)
    server, base, feeds = start_server(articles)
    if "--workers" in sys.argv:  # `--workers 1,2,4`: the ingestion sweep alone
        counts = [int(n) for n in sys.argv[sys.argv.index("--workers") + 1].split(",")]
        print(f"ingest setup: {len(articles)} articles in {len(feeds)} feeds from {base}")
        try:
            sweep_workers(app, counts=counts, feeds=feeds, base=base, db_url=db_url)
        finally:
            server.shutdown()
        return 0
    print(
        f"ingest setup: {len(articles)} articles in {len(feeds)} feeds from {base}; "
        f"worker concurrency {CONCURRENCY}; creating the scratch database"
    )
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    scratch_url = with_database(db_url, test_name)
    workdir = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    workers: list[Worker] = []
    try:
        purge(app, QUEUE, app.conf.task_default_queue)
        sources = [
            Source.objects.create(name=f"ingest-bench {i}", url=url, poll_interval_minutes=30)
            for i, url in enumerate(feeds)
        ]
        allowed = urlsplit(base).netloc
        ingest = start_worker(
            db_url=scratch_url, broker=broker, allowed=allowed, queue=QUEUE,
            log=workdir / "ingest-worker.log",
        )  # fmt: skip
        workers.append(ingest)
        ids = [s.pk for s in sources]

        summaries, waits, seconds = poll_all(app, ids)
        stored = report_ingest(summaries, waits, seconds)
        if Article.objects.count() != len(articles):
            print(f"!! expected {len(articles)} articles, found {Article.objects.count()}")
            print(ingest.tail())
            return 1

        repolls, _waits, reseconds = poll_all(app, ids)
        not_modified = sum(s["not_modified"] for s in repolls)
        refetched = sum(len(s["timings_ms"]["fetch"]) for s in repolls)
        print(
            f"ingest.repoll sources={len(ids)} seconds={reseconds:.2f} "
            f"not_modified={not_modified} pages_refetched={refetched}"
        )

        if RUN_EXTRACTION:
            extractor = start_worker(
                db_url=scratch_url, broker=broker, allowed=allowed,
                queue=app.conf.task_default_queue, log=workdir / "claims-worker.log",
            )  # fmt: skip
            workers.append(extractor)
            extract_seconds, failed = wait_for_extraction(stored)
            from claims.models import Claim, ClaimMention

            print(
                f"ingest.claims articles={stored} seconds={extract_seconds:.2f} "
                f"articles_per_s={stored / extract_seconds:.1f} "
                f"mentions={ClaimMention.objects.count()} claims={Claim.objects.count()} "
                f"failed={failed} workers={CONCURRENCY} (includes spaCy load per worker)"
            )
            print(
                f"ingest.end_to_end articles={stored} "
                f"seconds={seconds + extract_seconds:.2f} "
                f"articles_per_s={stored / (seconds + extract_seconds):.1f}"
            )
        else:
            print("ingest.claims skipped (BENCH_EXTRACT=0): claims.process_article not run")
        return 0
    finally:
        for worker in workers:
            worker.stop()
        server.shutdown()
        purge(app, QUEUE, app.conf.task_default_queue)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
