"""Match stage (pure, no DB, no network): normalise claim text, retrieve and score candidates.

Three layers, each usable alone:

1. **Normalisation** - `normalize_text()` and `tokenize()`: case, accents, quotes, URLs and
   tweet trailers, @handles and #HashTags split into words, numbers ("1,000", "70 per cent",
   "two"), stop words and a Porter stemmer (`stem()`), so that "Signs", "signed" and "signing"
   meet.
2. **Retrieval** - `LexicalIndex`: an in-memory BM25F inverted index over `text` and `title`
   (stemmed words plus in-word character 4-grams); a query touches only the postings of its
   own terms, plus related words mined from the pool's own title/text pairs, with glued
   lower-case @handles and #hashtags split into pool words. A linear re-ranker (coverage,
   rapidfuzz, rank and year/number features, weights fitted on CLEF train) orders the top 30.
   `candidate_keys()`
   turns texts into the few rare terms and entities a database layer can index to narrow
   candidates before scoring.
3. **Scoring** - `score_pair()` combines rapidfuzz similarities on normalised text and event
   phrases with entity, speaker and deadline-window agreement into one 0..100 score with its
   parts; `rank()` and `best_match()` apply it to a candidate list, and `rank_claims()` is the
   batch entry point behind ``manage.py rank_claims``.

Thresholds follow the two-level scheme of the design: at or above `auto` a mention joins the
claim, between `suggest` and `auto` it joins as a suggestion an editor confirms.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

DEFAULT_AUTO = 82.0
DEFAULT_SUGGEST = 65.0

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

_STOP_WORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while
    who whom why with would you your yours yourself yourselves s t d ll m re ve y also via
    amp rt im ive youre theyre thats whats dont doesnt didnt isnt wasnt arent werent cant wont
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())
"""English function words dropped before indexing and scoring.

