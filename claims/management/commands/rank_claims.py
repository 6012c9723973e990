"""`manage.py rank_claims`: rank a claim pool for each query with the lexical matcher (no DB).

    python manage.py rank_claims --pool POOL.jsonl --queries QUERIES.jsonl --top K [-o OUT]

Pool lines are ``{"id", "text", "title"?}``, query lines ``{"id", "text"}``; each output line
is ``{"query_id", "ranked": [ids]}``, best first, so public retrieval sets can score it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.matching import rank_claims


def read_jsonl(path: Path, *, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """Read JSON Lines, skipping blank lines; every row must carry the `required` keys."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise CommandError(f"{path}:{number}: not JSON ({error})") from error
            missing = [key for key in required if key not in row]
            if missing:
                raise CommandError(f"{path}:{number}: missing {', '.join(missing)}")
            rows.append(row)
    return rows


class Command(BaseCommand):
    help = "Rank the claims of --pool for each line of --queries (JSON Lines in, JSON Lines out)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pool", type=Path, required=True, help="Claims: id, text, title?")
        parser.add_argument("--queries", type=Path, required=True, help="Queries: id, text")
        parser.add_argument("--top", type=int, default=10, help="Claims per query (default 10)")
        parser.add_argument("-o", "--output", type=Path, help="Write here instead of stdout")

    def handle(
        self, *args: Any, pool: Path, queries: Path, top: int, output: Path | None, **options: Any
    ) -> None:
        if top < 1:
            raise CommandError("--top must be at least 1")
        for path in (pool, queries):
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        results = rank_claims(
            read_jsonl(pool, required=("id", "text")),
            read_jsonl(queries, required=("id", "text")),
            top,
        )
        lines = "".join(json.dumps(result) + "\n" for result in results)
        if output is None:
            self.stdout.write(lines, ending="")
        else:
            output.write_text(lines, encoding="utf-8")
            self.stderr.write(f"{len(results)} queries ranked -> {output}")
