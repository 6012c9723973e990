"""Extraction stage (pure, given `nlp`): article text -> dated claim mentions and event reports.

A *forecast* is a forward-looking statement with a deadline ("an accord could be completed
by the end of next week"); an *event report* is a past-tense account of something that
happened ("the two sides signed a memorandum on Thursday"), kept as evidence for matching.
Each sentence yields at most one mention. spaCy parses each text once; the temporal
normaliser reuses that parse.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claims.matching.text import TITLE_WORDS
from claims.temporal import Timex, extract_timexes

logger = logging.getLogger(__name__)

FORECAST = "forecast"
EVENT_REPORT = "event_report"

# Components the extractor uses: tags and dependencies for tense, cues and speakers,
# lemmas for verb lists, entities for speakers and candidate matching.
PIPELINE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

FUTURE_MODALS = frozenset({"will", "shall", "would", "could", "may", "might", "should"})
# Verbs whose complement is about the future: "hopes to", "expects that", "is set to".
FORWARD_VERBS = frozenset(
    {
        "aim",
        "anticipate",
        "commit",
        "expect",
        "forecast",
        "hope",
        "intend",
        "plan",
        "pledge",
        "predict",
        "promise",
        "propose",
        "schedule",
        "seek",
        "set",
        "threaten",
        "vow",
        "want",
        "wish",
        "due",
        "poise",
        "prepare",
        "target",
        "need",
        "must",
        "urge",
        "demand",
        "insist",
        "warn",
        "agree",
        "undertake",
        "resolve",
        "determine",
    }
)
FORWARD_NOUNS = frozenset(
    {
        "deadline",
        "ultimatum",
        "target",
        "goal",
        "timetable",
        "pledge",
        "promise",
        "hope",
        "plan",
        "aim",
    }
)
REPORTING_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "announce",
        "state",
        "claim",
        "insist",
        "warn",
        "write",
        "note",
        "explain",
        "confirm",
        "declare",
        "argue",
        "predict",
        "tweet",
        "post",
        "reply",
        "respond",
        "suggest",
        "indicate",
        "stress",
        "acknowledge",
        "admit",
        "report",
        "assure",
        "caution",
        "signal",
        "estimate",
        "express",
        "reiterate",
        "repeat",
        "concede",
        "disclose",
        "reveal",
        "promise",
        "pledge",
        "vow",
        "threaten",
        "hope",
        "expect",
        "believe",
        "urge",
    }
)
# Verbs that make a past-tense sentence worth keeping as evidence of an event.
EVENT_VERBS = frozenset(
    {
        "sign",
        "agree",
        "approve",
        "pass",
        "reach",
        "complete",
        "conclude",
        "finalise",
        "finalize",
        "adopt",
        "ratify",
        "launch",
        "open",
        "reopen",
        "release",
        "publish",
        "impose",
        "lift",
        "take",
        "collapse",
        "break",
        "reject",
        "abandon",
        "withdraw",
        "cancel",
        "postpone",
        "delay",
        "suspend",
        "resume",
        "hold",
        "elect",
        "vote",
        "resign",
        "appoint",
        "deliver",
        "pay",
        "unveil",
        "introduce",
        "enact",
        "enter",
        "begin",
        "start",
        "end",
        "halt",
        "fail",
        "deny",
        "call",
        "scrap",
        "drop",
        "miss",
        "meet",
        "speak",
        "seal",
        "strike",
        "announce",
        "implement",
        "close",
        "shut",
        "restore",
        "cut",
        "raise",
        "set",
        "walk",
        "stall",
        "falter",
        "sign off",
    }
)
ANONYMOUS_HEADS = frozenset(
    {
        "official",
        "source",
        "diplomat",
        "aide",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "insider",
        "person",
        "people",
        "negotiator",
        "adviser",
        "advisor",
        "staffer",
    }
)
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
QUOTE_OPEN = ("“", '"', "‘", "'")
CONDITION_MARKS = frozenset({"if", "unless"})
UNTIL_MARKS = frozenset({"until", "till", "before"})  # "will not sign until …" is a condition
_SPACE_RE = re.compile(r"\s+")
# Words that say a deadline was set anew: an extension, a postponement, a reprieve.
_NEW_DEADLINE_RE = re.compile(
    r"\b(?:extend\w*|extension|postpon\w*|delay(?:s|ed|ing)?|push(?:es|ed|ing)? back|"
    r"prolong\w*|reprieve|defer(?:s|red|ring)?|new deadline|"
    r"(?:another|more|additional) \d+[- ]days?)\b",
    re.IGNORECASE,
)


def sets_new_deadline(sentence: str) -> bool:
    """Whether a forecast's sentence moves a deadline ("extended the deadline by 75 days")."""
    return bool(_NEW_DEADLINE_RE.search(sentence))


# What stands before the deadline a move replaced: "delayed until August 1 from the July 9
# deadline", "instead of July 9", "initially paused until 9 July", "due to expire on
# November 29"; or after it: "the July 9 deadline".
_OLD_DEADLINE_BEFORE_RE = re.compile(
    r"\b(?:from|instead\s+of|originally|initially|previously|earlier\s+(?:date|deadline)|"
    r"(?:was|were|had\s+been)\s+(?:still\s+)?(?:set|due|scheduled|slated|expected)|due\s+to\s+"
    r"(?:expire|end|lapse|start|begin|take\s+effect))\b[^.;:!?]{0,40}$",
    re.IGNORECASE,
)
_INSTEAD_RE = re.compile(r"\binstead\s+of\b", re.IGNORECASE)
_OLD_DEADLINE_AFTER_RE = re.compile(r"^\s*(?:deadline|cutoff|cut-off)\b", re.IGNORECASE)


