"""The CLEF benchmark's lexical index (bench/lexical_index.py): retrieval and re-ranking.

Every sentence here is invented for these tests; no public data set is copied in.
"""

from __future__ import annotations

import json

import pytest

from bench.lexical_index import (
    RERANK_WEIGHTS,
    IndexSettings,
    LexicalIndex,
    rank_claims,
    segment,
)

pytestmark = pytest.mark.unit


# --- LexicalIndex and rank_claims ------------------------------------------------------

POOL_ROWS = [
    {"id": "p1", "text": "Ukraine and the US will sign a minerals deal by the end of next week."},
    {
        "id": "p2",
        "text": "A ceasefire in Gaza will take effect within days.",
        "title": "Will the Gaza truce hold?",
    },
    {"id": "p3", "text": "The budget will be balanced by 2027, the finance minister said."},
    {"id": "p4", "text": "Final election results will be announced on Friday."},
    {"id": "p5", "text": "The central bank will cut interest rates in June."},
    {"id": "p6", "text": "The central bank will cut interest rates in June."},
]


def test_lexical_index_finds_the_claim_behind_a_noisy_tweet():
    index = LexicalIndex.from_items(POOL_ROWS)

    hits = index.search(
        "BREAKING: #Ukraine to sign minerals deal with US next week https://t.co/AbC — "
        "News Desk (@newsdesk) April 18, 2025",
        top=2,
    )

    assert hits[0][0] == "p1"


def test_lexical_index_uses_the_title_field():
    index = LexicalIndex.from_items(POOL_ROWS)

    hits = index.search("will the truce hold", top=1)

    assert hits[0][0] == "p2"


def test_lexical_index_breaks_ties_by_insertion_order():
    index = LexicalIndex.from_items(POOL_ROWS)

    hits = index.search("bank cuts interest rates", top=2)

    assert [doc_id for doc_id, _ in hits] == ["p5", "p6"]


def test_lexical_index_returns_nothing_for_unknown_words():
    index = LexicalIndex.from_items(POOL_ROWS)

    assert index.search("zzzz qqqq", top=5) == []


def test_lexical_index_sees_documents_added_after_a_search():
    index = LexicalIndex.from_items(POOL_ROWS)
    index.search("budget", top=1)

    index.add("p7", "Parliament will vote on the pension reform in March.")

    assert index.search("pension reform vote", top=1)[0][0] == "p7"


def test_rank_claims_returns_one_line_per_query_in_input_order():
    queries = [
        {"id": 2, "text": "Gaza ceasefire within days"},
        {"id": "1", "text": "when will the budget be balanced"},
    ]

    result = rank_claims(POOL_ROWS, queries, top=2)

    assert [row["query_id"] for row in result] == ["2", "1"]
    assert [row["ranked"][0] for row in result] == ["p2", "p3"]
    assert all(set(row) == {"query_id", "ranked"} and len(row["ranked"]) <= 2 for row in result)
    assert json.loads(json.dumps(result)) == result


KLAN_ROWS = [
    {"id": "k1", "text": "Ku Klux Klan members marched in Ohio.", "title": "KKK March in Ohio"},
    {"id": "k2", "text": "The Ku Klux Klan gave a flag away.", "title": "KKK Flag Giveaway"},
    {"id": "k3", "text": "The Ku Klux Klan endorsed a candidate for mayor."},
    {"id": "k4", "text": "A candidate for mayor was endorsed by a union."},
]


def test_lexical_index_mines_related_words_from_titles_and_texts():
    index = LexicalIndex.from_items(KLAN_ROWS)

    assert "klan" in index.related_words("kkk")
    assert "kkk" in index.related_words("klan")
    assert index.related_words("mayor") == ()


def test_lexical_index_expands_a_query_with_related_words():
    plain = LexicalIndex.from_items(KLAN_ROWS, IndexSettings(synonym_weight=0.0))
    expanded = LexicalIndex.from_items(KLAN_ROWS)

    query = "KKK endorsed candidate for mayor"

    assert plain.search(query, top=2)[0][0] in {"k3", "k4"}
    assert expanded.search(query, top=1)[0][0] == "k3"


def test_rerank_prefers_the_claim_from_the_tweets_year():
    rows = [
        {"id": "y16", "text": "A photograph shows flooding in Houston in 2016."},
        {"id": "y17", "text": "A photograph shows flooding in Houston in 2017."},
    ]
    tweet = "Flooding in Houston pic.twitter.com/x — Jo Doe (@jodoe) August 28, 2017"
    first_stage = LexicalIndex.from_items(rows, IndexSettings(rerank_weights=None))

    assert [doc_id for doc_id, _ in first_stage.search(tweet, top=2)] == ["y16", "y17"]
    assert LexicalIndex.from_items(rows).search(tweet, top=1)[0][0] == "y17"


def test_rerank_features_have_one_row_per_candidate():
    index = LexicalIndex.from_items(POOL_ROWS)

    head, features = index.rerank_features("central bank interest rates budget")

    assert len(head) == len(features) >= 3
    assert features.shape[1] == len(RERANK_WEIGHTS)


def test_search_scores_fall_past_the_rerank_depth():
    index = LexicalIndex.from_items(POOL_ROWS, IndexSettings(rerank_depth=2))

    hits = index.search("will the bank cut rates by friday or sign the budget deal", top=5)

    assert len(hits) == 5
    assert len({doc_id for doc_id, _ in hits}) == 5
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True)


def test_segment_splits_glued_words_into_known_ones():
    vocabulary = {"chuck": 3, "schumer": 2, "walk": 5, "away": 9, "con": 1, "text": 4}

    assert segment("chuckschumer", vocabulary) == ["chuck", "schumer"]
    assert segment("walkaway", vocabulary) == ["walk", "away"]
    assert segment("kankaria", vocabulary) is None
    assert segment("walk", vocabulary) is None  # one piece is no split


def test_lexical_index_splits_lowercase_handles_and_hashtags():
    rows = [
        {"id": "s1", "text": "Senator Chuck Schumer voted against the border bill."},
        {"id": "s2", "text": "A senator voted against the bill."},
    ]
    query = "@chuckschumer voted against the bill #walkaway"
    words_only = IndexSettings(char_weight=0.0)
    unsplit = LexicalIndex.from_items(rows, IndexSettings(char_weight=0.0, segment_unknown=False))

    assert [doc_id for doc_id, _ in unsplit.search(query, top=2)] == ["s2", "s1"]
    assert LexicalIndex.from_items(rows, words_only).search(query, top=1)[0][0] == "s1"
