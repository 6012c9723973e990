"""Imports survive a broker that is down, and two imports of one file at once."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from claims.models import Claim, ClaimMention, StatusChange
from sources import polling
from sources.models import Article, ArticleVersion
from tests.reliability.conftest import LIGHTHOUSE, wait_for
from tests.reliability.services import ROOT, broker, worker_database_url

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TEXTS = [
    LIGHTHOUSE,
    "The shipping board said the night ferry to Hallsund will resume by the end of May.",
    "Curator Oda Vinter said the maritime museum will reopen by the autumn.",
    "The water utility said the Brenna reservoir will be refilled by the end of next year.",
]

LATE = "The port authority said the new crane at Dock 4 will be working by the end of July."


def write_archive(path, texts=TEXTS, *, slug: str = "import"):
    lines = [
        {
            "url": f"https://faults.example/{slug}-{number}",
            "title": f"Import {number}",
            "published": "2026-06-01T08:00:00+00:00",
            "text": text,
            "outlet": "Fault Gazette",
        }
        for number, text in enumerate(texts)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def processed_all() -> bool:
    return not Article.objects.exclude(processed_hash=F("content_hash")).exists()


def test_an_import_while_the_broker_is_down_stores_every_article_and_the_sweep_processes_them(
    private_redis, workers, tmp_path, caplog, monkeypatch
):
    archive = write_archive(tmp_path / "archive.jsonl")
    monkeypatch.setattr(polling, "BROKER_RETRY_AFTER_SECONDS", 0.0)  # try the broker each time
    out, err = io.StringIO(), io.StringIO()

    with broker(private_redis.url), caplog.at_level(logging.INFO, logger="sources.polling"):
        call_command("import_articles", str(archive), stdout=out, stderr=err)  # nothing listens
        private_redis.start()
        late = write_archive(tmp_path / "late.jsonl", [LATE], slug="late")
        call_command("import_articles", str(late), stdout=io.StringIO())  # queued: the broker is up

    assert "new=4" in out.getvalue()
    assert Article.objects.count() == 5
    assert ClaimMention.objects.count() == 0
    outage = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(outage) == 1  # once for the outage, not once per article
    assert "Broker unreachable" in outage[0]
    assert "claims.sweep_unprocessed_articles processes them" in outage[0]
    back = [r.getMessage() for r in caplog.records if "reachable again" in r.getMessage()]
    assert len(back) == 1
    assert "4 hand-off(s) left to the sweep" in back[0]

    # The broker is back; ten minutes on, the sweep finds what the outage left unqueued.
    workers()
    Article.objects.update(updated_at=F("updated_at") - dt.timedelta(minutes=11))

    def swept() -> bool:
        with broker(private_redis.url):
            polling.current_app.send_task("claims.sweep_unprocessed_articles")
        return processed_all()

    wait_for(swept, timeout=40, interval=3)

    assert ClaimMention.objects.count() == 5
    assert Claim.objects.count() == 5
    assert StatusChange.objects.count() == 5
    assert not ClaimMention.objects.filter(claim__isnull=True).exists()


def run_import(path, *, database_url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": "", "REDIS_URL": ""}
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_imports_of_one_file_at_once_store_and_process_each_article_once(tmp_path, postgres_db):
    """Two processes on the embedded default (claims processed inline) race line by line."""
    texts = [*TEXTS, *(f"Minister Ulla Berg said pier {n} will reopen by March." for n in range(8))]
    archive = write_archive(tmp_path / "archive.jsonl", texts)
    url = worker_database_url(application_name="reliab-import")

    runs = [run_import(archive, database_url=url) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    summaries = [dict(pair.split("=") for pair in out.split()[-6:]) for out, _err in outputs]
    assert sum(int(summary["new"]) for summary in summaries) == len(texts)  # each stored once
    assert Article.objects.count() == len(texts)
    assert ArticleVersion.objects.count() == len(texts)
    assert processed_all()
    assert (
        not ClaimMention.objects.values("article", "start").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert ClaimMention.objects.count() == len(texts)
    assert not ClaimMention.objects.filter(claim__isnull=True).exists()
    # Each claim was created once, with exactly one history row.
    assert StatusChange.objects.count() == Claim.objects.count()
    assert not Claim.objects.values("statement").annotate(n=Count("pk")).filter(n__gt=1)
