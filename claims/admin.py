"""Admin for claims: the editors' workspace (list, filters, claim page, decisions).

Every decision goes through `claims.editing` (and from there `claims.status`, the only
writer of a claim's status): an action on the list, or a button on the claim page, first
shows a page with the claims concerned and an optional note, then applies. Permissions:
the Editor group may change claims, mentions and review status changes; the Viewer group
only sees (migration 0009). Every action declares `allowed_permissions`; every custom view
checks the same permission before it shows or applies anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from claims import editing, speakers
from claims.models import (
    ACTIVE_STATUSES,
    Claim,
    ClaimMention,
    ClaimStatus,
    Speaker,
    SpeakerAlias,
    StatusChange,
)
from claims.workspace import status_badge
from sources import admin as source_admin
from sources.models import Article

# The parts of a match score (claims.matching.score_pair), in editors' words.
MATCH_PART_LABELS = {
    "text": "wording",
    "content_overlap": "shared words",
    "token_sort": "same words, any order",
    "token_set": "word sets",
    "partial": "partial wording",
    "event": "event phrase",
    "verb": "event verb",
    "entities": "names",
    "speaker": "speaker",
    "window": "deadline window",
    "negation": "negation differs",
    "same_article": "same article",
    "via_mention": "compared with mention",
}

# Selecting across pages can reach every claim; the confirmation page lists what it changes.
MAX_DECISION_CLAIMS = 200


# --- Readable renderings (no raw JSON where an editor looks) ---


def window_text(earliest: dt.date | None, latest: dt.date | None) -> str:
    if not latest and not earliest:
        return "open-ended"
    latest = latest or earliest
    if earliest and earliest != latest:
        if earliest.year == latest.year:
            return f"{earliest:%-d %b} – {latest:%-d %b %Y}"
        return f"{earliest:%-d %b %Y} – {latest:%-d %b %Y}"
    return f"{latest:%-d %b %Y}"


def readable_value(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, list | tuple):
        return ", ".join(readable_value(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(
            f"{key.replace('_', ' ')}: {readable_value(v)}" for key, v in value.items()
        )
    if value is None or value == "":
        return "—"
    return str(value)


def readable_detail(detail) -> str:
    """A JSON detail as a line of `key: value` pairs."""
    if not detail:
        return "—"
    if not isinstance(detail, dict):
        return readable_value(detail)
    return format_html_join(
        "; ", "{}: {}", ((key.replace("_", " "), readable_value(v)) for key, v in detail.items())
    )


# The parts shown on the claim page; the finer text measures are on hover.
MAIN_MATCH_PARTS = ("text", "event", "verb", "window", "speaker", "entities", "negation")


def readable_match(score: float | None, parts) -> str:
    if score is None:
        return "—"
    if not isinstance(parts, dict) or not parts:
        return f"{score:.1f}"

    def label(key):
        return MATCH_PART_LABELS.get(key, key.replace("_", " "))

    main = [
        (label(key), readable_value(parts[key]))
        for key in (*MAIN_MATCH_PARTS, "same_article")
        if key in parts
    ]
    everything = " · ".join(
        f"{label(key)} {readable_value(value)}"
        for key, value in parts.items()
        if key != "detached_by"
    )
    return format_html(
        '<span title="{}"><strong>{}</strong><br><small>{}</small></span>',
        everything,
        f"{score:.1f}",
        format_html_join(" · ", "{} {}", main),
    )


def highlighted_quote(sentence: str, phrase: str) -> str:
    """The sentence with its time expression marked, e.g. "… by <mark>Friday</mark>"."""
    if sentence[:1] in "\"“'‘" or sentence[-1:] in "\"”'’":
        open_quote = close_quote = ""  # the sentence carries its own quotation marks
    else:
        open_quote, close_quote = "“", "”"
    if phrase:
        at = sentence.lower().find(phrase.lower())
        if at >= 0:
            return format_html(
                "{}{}<mark>{}</mark>{}{}",
                open_quote,
                sentence[:at],
                sentence[at : at + len(phrase)],
                sentence[at + len(phrase) :],
                close_quote,
            )
    return format_html("{}{}{}", open_quote, sentence, close_quote)


# --- Filters ---


class DeadlineFilter(admin.SimpleListFilter):
    title = "deadline"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("lapsed_recent", "Lapsed since yesterday"),
            ("lapsed", "Lapsed, still unresolved"),
            ("week", "Due this week"),
            ("month", "Due in the next 30 days"),
            ("none", "Open-ended (no deadline)"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "lapsed_recent":
            # The window's last day was yesterday: it lapsed overnight, unresolved or not.
            return queryset.filter(deadline_latest=today - dt.timedelta(days=1))
        if value == "lapsed":
            return queryset.filter(status__in=ACTIVE_STATUSES, deadline_latest__lt=today)
        if value == "week":
            sunday = today + dt.timedelta(days=6 - today.weekday())
            return queryset.filter(deadline_latest__gte=today, deadline_latest__lte=sunday)
        if value == "month":
            return queryset.filter(
                deadline_latest__gte=today, deadline_latest__lte=today + dt.timedelta(days=30)
            )
        if value == "none":
            return queryset.filter(deadline_latest__isnull=True, deadline_earliest__isnull=True)
        return queryset


class SpeakerFilter(admin.SimpleListFilter):
    """The speakers with the most claims (one Speaker however the news spelt the name)."""

    title = "speaker"
    parameter_name = "speaker"
    TOP = 15

    def lookups(self, request, model_admin):
        top = (
            Speaker.objects.annotate(n=Count("claims"))
            .filter(n__gt=0)
            .order_by("-n", "name")
            .values_list("pk", "name", "n")[: self.TOP]
        )
        choices = [(str(pk), f"{name} ({n})") for pk, name, n in top]
        chosen = self.value()
        if chosen and chosen.isdigit() and chosen not in {value for value, _ in choices}:
            speaker = Speaker.objects.filter(pk=chosen).first()
            if speaker is not None:
                choices.append((chosen, speaker.name))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(speaker_ref=value)
        # A name in the URL (?speaker=Mayor+Drobek): the speaker it is a spelling of.
        alias = SpeakerAlias.objects.filter(name=value, speaker__isnull=False).first()
        if alias is not None:
            return queryset.filter(speaker_ref=alias.speaker_id)
        return queryset.filter(speaker=value)


class OutletFilter(admin.SimpleListFilter):
    """Claims reported by an outlet (any of their mentions' articles)."""

    title = "outlet"
    parameter_name = "outlet"
    TOP = 15

    def lookups(self, request, model_admin):
        top = (
            Article.objects.exclude(outlet="")
            .values("outlet")
            .annotate(n=Count("id"))
            .order_by("-n", "outlet")[: self.TOP]
        )
        choices = [(row["outlet"], row["outlet"]) for row in top]
        if self.value() and self.value() not in {value for value, _ in choices}:
            choices.append((self.value(), self.value()))
        return choices

    def queryset(self, request, queryset):
        if self.value():
            reported = ClaimMention.objects.filter(
                claim=OuterRef("pk"), article__outlet=self.value()
            )
            return queryset.filter(Exists(reported))
        return queryset


# --- Decision forms (the intermediate page of every action) ---


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Optional: why, and where the evidence is. Kept in the claim's history.",
    )

    def __init__(self, *args, claims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = list(claims)


class OutcomeForm(NoteForm):
    effective_on = forms.DateField(
        required=False,
        label="Happened on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day it happened in the world, if known (not the day we read about it).",
    )


class DeadlineForm(NoteForm):
    earliest = forms.DateField(
        required=False,
        label="Window starts",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: the deadline is one day.",
    )
    latest = forms.DateField(
        label="Deadline (last day)", widget=forms.DateInput(attrs={"type": "date"})
    )
    phrase = forms.CharField(
        required=False, max_length=300, help_text='How it was said, e.g. "by the end of June".'
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.fields["note"].label = "Reason"
        self.fields["note"].help_text = "Why the deadline changes; kept as the deadline move."

    def clean(self):
        data = super().clean()
        earliest, latest = data.get("earliest"), data.get("latest")
        if earliest and latest and earliest > latest:
            raise forms.ValidationError("The window cannot start after its last day.")
        return data


class MergeForm(NoteForm):
    survivor = forms.TypedChoiceField(
        coerce=int, label="Keep", help_text="The others are merged into this claim."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (claim.pk, f"#{claim.pk}: {claim.statement[:100]}") for claim in self.claims
        ]
        if self.claims:
            self.fields["survivor"].initial = self.claims[0].pk

    def clean(self):
        data = super().clean()
        if len(self.claims) < 2:
            raise forms.ValidationError("Select at least two claims to merge.")
        closed = [c.pk for c in self.claims if c.status == ClaimStatus.MERGED]
        if closed:
            raise forms.ValidationError(
                f"Already merged into another claim: {', '.join(f'#{pk}' for pk in closed)}."
            )
        return data


@dataclass(frozen=True)
class Decision:
    """One editor's decision on claims: its label, the form it asks, what it does."""

    name: str
    label: str
    form: type[NoteForm]
    status: str | None = None
    button: str = "Apply"
    explanation: str = ""


DECISIONS = {
    d.name: d
    for d in (
        Decision(
            "mark_fulfilled",
            "Mark fulfilled (inside the deadline)",
            OutcomeForm,
            ClaimStatus.FULFILLED,
        ),
        Decision(
            "mark_fulfilled_late", "Mark fulfilled late", OutcomeForm, ClaimStatus.FULFILLED_LATE
        ),
        Decision("mark_missed", "Mark missed", OutcomeForm, ClaimStatus.MISSED),
        Decision("mark_contradicted", "Mark contradicted", OutcomeForm, ClaimStatus.CONTRADICTED),
        Decision(
            "mark_retracted", "Mark retracted by the speaker", OutcomeForm, ClaimStatus.RETRACTED
        ),
        Decision(
            "reopen",
            "Reopen",
            NoteForm,
            ClaimStatus.OPEN,
            explanation="The claim goes back on the time-driven path: open, due soon, overdue "
            "or missed as its deadline says.",
        ),
        Decision(
            "mark_not_a_claim",
            "Not a claim (keep it, flagged)",
            NoteForm,
            ClaimStatus.NOT_A_CLAIM,
            explanation="The claim is kept with its mentions (extraction quality counts it) but "
            "no longer tracked or announced.",
        ),
        Decision(
            "change_deadline",
            "Change the deadline",
            DeadlineForm,
            explanation="Recorded as a deadline move with your reason; a claim still on the "
            "time-driven path follows its new deadline.",
        ),
        Decision(
            "merge_claims",
            "Merge claims",
            MergeForm,
            button="Merge",
            explanation="The mentions of the other claims move to the one you keep; the others "
            'become "merged into #N" (not retracted) and later mentions join the survivor.',
        ),
    )
}


def _apply_decision(decision: Decision, claims: list[Claim], data: dict, editor) -> str:
    """Carry out a validated decision; returns the message for the editor."""
    note = data.get("note", "")
    if decision.name == "merge_claims":
        survivor = next(c for c in claims if c.pk == data["survivor"])
        others = [c for c in claims if c.pk != survivor.pk]
        moved = editing.merge_claims(survivor, others, editor=editor, note=note)
        merged = ", ".join(f"#{c.pk}" for c in others)
        return f"Merged {merged} into claim #{survivor.pk}; {moved} mention(s) moved."
    if decision.name == "change_deadline":
        changed = sum(
            editing.change_deadline(
                claim,
                earliest=data.get("earliest"),
                latest=data["latest"],
                editor=editor,
                reason=note,
                phrase=data.get("phrase", ""),
            )
            is not None
            for claim in claims
        )
        return f"Deadline changed on {changed} claim(s)."
    changed = skipped = 0
    for claim in claims:
        try:
            change = editing.set_status(
                claim,
                decision.status,
                editor=editor,
                note=note,
                effective_on=data.get("effective_on"),
            )
        except ValueError:
            skipped += 1
            continue
        changed += change is not None
    label = ClaimStatus(decision.status).label.lower()
    message = f"{changed} claim(s) now {label}."
    if skipped:
        message += f" {skipped} merged claim(s) left as they are."
    return message


# --- Inlines on the claim page ---


class StatusChangeInline(admin.TabularInline):
    """The history, newest first, read-only; a pending proposal offers accept / reject."""

    model = StatusChange
    extra = 0
    fields = (
        "when",
        "move",
        "reason_text",
        "deadline_change",
        "evidence",
        "who",
        "review",
    )
    readonly_fields = fields
    ordering = ("-recorded_at", "-id")
    can_delete = False
    verbose_name = "status change"
    verbose_name_plural = "status history"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("actor", "reviewed_by", "evidence_article", "evidence_mention")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="recorded")
    def when(self, obj: StatusChange) -> str:
        recorded = timezone.localtime(obj.recorded_at)
        text = f"{recorded:%-d %b %Y %H:%M}"
        if obj.effective_at and obj.effective_at.date() != obj.recorded_at.date():
            text += f" (happened {timezone.localtime(obj.effective_at):%-d %b %Y})"
        return text

    @admin.display(description="status")
    def move(self, obj: StatusChange) -> str:
        new = status_badge(obj.new_status)
        if obj.old_status and obj.old_status != obj.new_status:
            return format_html("{} → {}", status_badge(obj.old_status), new)
        return new

    @admin.display(description="why")
    def reason_text(self, obj: StatusChange) -> str:
        detail = obj.detail or {}
        extra = {k: v for k, v in detail.items() if k not in ("note",)}
        return format_html(
            "{}<br><small>{}</small>", obj.get_reason_display(), readable_detail(extra)
        )

    @admin.display(description="deadline")
    def deadline_change(self, obj: StatusChange) -> str:
        old = (obj.old_deadline_earliest, obj.old_deadline_latest)
        new = (obj.new_deadline_earliest, obj.new_deadline_latest)
        if obj.old_status and old != new:
            return f"{window_text(*old)} → {window_text(*new)}"
        return window_text(*new)

    @admin.display(description="evidence")
    def evidence(self, obj: StatusChange) -> str:
        quote = obj.evidence_quote[:300]
        if obj.evidence_article_id:
            article = obj.evidence_article
            url = reverse("admin:sources_article_change", args=[article.pk])
            outside = (
                format_html(
                    ' · <a href="{}" rel="noreferrer" target="_blank">source ↗</a>', article.url
                )
                if article.url
                else ""
            )
            return format_html(
                '{}<br><small><a href="{}">{}</a>{}</small>',
                f"“{quote}”" if quote else "",
                url,
                article.outlet or article.title[:60] or "article",
                outside,
            )
        return quote or "—"

    @admin.display(description="by")
    def who(self, obj: StatusChange) -> str:
        return obj.actor.get_username() if obj.actor else "Claimwatch"

    @admin.display(description="review")
    def review(self, obj: StatusChange) -> str:
        if obj.review_state != StatusChange.Review.PENDING:
            if obj.reviewed_by:
                return f"{obj.get_review_state_display()} by {obj.reviewed_by.get_username()}"
            return (
                ""
                if obj.review_state == StatusChange.Review.NOT_NEEDED
                else obj.get_review_state_display()
            )
        applied = "applied, " if obj.applied else "not applied yet, "
        return format_html(
            '{}waiting<br><a class="button" href="{}">Accept…</a> '
            '<a class="button" href="{}">Reject…</a>',
            applied,
            reverse("admin:claims_statuschange_review", args=[obj.pk, "accept"]),
            reverse("admin:claims_statuschange_review", args=[obj.pk, "reject"]),
        )


class ClaimMentionInline(admin.TabularInline):
    """Every sentence that states the claim, with why it joined; confirm or detach each."""

    model = ClaimMention
    fk_name = "claim"
    extra = 0
    fields = ("quote", "source", "speaker_text", "match", "membership")
    readonly_fields = fields
    can_delete = False
    verbose_name = "mention"
    verbose_name_plural = "mentions in the news"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        others = (
            ClaimMention.objects.filter(claim=OuterRef("claim"))
            .exclude(pk=OuterRef("pk"))
            .order_by()
            .values("claim")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("article", "confirmed_by")
            # Other mentions of the same claim: only then can this one be split off.
            .annotate(siblings=Coalesce(Subquery(others, output_field=IntegerField()), 0))
            .order_by("article__published_at", "start")
        )

    @admin.display(description="quote (time expression marked)")
    def quote(self, obj: ClaimMention) -> str:
        removed = " <em>(removed by a later edit)</em>" if obj.removed_in_version_id else ""
        window = window_text(obj.deadline_earliest, obj.deadline_latest)
        return format_html(
            '{}{}<br><small title="{}">deadline: {}</small>',
            highlighted_quote(obj.sentence, obj.timex_text),
            mark_safe(removed),  # noqa: S308 - a constant string
            obj.deadline_rule,
            window,
        )

    @admin.display(description="outlet, date")
    def source(self, obj: ClaimMention) -> str:
        article = obj.article
        published = (
            f"{timezone.localtime(article.published_at):%-d %b %Y}" if article.published_at else ""
        )
        outside = (
            format_html('<br><a href="{}" rel="noreferrer" target="_blank">read ↗</a>', article.url)
            if article.url
            else ""
        )
        return format_html(
            '<a href="{}">{}</a><br><small>{}</small>{}',
            reverse("admin:sources_article_change", args=[article.pk]),
            article.outlet or article.title[:60] or "article",
            published,
            outside,
        )

    @admin.display(description="speaker")
    def speaker_text(self, obj: ClaimMention) -> str:
        if obj.speaker_kind and obj.speaker_kind != ClaimMention.SpeakerKind.NAMED:
            return format_html(
                "{}<br><small>{}</small>", obj.speaker or "—", obj.get_speaker_kind_display()
            )
        return obj.speaker or "—"

    @admin.display(description="match score and its parts")
    def match(self, obj: ClaimMention) -> str:
        if obj.match_score is None:
            return "first mention" if not obj.match_detail else readable_detail(obj.match_detail)
        return readable_match(obj.match_score, obj.match_detail)

    @admin.display(description="joined")
    def membership(self, obj: ClaimMention) -> str:
        detach = reverse("admin:claims_claimmention_decide", args=[obj.pk, "detach"])
        if obj.suggested:
            confirm = reverse("admin:claims_claimmention_decide", args=[obj.pk, "confirm"])
            return format_html(
                'suggested<br><a class="button" href="{}">Confirm…</a> '
                '<a class="button" href="{}">Detach…</a>',
                confirm,
                detach,
            )
        who = f" by {obj.confirmed_by.get_username()}" if obj.confirmed_by else ""
        if obj.kind == ClaimMention.Kind.FORECAST and obj.siblings:
            split = reverse("admin:claims_claimmention_decide", args=[obj.pk, "split"])
            return format_html(
                'confirmed{}<br><a href="{}">Detach…</a> · <a href="{}">Split into its own '
                "claim…</a>",
                who,
                detach,
                split,
            )
        return format_html('confirmed{}<br><a href="{}">Detach…</a>', who, detach)


# --- The claim list and page ---


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = (
        "statement_column",
        "speaker_column",
        "status_column",
        "deadline_column",
        "outlets_column",
        "last_change",
        "review_flag",
    )
    list_display_links = ("statement_column",)
    list_filter = (
        "status",
        DeadlineFilter,
        "needs_review",
        SpeakerFilter,
        OutletFilter,
    )
    search_fields = ("statement", "speaker", "speaker_ref__name", "mentions__sentence")
    list_select_related = ("speaker_ref",)
    search_help_text = "Searches the statement, the quoted sentences and the speaker."
    list_per_page = 50
    show_full_result_count = False  # counting 100,000 claims twice per page is wasted time
    inlines = (ClaimMentionInline, StatusChangeInline)
    actions = tuple(DECISIONS)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("status_text", "status_changed_at"),
                    "review_text",
                    "merged_text",
                )
            },
        ),
        (
            "Deadline",
            {
                "fields": (
                    ("deadline_phrase", "deadline_window"),
                    "deadline_explained",
                    "deadline_moves",
                ),
                "description": "The deadline changes only through “Change the deadline…”, so "
                "every move is in the history with its reason.",
            },
        ),
        (
            "The claim",
            {
                "fields": (
                    "statement",
                    "event",
                    ("speaker", "speaker_link"),
                    ("negated", "conditional"),
                )
            },
        ),
        (
            "Record",
            {
                "classes": ("collapse",),
                "fields": (
                    "names",
                    "first_seen_at",
                    "last_mentioned_at",
                    "created_at",
                    "updated_at",
                ),
            },
        ),
    )
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 90})},
    }
    readonly_fields = (
        "speaker_link",
        "status_text",
        "status_changed_at",
        "merged_text",
        "review_text",
        "deadline_phrase",
        "deadline_window",
        "deadline_explained",
        "deadline_moves",
        "names",
        "first_seen_at",
        "last_mentioned_at",
        "created_at",
        "updated_at",
    )

    # --- permissions: claims come from articles; statuses and deadlines from decisions ---

    def has_add_permission(self, request):
        return False

    # --- the list ---

    def get_queryset(self, request):
        outlets = (
            ClaimMention.objects.filter(claim=OuterRef("pk"), removed_in_version__isnull=True)
            .order_by()
            .values("claim")
            .annotate(n=Count("article__outlet", distinct=True))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(outlets_count=Coalesce(Subquery(outlets, output_field=IntegerField()), 0))
        )

    def get_ordering(self, request):
        # Waiting for review first, then the nearest deadline; open-ended claims last.
        return [F("needs_review").desc(), F("deadline_latest").asc(nulls_last=True)]

    @admin.display(description="claim", ordering="statement")
    def statement_column(self, obj: Claim) -> str:
        text = obj.statement if len(obj.statement) <= 220 else obj.statement[:217] + "…"
        if obj.merged_into_id:
            return format_html("{}<br><small>merged into #{}</small>", text, obj.merged_into_id)
        return text

    @admin.display(description="speaker", ordering="speaker_ref__name")
    def speaker_column(self, obj: Claim) -> str:
        if obj.speaker_ref is None:
            return obj.speaker or "—"
        if obj.speaker and obj.speaker != obj.speaker_ref.name:
            return format_html(
                '{}<br><small title="as the news named them">“{}”</small>',
                obj.speaker_ref.name,
                obj.speaker,
            )
        return obj.speaker_ref.name

    @admin.display(description="status", ordering="status")
    def status_column(self, obj: Claim) -> str:
        return status_badge(obj.status)

    @admin.display(description="deadline", ordering=F("deadline_latest").asc(nulls_last=True))
    def deadline_column(self, obj: Claim) -> str:
        window = window_text(obj.deadline_earliest, obj.deadline_latest)
        vague = "≈ " if obj.deadline_vague else ""
        if obj.deadline_text:
            return format_html(
                '<span title="{}">“{}”<br><small>{}{}</small></span>',
                obj.deadline_rule or "",
                obj.deadline_text,
                vague,
                window,
            )
        return format_html('<span title="{}">{}{}</span>', obj.deadline_rule or "", vague, window)

    @admin.display(description="outlets", ordering="outlets_count")
    def outlets_column(self, obj: Claim) -> int:
        return obj.outlets_count

    @admin.display(description="last change", ordering="status_changed_at")
    def last_change(self, obj: Claim) -> str:
        if not obj.status_changed_at:
            return "—"
        at = timezone.localtime(obj.status_changed_at)
        return format_html("{}<br><small>{}</small>", f"{at:%-d %b %Y}", f"{at:%H:%M}")

    @admin.display(description="review", ordering="needs_review")
    def review_flag(self, obj: Claim) -> str:
        if not obj.needs_review:
            return ""
        return format_html(
            '<span class="cw-review-flag" title="{}">⚑ waiting</span>',
            "A proposed change or a suggested mention waits for an editor",
        )

    # --- the claim page ---

    @admin.display(description="status")
    def status_text(self, obj: Claim) -> str:
        return status_badge(obj.status)

    @admin.display(description="who that is")
    def speaker_link(self, obj: Claim) -> str:
        if obj.speaker_ref_id is None:
            return "not a named speaker" if obj.speaker else "—"
        url = reverse("admin:claims_speaker_change", args=[obj.speaker_ref_id])
        return format_html('<a href="{}">{}</a> (track record, spellings)', url, obj.speaker_ref)

    @admin.display(description="merged into")
    def merged_text(self, obj: Claim) -> str:
        if not obj.merged_into_id:
            return "—"
        url = reverse("admin:claims_claim_change", args=[obj.merged_into_id])
        return format_html('<a href="{}">claim #{}</a>', url, obj.merged_into_id)

    @admin.display(description="needs review")
    def review_text(self, obj: Claim) -> str:
        if not obj.needs_review:
            return "No: nothing waits for an editor."
        pending = obj.status_changes.filter(review_state=StatusChange.Review.PENDING).count()
        suggested = obj.mentions.filter(suggested=True).count()
        return f"Yes: {pending} proposed change(s), {suggested} suggested mention(s) below."

    @admin.display(description="as said")
    def deadline_phrase(self, obj: Claim) -> str:
        return f"“{obj.deadline_text}”" if obj.deadline_text else "—"

    @admin.display(description="window")
    def deadline_window(self, obj: Claim) -> str:
        text = window_text(obj.deadline_earliest, obj.deadline_latest)
        if obj.deadline_vague:
            text += " (vague: an estimate)"
        if obj.deadline_value:
            text += f" · TIMEX3 {obj.deadline_value}"
        return text

    @admin.display(description="how the date was worked out")
    def deadline_explained(self, obj: Claim) -> str:
        return obj.deadline_rule or "—"

    @admin.display(description="names in the claim")
    def names(self, obj: Claim) -> str:
        return readable_value(obj.entities)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "speaker" in form.changed_data:  # a corrected name: who that is follows it
            speakers.link_claim(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        claim = self.get_object(request, object_id)
        if claim is not None and self.has_change_permission(request, claim):
            extra_context["decisions"] = [
                (d.label, reverse("admin:claims_claim_decide", args=[claim.pk, d.name]))
                for d in DECISIONS.values()
                if d.name != "merge_claims"
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    # --- decisions: list actions (selected claims) and the claim page's buttons (one claim) ---

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:claim_id>/decide/<str:name>/", decide, name="claims_claim_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, claim_id: int, name: str):
        """One decision on one claim: its page with the form, then apply and go back."""
        decision = DECISIONS.get(name)
        if decision is None or decision.name == "merge_claims":
            raise Http404("No such decision.")
        claim = get_object_or_404(Claim, pk=claim_id)
        if not self.has_change_permission(request, claim):
            raise PermissionDenied
        back = reverse("admin:claims_claim_change", args=[claim.pk])
        form = decision.form(request.POST if request.method == "POST" else None, claims=[claim])
        if request.method == "POST" and form.is_valid():
            self._carry_out(request, decision, [claim], form.cleaned_data)
            return HttpResponseRedirect(back)
        return self._decision_page(request, decision, [claim], form, cancel_url=back)

    def _carry_out(self, request, decision: Decision, claims: list[Claim], data: dict) -> None:
        message = _apply_decision(decision, claims, data, request.user)
        note = data.get("note", "")
        for claim in claims:
            self.log_change(request, claim, f"{decision.label}. {note}".strip())
        self.message_user(request, message, messages.SUCCESS)

    def _decision_page(self, request, decision: Decision, claims, form, *, cancel_url, selected=()):
        context = {
            **self.admin_site.each_context(request),
            "title": decision.label,
            "decision": decision,
            "claims": [
                {
                    "claim": claim,
                    "badge": status_badge(claim.status),
                    "window": window_text(claim.deadline_earliest, claim.deadline_latest),
                }
                for claim in claims
            ],
            "form": form,
            "opts": self.model._meta,
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/decision.html", context)

    def _decide_selected(self, request, queryset, name: str):
        decision = DECISIONS[name]
        claims = list(queryset.order_by("pk")[: MAX_DECISION_CLAIMS + 1])
        if len(claims) > MAX_DECISION_CLAIMS:
            self.message_user(
                request, f"Select at most {MAX_DECISION_CLAIMS} claims at a time.", messages.WARNING
            )
            return None
        if "apply" in request.POST:
            form = decision.form(request.POST, claims=claims)
            if form.is_valid():
                self._carry_out(request, decision, claims, form.cleaned_data)
                return None
        else:
            form = decision.form(claims=claims)
        return self._decision_page(
            request,
            decision,
            claims,
            form,
            cancel_url=reverse("admin:claims_claim_changelist"),
            selected=[claim.pk for claim in claims],
        )

    @admin.action(description=DECISIONS["mark_fulfilled"].label + "…", permissions=["change"])
    def mark_fulfilled(self, request, queryset):
        return self._decide_selected(request, queryset, "mark_fulfilled")

    @admin.action(description=DECISIONS["mark_fulfilled_late"].label + "…", permissions=["change"])
    def mark_fulfilled_late(self, request, queryset):
        return self._decide_selected(request, queryset, "mark_fulfilled_late")

    @admin.action(description=DECISIONS["mark_missed"].label + "…", permissions=["change"])
    def mark_missed(self, request, queryset):
        return self._decide_selected(request, queryset, "mark_missed")

    @admin.action(description=DECISIONS["mark_contradicted"].label + "…", permissions=["change"])
    def mark_contradicted(self, request, queryset):
        return self._decide_selected(request, queryset, "mark_contradicted")

    @admin.action(description=DECISIONS["mark_retracted"].label + "…", permissions=["change"])
    def mark_retracted(self, request, queryset):
        return self._decide_selected(request, queryset, "mark_retracted")

    @admin.action(description=DECISIONS["reopen"].label + "…", permissions=["change"])
    def reopen(self, request, queryset):
        return self._decide_selected(request, queryset, "reopen")

    @admin.action(description=DECISIONS["mark_not_a_claim"].label + "…", permissions=["change"])
    def mark_not_a_claim(self, request, queryset):
        return self._decide_selected(request, queryset, "mark_not_a_claim")

    @admin.action(description=DECISIONS["change_deadline"].label + "…", permissions=["change"])
    def change_deadline(self, request, queryset):
        return self._decide_selected(request, queryset, "change_deadline")

    @admin.action(description="Merge the selected claims…", permissions=["change"])
    def merge_claims(self, request, queryset):
        return self._decide_selected(request, queryset, "merge_claims")


# --- Mentions ---


# The decisions on one mention: the confirmation page's words and the message's verb.
MENTION_DECISIONS = {
    "confirm": {
        "title": "Confirm the suggested join",
        "explanation": "The mention becomes a plain member of its claim.",
        "button": "Confirm",
        "done": "confirmed",
    },
    "detach": {
        "title": "Detach from its claim",
        "explanation": "The mention leaves its claim for good (the matcher never puts it back "
        "there) and is matched again: it joins another claim or starts its own.",
        "button": "Detach",
        "done": "detached",
    },
    "split": {
        "title": "Split into its own claim",
        "explanation": "The sentence states another claim: it leaves this claim for good and "
        "starts a new claim of its own, with its own deadline and status. Both claims' "
        "histories record the split with your note.",
        "button": "Split",
        "done": "split into claims of their own",
    },
}


class MentionDecisionForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Optional: why. Kept in the admin history of the mention.",
    )


@admin.register(ClaimMention)
class ClaimMentionAdmin(admin.ModelAdmin):
    """Every extracted sentence; suggested joins first. Read-only: extraction wrote it."""

    list_display = ("quote", "claim_link", "outlet", "published", "score", "suggested")
    list_filter = ("suggested", "kind", "speaker_kind")
    search_fields = ("sentence", "speaker", "article__outlet")
    list_select_related = ("article", "claim")
    list_per_page = 50
    show_full_result_count = False
    ordering = ("-suggested", "-created_at", "-id")
    actions = ("confirm_mentions", "detach_mentions", "split_mentions")
    fields = (
        "quote",
        "claim_link",
        "kind",
        "speaker_line",
        "source_line",
        "deadline_line",
        "score_line",
        "membership",
        "flags",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.display(description="sentence")
    def quote(self, obj: ClaimMention) -> str:
        return highlighted_quote(obj.sentence, obj.timex_text)

    @admin.display(description="claim")
    def claim_link(self, obj: ClaimMention) -> str:
        if not obj.claim_id:
            return "—"
        url = reverse("admin:claims_claim_change", args=[obj.claim_id])
        return format_html('<a href="{}">#{}: {}</a>', url, obj.claim_id, str(obj.claim)[:80])

    @admin.display(description="outlet", ordering="article__outlet")
    def outlet(self, obj: ClaimMention) -> str:
        return obj.article.outlet or "—"

    @admin.display(description="published", ordering="article__published_at")
    def published(self, obj: ClaimMention) -> str:
        at = obj.article.published_at
        return f"{timezone.localtime(at):%-d %b %Y}" if at else "—"

    @admin.display(description="match", ordering="match_score")
    def score(self, obj: ClaimMention) -> str:
        return "—" if obj.match_score is None else f"{obj.match_score:.1f}"

    @admin.display(description="speaker")
    def speaker_line(self, obj: ClaimMention) -> str:
        kind = f" ({obj.get_speaker_kind_display()})" if obj.speaker_kind else ""
        return f"{obj.speaker or '—'}{kind}"

    @admin.display(description="article")
    def source_line(self, obj: ClaimMention) -> str:
        article = obj.article
        return format_html(
            '<a href="{}">{}</a> · {} · <a href="{}" rel="noreferrer" target="_blank">read ↗</a>',
            reverse("admin:sources_article_change", args=[article.pk]),
            article.title or "article",
            article.outlet or "—",
            article.url,
        )

    @admin.display(description="deadline")
    def deadline_line(self, obj: ClaimMention) -> str:
        return format_html(
            "“{}” → {}<br><small>{}</small>",
            obj.timex_text or "—",
            window_text(obj.deadline_earliest, obj.deadline_latest),
            obj.deadline_rule or "",
        )

    @admin.display(description="match score and its parts")
    def score_line(self, obj: ClaimMention) -> str:
        return readable_match(obj.match_score, obj.match_detail)

    @admin.display(description="joined")
    def membership(self, obj: ClaimMention) -> str:
        if obj.claim_id is None:
            return "not in a claim"
        if obj.suggested:
            return "suggested (waiting for an editor)"
        return f"confirmed by {obj.confirmed_by.get_username()}" if obj.confirmed_by else "joined"

    @admin.display(description="flags")
    def flags(self, obj: ClaimMention) -> str:
        shown = [
            label
            for label, on in (
                ("negated", obj.negated),
                ("conditional", obj.conditional),
                ("vague deadline", obj.deadline_vague),
                ("removed by a later edit", obj.removed_in_version_id),
            )
            if on
        ]
        return ", ".join(shown) or "—"

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:mention_id>/decide/<str:name>/", decide, name="claims_claimmention_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, mention_id: int, name: str):
        """Confirm or detach one mention, from the claim page: a note, then apply."""
        if name not in MENTION_DECISIONS:
            raise Http404("No such decision.")
        mention = get_object_or_404(ClaimMention.objects.select_related("article"), pk=mention_id)
        if not self.has_change_permission(request, mention):
            raise PermissionDenied
        back = (
            reverse("admin:claims_claim_change", args=[mention.claim_id])
            if mention.claim_id
            else reverse("admin:claims_claimmention_change", args=[mention.pk])
        )
        form = MentionDecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            self._carry_out(request, name, [mention], form.cleaned_data["note"])
            return HttpResponseRedirect(back)
        return self._page(request, name, [mention], form, cancel_url=back)

    def _carry_out(self, request, name: str, mentions, note: str) -> None:
        done = 0
        for mention in mentions:
            if name == "confirm":
                if mention.claim_id is None or not mention.suggested:
                    continue
                editing.confirm_mention(mention, editor=request.user)
                message = "Confirmed the suggested join."
            elif name == "split":
                old = mention.claim_id
                try:
                    new = editing.split_mention(mention, editor=request.user, note=note)
                except editing.CannotSplit as exc:
                    self.message_user(request, f"Mention #{mention.pk}: {exc}", messages.WARNING)
                    continue
                message = f"Split from claim #{old} into its own claim #{new.pk}."
                for claim_id in (old, new.pk):
                    claim = Claim.objects.get(pk=claim_id)
                    self.admin_site.get_model_admin(Claim).log_change(
                        request, claim, f"{message} {note}".strip()
                    )
            else:
                if mention.claim_id is None:
                    continue
                old = mention.claim_id
                new_home = editing.detach_mention(mention, editor=request.user)
                message = f"Detached from claim #{old}" + (
                    f"; now in claim #{new_home.pk}." if new_home else "."
                )
            done += 1
            self.log_change(request, mention, f"{message} {note}".strip())
        if name == "split" and done == 1:
            self.message_user(request, message, messages.SUCCESS)
            return
        verb = MENTION_DECISIONS[name]["done"]
        self.message_user(request, f"{done} mention(s) {verb}.", messages.SUCCESS)

    def _page(self, request, name, mentions, form, *, cancel_url, selected=()):
        context = {
            **self.admin_site.each_context(request),
            "title": MENTION_DECISIONS[name]["title"],
            "explanation": MENTION_DECISIONS[name]["explanation"],
            "mentions": [
                {"mention": m, "quote": highlighted_quote(m.sentence, m.timex_text)}
                for m in mentions
            ],
            "form": form,
            "opts": self.model._meta,
            "action_name": f"{name}_mentions",
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
            "button": MENTION_DECISIONS[name]["button"],
        }
        return TemplateResponse(request, "admin/claims/mention_decision.html", context)

    def _decide_selected(self, request, queryset, name: str):
        mentions = list(queryset.select_related("article")[:MAX_DECISION_CLAIMS])
        form = MentionDecisionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._carry_out(request, name, mentions, form.cleaned_data["note"])
            return None
        return self._page(
            request,
            name,
            mentions,
            form,
            cancel_url=reverse("admin:claims_claimmention_changelist"),
            selected=[m.pk for m in mentions],
        )

    @admin.action(description="Confirm the selected suggested mentions…", permissions=["change"])
    def confirm_mentions(self, request, queryset):
        return self._decide_selected(request, queryset, "confirm")

    @admin.action(
        description="Detach the selected mentions from their claims…", permissions=["change"]
    )
    def detach_mentions(self, request, queryset):
        return self._decide_selected(request, queryset, "detach")

    @admin.action(
        description="Split the selected mentions into claims of their own…",
        permissions=["change"],
    )
    def split_mentions(self, request, queryset):
        return self._decide_selected(request, queryset, "split")


# --- The whole history ---


class ReviewForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Optional: why. Kept with the review.",
    )


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The whole history, newest first: what changed overnight, and why. Append-only.

    Reviewing a machine proposal (accept / reject) needs the "change status change"
    permission (the Editor group); nothing else about a change can be edited.
    """

    list_display = (
        "recorded_at",
        "claim_link",
        "move",
        "reason",
        "who",
        "review_state",
    )
    list_filter = ("review_state", "new_status", "reason")
    list_select_related = ("claim", "actor")
    search_fields = ("claim__statement", "evidence_quote")
    date_hierarchy = "recorded_at"
    ordering = ("-recorded_at", "-id")
    list_per_page = 50
    show_full_result_count = False
    actions = ("accept_changes", "reject_changes")
    fields = (
        "claim_link",
        "move",
        "reason",
        "deadline_change",
        "evidence_text",
        "detail_text",
        "who",
        "recorded_at",
        "effective_at",
        "applied",
        "review_state",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("claims.change_statuschange")

    @admin.display(description="claim", ordering="claim")
    def claim_link(self, obj: StatusChange) -> str:
        url = reverse("admin:claims_claim_change", args=[obj.claim_id])
        return format_html('<a href="{}">#{}: {}</a>', url, obj.claim_id, str(obj.claim)[:90])

    @admin.display(description="status")
    def move(self, obj: StatusChange) -> str:
        new = status_badge(obj.new_status)
        if obj.old_status and obj.old_status != obj.new_status:
            return format_html("{} → {}", status_badge(obj.old_status), new)
        return new

    @admin.display(description="deadline")
    def deadline_change(self, obj: StatusChange) -> str:
        return StatusChangeInline.deadline_change(None, obj)

    @admin.display(description="evidence")
    def evidence_text(self, obj: StatusChange) -> str:
        return StatusChangeInline.evidence(None, obj)

    @admin.display(description="detail")
    def detail_text(self, obj: StatusChange) -> str:
        return readable_detail(obj.detail)

    @admin.display(description="by")
    def who(self, obj: StatusChange) -> str:
        return obj.actor.get_username() if obj.actor else "Claimwatch"

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path(
                "<int:change_id>/review/<str:verdict>/", review, name="claims_statuschange_review"
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, change_id: int, verdict: str):
        """Accept or reject one proposed change: its evidence and a note, then apply."""
        if verdict not in ("accept", "reject"):
            raise Http404("No such verdict.")
        change = get_object_or_404(StatusChange.objects.select_related("claim"), pk=change_id)
        if not self.has_review_permission(request, change):
            raise PermissionDenied
        back = reverse("admin:claims_claim_change", args=[change.claim_id])
        form = ReviewForm(request.POST if request.method == "POST" else None)
        if change.review_state != StatusChange.Review.PENDING:
            self.message_user(request, "That change was already reviewed.", messages.WARNING)
            return HttpResponseRedirect(back)
        if request.method == "POST" and form.is_valid():
            self._review(
                request, [change], accept=verdict == "accept", note=form.cleaned_data["note"]
            )
            return HttpResponseRedirect(back)
        return self._page(request, verdict, [change], form, cancel_url=back)

    def _review(self, request, changes, *, accept: bool, note: str) -> None:
        done = 0
        for change in changes:
            if change.review_state != StatusChange.Review.PENDING:
                continue
            editing.review_change(change, editor=request.user, accept=accept, note=note)
            done += 1
        verb = "accepted" if accept else "rejected"
        self.message_user(request, f"{done} proposed change(s) {verb}.", messages.SUCCESS)

    def _page(self, request, verdict, changes, form, *, cancel_url, selected=()):
        context = {
            **self.admin_site.each_context(request),
            "title": "Accept the proposed change"
            if verdict == "accept"
            else "Reject the proposed change",
            "explanation": (
                "A change that waited is applied now; one already applied stays, confirmed."
                if verdict == "accept"
                else "A change already applied is undone (the claim goes back where it was, as "
                "a new line in its history); one that waited is dropped."
            ),
            "changes": [
                {
                    "change": c,
                    "move": self.move(c),
                    "evidence": self.evidence_text(c),
                    "deadline": self.deadline_change(c),
                }
                for c in changes
            ],
            "form": form,
            "opts": self.model._meta,
            "action_name": f"{verdict}_changes",
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
            "button": "Accept" if verdict == "accept" else "Reject",
        }
        return TemplateResponse(request, "admin/claims/review_decision.html", context)

    def _decide_selected(self, request, queryset, verdict: str):
        changes = list(
            queryset.filter(review_state=StatusChange.Review.PENDING).select_related(
                "claim", "evidence_article"
            )[:MAX_DECISION_CLAIMS]
        )
        if not changes:
            self.message_user(
                request, "None of the selected changes waits for review.", messages.WARNING
            )
            return None
        form = ReviewForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._review(
                request, changes, accept=verdict == "accept", note=form.cleaned_data["note"]
            )
            return None
        return self._page(
            request,
            verdict,
            changes,
            form,
            cancel_url=reverse("admin:claims_statuschange_changelist"),
            selected=[c.pk for c in changes],
        )

    @admin.action(description="Accept the selected proposed changes…", permissions=["review"])
    def accept_changes(self, request, queryset):
        return self._decide_selected(request, queryset, "accept")

    @admin.action(description="Reject the selected proposed changes…", permissions=["review"])
    def reject_changes(self, request, queryset):
        return self._decide_selected(request, queryset, "reject")


# --- The article page: the claims extracted from it --------------------------------------
# sources knows nothing of claims; the claims side adds its inline to the article admin.


class ArticleMentionInline(admin.TabularInline):
    model = ClaimMention
    fk_name = "article"
    extra = 0
    fields = ("kind", "quote", "claim_link")
    readonly_fields = fields
    can_delete = False
    verbose_name = "claim found in this article"
    verbose_name_plural = "claims found in this article"
    ordering = ("start",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim")

    @admin.display(description="sentence (time expression marked)")
    def quote(self, obj: ClaimMention) -> str:
        return format_html(
            '{}<br><small title="{}">deadline: {}</small>',
            highlighted_quote(obj.sentence, obj.timex_text),
            obj.deadline_rule,
            window_text(obj.deadline_earliest, obj.deadline_latest),
        )

    @admin.display(description="claim")
    def claim_link(self, obj: ClaimMention) -> str:
        if obj.claim is None:
            return "—"
        return format_html(
            '<a href="{}">#{} {}</a><br>{}',
            reverse("admin:claims_claim_change", args=[obj.claim_id]),
            obj.claim_id,
            obj.claim.statement[:120],
            status_badge(obj.claim.status),
        )


class ArticleWithClaimsAdmin(source_admin.ArticleAdmin):
    inlines = (*source_admin.ArticleAdmin.inlines, ArticleMentionInline)


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithClaimsAdmin)


# Subscriptions and outbox (issue 13); speakers and their track records.
from claims import admin_alerts, admin_speakers  # noqa: E402, F401