def replaced_deadline(sentence: str, dct: dt.date, new_latest: dt.date) -> dt.date | None:
    """The day a move's sentence says the deadline was before it moved to `new_latest`.

    "The higher rates are delayed until August 1 from the July 9 deadline" gives July 9: a
    single day before the new deadline, marked as the old one by the words around it. None
    when the sentence moves no deadline or names none it replaced.
    """
    if not (sets_new_deadline(sentence) or _INSTEAD_RE.search(sentence)):
        return None
    for timex in extract_timexes(sentence, dct):
        if (
            timex.type == "DATE"
            and timex.latest is not None
            and timex.earliest is not None
            and (timex.latest - timex.earliest).days <= 1
            and timex.latest < new_latest
            and (
                _OLD_DEADLINE_BEFORE_RE.search(sentence[: timex.start])
                or _OLD_DEADLINE_AFTER_RE.match(sentence[timex.end :])
            )
        ):
            return timex.latest
    return None


@dataclass(frozen=True)
class ArticleInput:
    text: str
    published: dt.datetime | dt.date
    outlet: str = ""


@dataclass(frozen=True)
class ExtractedClaim:
    kind: str  # FORECAST or EVENT_REPORT
    sentence: str
    start: int  # character offsets of the sentence in the article text
    end: int
    cue: str
    negated: bool
    conditional: bool
    speaker: str
    speaker_kind: str  # named, pronoun, anonymous, reporter
    event: str
    timex: Timex | None
    confidence: float
    entities: tuple[str, ...] = field(default_factory=tuple)
    verb: str = ""  # lemma of the claim's verb ("sign", "collapse")
    subject: str = ""  # lemma of the verb's subject ("ceasefire", "talk")
    statement: str = ""  # the claim as reported, without "X said that": for editors

    @property
    def earliest(self) -> dt.date | None:
        return self.timex.earliest if self.timex else None

    @property
    def latest(self) -> dt.date | None:
        return self.timex.latest if self.timex else None


@dataclass
class _Speaker:
    name: str = ""
    kind: str = ""


@functools.lru_cache(maxsize=4)
def get_nlp(model: str | None = None) -> Language:
    """Load the spaCy pipeline once per process with only the components we use."""
    import spacy

    if model is None:
        from django.conf import settings

        model = settings.SPACY_MODEL
    nlp = spacy.load(model)
    for name in nlp.pipe_names:
        if name not in PIPELINE:
            nlp.disable_pipe(name)
    nlp.add_pipe("claimwatch_paragraphs", before="parser")
    nlp.add_pipe("claimwatch_lemmas", after="lemmatizer")
    return nlp


# A paragraph break ends a sentence: the parser otherwise runs a closing quote's paragraph
# into the next one ("…,” she said.\n\nOkafor, 47, who…"), and one sentence keeps one claim.
_SENTENCE_END = frozenset({".", "!", "?", "”", '"', "’", "'", ":"})
# The model's lemmatizer gets a few reporting and stance verbs wrong ("hoped" -> "hop").
_LEMMA_FIXES = {"hoped": "hope", "hoping": "hope", "staged": "stage", "staging": "stage"}


@Language.component("claimwatch_paragraphs")
def _paragraph_boundaries(doc: Doc) -> Doc:
    for token in doc[1:]:
        gap = doc[token.i - 1].whitespace_ + (
            doc[token.i - 1].text if doc[token.i - 1].is_space else ""
        )
        if "\n" not in gap or token.is_space:
            continue
        previous = next((t for t in reversed(doc[: token.i]) if not t.is_space), None)
        if "\n\n" in gap.replace(" ", "") or (
            previous is not None and previous.text[-1:] in _SENTENCE_END
        ):
            token.is_sent_start = True
    return doc


@Language.component("claimwatch_lemmas")
def _fix_lemmas(doc: Doc) -> Doc:
    for token in doc:
        fixed = _LEMMA_FIXES.get(token.lower_)
        if fixed is not None:
            token.lemma_ = fixed
    return doc


def extract_claims(
    text: str,
    *,
    published: dt.datetime | dt.date,
    outlet: str = "",
    nlp: Language | None = None,
    doc: Doc | None = None,
) -> list[ExtractedClaim]:
    """Dated forecasts and event reports in `text`, published at `published`.

    The text passes `segments_for_nlp` first: pathological runs of characters are blanked
    and a very long text is read in paragraph-aligned segments (a text at or over
    `nlp.max_length`, spaCy's E088, always is), so no sentence is cut; offsets stay the
    article's.
    """
    if doc is not None:
        return _extract_from_doc(doc, published=published, outlet=outlet)
    nlp = nlp or get_nlp()
    segments = segments_for_nlp(text, max_length=nlp.max_length)
    if len(segments) == 1:
        return _extract_from_doc(nlp(segments[0][1]), published=published, outlet=outlet)
    results: list[ExtractedClaim] = []
    for offset, chunk in segments:
        for claim in _extract_from_doc(nlp(chunk), published=published, outlet=outlet):
            results.append(_shifted(claim, offset))
    return results


# --- Guard: what reaches spaCy stays bounded ------------------------------------------
# spaCy's tokenizer strips prefix and suffix punctuation one character at a time from a
# whitespace-free run, copying the rest each time: the cost grows with the square of the
# run (20,000 "!" take over a minute; 50,000 nested parentheses far longer). And reading one
# document costs more per sentence the longer the document is: 200,000 characters of dated
# sentences took over two minutes and a gigabyte. Real prose has neither (its longest
# punctuation run is a few characters, its longest word or URL ~120), so normal articles
# reach spaCy exactly as written.
MAX_PUNCT_RUN = 32  # longer runs of punctuation keep this many; the rest become spaces
MAX_WORD = 256  # a longer whitespace-free run gets a space every WORD_PIECE characters
WORD_PIECE = 64
WHOLE_TEXT_CHARS = 50_000  # up to this, a text is one spaCy document (every real article)
SEGMENT_CHARS = 10_000  # longer ones are read in paragraph-aligned segments of this size
MAX_TEXT_CHARS = 300_000  # and only this much of a text is read at all (logged)

