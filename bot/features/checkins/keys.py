"""What a check-in's messages and jobs are known by: outbox purposes and job ids."""

from __future__ import annotations

from bot.store.purposes import Purpose, PurposeKind

# A reply to the check-in or to its reminder is an answer.
ANSWERED_PURPOSES = (PurposeKind.CHECKIN, PurposeKind.CHECKIN_REMINDER)


def checkin_purpose(circle_id: str, number: int) -> str:
    return Purpose(PurposeKind.CHECKIN, number, circle_id).text()


def reminder_purpose(circle_id: str, number: int) -> str:
    return Purpose(PurposeKind.CHECKIN_REMINDER, number, circle_id).text()


def recap_purpose(circle_id: str, number: int) -> str:
    return Purpose(PurposeKind.CHECKIN_RECAP, number, circle_id).text()


def open_job_id(circle_id: str) -> str:
    """The circle's monthly job that opens a check-in."""
    return f"checkin-open:{circle_id}"


def step_job_id(step: str, circle_id: str, number: int) -> str:
    """The job of one check-in's ``step`` (``remind`` or ``close``)."""
    return f"checkin-{step}:{number}:{circle_id}"
