"""Tests for sources.normalize: pure functions, no network, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sources.normalize import (
    ExtractionError,
    canonical_url,
    content_hash,
    diff_versions,
    extract_article,
    split_sentences,
)
from tests.sources.conftest import FIXTURES

pytestmark = pytest.mark.unit

FERRY_URL = "https://riverside-courier.example/news/2025/04/18/ferry-terminal-june"


# --- canonical_url ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://Riverside-Courier.EXAMPLE:443/news/a?utm_source=rss&utm_medium=feed#comments",
            "https://riverside-courier.example/news/a",
        ),
        (
            "https://riverside-courier.example/news/a?page=2&fbclid=IwAR0x&id=7&gclid=Cj0&mc_cid=9",
            "https://riverside-courier.example/news/a?id=7&page=2",
        ),
        ("http://riverside-courier.example:8080", "http://riverside-courier.example:8080/"),
        ("http://editor:secret@riverside-courier.example/a", "http://riverside-courier.example/a"),
        (
            "https://riverside-courier.example/a?q=flood+wall&UTM_Campaign=x",
            "https://riverside-courier.example/a?q=flood%20wall",
        ),
        (
            "https://riverside-courier.example/Path/Keeps/Case",
            "https://riverside-courier.example/Path/Keeps/Case",
        ),
    ],
)
def test_canonical_url_drops_tracking_and_normalises(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_honours_rel_canonical_on_the_same_site() -> None:
    html = (FIXTURES / "article-boilerplate.html").read_text()

    assert (
        canonical_url("https://amp.riverside-courier.example/ferry?utm_source=x", html) == FERRY_URL
    )


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            '<link rel="canonical" href="/news/a-story?utm_source=self">',
            "https://www.courier.example/news/a-story",
        ),
        (
            '<link rel="Canonical Shortlink" href="https://courier.example/a">',
            "https://courier.example/a",
        ),
        (
            '<link rel="canonical" href="https://elsewhere.example/news/a">',
            "https://www.courier.example/a/1",
        ),
        (
            '<link rel="canonical" href="https://www.courier.example/">',
            "https://www.courier.example/a/1",
        ),
        ('<link rel="canonical" href="javascript:alert(1)">', "https://www.courier.example/a/1"),
        (
            '<link rel="alternate" href="https://www.courier.example/b">',
            "https://www.courier.example/a/1",
        ),
    ],
)
def test_canonical_url_only_trusts_plausible_canonicals(link: str, expected: str) -> None:
    html = f"<html><head>{link}<title>t</title></head><body><p>x</p></body></html>"

    assert canonical_url("https://www.courier.example/a/1", html) == expected


def test_canonical_url_reads_xhtml_with_an_xml_declaration() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        '<head><link rel="canonical" href="https://courier.example/news/a"/></head>'
        "<body><p>Caf\u00e9</p></body></html>"
    )

    assert (
        canonical_url("https://courier.example/news/a?id=1", html)
        == "https://courier.example/news/a"
    )


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/news/a", "mailto:desk@courier.example"])
def test_canonical_url_refuses_non_http_urls(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        canonical_url(url)


# --- content_hash -------------------------------------------------------------------------


def test_content_hash_ignores_whitespace() -> None:
    assert content_hash("The terminal\n\n will open  by June. ") == content_hash(
        "The terminal will open by June."
    )


def test_content_hash_changes_with_the_words() -> None:
    assert content_hash("The terminal will open by June.") != content_hash(
        "The terminal will open by July."
    )
    assert len(content_hash("x")) == 64


# --- extract_article ----------------------------------------------------------------------


def test_extract_article_keeps_the_story_and_drops_boilerplate() -> None:
    html = (FIXTURES / "article-boilerplate.html").read_text()

    article = extract_article(html, FERRY_URL)

    assert article.title == "Ferry terminal “will open by the end of June”, harbour board says"
    assert article.author == "Priya Lindqvist"
    assert article.published == datetime(2025, 4, 18, tzinfo=UTC)
    assert article.published_source == "metadata"
    assert article.text.startswith("The harbour board expects the new ferry terminal")
    assert "weekly progress report until the terminal opens." in article.text
    for boilerplate in [
        "cookies",
        "Most read",
        "Related stories",
        "Sign up",
        "Heard that one before",
        "£1 a week",
        "All rights reserved",
    ]:
        assert boilerplate not in article.text


def test_extract_article_falls_back_to_htmldate() -> None:
    html = (FIXTURES / "article-undated.html").read_text()

    article = extract_article(html, "https://valley-gazette.example/a/reservoir-works")

    assert article.published == datetime(2025, 4, 15, tzinfo=UTC)
    assert article.published_source == "htmldate"
    assert "summer holidays begin in late July" in article.text


def test_extract_article_without_any_date() -> None:
    html = (
        "<html><head><title>Lock gates to be replaced</title></head><body><article>"
        "<h1>Lock gates to be replaced</h1>"
        "<p>The canal trust says the old lock gates at Mill Reach will be replaced next winter, "
        "when boat traffic is lowest and the towpath can be closed without much disruption.</p>"
        "<p>Volunteers will help with the work, which the trust expects to take six weeks.</p>"
        "</article></body></html>"
    )

    article = extract_article(html, "https://canal-news.example/lock-gates")

    assert article.published is None
    assert article.published_source == ""
    assert article.title == "Lock gates to be replaced"


def test_extract_article_refuses_a_page_without_text() -> None:
    html = "<html><body><nav><a href='/'>Home</a></nav><div id='consent'></div></body></html>"

    with pytest.raises(ExtractionError, match="No article text"):
        extract_article(html, "https://courier.example/consent")


# --- split_sentences ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Mr. Okonjo met U.S. officials. They agreed.",
            ["Mr. Okonjo met U.S. officials.", "They agreed."],
        ),
        (
            "“We will sell tickets,” she said. “I am promising the date.” Nobody clapped.",
            ["“We will sell tickets,” she said.", "“I am promising the date.”", "Nobody clapped."],
        ),
        (
            "No. 10 declined to comment. The answer was no. Then they left.",
            ["No. 10 declined to comment.", "The answer was no.", "Then they left."],
        ),
        (
            "J. K. Evers chairs it. Is it done? Not yet!",
            ["J. K. Evers chairs it.", "Is it done?", "Not yet!"],
        ),
        (
            "It costs 3.5 million euros. First line\nSecond line",
            ["It costs 3.5 million euros.", "First line", "Second line"],
        ),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


# --- diff_versions ------------------------------------------------------------------------

FERRY_V1 = """Updated 10:42 · 5 min read
The board expects the new ferry terminal to open by the end of June, its chair said.
Marta Okonjo said the three-week delay to the pontoon would not push back the opening.
“I am promising the date,” she said.
A spokesperson for the builder said the walkway would be finished by the end of May.
The terminal was first due to open in September last year.
1,234 comments"""


def test_diff_versions_ignores_whitespace_timestamps_and_counters() -> None:
    new = (
        FERRY_V1.replace(
            "Updated 10:42 · 5 min read", "Last updated: 18 April 2025, 13:40 BST · 6 min read"
        )
        .replace("1,234 comments", "1,301 comments")
        .replace("the new ferry terminal", "the new  ferry \t terminal")
        .replace("“I am promising the date,”", '"I am promising the date,"')
    )

    diff = diff_versions(FERRY_V1, new)

    assert diff.is_trivial
    assert (diff.removed_sentences, diff.changed_sentences, diff.added_sentences) == ([], [], [])


def test_diff_versions_of_an_edited_article() -> None:
    new = """Updated 16:05 · 5 min read
