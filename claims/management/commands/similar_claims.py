"""`manage.py similar_claims`: the stored claims most like a text, before an editor adds one.

    python manage.py similar_claims "Kyiv and Washington will sign the minerals deal by Friday"
    python manage.py similar_claims "..." --top 5

Candidates come from `claims.matching.candidates.find_candidates` (any status, any deadline), scores
from `claims.matching.scoring.rank`. One line per claim, best first: score, status, deadline window,
id and statement.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.matching import MatchInput, rank
from claims.matching.candidates import find_candidates
from claims.models import Claim

STATEMENT_WIDTH = 90  # characters of the statement shown per line


def format_window(earliest: date | None, latest: date | None) -> str:
    """``2026-03-01..2026-03-31``, a single day, or ``-`` when the claim has no deadline."""
    start, end = earliest or latest, latest or earliest
    if start is None or end is None:
        return "-"
    if start == end:
        return start.isoformat()
    return f"{start.isoformat()}..{end.isoformat()}"


class Command(BaseCommand):
    help = "Print the stored claims most similar to TEXT, best first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="The claim as the editor would state it")
        parser.add_argument("--top", type=int, default=10, help="Claims to show (default 10)")

    def handle(self, *args: Any, text: str, top: int, **options: Any) -> None:
        if top < 1:
            raise CommandError("--top must be at least 1")
        if not text.strip():
            raise CommandError("TEXT is empty")
        query = MatchInput(id="query", text=text)
        candidates = find_candidates(query, window_slack_days=None)
        ranked = rank(query, candidates, top=top)
        if not ranked:
            self.stdout.write("No similar claims.")
            return
        claims = Claim.objects.in_bulk([int(candidate.id) for candidate, _ in ranked])
        self.stdout.write(f"{'score':>6}  {'status':<14}  {'deadline':<22}  {'id':>8}  statement")
        for candidate, score in ranked:
            claim = claims[int(candidate.id)]
            window = format_window(claim.deadline_earliest, claim.deadline_latest)
            statement = " ".join(claim.statement.split())[:STATEMENT_WIDTH]
            self.stdout.write(
                f"{score.score:>6.1f}  {claim.status:<14}  {window:<22}  {claim.pk:>8}  {statement}"
            )
