"""Polling stage (DB + network): which sources are due, poll one, re-fetch articles for edits.

Network I/O (`sources.fetching`) and extraction (`sources.normalize`) always happen outside
database transactions; each write is a short transaction of its own. A poll never raises for
a fetch problem: it records it on the source (health) or on the article (`fetch_error`) and
goes on with the next entry. Fetch errors, 404s and consent walls are source health only;
they never reach the claims side.

Source health after a poll:

- success: `consecutive_failures = 0`, `next_poll_at = now + interval`.
- failure number n: `next_poll_at = now + delay`, where
  `delay = min(interval * 2 ** (n - 1) * (1 + U(0, 0.25)), SOURCE_MAX_BACKOFF_MINUTES)` and a
  server's Retry-After (429, 503) raises it to at least that many seconds (same cap).
- pause: at `SOURCE_MAX_FAILURES` consecutive failures, or at once for errors that cannot heal
  by waiting: a URL the SSRF guard refuses (scheme or address) and HTTP 410 Gone. A paused
  source is skipped until an editor resumes it in admin. Other "permanent" errors (404, 403,
  too large, not a feed) back off like the rest: sites fix feeds, and pausing is the cap.
- entry pages: a failing article page is the article's problem (logged with its URL, kept in
  `fetch_error` when the article is stored, listed in the source's `last_error`) and does not
  count as a source failure, unless every page a poll tried failed (a consent wall on all
  of them, say): then the source is failing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from sources.fetching import (
    HTML_ACCEPT,
    BlockedURLError,
    FeedEntry,
    FetchedFeed,
    FetchError,
    FetchPolicy,
    FetchResult,
    HTTPStatusError,
    fetch,
    fetch_feed,
    fetch_sitemap,
)
from sources.ingestion import ArticleRecord, UpsertResult, upsert_article
from sources.models import Article, ArticleSource, ArticleVersion, Source
from sources.normalize import ExtractedArticle, ExtractionError, canonical_url, extract_article
from sources.tasks import task_poll_source as poll_source_task
from sources.tasks import task_refetch_article as refetch_article_task

logger = logging.getLogger(__name__)

# Beat enqueues due sources every minute; a queued or running poll holds its source this long
# so it is not enqueued again meanwhile. A lost message costs one lease of delay, no more.
POLL_LEASE = dt.timedelta(minutes=15)
REFETCH_LEASE = dt.timedelta(minutes=30)
# Jitter spreads the retries of many sources that failed together (one host down).
BACKOFF_JITTER = 0.25
# A child sitemap list longer than this is read over several polls, newest first.
MAX_CHILD_SITEMAPS = 10
# A re-fetched text shorter than this share of the stored one is a wall (paywall, consent
# banner, error page served as 200), not an edit: recording it would "remove" every claim.
MIN_EDIT_LENGTH_RATIO = 0.3
# Errors shown on a source: enough to see the pattern, short enough for the admin list.
MAX_ERRORS_SHOWN = 3


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def max_entries_per_poll() -> int:
    """Entry pages fetched per poll at most (SOURCE_MAX_ENTRIES_PER_POLL, default 100)."""
    return int(_setting("SOURCE_MAX_ENTRIES_PER_POLL", 100))


def poll_budget_seconds() -> float:
    """Seconds one poll may spend on entry pages (SOURCE_POLL_BUDGET_SECONDS, default 240).

    Below the Celery soft time limit (300 s): entries left over wait for the next poll.
    """
    return float(_setting("SOURCE_POLL_BUDGET_SECONDS", 240))


def max_backoff() -> dt.timedelta:
    """The longest wait between polls of a failing source (SOURCE_MAX_BACKOFF_MINUTES, 1440)."""
    return dt.timedelta(minutes=int(_setting("SOURCE_MAX_BACKOFF_MINUTES", 24 * 60)))


# --- Outcomes and timings -----------------------------------------------------------------


@dataclass
class StageTimings:
    """Milliseconds spent per stage, one value per article (per listing for `listing`)."""

    listing: list[float] = field(default_factory=list)
    fetch: list[float] = field(default_factory=list)
    extract: list[float] = field(default_factory=list)
    db: list[float] = field(default_factory=list)
    enqueue: list[float] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            getattr(self, name).append((time.perf_counter() - started) * 1000)

    def as_dict(self) -> dict[str, list[float]]:
        return {
            "listing": self.listing,
            "fetch": self.fetch,
            "extract": self.extract,
            "db": self.db,
            "enqueue": self.enqueue,
        }


@dataclass
class PollOutcome:
    """What one poll did; `ok` is the source's health verdict, entry errors aside."""

    source_id: int
    ok: bool = True
    not_modified: bool = False
    skipped: bool = False  # not due: another poll holds the source
    entries: int = 0  # entries listed
    known: int = 0  # listed, already stored and not newer: linked, not fetched
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # entry pages that could not be fetched or extracted
    deferred: int = 0  # over the per-poll limit or time budget: next poll
    error: str = ""
    entry_errors: list[str] = field(default_factory=list)
    paused: bool = False
    next_poll_at: dt.datetime | None = None
    timings: StageTimings = field(default_factory=StageTimings)

    def summary(self) -> str:
        if self.skipped:
            return "skipped (another poll holds it)"
        if not self.ok:
            state = "paused" if self.paused else f"next poll {self.next_poll_at:%Y-%m-%d %H:%M}"
            return f"failed: {self.error} ({state})"
        if self.not_modified:
            return "not modified (304)"
        text = (
            f"{self.entries} listed, {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.known} known, {self.failed} failed"
        )
        if self.deferred:
            text += f", {self.deferred} deferred"
        return text

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (the poll task's return value)."""
        return {
            "source_id": self.source_id,
            "ok": self.ok,
            "not_modified": self.not_modified,
            "skipped": self.skipped,
            "entries": self.entries,
            "known": self.known,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "deferred": self.deferred,
            "error": self.error,
            "paused": self.paused,
            "timings_ms": self.timings.as_dict(),
        }


@dataclass(frozen=True)
class _Planned:
    """A feed entry to fetch; `article` is set when it re-fetches a stored article."""

    entry: FeedEntry
    article: Article | None


class _EntryFailure(Exception):
    """An entry page failed; the message names the URL. `transient` asks for a retry."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


# --- Scheduling ---------------------------------------------------------------------------


def due_sources(now: dt.datetime | None = None) -> QuerySet[Source]:
    """Active, unpaused, polled sources whose next poll time has come (or never polled)."""
    now = now or timezone.now()
    return Source.objects.filter(
        is_active=True, paused_at__isnull=True, kind__in=Source.POLLED_KINDS
    ).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))


def enqueue_due_sources(now: dt.datetime | None = None) -> int:
    """Enqueue one poll task per due source, after commit; return how many.

    Each enqueued source is leased (`next_poll_at` moved POLL_LEASE ahead) in the same
    transaction, so the next minute's beat does not enqueue it again while it waits or runs.
    Rows are locked with SKIP LOCKED: two schedulers never enqueue one source twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            due_sources(now).select_for_update(skip_locked=True).values_list("pk", flat=True)
        )
        Source.objects.filter(pk__in=ids).update(next_poll_at=now + POLL_LEASE)
        for source_id in ids:
            transaction.on_commit(partial(poll_source_task.delay, source_id=source_id))
    return len(ids)


