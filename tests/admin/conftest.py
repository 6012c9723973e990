"""Admin fixtures: the five kinds of visitor, and a small newsroom of claims to act on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from claims.models import Claim, ClaimMention, StatusChange, Subscription
from claims.status import propose_from_evidence, record_new_claim
from sources.models import Article, Source

NOW = dt.datetime(2026, 9, 20, 7, 0, tzinfo=dt.UTC)
ROLES = ("anonymous", "nonstaff", "viewer", "editor", "superuser")


def _user(django_user_model, name: str, *, staff: bool, group: str | None = None, su=False):
    # No password (force_login): hashing five passwords per test would dominate the run.
    if su:
        return django_user_model.objects.create_superuser(
            username=name, password=None, email=f"{name}@desk.example"
        )
    user = django_user_model.objects.create_user(
        username=name, password=None, is_staff=staff, email=f"{name}@desk.example"
    )
    if group:
        user.groups.add(Group.objects.get(name=group))  # created by migration 0009
    return user


@pytest.fixture
def users(db, django_user_model):
    return {
        "anonymous": None,
        "nonstaff": _user(django_user_model, "reader", staff=False),
        "viewer": _user(django_user_model, "viewer", staff=True, group="Viewer"),
        "editor": _user(django_user_model, "editor1", staff=True, group="Editor"),
        "superuser": _user(django_user_model, "chief", staff=True, su=True),
    }


@pytest.fixture
def client_for(users):
    def make(role: str) -> Client:
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return make


def make_article(slug: str, text: str, *, outlet: str, day: dt.date) -> Article:
    article = Article.objects.create(
        canonical_url=f"https://{slug}.example/a",
        url=f"https://{slug}.example/a",
        title=f"{outlet}: {slug}",
        outlet=outlet,
        text=text,
        published_at=dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC),
    )
    return article


def make_claim(
    statement: str,
    *,
    latest: dt.date | None,
    speaker: str = "Minister Ilse Varga",
    outlet: str = "Harbour Gazette",
    phrase: str = "by Friday",
    status: str = "open",
    slug: str | None = None,
) -> Claim:
    sentence = f"{speaker} said {statement[0].lower()}{statement[1:]} {phrase}."
    article = make_article(
        slug or f"c{Claim.objects.count()}", sentence, outlet=outlet, day=dt.date(2026, 9, 1)
    )
    claim = Claim.objects.create(
        statement=statement,
        speaker=speaker,
        entities=["ilse varga", "harbour"],
        deadline_earliest=latest,
        deadline_latest=latest,
        deadline_text=phrase,
        deadline_rule=f"{phrase!r} read against the article of 1 Sep 2026",
        status=status,
    )
    mention = ClaimMention.objects.create(
        article=article,
        claim=claim,
        start=0,
        end=len(sentence),
        sentence=sentence,
        speaker=speaker,
        timex_text=phrase.removeprefix("by "),
        deadline_earliest=latest,
        deadline_latest=latest,
        entities=["ilse varga"],
    )
    record_new_claim(claim, at=NOW - dt.timedelta(days=19), mention=mention, article=article)
    return claim


def second_forecast(claim: Claim, *, phrase: str = "by Friday") -> ClaimMention:
    """Another outlet's sentence joined to `claim`; it may state a claim of its own."""
    sentence = f"The ferry terminal will also be rebuilt {phrase}, Minister Ilse Varga said."
    article = make_article(
        f"second{ClaimMention.objects.count()}",
        sentence,
        outlet="Coast Weekly",
        day=dt.date(2026, 9, 2),
    )
    return ClaimMention.objects.create(
        article=article,
        claim=claim,
        start=0,
        end=len(sentence),
        sentence=sentence,
        statement="The ferry terminal will also be rebuilt",
        speaker="Minister Ilse Varga",
        timex_text=phrase.removeprefix("by "),
        deadline_earliest=dt.date(2026, 9, 25),
        deadline_latest=dt.date(2026, 9, 25),
        entities=["ilse varga", "ferry"],
        match_score=22.0,
        match_detail={"text": 14.0, "speaker": 5.0, "window": 3.0},
    )


@pytest.fixture
def newsroom(db):
    """A lapsed claim with a pending proposal and a suggested mention; a second one to merge."""
    Source.objects.create(name="Harbour Gazette", url="https://gazette.example/rss")
    lapsed = make_claim(
        "The port deal will be signed", latest=dt.date(2026, 9, 18), status="overdue"
    )
    other = make_claim(
        "The port agreement will be signed",
        latest=dt.date(2026, 9, 18),
        outlet="Kaldora Wire",
        status="overdue",
    )
    report = make_article(
        "signed",
        "The port deal was signed on Thursday by Minister Ilse Varga.",
        outlet="Kaldora Wire",
        day=dt.date(2026, 9, 19),
    )
    evidence = ClaimMention.objects.create(
        article=report,
        claim=lapsed,
        kind="event_report",
        start=0,
        end=len(report.text),
        sentence=report.text,
        timex_text="Thursday",
        match_score=41.5,
        match_detail={"text": 30.2, "verb": 8.0, "window": 3.0, "via_mention": 1},
        suggested=True,
    )
    proposal = propose_from_evidence(
        lapsed,
        "fulfilled_late",
        reason="evidence_fulfilled",
        at=NOW,
        effective_at=dt.datetime(2026, 9, 17, tzinfo=dt.UTC),
        evidence_mention=evidence,
        evidence_article=report,
        detail={"score": 41.5, "event_date": "2026-09-17"},
        confident=False,
    )
    Subscription.objects.create(email="desk@gazette.example", claim=lapsed)
    lapsed.refresh_from_db()
    return {
        "lapsed": lapsed,
        "other": other,
        "evidence": evidence,
        "proposal": proposal,
        "report": report,
    }


@pytest.fixture
def pending(newsroom) -> StatusChange:
    return newsroom["proposal"]
