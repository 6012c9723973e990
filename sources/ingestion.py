"""Ingestion stage (DB): turn fetched or imported articles into Article rows and versions.

Network work happens before we get here (sources/fetching.py); this module only validates,
deduplicates and writes, then hands new or changed articles to claim extraction.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sources.models import Article, ArticleSource, ArticleVersion, Source
from sources.normalize import canonical_url, content_hash, diff_versions

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 2000


class RecordError(ValueError):
    """An article record that cannot be imported; the message says why."""


@dataclass(frozen=True)
class ArticleRecord:
    """One article as it enters Claimwatch, whatever the way in (feed, page, import)."""

    url: str
    title: str
    published: dt.datetime | None
    text: str
    outlet: str = ""
    author: str = ""
    guid: str = ""
    published_source: str = ""


@dataclass(frozen=True)
class UpsertResult:
    article_id: int
    created: bool
    changed: bool  # a real edit: a new ArticleVersion was written
    version: int


# Publication years we accept; outside them a date is a typo or an attack, and the ends of
# Python's calendar (1, 9999) overflow as soon as an offset or a window is applied.
PUBLISHED_YEARS = range(1000, 3000)
MAX_OUTLET_LENGTH = 200  # Article.outlet
# Characters PostgreSQL text cannot hold (NUL) or UTF-8 cannot encode (lone surrogates).
_SURROGATES_RE = re.compile("[\ud800-\udfff]")
_URL_FORBIDDEN_RE = re.compile(r"[\x00-\x20\x7f\ud800-\udfff]")


def parse_published(value: Any, *, field: str = "published") -> dt.datetime:
    """An ISO 8601 date or datetime; naive values are taken as UTC.

    Raises RecordError for anything else, including calendar-invalid dates (2025-02-30),
    impossible offsets (+25:00) and years outside `PUBLISHED_YEARS`.
    """
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"'{field}' must be an ISO 8601 date or datetime string")
    text = value.strip()
    try:
        # Both raise ValueError for a well-formed but impossible value (2025-02-30, +25:00).
        parsed = parse_datetime(text) or _midnight(parse_date(text))
    except ValueError as error:
        raise RecordError(f"'{field}' is not a valid date: {text[:100]!r} ({error})") from None
    if parsed is None:
        raise RecordError(f"'{field}' is not an ISO 8601 date or datetime: {text[:100]!r}")
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        utc_year = parsed.astimezone(dt.UTC).year
    except OverflowError:  # 0001-01-01T00:30+05:00 is before the calendar starts
        utc_year = 0
    if parsed.year not in PUBLISHED_YEARS or utc_year not in PUBLISHED_YEARS:
        raise RecordError(f"'{field}' year is out of range: {text[:100]!r}")
    return parsed


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time(0, 0))


def _clean_text(value: str, *, field: str, repairs: list[str]) -> str:
    """`value` without NUL bytes and lone surrogates (each replaced by U+FFFD), noted in
    `repairs`: PostgreSQL refuses the first, UTF-8 cannot encode the second."""
    if "\x00" in value:
        value = value.replace("\x00", "")
        repairs.append(f"'{field}': NUL bytes removed")
    if _SURROGATES_RE.search(value):
        value = _SURROGATES_RE.sub("\ufffd", value)
        repairs.append(f"'{field}': lone surrogates replaced by U+FFFD")
    return value


def _check_url(url: Any) -> str:
    if not isinstance(url, str):
        raise RecordError(f"'url' must be an http(s) URL, got {type(url).__name__}")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise RecordError(f"'url' is longer than {MAX_URL_LENGTH} characters")
    if _URL_FORBIDDEN_RE.search(url):
        raise RecordError(f"'url' contains spaces or control characters: {url[:100]!r}")
    try:
        parts = urlsplit(url)
        hostname, _port = parts.hostname, parts.port  # .port raises on "x:99999" or "x:y"
    except ValueError as error:
        raise RecordError(f"'url' is not a usable URL: {url[:100]!r} ({error})") from None
    if parts.scheme not in ("http", "https"):
        raise RecordError(f"'url' must be an http(s) URL, got {url[:100]!r}")
    if not hostname:
        raise RecordError(f"'url' is not a usable URL: {url[:100]!r}")
    try:
        canonical_url(url)
    except ValueError as error:
        raise RecordError(f"'url' is not a usable URL: {url[:100]!r} ({error})") from None
    return url


def parse_article_record(obj: Any, *, repairs: list[str] | None = None) -> ArticleRecord:
    """Validate one import line `{"url", "title", "published", "text", "outlet"?}`.

    Raises RecordError (its message names the field) for a line that cannot be imported.
    Safe repairs are made and described in `repairs` when given: NUL bytes and lone
    surrogates in title, text or outlet are dropped/replaced, an over-long outlet is cut.
    """
    repairs = [] if repairs is None else repairs
    if not isinstance(obj, dict):
        raise RecordError(f"expected a JSON object, got {type(obj).__name__}")
    missing = [key for key in ("url", "title", "published", "text") if key not in obj]
    if missing:
        raise RecordError(f"missing field(s): {', '.join(missing)}")
    url = _check_url(obj["url"])
    for key in ("title", "text"):
        if not isinstance(obj[key], str):
            raise RecordError(f"'{key}' must be a string")
    title = _clean_text(obj["title"], field="title", repairs=repairs)
    text = _clean_text(obj["text"], field="text", repairs=repairs)
    if not text.strip():
        raise RecordError("'text' is empty")
    outlet = obj.get("outlet") or ""
    if not isinstance(outlet, str):
        raise RecordError("'outlet' must be a string")
    outlet = _clean_text(outlet, field="outlet", repairs=repairs).strip()
    if len(outlet) > MAX_OUTLET_LENGTH:
        repairs.append(f"'outlet': cut from {len(outlet)} to {MAX_OUTLET_LENGTH} characters")
        outlet = outlet[:MAX_OUTLET_LENGTH].strip()
    return ArticleRecord(
        url=url,
        title=title.strip(),
        published=parse_published(obj["published"]),
        text=text,
        outlet=outlet,
        published_source="import",
    )


def parse_import_line(
    raw: bytes | str, *, repairs: list[str] | None = None
) -> tuple[ArticleRecord, dict[str, Any]]:
    """One JSON Lines line -> (record, the decoded object); RecordError says why not.

    Undecodable bytes, invalid or too deeply nested JSON and over-long numbers are
    RecordErrors like any bad field, so one hostile line never stops an import.
    """
    try:
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise RecordError(f"not UTF-8 ({error.reason})") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        raise RecordError(f"invalid JSON ({error.msg})") from None
    except (ValueError, RecursionError) as error:  # 5,000-digit ints, [[[[...]]]]
        raise RecordError(f"invalid JSON ({type(error).__name__}: {str(error)[:100]})") from None
    return parse_article_record(obj, repairs=repairs), obj


def upsert_article(
    record: ArticleRecord, *, source: Source, fetched_at: dt.datetime | None = None
) -> UpsertResult:
    """Store `record` once, however often and from however many sources it arrives.

    1. Find the article by canonical URL, else by content hash (the same text under
       another URL is the same article); otherwise create it with version 1.
    2. Link it to `source` (one row per source and article).
    3. If the text really changed (not just whitespace, timestamps or counters), write a
       new ArticleVersion with the diff and the sentences removed or changed.
    A concurrent insert of the same article is retried once and then found.
    Extraction is the caller's to enqueue (after commit) when `created or changed`.
    """
    fetched_at = fetched_at or timezone.now()
    canonical = canonical_url(record.url)
    digest = content_hash(record.text)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                article = (
                    Article.objects.select_for_update().filter(canonical_url=canonical).first()
                    or Article.objects.select_for_update().filter(content_hash=digest).first()
                )
                created = article is None
                if created:
                    article = Article.objects.create(
                        canonical_url=canonical,
                        url=record.url,
                        title=record.title[:1000],
                        author=record.author[:500],
                        outlet=record.outlet or source.display_outlet,
                        published_at=record.published,
                        published_source=record.published_source,
                        text=record.text,
                        content_hash=digest,
                        first_fetched_at=fetched_at,
                        last_fetched_at=fetched_at,
                    )
                    ArticleVersion.objects.create(
                        article=article,
                        number=1,
                        title=article.title,
                        text=record.text,
                        content_hash=digest,
                        fetched_at=fetched_at,
                    )
                    version = 1
                    changed = False
                else:
                    version, changed = _record_new_text(article, record, digest, fetched_at)
                if created:  # nothing can link to a row this transaction just made
                    ArticleSource.objects.create(
                        article=article, source=source, guid=record.guid[:2000]
                    )
                else:
                    ArticleSource.objects.get_or_create(
                        article=article, source=source, defaults={"guid": record.guid[:2000]}
                    )
            break
        except IntegrityError:
            # Another worker created the same article between our lookup and our insert
            # (unique canonical URL); the savepoint rolled back, and the second pass finds it.
            if attempt == 2:
                raise
            logger.info("article %s was stored concurrently; upserting again", canonical)
    if created:
        logger.info("article %s created from %s: %s", article.pk, source, canonical)
    elif changed:
        logger.info("article %s edited: version %s", article.pk, version)
    return UpsertResult(article_id=article.pk, created=created, changed=changed, version=version)


def _record_new_text(
    article: Article, record: ArticleRecord, digest: str, fetched_at: dt.datetime
) -> tuple[int, bool]:
    """Write a version if `record.text` is a real edit of the stored text; (number, changed)."""
    latest = article.versions.order_by("-number").first()
    number = latest.number if latest else 1
    article.last_fetched_at = fetched_at
    update_fields = ["last_fetched_at", "updated_at"]
    if digest != article.content_hash:
        diff = diff_versions(article.text, record.text)
        if not diff.is_trivial:
            number += 1
            ArticleVersion.objects.create(
                article=article,
                number=number,
                title=record.title[:1000],
                text=record.text,
                content_hash=digest,
                fetched_at=fetched_at,
                diff=diff.unified_diff,
                removed_sentences=list(diff.removed_sentences),
                changed_sentences=[{"old": old, "new": new} for old, new in diff.changed_sentences],
            )
            article.text, article.content_hash = record.text, digest
            article.title = record.title[:1000] or article.title
            update_fields += ["text", "content_hash", "title"]
            article.save(update_fields=update_fields)
            return number, True
    article.save(update_fields=update_fields)
    return number, False


def archive_source(outlet: str) -> Source:
    """The (inactive) source that archive imports and replays of one outlet are linked to."""
    suffix = " (archive)"
    source, _ = Source.objects.get_or_create(
        name=outlet[: Source._meta.get_field("name").max_length - len(suffix)] + suffix,
        kind=Source.Kind.ARCHIVE,
        defaults={"outlet": outlet, "is_active": False},
    )
    return source
