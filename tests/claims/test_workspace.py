"""The editors' workspace: review queue, dashboard, index badge; permissions and query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import speakers, workspace
from claims.models import Claim, ClaimMention, ClaimStatus, Speaker, StatusChange
from tests.claims.workspace_fixtures import (
    applied_move,
    held_fulfilment,
    make_claim,
    make_user,
    suggested_join,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 10, 14, 7, 0, tzinfo=dt.UTC)  # a Wednesday, 7 a.m.
TODAY = NOW.date()
Review = StatusChange.Review


@pytest.fixture
def queue():
    """One held fulfilment, one applied deadline move, one suggested mention."""
    bridge = make_claim("The footbridge will reopen", deadline=dt.date(2026, 10, 9))
    ferry = make_claim(
        "The ferry timetable will be published",
        deadline=dt.date(2026, 10, 20),
        speaker="Port Board",
    )
    library = make_claim("The library will extend its hours", deadline=dt.date(2026, 11, 2))
    return {
        "held": held_fulfilment(bridge, at=NOW - dt.timedelta(days=3)),
        "move": applied_move(
            ferry, new_latest=dt.date(2026, 11, 30), at=NOW - dt.timedelta(days=2)
        ),
        "mention": suggested_join(library, at=NOW - dt.timedelta(days=1)),
        "claims": (bridge, ferry, library),
    }


def decide_url(kind: str, pk: int, decision: str) -> str:
    return reverse("admin-review-decide", args=[kind, pk, decision])


def login(client, django_user_model, role: str):
    if role != "anonymous":
        client.force_login(make_user(django_user_model, role))
    return client


# --- Permissions ----------------------------------------------------------------------------

PAGES = ("admin-review-queue", "admin-dashboard")
# role -> (status of GET on each page, status of a POST decision)
MATRIX = {
    "anonymous": (302, 302),
    "nonstaff": (302, 302),
    "staff": (403, 403),
    "viewer": (200, 403),
    "editor": (200, 302),
    "superuser": (200, 302),
}


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("page", PAGES)
def test_workspace_pages_check_view_permission(client, django_user_model, queue, role, page):
    login(client, django_user_model, role)

    response = client.get(reverse(page))

    assert response.status_code == MATRIX[role][0]
    if response.status_code == 302:  # admin_view: not staff -> the admin login page
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize(
    ("kind", "decision"),
    [("change", "accept"), ("change", "reject"), ("mention", "confirm"), ("mention", "detach")],
)
def test_review_decisions_need_change_permission(
    client, django_user_model, queue, role, kind, decision
):
    item = queue["held"] if kind == "change" else queue["mention"]
    login(client, django_user_model, role)

    response = client.post(decide_url(kind, item.pk, decision))

    assert response.status_code == MATRIX[role][1]
    item.refresh_from_db()
    decided = item.review_state != Review.PENDING if kind == "change" else not item.suggested
    assert decided == (role in ("editor", "superuser"))
    if decided:
        assert response.url == reverse("admin-review-queue")
    elif response.status_code == 302:
        assert response.url.startswith(reverse("admin:login"))


def test_review_decision_refuses_get_and_unknown_decisions(client, django_user_model, queue):
    login(client, django_user_model, "editor")

    get = client.get(decide_url("change", queue["held"].pk, "accept"))
    unknown = client.post(decide_url("change", queue["held"].pk, "shrug"))

    assert (get.status_code, unknown.status_code) == (405, 404)
    queue["held"].refresh_from_db()
    assert queue["held"].review_state == Review.PENDING


def test_viewer_sees_the_queue_without_buttons(client, django_user_model, queue):
    login(client, django_user_model, "viewer")

    content = client.get(reverse("admin-review-queue")).content.decode()

    assert "The footbridge will reopen" in content
    assert "<form" not in content.split('id="pending-changes"')[1]
    assert "Accept</button>" not in content


def test_editor_sees_one_form_per_item(client, django_user_model, queue):
    login(client, django_user_model, "editor")

    content = client.get(reverse("admin-review-queue")).content.decode()

    assert content.count("Accept</button>") == 2
    assert content.count("Confirm</button>") == 1
    assert content.count('<form method="post" action="/admin/claims/review/') == 3


# --- Review queue -----------------------------------------------------------------------------


def test_queue_lists_pending_changes_oldest_first_with_evidence(client, django_user_model, queue):
    login(client, django_user_model, "viewer")
    held, move = queue["held"], queue["move"]

    response = client.get(reverse("admin-review-queue"))

    assert [i.pk for i in response.context["change_items"]] == [held.pk, move.pk]
    assert [i.pk for i in response.context["mention_items"]] == [queue["mention"].pk]
    content = response.content.decode()
    article = held.evidence_article
    assert "Valley Courier" in content  # outlet
    assert article.url in content  # link to the article
    assert reverse("admin:sources_article_change", args=[article.pk]) in content
    assert "carried out <mark>on Tuesday</mark>, officials confirmed" in content  # quote
    assert "held until accepted" in content
    assert "applied, waiting for confirmation" in content
    assert "deadline 20 Oct 2026 → 30 Nov 2026" in content
    assert "match score 78" in content


def test_queue_leaves_out_settled_changes_and_confirmed_mentions(client, django_user_model, queue):
    bridge = queue["claims"][0]
    ClaimMention.objects.filter(pk=queue["mention"].pk).update(suggested=False)
    StatusChange.objects.filter(pk=queue["move"].pk).update(review_state=Review.CONFIRMED)
    login(client, django_user_model, "viewer")

    response = client.get(reverse("admin-review-queue"))

    assert [i.claim.pk for i in response.context["change_items"]] == [bridge.pk]
    assert response.context["mention_items"] == []
    assert (response.context["change_total"], response.context["mention_total"]) == (1, 0)


def test_accepting_a_held_change_applies_it_through_the_status_service(
    client, django_user_model, queue
):
    editor = make_user(django_user_model, "editor")
    client.force_login(editor)
    held = queue["held"]

    response = client.post(decide_url("change", held.pk, "accept"), {"note": "Seen the photos"})

    held.refresh_from_db()
    claim = Claim.objects.get(pk=held.claim_id)
    assert claim.status == ClaimStatus.FULFILLED
    assert (held.review_state, held.applied, held.reviewed_by, held.review_note) == (
        Review.CONFIRMED,
        True,
        editor,
        "Seen the photos",
    )
    applied = claim.status_changes.order_by("-id").first()
    assert (applied.new_status, applied.actor, applied.evidence_article_id) == (
        ClaimStatus.FULFILLED,
        editor,
        held.evidence_article_id,
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        f"Accepted the change of claim #{claim.pk} to “Fulfilled”; the claim is now “Fulfilled”."
    ]


def test_rejecting_a_held_change_leaves_the_claim_alone(client, django_user_model, queue):
    login(client, django_user_model, "editor")
    held = queue["held"]
    rows_before = StatusChange.objects.count()

    client.post(decide_url("change", held.pk, "reject"))

    held.refresh_from_db()
    assert held.review_state == Review.REJECTED
    assert Claim.objects.get(pk=held.claim_id).status == ClaimStatus.OPEN
    assert StatusChange.objects.count() == rows_before


def test_rejecting_an_applied_deadline_move_puts_the_window_back(client, django_user_model, queue):
    login(client, django_user_model, "editor")
    move = queue["move"]

    client.post(decide_url("change", move.pk, "reject"))

    ferry = Claim.objects.get(pk=move.claim_id)
    assert (ferry.deadline_latest, ferry.status) == (dt.date(2026, 10, 20), ClaimStatus.OPEN)
    undo = ferry.status_changes.order_by("-id").first()
    assert (undo.reason, undo.new_deadline_latest) == ("editor", dt.date(2026, 10, 20))


def test_deciding_twice_settles_once(client, django_user_model, queue):
    login(client, django_user_model, "editor")
    held = queue["held"]

    client.post(decide_url("change", held.pk, "accept"))
    rows_after_first = StatusChange.objects.count()
    second = client.post(decide_url("change", held.pk, "reject"), follow=True)

    held.refresh_from_db()
    assert held.review_state == Review.CONFIRMED
    assert StatusChange.objects.count() == rows_after_first
    assert "already settled" in second.content.decode()


def test_confirming_and_detaching_suggested_mentions(client, django_user_model, queue):
    editor = make_user(django_user_model, "editor")
    client.force_login(editor)
    library = queue["claims"][2]
    second = suggested_join(library, at=NOW, outlet="Hill Post")

    client.post(decide_url("mention", queue["mention"].pk, "confirm"))
    client.post(decide_url("mention", second.pk, "detach"))

    confirmed, detached = (ClaimMention.objects.get(pk=m.pk) for m in (queue["mention"], second))
    assert (confirmed.claim_id, confirmed.suggested, confirmed.confirmed_by) == (
        library.pk,
        False,
        editor,
    )
    assert (detached.claim_id, detached.suggested) == (None, False)
    assert list(detached.detached_from.values_list("pk", flat=True)) == [library.pk]


def test_decisions_are_logged_in_the_admin_history(client, django_user_model, queue):
    from django.contrib.admin.models import LogEntry

    login(client, django_user_model, "editor")

    client.post(decide_url("change", queue["held"].pk, "accept"))

    entry = LogEntry.objects.get()
    assert entry.object_id == str(queue["held"].claim_id)
    assert "Review queue: Accepted" in entry.get_change_message()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queue_queries_do_not_grow_with_its_length(client, django_user_model, queue):
    login(client, django_user_model, "viewer")
    url = reverse("admin-review-queue")
    few = _queries(client, url)
    for n in range(8):
        claim = make_claim(f"Pier {n} will be repaired", deadline=dt.date(2026, 10, 30))
        held_fulfilment(claim, at=NOW)
        applied_move(claim, new_latest=dt.date(2026, 12, 1), at=NOW)
        suggested_join(claim, at=NOW)

    many = _queries(client, url)

    assert many == few


# --- Admin index --------------------------------------------------------------------------------


def test_admin_index_shows_the_queue_size_and_the_dashboard_link(client, django_user_model, queue):
    login(client, django_user_model, "viewer")

    content = client.get(reverse("admin:index")).content.decode()

    assert "Review queue (3)" in content
    assert reverse("admin-review-queue") in content
    assert reverse("admin-dashboard") in content


def test_admin_index_hides_the_workspace_from_staff_without_claim_access(
    client, django_user_model, queue
):
    login(client, django_user_model, "staff")

    content = client.get(reverse("admin:index")).content.decode()

    assert "Review queue" not in content


# --- Dashboard ----------------------------------------------------------------------------------


@pytest.fixture
def board(time_machine):
    time_machine.move_to(NOW, tick=False)
    rows = {
        "lapsed": make_claim(
            "The tram depot will open", deadline=TODAY - dt.timedelta(days=1), status="overdue"
        ),
        "lapsed_earlier": make_claim(
            "The sea wall will be finished", deadline=TODAY - dt.timedelta(days=3), status="overdue"
        ),
        "resolved_yesterday": make_claim(
            "The clinic will hire nurses",
            deadline=TODAY - dt.timedelta(days=1),
            status="fulfilled",
        ),
        "due_today": make_claim("The audit will be released", deadline=TODAY),
        "due_week": make_claim(
            "The council will vote on the budget", deadline=TODAY + dt.timedelta(days=7)
        ),
        "due_later": make_claim("The stadium will be sold", deadline=TODAY + dt.timedelta(days=8)),
        "no_deadline": make_claim("Fares will fall", deadline=None),
    }
    return rows


def test_dashboard_counts_claims_by_status(client, django_user_model, board):
    login(client, django_user_model, "viewer")

    response = client.get(reverse("admin-dashboard"))

    counts = {row["status"]: row["count"] for row in response.context["status_counts"]}
    assert counts == {
        "open": 4,
        "due_soon": 0,
        "overdue": 2,
        "fulfilled": 1,
        "fulfilled_late": 0,
        "missed": 0,
        "contradicted": 0,
        "retracted": 0,
        "deadline_moved": 0,
        "merged": 0,
        "not_a_claim": 0,
    }


def test_dashboard_lists_claims_lapsed_since_yesterday_with_evidence(
    client, django_user_model, board
):
    login(client, django_user_model, "viewer")

    response = client.get(reverse("admin-dashboard"))

    lapsed = response.context["lapsed"]
    assert [row.claim.pk for row in lapsed] == [board["lapsed"].pk]
    evidence = lapsed[0].evidence
    assert [(e.outlet, e.highlight) for e in evidence] == [("Harbour Gazette", "by Friday")]
    content = response.content.decode()
    section = content.split('id="lapsed"')[1].split('id="due"')[0]
    assert "The tram depot will open" in section
    assert "said the tram depot will open <mark>by Friday</mark>." in section
    assert evidence[0].url in section


def test_dashboard_lists_claims_due_in_the_next_seven_days(client, django_user_model, board):
    login(client, django_user_model, "viewer")

    response = client.get(reverse("admin-dashboard"))

    assert [row.claim.pk for row in response.context["due"]] == [
        board["due_today"].pk,
        board["due_week"].pk,
    ]


def test_dashboard_shows_the_timeline_as_inline_svg(client, django_user_model, board):
    login(client, django_user_model, "viewer")

    content = client.get(reverse("admin-dashboard")).content.decode()

    svg = content.split('<svg class="cw-timeline"')[1].split("</svg>")[0]
    titles = re.findall(r"<title>(Week of [^<]+)</title>", svg)
    assert titles == [
        "Week of 05 Oct 2026: 1 overdue",  # due Sunday 11 Oct
        "Week of 12 Oct 2026: 1 open",  # due today
        "Week of 12 Oct 2026: 1 overdue",  # due yesterday
        "Week of 12 Oct 2026: 1 fulfilled",
        "Week of 19 Oct 2026: 2 open",  # due in 7 and 8 days
    ]
    assert "<script" not in content.split('id="timeline"')[1].split("</section>")[0]


def test_dashboard_track_record_counts_outcomes_and_moves(client, django_user_model, time_machine):
    time_machine.move_to(NOW, tick=False)
    varga = "Minister Ilse Varga"
    make_claim("The port deal will be signed", speaker=varga, status="fulfilled")
    make_claim("The tunnel will open", speaker="Ilse Varga", status="fulfilled_late")
    make_claim("The strike will end", speaker="Kaldoran Minister Ilse Varga", status="missed")
    moved = make_claim("The airport will reopen", speaker=varga, deadline=dt.date(2026, 10, 20))
    applied_move(moved, new_latest=dt.date(2026, 11, 20), at=NOW)
    applied_move(moved, new_latest=dt.date(2026, 12, 20), at=NOW)
    rejected = make_claim("The mine will close", speaker="Varga", deadline=dt.date(2026, 10, 21))
    rejected_move = applied_move(rejected, new_latest=dt.date(2026, 11, 21), at=NOW)
    StatusChange.objects.filter(pk=rejected_move.pk).update(review_state=Review.REJECTED)
    make_claim("Rates will rise", speaker="Central Bank", status="contradicted")
    make_claim("Rates will fall", speaker="Central Bank", status="not_a_claim")  # not counted
    make_claim("Taxes will rise", speaker="who")  # names no one: in nobody's record
    speakers.link_speakers()  # what the scheduler does every few minutes
    login(client, django_user_model, "viewer")

    response = client.get(reverse("admin-dashboard"))

    records = {r.speaker: r for r in response.context["track_records"]}
    ilse = Speaker.objects.get(name="Ilse Varga")
    assert records["Ilse Varga"] == workspace.TrackRecord(
        speaker="Ilse Varga",
        speaker_id=ilse.pk,
        claims=5,
        kept=1,
        kept_late=1,
        missed=1,
        moved=1,
        contradicted=0,
        unresolved=2,
    )
    assert (records["Central Bank"].contradicted, records["Central Bank"].claims) == (1, 1)
    assert list(records) == ["Ilse Varga", "Central Bank"]  # most claims first
    assert response.context["track_records"][0].speaker_url in response.content.decode()


def test_dashboard_queries_do_not_grow_with_the_number_of_claims(client, django_user_model, board):
    login(client, django_user_model, "viewer")
    url = reverse("admin-dashboard")
    few = _queries(client, url)
    for n in range(10):
        for days in (-1, 2):
            claim = make_claim(
                f"Road {n} will be resurfaced",
                speaker=f"Speaker {n}",
                deadline=TODAY + dt.timedelta(days=days),
                status="overdue" if days < 0 else "open",
            )
            suggested_join(claim, at=NOW)

    many = _queries(client, url)

    assert len(workspace.lapsed_claims(now=NOW)) == 11
    assert many == few


# --- Pure helpers -------------------------------------------------------------------------------


@pytest.mark.unit
def test_timeline_weeks_spans_the_data_and_keeps_today_in_view_when_capped():
    monday = dt.date(2026, 10, 12)
    weeks = [monday - dt.timedelta(weeks=100), monday, monday + dt.timedelta(weeks=100)]

    short = workspace.timeline_weeks([monday, monday + dt.timedelta(weeks=3)], today=monday)
    capped = workspace.timeline_weeks(weeks, today=monday + dt.timedelta(days=2), max_weeks=20)

    assert short == [monday + dt.timedelta(weeks=i) for i in range(4)]
    assert len(capped) == 20
    assert capped[0] == monday - dt.timedelta(weeks=5)
    assert capped[-1] == monday + dt.timedelta(weeks=14)


@pytest.mark.unit
def test_timeline_svg_stacks_bars_to_scale_and_escapes_labels():
    week = dt.date(2026, 10, 12)
    counts = {week: {"open": 3, "overdue": 1, "<b>odd</b>": 1}}

    svg = str(workspace.timeline_svg(counts, today=week))

    heights = [
        float(h)
        for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)
    ]
    assert heights[0] == pytest.approx(3 * heights[1])  # open 3, overdue 1
    assert "<b>odd</b>" not in svg
    assert "&lt;b&gt;odd&lt;/b&gt;" in svg
    assert "today" in svg


@pytest.mark.unit
def test_timeline_svg_says_so_when_no_claim_has_a_deadline():
    assert "No claim has a deadline yet." in workspace.timeline_svg({}, today=dt.date(2026, 1, 1))
