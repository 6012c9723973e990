"""Holidays and observances, civic and religious: names, dates, and "this/next/last" (pure).

Dates come from well-kept calendars rather than tables of our own: `holidays` (US federal
holidays, Diwali from the Indian calendar, the Chinese New Year), `hijridate` (the Umm al-Qura
Hijri calendar: Ramadan and the two Eids), `convertdate` (the Hebrew calendar: Rosh Hashanah,
Yom Kippur, Hanukkah, Passover) and `dateutil.easter` (Western Easter and the days keyed to
it). Days fixed by a rule ("the second Sunday in May") are computed here.

An observance is a period `(first, last)`: one day for most, Ramadan's month and Hanukkah's
eight days for others. A year a calendar does not cover gives None, never an exception.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable
from functools import lru_cache

from dateutil.easter import easter

from claims.temporal import dates as D
from claims.temporal.lexicon import YEAR
from claims.temporal.resolve import (
    PAST,
    Context,
    Resolution,
    day_resolution,
    narrative_by,
    refuse_absurd_year,
    words_lower,
)

Period = tuple[dt.date, dt.date]

# Name in text (regular expression) -> key. Longer names first: "Christmas Eve" before
# "Christmas". Names that are also ordinary words ("may day", "election day") must be
# capitalised in the text; the others are read in any case ("christmas", "ramadan").
NAMES: tuple[tuple[str, str], ...] = (
    (r"new\s+year's\s+eve|new\s+years\s+eve|nye", "new_years_eve"),
    (
        r"new\s+year's\s+day|new\s+year's|new\s+years\s+day|(?<!lunar\s)(?<!chinese\s)new\s+year(?!')",
        "new_years_day",
    ),
    (r"christmas\s+eve|xmas\s+eve", "christmas_eve"),
    (r"christmas\s+day|christmas|xmas", "christmas"),
    (r"boxing\s+day", "boxing_day"),
    (r"easter\s+monday", "easter_monday"),
    (r"good\s+friday", "good_friday"),
    (r"holy\s+saturday", "holy_saturday"),
    (r"palm\s+sunday", "palm_sunday"),
    (r"ash\s+wednesday", "ash_wednesday"),
    (r"easter\s+sunday|easter", "easter"),
    (r"pentecost|whitsun(?:day)?", "pentecost"),
    (r"ascension\s+day", "ascension"),
    (r"black\s+friday", "black_friday"),
    (r"cyber\s+monday", "cyber_monday"),
    (r"thanksgiving(?:\s+day)?", "thanksgiving"),
    (r"memorial\s+day", "memorial_day"),
    (r"labou?r\s+day", "labor_day"),
    (r"martin\s+luther\s+king(?:\s+jr\.?)?(?:'s)?\s+day|mlk\s+day", "mlk_day"),
    (r"presidents'?\s+day|president's\s+day|washington's\s+birthday", "presidents_day"),
    (r"columbus\s+day|indigenous\s+peoples'?\s+day", "columbus_day"),
    (r"mother's\s+day|mothers'?\s+day", "mothers_day"),
    (r"father's\s+day|fathers'?\s+day", "fathers_day"),
    (r"independence\s+day|the\s+fourth\s+of\s+july|july\s+fourth|july\s+4th", "independence_day"),
    (r"veterans'?\s+day", "veterans_day"),
    (r"hallowe'?en", "halloween"),
    (r"valentine's\s+day|valentines\s+day|st\.?\s+valentine's\s+day", "valentines_day"),
    (r"st\.?\s+patrick's\s+day|saint\s+patrick's\s+day|st\.?\s+paddy's\s+day", "st_patricks_day"),
    (r"may\s+day", "may_day"),
    (r"bastille\s+day", "bastille_day"),
    (r"juneteenth", "juneteenth"),
    (r"election\s+day", "election_day"),
    (r"(?:the\s+)?(?:holy\s+month\s+of\s+)?ramadan|ramadhan|ramazan", "ramadan"),
    (r"eid\s+al[-\s]fitr|eid\s+ul[-\s]fitr|eid-ul-fitr|eid\s+el[-\s]fitr", "eid_al_fitr"),
    (
        r"eid\s+al[-\s]adha|eid\s+ul[-\s]adha|eid-ul-adha|eid\s+el[-\s]adha|bakri\s+eid",
        "eid_al_adha",
    ),
    (r"diwali|deepavali|divali", "diwali"),
    (r"hanukkah|chanukah|hanukah|chanukkah", "hanukkah"),
    (r"chinese\s+new\s+year|lunar\s+new\s+year|the\s+spring\s+festival", "chinese_new_year"),
    (r"rosh\s+hashanah|rosh\s+hashana|rosh\s+hashonah", "rosh_hashanah"),
    (r"yom\s+kippur", "yom_kippur"),
    (r"passover|pesach", "passover"),
)
# Keys whose names are never ordinary words: read in lower case too.
ANY_CASE = frozenset(
    {
        "christmas",
        "christmas_eve",
        "easter",
        "halloween",
        "thanksgiving",
        "valentines_day",
        "st_patricks_day",
        "ramadan",
        "eid_al_fitr",
        "eid_al_adha",
        "diwali",
        "hanukkah",
        "rosh_hashanah",
        "yom_kippur",
        "passover",
        "juneteenth",
        "new_years_eve",
        "chinese_new_year",
        "mlk_day",
    }
)
# The grammar fragment: every name, longest alternatives kept first within each entry.
HOLIDAY_NAME = "(?:" + "|".join(pattern for pattern, _ in NAMES) + ")"
NAME_RES = tuple((re.compile(rf"(?:{pattern})$", re.IGNORECASE), key) for pattern, key in NAMES)
TRIGGERS = (
    "christmas xmas easter thanksgiving new boxing good holy palm ash pentecost whitsun "
    "whitsunday ascension memorial labor labour martin mlk presidents president washington "
    "columbus indigenous mother mothers father fathers independence fourth july veterans "
    "veteran halloween hallowe valentine valentines patrick paddy may bastille juneteenth "
    "election black cyber ramadan ramadhan ramazan eid bakri diwali deepavali divali hanukkah "
    "chanukah hanukah chanukkah chinese lunar spring rosh yom passover pesach nye"
)
# "this Christmas", "next Ramadan", "last year's Diwali", "Easter 2027".
DETERMINER = (
    r"this\s+year's|last\s+year's|next\s+year's|this\s+coming|this\s+past|this|next|last"
    r"|coming|past"
)
PATTERN = rf"""(?:(?P<det>{DETERMINER})\s+)?(?P<name>{HOLIDAY_NAME})(?!\w)
    (?:\s+(?P<part>weekend|week)(?!\w))?
    (?:,?\s+(?:of\s+|in\s+)?(?P<year>{YEAR})(?![\w%]))?"""

# Holidays that open a longer break: "by <holiday>" accepts the start of the break.
BREAK_START = {"easter": -2, "christmas": -1, "thanksgiving": -1, "new_years_day": -1}


def key_for(name: str) -> str | None:
    """The key of a holiday name as written ("Eid ul-Fitr" -> "eid_al_fitr")."""
    cleaned = re.sub(r"\s+", " ", name.strip()).replace("’", "'")
    return next((key for regex, key in NAME_RES if regex.match(cleaned)), None)


# --- the calendars ---------------------------------------------------------------------------


def _fixed(month: int, day: int) -> Callable[[int], Period | None]:
    return lambda year: (dt.date(year, month, day),) * 2


def _nth(month: int, weekday: int, n: int, days_after: int = 0) -> Callable[[int], Period | None]:
    def period(year: int) -> Period:
        day = D.nth_weekday(year, month, weekday, n) + dt.timedelta(days=days_after)
        return day, day

    return period


def _easter(days_after: int) -> Callable[[int], Period | None]:
    def period(year: int) -> Period:
        day = easter(year) + dt.timedelta(days=days_after)
        return day, day

    return period


@lru_cache(maxsize=256)
def _country_days(country: str, year: int) -> tuple[tuple[dt.date, str], ...]:
    """(date, name) of a country's public holidays in `year`, from the `holidays` package."""
    import holidays as calendars  # leaf: the package builds its country classes on import

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "available only from 2001 to 2035": we check below
        table = calendars.country_holidays(country, years=year, observed=False)
        return tuple(sorted(table.items()))


