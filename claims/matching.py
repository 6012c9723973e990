"""Match stage (pure, no DB, no network): normalise claim text, retrieve and score candidates.

Three layers, each usable alone:

1. **Normalisation** - `normalize_text()` and `tokenize()`: case, accents, quotes, URLs and
   tweet trailers, @handles and #HashTags split into words, numbers ("1,000", "70 per cent",
   "two"), stop words and a Porter stemmer (`stem()`), so that "Signs", "signed" and "signing"
   meet.
2. **Retrieval** - `LexicalIndex`: an in-memory BM25F inverted index over `text` and `title`
   with word bigrams; a query touches only the postings of its own terms. `candidate_keys()`
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

import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz import fuzz

DEFAULT_AUTO = 82.0
DEFAULT_SUGGEST = 65.0

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while
    who whom why with would you your yours yourself yourselves s t d ll m re ve y also via
    amp rt im ive youre theyre thats whats dont doesnt didnt isnt wasnt arent werent cant wont
    """.split()
)
"""English function words dropped before indexing and scoring.

Negations ("not", "no", "never") are kept on purpose: "will sign" and "will not sign" are
different claims.
"""

_NUMBER_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
        "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
        "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
        "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
        "dozen": "12",
    }
)

# A URL, including the ones glued to the word before them ("#Defundhttps://t.co/x") and
# Twitter's picture links; everything up to the next space goes.
_URL_RE = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
# The attribution line an embedded tweet ends with: "— Name (@handle) January 6, 2020".
# The date is when the tweet was posted, not part of the claim; the handle is split below.
_TWEET_DATE_RE = re.compile(
    r"\)\s*(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4}\s*$"
)
_HANDLE_OR_TAG_RE = re.compile(r"[@#]([A-Za-z0-9_]+)")
# Split "AustralianFires" and "realDonaldTrump" and "COVID19Vaccine" into words.
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")
_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "_": " ",
    }
)
_POSSESSIVE_RE = re.compile(r"'s\b")
_APOSTROPHE_RE = re.compile(r"(?<=[a-z])'(?=[a-z])")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DECIMAL_RE = re.compile(r"(?<=\d)\.(?=\d)")
_PERCENT_RE = re.compile(r"%|\bper\s*cent\b|\bpct\b")
_DOLLAR_RE = re.compile(r"\$|\bus[ds]\b")
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
    text = _TWEET_DATE_RE.sub(") ", text)
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
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
    ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
    ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
    ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
    ("logi", "log"),
)
_STEP3 = (
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", ""),
)
_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion",
    "ou", "ism", "ate", "iti", "ous", "ive", "ize",
)


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
    for suffix in sorted(_STEP4, key=len, reverse=True):
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
    words = normalize_text(text).split()
    if drop_stop_words:
        words = [word for word in words if word not in STOP_WORDS]
    if stemmed:
        words = [stem(word) for word in words]
    return words


