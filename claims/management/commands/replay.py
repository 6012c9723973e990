"""`manage.py replay FILE.jsonl [FILE ...] [--until DATE]`: process an archive as if live."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from claims.replay import replay


def parse_until(value: str) -> dt.datetime:
    day = parse_date(value)
    if day is None:
        raise CommandError(f"--until must be a date YYYY-MM-DD, got {value!r}")
    # Midday UTC: the deadline check then sees that whole calendar day as "today".
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


class Command(BaseCommand):
    help = (
        'Import articles (import_articles line format; an optional "fetched" time marks an '
        "edited version) in publication order, checking deadlines at each article's time "
        "and finally at --until."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--until", type=parse_until, help="Last check at this date.")
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show a progress bar with articles/s (shown anyway when stdout is a terminal).",
        )

    def handle(
        self, *args, files: list[Path], until: dt.datetime | None, progress: bool, **options
    ):
        missing = [str(p) for p in files if not p.exists()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        report = replay(files, until=until, progress=progress or _is_terminal(self.stdout))
        for line in report.bad_lines:
            self.stderr.write(f"skipped {line}")
        for line in report.repaired:
            self.stderr.write(f"repaired {line}")
        for line in report.failed:
            self.stderr.write(f"failed {line}")
        self.stdout.write(
            f"replayed {report.articles} article(s), {report.edits} edit(s), "
            f"{report.unchanged} unchanged, {len(report.bad_lines)} bad line(s), "
            f"{len(report.failed)} failed; "
            f"{report.status_changes} status change(s)"
        )


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
