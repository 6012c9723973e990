"""Unit tests for the temporal normaliser (claims/temporal): values, windows, properties."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.temporal import Timex, extract_timexes, extract_timexes_batch
from claims.temporal import dates as D
from claims.temporal import holidays as H

pytestmark = pytest.mark.unit

D_ = dt.date
TIMEX3_VALUE_RE = re.compile(
    r"^(?:PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|FY\d{4}"
    r"|P(?:\d+(?:\.\d+)?|X)[YMWDQECL](?:\d+[MDHY])?(?:T\d+H)?"
    r"|PT(?:\d+|X)[HMS](?:\d+[MS])?"
    r"|XXXX(?:-WXX-(?:[1-7]|WE)(?:T(?:MO|AF|EV|NI))?|-\d\d|-Q\d|-(?:SP|SU|FA|WI))?"
    r"|\d{2,4}(?:-(?:\d\d(?:-\d\d(?:T(?:\d\d:\d\d|MO|AF|EV|NI))?)?|W\d\d(?:-WE)?|Q[1-4]|H[12]"
    r"|SP|SU|FA|WI))?)$"
)


def find(text: str, dct: dt.date, phrase: str, nlp) -> Timex:
    """The timex overlapping `phrase` (which must occur once in `text`)."""
    start = text.index(phrase)
    end = start + len(phrase)
    hits = [t for t in extract_timexes(text, dct, nlp=nlp) if t.start < end and start < t.end]
    assert len(hits) == 1, hits
    return hits[0]


# --- weekdays resolved by tense, from a DCT on every day of the week ---------------------------

# Mon 2025-04-14 … Sun 2025-04-20
WEEK = [D_(2025, 4, 14) + dt.timedelta(days=i) for i in range(7)]


@pytest.mark.parametrize("dct", WEEK, ids=lambda d: d.strftime("%a"))
def test_extract_timexes_future_weekday_is_next_occurrence(dct, nlp):
    text = "The two delegations will resume talks on Wednesday in Geneva."

    timex = find(text, dct, "Wednesday", nlp)

    ahead = (2 - dct.weekday()) % 7
    assert timex.value == (dct + dt.timedelta(days=ahead)).isoformat()
    assert timex.earliest == timex.latest == dct + dt.timedelta(days=ahead)


@pytest.mark.parametrize("dct", WEEK, ids=lambda d: d.strftime("%a"))
def test_extract_timexes_past_weekday_is_latest_occurrence(dct, nlp):
    text = "The two delegations ended their talks on Wednesday without a deal."

    timex = find(text, dct, "Wednesday", nlp)

    behind = (dct.weekday() - 2) % 7
    assert timex.value == (dct - dt.timedelta(days=behind)).isoformat()


@pytest.mark.parametrize("dct", WEEK, ids=lambda d: d.strftime("%a"))
def test_extract_timexes_next_week_window_is_friday_to_sunday(dct, nlp):
    text = "The committee said it would publish its findings next week."

    timex = find(text, dct, "next week", nlp)

    monday = dct - dt.timedelta(days=dct.weekday()) + dt.timedelta(days=7)
    assert timex.value == D.iso_week_value(monday)
    assert (timex.earliest, timex.latest) == (
        monday + dt.timedelta(days=4),
        monday + dt.timedelta(days=6),
    )
    assert (timex.ref_start, timex.ref_end) == (monday, monday + dt.timedelta(days=6))
    assert timex.direction == "future"


@pytest.mark.parametrize("dct", WEEK, ids=lambda d: d.strftime("%a"))
def test_extract_timexes_next_friday_is_first_friday_after_dct(dct, nlp):
    text = "Parliament will vote on the motion next Friday."

    timex = find(text, dct, "next Friday", nlp)

    ahead = (4 - dct.weekday()) % 7 or 7
    assert timex.value == (dct + dt.timedelta(days=ahead)).isoformat()


# --- table of phrases: (DCT, sentence, phrase, value, mod, earliest, latest) ---------------------

CASES = [
    # End of next week, the working week and the calendar week both accepted.
    (
        D_(2025, 4, 18),
        "An agreement could be finished by the end of next week.",
        "the end of next week",
        "2025-W17",
        "END",
        D_(2025, 4, 25),
        D_(2025, 4, 27),
    ),
    # Month boundary: "next month" said on the last day of January in a leap year.
    (
        D_(2024, 1, 31),
        "The council will decide next month.",
        "next month",
        "2024-02",
        None,
        D_(2024, 2, 29),
        D_(2024, 2, 29),
    ),
    # Leap day DCT: tomorrow is 1 March, yesterday 28 February.
    (
        D_(2024, 2, 29),
        "The results will be announced tomorrow.",
        "tomorrow",
        "2024-03-01",
        None,
        D_(2024, 3, 1),
        D_(2024, 3, 1),
    ),
    (
        D_(2024, 2, 29),
        "The mayor resigned yesterday.",
        "yesterday",
        "2024-02-28",
        None,
        D_(2024, 2, 28),
        D_(2024, 2, 28),
    ),
    # Year boundary: "next year" and "this week" across 31 December.
    (
        D_(2025, 12, 31),
        "The new tariff takes effect next year.",
        "next year",
        "2026",
        None,
        D_(2026, 12, 31),
        D_(2026, 12, 31),
    ),
    (
        D_(2026, 1, 1),
        "Ministers met last month to agree the budget.",
        "last month",
        "2025-12",
        None,
        D_(2025, 12, 1),
        D_(2025, 12, 31),
    ),
    # ISO week 53: 2020 and 2026 have one.
    (
        D_(2020, 12, 30),
        "Shops reopened earlier this week.",
        "this week",
        "2020-W53",
        None,
        D_(2020, 12, 28),
        D_(2020, 12, 29),
    ),
    (
        D_(2027, 1, 6),
        "The strike began last week.",
        "last week",
        "2026-W53",
        None,
        D_(2026, 12, 28),
        D_(2027, 1, 3),
    ),
    (
        D_(2026, 12, 22),
        "The ferry service will resume next week.",
        "next week",
        "2026-W53",
        None,
        D_(2027, 1, 1),
        D_(2027, 1, 3),
    ),
    # Month end on a weekend: the last working day is accepted too.
    (
        D_(2025, 5, 6),
        "The plan will be ready by the end of the month.",
        "the end of the month",
        "2025-05",
        "END",
        D_(2025, 5, 30),
        D_(2025, 5, 31),
    ),
    # Absolute dates in several formats.
    (
        D_(2025, 4, 18),
        "The deadline is 30 April 2025.",
        "30 April 2025",
        "2025-04-30",
        None,
        D_(2025, 4, 30),
        D_(2025, 4, 30),
    ),
    (
        D_(2025, 4, 18),
        "The court will rule on May 6, 2025.",
        "May 6, 2025",
        "2025-05-06",
        None,
        D_(2025, 5, 6),
        D_(2025, 5, 6),
    ),
    (
        D_(2025, 4, 18),
        "The filing is due 2025-06-30 at the latest.",
        "2025-06-30",
        "2025-06-30",
        None,
        D_(2025, 6, 30),
        D_(2025, 6, 30),
    ),
    # Year-less dates: next occurrence for the future, latest for the past.
    (
        D_(2025, 11, 22),
        "Firms must register by 31 January.",
        "31 January",
        "2026-01-31",
        None,
        D_(2026, 1, 31),
        D_(2026, 1, 31),
    ),
    (
        D_(2025, 11, 22),
        "The minister resigned on 3 March.",
        "3 March",
        "2025-03-03",
        None,
        D_(2025, 3, 3),
        D_(2025, 3, 3),
    ),
    # Quarters and halves.
    (
        D_(2025, 4, 18),
        "Growth will slow in the third quarter.",
        "the third quarter",
        "2025-Q3",
        None,
        D_(2025, 9, 30),
        D_(2025, 9, 30),
    ),
    (
        D_(2025, 4, 18),
        "The merger should close in the second half of 2025.",
        "the second half of 2025",
        "2025-H2",
        None,
        D_(2025, 12, 31),
        D_(2025, 12, 31),
    ),
    # Early / mid / late.
    (
        D_(2025, 9, 10),
        "The price cap will be announced early next month.",
        "early next month",
        "2025-10",
        "START",
        D_(2025, 10, 7),
        D_(2025, 10, 15),
    ),
    (
        D_(2025, 9, 10),
        "Voting is expected to take place in mid-October.",
        "mid-October",
        "2025-10",
        "MID",
        D_(2025, 10, 11),
        D_(2025, 10, 20),
    ),
    # Counted spans.
    (
        D_(2026, 1, 14),
        "Companies will have to file within six weeks.",
        "six weeks",
        "P6W",
        None,
        D_(2026, 2, 24),
        D_(2026, 2, 25),
    ),
    (
        D_(2025, 11, 22),
        "A decision will come within a month.",
        "a month",
        "P1M",
        None,
        D_(2025, 12, 21),
        D_(2025, 12, 22),
    ),
    (
        D_(2024, 3, 5),
        "The runoff will be held three weeks from now.",
        "three weeks from now",
        "2024-03-26",
        None,
        D_(2024, 3, 25),
        D_(2024, 3, 27),
    ),
    (
        D_(2025, 6, 27),
        "The bill passed its second reading a fortnight ago.",
        "a fortnight ago",
        "2025-06-13",
        None,
        D_(2025, 6, 12),
        D_(2025, 6, 14),
    ),
    # Holidays, computed.
    (
        D_(2025, 4, 17),
        "They hope to finish the list by Easter.",
        "Easter",
        "2025-04-20",
        None,
        D_(2025, 4, 18),
        D_(2025, 4, 20),
    ),
    (
        D_(2026, 3, 2),
        "The new rules will apply by Easter.",
        "Easter",
        "2026-04-05",
        None,
        D_(2026, 4, 3),
        D_(2026, 4, 5),
    ),
    (
        D_(2024, 11, 4),
        "Leaders want a deal before Thanksgiving.",
        "Thanksgiving",
        "2024-11-28",
        None,
        D_(2024, 11, 22),
        D_(2024, 11, 27),
    ),
    (
        D_(2025, 11, 22),
        "The government hopes to pass the budget before Christmas.",
        "Christmas",
        "2025-12-25",
        None,
        D_(2025, 12, 19),
        D_(2025, 12, 24),
    ),
    # Seasons: "by" = the start of the season, "next" = its end.
    (
        D_(2025, 6, 27),
        "The review will conclude by the autumn.",
        "the autumn",
        "2025-FA",
        None,
        D_(2025, 8, 31),
        D_(2025, 9, 22),
    ),
    (
        D_(2024, 3, 5),
        "The map will be published next spring.",
        "next spring",
        "2025-SP",
        None,
        D_(2025, 5, 31),
        D_(2025, 6, 20),
    ),
    # Fiscal year and target years.
    (
        D_(2024, 3, 5),
        "Congress must act before the end of the federal fiscal year.",
        "the end of the federal fiscal year",
        "FY2024",
        "END",
        D_(2024, 9, 30),
        D_(2024, 9, 30),
    ),
    (
        D_(2025, 9, 10),
        "The country pledged to cut emissions by 2030.",
        "2030",
        "2030",
        None,
        D_(2030, 1, 1),
        D_(2030, 12, 31),
    ),
    # Past periods.
    (
        D_(2026, 1, 14),
        "Farmers protested outside parliament earlier this month.",
        "earlier this month",
        "2026-01",
        None,
        D_(2026, 1, 1),
        D_(2026, 1, 13),
    ),
    (
        D_(2025, 9, 10),
        "The sugar tax was introduced last spring.",
        "last spring",
        "2025-SP",
        None,
        D_(2025, 3, 1),
        D_(2025, 6, 20),
    ),
]


@pytest.mark.parametrize(
    ("dct", "text", "phrase", "value", "mod", "earliest", "latest"),
    CASES,
    ids=[f"{c[0]}:{c[2]}" for c in CASES],
)
def test_extract_timexes_resolves_value_and_window(
    dct, text, phrase, value, mod, earliest, latest, nlp
):
    timex = find(text, dct, phrase, nlp)

    assert (timex.value, timex.mod) == (value, mod)
    assert (timex.earliest, timex.latest) == (earliest, latest)


VAGUE_CASES = [
    (
        D_(2026, 3, 1),
        "Food could run out in the coming days.",
        "the coming days",
        "FUTURE_REF",
        D_(2026, 3, 4),
        D_(2026, 3, 11),
    ),
    (
        D_(2024, 11, 4),
        "The Fed will decide in the coming weeks.",
        "the coming weeks",
        "FUTURE_REF",
        D_(2024, 11, 18),
        D_(2024, 12, 16),
    ),
    (
        D_(2025, 4, 18),
        "Within a matter of days we will know.",
        "a matter of days",
        "PXD",
        D_(2025, 4, 21),
        D_(2025, 4, 28),
    ),
    (
        D_(2025, 4, 18),
        "A decision is expected very soon.",
        "very soon",
        "FUTURE_REF",
        D_(2025, 4, 19),
        None,
    ),
]


@pytest.mark.parametrize(("dct", "text", "phrase", "value", "earliest", "latest"), VAGUE_CASES)
def test_extract_timexes_marks_vague_phrases(dct, text, phrase, value, earliest, latest, nlp):
    timex = find(text, dct, phrase, nlp)

    assert timex.vague
    assert (timex.value, timex.earliest, timex.latest) == (value, earliest, latest)


@pytest.mark.parametrize(
    ("text", "phrase", "type_", "value"),
    [
        ("Both sides agreed a 30-day ceasefire.", "30-day", "DURATION", "P30D"),
        ("He served for three years as mayor.", "three years", "DURATION", "P3Y"),
        ("The talks lasted two and a half hours.", "two and a half hours", "DURATION", "PT2H30M"),
        ("The council meets every Monday.", "every Monday", "SET", "XXXX-WXX-1"),
        ("The figures are published weekly.", "weekly", "SET", "P1W"),
        ("The minister spoke on Friday evening.", "Friday evening", "TIME", "2025-04-18TEV"),
        (
            "The polls close at 9 p.m. on Thursday.",
            "9 p.m. on Thursday",
            "TIME",
            "2025-04-24T21:00",
        ),
        ("Inflation is now falling.", "now", "DATE", "PRESENT_REF"),
        ("Prices have risen recently.", "recently", "DATE", "PAST_REF"),
        ("Unemployment peaked in the 1990s.", "the 1990s", "DATE", "199"),
        ("The bridge was built two years ago.", "two years ago", "DATE", "2023"),
    ],
)
def test_extract_timexes_types_and_values(text, phrase, type_, value, nlp):
    timex = find(text, D_(2025, 4, 18), phrase, nlp)

    assert (timex.type, timex.value) == (type_, value)


def test_extract_timexes_year_earlier_follows_the_quarter_last_mentioned(nlp):
    text = (
        "The company reported a third-quarter loss of $5 million. "
        "It had earned $2 million a year earlier."
    )

    found = extract_timexes(text, D_(2025, 11, 3), nlp=nlp)

    assert [(t.text, t.value) for t in found] == [
        ("third-quarter", "2025-Q3"),
        ("a year earlier", "2024-Q3"),
    ]


def test_extract_timexes_rule_reads_like_a_sentence(nlp):
    timex = find(
        "A deal could be signed by the end of next week.",
        D_(2025, 4, 18),
        "the end of next week",
        nlp,
    )

    assert "Fri 18 Apr 2025 → Fri 25 Apr 2025 … Sun 27 Apr 2025" in timex.rule


def test_extract_timexes_ignores_non_temporal_words(nlp):
    text = "May I know what you mean? He will march to the Eastern gate with 1500 troops."

    assert extract_timexes(text, D_(2025, 4, 18), nlp=nlp) == []


def test_extract_timexes_accepts_a_datetime_dct_and_a_parsed_doc(nlp):
    text = "Talks will resume on Monday."
    doc = nlp(text)

    found = extract_timexes(text, dt.datetime(2025, 4, 18, 9, 30), doc=doc)

    assert [t.value for t in found] == ["2025-04-21"]


def test_extract_timexes_batch_matches_single_calls(nlp):
    items = [
        ("The vote is next week.", D_(2025, 4, 18)),
        ("", D_(2025, 4, 18)),
        ("It ended last month.", D_(2024, 3, 1)),
    ]

    batch = extract_timexes_batch(items, nlp=nlp, batch_size=2)

    assert batch == [extract_timexes(text, dct, nlp=nlp) for text, dct in items]


def test_timex_to_dict_is_json_safe(nlp):
    timex = find("Talks resume next week.", D_(2025, 4, 18), "next week", nlp)

    data = timex.to_dict()

    assert data["earliest"] == "2025-04-25"
    assert data["latest"] == "2025-04-27"
    assert set(data) >= {
        "start",
        "end",
        "text",
        "type",
        "value",
        "mod",
        "granularity",
        "direction",
        "vague",
        "rule",
        "ref_start",
        "ref_end",
    }


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, D_(2024, 3, 31)),
        (2025, D_(2025, 4, 20)),
        (2026, D_(2026, 4, 5)),
        (2038, D_(2038, 4, 25)),
        (2285, D_(2285, 3, 22)),
    ],
)
def test_easter_sunday_matches_known_dates(year, easter):
    assert D.easter_sunday(year) == easter


def test_thanksgiving_is_fourth_thursday_of_november():
    assert [H.observance("thanksgiving", y)[0] for y in (2024, 2025, 2026)] == [
        D_(2024, 11, 28),
        D_(2025, 11, 27),
        D_(2026, 11, 26),
    ]


# --- properties ----------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "by",
        "the",
        "end",
        "of",
        "next",
        "week",
        "Friday",
        "May",
        "March",
        "2025",
        "1990s",
        "in",
        "two",
        "weeks",
        "ago",
        "earlier",
        "last",
        "year",
        "quarter",
        "third-quarter",
        "Easter",
        "before",
        "Christmas",
        "within",
        "days",
        "a",
        "matter",
        "soon",
        "now",
        "9",
        "p.m.",
        "on",
        "31",
        "April",
        "spring",
        "fall",
        "mid-October",
        "early",
        "fiscal",
        "FY24",
        ",",
        ".",
        "'s",
        "12/31/2024",
        "2024-02-29",
        "every",
        "Monday",
        "daily",
        "half",
        "of",
        "twenty-four",
        "hours",
    ]
)
DCTS = st.dates(min_value=D_(1990, 1, 1), max_value=D_(2040, 12, 31))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(WORDS, max_size=14), dct=DCTS)
def test_extract_timexes_properties_on_temporal_word_salad(words, dct, nlp):
    text = " ".join(words)

    found = extract_timexes(text, dct, nlp=nlp)

    for timex in found:
        assert text[timex.start : timex.end] == timex.text
        assert TIMEX3_VALUE_RE.match(timex.value), timex.value
        if timex.earliest and timex.latest:
            assert timex.earliest <= timex.latest
        assert timex.type in ("DATE", "TIME", "DURATION", "SET")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=80), dct=DCTS)
def test_extract_timexes_never_raises_on_any_text(text, dct, nlp):
    found = extract_timexes(text, dct, nlp=nlp)

    assert all(text[t.start : t.end] == t.text for t in found)


# --- deadline phrases of our own: (DCT, sentence, phrase, earliest, latest) -------------------
# Windows hand-computed from DEADLINES.md (future: last acceptable deadline dates; past: the
# period) and double-checked with datetime arithmetic; DCTs cover every weekday, month and year
# ends, a leap year and ISO week 53.

DEADLINE_CASES = [
    # Vague spans without a count: days 3–10, weeks 2–6 after the DCT.
    (
        D_(2025, 4, 16),
        "Officials said a deal could come within days.",
        "days",
        D_(2025, 4, 19),
        D_(2025, 4, 26),
    ),
    (
        D_(2025, 6, 13),
        "He warned the ceasefire would collapse unless aid arrived within days.",
        "days",
        D_(2025, 6, 16),
        D_(2025, 6, 23),
    ),
    (
        D_(2025, 10, 31),
        "Negotiators hope to close the gaps in days.",
        "days",
        D_(2025, 11, 3),
        D_(2025, 11, 10),
    ),
    (
        D_(2025, 3, 9),
        "Investors expect a rate cut in the next few days.",
        "the next few days",
        D_(2025, 3, 12),
        D_(2025, 3, 19),
    ),
    (
        D_(2025, 12, 30),
        "A reply is expected within a few days.",
        "a few days",
        D_(2026, 1, 2),
        D_(2026, 1, 9),
    ),
    (
        D_(2025, 9, 29),
        "The inquiry will report in a few weeks.",
        "a few weeks",
        D_(2025, 10, 13),
        D_(2025, 11, 10),
    ),
    (
        D_(2025, 7, 31),
        "The army will pull out within weeks.",
        "weeks",
        D_(2025, 8, 14),
        D_(2025, 9, 11),
    ),
    (
        D_(2025, 2, 28),
        "Prices will keep rising in the coming months.",
        "the coming months",
        D_(2025, 4, 29),
        D_(2025, 8, 30),
    ),
    # Counted spans: DCT + N, "within" accepts only −1 day, "in" ±1 day.
    (
        D_(2025, 1, 2),
        "Ministers will meet again in two weeks.",
        "two weeks",
        D_(2025, 1, 15),
        D_(2025, 1, 17),
    ),
    (
        D_(2025, 3, 1),
        "The board will decide within six weeks.",
        "six weeks",
        D_(2025, 4, 11),
        D_(2025, 4, 12),
    ),
    (
        D_(2025, 2, 1),
        "Troops must withdraw within 48 hours.",
        "48 hours",
        D_(2025, 2, 2),
        D_(2025, 2, 3),
    ),
    (
        D_(2024, 2, 22),
        "A reply is expected within a fortnight.",
        "a fortnight",
        D_(2024, 3, 6),
        D_(2024, 3, 7),
    ),
    (
        D_(2025, 3, 4),
        "The treaty was signed a fortnight ago.",
        "a fortnight ago",
        D_(2025, 2, 17),
        D_(2025, 2, 19),
    ),
    # Days and weekends.
    (
        D_(2025, 7, 15),
        "The minister will address the nation tonight.",
        "tonight",
        D_(2025, 7, 15),
        D_(2025, 7, 15),
    ),
    (
        D_(2025, 5, 30),
        "Talks will continue over the weekend.",
        "the weekend",
        D_(2025, 5, 30),
        D_(2025, 6, 1),
    ),
    (
        D_(2025, 12, 18),
        "Protesters plan to march this weekend.",
        "this weekend",
        D_(2025, 12, 19),
        D_(2025, 12, 21),
    ),
    (
        D_(2025, 12, 27),
        "The talks will resume on Monday.",
        "Monday",
        D_(2025, 12, 29),
        D_(2025, 12, 29),
    ),
    (D_(2026, 1, 4), "The vote will be held on Friday.", "Friday", D_(2026, 1, 9), D_(2026, 1, 9)),
    # Weeks across a year end and ISO week 53 (2026 has one).
    (
        D_(2025, 12, 31),
        "The tariff takes effect next week.",
        "next week",
        D_(2026, 1, 9),
        D_(2026, 1, 11),
    ),
    (
        D_(2026, 12, 31),
        "The new rules apply from next week.",
        "next week",
        D_(2027, 1, 8),
        D_(2027, 1, 10),
    ),
    # Months: the last working day … the last day; mid = 11th–20th; early = 7th–15th.
    (
        D_(2025, 6, 30),
        "The ministry will publish the figures next month.",
        "next month",
        D_(2025, 7, 31),
        D_(2025, 7, 31),
    ),
    (
        D_(2025, 12, 31),
        "The bill will pass by the end of next month.",
        "the end of next month",
        D_(2026, 1, 30),
        D_(2026, 1, 31),
    ),
    (
        D_(2025, 3, 31),
        "The report is due by mid-April.",
        "mid-April",
        D_(2025, 4, 11),
        D_(2025, 4, 20),
    ),
    (
        D_(2025, 4, 18),
        "The accord will be in place by mid-October.",
        "mid-October",
        D_(2025, 10, 11),
        D_(2025, 10, 20),
    ),
    (
        D_(2025, 11, 26),
        "A decision is expected early next month.",
        "early next month",
        D_(2025, 12, 7),
        D_(2025, 12, 15),
    ),
    (
        D_(2025, 9, 14),
        "The committee will report later this month.",
        "later this month",
        D_(2025, 9, 30),
        D_(2025, 9, 30),
    ),
    (
        D_(2025, 1, 30),
        "The strike ended last month.",
        "last month",
        D_(2024, 12, 1),
        D_(2024, 12, 31),
    ),
    (
        D_(2025, 8, 15),
        "The statute will be amended by 31 January.",
        "31 January",
        D_(2026, 1, 31),
        D_(2026, 1, 31),
    ),
    # Seasons (meteorological … astronomical) and holidays (computed).
    (
        D_(2025, 1, 15),
        "Elections will be held next spring.",
        "next spring",
        D_(2025, 5, 31),
        D_(2025, 6, 20),
    ),
    (
        D_(2025, 6, 2),
        "The plant will reopen by the end of the summer.",
        "the end of the summer",
        D_(2025, 8, 31),
        D_(2025, 9, 21),
    ),
    (
        D_(2025, 11, 10),
        "Congress must act by Thanksgiving.",
        "Thanksgiving",
        D_(2025, 11, 26),
        D_(2025, 11, 27),
    ),
    (
        D_(2026, 3, 24),
        "Lawmakers want the list finalised by Easter.",
        "Easter",
        D_(2026, 4, 3),
        D_(2026, 4, 5),
    ),
    (
        D_(2025, 12, 4),
        "Ministers aim to agree before Christmas.",
        "Christmas",
        D_(2025, 12, 19),
        D_(2025, 12, 24),
    ),
    # Years and decades.
    (
        D_(2025, 10, 13),
        "The reforms will start in the new year.",
        "the new year",
        D_(2026, 1, 31),
        D_(2026, 3, 31),
    ),
    (
        D_(2025, 11, 3),
        "The factory will close by year-end.",
        "year-end",
        D_(2025, 12, 31),
        D_(2025, 12, 31),
    ),
    (
        D_(2024, 12, 31),
        "The law will take effect next year.",
        "next year",
        D_(2025, 12, 31),
        D_(2025, 12, 31),
    ),
    (
        D_(2025, 4, 1),
        "Emissions must halve by the end of the decade.",
        "the end of the decade",
        D_(2029, 12, 31),
        D_(2029, 12, 31),
    ),
    # A promised year-less date just behind the DCT is next year's.
    (
        D_(2026, 1, 5),
        "The government will publish its response by December 31.",
        "December 31",
        D_(2026, 12, 31),
        D_(2026, 12, 31),
    ),
    # A quarter two or more behind the DCT, spoken of in the future, is next year's.
    (
        D_(2025, 10, 7),
        "The central bank said it would review the policy in the first quarter.",
        "the first quarter",
        D_(2026, 3, 31),
        D_(2026, 3, 31),
    ),
    (
        D_(2025, 10, 7),
        "Negotiators have until Monday to reach a deal.",
        "Monday",
        D_(2025, 10, 13),
        D_(2025, 10, 13),
    ),
    (
        D_(2025, 10, 7),
        "The judge adjourned the trial until Monday.",
        "Monday",
        D_(2025, 10, 13),
        D_(2025, 10, 13),
    ),
    (
        D_(2025, 12, 3),
        "The minister promised a decision by Christmas Day.",
        "Christmas Day",
        D_(2025, 12, 24),
        D_(2025, 12, 25),
    ),
    # Counted from a named day.
    (
        D_(2025, 5, 28),
        "The bill will be debated a week from Monday.",
        "a week from Monday",
        D_(2025, 6, 9),
        D_(2025, 6, 9),
    ),
    (
        D_(2025, 6, 29),
        "The party will choose a leader two weeks from today.",
        "two weeks from today",
        D_(2025, 7, 12),
        D_(2025, 7, 14),
    ),
    (
        D_(2026, 1, 2),
        "The terminal should open in a year's time.",
        "a year",
        D_(2027, 1, 1),
        D_(2027, 1, 3),
    ),
    (
        D_(2025, 5, 28),
        "The fares change a year from now.",
        "a year from now",
        D_(2026, 5, 27),
        D_(2026, 5, 29),
    ),
    # Short numeric and bare ordinal dates after a date preposition.
    (
        D_(2025, 5, 28),
        "The governor wants a budget by 3/15.",
        "3/15",
        D_(2026, 3, 15),
        D_(2026, 3, 15),
    ),
    (
        D_(2026, 11, 19),
        "The final vote is set for the 30th.",
        "the 30th",
        D_(2026, 11, 30),
        D_(2026, 11, 30),
    ),
    # Fiscal years: US federal (Oct–Sep) when the sentence is about Washington, UK (Apr–Mar).
    (
        D_(2025, 11, 11),
        "Congress must agree spending before the end of the fiscal year.",
        "the fiscal year",
        D_(2026, 9, 30),
        D_(2026, 9, 30),
    ),
    (
        D_(2026, 2, 2),
        "The trust must clear its deficit by the end of the financial year.",
        "the financial year",
        D_(2026, 3, 31),
        D_(2026, 3, 31),
    ),
    # Recesses, New Year, decades, "this time next year".
    (
        D_(2025, 5, 28),
        "MPs will vote on the bill before the summer recess.",
        "the summer recess",
        D_(2025, 7, 18),
        D_(2025, 7, 31),
    ),
    (
        D_(2025, 12, 18),
        "The ministry wants the rules agreed by New Year.",
        "New Year",
        D_(2025, 12, 31),
        D_(2026, 1, 1),
    ),
    (
        D_(2025, 12, 3),
        "Ministers want the contracts signed before the new year.",
        "the new year",
        D_(2025, 12, 31),
        D_(2025, 12, 31),
    ),
    (
        D_(2025, 12, 18),
        "Capacity will double over the next decade.",
        "the next decade",
        D_(2035, 12, 17),
        D_(2035, 12, 18),
    ),
    (
        D_(2025, 10, 7),
        "The summit will take place this time next year.",
        "this time next year",
        D_(2026, 9, 30),
        D_(2026, 10, 14),
    ),
    (
        D_(2026, 2, 2),
        "The commission will report at the start of next month.",
        "the start of next month",
        D_(2026, 3, 1),
        D_(2026, 3, 10),
    ),
    # A demand, threat or promise with an object: the time after the object is the act's.
    (
        D_(2025, 2, 14),
        "Opposition leaders have demanded a vote within 14 days.",
        "14 days",
        D_(2025, 2, 27),
        D_(2025, 2, 28),
    ),
    (
        D_(2026, 4, 25),
        "Unions have threatened a general strike in May.",
        "May",
        D_(2026, 5, 29),
        D_(2026, 5, 31),
    ),
    (
        D_(2026, 4, 25),
        "The cabinet approved a ceasefire extension until March.",
        "March",
        D_(2027, 3, 31),
        D_(2027, 3, 31),
    ),
    (
        D_(2025, 6, 11),
        "A decision is expected by the end of the day.",
        "the end of the day",
        D_(2025, 6, 11),
        D_(2025, 6, 11),
    ),
    (
        D_(2025, 6, 11),
        "The deal must be agreed by close of business Friday.",
        "close of business Friday",
        D_(2025, 6, 13),
        D_(2025, 6, 13),
    ),
    (
        D_(2025, 6, 11),
        "A ruling is expected within the next fortnight.",
        "the next fortnight",
        D_(2025, 6, 24),
        D_(2025, 6, 25),
    ),
    # Numbered parts of a month or year, and "the week commencing".
    (
        D_(2025, 10, 15),
        "Talks will be held in the first week of December.",
        "the first week of December",
        D_(2025, 12, 5),
        D_(2025, 12, 7),
    ),
    (
        D_(2025, 10, 15),
        "The vote is set for the last Friday in June.",
        "the last Friday in June",
        D_(2026, 6, 26),
        D_(2026, 6, 26),
    ),
    (
        D_(2025, 12, 31),
        "The bill will pass in the first three months of next year.",
        "the first three months",
        D_(2026, 3, 31),
        D_(2026, 3, 31),
    ),
    (
        D_(2025, 3, 10),
        "The hearing will be held in the week commencing 24 March.",
        "the week commencing 24 March",
        D_(2025, 3, 28),
        D_(2025, 3, 30),
    ),
    # Ranges: the window runs to the far end.
    (
        D_(2025, 12, 18),
        "A deal is expected over the next two to three weeks.",
        "three weeks",
        D_(2026, 1, 1),
        D_(2026, 1, 8),
    ),
    (
        D_(2025, 5, 4),
        "The summit will be held May 20-25.",
        "May 20-25",
        D_(2025, 5, 25),
        D_(2025, 5, 25),
    ),
    (
        D_(2026, 5, 21),
        "The pilot runs from June 1 through June 5.",
        "June 1",
        D_(2026, 6, 1),
        D_(2026, 6, 5),
    ),
    # A missed deadline keeps its deadline window, in the past.
    (
        D_(2026, 3, 16),
        "They had promised the report before Christmas but missed it.",
        "Christmas",
        D_(2025, 12, 19),
        D_(2025, 12, 24),
    ),
    (
        D_(2026, 3, 1),
        "The court gave the two parties until Easter to settle.",
        "Easter",
        D_(2026, 4, 3),
        D_(2026, 4, 5),
    ),
    (
        D_(2025, 1, 31),
        "The agreement took effect five years ago today.",
        "five years ago today",
        D_(2020, 1, 31),
        D_(2020, 1, 31),
    ),
]


@pytest.mark.parametrize(
    ("dct", "text", "phrase", "earliest", "latest"),
    DEADLINE_CASES,
    ids=[f"{c[0]}:{c[2]}" for c in DEADLINE_CASES],
)
def test_extract_timexes_deadline_window(dct, text, phrase, earliest, latest, nlp):
    timex = find(text, dct, phrase, nlp)

    assert (timex.earliest, timex.latest) == (earliest, latest), timex.rule


def test_deadline_cases_cover_every_weekday():
    assert {c[0].weekday() for c in DEADLINE_CASES} == set(range(7))


# --- TimeML annotation conventions (TBAQ / TempEval-3): what is and is not a TIMEX3 ------------

NOT_TIMEX_CASES = [
    ("Marchers marked the 1963 March on Washington.", "March"),
    ("At the end of the day, voters will decide.", "the end of the day"),
    ("The plane crashed shortly after takeoff.", "shortly"),
    ("Shares recovered after the fall in prices.", "the fall"),
    ("It fell by 1/3 in a week.", "1/3"),
    ("Ms. Varga, 48 years old, will chair the new committee.", "48 years"),
    ("The council screened High Noon for the pensioners.", "Noon"),
    ("Thousands joined the annual March for Clean Rivers in the capital.", "March"),
    ('The minister spoke on the talk show "Next Week Tonight" about the levy.', "Next Week"),
    ("The ministry had previously rejected the harbour plan.", "previously"),
    ("The mayor, formerly a teacher, opened the library.", "formerly"),
    ("The ferry sank in the storm and its crew was soon rescued.", "soon"),
]


@pytest.mark.parametrize(("text", "phrase"), NOT_TIMEX_CASES)
def test_extract_timexes_skips_phrases_timeml_does_not_annotate(text, phrase, nlp):
    start = text.index(phrase)
    end = start + len(phrase)

    found = extract_timexes(text, D_(2025, 6, 11), nlp=nlp)

    assert [t.text for t in found if t.start < end and start < t.end] == []


TIMEML_VALUE_CASES = [
    # "recently" before a participle is still PAST_REF (TimeML annotates the adverb).
    (D_(2025, 6, 11), "The agency recently approved the new tariff.", "recently", "PAST_REF"),
    # "soon" in a forward-looking sentence stays FUTURE_REF.
    (D_(2025, 6, 11), "The agency will soon approve the new tariff.", "soon", "FUTURE_REF"),
    # "the full year" is the year under discussion.
    (D_(2025, 11, 3), "Sales for the full year rose 4%.", "the full year", "2025"),
    # A purpose clause of a past event is past: the rally was held to mark Friday's vote.
    (
        D_(2025, 6, 11),
        "Farmers staged rallies to celebrate the vote on Friday.",
        "Friday",
        "2025-06-06",
    ),
    # The latest quarter is a finished one, even right after a forecast for the current one.
    (
        D_(2025, 11, 3),
        "The firm expects a fourth-quarter charge. Profit fell 5% in the latest quarter.",
        "the latest quarter",
        "2025-Q3",
    ),
    # Fractions and "a couple of": 2 1/2 years is 2 years 6 months, a couple is two.
    (D_(2025, 6, 11), "The talks dragged on for 2 1/2 years.", "2 1/2 years", "P2Y6M"),
    (D_(2025, 6, 11), "The flight took about 5 1/2 hours.", "about 5 1/2 hours", "PT5H30M"),
    (D_(2025, 6, 11), "It may take a couple of years.", "a couple of years", "P2Y"),
    # "one day" is "someday" only when the sentence looks ahead; hyphenated it is a duration.
    (D_(2025, 6, 11), "The mill will one day reopen.", "one day", "FUTURE_REF"),
    (D_(2025, 6, 11), "She had been in the post one day.", "one day", "P1D"),
    (D_(2025, 6, 11), "Workers held a one-day strike.", "one-day", "P1D"),
    # A year in words after a month or a season belongs to it.
    (D_(2025, 6, 11), "It began in January nineteen ninety-seven.", "January", "1997-01"),
    (D_(2025, 6, 11), "It began in the winter of nineteen ninety-four.", "the winter", "1994-WI"),
    # Anchored on the date that follows, not the one before.
    (D_(2000, 2, 24), "It fell on the day before last Tuesday.", "the day before", "2000-02-21"),
    (D_(2000, 2, 24), "Hearings open the week of March 6.", "the week of", "2000-W10"),
    # "could not be reached Tuesday" reports an attempt already made.
    (D_(2025, 6, 11), "He could not be reached for comment Tuesday.", "Tuesday", "2025-06-10"),
    (D_(2025, 6, 11), "A spokesman declined to comment Tuesday.", "Tuesday", "2025-06-10"),
    (D_(2025, 6, 11), "They agreed to meet on Friday.", "Friday", "2025-06-13"),
    # "that day" leans on the date last mentioned; "mid-1996" is the year with a MID mod.
    (
        D_(2025, 6, 11),
        "Polls closed on May 4. Later that day, he conceded.",
        "that day",
        "2025-05-04",
    ),
    (D_(2025, 6, 11), "He returned in mid-1996 to the capital.", "mid-1996", "1996"),
    (D_(2025, 6, 11), "The board will decide at a later date.", "a later date", "FUTURE_REF"),
    # Wire-copy weekdays: attribution before or after, and a narrative "By Sunday, … had".
    (
        D_(2013, 3, 19),
        "The company said Monday it would close three plants.",
        "Monday",
        "2013-03-18",
    ),
    (
        D_(2013, 3, 19),
        "The Senate will vote on the bill Thursday, aides said.",
        "Thursday",
        "2013-03-21",
    ),
    (D_(2013, 3, 19), "By Sunday, the death toll had risen to 40.", "Sunday", "2013-03-17"),
    (
        D_(2013, 3, 19),
        "The talks, which had been scheduled for Friday, were postponed.",
        "Friday",
        "2013-03-15",
    ),
    (D_(2013, 3, 19), "Talks were postponed until Friday.", "Friday", "2013-03-22"),
    (
        D_(2013, 3, 19),
        "Rebels gathered Wednesday night in the square.",
        "Wednesday night",
        "2013-03-13TNI",
    ),
    # 24-hour GMT times are clock times, never years.
    (
        D_(2013, 3, 19),
        "The blast came at 2:50 p.m. local time (1850 GMT).",
        "1850 GMT",
        "2013-03-19T18:50",
    ),
    # "the next month" in a past narrative follows the date last named.
    (
        D_(2013, 3, 19),
        "She was arrested in May 2011 and released the next month.",
        "the next month",
        "2011-06",
    ),
    (D_(2013, 3, 19), "The company was founded more than a century ago.", "a century ago", "19"),
    (D_(2013, 3, 19), "Protesters gathered again Saturday, a day after clashes.", "a day", "P1D"),
    (
        D_(2013, 3, 19),
        "Negotiators will meet again in the afternoon.",
        "the afternoon",
        "2013-03-19TAF",
    ),
    (D_(2013, 3, 19), "Construction will begin in the fall.", "the fall", "2013-FA"),
    (D_(2013, 3, 19), "Aid arrived now that the roads are open.", "now", "PRESENT_REF"),
    # 2013 wire copy: AP quarters, the 2001 attacks, futures months, clock time on a named day.
    (
        D_(2013, 7, 26),
        "Profit rose in the April-June quarter.",
        "the April-June quarter",
        "2013-Q2",
    ),
    (
        D_(2013, 3, 1),
        "Since the Sept. 11 attacks, security has tightened.",
        "Sept. 11",
        "2001-09-11",
    ),
    (D_(2013, 3, 1), "Crude for April delivery fell 2%.", "April", "2013-04"),
    (D_(2013, 3, 1), "It struck at 8 p.m. local time on Feb. 28.", "8 p.m.", "2013-02-28T20:00"),
    (D_(2013, 3, 1), "Both sides have fought for two decades.", "two decades", "P20Y"),
    (D_(2025, 3, 10), "Parliament will reconvene on Friday week.", "Friday week", "2025-03-21"),
    (D_(2025, 8, 2), "The report will be published a week today.", "a week today", "2025-08-09"),
    (
        D_(2025, 10, 15),
        "Officials will not comment before Friday's deadline.",
        "Friday",
        "2025-10-17",
    ),
    # "N days later" is a DURATION in TimeML (the adverb is a signal).
    (D_(2000, 4, 22), "He was freed on April 20. Three days later, he left.", "Three days", "P3D"),
    (D_(2000, 4, 22), "A few days later, the firm announced losses.", "A few days", "PXD"),
    (
        D_(2000, 4, 3),
        "Officials gave them until 9 a.m. Tuesday to sign.",
        "Tuesday",
        "2000-04-04T09:00",
    ),
    (
        D_(2000, 1, 7),
        "Protesters planned a large rally in Miami on Saturday.",
        "Saturday",
        "2000-01-08",
    ),
]


@pytest.mark.parametrize(("dct", "text", "phrase", "value"), TIMEML_VALUE_CASES)
def test_extract_timexes_follows_timeml_value_conventions(dct, text, phrase, value, nlp):
    assert find(text, dct, phrase, nlp).value == value
