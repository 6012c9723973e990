"""The ingestion commands: add_source, poll_sources, import_articles and fetch_url.

Pages and feeds come from conftest's loopback server (`web`), which serves the invented
`fixtures/newsroom-*` files under /static/; the feed's links are relative to it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sources import polling
from sources.management.commands import import_articles
from sources.models import Article, ArticleSource, Source
from tests.sources.conftest import WebServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def web_allowed(web: WebServer, settings) -> WebServer:
    settings.FETCH_ALLOWED_HOSTS = [web.netloc]
    settings.FETCH_HOST_INTERVAL = 0.0
    settings.FETCH_TIMEOUT_READ = 2.0
    return web


@pytest.fixture
def processed(monkeypatch) -> list[int]:
    """Article ids handed to claims.process_article(s) (the claims side is not under test)."""
    ids: list[int] = []

    def send(name, *, article_id=None, article_ids=()):
        ids.extend([article_id] if name == "claims.process_article" else article_ids)

    monkeypatch.setattr(polling, "send_to_claims", send)
    return ids


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- add_source ---------------------------------------------------------------------------


def test_add_source_detects_a_feed_and_is_idempotent(web_allowed):
    url = web_allowed.url("/static/newsroom-feed.xml")

    first, _ = run("add_source", url)
    second, _ = run("add_source", url)
    third, _ = run("add_source", url, "--interval", "15")

    source = Source.objects.get()
    assert (source.kind, source.name, source.poll_interval_minutes) == (
        "feed",
        "The Millbrook Ledger",
        15,
    )
    assert first.startswith(f"Added source {source.pk}: The Millbrook Ledger (feed")
    assert second == f"Source {source.pk} already exists: The Millbrook Ledger (feed)\n"
    assert third == f"Source {source.pk} already exists; updated poll_interval_minutes=15\n"


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/static/newsroom-article-1.html", "page"), ("/static/news-sitemap.xml", "sitemap")],
)
def test_add_source_detects_pages_and_sitemaps(web_allowed, path, kind):
    run("add_source", web_allowed.url(path), "--name", "Ledger")

    assert Source.objects.get().kind == kind


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://example.org/", "not a url"])
def test_add_source_rejects_what_is_not_http(url):
    with pytest.raises(CommandError, match="Not an http"):
        run("add_source", url)

    assert not Source.objects.exists()


def test_add_source_asks_for_kind_when_the_url_cannot_be_fetched():
    with pytest.raises(CommandError, match="pass --kind"):
        run("add_source", "http://10.0.0.1/feed.xml")

    run("add_source", "http://10.0.0.1/feed.xml", "--kind", "feed", "--name", "Intranet")
    assert Source.objects.get().kind == "feed"


# --- poll_sources -------------------------------------------------------------------------


def test_poll_sources_all_prints_each_outcome(web_allowed):
    feed = Source.objects.create(name="Ledger", url=web_allowed.url("/static/newsroom-feed.xml"))
    broken = Source.objects.create(name="Broken", url=web_allowed.url("/status/404"))
    Source.objects.create(name="Pasted", kind=Source.Kind.MANUAL)

    out, _ = run("poll_sources", "--all")

    assert f"[ok] source {feed.pk} Ledger: 2 listed, 2 new," in out
    assert f"[FAILED] source {broken.pk} Broken: failed: HTTP 404" in out
    assert out.endswith("2 source(s) polled, 1 failed\n")
    ledger = Article.objects.get(canonical_url=web_allowed.url("/static/newsroom-article-1.html"))
    assert (ledger.author, ledger.published_source) == ("Odile Fenwick", "feed")
    water = Article.objects.get(canonical_url=web_allowed.url("/static/newsroom-article-2.html"))
    assert water.published_at.isoformat() == "2025-09-01T16:05:00+00:00"


def test_poll_sources_one_source_even_when_paused(web_allowed):
    source = Source.objects.create(
        name="Ledger",
        url=web_allowed.url("/static/newsroom-feed.xml"),
        paused_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
    )

    out, _ = run("poll_sources", "--source", str(source.pk))
    again, _ = run("poll_sources")  # only due sources: a paused one is not

    assert "2 new" in out
    assert again == "0 source(s) polled, 0 failed\n"
    assert ArticleSource.objects.filter(source=source).count() == 2


def test_poll_sources_unknown_source_is_an_error():
    with pytest.raises(CommandError, match="No source with id 999"):
        run("poll_sources", "--source", "999")


# --- import_articles ----------------------------------------------------------------------


def jsonl(*lines: object) -> str:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"


GOOD = {
    "url": "https://ledger.example/news/library?utm_source=newsletter",
    "title": "Library to reopen before the autumn term",
    "published": "2025-09-02T08:30:00Z",
    "text": "The library will reopen before the autumn term, the council said.",
    "outlet": "The Millbrook Ledger",
}
NO_OUTLET = {
    "url": "https://water.example/news/main",
    "title": "New main within a fortnight",
    "published": "2025-09-01",
    "text": "The water company said a new main would be laid within a fortnight.",
}


def test_import_articles_reports_bad_lines_and_imports_the_rest(
    tmp_path: Path, processed, django_capture_on_commit_callbacks
):
    archive = tmp_path / "archive.jsonl"
    archive.write_text(
        jsonl(
            GOOD,
            "{not json",
            {**GOOD, "url": "ftp://ledger.example/x"},
            "",
            {key: value for key, value in GOOD.items() if key != "text"},
            {**GOOD, "published": "next Tuesday"},
            NO_OUTLET,
        ),
        encoding="utf-8",
    )

    with django_capture_on_commit_callbacks(execute=True):
        out, err = run("import_articles", str(archive))
    again, again_err = run("import_articles", str(archive))

    assert err.splitlines() == [
        "archive.jsonl:2: invalid JSON (Expecting property name enclosed in double quotes);"
        " skipped",
        "archive.jsonl:3: 'url' must be an http(s) URL, got 'ftp://ledger.example/x'; skipped",
        "archive.jsonl:5: missing field(s): text; skipped",
        "archive.jsonl:6: 'published' is not an ISO 8601 date or datetime: 'next Tuesday'; skipped",
    ]
    assert out == "read=6 new=2 updated=0 unchanged=0 bad=4 repaired=0\n"
    assert again == "read=6 new=0 updated=0 unchanged=2 bad=4 repaired=0\n"
    assert again_err == err
    library = Article.objects.get(canonical_url="https://ledger.example/news/library")
    assert (library.outlet, library.published_source, library.next_refetch_at) == (
        "The Millbrook Ledger",
        "import",
        None,
    )
    assert Article.objects.get(canonical_url=NO_OUTLET["url"]).outlet == "water.example"
    assert sorted(processed) == sorted(Article.objects.values_list("pk", flat=True))


def test_import_articles_reads_stdin_and_counts_edits(monkeypatch, processed):
    run_stdin = jsonl(GOOD, {**GOOD, "text": GOOD["text"] + " A second sentence was added."})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(run_stdin.encode())))

    out, err = run("import_articles", "-")

    assert (out, err) == ("read=2 new=1 updated=1 unchanged=0 bad=0 repaired=0\n", "")
    assert Article.objects.get().versions.count() == 2


def test_import_articles_hands_articles_on_in_batches_with_a_progress_bar(
    tmp_path: Path, monkeypatch, capsys, django_capture_on_commit_callbacks
):
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(
        polling, "send_to_claims", lambda name, **kwargs: sent.append((name, kwargs))
    )
    monkeypatch.setattr(import_articles, "HAND_ON_BATCH", 2)
    records = [
        {**GOOD, "url": f"https://ledger.example/news/{n}", "text": f"Item {n}."} for n in range(5)
    ]
    archive = tmp_path / "archive.jsonl"
    archive.write_text(jsonl(*records), encoding="utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(archive), "--progress", stdout=io.StringIO())

    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    assert sent == [
        ("claims.process_articles", {"article_ids": ids[0:2]}),
        ("claims.process_articles", {"article_ids": ids[2:4]}),
        ("claims.process_articles", {"article_ids": ids[4:5]}),
    ]
    bar = capsys.readouterr().err
    assert "5/5" in bar and "article/s" in bar


def test_import_articles_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import_articles", str(tmp_path / "nope.jsonl"))


# --- fetch_url ----------------------------------------------------------------------------


def test_fetch_url_prints_the_article_as_json_and_stores_nothing(web_allowed):
    url = web_allowed.url("/static/newsroom-article-1.html?utm_campaign=x")

    out, _ = run("fetch_url", url)

    shown = json.loads(out)
    assert shown["canonical_url"] == web_allowed.url("/static/newsroom-article-1.html")
    assert shown["title"] == "Library refurbishment to finish before the autumn term"
    assert shown["author"] == "Odile Fenwick"
    assert (shown["published"], shown["published_source"]) == ("2025-09-02T00:00:00+00:00", "page")
    assert "hand the building back by 15 September" in shown["text"]
    assert len(shown["content_hash"]) == 64
    assert not Article.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/redirect?to=http://169.254.169.254/latest/", "cloud metadata"),
        ("/status/410", "HTTP 410"),
        ("/static/broken.xml", "No article text"),
    ],
)
def test_fetch_url_reports_failures(web_allowed, path, message):
    with pytest.raises(CommandError, match=message):
        run("fetch_url", web_allowed.url(path))
