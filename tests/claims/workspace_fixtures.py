"""Rows and users for the workspace tests (review queue, dashboard), shared with tests/browser.

Invented outlets, speakers and sentences; no real article text.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import Permission

from claims import speakers
from claims.models import Claim, ClaimMention, ClaimStatus, StatusChange
from claims.status import move_deadline, propose_from_evidence, transition_claim
from sources.models import Article

PASSWORD = "correct horse battery"
_serial = itertools.count(1)

# role -> (is_staff, is_superuser, permissions)
ROLES = {
    "nonstaff": (False, False, ()),
    "staff": (True, False, ()),
    "viewer": (True, False, ("view_claim",)),
    "editor": (True, False, ("view_claim", "change_claim")),
    "superuser": (True, True, ()),
}


def make_user(django_user_model, role: str):
    is_staff, is_superuser, codenames = ROLES[role]
    user = django_user_model.objects.create_user(
        username=f"{role}-{next(_serial)}",
        password=PASSWORD,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if codenames:
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        )
    return user


def make_article(*, outlet: str, text: str, published: dt.datetime) -> Article:
    n = next(_serial)
    return Article.objects.create(
        canonical_url=f"https://{outlet.lower().replace(' ', '-')}.example/story-{n}",
        url=f"https://{outlet.lower().replace(' ', '-')}.example/story-{n}?ref=feed",
        title=f"Story {n}",
        outlet=outlet,
        text=text,
        published_at=published,
    )


def make_claim(
    statement: str,
    *,
    speaker: str = "Mayor Dana Okafor",
    deadline: dt.date | None = None,
    status: str = ClaimStatus.OPEN,
    outlet: str = "Harbour Gazette",
    published: dt.datetime | None = None,
    timex: str = "by Friday",
) -> Claim:
    """A claim with one mention (its evidence) in one article; `status` set via the service."""
    published = published or dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)
    sentence = f"{speaker} said {statement[0].lower()}{statement[1:]} {timex}."
    article = make_article(outlet=outlet, text=sentence, published=published)
    claim = Claim.objects.create(
        statement=statement,
        speaker=speaker,
        deadline_earliest=deadline,
        deadline_latest=deadline,
        deadline_text=timex,
        needs_review=False,
    )
    ClaimMention.objects.create(
        article=article,
        claim=claim,
        start=0,
        end=len(sentence),
        sentence=sentence,
        speaker=speaker,
        timex_text=timex,
        deadline_earliest=deadline,
        deadline_latest=deadline,
    )
    speakers.link_claim(claim)  # as record_new_claim does for the pipeline's claims
    if status != ClaimStatus.OPEN:
        transition_claim(claim, status, reason=StatusChange.Reason.EDITOR)
    return claim


def report(claim: Claim, *, outlet: str, text: str, published: dt.datetime) -> ClaimMention:
    """A later article about `claim` (the evidence of a proposed change)."""
    article = make_article(outlet=outlet, text=text, published=published)
    return ClaimMention.objects.create(
        article=article,
        claim=claim,
        kind=ClaimMention.Kind.EVENT_REPORT,
        start=0,
        end=len(text),
        sentence=text,
        timex_text="on Tuesday",
    )


def held_fulfilment(claim: Claim, *, at: dt.datetime, outlet: str = "Valley Courier"):
    """A machine-proposed 'fulfilled' change held for review (not applied)."""
    mention = report(
        claim,
        outlet=outlet,
        text=f"The plan was carried out on Tuesday, officials confirmed ({claim.pk}).",
        published=at,
    )
    return propose_from_evidence(
        claim,
        ClaimStatus.FULFILLED,
        reason=StatusChange.Reason.EVIDENCE_FULFILLED,
        at=at,
        effective_at=at,
        evidence_mention=mention,
        evidence_article=mention.article,
        confident=False,
    )


def applied_move(claim: Claim, *, new_latest: dt.date, at: dt.datetime):
    """A deadline move the machine applied and flagged for confirmation."""
    mention = report(
        claim,
        outlet="North Ledger",
        text=f"The date slipped again; it is now expected later ({claim.pk}).",
        published=at,
    )
    return move_deadline(
        claim,
        new_window=(new_latest, new_latest),
        at=at,
        evidence_mention=mention,
        evidence_article=mention.article,
    )


def suggested_join(claim: Claim, *, at: dt.datetime, outlet: str = "Coast Weekly") -> ClaimMention:
    text = f"Officials repeated that the work would finish by Friday ({claim.pk})."
    article = make_article(outlet=outlet, text=text, published=at)
    return ClaimMention.objects.create(
        article=article,
        claim=claim,
        start=0,
        end=len(text),
        sentence=text,
        timex_text="by Friday",
        match_score=78.5,
        suggested=True,
    )
