"""Casual forms (claims/temporal): the way people write times in notes, mail and chat."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.temporal import extract_timexes
from claims.temporal.lexicon import day_of_month, ordinal_value

pytestmark = pytest.mark.unit

THU = dt.date(2025, 4, 17)


def at(text: str, phrase: str, nlp, dct: dt.date = THU):
    start = text.index(phrase)
    end = start + len(phrase)
    hits = [t for t in extract_timexes(text, dct, nlp=nlp) if t.start < end and start < t.end]
    assert hits, f"nothing found in {text!r}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "number"),
    [("third", 3), ("twenty-first", 21), ("twenty first", 21), ("21st", 21), ("last", -1)],
)
def test_one_vocabulary_of_ordinals(text, number):
    assert ordinal_value(text) == number


def test_day_of_month_stays_on_the_calendar():
    assert day_of_month("thirty-first") == 31
    assert day_of_month("thirty-second") is None
    assert day_of_month("3rd") == 3


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The launch will be on march 3.", "march 3", "2026-03-03"),
        ("See you on Sept. 3rd.", "Sept. 3rd", "2025-09-03"),
        ("The vote is set for sept 3rd.", "sept 3rd", "2025-09-03"),
        ("We will meet on the third of March.", "the third of March", "2026-03-03"),
        ("The fair starts on June the twenty-first.", "June", "2025-06-21"),
        ("The payment is due on the twenty-eighth.", "the twenty-eighth", "2025-04-28"),
        ("Let's meet at 20 past 3pm.", "20 past 3pm", "2025-04-17T15:20"),
        ("The train leaves at quarter to noon.", "quarter to noon", "2025-04-17T11:45"),
        ("The call is at half past ten tonight.", "half past ten", "2025-04-17T22:30"),
        ("tonight at 8", "tonight", "2025-04-17T20:00"),
        ("8pm tonight", "8pm", "2025-04-17T20:00"),
        ("this evening at 7:30", "this evening", "2025-04-17T19:30"),
        ("Call me Monday morning at 9.", "Monday", "2025-04-21T09:00"),
        ("2 thursdays ago", "2 thursdays ago", "2025-04-03"),
        ("4 Tuesdays from now", "4 Tuesdays from now", "2025-05-13"),
        ("the day after tomorrow", "the day after tomorrow", "2025-04-19"),
        ("the week after next", "the week after next", "2025-W18"),
        ("the first Monday of next month", "the first Monday", "2025-05-05"),
        ("the last weekend of October", "the last weekend", "2025-W43-WE"),
        ("the last day of February", "the last day", "2026-02-28"),
        ("The 2nd of next month.", "The 2nd", "2025-05-02"),
        ("The shop reopens on Tuesday the 22nd.", "Tuesday", "2025-04-22"),
        ("Next Friday the 13th.", "Next Friday", "2025-06-13"),
        ("The deadline is the end of Q3.", "Q3", "2025-Q3"),
        ("2024-2026", "2024-2026", "2024"),
        ("We go skiing every winter.", "every winter", "XXXX-WI"),
        ("the weekend after next", "the weekend after next", "2025-W18-WE"),
        ("Friday after next", "Friday after next", "2025-04-25"),
        ("the last week of the year", "the last week", "2025-W52"),
        ("7:45 tonight", "7:45", "2025-04-17T19:45"),
        ("at half past three in the afternoon", "half past three", "2025-04-17T15:30"),
        ("Memorial Day weekend", "Memorial Day weekend", "2025-W21-WE"),
    ],
)
def test_casual_forms_have_their_values(text, phrase, value, nlp):
    assert at(text, phrase, nlp).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "latest"),
    [
        ("Please send it by EOD.", "EOD", THU),
        ("Please send it by end of day.", "end of day", THU),
        ("The figures are due EOM.", "EOM", dt.date(2025, 4, 30)),
        ("We plan to ship it by EOY.", "EOY", dt.date(2025, 12, 31)),
        ("We plan to ship it by EOQ.", "EOQ", dt.date(2025, 6, 30)),
    ],
)
def test_abbreviated_ends_are_deadlines(text, phrase, latest, nlp):
    assert at(text, phrase, nlp).latest == latest


def test_end_of_day_reads_as_a_deadline_but_not_the_idiom(nlp):
    assert at("end of day", "end of day", nlp).latest == THU
    said = "At the end of the day, voters will decide."
    assert extract_timexes(said, THU, nlp=nlp) == []


def test_moved_dates_are_not_a_range(nlp):
    moved = at("The vote was postponed from Monday to Friday.", "Monday", nlp)
    assert moved.extent_end == moved.extent_start
    span = at("13 July to 15 July", "13 July", nlp)
    assert (span.extent_start, span.extent_end) == (dt.date(2025, 7, 13), dt.date(2025, 7, 15))


def test_last_the_verb_is_no_determiner(nlp):
    lasting = at("This extension will last 90 days.", "90 days", nlp)
    assert lasting.text == "90 days"
    assert lasting.direction != "past"
    behind = at("last 2 months", "last 2 months", nlp)
    assert (behind.extent_start, behind.extent_end) == (dt.date(2025, 2, 17), THU)


def test_abbreviations_must_be_capitalised(nlp):
    assert extract_timexes("The cob was eaten by the eod team.", THU, nlp=nlp) == []


def test_a_phrase_with_no_verb_reads_ahead(nlp):
    # Said on a Thursday: "Friday" alone is tomorrow, "Q4" the coming one.
    assert at("Friday", "Friday", nlp).value == "2025-04-18"
    assert at("Q4", "Q4", nlp).value == "2025-Q4"
    # A past sentence still looks back.
    assert at("We met on Friday.", "Friday", nlp).value == "2025-04-11"


def test_counts_and_ratios_are_not_clock_times(nlp):
    for text in ("Counting could take from three to five days.", "Read John 3:16 aloud."):
        assert all("T" not in t.value for t in extract_timexes(text, THU, nlp=nlp)), text


def test_seasons_have_meteorological_extent(nlp):
    summer = at("this summer", "this summer", nlp)
    assert (summer.extent_start, summer.extent_end) == (dt.date(2025, 6, 1), dt.date(2025, 8, 31))
    # As a deadline the season may end as late as the astronomical end.
    assert summer.latest == dt.date(2025, 9, 21)


def test_later_in_a_season_is_due_by_its_end_not_its_start(nlp):
    june = dt.date(2025, 6, 11)
    later = at("It will not ship until later this summer.", "later this summer", nlp, june)
    by = at("It will ship by the summer.", "the summer", nlp, june)
    assert later.latest == dt.date(2025, 9, 21)
    assert by.latest < dt.date(2025, 7, 1)  # "by the summer": when summer starts


def test_as_early_as_bounds_the_whole_period(nlp):
    july = dt.date(2025, 7, 25)
    august = at("The model could land as early as August.", "as early as August", nlp, july)
    assert (august.value, august.mod) == ("2025-08", "ON_OR_AFTER")
    assert august.latest == dt.date(2025, 8, 31)  # August at the earliest: not "early August"
    march = at("The vote may slip to as late as March.", "as late as March", nlp, july)
    assert (march.mod, march.latest) == ("ON_OR_BEFORE", dt.date(2026, 3, 31))


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        (
            "Cargo must arrive by 12:01 a.m. ET on May 27.",
            "12:01 a.m. ET on May 27",
            "2025-05-27T00:01",
        ),
        (
            "The rates apply from 12:01 a.m. Eastern Daylight Time on August 7.",
            "12:01 a.m. Eastern Daylight Time on August 7",
            "2025-08-07T00:01",
        ),
        (
            "Talks begin at 9 a.m. local time on Monday.",
            "9 a.m. local time on Monday",
            "2025-04-21T09:00",
        ),
    ],
)
def test_a_clock_time_with_its_zone_keeps_the_date_that_follows(text, phrase, value, nlp):
    timex = at(text, phrase, nlp)
    assert (timex.text, timex.value) == (phrase, value)


@pytest.mark.parametrize("quote", ['"', "\u201c", "\u2018"])
def test_a_quoted_span_keeps_the_preposition_before_the_quote(quote):
    text = f"The launch could come in {quote}less than two years,{quote} she said."
    (timex,) = extract_timexes(text, dt.date(2025, 6, 19))
    assert (timex.signal, timex.direction) == ("in", "future")
