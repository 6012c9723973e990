"""Relative and vague expressions: counted spans, "ago", durations, "soon", sets, clock times.

Pure; part of the resolver (see resolve.py for the shared Context/Resolution types).
"""

from __future__ import annotations

import datetime as dt
import re

from claims.temporal import dates as D
from claims.temporal.dates import shift
from claims.temporal.lexicon import (
    MONTHS,
    NUMBER,
    SEASONS,
    SMALL_NUMBERS,
    WEEKDAYS,
    duration_value,
    parse_number,
    unit_key,
)
from claims.temporal.resolve import (
    FUTURE,
    PAST,
    POD_CODES,
    PRESENT,
    Context,
    Resolution,
    day_resolution,
    month_resolution,
    period_for,
    quarter_resolution,
    words_lower,
    year_resolution,
)

DURATION_MODS = (
    (r"about|around|roughly|approximately|some", "APPROX"),
    (r"nearly|almost|less than|fewer than|under|just under|barely", "LESS_THAN"),
    (r"more than|over|just over|well over|upwards of|a little over", "MORE_THAN"),
    (r"at least|no less than", "EQUAL_OR_MORE"),
    (r"at most|up to|no more than", "EQUAL_OR_LESS"),
)


def _duration_mod(text: str | None) -> str | None:
    text = words_lower(text)
    if not text:
        return None
    for pattern, mod in DURATION_MODS:
        if re.fullmatch(pattern, text):
            return mod
    return None


def _counted_ahead(res: Resolution, target: dt.date, direction_word: str) -> Resolution:
    """'a year from now': TimeML keeps the year as the value, the deadline is DCT + 1 year."""
    if direction_word in ("from now", "hence"):
        res.extra["point"] = target
        res.window_rule = "pm1"
    return res


