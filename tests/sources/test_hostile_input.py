"""Hostile import lines: each is named (file:line, field, reason) and skipped or safely
repaired; it never stops `import_articles` or `replay`, and every good line is kept."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources import polling
from sources.ingestion import RecordError, parse_article_record, parse_import_line
from sources.models import Article

GOOD = {
    "url": "https://ledger.example/news/bridge",
    "title": "Bridge to reopen",
    "published": "2025-09-02T08:30:00Z",
    "text": "The council said the bridge would reopen before the end of October.",
    "outlet": "The Millbrook Ledger",
}

# (field, value, words the reason must contain)
BAD_FIELDS = [
    ("published", "2025-02-30", "not a valid date"),
    ("published", "2025-13-01", "not a valid date"),
    ("published", "2025-09-02T08:30:00+25:00", "not a valid date"),
    ("published", "9999-12-31T23:00:00-05:00", "out of range"),
    ("published", "0001-01-01T00:30:00+05:00", "out of range"),
    ("published", "0001-01-01", "out of range"),
    ("published", 20250902, "must be an ISO 8601"),
    ("published", None, "must be an ISO 8601"),
    ("published", "next Tuesday", "not an ISO 8601"),
    ("url", "http://[::1/oops", "not a usable URL"),
    ("url", "http://ledger.example:99999/x", "not a usable URL"),
    ("url", "http:///no-host", "not a usable URL"),
    ("url", "http://ledger.example/a b", "spaces or control characters"),
    ("url", "http://ledger.example/\x00", "spaces or control characters"),
    ("url", "http://\ud800.example/", "spaces or control characters"),
    ("url", "https://ledger.example/" + "a" * 3000, "longer than"),
    ("url", "ftp://ledger.example/x", "http(s) URL"),
    ("url", 42, "http(s) URL"),
    ("url", ["https://ledger.example/"], "http(s) URL"),
    ("title", 5, "must be a string"),
    ("title", None, "must be a string"),
    ("text", {"a": 1}, "must be a string"),
    ("text", "", "empty"),
    ("text", "\x00\x00 ", "empty"),
    ("outlet", 7, "must be a string"),
]
BAD_LINES = [
    ("[1, 2, 3]", "expected a JSON object, got list"),
    ("42", "expected a JSON object, got int"),
    ('"a string"', "expected a JSON object, got str"),
    ("null", "expected a JSON object, got NoneType"),
    ("{not json", "invalid JSON"),
    ("[" * 100_000, "invalid JSON"),
    ('{"url": ' + "1" * 5000 + "}", "invalid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
]
# (field, value, what the repair note says): imported, and the repair reported.
REPAIRABLE = [
    ("text", GOOD["text"] + "\x00", "NUL bytes removed"),
    ("title", "Bridge\x00 to reopen", "NUL bytes removed"),
    ("text", GOOD["text"] + " \ud800", "lone surrogates replaced"),
    ("title", "Bridge \udfff", "lone surrogates replaced"),
    ("outlet", "O" * 5000, "cut from 5000 to 200 characters"),
    ("outlet", "Ledger\x00", "NUL bytes removed"),
]


@pytest.mark.unit
@pytest.mark.parametrize(("field", "value", "reason"), BAD_FIELDS)
def test_parse_article_record_rejects_a_bad_field_naming_it(field, value, reason):
    with pytest.raises(RecordError) as raised:
        parse_article_record({**GOOD, field: value})

    assert f"'{field}'" in str(raised.value)
    assert reason in str(raised.value)


@pytest.mark.unit
@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_parse_import_line_rejects_a_bad_line(line, reason):
    with pytest.raises(RecordError, match=reason.replace("(", r"\(")):
        parse_import_line(line)


@pytest.mark.unit
@pytest.mark.parametrize(("field", "value", "note"), REPAIRABLE)
def test_parse_article_record_repairs_what_is_safe_and_says_so(field, value, note):
    repairs: list[str] = []

    record = parse_article_record({**GOOD, field: value}, repairs=repairs)

    assert len(repairs) == 1 and repairs[0].startswith(f"'{field}'") and note in repairs[0]
    stored = getattr(record, field)
    assert "\x00" not in stored and (field != "outlet" or len(stored) == 200 or "\x00" in value)
    assert all(not 0xD800 <= ord(c) <= 0xDFFF for c in stored)


@pytest.mark.unit
def test_parse_article_record_surrogate_from_json_escape_is_repaired():
    line = json.dumps({**GOOD, "text": GOOD["text"] + " \ud800"})  # "\\ud800" on the wire

    record, _ = parse_import_line(line.encode())

    assert record.text == GOOD["text"] + " \ufffd"


@pytest.mark.unit
def test_parse_published_keeps_a_valid_offset():
    record = parse_article_record({**GOOD, "published": "2025-09-02T08:30:00+14:00"})

    assert record.published.isoformat() == "2025-09-02T08:30:00+14:00"


# --- the commands -------------------------------------------------------------------------


@pytest.fixture
def processed(monkeypatch) -> list[int]:
    """Article ids handed to claims.process_article (the claims side is not under test)."""
    ids: list[int] = []

    def hand_on(name: str, **kwargs) -> None:
        # One article (claims.process_article) or a batch of them (claims.process_articles).
        ids.extend(kwargs.get("article_ids") or [kwargs["article_id"]])

    monkeypatch.setattr(polling, "send_to_claims", hand_on)
    return ids


def encode(value: object) -> bytes:
    return (
        value
        if isinstance(value, bytes)
        else (value if isinstance(value, str) else json.dumps(value)).encode(
            "utf-8", "surrogatepass"
        )
    )


def import_file(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def good_line(n: int, text: str = "") -> dict:
    return {
        **GOOD,
        "url": f"https://ledger.example/news/{n}",
        "text": f"Story {n}: the council said it would decide by May. {text}",
    }


@pytest.mark.django_db
def test_import_articles_skips_each_hand_written_hostile_line_and_keeps_the_rest(
    tmp_path, processed, django_capture_on_commit_callbacks
):
    lines: list[bytes] = []
    bad: set[int] = set()
    repaired: set[int] = set()
    good_urls: set[str] = set()
    for n, (field, value, _reason) in enumerate(BAD_FIELDS):
        lines.append(encode({**good_line(1000 + n), field: value}))
        bad.add(len(lines))
        lines.append(encode(good_line(n)))
        good_urls.add(good_line(n)["url"])
    for line, _reason in BAD_LINES:
        lines.append(encode(line))
        bad.add(len(lines))
    for n, (field, value, _note) in enumerate(REPAIRABLE):
        record = {**good_line(2000 + n), field: value}
        lines.append(encode(record))
        repaired.add(len(lines))
        good_urls.add(record["url"])
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    with django_capture_on_commit_callbacks(execute=True):
        out, err = import_file(path)

    skipped = {int(line.split(":")[1]) for line in err.splitlines() if line.endswith("skipped")}
    fixed = {int(line.split(":")[1]) for line in err.splitlines() if ": repaired: " in line}
    assert (skipped, fixed) == (bad, repaired)
    assert all(line.startswith("hostile.jsonl:") for line in err.splitlines())
    assert out == (
        f"read={len(lines)} new={len(good_urls)} updated=0 unchanged=0 bad={len(bad)} "
        f"repaired={len(repaired)}\n"
    )
    assert set(Article.objects.values_list("url", flat=True)) == good_urls
    assert len(processed) == len(good_urls)
    long_outlet = Article.objects.get(url=good_line(2004)["url"])
    assert long_outlet.outlet == "O" * 200


@pytest.mark.django_db
def test_import_articles_reports_nul_and_surrogates_stored_clean(tmp_path, processed):
    path = tmp_path / "a.jsonl"
    path.write_bytes(encode({**GOOD, "text": "Bridge\x00 works will end \ud800 by May."}) + b"\n")

    out, err = import_file(path)

    assert out == "read=1 new=1 updated=0 unchanged=0 bad=0 repaired=1\n"
    assert err == (
        "a.jsonl:1: repaired: 'text': NUL bytes removed; "
        "'text': lone surrogates replaced by U+FFFD\n"
    )
    assert Article.objects.get().text == "Bridge works will end \ufffd by May."


# One hostile line: (kind, line) where kind is "bad" or "repaired".
_field_bad = st.sampled_from(BAD_FIELDS).map(lambda c: ("bad", c[0], c[1]))
_line_bad = st.sampled_from(BAD_LINES).map(lambda c: ("raw", c[0]))
_repairable = st.sampled_from(REPAIRABLE).map(lambda c: ("repaired", c[0], c[1]))
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5).filter(lambda k: k != "url"), inner, max_size=3)
    ),
    max_leaves=8,
)
_random_json = _json_values.map(lambda v: ("raw", json.dumps(v)))
_random_bytes = (
    st.binary(min_size=1, max_size=40)
    .filter(lambda b: b.strip() and b"\n" not in b)
    .map(lambda b: ("raw", b))
)
_random_field = st.tuples(
    st.sampled_from(["url", "published", "title", "text"]),
    _json_values.filter(lambda v: not isinstance(v, str)),
).map(lambda fv: ("bad", fv[0], fv[1]))
_hostile = st.one_of(_field_bad, _line_bad, _repairable, _random_json, _random_bytes, _random_field)
_good_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
_entry = st.one_of(st.tuples(st.just("good"), _good_text), _hostile)


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=st.lists(_entry, min_size=30, max_size=45))
def test_import_articles_survives_generated_hostile_lines(tmp_path, processed, entries):
    """8 examples x >= 30 lines: well over 200 generated lines, about 5 in 6 hostile."""
    Article.objects.all().delete()
    processed.clear()
    lines: list[bytes] = []
    expected_bad: set[int] = set()
    expected_repaired: set[int] = set()
    kept: set[str] = set()
    for n, entry in enumerate(entries):
        kind = entry[0]
        if kind == "raw":
            lines.append(encode(entry[1]))
            expected_bad.add(n + 1)
            continue
        record = good_line(n, entry[1]) if kind == "good" else good_line(n)
        if kind in ("bad", "repaired"):
            value = entry[2]
            if kind == "repaired" and entry[1] == "text":
                value = f"Story {n}. {value}"  # the same text elsewhere would be a duplicate
            record[entry[1]] = value
        lines.append(encode(record))
        if kind == "bad":
            expected_bad.add(n + 1)
        else:
            kept.add(record["url"])
            if kind == "repaired":
                expected_repaired.add(n + 1)
    path = tmp_path / "generated.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    out, err = import_file(path)

    messages = err.splitlines()
    skipped = {int(m.split(":")[1]) for m in messages if m.endswith("; skipped")}
    fixed = {int(m.split(":")[1]) for m in messages if ": repaired: " in m}
    assert skipped == expected_bad
    assert fixed == expected_repaired
    assert f"bad={len(expected_bad)} repaired={len(expected_repaired)}" in out
    assert set(Article.objects.values_list("url", flat=True)) == kept


@pytest.mark.django_db
def test_replay_skips_hostile_lines_and_replays_the_rest(tmp_path, capsys):
    lines = [
        encode({**GOOD, "published": "2025-02-30"}),
        encode({**GOOD, "published": "2025-09-02T08:30:00+25:00"}),
        encode({**GOOD, "url": "http://[::1/oops"}),
        b"\xff\xfe not utf-8",
        encode([GOOD]),
        encode({**GOOD, "fetched": "2025-09-31"}),
        encode({**GOOD, "outlet": "O" * 5000, "text": GOOD["text"] + "\x00"}),
    ]
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    call_command("replay", str(path))

    err = capsys.readouterr()
    skipped = [line for line in err.err.splitlines() if line.startswith("skipped ")]
    assert [line.split(":")[1] for line in skipped] == ["1", "2", "3", "4", "5", "6"]
    assert "'fetched' is not a valid date" in skipped[5]
    assert "repaired archive.jsonl:7: 'text': NUL bytes removed; 'outlet': cut" in err.err
    assert "replayed 1 article(s)" in err.out and "6 bad line(s)" in err.out
    article = Article.objects.get()
    assert (article.outlet, "\x00" in article.text) == ("O" * 200, False)
