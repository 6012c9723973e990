"""Score the normaliser on our everyday time phrases (bench/data/everyday_phrases.jsonl).

Run by `make bench` (or `python bench/everyday_bench.py [--errors] [--class holiday]`). The
set is our own development set (see bench/data/make_everyday_phrases.py for its conventions):
the rules were grown against it, so the figure shows what holds, not a held-out score.

Prints one summary line and one per phrase class:
  temporal.everyday n=… value_acc=… window_acc=… empty=…
  temporal.everyday class=holiday n=… value_acc=… window_acc=… empty=…

`value_acc`: the TIMEX3 value of the expression found at the phrase is the gold one.
`window_acc`: its calendar extent [extent_start, extent_end] is the gold one; for a deadline
reading ("by March", "before Christmas") the end of its deadline window (`latest`) counts.
`empty`: nothing found where something should be. A phrase with no gold
value (absurd input) is right when nothing is found.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claims.temporal import Timex, extract_timexes_batch  # noqa: E402

DATA = REPO / "bench" / "data" / "everyday_phrases.jsonl"


def pick(item: dict, timexes: list[Timex]) -> Timex | None:
    """The first expression overlapping the gold phrase: a range's start carries the range."""
    start = item["text"].find(item["phrase"])
    end = start + len(item["phrase"])
    return next((t for t in timexes if min(end, t.end) - max(start, t.start) > 0), None)


def judge(item: dict, timex: Timex | None) -> tuple[bool, bool]:
    """(value right, window right) for one phrase."""
    if item["value"] is None:
        return timex is None, timex is None
    if timex is None:
        return False, False
    if item["deadline"]:
        window = iso(timex.latest) == item["latest"]
    else:
        window = (iso(timex.extent_start), iso(timex.extent_end)) == (
            item["earliest"],
            item["latest"],
        )
    return timex.value == item["value"], window


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print every phrase gone wrong")
    parser.add_argument("--class", dest="cls", help="only this phrase class")
    args = parser.parse_args()
    with DATA.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    if args.cls:
        items = [item for item in items if item["class"] == args.cls]
    results = extract_timexes_batch(
        (item["text"], dt.date.fromisoformat(item["dct"])) for item in items
    )
    tally: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for item, timexes in zip(items, results, strict=True):
        timex = pick(item, timexes)
        value_ok, window_ok = judge(item, timex)
        empty = item["value"] is not None and timex is None
        for key in ("all", item["class"]):
            tally[key].update(n=1, value=value_ok, window=window_ok, empty=empty)
        if args.errors and not (value_ok and window_ok):
            got = (
                f"{timex.value} [{timex.extent_start}, {timex.extent_end}] deadline "
                f"[{timex.earliest}, {timex.latest}] on {timex.text!r}"
                if timex
                else "nothing"
            )
            print(
                f"  {item['id']} {item['class']} dct={item['dct']} {item['text']!r}: want "
                f"{item['value']} [{item['earliest']}, {item['latest']}]"
                f"{' (deadline)' if item['deadline'] else ''}, got {got}"
            )
    for key in ("all", *sorted(k for k in tally if k != "all")):
        counts = tally[key]
        n = counts["n"] or 1
        label = "" if key == "all" else f" class={key}"
        print(
            f"temporal.everyday{label} n={counts['n']} value_acc={counts['value'] / n:.3f} "
            f"window_acc={counts['window'] / n:.3f} empty={counts['empty'] / n:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
