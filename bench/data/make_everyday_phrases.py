"""Write bench/data/everyday_phrases.jsonl: our development set of everyday time phrases.

Every phrase and sentence is our own wording. The gold is computed here with plain calendar
arithmetic and, for holidays, literal date tables written out by hand (checked against
published calendars), so it does not lean on the normaliser or on the calendar libraries it
uses. Run `python bench/data/make_everyday_phrases.py` after editing; the output is committed.

Conventions (the scorer, bench/everyday_bench.py, applies them):
* `value` is the TIMEX3 value; a range's value is its first point; `null` = nothing to find.
* `earliest`/`latest` is the calendar extent: a year or month is the whole year or month, a
  day the day, a range runs from its start to its end, a counted span ("in two weeks") is the
  day it lands on. With `"deadline": true` ("by March", "before Christmas", "EOM") only
  `latest` is scored: the deadline reading takes the end.
* A holiday without a year is its next occurrence on or after the reference date, "last" the
  latest one before it, "this" the one of the reference date's year, "next" the first one
  after it. Seasons are meteorological (spring = 1 March … 31 May; winter runs into February).
* Weeks are ISO weeks (Monday … Sunday). "N Thursdays ago" counts back from the latest
  Thursday before the reference date; "N Tuesdays from now" counts on from the next one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path

from dateutil.relativedelta import relativedelta

OUT = Path(__file__).with_name("everyday_phrases.jsonl")
D = dt.date
DAY = dt.timedelta(days=1)

# Reference dates on different weekdays and seasons.
REFS = [D(2025, 4, 17), D(2025, 9, 2), D(2025, 11, 22), D(2026, 1, 14), D(2026, 6, 30)]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [calendar.month_name[i] for i in range(1, 13)]

# --- holiday tables (first day for multi-day observances; (first, last) where it is a period)
EASTER = {2024: D(2024, 3, 31), 2025: D(2025, 4, 20), 2026: D(2026, 4, 5), 2027: D(2027, 3, 28)}
RAMADAN = {
    2024: (D(2024, 3, 11), D(2024, 4, 9)),
    2025: (D(2025, 3, 1), D(2025, 3, 29)),
    2026: (D(2026, 2, 18), D(2026, 3, 19)),
    2027: (D(2027, 2, 8), D(2027, 3, 8)),
}
EID_FITR = {2024: D(2024, 4, 10), 2025: D(2025, 3, 30), 2026: D(2026, 3, 20), 2027: D(2027, 3, 9)}
EID_ADHA = {2024: D(2024, 6, 16), 2025: D(2025, 6, 6), 2026: D(2026, 5, 27), 2027: D(2027, 5, 16)}
DIWALI = {2024: D(2024, 10, 31), 2025: D(2025, 10, 20), 2026: D(2026, 11, 8), 2027: D(2027, 10, 29)}
HANUKKAH = {
    2024: D(2024, 12, 26),
    2025: D(2025, 12, 15),
    2026: D(2026, 12, 5),
    2027: D(2027, 12, 25),
}
CNY = {2024: D(2024, 2, 10), 2025: D(2025, 1, 29), 2026: D(2026, 2, 17), 2027: D(2027, 2, 6)}
ROSH = {2024: D(2024, 10, 3), 2025: D(2025, 9, 23), 2026: D(2026, 9, 12), 2027: D(2027, 10, 2)}
KIPPUR = {2024: D(2024, 10, 12), 2025: D(2025, 10, 2), 2026: D(2026, 9, 21), 2027: D(2027, 10, 11)}


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    if n > 0:
        first = D(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = D(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def span(day: dt.date) -> tuple[dt.date, dt.date]:
    return day, day


# name used in the phrase -> year -> (first day, last day)
HOLIDAYS = {
    "Christmas": lambda y: span(D(y, 12, 25)),
    "Christmas Eve": lambda y: span(D(y, 12, 24)),
    "New Year's Eve": lambda y: span(D(y, 12, 31)),
    "New Year's Day": lambda y: span(D(y, 1, 1)),
    "Halloween": lambda y: span(D(y, 10, 31)),
    "Valentine's Day": lambda y: span(D(y, 2, 14)),
    "St Patrick's Day": lambda y: span(D(y, 3, 17)),
    "Independence Day": lambda y: span(D(y, 7, 4)),
    "Easter": lambda y: span(EASTER[y]),
    "Easter Sunday": lambda y: span(EASTER[y]),
    "Easter Monday": lambda y: span(EASTER[y] + DAY),
    "Good Friday": lambda y: span(EASTER[y] - 2 * DAY),
    "Thanksgiving": lambda y: span(nth_weekday(y, 11, 3, 4)),
    "Black Friday": lambda y: span(nth_weekday(y, 11, 3, 4) + DAY),
    "Memorial Day": lambda y: span(nth_weekday(y, 5, 0, -1)),
    "Labor Day": lambda y: span(nth_weekday(y, 9, 0, 1)),
    "MLK Day": lambda y: span(nth_weekday(y, 1, 0, 3)),
    "Presidents' Day": lambda y: span(nth_weekday(y, 2, 0, 3)),
    "Mother's Day": lambda y: span(nth_weekday(y, 5, 6, 2)),
    "Father's Day": lambda y: span(nth_weekday(y, 6, 6, 3)),
    "Ramadan": lambda y: RAMADAN[y],
    "Eid al-Fitr": lambda y: span(EID_FITR[y]),
    "Eid al-Adha": lambda y: span(EID_ADHA[y]),
    "Diwali": lambda y: span(DIWALI[y]),
    "Hanukkah": lambda y: (HANUKKAH[y], HANUKKAH[y] + 7 * DAY),
    "Chinese New Year": lambda y: span(CNY[y]),
    "Rosh Hashanah": lambda y: span(ROSH[y]),
    "Yom Kippur": lambda y: span(KIPPUR[y]),
}

rows: list[dict] = []


def add(
    cls: str, ref: dt.date, text: str, value, first=None, last=None, *, phrase=None, deadline=False
) -> None:
    rows.append(
        {
            "id": f"ev{len(rows) + 1:04d}",
            "class": cls,
            "dct": ref.isoformat(),
            "text": text,
            "phrase": phrase or text,
            "value": value,
            "earliest": first.isoformat() if first else None,
            "latest": last.isoformat() if last else None,
            "deadline": deadline,
        }
    )


def holiday_next(name: str, ref: dt.date, *, strictly_after: bool = False):
    for year in (ref.year, ref.year + 1):
        first, last = HOLIDAYS[name](year)
        if first > ref or (first == ref and not strictly_after):
            return first, last
    raise AssertionError(name)


def holiday_last(name: str, ref: dt.date):
    for year in (ref.year, ref.year - 1):
        first, last = HOLIDAYS[name](year)
        if first < ref:
            return first, last
    raise AssertionError(name)


def holidays() -> None:
    for index, name in enumerate(HOLIDAYS):
        for ref in REFS[index % 3 :: 2]:
            first, last = holiday_next(name, ref)
            add("holiday", ref, name, first.isoformat(), first, last)
            first, last = holiday_next(name, ref, strictly_after=True)
            add("holiday", ref, f"next {name}", first.isoformat(), first, last)
            first, last = holiday_last(name, ref)
            add("holiday", ref, f"last {name}", first.isoformat(), first, last)
        ref = REFS[index % len(REFS)]
        first, last = HOLIDAYS[name](ref.year)
        add("holiday", ref, f"this {name}", first.isoformat(), first, last)
        year = 2026 if index % 2 else 2027
        first, last = HOLIDAYS[name](year)
        add("holiday", ref, f"{name} {year}", first.isoformat(), first, last)
        first, last = holiday_next(name, ref)
        sentence = f"The new rules should be in place by {name}."
        add("holiday", ref, sentence, first.isoformat(), first, first, phrase=name, deadline=True)
        sentence = f"We are hoping to finish the repairs before {name}."
        add(
            "holiday",
            ref,
            sentence,
            first.isoformat(),
            first - DAY,
            first - DAY,
            phrase=name,
            deadline=True,
        )


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def next_weekday(ref: dt.date, weekday: int, *, today_counts: bool = False) -> dt.date:
    ahead = (weekday - ref.weekday()) % 7
    return ref + dt.timedelta(days=ahead if (ahead or today_counts) else 7)


def next_month_day(ref: dt.date, month: int, day: int) -> dt.date:
    candidate = D(ref.year, month, day)
    return candidate if candidate > ref else D(ref.year + 1, month, day)


def month_end(year: int, month: int) -> dt.date:
    return D(year, month, calendar.monthrange(year, month)[1])


def ranges() -> None:
    for i, ref in enumerate(REFS):
        month = (ref.month + 1) % 12 + 1
        year = ref.year + (month < ref.month)
        m_name, m_short = MONTHS[month - 1], MONTHS[month - 1][:3]
        a, b = D(year, month, 13), D(year, month, 15)
        add("range", ref, f"{m_name} 13 - {m_name} 15", a.isoformat(), a, b)
        add("range", ref, f"from 13 to 15 {m_name}", a.isoformat(), a, b)
        add("range", ref, f"{m_short} 13-15", a.isoformat(), a, b)
        add("range", ref, f"between {m_name} 13 and {m_name} 15", a.isoformat(), a, b)
        add("range", ref, f"13th to 15th {m_name}", a.isoformat(), a, b)
        a, b = D(year, month, 3), D(year, month, 9)
        add("range", ref, f"{a.day}-{b.day} {m_name}", a.isoformat(), a, b)
        # weekday ranges: the coming start day, the end day on or after it
        for start_wd, end_wd, joiner in (
            (0, 2, "between {} and {}"),
            (1, 4, "from {} to {}"),
            (3, 5, "{} through {}"),
        ):
            if ref.weekday() == start_wd:
                continue  # "from Tuesday …" said on a Tuesday: today or next week, both fit
            start = next_weekday(ref, start_wd)
            end = start + dt.timedelta(days=(end_wd - start_wd) % 7)
            text = (
                "The office will be closed "
                + joiner.format(WEEKDAYS[start_wd], WEEKDAYS[end_wd])
                + "."
            )
            add(
                "range",
                ref,
                text,
                start.isoformat(),
                start,
                end,
                phrase=joiner.format(WEEKDAYS[start_wd], WEEKDAYS[end_wd]),
            )
        add("range", ref, "3-5pm", f"{ref.isoformat()}T15:00", ref, ref)
        add("range", ref, "from 9:30 till 11", f"{ref.isoformat()}T09:30", ref, ref)
        add("range", ref, "10am to 2pm", f"{ref.isoformat()}T10:00", ref, ref)
        tomorrow = ref + DAY
        add(
            "range",
            ref,
            "tomorrow from 2 to 4pm",
            f"{tomorrow.isoformat()}T14:00",
            tomorrow,
            tomorrow,
        )
        add("range", ref, "in the next two days", "P2D", ref, ref + 2 * DAY)
        add("range", ref, "over the next 10 days", "P10D", ref, ref + 10 * DAY)
        add("range", ref, "the last 3 weeks", "P3W", ref - 21 * DAY, ref)
        add("range", ref, "the past two months", "P2M", ref - relativedelta(months=2), ref)
        add("range", ref, "the next six months", "P6M", ref, ref + relativedelta(months=6))
        m1, m3 = (ref.month % 12) + 1, ((ref.month + 2) % 12) + 1
        y1 = ref.year + (m1 < ref.month)
        y3 = ref.year + (m3 < ref.month)
        text = f"from {MONTHS[m1 - 1]} to {MONTHS[m3 - 1]}"
        add(
            "range",
            ref,
            f"Prices will stay high {text}.",
            f"{y1}-{m1:02d}",
            D(y1, m1, 1),
            month_end(y3, m3),
            phrase=text,
        )
        deadline_day = next_weekday(ref, 4)
        add(
            "range",
            ref,
            "The consultation runs until Friday.",
            deadline_day.isoformat(),
            deadline_day,
            deadline_day,
            phrase="Friday",
            deadline=True,
        )
        if i % 2 == 0:
            y = ref.year + 1
            add("range", ref, f"between {y} and {y + 2}", str(y), D(y, 1, 1), D(y + 2, 12, 31))


SPELLED_ORDINALS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    8: "eighth",
    9: "ninth",
    12: "twelfth",
    15: "fifteenth",
    20: "twentieth",
    21: "twenty-first",
    28: "twenty-eighth",
    22: "twenty-second",
    23: "twenty-third",
    30: "thirtieth",
    31: "thirty-first",
}


def casual() -> None:
    for i, ref in enumerate(REFS):
        month = (ref.month + 4) % 12 + 1
        day = next_month_day(ref, month, 3)
        name = MONTHS[month - 1]
        short = {"September": "Sept"}.get(name, name[:3])
        add(
            "casual",
            ref,
            f"The launch is planned for {name.lower()} 3.",
            day.isoformat(),
            day,
            day,
            phrase=f"{name.lower()} 3",
        )
        add(
            "casual",
            ref,
            f"See you on {short}. 3rd.",
            day.isoformat(),
            day,
            day,
            phrase=f"{short}. 3rd",
        )
        add(
            "casual",
            ref,
            f"The vote is set for {short.lower()} 3rd.",
            day.isoformat(),
            day,
            day,
            phrase=f"{short.lower()} 3rd",
        )
        add(
            "casual",
            ref,
            f"We will meet on the third of {name}.",
            day.isoformat(),
            day,
            day,
            phrase=f"the third of {name}",
        )
        add(
            "casual",
            ref,
            f"It opens 3 {short.lower()}.",
            day.isoformat(),
            day,
            day,
            phrase=f"3 {short.lower()}",
        )
        n = [21, 12, 30, 8, 22][i]
        target = next_month_day(ref, month, n)
        add(
            "casual",
            ref,
            f"The fair starts on the {SPELLED_ORDINALS[n]} of {name}.",
            target.isoformat(),
            target,
            target,
            phrase=f"the {SPELLED_ORDINALS[n]} of {name}",
        )
        add(
            "casual",
            ref,
            f"The fair starts on {name} the {SPELLED_ORDINALS[n]}.",
            target.isoformat(),
            target,
            target,
            phrase=f"{name} the {SPELLED_ORDINALS[n]}",
        )
        # the coming day of this month (or the next month's) with that number
        n = 28 if ref.day < 28 else 2
        this_month = D(ref.year, ref.month, n)
        dom = (
            this_month
            if this_month > ref
            else (D(ref.year, ref.month, 1) + relativedelta(months=1)).replace(day=n)
        )
        add(
            "casual",
            ref,
            f"The payment is due on the {SPELLED_ORDINALS.get(n, 'second')}.",
            dom.isoformat(),
            dom,
            dom,
            phrase=f"the {SPELLED_ORDINALS.get(n, 'second')}",
            deadline=False,
        )
        r = ref.isoformat()
        add(
            "casual",
            ref,
            "Let's meet at 20 past 3pm.",
            f"{r}T15:20",
            ref,
            ref,
            phrase="20 past 3pm",
        )
        add(
            "casual",
            ref,
            "The train leaves at quarter to noon.",
            f"{r}T11:45",
            ref,
            ref,
            phrase="quarter to noon",
        )
        add(
            "casual",
            ref,
            "The call is at half past ten tonight.",
            f"{r}T22:30",
            ref,
            ref,
            phrase="half past ten tonight",
        )
        add("casual", ref, "Please send it by EOD.", r, ref, ref, phrase="EOD", deadline=True)
        add(
            "casual",
            ref,
            "Please send it by end of day.",
            r,
            ref,
            ref,
            phrase="end of day",
            deadline=True,
        )
        end = month_end(ref.year, ref.month)
        add(
            "casual",
            ref,
            "The figures are due EOM.",
            f"{ref.year}-{ref.month:02d}",
            end,
            end,
            phrase="EOM",
            deadline=True,
        )
        add(
            "casual",
            ref,
            "The figures are due by the end of the month.",
            f"{ref.year}-{ref.month:02d}",
            end,
            end,
            phrase="the end of the month",
            deadline=True,
        )
        year_end = D(ref.year, 12, 31)
        add(
            "casual",
            ref,
            "We plan to ship it by EOY.",
            str(ref.year),
            year_end,
            year_end,
            phrase="EOY",
            deadline=True,
        )
        add(
            "casual",
            ref,
            "We plan to ship it by the end of the year.",
            str(ref.year),
            year_end,
            year_end,
            phrase="the end of the year",
            deadline=True,
        )
        for n, wd in ((2, 3), (3, 0)):
            latest = ref - dt.timedelta(days=(ref.weekday() - wd) % 7 or 7)
            day = latest - dt.timedelta(days=7 * (n - 1))
            add("casual", ref, f"{n} {WEEKDAYS[wd].lower()}s ago", day.isoformat(), day, day)
        for n, wd in ((4, 1), (2, 4)):
            day = next_weekday(ref, wd) + dt.timedelta(days=7 * (n - 1))
            add("casual", ref, f"{n} {WEEKDAYS[wd]}s from now", day.isoformat(), day, day)
        day = ref + 2 * DAY
        add("casual", ref, "the day after tomorrow", day.isoformat(), day, day)
        day = ref - 2 * DAY
        add("casual", ref, "the day before yesterday", day.isoformat(), day, day)
        monday = week_monday(ref) + dt.timedelta(days=14)
        add("casual", ref, "the week after next", iso_week(monday), monday, monday + 6 * DAY)
        monday = week_monday(ref) - dt.timedelta(days=14)
        add("casual", ref, "the week before last", iso_week(monday), monday, monday + 6 * DAY)
        first_next = D(ref.year, ref.month, 1) + relativedelta(months=1)
        day = nth_weekday(first_next.year, first_next.month, 0, 1)
        add("casual", ref, "the first Monday of next month", day.isoformat(), day, day)
        day = nth_weekday(ref.year, ref.month, 4, -1)
        add("casual", ref, "the last Friday of this month", day.isoformat(), day, day)
        october_year = ref.year if ref.month <= 10 else ref.year + 1
        sat = nth_weekday(october_year, 10, 5, -1)
        add(
            "casual",
            ref,
            "The festival is the last weekend of October.",
            f"{iso_week(sat)}-WE",
            sat,
            sat + DAY,
            phrase="the last weekend of October",
        )
        day = nth_weekday(ref.year + 1, 3, 1, 2)
        add("casual", ref, f"the second Tuesday in March {ref.year + 1}", day.isoformat(), day, day)
        add("casual", ref, "tonight", f"{r}TNI", ref, ref)
        add("casual", ref, "this evening", f"{r}TEV", ref, ref)
        add("casual", ref, "tonight at 8", f"{r}T20:00", ref, ref)
        add("casual", ref, "8pm tonight", f"{r}T20:00", ref, ref)
        add("casual", ref, "this evening at 7:30", f"{r}T19:30", ref, ref)
        tomorrow = (ref + DAY).isoformat()
        add("casual", ref, "tomorrow morning", f"{tomorrow}TMO", ref + DAY, ref + DAY)
        add("casual", ref, "tomorrow at noon", f"{tomorrow}T12:00", ref + DAY, ref + DAY)
        for season, start_month in (("summer", 6), ("winter", 12)):
            year = ref.year
            start = D(year, start_month, 1)
            if season == "winter" and ref.month <= 2:
                start = D(year - 1, 12, 1)
            end = start + relativedelta(months=3) - DAY
            code = "SU" if season == "summer" else "WI"
            add("casual", ref, f"this {season}", f"{start.year}-{code}", start, end)
            nxt = start if start > ref else start + relativedelta(years=1)
            end = nxt + relativedelta(months=3) - DAY
            add("casual", ref, f"next {season}", f"{nxt.year}-{code}", nxt, end)
        year = ref.year + 1
        add("casual", ref, f"spring {year}", f"{year}-SP", D(year, 3, 1), D(year, 5, 31))
        add("casual", ref, f"autumn {year}", f"{year}-FA", D(year, 9, 1), D(year, 11, 30))


def extent() -> None:
    for ref in REFS:
        year = ref.year + 1
        add(
            "extent",
            ref,
            f"The plant will open in {year}.",
            str(year),
            D(year, 1, 1),
            D(year, 12, 31),
            phrase=str(year),
        )
        add(
            "extent",
            ref,
            f"The plant will open by {year}.",
            str(year),
            D(year, 1, 1),
            D(year, 12, 31),
            phrase=str(year),
            deadline=True,
        )
        add(
            "extent",
            ref,
            f"The plant opened in {ref.year - 2}.",
            str(ref.year - 2),
            D(ref.year - 2, 1, 1),
            D(ref.year - 2, 12, 31),
            phrase=str(ref.year - 2),
        )
        month = (ref.month + 2) % 12 + 1
        m_year = ref.year + (month < ref.month)
        name = MONTHS[month - 1]
        add(
            "extent",
            ref,
            f"The report will be published in {name}.",
            f"{m_year}-{month:02d}",
            D(m_year, month, 1),
            month_end(m_year, month),
            phrase=name,
        )
        add(
            "extent",
            ref,
            f"The report will be published by {name}.",
            f"{m_year}-{month:02d}",
            D(m_year, month, 1),
            month_end(m_year, month),
            phrase=name,
            deadline=True,
        )
        add(
            "extent",
            ref,
            f"{name} {m_year}",
            f"{m_year}-{month:02d}",
            D(m_year, month, 1),
            month_end(m_year, month),
        )
        past_month = (ref.month - 3) % 12 + 1
        p_year = ref.year - (past_month > ref.month)
        p_name = MONTHS[past_month - 1]
        add(
            "extent",
            ref,
            f"The report was published in {p_name}.",
            f"{p_year}-{past_month:02d}",
            D(p_year, past_month, 1),
            month_end(p_year, past_month),
            phrase=p_name,
        )
        first_next = D(ref.year, ref.month, 1) + relativedelta(months=1)
        add(
            "extent",
            ref,
            "next month",
            f"{first_next.year}-{first_next.month:02d}",
            first_next,
            month_end(first_next.year, first_next.month),
        )
        first_last = D(ref.year, ref.month, 1) - relativedelta(months=1)
        add(
            "extent",
            ref,
            "last month",
            f"{first_last.year}-{first_last.month:02d}",
            first_last,
            month_end(first_last.year, first_last.month),
        )
        add(
            "extent",
            ref,
            "this month",
            f"{ref.year}-{ref.month:02d}",
            D(ref.year, ref.month, 1),
            month_end(ref.year, ref.month),
        )
        add(
            "extent",
            ref,
            "next year",
            str(ref.year + 1),
            D(ref.year + 1, 1, 1),
            D(ref.year + 1, 12, 31),
        )
        add("extent", ref, "this year", str(ref.year), D(ref.year, 1, 1), D(ref.year, 12, 31))
        monday = week_monday(ref)
        add("extent", ref, "this week", iso_week(monday), monday, monday + 6 * DAY)
        add(
            "extent",
            ref,
            "next week",
            iso_week(monday + 7 * DAY),
            monday + 7 * DAY,
            monday + 13 * DAY,
        )
        add(
            "extent",
            ref,
            "We will decide by next week.",
            iso_week(monday + 7 * DAY),
            monday + 7 * DAY,
            monday + 13 * DAY,
            phrase="next week",
            deadline=True,
        )
        q = (ref.month - 1) // 3 + 1
        nq_year, nq = (ref.year, q + 1) if q < 4 else (ref.year + 1, 1)
        start = D(nq_year, 3 * nq - 2, 1)
        add("extent", ref, "next quarter", f"{nq_year}-Q{nq}", start, month_end(nq_year, 3 * nq))
        add(
            "extent",
            ref,
            f"Q3 {ref.year + 1}",
            f"{ref.year + 1}-Q3",
            D(ref.year + 1, 7, 1),
            D(ref.year + 1, 9, 30),
        )
        add(
            "extent",
            ref,
            "The law takes effect on 1 July.",
            next_month_day(ref, 7, 1).isoformat(),
            next_month_day(ref, 7, 1),
            next_month_day(ref, 7, 1),
            phrase="1 July",
        )
        target = ref + 14 * DAY
        add(
            "extent",
            ref,
            "The results will come in two weeks.",
            "P2W",
            target,
            target,
            phrase="two weeks",
        )
        target = ref + relativedelta(months=3)  # TimeML keeps the month as the value
        add("extent", ref, "three months from now", target.isoformat()[:7], target, target)
        target = ref - 10 * DAY
        add("extent", ref, "ten days ago", target.isoformat(), target, target)
        add(
            "extent",
            ref,
            "by the end of March",
            f"{ref.year + (ref.month > 3)}-03",
            D(ref.year + (ref.month > 3), 3, 31),
            D(ref.year + (ref.month > 3), 3, 31),
            deadline=True,
        )
    # absurd input: nothing to find, and no crash
    for ref, text in zip(
        REFS,
        (
            "in the year 99999",
            "on March 3, 9999",
            "by 31 December 10000",
            "since 0001",
            "in 123456789 days",
        ),
        strict=True,
    ):
        add("extreme", ref, text, None)


def main() -> None:
    holidays()
    ranges()
    casual()
    extent()
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} phrases to {OUT}")


if __name__ == "__main__":
    main()