def backoff_delay(
    *, failures: int, interval_minutes: int, retry_after: float | None = None
) -> dt.timedelta:
    """How long a source that failed `failures` times in a row waits before the next poll.

    Exponential from the source's own interval, with up to 25 % jitter, at most
    `max_backoff()`; never shorter than the server's Retry-After (also capped).
    """
    base = max(1, interval_minutes) * 60.0 * 2 ** (max(1, failures) - 1)
    seconds = base * (1 + random.uniform(0, BACKOFF_JITTER))  # noqa: S311 - jitter, not secrets
    if retry_after is not None:
        seconds = max(seconds, retry_after)
    return min(dt.timedelta(seconds=seconds), max_backoff())


def pause_reason(error: FetchError, *, failures: int) -> str:
    """Why a source is paused after `error`, or "" when it should keep retrying."""
    if isinstance(error, BlockedURLError):
        return f"Paused at once: the fetcher refuses this URL. {error}"
    if isinstance(error, HTTPStatusError) and error.status == 410:
        return f"Paused at once: the server says the feed is gone. {error}"
    limit = int(_setting("SOURCE_MAX_FAILURES", 8))
    if failures >= limit:
        return f"Paused after {failures} consecutive failures. Last: {error}"
    return ""


def record_poll_success(
    source: Source,
    *,
    now: dt.datetime,
    etag: str | None = None,
    last_modified: str | None = None,
    entry_errors: list[str] | None = None,
) -> None:
    """Mark `source` healthy and schedule its next poll at now + its interval.

    `etag`/`last_modified` are stored for the next conditional GET when given (None keeps
    the old ones). Entry errors are shown in `last_error` but do not count as failures.
    """
    source.last_polled_at = now
    source.last_success_at = now
    source.consecutive_failures = 0
    source.next_poll_at = now + dt.timedelta(minutes=source.poll_interval_minutes)
    fields = ["last_polled_at", "last_success_at", "consecutive_failures", "next_poll_at"]
    if etag is not None:
        source.etag = etag[:500]
        fields.append("etag")
    if last_modified is not None:
        source.last_modified = last_modified[:100]
        fields.append("last_modified")
    if entry_errors:
        source.last_error = _describe_entry_errors(entry_errors)
        source.last_error_at = now
        fields += ["last_error", "last_error_at"]
    source.save(update_fields=[*fields, "updated_at"])


