"""Benchmark claim retrieval on CLEF CheckThat! 2020 task 2 (tweets -> verified claims).

Run by `make bench` (or `python bench/matching_bench.py`). Data comes from $CLAIMWATCH_DATA
(default: <repo>/../shared/data), folder matching/: the 10,375-claim pool, the queries (train
and dev tweets), the gold pairs and the data set's own scorer `score_mrr.py`, which is called
as a subprocess so the figures are the ones anyone gets. Exits 0 with a message when the data
is absent. Nothing from the data set is written into the repository.

Three rankers, each over the dev queries (and the default one over train too, to show the
gap between the split its parameters were tuned on and the one they were checked on):

* default: `bench.lexical_index.LexicalIndex` (BM25F + pool-mined related words + re-ranker);
  production narrows candidates in the database instead (`claims.matching.candidates`);
* token_set: rapidfuzz `token_set_ratio` of the raw texts alone, every query against every claim;
* bm25_plain: BM25 (k1=1.2, b=0.75) on lower-cased words of text + title, no stemming.

Summary lines look like ``matching.clef_dev mrr=0.84 map5=0.83 recall5=0.89 qps=...``.

`python bench/matching_bench.py --fit-rerank` instead refits the re-ranker on the TRAIN queries
only (softmax over each query's first-stage candidates, L2 picked by 5-fold cross-validation on
train) and prints the weights to paste into `bench.lexical_index.RERANK_WEIGHTS`.
"""

from __future__ import annotations

import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.lexical_index import RERANK_FEATURES, IndexSettings, LexicalIndex  # noqa: E402

DATA = Path(os.environ.get("CLAIMWATCH_DATA", REPO.parent / "shared" / "data"))
MATCHING = DATA / "matching"
POOL = MATCHING / "clef2020_t2_pool.jsonl"
QUERIES = MATCHING / "clef2020_t2_queries_dev.jsonl"
QRELS = MATCHING / "clef2020_t2_qrels_dev.jsonl"
SCORER = MATCHING / "score_mrr.py"
TOP = 100  # ranked ids per query handed to the scorer; ranks past 100 add < 0.01 to MRR
SUMMARY_RE = re.compile(r"([\w@]+)=([0-9.]+)")
PLAIN_WORD_RE = re.compile(r"\w+")

Ranker = Callable[[str], list[str]]


def _load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _score(ranked: dict[str, list[str]], split: str, workdir: Path) -> dict[str, float]:
    """Write one ranking file and return the shared scorer's summary figures."""
    path = workdir / f"ranked_{split}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for query_id, ids in ranked.items():
            handle.write(json.dumps({"query_id": query_id, "ranked": ids}) + "\n")
    result = subprocess.run(
        [sys.executable, str(SCORER), str(QRELS), str(path), "--split", split],
        capture_output=True,
        text=True,
        check=True,
    )
    last = result.stdout.strip().splitlines()[-1]
    return {key: float(value) for key, value in SUMMARY_RE.findall(last)}


def _run(ranker: Ranker, queries: Sequence[dict]) -> tuple[dict[str, list[str]], list[float]]:
    """Rank every query, timing each one (seconds)."""
    ranked: dict[str, list[str]] = {}
    latencies: list[float] = []
    for query in queries:
        started = time.perf_counter()
        ranked[str(query["id"])] = ranker(query["text"])
        latencies.append(time.perf_counter() - started)
    return ranked, latencies


def _default_ranker(pool: Sequence[dict]) -> Ranker:
    index = LexicalIndex.from_items(pool)
    index.search("warm up", top=1)  # builds the postings outside the timed queries
    return lambda text: [doc_id for doc_id, _ in index.search(text, top=TOP)]


