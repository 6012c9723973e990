"""iCalendar feed of upcoming deadlines (DB read): one all-day event per open claim's window."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from claims.models import ACTIVE_STATUSES, Claim


def deadlines_calendar(*, now: dt.datetime | None = None) -> bytes:
    """Every active claim with a deadline window ending today or later, as VEVENTs.

    UIDs are stable per claim, so calendar clients update an event when its deadline moves.
    """
    now = now or timezone.now()
    site = settings.SITE_URL.rstrip("/")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Claimwatch//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Claimwatch: upcoming deadlines")
    claims = Claim.objects.filter(
        status__in=ACTIVE_STATUSES,
        deadline_latest__isnull=False,
        deadline_latest__gte=timezone.localdate(now),
    ).order_by("deadline_latest", "pk")
    for claim in claims.iterator(chunk_size=500):
        start = claim.deadline_earliest or claim.deadline_latest
        event = icalendar.Event()
        event.add("uid", f"claim-{claim.pk}@{site.split('://', 1)[-1]}")
        event.add("dtstamp", now)
        event.add(
            "summary",
            f"Due: {claim.statement[:120]}" + (f" — {claim.speaker}" if claim.speaker else ""),
        )
        event.add("dtstart", start)
        event.add("dtend", claim.deadline_latest + dt.timedelta(days=1))  # DTEND is exclusive
        url = site + reverse("admin:claims_claim_change", args=[claim.pk])
        event.add("url", url)
        lines = [claim.statement, f"Status: {claim.get_status_display()}"]
        if claim.deadline_text:
            lines.append(f'Deadline: "{claim.deadline_text}"')
        if claim.deadline_rule:
            lines.append(f"How it was computed: {claim.deadline_rule}")
        lines.append(url)
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    return cal.to_ical()
