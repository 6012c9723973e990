"""Write bench/data/everyday_blind.jsonl: a second everyday phrase set, written BLIND.

Why a second set: the rules in claims/temporal/ were grown against everyday_phrases.jsonl, so
its score says what holds, not what a stranger's phrasing gets. This set was written by a
helper (issue #14) before reading the temporal rules or the first set's phrases: only the
conventions (the docstring of make_everyday_phrases.py and the shared DEADLINES.md) were read,
so that the gold has the same format. Its score *before* any fix is the honest estimate of the
held-out suite; fixes made afterwards by looking at its failures make it a development set too
(the commit history keeps the first figure). Every phrase and sentence is our own wording.

Gold is plain calendar arithmetic here; holiday dates are literal tables written out by hand
(moving lunar/lunisolar dates as published calendars list them), not the calendar libraries
the normaliser uses. Conventions are those of make_everyday_phrases.py:
* `value` is the TIMEX3 value (a range's value is its first point; null = nothing to find);
  times anchor on the reference day (T15:20), parts of day are TMO/TAF/TEV/TNI, weeks ISO
  (2025-W36, weekend 2025-W36-WE), seasons SP/SU/FA/WI, quarters Qn, halves Hn.
* `earliest`/`latest` is the calendar extent (a day, a month, a year, a range's start..end,
  a counted span's landing day); with `deadline: true` only `latest` is scored.
* "next <weekday>" is the first one strictly after the reference day; a bare weekday in a
  future sentence the next one on or after it (today excluded); a holiday without a year its
  next occurrence on or after the reference day, "last" the latest before, "this" that year's,
  "next" the first after. Day+month without a year: the next occurrence for a future sentence,
  the latest one for a past sentence. A bare "at 5" on a working schedule reads 17:00.
* Counted spans keep their TIMEX3 DURATION value ("in three days" P3D, "the last 3 weeks"
  P3W, "within 48 hours" PT48H); their extent is the landing day or the span's days.
* Seasons are meteorological; a winter belongs to the year of its December.
* "mid-<month>" extends over the 11th..20th, "early <month>" the 1st..10th, "late" 21st..end.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path

OUT = Path(__file__).with_name("everyday_blind.jsonl")
D = dt.date
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)

# Reference dates: a leap day, a Sunday month end, a year end, Sundays, a Saturday, a Monday.
R_LEAP = D(2024, 2, 29)  # Thursday, leap day
R_SUNEND = D(2025, 8, 31)  # Sunday, month end
R_YEAREND = D(2025, 12, 31)  # Wednesday, year end
R_SUN = D(2026, 3, 15)  # Sunday
R_MON = D(2026, 10, 5)  # Monday
R_SAT = D(2027, 1, 30)  # Saturday
R_LEAP28 = D(2028, 2, 27)  # Sunday in a leap year
R_TUE = D(2025, 6, 10)  # Tuesday
REFS = [R_LEAP, R_SUNEND, R_YEAREND, R_SUN, R_MON, R_SAT, R_LEAP28, R_TUE]

# --- hand tables (first day; Hanukkah and Ramadan are periods, first..last full day)
EASTER = {
    2023: D(2023, 4, 9),
    2024: D(2024, 3, 31),
    2025: D(2025, 4, 20),
    2026: D(2026, 4, 5),
    2027: D(2027, 3, 28),
    2028: D(2028, 4, 16),
    2029: D(2029, 4, 1),
}
RAMADAN = {
    2023: (D(2023, 3, 23), D(2023, 4, 20)),
    2024: (D(2024, 3, 11), D(2024, 4, 9)),
    2025: (D(2025, 3, 1), D(2025, 3, 29)),
    2026: (D(2026, 2, 18), D(2026, 3, 19)),
    2027: (D(2027, 2, 8), D(2027, 3, 8)),
    2028: (D(2028, 1, 28), D(2028, 2, 25)),
    2029: (D(2029, 1, 16), D(2029, 2, 13)),
}
EID_FITR = {
    2023: D(2023, 4, 21),
    2024: D(2024, 4, 10),
    2025: D(2025, 3, 30),
    2026: D(2026, 3, 20),
    2027: D(2027, 3, 9),
    2028: D(2028, 2, 26),
    2029: D(2029, 2, 14),
}
EID_ADHA = {
    2023: D(2023, 6, 28),
    2024: D(2024, 6, 16),
    2025: D(2025, 6, 6),
    2026: D(2026, 5, 27),
    2027: D(2027, 5, 16),
    2028: D(2028, 5, 5),
    2029: D(2029, 4, 24),
}
DIWALI = {
    2023: D(2023, 11, 12),
    2024: D(2024, 10, 31),
    2025: D(2025, 10, 20),
    2026: D(2026, 11, 8),
    2027: D(2027, 10, 29),
    2028: D(2028, 10, 17),
    2029: D(2029, 11, 5),
}
HANUKKAH_FIRST = {
    2023: D(2023, 12, 8),
    2024: D(2024, 12, 26),
    2025: D(2025, 12, 15),
    2026: D(2026, 12, 5),
    2027: D(2027, 12, 25),
    2028: D(2028, 12, 13),
    2029: D(2029, 12, 2),
}
CNY = {
    2023: D(2023, 1, 22),
    2024: D(2024, 2, 10),
    2025: D(2025, 1, 29),
    2026: D(2026, 2, 17),
    2027: D(2027, 2, 6),
    2028: D(2028, 1, 26),
    2029: D(2029, 2, 13),
}
ROSH = {
    2023: D(2023, 9, 16),
    2024: D(2024, 10, 3),
    2025: D(2025, 9, 23),
    2026: D(2026, 9, 12),
    2027: D(2027, 10, 2),
    2028: D(2028, 9, 21),
    2029: D(2029, 9, 10),
}
KIPPUR = {
    2023: D(2023, 9, 25),
    2024: D(2024, 10, 12),
    2025: D(2025, 10, 2),
    2026: D(2026, 9, 21),
    2027: D(2027, 10, 11),
    2028: D(2028, 9, 30),
    2029: D(2029, 9, 19),
}


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (n < 0: from the end) given weekday (Monday 0) of a month."""
    if n > 0:
        first = D(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = month_end(year, month)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7) + 7 * (n + 1) * DAY


