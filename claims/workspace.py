"""Editors' workspace (DB, views): the review queue and the dashboard, as custom admin views.

Both pages sit inside the admin (config/urls.py wraps them in `admin.site.admin_view`, which
sends anyone who is not active staff to the login page). Reading needs `claims.view_claim`;
deciding needs `claims.change_claim`; anyone else gets 403. Every list here is built from a
fixed number of queries whatever the number of rows (tests/claims/test_workspace.py counts
them), and the timeline chart is an SVG drawn on the server: no JavaScript, nothing fetched.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.db.models.functions import TruncWeek
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from claims import review, speakers
from claims.models import ACTIVE_STATUSES, Claim, ClaimMention, ClaimStatus, StatusChange

VIEW_PERMISSION = "claims.view_claim"
CHANGE_PERMISSION = "claims.change_claim"

# How many items of each kind the queue shows at once (oldest first; deciding makes room).
QUEUE_LIMIT = 50
# How many mentions of a claim the dashboard quotes as its evidence.
EVIDENCE_PER_CLAIM = 3
# The timeline shows at most this many weeks, centred on today when the data spans more.
TIMELINE_MAX_WEEKS = 52
# The speaker table lists the speakers with the most claims.
SPEAKER_LIMIT = 30

# One colour per status, used by the badges and the chart (readable on white, distinct hues).
STATUS_COLOURS = {
    ClaimStatus.OPEN: "#5b7fa6",
    ClaimStatus.DUE_SOON: "#d9a21b",
    ClaimStatus.OVERDUE: "#d9601b",
    ClaimStatus.FULFILLED: "#2e8b57",
    ClaimStatus.FULFILLED_LATE: "#7fb069",
    ClaimStatus.MISSED: "#b3261e",
    ClaimStatus.CONTRADICTED: "#7b3fa0",
    ClaimStatus.RETRACTED: "#8a8a8a",
    ClaimStatus.DEADLINE_MOVED: "#3b82a0",
    ClaimStatus.MERGED: "#a3a3a3",
    ClaimStatus.NOT_A_CLAIM: "#bdbdbd",
}
OTHER_COLOUR = "#444444"


def status_label(status: str) -> str:
    try:
        return ClaimStatus(status).label
    except ValueError:  # a status this module does not know yet: show the raw value
        return status


def status_badge(status: str) -> SafeString:
    """A status in its colour (claims/static/claims/workspace.css: one class per status)."""
    return format_html(
        '<span class="cw-badge cw-status-{}">{}</span>', status or "none", status_label(status)
    )


def window_text(earliest: dt.date | None, latest: dt.date | None) -> str:
    if latest is None:
        return "open-ended"
    if earliest and earliest != latest:
        return f"{earliest:%d %b} … {latest:%d %b %Y}"
    return f"{latest:%d %b %Y}"


# --- Evidence -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What an editor needs to judge an item: the quote and where and when it was said."""

    quote: str
    highlight: str = ""
    outlet: str = ""
    published: dt.datetime | None = None
    url: str = ""
    article_admin_url: str = ""

    @property
    def quote_html(self) -> SafeString:
        """The quote, with its time expression marked when it occurs in it."""
        at = self.quote.find(self.highlight) if self.highlight else -1
        if at < 0:
            return format_html("{}", self.quote)
        end = at + len(self.highlight)
        return format_html(
            "{}<mark>{}</mark>{}", self.quote[:at], self.quote[at:end], self.quote[end:]
        )


def _article_evidence(article, *, quote: str, highlight: str = "") -> Evidence:
    if article is None:
        return Evidence(quote=quote, highlight=highlight)
    return Evidence(
        quote=quote,
        highlight=highlight,
        outlet=article.outlet or article.title,
        published=article.published_at,
        url=article.url,
        article_admin_url=reverse("admin:sources_article_change", args=[article.pk]),
    )


def change_evidence(change: StatusChange) -> Evidence:
    mention = change.evidence_mention
    article = change.evidence_article or (mention.article if mention else None)
    quote = change.evidence_quote or (mention.sentence if mention else "")
    return _article_evidence(article, quote=quote, highlight=mention.timex_text if mention else "")


def mention_evidence(mention: ClaimMention) -> Evidence:
    return _article_evidence(mention.article, quote=mention.sentence, highlight=mention.timex_text)


# --- Review queue ---------------------------------------------------------------------------


def pending_changes():
    """Status changes waiting for an editor, oldest first (held ones and applied-but-flagged)."""
    return (
        StatusChange.objects.filter(review_state=StatusChange.Review.PENDING)
        .select_related("claim", "evidence_article", "evidence_mention__article")
        .order_by("recorded_at", "id")
    )


