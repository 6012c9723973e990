"""Tense of the verb that governs a span, read from a parsed spaCy Doc (pure given the Doc)."""

from __future__ import annotations

from spacy.tokens import Doc, Token

PAST, FUTURE, PRESENT = "past", "future", "present"

FUTURE_AUX = {"will", "'ll", "wo", "shall", "’ll"}
MODALS = {"would", "'d", "could", "can", "ca", "may", "might", "must", "should", "ought", "’d"}
PERFECT_AUX = {"has", "have", "'ve", "had", "’ve", "'s"}
BE_PRESENT = {"is", "are", "am", "'s", "'re", "’s", "’re"}
# "is scheduled to", "are due", "is set for": present-tense forms that announce a future event.
SCHEDULE_WORDS = {
    "scheduled",
    "set",
    "due",
    "expected",
    "planned",
    "slated",
    "poised",
    "likely",
    "going",
    "about",
    "supposed",
    "bound",
    "meant",
    "timed",
}
MAX_HOPS = 8
# Past verbs whose infinitive complement happened (or was refused) when they did.
DONE_ATTEMPTS = {
    "declined",
    "refused",
    "failed",
    "began",
    "started",
    "continued",
    "tried",
    "managed",
    "rushed",
    "appeared",
    "seemed",
}
# Verbs whose object is a future act: the time phrase after the object is that act's time.
DEMAND_VERBS = {
    "demanded",
    "promised",
    "threatened",
    "pledged",
    "vowed",
    "ordered",
    "called",
    "urged",
    "sought",
    "requested",
    "proposed",
    "approved",
    "set",
    "gave",
    "given",
}
FORWARD_SIGNALS = {"by", "within", "in", "until", "till", "before", "next", "this"}
OBJECT_DEPS = {"dobj", "xcomp", "ccomp", "prep", "dative"}
TRAILING_ATTRIBUTION = {"said", "says", "say", "told", "added", "reported"}
UNREACHABLE_VERBS = {"reached", "located", "contacted", "found", "confirmed", "verified"}


REPORTING_VERBS = {
    "says",
    "say",
    "tells",
    "tell",
    "reports",
    "report",
    "announces",
    "announce",
    "confirms",
    "confirm",
    "adds",
    "add",
    "notes",
    "note",
    "insists",
    "insist",
}
CAUSATIVE_VERBS = {
    "have",
    "has",
    "had",
    "get",
    "got",
    "gets",
    "want",
    "wants",
    "wanted",
    "need",
    "needs",
    "see",
    "keep",
}
ARRANGEMENT_WORDS = {
    "scheduled",
    "planned",
    "slated",
    "rescheduled",
    "postponed",
    "delayed",
    "set",
    "deferred",
}
# "adjourned the trial until Monday", "extended funding through Jan. 30", "postponed the vote
# to Friday": the new date lies ahead.
# Nouns for things that are scheduled: "before Friday's deadline", "for Monday's hearing".
SCHEDULED_NOUNS = {
    "deadline",
    "hearing",
    "vote",
    "meeting",
    "summit",
    "talks",
    "election",
    "referendum",
    "debate",
    "budget",
    "match",
    "game",
    "launch",
    "session",
    "trial",
    "anniversary",
    "deadlines",
}
WEEKDAY_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
CLOCK_WORDS = {"a.m.", "p.m.", "am", "pm", "noon", "midnight", "est", "edt", "gmt", "utc", "local"}
EXTENDING_VERBS = {
    "given",
    "gave",
    "adjourned",
    "extended",
    "suspended",
    "paused",
    "halted",
    "recessed",
    "postponed",
    "delayed",
    "deferred",
    "rescheduled",
    "moved",
    "pushed",
}
UNTIL_WORDS = {"until", "till", "through", "til", "to"}
CLAUSE_MARKS = {"that", "whether", "if"}
# Verbs whose past tense is spelled like the present: the tagger may read "hurt" as present.
SAME_PAST_FORMS = {
    "hurt",
    "cut",
    "put",
    "set",
    "hit",
    "cost",
    "let",
    "shut",
    "spread",
    "quit",
    "split",
    "shed",
    "upset",
    "burst",
    "cast",
    "broadcast",
    "forecast",
    "bid",
}