_PUNCT_RUN_RE = re.compile(rf"(?:[^\w\s]|_){{{MAX_PUNCT_RUN + 1},}}")
_LONG_WORD_RE = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def guard_text(text: str) -> tuple[str, list[str]]:
    """`text` with its pathological runs blanked (same length, so offsets hold), and notes.

    A run of more than MAX_PUNCT_RUN punctuation characters keeps its first MAX_PUNCT_RUN;
    a whitespace-free run longer than MAX_WORD gets a space every WORD_PIECE characters.
    """
    notes: list[str] = []
    punct = 0

    def shorten(match: re.Match) -> str:
        nonlocal punct
        punct += 1
        run = match[0]
        return run[:MAX_PUNCT_RUN] + " " * (len(run) - MAX_PUNCT_RUN)

    guarded = _PUNCT_RUN_RE.sub(shorten, text)
    if punct:
        notes.append(f"{punct} run(s) of over {MAX_PUNCT_RUN} punctuation characters shortened")
    guarded, words = _LONG_WORD_RE.subn(lambda match: _cut_run(match[0]), guarded)
    if words:
        notes.append(f"{words} run(s) of over {MAX_WORD} characters without a space cut")
    return guarded, notes


def _cut_run(run: str) -> str:
    """Every WORD_PIECE-th character of `run` replaced by a space (same length)."""
    chars = list(run)
    for i in range(WORD_PIECE - 1, len(chars), WORD_PIECE):
        chars[i] = " "
    return "".join(chars)


def needs_guard(text: str, *, max_length: int) -> bool:
    """Whether `text` would reach spaCy other than as one unchanged document."""
    return (
        len(text) >= max_length
        or len(text) > WHOLE_TEXT_CHARS
        or _PUNCT_RUN_RE.search(text) is not None
        or _LONG_WORD_RE.search(text) is not None
    )


def segments_for_nlp(text: str, *, max_length: int) -> list[tuple[int, str]]:
    """(offset, piece) pairs to give spaCy for `text`: one piece, unchanged, for a normal
    article; otherwise `guard_text`'s blanked text, cut to MAX_TEXT_CHARS and, when long,
    split into paragraph-aligned segments. What was changed is logged as a warning.
    """
    if not needs_guard(text, max_length=max_length):
        return [(0, text)]
    guarded, notes = guard_text(text)
    if len(guarded) > MAX_TEXT_CHARS:
        notes.append(f"only the first {MAX_TEXT_CHARS} of {len(guarded)} characters read")
        guarded = guarded[:MAX_TEXT_CHARS]
    if notes:
        logger.warning("extraction: pathological text (%s): %s", _preview(text), "; ".join(notes))
    if len(guarded) < max_length and len(guarded) <= WHOLE_TEXT_CHARS:
        return [(0, guarded)]
    return split_for_nlp(guarded, limit=min(max_length - 1, SEGMENT_CHARS))


def _preview(text: str) -> str:
    return f"{len(text)} characters, starting {text[:40]!r}"


def split_for_nlp(text: str, *, limit: int) -> list[tuple[int, str]]:
    """(offset, chunk) pieces of `text`, each at most `limit` characters, cut at paragraph
    breaks; a paragraph longer than `limit` is cut after its last sentence end that fits
    (else at whitespace, else hard). The chunks joined are `text` again.
    """
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n\n")
        if cut > 0:
            cut += 2
        else:
            ends = list(_SENTENCE_END_RE.finditer(window))
            cut = ends[-1].end() if ends else window.rfind(" ") + 1 or limit
        chunks.append((start, text[start : start + cut]))
        start += cut
    chunks.append((start, text[start:]))
    return chunks


_SENTENCE_END_RE = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+")


def _shifted(claim: ExtractedClaim, offset: int) -> ExtractedClaim:
    """`claim` with its (and its timex's) offsets moved from a chunk to the whole text."""
    timex = claim.timex
    if timex is not None:
        timex = dataclasses.replace(timex, start=timex.start + offset, end=timex.end + offset)
    return dataclasses.replace(
        claim, start=claim.start + offset, end=claim.end + offset, timex=timex
    )


def extract_claims_batch(
    articles: Iterable[ArticleInput], *, nlp: Language | None = None, batch_size: int = 32
) -> list[list[ExtractedClaim]]:
    """`extract_claims` over many articles, parsing them with `nlp.pipe` in batches."""
    articles = list(articles)
    nlp = nlp or get_nlp()
    # Texts that are long or pathological go through extract_claims and its guard.
    fits = [not needs_guard(a.text, max_length=nlp.max_length) for a in articles]
    docs = iter(
        nlp.pipe(
            (a.text for a, ok in zip(articles, fits, strict=True) if ok), batch_size=batch_size
        )
    )
    return [
        _extract_from_doc(next(docs), published=a.published, outlet=a.outlet)
        if ok
        else extract_claims(a.text, published=a.published, outlet=a.outlet, nlp=nlp)
        for a, ok in zip(articles, fits, strict=True)
    ]


