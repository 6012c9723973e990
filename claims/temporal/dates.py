"""Pure calendar arithmetic for the temporal normaliser: weeks, months, seasons, holidays."""

from __future__ import annotations

import calendar
import datetime as dt

from dateutil.relativedelta import relativedelta

ONE_DAY = dt.timedelta(days=1)
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Meteorological and astronomical season bounds (northern hemisphere), as (month, day).
# Astronomical dates vary by a day or two from year to year; these are the usual ones.
SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASON_ASTRO_START = {"SP": (3, 20), "SU": (6, 21), "FA": (9, 22), "WI": (12, 21)}
SEASON_ASTRO_END = {"SP": (6, 20), "SU": (9, 21), "FA": (12, 20), "WI": (3, 19)}


def fmt_day(day: dt.date) -> str:
    """'Fri 25 Apr 2025': the short form used in rule sentences."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day.strftime('%b')} {day.year}"


def add_days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


def add_months(day: dt.date, n: int) -> dt.date:
    return day + relativedelta(months=n)


def add_years(day: dt.date, n: int) -> dt.date:
    return day + relativedelta(years=n)


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """A date, or None when the triple is not on the calendar (31 April, 29 Feb 2025)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first_month = 3 * (quarter - 1) + 1
    return dt.date(year, first_month, 1), month_bounds(year, first_month + 2)[1]


def half_bounds(year: int, half: int) -> tuple[dt.date, dt.date]:
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def shift_quarter(year: int, quarter: int, n: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + n
    return index // 4, index % 4 + 1


def iso_week_monday(year: int, week: int) -> dt.date:
    return dt.date.fromisocalendar(year, week, 1)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week that holds `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def iso_week_value(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def last_working_day(day: dt.date) -> dt.date:
    """`day`, or the Friday before it when it falls on a weekend."""
    while day.weekday() >= 5:
        day -= ONE_DAY
    return day


def season_year_bounds(year: int, season: str) -> tuple[dt.date, dt.date]:
    """The widest reading of a season: meteorological start … astronomical end.

    Winter YYYY-WI starts in December of YYYY and ends in March of YYYY+1.
    """
    start_month = SEASON_MONTHS[season]
    start = dt.date(year, start_month, 1)
    end_month, end_day = SEASON_ASTRO_END[season]
    end_year = year + 1 if season == "WI" else year
    return start, dt.date(end_year, end_month, end_day)


def season_start_window(year: int, season: str) -> tuple[dt.date, dt.date]:
    """Window for 'by the <season>': day before meteorological start … astronomical start."""
    start_month = SEASON_MONTHS[season]
    astro_month, astro_day = SEASON_ASTRO_START[season]
    return dt.date(year, start_month, 1) - ONE_DAY, dt.date(year, astro_month, astro_day)


def season_end_window(year: int, season: str) -> tuple[dt.date, dt.date]:
    """Deadline window for an event inside a season: meteorological end … astronomical end."""
    start_month = SEASON_MONTHS[season]
    end_year = year + 1 if season == "WI" else year
    met_end_month = (start_month + 2 - 1) % 12 + 1
    met_end = month_bounds(end_year, met_end_month)[1]
    astro_month, astro_day = SEASON_ASTRO_END[season]
    return met_end, dt.date(end_year, astro_month, astro_day)


def season_of(day: dt.date) -> tuple[int, str]:
    """Meteorological season holding `day` as (season year, code); Jan/Feb are last winter's."""
    if day.month in (3, 4, 5):
        return day.year, "SP"
    if day.month in (6, 7, 8):
        return day.year, "SU"
    if day.month in (9, 10, 11):
        return day.year, "FA"
    return (day.year if day.month == 12 else day.year - 1), "WI"


def easter_sunday(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday by the anonymous Gregorian computus."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th `weekday` (0 = Monday) of a month; n = -1 is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        offset = (weekday - first.weekday()) % 7
        return first + dt.timedelta(days=offset + 7 * (n - 1))
    last = month_bounds(year, month)[1]
    offset = (last.weekday() - weekday) % 7
    return last - dt.timedelta(days=offset)


def last_friday_before(day: dt.date) -> dt.date:
    """The last Friday strictly before `day`."""
    offset = (day.weekday() - 4) % 7 or 7
    return day - dt.timedelta(days=offset)


def shift(day: dt.date, unit: str, n: int) -> dt.date:
    if unit == "D":
        return day + dt.timedelta(days=n)
    if unit == "W":
        return day + dt.timedelta(days=7 * n)
    if unit == "FN":
        return day + dt.timedelta(days=14 * n)
    if unit == "M":
        return add_months(day, n)
    if unit == "Q":
        return add_months(day, 3 * n)
    if unit == "Y":
        return add_years(day, n)
    if unit == "E":
        return add_years(day, 10 * n)
    if unit == "C":
        return add_years(day, 100 * n)
    if unit == "L":
        return add_years(day, 1000 * n)
    return day


def recess_window(kind: str, year: int) -> tuple[dt.date, dt.date]:
    """When a legislature usually breaks ("before the summer recess"): a judgement window.

    Westminster and Congress both rise in the second half of July (summer, "August"), the week
    before Christmas, about a week before Easter (the Easter recess), before the late-May bank
    holiday (Whitsun / spring) and in mid-September (party conferences, UK).
    """
    if kind in ("summer", "august"):
        return dt.date(year, 7, 18), dt.date(year, 7, 31)
    if kind in ("christmas", "winter", "holiday"):
        return dt.date(year, 12, 16), dt.date(year, 12, 22)
    if kind == "easter":
        easter = easter_sunday(year)
        return easter - dt.timedelta(days=10), easter - dt.timedelta(days=3)
    if kind in ("whitsun", "spring"):
        bank_holiday = nth_weekday(year, 5, 0, -1)
        return bank_holiday - dt.timedelta(days=10), bank_holiday - dt.timedelta(days=3)
    return dt.date(year, 9, 10), dt.date(year, 9, 17)  # conference recess