def month_end(year: int, month: int) -> dt.date:
    return D(year, month, calendar.monthrange(year, month)[1])


def one(day: dt.date) -> tuple[dt.date, dt.date]:
    return day, day


HOLIDAYS = {
    "Christmas": lambda y: one(D(y, 12, 25)),
    "Christmas Eve": lambda y: one(D(y, 12, 24)),
    "New Year's Eve": lambda y: one(D(y, 12, 31)),
    "New Year's Day": lambda y: one(D(y, 1, 1)),
    "Easter": lambda y: one(EASTER[y]),
    "Easter Monday": lambda y: one(EASTER[y] + DAY),
    "Good Friday": lambda y: one(EASTER[y] - 2 * DAY),
    "Thanksgiving": lambda y: one(nth_weekday(y, 11, 3, 4)),
    "Black Friday": lambda y: one(nth_weekday(y, 11, 3, 4) + DAY),
    "Memorial Day": lambda y: one(nth_weekday(y, 5, 0, -1)),
    "Labor Day": lambda y: one(nth_weekday(y, 9, 0, 1)),
    "MLK Day": lambda y: one(nth_weekday(y, 1, 0, 3)),
    "Presidents' Day": lambda y: one(nth_weekday(y, 2, 0, 3)),
    "Mother's Day": lambda y: one(nth_weekday(y, 5, 6, 2)),
    "Father's Day": lambda y: one(nth_weekday(y, 6, 6, 3)),
    "Halloween": lambda y: one(D(y, 10, 31)),
    "Valentine's Day": lambda y: one(D(y, 2, 14)),
    "St Patrick's Day": lambda y: one(D(y, 3, 17)),
    "Independence Day": lambda y: one(D(y, 7, 4)),
    "Ramadan": lambda y: RAMADAN[y],
    "Eid al-Fitr": lambda y: one(EID_FITR[y]),
    "Eid al-Adha": lambda y: one(EID_ADHA[y]),
    "Diwali": lambda y: one(DIWALI[y]),
    "Hanukkah": lambda y: (HANUKKAH_FIRST[y], HANUKKAH_FIRST[y] + 7 * DAY),
    "Chinese New Year": lambda y: one(CNY[y]),
    "Rosh Hashanah": lambda y: one(ROSH[y]),
    "Yom Kippur": lambda y: one(KIPPUR[y]),
}

rows: list[dict] = []


def add(cls, ref, text, value, first=None, last=None, *, phrase=None, deadline=False) -> None:
    if first is not None and last is None:
        last = first
    rows.append(
        {
            "id": f"bl{len(rows) + 1:04d}",
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


def holiday_on_or_after(name, ref):
    for year in (ref.year, ref.year + 1):
        span = HOLIDAYS[name](year)
        if span[1] >= ref:  # a period under way (Ramadan) is the current one
            return span
    raise AssertionError(name)


def holiday_after(name, ref):
    for year in (ref.year, ref.year + 1):
        span = HOLIDAYS[name](year)
        if span[0] > ref:
            return span
    raise AssertionError(name)


def holiday_before(name, ref):
    for year in (ref.year, ref.year - 1):
        span = HOLIDAYS[name](year)
        if span[0] < ref:
            return span
    raise AssertionError(name)


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def next_wd(ref, weekday):
    """First given weekday strictly after ref."""
    return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7 or 7)


def prev_wd(ref, weekday):
    """Latest given weekday strictly before ref."""
    return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7 or 7)


def month_value(year, month):
    return f"{year}-{month:02d}"


def next_month(ref, k=1):
    index = ref.year * 12 + ref.month - 1 + k
    return index // 12, index % 12 + 1


def day_month_next(ref, month, day):
    candidate = D(ref.year, month, day)
    return candidate if candidate > ref else D(ref.year + 1, month, day)


def t(day: dt.date, hh: int, mm: int = 0) -> str:
    return f"{day.isoformat()}T{hh:02d}:{mm:02d}"