def _extract_from_doc(
    doc: Doc, *, published: dt.datetime | dt.date, outlet: str
) -> list[ExtractedClaim]:
    dct = published.date() if isinstance(published, dt.datetime) else published
    # `Doc.text` joins every token on each read: read it once, not twice a sentence.
    text = doc.text
    timexes = extract_timexes(text, dct, doc=doc)
    results: list[ExtractedClaim] = []
    last_speaker = _Speaker()
    in_quote = False
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        opening = dateline_end(text, sent.start_char)
        # "DOHA, Aug. 17 —" dates the report; it is nobody's deadline and nobody's voice.
        sent_timexes = [t for t in timexes if opening <= t.start < sent.end_char]
        speaker = _attribute(sent, last_speaker, outlet=outlet, continues_quote=in_quote)
        if speaker.name and speaker.name in text[sent.start_char : opening]:
            speaker = _Speaker(outlet, "reporter")
        claim = _classify(sent, sent_timexes, speaker, dct)
        if claim is not None:
            results.append(claim)
        if speaker.kind in ("named", "anonymous"):
            last_speaker = speaker
        elif (person := _subject_person(sent)) is not None:
            # "De Ridder struck a cautious note. She said …": she is de Ridder.
            last_speaker = _Speaker(person, "named")
        in_quote = _ends_inside_quote(sent.text, in_quote)
    return results


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# A wire dateline: "DOHA, Aug. 17 —", "THE HAGUE (Reuters) -", "LONDON, 4 November 2025 –".
_DATELINE_RE = re.compile(
    rf"\s*(?:[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+)*)(?:,\s*[A-Z][A-Za-z.]+)*,?\s*"
    rf"(?:(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?)?\s*"
    r"(?:\([^)]{1,30}\)\s*)?(?:—|–|--|-)\s*"
)
# The same with a colon, as some wires write it: "Washington, Jan 21:", "Geneva, 4 May:".
_COLON_DATELINE_RE = re.compile(
    rf"\s*[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+){{0,2}},\s*"
    rf"(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?\s*:\s*"
)


def dateline_end(text: str, start: int) -> int:
    """Where a wire dateline opening a sentence at `start` ends (`start` when there is none).

    A dateline dates and places the report ("STOCKHOLM (AP) —"); it is nobody's deadline,
    voice or subject, wherever the paragraph that opens with it stands (after a caption).
    """
    for pattern in (_DATELINE_RE, _COLON_DATELINE_RE):
        if (match := pattern.match(text, start)) is not None:
            return match.end()
    return start


# Verbs that hand someone a deadline: the date after "until"/"by" is theirs to meet.
_TO_INFINITIVE_RE = re.compile(r"\s+to\s+[a-z]+")
GRANTING_VERBS = frozenset({"give", "grant", "set", "extend", "allow"})
# Verbs that move a deadline: "extended the ban until June 19", "delayed it by 75 days",
# "granted another 75-day reprieve". Said in the past, they still set a date to come.
EXTENDING_VERBS = frozenset({"extend", "delay", "postpone", "push", "defer", "prolong", "grant"})
EXTENSION_SIGNALS = frozenset({"until", "till", "to", "through", "by", "for"})
DEADLINE_SIGNALS = frozenset({"by", "before", "within", "until", "till", "in", "no later than"})
_NOT_DEADLINES = frozenset({"PRESENT_REF", "PAST_REF"})
_DURATION_DAYS_RE = re.compile(r"^P(\d+)([DWMY])$")
_DURATION_UNIT_DAYS = {"D": 1, "W": 7, "M": 30, "Y": 365}


def _is_promised_duration(timex: Timex) -> bool:
    """ "will hold for (at least) 30 days": a duration that ends a promise, not a deadline."""
    return (
        timex.type == "DURATION"
        and timex.latest is None
        and timex.signal == "for"
        and _DURATION_DAYS_RE.match(timex.value or "") is not None
    )


def _duration_window(timex: Timex, dct: dt.date) -> Timex:
    """The promise is kept if it still holds N days on: the deadline is about DCT + N."""
    count, unit = _DURATION_DAYS_RE.match(timex.value).groups()
    end = dct + dt.timedelta(days=int(count) * _DURATION_UNIT_DAYS[unit])
    return dataclasses.replace(
        timex,
        earliest=end - dt.timedelta(days=1),
        latest=end,
        direction="future",
        rule=f"{timex.text} from {dct:%a %d %b %Y} → about {end:%a %d %b %Y}",
    )


def _claim_verb_for_reported_date(verb: Token, sent: Span) -> Token:
    """The date hangs on "said" but belongs to what was said.

    "We hope they'll say yes by Friday, the negotiator said" (the parser attaches "by Friday"
    to "said"); "Asked when the line would reopen, she replied: 'Within two weeks.'" A date on
    a reporting verb goes to the one forward-looking verb of the sentence, when there is one.
    """
    if verb.lemma_ not in REPORTING_VERBS:
        return verb
    forward = [
        token
        for token in sent
        if token.pos_ in ("VERB", "AUX") and token.i != verb.i and _forward_cue(token, sent)
    ]
    return forward[-1] if forward else verb


def _is_extension_span(sent: Span, timex: Timex) -> bool:
    """ "extended by 75 days", "another 75-day reprieve": a span a deadline was moved by."""
    if timex.type != "DURATION" or timex.latest is not None:
        return False
    if _DURATION_DAYS_RE.match(timex.value or "") is None:
        return False
    verb = _governing_verb(sent, timex)
    # Past only: "will extend it by 90 days" promises the extension, not its end.
    return verb is not None and verb.lemma_ in EXTENDING_VERBS and _is_past(verb)


def _extends_to(verb: Token, timex: Timex) -> bool:
    return (
        verb.lemma_ in EXTENDING_VERBS
        and timex.direction == "future"
        and (timex.signal in EXTENSION_SIGNALS or timex.type == "DURATION")
    )


def _event_day(sent: Span, timexes: Sequence[Timex], dct: dt.date) -> dt.date:
    """When the sentence's event happened: its past or present date ("on Friday"), or DCT."""
    for timex in timexes:
        if (
            timex.type == "DATE"
            and timex.direction in ("past", "present")
            and timex.latest is not None
            and timex.earliest == timex.latest
            and timex.latest <= dct
        ):
            return timex.latest
    return dct


# "its first open model in years", "the biggest cut in decades": how long since, not when.
_SINCE_SUPERLATIVE_RE = re.compile(
    r"\b(?:first|last|only|biggest|largest|worst|best|highest|lowest|longest|strongest|"
    r"weakest|deepest|sharpest|steepest|fastest|slowest|most\s+\w+|least\s+\w+)\b"
    r"[^,.;:!?]{0,60}\bin\s+(?:the\s+(?:past|last)\s+)?$",
    re.IGNORECASE,
)


