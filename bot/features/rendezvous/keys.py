"""What a rendez-vous's messages and jobs are known by: outbox purposes and job ids.

Purposes name the rendez-vous and the room last (room ids hold colons):
``rdv-status:3:!room``, ``rdv-poll-2:3:!room`` (the poll of slot 2), ``rdv-start:3:!room``.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS = "rdv-status"
POLL = "rdv-poll-"
START = "rdv-start"
ANNOUNCE = "rdv-announce"


def status_purpose(circle_id: str, number: int) -> str:
    return f"{STATUS}:{number}:{circle_id}"


def poll_purpose(circle_id: str, number: int, slot: int) -> str:
    return f"{POLL}{slot}:{number}:{circle_id}"


def start_purpose(circle_id: str, number: int) -> str:
    return f"{START}:{number}:{circle_id}"


def announce_purpose(circle_id: str, number: int) -> str:
    return f"{ANNOUNCE}:{number}:{circle_id}"


@dataclass(frozen=True)
class Named:
    """A purpose read back: its kind, the slot (polls only), the rendez-vous, the circle."""

    kind: str
    slot: int
    number: int
    circle_id: str


def parse_purpose(text: str) -> Named | None:
    """``rdv-poll-2:3:!room`` → Named("poll", 2, 3, "!room"); None for any other purpose."""
    kind, _, rest = text.partition(":")
    number, _, circle_id = rest.partition(":")
    if not (number.isascii() and number.isdigit()) or not circle_id:
        return None
    if kind.startswith(POLL):
        slot = kind.removeprefix(POLL)
        if slot.isascii() and slot.isdigit():
            return Named("poll", int(slot), int(number), circle_id)
        return None
    if kind in (STATUS, START, ANNOUNCE):
        return Named(kind.removeprefix("rdv-"), 0, int(number), circle_id)
    return None


def step_job_id(step: str, circle_id: str, number: int) -> str:
    """The job of one reminder ``step`` (``day``, ``hour``, ``start``) of rendez-vous #N."""
    return f"rdv-{step}:{number}:{circle_id}"


def rule_job_id(circle_id: str) -> str:
    """The circle's monthly job that proposes or announces the next rendez-vous."""
    return f"rdv-rule:{circle_id}"