def _verb_tense(verb: Token) -> str | None:
    auxes = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    lowers = {aux.lower_ for aux in auxes}
    if lowers & FUTURE_AUX:
        return FUTURE
    planned_thing = verb.tag_ == "VBD" and any(
        child.dep_ == "dobj" and child.lower_ not in WEEKDAY_WORDS for child in verb.children
    )
    # "Hearing set for Aug. 12", "Talks scheduled for Monday": a headline's reduced passive.
    headline_passive = (
        verb.tag_ == "VBD"
        and not auxes
        and not any(child.dep_ == "dobj" for child in verb.children)
        and any(child.dep_ == "prep" and child.lower_ == "for" for child in verb.children)
    )
    if (
        verb.lower_ in ARRANGEMENT_WORDS
        and (verb.tag_ == "VBN" or planned_thing or headline_passive)
        and "had" not in lowers
    ):
        # "has scheduled a news conference Thursday", "planned a rally on Saturday": the event is
        # still ahead (but "had been scheduled for Friday" was overtaken, and "set Friday as the
        # deadline" or "planned to pay on Friday" report the past).
        return FUTURE
    if any(aux.tag_ == "MD" for aux in auxes) or lowers & MODALS:
        if lowers & {"have", "'ve"} and verb.tag_ == "VBN":
            return PAST
        if "could" in lowers and "be" in lowers and verb.lower_ in UNREACHABLE_VERBS:
            # "could not be reached for comment Tuesday": a failed attempt, already made.
            return PAST
        return FUTURE
    if verb.lower_ in SCHEDULE_WORDS and (lowers & BE_PRESENT or verb.tag_ in ("VBZ", "VBP")):
        return FUTURE
    if any(aux.tag_ == "TO" for aux in auxes):
        head = verb.head
        # "had been due to expire Friday": the adjective's verb carries the tense.
        governor = head.head if head.dep_ == "acomp" else head
        if head is not verb and any(
            a.lower_ == "had" for a in governor.children if a.dep_ == "aux"
        ):
            # "had promised to settle it by the end of January": a deadline already behind.
            return PAST
        if head is not verb and head.lower_ in ("was", "were") and head.dep_ == "ROOT":
            return PAST
        past_head = head.tag_ == "VBD" or (
            head.tag_ == "VBN" and any(a.lower_ in ("was", "were") for a in head.children)
        )
        if verb.dep_ == "advcl" and past_head and head.lower_ not in ARRANGEMENT_WORDS:
            # A purpose clause of a past event ("staged rallies to mark the entry on Friday").
            return PAST
        if verb.dep_ == "xcomp" and head.tag_ == "VBD" and head.lower_ in DONE_ATTEMPTS:
            # "declined to comment Tuesday", "refused to say Monday": the attempt is over.
            return PAST
        return FUTURE
    if verb.tag_ == "VBD" or any(aux.tag_ == "VBD" for aux in auxes):
        return PAST
    if verb.tag_ == "VBN":
        if lowers & BE_PRESENT:
            return PRESENT
        if not lowers and verb.dep_ in ("ccomp", "xcomp", "oprd", "conj"):
            return None  # ask the head verb
        if (
            not lowers
            and verb.dep_ == "acl"
            and verb.head.dep_ == "dobj"
            and verb.head.head.lower_ in CAUSATIVE_VERBS
        ):
            # "hope to have the list finalised by Easter": the causative verb decides.
            return _verb_tense(verb.head.head)
        # Perfect, passive past, or a reduced relative ("the ruling announced Wednesday").
        return PAST
    if verb.tag_ == "VBG" and lowers & BE_PRESENT:
        return FUTURE
    if verb.tag_ == "VBP" and verb.lower_ in SAME_PAST_FORMS and _singular_noun_subject(verb):
        # "Weakness hurt the index on Friday": a singular subject rules out the present.
        return PAST
    if verb.tag_ in ("VBZ", "VBP"):
        return PAST if verb.lower_ in REPORTING_VERBS else PRESENT
    if verb.tag_ == "VB" and verb.dep_ in ("ROOT", "conj", "xcomp", "ccomp"):
        return FUTURE
    return None


def _singular_noun_subject(verb: Token) -> bool:
    return any(child.dep_ == "nsubj" and child.tag_ in ("NN", "NNP") for child in verb.children)