def _is_time_since(sent: Span, timex: Timex) -> bool:
    """A span counted back from now after a superlative ("the first such deal in years")."""
    if timex.type != "DURATION":
        return False
    # The sentence's own text (the timex lies inside it): cheaper than the whole `Doc.text`.
    offset = timex.start - sent.start_char
    before = sent.text[max(0, offset - 80) : offset]
    return _SINCE_SUPERLATIVE_RE.search(before) is not None


def _classify(
    sent: Span, timexes: Sequence[Timex], speaker: _Speaker, dct: dt.date
) -> ExtractedClaim | None:
    """Decide whether `sent` is a forecast, an event report, or neither."""
    dated = [
        t
        for t in timexes
        if t.latest is not None
        and t.type in ("DATE", "TIME", "DURATION")
        and not _is_time_since(sent, t)
    ]
    dated += [_duration_window(t, dct) for t in timexes if _is_promised_duration(t)]
    if not any(t.type == "DATE" and t.direction == "future" for t in dated):
        # "extended the deadline by 75 days": the new deadline is 75 days on (a date, when
        # the sentence gives one, says it better: "by 90 days to September 17").
        anchor = _event_day(sent, timexes, dct)
        dated += [
            _duration_window(t, anchor)
            for t in timexes
            if not _is_promised_duration(t) and _is_extension_span(sent, t)
        ]
    # A deadline phrase ("by", "within", "before") beats a bare date; "now" is never one.
    # The main clause's date first: in "if they are not back by Friday, we will strike on
    # Monday" the claim is the strike on Monday, on a condition.
    candidates = [
        (timex, _governing_verb(sent, timex))
        for timex in dated
        if timex.direction != "past" and timex.value not in _NOT_DEADLINES
    ]
    candidates.sort(
        key=lambda pair: (
            _in_side_clause(pair[1]),
            pair[0].signal not in DEADLINE_SIGNALS,
            pair[0].start,
        )
    )

    for timex, verb in candidates:
        if verb is None or _is_recollection(verb, sent, timexes):
            continue
        if _happening_today(verb, timex, dct):
            # "Today, we're releasing o3": a press release reports the launch it makes.
            return _build(
                EVENT_REPORT, sent, timex, verb, speaker, cue="present", conditional=False
            )
        cue = _forward_cue(verb, sent)
        if (
            not cue
            and timex.signal in ("until", "by", "till")
            and verb.lemma_ in GRANTING_VERBS
            and _TO_INFINITIVE_RE.match(sent.doc.text, timex.end)
        ):
            cue = "deadline"  # "the court gave the government until September to publish"
        if not cue and _extends_to(verb, timex):
            cue = "extension"  # "Trump extended the deadline until June 19"
        if cue or (timex.direction == "future" and not _is_past(verb)):
            return _build(
                FORECAST,
                sent,
                timex,
                verb,
                speaker,
                cue=cue or "future date",
                conditional=_is_conditional(verb),
            )
    for timex, verb in candidates:
        # Last resort: a date the parser hung on "said" that belongs to what was said.
        if verb is None or verb.lemma_ not in REPORTING_VERBS:
            continue
        claim_verb = _claim_verb_for_reported_date(verb, sent)
        if claim_verb.i != verb.i:
            return _build(
                FORECAST,
                sent,
                timex,
                claim_verb,
                speaker,
                cue=_forward_cue(claim_verb, sent),
                conditional=_is_conditional(claim_verb),
            )

    root = sent.root
    content = _content_verb(root)
    # "If talks fail, we will walk away": a threat, kept even without a date.
    threat = _main_clause_future_verb(sent)
    if threat is not None and _is_conditional(threat):
        return _build(
            FORECAST,
            sent,
            None,
            threat,
            speaker,
            cue=_forward_cue(threat, sent),
            conditional=True,
        )

    past_timexes = [
        t
        for t in dated
        if t.direction == "past"
        and not _is_state_span(t)
        and _attaches_to_clause(_governing_verb(sent, t), content)
    ]
    if (
        _is_past(content)
        and content.lemma_ not in REPORTING_VERBS
        and (content.lemma_ in EVENT_VERBS or past_timexes)
    ):
        timex = past_timexes[0] if past_timexes else None
        return _build(
            EVENT_REPORT, sent, timex, content, speaker, cue="past tense", conditional=False
        )
    return None


_PRESENT_BE = frozenset({"am", "is", "are", "'re", "’re", "'m", "’m"})


def _happening_today(verb: Token, timex: Timex, dct: dt.date) -> bool:
    """ "Today we are launching the Halo-7": an event verb in the present progressive, on
    the day of the article, happens as it is written, it is not promised."""
    return (
        verb.tag_ == "VBG"
        and verb.lemma_ in EVENT_VERBS
        and timex.earliest == timex.latest == dct
        and any(child.dep_ == "aux" and child.lower_ in _PRESENT_BE for child in verb.children)
    )


_SIDE_CLAUSE_MARKS = frozenset({"if", "unless", "when", "once", "whether", "because", "as"})


def _in_side_clause(verb: Token | None) -> bool:
    """Is the verb inside a conditional, temporal or relative clause rather than the main one?"""
    token = verb
    for _ in range(4):
        if token is None or token.head is token:
            return False
        if token.dep_ == "relcl" or (
            token.dep_ == "advcl" and any(c.lower_ in _SIDE_CLAUSE_MARKS for c in token.children)
        ):
            return True
        if token.dep_ not in ("xcomp", "conj", "aux", "auxpass", "ccomp"):
            return False
        token = token.head
    return False


def _is_state_span(timex: Timex) -> bool:
    """ "since 2019", "for the past five years": how long a state has lasted, not when
    something happened, so no evidence that a promised event took place."""
    return timex.signal == "since" or (
        timex.type == "DURATION" and timex.signal in ("for", "over", "during", "in", None)
    )


