"""Ranges and intervals: "13-15 July", "3-5pm", "from 9:30 till 11", "between Monday and
Wednesday" (pure).

A range has a start and an end. Written inside one expression ("from 13 to 15 July", "3-5pm")
it is one timex whose value is the start and whose extent runs to the end. Written as two
expressions joined by "to", "until", "and", "through" or a dash ("July 13 - July 15",
"between Monday and Wednesday", "from March to May"), TimeML keeps both; the first then carries
the whole extent, with the end placed on or after the start. A deadline reading of a range
takes its end.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise

from claims.temporal import dates as D
from claims.temporal.lexicon import DAY_NUMBER, MONTH_NAME, YEAR
from claims.temporal.resolve import (
    Context,
    Resolution,
    day_number,
    day_resolution,
    month_number,
    pick_year_for_month,
)

_MERIDIEM = r"(?:a\.m\.|p\.m\.|am\b|pm\b|a\.m|p\.m)"
_TO = r"(?:-|–|to|till|until|til|and|through|thru)"
_OPENER = r"(?:(?:from|between)\s+)"

# "13-15 July", "from 13 to 15 July", "the 13th to the 15th of July", "July 13 to 15".
DAY_RANGE = rf"""(?:{_OPENER})?(?P<span>(?:the\s+)?(?P<d1>{DAY_NUMBER})\s*{_TO}\s*(?:the\s+)?
    (?P<d2>{DAY_NUMBER})(?:\s+of)?\s+(?P<mon>{MONTH_NAME})(?!\w)(?:,?\s+(?P<year>{YEAR})(?![\w%]))?)
    |(?:{_OPENER})?(?P<span2>(?P<mon2>{MONTH_NAME})\s+(?P<e1>{DAY_NUMBER})\s+
    (?:to|till|until|through|thru|and)\s+(?P<e2>{DAY_NUMBER})(?![\w%:])
    (?:,?\s+(?P<year2>{YEAR})(?![\w%]))?)"""

# "3-5pm", "10am to 2pm", "from 9:30 till 11", "between 2 and 4 p.m."
CLOCK_RANGE = rf"""(?P<open>{_OPENER})?(?P<span>(?P<h1>[01]?\d|2[0-3])(?:[:.](?P<m1>[0-5]\d))?
    \s*(?P<ap1>{_MERIDIEM})?\s*{_TO}\s*(?P<h2>[01]?\d|2[0-3])(?:[:.](?P<m2>[0-5]\d))?
    (?:\s*(?P<ap2>{_MERIDIEM}))?)(?![\w%:])"""

# "2024-2026", "2025–26": whole years, the first is the value.
YEAR_RANGE = rf"""(?<![\d/.-])(?P<y1>{YEAR})\s*[-–]\s*(?P<y2>{YEAR}|\d\d)(?![\w%/-]|\.\d)"""


def h_day_range(m: re.Match[str], ctx: Context) -> Resolution | None:
    """Days of one month: the first day is the value, the extent runs to the last."""
    mon = m["mon"] or m["mon2"]
    if not mon[:1].isupper() and mon.lower() in ("may", "march"):
        return None  # "10 to 12 may come": the verb
    month = month_number(mon)
    first_n, last_n = (m["d1"], m["d2"]) if m["mon"] else (m["e1"], m["e2"])
    first_n, last_n = day_number(first_n), day_number(last_n)
    if first_n >= last_n:
        return None  # "5 to 3 July" is no range (and "3 to 3" is one day)
    year_text = m["year"] or m["year2"]
    year = int(year_text) if year_text else pick_year_for_month(month, first_n, ctx)
    first, last = D.safe_date(year, month, first_n), D.safe_date(year, month, last_n)
    if first is None or last is None:
        return None
    res = day_resolution(first, f"{D.fmt_day(first)} to {D.fmt_day(last)}")
    res.ref_end, res.granularity = last, "days"
    return res


def h_year_range(m: re.Match[str], ctx: Context) -> Resolution | None:
    first = int(m["y1"])
    last = int(m["y2"]) if len(m["y2"]) == 4 else first // 100 * 100 + int(m["y2"])
    if not first < last <= first + 100:
        return None  # "2025-10" is a month, "1990-1985" no range
    res = Resolution(
        "DATE",
        str(first),
        "years",
        dt.date(first, 1, 1),
        dt.date(last, 12, 31),
        description=f"the years {first} to {last}",
    )
    return res


def _hour(hour: int, meridiem: str | None) -> int | None:
    if meridiem is None:
        return hour
    if hour == 0 or hour > 12:
        return None
    pm = meridiem.lower().startswith("p")
    return (hour % 12) + (12 if pm else 0)


def h_clock_range(m: re.Match[str], ctx: Context) -> Resolution | None:
    """A span of the clock on one day; it joins a day named next to it like a clock time."""
    ap1, ap2 = m["ap1"], m["ap2"]
    if not (ap1 or ap2 or ((m["m1"] or m["m2"]) and m["open"]) or (m["m1"] and m["m2"])):
        return None  # "3-5" alone is a score or a count
    h1, h2 = int(m["h1"]), int(m["h2"])
    end_hour = _hour(h2, ap2 or ap1)
    if ap1:
        start_hour = _hour(h1, ap1)
    elif ap2 and h1 > h2 and h1 <= 12:
        start_hour = _hour(h1, "am" if ap2.lower().startswith("p") else "pm")  # "11-1pm"
    else:
        start_hour = _hour(h1, ap2)
    if start_hour is None or end_hour is None:
        return None
    if ap1 is None and ap2 is None and end_hour < start_hour and end_hour < 12:
        end_hour += 12  # "from 9:30 till 3": the afternoon
    start = f"T{start_hour:02d}:{m['m1'] or '00'}"
    end = f"T{end_hour:02d}:{m['m2'] or '00'}"
    res = day_resolution(ctx.dct, f"from {start[1:]} to {end[1:]}", type_="TIME", suffix=start)
    res.anchor = None
    res.granularity = "time"
    res.extra["clock"] = start
    res.extra["clock_end"] = end
    res.extra["clock_told"] = bool(ap1 or ap2)
    return res


# --- two expressions joined into one range ------------------------------------------------

_RANGE_OPEN_RE = re.compile(r"\b(?:between|from|through|until)\s+$", re.IGNORECASE)
_RANGE_GAP_RE = re.compile(r"\s*(?:and|through|thru|to|until|till|-|–)\s*", re.IGNORECASE)
_RANGE_WORDS = frozenset({"through", "thru", "until", "till", "-", "–"})
# "postponed from Monday to Friday" is a move, not a range.
_MOVED_RE = re.compile(
    r"\b(?:postpon|delay|mov|push|brought|bring|reschedul|shift|chang|switch|put\s+back|brought\s+forward)\w*"
    r"[^.;:!?]{0,40}$",
    re.IGNORECASE,
)


def _place_end(first: Resolution, second: Resolution) -> None:
    """Move the end of a range on to the first occurrence on or after its start (in place):
    "between Monday and Wednesday" said on a Tuesday is next week's Wednesday."""
    if first.ref_start is None or second.ref_start is None or second.ref_start >= first.ref_start:
        return
    if second.granularity == "day" and second.value[:10] == second.ref_start.isoformat():
        if (first.ref_start - second.ref_start).days >= 7:
            return
        step = dt.timedelta(days=7)
        day = second.ref_start + step
        second.value = day.isoformat() + second.value[10:]
        second.ref_start = second.ref_end = day
    elif second.granularity == "month" and first.granularity == "month":
        moved = D.add_years(second.ref_start, 1)
        start, end = D.month_bounds(moved.year, moved.month)
        step = end - second.ref_end
        second.value = f"{moved.year}-{moved.month:02d}"
        second.ref_start, second.ref_end = start, end
    else:
        return
    if second.earliest is not None and second.latest is not None:
        second.earliest, second.latest = second.earliest + step, second.latest + step
    if second.extent is not None:
        second.extent = (second.extent[0] + step, second.extent[1] + step)


