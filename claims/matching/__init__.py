"""Matching: which stored claim a new statement is, one stage for the whole project.

* `text` (pure): the one text normaliser (`normalize_text`, `tokenize`, `stem`).
* `keys` (pure): the rare words and entity names a claim is indexed under.
* `scoring` (pure): `score_pair` and its parts; `rank`, `best_match` over a list.
* `candidates` (DB): the key index (`index_claim`) and candidate retrieval.
* `stage` (DB): `match_mention`, the one decision, with thresholds from settings; its
  special cases for reports (`match_dated_report`, `match_by_subject`) score with it.

The pure modules import nothing from Django; `stage` and `candidates` are the only ones that
read the database.
"""

from claims.matching.scoring import (
    DEFAULT_WEIGHTS,
    Match,
    MatchInput,
    MatchScore,
    ScoreWeights,
    best_match,
    looks_like_name,
    outcome_kind,
    rank,
    score_pair,
    speakers_agree,
    verb_kind,
)
from claims.matching.text import STOP_WORDS, normalize_text, stem, tokenize

__all__ = [
    "DEFAULT_WEIGHTS",
    "STOP_WORDS",
    "Match",
    "MatchInput",
    "MatchScore",
    "ScoreWeights",
    "best_match",
    "looks_like_name",
    "normalize_text",
    "outcome_kind",
    "rank",
    "score_pair",
    "speakers_agree",
    "stem",
    "tokenize",
    "verb_kind",
]