def _build(
    kind: str,
    sent: Span,
    timex: Timex | None,
    verb: Token,
    speaker: _Speaker,
    *,
    cue: str,
    conditional: bool,
) -> ExtractedClaim:
    negated = _is_negated(verb)
    confidence = 0.4
    if cue not in ("future date", "past tense"):
        confidence += 0.25
    if speaker.kind in ("named", "anonymous", "pronoun"):
        confidence += 0.15
    if timex is not None and not timex.vague:
        confidence += 0.15
    if conditional:
        confidence -= 0.15
    entities = tuple(sorted({e.text.lower() for e in sent.ents if e.label_ not in _NUMERIC_ENTS}))
    return ExtractedClaim(
        kind=kind,
        sentence=sent.text,
        start=sent.start_char,
        end=sent.end_char,
        cue=cue,
        negated=negated,
        conditional=conditional,
        speaker=speaker.name,
        speaker_kind=speaker.kind,
        event=_event_phrase(verb, sent, timex),
        statement=_reported_clause(verb, sent),
        timex=timex,
        confidence=round(max(0.0, min(1.0, confidence)), 2),
        entities=entities,
        verb=verb.lemma_.lower(),
        subject=_subject_lemma(verb),
    )


_NUMERIC_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})


def _is_recollection(verb: Token, sent: Span, timexes: Sequence[Timex]) -> bool:
    """ "In early September she had said the accord would be signed within days".

    An old promise recalled: the reporting verb is pluperfect and dated in the past, so the
    deadline is anchored on a moment we do not know and makes no new claim.
    """
    for head in verb.ancestors:
        if head.lemma_ not in REPORTING_VERBS:
            continue
        if not any(c.dep_ == "aux" and c.lower_ == "had" for c in head.children):
            continue
        for timex in timexes:
            anchor = _governing_verb(sent, timex)
            if timex.direction == "past" and anchor is not None and anchor.i == head.i:
                return True
    return False


def _is_conditional(verb: Token) -> bool:
    """Whether an if/unless clause (or "will not … until/before …") governs the claim verb."""
    negated = _is_negated(verb)
    for clause_head in (verb, *verb.ancestors):
        for child in clause_head.children:
            if child.dep_ != "advcl":
                continue
            marks = {m.lower_ for m in child.children if m.dep_ == "mark"}
            if marks & CONDITION_MARKS or (negated and marks & UNTIL_MARKS):
                return True
    return False


def _main_clause_future_verb(sent: Span) -> Token | None:
    """A verb with a future modal outside any if/unless clause."""
    for token in sent:
        if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("aux", "auxpass"):
            continue
        if any(
            c.dep_ == "mark" and c.lower_ in CONDITION_MARKS | UNTIL_MARKS for c in token.children
        ):
            continue
        if any(c.dep_ in ("aux", "auxpass") and c.norm_ in FUTURE_MODALS for c in token.children):
            return token
        if token.lower_ == "going" and any(c.dep_ == "xcomp" for c in token.children):
            return token
    return None


def _attaches_to_clause(verb: Token | None, content: Token) -> bool:
    """Whether a time expression's verb lies in the content clause (not the "said" frame)."""
    if verb is None:
        return False
    if verb.i == content.i:
        return True
    return any(a.i == content.i for a in verb.ancestors) and verb.lemma_ not in REPORTING_VERBS


def _governing_verb(sent: Span, timex: Timex) -> Token | None:
    """The verb (or predicate) the time expression attaches to."""
    span = sent.doc.char_span(timex.start, timex.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(12):
        if token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT":
            return token
        if token.head.i == token.i:
            return token
        previous, token = token, token.head
        if (
            token.pos_ in ("NOUN", "PROPN")
            and not span.start <= token.i < span.end
            and token.lemma_ not in FORWARD_NOUNS
            and (previous.lower_ in ("for", "of") or previous.dep_ in ("poss", "compound", "amod"))
        ):
            # "a budget for next year", "next year's budget": the date describes a thing.
            return None
    return token


def _content_verb(root: Token) -> Token:
    """For "X said (that) Y will happen", the verb of Y; otherwise the root itself."""
    if root.lemma_ in REPORTING_VERBS:
        for child in root.children:
            if child.dep_ in ("ccomp", "parataxis") and child.pos_ in ("VERB", "AUX"):
                return child
    return root


def _forward_cue(verb: Token, sent: Span) -> str:
    """The word that makes the clause forward-looking: a modal, a forward verb, "going to"."""
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass") and child.norm_ in FUTURE_MODALS:
            return child.norm_
        if child.dep_ == "aux" and child.lower_ == "to" and verb.head.lower_ == "going":
            return "going to"
    if _under_past_verb(verb):
        # "failed to agree a budget for next year": the governing verb is a past report.
        return ""
    if verb.lemma_ in FORWARD_VERBS and not _is_past_report(verb):
        return verb.lemma_
    # Up the chain of complements: "expects to sign", "hope that an accord could be …".
    token = verb
    for _ in range(6):
        if token.dep_ not in (
            "xcomp",
            "ccomp",
            "acl",
            "advcl",
            "relcl",
            "conj",
            "pcomp",
            "pobj",
            "prep",
        ):
            break
        token = token.head
        if token.lemma_ in FORWARD_VERBS or token.lemma_ in FORWARD_NOUNS:
            return token.lemma_
        for child in token.children:
            if child.dep_ in ("aux", "auxpass") and child.norm_ in FUTURE_MODALS:
                return child.norm_
    if any(t.lemma_ in ("deadline", "ultimatum") for t in sent):
        return "deadline"
    return ""


def _under_past_verb(verb: Token) -> bool:
    """An infinitive governed by a past verb that is not forward-looking ("failed to agree")."""
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head.tag_ == "VBD"
        and head.lemma_ not in FORWARD_VERBS
        and head.lemma_ not in REPORTING_VERBS
    )


def _is_past_report(verb: Token) -> bool:
    """ "agreed last month" is a past event, "agreed to sign by Friday" a forward one."""
    return verb.tag_ == "VBD" and not any(c.dep_ == "xcomp" for c in verb.children)


