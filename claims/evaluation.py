"""Evaluation (DB read): score a replayed archive against an answer key.

The key lists each real-world claim with the sentences that state it (article URL and a
substring) and its final status. Figures: forecast-mention recall, deadline-window accuracy,
pairwise grouping F1 across sources, final-status agreement. Used by bench/storyline_bench.py
and the end-to-end storyline test; works for any archive with a key in the same format.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from claims.models import ClaimMention


@dataclass
class ReplayScore:
    mention_recall: float
    window_accuracy: float
    grouping_f1: float
    status_accuracy: float
    statuses: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _find_mention(url: str, sentence_contains: str) -> ClaimMention | None:
    return (
        ClaimMention.objects.select_related("claim")
        .filter(
            article__url=url,
            sentence__contains=sentence_contains,
            kind=ClaimMention.Kind.FORECAST,
        )
        .order_by("removed_in_version_id", "pk")
        .first()
    )


def score_replay(gold: dict) -> ReplayScore:
    errors: list[str] = []
    found: list[tuple[str, ClaimMention]] = []  # (gold claim id, mention)
    total = window_ok = windowed = 0
    for claim in gold["claims"]:
        for item in claim["mentions"]:
            total += 1
            mention = _find_mention(item["url"], item["sentence_contains"])
            if mention is None:
                errors.append(f"{claim['id']}: not found: {item['sentence_contains'][:70]!r}")
                continue
            found.append((claim["id"], mention))
            if item.get("window"):
                windowed += 1
                earliest, latest = (dt.date.fromisoformat(d) for d in item["window"])
                if mention.deadline_latest and earliest <= mention.deadline_latest <= latest:
                    window_ok += 1
                else:
                    window = f"{mention.deadline_earliest}..{mention.deadline_latest}"
                    errors.append(
                        f"{claim['id']}: window {window} not in {item['window']}: "
                        f"{item['sentence_contains'][:50]!r}"
                    )

    true_pairs = predicted_pairs = both = 0
    for (gold_a, mention_a), (gold_b, mention_b) in combinations(found, 2):
        same_gold = gold_a == gold_b
        same_claim = mention_a.claim_id is not None and mention_a.claim_id == mention_b.claim_id
        true_pairs += same_gold
        predicted_pairs += same_claim
        both += same_gold and same_claim
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    grouping_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    statuses: dict[str, tuple[str | None, str | None]] = {}
    agree = 0
    for claim in gold["claims"]:
        claim_ids = Counter(m.claim_id for gid, m in found if gid == claim["id"] and m.claim_id)
        predicted = None
        if claim_ids:
            predicted_id = claim_ids.most_common(1)[0][0]
            predicted = next(m.claim.status for gid, m in found if m.claim_id == predicted_id)
        statuses[claim["id"]] = (claim["final_status"], predicted)
        agree += predicted == claim["final_status"]
        if predicted != claim["final_status"]:
            errors.append(f"{claim['id']}: status {predicted} != {claim['final_status']}")
    return ReplayScore(
        mention_recall=len(found) / total if total else 0.0,
        window_accuracy=window_ok / windowed if windowed else 0.0,
        grouping_f1=grouping_f1,
        status_accuracy=agree / len(gold["claims"]) if gold["claims"] else 0.0,
        statuses=statuses,
        errors=errors,
    )
