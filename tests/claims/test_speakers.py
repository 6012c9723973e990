"""Speakers: one Speaker however the news names them; links, merges, the data migration."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from claims import speakers
from claims.models import Claim, Speaker, SpeakerAlias
from claims.status import record_new_claim


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "bare"),
    [
        ("President Ilse Varga", "Ilse Varga"),
        ("US President Ilse Varga", "Ilse Varga"),
        ("Deputy Prime Minister  Ilse Varga", "Ilse Varga"),
        ("Secretary of State Piet Drobek", "Piet Drobek"),
        ("The Port Board", "Port Board"),
        ("Ilse Varga", "Ilse Varga"),
        ("President", ""),
    ],
)
def test_bare_name_sets_the_titles_aside(raw, bare):
    assert speakers.bare_name(raw) == bare


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ("President Ilse Varga", True),
        ("Port Board", True),
        ("Vesgaz", True),
        ("who", False),
        ("Who", False),
        ("He", False),
        ("Her ministry", False),
        ("Her Ministry", False),
        ("the country's finance minister", False),
        ("Officials", False),
        ("President", False),
        ("", False),
    ],
)
def test_only_names_are_speakers(raw, named):
    assert speakers.is_speaker_name(raw) is named


@pytest.mark.unit
def test_same_speaker_needs_one_name_inside_the_other():
    assert speakers.same_speaker("President Ilse Varga", "Varga")
    assert speakers.same_speaker("US President Ilse Varga", "Ilse Varga")
    # matching.speakers_agree alone would join these two (same surname).
    assert not speakers.same_speaker("Ilse Varga", "Piet Varga")
    assert not speakers.same_speaker("Ilse Varga", "Dana Okafor")


@pytest.mark.django_db
def test_president_x_x_and_us_president_x_are_one_speaker():
    first = speakers.speaker_for("President Ilse Varga")
    assert first.name == "Ilse Varga"

    assert speakers.speaker_for("Varga") == first
    assert speakers.speaker_for("US President Ilse Varga") == first
    assert speakers.speaker_for("Ilse Varga") == first
    assert Speaker.objects.count() == 1
    assert set(first.aliases.values_list("name", flat=True)) == {
        "President Ilse Varga",
        "Varga",
        "US President Ilse Varga",
        "Ilse Varga",
    }


@pytest.mark.django_db
def test_a_fuller_name_seen_later_becomes_the_speakers_name_unless_an_editor_chose_one():
    varga = speakers.speaker_for("Minister Varga")
    assert varga.name == "Varga"

    assert speakers.speaker_for("Ilse Varga") == varga
    varga.refresh_from_db()
    assert varga.name == "Ilse Varga"

    Speaker.objects.filter(pk=varga.pk).update(name="I. Varga (minister)", name_set_by_editor=True)
    assert speakers.speaker_for("Ilse Marta Varga") == varga
    varga.refresh_from_db()
    assert varga.name == "I. Varga (minister)"


@pytest.mark.django_db
def test_non_names_give_no_speaker_and_are_remembered():
    assert speakers.speaker_for("who") is None
    assert speakers.speaker_for("Her ministry") is None
    assert Speaker.objects.count() == 0
    assert SpeakerAlias.objects.get(name="who").speaker is None


@pytest.mark.django_db
def test_two_people_with_one_surname_stay_apart_and_a_bare_surname_then_stands_alone():
    ilse = speakers.speaker_for("Ilse Varga")
    piet = speakers.speaker_for("Piet Varga")
    assert ilse != piet

    bare = speakers.speaker_for("Varga")  # could be either: its own, for an editor to merge

    assert bare not in (ilse, piet)
    assert speakers.speaker_for("Varga") == bare
    assert speakers.speaker_for("President Varga") == bare  # the same spelling, titled


def _claim(speaker: str) -> Claim:
    return Claim.objects.create(statement=f"{speaker} will sign the deal", speaker=speaker)


@pytest.mark.django_db
def test_a_new_claim_is_linked_when_it_is_recorded():
    claim = _claim("President Ilse Varga")

    record_new_claim(claim, at=timezone.now())

    claim.refresh_from_db()
    assert claim.speaker_ref.name == "Ilse Varga"
    pronoun = _claim("who")
    record_new_claim(pronoun, at=timezone.now())
    pronoun.refresh_from_db()
    assert pronoun.speaker_ref is None


@pytest.mark.django_db
def test_link_speakers_follows_a_changed_speaker_string_and_then_has_nothing_to_do():
    described = _claim("the country's economy minister")
    named = _claim("Minister Ilse Varga")
    blank = _claim("")

    assert speakers.link_speakers() == 1  # named; the description names no one
    # The pipeline later learns the name, with a bare update (no save, no signal).
    Claim.objects.filter(pk=described.pk).update(speaker="Ilse Varga")
    assert speakers.link_speakers() == 1
    assert speakers.link_speakers() == 0

    described.refresh_from_db()
    named.refresh_from_db()
    blank.refresh_from_db()
    assert described.speaker_ref == named.speaker_ref is not None
    assert blank.speaker_ref is None


@pytest.mark.django_db
def test_merging_moves_spellings_and_claims_and_the_old_name_keeps_pointing_there():
    ilse = speakers.speaker_for("Ilse Varga")
    initial = speakers.speaker_for("I. Varga")  # kept apart: the initial is not a name word
    claims = [_claim("Ilse Varga"), _claim("I. Varga"), _claim("I. Varga")]
    speakers.link_speakers()
    assert ilse != initial

    moved = speakers.merge_speakers(ilse, [initial])

    assert moved == 2
    assert not Speaker.objects.filter(pk=initial.pk).exists()
    assert {c.speaker_ref_id for c in Claim.objects.filter(pk__in=[c.pk for c in claims])} == {
        ilse.pk
    }
    assert speakers.speaker_for("I. Varga") == ilse
    assert speakers.link_speakers() == 0


@pytest.mark.django_db
def test_the_data_migration_links_the_claims_already_stored():
    migration = importlib.import_module("claims.migrations.0012_speakers_from_claims")
    old = [_claim("President Dana Okafor"), _claim("Dana Okafor"), _claim("who")]

    migration.link_existing_claims(django_apps, None)

    refs = [Claim.objects.get(pk=c.pk).speaker_ref for c in old]
    assert refs[0] == refs[1] and refs[0].name == "Dana Okafor"
    assert refs[2] is None


@pytest.mark.django_db
def test_track_record_counts_one_speaker_across_spellings():
    from claims.status import transition_claim

    for name, status in (
        ("President Ilse Varga", "fulfilled"),
        ("Varga", "missed"),
        ("Ilse Varga", "contradicted"),
        ("Ilse Varga", "open"),
    ):
        claim = _claim(name)
        claim.deadline_latest = dt.date(2026, 9, 1)
        if status != "open":
            transition_claim(claim, status, reason="editor")
    speakers.link_speakers()

    (record,) = speakers.track_records()

    assert (record.speaker, record.claims, record.kept, record.missed) == ("Ilse Varga", 4, 1, 1)
    assert (record.contradicted, record.unresolved, record.kept_late, record.moved) == (1, 1, 0, 0)