def record_poll_failure(source: Source, error: FetchError, *, now: dt.datetime) -> None:
    """Count a failed poll on `source`: back off, and pause it when the policy says so."""
    source.refresh_from_db(fields=["consecutive_failures", "poll_interval_minutes"])
    failures = source.consecutive_failures + 1
    retry_after = error.retry_after if isinstance(error, HTTPStatusError) else None
    source.last_polled_at = now
    source.last_error = str(error)
    source.last_error_at = now
    source.consecutive_failures = failures
    source.next_poll_at = now + backoff_delay(
        failures=failures, interval_minutes=source.poll_interval_minutes, retry_after=retry_after
    )
    fields = [
        "last_polled_at",
        "last_error",
        "last_error_at",
        "consecutive_failures",
        "next_poll_at",
    ]
    reason = pause_reason(error, failures=failures)
    if reason:
        source.paused_at = now
        source.paused_reason = reason
        fields += ["paused_at", "paused_reason"]
        logger.warning("source %s (%s) paused: %s", source.pk, source.url, reason)
    else:
        logger.info(
            "source %s (%s) failed (%s in a row): %s", source.pk, source.url, failures, error
        )
    source.save(update_fields=[*fields, "updated_at"])


def _describe_entry_errors(errors: list[str]) -> str:
    shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
    more = f" (and {len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > MAX_ERRORS_SHOWN else ""
    return f"{len(errors)} article page(s) failed: {shown}{more}"


# --- Polling ------------------------------------------------------------------------------


def poll_source(
    source: Source,
    *,
    now: dt.datetime | None = None,
    policy: FetchPolicy | None = None,
) -> PollOutcome:
    """Poll one feed, page or sitemap source and store what is new or changed.

    1. Conditional GET of the source URL with its stored ETag / Last-Modified. A failure
       here is the source's: it backs off or is paused (see the module docstring).
    2. Feeds and sitemaps: entries whose article is stored (by this source's guid or by
       canonical URL) are only linked to the source, unless the entry's date is newer than
       our last fetch. The others are fetched newest first, at most
       `max_entries_per_poll()` within `poll_budget_seconds()`, extracted and upserted.
       A failing entry page is logged with its URL (and recorded on its article if stored)
       and never stops the other entries; only a poll where every fetched entry failed
       counts as a source failure. New validators are stored only when nothing was left
       for later (no transient failure, nothing deferred), so a 304 never hides an entry
       that still needs fetching.
    3. Pages: the page itself is the article.
    New and changed articles go to claim extraction after commit (`store_article`).
    Never raises for fetch or extraction errors; returns what happened.
    """
    now = now or timezone.now()
    policy = policy or FetchPolicy.from_settings()
    if source.kind not in Source.POLLED_KINDS:
        raise ValueError(f"source {source.pk} is a {source.kind} source; it is not polled")
    outcome = PollOutcome(source_id=source.pk)
    try:
        if source.kind == Source.Kind.PAGE:
            _poll_page(source, now=now, policy=policy, outcome=outcome)
        else:
            _poll_listing(source, now=now, policy=policy, outcome=outcome)
    except (DatabaseError, SoftTimeLimitExceeded):
        raise  # the task retries database errors; a time limit ends the poll
    except Exception as error:
        if not isinstance(error, FetchError):
            # A parser bug on an odd feed: still the source's health, with the traceback logged.
            logger.exception("source %s: poll failed unexpectedly", source.pk)
            error = FetchError(f"Unexpected {type(error).__name__}: {error}", url=source.url)
        record_poll_failure(source, error, now=now)
        outcome.ok, outcome.error = False, str(error)
        outcome.paused = source.paused_at is not None
    outcome.next_poll_at = source.next_poll_at
    logger.info("polled source %s (%s): %s", source.pk, source.name, outcome.summary())
    return outcome


