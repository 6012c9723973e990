"""Unit tests for claims.matching: normalisation, search keys, pair scoring.

Every sentence here is invented for these tests; no public data set is copied in.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from claims.matching import MatchInput, best_match, normalize_text, rank, score_pair, stem, tokenize
from claims.matching.keys import candidate_keys

pytestmark = pytest.mark.unit

# Bands of the text part alone: with no window, speaker or entity to agree on, a paraphrase
# scores at least AUTO and a different claim on the same topic below SUGGEST. (Production
# thresholds, CLAIM_MATCH_AUTO and _SUGGEST, apply to the full score with those parts.)
AUTO, SUGGEST = 82.0, 65.0


# --- Normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Mayor RESIGNED on Monday!", "the mayor resigned on monday"),
        ("“Deal” or ‘no deal’?", "deal or no deal"),
        ("The minister’s plan", "the minister plan"),
        ("won't sign", "wont sign"),
        ("Café in Zürich", "cafe in zurich"),
        ("1,000,000 troops", "1000000 troops"),
        ("70% of voters", "70 percent of voters"),
        ("70 per cent of voters", "70 percent of voters"),
        ("two women and twelve men", "2 women and 12 men"),
        ("the 3rd round", "the 3 round"),
        ("growth of 2.5 points", "growth of 2p5 points"),
        ("costs $5 billion", "costs dollar 5 billion"),
        ("read https://t.co/AbC123 now", "read now"),
        ("#Defundhttps://t.co/AbC pic.twitter.com/XyZ", "defund"),
        ("#AustralianFires spread", "australian fires spread"),
        ("@realDonaldTrump said", "real donald trump said"),
        ("Talks end. — Ana Ruiz (@AnaRuiz) January 6, 2020", "talks end ana ruiz"),
    ],
)
def test_normalize_text_unifies_case_quotes_numbers_and_tweet_noise(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("words", "stemmed"),
    [
        (["sign", "signs", "signed", "signing"], "sign"),
        (["talk", "talks", "talked", "talking"], "talk"),
        (["budget", "budgets"], "budget"),
        (["election", "elections"], "elect"),
        (["agreement", "agreements"], "agreement"),
    ],
)
def test_stem_brings_inflections_together(words, stemmed):
    assert {stem(word) for word in words} == {stemmed}


def test_tokenize_drops_stop_words_but_keeps_negation():
    tokens = tokenize("The ministers will NOT sign the agreements")

    assert tokens == ["minist", "will", "not", "sign", "agreement"]


def test_tokenize_can_keep_stop_words_and_skip_stemming():
    tokens = tokenize("The talks", drop_stop_words=False, stemmed=False)

    assert tokens == ["the", "talks"]


def test_candidate_keys_keep_entities_and_rare_words_not_calendar_words():
    keys = candidate_keys(
        ["Ukraine and the United States will sign the minerals deal by the end of next week"],
        entities=["Ukraine", "United States"],
    )

    assert keys == {
        "ent:ukraine",
        "ent:united states",
        "deal",
        "miner",
        "sign",
        "state",
        "ukrain",
        "unit",
    }


def test_candidate_keys_prefer_rare_words_when_document_frequencies_are_known():
    doc_freq = {"deal": 5000, "miner": 12, "sign": 800, "ukrain": 300}

    keys = candidate_keys(
        ["Ukraine will sign the minerals deal"], doc_freq=doc_freq, max_doc_freq=1000, limit=2
    )

    assert keys == {"miner", "ukrain"}


# --- Pair scoring ----------------------------------------------------------------------

# The same claim as different outlets word it.
SAME_CLAIM = [
    (
        "Ukraine and the United States will sign the minerals deal by the end of next week, "
        "officials said.",
        "Officials said the US and Ukraine would sign the minerals deal before the end of next "
        "week.",
    ),
    (
        "Israel and Hamas are expected to agree a ceasefire in Gaza within days, mediators said.",
        "Mediators expect Israel and Hamas to agree to a Gaza ceasefire within a matter of days.",
    ),
    (
        "The finance minister said the budget will be balanced by 2027.",
        "The budget will be balanced by 2027, the Finance Minister said on Tuesday.",
    ),
    (
        "The election commission will announce the final results on Friday.",
        "Final results will be announced by the election commission on Friday.",
    ),
    (
        "The government expects parliament to pass the 2026 budget before the summer recess.",
        "Parliament is expected to pass the government's 2026 budget ahead of the summer recess.",
    ),
    (
        "Rubio said we would know within days, not weeks, whether the war can be ended.",
        "Within a matter of days, not weeks, we will know whether the war can be ended, Rubio "
        "said.",
    ),
    (
        "The central bank will cut interest rates by 0.25 percentage points in June.",
        "The Central Bank is set to cut interest rates by 0.25 percentage points in June.",
    ),
    (
        "Trump said the US would 'take a pass' on peace talks if Russia or Ukraine made it "
        "difficult.",
        "If Russia or Ukraine make peace talks difficult, the US will take a pass, Trump said.",
    ),
    (
        "The union said workers will strike on 1 May unless the pay offer is improved.",
        "Workers will go on strike on May 1 unless the pay offer is improved, the union said.",
    ),
]

# Same actors and frame, a different claim.
DIFFERENT_CLAIM = [
    (
        "Ukraine and the United States will sign the minerals deal by the end of next week.",
        "Ukraine and the United States will agree a ceasefire proposal by the end of the month.",
    ),
    (
        "Israel and Hamas are expected to agree a ceasefire in Gaza within days.",
        "Israel said it will send a delegation to Cairo for talks on hostages next week.",
    ),
    (
        "The finance minister said the budget will be balanced by 2027.",
        "The finance minister said income tax will be cut by two percentage points in 2027.",
    ),
    (
        "The election commission will announce the final results on Friday.",
        "The election commission will begin recounting votes in three districts on Monday.",
    ),
    (
        "The government expects parliament to pass the 2026 budget before the summer recess.",
        "The government expects parliament to approve the defence procurement bill before the "
        "summer recess.",
    ),
    (
        "The central bank will cut interest rates in June.",
        "The central bank will end its bond-buying programme in June.",
    ),
    (
        "The union said workers will strike on 1 May unless the pay offer is improved.",
        "The union said it will ballot members on the new pension scheme in May.",
    ),
]


@pytest.mark.parametrize(("mention", "claim"), SAME_CLAIM)
def test_score_pair_puts_paraphrases_above_auto(mention, claim):
    result = score_pair(MatchInput("m", mention), MatchInput("c", claim))

    assert result.score >= AUTO, result.parts


@pytest.mark.parametrize(("mention", "claim"), DIFFERENT_CLAIM)
def test_score_pair_puts_same_topic_different_claims_below_suggest(mention, claim):
    result = score_pair(MatchInput("m", mention), MatchInput("c", claim))

    assert result.score < SUGGEST, result.parts


@pytest.mark.parametrize(("mention", "claim"), SAME_CLAIM[:3])
def test_score_pair_is_symmetric(mention, claim):
    forward = score_pair(MatchInput("m", mention), MatchInput("c", claim))

    backward = score_pair(MatchInput("c", claim), MatchInput("m", mention))

    assert forward.score == backward.score


def test_score_pair_sends_a_denial_to_the_suggestion_band_with_a_negation_part():
    """A denial is evidence about the same claim, so it should reach an editor, not vanish."""
    claim = MatchInput("c", "Ukraine will sign the minerals deal by the end of next week.")
    denial = MatchInput("m", "Ukraine will not sign the minerals deal by the end of next week.")

    result = score_pair(denial, claim)

    assert SUGGEST <= result.score < AUTO
    assert result.parts["negation"] < 0


def test_score_pair_lowers_the_score_as_deadline_windows_drift_apart():
    text = "The minerals deal will be signed by the end of next week, officials said."
    claim = MatchInput("c", text, earliest=date(2025, 4, 21), latest=date(2025, 4, 27))
    overlapping = MatchInput("m1", text, earliest=date(2025, 4, 25), latest=date(2025, 4, 27))
    week_later = MatchInput("m2", text, earliest=date(2025, 5, 2), latest=date(2025, 5, 4))
    months_later = MatchInput("m3", text, earliest=date(2025, 9, 1), latest=date(2025, 9, 30))

    scores = [score_pair(m, claim) for m in (overlapping, week_later, months_later)]

    assert scores[0].score > scores[1].score > scores[2].score
    assert scores[0].parts["window"] > 0 > scores[1].parts["window"]


def test_score_pair_ignores_windows_when_one_side_has_none():
    text = "The minerals deal will be signed by the end of next week."
    dated = MatchInput("c", text, earliest=date(2025, 4, 21), latest=date(2025, 4, 27))

    result = score_pair(MatchInput("m", text), dated)

    assert "window" not in result.parts


@pytest.mark.parametrize(
    ("mention_speaker", "claim_speaker", "effect"),
    [
        ("Marco Rubio", "Rubio", "raises"),
        ("Donald Trump", "Donald Trump", "raises"),
        ("Marco Rubio", "Volodymyr Zelensky", "lowers"),
    ],
)
def test_score_pair_speaker_agreement_raises_and_disagreement_lowers(
    mention_speaker, claim_speaker, effect
):
    mention = "We will know within days whether the war can be ended."
    claim = "Within days we will know if the war can be ended."
    plain = score_pair(MatchInput("m", mention), MatchInput("c", claim)).score

    with_speakers = score_pair(
        MatchInput("m", mention, speaker=mention_speaker),
        MatchInput("c", claim, speaker=claim_speaker),
    ).score

    assert (with_speakers > plain) if effect == "raises" else (with_speakers < plain)


def test_score_pair_shared_entities_raise_and_disjoint_entities_lower():
    mention = "The ceasefire will take effect at midnight on Sunday."
    claim = "A ceasefire is to take effect at midnight on Sunday."
    plain = score_pair(MatchInput("m", mention), MatchInput("c", claim)).score

    shared = score_pair(
        MatchInput("m", mention, entities=frozenset({"Gaza", "Israel"})),
        MatchInput("c", claim, entities=frozenset({"Israel", "Hamas", "Gaza"})),
    )
    disjoint = score_pair(
        MatchInput("m", mention, entities=frozenset({"Gaza"})),
        MatchInput("c", claim, entities=frozenset({"Sudan"})),
    )

    assert shared.score > plain > disjoint.score
    assert shared.parts["entities"] > 0 > disjoint.parts["entities"]


def test_score_pair_different_rates_in_one_template_count_against_a_match():
    fifty = "The union said a 5% pay rise for nurses will take effect in April."
    three = "The union said a 3 per cent pay rise for nurses will take effect in April."
    restated = "Nurses will get a 5 percent pay rise from April, the union said."

    apart = score_pair(MatchInput("a", fifty), MatchInput("b", three))
    together = score_pair(MatchInput("a", fifty), MatchInput("c", restated))

    assert apart.parts["percents"] < 0
    assert "percents" not in together.parts


def test_score_pair_event_phrases_separate_claims_with_similar_frames():
    frame_a = "The two governments will sign the accord by the end of the month."
    frame_b = "The two governments will review the accord by the end of the month."
    without_events = score_pair(MatchInput("a", frame_a), MatchInput("b", frame_b)).score

    with_events = score_pair(
        MatchInput("a", frame_a, event="sign the accord"),
        MatchInput("b", frame_b, event="review the accord"),
    )

    assert with_events.score < without_events
    assert "event" in with_events.parts


def test_score_pair_returns_a_bounded_score_and_json_ready_parts():
    result = score_pair(MatchInput("a", "Talks resume"), MatchInput("b", "Talks resume"))

    assert 0 <= result.score <= 100
    assert json.loads(json.dumps(result.parts)) == result.parts


# --- best_match and rank ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "linked"),
    [
        ("The mayor resigned on Monday", "the Mayor resigned on Monday.", True),
        ("The mayor resigned on Monday", "The council approved the budget", False),
    ],
)
def test_best_match_ignores_case_and_punctuation(a, b, linked):
    assert (best_match(a, [b], auto=AUTO, suggest=SUGGEST) is not None) == linked


def test_best_match_marks_scores_between_thresholds_as_suggested():
    claim = MatchInput("c", "Ukraine will sign the minerals deal by the end of next week.")
    denial = "Ukraine will not sign the minerals deal by the end of next week."

    match = best_match(denial, [claim], auto=AUTO, suggest=SUGGEST)

    assert match is not None
    assert (match.candidate_id, match.suggested) == ("c", True)


def test_best_match_thresholds_are_parameters():
    claim = MatchInput("c", "Ukraine will sign the minerals deal by the end of next week.")
    denial = "Ukraine will not sign the minerals deal by the end of next week."

    assert best_match(denial, [claim], suggest=90, auto=95) is None
    assert best_match(denial, [claim], suggest=10, auto=20).suggested is False


def test_best_match_returns_none_for_no_candidates():
    assert best_match("Talks will resume on Monday", [], auto=AUTO, suggest=SUGGEST) is None


POOL = [
    MatchInput("deal", "Ukraine and the US will sign a minerals deal by the end of next week."),
    MatchInput("truce", "Israel and Hamas will agree a ceasefire in Gaza within days."),
    MatchInput("budget", "The finance minister says the budget will be balanced by 2027."),
    MatchInput("vote", "The election commission will publish final results on Friday."),
    MatchInput("rates", "The central bank will cut interest rates in June."),
]


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("US and Ukrainian officials expect to sign the minerals deal next week", "deal"),
        ("Mediators: Gaza ceasefire between Israel and Hamas expected within days", "truce"),
        ("Final election results will be published by the commission on Friday", "vote"),
        ("Budget to be balanced by 2027, says finance minister", "budget"),
    ],
)
def test_rank_puts_the_same_claim_first(mention, expected):
    ranked = rank(mention, POOL, top=3)

    assert ranked[0][0].id == expected
    assert [pair[1].score for pair in ranked] == sorted(
        (pair[1].score for pair in ranked), reverse=True
    )


def test_rank_accepts_plain_strings_and_numbers_them():
    ranked = rank("rates cut in June", ["Gaza ceasefire", "Bank to cut rates in June"], top=1)

    assert ranked[0][0].id == "1"
