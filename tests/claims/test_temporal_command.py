"""`manage.py timexes`: value, calendar extent and deadline window per expression."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.unit


def run_jsonl(tmp_path, rows: list[dict]) -> dict[str, list[dict]]:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    out = io.StringIO()
    call_command("timexes", str(path), "--jsonl", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return {line["id"]: line["timexes"] for line in lines}


def test_jsonl_gives_value_and_calendar_extent_and_deadline(tmp_path):
    found = run_jsonl(
        tmp_path,
        [
            {"id": "year", "text": "The plant will open in 2026.", "dct": "2025-04-17"},
            {"id": "month", "text": "The report will be published in March.", "dct": "2025-04-17"},
            {"id": "by", "text": "The report will be published by March.", "dct": "2025-04-17"},
            {"id": "range", "text": "The fair runs from 13 to 15 July.", "dct": "2025-04-17"},
        ],
    )
    (year,) = found["year"]
    assert (year["value"], year["earliest"], year["latest"]) == ("2026", "2026-01-01", "2026-12-31")
    (month,) = found["month"]
    assert (month["value"], month["earliest"], month["latest"]) == (
        "2026-03",
        "2026-03-01",
        "2026-03-31",
    )
    assert month["deadline_latest"] == "2026-03-31"  # due by the end of the month
    (by,) = found["by"]
    assert by["latest"] == by["deadline_latest"] == "2026-03-31"
    assert by["deadline_earliest"] > by["earliest"]  # a deadline narrows to the month's end
    (fair,) = found["range"]
    assert (fair["value"], fair["earliest"], fair["latest"]) == (
        "2025-07-13",
        "2025-07-13",
        "2025-07-15",
    )


def test_jsonl_absurd_years_are_ignored_not_errors(tmp_path):
    found = run_jsonl(
        tmp_path,
        [
            {"id": "a", "text": "in the year 99999", "dct": "2025-04-17"},
            {"id": "b", "text": "on March 3, 9999 or by 31 December 10000", "dct": "2025-04-17"},
        ],
    )
    assert found == {"a": [], "b": []}


def test_plain_mode_prints_one_object_per_expression(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("We will meet the day after tomorrow at noon.", encoding="utf-8")
    out = io.StringIO()
    call_command("timexes", str(path), "--dct", "2025-04-17", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["value"], r["earliest"]) for r in records] == [("2025-04-19T12:00", "2025-04-19")]
