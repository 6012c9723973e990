"""The Atom feed of status changes: well-formed, the right entries, a token where private."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.feeds import feed_token
from claims.models import Claim, StatusChange

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def changes():
    port = Claim.objects.create(
        statement="the <b>contract</b> will be signed", speaker="Port board"
    )
    bridge = Claim.objects.create(statement="the bridge will reopen", speaker="City council")
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    rows = [
        (port, "open", "", "created"),
        (port, "overdue", "open", "deadline_passed"),
        (bridge, "missed", "overdue", "grace_expired"),
    ]
    for i, (claim, new, old, reason) in enumerate(rows):
        StatusChange.objects.create(
            claim=claim,
            old_status=old,
            new_status=new,
            reason=reason,
            recorded_at=at + dt.timedelta(hours=i),
        )


def entries(response) -> list[str]:
    root = ET.fromstring(response.content)  # noqa: S314  our own feed; raises if malformed
    assert root.tag == f"{ATOM}feed"
    return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]


def test_feed_lists_changes_newest_first_and_filters(client, changes, editor):
    url = reverse("feeds-changes")
    token = feed_token(editor)

    all_entries = entries(client.get(url, {"token": token}))
    by_speaker = entries(client.get(url, {"token": token, "speaker": "port board"}))
    by_status = entries(client.get(url, {"token": token, "status": "missed"}))

    assert all_entries == [
        'Missed: "the bridge will reopen" — City council',
        'Overdue: "the <b>contract</b> will be signed" — Port board',
    ]
    assert by_speaker == ['Overdue: "the <b>contract</b> will be signed" — Port board']
    assert by_status == ['Missed: "the bridge will reopen" — City council']


def test_private_feed_needs_a_valid_token(client, changes, editor, settings):
    url = reverse("feeds-changes")

    assert client.get(url).status_code == 404
    assert client.get(url, {"token": f"{editor.pk}:forged"}).status_code == 404
    settings.ALERT_FEEDS_PUBLIC = True
    assert client.get(url).status_code == 200


def test_feed_url_command_prints_a_working_url(client, changes, editor, capsys):
    call_command("feed_url", editor.username)

    url = capsys.readouterr().out.strip()
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert len(entries(client.get("/" + path))) == 2


def test_deadlines_ics_parses_with_one_event_per_open_claim(client, editor, time_machine):
    import icalendar

    time_machine.move_to(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
    due = Claim.objects.create(
        statement="the depot will reopen by the end of next week",
        speaker="Transit board",
        deadline_earliest=dt.date(2026, 3, 20),
        deadline_latest=dt.date(2026, 3, 22),
        deadline_text="by the end of next week",
    )
    Claim.objects.create(statement="the pier will open", deadline_latest=dt.date(2026, 3, 1))
    Claim.objects.create(statement="no date here")

    response = client.get(reverse("feeds-deadlines"), {"token": feed_token(editor)})

    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == (
        "Due: the depot will reopen by the end of next week — Transit board"
    )
    assert event.decoded("dtstart") == dt.date(2026, 3, 20)
    assert event.decoded("dtend") == dt.date(2026, 3, 23)
    assert str(event["uid"]).startswith(f"claim-{due.pk}@")
    assert client.get(reverse("feeds-deadlines")).status_code == 404
