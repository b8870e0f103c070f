"""The monthly check-in: its timeline, its reminder, and what its answers bring up.

A check-in opens (the questions are posted), sends one reminder after
``remind_after_days`` to members who have not answered, and closes after
``close_after_days`` with a recap. Durations are counted in the circle's local
calendar: opened on Monday 10:00, it reminds on Thursday 10:00 even across a
daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, NamedTuple

from bot.domain.structures import absent_structures

DEFAULT_REMIND_AFTER_DAYS = 3
DEFAULT_CLOSE_AFTER_DAYS = 7

CheckinStatus = Literal["open", "closed"]
CheckinStep = Literal["remind", "close"]


@dataclass
class Checkin:
    """One monthly check-in of a circle, numbered per circle."""

    number: int
    circle_id: str
    opened_at: datetime
    remind_at: datetime
    closes_at: datetime
    status: CheckinStatus = "open"
    root_event_id: str | None = None
    reminded: bool = False
    opened_by: str | None = None  # who launched it by command; None for the monthly rule


def open_checkin(
    now: datetime,
    *,
    number: int = 0,
    circle_id: str = "",
    remind_after_days: int = DEFAULT_REMIND_AFTER_DAYS,
    close_after_days: int = DEFAULT_CLOSE_AFTER_DAYS,
) -> Checkin:
    """A check-in opened at ``now`` (timezone-aware, in the circle's time zone).

    The reminder and the close fall at the same local time ``remind_after_days`` and
    ``close_after_days`` later. ``number`` and ``circle_id`` are the store's to assign.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not 0 < remind_after_days < close_after_days:
        raise ValueError(
            f"need 0 < remind_after_days < close_after_days, "
            f"got {remind_after_days} and {close_after_days}"
        )
    return Checkin(
        number=number,
        circle_id=circle_id,
        opened_at=now,
        remind_at=_local_days_later(now, remind_after_days),
        closes_at=_local_days_later(now, close_after_days),
    )


def _local_days_later(moment: datetime, days: int) -> datetime:
    # Aware arithmetic keeps the wall-clock time in the same tzinfo (a local calendar day);
    # the UTC round trip fixes the offset and moves a wall time that does not exist.
    return (moment + timedelta(days=days)).astimezone(UTC).astimezone(moment.tzinfo)


def due_steps(checkin: Checkin, now: datetime) -> list[CheckinStep]:
    """What an open check-in still has to do at ``now``: ``remind``, ``close``, or nothing.

    After an outage that spans both times, only ``close`` is due: a reminder right before
    the close would be noise.
    """
    if checkin.status != "open":
        return []
    # Instants compare in UTC: datetimes sharing a tzinfo compare by wall time otherwise.
    now_utc = now.astimezone(UTC)
    if now_utc >= checkin.closes_at.astimezone(UTC):
        return ["close"]
    if not checkin.reminded and now_utc >= checkin.remind_at.astimezone(UTC):
        return ["remind"]
    return []


class ReminderTargets(NamedTuple):
    """Who the reminder mentions, and which structures have not answered at all."""

    users_to_ping: list[str]
    absent_structures: list[str]


def reminder_targets(
    members: Mapping[str, str | None],
    answered: set[str],
    bots: set[str],
    not_pinged: frozenset[str] = frozenset(),
) -> ReminderTargets:
    """Members who have not answered yet (bots and ``not_pinged`` left out, such as whoever
    launched the check-in), and structures still absent (counting everyone but bots).

    ``members`` maps each member to their structure (``None`` if not declared).
    """
    people = {user: structure for user, structure in members.items() if user not in bots}
    to_ping = sorted(user for user in people if user not in answered and user not in not_pinged)
    return ReminderTargets(to_ping, absent_structures(answered, people))
