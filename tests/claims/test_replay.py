"""replay: bad lines and failing articles are reported and skipped; the rest goes through."""

import json

import pytest
from django.core.management import call_command

from claims import pipeline
from sources.models import Article

pytestmark = pytest.mark.django_db

GOOD = {
    "url": "https://valley.example/news/dam",
    "title": "Dam repairs",
    "published": "2026-04-06T09:00:00+00:00",
    "text": "The water authority said the dam repairs would be finished by the end of May.",
    "outlet": "Valley Voice",
}
BROKEN = {**GOOD, "url": "https://valley.example/news/broken", "text": "Something odd."}


def write(tmp_path, lines):
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_lines_are_reported_with_their_numbers(tmp_path, capsys):
    path = write(
        tmp_path,
        [json.dumps(GOOD), "{not json", json.dumps({**GOOD, "url": "ftp://x"}), ""],
    )

    call_command("replay", str(path), "--until", "2026-06-15")

    captured = capsys.readouterr()
    assert "archive.jsonl:2" in captured.err
    assert "archive.jsonl:3" in captured.err and "http(s) URL" in captured.err
    assert "replayed 1 article(s)" in captured.out
    assert Article.objects.get().claim_mentions.get().claim.status == "missed"


def test_an_article_that_fails_processing_stops_nothing(tmp_path, capsys, monkeypatch):
    real = pipeline.extract_claims

    def explode_on_broken(text, **kwargs):
        if text == "Something odd.":
            raise ValueError("the parser choked")
        return real(text, **kwargs)

    real_batch = pipeline.extract_claims_batch

    def explode_on_broken_batch(inputs, **kwargs):
        # Replay parses the coming articles together: the whole batch fails, and each
        # article is then extracted alone, so only the broken one fails.
        inputs = list(inputs)
        if any(source.text == "Something odd." for source in inputs):
            raise ValueError("the parser choked")
        return real_batch(inputs, **kwargs)

    monkeypatch.setattr(pipeline, "extract_claims", explode_on_broken)
    monkeypatch.setattr(pipeline, "extract_claims_batch", explode_on_broken_batch)
    path = write(tmp_path, [json.dumps(BROKEN), json.dumps(GOOD)])

    call_command("replay", str(path))

    broken = Article.objects.get(url=BROKEN["url"])
    assert broken.processing_error == "ValueError: the parser choked"
    assert Article.objects.get(url=GOOD["url"]).claim_mentions.count() == 1
    assert "1 failed" in capsys.readouterr().out


def test_a_progress_bar_with_articles_per_second_only_when_asked(tmp_path, capsys):
    path = write(tmp_path, [json.dumps(GOOD)])

    call_command("replay", str(path))  # stdout is not a terminal here: no bar
    assert "article/s" not in capsys.readouterr().err

    call_command("replay", str(path), "--progress")
    bar = capsys.readouterr().err
    assert "1/1" in bar and "article/s" in bar