def _bigrams(tokens: Sequence[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


# ---------------------------------------------------------------------------
# Retrieval
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexSettings:
    """BM25F parameters; the defaults were tuned on CLEF CheckThat! 2020 task 2 (train+dev)."""

    k1: float = 1.2
    b: float = 0.75
    title_weight: float = 1.0
    bigram_weight: float = 0.0


class LexicalIndex:
    """In-memory BM25F index over claim `text` and `title` (words and word bigrams).

    Build once with `add()` calls (or `from_items()`), then `search()`; the first search after
    an `add()` recomputes the postings. Each posting holds the term's precomputed BM25 impact
    for one document, so a query costs only the sum over its own terms' postings.
    """

    def __init__(self, settings: IndexSettings | None = None) -> None:
        self.settings = settings or IndexSettings()
        self._ids: list[str] = []
        self._docs: list[Counter[str]] = []
        self._lengths: list[float] = []
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._idf: dict[str, float] = {}
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

    def _terms(self, text: str) -> Counter[str]:
        tokens = tokenize(text)
        terms: Counter[str] = Counter(tokens)
        if self.settings.bigram_weight:
            for bigram in _bigrams(tokens):
                terms[bigram] += self.settings.bigram_weight
        return terms

    def add(self, doc_id: str, text: str, *, title: str = "") -> None:
        """Add one document; `title` counts `settings.title_weight` times per occurrence."""
        terms = self._terms(text)
        length = float(sum(terms.values()))
        if title:
            title_terms = self._terms(title)
            for term, count in title_terms.items():
                terms[term] += self.settings.title_weight * count
            length += self.settings.title_weight * sum(title_terms.values())
        self._ids.append(doc_id)
        self._docs.append(terms)
        self._lengths.append(length)
        self._stale = True

    def _build(self) -> None:
        k1, b = self.settings.k1, self.settings.b
        n_docs = len(self._ids)
        average = (sum(self._lengths) / n_docs) if n_docs else 1.0
        doc_freq: Counter[str] = Counter()
        for terms in self._docs:
            doc_freq.update(terms.keys())
        self._idf = {
            term: math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)) for term, df in doc_freq.items()
        }
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc, (terms, length) in enumerate(zip(self._docs, self._lengths, strict=True)):
            norm = k1 * (1.0 - b + b * length / average)
            for term, tf in terms.items():
                postings[term].append((doc, self._idf[term] * tf * (k1 + 1.0) / (tf + norm)))
        self._postings = dict(postings)
        self._stale = False

    def idf(self, term: str) -> float:
        """Inverse document frequency of an (already tokenised) term; 0.0 when unseen."""
        if self._stale:
            self._build()
        return self._idf.get(term, 0.0)

    def search(self, query: str, *, top: int = 10) -> list[tuple[str, float]]:
        """Return up to `top` ``(doc_id, bm25_score)`` pairs, best first, ties by insertion."""
        if self._stale:
            self._build()
        scores: dict[int, float] = defaultdict(float)
        for term in self._terms(query):
            # Each query term counts once: tweets repeat words for emphasis, not meaning.
            for doc, impact in self._postings.get(term, ()):
                scores[doc] += impact
        best = heapq.nlargest(top, scores.items(), key=lambda item: (item[1], -item[0]))
        return [(self._ids[doc], score) for doc, score in best]


