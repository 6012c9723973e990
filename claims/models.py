"""Claims, their mentions in articles, their append-only status history, and alerts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone


class ClaimStatus(models.TextChoices):
    OPEN = "open", "Open"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    FULFILLED = "fulfilled", "Fulfilled"
    FULFILLED_LATE = "fulfilled_late", "Fulfilled late"
    MISSED = "missed", "Missed"
    CONTRADICTED = "contradicted", "Contradicted"
    RETRACTED = "retracted", "Retracted"
    # Editors' closures that are not outcomes: the claim is kept, with its history.
    MERGED = "merged", "Merged into another claim"
    NOT_A_CLAIM = "not_a_claim", "Not a claim"
    # Superseded: a later statement set a new deadline for the same undertaking ("the
    # deadline was extended by 75 days"), tracked as its own claim.
    DEADLINE_MOVED = "deadline_moved", "Deadline moved"


# Statuses the hourly deadline check still moves.
ACTIVE_STATUSES = (ClaimStatus.OPEN, ClaimStatus.DUE_SOON, ClaimStatus.OVERDUE)
# Outcomes: only evidence or an editor moves a claim out of these.
FINAL_STATUSES = (
    ClaimStatus.FULFILLED,
    ClaimStatus.FULFILLED_LATE,
    ClaimStatus.MISSED,
    ClaimStatus.CONTRADICTED,
    ClaimStatus.RETRACTED,
)
# Closed by an editor without an outcome: merged into another claim, or not a claim at all
# (kept so extraction quality can count it). Neither time nor evidence moves them.
CLOSED_STATUSES = (ClaimStatus.MERGED, ClaimStatus.NOT_A_CLAIM)


class Speaker(models.Model):
    """One person or body who makes claims, however the news names them.

    "President Ilse Varga", "Varga" and "Kaldoran President Ilse Varga" are one speaker,
    named once (`name`); every spelling seen is a SpeakerAlias. Claims keep the speaker
    string the pipeline read (`Claim.speaker`) and point here through `Claim.speaker_ref`
    (claims.speakers links them; editors merge duplicates in the admin).
    """

    name = models.CharField(max_length=300, help_text="The name editors see.")
    name_set_by_editor = models.BooleanField(
        default=False,
        editable=False,
        help_text="An editor chose the name: a fuller spelling seen later does not replace it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """One way the news wrote a speaker ("President Varga"), or a string that names no one.

    `speaker` is empty for strings that are not a name ("who", "Her ministry"): remembered so
    the periodic linking does not judge them again.
    """

    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, null=True, blank=True, related_name="aliases"
    )
    name = models.CharField(max_length=300, unique=True, help_text="Exactly as written.")
    key = models.CharField(
        max_length=300, editable=False, help_text="The name without titles, normalised."
    )
    surname = models.CharField(max_length=100, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "speaker aliases"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from claims.speakers import clean_name, name_words

        self.name = clean_name(self.name)
        words = name_words(self.name)
        self.key, self.surname = " ".join(words)[:300], (words[-1] if words else "")[:100]
        super().save(*args, **kwargs)


class Claim(models.Model):
    """One real-world dated claim, however many articles and outlets report it."""

    statement = models.TextField(help_text="The claim as an editor would state it.")
    event = models.TextField(blank=True, help_text="What is supposed to happen.")
    speaker = models.CharField(
        max_length=300, blank=True, help_text="The speaker as the news named them."
    )
    speaker_ref = models.ForeignKey(
        Speaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name="speaker (linked)",
        help_text="Who that is: one speaker however the news spells the name.",
    )
    entities = models.JSONField(
        default=list, blank=True, help_text="Named entities, lower-cased, for candidate search."
    )
    negated = models.BooleanField(default=False, help_text='"will not …"')
    conditional = models.BooleanField(default=False, help_text='"if …, we will …"')

    status = models.CharField(
        max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.OPEN, editable=False
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    # The current deadline window (the last day by which it must happen, earliest … latest).
    deadline_earliest = models.DateField(null=True, blank=True)
    deadline_latest = models.DateField(null=True, blank=True)
    deadline_text = models.CharField(max_length=300, blank=True)
    deadline_value = models.CharField(max_length=100, blank=True, help_text="TIMEX3 value.")
    deadline_rule = models.TextField(blank=True)
    deadline_vague = models.BooleanField(default=False)
    deadline_moves = models.PositiveIntegerField(
        default=0, help_text="How often the deadline was reset to a later window."
    )

    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_mentioned_at = models.DateTimeField(null=True, blank=True)
    # One meaning: a machine proposal (a pending StatusChange) or a suggested mention waits
    # for an editor. Kept by claims.status.refresh_needs_review; cleared when both are settled.
    needs_review = models.BooleanField(
        default=False,
        help_text="A proposed status change or a suggested mention waits for an editor.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_claims",
        editable=False,
        help_text="Set when an editor merged this claim into another; its mentions moved there.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline_latest", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_earliest__isnull=True)
                | Q(deadline_latest__isnull=True)
                | Q(deadline_earliest__lte=F("deadline_latest")),
                name="claim_deadline_window_ordered",
            ),
        ]
        indexes = [
            # Hourly deadline check: claims still open/due soon/overdue by window end.
            models.Index(
                fields=["deadline_latest"],
                condition=Q(status__in=["open", "due_soon", "overdue"]),
                name="claim_active_deadline_idx",
            ),
            # Admin list filtered by status, newest deadlines first.
            models.Index(fields=["status", "deadline_latest"], name="claim_status_deadline_idx"),
            # Editors' review queue.
            models.Index(
                fields=["updated_at"], condition=Q(needs_review=True), name="claim_review_idx"
            ),
            # The admin claim list's default order: waiting for review first, then the
            # nearest deadline (open-ended last), newest first on ties (the changelist's -pk).
            models.Index(
                F("needs_review").desc(),
                F("deadline_latest").asc(),  # ascending B-tree keys sort nulls last in PostgreSQL
                F("id").desc(),
                name="claim_admin_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:120]


class ClaimMention(models.Model):
    """A sentence in an article that states a dated claim (or reports an event)."""

    class Kind(models.TextChoices):
        FORECAST = "forecast", "Forward-looking claim"
        EVENT_REPORT = "event_report", "Report of an event"

    class SpeakerKind(models.TextChoices):
        NAMED = "named", "Named person or body"
        PRONOUN = "pronoun", "Pronoun resolved to the last named speaker"
        ANONYMOUS = "anonymous", "Anonymous officials"
        REPORTER = "reporter", "The outlet itself"

    article = models.ForeignKey(
        "sources.Article", on_delete=models.CASCADE, related_name="claim_mentions"
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FORECAST)

    # Where it is: character offsets into article.text of the sentence.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    sentence = models.TextField()

    speaker = models.CharField(max_length=300, blank=True)
    speaker_kind = models.CharField(max_length=16, choices=SpeakerKind.choices, blank=True)
    cue = models.CharField(max_length=100, blank=True, help_text="will, expects, by, within …")
    statement = models.TextField(blank=True, help_text='The claim without "X said that".')
    event = models.TextField(blank=True)
    event_verb = models.CharField(max_length=50, blank=True, help_text="Lemma: sign, halt …")
    event_subject = models.CharField(
        max_length=100, blank=True, help_text="Lemma of the subject: ceasefire, talk …"
    )
    negated = models.BooleanField(default=False)
    conditional = models.BooleanField(default=False)
    confidence = models.FloatField(default=0.0)
    entities = models.JSONField(default=list, blank=True)

    # The temporal expression and its resolved window.
    timex_text = models.CharField(max_length=300, blank=True)
    timex_type = models.CharField(max_length=16, blank=True)
    timex_value = models.CharField(max_length=100, blank=True)
    timex_mod = models.CharField(max_length=32, blank=True)
    deadline_earliest = models.DateField(null=True, blank=True)
    deadline_latest = models.DateField(null=True, blank=True)
    deadline_rule = models.TextField(blank=True)
    deadline_vague = models.BooleanField(default=False)

    # Why it joined its claim: the score and its parts, for editors.
    match_score = models.FloatField(null=True, blank=True)
    match_detail = models.JSONField(default=dict, blank=True)
    suggested = models.BooleanField(
        default=False, help_text="Joined as a suggestion: an editor confirms or detaches it."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Editors' detaches stick: the matcher never re-joins a mention to these claims.
    detached_from = models.ManyToManyField(Claim, blank=True, related_name="detached_mentions")

    # Set when an edit of the article removed or changed this sentence.
    removed_in_version = models.ForeignKey(
        "sources.ArticleVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="removed_mentions",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            # Re-extracting an article never duplicates a mention.
            models.UniqueConstraint(fields=["article", "start", "end"], name="mention_unique_span"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="mention_span_ordered"),
        ]
        indexes = [
            # Editors' queue of suggested joins.
            models.Index(
                fields=["claim"], condition=Q(suggested=True), name="mention_suggested_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.sentence[:120]


@receiver(post_save, sender=ClaimMention, dispatch_uid="claims.mention_flags_review")
def _suggested_mention_flags_its_claim(sender, instance: ClaimMention, **kwargs) -> None:
    """A suggested join waits for an editor: its claim's review flag says so at once.

    Whoever saves the mention (the matcher, a replay, an import), the flag cannot lag; an
    editor's confirm or detach clears it again (claims.status.refresh_needs_review).
    """
    if instance.suggested and instance.claim_id is not None:
        Claim.objects.filter(pk=instance.claim_id, needs_review=False).update(needs_review=True)


class StatusChange(models.Model):
    """One move of a claim's status or deadline: append-only history with its evidence."""

    class Reason(models.TextChoices):
        CREATED = "created", "Claim first seen"
        DEADLINE_NEAR = "deadline_near", "Deadline near"
        DEADLINE_PASSED = "deadline_passed", "Deadline passed"
        GRACE_EXPIRED = "grace_expired", "Grace period expired"
        DEADLINE_MOVED = "deadline_moved", "Deadline moved"
        EVIDENCE_FULFILLED = "evidence_fulfilled", "Evidence of fulfilment"
        EVIDENCE_CONTRADICTED = "evidence_contradicted", "Evidence of contradiction"
        SOURCE_EDITED = "source_edited", "Source article edited"
        EDITOR = "editor", "Editor"

    class Review(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not needed"
        PENDING = "pending", "Waiting for an editor"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    # Fields that may change after the row is written; everything else is history.
    MUTABLE_FIELDS = frozenset(
        {"review_state", "reviewed_by", "reviewed_at", "review_note", "applied", "alerted_at"}
    )

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=ClaimStatus.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    reason = models.CharField(max_length=32, choices=Reason.choices)
    old_deadline_earliest = models.DateField(null=True, blank=True)
    old_deadline_latest = models.DateField(null=True, blank=True)
    new_deadline_earliest = models.DateField(null=True, blank=True)
    new_deadline_latest = models.DateField(null=True, blank=True)

    evidence_mention = models.ForeignKey(
        ClaimMention, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence_article = models.ForeignKey(
        "sources.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence_quote = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True, help_text="Scores, ids, rule text.")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system made the change.",
    )
    # recorded_at: when Claimwatch wrote it; effective_at: when it happened in the world
    # (the day the deal was signed, not the day we read about it). Replay sets both.
    recorded_at = models.DateTimeField(default=timezone.now)
    effective_at = models.DateTimeField(default=timezone.now)

    applied = models.BooleanField(
        default=True, help_text="False while a change waits for an editor before it applies."
    )
    review_state = models.CharField(
        max_length=16, choices=Review.choices, default=Review.NOT_NEEDED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim", "recorded_at", "id"]
        indexes = [
            # A claim's history, oldest first (admin inline, export).
            models.Index(fields=["claim", "recorded_at"], name="statuschange_claim_idx"),
            # Alert sweep: changes whose fan-out has not been handled yet.
            models.Index(
                fields=["recorded_at"],
                condition=Q(alerted_at__isnull=True),
                name="statuschange_unalerted_idx",
            ),
            # Editors' review queue of machine-proposed changes.
            models.Index(
                fields=["recorded_at"],
                condition=Q(review_state="pending"),
                name="statuschange_review_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.old_status or '∅'} → {self.new_status} ({self.reason})"

    def save(self, *args, **kwargs) -> None:
        """Append-only: once written, only review and alert bookkeeping may change."""
        if self.pk is not None and not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ValidationError(
                    "StatusChange is append-only; only review and alert fields can be updated "
                    f"(save(update_fields=...) with a subset of {sorted(self.MUTABLE_FIELDS)})."
                )
        super().save(*args, **kwargs)


class Subscription(models.Model):
    """Someone who wants email when claims change: one claim, a speaker, or everything."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "At once"
        DAILY = "daily", "Daily digest"

    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="claim_subscriptions",
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        help_text="Follow one claim. Empty: follow every claim matching the filters.",
    )
    speaker = models.CharField(max_length=300, blank=True, help_text="Only claims by this speaker.")
    keyword = models.CharField(max_length=200, blank=True, help_text="Only claims mentioning this.")

    class Changes(models.TextChoices):
        ALL = "all", "Every change"
        OUTCOMES = "outcomes", "Outcomes only (fulfilled, missed, contradicted …)"
        DEADLINES = "deadlines", "Deadline changes only (due soon, overdue, moved)"

    outlet = models.CharField(
        max_length=200, blank=True, help_text="Only claims reported by this outlet or source."
    )
    statuses = models.JSONField(
        default=list, blank=True, help_text="Only changes to these statuses (empty: all)."
    )
    changes = models.CharField(
        max_length=16,
        choices=Changes.choices,
        default=Changes.ALL,
        help_text="Which changes to announce.",
    )
    frequency = models.CharField(
        max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="Daily digest: the hour (0-23) in the subscriber's time zone.",
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA name, e.g. Europe/Berlin."
    )
    is_active = models.BooleanField(default=True)
    unsubscribe_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Following the same claim twice would send every alert twice.
            models.UniqueConstraint(
                fields=["email", "claim"],
                condition=Q(claim__isnull=False),
                name="subscription_unique_claim",
            ),
        ]

    def __str__(self) -> str:
        if self.claim_id:
            target = f"claim {self.claim_id}"
        elif self.speaker or self.keyword or self.outlet:
            target = ", ".join(
                f"{k} {v!r}"
                for k, v in (
                    ("speaker", self.speaker),
                    ("keyword", self.keyword),
                    ("outlet", self.outlet),
                )
                if v
            )
        else:
            target = "everything"
        return f"{self.email} → {target}"

    def clean(self) -> None:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError({"time_zone": f"Unknown time zone {self.time_zone!r}."}) from exc


class AlertDelivery(models.Model):
    """The outbox: one email to one subscription about one status change."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status_change = models.ForeignKey(
        StatusChange, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Fan-out run twice (or by two workers) records one delivery per recipient.
            models.UniqueConstraint(
                fields=["subscription", "status_change"], name="alertdelivery_unique"
            ),
        ]
        verbose_name_plural = "alert deliveries"
        indexes = [
            # Sweep of stuck alerts: pending/sending rows not touched for a while.
            models.Index(
                fields=["updated_at"],
                condition=Q(state__in=["pending", "sending"]),
                name="alertdelivery_stuck_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription.email}: {self.status_change} [{self.state}]"


class ClaimKey(models.Model):
    """One search key of a claim: a stemmed content word or an ``ent:`` entity name.

    Written only by `claims.matching.candidates.index_claim`; the candidate search looks up
    the claims that share a new mention's rarest keys, so rapidfuzz scores hundreds of
    claims, not all.
    """

    # No separate claim_id index: the unique (claim, key) constraint below starts with claim.
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="search_keys", db_index=False
    )
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            # Re-indexing a claim never duplicates a key; also serves "the keys of claim C"
            # (WHERE claim_id = C) when index_claim replaces a claim's keys.
            models.UniqueConstraint(fields=["claim", "key"], name="claimkey_unique"),
        ]
        indexes = [
            # Candidate search: WHERE key IN (...) GROUP BY claim_id, and the capped document
            # frequency count WHERE key = K LIMIT n; both index-only on (key, claim).
            models.Index(fields=["key", "claim"], name="claimkey_key_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.key}"


class ClaimSearch(models.Model):
    """What the candidate search needs of a claim beyond Claim's own fields.

    `normalized_text` is the statement as `matching.normalize_text` leaves it, so scoring a
    candidate skips the raw-text clean-up; `keys_count` is how many ClaimKey rows it has.
    """

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    normalized_text = models.TextField()
    keys_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.normalized_text[:80]}"
