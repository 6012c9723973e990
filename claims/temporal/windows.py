"""Deadline windows: from a resolved calendar period to [earliest, latest] (pure).

Conventions follow shared/data/temporal/DEADLINES.md: a future event placed inside a period is
due by the period's end (a week ends Friday … Sunday, a month on its last working day … last
day); past expressions get the period in which the event happened.
"""

from __future__ import annotations

import datetime as dt
import re

from claims.temporal import dates as D
from claims.temporal.holidays import BREAK_START
from claims.temporal.resolve import FUTURE, PAST, PRESENT, Context, Resolution


def decide_direction(res: Resolution, ctx: Context) -> str | None:
    if res.direction:
        return res.direction
    if res.ref_start is None or res.ref_end is None:
        return None
    dct = ctx.dct
    if res.ref_end < dct:
        return PAST
    if res.ref_start > dct:
        return FUTURE
    tense = ctx.tense()
    if tense in (FUTURE, PAST):
        return tense
    if ctx.signal in ("by", "until", "before", "within"):
        return FUTURE
    if res.granularity in ("day", "part_of_day", "time"):
        return PRESENT
    return PRESENT


_DEADLINE_AFTER_RE = re.compile(r"['’]s\s+(?:\w+\s+)?deadline", re.IGNORECASE)
_LITERAL_START = frozenset({"the start of", "the beginning of", "start", "beginning"})


def _future_window(res: Resolution, ctx: Context) -> tuple[dt.date, dt.date, str]:
    """Deadline window for a future expression, and a few words on how it was chosen."""
    start, end = res.ref_start, res.ref_end
    dct = ctx.dct
    signal = ctx.signal
    gran = res.granularity
    holiday = res.extra.get("holiday")
    if holiday and signal == "before":
        day_before = start - D.ONE_DAY
        return (
            D.last_friday_before(day_before),
            day_before,
            "the day before; the last Friday before also accepted",
        )
    if holiday and signal in ("by", "until", "for", None):
        back = BREAK_START.get(holiday, 0)
        return (
            start + dt.timedelta(days=back),
            start,
            "the holiday itself (from the start of the break)",
        )
    if res.window_rule == "within":
        return end - D.ONE_DAY, end, "DCT + the stated span (−1 day for inclusive counting)"
    if res.window_rule == "pm1":
        point = res.extra.get("point", end)
        return point - D.ONE_DAY, point + D.ONE_DAY, "DCT ± the stated span, ±1 day"
    if (
        signal == "before"
        and not _DEADLINE_AFTER_RE.match(ctx.text_after)  # "before Friday's deadline" = by Friday
        and res.mod != "END"
        and gran not in ("season",)
        and start > dct + D.ONE_DAY
    ):
        day = start - D.ONE_DAY
        return day, day, "the day before the period starts"
    # "before the year is out": a period already under way can only end the deadline.
    if gran == "season":
        year, code = res.extra["season"]
        if signal in ("by", "before", "until") and res.mod is None and not res.position:
            # "by the summer" is due when summer starts; "until later this summer" is not.
            low, high = D.season_start_window(year, code)
            return low, high, "by the start of the season (meteorological … astronomical)"
        if res.mod == "START":
            return start, start + dt.timedelta(days=30), "early in the season"
        low, high = D.season_end_window(year, code)
        return low, high, "end of the season (meteorological … astronomical)"
    if gran == "week":
        friday = D.week_bounds(end)[0] + dt.timedelta(days=4)
        if res.mod == "START":
            return max(start, dct + D.ONE_DAY), end, "early in the week"
        low = max(friday, dct + D.ONE_DAY) if friday > dct else end
        return min(low, end), end, "end of the week: Friday (working week) … Sunday"
    if gran == "weekend":
        return start - D.ONE_DAY, end, "the weekend: Friday evening … Sunday"
    literal_start = res.position in _LITERAL_START
    if gran == "month":
        if res.mod == "START" and literal_start:
            # "by the beginning of next month": the first days; its end also fits 'early'.
            return start, start.replace(day=10), "'the start of' = the first ten days"
        if res.mod == "START":
            return start.replace(day=7), start.replace(day=15), "'early' = first third of the month"
        if res.mod == "MID":
            return start, end, "'mid' = 11th … 20th"
        return D.last_working_day(end), end, "end of the month (last working day … last day)"
    if gran in ("quarter", "half"):
        return D.last_working_day(end), end, "end of the period (last working day … last day)"
    if gran == "year":
        if res.mod == "START" and literal_start:
            return start, dt.date(start.year, 1, 31), "'the start of' = January"
        if res.mod == "MID":
            # "by mid-2027": around midsummer; the end also lies in the middle third of the year.
            return dt.date(start.year, 6, 1), dt.date(start.year, 7, 15), "the middle of the year"
        if res.mod == "START":
            return (
                dt.date(start.year, 1, 31),
                dt.date(start.year, 3, 31),
                "early in the year: end of January … end of March",
            )
        if res.mod == "END":
            return end, end, "the last day of the year"
        if signal == "by" and (end - start).days > 300:
            return start, end, "'by <year>': any time in that year, at the latest 31 December"
        return end, end, "end of the year"
    if gran in ("decade", "century"):
        return end, end, "end of the period"
    return end, end, "the day itself"


