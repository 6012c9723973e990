"""Text normalisation for matching (pure, no DB): one normaliser for the whole project.

`normalize_text()` folds case, accents, quotes, URLs and tweet trailers, splits @handles and
#HashTags into words and unifies numbers ("1,000", "70 per cent", "two"); `tokenize()` drops
stop words and stems with the Porter algorithm of the Snowball project (PyStemmer), so that
"Signs", "signed" and "signing" meet.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer

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
URL_RE = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
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


# Matching normalises the same sentences, event phrases and names over and over (a stored
# mention is compared with every new one): texts up to this long are normalised once per
# process. The function is pure, so a cached result is the result.
NORMALIZE_CACHE_CHARS = 2000
NORMALIZE_CACHE_SIZE = 100_000


def normalize_text(text: str) -> str:
    """Return `text` lower-cased, de-accented and stripped of URLs and punctuation.

    Numbers are unified ("1,000" -> "1000", "70 per cent" -> "70 percent", "two" -> "2") and
    @handles / #HashTags are split into their words. The result is plain words joined by single
    spaces; stop words are kept (use `tokenize()` to drop them and stem).
    """
    if len(text) <= NORMALIZE_CACHE_CHARS:
        return _normalize_cached(text)
    return _normalize(text)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = URL_RE.sub(" ", text)
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


_normalize_cached = lru_cache(maxsize=NORMALIZE_CACHE_SIZE)(_normalize)


_local = threading.local()  # a PyStemmer stemmer is not safe to share between threads


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("porter")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter-stem one lower-case word ("signing" -> "sign", "agreed" -> "agre")."""
    if len(word) <= 2 or not word.isalpha():
        return word
    return _stemmer().stemWord(word)


def tokenize(text: str, *, drop_stop_words: bool = True, stemmed: bool = True) -> list[str]:
    """Normalise `text` and return its words, stop words dropped and stemmed by default."""
    return tokenize_normalized(normalize_text(text), drop_stop_words, stemmed)


def tokenize_normalized(normalized: str, drop_stop_words: bool, stemmed: bool) -> list[str]:
    words = normalized.split()
    if drop_stop_words:
        words = [word for word in words if word not in STOP_WORDS]
    if stemmed:
        words = [stem(word) for word in words]
    return words


# Titles and role words that stand before a name or for it: "Deputy Prime Minister Ilse
# Varga", "US President Varga", "the mayor said". One vocabulary for speaker matching,
# speaker records and extraction.
_TITLE_WORDS_TEXT = """
    mr mrs ms miss mx dr sir dame lord lady prof professor president minister premier prime
    chancellor secretary governor mayor senator sen rep representative congressman congresswoman
    general gen colonel col admiral commander king queen prince princess sheikh emir pope
    cardinal bishop rabbi imam councillor councilor alderman ambassador envoy spokesman
    spokeswoman spokesperson chairman chairwoman chair ceo director commissioner chief deputy
    vice judge justice leader prosecutor
"""
TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())
