"""Later reports settle claims: a report dated inside a claim's window, of the promised kind.

Wire copy reports outcomes in other words than the promise ("went into effect" for "will kick
in"), so a dated report is matched on the day and the kind of event first (see
`claims.matching.stage.match_dated_report`); the fixtures are ours, in that style.
"""

import datetime as dt

import pytest

from claims.extraction import extract_claims, replaced_deadline
from claims.matching import outcome_kind
from claims.matching.scoring import DEFAULT_WEIGHTS, MatchInput, identifiers, score_pair
from claims.models import Claim, StatusChange
from claims.status import check_deadlines
from tests.claims.test_editing import publish

PROMISED_CHARGE = (
    "The city's new congestion charge will kick in on Monday, March 2, transport commissioner "
    "Ilse Marwick told the council."
)
CHARGE_STARTED = (
    "The congestion charge went into effect on Monday, with cameras watching 40 entry points "
    "to the old town and drivers queueing at the first of them before dawn."
)
PROMISED_DREDGING = (
    "Harbour master Tomas Reyne said the port would sign the dredging contract with Baltmar "
    "Works by April 10."
)
DREDGING_SIGNED = (
    "The port signed the dredging contract with Baltmar Works on April 9, Tomas Reyne "
    "disclosed at a briefing on Tuesday."
)
PROMISED_VAN = "Velmar Motors will unveil its electric delivery van on Tuesday, May 12."
RIVAL_VAN = "Ostrava Auto unveiled an electric delivery van of its own on Tuesday."


pytestmark = pytest.mark.django_db


def claim_of(article) -> Claim:
    return article.claim_mentions.get(kind="forecast").claim


def dated_changes(claim: Claim):
    return claim.status_changes.filter(reason=StatusChange.Reason.EVIDENCE_FULFILLED)


@pytest.mark.unit
@pytest.mark.django_db(False)
@pytest.mark.parametrize(
    ("verb", "sentence"),
    [
        ("go", "The tariffs went into effect on Saturday."),
        ("take", "The law took effect at midnight."),
        ("come", "The ban came into force on Sunday."),
        ("kick", "The new rates kick in on Friday."),
        ("be", "The rule is effective from May 1."),
    ],
)
def test_an_effect_phrase_is_one_kind_of_event_whatever_its_verb(verb, sentence):
    assert outcome_kind(verb, sentence) == outcome_kind("take", "It will take effect.")


@pytest.mark.unit
@pytest.mark.django_db(False)
def test_other_verbs_keep_their_own_kind():
    assert outcome_kind("go", "The app went dark on Saturday.") != outcome_kind("take", "")
    assert outcome_kind("sign", "They signed it.") == outcome_kind("seal", "They sealed it.")


