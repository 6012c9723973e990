"""`manage.py timexes`: print the temporal expressions of a text, or resolve a JSON Lines batch.

Each expression is printed as its TIMEX3 `value` with its calendar extent `[earliest, latest]`:
a bare year or month is a point whose extent is the whole year or month ("in March" -> 1 … 31
March), a range runs from its start to its end, a day is the day. The deadline reading, which
only matters after "by", "before", "until" or "within", is `deadline_earliest`/`deadline_latest`
(a future event placed in a period is due by its end: "publish in March" -> 31 March).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.temporal import Timex, extract_timexes, extract_timexes_batch, get_nlp


def timex_record(timex: Timex) -> dict[str, Any]:
    """The printed form of one expression: value, calendar extent, deadline window."""
    record = timex.to_dict()
    record["deadline_earliest"] = record.pop("earliest")
    record["deadline_latest"] = record.pop("latest")
    record["earliest"] = record.pop("extent_start")
    record["latest"] = record.pop("extent_end")
    return record


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise CommandError(f"not a YYYY-MM-DD date: {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Find temporal expressions and resolve them against a document date: each with its "
        "TIMEX3 value, its calendar extent [earliest, latest] and its deadline window "
        "[deadline_earliest, deadline_latest]. Plain mode prints one JSON object per "
        'expression; --jsonl reads lines {"id", "text", "dct"} and writes lines '
        '{"id", "timexes": [...]}.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="-", help="input file, or - for stdin")
        parser.add_argument("--dct", help="document creation date, YYYY-MM-DD (plain mode)")
        parser.add_argument(
            "--jsonl", action="store_true", help="batch mode: JSON Lines in and out"
        )
        parser.add_argument("--batch-size", type=int, default=64, help="spaCy nlp.pipe batch size")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        stream: TextIO = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        try:
            if options["jsonl"]:
                self._batch(stream, batch_size=options["batch_size"])
            else:
                if not options["dct"]:
                    raise CommandError("--dct YYYY-MM-DD is required unless --jsonl is given")
                self._single(stream.read(), _parse_date(options["dct"]))
        finally:
            if stream is not sys.stdin:
                stream.close()

    def _single(self, text: str, dct: dt.date) -> None:
        for timex in extract_timexes(text, dct, nlp=get_nlp()):
            self.stdout.write(json.dumps(timex_record(timex), ensure_ascii=False))

    def _batch(self, stream: TextIO, *, batch_size: int) -> None:
        rows = []
        for line_number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                rows.append((row["id"], row.get("text") or "", _parse_date(row["dct"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(
                    f"line {line_number}: expected {{id, text, dct}}: {exc}"
                ) from exc
        results = extract_timexes_batch(
            ((text, dct) for _, text, dct in rows), nlp=get_nlp(), batch_size=batch_size
        )
        for (row_id, _, _), timexes in zip(rows, results, strict=True):
            payload = {"id": row_id, "timexes": [timex_record(timex) for timex in timexes]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
