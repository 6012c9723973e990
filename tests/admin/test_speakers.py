"""Speakers in the admin: track-record columns, search over spellings, merge with a page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from claims.models import Claim, Speaker
from tests.admin.conftest import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def speakers_desk(db):
    day = dt.date(2026, 9, 18)
    rows = {
        "kept": make_claim("The port deal will be signed", latest=day, status="fulfilled"),
        "missed": make_claim(
            "The tunnel will open", latest=day, status="missed", speaker="President Ilse Varga"
        ),
        "open": make_claim("The strike will end", latest=day, speaker="Varga"),
        "other": make_claim("Rates will rise", latest=day, speaker="Kaldora Central Bank"),
        "initial": make_claim("The mine will close", latest=day, speaker="I. Varga"),
    }
    return rows


def test_speaker_list_shows_one_row_per_speaker_with_the_track_record(client_for, speakers_desk):
    response = client_for("viewer").get(reverse("admin:claims_speaker_changelist"))

    assert response.status_code == 200
    rows = {s.name: s for s in response.context["cl"].result_list}
    assert set(rows) == {"Ilse Varga", "Kaldora Central Bank", "I. Varga"}
    varga = rows["Ilse Varga"]
    assert (varga.claim_count, varga.kept, varga.missed, varga.unresolved) == (3, 1, 1, 1)
    page = response.content.decode()
    assert "President Ilse Varga" in page  # the spellings column
    assert "{" not in page.split('id="result_list"')[1].split("</table>")[0]  # no raw JSON


def test_speaker_search_finds_a_spelling(client_for, speakers_desk):
    response = client_for("viewer").get(
        reverse("admin:claims_speaker_changelist") + "?q=President+Ilse"
    )

    assert [s.name for s in response.context["cl"].result_list] == ["Ilse Varga"]


def test_merging_speakers_asks_first_then_moves_the_claims(client_for, speakers_desk):
    client = client_for("editor")
    ilse = Speaker.objects.get(name="Ilse Varga")
    initial = Speaker.objects.get(name="I. Varga")
    url = reverse("admin:claims_speaker_changelist")
    chosen = {"action": "merge_speakers", "_selected_action": [ilse.pk, initial.pk]}

    page = client.post(url, chosen)

    assert page.status_code == 200
    assert "Merge speakers" in page.content.decode()
    assert Speaker.objects.filter(pk=initial.pk).exists()  # nothing applied yet

    done = client.post(url, {**chosen, "apply": "1", "survivor": ilse.pk})

    assert done.status_code == 302
    assert not Speaker.objects.filter(pk=initial.pk).exists()
    assert Claim.objects.get(pk=speakers_desk["initial"].pk).speaker_ref == ilse
    listed = client.get(url)
    assert "Merged I. Varga into Ilse Varga; 1 claim(s) moved." in listed.content.decode()


def test_merging_one_speaker_is_refused(client_for, speakers_desk):
    ilse = Speaker.objects.get(name="Ilse Varga")
    url = reverse("admin:claims_speaker_changelist")

    response = client_for("editor").post(
        url,
        {
            "action": "merge_speakers",
            "_selected_action": [ilse.pk],
            "apply": "1",
            "survivor": ilse.pk,
        },
    )

    assert response.status_code == 200
    assert "Select at least two speakers" in response.content.decode()


def test_claim_list_filters_by_speaker_across_spellings(client_for, speakers_desk):
    ilse = Speaker.objects.get(name="Ilse Varga")

    response = client_for("editor").get(
        reverse("admin:claims_claim_changelist") + f"?speaker={ilse.pk}"
    )

    listed = {c.pk for c in response.context["cl"].result_list}
    assert listed == {speakers_desk[k].pk for k in ("kept", "missed", "open")}
    page = response.content.decode()
    assert "Ilse Varga (3)" in page  # the filter's choice
    assert "“President Ilse Varga”" in page  # as the news named them, under the name


def test_renaming_a_speaker_sticks(client_for, speakers_desk):
    ilse = Speaker.objects.get(name="Ilse Varga")
    url = reverse("admin:claims_speaker_change", args=[ilse.pk])
    aliases = list(ilse.aliases.all())
    data = {
        "name": "Ilse Varga (Kaldora)",
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": str(len(aliases)),
    }
    for i, alias in enumerate(aliases):
        data |= {
            f"aliases-{i}-id": alias.pk,
            f"aliases-{i}-name": alias.name,
            f"aliases-{i}-speaker": ilse.pk,
        }

    response = client_for("editor").post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    ilse.refresh_from_db()
    assert (ilse.name, ilse.name_set_by_editor) == ("Ilse Varga (Kaldora)", True)