def _poll_listing(
    source: Source, *, now: dt.datetime, policy: FetchPolicy, outcome: PollOutcome
) -> None:
    with outcome.timings.stage("listing"):
        listing = _fetch_listing(source, policy=policy)
    if listing.not_modified:
        outcome.not_modified = True
        record_poll_success(source, now=now)
        return
    entries = listing.entries
    if listing.sitemaps:
        entries, child_errors = _child_sitemap_entries(listing, source=source, policy=policy)
        outcome.entry_errors += child_errors
    outcome.entries = len(entries)
    plan = _plan_entries(source, entries, outcome=outcome)

    deadline = time.monotonic() + poll_budget_seconds()
    transient_failures = 0
    for index, planned in enumerate(plan):
        if index >= max_entries_per_poll() or time.monotonic() > deadline:
            outcome.deferred = len(plan) - index
            break
        try:
            result = _ingest_entry(source, planned, now=now, policy=policy, outcome=outcome)
        except _EntryFailure as failure:
            outcome.failed += 1
            outcome.entry_errors.append(str(failure))
            transient_failures += failure.transient
            continue
        _count(outcome, result)

    attempted = len(plan) - outcome.deferred
    if attempted and outcome.failed == attempted:
        # Nothing could be stored (a consent wall on every page, say): the source is failing.
        first = outcome.entry_errors[0] if outcome.entry_errors else "no entries stored"
        raise FetchError(f"All {outcome.failed} article page(s) failed; first: {first}")
    complete = not (transient_failures or outcome.deferred)
    record_poll_success(
        source,
        now=now,
        etag=listing.etag if complete else None,
        last_modified=listing.last_modified if complete else None,
        entry_errors=outcome.entry_errors,
    )


def _fetch_listing(source: Source, *, policy: FetchPolicy) -> FetchedFeed:
    fetcher = fetch_sitemap if source.kind == Source.Kind.SITEMAP else fetch_feed
    return fetcher(
        source.url,
        etag=source.etag,
        last_modified=source.last_modified,
        policy=policy,
        ignore_robots=source.ignore_robots,
    )


def _child_sitemap_entries(
    index: FetchedFeed, *, source: Source, policy: FetchPolicy
) -> tuple[tuple[FeedEntry, ...], list[str]]:
    """Entries of the first MAX_CHILD_SITEMAPS child sitemaps of a sitemap index."""
    entries: list[FeedEntry] = []
    errors: list[str] = []
    for url in index.sitemaps[:MAX_CHILD_SITEMAPS]:
        try:
            entries += fetch_sitemap(url, policy=policy, ignore_robots=source.ignore_robots).entries
        except FetchError as error:
            logger.warning("source %s: child sitemap %s failed: %s", source.pk, url, error)
            errors.append(f"{url}: {error}")
    return tuple(entries), errors


def _plan_entries(
    source: Source, entries: tuple[FeedEntry, ...], *, outcome: PollOutcome
) -> list[_Planned]:
    """The entries to fetch, newest first; link known ones to `source` without fetching.

    An entry is known when this source listed its guid before or its canonical URL is
    stored; it is fetched again only when its date is newer than our last fetch of it.
    """
    by_canonical: dict[str, FeedEntry] = {}
    for entry in entries:
        try:
            by_canonical.setdefault(canonical_url(entry.link), entry)
        except ValueError:
            outcome.entry_errors.append(f"{entry.link}: not an http(s) URL")
    guids = [entry.guid for entry in by_canonical.values() if entry.guid]
    article_by_guid = dict(
        ArticleSource.objects.filter(source=source, guid__in=guids).values_list(
            "guid", "article_id"
        )
    )
    # Only what planning needs: a feed is re-read every poll and most entries are known.
    known = Article.objects.filter(
        Q(pk__in=list(article_by_guid.values())) | Q(canonical_url__in=list(by_canonical))
    ).only("id", "url", "canonical_url", "last_fetched_at")
    known_by_id = {article.pk: article for article in known}
    known_by_url = {article.canonical_url: article for article in known}
    linked = set(article_by_guid.values())
    plan: list[_Planned] = []
    links: list[ArticleSource] = []
    for canonical, entry in by_canonical.items():
        article = known_by_id.get(article_by_guid.get(entry.guid, 0)) or known_by_url.get(canonical)
        if article is None:
            plan.append(_Planned(entry=entry, article=None))
        elif _entry_is_newer(entry, article):
            plan.append(_Planned(entry=entry, article=article))
        else:
            outcome.known += 1
            if article.pk not in linked:
                links.append(ArticleSource(article=article, source=source, guid=entry.guid[:2000]))
    # One article in two feeds: link it to this source too (existing links are left alone).
    ArticleSource.objects.bulk_create(links, ignore_conflicts=True)
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    plan.sort(key=lambda planned: planned.entry.published or oldest, reverse=True)
    return plan


