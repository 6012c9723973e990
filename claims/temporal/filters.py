"""Phrases that look temporal but that TimeML (TempEval-3 / TBAQ) leaves unannotated.

Each check is a general context rule, not a list of documents: ages ("52 years old") and
titles that merely contain a time word ("High Noon", the "March for Life", the TV programme
"This Week"). A rejected candidate also blocks any shorter candidate inside it, so
"52 years old" does not fall back to "years".
"""

from __future__ import annotations

import re

_AGE_AFTER = re.compile(r"\s+old\b", re.IGNORECASE)
_MARCH_NOUN_BEFORE = re.compile(
    r"\b(?:the|a|annual|(?:19|20)\d\d|historic|million-man)\s+(?:``|\"|“)?$", re.IGNORECASE
)
_MARCH_NOUN_AFTER = re.compile(r"\s+(?:for|to|of\s+the|on\s+[A-Z]\w*)\b")
_HIGH_BEFORE = re.compile(r"\bhigh\s+$", re.IGNORECASE)
_QUOTE_BEFORE = re.compile(r"(?:^|\s)(?:\"|“|``)$")
_DURATION_RULES = frozenset({"duration", "bare_units"})


def not_timeml(text: str, start: int, end: int, rule: str) -> bool:
    """True when text[start:end] is in a context TimeML does not annotate."""
    span = text[start:end]
    lowered = span.lower()
    after = text[end : end + 40]
    before = text[max(0, start - 40) : start]
    if rule in _DURATION_RULES and _AGE_AFTER.match(after):
        return True  # an age: "Mr. Smith, 52 years old"
    if span == "March" and _MARCH_NOUN_BEFORE.search(before) and _MARCH_NOUN_AFTER.match(after):
        return True  # "the March for Life", "the March of the Mothers": a procession
    if lowered == "noon" and _HIGH_BEFORE.search(before):
        return True  # "High Noon"
    words = span.split()
    # A quoted title: ABC's "This Week".
    return (
        len(words) > 1
        and all(w[:1].isupper() for w in words)
        and bool(_QUOTE_BEFORE.search(before))
    )