Negations ("not", "no", "never") are kept on purpose: "will sign" and "will not sign" are
different claims.
"""

# Spelled-out small numbers, so "two women" meets "2 women". Larger ones ("million") stay
# words: "2 million" and "2,000,000" are rarer than "2 million" twice.
_SMALL_NUMBERS_TEXT = """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty
"""
_NUMBER_WORDS: dict[str, str] = {
    word: str(value) for value, word in enumerate(_SMALL_NUMBERS_TEXT.split())
}

# A URL, including the ones glued to the word before them ("#Defundhttps://t.co/x") and
# Twitter's picture links; everything up to the next space goes.
_URL_RE = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
# The attribution an embedded tweet ends with: "— Name (@handle) January 6, 2020". The name
# stays (claims are often about the author); the handle repeats it and the posting date is
# not part of the claim. Quoted tweets put one mid-text, so this is not anchored at the end.
_TWEET_ATTRIBUTION_RE = re.compile(
    r"\(@\w+\)\s*(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{1,2},\s+\d{4}"
)
_HANDLE_OR_TAG_RE = re.compile(r"[@#]([A-Za-z0-9_]+)")
# Split "AustralianFires" and "realDonaldTrump" and "COVID19Vaccine" into words.
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "_": " ",
    }
)
_POSSESSIVE_RE = re.compile(r"'s\b")
_APOSTROPHE_RE = re.compile(r"(?<=[a-z])'(?=[a-z])")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DECIMAL_RE = re.compile(r"(?<=\d)\.(?=\d)")
_PERCENT_RE = re.compile(r"%|\bper\s*cent\b|\bpct\b")
_DOLLAR_RE = re.compile(r"\$|\busd\b")
_ORDINAL_RE = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_WORD_RE = re.compile(r"[a-z0-9]+")


def _split_handle_or_tag(match: re.Match[str]) -> str:
    return " " + _CAMEL_RE.sub(" ", match.group(1)) + " "


def normalize_text(text: str) -> str:
    """Return `text` lower-cased, de-accented and stripped of URLs and punctuation.

    Numbers are unified ("1,000" -> "1000", "70 per cent" -> "70 percent", "two" -> "2") and
    @handles / #HashTags are split into their words. The result is plain words joined by single
    spaces; stop words are kept (use `tokenize()` to drop them and stem).
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _URL_RE.sub(" ", text)
    text = _TWEET_ATTRIBUTION_RE.sub(" ", text)
    text = _HANDLE_OR_TAG_RE.sub(_split_handle_or_tag, text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _POSSESSIVE_RE.sub("", text)
    text = _APOSTROPHE_RE.sub("", text)
    text = _THOUSANDS_RE.sub("", text)
    text = _DECIMAL_RE.sub("p", text)  # "2.5" stays one token ("2p5") instead of "2" and "5"
    text = _PERCENT_RE.sub(" percent ", text)
    text = _DOLLAR_RE.sub(" dollar ", text)
    text = _ORDINAL_RE.sub(r"\1", text)
    words = [_NUMBER_WORDS.get(word, word) for word in _WORD_RE.findall(text)]
    return " ".join(words)


# --- Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980) ---------------

_VOWELS = frozenset("aeiou")


def _is_consonant(word: str, i: int) -> bool:
    if word[i] in _VOWELS:
        return False
    if word[i] == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Number of vowel-consonant sequences (Porter's m) in `stem`."""
    m = 0
    previous_vowel = False
    for i in range(len(stem)):
        consonant = _is_consonant(stem, i)
        if consonant and previous_vowel:
            m += 1
        previous_vowel = not consonant
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _ends_double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _is_consonant(word, len(word) - 1)


def _ends_cvc(word: str) -> bool:
    return (
        len(word) >= 3
        and _is_consonant(word, len(word) - 3)
        and not _is_consonant(word, len(word) - 2)
        and _is_consonant(word, len(word) - 1)
        and word[-1] not in "wxy"
    )


_STEP2 = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
)
_STEP3 = (
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
)
_STEP4 = (
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ion",
    "ou",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
)


_STEP4_LONGEST_FIRST = tuple(sorted(_STEP4, key=len, reverse=True))


def _replace_longest(word: str, rules: Sequence[tuple[str, str]], min_measure: int) -> str:
    """Apply the rule with the longest matching suffix, if the remaining stem is long enough."""
    best: tuple[str, str] | None = None
    for suffix, replacement in rules:
        if word.endswith(suffix) and (best is None or len(suffix) > len(best[0])):
            best = (suffix, replacement)
    if best is None:
        return word
    stem = word[: -len(best[0])]
    return stem + best[1] if _measure(stem) > min_measure else word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter-stem one lower-case word ("signing" -> "sign", "agreed" -> "agre")."""
    if len(word) <= 2 or not word.isalpha():
        return word
    # Step 1a: plurals.
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    # Step 1b: -ed / -ing.
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _ends_double_consonant(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _ends_cvc(word):
                    word += "e"
                break
    # Step 1c: y -> i after a vowel-bearing stem.
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    # Steps 2-4: derivational suffixes.
    word = _replace_longest(word, _STEP2, 0)
    word = _replace_longest(word, _STEP3, 0)
    for suffix in _STEP4_LONGEST_FIRST:
        if word.endswith(suffix):
            stem_part = word[: -len(suffix)]
            if _measure(stem_part) > 1 and (suffix != "ion" or stem_part.endswith(("s", "t"))):
                word = stem_part
            break
    # Step 5: final -e and -ll.
    if word.endswith("e"):
        stem_part = word[:-1]
        m = _measure(stem_part)
        if m > 1 or (m == 1 and not _ends_cvc(stem_part)):
            word = stem_part
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def tokenize(text: str, *, drop_stop_words: bool = True, stemmed: bool = True) -> list[str]:
    """Normalise `text` and return its words, stop words dropped and stemmed by default."""
    return _tokenize_normalized(normalize_text(text), drop_stop_words, stemmed)


def _tokenize_normalized(normalized: str, drop_stop_words: bool, stemmed: bool) -> list[str]:
    words = normalized.split()
    if drop_stop_words:
        words = [word for word in words if word not in STOP_WORDS]
    if stemmed:
        words = [stem(word) for word in words]
    return words


# ---------------------------------------------------------------------------
# Retrieval
# ---------------------------------------------------------------------------


# Re-ranker weights, one per `_RERANK_FEATURES` entry; fitted on the CLEF CheckThat! 2020
# task 2 train queries with `python bench/matching_bench.py --fit-rerank` (softmax over each
# query's first-stage top `rerank_depth`), checked on dev.
_RERANK_FEATURES = (
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
    `rerank_depth` candidates, then a linear re-ranker over `_RERANK_FEATURES` orders them
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


_MIN_PIECE = 3  # shortest piece `_segment` uses: "in", "of" would split almost anything


def _segment(word: str, vocabulary: Mapping[str, int]) -> list[str] | None:
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
        text_words = _tokenize_normalized(normalized, True, True)
        words: Counter[str] = Counter(text_words)
        chars: Counter[str] = Counter(_char_ngrams(normalized, n))
        normalized_title = normalize_text(title) if title else ""
        title_words = _tokenize_normalized(normalized_title, True, True)
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
                " ".join(_segment(word, self._vocabulary) or [word]) if word in glued else word
                for word in normalized.split()
            )
        words = _tokenize_normalized(normalized, True, True)
        # Years from the raw text too: the tweet's posting date is cut by `normalize_text`.
        return _Query(
            # Sorted, so float sums and hence near-ties come out the same in every process.
            words=sorted(set(words)),
            grams=sorted(set(_char_ngrams(normalized, self.settings.char_ngram))),
            joined=" ".join(words),
            years=frozenset(_YEAR_RE.findall(_URL_RE.sub(" ", query))),
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

        Columns follow `_RERANK_FEATURES`; used by `search()` and to fit `RERANK_WEIGHTS`.
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
        return np.array(rows, dtype=float).reshape(len(rows), len(_RERANK_FEATURES))

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


# Words every forecast carries ("will ... by the end of next week"): useless for narrowing,
# since deadlines are compared as windows, not as words.
_GENERIC_CLAIM_WORDS_TEXT = """
    will would could may might must shall can expect expected likely soon plan plans
    next last end start beginning early late day days week weeks month months year years
    today tomorrow yesterday tonight weekend monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november
    december said say says told according new
"""
_GENERIC_CLAIM_WORDS = frozenset(stem(word) for word in _GENERIC_CLAIM_WORDS_TEXT.split())


def candidate_keys(
    texts: Iterable[str],
    *,
    entities: Iterable[str] = (),
    doc_freq: Mapping[str, int] | None = None,
    max_doc_freq: int = 1000,
    limit: int = 12,
) -> frozenset[str]:
    """Return the keys a database layer can index to narrow candidates for these texts.

    Keys are stemmed content words (as `tokenize()` makes them, calendar and modal words left
    out) and ``ent:``-prefixed normalised entity names, which are always kept. A new mention's
    candidates are the stored claims sharing at least one key with it.

    With `doc_freq` (key -> number of stored claims holding it) words held by more than
    `max_doc_freq` claims are dropped and the `limit` rarest kept; without it the `limit`
    longest, a cheap stand-in for rarity.
    """
    keys = {"ent:" + name for name in map(normalize_text, entities) if name}
    words = {
        word
        for text in texts
        for word in tokenize(text)
        if len(word) > 2 and word not in _GENERIC_CLAIM_WORDS
    }
    if doc_freq is not None:
        words = {word for word in words if doc_freq.get(word, 0) <= max_doc_freq}
        chosen = sorted(words, key=lambda word: (doc_freq.get(word, 0), word))[:limit]
    else:
        chosen = sorted(words, key=lambda word: (-len(word), word))[:limit]
    return frozenset(keys | set(chosen))


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchInput:
    """One side of a comparison: a new mention or a stored claim.

    `event` is the event phrase ("sign the minerals deal"), `entities` the named entities,
    `earliest`/`latest` the deadline window; all optional. `title` (a headline) is not scored
    by `score_pair`; it is the second field of `LexicalIndex`.
    """

    id: str
    text: str
    event: str = ""
    speaker: str = ""
    entities: frozenset[str] = frozenset()
    earliest: date | None = None
    latest: date | None = None
    negated: bool | None = None  # from the extractor; None: inferred from the text
    verb: str = ""  # lemma of the event's verb ("sign", "halt")
    title: str = ""
    vague: bool = False  # the deadline phrase is vague ("in the coming weeks")
    published: date | None = None  # when the article stating it appeared


@dataclass(frozen=True)
class MatchScore:
    """A 0..100 score and the parts it was made of (stored on the mention for editors).

    Text parts (0..100): ``content_overlap``, ``token_sort``, ``token_set``, ``partial``,
    ``event`` (when both sides have an event phrase) and their mix ``text``. Adjustments in
    points, present only when both sides carry the field: ``negation``, ``entities``,
    ``speaker``, ``window``. `parts` is a plain dict so it can go into a JSONField as is.
    """

    score: float
    parts: dict[str, float] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Match:
    """The best candidate for a mention and whether it joins at once or as a suggestion."""

    candidate_id: str
    score: float
    parts: dict[str, float] = field(hash=False)
    suggested: bool = False  # True between `suggest` and `auto`: an editor confirms it


@dataclass(frozen=True)
class ScoreWeights:
    """How `score_pair` mixes its parts; the adjustments are in score points."""

    content_overlap: float = 0.65  # Dice overlap of content words: the main signal
    token_sort: float = 0.15
    token_set: float = 0.10
    partial: float = 0.10  # best-aligned substring: a headline inside a longer sentence
    event_weight: float = 0.35  # share of the text score given to event phrases when both exist
    entity_bonus: float = 6.0  # scaled by the share of entities in common
    entity_penalty: float = 3.0  # both sides name entities, none shared
    place_penalty: float = 100.0  # both name countries (or blocs), none in common: a veto
    speaker_bonus: float = 5.0
    speaker_penalty: float = 5.0
    window_bonus: float = 3.0  # deadline windows overlap
    # Both deadlines end on the same day, neither vague: outlets reporting one promise resolve
    # "August 1", "Friday" and "by the end of the week" to one date; different promises made
    # on one day rarely share it.
    same_day_bonus: float = 15.0
    window_penalty: float = 15.0  # disjoint windows: this many points at `window_scale_days`
    window_scale_days: float = 30.0  # distance at which the full window penalty applies
    negation_penalty: float = 20.0  # one side negated: likely a denial of the same claim
    verb_bonus: float = 8.0  # both event verbs known and of one kind ("sign" / "complete")
    verb_penalty: float = 10.0  # both known, different kinds ("sign" / "ratify")
    # Statements published far apart are less often one claim: this many points at
    # `published_scale_days` apart (only when both publication dates are known).
    published_penalty: float = 10.0
    published_scale_days: float = 60.0
    # An event phrase of fewer content words ("starting", "to begin") says nothing about what
    # is promised; it is not compared.
    event_min_words: int = 2


DEFAULT_WEIGHTS = ScoreWeights()

# Words that say who reported a claim, not what it is: "officials said", "according to".
# Compared before stemming: "according" and "accord" share a stem, not a meaning.
_REPORTING_WORDS_TEXT = """
    said say says saying told tell tells according reportedly added adds stated
    claimed insisted insists announced announces quoted
"""
_REPORTING_WORDS = frozenset(_REPORTING_WORDS_TEXT.split())
# Negations as `normalize_text` leaves them ("won't" -> "wont").
_NEGATIONS_TEXT = """
    not no never neither nor without cannot cant wont dont doesnt didnt isnt wasnt arent werent
    wouldnt shouldnt couldnt hasnt havent hadnt
"""
_NEGATIONS = frozenset(_NEGATIONS_TEXT.split())


@dataclass(frozen=True)
class _PreparedText:
    """What scoring needs from one text, computed once per distinct text."""

    words: frozenset[str]  # stemmed content words, reporting verbs left out
    joined: str  # the same words in text order, for the rapidfuzz ratios
    negated: bool


@lru_cache(maxsize=50_000)
def _prepare(text: str) -> _PreparedText:
    # Cached: a mention is scored against many candidates and a stored claim against many
    # mentions; normalising dominates the cost of a pair.
    normalized = normalize_text(text)
    words = [
        stem(word)
        for word in normalized.split()
        if word not in STOP_WORDS and word not in _REPORTING_WORDS
    ]
    return _PreparedText(
        words=frozenset(words),
        joined=" ".join(words),
        negated=not _NEGATIONS.isdisjoint(normalized.split()),
    )


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 200.0 * len(a & b) / (len(a) + len(b))


def _text_parts(a: str, b: str) -> dict[str, float]:
    """rapidfuzz similarities (0..100) of two texts after normalisation."""
    prepared_a, prepared_b = _prepare(a), _prepare(b)
    joined_a, joined_b = prepared_a.joined, prepared_b.joined
    return {
        "content_overlap": _dice(prepared_a.words, prepared_b.words),
        "token_sort": fuzz.token_sort_ratio(joined_a, joined_b),
        "token_set": fuzz.token_set_ratio(joined_a, joined_b),
        "partial": fuzz.partial_ratio(joined_a, joined_b),
    }


def _mix(parts: Mapping[str, float], weights: ScoreWeights) -> float:
    total = weights.content_overlap + weights.token_sort + weights.token_set + weights.partial
    return (
        weights.content_overlap * parts["content_overlap"]
        + weights.token_sort * parts["token_sort"]
        + weights.token_set * parts["token_set"]
        + weights.partial * parts["partial"]
    ) / total


def _window_gap_days(a: MatchInput, b: MatchInput) -> int | None:
    """Days between two deadline windows (0 when they overlap); None when either is unknown."""
    a_start, a_end = a.earliest or a.latest, a.latest or a.earliest
    b_start, b_end = b.earliest or b.latest, b.latest or b.earliest
    if a_start is None or a_end is None or b_start is None or b_end is None:
        return None
    if a_end < b_start:
        return (b_start - a_end).days
    if b_end < a_start:
        return (a_start - b_end).days
    return 0


def score_pair(
    mention: MatchInput, candidate: MatchInput, *, weights: ScoreWeights = DEFAULT_WEIGHTS
) -> MatchScore:
    """Score how likely `mention` states the same claim as `candidate`, 0..100.

    1. Text: token-set, token-sort and partial ratios plus content-word overlap on normalised,
       stemmed text (event phrases mixed in when both sides have one).
    2. Negation: one side negated and the other not costs `negation_penalty` points.
    3. Agreement adjustments, each only when both sides carry the field: shared entities,
       same or different speaker, overlapping or disjoint deadline windows.

    Every part is returned in `parts` so the score can be explained.
    """
    parts: dict[str, float] = _text_parts(mention.text, candidate.text)
    text_score = _mix(parts, weights)
    if _informative_event(mention.event, weights) and _informative_event(candidate.event, weights):
        event_parts = _text_parts(mention.event, candidate.event)
        parts["event"] = _mix(event_parts, weights)
        text_score = (1 - weights.event_weight) * text_score + weights.event_weight * parts["event"]
    parts["text"] = text_score
    score = text_score

    if _is_negated(mention) != _is_negated(candidate):
        parts["negation"] = -weights.negation_penalty
        score -= weights.negation_penalty

    if mention.verb and candidate.verb:
        same_kind = verb_kind(mention.verb) == verb_kind(candidate.verb)
        adjustment = weights.verb_bonus if same_kind else -weights.verb_penalty
        parts["verb"] = adjustment
        score += adjustment

    names_a, names_b = _entity_names(mention), _entity_names(candidate)
    if names_a and names_b:
        common = sum(any(_same_entity(a, b) for b in names_b) for a in names_a)
        shared = min(1.0, common / max(1, min(len(names_a), len(names_b))))
        adjustment = weights.entity_bonus * shared if shared else -weights.entity_penalty
        parts["entities"] = adjustment
        score += adjustment
        places_a, places_b = names_a & _PLACES, names_b & _PLACES
        if places_a and places_b and places_a.isdisjoint(places_b):
            # "tariffs on Japan from August 1" / "on Mexico from August 1": one template,
            # two promises.
            parts["places"] = -weights.place_penalty
            score -= weights.place_penalty

    if mention.speaker and candidate.speaker:
        same = speakers_agree(mention.speaker, candidate.speaker)
        if same or (looks_like_name(mention.speaker) and looks_like_name(candidate.speaker)):
            # "the country's economy minister" vs "Ilse Varga-Moren" may be one person: only
            # two different names count against a match.
            adjustment = weights.speaker_bonus if same else -weights.speaker_penalty
            parts["speaker"] = adjustment
            score += adjustment

    gap = _window_gap_days(mention, candidate)
    if gap is not None:
        if gap == 0:
            adjustment = weights.window_bonus
            if (
                mention.latest is not None
                and mention.latest == candidate.latest
                and not mention.vague
                and not candidate.vague
            ):
                adjustment += weights.same_day_bonus
        else:
            # Not a veto: a later window may be the same claim with its deadline moved.
            adjustment = -weights.window_penalty * min(1.0, gap / weights.window_scale_days)
        parts["window"] = adjustment
        score += adjustment

    if mention.published is not None and candidate.published is not None:
        apart = abs((mention.published - candidate.published).days)
        if apart:
            adjustment = -weights.published_penalty * min(1.0, apart / weights.published_scale_days)
            parts["published"] = adjustment
            score += adjustment

    score = max(0.0, min(100.0, score))
    return MatchScore(
        score=round(score, 2), parts={name: round(value, 2) for name, value in parts.items()}
    )


def _informative_event(event: str, weights: ScoreWeights) -> bool:
    return bool(event) and len(_prepare(event).words) >= weights.event_min_words


# Adjectives of place that name the place itself in claims: "Chinese imports" are imports
# from China, "the European Union" is "the EU".
_PLACE_ADJECTIVES_TEXT = """
    american: united states, u s: united states, us: united states, america: united states,
    the us: united states, the united states: united states, usa: united states,
    chinese: china, japanese: japan, taiwanese: taiwan, korean: korea,
    south korean: south korea, north korean: north korea, indian: india,
    british: united kingdom, uk: united kingdom, the uk: united kingdom,
    britain: united kingdom, canadian: canada, mexican: mexico, european: european union,
    eu: european union, the eu: european union, the european union: european union,
    german: germany, french: france, italian: italy, spanish: spain, russian: russia,
    ukrainian: ukraine, brazilian: brazil, vietnamese: vietnam, swiss: switzerland,
    australian: australia, israeli: israel, iranian: iran, turkish: turkey,
    saudi: saudi arabia, indonesian: indonesia, thai: thailand, pakistani: pakistan,
    south african: south africa, nigerian: nigeria, egyptian: egypt, argentine: argentina,
    irish: ireland, dutch: netherlands, polish: poland, swedish: sweden, norwegian: norway
"""
_PLACE_ADJECTIVES: dict[str, str] = {
    adjective.strip(): place.strip()
    for adjective, place in (pair.split(":") for pair in _PLACE_ADJECTIVES_TEXT.split(","))
}


_COUNTRIES_TEXT = """
    japan china mexico canada india taiwan korea vietnam germany france italy spain russia
    ukraine brazil switzerland australia israel iran turkey indonesia thailand pakistan
    nigeria egypt argentina ireland netherlands poland sweden norway
"""
_PLACES = frozenset(_PLACE_ADJECTIVES.values()) | frozenset(_COUNTRIES_TEXT.split())


def _entity_names(item: MatchInput) -> frozenset[str]:
    """Normalised entity names of one side, places unified, its own speaker left out.

    "Trump said tariffs on Japan start Aug. 1" and "Trump said tariffs on Mexico start Aug. 1"
    share the speaker, not the subject: the speaker counts in the speaker part only.
    """
    names = set()
    for name in item.entities:
        normalized = normalize_text(name)
        normalized = _PLACE_ADJECTIVES.get(normalized, normalized)
        if normalized and not (item.speaker and speakers_agree(normalized, item.speaker)):
            names.add(normalized)
    return frozenset(names)


def _same_entity(a: str, b: str) -> bool:
    """ "kaldora" / "kaldoran", "the velmar port" / "velmar port": one name, two spellings."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 5 and long.startswith(short[:-1]):
        return True
    words_a, words_b = set(a.split()) - _ENTITY_FILLER, set(b.split()) - _ENTITY_FILLER
    return bool(words_a) and (words_a <= words_b or words_b <= words_a)


_ENTITY_FILLER = frozenset({"the", "of", "and", "s"})


def speakers_agree(a: str, b: str) -> bool:
    """Same speaker, allowing one name to be part of the other ("Rubio" / "Marco Rubio").

    Titles aside, two names agree when one's words are all in the other or their last words
    (surnames) are equal ("Ms Varga-Moren" / "Ilse Varga-Moren").
    """
    words_a = [w for w in normalize_text(a).split() if w not in _TITLES]
    words_b = [w for w in normalize_text(b).split() if w not in _TITLES]
    if not words_a or not words_b:
        return False
    set_a, set_b = set(words_a), set(words_b)
    return set_a <= set_b or set_b <= set_a or words_a[-1] == words_b[-1]


_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "prof",
        "president",
        "minister",
    ]
)


