"""Pair scoring (pure, no DB): how likely two statements are one claim, 0..100, with parts.

`score_pair()` combines rapidfuzz similarities on normalised text and event phrases with
agreement of negation, event verb, entities (places unified, the speaker left out), speaker,
deadline window and publication date; `rank()` and `best_match()` apply it to a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

from claims.matching.text import STOP_WORDS, TITLE_WORDS, normalize_text, stem


@dataclass(frozen=True)
class MatchInput:
    """One side of a comparison: a new mention or a stored claim.

    `event` is the event phrase ("sign the minerals deal"), `entities` the named entities,
    `earliest`/`latest` the deadline window; all optional. `title` (a headline) is not scored
    by `score_pair`; it is the second field of `LexicalIndex`.
    """

    id: str
    text: str
    event: str = ""
    speaker: str = ""
    entities: frozenset[str] = frozenset()
    earliest: date | None = None
    latest: date | None = None
    negated: bool | None = None  # from the extractor; None: inferred from the text
    verb: str = ""  # lemma of the event's verb ("sign", "halt")
    title: str = ""
    vague: bool = False  # the deadline phrase is vague ("in the coming weeks")
    published: date | None = None  # when the article stating it appeared


@dataclass(frozen=True)
class MatchScore:
    """A 0..100 score and the parts it was made of (stored on the mention for editors).

    Text parts (0..100): ``content_overlap``, ``token_sort``, ``token_set``, ``partial``,
    ``event`` (when both sides have an event phrase) and their mix ``text``. Adjustments in
    points, present only when both sides carry the field: ``negation``, ``entities``,
    ``speaker``, ``window``. `parts` is a plain dict so it can go into a JSONField as is.
    """

    score: float
    parts: dict[str, float] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Match:
    """The best candidate for a mention and whether it joins at once or as a suggestion."""

    candidate_id: str
    score: float
    parts: dict[str, float] = field(hash=False)
    suggested: bool = False  # True between `suggest` and `auto`: an editor confirms it


@dataclass(frozen=True)
class ScoreWeights:
    """How `score_pair` mixes its parts; the adjustments are in score points."""

    content_overlap: float = 0.65  # Dice overlap of content words: the main signal
    token_sort: float = 0.15
    token_set: float = 0.10
    partial: float = 0.10  # best-aligned substring: a headline inside a longer sentence
    event_weight: float = 0.35  # share of the text score given to event phrases when both exist
    entity_bonus: float = 6.0  # scaled by the share of entities in common
    entity_penalty: float = 3.0  # both sides name entities, none shared
    place_penalty: float = 100.0  # both name countries (or blocs), none in common: a veto
    speaker_bonus: float = 5.0
    speaker_penalty: float = 5.0
    window_bonus: float = 3.0  # deadline windows overlap
    # Both deadlines end on the same day, neither vague: outlets reporting one promise resolve
    # "August 1", "Friday" and "by the end of the week" to one date; different promises made
    # on one day rarely share it.
    same_day_bonus: float = 15.0
    same_deadline_bonus: float = 5.0  # and both name it a deadline
    window_penalty: float = 15.0  # disjoint windows: this many points at `window_scale_days`
    window_scale_days: float = 30.0  # distance at which the full window penalty applies
    negation_penalty: float = 20.0  # one side negated: likely a denial of the same claim
    verb_bonus: float = 8.0  # both event verbs known and of one kind ("sign" / "complete")
    verb_penalty: float = 10.0  # both known, different kinds ("sign" / "ratify")
    # Statements published far apart are less often one claim: this many points at
    # `published_scale_days` apart (only when both publication dates are known).
    published_penalty: float = 10.0
    published_scale_days: float = 60.0
    # An event phrase of fewer content words ("starting", "to begin") says nothing about what
    # is promised; it is not compared.
    event_min_words: int = 2
    # Both state rates ("a 50% tariff" / "a 30% tariff") and share none: one template, two
    # promises.
    percent_penalty: float = 15.0


DEFAULT_WEIGHTS = ScoreWeights()

# Words that say who reported a claim, not what it is: "officials said", "according to".
# Compared before stemming: "according" and "accord" share a stem, not a meaning.
_REPORTING_WORDS_TEXT = """
    said say says saying told tell tells according reportedly added adds stated
    claimed insisted insists announced announces quoted