def h_ago(m: re.Match[str], ctx: Context) -> Resolution | None:
    number = parse_number(m["num"])
    unit = unit_key(m["unit"])
    direction_word = words_lower(m["dir"])
    mod = _duration_mod(m["mod"])
    if direction_word in ("before", "after", "since", "prior", "back") and not re.match(
        r"\s*(?:[.,;:!?)]|$)", ctx.text_after
    ):
        # "two years after the war": the expression is the duration, the rest is a signal.
        return None
    if number is None and direction_word in ("later", "earlier"):
        # "A few days later": a vague DURATION, like its counted form.
        return Resolution(
            "DURATION",
            duration_value(None, unit),
            None,
            mod=mod,
            vague=True,
            description=f"a vague count of {m['unit'].lower()} {direction_word}",
        )
    if number is None:
        value = (
            "PAST_REF"
            if direction_word not in ("later", "from now", "hence", "after")
            else "FUTURE_REF"
        )
        return Resolution(
            "DATE",
            value,
            None,
            None,
            None,
            mod=mod,
            vague=True,
            description="vague count relative to the DCT",
        )
    n = int(number) if number == int(number) else number
    backwards = direction_word in (
        "ago",
        "earlier",
        "before",
        "back",
        "previously",
        "prior",
        "since",
    )
    sign = -1 if backwards else 1
    use_anchor = direction_word in ("earlier", "later", "before", "after", "previously", "prior")
    anchor = ctx.anchor if use_anchor else None
    if isinstance(n, float) or n > 500:
        return None  # "2025 years before" is a year followed by a word, not a count
    if (
        unit == "Y"
        and anchor is None
        and ctx.anchor is not None
        and ctx.anchor.quarter is not None
        and direction_word in ("ago",)
    ):
        anchor = ctx.anchor
    if direction_word in ("later", "earlier") and unit in ("H", "MIN", "S", "D", "W"):
        # "Three days later", "a day earlier": TimeML annotates the span as a DURATION (the
        # adverb is a signal); the window still places it on the calendar.
        base = anchor.start if anchor is not None and anchor.granularity == "day" else ctx.dct
        target = shift(base, unit, sign * n) if unit in ("D", "W") else base
        res = day_resolution(target, f"{n} {m['unit'].lower()} {direction_word}")
        res.type, res.value, res.mod = "DURATION", duration_value(n, unit), mod
        res.anchor = None
        return res
    if unit in ("H", "MIN", "S"):
        base = ctx.dct
        return Resolution(
            "DATE", base.isoformat(), "day", base, base, mod=mod, description="hours from the DCT"
        )
    if anchor is not None and anchor.quarter is not None and unit == "Y":
        year, quarter = anchor.quarter
        res = quarter_resolution(
            year + sign * n,
            quarter,
            None,
            ctx,
            "same quarter, counted from the quarter last mentioned",
        )
        res.anchor = None  # a comparison quarter does not change what the text is about
        return res
    base = anchor.start if anchor is not None else ctx.dct
    base_gran = anchor.granularity if anchor is not None else "day"
    target = shift(base, unit, sign * n)
    desc = f"{n} {m['unit'].lower()} {direction_word} " + (
        "the date last mentioned" if anchor else "the DCT"
    )
    if unit in ("D", "FN") or (unit == "W" and m["unit"].lower().startswith("fortnight")):
        res = day_resolution(target, desc)
        res.mod = mod
        res.window_rule = "pm1"
        return res
    if unit == "W" and direction_word in ("from now", "hence"):
        res = day_resolution(target, desc)
        res.mod = mod
        res.window_rule = "pm1"
        return res
    if unit == "W":
        value, start, end, new_anchor = period_for("week", target, 0)
        res = Resolution(
            "DATE", value, "week", start, end, mod=mod, description=desc, anchor=new_anchor
        )
        res.extra["point"] = target
        res.window_rule = "pm1"
        return res
    if unit == "M":
        if base_gran == "day" and anchor is not None:
            return day_resolution(target, desc)
        res = month_resolution(target.year, target.month, None, ctx, desc)
        res.vague = True
        res.mod = mod
        return _counted_ahead(res, target, direction_word)
    if unit == "Q":
        year, quarter = target.year, D.quarter_of(target)
        return quarter_resolution(year, quarter, None, ctx, desc)
    if unit == "Y":
        if base_gran == "day" and anchor is not None:
            return day_resolution(target, desc)
        if base_gran == "month" and anchor is not None:
            return month_resolution(target.year, target.month, None, ctx, desc)
        res = year_resolution(target.year, None, ctx, desc)
        res.vague = True
        res.mod = mod
        return _counted_ahead(res, target, direction_word)
    if unit == "C":
        value, start, end, _ = period_for("century", target, 0)
        return Resolution(
            "DATE", value, "century", start, end, mod=mod, vague=True, description=desc
        )
    if unit == "E":
        value, start, end, _ = period_for("decade", target, 0)
        return Resolution(
            "DATE", value, "decade", start, end, mod=mod, vague=True, description=desc
        )
    return None


def h_anaphoric_day(m: re.Match[str], ctx: Context) -> Resolution | None:
    rel = words_lower(m["rel"])
    unit = (m["unit"] or m["unit2"]).lower()
    if m["dir"]:
        rel = "the next" if m["dir"].lower() in ("after", "later") else "the previous"
    offset = {"the next": 1, "the following": 1, "the previous": -1, "the preceding": -1}.get(
        rel, 0
    )
    anchor = ctx.anchor
    if unit in ("day", "morning", "afternoon", "evening", "night"):
        base = anchor.start if anchor is not None and anchor.granularity == "day" else ctx.dct
        if anchor is None and rel in ("that", "that same", "the same"):
            return None
        day = base + dt.timedelta(days=offset)
        if unit != "day":
            res = day_resolution(
                day, f"{unit} relative to the last date", type_="TIME", suffix="T" + POD_CODES[unit]
            )
            res.granularity = "part_of_day"
            return res
        return day_resolution(day, "day relative to the date last mentioned")
    if anchor is None:
        if rel in ("that", "that same", "the same"):
            return None
        base = ctx.dct
    else:
        base = anchor.start
    value, start, end, new_anchor = period_for(unit, base, offset)
    return Resolution(
        "DATE",
        value,
        unit,
        start,
        end,
        description=f"{unit} relative to the last date",
        anchor=new_anchor,
    )


