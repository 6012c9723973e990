"""Candidate retrieval (DB): narrow the stored claims a new mention could match.

`scoring.score_pair` costs 60-200 µs a pair, so scoring a million stored claims takes
minutes. Instead each claim is stored under a few dozen keys (one `ClaimKey` row each):
stemmed content words and ``ent:`` entity names from `matching.candidate_keys`, plus
``pair:`` keys for pairs of its entities, which are rare even when each name is common. A
mention then reads only the postings of its *rarest* keys:

1. `index_claim()` writes a claim's keys and its `ClaimSearch` row (normalised statement).
2. `find_candidates()` looks up how many claims hold each of the mention's keys (a count
   capped at `POSTINGS_CAP`, cached in the process), takes keys rarest first until
   `POSTINGS_BUDGET` postings would be read, sums a rarity weight per claim over the keys it
   shares (a frequent key contributes only its `POSTINGS_CAP` newest claims), and returns the
   best-sharing claims as `MatchInput`s, filtered by status, deadline window and recency.

`claims.matching.stage.match_mention` scores them; nothing else decides a match.

Plain SQL (subqueries with ORDER BY/LIMIT, UNION ALL, GROUP BY) runs the same on SQLite and
PostgreSQL; on PostgreSQL every key lookup is an index-only scan of ``claimkey_key_claim_idx``.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, timedelta

from django.db import connection, transaction

from claims.matching.keys import candidate_keys
from claims.matching.scoring import MatchInput
from claims.matching.text import normalize_text
from claims.models import Claim, ClaimKey, ClaimSearch

KEY_MAX_LENGTH = 64  # ClaimKey.key max_length; longer keys are cut on both sides alike
MAX_KEYS_PER_CLAIM = 40  # word keys of a claim; its statement, event and mentions rarely hold more
MAX_PAIRED_ENTITIES = 5  # ``pair:`` keys are made from the first 5 entity names: at most 10
MAX_QUERY_KEYS = 40  # word keys of a mention whose frequency is looked up
# A key's postings are read newest claim first and at most this many: a word held by 100,000
# claims narrows to its 2,000 most recent. Also the cap of the frequency count.
POSTINGS_CAP = 2000
# Keys are taken rarest first until reading their postings would pass this many rows (at
# least MIN_QUERY_KEYS keys, at most QUERY_KEY_LIMIT): the cost of a search is bounded.
POSTINGS_BUDGET = 4000
MIN_QUERY_KEYS = 2
QUERY_KEY_LIMIT = 12
# Key frequencies change slowly; caching them saves a count per common key and mention.
DOC_FREQ_CACHE_SECONDS = 300.0
DOC_FREQ_CACHE_SIZE = 200_000
# With filters, the key search returns this many times `limit` claims before the filters drop
# some: the filters need Claim's columns, and joining Claim for every key hit is the slow part.
FILTERED_OVERFETCH = 4
# `score_pair` costs 60-200 µs a pair, and the matcher scores every live mention of each
# candidate, so it takes the 30 best-sharing claims; the true claim shares the most rare keys
# and is nearly always among the first few.
MATCH_CANDIDATE_LIMIT = 30
# A restatement with a moved deadline, or a late fulfilment, lies months from the claim's
# window; a year of slack still finds it while dropping same-topic claims from other years.
MATCH_WINDOW_SLACK_DAYS = 365

# key -> (monotonic time of the count, claims holding it, capped at POSTINGS_CAP)
_doc_freq_cache: dict[str, tuple[float, int]] = {}


def entity_pair_keys(entity_keys: Iterable[str]) -> frozenset[str]:
    """``pair:a|b`` for each pair of the first `MAX_PAIRED_ENTITIES` ``ent:`` names (pure)."""
    names = sorted({key[4:] for key in entity_keys if key.startswith("ent:")})
    return frozenset(
        f"pair:{a}|{b}" for a, b in itertools.combinations(names[:MAX_PAIRED_ENTITIES], 2)
    )


def search_keys(
    texts: Iterable[str], *, entities: Iterable[str] = (), limit: int = MAX_KEYS_PER_CLAIM
) -> frozenset[str]:
    """Return the keys for these texts and entities: words, entities, entity pairs (pure).

    Words and entities come from `matching.candidate_keys` (the `limit` longest words, every
    entity); keys are cut to `KEY_MAX_LENGTH` characters. A claim is stored under these keys
    and a mention searched by them, so both sides must go through this function.
    """
    keys = candidate_keys(texts, entities=entities, limit=limit)
    return frozenset(key[:KEY_MAX_LENGTH] for key in keys | entity_pair_keys(keys))


def claim_keys(texts: Iterable[str], *, entities: Iterable[str] = ()) -> frozenset[str]:
    """Return the keys a claim with these texts and entities is stored under (pure)."""
    return search_keys(texts, entities=entities, limit=MAX_KEYS_PER_CLAIM)


# No savepoint inside a caller's transaction (the pipeline's article): an error undoes it whole.
@transaction.atomic(savepoint=False)
def index_claim(claim: Claim, *, texts: Iterable[str], entities: Iterable[str]) -> int:
    """Store `claim`'s search keys and normalised statement; return how many keys it has.

    `texts` are what the claim is found by: the caller passes its statement, event phrase and
    its mentions' sentences; the statement, event and `claim.entities` are added regardless, so
    a claim is always found by its own statement. Call it when a claim is created and whenever
    its statement, entities or mentions change.

    Idempotent: keys no longer produced are deleted, missing ones inserted, and a second call
    with the same input writes nothing to ClaimKey.
    """
    all_texts = [claim.statement, claim.event, *texts]
    all_entities = [*claim.entities, *entities]
    keys = claim_keys([text for text in all_texts if text], entities=all_entities)

    stored, stored_search = _stored_index(claim.pk)
    stale = stored - keys
    if stale:
        ClaimKey.objects.filter(claim=claim, key__in=stale).delete()
    missing = keys - stored
    if missing:
        # ignore_conflicts: a concurrent index_claim of the same claim may insert them first;
        # the unique (claim, key) constraint keeps one row.
        ClaimKey.objects.bulk_create(
            [ClaimKey(claim=claim, key=key) for key in sorted(missing)], ignore_conflicts=True
        )
    for key in stale | missing:
        _doc_freq_cache.pop(key, None)  # this process sees its own writes at once
    search = {"normalized_text": normalize_text(claim.statement), "keys_count": len(keys)}
    # Most re-indexes (a mention joined) leave the row as it was: then nothing is written.
    if stored_search == (search["normalized_text"], search["keys_count"]):
        return len(keys)
    # One UPDATE for a claim indexed before; the row is made the first time.
    if not ClaimSearch.objects.filter(claim=claim).update(**search):
        ClaimSearch.objects.update_or_create(claim=claim, defaults=search)
    return len(keys)


def _stored_index(claim_id: int) -> tuple[set[str], tuple[str, int] | None]:
    """The claim's stored keys and its ClaimSearch (normalised text, key count), if any.

    One query for both (a UNION ALL; a key row has no count): `index_claim` runs on every
    join of a mention, and each round trip is a wait on a shared database.
    """
    keys_table = connection.ops.quote_name(ClaimKey._meta.db_table)
    search_table = connection.ops.quote_name(ClaimSearch._meta.db_table)
    # Only the table names (from the models, quoted) are formatted in; the id is a parameter.
    sql = (
        f"SELECT key, NULL FROM {keys_table} WHERE claim_id = %s UNION ALL "  # noqa: S608
        f"SELECT normalized_text, keys_count FROM {search_table} WHERE claim_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [claim_id, claim_id])
        rows = cursor.fetchall()
    keys = {text for text, count in rows if count is None}
    search = next(((text, int(count)) for text, count in rows if count is not None), None)
    return keys, search


def clear_doc_freq_cache() -> None:
    """Forget every cached key frequency (tests; after a bulk load)."""
    _doc_freq_cache.clear()


def key_doc_freqs(keys: Iterable[str]) -> dict[str, int]:
    """Return how many claims hold each key, counting at most `POSTINGS_CAP` per key.

    Counts younger than `DOC_FREQ_CACHE_SECONDS` come from a per-process cache (other
    processes' writes show up when they expire; only key choice and weights depend on them).
    The rest take one query: a ``LIMIT`` subquery per key, so a key held by 100,000 claims
    costs `POSTINGS_CAP` index entries instead of 100,000.
    """
    now = time.monotonic()
    result: dict[str, int] = {}
    missing: list[str] = []
    for key in sorted(set(keys)):
        cached = _doc_freq_cache.get(key)
        if cached is not None and now - cached[0] < DOC_FREQ_CACHE_SECONDS:
            result[key] = cached[1]
        else:
            missing.append(key)
    if not missing:
        return result
    table = connection.ops.quote_name(ClaimKey._meta.db_table)
    # Only the table name (from the model, quoted) is formatted in; every value is a parameter.
    one_key = (
        f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE key = %s LIMIT %s)"  # noqa: S608
        " AS capped)"
    )
    params: list[object] = []
    for key in missing:
        params += [key, key, POSTINGS_CAP]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([one_key] * len(missing)), params)
        counted = {key: int(count) for key, count in cursor.fetchall()}
    if len(_doc_freq_cache) > DOC_FREQ_CACHE_SIZE:
        _doc_freq_cache.clear()
    for key, count in counted.items():
        _doc_freq_cache[key] = (now, count)
    return result | counted


def _rarity_weight(doc_freq: int) -> float:
    """IDF-like weight needing no total claim count: 8.3 for a unique key, 0.7 at the cap."""
    return math.log(1.0 + (POSTINGS_CAP + 1) / max(1, doc_freq))


def choose_query_keys(
    mention: MatchInput,
    *,
    postings_budget: int = POSTINGS_BUDGET,
    limit: int = QUERY_KEY_LIMIT,
) -> dict[str, float]:
    """Return the keys `mention` is searched by, each with its rarity weight.

    Keys no stored claim holds are dropped (they cannot narrow anything). The rest are taken
    rarest first (entity pairs and rare names usually lead) while their postings fit in
    `postings_budget`, at least `MIN_QUERY_KEYS` and at most `limit` of them. Empty when no
    stored claim shares a key.
    """
    texts = [text for text in (mention.text, mention.event) if text]
    keys = search_keys(texts, entities=mention.entities, limit=MAX_QUERY_KEYS)
    doc_freq = key_doc_freqs(keys)
    present = sorted(
        (key for key, freq in doc_freq.items() if freq > 0),
        key=lambda key: (doc_freq[key], -len(key), key),
    )
    chosen: dict[str, float] = {}
    spent = 0
    for key in present[:limit]:
        if len(chosen) >= MIN_QUERY_KEYS and spent + doc_freq[key] > postings_budget:
            break
        chosen[key] = _rarity_weight(doc_freq[key])
        spent += doc_freq[key]
    return chosen


def _sharing_keys_sql(weights: dict[str, float], *, limit: int) -> tuple[str, list[object]]:
    """SQL for (claim_id, shared): the best `limit` claims by summed weight of shared keys.

    Each key contributes at most its `POSTINGS_CAP` newest claims (``ORDER BY claim_id DESC``
    walks the (key, claim) index backwards), so a common key costs a bounded read; ties go
    to the newer claim.
    """
    table = connection.ops.quote_name(ClaimKey._meta.db_table)
    # Only the table name and aliases are formatted in; every value is a parameter.
    members = [
        f"SELECT claim_id, CAST(%s AS DOUBLE PRECISION) AS weight FROM (SELECT claim_id "  # noqa: S608
        f"FROM {table} WHERE key = %s ORDER BY claim_id DESC LIMIT %s) AS key_{number}"
        for number in range(len(weights))
    ]
    sql = (
        f"SELECT claim_id, SUM(weight) AS shared FROM ({' UNION ALL '.join(members)}) AS hits "  # noqa: S608
        "GROUP BY claim_id ORDER BY shared DESC, claim_id DESC LIMIT %s"
    )
    params: list[object] = []
    for key, weight in weights.items():
        params += [weight, key, POSTINGS_CAP]
    params.append(limit)
    return sql, params


def _candidate_filters(
    mention: MatchInput,
    *,
    excluded: Collection[int],
    statuses: Sequence[str] | None,
    window_slack_days: int | None,
    mentioned_since: datetime | None,
) -> tuple[list[str], list[object]]:
    """SQL conditions on the claim (alias ``c``) for `find_candidates`' filters, and params."""
    ops = connection.ops
    conditions: list[str] = []
    params: list[object] = []
    if excluded:
        conditions.append(f"c.id NOT IN ({', '.join(['%s'] * len(excluded))})")
        params += sorted(excluded)
    start = mention.earliest or mention.latest
    end = mention.latest or mention.earliest
    if window_slack_days is not None and start is not None and end is not None:
        # A claim's window runs from its earliest (else latest) day to its latest (else
        # earliest); a claim with neither is kept.
        slack = timedelta(days=window_slack_days)
        conditions.append(
            "(COALESCE(c.deadline_earliest, c.deadline_latest) IS NULL OR "
            "(COALESCE(c.deadline_latest, c.deadline_earliest) >= %s AND "
            "COALESCE(c.deadline_earliest, c.deadline_latest) <= %s))"
        )
        params += [ops.adapt_datefield_value(start - slack), ops.adapt_datefield_value(end + slack)]
    if statuses is not None:
        conditions.append(f"c.status IN ({', '.join(['%s'] * len(statuses))})")
        params += list(statuses)
    if mentioned_since is not None:
        conditions.append("COALESCE(c.last_mentioned_at, c.created_at) >= %s")
        params.append(ops.adapt_datetimefield_value(mentioned_since))
    return conditions, params


def find_candidates(
    mention: MatchInput,
    *,
    limit: int = 200,
    exclude_ids: Collection[int | str] = (),
    statuses: Sequence[str] | None = None,
    window_slack_days: int | None = 60,
    mentioned_since: datetime | None = None,
    postings_budget: int = POSTINGS_BUDGET,
) -> list[MatchInput]:
    """Return up to `limit` stored claims that could state the same claim as `mention`.

    Candidates share the most (rarity-weighted) keys with the mention; ties go to the claim
    with fewer keys, then the newer claim. Filters, each only when given:

    * `exclude_ids`: never returned (claims an editor detached this mention from);
    * `statuses`: only claims in these statuses;
    * `window_slack_days`: when the mention has a deadline window, only claims whose window is
      unknown or within that many days of it (None turns the filter off);
    * `mentioned_since`: only claims last mentioned (or, never mentioned, created) since then.

    The results are `MatchInput`s for `matching.score_pair` (``id`` is the claim id as a
    string, ``text`` the normalised statement), ordered by shared keys, not by score.

    One query: the key search's best claims (`FILTERED_OVERFETCH` times `limit` of them when
    filters apply: joining Claim for every key hit is the slow part) joined to their rows,
    filtered and ranked (a round trip a decision saved; several decisions an article).
    """
    if limit <= 0 or (statuses is not None and not statuses):
        return []
    weights = choose_query_keys(mention, postings_budget=postings_budget)
    if not weights:
        return []
    excluded = {int(claim_id) for claim_id in exclude_ids}
    conditions, filter_params = _candidate_filters(
        mention,
        excluded=excluded,
        statuses=statuses,
        window_slack_days=window_slack_days,
        mentioned_since=mentioned_since,
    )
    filtered = len(conditions) > (1 if excluded else 0)
    overfetch = limit * FILTERED_OVERFETCH if filtered else limit
    hits_sql, hits_params = _sharing_keys_sql(weights, limit=overfetch + len(excluded))
    claim_table = connection.ops.quote_name(Claim._meta.db_table)
    search_table = connection.ops.quote_name(ClaimSearch._meta.db_table)
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    # Table names come from the models (quoted), conditions from _candidate_filters; every
    # value is a parameter.
    sql = (
        "SELECT c.id, c.statement, c.event, c.speaker, c.entities, c.deadline_earliest, "  # noqa: S608
        "c.deadline_latest, s.normalized_text, hits.shared "
        f"FROM ({hits_sql}) AS hits JOIN {claim_table} AS c ON c.id = hits.claim_id "
        f"LEFT JOIN {search_table} AS s ON s.claim_id = c.id {where}"
        "ORDER BY hits.shared DESC, COALESCE(s.keys_count, 0), c.id DESC LIMIT %s"
    )
    # A raw queryset, so Claim's fields read as the ORM reads them (entities decoded, dates
    # parsed on SQLite).
    rows = Claim.objects.raw(sql, [*hits_params, *filter_params, limit])
    return [
        _as_match_input(
            claim_id=claim.pk,
            text=claim.normalized_text or normalize_text(claim.statement),
            event=claim.event,
            speaker=claim.speaker,
            entities=claim.entities,
            earliest=claim.deadline_earliest,
            latest=claim.deadline_latest,
        )
        for claim in rows
    ]


def _as_match_input(
    *,
    claim_id: int,
    text: str,
    event: str,
    speaker: str,
    entities: object,
    earliest: date | None,
    latest: date | None,
) -> MatchInput:
    names = frozenset(str(name) for name in entities) if isinstance(entities, list) else frozenset()
    return MatchInput(
        id=str(claim_id),
        text=text,
        event=event,
        speaker=speaker,
        entities=names,
        earliest=earliest,
        latest=latest,
    )