# ---------------------------------------------------------------------------------------------
def holidays_class() -> None:
    """Every listed holiday: bare, this / next / last, with a year, in varied casing."""
    bare_sentences = [
        "We will decide before {h}.",
        "The shop reopens after {h}.",
        "Talks resume on {h}.",
    ]
    names = list(HOLIDAYS)
    for i, name in enumerate(names):
        for j, ref in enumerate((REFS[i % 8], REFS[(i + 3) % 8])):
            first, last = holiday_on_or_after(name, ref)
            sentence = bare_sentences[(i + j) % 3].format(h=name)
            deadline = sentence.startswith("We will decide before")
            if deadline:
                # "before X" as a deadline: the day before the (first day of the) holiday.
                add(
                    "holiday",
                    ref,
                    sentence,
                    first.isoformat(),
                    first - DAY,
                    first - DAY,
                    phrase=f"before {name}",
                    deadline=True,
                )
            else:
                add("holiday", ref, sentence, first.isoformat(), first, last, phrase=name)
    # this / next / last
    for i, name in enumerate(names):
        ref = REFS[(i + 5) % 8]
        which = ("next", "last", "this")[i % 3]
        if which == "next":
            first, last = holiday_after(name, ref)
            text = f"Next {name} the family will meet again."
        elif which == "last":
            first, last = holiday_before(name, ref)
            text = f"It happened last {name}."
        else:
            first, last = HOLIDAYS[name](ref.year)
            text = f"They plan to finish by this {name}."
        phrase = f"{which} {name}" if which != "next" else f"Next {name}"
        if which == "this":
            add(
                "holiday",
                ref,
                text,
                first.isoformat(),
                None,
                first,
                phrase=f"by this {name}",
                deadline=True,
            )
        else:
            add("holiday", ref, text, first.isoformat(), first, last, phrase=phrase)
    # with a year
    for i, name in enumerate(names):
        year = 2024 + i % 5
        ref = REFS[i % 8]
        first, last = HOLIDAYS[name](year)
        add(
            "holiday",
            ref,
            f"The summit is set for {name} {year}.",
            first.isoformat(),
            first,
            last,
            phrase=f"{name} {year}",
        )
    # spelling variants real people type
    variants = [
        (R_TUE, "see you on xmas day", "Christmas", "xmas day"),
        (R_TUE, "Back after christmas.", "Christmas", "christmas"),
        (R_SUN, "Dinner on Thanksgiving Day.", "Thanksgiving", "Thanksgiving Day"),
        (R_MON, "Party on halloween night", "Halloween", "halloween"),
        (R_SAT, "flowers for valentines day", "Valentine's Day", "valentines day"),
        (R_SAT, "Parade on St. Patrick's Day.", "St Patrick's Day", "St. Patrick's Day"),
        (R_SUNEND, "Deal done by Labour Day?", "Labor Day", "Labour Day"),
        (
            R_YEAREND,
            "Office closed for Martin Luther King Jr. Day.",
            "MLK Day",
            "Martin Luther King Jr. Day",
        ),
        (R_YEAREND, "Sale ends on Presidents Day.", "Presidents' Day", "Presidents Day"),
        (R_SUN, "Brunch on mothers day", "Mother's Day", "mothers day"),
        (R_SUN, "We fly home on Easter Sunday.", "Easter", "Easter Sunday"),
        (R_LEAP28, "Fireworks on New Year's Eve.", "New Year's Eve", "New Year's Eve"),
        (R_MON, "Lights up for Deepavali.", "Diwali", "Deepavali"),
        (R_SAT, "Lunar New Year celebrations start.", "Chinese New Year", "Lunar New Year"),
        (R_MON, "They will fast on Yom Kippur.", "Yom Kippur", "Yom Kippur"),
        (R_TUE, "Shops close for Eid ul-Adha.", "Eid al-Adha", "Eid ul-Adha"),
        (R_SAT, "Families gather for Eid al Fitr.", "Eid al-Fitr", "Eid al Fitr"),
        (R_SUNEND, "Candles lit for Chanukah.", "Hanukkah", "Chanukah"),
        (R_SUNEND, "Back by the 4th of July", "Independence Day", "the 4th of July"),
        (R_LEAP, "Closed on Boxing Day.", None, "Boxing Day"),
    ]
    for ref, text, name, phrase in variants:
        if name is None:
            day = D(ref.year, 12, 26)
            add("holiday", ref, text, day.isoformat(), day, phrase=phrase)
            continue
        first, last = holiday_on_or_after(name, ref)
        if text.startswith("Deal done by") or text.startswith("Back by"):
            add("holiday", ref, text, first.isoformat(), None, first, phrase=phrase, deadline=True)
        else:
            add("holiday", ref, text, first.isoformat(), first, last, phrase=phrase)


def ranges_class() -> None:
    """Explicit ranges (start..end; value = start) and counted intervals."""
    add(
        "range",
        R_TUE,
        "The fair runs July 13 - July 15.",
        "2025-07-13",
        D(2025, 7, 13),
        D(2025, 7, 15),
        phrase="July 13 - July 15",
    )
    add(
        "range",
        R_TUE,
        "Voting is open from 13 to 15 July.",
        "2025-07-13",
        D(2025, 7, 13),
        D(2025, 7, 15),
        phrase="from 13 to 15 July",
    )
    add(
        "range",
        R_SUN,
        "Closed Mon thru Fri next week.",
        "2026-03-16",
        D(2026, 3, 16),
        D(2026, 3, 20),
        phrase="Mon thru Fri next week",
    )
    add(
        "range",
        R_MON,
        "Workshops run between Tuesday and Thursday.",
        "2026-10-06",
        D(2026, 10, 6),
        D(2026, 10, 8),
        phrase="between Tuesday and Thursday",
    )
    add(
        "range",
        R_SAT,
        "The office is shut from Monday to Wednesday.",
        "2027-02-01",
        D(2027, 2, 1),
        D(2027, 2, 3),
        phrase="from Monday to Wednesday",
    )
    add("range", R_TUE, "Drop in 3-5pm.", t(R_TUE, 15), R_TUE, phrase="3-5pm")
    add(
        "range",
        R_TUE,
        "The clinic is open from 9:30 till 11.",
        t(R_TUE, 9, 30),
        R_TUE,
        phrase="from 9:30 till 11",
    )
    add(
        "range",
        R_MON,
        "Meeting 10am-12pm tomorrow.",
        t(R_MON + DAY, 10),
        R_MON + DAY,
        phrase="10am-12pm tomorrow",
    )
    add(
        "range",
        R_SUNEND,
        "The exhibition runs Sept 5-28.",
        "2025-09-05",
        D(2025, 9, 5),
        D(2025, 9, 28),
        phrase="Sept 5-28",
    )
    add(
        "range",
        R_SUNEND,
        "Roadworks from 1st to 14th October.",
        "2025-10-01",
        D(2025, 10, 1),
        D(2025, 10, 14),
        phrase="from 1st to 14th October",
    )
    add(
        "range",
        R_LEAP,
        "The sale runs March 1 through March 10.",
        "2024-03-01",
        D(2024, 3, 1),
        D(2024, 3, 10),
        phrase="March 1 through March 10",
    )
    add(
        "range",
        R_YEAREND,
        "Term runs from January to March.",
        "2026-01",
        D(2026, 1, 1),
        D(2026, 3, 31),
        phrase="from January to March",
    )
    add(
        "range",
        R_SAT,
        "The festival is 2027-06-10 to 2027-06-13.",
        "2027-06-10",
        D(2027, 6, 10),
        D(2027, 6, 13),
        phrase="2027-06-10 to 2027-06-13",
    )
    add(
        "range",
        R_SUN,
        "Nominations open 1-15 April.",
        "2026-04-01",
        D(2026, 4, 1),
        D(2026, 4, 15),
        phrase="1-15 April",
    )
    add(
        "range",
        R_LEAP28,
        "Away from Friday till Sunday.",
        "2028-03-03",
        D(2028, 3, 3),
        D(2028, 3, 5),
        phrase="from Friday till Sunday",
    )
    add(
        "range",
        R_TUE,
        "Hearings run from June 16 until June 20.",
        "2025-06-16",
        D(2025, 6, 16),
        D(2025, 6, 20),
        phrase="from June 16 until June 20",
    )
    add(
        "range",
        R_MON,
        "The plan covers 2027 to 2029.",
        "2027",
        D(2027, 1, 1),
        D(2029, 12, 31),
        phrase="2027 to 2029",
    )
    add(
        "range",
        R_SUN,
        "Polls open 7am to 10pm on Thursday.",
        t(D(2026, 3, 19), 7),
        D(2026, 3, 19),
        phrase="7am to 10pm on Thursday",
    )
    add(
        "range",
        R_YEAREND,
        "Roads are closed Dec 31 - Jan 2.",
        "2025-12-31",
        D(2025, 12, 31),
        D(2026, 1, 2),
        phrase="Dec 31 - Jan 2",
    )
    add(
        "range",
        R_SUNEND,
        "Tickets on sale Sep 1st - 7th.",
        "2025-09-01",
        D(2025, 9, 1),
        D(2025, 9, 7),
        phrase="Sep 1st - 7th",
    )
    # counted intervals relative to the reference day
    for ref in (R_TUE, R_SUN, R_YEAREND):
        add(
            "range",
            ref,
            "Prices fell over the last 3 weeks.",
            "P3W",
            ref - 21 * DAY,
            ref,
            phrase="the last 3 weeks",
        )
        add(
            "range",
            ref,
            "We expect a reply in the next two days.",
            "P2D",
            ref,
            ref + 2 * DAY,
            phrase="in the next two days",
        )
        add(
            "range",
            ref,
            "Sales rose in the past 10 days.",
            "P10D",
            ref - 10 * DAY,
            ref,
            phrase="the past 10 days",
        )
    add(
        "range",
        R_MON,
        "Expect showers over the next 48 hours.",
        "PT48H",
        R_MON,
        R_MON + 2 * DAY,
        phrase="the next 48 hours",
    )
    add(
        "range",
        R_LEAP,
        "Rents climbed during the past six months.",
        "P6M",
        D(2023, 8, 29),
        R_LEAP,
        phrase="the past six months",
    )