DET_PAST = ("the past", "the last", "the previous", "the preceding", "this past", "last", "past")
DET_FUTURE = (
    "next",
    "the next",
    "the coming",
    "the following",
    "another",
    "a further",
    "an additional",
    "the remaining",
    "the ensuing",
    "the subsequent",
)


def h_duration(m: re.Match[str], ctx: Context) -> Resolution | None:
    num_text = m["num"]
    unit_word = m["unit"].lower()
    lowered = num_text.lower().strip()
    if lowered in ("a", "an") and unit_word in ("second", "quarter"):
        return None
    if m["adj"] and m["adj"].lower() == "-old" and unit_word.startswith("year"):
        return None  # ages ("a 6-year-old") are not temporal expressions
    if unit_word.startswith("quarter") and re.match(r"\s+of\b", ctx.text_after):
        return None
    if (
        lowered in ("one", "a", "an")
        and unit_word in ("day",)
        and not m["det"]
        and not m["mod"]
        and ctx.signal not in ("for", "in", "within", "over", "after", "than", "by")
        and "-" not in m.group(0)
        and not re.match(r"\s+(?:after|before|earlier|later)\b", ctx.text_after)
    ):
        # "one day" alone means "someday" ("Islam will one day be…"), but a past sentence
        # counts it ("had been in the job one day"); "a day" alone is usually part of a rate.
        # A hyphenated "one-day trip" is always a duration.
        if lowered == "one" and ctx.tense() != PAST:
            return Resolution(
                "DATE",
                "FUTURE_REF",
                None,
                None,
                None,
                vague=True,
                description="'one day' = at some future time",
            )
        if lowered != "one":
            return None
    number = parse_number(num_text)
    if lowered in ("a", "an") and unit_word.endswith("s"):
        number = None  # "a decades-long feud": the article belongs to the noun, not the count
    if m["half"] and number is not None:
        number += 0.5
    unit = unit_key(unit_word)
    if number is not None and (number > 5000 or (1000 <= number <= 2100 and unit == "Q")):
        return None  # "the 1988 quarter" is a year, not 1,988 quarters
    value = duration_value(number, unit)
    det = words_lower(m["det"])
    mod = _duration_mod(m["mod"] or m["mod2"])
    res = Resolution(
        "DURATION",
        value,
        None,
        mod=mod,
        vague=number is None,
        description=f"duration of {num_text} {unit_word}",
    )
    res.extra["count"] = (number, unit)
    low = _RANGE_LOW_RE.search(ctx.preceding)
    if low and number is not None and unit in ("D", "W", "M", "Y") and ctx.tense() != PAST:
        low_n = parse_number(low["low"])
        if low_n is not None and low_n == int(low_n) and number == int(number) and low_n < number:
            # "in two to four weeks": any day from DCT + 2 weeks to DCT + 4 weeks.
            res.earliest = shift(ctx.dct, unit, int(low_n))
            res.latest = shift(ctx.dct, unit, int(number))
            res.direction = FUTURE
            res.description = f"{low['low']} to {num_text} {unit_word} from the DCT"
            return res
    if unit == "H" and number is not None and number >= 12 and det in (*DET_FUTURE, ""):
        # "within the next 48 hours": a deadline counted in whole days from the DCT.
        if det in DET_FUTURE or ctx.signal in ("within", "in"):
            days = -(-int(number) // 24)
            res.ref_start, res.ref_end = ctx.dct, ctx.dct + dt.timedelta(days=days)
            res.direction = FUTURE
            res.window_rule = "within"
        return res
    if number is not None and unit in ("H", "MIN", "S") and ctx.signal in ("in", "within"):
        res.extent = (ctx.dct, ctx.dct)  # "in 30 minutes": later on the DCT's own day
    if number is not None and unit == "H" and det in DET_PAST:
        res.extent = (ctx.dct - dt.timedelta(days=-(-int(number) // 24)), ctx.dct)
    if number is None or unit in ("H", "MIN", "S"):
        if number is None:
            res.extra["vague_unit"] = unit
            if unit in VAGUE_WINDOWS and (det in DET_FUTURE or (not det and looks_ahead(ctx))):
                # "in the next few days", "within a few weeks": a vague span ahead of the DCT.
                vague_future_window(res, unit, ctx, f"{num_text.lower()} {unit_word}")
        return res
    n_int = int(number) if number == int(number) else None
    if n_int is None:
        return res
    if det in DET_PAST:
        res.ref_start, res.ref_end = shift(ctx.dct, unit, -n_int), ctx.dct
        res.direction = PAST
    elif det in DET_FUTURE:
        res.ref_start, res.ref_end = ctx.dct, shift(ctx.dct, unit, n_int)
        res.direction = FUTURE
        res.window_rule = "within"
    elif ctx.signal in ("within", "in") and ctx.tense() != PAST and not m["adj"]:
        res.ref_start, res.ref_end = ctx.dct, shift(ctx.dct, unit, n_int)
        res.direction = FUTURE
        res.window_rule = "within" if ctx.signal == "within" else "pm1"
    return res


# The lower end of a counted range in front of a duration: "within [two to] three weeks".
_RANGE_LOW_RE = re.compile(
    r"\b(?:within|in|over\s+the\s+(?:next|coming)|the\s+next|from)\s+(?P<low>\w+)\s*(?:to|or|-|–)\s*$",
    re.IGNORECASE,
)


VAGUE_WINDOWS = {  # unit -> (earliest offset, latest offset) in days after the DCT
    "D": (3, 10),
    "W": (14, 42),
    "M": (60, 183),
    "Q": (91, 2 * 365),
    "Y": (365, 5 * 365),
    "H": (0, 1),
}


def _not_a_time(word: str, ctx: Context) -> bool:
    """Vague words that, here, are no temporal expression TimeML would annotate."""
    after = ctx.text_after
    if word in ("previously", "formerly"):
        # TBAQ leaves these adverbs unannotated (3 of 23 "previously" carry a TIMEX3); a counted
        # "two years previously" is still read by the "ago" rule.
        return True
    if word == "soon" and (ctx.signal == "as" or re.match(r"\s+(?:as|after|afterwards)\b", after)):
        return True
    if word in ("shortly", "soon") and re.match(
        r"\s+(?:before|after|afterwards|thereafter)\b", after
    ):
        return True  # "shortly after takeoff": relative to an event, not a deadline
    if word == "soon" and ctx.tense() == PAST:
        return True  # narrative "was soon released": relative to the story, not to the DCT
    return word == "future" and ctx.signal not in ("in", "for", "into")


def _fortnight(word: str, ctx: Context) -> Resolution:
    """'within the next fortnight': two weeks counted from the DCT."""
    dct = ctx.dct
    ahead = "next" in word or "coming" in word
    res = Resolution("DURATION", "P2W", None, description=f"'{word}' = two weeks")
    if ahead:
        res.ref_start, res.ref_end = dct, dct + dt.timedelta(days=14)
        res.direction = FUTURE
        res.window_rule = "within" if ctx.signal == "within" else "pm1"
    else:
        res.ref_start, res.ref_end = dct - dt.timedelta(days=14), dct
        res.direction = PAST
    return res


def _this_time(word: str, dct: dt.date) -> Resolution:
    """'by this time next year': the DCT's date a year on, give or take a week (vague);
    'this time next week' is the same weekday a week on."""
    unit = unit_key(word.rsplit(" ", 1)[-1])
    day = shift(dct, unit, 1 if "next" in word else -1)
    res = day_resolution(day, f"'{word}': the same date, {word.split()[-2]} {unit}")
    slack = dt.timedelta(days=7 if unit == "Y" else (2 if unit == "M" else 0))
    res.earliest, res.latest = day - slack, day + slack
    res.extent = (day, day)
    res.vague = unit == "Y"
    res.direction = FUTURE if day > dct else PAST
    return res


def h_vague(m: re.Match[str], ctx: Context) -> Resolution | None:
    word = words_lower(m["word"])
    dct = ctx.dct
    if _not_a_time(word, ctx):
        return None
    if word.endswith("fortnight"):
        return _fortnight(word, ctx)
    if word.startswith("this time"):
        return _this_time(word, dct)
    if word == "current" and re.search(r"\bthen[\s-]$", ctx.preceding, re.IGNORECASE):
        # "the then-current price": current at a time already past.
        return _vague_adverb("recently", dct)
    if word in (
        "now",
        "right now",
        "just now",
        "currently",
        "at present",
        "presently",
        "at the moment",
        "these days",
        "nowadays",
        "this time",
        "current",
    ):
        return Resolution(
            "DATE",
            "PRESENT_REF",
            None,
            dct,
            dct,
            description="the present",
            direction=PRESENT,
            earliest=dct,
            latest=dct,
        )
    unit_match = re.search(r"(hour|day|week|month|quarter|year|time)s?$", word)
    unit_word = unit_match.group(1) if unit_match else ""
    unit = {"hour": "H", "day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}.get(
        unit_word
    )
    if unit and (span := _vague_span(word, unit, unit_word, ctx)) is not None:
        return span
    return _vague_adverb(word, dct)


def _vague_span(word: str, unit: str, unit_word: str, ctx: Context) -> Resolution | None:
    """'recent weeks', 'the coming days', 'a matter of hours', 'the past few years'."""
    dct = ctx.dct
    if word.startswith(("recent", "in recent")):
        res = Resolution(
            "DURATION",
            duration_value(None, unit),
            None,
            vague=True,
            description=f"recent {unit_word}s",
        )
        res.ref_start, res.ref_end = shift(dct, unit, -3), dct
        res.direction = PAST
        return res
    if (
        "coming" in word
        or "ahead" in word
        or "to come" in word
        or "matter of" in word
        or word.startswith("the next")
    ):
        low, high = VAGUE_WINDOWS.get(unit, (1, 30))
        value = "FUTURE_REF" if "coming" in word else duration_value(None, unit)
        type_ = "DATE" if value == "FUTURE_REF" else "DURATION"
        if "matter of" in word and ctx.signal not in ("within", "in"):
            return Resolution(
                "DURATION",
                duration_value(None, unit),
                None,
                vague=True,
                description="a matter of " + unit_word + "s",
            )
        res = Resolution(
            type_,
            value,
            None,
            dct + D.ONE_DAY,
            dct + dt.timedelta(days=high),
            vague=True,
            description=f"'{word}' ≈ {low}–{high} days ahead",
            direction=FUTURE,
            earliest=dct + dt.timedelta(days=low),
            latest=dct + dt.timedelta(days=high),
        )
        return res
    if word.startswith(("the past", "the last")):
        res = Resolution(
            "DURATION",
            duration_value(None, unit),
            None,
            vague=True,
            description="a few recent " + unit_word + "s",
            direction=PAST,
        )
        res.ref_start, res.ref_end = shift(dct, unit, -3), dct
        return res
    return None


def _vague_adverb(word: str, dct: dt.date) -> Resolution | None:
    """'recently', 'soon', 'the long term': open-ended past or future."""
    if word in (
        "recently",
        "recent",
        "lately",
        "of late",
        "the past",
        "previously",
        "formerly",
        "earlier on",
        "once upon a time",
        "recent times",
        "in recent times",
    ):
        return Resolution(
            "DATE",
            "PAST_REF",
            None,
            None,
            dct - D.ONE_DAY,
            vague=True,
            description="an unspecified past time",
            direction=PAST,
            latest=dct - D.ONE_DAY,
        )
    if word in (
        "soon",
        "very soon",
        "shortly",
        "imminently",
        "any day now",
        "any time now",
        "sooner or later",
    ):
        return _open_future(dct, f"'{word}': open-ended, soon after the DCT")
    if word in ("the long term", "the short term", "the medium term"):
        return _open_future(dct, word)
    if word in ("yet another year",):
        return None
    return _open_future(dct, "an unspecified future time")


def _open_future(dct: dt.date, description: str) -> Resolution:
    """FUTURE_REF from the day after the DCT, with no end: "soon", "the long term"."""
    return Resolution(
        "DATE",
        "FUTURE_REF",
        None,
        dct + D.ONE_DAY,
        None,
        vague=True,
        description=description,
        direction=FUTURE,
        earliest=dct + D.ONE_DAY,
    )


# Reported speech backshifts the tense ("warned the talks would collapse unless progress was made
# within days"): with one of these cues before it, a past-tense "within days" still looks ahead.
REPORTED_FUTURE_RE = re.compile(
    r"\b(?:unless|if|would|could|should|might|must|warned|warning|threatened|threatening"
    r"|vowed|promised|pledged|expected|predicted|hoped|planned|aimed|intended|demanded"
    r"|insisted|ultimatum|deadline|possible|likely|able|ready|due)\b",
    re.IGNORECASE,
)


def looks_ahead(ctx: Context) -> bool:
    """A "within/in <vague span>" reading from the DCT: not in plain past narrative."""
    if ctx.signal not in ("within", "in"):
        return False
    if ctx.tense() != PAST:
        return True
    return ctx.signal == "within" and bool(REPORTED_FUTURE_RE.search(ctx.text_before))


def vague_future_window(res: Resolution, unit: str, ctx: Context, what: str) -> None:
    """Fill the DEADLINES.md window of a count-less span ahead ("within days": 3–10 days)."""
    low, high = VAGUE_WINDOWS[unit]
    dct = ctx.dct
    res.ref_start, res.ref_end = dct + D.ONE_DAY, dct + dt.timedelta(days=high)
    res.direction = FUTURE
    res.vague = True
    res.earliest = dct + dt.timedelta(days=low)
    res.latest = dct + dt.timedelta(days=high)
    res.description = f"{what} ≈ {low}–{high} days ahead"


def h_bare_units(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["long"]:
        # "a day-long strike" is one day; "a weeks-long standoff" some weeks.
        word = m["long"].lower()
        count = None if word.endswith("s") else 1
        return Resolution(
            "DURATION", duration_value(count, unit_key(word)), None, description=f"{word}-long"
        )
    word = words_lower(m["span"] or m["span2"]).split(" ")[0]
    unit = unit_key(word)
    res = Resolution(
        "DURATION", duration_value(None, unit), None, vague=True, description=f"some {word}"
    )
    if unit in VAGUE_WINDOWS and looks_ahead(ctx):
        vague_future_window(res, unit, ctx, f"{ctx.signal} {word}")
    return res


SET_WORDS = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "yearly": "P1Y",
    "annually": "P1Y",
    "hourly": "PT1H",
    "quarterly": "P1Q",
    "nightly": "P1D",
    "biweekly": "P2W",
    "bimonthly": "P2M",
    "semiannually": "P6M",
    "fortnightly": "P2W",
}


def h_set(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["word"]:
        word = m["word"].lower()
        if word == "quarterly" and re.match(r"\s+[a-z]", ctx.text_after):
            return None  # "its quarterly dividend": a payment, not a recurring time
        return Resolution("SET", SET_WORDS[word], None, description="recurring")
    if m["span"]:
        unit = unit_key(m["span"].split()[-1])
        return Resolution("SET", duration_value(1, unit), None, description="rate per unit")
    if m["every"]:
        unit_word = m["unit"].lower()
        if unit_word == "weekend":
            return Resolution("SET", "XXXX-WXX-WE", None, description="every weekend")
        number = parse_number(m["num"]) if m["num"] else 1
        if m["other"] and m["other"].lower() == "other":
            number = (number or 1) * 2
        return Resolution(
            "SET", duration_value(number, unit_key(unit_word)), None, description="recurring"
        )
    word = (m["wd"] or m["wds"]).lower()
    if word in SEASONS:
        return Resolution("SET", f"XXXX-{SEASONS[word]}", None, description="every such season")
    pod = m["pod"] or m["pod2"]
    suffix = "T" + POD_CODES[pod.lower()] if pod else ""
    if word.rstrip("s") in WEEKDAYS:
        return Resolution(
            "SET",
            f"XXXX-WXX-{WEEKDAYS[word.rstrip('s')] + 1}{suffix}",
            None,
            description="every such weekday",
        )
    return Resolution("SET", f"XXXX-{MONTHS[word]:02d}", None, description="every such month")


def clock_suffix(m: re.Match[str]) -> str | None:
    """'T09:30' for a matched clock time, or None when the hour is impossible."""
    if m["noon"]:
        return "T12:00" if m["noon"].lower() in ("noon", "midday") else "T24:00"
    if m["hour24"]:
        return f"T{int(m['hour24']):02d}:{m['minute24']}"
    if m["mil_h"]:  # "1850 GMT"
        return f"T{m['mil_h']}:{m['mil_m']}"
    if m["hourw"]:
        hour = int(m["hourw"])
        return f"T{hour:02d}:00" if hour <= 24 else None
    if m["bare_h"]:  # "at 8 this evening": the day next to it decides morning or evening
        return f"T{int(m['bare_h']):02d}:{m['bare_m'] or '00'}"
    hour = int(m["hour"])
    if hour == 0 or hour > 12:
        return None
    minute = m["minute"] or "00"
    pm = m["ampm"].lower().startswith("p")
    if pm and hour != 12:
        hour += 12
    if not pm and hour == 12:
        hour = 0
    return f"T{hour:02d}:{minute}"


_DAY_AFTER_RE = re.compile(
    r"\s+(?:on\s+)?(?:tomorrow|today|tonight|this\s+(?:morning|afternoon|evening)"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.IGNORECASE,
)


def h_time(m: re.Match[str], ctx: Context) -> Resolution | None:
    suffix = clock_suffix(m)
    if suffix is None:
        return None
    if m["hour24"] and not (
        m["tz"]
        or ctx.signal in ("at", "by", "until", "from", "before", "after")
        or _DAY_AFTER_RE.match(ctx.text_after)
    ):
        return None  # "3:16" is a verse or a ratio unless a day or a preposition says clock
    anchor = ctx.anchor
    if anchor is not None and anchor.granularity == "day" and ctx.tense() == PAST:
        # TimeML: a bare clock time in narrative belongs to the day the text last named.
        res = day_resolution(
            anchor.start, "clock time on the day last mentioned", type_="TIME", suffix=suffix
        )
    else:
        res = day_resolution(ctx.dct, "clock time on the DCT", type_="TIME", suffix=suffix)
    res.anchor = None
    res.granularity = "time"
    res.extra["clock"] = suffix
    twenty_four = m["hour24"] and (int(m["hour24"]) > 12 or m["hour24"].startswith("0"))
    res.extra["clock_told"] = bool(m["ampm"] or m["noon"] or twenty_four or m["mil_h"])
    res.extra["bare_hour"] = bool(m["bare_h"])  # "at 5 tomorrow", unlike "6 o'clock tomorrow"
    return res


# "2 thursdays ago", "four Tuesdays from now": counted from the nearest such weekday.
COUNTED_WEEKDAY = rf"""(?P<num>{NUMBER})\s+
    (?P<wds>mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\s+
    (?P<dir>ago|back|from\s+now|hence)(?!\w)"""


def h_counted_weekday(m: re.Match[str], ctx: Context) -> Resolution | None:
    number = parse_number(m["num"])
    if number is None or number != int(number) or not 1 <= number <= 520:
        return None
    weekday = WEEKDAYS[m["wds"].lower()[:-1]]
    dct, n = ctx.dct, int(number)
    if words_lower(m["dir"]) in ("ago", "back"):
        latest = dct - dt.timedelta(days=(dct.weekday() - weekday) % 7 or 7)
        day = latest - dt.timedelta(days=7 * (n - 1))
    else:
        coming = dct + dt.timedelta(days=(weekday - dct.weekday()) % 7 or 7)
        day = coming + dt.timedelta(days=7 * (n - 1))
    return day_resolution(day, f"{n} {m['wds'].lower()} {words_lower(m['dir'])}")


_HOUR_WORDS = {word: n for word, n in SMALL_NUMBERS.items() if 1 <= n <= 12}
_MINUTE_WORDS = {word: n for word, n in SMALL_NUMBERS.items() if 1 <= n <= 19} | {
    "twenty": 20,
    "twenty-five": 25,
    "twenty five": 25,
    "quarter": 15,
    "a quarter": 15,
    "half": 30,
}
_MERIDIEM = r"(?:a\.m\.|p\.m\.|am\b|pm\b|a\.m|p\.m)"
_minute_words = "|".join(
    sorted((w.replace(" ", r"\s+") for w in _MINUTE_WORDS), key=len, reverse=True)
)
_hour_words = "|".join(sorted(_HOUR_WORDS, key=len, reverse=True))
# "20 past 3pm", "quarter to noon", "half past ten", "ten to six in the morning".
CLOCK_WORDS = rf"""(?P<min>[1-5]?\d|{_minute_words})(?:\s+minutes)?\s+
    (?P<rel>past|after|to|before|till)\s+
    (?P<hr>1[0-2]|0?[1-9]|{_hour_words}|noon|midday|midnight)(?![\d:])
    (?:\s*(?P<ap>{_MERIDIEM}))?(?P<oclock>\s+o'clock)?(?!\w)"""
_CLOCK_CONTEXT_RE = re.compile(
    r"\s+(?:tonight|this\s+(?:morning|afternoon|evening)|in\s+the\s+(?:morning|afternoon|evening)"
    r"|at\s+night|tomorrow|today|on\b)",
    re.IGNORECASE,
)


def h_clock_words(m: re.Match[str], ctx: Context) -> Resolution | None:
    """A clock time told in words; the hour is read as written, a part of the day next to it
    ("half past ten tonight") moves it into the afternoon or evening."""
    minute_text, hour_text = words_lower(m["min"]), words_lower(m["hr"])
    minute = int(minute_text) if minute_text.isdigit() else _MINUTE_WORDS.get(minute_text)
    named = hour_text in ("noon", "midday", "midnight")
    # "three to five days" is a count: a minute in words needs the clock said outright.
    told = (
        m["ap"]
        or m["oclock"]
        or named
        or minute_text in ("quarter", "a quarter", "half")
        or _CLOCK_CONTEXT_RE.match(ctx.text_after)
        or (minute_text.isdigit() and ctx.signal in ("at", "by", "until", "from", "before"))
    )
    if minute is None or not 1 <= minute <= 59 or not told:
        return None
    if named:
        hour = 0 if hour_text == "midnight" else 12
    else:
        hour = int(hour_text) if hour_text.isdigit() else _HOUR_WORDS[hour_text]
        if m["ap"]:
            hour = hour % 12 + (12 if m["ap"].lower().startswith("p") else 0)
    if words_lower(m["rel"]) in ("to", "before", "till"):
        hour, minute = (hour - 1) % 24, 60 - minute
    suffix = f"T{hour:02d}:{minute:02d}"
    res = day_resolution(ctx.dct, "clock time in words", type_="TIME", suffix=suffix)
    res.anchor = None
    res.granularity = "time"
    res.extra["clock"] = suffix
    res.extra["clock_told"] = bool(m["ap"] or named)
    return res
