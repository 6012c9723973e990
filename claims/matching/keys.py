"""Search keys (pure, no DB): the few rare words and entity names a claim is indexed under."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from claims.matching.text import normalize_text, stem, tokenize

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


@lru_cache(maxsize=50_000)
def _key_words(text: str) -> frozenset[str]:
    """The words of `text` that can be keys (cached: a claim is re-indexed under every
    sentence of its mentions each time one joins, and a sentence is searched more than once)."""
    return frozenset(
        word for word in tokenize(text) if len(word) > 2 and word not in _GENERIC_CLAIM_WORDS
    )


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
    words = set().union(*map(_key_words, texts))
    if doc_freq is not None:
        words = {word for word in words if doc_freq.get(word, 0) <= max_doc_freq}
        chosen = sorted(words, key=lambda word: (doc_freq.get(word, 0), word))[:limit]
    else:
        chosen = sorted(words, key=lambda word: (-len(word), word))[:limit]
    return frozenset(keys | set(chosen))
