"""Turn grammar matches into TIMEX3 values and deadline windows (pure; no spaCy here).

Every handler receives the regex match and a `Context` (DCT, tense of the governing verb, the
preposition in front of the expression, the last date the text mentioned) and returns a
`Resolution`, or None to drop a candidate that turned out not to be temporal.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from claims.temporal import dates as D
from claims.temporal.lexicon import (
    INFORMAL_DAYS,
    MONTHS,
    ORDINALS,
    SEASONS,
    SHORT_WEEKDAYS,
    WEEKDAYS,
    day_of_month,
    duration_value,
    ordinal_value,
    parse_spelled_year,
    unit_key,
    year_from_text,
)

PAST, FUTURE, PRESENT = "past", "future", "present"
SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
POD_CODES = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
    "tonight": "NI",
    "nights": "NI",
    "mornings": "MO",
    "evenings": "EV",
    "afternoons": "AF",
}


@dataclass
class Anchor:
    """The last calendar reference in the text: for 'a year earlier', 'the next day'…"""

    granularity: str
    start: dt.date
    quarter: tuple[int, int] | None = None


_SENTENCE_BREAK_RE = re.compile(r"[.!?]\s+(?=[A-Z\"“'‘])|\n\s*\n")


@dataclass
class Context:
    dct: dt.date
    tense: Callable[[], str | None]
    signal: str | None
    anchor: Anchor | None
    text_after: str
    # Text before the expression, read lazily through `text_before` (few rules need it).
    preceding: str = ""

    @property
    def text_before(self) -> str:
        """The same sentence up to the expression (at most ~120 characters): cues such as
        "unless" or "warned" that turn a backshifted past tense into a reported future."""
        return _SENTENCE_BREAK_RE.split(self.preceding[-120:])[-1]


@dataclass
class Resolution:
    type: str
    value: str
    granularity: str | None = None
    ref_start: dt.date | None = None
    ref_end: dt.date | None = None
    mod: str | None = None
    vague: bool = False
    description: str = ""
    direction: str | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    window_rule: str = ""
    anchor: Anchor | None = None
    position: str | None = None
    extra: dict = field(default_factory=dict)
    # The calendar extent of what the phrase names (first, last day); filled by `finish` from
    # ref_start/ref_end unless a handler knows better (a season's meteorological months).
    extent: tuple[dt.date, dt.date] | None = None


# --- small helpers -----------------------------------------------------------------------


def words_lower(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").lower()).strip()


def month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def day_number(word: str) -> int:
    """'3', '3rd', 'third', 'twenty-first' -> the day number (0 when it is none)."""
    return day_of_month(word) or 0


def relative_offset(det: str | None) -> int | None:
    """'next' -> 1, 'last' -> -1, 'this' -> 0; None for determiners that need an anchor."""
    det = words_lower(det)
    if det in ("this", "the current", "current", "the present", "the", "the full"):
        return 0
    if det in (
        "next",
        "the next",
        "the following",
        "the coming",
        "coming",
        "this coming",
        "the new",
        "following",
    ):
        return 1
    if det in (
        "last",
        "past",
        "the past",
        "the last",
        "the previous",
        "the preceding",
        "previous",
        "this past",
        "the latest",
    ):
        return -1
    return None


POSITION_MOD = {
    "early": "START",
    "the beginning of": "START",
    "the start of": "START",
    "beginning": "START",
    "start": "START",
    "the early part of": "START",
    "the first part of": "START",
    # "as early as August": August at the earliest, the whole month; not its first days.
    "as early as": "ON_OR_AFTER",
    "mid": "MID",
    "mid-": "MID",
    "the middle of": "MID",
    "middle": "MID",
    "late": "END",
    "the end of": "END",
    "end": "END",
    "the close of": "END",
    "the turn of": "END",
    "the latter part of": "END",
    "the last part of": "END",
    "as late as": "ON_OR_BEFORE",
}


def _position(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("mid"):
        return "mid"
    position = words_lower(groups.get("pos")) or None
    if position and position.endswith(" of") and not position.startswith("the "):
        position = "the " + position  # "end of next month" = "the end of next month"
    return position


def apply_position(
    position: str | None, granularity: str, start: dt.date, end: dt.date, dct: dt.date
) -> tuple[dt.date, dt.date, str | None]:
    """Narrow a period to the part named by `position`; returns (start, end, TIMEX3 mod)."""
    if not position:
        return start, end, None
    length = (end - start).days + 1
    if position in ("the end of", "end", "the close of", "the turn of"):
        if granularity == "week":
            return start + dt.timedelta(days=4), end, "END"
        if granularity in ("month", "quarter", "half"):
            return D.last_working_day(end), end, "END"
        if granularity == "year":
            return end, end, "END"
        return end - dt.timedelta(days=length // 10), end, "END"
    if position in ("the first half of",):
        return start, start + dt.timedelta(days=length // 2 - 1), "START"
    if position in ("the second half of", "the latter half of", "the last half of"):
        return start + dt.timedelta(days=length // 2), end, "END"
    if position in ("the rest of", "the remainder of", "the balance of", "later"):
        return max(start, dct + D.ONE_DAY), end, None
    if position in ("earlier",):
        return start, max(start, dct - D.ONE_DAY), None
    if position in ("sometime", "some time"):
        return start, end, None
    mod = POSITION_MOD.get(position)
    if mod is None:
        return start, end, None
    if mod in ("ON_OR_AFTER", "ON_OR_BEFORE"):
        return start, end, mod  # a bound on the whole period, not a part of it
    if granularity == "month":
        if mod == "START":
            return start, start.replace(day=10), mod
        if mod == "MID":
            return start.replace(day=11), start.replace(day=20), mod
        return start.replace(day=21), end, mod
    if granularity == "week":
        if mod == "START":
            return start, start + dt.timedelta(days=2), mod
        if mod == "MID":
            return start + dt.timedelta(days=1), start + dt.timedelta(days=3), mod
        return start + dt.timedelta(days=3), end, mod
    if granularity == "year":
        if mod == "START":
            return start, dt.date(start.year, 3, 31), mod
        if mod == "MID":
            return dt.date(start.year, 5, 1), dt.date(start.year, 8, 31), mod
        return dt.date(start.year, 10, 1), end, mod
    third = max(length // 3, 1)
    if mod == "START":
        return start, start + dt.timedelta(days=third - 1), mod
    if mod == "MID":
        return start + dt.timedelta(days=third), end - dt.timedelta(days=third), mod
    return end - dt.timedelta(days=third - 1), end, mod


_ATTACKS_AFTER_RE = re.compile(
    r"\s*(?:,\s*2001\s*,?\s*)?(?:attacks?|terror\w*|hijack\w*|commission|memorial)", re.IGNORECASE
)
_DELIVERY_AFTER_RE = re.compile(r"\s+(?:delivery|contracts?|futures)\b", re.IGNORECASE)
_CLEAR_PAST_RE = re.compile(r"\b(?:was|were)\s+\w+(?:ed|en)\s+(?:on\s+)?$", re.IGNORECASE)
_EXPLICIT_FUTURE_RE = re.compile(r"\b(?:will|shall|must|won't|'ll|’ll)\b", re.IGNORECASE)


# "effective Feb. 1", "takes effect on Monday", "effective as of June 1": the day a rule or a
# post starts, which news announces ahead of time.
_EFFECTIVE_BEFORE_RE = re.compile(
    r"\b(?:effective|takes?\s+effect|take\s+effect)(?:\s+(?:as\s+of|from|on))?\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def takes_effect(ctx: Context) -> bool:
    """The date is when something takes effect, read ahead whatever the verb's tense, unless
    the clause is a story told in the pluperfect ("had taken effect on 1 May")."""
    if not _EFFECTIVE_BEFORE_RE.search(ctx.preceding):
        return False
    clause = re.split(r"[.!?]\s", ctx.preceding)[-1]
    return not re.search(r"\b(?:had|took|went\s+into)\b", clause, re.IGNORECASE)


def pick_year_for_month(
    month: int, day: int | None, ctx: Context, weekday: int | None = None
) -> int:
    """Year of a year-less date: the next occurrence for future tense, else the latest one."""
    dct = ctx.dct
    tense = ctx.tense()
    key = (month, day or 0)
    now = (dct.month, dct.day if day else 0)
    if key == now:
        return dct.year
    if day is None and month == dct.month:
        return dct.year
    later = dct.year if key > now else dct.year + 1
    earlier = dct.year if key < now else dct.year - 1
    probe_day = min(day or 15, 28)
    gap_later = (dt.date(later, month, probe_day) - dct).days
    gap_earlier = (dct - dt.date(earlier, month, probe_day)).days
    if weekday is not None and day is not None:
        # "Saturday, April 25": the year in which that date is a Saturday wins.
        fits = [
            y
            for y in (earlier, later)
            if (d := D.safe_date(y, month, day)) and d.weekday() == weekday
        ]
        if len(fits) == 1:
            return fits[0]
    if ctx.signal == "since":
        return earlier
    choice = None
    if (
        tense == FUTURE
        or (ctx.signal == "by" and not narrative_by(ctx, tense))
        or takes_effect(ctx)
    ):
        choice = later
    elif tense == PAST:
        choice = earlier
    elif (
        tense == PRESENT
        and ctx.signal in ("on", "for", "from", "in", None)
        and (day is not None or gap_later <= 183)  # a month alone: only the next half year
    ):
        choice = later  # "the fair starts on 3 May", "the law takes effect 1 July": scheduled
    if choice is not None:
        # News gives the year for dates far from publication; a tense pick half a year away
        # while the other reading is within a quarter is usually the wrong verb.
        promised = (
            tense == FUTURE
            and _EXPLICIT_FUTURE_RE.search(ctx.preceding.rsplit(".", 1)[-1]) is not None
        )
        # "will publish … by December 31" on 5 January is next December, though.
        if (
            day is not None
            and choice == later
            and gap_later > 180
            and gap_earlier <= 60
            and not promised
        ):
            return earlier
        # A month alone qualifies only when it is the next one: "told of a cutback in September"
        # in mid-August is the coming September, not last year's.
        if (
            choice == earlier
            and gap_earlier > 180
            and gap_later <= (60 if day is not None else 45)
            and not _CLEAR_PAST_RE.search(ctx.preceding)  # "The bill was introduced on 2 December"
        ):
            return later  # "declared a dividend, payable Dec. 15": the date is still ahead
        return choice
    # No tense to go by: the nearer occurrence ("payable Dec. 15", "record Nov. 10"), leaning to
    # the past when both are far (news mostly reports what happened).
    return later if gap_later < gap_earlier * 0.7 else earlier


def month_resolution(
    year: int, month: int, position: str | None, ctx: Context, desc: str
) -> Resolution:
    start, end = D.month_bounds(year, month)
    start, end, mod = apply_position(position, "month", start, end, ctx.dct)
    return Resolution(
        "DATE",
        f"{year}-{month:02d}",
        "month",
        start,
        end,
        mod=mod,
        vague=mod in ("START", "MID"),
        description=desc,
        anchor=Anchor("month", dt.date(year, month, 1)),
        position=position,
    )


def year_resolution(year: int, position: str | None, ctx: Context, desc: str) -> Resolution:
    start, end = D.year_bounds(year)
    start, end, mod = apply_position(position, "year", start, end, ctx.dct)
    return Resolution(
        "DATE",
        f"{year:04d}",
        "year",
        start,
        end,
        mod=mod,
        vague=mod in ("START", "MID") or position in ("late",),
        description=desc,
        anchor=Anchor("year", dt.date(year, 1, 1)),
        position=position,
    )


def day_resolution(day: dt.date, desc: str, *, type_: str = "DATE", suffix: str = "") -> Resolution:
    return Resolution(
        type_,
        day.isoformat() + suffix,
        "day",
        day,
        day,
        description=desc,
        anchor=Anchor("day", day),
    )


# --- handlers ------------------------------------------------------------------------------


def h_iso_date(m: re.Match[str], ctx: Context) -> Resolution | None:
    day = D.safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if day is None:
        return None
    if m["hh"]:
        res = day_resolution(day, "ISO date and time", type_="TIME", suffix=f"T{m['hh']}:{m['mm']}")
        res.granularity = "time"
        return res
    return day_resolution(day, "ISO date")


def h_numeric_date(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["y2"]:
        year, month, day_n = int(m["y2"]), int(m["m2"]), int(m["d2"])
    elif m["y3"]:
        year, month, day_n = int(m["y3"]), int(m["m3"]), int(m["d3"])
    else:
        a, b = int(m["a"]), int(m["b"])
        year = int(m["y"]) if len(m["y"]) == 4 else year_from_text(m["y"])
        if a > 12 or b > 12 or a == b:
            # US order (month/day) unless the first number cannot be a month.
            month, day_n = (b, a) if a > 12 else (a, b)
        else:
            return _either_order(D.safe_date(year, a, b), D.safe_date(year, b, a), ctx)
    day = D.safe_date(year, month, day_n)
    return day_resolution(day, "numeric date") if day else None


def _either_order(us: dt.date | None, european: dt.date | None, ctx: Context) -> Resolution | None:
    """'04/09/2025' is 9 April or 4 September: the tense picks the side of the DCT, else US."""
    tense = ctx.tense()
    if us and european:
        fits = [
            d
            for d in (us, european)
            if (tense == PAST and d < ctx.dct) or (tense in (FUTURE, PRESENT) and d >= ctx.dct)
        ]
        if len(fits) == 1:
            order = "month/day" if fits[0] == us else "day/month"
            return day_resolution(fits[0], f"numeric date, read {order} to fit the tense")
    day = us or european
    return day_resolution(day, "numeric date (month/day)") if day else None


def h_short_date(m: re.Match[str], ctx: Context) -> Resolution | None:
    """'by 3/15' (US month/day) and 'on the 30th' (this month's or the next one's)."""
    dct = ctx.dct
    if m["nine11"]:
        return day_resolution(dt.date(2001, 9, 11), "the 11 September 2001 attacks")
    copula = m.group(0).split(None, 1)[0].lower() in ("is", "was", "be")
    if copula and not (m["dom"] and re.match(r"\s*(?:[.;!?)]|$)", ctx.text_after)):
        return None  # "pay day is the 1st." yes; "he was the first to arrive" no
    if m["m"]:
        month, day_n = int(m["m"]), int(m["d"])
        if month < day_n and day_n in (2, 3, 4, 5, 8, 16, 32):
            return None  # "fell by 1/3", "rose 3/8": a proper fraction, not a date
        day = D.safe_date(pick_year_for_month(month, day_n, ctx), month, day_n)
        return day_resolution(day, "month/day without a year, placed by tense") if day else None
    day_n = day_number(m["dom"] or m["domw"])
    this_month = D.safe_date(dct.year, dct.month, day_n)
    following = D.add_months(dct.replace(day=1), 1)
    previous = D.add_months(dct.replace(day=1), -1)
    if this_month == dct:
        return day_resolution(dct, "day of the month: today")
    if ctx.tense() == PAST and ctx.signal not in ("by", "until"):
        day = this_month if this_month and this_month < dct else None
        day = day or D.safe_date(previous.year, previous.month, day_n)
        how = "day of the month, the latest one"
    else:
        day = this_month if this_month and this_month > dct else None
        day = day or D.safe_date(following.year, following.month, day_n)
        how = "day of the month, the next one"
    return day_resolution(day, how) if day else None


# After a lower-case "march" or "may" and its day, a date goes on like one: "march 3, at noon".
_DATE_GOES_ON_RE = re.compile(
    r"\s*(?:$|[.,;:!?)]|(?:at|in|and|or|to|for|by|from|until|till|when|next|this)\b)",
    re.IGNORECASE,
)


# A number after a day and month that would be its year, but is not a plausible one.
_ABSURD_YEAR_AFTER_RE = re.compile(r",?\s*((?:[3-9]\d{3}|\d{5,}))\b", re.IGNORECASE)


def refuse_absurd_year(ctx: Context) -> None:
    """Raise ValueError when an absurd year follows ("March 3, 9999", "Christmas 10000"): the
    whole span is then ignored rather than read without its year."""
    absurd = _ABSURD_YEAR_AFTER_RE.match(ctx.text_after)
    if absurd and _DATE_GOES_ON_RE.match(ctx.text_after, absurd.end()):
        raise ValueError(f"year {absurd.group(1)} is off the calendar")


def month_word_ok(word: str, ctx: Context, day: str | None = None) -> bool:
    """A capitalised month name is one; in lower case only next to a day ("sept 3rd"), and
    "march"/"may" (also verbs) only when the date visibly goes on or ends there."""
    if word[:1].isupper():
        return True
    if day is None:
        return False
    if word.lower().rstrip(".") in ("may", "march", "mar"):
        return bool(_DATE_GOES_ON_RE.match(ctx.text_after))
    return True


_QUARTER_ENDED_RE = re.compile(r"quarter\s+(?:that\s+)?(?:ended|ending)\s+$", re.IGNORECASE)


_LONGEST_MONTH = {
    month: 29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31 for month in range(1, 13)
}


def h_month_day(m: re.Match[str], ctx: Context) -> Resolution | None:
    day_text = m["day"] or m["dayw"]
    if not month_word_ok(m["mon"], ctx, day_text):
        return None
    if not m["year"]:
        refuse_absurd_year(ctx)
    month, day_n = month_number(m["mon"]), day_number(day_text)
    weekday = WEEKDAYS[m["wd"].lower().rstrip(".")] if m["wd"] else None
    if (month, day_n) == (9, 11) and not m["year"] and _ATTACKS_AFTER_RE.match(ctx.text_after):
        return day_resolution(dt.date(2001, 9, 11), "the 11 September 2001 attacks")
    if day_n > _LONGEST_MONTH[month]:
        raise ValueError(f"day {day_n} is in no month {month}")  # "February 30": ignore it whole
    year = int(m["year"]) if m["year"] else pick_year_for_month(month, day_n, ctx, weekday)
    day = D.safe_date(year, month, day_n)
    if day is None:
        return None
    if m.groupdict().get("pos") or m.groupdict().get("mid"):
        return None
    desc = "date" if m["year"] else "date without a year, placed by tense"
    res = day_resolution(day, desc)
    last = D.safe_date(year, month, day_number(m["day2"])) if m.groupdict().get("day2") else None
    if last is not None and last > day:
        # "May 20-25": the value is the first day, the window runs to the last.
        res.ref_end, res.granularity = last, "days"
        res.description = f"{desc}, to {D.fmt_day(last)}"
    if day.month % 3 == 0 and day.day >= 28 and _QUARTER_ENDED_RE.search(ctx.text_before):
        # "the quarter ended Sept. 30": later "a year earlier" means that quarter a year back.
        res.anchor = Anchor("day", day, (day.year, day.month // 3))
    return res


h_day_month = h_month_day


def h_month_year(m: re.Match[str], ctx: Context) -> Resolution | None:
    if not month_word_ok(m["mon"], ctx):
        return None
    month = month_number(m["mon"])
    if m["year"]:
        year = year_from_text(m["year"])  # "June 2026", "June '26"
    elif m["syear"]:
        year = parse_spelled_year(words_lower(m["syear"])) or ctx.dct.year
    else:
        offset = relative_offset(m["yrel"].rsplit(" ", 1)[0])
        year = ctx.dct.year + (offset or 0)
    return month_resolution(year, month, _position(m), ctx, "month and year")


# Prepositions after which a lower-case or abbreviated month alone is still a month
# ("elections in november", "closes in Dec.").
_BARE_MONTH_SIGNALS = frozenset({"in", "by", "until", "since", "before", "after", "during", "from"})


def bare_month_ok(word: str, ctx: Context, det: str | None) -> bool:
    """A month name alone: a full capitalised name always; a lower-case or abbreviated one
    ("november", "Dec.") after a determiner or a date preposition, never the verbs "may",
    "march" (nor "mar")."""
    plain = word.lower().rstrip(".")
    full = plain in _FULL_MONTHS
    if full and word[:1].isupper():
        return True
    if plain in ("may", "march", "mar") and not word[:1].isupper():
        return False
    return bool(det) or ctx.signal in _BARE_MONTH_SIGNALS


_FULL_MONTHS = frozenset(name.lower() for name in calendar.month_name[1:])


_DAY_NUMBER_AFTER_RE = re.compile(
    r"\s*(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b(?![.,:]\d|\s*(?:%|percent))"
)


_NO_DAY_BEFORE_RE = re.compile(r"\b(?:3[2-9]|[4-9]\d|\d{3,})(?:st|nd|rd|th)\s+(?:of\s+)?$", re.I)


# A day number that closes a date: "March 3." "March 3rd", "March 3, 2026", "March 3 at noon".
_DAY_ENDS_DATE_RE = re.compile(
    r"\s*(?:3[01]|[12]\d|0?[1-9])(?:(?:st|nd|rd|th)\b|(?=\s*(?:$|[.,;:!?)]|(?:at|in|and|to|for"
    r"|by|from|until|when|next|this)\b)))",
    re.IGNORECASE,
)


def h_month(m: re.Match[str], ctx: Context) -> Resolution | None:
    word = m["mon"]
    if not bare_month_ok(word, ctx, m["det"] or _position(m)):
        return None
    if _NO_DAY_BEFORE_RE.search(ctx.preceding):
        return None  # "the 45th of June" is no date, and not June either
    if m["det"] and _DAY_NUMBER_AFTER_RE.match(ctx.text_after):
        return None  # "last Oct. 23": the date (month and day) is the expression
    if _position(m) and _DAY_ENDS_DATE_RE.match(ctx.text_after):
        return None  # "the strike will end March 3": the verb, then the date
    if word.lower() == "may" and not (m["det"] or _position(m)):
        # Bare capitalised "May" is often the modal at the start of a sentence or a name.
        after = ctx.text_after.lstrip()
        if not (
            ctx.signal in ("in", "by", "until", "since", "before", "after", "during", "of", "from")
            or re.search(r"\bbetween\s+$", ctx.preceding)
            or re.match(r"[,.;:]|$", after)
        ):
            return None
    refuse_absurd_year(ctx)
    month = month_number(word)
    det = words_lower(m["det"])
    dct = ctx.dct
    if det in ("last", "this past"):
        year = dct.year if month < dct.month else dct.year - 1
    elif det in ("next", "this coming", "coming"):
        year = dct.year if month > dct.month else dct.year + 1
    elif det == "this":
        year = dct.year
    elif _DELIVERY_AFTER_RE.match(ctx.text_after):
        # "crude for March delivery": a futures month is always ahead.
        year = dct.year if month > dct.month else dct.year + 1
    else:
        year = pick_year_for_month(month, None, ctx)
    return month_resolution(year, month, _position(m), ctx, "month, year from tense")


def h_year(m: re.Match[str], ctx: Context) -> Resolution | None:
    text = m["year"]
    fy = words_lower(m["fy"])
    if len(text) == 2:
        if not fy.startswith("fy"):
            return None
        year = year_from_text(text)
    else:
        year = int(text)
    if not fy and not _position(m) and not m["period"]:
        # A bare four-digit number: keep it when it reads like a year.
        if year > ctx.dct.year + 60 or year < 1600:
            return None
        after = ctx.text_after.lstrip()
        if re.match(
            r"(?:people|troops|soldiers|men|women|votes|members|jobs|workers|cars|units|"
            r"homes|feet|metres|meters|miles|km|kilometres|tonnes|tons|pounds|barrels|"
            r"acres|cases|deaths|points)\b",
            after,
            re.IGNORECASE,
        ):
            return None
    period = words_lower(m["period"])
    anchored = ctx.anchor is not None and ctx.anchor.quarter
    if (period == "period" and anchored) or period == "quarter":
        # "the 1988 period" in a report about a quarter: that quarter of 1988; "the 1988
        # quarter" names a quarter even before any is named (the latest reported one).
        number = ctx.anchor.quarter[1] if anchored else _reporting_quarter(ctx)[1]
        res = quarter_resolution(year, number, None, ctx, "the quarter in that year")
        res.anchor = None
        return res
    res = year_resolution(year, _position(m), ctx, "year")
    if fy.startswith("fy") or (fy.startswith("fiscal") and _us_federal(ctx)):
        res.value = f"FY{year}"
        res.ref_start, res.ref_end = dt.date(year - 1, 10, 1), dt.date(year, 9, 30)
        res.description = "US federal fiscal year (1 Oct – 30 Sep)"
    elif fy.startswith("fiscal"):
        res.vague = True
        res.description = "fiscal year (calendar year assumed)"
    return res


DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def h_decade(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["dec"]:
        digits = re.sub(r"\D", "", m["dec"])
        decade_start = int(digits) if len(digits) == 4 else year_from_text(digits[:2])
        position = words_lower(m["pos"]) or None
    else:
        tens = DECADE_WORDS[m["decw"].lower()]
        base = (ctx.dct.year // 100) * 100
        decade_start = base + tens * 10
        if decade_start > ctx.dct.year:
            decade_start -= 100
        position = words_lower(m["pos2"]) or None
    start, end = dt.date(decade_start, 1, 1), dt.date(decade_start + 9, 12, 31)
    start, end, mod = apply_position(position, "decade", start, end, ctx.dct)
    return Resolution(
        "DATE",
        str(decade_start // 10),
        "decade",
        start,
        end,
        mod=mod,
        vague=mod is not None,
        description="decade",
    )


def h_century(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["ord"]:
        word = m["ord"].lower()
        number = ordinal_value(word)
        if not number:
            return None
        century_index = number - 1
    else:
        offset = relative_offset(m["rel"]) or 0
        century_index = ctx.dct.year // 100 + offset
    start = dt.date(max(century_index * 100, 1), 1, 1)
    end = dt.date(century_index * 100 + 99, 12, 31)
    start, end, mod = apply_position(words_lower(m["pos"]) or None, "century", start, end, ctx.dct)
    return Resolution(
        "DATE", f"{century_index:02d}", "century", start, end, mod=mod, description="century"
    )


# "first quarter" … "fourth quarter", and "the final quarter" of the year.
QUARTER_ORD = {word: n for word, n in ORDINALS.items() if 1 <= n <= 4} | {"final": 4}


def quarter_resolution(
    year: int, quarter: int, position: str | None, ctx: Context, desc: str
) -> Resolution:
    start, end = D.quarter_bounds(year, quarter)
    start, end, mod = apply_position(position, "quarter", start, end, ctx.dct)
    return Resolution(
        "DATE",
        f"{year}-Q{quarter}",
        "quarter",
        start,
        end,
        mod=mod,
        description=desc,
        anchor=Anchor("quarter", start, (year, quarter)),
    )


def _default_quarter_year(quarter: int, ctx: Context) -> int:
    """Year of 'the fourth quarter' without a year: the latest one unless talk is of the future."""
    current = D.quarter_of(ctx.dct)
    tense = ctx.tense()
    if (current - quarter >= 2 and tense == FUTURE) or (
        current - quarter >= 3 and tense == PRESENT
    ):
        # "will review it in the first quarter", said in October; a quarter just ended is the
        # one about to be reported ("will report third-quarter results").
        return ctx.dct.year + 1
    if quarter <= current:
        return ctx.dct.year
    if tense == FUTURE:
        return ctx.dct.year
    if tense == PAST or quarter - current >= 2:
        return ctx.dct.year - 1
    return ctx.dct.year


_QUARTER_SPANS = {"january-march": 1, "april-june": 2, "july-september": 3, "october-december": 4}


def h_quarter(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["qspan"]:  # AP style: "the April-June quarter"
        quarter = _QUARTER_SPANS[m["qspan"].lower()]
        return quarter_resolution(
            _default_quarter_year(quarter, ctx), quarter, None, ctx, "quarter named by its months"
        )
    if m["qtag"] or m["qtag2"]:
        if not (m["qyear"] or m["qyear2"]):
            refuse_absurd_year(ctx)
        quarter = int((m["qtag"] or m["qtag2"])[1])
        year_text = m["qyear"] or m["qyear2"]
        year = year_from_text(year_text) if year_text else _default_quarter_year(quarter, ctx)
        return quarter_resolution(year, quarter, None, ctx, "quarter")
    quarter = QUARTER_ORD[m["ord"].lower()]
    if m["year"]:
        year = int(m["year"])
    elif m["pyear"]:
        year = int(m["pyear"])
    elif m["prel"] or m["yrel"]:
        rel = words_lower(m["prel"] or m["yrel"]).replace(" year", "")
        offset = relative_offset(rel)
        if offset is None and ctx.anchor is not None:
            year = ctx.anchor.start.year
        else:
            year = ctx.dct.year + (offset or 0)
    elif m["det"]:
        offset = relative_offset(m["det"]) or 0
        year = ctx.dct.year + offset
    else:
        year = _default_quarter_year(quarter, ctx)
    if m["ago"]:
        if ctx.anchor is not None and ctx.anchor.quarter is not None:
            year = ctx.anchor.quarter[0]
        res = quarter_resolution(year - 1, quarter, _position(m), ctx, "the quarter a year earlier")
        res.anchor = None
        return res
    return quarter_resolution(year, quarter, _position(m), ctx, "calendar quarter")


def _reporting_quarter(ctx: Context) -> tuple[int, int]:
    """The quarter a text is talking about: the last one it named, else the latest complete one."""
    year, quarter = ctx.dct.year, D.quarter_of(ctx.dct)
    future = ctx.tense() == FUTURE
    # A past-tense report is about a finished quarter: a forecast just mentioned ("a
    # fourth-quarter charge" in October) does not become "the latest quarter".
    anchored = ctx.anchor.quarter if ctx.anchor is not None else None
    if anchored is not None and (future or anchored < (year, quarter)):
        return anchored
    if future:
        return year, quarter
    return D.shift_quarter(year, quarter, -1)


def h_anchored_period(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["bare"]:
        the = words_lower(m["the"])
        year, quarter = ctx.dct.year, D.quarter_of(ctx.dct)
        if the == "this":
            pass
        elif the == "next":
            year, quarter = D.shift_quarter(year, quarter, 1)
        elif the == "last":
            year, quarter = D.shift_quarter(year, quarter, -1)
        else:
            year, quarter = _reporting_quarter(ctx)
        if m["bareago"]:
            # "the quarter a year ago": the one under discussion, a year back.
            res = quarter_resolution(year - 1, quarter, None, ctx, "same quarter a year earlier")
            res.anchor = None
            return res
        return quarter_resolution(year, quarter, None, ctx, "the quarter under discussion")
    kind = words_lower(m["kind"] or m["adj"])
    year, quarter = _reporting_quarter(ctx)
    unit = words_lower(m["unit"])
    if kind in (
        "year-ago",
        "year-earlier",
        "year ago",
        "year earlier",
        "year-before",
        "prior-year",
        "prior year's",
        "last year's",
        "corresponding",
        "comparable",
    ) or (kind == "same" and m["yrel"]):
        if m["adj"] and (ctx.anchor is None or ctx.anchor.quarter is None):
            res = year_resolution(ctx.dct.year - 1, None, ctx, "a year before the DCT")
            res.anchor = None
            return res
        res = quarter_resolution(year - 1, quarter, None, ctx, "same quarter a year earlier")
        res.anchor = None
        return res
    if kind == "current" and unit == "quarter":
        year, quarter = ctx.dct.year, D.quarter_of(ctx.dct)
    if kind == "previous" and unit == "quarter":
        year, quarter = D.shift_quarter(year, quarter, -1)
    res = quarter_resolution(year, quarter, None, ctx, "the latest reported quarter")
    return res


def h_ordinal_part(m: re.Match[str], ctx: Context) -> Resolution | None:
    """A numbered part of a month: its week, weekend or weekday."""
    dct = ctx.dct
    n = ORDINALS[m["ord"].lower()]
    if m["mon"]:
        month = month_number(m["mon"])
        year = int(m["year"]) if m["year"] else pick_year_for_month(month, None, ctx)
    elif m["yrel"]:
        # "the last week of the year": December's (January's for "first").
        year = dct.year + {"next": 1, "last": -1}.get(words_lower(m["yrel"]), 0)
        month = 12 if n < 0 else 1
    else:
        first = D.add_months(
            dct.replace(day=1), {"next": 1, "this": 0, "the": 0, "last": -1}[words_lower(m["rel"])]
        )
        year, month = first.year, first.month
    month_start, month_end = D.month_bounds(year, month)
    what = m["what"].lower()
    if what == "day":
        day = month_end if n < 0 else D.safe_date(year, month, n)
        if day is None:
            return None
        return day_resolution(day, f"{m['ord'].lower()} day of the month")
    if what == "week":
        if n > 0:
            start = month_start + dt.timedelta(days=7 * (n - 1))
            end = min(start + dt.timedelta(days=6), month_end)
        else:
            end, start = month_end, month_end - dt.timedelta(days=6)
        return Resolution(
            "DATE",
            D.iso_week_value(start),
            "week",
            start,
            end,
            description=f"{m['ord'].lower()} week of {D.fmt_day(month_start)[-8:]}",
            anchor=Anchor("week", start),
        )
    weekday = 5 if what == "weekend" else WEEKDAYS[what]
    day = D.nth_weekday(year, month, weekday, n)
    if what == "weekend":
        return Resolution(
            "DATE",
            f"{D.iso_week_value(day)}-WE",
            "weekend",
            day,
            day + D.ONE_DAY,
            description=f"{m['ord'].lower()} weekend of the month",
        )
    return day_resolution(day, f"{m['ord'].lower()} {m['what']} of the month")


def h_dom_of_month(m: re.Match[str], ctx: Context) -> Resolution | None:
    """'the 2nd of next month', 'the fifteenth of this month'."""
    offset = {"next": 1, "the following": 1, "the next": 1, "last": -1}.get(
        words_lower(m["rel"]), 0
    )
    first = D.add_months(ctx.dct.replace(day=1), offset)
    day = D.safe_date(first.year, first.month, day_number(m["dom"]))
    return day_resolution(day, f"day {day.day} of {D.fmt_day(first)[-8:]}") if day else None


def h_position_quarter(m: re.Match[str], ctx: Context) -> Resolution | None:
    """'the end of Q3', 'early Q1 2026'."""
    quarter = int(m["qtag"][1])
    year = int(m["qyear"]) if m["qyear"] else _default_quarter_year(quarter, ctx)
    return quarter_resolution(year, quarter, _position(m), ctx, "part of a quarter")


def h_half(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["htag"]:
        half = int(m["htag"][1])
        year = int(m["hyear"]) if m["hyear"] else ctx.dct.year
    elif m.group(0).lower().lstrip().startswith(("the first two", "first two")):
        half = 1
        year = int(m["year2"]) if m["year2"] else ctx.dct.year
    else:
        half = 1 if m["ord"].lower() == "first" else 2
        if m["year"]:
            year = int(m["year"])
        elif m["yrel"] and words_lower(m["yrel"]) != "the year":
            year = ctx.dct.year + (
                relative_offset(words_lower(m["yrel"]).replace(" year", "")) or 0
            )
        elif m["yrel"]:
            year = ctx.dct.year
        else:
            return None
    start, end = D.half_bounds(year, half)
    return Resolution("DATE", f"{year}-H{half}", "half", start, end, description="half year")


def later_in_day(hour: int, pod: str | None) -> int:
    """A clock hour read against a part of the day: 8 "tonight" is 20:00, 8 "in the morning"
    stays 08:00."""
    if pod in ("afternoon", "evening", "night", "tonight", "AF", "EV", "NI") and hour < 12:
        return hour + 12
    return hour


def working_hour(hour: int) -> int:
    """A bare hour on a named day, with no am/pm and no part of the day: 1 … 6 are afternoon
    hours ("Friday at 5" is 17:00), 7 … 12 stay as written ("tomorrow at 9")."""
    return hour + 12 if 1 <= hour <= 6 else hour


def _at_hour(day: dt.date, hour_text: str, minute_text: str | None, pod: str | None) -> Resolution:
    """'tonight at 8', 'this evening at 7:30', 'tomorrow at 9': the clock time on that day."""
    hour = later_in_day(int(hour_text), pod) if pod else working_hour(int(hour_text))
    suffix = f"T{hour:02d}:{minute_text or '00'}"
    res = day_resolution(day, f"at {suffix[1:]}", type_="TIME", suffix=suffix)
    res.granularity = "time"
    return res


def h_relday(m: re.Match[str], ctx: Context) -> Resolution | None:
    dct = ctx.dct
    if m["lastnight"]:
        word = words_lower(m["lastnight"])
        day = dct - D.ONE_DAY  # "overnight" in a morning report is the night just gone
        res = day_resolution(day, word, type_="TIME", suffix="TNI")
        res.granularity = "part_of_day"
        return res
    if m["nbl"]:
        res = day_resolution(dct - dt.timedelta(days=2), "the night before last", type_="TIME")
        res.value += "TNI"
        res.granularity = "part_of_day"
        return res
    if m["rel"]:
        day = (
            dct - dt.timedelta(days=2)
            if "yesterday" in m["rel"].lower()
            else dct + dt.timedelta(days=2)
        )
        return day_resolution(day, "two days from the DCT")
    if m["pod3"]:
        # "in the afternoon": of the day last named in a narrative, else of the DCT.
        anchor = ctx.anchor
        narrative = anchor is not None and anchor.granularity == "day" and ctx.tense() == PAST
        day = anchor.start if narrative else dct
        res = day_resolution(
            day, "part of the day", type_="TIME", suffix="T" + POD_CODES[m["pod3"].lower()]
        )
        res.granularity = "part_of_day"
        return res
    if m["midpod"]:
        # "by mid-afternoon", "mid-morning yesterday": that part of the day named, else the DCT's.
        offset = {"today": 0, "tomorrow": 1, "yesterday": -1}[words_lower(m["midday"]) or "today"]
        pod = m["midpod"].lower()
        res = day_resolution(
            dct + dt.timedelta(days=offset), f"mid-{pod}", type_="TIME", suffix="T" + POD_CODES[pod]
        )
        res.granularity = "part_of_day"
        return res
    if m["pod2"]:
        if m["ath2"]:
            return _at_hour(dct, m["ath2"], m["atm2"], m["pod2"].lower())
        res = day_resolution(
            dct, "part of the DCT's day", type_="TIME", suffix="T" + POD_CODES[m["pod2"].lower()]
        )
        res.granularity = "part_of_day"
        return res
    word = m["word"].lower()
    word = INFORMAL_DAYS.get(word, word)  # "tmrw", "2nite"
    offset = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[word]
    day = dct + dt.timedelta(days=offset)
    pod = m["pod"].lower() if m["pod"] else ("night" if word == "tonight" else None)
    if m["ath"]:
        return _at_hour(day, m["ath"], m["atm"], pod)
    if pod:
        res = day_resolution(day, word, type_="TIME", suffix="T" + POD_CODES[pod])
        res.granularity = "part_of_day"
        return res
    return day_resolution(day, word)


# A reporting verb right before the day: the day is when it was said, whatever was said.
_REPORTED_ON_RE = re.compile(
    r"\b(?:said|announced|told\s+(?:reporters|journalists|lawmakers|parliament|[A-Z]\w+)"
    r"|reported|declared|confirmed|warned|insisted|stated|acknowledged|revealed|disclosed)"
    r"\s+(?:on\s+)?(?:late\s+|early\s+)?$"
)
_SENTENCE_START_BY_RE = re.compile(
    r"(?:^|[.!?:\"“”]\s*|\n\s*)by\s+(?:late\s+|early\s+)?$", re.IGNORECASE
)


def narrative_by(ctx: Context, tense: str | None) -> bool:
    """'By Sunday, the toll had risen to 40': a past 'by' that marks story time, not a deadline."""
    if tense != PAST:
        return False
    clause = re.split(r"[.!?]\s", ctx.preceding)[-1]
    return bool(_SENTENCE_START_BY_RE.search(ctx.preceding) or re.search(r"\bhad\b", clause))


def _weekday_date(weekday: int, det: str, ctx: Context) -> tuple[dt.date, str]:
    dct = ctx.dct
    ahead = (weekday - dct.weekday()) % 7
    behind = (dct.weekday() - weekday) % 7
    if det in ("next", "this coming", "coming"):
        return dct + dt.timedelta(days=ahead or 7), "first such weekday after the DCT"
    if det in ("last", "this past", "past"):
        return dct - dt.timedelta(days=behind or 7), "latest such weekday before the DCT"
    if det in ("the previous", "the preceding", "the following"):
        # "down from the previous Friday": counted from the day last named, else from the DCT.
        anchor = ctx.anchor
        base = anchor.start if anchor is not None and anchor.granularity == "day" else dct
        if det == "the following":
            return base + dt.timedelta(days=(weekday - base.weekday()) % 7 or 7), "after that day"
        return base - dt.timedelta(days=(base.weekday() - weekday) % 7 or 7), "before that day"
    tense = ctx.tense()
    if _REPORTED_ON_RE.search(ctx.preceding):
        tense = PAST  # "The company said Monday it would close three plants."
    if det == "this":
        if tense == PAST and behind < ahead:
            return dct - dt.timedelta(days=behind), "this week's, already past"
        return dct + dt.timedelta(days=ahead), "this week's"
    if ahead == 0:
        return dct, "same weekday as the DCT (news style: the day of publication)"
    if (
        tense == FUTURE
        or (ctx.signal == "by" and not narrative_by(ctx, tense))
        or takes_effect(ctx)
    ):
        # "promised a decision by Friday": a "by" deadline lies ahead even in a past sentence.
        return dct + dt.timedelta(days=ahead), "next occurrence (future tense)"
    if tense == PRESENT and ctx.signal != "since":
        # "has until Friday to respond", "talks resume Monday"
        return dct + dt.timedelta(days=ahead), "next occurrence (present tense)"
    return dct - dt.timedelta(days=behind), "latest occurrence (past tense)"


def _weekday_with_day(weekday: int, day_n: int, near: dt.date, ctx: Context) -> dt.date | None:
    """'Friday the 13th': the nearest such date, ahead for the future and behind for the past,
    that falls on that weekday (searched over eight years)."""
    step = -1 if ctx.tense() == PAST else 1
    month = near.replace(day=1)
    for _ in range(12 * 8):
        day = D.safe_date(month.year, month.month, day_n)
        if day is not None and day.weekday() == weekday and (day - ctx.dct).days * step >= 0:
            return day
        month = D.add_months(month, step)
    return None


# Words that make a short weekday form a day: "on sat", "next wed", "by Fri", "from Mon".
_SHORT_WEEKDAY_LEAD_RE = re.compile(
    r"\b(?:on|next|last|this|coming|by|from|till|til|until|thru|through|every|before|after"
    r"|since|due|until|starting)\s+$",
    re.IGNORECASE,
)
# … or a range to another weekday after it: "Mon thru Fri", "Tue-Thu".
_SHORT_WEEKDAY_RANGE_RE = re.compile(
    r"\.?\s*(?:-|–|to|thru|through|till|until)\s*"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b",
    re.IGNORECASE,
)


_SHORT_WEEKDAY_RANGE_END_RE = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*(?:-|–|to|and|thru|through|till|until)\s*$",
    re.IGNORECASE,
)


def short_weekday_ok(word: str, ctx: Context) -> bool:
    """A three-letter weekday ("sun", "sat", "wed") is a day only where a day is expected:
    after a preposition or determiner that takes one, or at the start of a weekday range."""
    if word.lower().rstrip(".") not in SHORT_WEEKDAYS:
        return True
    if re.match(r"\s+[A-Z][a-z]", ctx.text_after):
        return False  # a name: "Sun Microsystems"
    return bool(
        _SHORT_WEEKDAY_LEAD_RE.search(ctx.preceding)
        or (word[:1].isupper() and _SHORT_WEEKDAY_RANGE_RE.match(ctx.text_after))
        or (word[:1].isupper() and _SHORT_WEEKDAY_RANGE_END_RE.search(ctx.preceding))
    )


def h_weekday(m: re.Match[str], ctx: Context) -> Resolution | None:
    if m["det"] is None and not short_weekday_ok(m["wd"], ctx):
        return None
    weekday = WEEKDAYS[m["wd"].lower().rstrip(".")]
    det = words_lower(m["det"])
    if m["wdrel"]:
        offset = {"next week": 7, "last week": -7, "this week": 0}[words_lower(m["wdrel"])]
        monday = D.week_bounds(ctx.dct)[0] + dt.timedelta(days=offset)
        day, how = monday + dt.timedelta(days=weekday), "weekday of the named week"
    else:
        day, how = _weekday_date(weekday, det, ctx)
    if m["wkafter"]:
        # British "Friday week" / "Thursday fortnight": the coming one, a week or two on.
        ahead = (weekday - ctx.dct.weekday()) % 7 or 7
        weeks = 1 if m["wkafter"].lower() == "week" else 2
        day = ctx.dct + dt.timedelta(days=ahead + 7 * weeks)
        how = f"a {m['wkafter'].lower()} after the coming {m['wd']}"
    if m["wdafter"]:
        # "Friday after next": the Friday a week after the coming one.
        ahead = (weekday - ctx.dct.weekday()) % 7 or 7
        back = (ctx.dct.weekday() - weekday) % 7 or 7
        after_next = "next" in m["wdafter"].lower()
        day = (
            ctx.dct + dt.timedelta(days=ahead + 7)
            if after_next
            else ctx.dct - dt.timedelta(days=back + 7)
        )
    if m["dom"]:
        day = _weekday_with_day(weekday, day_number(m["dom"]), day, ctx)
        if day is None:
            return None
    pod = m["pod"].lower() if m["pod"] else None
    if pod == "overnight":
        pod = "night"
    if m["ath3"]:
        return _at_hour(day, m["ath3"], m["atm3"], pod)
    # "Friday night" is 2025-04-18TNI as the TimeML guidelines and TimeBank write it (AQUAINT's
    # annotators often dropped the part of day; TBAQ is split 11 to 8).
    if pod:
        res = day_resolution(
            day, f"weekday ({how}) with part of day", type_="TIME", suffix="T" + POD_CODES[pod]
        )
        res.granularity = "part_of_day"
    else:
        res = day_resolution(day, f"weekday, {how}")
    return res


def h_weekend(m: re.Match[str], ctx: Context) -> Resolution | None:
    dct = ctx.dct
    det = words_lower(m["det"])
    monday = D.week_bounds(dct)[0]
    if m["after"]:
        # "the weekend after next" is two on from this one, like "the week after next".
        weeks = 2 if det == "the" else 1 + (det in ("next", "last"))
        monday += dt.timedelta(days=7 * weeks * (1 if "next" in m["after"].lower() else -1))
    elif det == "next":
        monday += dt.timedelta(days=7)
    elif det in ("last", "this past", "past"):
        monday -= dt.timedelta(days=7)
    elif ctx.tense() == PAST and dct.weekday() < 5:
        monday -= dt.timedelta(days=7)  # "over the weekend" in a past-tense sentence
    saturday = monday + dt.timedelta(days=5)
    sunday = saturday + D.ONE_DAY
    value = D.iso_week_value(saturday) + "-WE"
    return Resolution("DATE", value, "weekend", saturday, sunday, description="weekend")


UNIT_GRANULARITY = {
    "week": "week",
    "month": "month",
    "year": "year",
    "quarter": "quarter",
    "decade": "decade",
    "century": "century",
}


def period_for(unit: str, base: dt.date, offset: int) -> tuple[str, dt.date, dt.date, Anchor]:
    """Value, start, end of the week/month/quarter/year `offset` units from the one holding base."""
    if unit == "week":
        monday = D.week_bounds(base)[0] + dt.timedelta(days=7 * offset)
        return (
            D.iso_week_value(monday),
            monday,
            monday + dt.timedelta(days=6),
            Anchor("week", monday),
        )
    if unit == "month":
        first = D.add_months(base.replace(day=1), offset)
        start, end = D.month_bounds(first.year, first.month)
        return f"{first.year}-{first.month:02d}", start, end, Anchor("month", start)
    if unit == "quarter":
        year, quarter = D.shift_quarter(base.year, D.quarter_of(base), offset)
        start, end = D.quarter_bounds(year, quarter)
        return f"{year}-Q{quarter}", start, end, Anchor("quarter", start, (year, quarter))
    if unit == "decade":
        decade = (base.year // 10 + offset) * 10
        return (
            str(decade // 10),
            dt.date(decade, 1, 1),
            dt.date(decade + 9, 12, 31),
            Anchor("decade", dt.date(decade, 1, 1)),
        )
    if unit == "century":
        century = base.year // 100 + offset
        return (
            f"{century:02d}",
            dt.date(century * 100, 1, 1),
            dt.date(century * 100 + 99, 12, 31),
            Anchor("century", dt.date(century * 100, 1, 1)),
        )
    year = base.year + offset
    return (
        f"{year}",
        dt.date(year, 1, 1),
        dt.date(year, 12, 31),
        Anchor("year", dt.date(year, 1, 1)),
    )


def _season_for(code: str, det: str, ctx: Context, year: int | None = None) -> tuple[int, str]:
    """Season year for 'this/next/last/the <season>' relative to the DCT (northern hemisphere)."""
    dct = ctx.dct
    if year is not None:
        return year, "season of the named year"
    this_year = dct.year if not (code == "WI" and dct.month <= 2) else dct.year - 1
    start, end = D.season_year_bounds(this_year, code)
    if det in ("next", "this coming", "coming"):
        return (this_year if start > dct else this_year + 1), "next such season to start"
    if det in ("last", "this past", "past"):
        return (this_year if end < dct else this_year - 1), "latest such season to end"
    if det == "this":
        return this_year, "this year's"
    tense = ctx.tense()
    if start <= dct <= end:
        return this_year, "the current season"
    if tense == PAST or (tense is None and ctx.signal not in ("by", "until", "before", "in")):
        return (this_year if end < dct else this_year - 1), "latest such season (past tense)"
    return (this_year if start > dct else this_year + 1), "next such season (future tense)"


def _season_resolution(
    year: int, code: str, position: str | None, how: str, ctx: Context
) -> Resolution:
    start, end = D.season_year_bounds(year, code)
    start, end, mod = apply_position(position, "season", start, end, ctx.dct)
    met_end = D.season_end_window(year, code)[0]  # the extent is meteorological: March … May
    res = Resolution(
        "DATE",
        f"{year}-{code}",
        "season",
        start,
        end,
        mod=mod,
        vague=True,
        description=f"{SEASON_NAMES[code]} ({how})",
        position=position,
    )
    res.extra["season"] = (year, code)
    if position is None:
        res.extent = (start, met_end)
    return res


def h_relperiod(m: re.Match[str], ctx: Context) -> Resolution | None:
    unit = {"wk": "week"}.get(m["unit"].lower(), m["unit"].lower())
    det = words_lower(m["det"])
    position = _position(m)
    if not position and not det.startswith("the") and re.match(r"the\s", m.group(0), re.I):
        det = "the " + det  # the optional article before the position swallowed it
    if det == "the new":
        return None  # "the new year" is its own rule
    if det == "the" and not m["after"]:
        if unit in SEASONS or (unit in ("decade", "century") and not position):
            return None
        if re.match(r"\s*(?:ended|ending|that\s+ended|through|to\s+date)\b", ctx.text_after):
            res = Resolution(
                "DURATION",
                duration_value(1, unit_key(unit)),
                None,
                description=f"a {unit}, as a duration",
            )
            return res
    if unit in SEASONS:
        year, how = _season_for(SEASONS[unit], det, ctx)
        return _season_resolution(year, SEASONS[unit], position, how, ctx)
    if (
        unit == "decade"
        and det.removeprefix("the ") in ("next", "coming", "past", "last")
        and m.group(0).lower().startswith("the ")
        and ctx.signal in ("over", "within", "for", "during")
    ):
        # "over the next decade" is ten years counted from the DCT, not the 2030s.
        ahead = det.removeprefix("the ") in ("next", "coming")
        res = Resolution("DURATION", "P10Y", None, description=f"{det} ten years")
        if ahead:
            res.ref_start, res.ref_end = ctx.dct, D.add_years(ctx.dct, 10)
            res.direction, res.window_rule = FUTURE, "within"
        else:
            res.ref_start, res.ref_end = D.add_years(ctx.dct, -10), ctx.dct
            res.direction = PAST
        return res
    offset = relative_offset(det)
    base = ctx.dct
    if det == "the next" and ctx.anchor is not None and ctx.tense() == PAST:
        det = "the following"  # "arrested in May 2011 and released the next month"
    if det in ("the same",) or (
        det in ("the following", "the previous", "the preceding") and ctx.anchor is not None
    ):
        if ctx.anchor is None:
            return None
        base = ctx.anchor.start
        offset = {"the same": 0, "the following": 1}.get(det, -1)
    if offset is None:
        return None
    after = words_lower(m["after"])
    if after == "after next":
        offset = 2
    elif after == "before last":
        offset = -2
    value, start, end, anchor = period_for(unit, base, offset)
    start, end, mod = apply_position(position, UNIT_GRANULARITY[unit], start, end, ctx.dct)
    if position == "mid" and unit == "week":
        mod = "MID"
    res = Resolution(
        "DATE",
        value,
        UNIT_GRANULARITY[unit],
        start,
        end,
        mod=mod,
        vague=mod in ("START", "MID") or position in ("late", "mid"),
        description=f"{m.group(0).strip().lower()}",
        anchor=anchor,
        position=position,
    )
    if position in ("earlier",) and start <= ctx.dct <= end:
        res.direction = PAST
    if position in ("later", "the rest of", "the remainder of") and start <= ctx.dct <= end:
        res.direction = FUTURE
    return res


def h_season(m: re.Match[str], ctx: Context) -> Resolution | None:
    code = SEASONS[m["season"].lower()]
    det = words_lower(m["det"])
    if not det and re.match(r"the\s", m.group(0), re.I):
        det = "the"  # the optional article before the position swallowed it
    position = _position(m) or (words_lower(m["pos2"]) or None)
    has_context = (
        det
        or position
        or m["year"]
        or m["syear"]
        or m["yrel"]
        or ctx.signal
        in ("in", "by", "until", "before", "during", "since", "through", "over", "after", "from")
    )
    if not has_context:
        return None
    if m["season"].lower() == "fall" and not (det or m["year"] or m["yrel"] or position):
        return None
    if (
        m["season"].lower() == "fall"
        and det == "the"
        and not (m["year"] or m["yrel"] or position)
        and (
            ctx.signal not in ("in", "by", "until", "during", "before", "since", "through")
            or re.match(r"\s+(?:of|in)\b", ctx.text_after)
        )
    ):
        return None  # "the fall of the wall", "after the fall in prices": a drop, not autumn
    year = year_from_text(m["year"]) if m["year"] else None  # "summer '26" too
    if m["syear"]:
        year = parse_spelled_year(words_lower(m["syear"]))
    if m["yrel"]:
        year = ctx.dct.year + (relative_offset(words_lower(m["yrel"]).replace(" year", "")) or 0)
    season_year, how = _season_for(code, det, ctx, year)
    return _season_resolution(season_year, code, position, how, ctx)


def h_recess(m: re.Match[str], ctx: Context) -> Resolution | None:
    """'before the summer recess': the days a legislature usually rises (vague)."""
    name = m["which"] or m["which2"]
    kind = name.lower()
    if (
        kind in ("winter", "holiday", "spring", "summer", "christmas", "easter")
        and m.group(0).lower().endswith("break")
        and not ctx.signal
    ):
        return None  # "a summer break" in a travel story is no deadline
    dct = ctx.dct
    past = ctx.tense() == PAST and ctx.signal not in ("by", "before", "until")
    year = dct.year
    low, high = D.recess_window(kind, year)
    if past and low > dct:
        year -= 1
    elif not past and high < dct:
        year += 1
    low, high = D.recess_window(kind, year)
    res = Resolution(
        "DATE",
        f"{low.year}-{low.month:02d}",
        "recess",
        low,
        high,
        vague=True,
        description=f"the {name} recess (usually {D.fmt_day(low)} … {D.fmt_day(high)})",
    )
    res.earliest, res.latest = low, high
    res.direction = PAST if past else FUTURE
    return res


def h_spelled_year(m: re.Match[str], ctx: Context) -> Resolution | None:
    year = parse_spelled_year(words_lower(m["y"] or m["y2"]))
    if year is None:
        return None
    return year_resolution(year, None, ctx, "year written in words")


_ABBREVIATED_ENDS = {
    "eod": "end of day",
    "cob": "close of business",
    "eob": "end of business",
    "eom": "end of month",
    "eoq": "end of the quarter",
    "eoy": "end of the year",
    "eow": "end of the week",
}


# Other ways to write the end of the current period ("by year's end", "end of week").
_END_SYNONYMS = {
    "end of week": "end of the week",
    "end of quarter": "end of the quarter",
    "year's end": "end of the year",
}


def h_new_year(m: re.Match[str], ctx: Context) -> Resolution | None:
    word = words_lower(m["word"])
    word = _END_SYNONYMS.get(word.replace("’", "'"), word)
    dct = ctx.dct
    if word in _ABBREVIATED_ENDS:
        if not m["word"].isupper():
            return None  # "cob" is a horse, "eom" nothing: only the capitalised abbreviation
        return _period_end(_ABBREVIATED_ENDS[word], dct)
    if word in ("the new year",) and ctx.signal in ("by", "before", "until"):
        end = dt.date(dct.year, 12, 31)
        return Resolution(
            "DATE", str(dct.year), "year", end, end, mod="END", description="by the new year"
        )
    if word in ("the new year",):
        tense = ctx.tense()
        # Ahead: the next calendar year (in January still this one); in a past sentence, the
        # start of the year the DCT is in.
        year = dct.year if (dct.month == 1 or tense == PAST) else dct.year + 1
        start, end = dt.date(year, 1, 1), dt.date(year, 3, 31)
        res = Resolution(
            "DATE",
            str(year),
            "year",
            start,
            end,
            mod="START",
            vague=True,
            description="early in the next calendar year",
        )
        res.earliest, res.latest = dt.date(year, 1, 31), dt.date(year, 3, 31)
        res.direction = FUTURE if start > dct else None
        return res
    if word == "the turn of the year":
        year = dct.year if dct.month >= 7 else dct.year - 1
        end = dt.date(year, 12, 31)
        return Resolution(
            "DATE", str(year), "year", end, end, mod="END", description="the turn of the year"
        )
    if word.endswith(("day", "business", "play")) and (
        ctx.signal in ("at", "to", "of", "from") or re.search(r"\bat\s+$", ctx.preceding)
    ):
        return None  # "At the end of the day" is an idiom, not a deadline
    return _period_end(word, dct)


def _period_end(word: str, dct: dt.date) -> Resolution:
    """The end of the DCT's day, week, month or year ("EOD", "by close of business", "EOM")."""
    if word.endswith(("day", "business", "play")):
        # "by the end of the day", "by close of business": the DCT's own day (or the day named
        # right after it).
        res = day_resolution(dct, "the end of the DCT's day")
        res.mod = "END"
        res.extra["clock"] = ""  # joins a day named next to it, like a clock time
        return res
    if "month" in word:
        end = D.month_bounds(dct.year, dct.month)[1]
        return Resolution(
            "DATE",
            f"{dct.year}-{dct.month:02d}",
            "month",
            D.last_working_day(end),
            end,
            mod="END",
            description="end of the current month",
        )
    if word == "end of the quarter":
        year, quarter = dct.year, D.quarter_of(dct)
        end = D.quarter_bounds(year, quarter)[1]
        return Resolution(
            "DATE",
            f"{year}-Q{quarter}",
            "quarter",
            D.last_working_day(end),
            end,
            mod="END",
            description="end of the current quarter",
        )
    if word == "end of the week":
        monday, sunday = D.week_bounds(dct)
        friday = monday + dt.timedelta(days=4)
        return Resolution(
            "DATE",
            D.iso_week_value(monday),
            "week",
            max(friday, dct),
            sunday,
            mod="END",
            description="end of the current week",
        )
    end = dt.date(dct.year, 12, 31)
    if word == "end of the year":
        return Resolution(
            "DATE", str(dct.year), "year", end, end, mod="END", description="end of the year"
        )
    return Resolution(
        "DATE", f"{end.isoformat()}", "day", end, end, description="end of the current year"
    )


