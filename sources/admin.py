"""Admin for sources and articles: source health at a glance, articles with their versions."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from sources.models import Article, ArticleSource, ArticleVersion, Source


class HealthFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("ok", "Healthy"), ("failing", "Failing"), ("paused", "Paused")]

    def queryset(self, request, queryset):
        if self.value() == "ok":
            return queryset.filter(consecutive_failures=0, paused_at__isnull=True)
        if self.value() == "failing":
            return queryset.filter(consecutive_failures__gt=0, paused_at__isnull=True)
        if self.value() == "paused":
            return queryset.filter(paused_at__isnull=False)
        return queryset


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name", "kind", "is_active", "health", "last_success_at", "consecutive_failures",
        "article_count", "next_poll_at",
    )
    list_filter = ("kind", "is_active", HealthFilter)
    search_fields = ("name", "url", "outlet")
    readonly_fields = (
        "etag", "last_modified", "next_poll_at", "last_polled_at", "last_success_at",
        "last_error", "last_error_at", "consecutive_failures", "paused_at", "paused_reason",
        "created_at", "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "kind", "url", "outlet", "poll_interval_minutes",
                           "is_active", "ignore_robots")}),
        ("Health", {"fields": ("last_polled_at", "last_success_at", "consecutive_failures",
                               "last_error", "last_error_at", "paused_at", "paused_reason",
                               "next_poll_at")}),
        ("Conditional GET", {"classes": ("collapse",), "fields": ("etag", "last_modified")}),
        ("Record", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )
    actions = ("resume_sources",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, obj: Source) -> int:
        return obj.article_total

    @admin.display(description="health")
    def health(self, obj: Source) -> str:
        if obj.paused_at:
            return format_html('<span title="{}">⏸ paused</span>', obj.paused_reason)
        if obj.consecutive_failures:
            return format_html(
                '<span title="{}">⚠ failing ({})</span>', obj.last_error, obj.consecutive_failures
            )
        return "✓ ok" if obj.last_success_at else "—"

    @admin.action(description="Resume selected sources (clear pause and failures)")
    def resume_sources(self, request, queryset):
        count = queryset.update(
            paused_at=None, paused_reason="", consecutive_failures=0, next_poll_at=None
        )
        self.message_user(request, f"Resumed {count} source(s); they will be polled within a minute.")


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    extra = 0
    readonly_fields = ("source", "guid", "first_seen_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    fields = ("number", "fetched_at", "removed_sentences", "changed_sentences")
    readonly_fields = fields
    can_delete = False
    ordering = ("-number",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published_at", "version_count", "mention_count", "problem")
    list_filter = ("outlet", "published_source")
    search_fields = ("title", "canonical_url", "text")
    date_hierarchy = "published_at"
    readonly_fields = (
        "canonical_url", "content_hash", "first_fetched_at", "last_fetched_at",
        "next_refetch_at", "refetch_count", "etag", "last_modified", "fetch_error",
        "processed_hash", "processed_at", "processing_error", "created_at", "updated_at",
    )
    inlines = (ArticleSourceInline, ArticleVersionInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(version_total=Count("versions", distinct=True),
                      mention_total=Count("claim_mentions", distinct=True))
        )

    @admin.display(description="versions", ordering="version_total")
    def version_count(self, obj: Article) -> int:
        return obj.version_total

    @admin.display(description="mentions", ordering="mention_total")
    def mention_count(self, obj: Article) -> int:
        return obj.mention_total

    @admin.display(description="problem")
    def problem(self, obj: Article) -> str:
        return obj.processing_error or obj.fetch_error or ""
