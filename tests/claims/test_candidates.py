"""Candidates against the database: index_claim, find_candidates, match_mention (the stage)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.management.commands.similar_claims import STATEMENT_WIDTH
from claims.matching import MatchInput, candidates, normalize_text, score_pair
from claims.matching.candidates import (
    choose_query_keys,
    claim_keys,
    clear_doc_freq_cache,
    find_candidates,
    index_claim,
)
from claims.matching.stage import match_mention
from claims.models import Claim, ClaimKey, ClaimSearch

pytestmark = pytest.mark.django_db

MINERALS = (
    "Ukraine and the United States will sign the minerals deal by the end of next week, "
    "Volodymyr Zelensky said."
)
MINERALS_PARAPHRASE = (
    "Zelensky said Kyiv is set to sign the minerals agreement with the United States "
    "by the end of next week."
)


@pytest.fixture(autouse=True)
def _fresh_doc_freqs():
    """Key frequencies are cached per process; a rolled-back test must not leak its counts."""
    clear_doc_freq_cache()
    yield
    clear_doc_freq_cache()


def make_claim(
    statement: str,
    *,
    event: str = "",
    speaker: str = "",
    entities: tuple[str, ...] = (),
    window: tuple[dt.date, dt.date] | None = None,
    status: str = "open",
    last_mentioned_at: dt.datetime | None = None,
) -> Claim:
    """Create and index a claim, as the pipeline does when a mention starts one."""
    claim = Claim.objects.create(
        statement=statement,
        event=event,
        speaker=speaker,
        entities=list(entities),
        deadline_earliest=window[0] if window else None,
        deadline_latest=window[1] if window else None,
        status=status,
        last_mentioned_at=last_mentioned_at,
    )
    index_claim(claim, texts=[statement, event], entities=entities)
    return claim


@pytest.fixture
def minerals() -> Claim:
    return make_claim(
        MINERALS,
        event="sign the minerals deal",
        speaker="Volodymyr Zelensky",
        entities=("ukraine", "united states"),
        window=(dt.date(2025, 3, 3), dt.date(2025, 3, 9)),
    )


@pytest.fixture
def unrelated() -> list[Claim]:
    return [
        make_claim(
            "The coalition will present its budget by the end of the month",
            window=(dt.date(2026, 9, 30), dt.date(2026, 9, 30)),
        ),
        make_claim(
            "ProRail will reopen the Amsterdam railway bridge in June 2026",
            entities=("prorail", "amsterdam"),
            window=(dt.date(2026, 6, 1), dt.date(2026, 6, 30)),
        ),
    ]


def paraphrase(**overrides) -> MatchInput:
    fields = {
        "id": "mention",
        "text": MINERALS_PARAPHRASE,
        "speaker": "Zelensky",
        "entities": frozenset({"ukraine", "united states"}),
        "earliest": dt.date(2025, 3, 3),
        "latest": dt.date(2025, 3, 9),
    }
    fields.update(overrides)
    return MatchInput(**fields)


def stored_keys(claim: Claim) -> set[str]:
    return set(ClaimKey.objects.filter(claim=claim).values_list("key", flat=True))


# --- index_claim -------------------------------------------------------------------------


def test_index_claim_is_idempotent(minerals):
    keys_before = stored_keys(minerals)
    ids_before = set(ClaimKey.objects.filter(claim=minerals).values_list("pk", flat=True))

    count = index_claim(minerals, texts=[MINERALS], entities=["ukraine", "united states"])

    assert stored_keys(minerals) == keys_before
    assert set(ClaimKey.objects.filter(claim=minerals).values_list("pk", flat=True)) == ids_before
    assert count == len(keys_before)
    assert ClaimSearch.objects.get(claim=minerals).keys_count == count
    assert ClaimSearch.objects.count() == 1


def test_index_claim_unchanged_reads_once_and_writes_nothing(minerals, django_assert_num_queries):
    with django_assert_num_queries(1):
        index_claim(minerals, texts=[MINERALS], entities=["ukraine", "united states"])


def test_index_claim_updates_the_search_row_of_a_changed_statement(minerals):
    minerals.statement = "Ukraine and the United States will sign the rare earths deal"
    minerals.save()

    count = index_claim(minerals, texts=[], entities=[])

    search = ClaimSearch.objects.get(claim=minerals)
    assert (search.normalized_text, search.keys_count) == (
        normalize_text(minerals.statement),
        count,
    )


def test_index_claim_stores_words_entities_and_normalized_statement(minerals):
    search = ClaimSearch.objects.get(claim=minerals)

    assert {"ent:ukraine", "ent:united states", "miner", "zelenski"} <= stored_keys(minerals)
    assert search.normalized_text == normalize_text(MINERALS)


def test_index_claim_drops_keys_a_changed_statement_no_longer_has(minerals):
    minerals.statement = "Ukraine and the United States will sign the rare earths deal"
    minerals.event = ""
    minerals.save()

    index_claim(minerals, texts=[minerals.statement], entities=[])

    keys = stored_keys(minerals)
    assert "miner" not in keys
    assert {"rare", "earth", "ent:ukraine"} <= keys
    assert keys == claim_keys([minerals.statement], entities=minerals.entities)


def test_index_claim_adds_words_of_mention_sentences(minerals):
    index_claim(minerals, texts=["Kyiv hopes the lithium agreement is signed soon"], entities=[])

    assert {"kyiv", "lithium", "miner"} <= stored_keys(minerals)


# --- find_candidates ---------------------------------------------------------------------


def test_find_candidates_returns_the_paraphrased_claim_and_not_unrelated_ones(minerals, unrelated):
    candidates = find_candidates(paraphrase())

    assert [candidate.id for candidate in candidates] == [str(minerals.pk)]
    assert candidates[0].text == normalize_text(MINERALS)
    assert candidates[0].entities == frozenset({"ukraine", "united states"})
    assert candidates[0].latest == dt.date(2025, 3, 9)


def test_find_candidates_ranks_claims_sharing_more_rare_keys_first(minerals):
    weaker = make_claim(
        "The United States will sign a trade deal with Vietnam",
        entities=("united states", "vietnam"),
    )

    candidates = find_candidates(paraphrase())

    assert [candidate.id for candidate in candidates] == [str(minerals.pk), str(weaker.pk)]


def test_find_candidates_never_returns_excluded_claims(minerals, unrelated):
    candidates = find_candidates(paraphrase(), exclude_ids=[minerals.pk])

    assert candidates == []


def test_match_mention_never_rejoins_a_detached_claim(minerals, unrelated):
    joined = match_mention(paraphrase())
    detached = match_mention(paraphrase(), exclude_ids=[minerals.pk])

    assert joined is not None
    assert joined.candidate_id == str(minerals.pk)
    assert detached is None


@pytest.mark.parametrize(
    ("window", "slack_days", "found"),
    [
        ((dt.date(2025, 3, 3), dt.date(2025, 3, 9)), 60, True),  # same window
        ((dt.date(2025, 4, 20), dt.date(2025, 4, 30)), 60, True),  # 42 days later
        ((dt.date(2025, 9, 1), dt.date(2025, 9, 30)), 60, False),  # half a year later
        ((dt.date(2025, 9, 1), dt.date(2025, 9, 30)), 365, True),  # within a year's slack
        ((dt.date(2025, 9, 1), dt.date(2025, 9, 30)), None, True),  # filter off
        (None, 60, True),  # mention without a deadline: no window filter
    ],
)
def test_find_candidates_filters_by_deadline_window_proximity(minerals, window, slack_days, found):
    earliest, latest = window if window else (None, None)

    candidates = find_candidates(
        paraphrase(earliest=earliest, latest=latest), window_slack_days=slack_days
    )

    assert ([candidate.id for candidate in candidates] == [str(minerals.pk)]) == found


def test_find_candidates_keeps_claims_without_a_deadline_under_the_window_filter():
    undated = make_claim(MINERALS, entities=("ukraine", "united states"))

    candidates = find_candidates(paraphrase(), window_slack_days=0)

    assert [candidate.id for candidate in candidates] == [str(undated.pk)]


def test_find_candidates_filters_by_status(minerals):
    open_ids = [candidate.id for candidate in find_candidates(paraphrase(), statuses=["open"])]
    final_ids = [
        candidate.id for candidate in find_candidates(paraphrase(), statuses=["fulfilled"])
    ]

    assert open_ids == [str(minerals.pk)]
    assert final_ids == []


def test_find_candidates_filters_by_recency():
    now = timezone.now()
    recent = make_claim(
        MINERALS, entities=("ukraine",), last_mentioned_at=now - dt.timedelta(days=3)
    )
    make_claim(MINERALS, entities=("ukraine",), last_mentioned_at=now - dt.timedelta(days=400))

    candidates = find_candidates(
        paraphrase(), mentioned_since=now - dt.timedelta(days=30), window_slack_days=None
    )

    assert [candidate.id for candidate in candidates] == [str(recent.pk)]


def test_find_candidates_respects_limit(minerals):
    extra = [make_claim(MINERALS, entities=("ukraine",)) for _ in range(3)]

    candidates = find_candidates(paraphrase(), limit=2, window_slack_days=None)

    assert len(candidates) == 2
    assert {candidate.id for candidate in candidates} <= {str(c.pk) for c in [minerals, *extra]}


def test_choose_query_keys_takes_rare_keys_within_the_postings_budget(minerals):
    for country in ("Chile", "Peru", "Bolivia"):
        make_claim(f"{country} will sign the lithium export accord")

    weights = choose_query_keys(paraphrase(), postings_budget=5)

    assert len(weights) == 5
    assert "sign" not in weights  # held by 4 claims: the rarer keys fill the budget first
    assert "kyiv" not in weights  # held by no claim: cannot narrow anything
    assert set(weights) <= stored_keys(minerals)


def test_choose_query_keys_takes_two_keys_even_when_all_are_common(minerals):
    weights = choose_query_keys(paraphrase(), postings_budget=0)

    assert len(weights) == 2


def test_entity_pairs_are_keys(minerals):
    assert "pair:ukraine|united states" in stored_keys(minerals)
    assert "pair:ukraine|united states" in choose_query_keys(paraphrase())


def test_choose_query_keys_weights_rarer_keys_higher(minerals):
    make_claim("Canada will sign the timber accord with the United States")

    weights = choose_query_keys(paraphrase())

    assert weights["miner"] > weights["sign"]


def test_a_common_key_contributes_only_its_newest_claims(monkeypatch):
    monkeypatch.setattr(candidates, "POSTINGS_CAP", 2)
    claims = [make_claim("Chile will sign the lithium export accord") for _ in range(3)]

    found = find_candidates(MatchInput(id="m", text="lithium"), window_slack_days=None)

    assert [candidate.id for candidate in found] == [str(claims[2].pk), str(claims[1].pk)]


def test_find_candidates_is_empty_without_stored_claims():
    assert find_candidates(paraphrase()) == []


def test_scoring_the_normalized_statement_equals_scoring_the_statement(minerals):
    """find_candidates hands score_pair ClaimSearch.normalized_text instead of the statement."""
    mention = paraphrase()
    candidate = find_candidates(mention)[0]
    raw = MatchInput(
        id=candidate.id,
        text=MINERALS,
        speaker=candidate.speaker,
        entities=candidate.entities,
        earliest=candidate.earliest,
        latest=candidate.latest,
        event=candidate.event,
    )

    assert score_pair(mention, candidate) == score_pair(mention, raw)


# --- similar_claims ----------------------------------------------------------------------


def test_similar_claims_prints_the_closest_claim_first(minerals, unrelated):
    out = StringIO()

    call_command("similar_claims", MINERALS_PARAPHRASE, "--top", "3", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["score", "status", "deadline", "id", "statement"]
    assert len(lines) == 2
    score, status, deadline, claim_id, *statement = lines[1].split()
    assert float(score) > 50
    assert (status, deadline, claim_id) == ("open", "2025-03-03..2025-03-09", str(minerals.pk))
    assert " ".join(statement) == MINERALS[:STATEMENT_WIDTH].rstrip()


def test_similar_claims_shows_at_most_top_claims(minerals):
    for _ in range(4):
        make_claim(MINERALS, entities=("ukraine",))
    out = StringIO()

    call_command("similar_claims", MINERALS_PARAPHRASE, "--top", "2", stdout=out)

    assert len(out.getvalue().splitlines()) == 1 + 2


def test_similar_claims_says_so_when_nothing_is_similar(unrelated):
    out = StringIO()

    call_command("similar_claims", "Pluto will be reclassified as a planet", stdout=out)

    assert out.getvalue().strip() == "No similar claims."