_US_FEDERAL_RE = re.compile(
    r"\b(?:Congress|congressional|federal|Pentagon|Senate|House|appropriat\w*|White\s+House"
    r"|lawmakers|Treasury|spending\s+bills?|shutdown|Medicare|Medicaid|IRS)\b"
)


def _us_federal(ctx: Context) -> bool:
    """A fiscal year in a sentence about the US government: 1 October – 30 September."""
    sentence = re.split(r"[.!?]\s", ctx.preceding)[-1] + " " + ctx.text_after.split(". ")[0]
    return _US_FEDERAL_RE.search(sentence) is not None


def h_fiscal_year(m: re.Match[str], ctx: Context) -> Resolution | None:
    british = words_lower(m["kind"]) == "financial"  # the UK government's year: 1 April – 31 March
    federal = bool(m["federal"]) or (not british and _us_federal(ctx))
    det = words_lower(m["det"])
    dct = ctx.dct
    if m["year"]:
        year = int(m["year"])
    else:
        if federal:
            current = dct.year + 1 if dct.month >= 10 else dct.year
        elif british:
            current = dct.year + 1 if dct.month >= 4 else dct.year
        else:
            current = dct.year
        offset = relative_offset(det) if det not in ("its", "the") else 0
        year = current + (offset or 0)
    if british and not federal:
        start, end = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
        value, desc = (
            f"FY{year}",
            f"financial year {year - 1}/{year % 100:02d} (1 Apr {year - 1} – 31 Mar {year})",
        )
    elif federal:
        start, end = dt.date(year - 1, 10, 1), dt.date(year, 9, 30)
        value, desc = (
            f"FY{year}",
            f"US federal fiscal year {year} (1 Oct {year - 1} – 30 Sep {year})",
        )
    else:
        start, end = D.year_bounds(year)
        value, desc = str(year), "fiscal year (calendar year assumed)"
    position = _position(m)
    mod = None
    if position in ("the end of", "end", "the close of"):
        start, mod = end, "END"
    elif position:
        start, end, mod = apply_position(position, "year", start, end, dct)
    if not m["year"] and ctx.text_after.lstrip().lower().startswith(
        ("ended", "ending", "that ended")
    ):
        return Resolution("DURATION", "P1Y", None, description="a fiscal year, as a duration")
    return Resolution(
        "DATE",
        value,
        "year",
        start,
        end,
        mod=mod,
        vague=not (federal or british) and not m["year"],
        description=desc,
    )
