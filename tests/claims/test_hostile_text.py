"""Hostile article text: absurd years and texts over spaCy's length limit do not crash."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.extraction import ArticleInput, extract_claims, extract_claims_batch, split_for_nlp
from claims.temporal import extract_timexes

pytestmark = pytest.mark.unit

PUBLISHED = dt.date(2025, 9, 2)


@pytest.mark.parametrize(
    "text",
    [
        "The council will finish the bridge by December 31, 9999.",
        "The plan will be done by 9999-12-31.",
        "The works will be done a week after 31 December 9999.",
        "The tunnel will open by Christmas 9999.",
        "The vote will happen in spring 9999.",
        "It opened in 0001.",
        "The plan will be done by 1 January 0001.",
        "The report will follow within a week of 1 January 0001.",
        "They will decide by 31/12/9999.",
    ],
)
def test_absurd_years_are_ignored_by_the_normaliser(text):
    timexes = extract_timexes(text, PUBLISHED)

    days = [d for t in timexes for d in (t.earliest, t.latest) if d is not None]
    assert all(1000 <= d.year < 3000 for d in days)


def test_absurd_years_do_not_crash_extraction_and_plausible_ones_still_count(nlp):
    text = (
        "The council said the bridge would reopen by 1 January 0001. "
        "The mayor said the library would reopen by 1 March 2026."
    )

    claims = extract_claims(text, published=PUBLISHED, nlp=nlp)

    assert dt.date(2026, 3, 1) in [c.latest for c in claims]
    assert all(1000 <= c.latest.year < 3000 for c in claims if c.latest)


@pytest.mark.parametrize("dct", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
@pytest.mark.parametrize(
    "text",
    [
        "The work will be done within two weeks, by next Friday or in 2026.",
        "It will be done in two years.",
        "It will be done by the end of next year.",
        "It happened last week, three months ago.",
        "It will be done by Christmas, a decade from now.",
    ],
)
def test_a_publication_date_at_the_calendar_edge_does_not_crash(dct, text):
    """Arithmetic from 0001-01-01 or 9999-12-31 leaves the calendar (OverflowError)."""
    timexes = extract_timexes(text, dct)

    days = [d for t in timexes for d in (t.earliest, t.latest) if d is not None]
    assert all(1000 <= d.year < 3000 for d in days)


def test_split_for_nlp_cuts_at_paragraphs_and_loses_nothing():
    paragraphs = [f"Paragraph {n} says the work will end soon. It really will." for n in range(9)]
    text = "\n\n".join(paragraphs)

    chunks = split_for_nlp(text, limit=150)

    assert "".join(chunk for _, chunk in chunks) == text
    assert all(len(chunk) <= 150 for _, chunk in chunks)
    assert all(text[offset:].startswith(chunk) for offset, chunk in chunks)
    assert all(chunk.startswith("Paragraph") for _, chunk in chunks)


def test_split_for_nlp_cuts_a_long_paragraph_after_a_sentence():
    text = " ".join(f"Sentence {n} is here." for n in range(40))

    chunks = split_for_nlp(text, limit=100)

    assert "".join(chunk for _, chunk in chunks) == text
    assert all(chunk.rstrip().endswith(".") for _, chunk in chunks)


def test_split_for_nlp_hard_cuts_text_without_breaks():
    chunks = split_for_nlp("x" * 250, limit=100)

    assert [len(chunk) for _, chunk in chunks] == [100, 100, 50]


def _long_article() -> str:
    paragraphs = [
        "The council said the library would reopen by 1 March 2026.",
        "Residents were unhappy about the closure.",
        "The mayor said the bridge repairs would be finished by the end of May 2026.",
        "Nobody else commented.",
        "The water company said the new main would be laid by 30 June 2026.",
    ]
    return "\n\n".join(paragraphs)


def test_a_text_over_max_length_is_read_in_chunks_with_the_same_claims(nlp, monkeypatch):
    text = _long_article()
    whole = extract_claims(text, published=PUBLISHED, nlp=nlp)
    monkeypatch.setattr(nlp, "max_length", 130)  # spaCy would raise E088 on `text`

    chunked = extract_claims(text, published=PUBLISHED, nlp=nlp)

    assert len(whole) == 3
    assert [(c.sentence, c.start, c.end, c.latest) for c in chunked] == [
        (c.sentence, c.start, c.end, c.latest) for c in whole
    ]
    assert all(text[c.start : c.end] == c.sentence for c in chunked)
    assert all(text[c.timex.start : c.timex.end] == c.timex.text for c in chunked)


def test_extract_claims_batch_reads_an_over_long_text_in_chunks(nlp, monkeypatch):
    short = "The mayor said the pool would reopen by 1 April 2026."
    long = _long_article()
    monkeypatch.setattr(nlp, "max_length", 130)

    results = extract_claims_batch(
        [ArticleInput(text=t, published=PUBLISHED, outlet="") for t in (long, short, long)],
        nlp=nlp,
    )

    assert [len(r) for r in results] == [3, 1, 3]