"""
_REPORTING_WORDS = frozenset(_REPORTING_WORDS_TEXT.split())
# Negations as `normalize_text` leaves them ("won't" -> "wont").
_NEGATIONS_TEXT = """
    not no never neither nor without cannot cant wont dont doesnt didnt isnt wasnt arent werent
    wouldnt shouldnt couldnt hasnt havent hadnt
"""
_NEGATIONS = frozenset(_NEGATIONS_TEXT.split())


@dataclass(frozen=True)
class _PreparedText:
    """What scoring needs from one text, computed once per distinct text."""

    words: frozenset[str]  # stemmed content words, reporting verbs left out
    joined: str  # the same words in text order, for the rapidfuzz ratios
    negated: bool


@lru_cache(maxsize=50_000)
def _prepare(text: str) -> _PreparedText:
    # Cached: a mention is scored against many candidates and a stored claim against many
    # mentions; normalising dominates the cost of a pair.
    normalized = normalize_text(text)
    words = [
        stem(word)
        for word in normalized.split()
        if word not in STOP_WORDS and word not in _REPORTING_WORDS
    ]
    return _PreparedText(
        words=frozenset(words),
        joined=" ".join(words),
        negated=not _NEGATIONS.isdisjoint(normalized.split()),
    )


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 200.0 * len(a & b) / (len(a) + len(b))


def _text_parts(a: str, b: str) -> dict[str, float]:
    """rapidfuzz similarities (0..100) of two texts after normalisation."""
    overlap, token_sort, token_set, partial = _text_similarities(a, b)
    return {
        "content_overlap": overlap,
        "token_sort": token_sort,
        "token_set": token_set,
        "partial": partial,
    }


@lru_cache(maxsize=200_000)
def _text_similarities(a: str, b: str) -> tuple[float, float, float, float]:
    # Cached by the pair of texts: a wording repeated across outlets (wire copy) or a
    # mention matched twice (its claim, then the deadline it supersedes) is compared once.
    prepared_a, prepared_b = _prepare(a), _prepare(b)
    joined_a, joined_b = prepared_a.joined, prepared_b.joined
    return (
        _dice(prepared_a.words, prepared_b.words),
        fuzz.token_sort_ratio(joined_a, joined_b),
        fuzz.token_set_ratio(joined_a, joined_b),
        fuzz.partial_ratio(joined_a, joined_b),
    )


def _mix(parts: Mapping[str, float], weights: ScoreWeights) -> float:
    total = weights.content_overlap + weights.token_sort + weights.token_set + weights.partial
    return (
        weights.content_overlap * parts["content_overlap"]
        + weights.token_sort * parts["token_sort"]
        + weights.token_set * parts["token_set"]
        + weights.partial * parts["partial"]
    ) / total


def _window_gap_days(a: MatchInput, b: MatchInput) -> int | None:
    """Days between two deadline windows (0 when they overlap); None when either is unknown."""
    a_start, a_end = a.earliest or a.latest, a.latest or a.earliest
    b_start, b_end = b.earliest or b.latest, b.latest or b.earliest
    if a_start is None or a_end is None or b_start is None or b_end is None:
        return None
    if a_end < b_start:
        return (b_start - a_end).days
    if b_end < a_start:
        return (a_start - b_end).days
    return 0


def score_pair(
    mention: MatchInput, candidate: MatchInput, *, weights: ScoreWeights = DEFAULT_WEIGHTS
) -> MatchScore:
    """Score how likely `mention` states the same claim as `candidate`, 0..100.

    1. Text: token-set, token-sort and partial ratios plus content-word overlap on normalised,
       stemmed text (event phrases mixed in when both sides have one).
    2. Negation: one side negated and the other not costs `negation_penalty` points.
    3. Agreement adjustments, each only when both sides carry the field: shared entities,
       same or different speaker, overlapping or disjoint deadline windows.

    Every part is returned in `parts` so the score can be explained.
    """
    parts: dict[str, float] = _text_parts(mention.text, candidate.text)
    text_score = _mix(parts, weights)
    if _informative_event(mention.event, weights) and _informative_event(candidate.event, weights):
        event_parts = _text_parts(mention.event, candidate.event)
        parts["event"] = _mix(event_parts, weights)
        text_score = (1 - weights.event_weight) * text_score + weights.event_weight * parts["event"]
    parts["text"] = text_score
    score = text_score

    if _is_negated(mention) != _is_negated(candidate):
        parts["negation"] = -weights.negation_penalty
        score -= weights.negation_penalty

    if mention.verb and candidate.verb:
        same_kind = verb_kind(mention.verb) == verb_kind(candidate.verb)
        adjustment = weights.verb_bonus if same_kind else -weights.verb_penalty
        parts["verb"] = adjustment
        score += adjustment

    names_a, names_b = _entity_names(mention), _entity_names(candidate)
    if names_a and names_b:
        common = _common_entities(names_a, names_b)
        shared = min(1.0, common / max(1, min(len(names_a), len(names_b))))
        adjustment = weights.entity_bonus * shared if shared else -weights.entity_penalty
        parts["entities"] = adjustment
        score += adjustment
        places_a, places_b = names_a & _PLACES, names_b & _PLACES
        if places_a and places_b and places_a.isdisjoint(places_b):
            # "tariffs on Japan from August 1" / "on Mexico from August 1": one template,
            # two promises.
            parts["places"] = -weights.place_penalty
            score -= weights.place_penalty

    percents_a, percents_b = _percents(mention.text), _percents(candidate.text)
    if percents_a and percents_b and percents_a.isdisjoint(percents_b):
        parts["percents"] = -weights.percent_penalty
        score -= weights.percent_penalty

    if mention.speaker and candidate.speaker:
        same = speakers_agree(mention.speaker, candidate.speaker)
        if same or (looks_like_name(mention.speaker) and looks_like_name(candidate.speaker)):
            # "the country's economy minister" vs "Ilse Varga-Moren" may be one person: only
            # two different names count against a match.
            adjustment = weights.speaker_bonus if same else -weights.speaker_penalty
            parts["speaker"] = adjustment
            score += adjustment

    gap = _window_gap_days(mention, candidate)
    if gap is not None:
        if gap == 0:
            adjustment = weights.window_bonus
            if (
                mention.latest is not None
                and mention.latest == candidate.latest
                and not mention.vague
                and not candidate.vague
            ):
                adjustment += weights.same_day_bonus
                if _names_a_deadline(mention.text) and _names_a_deadline(candidate.text):
                    # "The new deadline is Sept. 17" / "avoid Wednesday's deadline for a
                    # ban": two statements of one deadline, however else they are worded.
                    adjustment += weights.same_deadline_bonus
        else:
            # Not a veto: a later window may be the same claim with its deadline moved.
            adjustment = -weights.window_penalty * min(1.0, gap / weights.window_scale_days)
        parts["window"] = adjustment
        score += adjustment

    if mention.published is not None and candidate.published is not None:
        apart = abs((mention.published - candidate.published).days)
        if apart:
            adjustment = -weights.published_penalty * min(1.0, apart / weights.published_scale_days)
            parts["published"] = adjustment
            score += adjustment

    score = max(0.0, min(100.0, score))
    return MatchScore(
        score=round(score, 2), parts={name: round(value, 2) for name, value in parts.items()}
    )


_DEADLINE_STEM = stem("deadline")


def _names_a_deadline(text: str) -> bool:
    return _DEADLINE_STEM in _prepare(text).words


_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|per\s*cent|percent)", re.IGNORECASE)


@lru_cache(maxsize=50_000)
def _percents(text: str) -> frozenset[str]:
    """The rates a text states ("a 25% tariff", "10 per cent"), as numbers."""
    return frozenset(match.group(1) for match in _PERCENT_RE.finditer(text))


def _informative_event(event: str, weights: ScoreWeights) -> bool:
    return bool(event) and len(_prepare(event).words) >= weights.event_min_words


# Adjectives of place that name the place itself in claims: "Chinese imports" are imports
# from China, "the European Union" is "the EU".
_PLACE_ADJECTIVES_TEXT = """
    american: united states, u s: united states, us: united states, america: united states,
    the us: united states, the united states: united states, usa: united states,
    chinese: china, japanese: japan, taiwanese: taiwan, korean: korea,
    south korean: south korea, north korean: north korea, indian: india,
    british: united kingdom, uk: united kingdom, the uk: united kingdom,
    britain: united kingdom, canadian: canada, mexican: mexico, european: european union,
    eu: european union, the eu: european union, the european union: european union,
    german: germany, french: france, italian: italy, spanish: spain, russian: russia,
    ukrainian: ukraine, brazilian: brazil, vietnamese: vietnam, swiss: switzerland,
    australian: australia, israeli: israel, iranian: iran, turkish: turkey,
    saudi: saudi arabia, indonesian: indonesia, thai: thailand, pakistani: pakistan,
    south african: south africa, nigerian: nigeria, egyptian: egypt, argentine: argentina,
    irish: ireland, dutch: netherlands, polish: poland, swedish: sweden, norwegian: norway