def test_a_report_dated_in_the_window_settles_the_claim_in_other_words(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0  # whatever the score: the link itself is tested
    claim = claim_of(publish("charge-plan", PROMISED_CHARGE, "2026-02-20"))

    publish("charge-day", CHARGE_STARTED, "2026-03-03", outlet="Metro Ledger")

    claim.refresh_from_db()
    change = dated_changes(claim).get()
    assert (claim.status, change.applied) == ("fulfilled", True)
    assert change.effective_at.date() == dt.date(2026, 3, 2)  # the event's day, not the article's
    assert change.detail["dated"] is True
    assert "went into effect on Monday" in change.evidence_quote


def test_below_the_dated_threshold_the_outcome_waits_for_an_editor(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 100.0
    claim = claim_of(publish("charge-plan", PROMISED_CHARGE, "2026-02-20"))

    publish("charge-day", CHARGE_STARTED, "2026-03-03", outlet="Metro Ledger")

    claim.refresh_from_db()
    change = dated_changes(claim).get()
    assert (claim.status, change.applied, change.review_state) == ("open", False, "pending")
    assert claim.needs_review


def test_a_claim_the_clock_called_missed_is_fulfilled_by_a_later_dated_report(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0
    claim = claim_of(publish("dredging-plan", PROMISED_DREDGING, "2026-03-30"))
    check_deadlines(now=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    claim.refresh_from_db()
    assert claim.status == "missed"  # no news within the grace period

    publish("dredging-signed", DREDGING_SIGNED, "2026-05-05", outlet="Baltic Wire")

    claim.refresh_from_db()
    change = dated_changes(claim).get()
    assert (change.old_status, claim.status) == ("missed", "fulfilled")  # on time: April 9
    assert change.effective_at.date() == dt.date(2026, 4, 9)


def test_a_report_about_another_subject_settles_nothing(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0
    claim = claim_of(publish("van-plan", PROMISED_VAN, "2026-05-04"))

    publish("rival-van", RIVAL_VAN, "2026-05-13", outlet="Motor Trade Daily")

    claim.refresh_from_db()
    assert claim.status == "open"
    assert not claim.status_changes.filter(detail__dated=True).exists()


FERRY_DEADLINE = (
    "The operators of the Velmar ferry must find a buyer by June 30 or the service will end, "
    "port officials said."
)
ORDER_PROMISED = (
    "Governor Anne Lisko will sign an order this week extending the Velmar ferry deadline, "
    "her office said."
)
ORDER_SIGNED = "Governor Anne Lisko extended the Velmar ferry deadline by 60 days on Thursday."


def test_a_granted_extension_fulfils_the_promise_of_it_not_the_deadline_it_moved(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0
    deadline = claim_of(publish("ferry-deadline", FERRY_DEADLINE, "2026-06-01"))
    promise = claim_of(publish("ferry-order", ORDER_PROMISED, "2026-06-02", outlet="Isle Post"))
    assert deadline.pk != promise.pk

    signed = publish("ferry-signed", ORDER_SIGNED, "2026-06-04", outlet="Harbour Times")

    promise.refresh_from_db()
    change = dated_changes(promise).get()
    assert (promise.status, change.evidence_article) == ("fulfilled", signed)
    assert change.effective_at.date() == dt.date(2026, 6, 4)
    assert not dated_changes(deadline).exists()  # its deadline was moved, not met


ORDER_SIGNED_AS_EVENT = (
    "Governor Anne Lisko signed an order on Thursday extending the life of the Velmar ferry "
    "service."
)


def test_an_extension_reported_as_an_event_fulfils_the_promise_of_it_on_its_day(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0
    promise = claim_of(publish("ferry-order", ORDER_PROMISED, "2026-06-02", outlet="Isle Post"))

    signed = publish("ferry-signed", ORDER_SIGNED_AS_EVENT, "2026-06-05", outlet="Harbour Times")

    assert signed.claim_mentions.get().kind == "event_report"
    promise.refresh_from_db()
    change = dated_changes(promise).get()
    assert (promise.status, change.evidence_article) == ("fulfilled", signed)
    assert change.effective_at.date() == dt.date(2026, 6, 4)  # Thursday, not the article's day


@pytest.mark.parametrize(
    "refusal",
    [
        "Governor Anne Lisko has not extended the Velmar ferry deadline, which remains June 30.",
        "Velmar ferry deadline stays June 30: Governor Anne Lisko rules out an extension",
    ],
)
def test_a_refused_extension_fulfils_no_promise_of_one(settings, refusal):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0
    claim_of(publish("ferry-deadline", FERRY_DEADLINE, "2026-06-01"))
    promise = claim_of(publish("ferry-order", ORDER_PROMISED, "2026-06-02", outlet="Isle Post"))

    publish("ferry-refused", refusal, "2026-06-04", outlet="Harbour Times")

    promise.refresh_from_db()
    assert promise.status == "open"
    assert not dated_changes(promise).exists()


PROMISED_HANDSET = (
    "Brightwave chief executive Oona Lindqvist said the company would launch its Halo-7 "
    "handset before the end of September."
)
HANDSET_UNVEILED = (
    "Brightwave has unveiled the Halo-7, its first folding handset, marking a return to the "
    "premium market."
)
OTHER_HANDSET_UNVEILED = (
    "Brightwave has unveiled the Halo-6 Lite, a budget handset, marking a return to the low "
    "end of the market."
)
RIVAL_HANDSET = (
    "Corvane has unveiled its own Halo-7 rival, the Arc-2, marking its entry into the folding "
    "market."
)


@pytest.mark.unit
@pytest.mark.django_db(False)
@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("OpenSky unveiled the Halo-7 and the Arc‑2.", {"halo-7", "arc-2"}),  # U+2011 hyphen
        ("the F-35 and the H5 fleet", {"f-35"}),  # a bare "H5" is a half-year
        ("results for Q3 and H1, in FY2026, from mid-2025", set()),
        ("a 90-day pause from 5pm on the 1st", set()),
        ("Version 5.1 follows GPT-5.1 and gpt-4o", {"gpt-5.1", "gpt-4o"}),
    ],
)
def test_identifiers_are_letter_and_number_names_not_dates(text, names):
    assert identifiers(text) == names


def test_an_undated_release_of_the_named_product_fulfils_its_promise():
    claim = claim_of(publish("halo-plan", PROMISED_HANDSET, "2026-08-03"))

    publish("halo-out", HANDSET_UNVEILED, "2026-09-15", outlet="Gadget Wire")

    claim.refresh_from_db()
    change = dated_changes(claim).get()
    assert (claim.status, change.applied) == ("fulfilled", True)
    assert change.effective_at.date() == dt.date(2026, 9, 15)  # the article bounds the event
    assert change.detail["event_date"] == "2026-09-15"


@pytest.mark.parametrize("report", [OTHER_HANDSET_UNVEILED, RIVAL_HANDSET])
def test_another_product_or_a_rivals_release_settles_nothing(report):
    claim = claim_of(publish("halo-plan", PROMISED_HANDSET, "2026-08-03"))

    publish("other-release", report, "2026-09-15", outlet="Gadget Wire")

    claim.refresh_from_db()
    assert claim.status == "open"
    assert not dated_changes(claim).exists()


def test_an_undated_release_after_the_window_closed_is_only_proposed():
    claim = claim_of(publish("halo-plan", PROMISED_HANDSET, "2026-08-03"))
    check_deadlines(now=dt.datetime(2026, 10, 2, 8, tzinfo=dt.UTC))  # overdue, not yet missed

    publish("halo-out", HANDSET_UNVEILED, "2026-10-03", outlet="Gadget Wire")

    claim.refresh_from_db()
    change = dated_changes(claim).get()
    assert (change.new_status, change.applied) == ("fulfilled_late", False)
    assert claim.status != "fulfilled_late"


@pytest.mark.unit
@pytest.mark.django_db(False)
@pytest.mark.parametrize(
    ("sentence", "old"),
    [
        ("The toll rise is delayed until August 1 from the July 9 deadline.", "2026-07-09"),
        ("The toll rise will now start on August 1, instead of July 9.", "2026-07-09"),
        ("Initially paused until 9 July, the rise was later extended to 1 August.", "2026-07-09"),
        ("Exemptions due to expire on July 9 will be extended through August 1.", "2026-07-09"),
        ("The council said on Friday the rise is delayed until August 1.", None),
        ("The rise is delayed until August 1, the council said.", None),
        ("The rise will start on August 1 instead of July 9.", "2026-07-09"),
        ("The rise will start on August 1, and the rebate on July 9.", None),
    ],
)
def test_a_move_names_the_deadline_it_replaced(sentence, old):
    day = replaced_deadline(sentence, dt.date(2026, 7, 3), dt.date(2026, 8, 1))
    assert day == (dt.date.fromisoformat(old) if old else None)


TOLL_RISE = (
    "The harbour toll rise will take effect on July 9, port authority chief Mira Dallen said."
)
OTHER_TOLL = (
    "Fishing crews will keep their harbour toll rebate until July 20, the harbour council "
    "announced."
)
TOLL_POSTPONED = (
    "The port authority postponed the harbour toll rise until August 1 from the July 9 "
    "deadline, after two days of talks with hauliers."
)


def test_a_move_that_names_the_old_deadline_moves_the_claim_due_that_day(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0  # whatever the score: the link itself is tested
    toll = claim_of(publish("toll-plan", TOLL_RISE, "2026-06-20"))
    surcharge = claim_of(publish("surcharge-plan", OTHER_TOLL, "2026-06-21", outlet="Isle Post"))

    moved = publish("toll-moved", TOLL_POSTPONED, "2026-07-03", outlet="Harbour Times")

    toll.refresh_from_db()
    change = toll.status_changes.get(reason=StatusChange.Reason.DEADLINE_MOVED)
    assert (toll.status, change.applied) == ("deadline_moved", True)
    assert change.detail["replaced"] == "2026-07-09"
    assert change.detail["successor"] == claim_of(moved).pk != toll.pk
    assert change.evidence_article_id == moved.pk
    assert surcharge.pk != toll.pk
    surcharge.refresh_from_db()
    assert surcharge.status == "open"  # due on another day: not the deadline that moved


PROMISED_CALL = (
    "Mayor Ilse Varga will speak with the leaders of the rail unions on Thursday, March 12, "
    "her office said."
)
CALL_HELD = (
    "Varga spoke with the leaders of the rail unions for two hours, and both sides called the "
    "talk constructive."
)


def test_an_undated_report_settles_the_claim_due_on_its_articles_day(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0  # whatever the score: the link itself is tested
    claim = claim_of(publish("call-plan", PROMISED_CALL, "2026-03-09"))

    publish("call-held", CALL_HELD, "2026-03-12", outlet="Metro Ledger")

    claim.refresh_from_db()
    change = dated_changes(claim).get()
    assert (claim.status, change.applied) == ("fulfilled", True)
    assert change.effective_at.date() == dt.date(2026, 3, 12)


def test_an_undated_report_days_after_the_claim_was_due_settles_nothing(settings):
    settings.CLAIM_OUTCOME_DATED_AUTO = 0.0
    claim = claim_of(publish("call-plan", PROMISED_CALL, "2026-03-09"))

    publish("call-held", CALL_HELD, "2026-03-20", outlet="Metro Ledger")

    claim.refresh_from_db()
    assert not dated_changes(claim).filter(applied=True).exists()


FERRY_NEW_DEADLINE = (
    "Bids for the Velmar ferry will be accepted until August 29, Governor Anne Lisko's office said."
)
FERRY_EXTENDED = (
    "Governor Anne Lisko extended the deadline for bids for the Velmar ferry until August 29."
)


FERRY_BIDS_DUE = "Bids for the Velmar ferry must be in by June 30, port officials said."


def test_a_granted_extension_joining_its_new_deadline_moves_the_old_one(settings):
    settings.CLAIM_OUTCOME_AUTO = 0.0  # whatever the score: the link itself is tested
    old = claim_of(publish("ferry-bids", FERRY_BIDS_DUE, "2026-06-01"))
    new = claim_of(publish("ferry-new", FERRY_NEW_DEADLINE, "2026-06-29", outlet="Isle Post"))

    extended = publish("ferry-extended", FERRY_EXTENDED, "2026-06-30", outlet="Harbour Times")

    assert claim_of(extended).pk == new.pk != old.pk  # it joined the new deadline's claim
    old.refresh_from_db()
    change = old.status_changes.get(reason=StatusChange.Reason.DEADLINE_MOVED)
    assert (old.status, change.evidence_article) == ("deadline_moved", extended)
    assert change.detail["successor"] == new.pk


@pytest.mark.unit
@pytest.mark.django_db(False)
def test_two_statements_of_one_deadline_day_score_higher_when_both_name_it_a_deadline():
    day = dt.date(2026, 9, 17)
    stated = MatchInput(id="a", text="The new deadline for the sale is Sept. 17.", latest=day)
    named = MatchInput(id="b", text="The buyers must beat Wednesday's deadline.", latest=day)
    unnamed = MatchInput(id="c", text="The buyers must close by Wednesday.", latest=day)

    with_noun = score_pair(stated, named).parts["window"]
    without = score_pair(stated, unnamed).parts["window"]
    assert with_noun - without == DEFAULT_WEIGHTS.same_deadline_bonus


HANDSET_TODAY = (
    "Today, we're launching the Halo-7, our thinnest device yet, with a titanium hinge and a "
    "week of battery life."
)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Today we are launching the Halo-7 in twelve countries.", "event_report"),
        ("We're releasing the Halo-7 today.", "event_report"),
        ("We are launching the Halo-7 next week.", "forecast"),
        ("Today we announced that we will launch the Halo-7 on Friday.", "forecast"),
    ],
)
def test_a_launch_made_today_in_the_present_progressive_is_a_report(text, kind):
    (claim,) = extract_claims(text, published=dt.date(2026, 9, 15), outlet="Brightwave")
    assert claim.kind == kind


def test_a_launch_today_naming_the_promised_product_settles_it_without_an_editor():
    # Default thresholds: the day, the kind and the product's name agree, whatever the words.
    claim = claim_of(publish("halo-plan", PROMISED_HANDSET, "2026-09-10"))

    publish("halo-today", HANDSET_TODAY, "2026-09-15", outlet="Brightwave Newsroom")

    claim.refresh_from_db()
    change = dated_changes(claim).get()
    assert (claim.status, change.applied) == ("fulfilled", True)
    assert change.effective_at.date() == dt.date(2026, 9, 15)