SPELLED = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
]


def casual_dates() -> None:
    """Lower-case and abbreviated months, spelled ordinals, bare day-of-month."""
    items = [
        (R_LEAP, "The vote is on march 3.", 3, 3, "march 3"),
        (R_LEAP, "Launch is Sept. 3rd.", 9, 3, "Sept. 3rd"),
        (R_SUN, "see you apr 2", 4, 2, "apr 2"),
        (R_SUN, "Hearing set for 12 aug", 8, 12, "12 aug"),
        (R_MON, "Filing due Nov 30th.", 11, 30, "Nov 30th"),
        (R_MON, "The final is on dec. 12", 12, 12, "dec. 12"),
        (R_SAT, "Deliveries start feb 1st", 2, 1, "feb 1st"),
        (R_SAT, "Open house on JUNE 5", 6, 5, "JUNE 5"),
        (R_TUE, "Results due jul 22.", 7, 22, "jul 22"),
        (R_TUE, "The trial opens 3 Sept.", 9, 3, "3 Sept"),
        (R_SUNEND, "He starts on oct 6", 10, 6, "oct 6"),
        (R_YEAREND, "Payments resume Jan. 5.", 1, 5, "Jan. 5"),
        (R_LEAP28, "The wedding is on March 4th.", 3, 4, "March 4th"),
        (R_LEAP28, "Tax returns due april 15", 4, 15, "april 15"),
        (R_SUNEND, "Term starts Sep 8", 9, 8, "Sep 8"),
        (R_SUN, "Next review: 2nd of May.", 5, 2, "2nd of May"),
    ]
    for ref, text, month, day, phrase in items:
        date = day_month_next(ref, month, day)
        add("casual_date", ref, text, date.isoformat(), date, phrase=phrase)
    spelled = [
        (R_LEAP, "It opens on the third of March.", 3, 3, "the third of March"),
        (R_SUN, "Vote on the twenty-first of April.", 4, 21, "the twenty-first of April"),
        (R_MON, "Delivery on the fifteenth of November.", 11, 15, "the fifteenth of November"),
        (R_SAT, "The ceremony is on February the ninth.", 2, 9, "February the ninth"),
        (R_TUE, "Renewal on the thirtieth of June.", 6, 30, "the thirtieth of June"),
        (R_SUNEND, "A rally on the first of September.", 9, 1, "the first of September"),
        (R_YEAREND, "Results on the twelfth of January.", 1, 12, "the twelfth of January"),
        (R_LEAP28, "Meet on March the second.", 3, 2, "March the second"),
        (R_SUN, "Held on the thirty-first of May.", 5, 31, "the thirty-first of May"),
        (R_MON, "Due on October twenty-second.", 10, 22, "October twenty-second"),
    ]
    for ref, text, month, day, phrase in spelled:
        date = day_month_next(ref, month, day)
        add("spelled_ordinal", ref, text, date.isoformat(), date, phrase=phrase)
    # bare ordinals: this month's if still ahead, else next month's
    bare = [
        (R_TUE, "Rent is due on the 15th.", 15, "the 15th"),
        (R_TUE, "We meet again on the twenty-first.", 21, "the twenty-first"),
        (R_MON, "The audit starts on the 3rd.", 3, "the 3rd"),
        (R_SUN, "Invoices go out on the twentieth.", 20, "the twentieth"),
        (R_SAT, "Pay day is the 1st.", 1, "the 1st"),
    ]
    for ref, text, day, phrase in bare:
        date = D(ref.year, ref.month, day)
        if date <= ref:
            year, month = next_month(ref)
            date = D(year, month, day)
        add("spelled_ordinal", ref, text, date.isoformat(), date, phrase=phrase)


