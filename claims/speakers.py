"""Speakers (DB): one Speaker however the news names them, and their track records.

The pipeline writes each claim's speaker as it read it (`Claim.speaker`: "President Ilse
Varga", "Varga", "who"). This module links claims to a `Speaker`:

- `speaker_for(name)` answers which speaker a string names, creating one for a new name and
  remembering every spelling as a `SpeakerAlias`; a string that names no one (a pronoun, "Her
  ministry", a description) is remembered too, with no speaker, and gives None.
- `link_claim(claim)` links one claim (called by `status.record_new_claim`, so every new
  claim is linked as it is created); `link_speakers()` links every claim whose speaker string
  is not (or no longer) an alias of its speaker; the scheduler runs it (task
  claims.link_speakers), which also catches the pipeline's later "a name instead of a
  description" update of a claim's speaker.
- `merge_speakers(survivor, others)` is the editors' merge: aliases and claims move over.
- `with_track_record(speakers)` annotates speakers with claims kept, kept late, missed,
  moved and contradicted: the one computation behind the Speaker admin list and the
  dashboard's table.

Name resolution: titles are set aside ("US President Ilse Varga" -> "Ilse Varga"), and two
strings name the same speaker when `matching.speakers_agree` says so and the words of one
name are all in the other ("Varga" / "Ilse Varga"), which keeps "Ilse Varga" and "Piet
Varga" apart (speakers_agree alone would join any two people sharing a surname). A name is
compared with each candidate speaker's name and fullest spellings, not with its every
alias, so a bare surname seen once does not chain two people together. When several
speakers fit, an exact spelling decides; otherwise the string becomes a speaker of its
own, for an editor to merge.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q

from claims.matching import looks_like_name, normalize_text, speakers_agree
from claims.matching.text import TITLE_WORDS

logger = logging.getLogger(__name__)

# Never a speaker on their own: pronouns, relative words and bodies named only by their kind.
NOT_NAMES = frozenset(
    {
        "i",
        "me",
        "we",
        "us",
        "you",
        "he",
        "him",
        "she",
        "her",
        "they",
        "them",
        "it",
        "its",
        "his",
        "hers",
        "their",
        "theirs",
        "our",
        "ours",
        "who",
        "whom",
        "whose",
        "which",
        "that",
        "this",
        "these",
        "those",
        "there",
        "someone",
        "somebody",
        "one",
        "official",
        "officials",
        "ministry",
        "government",
        "cabinet",
        "police",
        "army",
        "military",
        "authorities",
        "company",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "source",
        "sources",
        "office",
        "department",
        "agency",
        "court",
    }
)
_CONNECTORS = frozenset({"of", "for"})


def _models():
    from claims.models import Claim, Speaker, SpeakerAlias, StatusChange

    return SimpleNamespace(
        Claim=Claim, Speaker=Speaker, SpeakerAlias=SpeakerAlias, StatusChange=StatusChange
    )


# --- Names (pure) ---------------------------------------------------------------------------


def clean_name(raw: str) -> str:
    return " ".join((raw or "").split())[:300]


def bare_name(name: str) -> str:
    """The name without the titles before it, as written: "US President Ilse Varga" -> "Ilse
    Varga"; "Secretary of State Marco Rubio" -> "Marco Rubio"; "The Port Board" -> "Port
    Board". Empty when nothing but titles is left."""
    tokens = clean_name(name).split()
    if tokens and tokens[0].lower() == "the":
        tokens = tokens[1:]
    last_title = max(
        (i for i, token in enumerate(tokens) if normalize_text(token) in TITLE_WORDS), default=-1
    )
    rest = tokens[last_title + 1 :]
    # "Secretary of State Marco Rubio": the title goes on through "of State".
    while last_title >= 0 and len(rest) > 2 and rest[0].lower() in _CONNECTORS:
        rest = rest[2:]
    return " ".join(rest)


def name_words(name: str) -> list[str]:
    """The normalised words of a speaker's bare name: "President Ilse Várga" -> [ilse, varga]."""
    return normalize_text(bare_name(name)).split()


def has_title(name: str) -> bool:
    return any(normalize_text(token) in TITLE_WORDS for token in clean_name(name).split())


def is_speaker_name(name: str) -> bool:
    """A name or a named body ("President Varga", "Port Board"); not "who", "He", "Her
    ministry", "the country's finance minister" or a bare title."""
    bare = bare_name(name)
    words = normalize_text(bare).split()
    if not words or not looks_like_name(bare):
        return False
    if bare.split()[0].lower() in NOT_NAMES:  # "He", "Her Ministry", "Who"; not "I. Varga"
        return False
    return not all(word in NOT_NAMES for word in words)


