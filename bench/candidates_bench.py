"""Benchmark the candidate stage: match a new mention against 1M stored claims on PostgreSQL.

Run by `make bench` (or `python bench/candidates_bench.py`). The database is
$BENCH_DATABASE_URL, else $DATABASE_URL when it names PostgreSQL, else
``postgres://postgres@127.0.0.1:5432/claimwatch_bench``; it is created and migrated when
missing. Exits 0 with a message when PostgreSQL does not answer.

1. Generate 1,000,000 synthetic claims (actors x actions x objects x deadlines from fixed
   templates and invented names, Zipf-distributed like news, seed `SEED`) with their search
   keys, each stated by one live forecast mention in an article (`MENTIONS_PER_ARTICLE` to
   an article, 250,000 articles), and load them with COPY. A table already holding exactly
   these claims is reused; one holding claims not made by this bench is never touched.
2. Time `claims.matching.stage.match_mention` (the production stage, thresholds from
   settings) as the pipeline calls it: for each of 200 new mentions, an article and its
   mention are stored (in a savepoint rolled back afterwards) and the stored mention is
   matched, so candidates are scored by their stored mentions' wordings and the article's
   own claims are looked up. 160 paraphrases of stored claims (other verbs, reporting frames
   and deadline wording, same window, published days later) and 40 claims about things not
   in the table.
3. For comparison, score a 20,000-claim sample by brute force and extrapolate to 1M.

Summary lines::

    candidates.match claims=1000000 p50_ms=.. p95_ms=.. hit_rate=.. false_match_rate=..
    candidates.bruteforce sample=20000 score_pair_ms_at_1M=.. token_set_ms_at_1M=..
"""

from __future__ import annotations

import functools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.postgres import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/claimwatch_bench"
N_CLAIMS = int(os.environ.get("BENCH_CLAIMS", "1000000"))  # smaller for a quick dry run
N_PARAPHRASES = 160
N_UNRELATED = 40
N_WARMUP = 20
BRUTE_SAMPLE = 20_000
SEED = 20_260_401
CHUNK = 25_000
BENCH_RULE = "candidates_bench"  # deadline_rule of every generated claim: marks our rows
MENTIONS_PER_ARTICLE = 4
BENCH_URL = "https://candidates-bench.example/"  # every generated article's URL starts so
PUBLISHED_BEFORE_DAYS = 45  # a stored claim's article appeared this long before its window
RESTATED_AFTER_DAYS = 3  # a paraphrase appears this long after the claim's article

# ---------------------------------------------------------------------------
# Synthetic claims
# ---------------------------------------------------------------------------