def clock_times() -> None:
    """Clock-time idioms, parts of day, tonight / this evening."""
    ref = R_TUE
    tom = ref + DAY
    items = [
        (ref, "Call me at 20 past 3pm.", t(ref, 15, 20), ref, "at 20 past 3pm"),
        (ref, "Lunch at quarter to noon.", t(ref, 11, 45), ref, "quarter to noon"),
        (
            ref,
            "The bus leaves at half past seven tonight.",
            t(ref, 19, 30),
            ref,
            "half past seven tonight",
        ),
        (ref, "noon tomorrow works", t(tom, 12), tom, "noon tomorrow"),
        (ref, "Can we do tmrw at 9?", t(tom, 9), tom, "tmrw at 9"),
        (ref, "See you tonight.", f"{ref}TNI", ref, "tonight"),
        (ref, "The minister speaks this evening.", f"{ref}TEV", ref, "this evening"),
        (ref, "Doors open at 8 this evening.", t(ref, 20), ref, "at 8 this evening"),
        (ref, "Tonight at 10pm the polls close.", t(ref, 22), ref, "Tonight at 10pm"),
        (ref, "We meet tomorrow morning.", f"{tom}TMO", tom, "tomorrow morning"),
        (
            ref,
            "He landed yesterday afternoon.",
            f"{ref - DAY}TAF",
            ref - DAY,
            "yesterday afternoon",
        ),
        (
            ref,
            "Call at a quarter past 4 this afternoon.",
            t(ref, 16, 15),
            ref,
            "a quarter past 4 this afternoon",
        ),
        (ref, "Next Tues at 5 then.", t(next_wd(ref, 1), 17), next_wd(ref, 1), "Next Tues at 5"),
        (
            ref,
            "Meet at 7:45 a.m. on Thursday.",
            t(D(2025, 6, 12), 7, 45),
            D(2025, 6, 12),
            "at 7:45 a.m. on Thursday",
        ),
        (ref, "The train arrives at 18:05 tomorrow.", t(tom, 18, 5), tom, "at 18:05 tomorrow"),
        (ref, "Wake-up call at 6 o'clock tomorrow.", t(tom, 6), tom, "at 6 o'clock tomorrow"),
        (R_SUN, "Last night the vote passed.", f"{R_SUN - DAY}TNI", R_SUN - DAY, "Last night"),
        (R_SUN, "The match is tomorrow night.", f"{R_SUN + DAY}TNI", R_SUN + DAY, "tomorrow night"),
        (R_SUN, "It was signed this morning.", f"{R_SUN}TMO", R_SUN, "this morning"),
        (
            R_MON,
            "Meet at ten to six this evening.",
            t(R_MON, 17, 50),
            R_MON,
            "ten to six this evening",
        ),
        (R_MON, "The verdict came at midday.", t(R_MON, 12), R_MON, "at midday"),
        (
            R_MON,
            "Shops open at 9am on Saturday.",
            t(D(2026, 10, 10), 9),
            D(2026, 10, 10),
            "at 9am on Saturday",
        ),
        (R_SAT, "Kick-off at 3pm Sunday.", t(D(2027, 1, 31), 15), D(2027, 1, 31), "at 3pm Sunday"),
        (R_SAT, "Meet friday evening", f"{D(2027, 2, 5)}TEV", D(2027, 2, 5), "friday evening"),
        (
            R_LEAP,
            "A briefing at 11:30 this morning.",
            t(R_LEAP, 11, 30),
            R_LEAP,
            "at 11:30 this morning",
        ),
    ]
    for r, text, value, day, phrase in items:
        add("clock", r, text, value, day, phrase=phrase)


def end_of() -> None:
    """EOD / EOW / EOM / EOY / end of Qn: deadlines (only `latest` is scored)."""
    for ref in (R_TUE, R_SUNEND, R_LEAP, R_SAT):
        y, m = ref.year, ref.month
        q = (m - 1) // 3 + 1
        add(
            "end_of",
            ref,
            "I need it by EOD.",
            ref.isoformat(),
            None,
            ref,
            phrase="EOD",
            deadline=True,
        )
        add(
            "end_of",
            ref,
            "Send the draft by end of day.",
            ref.isoformat(),
            None,
            ref,
            phrase="end of day",
            deadline=True,
        )
        add(
            "end_of",
            ref,
            "Numbers by EOM please.",
            month_value(y, m),
            None,
            month_end(y, m),
            phrase="EOM",
            deadline=True,
        )
        add(
            "end_of",
            ref,
            "The rollout finishes by EOY.",
            f"{y}",
            None,
            D(y, 12, 31),
            phrase="EOY",
            deadline=True,
        )
        add(
            "end_of",
            ref,
            "It will be done by the end of the year.",
            f"{y}",
            None,
            D(y, 12, 31),
            phrase="the end of the year",
            deadline=True,
        )
        add(
            "end_of",
            ref,
            "Wrap it up by end of the month.",
            month_value(y, m),
            None,
            month_end(y, m),
            phrase="end of the month",
            deadline=True,
        )
        qe = month_end(y, q * 3)
        add(
            "end_of",
            ref,
            "Targets are due at the end of the quarter.",
            f"{y}-Q{q}",
            None,
            qe,
            phrase="the end of the quarter",
            deadline=True,
        )
    add(
        "end_of",
        R_TUE,
        "Shipping by end of Q3.",
        "2025-Q3",
        None,
        D(2025, 9, 30),
        phrase="end of Q3",
        deadline=True,
    )
    add(
        "end_of",
        R_SAT,
        "Hiring freeze until the end of Q2.",
        "2027-Q2",
        None,
        D(2027, 6, 30),
        phrase="the end of Q2",
        deadline=True,
    )
    add(
        "end_of",
        R_MON,
        "A decision by close of business Friday.",
        "2026-10-09",
        None,
        D(2026, 10, 9),
        phrase="by close of business Friday",
        deadline=True,
    )
    add(
        "end_of",
        R_SUN,
        "Reply by COB tomorrow.",
        "2026-03-16",
        None,
        D(2026, 3, 16),
        phrase="COB tomorrow",
        deadline=True,
    )
    add(
        "end_of",
        R_TUE,
        "Finish it by end of week.",
        "2025-W24",
        None,
        D(2025, 6, 15),
        phrase="end of week",
        deadline=True,
    )
    add(
        "end_of",
        R_YEAREND,
        "Budget by the end of next month.",
        "2026-01",
        None,
        D(2026, 1, 31),
        phrase="the end of next month",
        deadline=True,
    )
    add(
        "end_of",
        R_LEAP,
        "Decide by the end of February.",
        "2024-02",
        None,
        D(2024, 2, 29),
        phrase="the end of February",
        deadline=True,
    )
    add(
        "end_of",
        R_MON,
        "Launch by end of next year.",
        "2027",
        None,
        D(2027, 12, 31),
        phrase="end of next year",
        deadline=True,
    )