def _named(country: str, fragment: str) -> Callable[[int], Period | None]:
    """The first day of `country`'s holiday whose name contains `fragment`."""

    def period(year: int) -> Period | None:
        days = [day for day, name in _country_days(country, year) if name.startswith(fragment)]
        return (days[0], days[0]) if days else None

    return period


def _hijri(month: int, day: int, *, whole_month: bool = False) -> Callable[[int], Period | None]:
    """A Hijri (Umm al-Qura) date, or a whole Hijri month, falling in Gregorian `year`."""

    def period(year: int) -> Period | None:
        from hijridate import Hijri  # leaf

        for hijri_year in (year - 580, year - 579, year - 578):
            try:
                start = Hijri(hijri_year, month, day).to_gregorian()
                first = dt.date(start.year, start.month, start.day)
                last_day = first
                if whole_month:
                    length = Hijri(hijri_year, month, 1).month_length()
                    last_day = first + dt.timedelta(days=length - day)
            except (OverflowError, ValueError):
                continue
            if first.year == year:
                return first, last_day
        return None

    return period


def _hebrew(name: str, days: int = 1) -> Callable[[int], Period | None]:
    """A Hebrew-calendar observance (its first full day) from `convertdate`."""

    def period(year: int) -> Period | None:
        from convertdate import holidays as hebrew  # leaf

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # its own month_days call
                first = dt.date(*getattr(hebrew, name)(year))
        except (OverflowError, ValueError, TypeError):
            return None
        return first, first + dt.timedelta(days=days - 1)

    return period


