"""Admin for sources and articles: source health at a glance, articles with their versions."""

from __future__ import annotations

import difflib

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from sources.ingestion import ArticleRecord
from sources.models import Article, ArticleSource, ArticleVersion, Source
from sources.normalize import content_hash
from sources.polling import poll_source, store_article
from sources.redaction import MASK, has_credentials, redact_text, redact_url
from sources.tasks import task_poll_source as poll_source_task

# Pasted articles without a URL get one under a reserved TLD (RFC 2606): unique per text,
# never fetchable, and plainly not the outlet's own address.
PASTED_URL_PREFIX = "https://pasted.claimwatch.invalid/"
MANUAL_SOURCE_NAME = "Pasted by editors"


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


# Editors paste URLs without a scheme; they mean https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class RedactedURLForm(forms.ModelForm):
    """The `url` field shows a stored password as `***`; submitting it unchanged keeps it.

    A URL edited in any other way while still showing `***` is refused: the stored password
    is not carried over to another address (it would be sent to that host).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.url if self.instance.pk else ""
        if "url" in self.fields and has_credentials(stored):
            self.initial["url"] = redact_url(stored)
            self.fields["url"].help_text = (
                f"The password is shown as {MASK}; leave it so to keep the stored one, "
                "or type the whole URL again."
            )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        stored = self.instance.url if self.instance.pk else ""
        if has_credentials(stored) and url == redact_url(stored):
            return stored
        if has_credentials(url) and redact_url(url) == url and f"{MASK}@" in url:
            raise forms.ValidationError(
                f"Type the password again instead of {MASK}: the URL changed, and the stored "
                "password is only kept for the same URL."
            )
        return url


class RedactedURLAdmin(admin.ModelAdmin):
    """An admin whose `url` never shows a password, editable or read-only."""

    form = RedactedURLForm
    formfield_overrides = URL_FIELDS

    @admin.display(description="URL")
    def shown_url(self, obj) -> str:
        return redact_url(obj.url)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # A view-only page renders every field read-only from the raw value.
        return [
            (name, {**options, "fields": _swap(options["fields"], "url", "shown_url")})
            for name, options in fieldsets
        ]


def _swap(fields, old: str, new: str) -> tuple:
    return tuple(
        _swap(field, old, new)
        if isinstance(field, list | tuple)
        else (new if field == old else field)
        for field in fields
    )


@admin.register(Source)
class SourceAdmin(RedactedURLAdmin):
    list_display = (
        "name",
        "kind",
        "is_active",
        "health",
        "last_success_at",
        "consecutive_failures",
        "article_count",
        "next_poll_at",
    )
    list_filter = ("kind", "is_active", HealthFilter)
    search_fields = ("name", "url", "outlet")
    readonly_fields = (
        "etag",
        "last_modified",
        "next_poll_at",
        "last_polled_at",
        "last_success_at",
        "error_shown",
        "last_error_at",
        "consecutive_failures",
        "paused_at",
        "paused_reason_shown",
        "shown_url",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "kind",
                    "url",
                    "outlet",
                    "poll_interval_minutes",
                    "is_active",
                    "ignore_robots",
                )
            },
        ),
        (
            "Health",
            {
                "fields": (
                    "last_polled_at",
                    "last_success_at",
                    "consecutive_failures",
                    "error_shown",
                    "last_error_at",
                    "paused_at",
                    "paused_reason_shown",
                    "next_poll_at",
                )
            },
        ),
        ("Conditional GET", {"classes": ("collapse",), "fields": ("etag", "last_modified")}),
        ("Record", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )
    actions = ("poll_now", "resume_sources")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, obj: Source) -> int:
        return obj.article_total

    @admin.display(description="health")
    def health(self, obj: Source) -> str:
        if obj.paused_at:
            return format_html('<span title="{}">⏸ paused</span>', redact_text(obj.paused_reason))
        if obj.consecutive_failures:
            return format_html(
                '<span title="{}">⚠ failing ({})</span>',
                redact_text(obj.last_error),
                obj.consecutive_failures,
            )
        return "✓ ok" if obj.last_success_at else "—"

    # Fetch errors quote the URL they failed on, password included: show them redacted.
    @admin.display(description="last error")
    def error_shown(self, obj: Source) -> str:
        return redact_text(obj.last_error)

    @admin.display(description="paused reason")
    def paused_reason_shown(self, obj: Source) -> str:
        return redact_text(obj.paused_reason)

    @admin.action(description="Poll selected sources now", permissions=["change"])
    def poll_now(self, request, queryset):
        """Poll each at once: inline with its outcome (no broker), else queued for a worker."""
        if poll_source_task.app.conf.task_always_eager:
            for source in queryset:
                self.message_user(request, f"{source.name}: {poll_source(source).summary()}")
            return
        for source in queryset:
            poll_source_task.delay(source_id=source.pk)
        self.message_user(request, f"Queued a poll of {queryset.count()} source(s).")

    @admin.action(
        description="Resume selected sources (clear pause and failures)", permissions=["change"]
    )
    def resume_sources(self, request, queryset):
        count = queryset.update(
            paused_at=None, paused_reason="", consecutive_failures=0, next_poll_at=None
        )
        self.message_user(
            request, f"Resumed {count} source(s); they will be polled within a minute."
        )


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    extra = 0
    fields = ("source", "guid_shown", "first_seen_at")
    readonly_fields = fields
    can_delete = False

    @admin.display(description="guid")
    def guid_shown(self, obj: ArticleSource) -> str:
        return redact_text(obj.guid)  # a page source's guid is its URL

    def has_add_permission(self, request, obj=None):
        return False


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    fields = ("number", "fetched_at", "changes")
    readonly_fields = fields
    can_delete = False
    ordering = ("-number",)

    @admin.display(description="what the edit changed")
    def changes(self, obj: ArticleVersion) -> str:
        if obj.number == 1:
            return "first version"
        return rendered_changes(obj.removed_sentences or [], obj.changed_sentences or [])

    def has_add_permission(self, request, obj=None):
        return False


class ArticlePasteForm(forms.Form):
    """An article an editor pastes in: from print, a newsletter, or a page we cannot fetch."""

    title = forms.CharField(max_length=1000)
    url = forms.URLField(
        max_length=2000,
        required=False,
        assume_scheme="https",
        help_text="Where it was published, if online. Leave empty for print or newsletters.",
    )
    published = forms.SplitDateTimeField(
        widget=widgets.AdminSplitDateTime,
        help_text="Publication date and time: relative deadlines are resolved against it.",
    )
    outlet = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20, "cols": 100}))

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("The article text is empty.")
        return text

    def to_record(self) -> ArticleRecord:
        data = self.cleaned_data
        url = data["url"] or PASTED_URL_PREFIX + content_hash(data["text"])[:32]
        return ArticleRecord(
            url=url,
            title=data["title"].strip(),
            published=data["published"],
            text=data["text"],
            outlet=data["outlet"].strip(),
            published_source="editor",
        )


def rendered_changes(removed: list[str], changed: list[dict]) -> str:
    """An edit as an editor reads it: removed sentences struck, changed words marked."""
    rows = [format_html("<li><del>{}</del></li>", sentence) for sentence in removed]
    rows += [format_html("<li>{}</li>", word_diff(pair["old"], pair["new"])) for pair in changed]
    if not rows:
        return "no sentence removed or changed"
    return format_html('<ul class="cw-diff">{}</ul>', mark_safe("".join(rows)))  # noqa: S308


def word_diff(old: str, new: str) -> str:
    """ "The vote is on <del>Friday</del><ins>Monday</ins>": words, not characters."""
    a, b = old.split(), new.split()
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(conditional_escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(format_html("<del>{}</del>", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(format_html("<ins>{}</ins>", " ".join(b[j1:j2])))
    return mark_safe(" ".join(pieces))  # noqa: S308 - every piece is escaped above


def manual_source() -> Source:
    """The one source that pasted articles are linked to (never polled)."""
    source, _ = Source.objects.get_or_create(
        kind=Source.Kind.MANUAL, name=MANUAL_SOURCE_NAME, defaults={"is_active": False}
    )
    return source


@admin.register(Article)
class ArticleAdmin(RedactedURLAdmin):
    list_display = ("title", "outlet", "published_at", "version_count", "mention_count", "problem")
    list_filter = ("outlet", "published_source")
    search_fields = ("title", "canonical_url", "text")
    date_hierarchy = "published_at"
    readonly_fields = (
        "canonical_url",
        "content_hash",
        "first_fetched_at",
        "last_fetched_at",
        "next_refetch_at",
        "refetch_count",
        "etag",
        "last_modified",
        "fetch_error_shown",
        "processed_hash",
        "processed_at",
        "processing_error_shown",
        "created_at",
        "updated_at",
    )
    exclude = ("fetch_error", "processing_error")
    inlines = (ArticleSourceInline, ArticleVersionInline)

    def get_urls(self):
        paste = path(
            "paste/",
            self.admin_site.admin_view(self.paste_view),
            name="sources_article_paste",
        )
        return [paste, *super().get_urls()]

    def paste_view(self, request: HttpRequest) -> HttpResponse:
        """Paste form: stored like any article (dedup, versions), then handed to extraction."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticlePasteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            record = form.to_record()
            result = store_article(record, source=manual_source(), fetched_at=timezone.now())
            article = Article.objects.get(pk=result.article_id)
            if result.created:
                self.log_addition(request, article, "Pasted by an editor.")
                message = f"“{article}” stored; its claims are being extracted."
            elif result.changed:
                self.log_change(request, article, f"Pasted text: version {result.version}.")
                message = f"“{article}” existed; the pasted text is version {result.version}."
            else:
                message = f"“{article}” already has this text; nothing changed."
            self.message_user(request, message)
            return redirect("admin:sources_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Paste an article",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/sources/article/paste.html", context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                version_total=Count("versions", distinct=True),
                mention_total=Count("claim_mentions", distinct=True),
            )
        )

    @admin.display(description="versions", ordering="version_total")
    def version_count(self, obj: Article) -> int:
        return obj.version_total

    @admin.display(description="mentions", ordering="mention_total")
    def mention_count(self, obj: Article) -> int:
        return obj.mention_total

    @admin.display(description="problem")
    def problem(self, obj: Article) -> str:
        return redact_text(obj.processing_error or obj.fetch_error or "")

    @admin.display(description="fetch error")
    def fetch_error_shown(self, obj: Article) -> str:
        return redact_text(obj.fetch_error)

    @admin.display(description="processing error")
    def processing_error_shown(self, obj: Article) -> str:
        return redact_text(obj.processing_error)
