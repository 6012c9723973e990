"""A lexical retrieval index for claim-retrieval benchmarks (CLEF CheckThat! 2020 task 2).

Used by `bench/matching_bench.py` only; production narrows candidates in the database
(`claims.matching.candidates`). BM25F over stemmed words and in-word character 4-grams,
related words mined from the pool's own title/text pairs, glued @handles and #hashtags split
into pool words, then a linear re-ranker (coverage, rapidfuzz, rank and year/number features,
weights fitted on CLEF train) orders the top 30.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from claims.matching.text import STOP_WORDS, URL_RE, normalize_text, tokenize_normalized

# A @handle or #hashtag in raw text (the normaliser splits them; the index wants them whole).
_HANDLE_OR_TAG_RE = re.compile(r"[@#]([A-Za-z0-9_]+)")

# Re-ranker weights, one per `RERANK_FEATURES` entry; fitted on the CLEF CheckThat! 2020
# task 2 train queries with `python bench/matching_bench.py --fit-rerank` (softmax over each
# query's first-stage top `rerank_depth`), checked on dev.
RERANK_FEATURES = (
    "first_stage",  # combined first-stage score / the query's best
    "words",  # word-field BM25 / the query's best
    "chars",  # n-gram-field BM25 / the query's best
    "query_coverage",  # IDF mass of the query words the claim holds / the query's IDF mass
    "claim_coverage",  # IDF mass of the claim words the query holds / the claim's IDF mass
    "token_set",  # rapidfuzz token_set_ratio of the stemmed texts, 0..1
    "partial",  # rapidfuzz partial_ratio (the claim inside the tweet), 0..1
    "title_token_set",  # token_set_ratio of the query against the title alone, 0..1
    "inverse_rank",  # 1 / first-stage rank
    "log_rank",  # log(first-stage rank)
    "year_shared",  # the claim names a year the query names (or was posted in)
    "year_other",  # both name years, none shared
    "numbers_shared",  # other numbers in common / (1 + the query's numbers)
    "words_per_idf",  # word-field BM25 / the query's IDF mass
    "chars_per_gram",  # n-gram-field BM25 / number of query n-grams
)
RERANK_WEIGHTS: tuple[float, ...] = (
    1.7698,  # first_stage
    1.8906,  # words
    1.4755,  # chars
    -4.1542,  # query_coverage
    0.4510,  # claim_coverage
    -3.3749,  # token_set
    0.8402,  # partial
    2.3037,  # title_token_set
    2.7966,  # inverse_rank
    -0.0455,  # log_rank
    1.3748,  # year_shared
    -1.0568,  # year_other
    1.3662,  # numbers_shared
    4.2868,  # words_per_idf
    1.0882,  # chars_per_gram
)


@dataclass(frozen=True)
class IndexSettings:
    """Retrieval parameters; defaults tuned on CLEF CheckThat! 2020 task 2 train, checked on dev.

    Two stages: BM25F over words and character n-grams (plus pool-mined related words) picks
    `rerank_depth` candidates, then a linear re-ranker over `RERANK_FEATURES` orders them
    (`rerank_weights=None` keeps the first-stage order).
    """

    k1: float = 1.2
    b: float = 0.5
    title_weight: float = 0.8  # a title occurrence counts 0.8 of a text occurrence
    char_ngram: int = 4  # length of the in-word character n-grams of the second field
    char_weight: float = 0.6  # weight of the n-gram field, both fields scaled to their best hit
    # Related words mined from the pool (a title word and a text word that keep appearing in
    # the same claim: "kkk"/"klan", "weed"/"marijuana") join a query with this weight.
    synonym_weight: float = 0.5
    synonym_min_count: int = 2  # claims a pair must share
    synonym_min_association: float = 0.3  # count / sqrt(count_a * count_b)
    synonyms_per_word: int = 3
    # @handle / #hashtag words the pool never uses ("#walkaway", "@chuckschumer") split into
    # pool words.
    segment_unknown: bool = True
    rerank_depth: int = 30
    rerank_weights: tuple[float, ...] | None = RERANK_WEIGHTS


class _Bm25Field:
    """One BM25 field: weighted term counts per document -> postings of precomputed impacts.

    Postings are numpy arrays (document numbers, impacts) so a query sums them with one
    `bincount` instead of a Python loop over every posting.
    """

    def __init__(self) -> None:
        self.docs: list[Counter[str]] = []
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.idf: dict[str, float] = {}

    def build(self, *, k1: float, b: float) -> None:
        n_docs = len(self.docs)
        lengths = [float(sum(terms.values())) for terms in self.docs]
        average = (sum(lengths) / n_docs) if n_docs and sum(lengths) else 1.0
        doc_freq: Counter[str] = Counter()
        for terms in self.docs:
            doc_freq.update(terms.keys())
        self.idf = {
            term: math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()
        }
        docs_of: dict[str, list[int]] = defaultdict(list)
        impacts_of: dict[str, list[float]] = defaultdict(list)
        for doc, (terms, length) in enumerate(zip(self.docs, lengths, strict=True)):
            norm = k1 * (1.0 - b + b * length / average)
            for term, tf in terms.items():
                docs_of[term].append(doc)
                impacts_of[term].append(self.idf[term] * tf * (k1 + 1.0) / (tf + norm))
        self.postings = {
            term: (np.asarray(docs, dtype=np.int32), np.asarray(impacts_of[term]))
            for term, docs in docs_of.items()
        }

    def score(self, terms: Iterable[str] | Mapping[str, float]) -> np.ndarray:
        """Summed impacts of `terms` for every document (zeros where none occurs).

        A mapping gives each term a weight (a related word counts less than a query word).
        """
        weights = terms if isinstance(terms, Mapping) else dict.fromkeys(terms, 1.0)
        hits = [(self.postings[term], w) for term, w in weights.items() if term in self.postings]
        if not hits:
            return np.zeros(len(self.docs))
        docs = np.concatenate([doc_numbers for (doc_numbers, _), _ in hits])
        impacts = np.concatenate([values * w if w != 1.0 else values for (_, values), w in hits])
        return np.bincount(docs, weights=impacts, minlength=len(self.docs))


def _char_ngrams(normalized: str, n: int) -> list[str]:
    """In-word n-grams of the content words of normalised text, ``<``/``>`` marking word edges.

    They let "chuckling" meet "chuckled" and "Ocasio-Cortez" meet "OcasioCortez" where the
    stemmer and the tokeniser disagree.
    """
    grams: list[str] = []
    for word in normalized.split():
        if word in STOP_WORDS:
            continue
        marked = f"<{word}>"
        if len(marked) <= n:
            grams.append(marked)
        else:
            grams.extend(marked[i : i + n] for i in range(len(marked) - n + 1))
    return grams


_YEAR_RE = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")


def _numbers(normalized: str) -> frozenset[str]:
    """Numbers of normalised text that are not years ("122", "2p5")."""
    return frozenset(
        word
        for word in normalized.split()
        if word[:1].isdigit() and word != "0" and not _YEAR_RE.fullmatch(word)
    )


def _mine_synonyms(
    pairs: Sequence[tuple[frozenset[str], frozenset[str]]], settings: IndexSettings
) -> dict[str, tuple[str, ...]]:
    """Related words from the pool itself: title words and text words of the same claims.

    A claim's title restates its text in other words ("KKK" for "Ku Klux Klan", "photo" for
    "photograph"), so a title-only word and a text-only word that keep turning up in the same
    claims are taken as related, both ways; association is count / sqrt(count_a * count_b).
    """
    pair_count: Counter[tuple[str, str]] = Counter()
    title_only: Counter[str] = Counter()
    text_only: Counter[str] = Counter()
    for text_words, title_words in pairs:
        if not title_words:
            continue
        a_side, b_side = title_words - text_words, text_words - title_words
        title_only.update(a_side)
        text_only.update(b_side)
        pair_count.update((a, b) for a in a_side for b in b_side)
    related: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), count in pair_count.items():
        if count < settings.synonym_min_count:
            continue
        association = count / math.sqrt(title_only[a] * text_only[b])
        if association >= settings.synonym_min_association:
            related[a][b] = max(related[a].get(b, 0.0), association)
            related[b][a] = max(related[b].get(a, 0.0), association)
    return {
        word: tuple(sorted(others, key=lambda other: (-others[other], other)))[
            : settings.synonyms_per_word
        ]
        for word, others in related.items()
    }


_MIN_PIECE = 3  # shortest piece `segment` uses: "in", "of" would split almost anything


def segment(word: str, vocabulary: Mapping[str, int]) -> list[str] | None:
    """Split `word` into the fewest known words (then the most frequent), or None.

    "chuckschumer" -> ["chuck", "schumer"] when the pool knows both; pieces are at least
    `_MIN_PIECE` letters long.
    """
    size = len(word)
    # best[i]: (pieces, -sum of log counts, split points) for word[:i]
    best: list[tuple[int, float, tuple[int, ...]] | None] = [None] * (size + 1)
    best[0] = (0, 0.0, ())
    for end in range(_MIN_PIECE, size + 1):
        for start in range(0, end - _MIN_PIECE + 1):
            previous = best[start]
            count = vocabulary.get(word[start:end], 0)
            if previous is None or not count:
                continue
            option = (previous[0] + 1, previous[1] - math.log(count), (*previous[2], end))
            current = best[end]
            if current is None or option[:2] < current[:2]:
                best[end] = option
    final = best[size]
    if final is None or final[0] < 2:
        return None
    starts = (0, *final[2][:-1])
    return [word[start:end] for start, end in zip(starts, final[2], strict=True)]


@dataclass
class _Query:
    """What both stages need from one query, computed once."""

    words: list[str]  # distinct stemmed content words, sorted
    grams: list[str]
    joined: str  # stemmed content words in text order
    years: frozenset[str]
    numbers: frozenset[str]


class LexicalIndex:
    """In-memory lexical index over claim `text` and `title`, searched in two stages.

    First stage, two BM25F fields:

    * words: stemmed content words (`tokenize()`), title occurrences weighted by
      `settings.title_weight`; related words mined from the pool join the query with
      `settings.synonym_weight`;
    * character n-grams of the unstemmed content words, for near-miss spellings.

    A query's score in each field is divided by that field's best score, and the two are
    added with `settings.char_weight` on the n-gram side. The best `settings.rerank_depth`
    are then re-ordered by a linear model over coverage, rapidfuzz, rank and year/number
    features (`rerank_features()`). Build with `add()` calls (or `from_items()`), then
    `search()`; the first search after an `add()` rebuilds the postings. Each posting holds a
    precomputed BM25 impact, so a query only walks its own terms.
    """

    def __init__(self, settings: IndexSettings | None = None) -> None:
        self.settings = settings or IndexSettings()
        self._ids: list[str] = []
        self._words = _Bm25Field()
        self._chars = _Bm25Field()
        self._sides: list[tuple[frozenset[str], frozenset[str]]] = []  # (text, title) words
        self._joined: list[tuple[str, str]] = []  # (text, title) stemmed words, in order
        self._years: list[frozenset[str]] = []
        self._numbers: list[frozenset[str]] = []
        self._synonyms: dict[str, tuple[str, ...]] = {}
        self._idf_mass: np.ndarray = np.zeros(0)
        self._vocabulary: Counter[str] = Counter()  # normalised (unstemmed) words of the pool
        self._stale = True

    @classmethod
    def from_items(
        cls, items: Iterable[Mapping[str, str]], settings: IndexSettings | None = None
    ) -> LexicalIndex:
        """Index mappings with ``id``, ``text`` and optional ``title`` keys."""
        index = cls(settings)
        for item in items:
            index.add(str(item["id"]), item["text"], title=item.get("title") or "")
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, doc_id: str, text: str, *, title: str = "") -> None:
        """Add one document (ids are not checked for uniqueness)."""
        n = self.settings.char_ngram
        normalized = normalize_text(text)
        text_words = tokenize_normalized(normalized, True, True)
        words: Counter[str] = Counter(text_words)
        chars: Counter[str] = Counter(_char_ngrams(normalized, n))
        normalized_title = normalize_text(title) if title else ""
        title_words = tokenize_normalized(normalized_title, True, True)
        for word in title_words:
            words[word] += self.settings.title_weight
        for gram in _char_ngrams(normalized_title, n):
            chars[gram] += self.settings.title_weight
        both = f"{normalized} {normalized_title}"
        self._vocabulary.update(both.split())
        self._ids.append(doc_id)
        self._words.docs.append(words)
        self._chars.docs.append(chars)
        self._sides.append((frozenset(text_words), frozenset(title_words)))
        self._joined.append((" ".join(text_words), " ".join(title_words)))
        self._years.append(frozenset(_YEAR_RE.findall(both)))
        self._numbers.append(_numbers(both))
        self._stale = True

    def _build(self) -> None:
        self._words.build(k1=self.settings.k1, b=self.settings.b)
        if self.settings.char_weight:
            self._chars.build(k1=self.settings.k1, b=self.settings.b)
        self._synonyms = (
            _mine_synonyms(self._sides, self.settings) if self.settings.synonym_weight else {}
        )
        idf = self._words.idf
        self._idf_mass = np.array(
            [sum(idf.get(word, 0.0) for word in text | title) for text, title in self._sides]
        )
        self._stale = False

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed word; 0.0 when unseen."""
        if self._stale:
            self._build()
        return self._words.idf.get(term, 0.0)

    def related_words(self, term: str) -> tuple[str, ...]:
        """Stemmed words the pool relates to stemmed `term` (see `_mine_synonyms`)."""
        if self._stale:
            self._build()
        return self._synonyms.get(term, ())

    def _query(self, query: str) -> _Query:
        normalized = normalize_text(query)
        if self.settings.segment_unknown:
            # Only words of @handles and #hashtags: "context" is no glued "con text".
            tags = " ".join("#" + tag for tag in _HANDLE_OR_TAG_RE.findall(query))
            glued = {
                word
                for word in normalize_text(tags).split()
                if len(word) >= 2 * _MIN_PIECE and word.isalpha() and word not in self._vocabulary
            }
            normalized = " ".join(
                " ".join(segment(word, self._vocabulary) or [word]) if word in glued else word
                for word in normalized.split()
            )
        words = tokenize_normalized(normalized, True, True)
        # Years from the raw text too: the tweet's posting date is cut by `normalize_text`.
        return _Query(
            # Sorted, so float sums and hence near-ties come out the same in every process.
            words=sorted(set(words)),
            grams=sorted(set(_char_ngrams(normalized, self.settings.char_ngram))),
            joined=" ".join(words),
            years=frozenset(_YEAR_RE.findall(URL_RE.sub(" ", query))),
            numbers=_numbers(normalized),
        )

    def _first_stage(self, query: _Query) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Combined, word and n-gram scores of every document."""
        weights = dict.fromkeys(query.words, 1.0)
        if self.settings.synonym_weight:
            for word in query.words:
                for other in self._synonyms.get(word, ()):
                    weights.setdefault(other, self.settings.synonym_weight)
        words = self._words.score(weights)
        combined = _scaled(words, 1.0)
        chars = np.zeros(len(self._ids))
        if self.settings.char_weight:
            chars = self._chars.score(query.grams)
            combined = combined + _scaled(chars, self.settings.char_weight)
        return combined, words, chars

    def rerank_features(self, query: str, depth: int | None = None) -> tuple[list[int], np.ndarray]:
        """First-stage candidates (document numbers, best first) and their re-ranker features.

        Columns follow `RERANK_FEATURES`; used by `search()` and to fit `RERANK_WEIGHTS`.
        """
        if self._stale:
            self._build()
        parsed = self._query(query)
        combined, words, chars = self._first_stage(parsed)
        depth = self.settings.rerank_depth if depth is None else depth
        head = _top_numbers(combined, depth)
        return head, self._features(parsed, head, combined, words, chars)

    def _features(
        self,
        query: _Query,
        head: Sequence[int],
        combined: np.ndarray,
        words: np.ndarray,
        chars: np.ndarray,
    ) -> np.ndarray:
        idf = self._words.idf
        query_words = set(query.words)
        query_mass = sum(idf.get(word, 0.0) for word in query_words) or 1.0
        best = [max(float(values.max(initial=0.0)), 1e-9) for values in (combined, words, chars)]
        rows = []
        for rank, doc in enumerate(head, start=1):
            text_words, title_words = self._sides[doc]
            shared_mass = sum(
                idf.get(word, 0.0) for word in query_words & (text_words | title_words)
            )
            joined_text, joined_title = self._joined[doc]
            years = self._years[doc]
            rows.append(
                (
                    combined[doc] / best[0],
                    words[doc] / best[1],
                    chars[doc] / best[2],
                    shared_mass / query_mass,
                    shared_mass / max(self._idf_mass[doc], 1e-9),
                    fuzz.token_set_ratio(query.joined, joined_text) / 100.0,
                    fuzz.partial_ratio(joined_text, query.joined) / 100.0,
                    fuzz.token_set_ratio(query.joined, joined_title) / 100.0
                    if joined_title
                    else 0.0,
                    1.0 / rank,
                    math.log(rank),
                    float(bool(years & query.years)),
                    float(bool(years) and bool(query.years) and not years & query.years),
                    len(query.numbers & self._numbers[doc]) / (1.0 + len(query.numbers)),
                    words[doc] / query_mass,
                    chars[doc] / max(len(query.grams), 1),
                )
            )
        return np.array(rows, dtype=float).reshape(len(rows), len(RERANK_FEATURES))

    def search(self, query: str, *, top: int = 10) -> list[tuple[str, float]]:
        """Return up to `top` ``(doc_id, score)`` pairs, best first; ties keep insertion order.

        Each query term counts once: tweets repeat words for emphasis, not meaning. The first
        `rerank_depth` are ordered by the re-ranker (scores are its outputs, shifted above the
        first-stage scores of the rest, which keep their order).
        """
        if self._stale:
            self._build()
        parsed = self._query(query)
        combined, words, chars = self._first_stage(parsed)
        weights = self.settings.rerank_weights
        if top <= 0 or not weights or self.settings.rerank_depth <= 0:
            return _top_documents(combined, top, self._ids)
        ranked = _top_numbers(combined, max(top, self.settings.rerank_depth))
        head, tail = ranked[: self.settings.rerank_depth], ranked[self.settings.rerank_depth :]
        if not head:
            return []
        reranked = self._features(parsed, head, combined, words, chars) @ np.asarray(weights)
        order = np.argsort(-reranked, kind="stable")
        floor = float(combined[tail[0]]) if tail else 0.0
        shift = floor - float(reranked.min()) + 1.0
        hits = [(self._ids[head[i]], float(reranked[i]) + shift) for i in order]
        hits.extend((self._ids[doc], float(combined[doc])) for doc in tail)
        return hits[:top]


def _top_numbers(scores: np.ndarray, top: int) -> list[int]:
    """Document numbers of the `top` best positive scores, best first, ties in insertion order.

    Keeping everything tied with the `top`-th score before sorting keeps that true at the cut.
    """
    hits = np.flatnonzero(scores > 0.0)
    if top <= 0 or not len(hits):
        return []
    if len(hits) > top:
        cutoff = np.partition(scores[hits], len(hits) - top)[len(hits) - top]
        hits = hits[scores[hits] >= cutoff]
    return hits[np.argsort(-scores[hits], kind="stable")][:top].tolist()


def _top_documents(scores: np.ndarray, top: int, ids: Sequence[str]) -> list[tuple[str, float]]:
    """The `top` best-scoring documents with a positive score, best first.

    Ties keep insertion order, so an older stored claim comes before a later copy of it.
    """
    return [(ids[doc], float(scores[doc])) for doc in _top_numbers(scores, top)]


def _scaled(scores: np.ndarray, weight: float) -> np.ndarray:
    """Scale `scores` so the best is `weight` (all-zero stays zero)."""
    best = float(scores.max(initial=0.0))
    return scores * (weight / best) if best > 0.0 else scores


def rank_claims(
    pool: Sequence[Mapping[str, str]],
    queries: Sequence[Mapping[str, str]],
    top: int = 10,
    *,
    settings: IndexSettings | None = None,
) -> list[dict[str, object]]:
    """Rank the `pool` claims for each query with the default lexical matcher.

    `pool` items have ``id``, ``text`` and optional ``title``; `queries` have ``id`` and
    ``text``. Returns one ``{"query_id", "ranked": [ids]}`` per query, in input order.
    """
    index = LexicalIndex.from_items(pool, settings)
    return [
        {
            "query_id": str(query["id"]),
            "ranked": [doc_id for doc_id, _ in index.search(query["text"], top=top)],
        }
        for query in queries
    ]