def candidate_keys(
    texts: Iterable[str],
    *,
    entities: Iterable[str] = (),
    doc_freq: Mapping[str, int] | None = None,
    max_doc_freq: int = 1000,
    limit: int = 12,
) -> frozenset[str]:
    """Return the keys a database layer can index to narrow candidates for these texts.

    Keys are stemmed content words and ``ent:``-prefixed normalised entity names. With
    `doc_freq` (key -> number of stored claims holding it), keys held by more than
    `max_doc_freq` claims are dropped and the rarest `limit` kept; without it the longest
    words are kept, a cheap stand-in for rarity. Entities are always kept.
    """
    keys: set[str] = {"ent:" + normalize_text(name) for name in entities if normalize_text(name)}
    words = {word for text in texts for word in tokenize(text) if len(word) > 2}
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
    `earliest`/`latest` the deadline window; all optional. `title` is used by retrieval only.
    """

    id: str
    text: str
    event: str = ""
    speaker: str = ""
    entities: frozenset[str] = frozenset()
    earliest: date | None = None
    latest: date | None = None
    title: str = ""


@dataclass(frozen=True)
class MatchScore:
    """A 0..100 score and the parts it was made of (stored on the mention for editors)."""

    score: float
    parts: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """The best candidate for a mention and whether it joins at once or as a suggestion."""

    candidate_id: str
    score: float
    parts: Mapping[str, float]
    suggested: bool  # True between `suggest` and `auto`: an editor confirms it


@dataclass(frozen=True)
class ScoreWeights:
    """How `score_pair` mixes its parts; adjustments are in score points."""

    token_set: float = 0.25
    token_sort: float = 0.20
    content_overlap: float = 0.40
    partial: float = 0.15
    event_weight: float = 0.35  # share of the text score given to event phrases when both exist
    entity_bonus: float = 6.0
    entity_penalty: float = 6.0
    speaker_bonus: float = 5.0
    speaker_penalty: float = 5.0
    window_bonus: float = 4.0
    window_penalty: float = 15.0  # for disjoint windows, scaled by how far apart they are
    window_scale_days: float = 30.0
    negation_penalty: float = 20.0


DEFAULT_WEIGHTS = ScoreWeights()
_NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "without", "deny", "reject"})


def _content_tokens(text: str) -> list[str]:
    return tokenize(text)


def _dice(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 200.0 * len(a & b) / (len(a) + len(b))


def _text_similarity(a: str, b: str, weights: ScoreWeights) -> dict[str, float]:
    tokens_a, tokens_b = _content_tokens(a), _content_tokens(b)
    joined_a, joined_b = " ".join(tokens_a), " ".join(tokens_b)
    return {
        "token_set": fuzz.token_set_ratio(joined_a, joined_b),
        "token_sort": fuzz.token_sort_ratio(joined_a, joined_b),
        "content_overlap": _dice(set(tokens_a), set(tokens_b)),
        "partial": fuzz.partial_ratio(normalize_text(a), normalize_text(b))
        if a and b
        else 0.0,
    }


def _mix(parts: Mapping[str, float], weights: ScoreWeights) -> float:
    total = weights.token_set + weights.token_sort + weights.content_overlap + weights.partial
    return (
        weights.token_set * parts["token_set"]
        + weights.token_sort * parts["token_sort"]
        + weights.content_overlap * parts["content_overlap"]
        + weights.partial * parts["partial"]
    ) / total


def _normalize_name(name: str) -> str:
    return normalize_text(name)


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
    parts: dict[str, float] = dict(_text_similarity(mention.text, candidate.text, weights))
    text_score = _mix(parts, weights)
    if mention.event and candidate.event:
        event_parts = _text_similarity(mention.event, candidate.event, weights)
        parts["event"] = _mix(event_parts, weights)
        text_score = (1 - weights.event_weight) * text_score + weights.event_weight * parts["event"]
    parts["text"] = text_score
    score = text_score

    negated_a = bool(_NEGATIONS & set(normalize_text(mention.text).split()))
    negated_b = bool(_NEGATIONS & set(normalize_text(candidate.text).split()))
    if negated_a != negated_b:
        parts["negation"] = -weights.negation_penalty
        score -= weights.negation_penalty

    if mention.entities and candidate.entities:
        names_a = {_normalize_name(name) for name in mention.entities}
        names_b = {_normalize_name(name) for name in candidate.entities}
        overlap = len(names_a & names_b) / min(len(names_a), len(names_b))
        adjustment = (
            weights.entity_bonus * overlap if overlap else -weights.entity_penalty
        )
        parts["entities"] = adjustment
        score += adjustment

    if mention.speaker and candidate.speaker:
        same = _speakers_agree(mention.speaker, candidate.speaker)
        adjustment = weights.speaker_bonus if same else -weights.speaker_penalty
        parts["speaker"] = adjustment
        score += adjustment

    gap = _window_gap_days(mention, candidate)
    if gap is not None:
        if gap == 0:
            adjustment = weights.window_bonus
        else:
            adjustment = -weights.window_penalty * min(1.0, gap / weights.window_scale_days) - 2.0
        parts["window"] = adjustment
        score += adjustment

    score = max(0.0, min(100.0, score))
    return MatchScore(score=round(score, 2), parts=MappingProxyType(
        {name: round(value, 2) for name, value in parts.items()}
    ))


def _speakers_agree(a: str, b: str) -> bool:
    """Same speaker, allowing one name to be part of the other ("Rubio" / "Marco Rubio")."""
    words_a, words_b = set(normalize_text(a).split()), set(normalize_text(b).split())
    if not words_a or not words_b:
        return False
    return words_a <= words_b or words_b <= words_a


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
