"""Ranges and intervals (claims/temporal/ranges.py) and calendar extent vs deadline windows."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.temporal import extract_timexes

pytestmark = pytest.mark.unit

D_ = dt.date
THU = D_(2025, 4, 17)


def first_at(text: str, phrase: str, dct: dt.date, nlp):
    """The first expression overlapping `phrase`: a range's start carries the range."""
    start = text.index(phrase)
    end = start + len(phrase)
    hits = [t for t in extract_timexes(text, dct, nlp=nlp) if t.start < end and start < t.end]
    assert hits, f"nothing found in {text!r}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "phrase", "value", "earliest", "latest"),
    [
        ("July 13 - July 15", "July 13 - July 15", "2025-07-13", D_(2025, 7, 13), D_(2025, 7, 15)),
        ("from 13 to 15 July", "13 to 15 July", "2025-07-13", D_(2025, 7, 13), D_(2025, 7, 15)),
        ("the 3rd to the 9th of June", "3rd", "2025-06-03", D_(2025, 6, 3), D_(2025, 6, 9)),
        ("Aug 13-15", "Aug 13-15", "2025-08-13", D_(2025, 8, 13), D_(2025, 8, 15)),
        (
            "The office will be closed between Monday and Wednesday.",
            "Monday",
            "2025-04-21",
            D_(2025, 4, 21),
            D_(2025, 4, 23),
        ),
        (
            "Prices will stay high from May to July.",
            "May",
            "2025-05",
            D_(2025, 5, 1),
            D_(2025, 7, 31),
        ),
        ("between 2026 and 2028", "2026", "2026", D_(2026, 1, 1), D_(2028, 12, 31)),
        ("3-5pm", "3-5pm", "2025-04-17T15:00", THU, THU),
        ("from 9:30 till 11", "9:30", "2025-04-17T09:30", THU, THU),
        (
            "tomorrow from 2 to 4pm",
            "tomorrow",
            "2025-04-18T14:00",
            D_(2025, 4, 18),
            D_(2025, 4, 18),
        ),
        ("in the next two days", "the next two days", "P2D", THU, D_(2025, 4, 19)),
        ("the last 3 weeks", "the last 3 weeks", "P3W", D_(2025, 3, 27), THU),
    ],
)
def test_range_has_start_value_and_extent_to_its_end(text, phrase, value, earliest, latest, nlp):
    timex = first_at(text, phrase, THU, nlp)
    assert timex.value == value
    assert (timex.extent_start, timex.extent_end) == (earliest, latest)


def test_weekday_range_end_is_placed_after_its_start(nlp):
    # Said on a Tuesday: next Monday, and the Wednesday after it (not tomorrow).
    timex = first_at(
        "The office will be closed between Monday and Wednesday.", "Monday", D_(2025, 9, 2), nlp
    )
    assert (timex.extent_start, timex.extent_end) == (D_(2025, 9, 8), D_(2025, 9, 10))
    assert timex.latest == D_(2025, 9, 10)  # as a deadline, the range's end


def test_deadline_reading_of_a_range_takes_its_end(nlp):
    timex = first_at("Comments are open until 13-15 July.", "13-15 July", THU, nlp)
    assert timex.latest == D_(2025, 7, 15)


def test_scores_and_counts_are_not_clock_ranges(nlp):
    texts = ["The home side won 3-5 on Sunday.", "Between 10 and 12 people came."]
    for text in texts:
        assert all("T" not in t.value for t in extract_timexes(text, THU, nlp=nlp)), text


@pytest.mark.parametrize(
    ("text", "phrase", "earliest", "latest"),
    [
        ("The plant will open in 2026.", "2026", D_(2026, 1, 1), D_(2026, 12, 31)),
        ("The report will be published in March.", "March", D_(2026, 3, 1), D_(2026, 3, 31)),
        ("The report was published in March.", "March", D_(2025, 3, 1), D_(2025, 3, 31)),
        ("Talks resume next week.", "next week", D_(2025, 4, 21), D_(2025, 4, 27)),
    ],
)
def test_bare_year_or_month_is_a_point_with_the_whole_period_as_extent(
    text, phrase, earliest, latest, nlp
):
    timex = first_at(text, phrase, THU, nlp)
    assert (timex.extent_start, timex.extent_end) == (earliest, latest)
    assert timex.latest == latest  # the deadline reading: the end


def test_deadline_context_narrows_to_the_deadline_dates(nlp):
    by_month = first_at("The report will be published by March.", "March", THU, nlp)
    assert by_month.latest == D_(2026, 3, 31)
    assert by_month.earliest > D_(2026, 3, 1)
    by_year = first_at("The plant will open by the end of 2026.", "2026", THU, nlp)
    assert by_year.latest == D_(2026, 12, 31)