def relative() -> None:
    """Counted weekdays, the week after next, nth weekday of a month, day offsets."""
    wd_names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    for ref in (R_TUE, R_SUN, R_SAT, R_LEAP):
        for n, wd in ((2, 3), (3, 0)):
            day = prev_wd(ref, wd) - (n - 1) * WEEK
            word = {2: "2", 3: "three"}[n]
            add(
                "relative",
                ref,
                f"It started {word} {wd_names[wd]}s ago.",
                day.isoformat(),
                day,
                phrase=f"{word} {wd_names[wd]}s ago",
            )
        day = next_wd(ref, 1) + 3 * WEEK
        add(
            "relative",
            ref,
            "Results come 4 tuesdays from now.",
            day.isoformat(),
            day,
            phrase="4 tuesdays from now",
        )
        after = monday(ref) + 2 * WEEK
        add(
            "relative",
            ref,
            "We meet the week after next.",
            iso_week(after),
            after,
            after + 6 * DAY,
            phrase="the week after next",
        )
        y, m = next_month(ref)
        first_mon = nth_weekday(y, m, 0, 1)
        add(
            "relative",
            ref,
            "Kickoff is the first Monday of next month.",
            first_mon.isoformat(),
            first_mon,
            phrase="the first Monday of next month",
        )
        add(
            "relative",
            ref,
            "Back the day after tomorrow.",
            (ref + 2 * DAY).isoformat(),
            ref + 2 * DAY,
            phrase="the day after tomorrow",
        )
        add(
            "relative",
            ref,
            "It happened the day before yesterday.",
            (ref - 2 * DAY).isoformat(),
            ref - 2 * DAY,
            phrase="the day before yesterday",
        )
        add(
            "relative",
            ref,
            "A ruling is expected in a fortnight.",
            "P2W",
            ref + 14 * DAY,
            phrase="in a fortnight",
        )
        add("relative", ref, "See you in three days.", "P3D", ref + 3 * DAY, phrase="in three days")
        add(
            "relative",
            ref,
            "The trip is a week from tomorrow.",
            (ref + 8 * DAY).isoformat(),
            ref + 8 * DAY,
            phrase="a week from tomorrow",
        )
    items = [
        (
            R_MON,
            "Vote on the last Friday of October.",
            nth_weekday(2026, 10, 4, -1),
            "the last Friday of October",
        ),
        (
            R_MON,
            "The second Tuesday of November.",
            nth_weekday(2026, 11, 1, 2),
            "The second Tuesday of November",
        ),
        (
            R_YEAREND,
            "Elections on the first Thursday in May.",
            nth_weekday(2026, 5, 3, 1),
            "the first Thursday in May",
        ),
        (
            R_TUE,
            "Reviews happen the third Wednesday of next month.",
            nth_weekday(2025, 7, 2, 3),
            "the third Wednesday of next month",
        ),
        (
            R_SAT,
            "Two weeks from Monday we start.",
            D(2027, 2, 1) + 2 * WEEK,
            "Two weeks from Monday",
        ),
        (R_SUN, "The deal closed 5 days ago.", R_SUN - 5 * DAY, "5 days ago"),
        (R_SUN, "Renewal in 6 weeks.", R_SUN + 42 * DAY, "in 6 weeks"),
        (R_LEAP, "The law passed a year ago today.", D(2023, 2, 28), "a year ago today"),
        (R_LEAP28, "It reopens in 2 wks.", R_LEAP28 + 14 * DAY, "in 2 wks"),
        (R_TUE, "Back on mon.", next_wd(R_TUE, 0), "mon"),
        (R_TUE, "Due Thurs.", next_wd(R_TUE, 3), "Thurs"),
        (R_SUN, "Call me tmrw.", R_SUN + DAY, "tmrw"),
        (R_SUN, "Meeting next Weds.", next_wd(R_SUN, 2), "next Weds"),
        (R_SAT, "Starts this coming Friday.", next_wd(R_SAT, 4), "this coming Friday"),
        (R_MON, "The report came out last Tuesday.", prev_wd(R_MON, 1), "last Tuesday"),
        (R_SUNEND, "We talked on Friday.", prev_wd(R_SUNEND, 4), "Friday"),
    ]
    durations = {"in 6 weeks": "P6W", "in 2 wks": "P2W"}
    for ref, text, day, phrase in items:
        add("relative", ref, text, durations.get(phrase, day.isoformat()), day, phrase=phrase)
    # weekends
    for ref in (R_TUE, R_SUN, R_SAT):
        this_mon = monday(ref)
        add(
            "relative",
            ref,
            "Are you free this weekend?",
            f"{iso_week(ref)}-WE",
            this_mon + 5 * DAY,
            this_mon + 6 * DAY,
            phrase="this weekend",
        )
        nxt = this_mon + WEEK
        add(
            "relative",
            ref,
            "Let's go next weekend.",
            f"{iso_week(nxt)}-WE",
            nxt + 5 * DAY,
            nxt + 6 * DAY,
            phrase="next weekend",
        )
    last_sat = nth_weekday(2026, 10, 5, -1)
    add(
        "relative",
        R_MON,
        "Concert on the last weekend of October.",
        f"{iso_week(last_sat)}-WE",
        last_sat,
        last_sat + DAY,
        phrase="the last weekend of October",
    )
    add(
        "relative",
        R_TUE,
        "The wk after next is busy.",
        iso_week(monday(R_TUE) + 2 * WEEK),
        monday(R_TUE) + 2 * WEEK,
        monday(R_TUE) + 2 * WEEK + 6 * DAY,
        phrase="wk after next",
    )
    add(
        "relative",
        R_TUE,
        "Let's sync next wk.",
        iso_week(monday(R_TUE) + WEEK),
        monday(R_TUE) + WEEK,
        monday(R_TUE) + WEEK + 6 * DAY,
        phrase="next wk",
    )
    add(
        "relative",
        R_SUN,
        "Training next week.",
        iso_week(monday(R_SUN) + WEEK),
        monday(R_SUN) + WEEK,
        monday(R_SUN) + WEEK + 6 * DAY,
        phrase="next week",
    )