def _plain_bm25_ranker(pool: Sequence[dict], *, k1: float = 1.2, b: float = 0.75) -> Ranker:
    """Textbook BM25 over lower-cased words of text + title: the baseline to beat."""
    docs = [
        Counter(PLAIN_WORD_RE.findall(f"{c['text']} {c.get('title', '')}".lower())) for c in pool
    ]
    average = sum(sum(doc.values()) for doc in docs) / len(docs)
    doc_freq: Counter[str] = Counter()
    for doc in docs:
        doc_freq.update(doc.keys())
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, doc in enumerate(docs):
        norm = k1 * (1 - b + b * sum(doc.values()) / average)
        for term, tf in doc.items():
            idf = math.log(1 + (len(docs) - doc_freq[term] + 0.5) / (doc_freq[term] + 0.5))
            postings[term].append((number, idf * tf * (k1 + 1) / (tf + norm)))
    ids = [str(claim["id"]) for claim in pool]

    def rank(text: str) -> list[str]:
        scores: dict[int, float] = defaultdict(float)
        for term in PLAIN_WORD_RE.findall(text.lower()):
            for number, impact in postings.get(term, ()):
                scores[number] += impact
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:TOP]
        return [ids[number] for number, _ in best]

    return rank


def _token_set_rankings(
    pool: Sequence[dict], queries: Sequence[dict]
) -> tuple[dict[str, list[str]], float]:
    """token_set_ratio of each query against every claim text; returns rankings and seconds."""
    ids = np.array([str(claim["id"]) for claim in pool])
    started = time.perf_counter()
    matrix = process.cdist(
        [query["text"] for query in queries],
        [claim["text"] for claim in pool],
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        workers=-1,
    )
    ranked = {
        str(query["id"]): ids[np.argsort(-row, kind="stable")[:TOP]].tolist()
        for query, row in zip(queries, matrix, strict=True)
    }
    return ranked, time.perf_counter() - started


def _line(name: str, figures: dict[str, float], seconds: float, count: int) -> str:
    return (
        f"{name} mrr={figures['mrr']:.4f} map5={figures['map@5']:.4f} "
        f"recall5={figures['recall@5']:.4f} qps={count / seconds:.0f}"
    )


def _load_gold() -> dict[str, set[str]]:
    gold: dict[str, set[str]] = defaultdict(set)
    for row in _load_jsonl(QRELS):
        gold[str(row["query_id"])].add(str(row["doc_id"]))
    return gold


