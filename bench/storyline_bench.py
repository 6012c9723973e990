"""Replay the invented storyline end to end and score it against its answer key.

Run by `make bench` (or `python bench/storyline_bench.py`). Uses a throwaway SQLite database.
Prints forecast-mention recall, deadline-window accuracy, cross-source pairwise grouping F1
and final-status agreement: the figures issue 5 targets on a held-out real archive, here on
our own invented archive (demo/storyline.jsonl, answer key demo/storyline_gold.json).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
WORKDIR = tempfile.mkdtemp(prefix="claimwatch-storyline-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from claims.evaluation import score_replay  # noqa: E402
from claims.management.commands.replay import parse_until  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command(
            "replay",
            str(REPO / "demo" / "storyline.jsonl"),
            str(REPO / "demo" / "storyline_edits.jsonl"),
            until=parse_until("2026-11-01"),
            stdout=quiet,
        )
    seconds = time.perf_counter() - started
    gold = json.loads((REPO / "demo" / "storyline_gold.json").read_text())
    score = score_replay(gold)
    print(
        f"storyline.replay seconds={seconds:.1f} mention_recall={score.mention_recall:.3f} "
        f"window_acc={score.window_accuracy:.3f} grouping_f1={score.grouping_f1:.3f} "
        f"status_acc={score.status_accuracy:.3f}"
    )
    for line in score.errors:
        print("  " + line)


if __name__ == "__main__":
    main()