def suggested_mentions():
    """Mentions the matcher joined to a claim as a suggestion, oldest first."""
    return (
        ClaimMention.objects.filter(suggested=True, claim__isnull=False)
        .select_related("claim", "article")
        # Ids grow with created_at; the primary key index serves "oldest first" without a
        # sort of every suggestion (there is no index on created_at).
        .order_by("id")
    )


def queue_size() -> int:
    """Items waiting in the review queue (the badge on the admin index)."""
    return pending_changes().count() + suggested_mentions().count()


@dataclass
class QueueItem:
    kind: str  # "change" or "mention"
    pk: int
    claim: Claim
    waiting_since: dt.datetime
    evidence: Evidence
    summary: str
    detail: str = ""
    badges: list[SafeString] = field(default_factory=list)


def _change_item(change: StatusChange) -> QueueItem:
    old = (change.old_deadline_earliest, change.old_deadline_latest)
    new = (change.new_deadline_earliest, change.new_deadline_latest)
    parts = [change.get_reason_display()]
    if old != new:
        parts.append(f"deadline {window_text(*old)} → {window_text(*new)}")
    parts.append("applied, waiting for confirmation" if change.applied else "held until accepted")
    return QueueItem(
        kind="change",
        pk=change.pk,
        claim=change.claim,
        waiting_since=change.recorded_at,
        evidence=change_evidence(change),
        summary="; ".join(parts),
        badges=[status_badge(change.old_status), status_badge(change.new_status)]
        if change.old_status
        else [status_badge(change.new_status)],
    )


def _mention_item(mention: ClaimMention) -> QueueItem:
    score = f"match score {mention.match_score:.0f}" if mention.match_score is not None else ""
    return QueueItem(
        kind="mention",
        pk=mention.pk,
        claim=mention.claim,
        waiting_since=mention.created_at,
        evidence=mention_evidence(mention),
        summary="Suggested as another report of this claim",
        detail="; ".join(
            p
            for p in (
                score,
                f"deadline {window_text(mention.deadline_earliest, mention.deadline_latest)}",
            )
            if p
        ),
    )


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def review_queue(request: HttpRequest) -> HttpResponse:
    """GET: the pending changes and suggested mentions, oldest first, with their evidence."""
    _require(request, VIEW_PERMISSION)
    changes = pending_changes()
    mentions = suggested_mentions()
    context = {
        **admin.site.each_context(request),
        "title": "Review queue",
        "change_items": [_change_item(c) for c in changes[:QUEUE_LIMIT]],
        "mention_items": [_mention_item(m) for m in mentions[:QUEUE_LIMIT]],
        "change_total": changes.count(),
        "mention_total": mentions.count(),
        "queue_limit": QUEUE_LIMIT,
        "can_decide": request.user.has_perm(CHANGE_PERMISSION),
    }
    return TemplateResponse(request, "admin/claims/review_queue.html", context)


# The buttons of the queue: (kind, decision) -> the past tense for the message.
DECISIONS = {
    ("change", "accept"): "Accepted",
    ("change", "reject"): "Rejected",
    ("mention", "confirm"): "Confirmed",
    ("mention", "detach"): "Detached",
}


def _decide(kind: str, decision: str, pk: int, *, editor, note: str) -> tuple[str, int | None]:
    """Carry out one decision through the review service: (message for the editor, claim id)."""
    verb = DECISIONS[(kind, decision)]
    if kind == "change":
        change = review.decide_change(pk, editor=editor, accept=decision == "accept", note=note)
        claim = Claim.objects.only("status").get(pk=change.claim_id)
        message = (
            f"{verb} the change of claim #{change.claim_id} to "
            f"“{status_label(change.new_status)}”; the claim is now “{status_label(claim.status)}”."
        )
        return message, change.claim_id
    mention = ClaimMention.objects.select_related("article").get(pk=pk)
    was_in = mention.claim_id
    review.decide_mention(pk, editor=editor, confirm=decision == "confirm")
    mention.refresh_from_db(fields=["claim"])
    where = f"now in claim #{mention.claim_id}" if mention.claim_id else "no longer in any claim"
    outlet = mention.article.outlet or "an article"
    return f"{verb} the mention from {outlet} in claim #{was_in}; it is {where}.", was_in


@require_POST
def review_decide(request: HttpRequest, kind: str, pk: int, decision: str) -> HttpResponse:
    """POST: one click in the queue. 403 without change permission; then back to the queue."""
    _require(request, CHANGE_PERMISSION)
    if (kind, decision) not in DECISIONS:
        raise Http404("No such review decision.")
    note = request.POST.get("note", "").strip()[:2000]
    try:
        message, claim_id = _decide(kind, decision, pk, editor=request.user, note=note)
    except (review.AlreadyDecided, ClaimMention.DoesNotExist):
        messages.warning(request, "That item was already settled; the queue is up to date.")
        return redirect("admin-review-queue")
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is not None:  # the claim's admin history ("Recent actions") shows the decision
        admin.site.get_model_admin(Claim).log_change(request, claim, f"Review queue: {message}")
    messages.success(request, message)
    return redirect("admin-review-queue")


