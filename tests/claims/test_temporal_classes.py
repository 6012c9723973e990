"""Unit tests for classes of TimeML values the normaliser reads (issue 14): one table per class.

Every sentence is our own; each row names the phrase, the span we expect and its value.
"""

from __future__ import annotations

import datetime as dt

import pytest

from claims.temporal import Timex, extract_timexes

pytestmark = pytest.mark.unit

D_ = dt.date


def found(text: str, dct: dt.date, phrase: str, nlp) -> list[Timex]:
    """The timexes overlapping `phrase` (which must occur once in `text`)."""
    start = text.index(phrase)
    end = start + len(phrase)
    return [t for t in extract_timexes(text, dct, nlp=nlp) if t.start < end and start < t.end]


def only(text: str, dct: dt.date, phrase: str, nlp) -> Timex:
    hits = found(text, dct, phrase, nlp)
    assert len(hits) == 1, hits
    return hits[0]


# --- quarters in earnings reports ----------------------------------------------------------------

QUARTER_CASES = [
    # A year with "quarter" names a quarter even before any quarter was named.
    (
        D_(2024, 10, 28),
        "The brewer earned $3 million in the 2023 quarter.",
        "2023 quarter",
        "2023-Q3",
    ),
    # "the quarter a year ago" is one expression: the quarter under discussion, a year back.
    (
        D_(2024, 10, 28),
        "Profit rose in the third quarter. For the quarter a year ago, it lost $2 million.",
        "the quarter a year ago",
        "2023-Q3",
    ),
    # A year-earlier span of months is the span, not a quarter.
    (
        D_(2024, 10, 28),
        "Net for the year-earlier nine months was $40 million.",
        "nine months",
        "P9M",
    ),
    (
        D_(2024, 10, 28),
        "Analysts see weak demand in coming quarters.",
        "coming quarters",
        "FUTURE_REF",
    ),
]


@pytest.mark.parametrize(("dct", "text", "phrase", "value"), QUARTER_CASES)
def test_extract_timexes_reads_quarters_of_a_report(dct, text, phrase, value, nlp):
    timex = only(text, dct, phrase, nlp)

    assert (timex.text, timex.value) == (phrase, value)


def test_extract_timexes_skips_quarter_in_a_compound_adjective(nlp):
    text = "The quarter-to-quarter comparison flattered the mill."

    assert found(text, D_(2024, 10, 28), "quarter-to-quarter", nlp) == []


# --- durations without a plain number ----------------------------------------------------------

DURATION_CASES = [
    ("The lease may be extended for an additional year.", "an additional year", "P1Y"),
    ("The court gave the parties another week to agree.", "another week", "P1W"),
    ("Shares slid for eight trading days in a row.", "eight trading days", "P8D"),
    ("Bidders must answer within five business days.", "five business days", "P5D"),
    ("The union called a day-long strike at the port.", "day-long", "P1D"),
    ("A weeks-long standoff ended at dawn.", "weeks-long", "PXW"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), DURATION_CASES)
def test_extract_timexes_reads_durations_without_a_plain_number(text, phrase, value, nlp):
    timex = only(text, D_(2024, 5, 6), phrase, nlp)

    assert (timex.type, timex.value) == ("DURATION", value)
    assert phrase in timex.text


def test_extract_timexes_leaves_a_calendar_year_unread_as_a_duration(nlp):
    text = "The grocer moved from a fiscal year to a calendar year in 2019."

    assert [t.value for t in found(text, D_(2024, 5, 6), "a calendar year", nlp)] == []


# --- parts of the day ------------------------------------------------------------------------

PART_OF_DAY_CASES = [
    ("By mid afternoon, the ferry had docked.", "mid afternoon", "2024-05-06TAF"),
    ("At mid-morning yesterday, the bank reopened.", "mid-morning yesterday", "2024-05-05TMO"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), PART_OF_DAY_CASES)
def test_extract_timexes_reads_the_middle_of_a_part_of_day(text, phrase, value, nlp):
    timex = only(text, D_(2024, 5, 6), phrase, nlp)

    assert (timex.text, timex.type, timex.value) == (phrase, "TIME", value)


# --- weekdays counted from the day last named ------------------------------------------------

WEEKDAY_CASES = [
    (
        D_(2024, 5, 6),
        "The talks opened on Monday, April 8, and resumed the following Thursday.",
        "the following Thursday",
        "2024-04-11",
    ),
    (
        D_(2024, 5, 6),
        "The fair opened on Saturday, April 20, a week after the previous Saturday's parade.",
        "the previous Saturday",
        "2024-04-13",
    ),
    # "had been due to" is overtaken: the day is behind the DCT.
    (D_(2024, 5, 8), "The offer had been due to expire Friday evening.", "Friday", "2024-05-03TEV"),
]


@pytest.mark.parametrize(("dct", "text", "phrase", "value"), WEEKDAY_CASES)
def test_extract_timexes_reads_anaphoric_and_overtaken_weekdays(dct, text, phrase, value, nlp):
    assert only(text, dct, phrase, nlp).value == value


# --- year-less months and dates near the DCT ---------------------------------------------------

MONTH_CASES = [
    # "set on" a date: established then, so the date is past.
    (
        D_(2024, 2, 6),
        "The index closed near its record high set on Aug. 6.",
        "Aug. 6",
        "2023-08-06",
    ),
    # A past report of the month just ahead is the coming month, not last year's.
    (
        D_(2024, 8, 16),
        "The cartel told refiners of a supply cut in September.",
        "September",
        "2024-09",
    ),
    (D_(2024, 8, 16), "Refiners cut supply in July.", "July", "2024-07"),
]


@pytest.mark.parametrize(("dct", "text", "phrase", "value"), MONTH_CASES)
def test_extract_timexes_places_year_less_months_near_the_dct(dct, text, phrase, value, nlp):
    assert only(text, dct, phrase, nlp).value == value


# --- the verb that governs a weekday ---------------------------------------------------------

TENSE_CASES = [
    # A clause opened by "that" after the day does not govern it, however the parser hangs it.
    (
        "The premier, meantime, glossed over sharp warnings from Oslo on Thursday that the tariffs "
        "could do lasting harm.",
        "Thursday",
        "2024-05-09",
    ),
    # "hurt" is spelled alike in both tenses; a singular subject rules out the present.
    (
        "Weakness in chip stocks hurt the index, which fell 2%, on Friday, to 512.3.",
        "Friday",
        "2024-05-10",
    ),
    ("The port authority said on Thursday that the quay will reopen.", "Thursday", "2024-05-09"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), TENSE_CASES)
def test_extract_timexes_reads_the_tense_of_the_clause_holding_the_day(text, phrase, value, nlp):
    assert only(text, D_(2024, 5, 13), phrase, nlp).value == value


def test_extract_timexes_reads_then_current_as_past(nlp):
    text = "Holders may buy shares at half the then current market price."

    assert only(text, D_(2024, 5, 13), "current", nlp).value == "PAST_REF"


def test_extract_timexes_as_early_as_a_month_spans_the_whole_month(nlp):
    text = "The new model is expected to ship as early as August."

    timex = only(text, D_(2025, 7, 26), "August", nlp)

    assert (timex.value, timex.latest) == ("2025-08", D_(2025, 8, 31))