_SYLLABLES_TEXT = (
    "ka lo mir ven dra sel tor an bel cor dis el fa gor hal ist jun kel lan mor nav or pel "
    "quin ros sta tul ur vor wen yal zan bri cha dor esk fen gla hov ira lum tes rak"
)
_SYLLABLES = _SYLLABLES_TEXT.split()
_ROLES = (
    "Finance Minister",
    "Prime Minister",
    "President",
    "Foreign Minister",
    "Energy Minister",
    "Trade Minister",
    "Defence Minister",
    "Transport Minister",
    "Health Minister",
    "chief executive",
    "chairman",
    "spokesperson",
    "mayor",
    "governor",
    "central bank governor",
)
_COMPANY_KINDS_TEXT = (
    "Holdings Energy Motors Airlines Mining Bank Telecom Steel Pharma Logistics Foods "
    "Shipping Power Semiconductors Rail Insurance Chemicals Textiles"
)
_COMPANY_KINDS = _COMPANY_KINDS_TEXT.split()
_TOPICS_TEXT = (
    "minerals trade energy gas steel fisheries defence water border tax data wheat rail "
    "nuclear climate investment aviation visa customs security pension copper lithium "
    "fertiliser shipping tourism broadband health"
)
_TOPICS = _TOPICS_TEXT.split()
_PACTS = ("deal", "agreement", "pact", "accord", "treaty", "framework agreement")
_FACILITIES = (
    "factory",
    "plant",
    "data centre",
    "refinery",
    "container terminal",
    "hospital",
    "port",
    "bridge",
    "railway line",
    "solar farm",
    "wind farm",
    "battery plant",
    "airport terminal",
    "metro line",
    "motorway",
    "desalination plant",
)
_PRODUCTS_TEXT = (
    "steel cars solar panels wheat rice timber aluminium chips fertiliser beef wine "
    "textiles phones batteries"
)
_PRODUCTS = _PRODUCTS_TEXT.split()
# (verb as stored, paraphrase verbs) and the object patterns each verb takes.
_PACT_VERBS = (
    ("sign", ("finalise", "conclude", "seal")),
    ("ratify", ("approve", "pass")),
    ("complete", ("wrap up", "finish")),
)
_FACILITY_VERBS = (
    ("open", ("inaugurate", "launch")),
    ("complete", ("finish", "deliver")),
    ("start building", ("break ground on", "begin construction of")),
    ("close", ("shut", "shut down")),
)
_TARIFF_VERBS = (
    ("lift", ("scrap", "remove")),
    ("impose", ("introduce", "levy")),
    ("cut", ("lower", "reduce")),
)
_MONTHS_TEXT = (
    "January February March April May June July August September October November December"
)
_MONTHS = _MONTHS_TEXT.split()
_FRAMES = (
    "{speaker} said {subject} will {verb} {object} {deadline}.",
    "{subject} will {verb} {object} {deadline}, {speaker} said.",
    "{speaker} promised that {subject} would {verb} {object} {deadline}.",
    "{subject} expects to {verb} {object} {deadline}, according to {speaker}.",
)
_PARAPHRASE_FRAMES = (
    "{subject} is set to {verb} {object} {deadline}, {speaker} told reporters.",
    "{deadline_cap}, {subject} intends to {verb} {object}, {speaker} said.",
    "According to {speaker}, {subject} plans to {verb} {object} {deadline}.",
    "{speaker} said on Tuesday that {subject} aims to {verb} {object} {deadline}.",
)


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def _zipf_weights(n: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights: a few actors and places in many claims, most in a few."""
    total = 0.0
    cumulative = []
    for rank in range(1, n + 1):
        total += 1.0 / rank**exponent
        cumulative.append(total)
    return cumulative


@dataclass(frozen=True)
class Vocabulary:
    """The invented world: countries, cities, people and companies, fixed by the seed."""

    countries: list[str]
    cities: list[str]
    people: list[tuple[str, str]]  # (role, name)
    companies: list[str]
    country_weights: list[float]
    city_weights: list[float]
    people_weights: list[float]
    company_weights: list[float]

    @classmethod
    def build(cls, seed: int) -> Vocabulary:
        rng = random.Random(seed)
        countries = sorted({_name(rng, rng.choice((2, 3))) for _ in range(400)})[:300]
        cities = sorted({_name(rng, rng.choice((2, 3))) for _ in range(12_000)})[:8_000]
        first = sorted({_name(rng, 2) for _ in range(600)})
        last = sorted({_name(rng, rng.choice((2, 3))) for _ in range(20_000)})
        people = [
            (rng.choice(_ROLES), f"{rng.choice(first)} {rng.choice(last)}") for _ in range(60_000)
        ]
        companies = [
            f"{_name(rng, rng.choice((2, 3)))} {rng.choice(_COMPANY_KINDS)}" for _ in range(30_000)
        ]
        for values in (countries, cities, people, companies):
            rng.shuffle(values)
        return cls(
            countries=countries,
            cities=cities,
            people=people,
            companies=companies,
            country_weights=_zipf_weights(len(countries), 1.0),
            city_weights=_zipf_weights(len(cities), 0.9),
            people_weights=_zipf_weights(len(people), 0.8),
            company_weights=_zipf_weights(len(companies), 0.8),
        )


@dataclass(frozen=True)
class ClaimParts:
    """One generated claim, before it is worded."""

    speaker_role: str
    speaker_name: str
    subject: str
    verb: str
    paraphrase_verbs: tuple[str, ...]
    object: str
    entities: tuple[str, ...]
    earliest: date
    latest: date
    deadline: str
    deadline_alternatives: tuple[str, ...]
    frame: int


def _deadline(rng: random.Random) -> tuple[date, date, str, tuple[str, ...]]:
    """A deadline window between 2024 and 2027 with its wording and equivalent wordings."""
    year = rng.randint(2024, 2027)
    month = rng.randint(1, 12)
    month_name = _MONTHS[month - 1]
    month_end = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    kind = rng.random()
    if kind < 0.45:
        day = rng.randint(1, month_end)
        on = date(year, month, day)
        return (
            on,
            on,
            f"by {day} {month_name} {year}",
            (f"no later than {month_name} {day}, {year}",),
        )
    if kind < 0.8:
        return (
            date(year, month, 1),
            date(year, month, month_end),
            f"by the end of {month_name} {year}",
            (f"before the close of {month_name} {year}", f"by late {month_name} {year}"),
        )
    if kind < 0.92:
        quarter = (month - 1) // 3
        start = date(year, quarter * 3 + 1, 1)
        end = date(year + (quarter + 1) // 4, (quarter + 1) % 4 * 3 + 1, 1) - timedelta(days=1)
        ordinal = ("first", "second", "third", "fourth")[quarter]
        return start, end, f"in the {ordinal} quarter of {year}", (f"by Q{quarter + 1} {year}",)
    return (
        date(year, 1, 1),
        date(year, 12, 31),
        f"before the end of {year}",
        (f"by the end of {year}", f"sometime in {year}"),
    )


def make_parts(vocabulary: Vocabulary, number: int, *, seed: int = SEED) -> ClaimParts:
    """Claim `number` of the synthetic table: the same parts for the same number and seed."""
    rng = random.Random(seed * 7_919 + number)
    role, person = rng.choices(vocabulary.people, cum_weights=vocabulary.people_weights)[0]
    country = rng.choices(vocabulary.countries, cum_weights=vocabulary.country_weights)[0]
    entities = [person.lower(), country.lower()]
    if rng.random() < 0.35:
        company = rng.choices(vocabulary.companies, cum_weights=vocabulary.company_weights)[0]
        subject = company
        entities.append(company.lower())
    else:
        subject = country if rng.random() < 0.6 else f"the government of {country}"
    kind = rng.random()
    if kind < 0.4:
        verb, paraphrases = rng.choice(_PACT_VERBS)
        partner = rng.choices(vocabulary.countries, cum_weights=vocabulary.country_weights)[0]
        entities.append(partner.lower())
        pact = f"{rng.choice(_TOPICS)} {rng.choice(_PACTS)}"
        obj = f"the {pact} with {partner}"
        if rng.random() < 0.4:
            obj += f" worth ${rng.randint(2, 95) / 10:.1f} billion"
    elif kind < 0.8:
        verb, paraphrases = rng.choice(_FACILITY_VERBS)
        city = rng.choices(vocabulary.cities, cum_weights=vocabulary.city_weights)[0]
        entities.append(city.lower())
        obj = f"the new {rng.choice(_FACILITIES)} in {city}"
        if rng.random() < 0.5:
            obj += f" with {rng.randint(2, 90) * 50} jobs"
    else:
        verb, paraphrases = rng.choice(_TARIFF_VERBS)
        partner = rng.choices(vocabulary.countries, cum_weights=vocabulary.country_weights)[0]
        entities.append(partner.lower())
        obj = f"the {rng.randint(5, 60)}% tariffs on {rng.choice(_PRODUCTS)} from {partner}"
    earliest, latest, wording, alternatives = _deadline(rng)
    return ClaimParts(
        speaker_role=role,
        speaker_name=person,
        subject=subject,
        verb=verb,
        paraphrase_verbs=paraphrases,
        object=obj,
        entities=tuple(dict.fromkeys(entities)),
        earliest=earliest,
        latest=latest,
        deadline=wording,
        deadline_alternatives=alternatives,
        frame=rng.randrange(len(_FRAMES)),
    )


def statement_of(parts: ClaimParts) -> str:
    return _FRAMES[parts.frame].format(
        speaker=f"{parts.speaker_role} {parts.speaker_name}",
        subject=parts.subject,
        verb=parts.verb,
        object=parts.object,
        deadline=parts.deadline,
    )


def event_of(parts: ClaimParts) -> str:
    return f"{parts.verb} {parts.object}"


def paraphrase_of(parts: ClaimParts, rng: random.Random) -> tuple[str, str, str]:
    """The same claim as another outlet words it: other verb, frame and deadline wording.

    Returns (sentence, event phrase, speaker as named).
    """
    verb = rng.choice(parts.paraphrase_verbs) if rng.random() < 0.6 else parts.verb
    deadline = rng.choice(parts.deadline_alternatives) if rng.random() < 0.6 else parts.deadline
    obj = (
        parts.object.split(" worth ")[0].split(" with ")[0] if rng.random() < 0.5 else parts.object
    )
    speaker = parts.speaker_name if rng.random() < 0.5 else parts.speaker_name.split()[-1]
    sentence = rng.choice(_PARAPHRASE_FRAMES).format(
        speaker=speaker,
        subject=parts.subject,
        verb=verb,
        object=obj,
        deadline=deadline,
        deadline_cap=deadline[0].upper() + deadline[1:],
    )
    return sentence, f"{verb} {obj}", speaker


def article_of(number: int) -> int:
    """The article stating claim `number` (and its mention `number`)."""
    return (number - 1) // MENTIONS_PER_ARTICLE + 1


def published_of(parts: ClaimParts) -> datetime:
    """When the article stating a generated claim appeared: weeks before its window."""
    day = parts.earliest - timedelta(days=PUBLISHED_BEFORE_DAYS)
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def _copy_text(value: str) -> str:
    """Escape a value for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _generate_chunk(bounds: tuple[int, int]) -> tuple[str, str, str, str, str]:
    """TSV rows (claims, claim search, claim keys, articles, mentions) for ids start..stop-1.

    Chunks start at a multiple of MENTIONS_PER_ARTICLE (plus one), so an article's row is
    written by the chunk holding its first claim.
    """
    from claims.matching import normalize_text
    from claims.matching.candidates import claim_keys

    start, stop = bounds
    vocabulary = _vocabulary()
    created = datetime(2024, 1, 1, tzinfo=UTC).isoformat()
    claims, searches, keys, articles, mentions = [], [], [], [], []
    for number in range(start, stop):
        parts = make_parts(vocabulary, number)
        statement, event = statement_of(parts), event_of(parts)
        entities = json.dumps(list(parts.entities))
        speaker = parts.speaker_name
        article = article_of(number)
        offset = (number - 1) % MENTIONS_PER_ARTICLE * 1000
        if offset == 0:
            published = published_of(parts).isoformat()
            url = f"{BENCH_URL}{article}"
            articles.append(
                "\t".join(
                    (str(article), url, url, f"Article {article}", "Bench Wire",
                     _copy_text(statement), f"bench{article}", published, published)
                )
            )  # fmt: skip
        mentions.append(
            "\t".join(
                (
                    str(number),
                    str(article),
                    str(number),
                    str(offset),
                    str(offset + len(statement)),
                    _copy_text(statement),
                    _copy_text(statement),
                    _copy_text(event),
                    parts.verb.split()[0],
                    speaker,
                    _copy_text(entities),
                    parts.earliest.isoformat(),
                    parts.latest.isoformat(),
                    _copy_text(parts.deadline),
                    BENCH_RULE,
                )
            )
        )
        claims.append(
            "\t".join(
                (
                    str(number),
                    _copy_text(statement),
                    _copy_text(event),
                    speaker,
                    _copy_text(entities),
                    parts.earliest.isoformat(),
                    parts.latest.isoformat(),
                    _copy_text(parts.deadline),
                    BENCH_RULE,
                    created,
                )
            )
        )
        claim_key_set = claim_keys([statement, event], entities=parts.entities)
        searches.append(f"{number}\t{_copy_text(normalize_text(statement))}\t{len(claim_key_set)}")
        keys.extend(f"{number}\t{_copy_text(key)}" for key in sorted(claim_key_set))
    return (
        "\n".join(claims) + "\n",
        "\n".join(searches) + "\n",
        "\n".join(keys) + "\n",
        "\n".join(articles) + "\n" if articles else "",
        "\n".join(mentions) + "\n",
    )


def _init_worker() -> None:
    """Pool worker set-up: memoise `normalize_text` for this process only.

    Entity names repeat across claims (Zipf), and normalising them is most of the cost of a
    claim's keys. The function is pure, so the keys are exactly those `index_claim` writes.
    """
    from claims.matching import keys

    keys.normalize_text = functools.lru_cache(maxsize=200_000)(keys.normalize_text)


@functools.cache
def _vocabulary() -> Vocabulary:
    """The vocabulary of the table, built once per process (pool workers build their own)."""
    return Vocabulary.build(SEED)


def _claim_copy_sql() -> str:
    return (
        "COPY claims_claim (id, statement, event, speaker, entities, deadline_earliest, "
        "deadline_latest, deadline_text, deadline_rule, created_at) FROM STDIN"
    )


def _article_copy_sql() -> str:
    return (
        "COPY sources_article (id, canonical_url, url, title, outlet, text, content_hash, "
        "published_at, first_fetched_at) FROM STDIN"
    )


def _mention_copy_sql() -> str:
    return (
        'COPY claims_claimmention (id, article_id, claim_id, start, "end", sentence, '
        "statement, event, event_verb, speaker, entities, deadline_earliest, deadline_latest, "
        "timex_text, deadline_rule) FROM STDIN"
    )


# Columns without a database default get one for the duration of the load.
_ARTICLE_DEFAULTS = {
    "author": "''",
    "published_source": "'import'",
    "language": "'en'",
    "refetch_count": "0",
    "etag": "''",
    "last_modified": "''",
    "fetch_error": "''",
    "processed_hash": "''",
    "processing_error": "''",
    "created_at": "now()",
    "updated_at": "now()",
}
_MENTION_DEFAULTS = {
    "kind": "'forecast'",
    "speaker_kind": "'named'",
    "cue": "'said'",
    "negated": "false",
    "conditional": "false",
    "confidence": "0.9",
    "timex_type": "'DATE'",
    "timex_value": "''",
    "timex_mod": "''",
    "deadline_vague": "false",
    "match_detail": "'{}'::jsonb",
    "suggested": "false",
    "event_subject": "''",
    "created_at": "now()",
    "updated_at": "now()",
}


def load_claims(url: str) -> float:
    """Generate and COPY the synthetic table into an empty schema; return seconds taken.

    Claim columns without a database default get one for the duration of the load. The
    claim-key indexes are dropped during COPY and rebuilt after, which is several times faster
    than maintaining them row by row.
    """
    import psycopg

    started = time.perf_counter()
    constants = {
        "negated": "false",
        "conditional": "false",
        "status": "'open'",
        "deadline_value": "''",
        "deadline_vague": "false",
        "deadline_moves": "0",
        "needs_review": "false",
        "updated_at": "now()",
        "first_seen_at": "now()",
        "last_mentioned_at": "now()",
        "status_changed_at": "now()",
    }
    with psycopg.connect(url, autocommit=False) as conn, conn.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        # Foreign-key triggers off for this session: ids are generated consistently.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "TRUNCATE claims_claimkey, claims_claimsearch, claims_claimmention, claims_claim, "
            "sources_article CASCADE"
        )
        defaults = {
            "claims_claim": constants,
            "sources_article": _ARTICLE_DEFAULTS,
            "claims_claimmention": _MENTION_DEFAULTS,
        }
        for table, columns in defaults.items():
            for column, value in columns.items():
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {value}")
        rebuild = [
            statement
            for table in ("claims_claimkey", "claims_claimmention", "sources_article")
            for statement in _drop_indexes(cursor, table)
        ]
        assert CHUNK % MENTIONS_PER_ARTICLE == 0  # an article's mentions stay in one chunk
        chunks = [
            (start, min(start + CHUNK, N_CLAIMS + 1)) for start in range(1, N_CLAIMS + 1, CHUNK)
        ]
        with get_context("fork").Pool(2, initializer=_init_worker) as pool:
            for done, (claims, searches, keys, articles, mentions) in enumerate(
                pool.imap(_generate_chunk, chunks), start=1
            ):
                with cursor.copy(_claim_copy_sql()) as copy:
                    copy.write(claims)
                with cursor.copy(
                    "COPY claims_claimsearch (claim_id, normalized_text, keys_count) FROM STDIN"
                ) as copy:
                    copy.write(searches)
                with cursor.copy("COPY claims_claimkey (claim_id, key) FROM STDIN") as copy:
                    copy.write(keys)
                with cursor.copy(_article_copy_sql()) as copy:
                    copy.write(articles)
                with cursor.copy(_mention_copy_sql()) as copy:
                    copy.write(mentions)
                if done % 8 == 0:
                    print(
                        f"  loaded {done * CHUNK:,} claims ({time.perf_counter() - started:.0f}s)",
                        flush=True,
                    )
        for table, columns in defaults.items():
            for column in columns:
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
        for statement in rebuild:
            cursor.execute(statement)
        for table in ("claims_claim", "claims_claimmention", "sources_article"):
            # Only the table name (from the fixed tuple above) is formatted in.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",  # noqa: S608
                (table,),
            )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        # Visibility map for index-only scans, and statistics for the planner.
        for table in (
            "claims_claim",
            "claims_claimsearch",
            "claims_claimkey",
            "claims_claimmention",
            "sources_article",
        ):
            conn.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def _drop_indexes(cursor, table: str) -> list[str]:
    """Drop a table's secondary indexes and unique constraints; return the SQL to rebuild them."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'",
        (table,),
    )
    constraints = cursor.fetchall()
    rebuild = [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
        for name, definition in constraints
    ]
    for name, _ in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        (table, table),
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return rebuild + [definition for _, definition in indexes]


# ---------------------------------------------------------------------------
# Database set-up
# ---------------------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_URL


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def table_state() -> tuple[int, bool]:
    """(claims in the table, whether any of them was not made by this bench).

    The count is -1 when the table must be generated again: an interrupted load, or keys
    written by an older version of `claims.matching.candidates` (checked on a few sample claims).
    """
    from claims.matching.candidates import claim_keys
    from claims.models import Claim, ClaimKey, ClaimMention, ClaimSearch
    from sources.models import Article

    foreign = (
        Claim.objects.exclude(deadline_rule=BENCH_RULE).exists()
        or Article.objects.exclude(url__startswith=BENCH_URL).exists()
    )
    count = Claim.objects.count()
    if count and count not in (ClaimSearch.objects.count(), ClaimMention.objects.count()):
        return -1, foreign
    if count and ClaimSearch.objects.count() != ClaimMention.objects.count():
        return -1, foreign  # claims from before the bench stored mentions
    vocabulary = _vocabulary()
    for number in {1, count // 2, count} if count == N_CLAIMS else ():
        parts = make_parts(vocabulary, number)
        expected = claim_keys([statement_of(parts), event_of(parts)], entities=parts.entities)
        stored = set(ClaimKey.objects.filter(claim_id=number).values_list("key", flat=True))
        if stored != expected:
            return -1, foreign
    return count, foreign


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    mention: object  # claims.matching.MatchInput: what the stored mention will say
    source_id: int | None  # the stored claim it paraphrases; None for an unrelated claim
    published: datetime  # when its article appears
    deadline_text: str


def make_queries(vocabulary: Vocabulary) -> Iterator[Query]:
    """Paraphrases of random stored claims, then claims about an unseen part of the world."""
    from claims.matching import MatchInput

    rng = random.Random(SEED + 1)
    for index in range(N_WARMUP + N_PARAPHRASES):
        number = rng.randint(1, N_CLAIMS)
        parts = make_parts(vocabulary, number)
        text, event, _speaker = paraphrase_of(parts, rng)
        published = published_of(parts) + timedelta(days=RESTATED_AFTER_DAYS)
        mention = MatchInput(
            id=f"p{index}",
            text=text,
            event=event,
            speaker=parts.speaker_name,
            entities=frozenset(parts.entities),
            earliest=parts.earliest,
            latest=parts.latest,
            verb=event.split()[0],
            published=published.date(),
        )
        yield Query(mention, number, published, parts.deadline)
    unseen = Vocabulary.build(SEED + 2)  # other invented names, same templates
    for index in range(N_UNRELATED):
        parts = make_parts(unseen, index, seed=SEED + 3)
        mention = MatchInput(
            id=f"u{index}",
            text=statement_of(parts),
            event=event_of(parts),
            speaker=parts.speaker_name,
            entities=frozenset(parts.entities),
            earliest=parts.earliest,
            latest=parts.latest,
            verb=parts.verb.split()[0],
            published=published_of(parts).date(),
        )
        yield Query(mention, None, published_of(parts), parts.deadline)


def store_mention(query: Query, index: int):
    """Store the query's article and its forecast mention (no claim yet), as the pipeline
    does before matching; returns the mention."""
    from claims.models import ClaimMention
    from sources.models import Article

    spec = query.mention
    url = f"{BENCH_URL}query/{index}"
    article = Article.objects.create(
        canonical_url=url,
        url=url,
        title=f"Query {index}",
        outlet="Query Wire",
        text=spec.text,
        content_hash=f"query{index}",
        published_at=query.published,
        first_fetched_at=query.published,
    )
    return ClaimMention.objects.create(
        article=article,
        start=0,
        end=len(spec.text),
        kind=ClaimMention.Kind.FORECAST,
        sentence=spec.text,
        statement=spec.text,
        event=spec.event,
        event_verb=spec.verb,
        speaker=spec.speaker,
        speaker_kind="named",
        cue="said",
        confidence=0.9,
        entities=sorted(spec.entities),
        timex_text=query.deadline_text,
        deadline_earliest=spec.earliest,
        deadline_latest=spec.latest,
        deadline_rule="candidates_bench_query",
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_matching(queries: list[Query], *, candidate_limit: int | None = None) -> str:
    """Time `match_mention` per query; hit rate and, untimed, the candidate stage's recall."""
    from django.db import transaction

    from claims.matching.candidates import (
        MATCH_CANDIDATE_LIMIT,
        MATCH_WINDOW_SLACK_DAYS,
        find_candidates,
    )
    from claims.matching.stage import match_mention, mention_input

    limit = candidate_limit or MATCH_CANDIDATE_LIMIT

    def matched(index: int, query: Query) -> tuple[object, float, object]:
        # As `attach_forecast_mention` calls it for a mention just stored (nothing detached);
        # the mention and its article are rolled back afterwards.
        savepoint = transaction.savepoint()
        try:
            stored = store_mention(query, index)
            started = time.perf_counter()
            match = match_mention(stored, exclude_ids=(), candidate_limit=limit)
            elapsed = (time.perf_counter() - started) * 1000
            return match, elapsed, mention_input(stored)
        finally:
            transaction.savepoint_rollback(savepoint)

    latencies, hits, found, paraphrases, false_matches, unrelated = [], 0, 0, 0, 0, 0
    with transaction.atomic():
        for index, query in enumerate(queries[:N_WARMUP]):
            matched(index, query)
        for index, query in enumerate(queries[N_WARMUP:], start=N_WARMUP):
            match, elapsed, as_input = matched(index, query)
            latencies.append(elapsed)
            if query.source_id is None:
                unrelated += 1
                false_matches += match is not None
                continue
            paraphrases += 1
            hits += match is not None and int(match.candidate_id) == query.source_id
            candidates = find_candidates(
                as_input, limit=limit, window_slack_days=MATCH_WINDOW_SLACK_DAYS
            )
            found += str(query.source_id) in {candidate.id for candidate in candidates}
    name = "candidates.match" if candidate_limit is None else f"candidates.match@{limit}"
    return (
        f"{name} claims={N_CLAIMS} p50_ms={statistics.median(latencies):.1f} "
        f"p95_ms={percentile(latencies, 0.95):.1f} hit_rate={hits / paraphrases:.3f} "
        f"candidate_recall={found / paraphrases:.3f} "
        f"false_match_rate={false_matches / unrelated:.3f} queries={len(latencies)} "
        f"candidate_limit={limit} path=stored_mention"
    )