def seasons_and_parts() -> None:
    """Seasons, quarters, halves, early / mid / late month."""

    def season(year, key):
        start = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}[key]
        first = D(year, start[0], 1)
        last_year = year + 1 if key == "WI" else year
        return first, month_end(last_year, start[1])

    items = [
        (R_TUE, "The law takes effect this summer.", 2025, "SU", "this summer"),
        (R_TUE, "Works begin next spring.", 2026, "SP", "next spring"),
        (R_YEAREND, "Sales dipped last summer.", 2025, "SU", "last summer"),
        (R_YEAREND, "Heating bills this winter.", 2025, "WI", "this winter"),
        (R_SAT, "Snow is expected this winter.", 2026, "WI", "this winter"),
        (R_SUNEND, "Talks resume in the fall.", 2025, "FA", "the fall"),
        (R_SUNEND, "The track reopens in autumn 2026.", 2026, "FA", "autumn 2026"),
        (R_SUN, "Planting this spring.", 2026, "SP", "this spring"),
        (R_MON, "Next summer we travel.", 2027, "SU", "Next summer"),
        (R_MON, "Prices spiked last winter.", 2025, "WI", "last winter"),
        (R_LEAP, "A new album in summer 2024.", 2024, "SU", "summer 2024"),
        (R_LEAP28, "The tour starts in spring.", 2028, "SP", "spring"),
        (R_SAT, "by next autumn", 2027, "FA", "next autumn"),
    ]
    for ref, text, year, key, phrase in items:
        first, last = season(year, key)
        add("season", ref, text, f"{year}-{key}", first, last, phrase=phrase)
    quarters = [
        (R_TUE, "Revenue grew in Q2.", "2025-Q2", D(2025, 4, 1), D(2025, 6, 30), "Q2"),
        (
            R_TUE,
            "Targets for next quarter.",
            "2025-Q3",
            D(2025, 7, 1),
            D(2025, 9, 30),
            "next quarter",
        ),
        (R_YEAREND, "Deliveries in Q1 2026.", "2026-Q1", D(2026, 1, 1), D(2026, 3, 31), "Q1 2026"),
        (R_MON, "The plant opens in H1 2027.", "2027-H1", D(2027, 1, 1), D(2027, 6, 30), "H1 2027"),
        (
            R_SUN,
            "Expect cuts in the second half of the year.",
            "2026-H2",
            D(2026, 7, 1),
            D(2026, 12, 31),
            "the second half of the year",
        ),
        (
            R_SAT,
            "Profits fell last quarter.",
            "2026-Q4",
            D(2026, 10, 1),
            D(2026, 12, 31),
            "last quarter",
        ),
        (
            R_LEAP,
            "The first quarter of 2025 looks weak.",
            "2025-Q1",
            D(2025, 1, 1),
            D(2025, 3, 31),
            "The first quarter of 2025",
        ),
        (
            R_SUNEND,
            "Results for the third quarter.",
            "2025-Q3",
            D(2025, 7, 1),
            D(2025, 9, 30),
            "the third quarter",
        ),
    ]
    for ref, text, value, first, last, phrase in quarters:
        add("season", ref, text, value, first, last, phrase=phrase)
    parts = [
        (R_YEAREND, "A decision in mid-January.", 2026, 1, "mid", "mid-January"),
        (R_TUE, "Early next month we move.", 2025, 7, "early", "Early next month"),
        (R_SUN, "Expect it in late April.", 2026, 4, "late", "late April"),
        (R_MON, "Polling closes mid November.", 2026, 11, "mid", "mid November"),
        (R_SAT, "Back in early March.", 2027, 3, "early", "early March"),
        (R_SUNEND, "Late this month the bill returns.", 2025, 8, "late", "Late this month"),
    ]
    for ref, text, year, month, part, phrase in parts:
        first_day, last_day = {
            "early": (1, 10),
            "mid": (11, 20),
            "late": (21, month_end(year, month).day),
        }[part]
        add(
            "season",
            ref,
            text,
            month_value(year, month),
            D(year, month, first_day),
            D(year, month, last_day),
            phrase=phrase,
        )


