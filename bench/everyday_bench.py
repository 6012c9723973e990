"""Score the normaliser on our everyday time phrases (bench/data/everyday_*.jsonl).

Run by `make bench` (or `python bench/everyday_bench.py [--set dev|blind|both] [--errors]
[--class holiday]`). Two sets, same conventions (see bench/data/make_everyday_phrases.py):
* `dev` (everyday_phrases.jsonl): the rules were grown against it, so its figure shows what
  holds, not a held-out score;
* `blind` (everyday_blind.jsonl, bench/data/make_everyday_blind.py): written by another hand
  before its author read the rules; its first figure (in that commit's history) was the
  honest estimate of an unseen suite.

Prints one summary line and one per phrase class for each set scored:
  temporal.everyday n=… value_acc=… window_acc=… empty=…
  temporal.everyday class=holiday n=… value_acc=… window_acc=… empty=…
  temporal.everyday set=blind n=… value_acc=… window_acc=… empty=…

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

DATA = {
    "dev": REPO / "bench" / "data" / "everyday_phrases.jsonl",
    "blind": REPO / "bench" / "data" / "everyday_blind.jsonl",
}


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
    parser.add_argument("--set", dest="which", choices=("dev", "blind", "both"), default="both")
    args = parser.parse_args()
    for name in ("dev", "blind"):
        if args.which in (name, "both"):
            score_set(name, args)
    return 0


def score_set(name: str, args: argparse.Namespace) -> None:
    """Score one phrase set and print its lines (the dev set's keep their historic label)."""
    with DATA[name].open(encoding="utf-8") as handle:
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
            print_error(item, timex)
    label_set = "" if name == "dev" else f" set={name}"
    for key in ("all", *sorted(k for k in tally if k != "all")):
        counts = tally[key]
        n = counts["n"] or 1
        label = "" if key == "all" else f" class={key}"
        print(
            f"temporal.everyday{label_set}{label} n={counts['n']} "
            f"value_acc={counts['value'] / n:.3f} "
            f"window_acc={counts['window'] / n:.3f} empty={counts['empty'] / n:.3f}"
        )


def print_error(item: dict, timex: Timex | None) -> None:
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


if __name__ == "__main__":
    sys.exit(main())
