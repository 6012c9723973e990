"""Pathological text stays bounded before spaCy; normal text reaches it unchanged.

Before the guard, 50,000 nested parentheses kept spaCy's tokenizer busy for over five
minutes, and a megabyte of dated sentences took minutes and gigabytes. The two big cases run
in a subprocess with a generous timeout, which reports its peak memory; nothing here times
speed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from claims.extraction import (
    MAX_PUNCT_RUN,
    MAX_TEXT_CHARS,
    ArticleInput,
    extract_claims,
    extract_claims_batch,
    guard_text,
    needs_guard,
    segments_for_nlp,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
PUBLISHED = dt.date(2025, 5, 1)
SPACY_MAX = 1_000_000

NESTED_PARENTHESES = "The council will decide " + "(" * 50_000 + "soon" + ")" * 50_000 + "."
_DATED = "The deal will be signed by Friday, 5 May 2025, next week or within two days. "
MEGABYTE_OF_TIMEXES = _DATED * (1_000_000 // len(_DATED))


# --- The guard itself (no spaCy) ----------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.name)
def test_normal_articles_reach_spacy_unchanged(path):
    text = path.read_text(encoding="utf-8")

    assert not needs_guard(text, max_length=SPACY_MAX)
    assert segments_for_nlp(text, max_length=SPACY_MAX) == [(0, text)]
    assert guard_text(text) == (text, [])


@pytest.mark.unit
@pytest.mark.parametrize(
    "run",
    ["(" * 50_000, "!" * 20_000, "_" * 20_000, "'s" * 10_000, "$" * 20_000, "!_" * 10_000],
)
def test_a_pathological_run_is_blanked_and_the_text_keeps_its_length(run):
    text = f"The mayor said the bridge would reopen by 1 March 2026. {run} The end."

    guarded, notes = guard_text(text)

    assert len(guarded) == len(text)  # offsets into the article stay valid
    assert guarded.startswith("The mayor said the bridge would reopen by 1 March 2026.")
    assert guarded.endswith(" The end.")
    assert max(len(word) for word in guarded.split()) <= 256
    assert notes


@pytest.mark.unit
def test_punctuation_runs_keep_their_first_characters():
    guarded, _ = guard_text("wait" + "!" * 100 + " now")

    assert guarded == "wait" + "!" * MAX_PUNCT_RUN + " " * (100 - MAX_PUNCT_RUN) + " now"


@pytest.mark.unit
def test_a_huge_text_is_read_in_segments_up_to_the_cap(caplog):
    with caplog.at_level(logging.WARNING, logger="claims.extraction"):
        segments = segments_for_nlp(MEGABYTE_OF_TIMEXES, max_length=SPACY_MAX)

    assert max(len(piece) for _, piece in segments) <= 10_000
    assert "".join(piece for _, piece in segments) == MEGABYTE_OF_TIMEXES[:MAX_TEXT_CHARS]
    assert all(
        MEGABYTE_OF_TIMEXES[offset : offset + len(piece)] == piece for offset, piece in segments
    )
    assert "only the first 300000 of" in caplog.text


# --- With spaCy -----------------------------------------------------------------------------


def test_a_claim_after_a_pathological_run_is_found_with_the_article_s_offsets(nlp, caplog):
    text = (
        "Residents wrote " + "(" * 5_000 + " in protest.\n\n"
        "The mayor said the library would reopen by 1 March 2026."
    )

    with caplog.at_level(logging.WARNING, logger="claims.extraction"):
        claims = extract_claims(text, published=PUBLISHED, nlp=nlp)

    assert [c.latest for c in claims] == [dt.date(2026, 3, 1)]
    claim = claims[0]
    assert "library would reopen" in text[claim.start : claim.end]
    assert text[claim.timex.start : claim.timex.end] == "1 March 2026"
    assert "pathological text" in caplog.text


def test_the_batch_guards_the_pathological_article_and_leaves_the_others(nlp):
    normal = (FIXTURES / "peace_talks.txt").read_text(encoding="utf-8")
    articles = [
        ArticleInput(text=normal, published=PUBLISHED),
        ArticleInput(text="They will vote by Friday. " + "!" * 30_000, published=PUBLISHED),
    ]

    first, second = extract_claims_batch(articles, nlp=nlp)

    assert first == extract_claims(normal, published=PUBLISHED, nlp=nlp)
    assert [c.timex.text for c in second] == ["Friday"]


PROBE = """
import datetime as dt, json, resource, sys, time
import django
django.setup()
from claims.extraction import extract_claims, get_nlp
text = sys.stdin.read()
nlp = get_nlp()
claims = extract_claims(text, published=dt.date(2025, 5, 1), nlp=nlp)
print(json.dumps({
    "claims": len(claims),
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
}))
"""


def run_extraction_in_a_subprocess(text: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"},
        timeout=300,  # minutes more than it needs; before the guard it did not finish
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_fifty_thousand_nested_parentheses_finish(nlp):
    outcome = run_extraction_in_a_subprocess(NESTED_PARENTHESES)

    assert outcome["claims"] <= 1
    assert outcome["max_rss_mb"] < 1500


@pytest.mark.slow
def test_a_megabyte_of_time_expressions_finishes_in_bounded_memory():
    outcome = run_extraction_in_a_subprocess(MEGABYTE_OF_TIMEXES)

    assert outcome["claims"] > 1000  # the first MAX_TEXT_CHARS are read, claims and all
    assert outcome["max_rss_mb"] < 1500  # it took 3.5 GB before the guard