def _is_past(verb: Token) -> bool:
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if _under_past_verb(verb):
        return True
    if any(a.norm_ in FUTURE_MODALS or a.lower_ == "to" for a in aux):
        return False
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ == "VBN":
        return any(a.tag_ == "VBD" or a.lower_ in ("has", "have", "had") for a in aux)
    return any(a.tag_ == "VBD" for a in aux)


def _is_negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in verb.children):
        return True
    # Up a chain of complements: "would not be able to move before Thursday".
    token = verb
    for _ in range(3):
        if token.dep_ not in ("xcomp", "acomp"):
            return False
        token = token.head
        if any(c.dep_ == "neg" for c in token.children):
            return True
    return False


def _reported_clause(verb: Token, sent: Span) -> str:
    """The claim as reported: "X said (that) Y will happen by Z" gives "Y will happen by Z".

    Climbs from the claim's verb to the clause a reporting verb governs; without a reporting
    frame the sentence is the statement.
    """
    clause = verb
    for head in verb.ancestors:
        if head.lemma_ in REPORTING_VERBS and clause.dep_ in ("ccomp", "parataxis", "xcomp"):
            break
        clause = head
    else:
        return _tidy(sent.text)
    if clause.i == verb.i and clause.dep_ not in ("ccomp", "parataxis", "xcomp"):
        return _tidy(sent.text)
    tokens = [
        t
        for t in clause.subtree
        if sent.start <= t.i < sent.end and not (t.dep_ == "mark" and t.head.i == clause.i)
    ]
    if clause.dep_ == "xcomp":
        # "Kaldora expects to sign …": keep who expects it.
        head = clause.head
        tokens = [
            t
            for t in head.subtree
            if sent.start <= t.i < sent.end
            and (
                t.i >= clause.left_edge.i
                or t.dep_ in ("nsubj", "nsubjpass")
                or t.i == head.i
                or t.head.dep_ in ("nsubj", "nsubjpass")
            )
        ]
    return _tidy("".join(t.text_with_ws for t in tokens))


def _tidy(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip(" ,.;:“”\"'‘’—-")[:1000]


def _event_phrase(verb: Token, sent: Span, timex: Timex | None) -> str:
    """What is supposed to happen: the verb's clause without the date and the framing."""
    skip_chars = (timex.start, timex.end) if timex else (-1, -1)
    tokens = []
    for token in verb.subtree:
        if token.i < sent.start or token.i >= sent.end:
            continue
        if skip_chars[0] <= token.idx < skip_chars[1]:
            continue
        if token.dep_ == "mark" and token.head == verb:
            continue
        if token.dep_ in ("ccomp", "parataxis") and token.lemma_ in REPORTING_VERBS:
            continue
        tokens.append(token)
    # Drop a preposition left dangling by removing its date ("by", "within", "on").
    if timex is not None:
        tokens = [
            t
            for t in tokens
            if not (t.pos_ == "ADP" and 0 <= timex.start - (t.idx + len(t.text)) <= 1)
        ]
    text = "".join(t.text_with_ws for t in tokens)
    text = _SPACE_RE.sub(" ", text).strip(" ,.;:“”\"'‘’—-")
    return text[:500]


def _attribute(sent: Span, last: _Speaker, *, outlet: str, continues_quote: bool) -> _Speaker:
    """Who says it: a quote attribution, "according to", a stance verb's subject, or the outlet."""
    for token in sent:
        if (
            token.lower_ == "according"
            and token.i + 1 < sent.end
            and sent.doc[token.i + 1].lower_ == "to"
        ):
            objects = [c for c in sent.doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return _speaker_from_np(objects[0], last)
    reporting = [
        t
        for t in sent
        if t.lemma_ in REPORTING_VERBS
        and t.pos_ in ("VERB", "AUX")
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
    ]
    # Prefer the root ("X said"), then any other reporting verb in the sentence.
    reporting.sort(key=lambda t: (t.dep_ != "ROOT", t.i))
    for verb in reporting:
        subject = next(c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))
        if subject.lower_ in ("it", "this", "that", "there"):
            continue
        return _speaker_from_np(subject, last)
    stripped = sent.text.lstrip()
    if (continues_quote or stripped.startswith(QUOTE_OPEN)) and last.name:
        return _Speaker(last.name, last.kind)
    return _Speaker(outlet, "reporter")


def _titled_person(head: Token) -> str | None:
    """ "the president" -> the person last introduced in the text under that title.

    A title (`TITLE_WORDS`) introduces a person ("President Donald Trump") and later stands
    for them ("the president said").
    """
    if head.lemma_.lower() not in TITLE_WORDS:
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return None
    for entity in reversed([e for e in head.doc.ents if e.label_ == "PERSON"]):
        if entity.start >= head.i:
            continue
        before = head.doc[max(0, entity.start - 3) : entity.start]
        if any(t.lemma_.lower() == head.lemma_.lower() for t in before):
            return _clean_name(_whole_name(entity).text)
    return None


def _whole_name(entity: Span, *, head: Token | None = None) -> Span:
    """ "Ursula von der" -> "Ursula von der Leyen": a name the tagger cut short.

    Proper nouns right after the name join it, up to the phrase's `head` when given (the
    tagger may call the surname a place), else only untyped or PERSON ones.
    """
    doc, end = entity.doc, entity.end
    while end < len(doc) and doc[end].pos_ == "PROPN":
        if head is not None and end > head.i:
            break
        if head is None and doc[end].ent_type_ not in ("", "PERSON"):
            break
        end += 1
    return doc[entity.start : end]


def _is_temporal_modifier(token: Token, head: Token) -> bool:
    """ "The president on May 16": the date says when, not who."""
    return (
        token.head == head
        and token.dep_ in ("prep", "npadvmod")
        and any(t.ent_type_ in ("DATE", "TIME") for t in token.subtree)
    )


# Heads of a phrase that stands for an organisation named earlier: "the company said".
BODY_WORDS_TEXT = """
    company firm ministry department agency government administration startup group bank
    organisation organization court commission council regulator
"""
BODY_WORDS = frozenset(BODY_WORDS_TEXT.split())
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its", "my", "our"})
OFFICE_WORDS = frozenset({"office", "spokesman", "spokeswoman", "spokesperson", "aide", "team"})


def _named_body(head: Token) -> str | None:
    """ "the company" -> the organisation last named in the text before it."""
    if head.lemma_.lower() not in BODY_WORDS:
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return None
    bodies = [e for e in head.doc.ents if e.label_ == "ORG" and e.end <= head.i]
    return bodies[-1].text if bodies else None


def _office_of_person(head: Token, last: _Speaker) -> _Speaker | None:
    """ "Keel met the unions, his office said" -> "Anton Keel's office": whose office speaks.

    The owner is the person named earlier in the same sentence, else the last one named.
    """
    owned = any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in head.children)
    if not owned or head.lemma_.lower() not in BODY_WORDS | TITLE_WORDS | OFFICE_WORDS:
        return None
    people = [e for e in head.sent.ents if e.label_ == "PERSON" and e.end <= head.i]
    owner = _clean_name(_whole_name(people[-1]).text) if people else last.name
    if not owner:
        return None
    return _Speaker(f"{owner}'s {head.text}", "pronoun")


