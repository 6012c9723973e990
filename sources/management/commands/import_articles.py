"""`manage.py import_articles FILE.jsonl | -`: bulk import of an archive, one JSON object a line.

Each line is `{"url", "title", "published", "text", "outlet"?}`. A bad line is reported as
`FILE:LINE: reason` (the reason names the field) and skipped; a line with a safe repair (NUL
bytes dropped, an over-long outlet cut) is imported and reported as repaired; the rest are
imported. Idempotent: a second run finds
every article unchanged. New and changed articles go to claim extraction in batches of
`HAND_ON_BATCH` (one `claims.process_articles` task each, which parses the batch's texts
together; inline on the embedded default). Shows a progress bar with articles/s on stderr
when stdout is a terminal, or with --progress.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DataError
from django.utils import timezone
from tqdm import tqdm

from sources.ingestion import (
    MAX_OUTLET_LENGTH,
    RecordError,
    archive_source,
    parse_import_line,
)
from sources.models import Source
from sources.polling import hand_on_many, store_article

logger = logging.getLogger(__name__)

# Stored articles are handed to the claims side this many at a time: one task parses them
# together (spaCy's nlp.pipe) and a redelivered task redoes at most this much.
HAND_ON_BATCH = 64


def numbered_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line) for each non-blank line; numbers count blank lines too."""
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield number, raw


class Command(BaseCommand):
    help = "Import articles from a JSON Lines file (or - for stdin); bad lines are reported."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to a .jsonl file, or - to read standard input")
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show a progress bar with articles/s (shown anyway when stdout is a terminal).",
        )

    def handle(self, *args, file: str, progress: bool = False, **options) -> None:
        self.progress = progress or self.stdout.isatty()
        if file == "-":
            self.import_stream(sys.stdin.buffer, total=None)
            return
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        with path.open("rb") as stream:
            total = sum(1 for raw in stream if raw.strip())
        with path.open("rb") as stream:
            self.import_stream(stream, total=total, name=path.name)

    def import_stream(
        self, stream: BinaryIO, *, total: int | None, name: str = "<stdin>"
    ) -> Counter[str]:
        """Import every line of `stream`; print bad lines as they come and counts at the end."""
        counts: Counter[str] = Counter(read=0, new=0, updated=0, unchanged=0, bad=0, repaired=0)
        sources: dict[str, Source] = {}
        show_bar = getattr(self, "progress", False)
        progress = tqdm(total=total, unit="article", disable=not show_bar, file=sys.stderr)
        now = timezone.now()
        stored = []
        for number, raw in numbered_lines(stream):
            counts["read"] += 1
            progress.update(1)
            origin = f"{name}:{number}"
            repairs: list[str] = []
            try:
                record, _obj = parse_import_line(raw, repairs=repairs)
            except RecordError as error:
                self.report(origin, f"{error}; skipped", show_bar)
                counts["bad"] += 1
                continue
            if repairs:
                counts["repaired"] += 1
                self.report(origin, f"repaired: {'; '.join(repairs)}", show_bar)
            # Without an outlet, the site's host is the best name we have.
            outlet = record.outlet or (urlsplit(record.url).hostname or "Archive")
            record = replace(record, outlet=outlet[:MAX_OUTLET_LENGTH])
            try:
                if record.outlet not in sources:
                    sources[record.outlet] = archive_source(record.outlet)
                result = store_article(
                    record, source=sources[record.outlet], fetched_at=now, hand_on_now=False
                )
            except DataError as error:
                # A value the checks above missed and the database refuses: the savepoint
                # rolled back, so skip this line like any other bad one.
                reason = str(error).strip().splitlines()[0][:200]
                self.report(origin, f"could not be stored ({reason}); skipped", show_bar)
                counts["bad"] += 1
                continue
            if result.created:
                counts["new"] += 1
            elif result.changed:
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            stored.append(result)
            if len(stored) >= HAND_ON_BATCH:
                hand_on_many(stored)
                stored = []
        hand_on_many(stored)
        progress.close()
        self.stdout.write(
            "read={read} new={new} updated={updated} unchanged={unchanged} bad={bad} "
            "repaired={repaired}".format(**counts)
        )
        return counts

    def report(self, origin: str, message: str, show_bar: bool) -> None:
        """One line per bad or repaired input line, to stderr and the log."""
        message = f"{origin}: {message}"
        logger.warning("import_articles: %s", message)
        if show_bar:
            tqdm.write(message, file=sys.stderr)  # keeps the bar intact
        else:
            self.stderr.write(message)
