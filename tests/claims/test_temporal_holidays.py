"""Holidays and observances (claims/temporal/holidays.py): calendars, "this/next/last", years."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.temporal import extract_timexes
from claims.temporal import holidays as H

pytestmark = pytest.mark.unit

D_ = dt.date


def one(text: str, dct: dt.date, nlp):
    found = extract_timexes(text, dct, nlp=nlp)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("key", "year", "first", "last"),
    [
        ("thanksgiving", 2025, D_(2025, 11, 27), D_(2025, 11, 27)),
        ("black_friday", 2025, D_(2025, 11, 28), D_(2025, 11, 28)),
        ("memorial_day", 2026, D_(2026, 5, 25), D_(2026, 5, 25)),
        ("mlk_day", 2026, D_(2026, 1, 19), D_(2026, 1, 19)),
        ("presidents_day", 2025, D_(2025, 2, 17), D_(2025, 2, 17)),
        ("independence_day", 2026, D_(2026, 7, 4), D_(2026, 7, 4)),  # not the observed 3 July
        ("good_friday", 2026, D_(2026, 4, 3), D_(2026, 4, 3)),
        ("easter_monday", 2025, D_(2025, 4, 21), D_(2025, 4, 21)),
        ("ramadan", 2025, D_(2025, 3, 1), D_(2025, 3, 29)),
        ("eid_al_fitr", 2026, D_(2026, 3, 20), D_(2026, 3, 20)),
        ("eid_al_adha", 2025, D_(2025, 6, 6), D_(2025, 6, 6)),
        ("diwali", 2025, D_(2025, 10, 20), D_(2025, 10, 20)),
        ("hanukkah", 2025, D_(2025, 12, 15), D_(2025, 12, 22)),
        ("chinese_new_year", 2026, D_(2026, 2, 17), D_(2026, 2, 17)),
        ("rosh_hashanah", 2025, D_(2025, 9, 23), D_(2025, 9, 23)),
        ("yom_kippur", 2026, D_(2026, 9, 21), D_(2026, 9, 21)),
    ],
)
def test_observance_comes_from_the_calendars(key, year, first, last):
    assert H.observance(key, year) == (first, last)


def test_observance_outside_a_calendar_is_none_not_an_error():
    assert H.observance("ramadan", 1700) is None  # before the Umm al-Qura tables
    assert H.observance("diwali", 2090) is None  # beyond the Indian calendar's years
    assert H.observance("christmas", 99999) is None


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Eid ul-Fitr", "eid_al_fitr"),
        ("Lunar New Year", "chinese_new_year"),
        ("Chanukah", "hanukkah"),
        ("Washington's Birthday", "presidents_day"),
        ("St. Patrick's Day", "st_patricks_day"),
        ("Christmas Eve", "christmas_eve"),
        ("New Year's Eve", "new_years_eve"),
    ],
)
def test_key_for_reads_spelling_variants(written, key):
    assert H.key_for(written) == key


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("Christmas", "2025-12-25"),  # the next one
        ("this Christmas", "2025-12-25"),
        ("next Easter", "2025-04-20"),  # the first one after the DCT, three days on
        ("this Easter", "2025-04-20"),
        ("last Easter", "2024-03-31"),
        ("last Ramadan", "2025-03-01"),
        ("next Diwali", "2025-10-20"),
        ("Thanksgiving 2026", "2026-11-26"),
        ("last year's Diwali", "2024-10-31"),
        ("christmas eve", "2025-12-24"),  # any case for names that are never ordinary words
    ],
)
def test_holiday_with_this_next_last_and_years(phrase, value, nlp):
    timex = one(phrase, D_(2025, 4, 17), nlp)
    assert timex.text == phrase
    assert timex.value == value


def test_past_sentence_takes_the_latest_holiday(nlp):
    timex = one("The shops were packed at Thanksgiving.", D_(2025, 4, 17), nlp)
    assert timex.value == "2024-11-28"
    assert timex.direction == "past"


def test_multi_day_observance_has_its_days_as_extent(nlp):
    timex = one("Prices usually rise during Ramadan.", D_(2025, 9, 2), nlp)
    assert timex.value == "2026-02-18"
    assert (timex.extent_start, timex.extent_end) == (D_(2026, 2, 18), D_(2026, 3, 19))


def test_deadline_by_and_before_a_holiday(nlp):
    dct = D_(2025, 4, 17)
    by = one("The rules will be in place by Christmas.", dct, nlp)
    assert (by.earliest, by.latest) == (D_(2025, 12, 24), D_(2025, 12, 25))
    before = one("The repairs will be finished before Eid al-Adha.", dct, nlp)
    assert before.latest == D_(2025, 6, 5)  # the day before


def test_ambiguous_names_need_a_capital(nlp):
    assert extract_timexes("We may day-trade the shares.", D_(2025, 4, 17), nlp=nlp) == []


def test_absurd_year_after_a_holiday_is_ignored(nlp):
    found = extract_timexes("Christmas 9999 was mentioned.", D_(2025, 4, 17), nlp=nlp)
    assert all(t.value != "9999-12-25" for t in found)
