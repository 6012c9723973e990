"""Admin for claims: the editors' workspace (queue, filters, history with evidence)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from claims import editing
from claims.models import (
    ACTIVE_STATUSES,
    Claim,
    ClaimMention,
    ClaimStatus,
    StatusChange,
)


class DeadlineFilter(admin.SimpleListFilter):
    title = "deadline"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("lapsed", "Lapsed (window ended, still unresolved)"),
            ("week", "Ends within 7 days"),
            ("none", "No deadline"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "lapsed":
            return queryset.filter(status__in=ACTIVE_STATUSES, deadline_latest__lt=today)
        if self.value() == "week":
            return queryset.filter(
                deadline_latest__gte=today, deadline_latest__lte=today + timezone.timedelta(days=7)
            )
        if self.value() == "none":
            return queryset.filter(deadline_latest__isnull=True)
        return queryset


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = (
        "recorded_at",
        "effective_at",
        "old_status",
        "new_status",
        "reason",
        "window_change",
        "evidence",
        "actor",
        "review_state",
    )
    readonly_fields = fields
    ordering = ("-recorded_at", "-id")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="deadline")
    def window_change(self, obj: StatusChange) -> str:
        old = (obj.old_deadline_earliest, obj.old_deadline_latest)
        new = (obj.new_deadline_earliest, obj.new_deadline_latest)
        return f"{_window(*old)} → {_window(*new)}" if old != new else _window(*new)

    @admin.display(description="evidence")
    def evidence(self, obj: StatusChange) -> str:
        if obj.evidence_article_id:
            url = reverse("admin:sources_article_change", args=[obj.evidence_article_id])
            return format_html('<a href="{}">{}</a>', url, obj.evidence_quote[:160] or "article")
        return obj.evidence_quote[:160]


class ClaimMentionInline(admin.TabularInline):
    model = ClaimMention
    fk_name = "claim"
    extra = 0
    fields = ("article_link", "sentence", "speaker", "timex_text", "match_score", "suggested")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    @admin.display(description="article")
    def article_link(self, obj: ClaimMention) -> str:
        url = reverse("admin:sources_article_change", args=[obj.article_id])
        return format_html(
            '<a href="{}">{}</a><br><small>{}</small>',
            url,
            obj.article.outlet or "article",
            obj.article.published_at.date() if obj.article.published_at else "",
        )


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = (
        "statement_short",
        "speaker",
        "status",
        "deadline",
        "mention_total",
        "deadline_moves",
        "needs_review",
        "updated_at",
    )
    list_filter = ("status", DeadlineFilter, "needs_review", "deadline_vague", "conditional")
    search_fields = ("statement", "event", "speaker")
    readonly_fields = ("status", "status_changed_at", "deadline_moves", "created_at", "updated_at")
    date_hierarchy = "deadline_latest"
    inlines = (StatusChangeInline, ClaimMentionInline)
    actions = (
        "mark_fulfilled",
        "mark_fulfilled_late",
        "mark_missed",
        "mark_contradicted",
        "mark_retracted",
        "reopen",
        "merge_into_oldest",
    )

    def _set_status(self, request, queryset, status: str) -> None:
        changed = sum(
            editing.set_status(claim, status, editor=request.user) is not None for claim in queryset
        )
        self.message_user(
            request, f"{changed} claim(s) marked {ClaimStatus(status).label.lower()}."
        )

    @admin.action(description="Mark fulfilled (inside the deadline)")
    def mark_fulfilled(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.FULFILLED)

    @admin.action(description="Mark fulfilled late")
    def mark_fulfilled_late(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.FULFILLED_LATE)

    @admin.action(description="Mark missed")
    def mark_missed(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.MISSED)

    @admin.action(description="Mark contradicted")
    def mark_contradicted(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.CONTRADICTED)

    @admin.action(description="Mark retracted")
    def mark_retracted(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.RETRACTED)

    @admin.action(description="Reopen (the deadline check takes it from there)")
    def reopen(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.OPEN)

    @admin.action(description="Merge selected claims into the oldest one")
    def merge_into_oldest(self, request, queryset):
        claims = list(queryset.order_by("pk"))
        if len(claims) < 2:
            self.message_user(request, "Select at least two claims to merge.", level="warning")
            return
        moved = editing.merge_claims(claims[0], claims[1:], editor=request.user)
        self.message_user(
            request,
            f"Merged {len(claims) - 1} claim(s) into claim {claims[0].pk}; "
            f"{moved} mention(s) moved.",
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mentions_count=Count("mentions"))

    @admin.display(description="claim", ordering="statement")
    def statement_short(self, obj: Claim) -> str:
        return obj.statement[:140]

    @admin.display(description="deadline", ordering="deadline_latest")
    def deadline(self, obj: Claim) -> str:
        return _window(obj.deadline_earliest, obj.deadline_latest)

    @admin.display(description="mentions", ordering="mentions_count")
    def mention_total(self, obj: Claim) -> int:
        return obj.mentions_count


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The whole history, newest first: what changed overnight, and why."""

    list_display = (
        "recorded_at",
        "claim",
        "old_status",
        "new_status",
        "reason",
        "actor",
        "review_state",
    )
    list_filter = ("new_status", "reason", "review_state")
    list_select_related = ("claim", "actor")
    date_hierarchy = "recorded_at"
    ordering = ("-recorded_at", "-id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _window(earliest, latest) -> str:
    if not latest:
        return "—"
    if earliest and earliest != latest:
        return f"{earliest:%d %b} … {latest:%d %b %Y}"
    return f"{latest:%d %b %Y}"


from claims import admin_alerts  # noqa: E402, F401  subscriptions and outbox (issue 13)