def _us_election_day(year: int) -> Period:
    day = D.nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)  # Tuesday after 1st Monday
    return day, day


CALENDAR: dict[str, Callable[[int], Period | None]] = {
    "new_years_day": _fixed(1, 1),
    "new_years_eve": _fixed(12, 31),
    "christmas": _fixed(12, 25),
    "christmas_eve": _fixed(12, 24),
    "boxing_day": _fixed(12, 26),
    "halloween": _fixed(10, 31),
    "valentines_day": _fixed(2, 14),
    "st_patricks_day": _fixed(3, 17),
    "may_day": _fixed(5, 1),
    "bastille_day": _fixed(7, 14),
    "independence_day": _named("US", "Independence Day"),
    "juneteenth": _named("US", "Juneteenth"),
    "veterans_day": _named("US", "Veterans Day"),
    "thanksgiving": _named("US", "Thanksgiving"),
    "memorial_day": _named("US", "Memorial Day"),
    "labor_day": _named("US", "Labor Day"),
    "mlk_day": _named("US", "Martin Luther King"),
    "presidents_day": _named("US", "Washington's Birthday"),
    "columbus_day": _named("US", "Columbus Day"),
    "black_friday": _nth(11, 3, 4, days_after=1),
    "cyber_monday": _nth(11, 3, 4, days_after=4),
    "mothers_day": _nth(5, 6, 2),  # US and most of the world; the UK's moves with Lent
    "fathers_day": _nth(6, 6, 3),
    "election_day": _us_election_day,
    "easter": _easter(0),
    "good_friday": _easter(-2),
    "holy_saturday": _easter(-1),
    "easter_monday": _easter(1),
    "palm_sunday": _easter(-7),
    "ash_wednesday": _easter(-46),
    "ascension": _easter(39),
    "pentecost": _easter(49),
    "ramadan": _hijri(9, 1, whole_month=True),
    "eid_al_fitr": _hijri(10, 1),
    "eid_al_adha": _hijri(12, 10),
    "diwali": _named("IN", "Diwali"),
    "chinese_new_year": _named("CN", "Chinese New Year (Spring Festival)"),
    "rosh_hashanah": _hebrew("rosh_hashanah"),
    "yom_kippur": _hebrew("yom_kippur"),
    "hanukkah": _hebrew("hanukkah", days=8),
    "passover": _hebrew("passover", days=8),
}


@lru_cache(maxsize=2048)
def observance(key: str, year: int) -> Period | None:
    """(first, last) day of the holiday in Gregorian `year`, or None where no calendar knows."""
    if not 1583 <= year <= 9998:
        return None
    try:
        return CALENDAR[key](year)
    except (OverflowError, ValueError, KeyError, NotImplementedError):
        return None