def _speaker_from_np(head: Token, last: _Speaker) -> _Speaker:
    if head.lower_ in PRONOUNS and head.tag_ in ("PRP", "PRP$"):
        # The person last named; a pronoun with nobody before it is an unknown speaker.
        return _Speaker(last.name, "pronoun")
    if head.lower_ in ("who", "which") and head.head.dep_ == "relcl":
        # "Trump, who said the deal would close by Friday": who is the one the clause is about.
        return _speaker_from_np(head.head.head, last)
    if (titled := _titled_person(head)) is not None:
        return _Speaker(titled, "named")
    if (body := _named_body(head)) is not None:
        return _Speaker(body, "named")
    appositions = [c for c in head.children if c.dep_ == "appos"]
    if appositions and head.pos_ != "PROPN" and appositions[0].pos_ == "PROPN":
        # "Its chairwoman, Helena Costa, said": the name is the apposition.
        return _speaker_from_np(appositions[0], last)
    if (office := _office_of_person(head, last)) is not None:
        return office
    # "Hartley, a former GP," / "Okafor, 47,": the description is not part of the name.
    described = {t.i for a in appositions if head.pos_ == "PROPN" for t in a.subtree}
    described |= {t.i for c in head.children if _is_temporal_modifier(c, head) for t in c.subtree}
    tokens = [
        t
        for t in head.subtree
        if t.dep_ not in ("relcl", "punct")
        and not _inside_relcl(t, head)
        and t.i not in described
        and not (head.pos_ == "PROPN" and t.dep_ in ("npadvmod", "nummod") and t.like_num)
    ]
    people = [
        e
        for e in head.doc.ents
        if e.label_ == "PERSON" and e.start >= tokens[0].i and e.end <= tokens[-1].i + 1
    ]
    if people:
        return _Speaker(_clean_name(_whole_name(people[-1], head=head).text), "named")
    # Keep word-internal punctuation ("Varga-Moren"): join tokens, adding back a hyphen or
    # apostrophe that the punct filter dropped between two kept neighbours.
    doc = head.doc
    pieces = []
    for token in tokens:
        previous = doc[token.i - 1] if token.i > tokens[0].i else None
        if pieces and previous is not None and _is_joining_hyphen(previous):
            pieces.append(previous.text)
        elif pieces and not pieces[-1][-1:].isspace():
            pieces.append(" ")  # a dropped comma or word between two kept tokens
        pieces.append(token.text_with_ws)
    phrase = _SPACE_RE.sub(" ", "".join(pieces)).strip(" ,")
    if len(phrase) > 120:
        phrase = phrase[:120].rsplit(" ", 1)[0]
    if head.lemma_.lower() in ANONYMOUS_HEADS:
        return _Speaker(phrase, "anonymous")
    return _Speaker(phrase, "named")


def _subject_person(sent: Span) -> str | None:
    """The named person who is the subject of the sentence's main verb, if any."""
    subject = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    for entity in sent.doc.ents:
        if entity.label_ == "PERSON" and entity.start <= subject.i < entity.end:
            return _clean_name(entity.text)
    return None


def _subject_lemma(verb: Token) -> str:
    """The head noun of the clause's subject, climbing from an infinitive to its governor.

    A dateline the parser took for the subject ("STOCKHOLM (AP) — The United States and
    China have agreed") is passed over for the next one.
    """
    opening = dateline_end(verb.doc.text, verb.sent.start_char)
    for token in (verb, verb.head):
        for child in token.children:
            if (
                child.dep_ in ("nsubj", "nsubjpass")
                and child.pos_ in ("NOUN", "PROPN")
                and child.idx >= opening
            ):
                return child.lemma_.lower()
    return ""


def _is_joining_hyphen(token: Token) -> bool:
    return token.dep_ == "punct" and token.text in ("-", "–") and not token.whitespace_


def _inside_relcl(token: Token, head: Token) -> bool:
    """Whether `token` sits in a relative clause inside the noun phrase headed by `head`."""
    while token.i != head.i and token.head.i != token.i:
        if token.dep_ in ("relcl", "acl"):
            return True
        token = token.head
    return False


def _clean_name(name: str) -> str:
    return re.sub(r"['’]s$", "", name).strip()


def _ends_inside_quote(text: str, inside: bool) -> bool:
    """Track whether a quotation is still open at the end of this sentence."""
    for char in text:
        if char == "“":
            inside = True
        elif char == "”":
            inside = False
        elif char == '"':
            inside = not inside
    return inside
