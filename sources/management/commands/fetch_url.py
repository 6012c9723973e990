"""`manage.py fetch_url URL`: fetch and extract one page; print what would be stored, as JSON.

Stores nothing. Uses the same guarded fetcher and extraction as polling, so it answers
"why does this page come out like that?" without touching the database.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.fetching import HTML_ACCEPT, FetchError, fetch
from sources.normalize import ExtractionError, content_hash, extract_article
from sources.polling import article_record


class Command(BaseCommand):
    help = "Fetch and extract one page and print the article that would be stored (as JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="http(s) URL of an article page")

    def handle(self, *args, url: str, **options) -> None:
        try:
            page = fetch(url, accept=HTML_ACCEPT)
            extracted = extract_article(page.text, page.final_url)
        except (FetchError, ExtractionError) as error:
            raise CommandError(str(error)) from error
        record = article_record(page, extracted)
        shown = {
            "url": url,
            "final_url": page.final_url,
            "canonical_url": record.url,
            "status": page.status,
            "encoding": page.encoding,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "title": record.title,
            "author": record.author,
            "published": record.published.isoformat() if record.published else None,
            "published_source": record.published_source,
            "content_hash": content_hash(record.text),
            "text": record.text,
        }
        self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
