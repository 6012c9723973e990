"""Grouping across outlets and deadline moves, in the style of real wire copy (ours, invented).

Pure scoring first (no DB), then the pipeline: the same promise in other words joins one
claim, promises made from one template stay apart, and an extension supersedes a claim.
"""

import dataclasses
import datetime as dt

import pytest

from claims.extraction import sets_new_deadline
from claims.matching import MatchInput, score_pair
from claims.models import Claim, ClaimStatus, StatusChange
from tests.claims.test_editing import publish

AUG_1 = dt.date(2026, 8, 1)


def tariff(text: str, *, place: str, published: dt.date, **extra) -> MatchInput:
    fields = {
        "id": place,
        "text": text,
        "event": f"a tariff on goods from {place} will start",
        "speaker": "Aldo Marlow",
        "entities": frozenset({"aldo marlow", place.lower()}),
        "earliest": AUG_1,
        "latest": AUG_1,
        "verb": "start",
        "published": published,
    }
    return MatchInput(**(fields | extra))


@pytest.mark.unit
def test_one_template_two_countries_is_two_promises():
    japan = tariff(
        "President Aldo Marlow said a 25% tariff on goods from Japan will start on August 1.",
        place="Japan",
        published=dt.date(2026, 7, 7),
    )
    mexico = tariff(
        "President Aldo Marlow said a 30% tariff on goods from Mexico will start on August 1.",
        place="Mexico",
        published=dt.date(2026, 7, 12),
    )

    result = score_pair(japan, mexico)

    assert result.parts["places"] < 0
    assert result.score < 36  # below even the suggestion threshold


@pytest.mark.unit
def test_a_place_adjective_names_the_place_and_the_speaker_is_not_a_shared_entity():
    said = tariff(
        "Marlow told reporters the levy on Japanese goods would begin on August 1.",
        place="Japanese",
        published=dt.date(2026, 7, 8),
    )
    japan = tariff(
        "President Aldo Marlow said a 25% tariff on goods from Japan will start on August 1.",
        place="Japan",
        published=dt.date(2026, 7, 7),
    )
    only_speaker = dataclasses.replace(japan, entities=frozenset({"aldo marlow"}))

    assert "places" not in score_pair(said, japan).parts
    assert score_pair(said, japan).parts["entities"] > 0
    # The speaker counts in the speaker part, never as an entity both sides name.
    assert "entities" not in score_pair(only_speaker, said).parts


@pytest.mark.unit
def test_deadlines_ending_on_one_day_weigh_more_than_overlapping_windows():
    base = MatchInput(
        "a",
        "The port authority expects the new cranes to be working by Friday.",
        earliest=dt.date(2026, 3, 2),
        latest=dt.date(2026, 3, 6),
    )
    same_day = MatchInput(
        "b",
        "New cranes at the port should be running on March 6, officials said.",
        earliest=dt.date(2026, 3, 6),
        latest=dt.date(2026, 3, 6),
    )
    overlapping = dataclasses.replace(same_day, latest=dt.date(2026, 3, 8))
    vague = dataclasses.replace(same_day, vague=True)

    window = {
        name: score_pair(base, other).parts["window"]
        for name, other in (("same_day", same_day), ("overlapping", overlapping), ("vague", vague))
    }
    assert window["same_day"] > window["overlapping"]
    assert window["vague"] == window["overlapping"]


@pytest.mark.unit
def test_statements_published_months_apart_score_lower():
    first = MatchInput(
        "a", "The museum will reopen its east wing in May.", published=dt.date(2026, 1, 5)
    )
    soon = dataclasses.replace(first, id="b", published=dt.date(2026, 1, 6))
    months = dataclasses.replace(first, id="c", published=dt.date(2026, 4, 20))

    assert score_pair(first, months).score < score_pair(first, soon).score
    assert score_pair(first, months).parts["published"] == -10.0


@pytest.mark.unit
def test_an_event_phrase_of_one_word_is_not_compared():
    a = MatchInput("a", "Levies on steel rise starting June 1.", event="starting")
    b = MatchInput("b", "Fares for the ferry rise starting June 1.", event="starting")

    assert "event" not in score_pair(a, b).parts


@pytest.mark.unit
def test_accord_is_a_content_word_not_a_reporting_word():
    a = MatchInput("a", "x", event="sign the accord")
    b = MatchInput("b", "x", event="review the accord")

    assert score_pair(a, b).parts["event"] > 0


@pytest.mark.unit
@pytest.mark.parametrize(
    ("sentence", "moves"),
    [
        ("The ministry extended the deadline for bids by 30 days.", True),
        ("Harlow granted the club another 60-day reprieve on Friday.", True),
        ("The vote was postponed to March 3.", True),
        ("The council will push back the deadline to June.", True),
        ("The new deadline is Sept. 17.", True),
        ("The two sides will sign the accord on Friday.", False),
    ],
)
def test_sets_new_deadline(sentence, moves):
    assert sets_new_deadline(sentence) is moves


# --- The pipeline ----------------------------------------------------------------------

BAN = (
    "The ban on the Quillo messaging app will take effect on March 5 unless its owner "
    "sells the service, Digital Minister Petra Ilves said on Monday."
)
BAN_AGAIN = (
    "Petra Ilves said the Quillo ban would come into force on March 5 if no buyer is found "
    "for the app."
)
EXTENDED = (
    "Petra Ilves extended the deadline for the sale of the Quillo app by 60 days, to May 4, "
    "giving its owner more time to find a buyer."
)


