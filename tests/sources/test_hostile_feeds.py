"""Hostile feeds and pages: parsing never crashes, and what is readable is kept.

Hand-written cases (impossible dates, absurd years, broken links, huge fields, entity
expansion, deep nesting, binary junk) and generated ones (hypothesis) go through the pure
parsers: `parse_feed` either returns the entries it could read or raises FeedParseError,
`extract_article` either returns text or raises ExtractionError. Nothing else escapes.
"""

from __future__ import annotations

import contextlib
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.fetching import FeedParseError, decode_text, parse_feed
from sources.normalize import ExtractionError, extract_article
from tests.sources.test_fetching import make_result

pytestmark = pytest.mark.unit

GOOD_ITEM = (
    "<item><title>Ferry terminal to open in June</title>"
    "<link>https://courier.example/news/ferry</link>"
    "<pubDate>Fri, 18 Apr 2025 09:12:00 +0100</pubDate>"
    "<description>The harbour board said the terminal will open by June.</description></item>"
)


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>The Test Courier</title><link>https://courier.example/</link>"
        f"<description>News</description>{''.join(items)}</channel></rss>"
    ).encode("utf-8", "surrogatepass")


def item(
    *,
    title: str = "A story",
    link: str = "https://courier.example/x",
    date: str = "",
    description: str = "",
) -> str:
    pub = f"<pubDate>{date}</pubDate>" if date else ""
    return (
        f"<item><title>{title}</title><link>{link}</link>{pub}"
        f"<description>{description}</description></item>"
    )


def links(feed) -> set[str]:
    return {entry.link for entry in feed.entries}


HOSTILE_ITEMS = [
    item(date="Sun, 30 Feb 2025 09:00:00 GMT"),
    item(date="Fri, 31 Dec 9999 23:59:59 +2500"),
    item(date="Mon, 01 Jan 0001 00:00:00 GMT"),
    item(date="next Tuesday, probably"),
    item(link="http://[::1/oops"),
    item(link="javascript:alert(1)"),
    item(link=""),
    item(link="https://courier.example/" + "a" * 5000),
    item(title="T" * 20000),
    item(title="&#xD800; lone surrogate &#0; and a NUL"),
    item(title="<![CDATA[<script>alert(1)</script>]]>"),
    item(description="<div>" * 3000 + "deep" + "</div>" * 3000),
    item(description="&amp;" * 50000),
    item(title="<b>unclosed <i>tags"),
    "<item><title>no link at all</title></item>",
    "<item>" + "<category>x</category>" * 5000 + "<link>https://courier.example/c</link></item>",
]


@pytest.mark.parametrize("hostile", HOSTILE_ITEMS, ids=range(len(HOSTILE_ITEMS)))
def test_one_hostile_item_never_loses_the_good_one(hostile):
    feed = parse_feed(make_result(rss(hostile, GOOD_ITEM, hostile)))

    assert "https://courier.example/news/ferry" in links(feed)
    assert all(
        entry.link.startswith(("http://", "https://")) or entry.link for entry in feed.entries
    )


def test_an_entity_expansion_bomb_is_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
        b'<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
        b'<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>'
        b'<rss version="2.0"><channel><title>&lol6;</title>'
        + GOOD_ITEM.encode()
        + b"</channel></rss>"
    )
    try:
        feed = parse_feed(make_result(bomb))
    except FeedParseError:
        return
    assert len(feed.title) < 100_000


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00" * 1000,
        b"\xff\xfe\xfd" * 300,
        b"<html><body>not a feed</body></html>",
        b"<rss version='2.0'><channel>",
        "<rss>\ud800</rss>".encode("utf-8", "surrogatepass"),
    ],
    ids=["empty", "nul", "binary", "html", "truncated", "surrogate"],
)
def test_junk_is_a_named_feed_error_or_no_entries(body):
    try:
        feed = parse_feed(make_result(body))
    except FeedParseError as error:
        assert "courier" in str(error) or "feeds.example" in str(error)
    else:
        assert feed.entries == ()


# Any text, control characters and lone surrogates included, as a feed would carry it escaped.
FIELD = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200)


def xml_text(value: str) -> str:
    """`value` as XML 1.0 can carry it: characters it cannot hold at all become U+FFFD."""
    kept = "".join(ch if _xml_char(ch) else "\ufffd" for ch in value)
    return escape(kept)


def _xml_char(ch: str) -> bool:
    code = ord(ch)
    if ch in "\t\n\r":
        return True
    return code >= 0x20 and not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=FIELD, link=FIELD, date=FIELD, description=FIELD)
def test_generated_items_never_crash_and_keep_the_good_one(title, link, date, description):
    generated = item(
        title=xml_text(title),
        link=xml_text(link),
        date=xml_text(date),
        description=xml_text(description),
    )
    feed = parse_feed(make_result(rss(generated, GOOD_ITEM)))

    assert "https://courier.example/news/ferry" in links(feed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=2000))
def test_generated_bytes_are_entries_or_a_feed_error(body):
    with contextlib.suppress(FeedParseError):
        parse_feed(make_result(body))


# --- Pages ---------------------------------------------------------------------------------

ARTICLE = (
    "<html><head><title>Ferry terminal</title></head><body><article><h1>Ferry terminal</h1>"
    + "<p>The harbour board said on Friday that the new ferry terminal will open by the end "
    "of June, three weeks later than first planned, after delays to the pontoon works.</p>"
    * 3
    + "</article></body></html>"
)

HOSTILE_PAGES = [
    "",
    "\x00" * 5000,
    "<div>" * 20000 + "text" + "</div>" * 20000,
    "<p>" + "word " * 200000 + "</p>",
    "<script>" + "x" * 100000 + "</script>",
    '<html><body><a href="' + "a" * 100000 + '">link</a></body></html>',
    "<html><head><meta charset='nonsense'></head><body>\ud800</body></html>",
    "<html><body><table>" + "<tr><td>cell</td></tr>" * 5000 + "</table></body></html>",
    ARTICLE.replace("<article>", "<article><svg><foreignObject>") + "<!-- unclosed",
]


@pytest.mark.parametrize("html", HOSTILE_PAGES, ids=range(len(HOSTILE_PAGES)))
def test_a_hostile_page_gives_text_or_a_named_extraction_error(html):
    try:
        article = extract_article(html, "https://courier.example/news/x")
    except ExtractionError as error:
        assert "courier.example" in str(error)
    else:
        assert isinstance(article.text, str)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    junk=st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv p&;#x0\n\t")), max_size=400),
)
def test_generated_markup_around_an_article_never_crashes(junk):
    html = ARTICLE.replace("<body>", "<body>" + junk)
    with contextlib.suppress(ExtractionError):
        extract_article(html, "https://courier.example/news/x")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.binary(max_size=3000),
    content_type=st.sampled_from(
        ["text/html", "text/html; charset=utf-8", "text/html; charset=bogus", "application/xml", ""]
    ),
)
def test_generated_bytes_decode_to_text(body, content_type):
    text, encoding = decode_text(body, content_type)

    assert isinstance(text, str) and encoding
