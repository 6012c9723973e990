"""`manage.py poll_sources [--source ID | --all]`: poll sources inline and print each outcome.

Without options it polls the sources that are due, as beat would. `--all` polls every active,
unpaused feed/page/sitemap source now; `--source ID` polls that one even when paused.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.models import Source
from sources.polling import due_sources, poll_source


class Command(BaseCommand):
    help = "Poll sources now (inline, no worker needed) and print what each poll did."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--source", type=int, metavar="ID", help="Poll this source only")
        group.add_argument("--all", action="store_true", help="Poll every active source")

    def handle(self, *args, source: int | None, all: bool, **options) -> None:
        if source is not None:
            sources = list(Source.objects.filter(pk=source))
            if not sources:
                raise CommandError(f"No source with id {source}")
            if sources[0].kind not in Source.POLLED_KINDS:
                raise CommandError(f"Source {source} is a {sources[0].kind} source; not polled")
        elif all:
            sources = list(
                Source.objects.filter(
                    is_active=True, paused_at__isnull=True, kind__in=Source.POLLED_KINDS
                )
            )
        else:
            sources = list(due_sources())
        failed = 0
        for item in sources:
            outcome = poll_source(item)
            failed += not outcome.ok
            mark = "ok" if outcome.ok else "FAILED"
            self.stdout.write(f"[{mark}] source {item.pk} {item.name}: {outcome.summary()}")
        self.stdout.write(f"{len(sources)} source(s) polled, {failed} failed")
