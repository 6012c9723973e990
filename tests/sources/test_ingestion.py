"""Ingestion (DB): validating records, storing articles once, versions, and the paste form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse

from sources import ingestion, polling
from sources.admin import MANUAL_SOURCE_NAME, PASTED_URL_PREFIX
from sources.ingestion import ArticleRecord, RecordError, parse_article_record, upsert_article
from sources.models import Article, ArticleSource, ArticleVersion, Source
from sources.polling import store_article

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 9, 2, 12, tzinfo=dt.UTC)
TEXT = (
    "The council said the library will reopen before the autumn term.\n"
    "Councillor Anwen Pryce said the contractor would hand the building back by 15 September.\n"
    "Opposition councillors asked for weekly progress reports."
)
GOOD = {
    "url": "https://ledger.example/news/library",
    "title": "Library to reopen",
    "published": "2025-09-02T08:30:00+01:00",
    "text": TEXT,
}


def record(url: str = GOOD["url"], text: str = TEXT, **extra) -> ArticleRecord:
    return ArticleRecord(url=url, title="Library to reopen", published=NOW, text=text, **extra)


@pytest.fixture
def source() -> Source:
    return Source.objects.create(name="Ledger", url="https://ledger.example/feed.xml")


# --- parse_article_record -------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (["a list"], "expected a JSON object, got list"),
        ({"url": GOOD["url"]}, "missing field(s): title, published, text"),
        ({**GOOD, "url": "javascript:alert(1)"}, "'url' must be an http(s) URL"),
        ({**GOOD, "url": "https:///no-host"}, "'url' is not a usable URL"),
        ({**GOOD, "title": 7}, "'title' must be a string"),
        ({**GOOD, "text": "   "}, "'text' is empty"),
        ({**GOOD, "published": "18/04/2025"}, "'published' is not an ISO 8601 date"),
        ({**GOOD, "published": 20250418}, "'published' must be an ISO 8601 date"),
        ({**GOOD, "outlet": ["x"]}, "'outlet' must be a string"),
    ],
)
def test_parse_article_record_says_why_a_line_is_bad(line, reason):
    with pytest.raises(RecordError) as error:
        parse_article_record(line)

    assert str(error.value).startswith(reason)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2025-09-02T08:30:00+01:00", dt.datetime(2025, 9, 2, 7, 30, tzinfo=dt.UTC)),
        ("2025-09-02T08:30:00", dt.datetime(2025, 9, 2, 8, 30, tzinfo=dt.UTC)),
        ("2025-09-02", dt.datetime(2025, 9, 2, tzinfo=dt.UTC)),
    ],
)
def test_parse_article_record_gives_tz_aware_dates(published, expected):
    parsed = parse_article_record({**GOOD, "published": published})

    assert parsed.published == expected
    assert parsed.published.tzinfo is not None
    assert parsed.published_source == "import"


# --- upsert_article -------------------------------------------------------------------------


def test_upsert_article_stores_once_per_canonical_url(source):
    first = upsert_article(record(), source=source, fetched_at=NOW)
    again = upsert_article(record(GOOD["url"] + "?utm_source=x#top"), source=source)

    assert (first.created, again.created, again.changed) == (True, False, False)
    assert first.article_id == again.article_id
    assert ArticleVersion.objects.count() == 1


def test_upsert_article_same_text_under_another_url_is_the_same_article(source):
    other = Source.objects.create(name="Syndicator", url="https://wire.example/feed.xml")

    first = upsert_article(record(), source=source, fetched_at=NOW)
    copy = upsert_article(record("https://wire.example/amp/library"), source=other)

    assert copy.article_id == first.article_id
    assert Article.objects.count() == 1
    assert ArticleSource.objects.filter(article_id=first.article_id).count() == 2


def test_upsert_article_real_edit_writes_a_version_trivial_edit_does_not(source):
    upsert_article(record(), source=source, fetched_at=NOW)
    moved = TEXT.replace("by 15 September", "by the end of October")

    trivial = upsert_article(record(text=TEXT + "\nUpdated 14:02"), source=source)
    edit = upsert_article(record(text=moved), source=source)

    assert (trivial.changed, edit.changed, edit.version) == (False, True, 2)
    version = ArticleVersion.objects.get(number=2)
    assert version.changed_sentences == [
        {
            "old": "Councillor Anwen Pryce said the contractor would hand the building back by "
            "15 September.",
            "new": "Councillor Anwen Pryce said the contractor would hand the building back by "
            "the end of October.",
        }
    ]
    assert Article.objects.get().text == moved


# --- store_article --------------------------------------------------------------------------


def test_store_article_schedules_a_refetch_only_for_web_pages(source, settings):
    settings.ARTICLE_REFETCH_SCHEDULE = [60, 360]

    imported = store_article(record(), source=source, fetched_at=NOW)

    assert Article.objects.get(pk=imported.article_id).next_refetch_at is None


def test_store_article_retries_once_when_another_worker_created_the_article(source, monkeypatch):
    """The insert races another worker's (unique canonical URL): upsert_article tries again."""
    calls = []
    real_create = ingestion.Article.objects.create

    def racing_create(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_create(**kwargs)

    monkeypatch.setattr(ingestion.Article.objects, "create", racing_create)

    result = store_article(record(), source=source, fetched_at=NOW)

    assert (len(calls), result.created) == (2, True)


def test_archive_source_is_one_inactive_source_per_outlet():
    first = ingestion.archive_source("The Millbrook Ledger")
    second = ingestion.archive_source("The Millbrook Ledger")

    assert first == second
    assert (first.kind, first.is_active, first.display_outlet) == (
        "archive",
        False,
        "The Millbrook Ledger",
    )


# --- Pasting an article in admin ------------------------------------------------------------


def paste_data(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Ferry operator promises summer timetable by May",
        "url": "",
        "published_0": "2025-04-18",
        "published_1": "09:15:00",
        "outlet": "Estuary Weekly (print)",
        "text": "The ferry operator said its summer timetable would be published by 1 May.",
    }
    data.update(overrides)
    return data


def test_admin_paste_form_renders_and_is_linked_from_the_article_list(admin_client):
    form = admin_client.get(reverse("admin:sources_article_paste"))
    changelist = admin_client.get(reverse("admin:sources_article_changelist"))

    assert form.status_code == 200
    assert b"Paste an article" in form.content
    assert reverse("admin:sources_article_paste").encode() in changelist.content


def test_admin_paste_creates_an_article_once(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    processed: list[int] = []
    monkeypatch.setattr(
        polling, "send_to_claims", lambda name, *, article_id: processed.append(article_id)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:sources_article_paste"), paste_data())
    again = admin_client.post(reverse("admin:sources_article_paste"), paste_data(), follow=True)

    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:sources_article_change", args=[article.pk])
    assert article.canonical_url.startswith(PASTED_URL_PREFIX)
    assert (article.outlet, article.published_source) == ("Estuary Weekly (print)", "editor")
    assert article.published_at == dt.datetime(2025, 4, 18, 9, 15, tzinfo=dt.UTC)
    assert article.sources.get().name == MANUAL_SOURCE_NAME
    assert article.next_refetch_at is None
    assert processed == [article.pk]
    assert b"already has this text" in again.content


def test_admin_paste_rejects_a_missing_date(admin_client):
    response = admin_client.post(
        reverse("admin:sources_article_paste"), paste_data(published_0="", published_1="")
    )

    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not Article.objects.exists()


def test_admin_paste_needs_add_permission(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)

    response = client.get(reverse("admin:sources_article_paste"))

    assert response.status_code == 403
