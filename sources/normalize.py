"""Ingest, pure: canonical URLs, content hashes, article extraction and version diffs.

No network, no database. `extract_article` turns fetched HTML into text and metadata with
trafilatura (htmldate when the page metadata has no date); `canonical_url` and
`content_hash` are the two deduplication keys; `diff_versions` tells a real edit from a
re-rendered timestamp or comment counter.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import htmldate
import lxml.etree
import lxml.html
import trafilatura

DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "igshid", "li_fat_id", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok",
        "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "s_cid", "cmpid", "ocid", "xtor",
        "at_medium", "at_campaign", "ref_src", "ref_url", "sr_share", "__twitter_impression",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")  # Google Analytics, Piwik and Matomo campaigns
# Host prefixes that serve the same site to other devices; stripped to compare sites.
SAME_SITE_PREFIXES = ("www.", "m.", "mobile.", "amp.")

WHITESPACE_RE = re.compile(r"\s+")

# --- Sentence splitting -------------------------------------------------------------------
# A boundary is end punctuation, optional closing quotes/brackets, then whitespace; it counts
# when the next sentence starts like one and the word before is not an abbreviation.
SENTENCE_END_RE = re.compile(r"[.!?…]+[\"”’')\]]*\s+")
SENTENCE_START_RE = re.compile(r"[\"“‘'(\[]?[A-Z0-9À-Ý]")
LAST_WORD_RE = re.compile(r"(\S+)$")
INITIAL_RE = re.compile(r"^[A-Z]\.?$")
ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
        "st", "jr", "sr", "rev", "hon", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "est",
        "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m",
    }
)  # fmt: skip
# Abbreviations that precede a number ("No. 10", "Art. 5"); elsewhere they end sentences.
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "art", "p", "pp", "vol", "fig", "ch"})

# --- Trivial changes ----------------------------------------------------------------------
# Each pattern's matches are replaced by a placeholder before sentences are compared, so a
# re-rendered "Updated 10:42" or "1,234 comments" is not an edit. Dates in the body are left
# alone on purpose: "by 30 June" becoming "by 31 July" is exactly what we look for.
DATE_TIME_WORD = (
    r"(?:\d{1,4}(?:[:./-]\d{1,4}){0,2}(?:st|nd|rd|th)?"
    r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?|today|yesterday|[ap]m|gmt|utc|bst|cet|cest|[ecmp][sd]t"
    r"|an?|one|few|just|now|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|ago|at|on)"
)
TIMESTAMP_RE = re.compile(
    r"\b(?:last\s+)?(?:updated|published|posted|modified|edited)\b:?"
    rf"(?:\s*(?:{DATE_TIME_WORD}\b|[,·|]))+",
    re.IGNORECASE,
)
RELATIVE_TIME_RE = re.compile(
    r"\b(?:\d+|an?|one)\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?)\s+ago\b",
    re.IGNORECASE,
)
COUNTER_RE = re.compile(
    r"\b\d[\d,.]*\s*[km]?\s+"
    r"(?:comments?|shares?|likes?|views?|reactions?|replies|reply|retweets?|reads?)\b",
    re.IGNORECASE,
)
READ_TIME_RE = re.compile(r"\b\d+\s*-?\s*(?:min(?:ute)?s?)\s+read\b", re.IGNORECASE)
TRIVIAL_PATTERNS = (
    (TIMESTAMP_RE, "⟨timestamp⟩"),
    (RELATIVE_TIME_RE, "⟨ago⟩"),
    (COUNTER_RE, "⟨count⟩"),
    (READ_TIME_RE, "⟨read-time⟩"),
)
PLACEHOLDER_RE = re.compile(r"⟨[a-z-]+⟩")
LETTER_RE = re.compile(r"[^\W\d_]")
# Typographic and straight quotes and dashes compare equal.
PUNCTUATION_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
# Two sentences in a replaced block are "the same sentence, changed" above this word overlap.
CHANGED_SENTENCE_MIN_RATIO = 0.5


@dataclass(frozen=True)
class ExtractedArticle:
    """What a page says about itself.

    `published` is tz-aware or None. Pages give the publication *day* (midnight UTC of the
    date the page states); `published_source` says where it came from: "metadata" (page
    metadata via trafilatura), "htmldate" (a wider search of the page and URL) or "".
    """

    title: str
    author: str
    text: str
    published: datetime | None
    published_source: str


@dataclass(frozen=True)
class TextDiff:
    """How a new version of an article's text differs from the old one.

    `is_trivial` is true when only whitespace, quote styles, timestamps ("Updated 10:42"),
    relative times, counters ("1,234 comments") or reading times changed. `unified_diff` has
    one sentence per line. `changed_sentences` pairs an old sentence with its rewrite.
    """

    is_trivial: bool
    unified_diff: str
    removed_sentences: list[str]
    changed_sentences: list[tuple[str, str]]
    added_sentences: list[str]


class ExtractionError(ValueError):
    """The page has no article text we could find (an index page, a consent wall)."""


# --- URLs and hashes ----------------------------------------------------------------------


def canonical_url(url: str, html: str | None = None) -> str:
    """The URL an article is known by, for deduplication.

    Drops tracking parameters (utm_*, fbclid, gclid, mc_cid, ...), the fragment and any
    user:password; lower-cases scheme and host; drops the default port; sorts the query.
    With `html`, a `<link rel="canonical">` is honoured when it is an http(s) URL on the
    same site (www./m./amp. variants and subdomains count). A canonical on another site is
    ignored: trusting it would let any page claim to be another outlet's article. A
    canonical that points at the site's home page (a common CMS bug) is ignored too.

    Raises ValueError for anything but an absolute http(s) URL.
    """
    cleaned = _clean_url(url)
    if html:
        declared = _declared_canonical(html, base_url=cleaned)
        if declared is not None and _is_plausible_canonical(declared, page_url=cleaned):
            return declared
    return cleaned


def _clean_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"Not an absolute http(s) URL: {url!r}")
    host = parts.hostname.rstrip(".").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking_param(name)
    )
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, quote_via=quote), ""))


def _is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _declared_canonical(html: str, *, base_url: str) -> str | None:
    # Bytes with an explicit parser encoding: lxml refuses a str that carries an XML
    # encoding declaration, as XHTML pages do.
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        tree = lxml.html.fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            try:
                return _clean_url(urljoin(base_url, href))
            except ValueError:
                return None
    return None


def _is_plausible_canonical(declared: str, *, page_url: str) -> bool:
    declared_parts, page_parts = urlsplit(declared), urlsplit(page_url)
    if declared_parts.path == "/" and page_parts.path != "/":
        return False
    return _same_site(declared_parts.hostname or "", page_parts.hostname or "")


def _same_site(host_a: str, host_b: str) -> bool:
    a, b = _strip_site_prefix(host_a), _strip_site_prefix(host_b)
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _strip_site_prefix(host: str) -> str:
    for prefix in SAME_SITE_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def collapse_whitespace(text: str) -> str:
    """NFC-normalised text with every run of whitespace collapsed to one space."""
    return WHITESPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the whitespace-normalised text: the second deduplication key."""
    return hashlib.sha256(collapse_whitespace(text).encode("utf-8")).hexdigest()


