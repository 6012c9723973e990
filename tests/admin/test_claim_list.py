"""The claim list an editor reads at 7 a.m.: columns, filters, search, order, query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimMention
from tests.admin.conftest import make_article, make_claim

pytestmark = pytest.mark.django_db

LIST = "admin:claims_claim_changelist"


@pytest.fixture
def editor_client(client_for):
    return client_for("editor")


@pytest.fixture
def desk(db):
    today = timezone.localdate()
    return {
        "yesterday": make_claim(
            "The bridge will reopen",
            latest=today - dt.timedelta(days=1),
            status="overdue",
            speaker="Mayor Drobek",
            outlet="City Post",
        ),
        "long_ago": make_claim(
            "The dam will be finished", latest=today - dt.timedelta(days=40), status="overdue"
        ),
        "this_week": make_claim(
            "The ferry will sail", latest=today + dt.timedelta(days=(6 - today.weekday()))
        ),
        "in_a_month": make_claim("The tunnel will open", latest=today + dt.timedelta(days=25)),
        "far": make_claim("The airport will be built", latest=today + dt.timedelta(days=400)),
        "open_ended": make_claim("The talks will continue", latest=None, phrase="soon"),
    }


def _listed(client, query: str = "") -> list[str]:
    response = client.get(reverse(LIST) + query)
    assert response.status_code == 200
    return [claim.statement for claim in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?deadline=lapsed_recent", {"yesterday"}),
        ("?deadline=lapsed", {"yesterday", "long_ago"}),
        ("?deadline=week", {"this_week"}),
        ("?deadline=month", {"this_week", "in_a_month"}),
        ("?deadline=none", {"open_ended"}),
        ("?status__exact=overdue", {"yesterday", "long_ago"}),
        ("?speaker=Mayor+Drobek", {"yesterday"}),
        ("?outlet=City+Post", {"yesterday"}),
    ],
)
def test_filters(editor_client, desk, query, expected):
    assert set(_listed(editor_client, query)) == {desk[key].statement for key in expected}


def test_needs_review_filter_and_default_order(editor_client, desk):
    Claim.objects.filter(pk=desk["far"].pk).update(needs_review=True)

    order = _listed(editor_client)

    assert _listed(editor_client, "?needs_review__exact=1") == [desk["far"].statement]
    # waiting for review first, then the nearest deadline, open-ended last
    assert order == [
        desk[key].statement
        for key in ("far", "long_ago", "yesterday", "this_week", "in_a_month", "open_ended")
    ]


def test_search_finds_statement_quote_and_speaker(editor_client, desk):
    mention = desk["in_a_month"].mentions.get()
    ClaimMention.objects.filter(pk=mention.pk).update(sentence="Crews will bore under the fjord")

    assert _listed(editor_client, "?q=fjord") == [desk["in_a_month"].statement]
    assert _listed(editor_client, "?q=Drobek") == [desk["yesterday"].statement]
    assert _listed(editor_client, "?q=airport") == [desk["far"].statement]


def test_columns_badge_deadline_phrase_rule_outlets(editor_client, desk):
    claim = desk["yesterday"]
    article = make_article(
        "second", "Mayor Drobek repeated it.", outlet="Kaldora Wire", day=dt.date(2026, 9, 2)
    )
    ClaimMention.objects.create(article=article, claim=claim, start=0, end=5, sentence=article.text)

    response = editor_client.get(reverse(LIST) + f"?q={claim.statement}")
    html = response.content.decode()

    assert 'class="cw-badge cw-status-overdue"' in html and "Overdue" in html
    assert "“by Friday”" in html
    assert f'title="{claim.deadline_rule}"'.replace("'", "&#x27;") in html
    row = response.context["cl"].result_list[0]
    assert row.outlets_count == 2


def test_no_raw_json_where_an_editor_looks(editor_client, newsroom):
    claim = newsroom["lapsed"]
    pages = [
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_claimmention_change", args=[newsroom["evidence"].pk]),
        reverse("admin:claims_statuschange_change", args=[newsroom["proposal"].pk]),
        reverse("admin:claims_claimmention_changelist"),
        reverse("admin:claims_statuschange_changelist"),
    ]
    for url in pages:
        html = editor_client.get(url).content.decode()
        # the JSON fields (match parts, change detail, entities) never show as JSON
        for raw in ("&quot;via_mention&quot;", "&quot;event_date&quot;", "[&quot;ilse", "{'"):
            assert raw not in html, (url, raw)
        assert '"score":' not in html and '"text": 30.2' not in html, url
    claim_page = editor_client.get(pages[0]).content.decode()
    assert "<mark>Thursday</mark>" in claim_page  # the time expression, highlighted
    assert "wording 30.2" in claim_page  # the match score's parts, in words
    assert "ilse varga, harbour" in claim_page  # entities as text


def test_the_mention_admin_answers(editor_client, newsroom):
    for url in (
        reverse("admin:claims_claimmention_changelist"),
        reverse("admin:claims_claimmention_change", args=[newsroom["evidence"].pk]),
    ):
        assert editor_client.get(url).status_code == 200


def test_alert_deliveries_is_spelled_right(editor_client, db):
    html = editor_client.get(reverse("admin:index")).content.decode()

    assert "Alert deliveries" in html
    assert "deliverys" not in html


def test_claim_list_queries_do_not_grow_with_page_size(editor_client, db):
    def count_queries(n: int) -> int:
        Claim.objects.all().delete()
        for i in range(n):
            make_claim(
                f"Claim number {i} will happen",
                latest=dt.date(2026, 10, 1) + dt.timedelta(days=i),
                outlet=f"Outlet {i % 7}",
                slug=f"n{n}-{i}",
            )
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse(LIST))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == n
        return len(queries)

    assert count_queries(10) == count_queries(50)


@pytest.mark.parametrize("status", [404, 500])
def test_error_pages_are_claimwatch_pages(client, settings, status):
    from django.template.loader import render_to_string

    html = render_to_string(f"{status}.html", {"request_path": "/admin/nope/"})

    assert "Claimwatch" in html
    assert "Back to the claims" in html


def test_a_missing_page_is_the_friendly_404_when_debug_is_off(client, settings, db):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()
