"""An editor settles the review queue in a real browser; a viewer can read but not change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimStatus, StatusChange
from tests.browser.conftest import log_in
from tests.claims.workspace_fixtures import (
    PASSWORD,
    applied_move,
    held_fulfilment,
    make_claim,
    make_user,
    suggested_join,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def newsroom():
    """A small newsroom: claims lapsed overnight, due this week, and three items to review."""
    now = timezone.now()
    today = timezone.localdate(now)
    day = dt.timedelta(days=1)
    bridge = make_claim(
        "The footbridge over the canal will reopen to walkers",
        speaker="Mayor Dana Okafor",
        deadline=today - day,
        status=ClaimStatus.OVERDUE,
        timex="by the end of the month",
    )
    ferry = make_claim(
        "The new ferry timetable will be published",
        speaker="Port Board",
        deadline=today + 3 * day,
        outlet="North Ledger",
    )
    library = make_claim(
        "The central library will open on Sundays",
        speaker="Councillor Ivo Brandt",
        deadline=today + 20 * day,
        outlet="Coast Weekly",
    )
    make_claim(
        "The harbour dredging contract will be awarded",
        speaker="Port Board",
        deadline=today - day,
        status=ClaimStatus.OVERDUE,
        outlet="North Ledger",
        timex="before the autumn storms",
    )
    make_claim(
        "Bus lane cameras will be switched on",
        speaker="Transport Office",
        deadline=today + 5 * day,
        status=ClaimStatus.DUE_SOON,
        outlet="Valley Courier",
        timex="next week",
    )
    for weeks, status in ((-6, "fulfilled"), (-4, "missed"), (-2, "fulfilled_late"), (5, "open")):
        make_claim(
            f"Claim settled as {status} in week {weeks}",
            speaker="Mayor Dana Okafor",
            deadline=today + dt.timedelta(weeks=weeks),
            status=status,
        )
    return {
        "held": held_fulfilment(bridge, at=now - 2 * day),
        "move": applied_move(ferry, new_latest=today + 30 * day, at=now - day),
        "mention": suggested_join(library, at=now),
        "bridge": bridge,
    }


def test_editor_accepts_a_change_and_reads_the_dashboard(
    page, django_user_model, newsroom, screenshot
):
    editor = make_user(django_user_model, "editor")
    held = newsroom["held"]
    log_in(page, editor.username, PASSWORD)
    screenshot(page, "index")

    page.get_by_role("link", name="Review queue (3)").click()
    page.wait_for_url("**/admin/claims/review/")
    screenshot(page, "queue")
    item = page.locator(f"#change-{held.pk}")
    assert "Valley Courier" in item.inner_text()
    item.get_by_placeholder("Note (optional)").fill("Photos of the open bridge checked")
    item.get_by_role("button", name="Accept").click()
    page.wait_for_url("**/admin/claims/review/")

    message = page.locator("ul.messagelist li").first.inner_text()
    assert f"claim #{held.claim_id}" in message
    assert "the claim is now “Fulfilled”" in message
    assert page.locator(f"#change-{held.pk}").count() == 0
    assert page.get_by_role("heading", name="Status changes waiting for review (1)").is_visible()
    screenshot(page, "queue-after-accept")
    assert Claim.objects.get(pk=held.claim_id).status == ClaimStatus.FULFILLED
    held.refresh_from_db()
    assert (held.review_state, held.reviewed_by_id, held.review_note) == (
        StatusChange.Review.CONFIRMED,
        editor.pk,
        "Photos of the open bridge checked",
    )

    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url("**/admin/claims/dashboard/")
    chart = page.locator("svg.cw-timeline")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 600
    assert page.locator("svg.cw-timeline rect[data-status]").count() >= 5
    assert page.locator("#track-records").get_by_text("Dana Okafor").is_visible()
    assert page.locator('#status-counts [data-status="fulfilled"] .cw-count').inner_text() == "2"
    lapsed, due = page.locator("#lapsed"), page.locator("#due")
    assert lapsed.get_by_role("link", name="The harbour dredging contract").is_visible()
    assert due.get_by_role("link", name="Bus lane cameras").is_visible()
    screenshot(page, "dashboard")


def test_viewer_reads_the_queue_but_cannot_decide(page, django_user_model, newsroom, screenshot):
    viewer = make_user(django_user_model, "viewer")
    held = newsroom["held"]
    log_in(page, viewer.username, PASSWORD)

    page.goto("/admin/claims/review/")
    screenshot(page, "queue")
    assert page.locator(f"#change-{held.pk}").is_visible()
    assert page.get_by_role("button", name="Accept").count() == 0
    assert page.get_by_role("button", name="Reject").count() == 0
    assert page.get_by_role("button", name="Confirm").count() == 0
    # Forge the click: a POST with a valid CSRF token (from the page's logout form).
    status, body = page.evaluate(
        """async (url) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch(url, {
                method: "POST",
                headers: {"X-CSRFToken": token},
                body: new URLSearchParams({csrfmiddlewaretoken: token}),
            });
            return [response.status, await response.text()];
        }""",
        f"/admin/claims/review/change/{held.pk}/accept/",
    )

    assert status == 403
    assert "CSRF" not in body  # refused for the permission, not for a missing token
    held.refresh_from_db()
    assert held.review_state == StatusChange.Review.PENDING
    assert Claim.objects.get(pk=held.claim_id).status == ClaimStatus.OVERDUE