"""
_PLACE_ADJECTIVES: dict[str, str] = {
    adjective.strip(): place.strip()
    for adjective, place in (pair.split(":") for pair in _PLACE_ADJECTIVES_TEXT.split(","))
}


_COUNTRIES_TEXT = """
    japan china mexico canada india taiwan korea vietnam germany france italy spain russia
    ukraine brazil switzerland australia israel iran turkey indonesia thailand pakistan
    nigeria egypt argentina ireland netherlands poland sweden norway
"""
_PLACES = frozenset(_PLACE_ADJECTIVES.values()) | frozenset(_COUNTRIES_TEXT.split())


def _entity_names(item: MatchInput) -> frozenset[str]:
    """Normalised entity names of one side, places unified, its own speaker left out.

    "Trump said tariffs on Japan start Aug. 1" and "Trump said tariffs on Mexico start Aug. 1"
    share the speaker, not the subject: the speaker counts in the speaker part only.
    """
    if not item.entities:
        return frozenset()
    return _entity_names_of(item.entities, item.speaker)


@lru_cache(maxsize=50_000)
def _entity_names_of(entities: frozenset[str], speaker: str) -> frozenset[str]:
    # Cached: a stored mention's names are compared with every new mention's.
    item = MatchInput(id="", text="", entities=entities, speaker=speaker)
    names = set()
    for name in item.entities:
        normalized = normalize_text(name)
        normalized = _PLACE_ADJECTIVES.get(normalized, normalized)
        if normalized and not (item.speaker and speakers_agree(normalized, item.speaker)):
            names.add(normalized)
    return frozenset(names)


@lru_cache(maxsize=200_000)
def _common_entities(names_a: frozenset[str], names_b: frozenset[str]) -> int:
    """How many of `names_a` name one of `names_b` (cached: a stored mention's names meet
    the same few names of every new mention, and comparing them cost more than the rest)."""
    return sum(any(_same_entity(a, b) for b in names_b) for a in names_a)


def _same_entity(a: str, b: str) -> bool:
    """ "kaldora" / "kaldoran", "the velmar port" / "velmar port": one name, two spellings."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 5 and long.startswith(short[:-1]):
        return True
    words_a, words_b = set(a.split()) - _ENTITY_FILLER, set(b.split()) - _ENTITY_FILLER
    return bool(words_a) and (words_a <= words_b or words_b <= words_a)