def join_ranges(text: str, items: list[tuple[int, int, Resolution]]) -> None:
    """Give the first of two joined expressions the range (in place).

    Its extent runs from its own start to the second's end ("from March to May": 1 March …
    31 May); as a deadline the range runs to the far end, so its latest becomes the second's.
    The second keeps its own reading.
    """
    for (start, end, first), (n_start, _, second) in pairwise(items):
        gap = text[end:n_start]
        opener = _RANGE_OPEN_RE.search(text[max(0, start - 12) : start])
        same_kind = first.granularity == second.granularity and first.type == second.type
        joined = (
            opener
            or gap.strip().lower() in _RANGE_WORDS
            or (same_kind and gap.strip().lower() == "to")
        )
        if not (_RANGE_GAP_RE.fullmatch(gap) and joined):
            continue
        if _MOVED_RE.search(text[max(0, start - 60) : start]):
            continue
        if first.type not in ("DATE", "TIME") or second.type not in ("DATE", "TIME"):
            continue
        _place_end(first, second)
        if first.extent and second.extent and second.extent[1] >= first.extent[0]:
            first.extent = (first.extent[0], second.extent[1])
        if None in (first.earliest, first.latest, second.latest) or second.latest < first.latest:
            continue
        first.latest = second.latest
        first.window_rule = f"{first.window_rule}; a range running to {D.fmt_day(first.latest)}"