def extent() -> None:
    """Bare years and months are whole periods; in a deadline only the end matters."""
    for ref in (R_TUE, R_SUNEND, R_SAT, R_LEAP28):
        y = ref.year
        add(
            "extent",
            ref,
            f"The law changes in {y + 1}.",
            f"{y + 1}",
            D(y + 1, 1, 1),
            D(y + 1, 12, 31),
            phrase=f"{y + 1}",
        )
        add(
            "extent",
            ref,
            f"A new stadium by {y + 2}.",
            f"{y + 2}",
            None,
            D(y + 2, 12, 31),
            phrase=f"by {y + 2}",
            deadline=True,
        )
        add(
            "extent",
            ref,
            "Elections are next year.",
            f"{y + 1}",
            D(y + 1, 1, 1),
            D(y + 1, 12, 31),
            phrase="next year",
        )
        add(
            "extent",
            ref,
            "Inflation peaked last year.",
            f"{y - 1}",
            D(y - 1, 1, 1),
            D(y - 1, 12, 31),
            phrase="last year",
        )
        ny, nm = next_month(ref)
        add(
            "extent",
            ref,
            "The report lands next month.",
            month_value(ny, nm),
            D(ny, nm, 1),
            month_end(ny, nm),
            phrase="next month",
        )
        py, pm = next_month(ref, -1)
        add(
            "extent",
            ref,
            "Rents rose last month.",
            month_value(py, pm),
            D(py, pm, 1),
            month_end(py, pm),
            phrase="last month",
        )
        add(
            "extent",
            ref,
            "Sales are up this month.",
            month_value(y, ref.month),
            D(y, ref.month, 1),
            month_end(y, ref.month),
            phrase="this month",
        )
        add(
            "extent",
            ref,
            "It was a good year for us this year.",
            f"{y}",
            D(y, 1, 1),
            D(y, 12, 31),
            phrase="this year",
        )
        add(
            "extent",
            ref,
            "We can finish within 48 hours.",
            "PT48H",
            None,
            ref + 2 * DAY,
            phrase="within 48 hours",
            deadline=True,
        )
    months = [
        (R_TUE, "The bill returns in September.", 2025, 9, "September", False),
        (R_TUE, "Sign it by October.", 2025, 10, "by October", True),
        (R_SUNEND, "Elections in november", 2025, 11, "november", False),
        (R_YEAREND, "Finish by March.", 2026, 3, "by March", True),
        (R_SAT, "The fair is in May 2027.", 2027, 5, "May 2027", False),
        (R_SUN, "The fund closes in Dec.", 2026, 12, "Dec", False),
        (R_MON, "Payments stop in January 2027.", 2027, 1, "January 2027", False),
        (R_LEAP, "A decision is due in February 2024.", 2024, 2, "February 2024", False),
        (R_LEAP28, "The hearing was in January.", 2028, 1, "January", False),
        (R_SAT, "Opening before June.", 2027, 5, "before June", True),
        (R_SUN, "Out by the summer.", 2026, 8, "by the summer", True),
    ]
    for ref, text, year, month, phrase, deadline in months:
        if phrase == "before June":
            add("extent", ref, text, "2027-06", None, D(2027, 5, 31), phrase=phrase, deadline=True)
        elif phrase == "by the summer":
            add("extent", ref, text, "2026-SU", None, D(2026, 8, 31), phrase=phrase, deadline=True)
        elif deadline:
            add(
                "extent",
                ref,
                text,
                month_value(year, month),
                None,
                month_end(year, month),
                phrase=phrase,
                deadline=True,
            )
        else:
            add(
                "extent",
                ref,
                text,
                month_value(year, month),
                D(year, month, 1),
                month_end(year, month),
                phrase=phrase,
            )
    add(
        "extent",
        R_LEAP,
        "Leap day: the vote is on Feb 29.",
        "2024-02-29",
        D(2024, 2, 29),
        phrase="Feb 29",
    )
    add(
        "extent",
        R_LEAP28,
        "Payments due 29 February 2028.",
        "2028-02-29",
        D(2028, 2, 29),
        phrase="29 February 2028",
    )
    add("extent", R_SUNEND, "Open from today.", R_SUNEND.isoformat(), R_SUNEND, phrase="today")
    add("extent", R_SUNEND, "Back tomorrow.", "2025-09-01", D(2025, 9, 1), phrase="tomorrow")
    add(
        "extent",
        R_YEAREND,
        "Tomorrow the new rules apply.",
        "2026-01-01",
        D(2026, 1, 1),
        phrase="Tomorrow",
    )
    add(
        "extent",
        R_LEAP,
        "Happened on 02/14/2024.",
        "2024-02-14",
        D(2024, 2, 14),
        phrase="02/14/2024",
    )
    add("extent", R_SAT, "Signed on 2027-01-12.", "2027-01-12", D(2027, 1, 12), phrase="2027-01-12")
    add("extent", R_SAT, "Due Jan 31, 2027.", "2027-01-31", D(2027, 1, 31), phrase="Jan 31, 2027")
    add(
        "extent",
        R_MON,
        "The 2020s were rough.",
        "202",
        D(2020, 1, 1),
        D(2029, 12, 31),
        phrase="The 2020s",
    )


def extreme() -> None:
    """Absurd or impossible input: nothing to find, and no crash."""
    for ref, text in (
        (R_TUE, "In the year 99999 robots rule."),
        (R_SUN, "The treaty is dated February 30."),
        (R_MON, "Meet at 25:70 tomorrow-ish."),
        (R_SAT, "Ticket valid until 31/31/2027."),
        (R_LEAP, "Built in 0000 by nobody."),
        (R_YEAREND, "Due in 9999999999 days."),
        (R_SUNEND, "It was 1000000 years from now."),
        (R_LEAP28, "A date like 2025-13-45 is wrong."),
        (R_TUE, "The 45th of June is not a day."),
        (R_SUN, "Page 2026 of the report."),
    ):
        add("extreme", ref, text, None)


def main() -> None:
    holidays_class()
    ranges_class()
    casual_dates()
    clock_times()
    end_of()
    relative()
    seasons_and_parts()
    extent()
    extreme()
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            assert row["phrase"] in row["text"], row
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} phrases to {OUT}")


if __name__ == "__main__":
    main()