def _fit_softmax(features: np.ndarray, targets: np.ndarray, l2: float) -> np.ndarray:
    """Weights minimising mean softmax cross-entropy of the gold candidates, plus L2.

    `features` is (queries, candidates, features), `targets` (queries, candidates) sums to 1
    per query. Features are standardised for the fit; the weights returned are for raw ones.
    """
    scale = features.reshape(-1, features.shape[-1]).std(axis=0) + 1e-9
    x = features / scale
    weights = np.zeros(x.shape[-1])
    weights[0] = scale[0]  # start from the first-stage order

    def loss_and_gradient(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        loss = -(targets * np.log(p + 1e-12)).sum(axis=1).mean() + l2 * (w @ w)
        gradient = np.einsum("nk,nkf->f", p - targets, x) / len(x) + 2 * l2 * w
        return float(loss), gradient

    loss, gradient = loss_and_gradient(weights)
    step = 1.0
    for _ in range(500):  # gradient descent with a growing / halving step
        candidate = weights - step * gradient
        new_loss, new_gradient = loss_and_gradient(candidate)
        if new_loss < loss:
            weights, loss, gradient, step = candidate, new_loss, new_gradient, step * 1.2
        else:
            step *= 0.5
    return weights / scale


def _head_mrr(features: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> float:
    """MRR inside the candidate lists (a gold claim outside them counts 0)."""
    total = 0.0
    for rows, target in zip(features, targets, strict=True):
        order = np.argsort(-(rows @ weights), kind="stable")
        found = np.flatnonzero(target[order] > 0)
        total += 1.0 / (found[0] + 1) if len(found) else 0.0
    return total / len(features)


def fit_rerank() -> int:
    """Fit `RERANK_WEIGHTS` on the train queries (never dev) and print them."""
    pool = _load_jsonl(POOL)
    train = [query for query in _load_jsonl(QUERIES) if query.get("split") == "train"]
    gold = _load_gold()
    index = LexicalIndex.from_items(pool, IndexSettings(rerank_weights=None))
    ids = [str(claim["id"]) for claim in pool]
    blocks, targets, missing = [], [], 0
    for query in train:
        head, features = index.rerank_features(query["text"])
        target = np.array([ids[doc] in gold[str(query["id"])] for doc in head], dtype=float)
        if len(head) < index.settings.rerank_depth or not target.any():
            missing += 1  # gold outside the candidates: nothing to learn, counted as 0 below
            continue
        blocks.append(features)
        targets.append(target / target.sum())
    x, y = np.stack(blocks), np.stack(targets)
    share = len(x) / len(train)
    folds = np.arange(len(x)) % 5
    baseline = np.zeros(x.shape[-1])
    baseline[0] = 1.0
    print(f"train queries={len(train)} fitted={len(x)} skipped={missing}")
    print(f"first-stage head mrr={_head_mrr(x, y, baseline) * share:.4f}")
    best = (-1.0, 0.0)
    for l2 in (1e-1, 3e-2, 1e-2, 3e-3, 1e-3):
        cv = np.mean(
            [
                _head_mrr(
                    x[folds == k], y[folds == k], _fit_softmax(x[folds != k], y[folds != k], l2)
                )
                for k in range(5)
            ]
        )
        print(f"l2={l2:g} cv head mrr={cv * share:.4f}")
        best = max(best, (float(cv), l2))
    weights = _fit_softmax(x, y, best[1])
    print(f"l2={best[1]:g} fitted train head mrr={_head_mrr(x, y, weights) * share:.4f}")
    for name, weight in zip(RERANK_FEATURES, weights, strict=True):
        print(f"    {weight:.4f},  # {name}")
    return 0


def main() -> int:
    missing = [path.name for path in (POOL, QUERIES, QRELS, SCORER) if not path.is_file()]
    if missing:
        print(f"matching bench skipped: {', '.join(missing)} not found under {MATCHING}")
        return 0
    pool = _load_jsonl(POOL)
    queries = _load_jsonl(QUERIES)
    dev = [query for query in queries if query.get("split") == "dev"]
    train = [query for query in queries if query.get("split") == "train"]
    print(f"pool={len(pool)} dev_queries={len(dev)} train_queries={len(train)} top={TOP}")

    with tempfile.TemporaryDirectory(prefix="matching_bench_") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        default = _default_ranker(pool)
        print(f"default index built in {time.perf_counter() - started:.1f}s")
        ranked, latencies = _run(default, dev)
        dev_line = _line(
            "matching.clef_dev", _score(ranked, "dev", workdir), sum(latencies), len(dev)
        )
        p50 = statistics.median(latencies) * 1000
        p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
        ranked, train_latencies = _run(default, train)
        train_line = _line(
            "matching.clef_train",
            _score(ranked, "train", workdir),
            sum(train_latencies),
            len(train),
        )

        ranked, seconds = _token_set_rankings(pool, dev)
        token_set_line = _line(
            "matching.clef_dev.token_set", _score(ranked, "dev", workdir), seconds, len(dev)
        )

        ranked, bm25_latencies = _run(_plain_bm25_ranker(pool), dev)
        bm25_line = _line(
            "matching.clef_dev.bm25_plain",
            _score(ranked, "dev", workdir),
            sum(bm25_latencies),
            len(dev),
        )

    print(token_set_line)
    print(bm25_line)
    print(train_line)
    print(f"matching.clef_dev.latency p50_ms={p50:.2f} p95_ms={p95:.2f}")
    print(dev_line)
    return 0


if __name__ == "__main__":
    sys.exit(fit_rerank() if "--fit-rerank" in sys.argv[1:] else main())
