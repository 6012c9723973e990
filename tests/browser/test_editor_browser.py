"""An Editor (the Editor group) at 7 a.m.: lapsed claims, a late fulfilment, a merge."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from tests.browser.conftest import log_in
from tests.claims.workspace_fixtures import PASSWORD, make_claim

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _editor_group() -> Group:
    """The Editor group as migrations 0009 and 0012 make it.

    A transactional test empties every table after it, the migrations' groups included, so
    the group is made again here from the migrations' own lists of permissions.
    """
    roles = importlib.import_module("claims.migrations.0009_editor_viewer_groups")
    codenames = [f"view_{model}" for _, model in roles.VIEW_ONLY]
    codenames += [codename for _, codename in roles.EDITOR_EXTRA]
    codenames += ["view_speaker", "view_speakeralias", "change_speaker", "add_speakeralias"]
    group, _ = Group.objects.get_or_create(name="Editor")
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    return group


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        username="ana", password=PASSWORD, is_staff=True, email="ana@desk.example"
    )
    user.groups.add(_editor_group())
    return user


@pytest.fixture
def desk():
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    return {
        "bridge": make_claim(
            "The footbridge over the canal will reopen to walkers",
            speaker="Mayor Dana Okafor",
            deadline=today - day,
            status=ClaimStatus.OVERDUE,
            timex="by the end of the month",
        ),
        "dredging": make_claim(
            "The harbour dredging contract will be awarded",
            speaker="Port Board",
            deadline=today - day,
            status=ClaimStatus.OVERDUE,
            outlet="North Ledger",
            timex="before the autumn storms",
        ),
        "ferry": make_claim(
            "The new ferry timetable will be published",
            speaker="Port Board",
            deadline=today + 3 * day,
            outlet="North Ledger",
        ),
        "library": make_claim(
            "The central library will open on Sundays",
            speaker="Councillor Ivo Brandt",
            deadline=today + 20 * day,
            outlet="Coast Weekly",
        ),
        "library_again": make_claim(
            "Sunday opening hours are coming to the central library",
            speaker="Ivo Brandt",
            deadline=today + 20 * day,
            outlet="Valley Courier",
        ),
        "old": make_claim(
            "The dam repairs will be finished",
            speaker="Water Office",
            deadline=today - 40 * day,
            status=ClaimStatus.MISSED,
        ),
    }


def _listed(page) -> list[str]:
    return [text.strip() for text in page.locator("#result_list tbody th").all_inner_texts()]


def test_editor_filters_lapsed_claims_and_settles_one_as_fulfilled_late(
    page, editor, desk, screenshot
):
    log_in(page, editor.username, PASSWORD)
    page.goto("/admin/claims/claim/")
    page.locator("#changelist-filter").get_by_role("link", name="Lapsed since yesterday").click()
    page.wait_for_url("**/admin/claims/claim/?deadline=lapsed_recent")
    screenshot(page, "lapsed")
    listed = _listed(page)
    assert sorted(listed) == sorted([desk["bridge"].statement, desk["dredging"].statement]), listed

    page.get_by_role("link", name=desk["bridge"].statement).click()
    page.get_by_role("link", name="Mark fulfilled late…").click()
    page.wait_for_url(f"**/admin/claims/claim/{desk['bridge'].pk}/decide/mark_fulfilled_late/")
    # The deadline's last day was yesterday; it happened today, a day late.
    page.fill("#id_effective_on", timezone.localdate().isoformat())
    page.fill("#id_note", "Reopened a day late: council notice of the reopening")
    screenshot(page, "fulfilled-late-form")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**/admin/claims/claim/{desk['bridge'].pk}/change/")

    assert "1 claim(s) now fulfilled late." in page.locator("ul.messagelist").inner_text()
    history = page.locator("#status_changes-group")
    latest = history.locator("tbody tr.has_original").first
    text = latest.inner_text()
    assert "Fulfilled late" in text
    assert "Reopened a day late: council notice of the reopening" in text
    assert "ana" in text
    screenshot(page, "history")
    assert Claim.objects.get(pk=desk["bridge"].pk).status == ClaimStatus.FULFILLED_LATE


def test_editor_merges_two_claims_through_the_confirmation_page(page, editor, desk, screenshot):
    keep, lose = desk["library"], desk["library_again"]
    log_in(page, editor.username, PASSWORD)
    page.goto("/admin/claims/claim/?q=library")
    page.locator(f"input.action-select[value='{keep.pk}']").check()
    page.locator(f"input.action-select[value='{lose.pk}']").check()
    page.select_option("select[name=action]", "merge_claims")
    with page.expect_navigation():
        page.get_by_role("button", name="Go").click()

    assert page.get_by_role("heading", name="Merge claims").is_visible()
    assert Claim.objects.get(pk=lose.pk).status == ClaimStatus.OPEN  # nothing applied yet
    page.select_option("#id_survivor", str(keep.pk))
    page.fill("#id_note", "Same promise, reworded by the Valley Courier")
    screenshot(page, "merge-confirmation")
    page.get_by_role("button", name="Merge").click()
    page.wait_for_url("**/admin/claims/claim/?q=library")

    message = page.locator("ul.messagelist").inner_text()
    assert f"Merged #{lose.pk} into claim #{keep.pk}; 1 mention(s) moved." in message
    screenshot(page, "merged")
    lose.refresh_from_db()
    assert (lose.status, lose.merged_into_id) == (ClaimStatus.MERGED, keep.pk)
    page.goto(f"/admin/claims/claim/{keep.pk}/change/")
    assert page.locator("#mentions-group tbody tr.has_original").count() == 2
    absorbed = page.locator("#status_changes-group tbody tr.has_original").first.inner_text()
    assert "Same promise, reworded by the Valley Courier" in absorbed
    screenshot(page, "survivor")

    page.goto("/admin/claims/speaker/")  # Ivo Brandt, however spelt: one speaker
    brandt = page.locator("#result_list tbody tr", has_text="Ivo Brandt")
    assert brandt.count() == 1
    assert "Councillor Ivo Brandt" in brandt.inner_text()
    screenshot(page, "speakers")
