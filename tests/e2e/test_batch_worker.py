"""An import's batch goes through a real Celery worker: one claims.process_articles task."""

import io
import json
import time

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimMention
from sources.models import Article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Invented wire copy: one promise told by two outlets, and an unrelated one.
LINES = [
    {
        "url": "https://harbour.example/ferry",
        "title": "Ferry terminal",
        "published": "2026-05-04T08:00:00+00:00",
        "text": "Port director Ines Marlowe said on Monday that the new ferry terminal at "
        "Eskhaven would open by 30 June.",
        "outlet": "Harbour Wire",
    },
    {
        "url": "https://courier.example/ferry",
        "title": "Terminal to open",
        "published": "2026-05-05T08:00:00+00:00",
        "text": "The new ferry terminal at Eskhaven will open by June 30, Marlowe told reporters.",
        "outlet": "Lowland Courier",
    },
    {
        "url": "https://courier.example/bypass",
        "title": "Bypass",
        "published": "2026-05-05T09:00:00+00:00",
        "text": "Council leader Tomasz Evers said the Torvale bypass would be finished by the "
        "end of September.",
        "outlet": "Lowland Courier",
    },
]


def wait_for(predicate, *, timeout: float = 60.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def test_an_import_is_processed_by_the_worker_as_one_batch(celery_worker, postgres_db, tmp_path):
    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps(line) + "\n" for line in LINES), encoding="utf-8")

    call_command("import_articles", str(archive), stdout=io.StringIO())

    def processed() -> bool:
        return not Article.objects.exclude(processed_at__isnull=False).exists()

    wait_for(processed)
    assert ClaimMention.objects.count() == 3
    assert Claim.objects.count() == 2  # the ferry promise, told twice, is one claim
    assert not Article.objects.exclude(processing_error="").exists()
