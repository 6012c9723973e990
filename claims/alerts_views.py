"""Public pages (DB): one-click unsubscribe (no login), resolved claims with ClaimReview."""

from __future__ import annotations

import json

from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from claims import alerts


@csrf_exempt  # RFC 8058: mail clients POST List-Unsubscribe=One-Click without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks (link scanners prefetch GETs); POST unsubscribes. The signed token is the key."""
    subscription = alerts.subscription_from_token(token)
    if subscription is None:
        return render(request, "claims/alerts/unsubscribe.html", {"subscription": None}, status=404)
    done = request.method == "POST"
    if done:
        alerts.unsubscribe(subscription)
    return render(
        request, "claims/alerts/unsubscribe.html", {"subscription": subscription, "done": done}
    )


def claim_review_page(request, claim_id: int):
    """Public page of an editor-resolved claim with its ClaimReview JSON-LD (public instances)."""
    from django.conf import settings
    from django.http import Http404

    from claims.claimreview import review_of

    review = review_of(claim_id) if settings.ALERT_PUBLIC_PAGES else None
    if review is None:
        raise Http404("No resolved claim here.")
    # JSON inside <script>: escape the characters that could end the element early.
    data = json.dumps(review, ensure_ascii=False).translate(
        {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
    )
    return render(
        request,
        "claims/alerts/claim_review.html",
        {"review": review, "json_ld": mark_safe(data)},  # noqa: S308
    )