_ENTITY_FILLER = frozenset({"the", "of", "and", "s"})


def speakers_agree(a: str, b: str) -> bool:
    """Same speaker, allowing one name to be part of the other ("Rubio" / "Marco Rubio").

    Titles aside, two names agree when one's words are all in the other or their last words
    (surnames) are equal ("Ms Varga-Moren" / "Ilse Varga-Moren").
    """
    words_a, words_b = _name_words(a), _name_words(b)
    if not words_a or not words_b:
        return False
    set_a, set_b = frozenset(words_a), frozenset(words_b)
    return set_a <= set_b or set_b <= set_a or words_a[-1] == words_b[-1]


@lru_cache(maxsize=50_000)
def _name_words(name: str) -> tuple[str, ...]:
    """A name's normalised words, titles left out (cached: speakers recur in every pair)."""
    return tuple(w for w in normalize_text(name).split() if w not in TITLE_WORDS)


@lru_cache(maxsize=50_000)
def looks_like_name(speaker: str) -> bool:
    """A name ("Edwina Charlot", "Vesgaz"), not a description ("Sarnesse's foreign secretary").

    Every word of a name is capitalised, but for particles such as "de", "van" or "al".
    """
    words = _SPEAKER_WORD_RE.findall(speaker)
    return bool(words) and all(
        word[:1].isupper() or word.lower() in _NAME_PARTICLES for word in words
    )