def occurrence(key: str, dct: dt.date, which: str) -> Period | None:
    """The occurrence meant relative to the DCT.

    `which`: "next" (first to start after the DCT), "last" (latest to end before it), "this"
    (the DCT's year's), "upcoming" (the one under way or next to come) or "latest" (the one
    under way or the latest before it).
    """
    if which == "this":
        return observance(key, dct.year)
    years = (dct.year - 1, dct.year, dct.year + 1)
    periods = [p for p in (observance(key, y) for y in years) if p is not None]
    if which == "next":
        return next((p for p in periods if p[0] > dct), None)
    if which == "upcoming":
        return next((p for p in periods if p[1] >= dct), None)
    if which == "last":
        return next((p for p in reversed(periods) if p[1] < dct), None)
    return next((p for p in reversed(periods) if p[0] <= dct), None)


_WHICH = {
    "next": "next",
    "this coming": "next",
    "coming": "next",
    "last": "last",
    "this past": "last",
    "past": "last",
    "this": "this",
    "this year's": "this",
}


def _which(det: str, ctx: Context, key: str) -> str:
    """Which occurrence a holiday without a year means: its determiner, else the tense."""
    if det in _WHICH:
        return _WHICH[det]
    tense = ctx.tense()
    if ctx.signal == "since":
        return "latest"
    if tense == PAST and not (
        ctx.signal in ("by", "before", "until") and not narrative_by(ctx, tense)
    ):
        return "latest"
    return "upcoming"


def h_holiday(m: re.Match[str], ctx: Context) -> Resolution | None:
    """A named holiday: the date (or first day) of the occurrence meant, its days as extent."""
    written = m["name"]
    key = key_for(written)
    if key is None:
        return None
    capitalised = (
        written[0].isupper()
        or words_lower(written).startswith("the ")
        # a possessive name, apostrophe typed or not: "new year's day", "mothers day"
        or re.search(r"(?:['’]s?|s['’]?)\s+day$|\seve$", written.lower()) is not None
    )
    if key not in ANY_CASE and not capitalised:
        return None
    det = words_lower(m["det"])
    if not m["year"]:
        refuse_absurd_year(ctx)  # "Christmas 9999" is ignored, not read as this Christmas
    if m["year"]:
        period = observance(key, int(m["year"]))
    elif det in ("last year's", "next year's"):
        period = observance(key, ctx.dct.year + (1 if det.startswith("next") else -1))
    else:
        which = _which(det, ctx, key)
        if which == "latest" and m["part"] and _part_under_way(key, m["part"].lower(), ctx.dct):
            which = "upcoming"  # "as Easter week began": the week is this one, Easter to come
        period = occurrence(key, ctx.dct, which)
    if period is None:
        return None
    first, last = period
    if m["part"]:
        return _around(first, last, m["part"].lower(), written, key)
    res = day_resolution(first, f"{written} (from the calendar)")
    res.ref_end = last
    if last > first:
        res.granularity = "days"
    res.extra["holiday"] = key
    return res


def _part_under_way(key: str, part: str, dct: dt.date) -> bool:
    """The week or weekend around the coming occurrence has already begun on the DCT."""
    coming = occurrence(key, dct, "upcoming")
    if coming is None:
        return False
    around = _around(coming[0], coming[1], part, key, key)
    return around.ref_start <= dct <= around.ref_end


def _around(first: dt.date, last: dt.date, part: str, written: str, key: str) -> Resolution:
    """'Memorial Day weekend', 'Easter weekend', 'Christmas week': the weekend the holiday
    makes long (Friday to Monday holidays), or the ISO week that holds it."""
    if part == "week":
        monday = D.week_bounds(first)[0]
        res = Resolution(
            "DATE",
            D.iso_week_value(monday),
            "week",
            monday,
            monday + dt.timedelta(days=6),
            description=f"the week of {written}",
        )
    else:
        # Monday to Wednesday holidays lean on the weekend before, the others on the one after.
        saturday = D.week_bounds(first)[0] + dt.timedelta(days=5)
        if first.weekday() <= 2:
            saturday -= dt.timedelta(days=7)
        start, end = min(first, saturday), max(last, saturday + D.ONE_DAY)
        res = Resolution(
            "DATE",
            f"{D.iso_week_value(saturday)}-WE",
            "weekend",
            start,
            end,
            description=f"the {written} weekend",
        )
    res.extra["holiday_part"] = key
    return res