def _after_until(doc: Doc, start: int) -> bool:
    """Does 'until'/'through'/'to' introduce the span, maybe before a clock ('until 9 a.m.')?"""
    index = start - 1
    while index >= 0 and start - index <= 5:
        token = doc[index]
        if token.lower_ in UNTIL_WORDS:
            return True
        if not (token.like_num or token.lower_ in CLOCK_WORDS):
            return False
        index -= 1
    return False


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head is not chain[-1] and len(chain) <= MAX_HOPS:
        chain.append(chain[-1].head)
    return chain


def _clause_tense(span) -> str | None:
    """Tense of the sentence's main verb (for phrases whose own head says nothing)."""
    root = span.sent.root
    if root.pos_ in ("VERB", "AUX"):
        return _verb_tense(root) or (PRESENT if root.tag_ in ("VBZ", "VBP", "VBG") else None)
    return None


def _clause_starts_after(verb: Token, end: int) -> bool:
    """Does `verb`'s clause open with a complementiser ("that", "whether") at or after `end`?"""
    return any(
        child.dep_ == "mark" and end <= child.i < verb.i and child.lower_ in CLAUSE_MARKS
        for child in verb.children
    )


def tense_for_span(doc: Doc, start: int, end: int) -> str | None:
    """'past', 'future', 'present' or None for the verb governing text[start:end]."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    after = doc[span.end + 1].lower_ if span.end + 1 < len(doc) else ""
    if span.end < len(doc) and doc[span.end].tag_ == "POS" and after != "time":
        # "Wednesday's ruling": a possessive day names a past event in news text (but "in a
        # year's time" looks ahead, and so does "before Friday's deadline" in a sentence that
        # is not about the past).
        following = {t.lower_ for t in doc[span.end + 1 : span.end + 3]}
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        if (
            following & SCHEDULED_NOUNS
            and before not in ("after", "since", "following")  # "after Friday's vote" is done
            and _clause_tense(span) in (FUTURE, PRESENT)
        ):
            return FUTURE
        return PAST
    token = span.root
    inside = range(span.start, span.end)
    until = _after_until(doc, span.start)
    lead = doc[span.start - 1].lower_ if span.start > 0 else ""
    if until and any(t.lower_ in EXTENDING_VERBS for t in _ancestors(token)):
        return FUTURE  # "gave the parties until Easter to settle", however it is parsed
    for _ in range(MAX_HOPS):
        if (
            lead in FORWARD_SIGNALS
            and token.lower_ in DEMAND_VERBS
            and token.i < span.start
            and not any(a.lower_ == "had" for a in token.children if a.dep_ == "aux")
            and any(token.i < c.i < span.start for c in token.children if c.dep_ in OBJECT_DEPS)
        ):
            # "demanded a vote within 14 days", "threatened a strike in May": the time belongs
            # to what was demanded, which lies ahead ("promised in May to resign" does not).
            return FUTURE
        if token.i >= span.end and token.lower_ in TRAILING_ATTRIBUTION:
            # "The Senate will vote Thursday, aides said": read the clause, not the attribution.
            clause = [
                c for c in token.children if c.dep_ in ("ccomp", "parataxis") and c.i < span.start
            ]
            if clause:
                tense = _verb_tense(clause[0])
                if tense is not None:
                    return tense
        if token.i >= span.end and _clause_starts_after(token, span.end):
            # "glossed over warnings on Thursday that strikes could do harm", parsed with
            # "do" as the root: a clause opened by "that" after the span does not hold it.
            return None
        if token.i not in inside and token.pos_ in ("VERB", "AUX"):
            if (
                token.lower_ == "set"
                and token.tag_ == "VBN"
                and lead in ("on", "in")
                and not any(c.dep_ in ("aux", "auxpass") for c in token.children)
            ):
                return PAST  # "its record high set on Aug. 6": established then, not set for
            tense = _verb_tense(token)
            if tense is not None:
                return tense
            if token.dep_ not in ("amod", "acl", "advcl", "relcl", "xcomp", "ccomp"):
                break
        if token.head is token:
            break
        token = token.head
    root = span.sent.root
    if root.pos_ in ("VERB", "AUX"):
        return _verb_tense(root)
    return None