_SPEAKER_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_NAME_PARTICLES = frozenset(
    {"de", "da", "del", "der", "di", "du", "la", "le", "van", "von", "al", "bin", "ibn"}
)


def _is_negated(item: MatchInput) -> bool:
    return item.negated if item.negated is not None else _prepare(item.text).negated


# Event verbs that name the same kind of outcome; anything else is its own kind.
_VERB_KINDS = {
    verb: kind
    for kind, verbs in {
        "conclude": "sign complete conclude finalise finalize seal agree reach clinch strike",
        "stop": "halt stop cut suspend shut close block",
        "start": "begin start launch open reopen resume restart",
        "publish": "publish release issue unveil present announce",
        "hold": "hold last keep maintain respect observe",
        "effect": "take enter apply implement",
        "vote": "vote ratify approve pass adopt",
        "travel": "travel visit go fly return leave arrive",
        "meet": "meet talk negotiate sit speak",
    }.items()
    for verb in verbs.split()
}


def verb_kind(verb: str) -> str:
    return _VERB_KINDS.get(verb.lower(), verb.lower())


# "went into effect", "took effect", "came into force", "kicked in": one event whatever the
# verb; the parser gives its lemma ("go", "take"), which alone says little.
_EFFECT_PHRASE_RE = re.compile(
    r"\b(?:go|goes|went|gone|going|come|comes|came|coming|take|takes|took|taken|taking|"
    r"enter|enters|entered|entering)\s+(?:into\s+)?(?:full\s+)?(?:effect|force)\b|"
    r"\bkick(?:s|ed|ing)?\s+in\b|\b(?:becomes?|became|is|was|be)\s+effective\b",
    re.IGNORECASE,
)
_EFFECT_CARRIERS = frozenset({"go", "come", "take", "enter", "kick", "apply", "be", "become"})


def outcome_kind(verb: str, sentence: str) -> str:
    """The kind of event a sentence states: `verb_kind`, with "took effect" read as one verb.

    "The tariffs went into effect on Saturday" reports what "the tariffs kick in on
    Saturday" promised, though one parse says "go" and the other "kick".
    """
    if verb.lower() in _EFFECT_CARRIERS and _EFFECT_PHRASE_RE.search(sentence):
        return verb_kind("take")
    return verb_kind(verb)


