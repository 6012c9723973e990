"""A password in a source URL is stored for fetching but never shown: admin, logs, exports."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from claims.editing import set_status
from claims.models import Claim, ClaimMention
from sources.models import Article, ArticleSource, Source
from sources.polling import poll_source
from sources.redaction import redact_text, redact_url

SECRET = "hunter2-Zq9"
NOW = dt.datetime(2026, 4, 18, 9, 0, tzinfo=dt.UTC)


# --- The pure functions -------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://reader:hunter2@feeds.example/rss", "https://reader:***@feeds.example/rss"),
        ("https://reader:@feeds.example/rss", "https://reader:***@feeds.example/rss"),
        ("https://apitoken@feeds.example/rss", "https://***@feeds.example/rss"),
        ("redis://:pw@cache:6379/0", "redis://:***@cache:6379/0"),
        ("https://u:p%40ss@feeds.example:8443/a?x=1#f", "https://u:***@feeds.example:8443/a?x=1#f"),
        ("https://feeds.example/rss?contact=me@example.org", None),
        ("https://feeds.example/rss", None),
        ("", None),
    ],
)
def test_redact_url_hides_the_password_and_keeps_the_rest(url, shown):
    assert redact_url(url) == (shown or url)


@pytest.mark.unit
def test_redact_text_hides_every_url_password_in_a_message():
    message = (
        f"HTTP 404 for https://reader:{SECRET}@feeds.example/rss (redirected from "
        f"http://other:{SECRET}@old.example/feed); mail desk@news.example"
    )

    shown = redact_text(message)

    assert SECRET not in shown
    assert "https://reader:***@feeds.example/rss" in shown
    assert "http://other:***@old.example/feed" in shown
    assert "desk@news.example" in shown  # an e-mail address is not a URL


# --- Logs ---------------------------------------------------------------------------------


def test_any_log_record_is_redacted_with_arguments_and_tracebacks(caplog):
    logger = logging.getLogger("claimwatch.test.credentials")
    url = f"https://reader:{SECRET}@feeds.example/rss"

    with caplog.at_level(logging.INFO):
        logger.info("polling %s", url)
        try:
            raise RuntimeError(f"could not read {url}")
        except RuntimeError:
            logger.exception("poll of %s failed", url)

    assert "https://reader:***@feeds.example/rss" in caplog.text
    assert "could not read https://reader:***@" in caplog.text  # the traceback's last line
    assert SECRET not in caplog.text
    assert all(SECRET not in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/status/404", "/status/410"])
def test_a_failing_poll_logs_the_source_url_without_its_password(web, settings, caplog, path):
    settings.FETCH_ALLOWED_HOSTS = [web.netloc]
    settings.FETCH_HOST_INTERVAL = 0.0
    url = f"http://reader:{SECRET}@{web.netloc}{path}"
    source = Source.objects.create(name="Partner wire", url=url)

    with caplog.at_level(logging.INFO):
        outcome = poll_source(source, now=NOW)

    assert not outcome.ok
    source.refresh_from_db()
    assert source.url == url  # stored as given: the fetcher needs it
    assert f"reader:***@{web.netloc}" in caplog.text  # the URL is named...
    assert SECRET not in caplog.text  # ...without the password


# --- Admin --------------------------------------------------------------------------------


@pytest.fixture
def protected_source(db):
    url = f"https://reader:{SECRET}@partner.example/feed.xml"
    source = Source.objects.create(
        name="Partner wire",
        url=url,
        consecutive_failures=2,
        last_error=f"HTTP 500 for {url}",
        last_error_at=NOW,
    )
    article = Article.objects.create(
        canonical_url="https://partner.example/a",
        url=f"https://reader:{SECRET}@partner.example/a",
        title="Port deal",
        outlet="Partner wire",
        text="The deal will be signed by Friday.",
        published_at=NOW,
        fetch_error=f"Timed out fetching https://reader:{SECRET}@partner.example/a",
    )
    ArticleSource.objects.create(article=article, source=source, guid=article.url)
    return source, article


@pytest.mark.django_db
def test_admin_pages_never_show_the_password(admin_client, protected_source):
    source, article = protected_source
    pages = [
        reverse("admin:sources_source_changelist"),
        reverse("admin:sources_source_changelist") + "?health=failing",
        reverse("admin:sources_source_change", args=[source.pk]),
        reverse("admin:sources_article_changelist"),
        reverse("admin:sources_article_change", args=[article.pk]),
    ]
    for page in pages:
        html = admin_client.get(page).content.decode()
        assert SECRET not in html, page
    change = admin_client.get(reverse("admin:sources_source_change", args=[source.pk]))
    assert "https://reader:***@partner.example/feed.xml" in change.content.decode()
    assert "HTTP 500 for https://reader:***@partner.example/feed.xml" in change.content.decode()


@pytest.mark.django_db
def test_a_view_only_editor_does_not_see_the_password_either(client, editor, protected_source):
    source, article = protected_source
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_source", "view_article"])
    )
    client.force_login(editor)

    for page in (
        reverse("admin:sources_source_change", args=[source.pk]),
        reverse("admin:sources_article_change", args=[article.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200
        assert SECRET not in response.content.decode(), page
        assert "reader:***@partner.example" in response.content.decode()


def _source_form(source: Source, **changes) -> dict:
    data = {
        "name": source.name,
        "kind": source.kind,
        "url": redact_url(source.url),
        "outlet": source.outlet,
        "poll_interval_minutes": source.poll_interval_minutes,
        "is_active": "on",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_saving_the_masked_url_unchanged_keeps_the_stored_password(admin_client, protected_source):
    source, _ = protected_source
    stored = source.url

    response = admin_client.post(
        reverse("admin:sources_source_change", args=[source.pk]),
        _source_form(source, name="Partner wire (renamed)"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    source.refresh_from_db()
    assert (source.name, source.url) == ("Partner wire (renamed)", stored)


@pytest.mark.django_db
def test_the_stored_password_is_not_carried_to_another_url(admin_client, protected_source):
    source, _ = protected_source
    stored = source.url

    response = admin_client.post(
        reverse("admin:sources_source_change", args=[source.pk]),
        _source_form(source, url="https://reader:***@elsewhere.example/feed.xml"),
    )

    assert response.status_code == 200  # the form again, with the error
    assert "Type the password again" in response.content.decode()
    source.refresh_from_db()
    assert source.url == stored

    new_password = "https://reader:n3w-pass@partner.example/feed.xml"
    response = admin_client.post(
        reverse("admin:sources_source_change", args=[source.pk]),
        _source_form(source, url=new_password),
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.url == new_password


# --- Exports and commands -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["json", "csv", "claimreview"])
def test_exports_show_article_urls_without_the_password(editor, protected_source, capsys, format):
    _, article = protected_source
    claim = Claim.objects.create(statement="The port deal will be signed by Friday")
    ClaimMention.objects.create(
        article=article, claim=claim, start=0, end=34, sentence=article.text
    )
    set_status(claim, "fulfilled", editor=editor, note="signed")

    call_command("export_claims", "--format", format)

    out = capsys.readouterr().out
    assert SECRET not in out
    if format != "csv":  # the CSV has no URL column
        assert "https://reader:***@partner.example/a" in out
        json.loads(out)


@pytest.mark.django_db
def test_add_source_prints_the_url_without_the_password(capsys):
    url = f"https://reader:{SECRET}@partner.example/feed.xml"

    call_command("add_source", url, "--kind", "feed", "--name", "Partner wire")

    assert SECRET not in capsys.readouterr().out
    assert Source.objects.get().url == url