def _entry_is_newer(entry: FeedEntry, article: Article) -> bool:
    return bool(
        entry.published and article.last_fetched_at and entry.published > article.last_fetched_at
    )


def _ingest_entry(
    source: Source,
    planned: _Planned,
    *,
    now: dt.datetime,
    policy: FetchPolicy,
    outcome: PollOutcome,
) -> UpsertResult:
    """Fetch, extract and store one entry's page. Raises _EntryFailure, naming the URL."""
    entry, article = planned.entry, planned.article
    url = article.url if article is not None else entry.link
    try:
        with outcome.timings.stage("fetch"):
            page = fetch(url, policy=policy, accept=HTML_ACCEPT, ignore_robots=source.ignore_robots)
        with outcome.timings.stage("extract"):
            extracted = extract_article(page.text, page.final_url)
            record = article_record(page, extracted, entry=entry, source=source)
        if article is not None:
            record = replace(record, url=article.canonical_url)  # never fork a stored article
            check_not_a_wall(article.text, record.text, url=url)
        result = store_article(
            record, source=source, fetched_at=now, page=page, timings=outcome.timings
        )
    except (FetchError, ExtractionError, ValueError) as error:
        _record_article_fetch_error(article, error)
        transient = isinstance(error, FetchError) and not error.permanent
        logger.warning("source %s: entry %s failed: %s", source.pk, url, error)
        raise _EntryFailure(f"{url}: {error}", transient=transient) from error
    except (DatabaseError, SoftTimeLimitExceeded):
        raise  # the task retries database errors; a time limit ends the poll
    except Exception as error:
        # A parser bug on one odd page must not stop the feed; keep the traceback.
        logger.exception("source %s: entry %s failed unexpectedly", source.pk, url)
        _record_article_fetch_error(article, error)
        raise _EntryFailure(
            f"{url}: unexpected {type(error).__name__}: {error}", transient=False
        ) from error
    return result


def _poll_page(
    source: Source, *, now: dt.datetime, policy: FetchPolicy, outcome: PollOutcome
) -> None:
    outcome.entries = 1
    with outcome.timings.stage("fetch"):
        page = fetch(
            source.url,
            policy=policy,
            etag=source.etag,
            last_modified=source.last_modified,
            accept=HTML_ACCEPT,
            ignore_robots=source.ignore_robots,
        )
    if page.not_modified:
        outcome.not_modified = True
        record_poll_success(source, now=now)
        return
    try:
        with outcome.timings.stage("extract"):
            extracted = extract_article(page.text, page.final_url)
            record = article_record(page, extracted, entry=None, source=source)
    except ExtractionError as error:
        # A consent wall or index page instead of the article: the source's problem.
        raise FetchError(f"{error} (a consent wall or an index page?)", url=source.url) from error
    stored = Article.objects.filter(canonical_url=canonical_url(record.url)).first()
    if stored is not None:
        try:
            check_not_a_wall(stored.text, record.text, url=source.url)
        except ExtractionError as error:
            raise FetchError(str(error), url=source.url) from error
    result = store_article(
        record, source=source, fetched_at=now, page=page, timings=outcome.timings
    )
    _count(outcome, result)
    record_poll_success(source, now=now, etag=page.etag, last_modified=page.last_modified)


def _count(outcome: PollOutcome, result: UpsertResult) -> None:
    if result.created:
        outcome.new += 1
    elif result.changed:
        outcome.updated += 1
    else:
        outcome.unchanged += 1


