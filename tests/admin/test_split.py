"""Splitting a mention into its own claim: through claims.editing, in both histories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import editing
from claims.models import Claim, ClaimMention, StatusChange
from tests.admin.conftest import ROLES, make_claim, second_forecast

pytestmark = pytest.mark.django_db


@pytest.fixture
def joined(db):
    today = timezone.localdate()
    claim = make_claim("The port deal will be signed", latest=today + dt.timedelta(days=30))
    return claim, second_forecast(claim)


def test_split_makes_a_claim_of_its_own_recorded_in_both_histories(users, joined, time_machine):
    claim, mention = joined
    editor = users["editor"]
    time_machine.move_to(dt.datetime(2026, 9, 27, 7, tzinfo=dt.UTC), tick=False)

    new = editing.split_mention(mention, editor=editor, note="Another promise: the terminal")

    mention.refresh_from_db()
    assert mention.claim == new != claim
    assert list(mention.detached_from.all()) == [claim]  # the matcher never puts it back
    assert new.statement == "The ferry terminal will also be rebuilt"
    assert (
        new.speaker_ref is not None
        and new.speaker_ref == Claim.objects.get(pk=claim.pk).speaker_ref
    )
    # Its deadline (25 Sep) passed two days ago: overdue now, not at the next hourly check.
    assert Claim.objects.get(pk=new.pk).status == "overdue"
    assert claim.mentions.count() == 1
    old_line = claim.status_changes.get(detail__split_off_into=new.pk)
    new_line = new.status_changes.get(detail__split_from=claim.pk)
    for line in (old_line, new_line):
        assert line.actor == editor
        assert line.evidence_mention == mention
        assert line.evidence_quote == "Another promise: the terminal"
        assert line.old_status == line.new_status  # a note in the history, no move
    assert new.status_changes.filter(reason=StatusChange.Reason.CREATED).exists()


def test_an_event_report_or_an_only_mention_cannot_be_split(users, newsroom):
    with pytest.raises(editing.CannotSplit, match="evidence"):
        editing.split_mention(newsroom["evidence"], editor=users["editor"])
    only = newsroom["other"].mentions.get()
    with pytest.raises(editing.CannotSplit, match="only one"):
        editing.split_mention(only, editor=users["editor"])
    assert Claim.objects.count() == 2


def test_the_claim_page_offers_split_and_the_page_applies_it(client_for, joined):
    claim, mention = joined
    client = client_for("editor")
    url = reverse("admin:claims_claimmention_decide", args=[mention.pk, "split"])

    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert url in page.content.decode()
    shown = client.get(url)
    assert shown.status_code == 200 and "Split into its own claim" in shown.content.decode()
    assert Claim.objects.count() == 1

    applied = client.post(url, {"note": "Two promises in one"}, follow=True)

    mention.refresh_from_db()
    assert mention.claim_id != claim.pk
    content = applied.content.decode()
    assert f"Split from claim #{claim.pk} into its own claim #{mention.claim_id}." in content
    assert "Two promises in one" in content  # the history inline of the old claim


def test_the_only_mention_offers_no_split(client_for, newsroom):
    claim = newsroom["other"]
    only = claim.mentions.get()
    url = reverse("admin:claims_claimmention_decide", args=[only.pk, "split"])

    page = client_for("editor").get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert url not in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_splitting_by_role(client_for, joined, role):
    claim, mention = joined
    url = reverse("admin:claims_claimmention_decide", args=[mention.pk, "split"])
    client = client_for(role)

    shown, applied = client.get(url), client.post(url, {"note": ""})

    mention.refresh_from_db()
    if role in ("anonymous", "nonstaff"):
        assert shown.status_code == applied.status_code == 302
        assert shown["Location"].startswith("/admin/login/")
    elif role == "viewer":
        assert (shown.status_code, applied.status_code) == (403, 403)
    else:
        assert (shown.status_code, applied.status_code) == (200, 302)
        assert mention.claim_id != claim.pk
        return
    assert mention.claim_id == claim.pk
    assert ClaimMention.objects.filter(claim=claim).count() == 2
