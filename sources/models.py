"""Sources of news and the articles (with their versions) read from them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sources.redaction import redact_url


class Source(models.Model):
    """A place Claimwatch reads from: a feed, a page, a sitemap, an editor or an archive."""

    class Kind(models.TextChoices):
        FEED = "feed", "RSS/Atom feed"
        PAGE = "page", "Single page"
        SITEMAP = "sitemap", "News sitemap"
        MANUAL = "manual", "Pasted by an editor"
        ARCHIVE = "archive", "JSON Lines archive"

    POLLED_KINDS = (Kind.FEED, Kind.PAGE, Kind.SITEMAP)

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FEED)
    url = models.URLField(max_length=2000, blank=True)
    outlet = models.CharField(
        max_length=200, blank=True, help_text="Publication name shown on claims (default: name)."
    )
    poll_interval_minutes = models.PositiveIntegerField(default=30)
    is_active = models.BooleanField(default=True)
    ignore_robots = models.BooleanField(
        default=False, help_text="Fetch even where robots.txt disallows it (own or partner sites)."
    )

    # Conditional GET state, sent back on the next poll.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    # Health: what editors and operators look at when a source goes quiet.
    next_poll_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # add_source run twice must not create two pollers of one feed.
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_unique_url"),
        ]
        indexes = [
            # Beat, every minute: active, unpaused sources whose next_poll_at has come.
            models.Index(
                fields=["next_poll_at"],
                condition=Q(is_active=True, paused_at__isnull=True),
                name="source_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_outlet(self) -> str:
        return self.outlet or self.name

    @property
    def display_url(self) -> str:
        """The URL as shown to people and logs: any password replaced by `***`."""
        return redact_url(self.url)


class Article(models.Model):
    """One news article, identified by its canonical URL, however many sources list it."""

    canonical_url = models.URLField(max_length=2000, unique=True)  # dedup across feeds
    url = models.URLField(max_length=2000, help_text="The URL as first seen.")
    sources = models.ManyToManyField(Source, through="ArticleSource", related_name="articles")

    title = models.CharField(max_length=1000, blank=True)
    author = models.CharField(max_length=500, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_source = models.CharField(
        max_length=32,
        blank=True,
        help_text="Where the date came from: feed, page, htmldate, import.",
    )
    language = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True)  # sha256 of normalised text

    # Fetching and edit detection.
    first_fetched_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    next_refetch_at = models.DateTimeField(null=True, blank=True)
    refetch_count = models.PositiveIntegerField(default=0)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    fetch_error = models.TextField(blank=True)

    # Claim extraction: skipped when processed_hash == content_hash (idempotent).
    processed_hash = models.CharField(max_length=64, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    processing_error = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # Second dedup key: the same text under another URL (syndication, AMP pages).
            models.Index(fields=["content_hash"], name="article_hash_idx"),
            # Re-fetch sweep: articles whose next edit check is due.
            models.Index(
                fields=["next_refetch_at"],
                condition=Q(next_refetch_at__isnull=False),
                name="article_refetch_due_idx",
            ),
            # Admin list and replay order: newest first / publication order.
            models.Index(fields=["published_at"], name="article_published_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.canonical_url

    @property
    def display_url(self) -> str:
        """The URL as first seen, as shown to people: any password replaced by `***`."""
        return redact_url(self.url)


class ArticleSource(models.Model):
    """That a source listed an article; the same article in two feeds is two rows here."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    source = models.ForeignKey(Source, on_delete=models.CASCADE)
    guid = models.CharField(max_length=2000, blank=True, help_text="Feed entry id, if any.")
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Re-polling a feed links an article to it once.
            models.UniqueConstraint(fields=["source", "article"], name="articlesource_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.article_id}"


class ArticleVersion(models.Model):
    """A text of an article as fetched; version 1 is the first, later ones are real edits."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=1000, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64)
    fetched_at = models.DateTimeField()
    diff = models.TextField(blank=True, help_text="Unified diff from the previous version.")
    removed_sentences = models.JSONField(default=list, blank=True)
    changed_sentences = models.JSONField(
        default=list, blank=True, help_text='Pairs {"old": ..., "new": ...}.'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            # Two workers re-fetching one article cannot both write version N.
            models.UniqueConstraint(fields=["article", "number"], name="articleversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"