def measure_brute_force(vocabulary: Vocabulary, queries: list[Query]) -> str:
    """Score a sample with `score_pair` and with rapidfuzz token_set alone; scale to 1M."""
    from rapidfuzz import fuzz, process

    from claims.matching import MatchInput, normalize_text, score_pair

    sample = []
    for number in range(1, BRUTE_SAMPLE + 1):
        parts = make_parts(vocabulary, number)
        sample.append(
            MatchInput(
                id=str(number),
                text=statement_of(parts),
                speaker=parts.speaker_name,
                entities=frozenset(parts.entities),
                earliest=parts.earliest,
                latest=parts.latest,
            )
        )
    probes = [query.mention for query in queries[N_WARMUP : N_WARMUP + 3]]
    started = time.perf_counter()
    for mention in probes:
        max(score_pair(mention, candidate).score for candidate in sample)
    pair_ms = (time.perf_counter() - started) * 1000 / len(probes)
    choices = [normalize_text(candidate.text) for candidate in sample]
    started = time.perf_counter()
    for mention in probes:
        process.extractOne(normalize_text(mention.text), choices, scorer=fuzz.token_set_ratio)
    token_set_ms = (time.perf_counter() - started) * 1000 / len(probes)
    scale = N_CLAIMS / BRUTE_SAMPLE
    return (
        f"candidates.bruteforce sample={BRUTE_SAMPLE} "
        f"score_pair_ms_at_1M={pair_ms * scale:.0f} token_set_ms_at_1M={token_set_ms * scale:.0f}"
    )


def main() -> int:
    url = database_url()
    problem = ensure_database(url)
    if problem is not None:
        print(f"candidates bench skipped: PostgreSQL unreachable at {url} ({problem})")
        return 0
    setup_django(url)
    from django.db import connections

    count, foreign = table_state()
    if foreign:
        print(f"candidates bench refused: {url} holds claims this bench did not make")
        return 1
    if count == N_CLAIMS:
        print(f"reusing {count:,} claims in {url}")
    else:
        connections.close_all()  # no Django connection may cross the fork of the pool
        print(f"generating {N_CLAIMS:,} claims into {url}")
        seconds = load_claims(url)
        print(f"candidates.load claims={N_CLAIMS} seconds={seconds:.0f}")
    vocabulary = _vocabulary()
    queries = list(make_queries(vocabulary))
    print(measure_matching(queries))
    print(measure_matching(queries, candidate_limit=200))
    print(measure_brute_force(vocabulary, queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