def looks_like_name(speaker: str) -> bool:
    """A name ("Edwina Charlot", "Vesgaz"), not a description ("Sarnesse's foreign secretary").

    Every word of a name is capitalised, but for particles such as "de", "van" or "al".
    """
    words = _SPEAKER_WORD_RE.findall(speaker)
    return bool(words) and all(
        word[:1].isupper() or word.lower() in _NAME_PARTICLES for word in words
    )


_SPEAKER_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_NAME_PARTICLES = frozenset(
    {"de", "da", "del", "der", "di", "du", "la", "le", "van", "von", "al", "bin", "ibn"}
)


def _is_negated(item: MatchInput) -> bool:
    return item.negated if item.negated is not None else _prepare(item.text).negated


# Event verbs that name the same kind of outcome; anything else is its own kind.
_VERB_KINDS = {
    verb: kind
    for kind, verbs in {
        "conclude": "sign complete conclude finalise finalize seal agree reach clinch strike",
        "stop": "halt stop cut suspend shut close block",
        "start": "begin start launch open reopen resume restart",
        "publish": "publish release issue unveil present announce",
        "hold": "hold last keep maintain respect observe",
        "effect": "take enter apply implement",
        "vote": "vote ratify approve pass adopt",
        "travel": "travel visit go fly return leave arrive",
        "meet": "meet talk negotiate sit",
    }.items()
    for verb in verbs.split()
}