def same_speaker(a: str, b: str) -> bool:
    """Do two speaker strings name the same speaker? See the module docstring."""
    words_a, words_b = set(name_words(a)), set(name_words(b))
    if not words_a or not words_b or not speakers_agree(a, b):
        return False
    return words_a <= words_b or words_b <= words_a


# --- Linking (DB) ---------------------------------------------------------------------------


def _remember(m, name: str, speaker) -> None:
    words = name_words(name)
    m.SpeakerAlias.objects.get_or_create(
        name=name,
        defaults={
            "speaker": speaker,
            "key": " ".join(words)[:300],
            "surname": (words[-1] if words else "")[:100],
        },
    )


def _maybe_fuller_name(speaker, name: str) -> None:
    """ "Varga" first, "Ilse Varga" later: the speaker's name becomes the fuller one."""
    if speaker.name_set_by_editor or has_title(name):
        return
    new, old = set(name_words(name)), set(normalize_text(speaker.name).split())
    if new > old:
        speaker.name = bare_name(name)
        type(speaker).objects.filter(pk=speaker.pk).update(name=speaker.name)


def _resolve(m, name: str):
    """The speaker `name` names among those known, or a new one; None for a non-name."""
    if not is_speaker_name(name):
        return None
    words = name_words(name)
    key = " ".join(words)
    same_key = set(
        m.SpeakerAlias.objects.filter(key=key, speaker__isnull=False).values_list(
            "speaker_id", flat=True
        )
    )
    if len(same_key) == 1:
        return m.Speaker.objects.get(pk=same_key.pop())
    # Each candidate speaker is known by its name and its fullest spellings ("Ilse Varga",
    # not a bare "Varga" seen once, which would fit any Varga).
    references: dict[int, list[str]] = {}
    for speaker_id, alias in m.SpeakerAlias.objects.filter(
        surname=words[-1], speaker__isnull=False
    ).values_list("speaker_id", "name"):
        references.setdefault(speaker_id, []).append(alias)
    fitting = []
    for speaker in m.Speaker.objects.filter(pk__in=references).order_by("pk"):
        spellings = references[speaker.pk]
        longest = max(len(name_words(a)) for a in spellings)
        names = [speaker.name, *(a for a in spellings if len(name_words(a)) == longest)]
        if any(same_speaker(known, name) for known in names):
            fitting.append(speaker)
    if same_key:  # several speakers share this exact name: the oldest
        fitting = [s for s in fitting if s.pk in same_key] or fitting
    if len(fitting) == 1 or (fitting and same_key):
        return fitting[0]
    if len(fitting) > 1:
        logger.info("speaker %r fits %d speakers; kept apart for an editor", name, len(fitting))
    return m.Speaker.objects.create(name=bare_name(name))


def speaker_for(name: str, *, models=None):
    """The Speaker this string names (found, or created for a new name); None for a non-name.

    Every string seen is remembered as an alias, so each is judged once; two workers
    naming a new speaker at once end with one alias, and the loser reuses the winner's.
    """
    m = models or _models()
    name = clean_name(name)
    if not name:
        return None
    alias = m.SpeakerAlias.objects.filter(name=name).select_related("speaker").first()
    if alias is not None:
        return alias.speaker
    try:
        with transaction.atomic():
            speaker = _resolve(m, name)
            _remember(m, name, speaker)
            if speaker is not None:
                _maybe_fuller_name(speaker, name)
    except IntegrityError:  # the same new string at the same moment elsewhere
        alias = m.SpeakerAlias.objects.select_related("speaker").get(name=name)
        return alias.speaker
    return speaker


def link_claim(claim, *, models=None) -> None:
    """Point one claim at the speaker its speaker string names (or at none)."""
    m = models or _models()
    speaker = speaker_for(claim.speaker, models=m)
    speaker_id = speaker.pk if speaker else None
    if claim.speaker_ref_id != speaker_id:
        m.Claim.objects.filter(pk=claim.pk).update(speaker_ref=speaker_id)
        claim.speaker_ref_id = speaker_id


def unlinked_claims(*, models=None):
    """Claims whose speaker string is not an alias of their speaker (or, for none, of none)."""
    m = models or _models()
    known = m.SpeakerAlias.objects.filter(name=OuterRef("speaker"))
    linked = Exists(known.filter(speaker=OuterRef("speaker_ref"))) | (
        Q(speaker_ref__isnull=True) & Exists(known.filter(speaker__isnull=True))
    )
    blank = Q(speaker="") & Q(speaker_ref__isnull=True)
    return m.Claim.objects.exclude(blank).exclude(linked)