# --- Article extraction -------------------------------------------------------------------


def extract_article(html: str, url: str) -> ExtractedArticle:
    """Main text, title, author and publication date of an article page.

    Comments, navigation, related links and other boilerplate are left out. Raises
    ExtractionError when the page has no article text.
    """
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # Metadata only here; the wider htmldate search below is the marked fallback.
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": date.today().isoformat(),
        },
    )
    if document is None or not (document.text or "").strip():
        raise ExtractionError(f"No article text found at {url}")
    text = document.text.strip()
    published = parse_iso_datetime(document.date)
    published_source = "metadata" if published is not None else ""
    if published is None:
        published = parse_iso_datetime(
            htmldate.find_date(html, url=url, extensive_search=True, original_date=True)
        )
        published_source = "htmldate" if published is not None else ""
    return ExtractedArticle(
        title=collapse_whitespace(document.title or ""),
        author=collapse_whitespace(document.author or ""),
        text=text,
        published=published,
        published_source=published_source,
    )


def parse_iso_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 / W3C date or datetime as a tz-aware datetime (UTC when no zone is given)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


# --- Sentences and versions ---------------------------------------------------------------


def split_sentences(text: str) -> list[str]:
    """Split text into sentences: every line break, plus end punctuation that starts a new one.

    A regex splitter, not a parser: it knows common abbreviations ("Mr.", "U.S.", "No. 10")
    and initials ("J. K."), and is good enough to line two versions of an article up.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = collapse_whitespace(line)
        start = 0
        for boundary in SENTENCE_END_RE.finditer(line):
            following = line[boundary.end() :]
            if not SENTENCE_START_RE.match(following):
                continue
            candidate = line[start : boundary.end()]
            ends_with_full_stop = "?" not in boundary.group() and "!" not in boundary.group()
            if ends_with_full_stop and _ends_with_abbreviation(candidate.rstrip(), following):
                continue
            sentences.append(candidate.strip())
            start = boundary.end()
        if line[start:].strip():
            sentences.append(line[start:].strip())
    return sentences


def _ends_with_abbreviation(candidate: str, following: str) -> bool:
    word = LAST_WORD_RE.search(candidate)
    if word is None:
        return False
    token = word.group(1).lstrip("\"“‘'([").rstrip(".!?…\"”’')]")
    if INITIAL_RE.match(token):
        return True
    lowered = token.lower()
    if lowered in NUMBER_ABBREVIATIONS:
        return following[:1].isdigit()
    return lowered in ABBREVIATIONS


def comparison_key(sentence: str) -> str:
    """A sentence with trivial variation (timestamps, counters, quotes, case) masked out."""
    key = collapse_whitespace(sentence).translate(PUNCTUATION_FOLD)
    for pattern, placeholder in TRIVIAL_PATTERNS:
        key = pattern.sub(placeholder, key)
    return key.casefold()


def _is_only_trivia(key: str) -> bool:
    """True for sentences like "Updated 10:42" or "1,234 comments" once masked."""
    return LETTER_RE.search(PLACEHOLDER_RE.sub("", key)) is None


def diff_versions(old_text: str, new_text: str) -> TextDiff:
    """Compare two versions of an article sentence by sentence.

    1. Split both into sentences and mask trivial variation (see `comparison_key`);
       sentences that are nothing but trivia are left out of the comparison.
    2. Align the masked sentences with difflib; deleted runs are removed sentences,
       inserted runs added ones.
    3. In a replaced run, pair each old sentence with the most similar new one (by word
       overlap, in order); a pair above CHANGED_SENTENCE_MIN_RATIO is a changed sentence,
       the rest are removed or added.
    """
    old_sentences = split_sentences(old_text)
    new_sentences = split_sentences(new_text)
    old_kept = [(s, k) for s in old_sentences if not _is_only_trivia(k := comparison_key(s))]
    new_kept = [(s, k) for s in new_sentences if not _is_only_trivia(k := comparison_key(s))]

    removed: list[str] = []
    changed: list[tuple[str, str]] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(
        None, [k for _s, k in old_kept], [k for _s, k in new_kept], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            removed.extend(s for s, _k in old_kept[i1:i2])
        elif tag == "insert":
            added.extend(s for s, _k in new_kept[j1:j2])
        elif tag == "replace":
            block = _pair_changed(old_kept[i1:i2], new_kept[j1:j2])
            removed.extend(block[0])
            changed.extend(block[1])
            added.extend(block[2])

    unified = "\n".join(
        difflib.unified_diff(
            old_sentences, new_sentences, fromfile="before", tofile="after", lineterm="", n=1
        )
    )
    return TextDiff(
        is_trivial=not (removed or changed or added),
        unified_diff=unified,
        removed_sentences=removed,
        changed_sentences=changed,
        added_sentences=added,
    )


def _pair_changed(
    old: list[tuple[str, str]], new: list[tuple[str, str]]
) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    removed: list[str] = []
    changed: list[tuple[str, str]] = []
    used: set[int] = set()
    next_free = 0  # pairs keep document order: a match never goes back past an earlier one
    for old_sentence, old_key in old:
        best_index, best_ratio = None, 0.0
        for index in range(next_free, len(new)):
            ratio = difflib.SequenceMatcher(None, old_key.split(), new[index][1].split()).ratio()
            if ratio > best_ratio:
                best_index, best_ratio = index, ratio
        if best_index is not None and best_ratio >= CHANGED_SENTENCE_MIN_RATIO:
            changed.append((old_sentence, new[best_index][0]))
            used.add(best_index)
            next_free = best_index + 1
        else:
            removed.append(old_sentence)
    added = [sentence for index, (sentence, _k) in enumerate(new) if index not in used]
    return removed, changed, added
