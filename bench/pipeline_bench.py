"""Benchmark the whole pipeline against raw spaCy on the same generated wire copy.

Run by `make bench` (or `python bench/pipeline_bench.py`). Needs PostgreSQL; exits 0 with a
message when it does not answer. One process throughout (the same process count for every
figure), eager Celery (no broker: `import_articles` hands each batch on inline).

1. Generate BENCH_PIPELINE_ARTICLES (default 300) invented wire stories (our own templates
   and names, seed `SEED`): storylines of dated promises restated by several outlets over
   weeks (Zipf: a few storylines in dozens of articles, most in one or two), with quotes,
   background paragraphs and reports of what happened.
2. Raw spaCy: `nlp.pipe` over the texts with the model the pipeline loads
   (settings.SPACY_MODEL), with the same components enabled -> words/s.
3. `manage.py import_articles FILE` into an empty scratch database -> words/s.
4. `manage.py replay FILE` into an empty scratch database -> words/s.
5. A worker's per-article latency: each article stored, then `process_article` timed alone
   (one `nlp()` per article, as the `claims.process_article` task does) -> p50 / p95 ms,
   and the database queries of one article.

The scratch database is `<name>_pipeline` of $BENCH_DATABASE_URL, else $DATABASE_URL when it
names PostgreSQL, else postgres://postgres@127.0.0.1:5432/claimwatch_bench; it is created,
migrated and emptied between steps (never the named database itself).

Prints one table: figure, value, target, command; then `pipeline.* key=value` lines.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.postgres import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/claimwatch_bench"
N_ARTICLES = int(os.environ.get("BENCH_PIPELINE_ARTICLES", "300"))
SEED = 15
RATIO_TARGET = 0.7

# ---------------------------------------------------------------------------
# Generated wire copy (invented names and places; no real article text)
# ---------------------------------------------------------------------------

OUTLETS = ["Harbour Wire", "Northgate Post", "The Lowland Courier", "Meridian News", "Vale Daily"]
CITIES = ["MILLBROOK", "ESKHAVEN", "TORVALE", "CARRAN BAY", "OSTMERE", "LINDFORD", "BRASKWICK"]
COUNTRIES = ["Kaldora", "Velmaris", "Sarnesse", "Ostrava Minor", "Quellan", "Drevonia"]
FIRST = ["Ines", "Tomasz", "Anwen", "Odile", "Rafael", "Mirela", "Jonas", "Priya", "Caspar"]
LAST = ["Marlowe", "Evers", "Pryce", "Fenwick", "Quint", "Sand", "Achterberg", "Lindqvist", "Holm"]
ROLES = [
    "finance minister", "transport minister", "chief executive", "council leader",
    "energy minister", "port director", "union leader", "health minister",
]  # fmt: skip
COMPANIES = ["Corvane Energy", "Lisk Motors", "Tarrow Shipping", "Helmgard Rail", "Ossing Steel"]
PROJECTS = [
    ("open", "the new ferry terminal", "opened"),
    ("complete", "the bypass", "completed"),
    ("sign", "the fisheries agreement", "signed"),
    ("publish", "the budget review", "published"),
    ("finish", "the flood barrier", "finished"),
    ("lift", "the tariffs on steel imports", "lifted"),
    ("start", "construction of the tram extension", "started"),
    ("approve", "the wage agreement", "approved"),
    ("launch", "the broadband scheme", "launched"),
    ("close", "the coal plant", "closed"),
    ("reopen", "the border crossing", "reopened"),
    ("ratify", "the water treaty", "ratified"),
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
FORECAST_FRAMES = [
    "{speaker}, the {role}, said on {weekday} that {subject} would {verb} {project} {deadline}.",
    "{subject} will {verb} {project} {deadline}, {speaker} said on {weekday}.",
    "“We will {verb} {project} {deadline},” {surname} told reporters in {city}.",
    "{speaker} promised that {subject} would {verb} {project} {deadline}, "
    "despite objections from {country}.",
    "{subject} expects to {verb} {project} {deadline}, according to {speaker}, the {role}.",
    "{surname} said {subject} was on track to {verb} {project} {deadline}.",
]
DEADLINES = [
    ("by {day} {month}", 30),
    ("by the end of {month}", 40),
    ("before the end of the year", 120),
    ("within two weeks", 14),
    ("by next spring", 150),
    ("in the coming weeks", 21),
    ("by {month} {day}", 60),
]
BACKGROUND = [
    "Work on {project} began two years ago and has been delayed twice by disputes over "
    "funding and planning permission.",
    "Residents have complained about noise, dust and road closures since the spring, and a "
    "petition against the scheme gathered more than four thousand signatures.",
    "The project is funded partly by a regional grant agreed last year and partly by loans "
    "from a consortium of banks led by {company}.",
    "Opposition members said they would believe it when they saw it, pointing to a string of "
    "missed targets over the past decade.",
    "A public meeting on the plans drew more than two hundred people in {month}, many of them "
    "shop owners worried about lost trade during the works.",
    "{company} declined to say how much the delays had cost so far, citing commercial "
    "confidentiality.",
    "Analysts at {company} said the timetable looked ambitious but achievable if the weather "
    "held and suppliers delivered on time.",
    "The government of {country} has raised concerns about the environmental impact and asked "
    "for an independent review of the latest plans.",
    "Shares in {company} rose 2.4 percent in early trading after the announcement, recovering "
    "part of last week's losses.",
    "The dispute has strained relations between the two capitals, with officials trading "
    "accusations of bad faith in recent months.",
]
EVENT_FRAMES = [
    "{subject} {past} {project} on {weekday}, officials said.",
    "{speaker} confirmed on {weekday} that {subject} had {past} {project}.",
]
QUOTE_FRAMES = [
    "“This is a matter of trust,” {surname} said. “People have waited long enough, and we "
    "intend to deliver what we promised.”",
    "“We have had our difficulties, but the hard part is behind us,” said {speaker}, who took "
    "office last year after a bruising leadership contest.",
    "“Nobody should be under any illusion about how difficult this has been,” {surname} told "
    "a news conference, flanked by officials from {country}.",
]


@dataclass(frozen=True)
class Story:
    speaker: str
    role: str
    subject: str
    verb: str
    project: str
    past: str
    country: str
    company: str
    deadline_days: int
    deadline_text: str
    start: datetime


def _stories(rng: random.Random, count: int) -> list[Story]:
    base = datetime(2026, 2, 2, 7, tzinfo=UTC)
    stories = []
    for _ in range(count):
        verb, project, past = rng.choice(PROJECTS)
        template, days = rng.choice(DEADLINES)
        start = base + timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 600))
        due = start + timedelta(days=days)
        deadline = template.format(day=due.day, month=MONTHS[due.month - 1])
        country = rng.choice(COUNTRIES)
        subject = rng.choice([country, f"the government of {country}", rng.choice(COMPANIES)])
        stories.append(
            Story(
                speaker=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                role=rng.choice(ROLES),
                subject=subject,
                verb=verb,
                project=f"{project} in {rng.choice(CITIES).title()}",
                past=past,
                country=country,
                company=rng.choice(COMPANIES),
                deadline_days=days,
                deadline_text=deadline,
                start=start,
            )
        )
    return stories


def _fill(frame: str, story: Story, rng: random.Random) -> str:
    text = frame.format(
        speaker=story.speaker,
        surname=story.speaker.split()[-1],
        role=story.role,
        weekday=rng.choice(WEEKDAYS),
        subject=story.subject,
        verb=story.verb,
        project=story.project,
        past=story.past,
        deadline=story.deadline_text,
        city=rng.choice(CITIES).title(),
        country=story.country,
        company=story.company,
        month=rng.choice(MONTHS),
    )
    return text[:1].upper() + text[1:]


def generate_articles(count: int, *, seed: int = SEED) -> list[dict]:
    """`count` import_articles records: count/3 storylines told by several outlets, a few
    big ones in many articles and a long tail in one or two (Zipf, like news)."""
    rng = random.Random(seed)
    stories = _stories(rng, max(1, count // 3))
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(stories))]
    records = []
    for index in range(count):
        story, other = rng.choices(stories, weights=weights, k=2)
        published = story.start + timedelta(hours=rng.randint(0, 24 * story.deadline_days + 240))
        outlet = rng.choice(OUTLETS)
        reported = published > story.start + timedelta(days=story.deadline_days)
        paragraphs = [
            f"{rng.choice(CITIES)}, {MONTHS[published.month - 1][:3]}. {published.day} — "
            + _fill(rng.choice(FORECAST_FRAMES), story, rng)
        ]
        if reported:
            paragraphs.append(_fill(rng.choice(EVENT_FRAMES), story, rng))
        paragraphs.append(_fill(rng.choice(QUOTE_FRAMES), story, rng))
        background = rng.sample(BACKGROUND, 8)
        for first, second in zip(background[::2], background[1::2], strict=True):
            paragraphs.append(_fill(first, story, rng) + " " + _fill(second, other, rng))
        paragraphs.insert(4, _fill(rng.choice(FORECAST_FRAMES), other, rng))
        paragraphs.append(_fill(rng.choice(QUOTE_FRAMES), other, rng))
        records.append(
            {
                "url": f"https://{outlet.lower().replace(' ', '')}.example/story/{index}",
                "title": f"{story.subject[:1].upper()}{story.subject[1:]} to {story.verb} "
                f"{story.project} {story.deadline_text}",
                "published": published.isoformat(),
                "text": "\n\n".join(paragraphs),
                "outlet": outlet,
            }
        )
    records.sort(key=lambda record: record["published"])
    return records


# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    url = url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_URL
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_pipeline"))


def empty_database() -> None:
    """Every table of the scratch database emptied; per-process key counts forgotten."""
    from django.core.management import call_command

    from claims.matching.candidates import clear_doc_freq_cache

    call_command("flush", interactive=False, verbosity=0)
    clear_doc_freq_cache()


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def raw_pipeline():
    """The model the pipeline uses, with the components the pipeline enables (ours left out)."""
    import spacy
    from django.conf import settings

    from claims.extraction import get_nlp

    enabled = [name for name in get_nlp().pipe_names if not name.startswith("claimwatch_")]
    raw = spacy.load(settings.SPACY_MODEL)
    for name in raw.pipe_names:
        if name not in enabled:
            raw.disable_pipe(name)
    return raw


def raw_spacy_seconds(raw, texts: list[str]) -> float:
    list(raw.pipe(texts[:8]))
    return timed(lambda: list(raw.pipe(texts, batch_size=32)))


def extraction_seconds(records: list[dict]) -> float:
    """`extract_claims_batch` alone (spaCy and the extraction stage, no database)."""
    from claims.extraction import ArticleInput
    from claims.pipeline import extract_articles

    inputs = [
        ArticleInput(r["text"], datetime.fromisoformat(r["published"]), r["outlet"])
        for r in records
    ]
    return timed(lambda: extract_articles(inputs))


def command_seconds(*args: str) -> float:
    from django.core.management import call_command

    empty_database()
    with open(os.devnull, "w") as quiet:
        return timed(lambda: call_command(*args, stdout=quiet, stderr=quiet))


def worker_latencies(records: list[dict]) -> tuple[list[float], list[int]]:
    """`process_article` alone for each stored article, in publication order (ms, queries)."""
    from django.db import connection

    from claims.pipeline import process_article
    from sources.ingestion import archive_source, parse_import_line, upsert_article
    from sources.models import Article

    empty_database()
    latencies, queries = [], []
    for record in records:
        parsed, _ = parse_import_line(json.dumps(record).encode())
        result = upsert_article(
            parsed, source=archive_source(parsed.outlet), fetched_at=parsed.published
        )
        article = Article.objects.get(pk=result.article_id)
        counted = [0]

        def count(execute, sql, params, many, context, counted=counted):
            counted[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            process_article(article, now=parsed.published)
            latencies.append((time.perf_counter() - started) * 1000)
        queries.append(counted[0])
    return latencies, queries


def main() -> int:
    url = database_url()
    problem = ensure_database(url)
    if problem is not None:
        print(f"pipeline bench skipped: PostgreSQL unreachable at {url} ({problem})")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    records = generate_articles(N_ARTICLES)
    texts = [record["text"] for record in records]
    words = sum(len(text.split()) for text in texts)
    folder = Path(tempfile.mkdtemp(prefix="claimwatch-pipeline-"))
    archive = folder / "articles.jsonl"
    archive.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")

    # Warm-up: load the model and the pipeline's lazy tables once, outside every timing.
    from claims.extraction import extract_claims, get_nlp

    get_nlp()
    extract_claims(texts[0], published=datetime(2026, 3, 1, tzinfo=UTC))

    # The machine's cores are shared: raw spaCy is timed before and after the pipeline runs
    # and the faster run is the reference (the ratios err on the low side).
    raw = raw_pipeline()
    raw_runs = [raw_spacy_seconds(raw, texts)]
    extract_s = extraction_seconds(records)
    import_s = command_seconds("import_articles", str(archive))
    from claims.models import Claim, ClaimMention

    mentions, claims = ClaimMention.objects.count(), Claim.objects.count()
    replay_s = command_seconds("replay", str(archive))
    latencies, queries = worker_latencies(records)
    raw_runs.append(raw_spacy_seconds(raw, texts))
    raw_s = min(raw_runs)

    raw_wps, import_wps, replay_wps = words / raw_s, words / import_s, words / replay_s
    extract_wps = words / extract_s
    rows = [
        ("raw nlp.pipe words/s", f"{raw_wps:,.0f}", "-", "nlp.pipe(texts, batch_size=32)"),
        ("extraction only words/s", f"{extract_wps:,.0f}", "-", "extract_claims_batch"),
        ("extraction only / raw", f"{extract_wps / raw_wps:.2f}", "-", "ratio (no database)"),
        ("import_articles words/s", f"{import_wps:,.0f}", "-", "manage.py import_articles FILE"),
        ("import_articles / raw", f"{import_wps / raw_wps:.2f}", f">= {RATIO_TARGET}", "ratio"),
        ("replay words/s", f"{replay_wps:,.0f}", "-", "manage.py replay FILE"),
        ("replay / raw", f"{replay_wps / raw_wps:.2f}", f">= {RATIO_TARGET}", "ratio"),
        ("worker process_article p50 ms", f"{statistics.median(latencies):.0f}", "report",
         "claims.process_article task"),
        ("worker process_article p95 ms", f"{percentile(latencies, 0.95):.0f}", "report",
         "claims.process_article task"),
        ("queries per article p50 / max", f"{statistics.median(queries):.0f} / {max(queries)}",
         "constant", "process_article"),
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("figure", "value", "target", "command")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(
        f"pipeline.speed articles={len(records)} words={words} raw_words_per_s={raw_wps:.0f} "
        f"raw_runs_s={'/'.join(f'{run:.1f}' for run in raw_runs)} "
        f"extraction_words_per_s={extract_wps:.0f} extraction_ratio={extract_wps / raw_wps:.2f} "
        f"import_words_per_s={import_wps:.0f} import_ratio={import_wps / raw_wps:.2f} "
        f"replay_words_per_s={replay_wps:.0f} replay_ratio={replay_wps / raw_wps:.2f} "
        f"mentions={mentions} claims={claims}"
    )
    print(
        f"pipeline.worker articles={len(latencies)} p50_ms={statistics.median(latencies):.1f} "
        f"p95_ms={percentile(latencies, 0.95):.1f} queries_p50={statistics.median(queries):.0f} "
        f"queries_max={max(queries)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