def link_speakers(*, models=None) -> int:
    """Link every claim whose speaker string and speaker disagree; returns claims relinked.

    One pass per distinct string; a second run at once finds nothing to do.
    """
    m = models or _models()
    by_name: dict[str, list[int]] = {}
    rows = unlinked_claims(models=m).values_list("pk", "speaker")
    for pk, name in rows.iterator(chunk_size=2000):
        by_name.setdefault(name, []).append(pk)
    relinked = 0
    for name, pks in sorted(by_name.items()):
        speaker = speaker_for(name, models=m)
        for start in range(0, len(pks), 2000):
            batch = m.Claim.objects.filter(pk__in=pks[start : start + 2000])
            # Count only the claims whose speaker changes (a "who" claim stays with none).
            batch = (
                batch.exclude(speaker_ref=speaker)
                if speaker
                else batch.exclude(speaker_ref__isnull=True)
            )
            relinked += batch.update(speaker_ref=speaker)
    if relinked:
        logger.info("link_speakers: %d claim(s) linked from %d name(s)", relinked, len(by_name))
    return relinked


@transaction.atomic
def merge_speakers(survivor, others, *, models=None) -> int:
    """Merge `others` into `survivor`: their spellings and claims move, they are deleted.

    Each merged speaker's own name stays known as an alias of the survivor. Returns the
    number of claims that moved.
    """
    m = models or _models()
    ids = [s.pk for s in others if s.pk != survivor.pk]
    if not ids:
        return 0
    m.SpeakerAlias.objects.filter(speaker_id__in=ids).update(speaker=survivor)
    for other in m.Speaker.objects.filter(pk__in=ids):
        if not m.SpeakerAlias.objects.filter(name=other.name).exists():
            _remember(m, other.name, survivor)
    moved = m.Claim.objects.filter(speaker_ref_id__in=ids).update(speaker_ref=survivor)
    m.Speaker.objects.filter(pk__in=ids).delete()
    return moved


# --- Track records --------------------------------------------------------------------------

# Merged claims count in their survivor, "not a claim" in nobody's record.
NOT_COUNTED = ("merged", "not_a_claim")


def with_track_record(speakers, *, models=None):
    """Annotate a Speaker queryset with its record (one grouped query, whatever its size).

    claim_count: claims made; kept / kept_late / missed / contradicted: claims with that
    status now; unresolved: still open, due soon or overdue; moved: claims whose history has
    a deadline move that applied and was not rejected. Merged and not-a-claim claims are
    left out.
    """
    m = models or _models()
    moved_claims = (
        m.StatusChange.objects.filter(reason="deadline_moved", applied=True)
        .exclude(review_state="rejected")
        .values("claim_id")
    )
    counted = ~Q(claims__status__in=NOT_COUNTED)

    def count(condition: Q | None = None) -> Count:
        return Count("claims", filter=counted & condition if condition else counted)

    # `claims__id IN (moved claims)`, not a join: a claim moved three times counts once
    # without COUNT(DISTINCT), and PostgreSQL hashes the subquery once (a DISTINCT join or
    # a correlated EXISTS took 3-5x as long on 100,000 claims).
    return speakers.annotate(
        claim_count=count(),
        kept=count(Q(claims__status="fulfilled")),
        kept_late=count(Q(claims__status="fulfilled_late")),
        missed=count(Q(claims__status="missed")),
        contradicted=count(Q(claims__status="contradicted")),
        unresolved=count(Q(claims__status__in=("open", "due_soon", "overdue"))),
        moved=count(Q(claims__id__in=moved_claims)),
    )


@dataclass(frozen=True)
class TrackRecord:
    speaker: str
    speaker_id: int
    claims: int
    kept: int
    kept_late: int
    missed: int
    moved: int
    contradicted: int
    unresolved: int

    @property
    def claims_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:claims_claim_changelist") + f"?speaker={self.speaker_id}"

    @property
    def speaker_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:claims_speaker_change", args=[self.speaker_id])


def track_records(*, limit: int = 30) -> list[TrackRecord]:
    """The speakers with the most claims, with their records (one query)."""
    m = _models()
    rows = (
        with_track_record(m.Speaker.objects.all())
        .filter(claim_count__gt=0)
        .order_by("-claim_count", "name", "pk")[:limit]
    )
    return [
        TrackRecord(
            speaker=s.name,
            speaker_id=s.pk,
            claims=s.claim_count,
            kept=s.kept,
            kept_late=s.kept_late,
            missed=s.missed,
            moved=s.moved,
            contradicted=s.contradicted,
            unresolved=s.unresolved,
        )
        for s in rows
    ]
