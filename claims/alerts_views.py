"""Public alert pages (DB): one-click unsubscribe, no login."""

from __future__ import annotations

from django.shortcuts import render
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