@pytest.mark.django_db
def test_an_extension_supersedes_the_earlier_deadline(settings):
    settings.CLAIM_OUTCOME_AUTO = 0  # apply the move at once to follow the chain
    first = publish("quillo-ban", BAN, "2026-02-16", outlet="Baltic Ledger")
    publish("quillo-ban-2", BAN_AGAIN, "2026-02-20", outlet="Harbour Times")
    publish("quillo-extension", EXTENDED, "2026-03-04", outlet="Northgate Herald")

    ban = first.claim_mentions.get(kind="forecast").claim
    ban.refresh_from_db()
    successor = Claim.objects.exclude(pk=ban.pk).get(deadline_latest=dt.date(2026, 5, 4))
    assert ban.mentions.count() == 2  # the two statements of the March 5 ban
    assert ban.status == ClaimStatus.DEADLINE_MOVED
    move = ban.status_changes.get(new_status=ClaimStatus.DEADLINE_MOVED)
    assert move.reason == StatusChange.Reason.DEADLINE_MOVED
    assert move.detail["successor"] == successor.pk
    assert move.detail["moved_to"][1] == "2026-05-04"
    assert "extended the deadline" in move.evidence_quote
    assert ban.deadline_moves == 1


@pytest.mark.django_db
def test_a_weakly_linked_extension_waits_for_an_editor(settings):
    settings.CLAIM_OUTCOME_AUTO = 100
    first = publish("quillo-ban", BAN, "2026-02-16", outlet="Baltic Ledger")
    publish("quillo-ban-2", BAN_AGAIN, "2026-02-20", outlet="Harbour Times")
    publish("quillo-extension", EXTENDED, "2026-03-04", outlet="Northgate Herald")

    ban = first.claim_mentions.get(kind="forecast").claim
    ban.refresh_from_db()
    move = ban.status_changes.get(new_status=ClaimStatus.DEADLINE_MOVED)
    assert not move.applied
    assert move.review_state == StatusChange.Review.PENDING
    assert ban.status != ClaimStatus.DEADLINE_MOVED
    assert ban.deadline_moves == 0


@pytest.mark.django_db
def test_an_extension_an_editor_accepts_moves_and_counts(settings, editor):
    from claims.editing import review_change

    settings.CLAIM_OUTCOME_AUTO = 100
    first = publish("quillo-ban", BAN, "2026-02-16", outlet="Baltic Ledger")
    publish("quillo-ban-2", BAN_AGAIN, "2026-02-20", outlet="Harbour Times")
    publish("quillo-extension", EXTENDED, "2026-03-04", outlet="Northgate Herald")
    ban = first.claim_mentions.get(kind="forecast").claim

    review_change(
        ban.status_changes.get(new_status=ClaimStatus.DEADLINE_MOVED), editor=editor, accept=True
    )

    ban.refresh_from_db()
    assert (ban.status, ban.deadline_moves) == (ClaimStatus.DEADLINE_MOVED, 1)


@pytest.mark.django_db
def test_one_template_in_three_outlets_makes_three_claims():
    for place, rate, outlet in (
        ("Japan", 25, "Baltic Ledger"),
        ("Mexico", 30, "Harbour Times"),
        ("Canada", 35, "Northgate Herald"),
    ):
        publish(
            f"tariff-{place.lower()}",
            f"President Aldo Marlow said a {rate}% tariff on goods from {place} will start on "
            "August 1.",
            "2026-07-07",
            outlet=outlet,
        )

    assert Claim.objects.count() == 3


@pytest.mark.django_db
def test_a_claim_whose_wordings_disagree_with_a_mention_is_not_joined(settings):
    publish("quillo-ban", BAN, "2026-02-16", outlet="Baltic Ledger")
    publish("quillo-ban-2", BAN_AGAIN, "2026-02-20", outlet="Harbour Times")
    assert Claim.objects.count() == 1

    settings.CLAIM_MATCH_COHESION = 101  # no mention can average this against the claim
    publish(
        "quillo-ban-3",
        "The Quillo ban takes effect on March 5 unless a buyer is found, Petra Ilves said.",
        "2026-02-22",
        outlet="Northgate Herald",
    )

    assert Claim.objects.count() == 2


@pytest.mark.django_db
def test_a_much_reported_claim_is_scored_by_its_first_and_latest_wordings(monkeypatch):
    from claims.matching import stage

    for day in range(1, 16):
        text = f"{BAN_AGAIN} Outlet {day} reported it first."  # distinct texts, one claim
        publish(f"quillo-{day}", text, f"2026-02-{day + 1:02d}", outlet=f"Outlet {day}")
    [claim] = Claim.objects.all()
    assert claim.mentions.count() == 15

    scored: list[str] = []
    real = stage.score_pair

    def counting(query, candidate):
        scored.append(candidate.id)
        return real(query, candidate)

    monkeypatch.setattr(stage, "score_pair", counting)
    publish("quillo-late", BAN, "2026-02-20", outlet="Late Gazette")

    assert len(scored) == stage.WORDINGS_PER_CLAIM
    assert Claim.objects.count() == 1  # still found, and joined
