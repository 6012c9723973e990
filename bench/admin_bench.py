"""Benchmark the editors' claim list: the admin changelist with BENCH_CLAIMS (default 100,000).

Run by `make bench` (or `python bench/admin_bench.py`). Needs PostgreSQL; exits 0 with a
message when it does not answer. Works in a scratch database made with Django's test-database
utilities (`test_<name>` of $BENCH_ADMIN_DATABASE_URL, else of $BENCH_DATABASE_URL or
$DATABASE_URL with `_admin` appended when they name PostgreSQL, else
postgres://postgres@127.0.0.1:5432/claimwatch_admin_bench), dropped at the end.

The claims are invented and loaded with bulk_create: every status, deadlines spread over two
years either side of today (some open-ended), one claim in forty waiting for review, 500
speakers under two spellings each, 40 outlets; each claim has one mention in an article,
every fifth a second one from another outlet (the outlets column counts them). An Editor
(the Editor group, as in production) opens /admin/claims/claim/ through Django's test client:
one warm-up request, then BENCH_ADMIN_RUNS (default 5) timed ones; the server time is their
median. The query count is taken from one more request. Summary line::

    admin.claim_list claims=100000 ms_p50=.. queries=..

Then the same for the "lapsed since yesterday" filter, a search, the Speaker list (track
records of 500 speakers) and the dashboard, on lines of their own.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/claimwatch_admin_bench"

STATUSES = [
    ("open", 40),
    ("due_soon", 5),
    ("overdue", 10),
    ("fulfilled", 15),
    ("fulfilled_late", 5),
    ("missed", 12),
    ("contradicted", 4),
    ("retracted", 2),
    ("merged", 3),
    ("not_a_claim", 2),
    ("deadline_moved", 2),
]
SUBJECTS = ("bridge", "tunnel", "ferry", "port", "airport", "library", "dam", "road", "school")
VERBS = ("reopen", "open", "close", "finish", "sign", "publish", "award", "rebuild", "repair")


def _database_url() -> str:
    url = os.environ.get("BENCH_ADMIN_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if base.startswith(("postgres://", "postgresql://")):
        head, _, query = base.partition("?")
        return head.rstrip("/") + "_admin" + (f"?{query}" if query else "")
    return DEFAULT_DATABASE_URL


def _load(total: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from claims.models import Claim, ClaimMention, Speaker, SpeakerAlias
    from sources.models import Article

    today = timezone.localdate()
    now = timezone.now()
    speakers = Speaker.objects.bulk_create(
        [Speaker(name=f"Ilse Varga {n}") for n in range(500)], batch_size=1000
    )
    SpeakerAlias.objects.bulk_create(
        [
            SpeakerAlias(speaker=s, name=spelling, key=spelling.lower(), surname=str(n))
            for n, s in enumerate(speakers)
            for spelling in (s.name, f"Minister {s.name}")
        ],
        batch_size=2000,
    )
    cycle = [status for status, weight in STATUSES for _ in range(weight)]
    claims = []
    for i in range(total):
        subject, verb = SUBJECTS[i % 9], VERBS[(i // 9) % 9]
        speaker = speakers[i % 500]
        latest = None if i % 50 == 0 else today + dt.timedelta(days=(i * 37) % 1460 - 730)
        claims.append(
            Claim(
                statement=f"The {subject} number {i} will {verb} on time, the ministry says",
                speaker=f"Minister {speaker.name}" if i % 2 else speaker.name,
                speaker_ref=speaker,
                status=cycle[i % len(cycle)],
                status_changed_at=now - dt.timedelta(minutes=i % 10000),
                deadline_earliest=latest,
                deadline_latest=latest,
                deadline_text="by the end of the month" if latest else "",
                deadline_rule="'by the end of the month' read against the article of the day",
                needs_review=i % 40 == 0,
                first_seen_at=now,
                last_mentioned_at=now,
            )
        )
    claims = Claim.objects.bulk_create(claims, batch_size=5000)
    articles = Article.objects.bulk_create(
        [
            Article(
                canonical_url=f"https://outlet{i % 40}.example/story-{i}",
                url=f"https://outlet{i % 40}.example/story-{i}",
                title=f"Story {i}",
                outlet=f"Outlet {i % 40}",
                text="An invented report.",
                published_at=now - dt.timedelta(hours=i % 5000),
            )
            for i in range(total // 4)
        ],
        batch_size=5000,
    )
    mentions = []
    for i, claim in enumerate(claims):
        sentence = f"{claim.speaker} said {claim.statement.lower()} by the end of the month."
        for extra in (0, 1) if i % 5 == 0 else (0,):
            article = articles[(i * 3 + extra * 7) % len(articles)]
            mentions.append(
                ClaimMention(
                    article=article,
                    claim=claim,
                    start=i * 400 + extra * 200,  # unique spans whatever the article
                    end=i * 400 + extra * 200 + 150,
                    sentence=sentence,
                    speaker=claim.speaker,
                    timex_text="the end of the month",
                    deadline_earliest=claim.deadline_earliest,
                    deadline_latest=claim.deadline_latest,
                )
            )
    # bulk_create sends no post_save signal: the review flags above stand as they are.
    ClaimMention.objects.bulk_create(mentions, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _editor():
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username="bench-editor", password=None, is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))  # made by migration 0009
    return user


def _measure(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: templates, caches, the first plan
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> int:
    os.environ["DATABASE_URL"] = _database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import OperationalError, connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    try:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1")
    except OperationalError as exc:
        print(f"admin.claim_list skipped: PostgreSQL does not answer ({exc})")
        return 0
    setup_test_environment()  # the test client's 'testserver' host, in-memory mail
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        total = int(os.environ.get("BENCH_CLAIMS", "100000"))
        runs = int(os.environ.get("BENCH_ADMIN_RUNS", "5"))
        started = time.perf_counter()
        _load(total)
        load_s = time.perf_counter() - started
        client = Client()
        client.force_login(_editor())
        for name, url in (
            ("admin.claim_list", "/admin/claims/claim/"),
            ("admin.claim_list_lapsed", "/admin/claims/claim/?deadline=lapsed_recent"),
            ("admin.claim_list_search", "/admin/claims/claim/?q=tunnel+number+4242"),
            ("admin.speaker_list", "/admin/claims/speaker/"),
            ("admin.dashboard", "/admin/claims/dashboard/"),
        ):
            ms, queries = _measure(client, url, runs)
            extra = f" load_s={load_s:.1f}" if name == "admin.claim_list" else ""
            print(f"{name} claims={total} ms_p50={ms:.0f} queries={queries}{extra}", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