def _record_article_fetch_error(article: Article | None, error: Exception) -> None:
    if article is not None:
        Article.objects.filter(pk=article.pk).update(
            fetch_error=str(error)[:2000], updated_at=timezone.now()
        )


# --- From a fetched page to a record ------------------------------------------------------


def article_record(
    page: FetchResult,
    extracted: ExtractedArticle,
    *,
    entry: FeedEntry | None = None,
    source: Source | None = None,
) -> ArticleRecord:
    """The record to store for a fetched page, with the best publication date we have.

    The URL is the page's canonical URL (rel=canonical honoured, tracking parameters gone).
    The date comes from page metadata, else the feed entry, else htmldate; see
    `choose_published`.
    """
    published, published_source = choose_published(extracted, entry)
    return ArticleRecord(
        url=canonical_url(page.final_url, page.text),
        title=extracted.title or (entry.title if entry else ""),
        published=published,
        text=extracted.text,
        outlet=source.display_outlet if source else "",
        author=extracted.author or (entry.author if entry else ""),
        guid=entry.guid if entry else page.final_url,
        published_source=published_source,
    )


def choose_published(
    extracted: ExtractedArticle, entry: FeedEntry | None
) -> tuple[dt.datetime | None, str]:
    """The publication datetime (tz-aware) and where it came from: page, feed or htmldate.

    Page metadata wins, but it gives only the day (midnight UTC); when the feed entry's
    timestamp falls on that same day, the feed's time of day is kept ("feed").
    """
    feed_date = entry.published if entry else None
    if extracted.published_source == "metadata" and extracted.published is not None:
        if feed_date is not None and feed_date.astimezone(dt.UTC).date() == (
            extracted.published.astimezone(dt.UTC).date()
        ):
            return feed_date, "feed"
        return extracted.published, "page"
    if feed_date is not None:
        return feed_date, "feed"
    if extracted.published is not None:
        return extracted.published, extracted.published_source or "htmldate"
    return None, ""


def check_not_a_wall(old_text: str, new_text: str, *, url: str) -> None:
    """Raise ExtractionError when a re-fetched text looks like a wall, not an edit.

    A text shorter than MIN_EDIT_LENGTH_RATIO of the stored one is a paywall, a consent
    banner or an error page served with 200; storing it would "remove" every sentence.
    """
    if old_text and len(new_text.strip()) < MIN_EDIT_LENGTH_RATIO * len(old_text.strip()):
        raise ExtractionError(
            f"Page text at {url} shrank from {len(old_text)} to {len(new_text)} characters "
            "(a paywall or consent wall?); not stored as an edit"
        )


# --- Storing and handing on ---------------------------------------------------------------


def store_article(
    record: ArticleRecord,
    *,
    source: Source,
    fetched_at: dt.datetime,
    page: FetchResult | None = None,
    timings: StageTimings | None = None,
    hand_on_now: bool = True,
) -> UpsertResult:
    """Upsert `record` and hand a new or changed article on to the claims side.

    1. `upsert_article` in a transaction (it handles a concurrent insert of the same article).
    2. For a page fetched from the web (`page` given): keep its ETag/Last-Modified for the
       next re-fetch, clear `fetch_error`, and on creation schedule the first re-fetch
       (`ARTICLE_REFETCH_SCHEDULE`). Imports and pasted articles are not re-fetched.
    3. After commit, a new or changed article is handed to the claims side as its own
       task (`hand_on`), so one bad article never blocks its feed. A bulk import passes
       `hand_on_now=False` and hands a batch on at once (`hand_on_many`).
    """
    timings = timings or StageTimings()
    with timings.stage("db"), transaction.atomic():
        result = upsert_article(record, source=source, fetched_at=fetched_at)
        if page is not None:
            _note_web_fetch(result, page=page, fetched_at=fetched_at)
    if hand_on_now:
        with timings.stage("enqueue"):
            hand_on(result)
    return result


def _note_web_fetch(result: UpsertResult, *, page: FetchResult, fetched_at: dt.datetime) -> None:
    updates: dict[str, Any] = {
        "etag": page.etag[:500],
        "last_modified": page.last_modified[:100],
        "fetch_error": "",
    }
    if result.created:
        updates["next_refetch_at"] = next_refetch_at(fetched_at, now=fetched_at)
    Article.objects.filter(pk=result.article_id).update(**updates)