# --- Dashboard ------------------------------------------------------------------------------


def status_counts() -> list[dict]:
    """Every status with its number of claims (zeros included), in the lifecycle's order."""
    counts = dict(Claim.objects.values_list("status").annotate(n=Count("id")).order_by())
    rows = []
    for status in [*ClaimStatus.values, *sorted(set(counts) - set(ClaimStatus.values))]:
        rows.append(
            {
                "status": status,
                "label": status_label(status),
                "count": counts.get(status, 0),
                "colour": STATUS_COLOURS.get(status, OTHER_COLOUR),
                "url": reverse("admin:claims_claim_changelist") + f"?status__exact={status}",
            }
        )
    return rows


def _with_evidence(claims):
    newest_first = ClaimMention.objects.select_related("article").order_by(
        "claim_id", "-article__published_at", "-id"
    )
    return claims.prefetch_related(
        Prefetch(
            "mentions", queryset=newest_first[:EVIDENCE_PER_CLAIM], to_attr="evidence_mentions"
        )
    )


def lapsed_claims(*, now: dt.datetime):
    """Unresolved claims whose window closed in the last day (deadline_latest in [now-1d, now)).

    A window's last day is inclusive, so a claim due yesterday lapsed at midnight; these are
    the ones the morning editor settles first. Oldest deadline first, newest evidence first.
    """
    today = timezone.localdate(now)
    since = timezone.localdate(now - dt.timedelta(days=1))
    claims = Claim.objects.filter(
        status__in=ACTIVE_STATUSES, deadline_latest__gte=since, deadline_latest__lt=today
    ).order_by("deadline_latest", "id")
    return _with_evidence(claims)


def due_claims(*, now: dt.datetime, days: int = 7):
    """Unresolved claims whose window ends today or in the next `days` days."""
    today = timezone.localdate(now)
    claims = Claim.objects.filter(
        status__in=ACTIVE_STATUSES,
        deadline_latest__gte=today,
        deadline_latest__lte=today + dt.timedelta(days=days),
    ).order_by("deadline_latest", "id")
    return _with_evidence(claims)


@dataclass(frozen=True)
class ClaimRow:
    claim: Claim
    badge: SafeString
    window: str
    evidence: list[Evidence]


def _claim_rows(claims) -> list[ClaimRow]:
    return [
        ClaimRow(
            claim=c,
            badge=status_badge(c.status),
            window=window_text(c.deadline_earliest, c.deadline_latest),
            evidence=[mention_evidence(m) for m in c.evidence_mentions],
        )
        for c in claims
    ]


# The track records are claims.speakers' (one computation for this table and the Speaker
# admin list); kept here under their old names for the views and tests that use them.
TrackRecord = speakers.TrackRecord


def speaker_track_records(*, limit: int = SPEAKER_LIMIT) -> list[TrackRecord]:
    """Per Speaker (however spelt): claims kept, kept late, missed, moved, contradicted."""
    return speakers.track_records(limit=limit)


