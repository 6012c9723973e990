"""Atom feed of status changes (DB, Django syndication), filterable by status, speaker, outlet.

Where the instance is private (ALERT_FEEDS_PUBLIC off, the default) a reader needs a per-user
token: a signed user id, from `manage.py feed_url USERNAME`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.core import signing
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.calendar import deadlines_calendar
from claims.models import StatusChange

_FEED_SALT = "claims.feeds.token"


def feed_token(user) -> str:
    return signing.Signer(salt=_FEED_SALT).sign(str(user.pk))


def user_from_feed_token(token: str):
    try:
        pk = signing.Signer(salt=_FEED_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True, is_staff=True).first()


class StatusChangeFeed(Feed):
    feed_type = Atom1Feed
    title = "Claimwatch: status changes"
    subtitle = "Dated claims in the news whose status or deadline changed."

    def get_object(self, request):
        if (
            not settings.ALERT_FEEDS_PUBLIC
            and user_from_feed_token(request.GET.get("token", "")) is None
        ):
            raise Http404("This feed needs a valid token (manage.py feed_url USERNAME).")
        return {key: request.GET.get(key, "").strip() for key in ("status", "speaker", "outlet")}

    def link(self, obj):
        return reverse("admin:claims_claim_changelist")

    def items(self, obj):
        changes = (
            StatusChange.objects.filter(applied=True)
            .exclude(reason=StatusChange.Reason.CREATED)
            .exclude(review_state=StatusChange.Review.REJECTED)
            .select_related("claim", "evidence_article")
            .order_by("-recorded_at", "-id")
        )
        if obj["status"]:
            changes = changes.filter(new_status=obj["status"])
        if obj["speaker"]:
            changes = changes.filter(claim__speaker__iexact=obj["speaker"])
        if obj["outlet"]:
            changes = changes.filter(
                claim__mentions__article__outlet__iexact=obj["outlet"]
            ).distinct()
        return changes[:100]

    def item_title(self, item):
        speaker = f" — {item.claim.speaker}" if item.claim.speaker else ""
        return f'{item.get_new_status_display()}: "{item.claim.statement[:100]}"{speaker}'

    def item_description(self, item):
        # The syndication framework escapes titles and descriptions; this is plain text.
        parts = [
            f"{item.get_old_status_display() or '—'} → {item.get_new_status_display()}"
            f" ({item.get_reason_display()})"
        ]
        if item.claim.deadline_latest:
            parts.append(f"Deadline: {item.claim.deadline_latest:%d %b %Y}")
        if item.evidence_quote:
            parts.append(f'Evidence: "{item.evidence_quote}"')
        return "\n".join(parts)

    def item_link(self, item):
        return reverse("admin:claims_claim_change", args=[item.claim_id]) + f"#change-{item.pk}"

    def item_guid(self, item):
        return f"{settings.SITE_URL.rstrip('/')}/claims/changes/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.recorded_at

    def item_updateddate(self, item):
        return item.recorded_at


def deadlines_ics(request):
    """The iCalendar feed editors add to their calendar; same token rule as the Atom feed."""
    if (
        not settings.ALERT_FEEDS_PUBLIC
        and user_from_feed_token(request.GET.get("token", "")) is None
    ):
        raise Http404("This feed needs a valid token (manage.py feed_url USERNAME).")
    response = HttpResponse(deadlines_calendar(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="claimwatch-deadlines.ics"'
    return response