def hand_on(result: UpsertResult) -> None:
    """After commit, hand a new or changed article to the claims side as its own task.

    - An edit that removed or changed sentences goes to `claims.handle_article_edit`, which
      marks the affected mentions (retraction proposals) and then processes the new text.
    - Any other new or changed article goes to `claims.process_article`.
    Inline on the embedded default (eager Celery). `robust`: a failure to enqueue (broker
    away) is logged and does not stop the poll that stored the article; the article keeps
    `processed_hash != content_hash`, so a sweep can find it.
    """
    hand_off = _hand_off(result)
    if hand_off is not None:
        name, kwargs = hand_off
        _send_on_commit(name, **kwargs)


def _hand_off(result: UpsertResult) -> tuple[str, dict[str, Any]] | None:
    """The claims task (name, kwargs) for a stored article, or None when nothing changed."""
    if not (result.created or result.changed):
        return None
    version = None
    if result.changed:
        version = ArticleVersion.objects.filter(
            article_id=result.article_id, number=result.version
        ).first()
    if version is not None and (version.removed_sentences or version.changed_sentences):
        return "claims.handle_article_edit", {
            "article_id": result.article_id,
            "version_id": version.pk,
        }
    return "claims.process_article", {"article_id": result.article_id}


def hand_on_many(results: list[UpsertResult]) -> None:
    """`hand_on` for a bulk import: runs of plain new or changed articles go as one task.

    `claims.process_articles` takes a run's article ids and parses their texts together
    (spaCy's `nlp.pipe`); an edit that removed sentences still goes alone to
    `claims.handle_article_edit`, in its place in the order.
    """
    run: list[int] = []
    for result in results:
        hand_off = _hand_off(result)
        if hand_off is None:
            continue
        name, kwargs = hand_off
        if name == "claims.process_article":
            run.append(kwargs["article_id"])
            continue
        if run:
            _send_on_commit("claims.process_articles", article_ids=run)
            run = []
        _send_on_commit(name, **kwargs)
    if run:
        _send_on_commit("claims.process_articles", article_ids=run)


def _send_on_commit(name: str, **kwargs: Any) -> None:
    # A plain function, not a functools.partial: Django names the callback when it logs a
    # failed robust one, and a partial has no __qualname__ (the log call itself would raise).
    def send() -> None:
        send_to_claims(name, **kwargs)

    transaction.on_commit(send, robust=True)


# After a failed publish the broker is not tried again for this long: an import of thousands
# of articles during an outage neither waits on each one nor logs each one.
BROKER_RETRY_AFTER_SECONDS = 30.0
_broker_down_since: float | None = None
_broker_next_try = 0.0
_unsent_during_outage = 0


def _articles_in(kwargs: dict[str, Any]) -> int:
    """How many articles one hand-off carries (a bulk import's task carries a batch)."""
    return len(kwargs["article_ids"]) if "article_ids" in kwargs else 1


def send_to_claims(task_name: str, **kwargs) -> bool:
    """Hand work to the claims side by Celery task name: `sources` never imports `claims`.

    With a broker the message goes out by name (`send_task`); on the embedded default (eager
    Celery, no broker) the registered task runs inline, as `.delay()` would. Returns whether
    the work was handed on.

    A broker that cannot be reached is not an error for the caller: the article is stored and
    keeps `processed_hash != content_hash`, and `claims.sweep_unprocessed_articles` enqueues
    it once the broker is back. The outage is logged once, when it starts (then the broker is
    left alone for BROKER_RETRY_AFTER_SECONDS at a time), and once when it ends, with the
    count of hand-offs left to the sweep.
    """
    global _broker_down_since, _broker_next_try, _unsent_during_outage
    app = current_app
    if app.conf.task_always_eager:
        app.tasks[task_name].delay(**kwargs)
        return True
    now = time.monotonic()
    if _broker_down_since is not None and now < _broker_next_try:
        _unsent_during_outage += _articles_in(kwargs)
        return False
    try:
        app.send_task(task_name, kwargs=kwargs)
    except (KombuOperationalError, OSError) as error:
        _broker_next_try = now + BROKER_RETRY_AFTER_SECONDS
        _unsent_during_outage += _articles_in(kwargs)
        if _broker_down_since is None:
            _broker_down_since = now
            logger.error(
                "Broker unreachable (%s): %s(%s) and later hand-offs are not queued. The "
                "articles are stored; claims.sweep_unprocessed_articles processes them when "
                "the broker is back",
                error,
                task_name,
                ", ".join(f"{key}={value}" for key, value in kwargs.items()),
            )
        return False
    if _broker_down_since is not None:
        logger.warning(
            "Broker reachable again after %.0f s; %d hand-off(s) left to the sweep",
            now - _broker_down_since,
            _unsent_during_outage,
        )
        _broker_down_since, _unsent_during_outage = None, 0
    return True


