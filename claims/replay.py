"""Replay (DB): process an archive of articles as if it arrived live, with simulated time.

Articles are taken in publication order (edits at their `fetched` time); before each one
the deadline check runs at that moment, so every transition carries simulated dates.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DataError
from tqdm import tqdm

from claims.extraction import ArticleInput, ExtractedClaim
from claims.pipeline import (
    EXTRACTION_BATCH,
    article_input,
    extract_articles,
    handle_article_edit,
    process_article,
)
from claims.status import check_deadlines
from sources.ingestion import (
    ArticleRecord,
    RecordError,
    archive_source,
    parse_import_line,
    parse_published,
    upsert_article,
)
from sources.models import Article, ArticleVersion

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplayEvent:
    at: dt.datetime  # publication time, or the fetch time of an edited version
    record: ArticleRecord
    origin: str  # "file:line" for error messages


@dataclass
class ReplayReport:
    articles: int = 0
    edits: int = 0
    unchanged: int = 0
    status_changes: int = 0
    bad_lines: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # imported after a safe repair
    failed: list[str] = field(default_factory=list)  # articles whose processing raised


def read_events(paths: Iterable[Path], report: ReplayReport) -> list[ReplayEvent]:
    """Parse every line of every file; bad lines are reported and skipped."""
    events = []
    for path in paths:
        for number, line in _numbered_lines(path):
            origin = f"{path.name}:{number}"
            repairs: list[str] = []
            try:
                record, obj = parse_import_line(line, repairs=repairs)
                at = (
                    parse_published(obj["fetched"], field="fetched")
                    if obj.get("fetched")
                    else record.published
                )
            except RecordError as exc:
                report.bad_lines.append(f"{origin}: {exc}")
                logger.warning("replay: skipping %s: %s", origin, exc)
                continue
            if repairs:
                report.repaired.append(f"{origin}: {'; '.join(repairs)}")
                logger.warning("replay: repaired %s: %s", origin, "; ".join(repairs))
            events.append(ReplayEvent(at=at, record=record, origin=origin))
    events.sort(key=lambda e: e.at)
    return events


def _numbered_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    # Bytes: a line that is not UTF-8 is one bad line (parse_import_line), not a crash.
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield number, line


def _expected_input(event: ReplayEvent) -> ArticleInput:
    """What extraction will read of the article `event` stores (checked after storing).

    The database hands times back in UTC, and extraction reads the publication day in the
    time's own zone: the expected input is in UTC too, so it compares equal only when the
    day would be the same.
    """
    record = event.record
    published = (record.published or event.at).astimezone(dt.UTC)
    return ArticleInput(record.text, published, record.outlet or "Archive")


class LookaheadExtractor:
    """Extraction of the coming events' texts, `EXTRACTION_BATCH` at a time with `nlp.pipe`.

    Extraction is pure, so it can run ahead of the database work, which must stay in time
    order. `for_article` returns the extraction only when the stored article reads exactly
    what was extracted (text, publication time, outlet); otherwise None, and the pipeline
    extracts the article itself.
    """

    def __init__(self, events: list[ReplayEvent], *, batch: int = EXTRACTION_BATCH) -> None:
        self.events = events
        self.batch = batch
        self.done: dict[tuple[str, str, str], list[ExtractedClaim]] = {}
        self.next_index = 0

    @staticmethod
    def _key(source: ArticleInput) -> tuple[str, str, str]:
        return (source.text, source.published.isoformat(), source.outlet)

    def prepare(self, index: int) -> None:
        """Make sure events up to `index` are extracted (the next batch from there)."""
        if index < self.next_index:
            return
        self.done.clear()  # earlier events are processed: keep only the coming batch
        chunk = self.events[index : index + self.batch]
        inputs = list({self._key(e): e for e in map(_expected_input, chunk)}.values())
        try:
            extracted = extract_articles(inputs)
        except Exception:
            # The batch failed on some text: each article is extracted on its own instead.
            logger.exception("replay: batch extraction failed; extracting one by one")
            extracted = [None] * len(inputs)
        for source, claims in zip(inputs, extracted, strict=True):
            if claims is not None:
                self.done[self._key(source)] = claims
        self.next_index = index + len(chunk)

    def for_article(self, article: Article) -> list[ExtractedClaim] | None:
        return self.done.get(self._key(article_input(article)))


def replay(
    paths: Iterable[Path], *, until: dt.datetime | None = None, progress: bool = False
) -> ReplayReport:
    """Import and process the archive in time order, then check deadlines at `until`.

    Replaying the same files twice changes nothing the second time. With `progress`, a
    progress bar with articles/s goes to stderr.
    """
    report = ReplayReport()
    events = read_events(paths, report)
    extractor = LookaheadExtractor(events)
    bar = tqdm(
        total=len(events), unit="article", disable=not progress, file=sys.stderr, smoothing=0.1
    )
    for index, event in enumerate(events):
        bar.update(1)
        extractor.prepare(index)
        report.status_changes += len(check_deadlines(now=event.at))
        try:
            result = upsert_article(
                event.record,
                source=archive_source(event.record.outlet or "Archive"),
                fetched_at=event.at,
            )
        except DataError as exc:
            # A value the line checks missed and the database refuses (rolled back): skip it.
            reason = str(exc).strip().splitlines()[0][:200]
            report.bad_lines.append(f"{event.origin}: could not be stored ({reason})")
            logger.warning("replay: skipping %s: %s", event.origin, reason)
            continue
        article = Article.objects.get(pk=result.article_id)
        try:
            if result.created:
                report.articles += 1
                extracted = extractor.for_article(article)
                report.status_changes += process_article(
                    article, now=event.at, extracted=extracted
                ).status_changes
            elif result.changed:
                report.edits += 1
                version = ArticleVersion.objects.get(article=article, number=result.version)
                report.status_changes += handle_article_edit(
                    article, version, now=event.at, extracted=extractor.for_article(article)
                )
            else:
                report.unchanged += 1
        except Exception as exc:
            # One bad article must not stop the archive: record why, on the article too.
            logger.exception("replay: processing %s failed", event.origin)
            message = f"{type(exc).__name__}: {exc}"
            Article.objects.filter(pk=article.pk).update(processing_error=message[:2000])
            report.failed.append(f"{event.origin}: {message}")
    bar.close()
    if until is not None:
        report.status_changes += len(check_deadlines(now=until))
    return report