# Verbs that name more than one kind of outcome: "launch a model" is a release, "launch
# talks" a start; "close a deal" concludes, "close a border" stops; "tariffs start on Aug. 1"
# is their taking effect. The subject, checked by the caller, says which one was meant.
_ALSO_KINDS = {
    "launch": ("publish",),
    "roll": ("publish", "start"),
    "debut": ("publish",),
    "ship": ("publish",),
    "introduce": ("publish", "start"),
    "arrive": ("publish",),
    "land": ("publish",),
    "close": ("conclude",),
    "sign": ("publish",),
    "start": ("effect",),
    "begin": ("effect",),
}
# Nouns that say which event a promise is about when its verb does not ("targeting a summer
# release", "the launch will occur in June", "moving toward a close by January 22").
_EVENT_NOUN_KINDS = (
    (
        re.compile(
            r"\b(?:release|launch|roll-?out|debut|unveiling)s?\b|\broll(?:s|ed|ing)?\s+out\b|"
            r"\b(?:go|goes|going|went)\s+(?:online|live)\b",
            re.IGNORECASE,
        ),
        "publish",
    ),
    (re.compile(r"\b(?:a|the)\s+close\b|\bclosing\b", re.IGNORECASE), "conclude"),
)


@lru_cache(maxsize=50_000)
def outcome_kinds(verb: str, sentence: str, *, promised: bool = False) -> frozenset[str]:
    """Every kind of event the sentence may state: `outcome_kind` and the verb's other kinds.

    A promise (`promised`) also counts the event its nouns name ("targeting a summer
    release" promises a release); a report states only what its verb says happened.
    """
    kinds = {outcome_kind(verb, sentence), *_ALSO_KINDS.get(verb.lower(), ())}
    if promised:
        kinds.update(kind for pattern, kind in _EVENT_NOUN_KINDS if pattern.search(sentence))
    return frozenset(kinds)


# A product, model, bill or part named by letters and a number: "GPT-5", "o4-mini", "F-35",
# "A320", "COVID-19". Quarters, halves, fiscal years and "mid-2025" are dates, not names.
_IDENTIFIER_RE = re.compile(
    r"(?<![\w.-])([A-Za-z]+)[-\u2010\u2011]?(\d+(?:\.\d+)?[A-Za-z]*)(?![\w-]*\d)"
)
_NOT_IDENTIFIER_LETTERS = frozenset(
    {"q", "h", "fy", "mid", "late", "early", "pre", "post", "end", "by"}
)


@lru_cache(maxsize=50_000)
def identifiers(text: str) -> frozenset[str]:
    """The letter-and-number names in `text`, canonical ("GPT‑5" and "gpt-5" are one)."""
    return frozenset(
        f"{letters.lower()}-{number.lower()}"
        for letters, number in _IDENTIFIER_RE.findall(text)
        if letters.lower() not in _NOT_IDENTIFIER_LETTERS
    )


def _as_input(value: MatchInput | str, position: int) -> MatchInput:
    return value if isinstance(value, MatchInput) else MatchInput(id=str(position), text=value)


def rank(
    query: MatchInput | str,
    candidates: Iterable[MatchInput | str],
    *,
    top: int = 10,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
) -> list[tuple[MatchInput, MatchScore]]:
    """Score every candidate against `query` and return the `top` best, best first.

    Plain strings are accepted on either side; a string candidate gets its position as id.
    Candidates are assumed already narrowed (by `LexicalIndex` or the database); this scores
    all of them.
    """
    mention = _as_input(query, 0)
    scored = [
        (candidate, score_pair(mention, candidate, weights=weights))
        for candidate in (_as_input(value, i) for i, value in enumerate(candidates))
    ]
    scored.sort(key=lambda pair: pair[1].score, reverse=True)
    return scored[:top]


def best_match(
    mention: MatchInput | str,
    candidates: Iterable[MatchInput | str],
    *,
    auto: float,
    suggest: float,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
) -> Match | None:
    """Return the best candidate scoring at least `suggest`, or None (start a new claim).

    The match is `suggested` (an editor confirms it) when its score is below `auto`.
    """
    ranked = rank(mention, candidates, top=1, weights=weights)
    if not ranked:
        return None
    candidate, result = ranked[0]
    if result.score < suggest:
        return None
    return Match(
        candidate_id=candidate.id,
        score=result.score,
        parts=result.parts,
        suggested=result.score < auto,
    )
