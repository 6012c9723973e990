"""`manage.py add_source URL [--name] [--kind] [--interval]`: register a feed, page or sitemap.

Idempotent on the URL: running it again updates the options given and creates nothing.
Without --kind the URL is fetched once (through the guarded fetcher) to tell a feed from a
sitemap from a page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator

from sources.fetching import (
    FEED_ACCEPT,
    FeedParseError,
    FetchError,
    fetch,
    parse_feed,
    parse_sitemap,
)
from sources.models import Source
from sources.redaction import redact_text, redact_url

KINDS = [str(kind) for kind in Source.POLLED_KINDS]


def detect_kind(url: str) -> tuple[str, str]:
    """Fetch `url` once and return (kind, title): a feed, a sitemap, or else a page."""
    result = fetch(url, accept=FEED_ACCEPT)
    try:
        feed = parse_feed(result)
    except FeedParseError:
        pass
    else:
        return Source.Kind.FEED, feed.title
    try:
        parse_sitemap(result)
    except FeedParseError:
        return Source.Kind.PAGE, ""
    return Source.Kind.SITEMAP, ""


class Command(BaseCommand):
    help = "Add a source to poll (idempotent on URL); detects feed/sitemap/page unless --kind."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="http(s) URL of the feed, sitemap or page")
        parser.add_argument("--name", help="Name shown in admin (default: feed title or host)")
        parser.add_argument("--kind", choices=KINDS, help="Skip detection and use this kind")
        parser.add_argument(
            "--interval",
            type=int,
            metavar="MINUTES",
            help=f"Poll interval (default {settings.SOURCE_DEFAULT_INTERVAL_MINUTES})",
        )

    def handle(
        self, *args, url: str, name: str | None, kind: str | None, interval: int | None, **options
    ) -> None:
        url = url.strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise CommandError(f"Not an http(s) URL: {redact_url(url)!r}") from error
        if interval is not None and interval < 1:
            raise CommandError("--interval must be at least 1 minute")

        source = Source.objects.filter(url=url).first()
        if source is not None:
            self._update(source, name=name, kind=kind, interval=interval)
            return

        title = ""
        if kind is None:
            try:
                kind, title = detect_kind(url)
            except FetchError as error:
                raise CommandError(
                    f"Could not fetch {redact_url(url)} to detect its kind "
                    f"({redact_text(str(error))}); pass --kind."
                ) from error
        source = Source.objects.create(
            url=url,
            kind=kind,
            name=(name or title or urlsplit(url).hostname or url)[:200],
            poll_interval_minutes=interval or settings.SOURCE_DEFAULT_INTERVAL_MINUTES,
        )
        self.stdout.write(
            f"Added source {source.pk}: {source.name} ({source.kind}, every "
            f"{source.poll_interval_minutes} min) {source.display_url}"
        )

    def _update(
        self, source: Source, *, name: str | None, kind: str | None, interval: int | None
    ) -> None:
        changes = {
            field: value
            for field, value in (
                ("name", name),
                ("kind", kind),
                ("poll_interval_minutes", interval),
            )
            if value is not None and getattr(source, field) != value
        }
        if not changes:
            self.stdout.write(f"Source {source.pk} already exists: {source.name} ({source.kind})")
            return
        for field, value in changes.items():
            setattr(source, field, value)
        source.save(update_fields=[*changes, "updated_at"])
        shown = ", ".join(f"{field}={value}" for field, value in changes.items())
        self.stdout.write(f"Source {source.pk} already exists; updated {shown}")
