"""The .ics invitation of a rendez-vous: read back by a calendar library at the same instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.domain.invitation import Invitation, invitation_ics

PARIS = ZoneInfo("Europe/Paris")


def invitation(at: datetime, link: str | None = "https://meet.jit.si/Cercle") -> Invitation:
    return Invitation(
        uid="rdv-3-cercle@cercle",
        starts_at=at,
        duration=timedelta(minutes=90),
        title="Rendez-vous mensuel · Cercle des pionniers",
        description="Rendez-vous #3 du cercle",
        link=link,
        stamp=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 12, 8, 18, 0, tzinfo=PARIS),  # winter time
        datetime(2027, 3, 28, 18, 0, tzinfo=PARIS),  # the day clocks go forward
        datetime(2027, 10, 31, 18, 0, tzinfo=PARIS),  # the day clocks go back
        datetime(2027, 6, 15, 12, 30, tzinfo=PARIS),  # summer time
    ],
)
def test_the_invitation_parses_back_to_the_same_instant(at: datetime) -> None:
    data = invitation_ics(invitation(at))
    [event] = Calendar.from_ical(data).walk("VEVENT")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == at and start.utcoffset() == at.utcoffset()
    assert end - start == timedelta(minutes=90)


def test_the_invitation_carries_what_a_calendar_needs() -> None:
    data = invitation_ics(invitation(datetime(2027, 3, 28, 18, 0, tzinfo=PARIS)))
    calendar = Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Paris"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == "rdv-3-cercle@cercle"
    assert event.decoded("dtstamp") == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert str(event["LOCATION"]) == "https://meet.jit.si/Cercle"
    assert b"DTSTART;TZID=Europe/Paris:20270328T180000" in data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded as RFC 5545 asks


def test_without_a_link_there_is_no_location_and_a_naive_start_is_refused() -> None:
    data = invitation_ics(invitation(datetime(2026, 12, 8, 18, 0, tzinfo=PARIS), link=None))
    assert b"LOCATION" not in data
    with pytest.raises(ValueError):
        invitation_ics(invitation(datetime(2026, 12, 8, 18, 0)))