def verb_kind(verb: str) -> str:
    return _VERB_KINDS.get(verb.lower(), verb.lower())


def _as_input(value: MatchInput | str, position: int) -> MatchInput:
    return value if isinstance(value, MatchInput) else MatchInput(id=str(position), text=value)


def rank(
    query: MatchInput | str,
    candidates: Iterable[MatchInput | str],
    *,
    top: int = 10,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
) -> list[tuple[MatchInput, MatchScore]]:
    """Score every candidate against `query` and return the `top` best, best first.

    Plain strings are accepted on either side; a string candidate gets its position as id.
    Candidates are assumed already narrowed (by `LexicalIndex` or the database); this scores
    all of them.
    """
    mention = _as_input(query, 0)
    scored = [
        (candidate, score_pair(mention, candidate, weights=weights))
        for candidate in (_as_input(value, i) for i, value in enumerate(candidates))
    ]
    scored.sort(key=lambda pair: pair[1].score, reverse=True)
    return scored[:top]


def best_match(
    mention: MatchInput | str,
    candidates: Iterable[MatchInput | str],
    *,
    auto: float = DEFAULT_AUTO,
    suggest: float = DEFAULT_SUGGEST,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
) -> Match | None:
    """Return the best candidate scoring at least `suggest`, or None (start a new claim).

    The match is `suggested` (an editor confirms it) when its score is below `auto`.
    """
    ranked = rank(mention, candidates, top=1, weights=weights)
    if not ranked:
        return None
    candidate, result = ranked[0]
    if result.score < suggest:
        return None
    return Match(
        candidate_id=candidate.id,
        score=result.score,
        parts=result.parts,
        suggested=result.score < auto,
    )


# ---------------------------------------------------------------------------
# Batch ranking for public retrieval sets
# ---------------------------------------------------------------------------


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