The board expects the new ferry terminal to open by the end of July, its chair said.
Marta Okonjo said the three-week delay to the pontoon would not push back the opening.
“I am promising the date,” she said.
The terminal was first due to open in September last year.
Estuary Marine Works did not respond to a request for comment.
1,302 comments"""

    diff = diff_versions(FERRY_V1, new)

    assert not diff.is_trivial
    assert diff.removed_sentences == [
        "A spokesperson for the builder said the walkway would be finished by the end of May."
    ]
    assert diff.changed_sentences == [
        (
            "The board expects the new ferry terminal to open by the end of June, its chair said.",
            "The board expects the new ferry terminal to open by the end of July, its chair said.",
        )
    ]
    assert diff.added_sentences == [
        "Estuary Marine Works did not respond to a request for comment."
    ]
    assert (
        "-A spokesperson for the builder said the walkway would be finished by the end of May."
        in diff.unified_diff.splitlines()
    )
    assert diff.unified_diff.startswith("--- before\n+++ after\n")


def test_diff_versions_replaced_sentence_that_is_not_a_rewrite() -> None:
    old = "The council will vote on the bus lane within weeks. The mayor is on holiday."
    new = "The council will vote on the bus lane within weeks. Lifeboat crews rescued two kayakers."

    diff = diff_versions(old, new)

    assert diff.removed_sentences == ["The mayor is on holiday."]
    assert diff.changed_sentences == []
    assert diff.added_sentences == ["Lifeboat crews rescued two kayakers."]


def test_diff_versions_of_identical_text_is_trivial_and_empty() -> None:
    diff = diff_versions(FERRY_V1, FERRY_V1)

    assert diff.is_trivial
    assert diff.unified_diff == ""
