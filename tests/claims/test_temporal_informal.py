"""Informal and typed forms (claims/temporal): the classes the blind everyday set found missing.

Each test is a class of wording, with phrases of our own (not the bench sets' sentences).
"""

from __future__ import annotations

import datetime as dt

import pytest

from claims.temporal import extract_timexes

pytestmark = pytest.mark.unit

WED = dt.date(2025, 10, 8)  # a Wednesday


def found(text: str, nlp, dct: dt.date = WED):
    return extract_timexes(text, dct, nlp=nlp)


def at(text: str, phrase: str, nlp, dct: dt.date = WED):
    start = text.index(phrase)
    end = start + len(phrase)
    hits = [t for t in found(text, nlp, dct) if t.start < end and start < t.end]
    assert hits, f"nothing found in {text!r}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("ok see u on fri", "fri", "2025-10-10"),
        ("Moved to next Mon.", "Mon", "2025-10-13"),
        ("The office will be shut from Thu", "Thu", "2025-10-09"),
        ("Shifts will run Tue thru Sat", "Tue", "2025-10-14"),
        ("lunch tmrw?", "tmrw", "2025-10-09"),
        ("party 2nite", "2nite", "2025-10-08TNI"),
        ("back in 3 wks", "3 wks", "P3W"),
        ("call me next wk", "next wk", "2025-W42"),
        ("it took 2 yrs", "2 yrs", "P2Y"),
    ],
)
def test_typed_short_forms(text, phrase, value, nlp):
    assert at(text, phrase, nlp).value == value


@pytest.mark.parametrize(
    "text",
    [
        "The sun came out and we sat outside.",
        "Sun Microsystems and Sat Nav Ltd said so.",
        "They were newly wed last year in a small town.",
    ],
)
def test_short_weekday_words_that_are_not_days(text, nlp):
    assert all(t.text.lower().rstrip(".") not in ("sun", "sat", "wed") for t in found(text, nlp))


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Dinner at 7 this evening.", "7 this evening", "2025-10-08T19:00"),
        ("The shuttle leaves at 9 tomorrow.", "9 tomorrow", "2025-10-09T09:00"),
        ("Drinks on Friday at 6", "Friday at 6", "2025-10-10T18:00"),
        ("Standup tomorrow at 10", "tomorrow at 10", "2025-10-09T10:00"),
        ("The ferry sails at 6 o'clock tomorrow.", "6 o'clock", "2025-10-09T06:00"),
    ],
)
def test_bare_hours_next_to_a_day(text, phrase, value, nlp):
    assert at(text, phrase, nlp).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The audit wraps up in november.", "november", "2025-11"),
        ("Prices rose sharply in Sept.", "Sept", "2025-09"),
        ("Rates will stay flat until Dec.", "Dec", "2025-12"),
    ],
)
def test_lower_case_and_abbreviated_months_alone(text, phrase, value, nlp):
    assert at(text, phrase, nlp).value == value


@pytest.mark.parametrize(
    "text", ["We may march together.", "Jan called yesterday about the Feb plan."]
)
def test_month_words_that_are_not_months(text, nlp):
    assert all(t.text.lower() not in ("may", "march", "jan", "feb") for t in found(text, nlp))


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The strike will end Nov. 4.", "Nov. 4", "2025-11-04"),
        ("Classes start oct 20th", "oct 20th", "2025-10-20"),
        ("The plant closed last Sept. 12.", "Sept. 12", "2025-09-12"),
    ],
)
def test_a_date_after_a_verb_or_determiner_is_the_date(text, phrase, value, nlp):
    timex = at(text, phrase, nlp)
    assert timex.value == value
    assert timex.extent_start == timex.extent_end


@pytest.mark.parametrize(
    "text",
    ["The memo is dated April 31.", "Nothing happens on the 40th of May.", "See you June 31st."],
)
def test_impossible_dates_are_ignored_whole(text, nlp):
    assert found(text, nlp) == []


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Cards for fathers day", "fathers day", "2026-06-21"),
        ("Flowers for mothers day", "mothers day", "2026-05-10"),
    ],
)
def test_possessive_holidays_without_apostrophe(text, phrase, value, nlp):
    assert at(text, phrase, nlp).value == value


def test_end_of_week_without_the_article(nlp):
    timex = at("Please reply by end of week.", "end of week", nlp)
    assert (timex.value, timex.latest) == ("2025-W41", dt.date(2025, 10, 12))


def test_a_day_of_the_month_after_a_copula(nlp):
    assert at("The deadline is the 20th.", "the 20th", nlp).value == "2025-10-20"
    assert found("She was the 1st to sign up for it.", nlp) == []


def test_a_headline_arrangement_is_ahead(nlp):
    """'Hearing set for …' has no auxiliary: the reduced passive of a headline, not the past."""
    assert at("Hearing set for 3 feb", "3 feb", nlp).value == "2026-02-03"


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The board named a new chair, effective March 2.", "March 2", "2026-03-02"),
        ("New fares take effect on Jan. 5.", "Jan. 5", "2026-01-05"),
        ("The ban was lifted, effective Monday.", "Monday", "2025-10-13"),
        ("The old rule had taken effect on March 2.", "March 2", "2025-03-02"),
    ],
)
def test_the_day_something_takes_effect_is_ahead(text, phrase, value, nlp):
    assert at(text, phrase, nlp).value == value


def test_a_holiday_week_under_way_is_this_years(nlp):
    monday = dt.date(2026, 3, 30)  # Easter 2026 is 5 April: its ISO week began today
    timex = at("Crowds gathered as Easter week began.", "Easter week", nlp, monday)
    assert timex.value == "2026-W14"


def test_year_s_end_is_the_end_of_the_year(nlp):
    timex = at("The merger should close by year's end.", "year's end", nlp)
    assert (timex.value, timex.latest) == ("2025", dt.date(2025, 12, 31))


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The album drops summer '26.", "summer '26", "2026-SU"),
        ("Rollout slips to Feb '27.", "Feb '27", "2027-02"),
        ("Rent due 11/1", "11/1", "2025-11-01"),
        ("Boarding closes in 15 mins", "15 mins", "PT15M"),
        ("Hold for 30 secs", "30 secs", "PT30S"),
    ],
)
def test_short_years_and_typed_units(text, phrase, value, nlp):
    assert at(text, phrase, nlp).value == value
