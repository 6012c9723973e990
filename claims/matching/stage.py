"""The matching stage (DB): which stored claim a new mention states, if any.

`match_mention()` is the one place a match is decided, for forecasts, event reports and
deadline extensions alike:

1. Candidates: the claims sharing the mention's rarest keys (`candidates.find_candidates`),
   plus the claims already stated in the same article.
2. Each candidate is scored by its best-matching live forecast mention (`scoring.score_pair`),
   so a claim restated in many wordings is found by any of them; a speaker restating one
   deadline in one article gets `SAME_ARTICLE_BONUS`. A claim with no live mention is scored
   by its own statement.
3. A claim whose wordings average below `CLAIM_MATCH_COHESION` is passed over: one close
   wording is not enough when the others are far (a mention bridging two promises).
4. The best claim at `CLAIM_MATCH_SUGGEST` or more is returned, `suggested` below
   `CLAIM_MATCH_AUTO` (an editor confirms it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast, Coalesce, TruncDate

from claims.matching.candidates import (
    MATCH_CANDIDATE_LIMIT,
    MATCH_WINDOW_SLACK_DAYS,
    find_candidates,
)
from claims.matching.scoring import (
    Match,
    MatchInput,
    identifiers,
    outcome_kind,
    outcome_kinds,
    score_pair,
    speakers_agree,
)
from claims.matching.text import STOP_WORDS, stem, tokenize
from claims.models import ClaimMention
from sources.models import Article

# "X said the bridge would reopen by Christmas. 'Lorries will cross it again by Christmas,'
# he said." A speaker restating one deadline in one article is nearly always one claim.
SAME_ARTICLE_BONUS = 25.0


def mention_input(mention: ClaimMention, *, as_id: str | None = None) -> MatchInput:
    """What scoring compares of a stored mention (a reporter's own words have no speaker)."""
    return MatchInput(
        id=as_id or str(mention.pk),
        text=mention.sentence,
        event=mention.event,
        speaker=mention.speaker if mention.speaker_kind != "reporter" else "",
        entities=frozenset(mention.entities),
        earliest=mention.deadline_earliest,
        latest=mention.deadline_latest,
        negated=mention.negated,
        verb=mention.event_verb,
        vague=mention.deadline_vague,
        published=_published_day(mention.article),
    )


def _published_day(article: Article) -> dt.date | None:
    published = article.published_at or article.first_fetched_at
    return published.date() if published else None


@dataclasses.dataclass(frozen=True)
class StoredWording:
    """One stored mention as scoring reads it: its claim, its article and its `MatchInput`.

    Read with `values_list` (`stored_wordings`): matching reads hundreds of stored mentions a
    decision, and building model instances for them cost more than scoring them.
    """

    pk: int
    claim_id: int
    article_id: int
    speaker: str
    speaker_kind: str
    cue: str
    earliest: dt.date | None
    latest: dt.date | None
    input: MatchInput


_WORDING_FIELDS = (
    "pk",
    "claim_id",
    "article_id",
    "sentence",
    "event",
    "speaker",
    "speaker_kind",
    "cue",
    "entities_json",
    "deadline_earliest",
    "deadline_latest",
    "negated",
    "event_verb",
    "deadline_vague",
    "published_day",
)


def _wording_columns(mentions):
    """The mentions' `_WORDING_FIELDS`, two of them made by the database: `published_day`,
    the UTC day of the mention's article (`_published_day`), and `entities_json`, the
    entities as JSON text (decoded once per distinct row by `_wording`)."""
    published = Coalesce("article__published_at", "article__first_fetched_at")
    return mentions.annotate(
        published_day=TruncDate(published, tzinfo=dt.UTC),
        entities_json=Cast("entities", output_field=TextField()),
    ).values_list(*_WORDING_FIELDS)


@lru_cache(maxsize=20_000)
def _wording(row: tuple) -> StoredWording:
    """The `StoredWording` of one `_WORDING_FIELDS` row. Cached by the row's values: every
    decision reads the same stored mentions again, and decoding their entities and building
    two frozen dataclasses a row cost more than the query."""
    (
        pk,
        claim_id,
        article_id,
        sentence,
        event,
        speaker,
        speaker_kind,
        cue,
        entities_json,
        earliest,
        latest,
        negated,
        verb,
        vague,
        published_day,
    ) = row
    return StoredWording(
        pk=pk,
        claim_id=claim_id,
        article_id=article_id,
        speaker=speaker,
        speaker_kind=speaker_kind,
        cue=cue,
        earliest=earliest,
        latest=latest,
        input=MatchInput(
            id=str(claim_id),
            text=sentence,
            event=event,
            speaker=speaker if speaker_kind != "reporter" else "",
            entities=frozenset(json.loads(entities_json)),
            earliest=earliest,
            latest=latest,
            negated=negated,
            verb=verb,
            vague=vague,
            published=published_day,
        ),
    )


def stored_wordings(mentions) -> list[StoredWording]:
    """The `StoredWording` of each mention of the `mentions` queryset, in its order."""
    return [_wording(row) for row in _wording_columns(mentions)]


def _restates_in_same_article(mention: ClaimMention, other: StoredWording) -> bool:
    return (
        mention.article_id == other.article_id
        and mention.speaker_kind != "reporter"
        and speakers_agree(mention.speaker, other.speaker)
        and mention.deadline_latest is not None
        and other.earliest is not None
        and mention.deadline_earliest <= other.latest
        and other.earliest <= mention.deadline_latest
    )


def match_mention(
    mention: ClaimMention | MatchInput,
    *,
    exclude_ids: Collection[int] = (),
    compare_window: bool = True,
    compare_verb: bool = True,
    statuses: Sequence[str] | None = None,
    candidate_limit: int = MATCH_CANDIDATE_LIMIT,
    article_claims: Collection[int] | None = None,
) -> Match | None:
    """The claim `mention` states, or None: below `CLAIM_MATCH_SUGGEST` it starts its own.

    `mention` is a stored mention (its own article's claims are candidates too) or, for
    tools and benchmarks, a bare `MatchInput`. Claims in `exclude_ids` (the ones an editor
    detached it from) are never returned, so detaches stick. `compare_window=False` matches
    an event report on what happened, not on dates: a report comes after the promise by
    nature, so neither its date nor its time distance says which claim it settles.

    `article_claims`, when the caller (the pipeline, inside the article's transaction) keeps
    them, are the claims of the stored mention's article: their query is skipped when they
    are all excluded or already candidates, or when no status filter needs checking.
    """
    stored = mention if isinstance(mention, ClaimMention) else None
    query = mention_input(stored) if stored is not None else mention
    if not compare_window:
        query = dataclasses.replace(query, earliest=None, latest=None, published=None)
    if not compare_verb:
        query = dataclasses.replace(query, verb="")
    candidates = find_candidates(
        query,
        limit=candidate_limit,
        exclude_ids=exclude_ids,
        statuses=statuses,
        window_slack_days=MATCH_WINDOW_SLACK_DAYS if compare_window else None,
    )
    by_id = {int(candidate.id): candidate for candidate in candidates}
    if stored is not None:
        # Claims already stated in the same article share its context more than its words.
        remaining = (
            None if article_claims is None else set(article_claims) - set(exclude_ids) - set(by_id)
        )
        if remaining is not None and (not remaining or statuses is None):
            by_id.update(dict.fromkeys(sorted(remaining)))
        else:
            same_article = ClaimMention.objects.filter(
                article_id=stored.article_id, claim__isnull=False
            ).exclude(claim_id__in=[*exclude_ids, *by_id])
            if statuses is not None:
                same_article = same_article.filter(claim__status__in=list(statuses))
            by_id.update(dict.fromkeys(same_article.values_list("claim_id", flat=True)))
    scores = _score_claims(query, stored, by_id)
    return _decide(scores)


def _score_claims(
    query: MatchInput, stored: ClaimMention | None, candidates: dict[int, MatchInput | None]
) -> dict[int, list[tuple[float, dict]]]:
    """Score `query` against every live forecast mention of each candidate claim."""
    wordings = stored_wordings(
        ClaimMention.objects.filter(
            claim_id__in=list(candidates),
            kind=ClaimMention.Kind.FORECAST,
            removed_in_version__isnull=True,
        ).exclude(pk=stored.pk if stored is not None else None)
    )
    by_claim: dict[int, list[tuple[float, dict]]] = {}
    for other in _capped_per_claim(wordings):
        scored = score_pair(query, other.input)
        score, parts = scored.score, {**scored.parts, "via_mention": other.pk}
        if stored is not None and _restates_in_same_article(stored, other):
            score += SAME_ARTICLE_BONUS
            parts["same_article"] = SAME_ARTICLE_BONUS
        by_claim.setdefault(other.claim_id, []).append((score, parts))
    for claim_id, statement in candidates.items():
        if claim_id not in by_claim and statement is not None:
            scored = score_pair(query, statement)
            by_claim[claim_id] = [(scored.score, dict(scored.parts))]
    return by_claim


# A claim restated by many outlets is scored by its first wording and its latest ones: the
# founding sentence and the current phrasing say what it is; the hundredth restatement of a
# much-reported promise adds cost, not evidence.
WORDINGS_PER_CLAIM = 12


def _capped_per_claim(wordings):
    """The first wording of each claim and its `WORDINGS_PER_CLAIM - 1` most recent ones."""
    by_claim: dict[int, list] = {}
    for wording in wordings:
        by_claim.setdefault(wording.claim_id, []).append(wording)
    for rows in by_claim.values():
        rows.sort(key=lambda wording: wording.pk)
        if len(rows) > WORDINGS_PER_CLAIM:
            rows[1:] = rows[-(WORDINGS_PER_CLAIM - 1) :]
        yield from rows


def _decide(by_claim: dict[int, list[tuple[float, dict]]]) -> Match | None:
    best: tuple[float, int, dict] | None = None
    for claim_id, scores in by_claim.items():
        score, parts = max(scores, key=lambda pair: pair[0])
        cohesion = sum(value for value, _ in scores) / len(scores)
        if cohesion < settings.CLAIM_MATCH_COHESION:
            # One wording resembles the mention, the others do not: the mention bridges two
            # promises ("tariffs on Japan from Aug. 1" / "on Mexico from Aug. 1").
            continue
        if len(scores) > 1:
            parts = {**parts, "cohesion": round(cohesion, 2)}
        if best is None or score > best[0]:
            best = (score, claim_id, parts)
    if best is None or best[0] < settings.CLAIM_MATCH_SUGGEST:
        return None
    score, claim_id, parts = best
    return Match(
        candidate_id=str(claim_id),
        score=score,
        parts=parts,
        suggested=score < settings.CLAIM_MATCH_AUTO,
    )


# A failure report and the claim it contradicts share their subject but few other words.
SUBJECT_MATCH_FLOOR = 15.0


def match_by_subject(
    mention: ClaimMention, *, exclude_ids: Collection[int], statuses: Sequence[str]
) -> Match | None:
    """The claim in `statuses` whose wording has the report's subject, if the texts relate.

    "The ceasefire collapsed" against "the ceasefire will hold": the sentences share little
    but what failed is what was promised. Always a suggestion: an editor confirms it.
    """
    if not mention.event_subject:
        return None
    query = dataclasses.replace(
        mention_input(mention), earliest=None, latest=None, published=None, verb=""
    )
    stated = stored_wordings(
        ClaimMention.objects.filter(
            kind=ClaimMention.Kind.FORECAST,
            removed_in_version__isnull=True,
            event_subject=mention.event_subject,
            claim__status__in=list(statuses),
        )
        .exclude(claim_id__in=exclude_ids)
        .order_by("-pk")[:MATCH_CANDIDATE_LIMIT]
    )
    best = None
    for other in stated:
        scored = score_pair(query, other.input)
        if scored.score >= SUBJECT_MATCH_FLOOR and (best is None or scored.score > best.score):
            best = Match(
                candidate_id=str(other.claim_id),
                score=scored.score,
                parts={**scored.parts, "via_mention": other.pk, "subject": 1.0},
                suggested=True,
            )
    return best


@lru_cache(maxsize=20_000)
def _words_of(text: str) -> frozenset[str]:
    """A stored wording's stemmed words (cached: each report reads the same wordings)."""
    return frozenset(tokenize(text))


# A dated report settles a claim due around its day: from a few days before the window opens
# ("signed on Friday" for "by Monday"; outlets round "by Sunday" to the working week) to the
# day after it closes (time zones, "late on January 18" for "on January 19").
DATED_REPORT_EARLY_DAYS = 3
DATED_REPORT_LATE_DAYS = 1
# Below this a dated report shares too little with the claim to be proposed as its outcome.
DATED_REPORT_FLOOR = 25.0


def match_dated_report(
    mention: ClaimMention,
    *,
    day: dt.date,
    exclude_ids: Collection[int],
    statuses: Sequence[str],
    promised: Callable[[StoredWording], bool] | None = None,
    check_subject: bool = True,
) -> list[Match]:
    """The claims due around `day` whose promised event this report says happened, best first.

    "The app went dark late on January 18" against "TikTok will go dark on Sunday (Jan. 19)":
    the words differ, the day and the event agree. On real news the day is the strongest sign
    of which claim a report settles, so it is required, not scored:

    1. Candidates share the report's keys and are due around `day`: their window runs from
       `DATED_REPORT_EARLY_DAYS` after it to `DATED_REPORT_LATE_DAYS` before it.
    2. One of the claim's wordings promises an event of the report's kind (`outcome_kind`:
       "went into effect" is "will kick in"; or, when given, one for which `promised` holds:
       an extension granted settles "he will extend the deadline again"), and its wordings
       name the report's subject ("Mistral released a model" does not settle "OpenAI will
       release its model").
    3. The best by `score_pair` (windows left out) at `DATED_REPORT_FLOOR` or more is returned,
       `suggested` below `CLAIM_OUTCOME_DATED_AUTO`.
    """
    query = dataclasses.replace(mention_input(mention), published=None)
    around = dataclasses.replace(query, earliest=day, latest=day)
    candidates = find_candidates(
        around,
        limit=MATCH_CANDIDATE_LIMIT,
        exclude_ids=exclude_ids,
        statuses=statuses,
        window_slack_days=DATED_REPORT_EARLY_DAYS,
    )
    due = [
        int(candidate.id)
        for candidate in candidates
        if candidate.latest is not None
        and (candidate.earliest or candidate.latest) - dt.timedelta(days=DATED_REPORT_EARLY_DAYS)
        <= day
        <= candidate.latest + dt.timedelta(days=DATED_REPORT_LATE_DAYS)
    ]
    if not due:
        return []
    named = identifiers(mention.sentence)
    if promised is None:
        promises = _promises_reported_event(mention)
    else:

        def promises(stated: list[StoredWording]) -> bool:
            return any(promised(w) for w in stated)

    return _reports_on(
        mention,
        due,
        promises=promises,
        floor=DATED_REPORT_FLOOR,
        auto=settings.CLAIM_OUTCOME_DATED_AUTO,
        parts={"dated": day.isoformat()},
        # The day, the kind and the product's name agree: "Today we're releasing o3".
        confirm=lambda stated: _names_one_of(stated, named),
        check_subject=check_subject,
    )


def _promises_reported_event(mention: ClaimMention) -> Callable[[list[StoredWording]], bool]:
    """Whether one of a claim's wordings promises an event of one of the report's kinds
    (`outcome_kinds`: "unveiled" keeps "will launch", "went into effect" "will kick in")."""
    reported = outcome_kinds(mention.event_verb, mention.sentence)

    def promises(stated: list[StoredWording]) -> bool:
        return any(
            reported & outcome_kinds(w.input.verb, w.input.text, promised=True) for w in stated
        )

    return promises


def _report_subject(mention: ClaimMention) -> str:
    subject = stem(mention.event_subject.lower()) if mention.event_subject else ""
    # "I've just signed the order": a pronoun names nothing to check.
    return "" if subject in STOP_WORDS else subject


def _reports_on(
    mention: ClaimMention,
    claim_ids: list[int],
    *,
    promises: Callable[[list[StoredWording]], bool],
    floor: float,
    auto: float,
    parts: dict,
    gate: Callable[[list[StoredWording]], bool] | None = None,
    confirm: Callable[[list[StoredWording]], bool] | None = None,
    check_subject: bool = True,
) -> list[Match]:
    """The claims among `claim_ids` whose promise this report says was kept, best first.

    A claim qualifies when its wordings `promises` the report's event, name the report's
    subject (or are said by it) and pass `gate`; it is scored by its best wording with
    windows left out and verbs compared by outcome kind, from `floor`, `suggested` below `auto`
    (a claim whose wordings `confirm` the link is neither held to the floor nor suggested).
    """
    subject = _report_subject(mention) if check_subject else ""
    kind = outcome_kind(mention.event_verb, mention.sentence)
    query = dataclasses.replace(
        mention_input(mention), published=None, earliest=None, latest=None, verb=kind
    )
    wordings: dict[int, list[StoredWording]] = {}
    for wording in _capped_per_claim(
        stored_wordings(
            ClaimMention.objects.filter(
                claim_id__in=claim_ids,
                kind=ClaimMention.Kind.FORECAST,
                removed_in_version__isnull=True,
            ).exclude(pk=mention.pk)
        )
    ):
        wordings.setdefault(wording.claim_id, []).append(wording)
    matches = []
    for claim_id, stated in wordings.items():
        if not promises(stated) or (gate is not None and not gate(stated)):
            continue
        if subject and not any(
            subject in _words_of(w.input.text) or subject in _words_of(w.speaker) for w in stated
        ):
            continue
        best = None
        # Wordings that `confirm` the link (the product's name, the day, the kind) need no floor.
        confirmed = confirm is not None and confirm(stated)
        for wording in stated:
            stated_as = dataclasses.replace(
                wording.input,
                earliest=None,
                latest=None,
                verb=outcome_kind(wording.input.verb, wording.input.text),
            )
            scored = score_pair(query, stated_as)
            if (confirmed or scored.score >= floor) and (best is None or scored.score > best.score):
                best = Match(
                    candidate_id=str(claim_id),
                    score=scored.score,
                    parts={**scored.parts, "via_mention": wording.pk, **parts},
                    suggested=scored.score < auto and not confirmed,
                )
        if best is not None:
            matches.append(best)
    matches.sort(key=lambda match: -match.score)
    return matches


def _names_one_of(stated: list[StoredWording], named: frozenset[str]) -> bool:
    """Whether the claim is about one of the `named` products: at least half its wordings
    say the name, not one in passing ("the open model will follow on the heels of GPT-5")."""
    counts = Counter(name for w in stated for name in identifiers(w.input.text))
    return any(2 * counts[name] >= len(stated) for name in named & counts.keys())


# An undated report ("OpenAI has unveiled GPT-5") is only bounded by its article's day: it
# settles a claim only when both name the same product, model or bill, the promise is of
# the report's kind, and the claim was made before the article.
UNDATED_REPORT_FLOOR = 20.0


def match_undated_report(
    mention: ClaimMention,
    *,
    upto: dt.date,
    exclude_ids: Collection[int],
    statuses: Sequence[str],
) -> list[Match]:
    """The open claims an undated report of a release or a deal says were kept, best first.

    Without a day of its own the report cannot be placed against a window, so the words
    must: the report and one of the claim's wordings share a letter-and-number name
    (`scoring.identifiers`: "GPT-5", "F-35", "H.R. 815"), the wording promises an event of
    one of the report's kinds (`outcome_kinds`: "unveiled" keeps "will launch"), and it names
    the report's subject or is said by it. Every claim so named is returned: one release
    keeps each promise of it. A claim whose window had already closed by `upto` is only
    proposed (it may have come late); the others apply at `CLAIM_OUTCOME_DATED_AUTO`.
    """
    named = identifiers(mention.sentence)
    if not named:
        return []
    query = dataclasses.replace(mention_input(mention), published=None, earliest=None, latest=None)
    candidates = find_candidates(
        query,
        limit=MATCH_CANDIDATE_LIMIT,
        exclude_ids=exclude_ids,
        statuses=statuses,
        window_slack_days=None,
    )
    open_ids = {int(c.id) for c in candidates if c.latest is None or c.latest >= upto}
    matches = _reports_on(
        mention,
        [int(c.id) for c in candidates],
        promises=_promises_reported_event(mention),
        gate=lambda stated: _names_one_of(stated, named),
        floor=UNDATED_REPORT_FLOOR,
        auto=0.0,
        parts={"undated": upto.isoformat()},
    )
    return [
        dataclasses.replace(match, suggested=int(match.candidate_id) not in open_ids)
        for match in matches
    ]