# --- Timeline chart -------------------------------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def timeline_counts() -> dict[dt.date, dict[str, int]]:
    """Claims per deadline week (Monday) and status: one grouped query."""
    rows = (
        Claim.objects.filter(deadline_latest__isnull=False)
        .annotate(week=TruncWeek("deadline_latest"))
        .values_list("week", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for week, status, n in rows:
        if isinstance(week, dt.datetime):
            week = week.date()
        counts[week][status] = counts[week].get(status, 0) + n
    return dict(counts)


def timeline_weeks(
    weeks_with_claims: list[dt.date], *, today: dt.date, max_weeks: int = TIMELINE_MAX_WEEKS
) -> list[dt.date]:
    """The consecutive Mondays the chart shows: the data's span, at most `max_weeks` of it.

    When the claims span more, the window keeps today in view (a quarter back, the rest
    ahead), slid inside the data's span.
    """
    if not weeks_with_claims:
        return []
    first, last = min(weeks_with_claims), max(weeks_with_claims)
    span = (last - first).days // 7 + 1
    if span > max_weeks:
        this_week = week_start(today)
        start = this_week - dt.timedelta(weeks=max_weeks // 4)
        start = max(first, min(start, last - dt.timedelta(weeks=max_weeks - 1)))
        first, span = start, max_weeks
    return [first + dt.timedelta(weeks=i) for i in range(span)]


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 5:
            return step
    return max(1, top // 5)


def timeline_svg(
    counts: dict[dt.date, dict[str, int]], *, today: dt.date, max_weeks: int = TIMELINE_MAX_WEEKS
) -> SafeString:
    """Stacked bars, one per deadline week, coloured by status; a dashed line marks today.

    Pure: takes the counts, returns SVG markup (every text escaped). Each bar segment has a
    <title> so hovering shows the week, the status and the number.
    """
    weeks = timeline_weeks(list(counts), today=today, max_weeks=max_weeks)
    if not weeks:
        return format_html('<p class="cw-empty">{}</p>', "No claim has a deadline yet.")
    statuses = [s for s in ClaimStatus.values if any(s in c for c in counts.values())]
    statuses += sorted({s for c in counts.values() for s in c} - set(ClaimStatus.values))
    width, height = 960, 300
    left, right, top, bottom = 44, 12, 14, 70  # room for the y labels, x labels and legend
    plot_w, plot_h = width - left - right, height - top - bottom
    tallest = max((sum(counts.get(w, {}).values()) for w in weeks), default=0) or 1
    step = _nice_step(tallest)
    y_max = -(-tallest // step) * step
    slot = plot_w / len(weeks)
    bar_w = max(2.0, slot * 0.78)

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / y_max

    out = [
        '<svg class="cw-timeline" xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="0 0 {width} {height}" width="100%" role="img"'
        ' aria-labelledby="cw-timeline-title">',
        '<title id="cw-timeline-title">Claims by deadline week, coloured by status</title>',
        '<g class="cw-grid" font-size="11" fill="#555">',
    ]
    for value in range(0, y_max + 1, step):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}"'
            f' stroke="#e3e3e3"/><text x="{left - 6}" y="{y(value) + 4:.1f}"'
            f' text-anchor="end">{value}</text>'
        )
    out.append("</g>")
    label_every = max(1, -(-len(weeks) // 12))
    out.append('<g class="cw-bars">')
    for i, week in enumerate(weeks):
        x = left + i * slot + (slot - bar_w) / 2
        stacked = 0
        for status in statuses:
            n = counts.get(week, {}).get(status, 0)
            if not n:
                continue
            label = f"Week of {week:%d %b %Y}: {n} {status_label(status).lower()}"
            out.append(
                f'<rect x="{x:.1f}" y="{y(stacked + n):.1f}" width="{bar_w:.1f}"'
                f' height="{y(stacked) - y(stacked + n):.1f}"'
                f' fill="{STATUS_COLOURS.get(status, OTHER_COLOUR)}"'
                f' data-status="{escape(status)}"><title>{escape(label)}</title></rect>'
            )
            stacked += n
        if i % label_every == 0:
            out.append(
                f'<text x="{left + i * slot + slot / 2:.1f}" y="{top + plot_h + 16}"'
                f' font-size="11" fill="#333" text-anchor="middle">{week:%d %b}</text>'
            )
    out.append("</g>")
    this_week = week_start(today)
    if weeks[0] <= this_week <= weeks[-1]:
        offset = (this_week - weeks[0]).days / 7 + today.weekday() / 7
        tx = left + offset * slot
        out.append(
            f'<g class="cw-today"><line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top}"'
            f' y2="{top + plot_h}" stroke="#222" stroke-dasharray="4 3"/>'
            f'<text x="{tx + 4:.1f}" y="{top + 10}" font-size="11" fill="#222">today</text></g>'
        )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"'
        ' stroke="#999"/>'
    )
    out.append(
        '<g class="cw-legend" font-size="12" fill="#222"'
        f' transform="translate({left},{height - 24})">'
    )
    x = 0
    for status in statuses:
        label = status_label(status)
        out.append(
            f'<rect x="{x}" y="0" width="12" height="12"'
            f' fill="{STATUS_COLOURS.get(status, OTHER_COLOUR)}"/>'
            f'<text x="{x + 16}" y="11">{escape(label)}</text>'
        )
        x += 30 + round(6.5 * len(label))  # about 6.5 px a character at 12 px
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308  built here from numbers and escaped labels


def dashboard(request: HttpRequest) -> HttpResponse:
    """GET: counts by status, lapsed since yesterday, due this week, timeline, track records."""
    _require(request, VIEW_PERMISSION)
    now = timezone.now()
    today = timezone.localdate(now)
    counts = timeline_counts()
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        "now": now,
        "status_counts": status_counts(),
        "lapsed": _claim_rows(lapsed_claims(now=now)),
        "due": _claim_rows(due_claims(now=now)),
        "timeline": timeline_svg(counts, today=today),
        "track_records": speaker_track_records(),
        "queue_size": queue_size(),
        "claims_url": reverse("admin:claims_claim_changelist"),
    }
    return TemplateResponse(request, "admin/claims/dashboard.html", context)
