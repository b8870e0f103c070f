"""The calendar invitation of a rendez-vous: an iCalendar (.ics) file, RFC 5545.

Built with the ``icalendar`` library; the start and end keep the circle's time zone (``TZID``)
and the file carries that zone's ``VTIMEZONE``, so calendars import it without warnings and
place it at the same instant on either side of a daylight-saving change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

PRODUCT_ID = "-//Cercle de cooperation//Rendez-vous//FR"


@dataclass(frozen=True)
class Invitation:
    uid: str  # stable per rendez-vous: a new file for the same meeting updates it
    starts_at: datetime  # aware, in the circle's zone
    duration: timedelta
    title: str
    description: str
    link: str | None
    stamp: datetime  # when the file was made (DTSTAMP)


def invitation_ics(invitation: Invitation) -> bytes:
    """The .ics bytes of one event.

    >>> from zoneinfo import ZoneInfo
    >>> at = datetime(2026, 12, 8, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    >>> ics = invitation_ics(Invitation("rdv-1@cercle", at, timedelta(hours=1), "Rendez-vous",
    ...                                 "", None, datetime(2026, 12, 1, tzinfo=UTC)))
    >>> b"DTSTART;TZID=Europe/Paris:20261208T180000" in ics, b"BEGIN:VTIMEZONE" in ics
    (True, True)
    """
    if invitation.starts_at.tzinfo is None:
        raise ValueError("the start of a rendez-vous must carry its time zone")
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", invitation.uid)
    event.add("dtstamp", invitation.stamp.astimezone(UTC))
    event.add("dtstart", invitation.starts_at)
    event.add("dtend", invitation.starts_at + invitation.duration)
    event.add("summary", invitation.title)
    if invitation.description:
        event.add("description", invitation.description)
    if invitation.link:
        event.add("location", invitation.link)
        event.add("url", invitation.link)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