def calendar_extent(res: Resolution) -> tuple[dt.date, dt.date] | None:
    """The days the phrase itself names, whatever the deadline reading: a year or a month whole,
    a range from its start to its end, a counted span ("in two weeks") the day it lands on."""
    if res.extent is not None:
        return res.extent
    if res.window_rule == "pm1" and (point := res.extra.get("point", res.ref_end)) is not None:
        return point, point
    if res.ref_start is not None and res.ref_end is not None:
        return res.ref_start, res.ref_end
    if res.earliest is not None and res.latest is not None:
        return res.earliest, res.latest
    return None


def finish(res: Resolution, ctx: Context, dct: dt.date) -> None:
    """Fill direction, the calendar extent, earliest/latest and a readable rule into `res`."""
    res.direction = decide_direction(res, ctx)
    res.extent = calendar_extent(res)
    how = ""
    if res.earliest is None and res.latest is None and res.ref_start and res.ref_end:
        start, end = res.ref_start, res.ref_end
        if res.direction == FUTURE:
            if start <= dct <= end and res.granularity not in ("day", "time", "part_of_day"):
                res.ref_start = max(start, dct + D.ONE_DAY) if end > dct else start
            res.earliest, res.latest, how = _future_window(res, ctx)
        elif (
            res.direction == PAST and ctx.signal in ("by", "before", "until") and res.type == "DATE"
        ):
            # "had promised to publish it before Christmas": a deadline, already behind us.
            res.earliest, res.latest, how = _future_window(res, ctx)
        elif res.direction == PAST:
            if res.window_rule == "pm1" and res.type != "DURATION":
                point = res.extra.get("point", end)
                res.earliest, res.latest = point - D.ONE_DAY, point + D.ONE_DAY
                how = "DCT − the stated span, ±1 day"
            else:
                res.earliest, res.latest = start, min(end, dct) if start <= dct else end
                how = "the period in which it happened"
        else:
            res.earliest, res.latest = start, end
            how = "the period itself"
        if res.earliest > res.latest:
            res.earliest = res.latest
    res.description = res.description or res.value
    window = ""
    if res.earliest and res.latest:
        if res.earliest == res.latest:
            window = D.fmt_day(res.earliest)
        else:
            window = f"{D.fmt_day(res.earliest)} … {D.fmt_day(res.latest)}"
    elif res.earliest:
        window = f"after {D.fmt_day(res.earliest)}, open-ended"
    elif res.latest:
        window = f"before {D.fmt_day(res.latest)}, open-ended"
    parts = [res.description]
    if window:
        parts.append(f"from {D.fmt_day(dct)} → {window}")
    if how:
        parts.append(f"({how})")
    res.window_rule = " ".join(parts)
