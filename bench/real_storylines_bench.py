"""Replay each real-news development storyline and score it with the storyline's own scorer.

Run by `make bench` (or `python bench/real_storylines_bench.py [NAME ...] [--errors]`). Each
storyline replays in a fresh SQLite database in its own process, up to the date the storyline
README names, is exported with `export_claims --format json`, and is scored by
`../shared/data/storylines/score.py` (CLAIMWATCH_DATA overrides the data folder). The article
texts are read from the shared folder at run time and never written into the repository.

Prints one line per storyline:
  storyline.real name=tiktok recall=… window_acc=… group_f1=… status_acc=… extra_per_article=…
    group_precision=… group_recall=… outcome_precision=… seconds=…
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("CLAIMWATCH_DATA", REPO.parent / "shared" / "data"))
STORYLINES = DATA / "storylines"
UNTIL = {"tiktok": "2026-03-01", "tariffs": "2026-01-01", "openai": "2026-04-30"}


def write_archive(folder: Path, out: Path) -> int:
    """The storyline's articles as import_articles lines (the scorer README's recipe)."""
    paths = sorted(glob.glob(str(folder / "articles" / "*.json")))
    with out.open("w", encoding="utf-8") as lines:
        for path in paths:
            article = json.loads(Path(path).read_text(encoding="utf-8"))
            record = {key: article.get(key) for key in ("url", "title", "published", "text")}
            record["outlet"] = article["outlet_canonical"]
            lines.write(json.dumps(record) + "\n")
    return len(paths)


def manage(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def score_storyline(name: str, *, errors: bool = False, keep: Path | None = None) -> str:
    folder = STORYLINES / name
    workdir = Path(tempfile.mkdtemp(prefix=f"claimwatch-{name}-"))
    archive = workdir / f"{name}.jsonl"
    export = (keep or workdir) / f"{name}-export.json"
    write_archive(folder, archive)
    started = time.perf_counter()
    manage(workdir, "migrate", "--noinput", "-v", "0")
    manage(workdir, "replay", str(archive), "--until", UNTIL.get(name, "2026-12-31"))
    seconds = time.perf_counter() - started
    manage(workdir, "export_claims", "--format", "json", "-o", str(export))
    if keep is not None:  # the database too, for offline analysis of the replay
        shutil.copy(workdir / "db.sqlite3", keep / f"{name}.sqlite3")
    command = [sys.executable, str(STORYLINES / "score.py"), str(export), "--news", str(folder)]
    result = subprocess.run(
        command + (["--errors"] if errors else []), capture_output=True, text=True, check=True
    )
    lines = result.stdout.strip().splitlines()
    if errors:
        print("\n".join(lines[:-2]))
    detail = dict(re.findall(r"(\w+)=(\S+)", lines[-2]))
    summary = lines[-1]
    return (
        f"storyline.real name={name} {summary} group_precision={detail['group_precision']} "
        f"group_recall={detail['group_recall']} outcome_precision={detail['outcome_precision']} "
        f"seconds={seconds:.1f}"
    )


def main(argv: list[str]) -> int:
    errors = "--errors" in argv
    keep = Path("var") if "--keep" in argv else None
    if keep is not None:
        keep.mkdir(exist_ok=True)
    names = [a for a in argv if not a.startswith("--")] or sorted(UNTIL)
    if not STORYLINES.is_dir():
        print(f"storyline.real skipped: no data at {STORYLINES}")
        return 0
    for name in names:
        print(score_storyline(name, errors=errors, keep=keep), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