# --- Re-fetching for edits ----------------------------------------------------------------


def refetch_schedule() -> list[dt.timedelta]:
    """Delays after the first fetch at which articles are re-fetched for edits."""
    return [dt.timedelta(minutes=int(m)) for m in _setting("ARTICLE_REFETCH_SCHEDULE", [])]


def next_refetch_at(first_fetched_at: dt.datetime, *, now: dt.datetime) -> dt.datetime | None:
    """The first scheduled re-fetch after `now`, or None when the schedule is over.

    Points that passed while workers were down are skipped, not caught up one by one.
    """
    for delay in refetch_schedule():
        if first_fetched_at + delay > now:
            return first_fetched_at + delay
    return None


def refetch_due_articles(now: dt.datetime | None = None, *, limit: int = 1000) -> int:
    """Enqueue a re-fetch task per article whose edit check is due; return how many.

    Like `enqueue_due_sources`, each article is leased (`next_refetch_at` moved
    REFETCH_LEASE ahead) so the next sweep does not enqueue it again; `refetch_article`
    sets the real next time.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Article.objects.filter(next_refetch_at__lte=now)
            .order_by("next_refetch_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        Article.objects.filter(pk__in=ids).update(next_refetch_at=now + REFETCH_LEASE)
        for article_id in ids:
            transaction.on_commit(partial(refetch_article_task.delay, article_id=article_id))
    return len(ids)


def refetch_article(
    article: Article,
    *,
    now: dt.datetime | None = None,
    policy: FetchPolicy | None = None,
) -> UpsertResult | None:
    """Re-fetch one article to detect an edit; return the upsert, or None when none ran.

    1. Conditional GET with the article's ETag / Last-Modified; a 304 changes nothing.
    2. A fetch or extraction failure, or a page that shrank to a wall, is recorded in
       `fetch_error` only: never a version, never a claim change.
    3. Otherwise the text goes through `store_article`: a real edit becomes a version and
       is handed on; a trivial one (timestamps, counters) writes nothing.
    4. Whatever happened, `refetch_count` grows by one and `next_refetch_at` moves to the
       next point of ARTICLE_REFETCH_SCHEDULE after the first fetch (None at the end).
    """
    now = now or timezone.now()
    policy = policy or FetchPolicy.from_settings()
    link = ArticleSource.objects.filter(article=article).select_related("source").first()
    source = link.source if link is not None else None
    result: UpsertResult | None = None
    error = ""
    try:
        page = fetch(
            article.url,
            policy=policy,
            etag=article.etag,
            last_modified=article.last_modified,
            accept=HTML_ACCEPT,
            ignore_robots=bool(source and source.ignore_robots),
        )
        if not page.not_modified:
            if source is None:
                raise ExtractionError(f"article {article.pk} has no source to store it under")
            extracted = extract_article(page.text, page.final_url)
            record = replace(
                article_record(page, extracted, source=source),
                url=article.canonical_url,  # the stored article, whatever the page now declares
                published=article.published_at,
                published_source=article.published_source,
                outlet=article.outlet,
            )
            check_not_a_wall(article.text, record.text, url=article.url)
            result = store_article(record, source=source, fetched_at=now, page=page)
    except (FetchError, ExtractionError, ValueError) as exc:
        error = str(exc)[:2000]
        logger.info("re-fetch of article %s (%s) failed: %s", article.pk, article.url, exc)
    first = article.first_fetched_at or now
    updates: dict[str, Any] = {
        "refetch_count": F("refetch_count") + 1,
        "next_refetch_at": next_refetch_at(first, now=now),
        "updated_at": timezone.now(),
    }
    if error:
        updates["fetch_error"] = error
    elif result is None:  # 304: still there, unchanged
        updates.update(fetch_error="", last_fetched_at=now)
    Article.objects.filter(pk=article.pk).update(**updates)
    return result
