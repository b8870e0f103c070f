"""Members away (« !absent jusqu'au 15/1 »): until then no reminder or ping reaches them.

Every feature that pings people (check-in reminders, chantier messages, rendez-vous
reminders) asks ``away_members`` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.store.database import Database


@dataclass(frozen=True)
class Absence:
    user_id: str
    until: date | None  # included; None: until « !absent fin »
    reason: str | None

    def holds_on(self, day: date) -> bool:
        return self.until is None or day <= self.until


async def set_absence(db: Database, circle_id: str, absence: Absence, now: datetime) -> None:
    await db.execute(
        "INSERT INTO absences (circle_id, user_id, until, reason, since) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(circle_id, user_id) DO UPDATE SET until = excluded.until,"
        " reason = excluded.reason, since = excluded.since",
        (
            circle_id,
            absence.user_id,
            absence.until.isoformat() if absence.until else None,
            absence.reason,
            now.isoformat(),
        ),
    )


async def end_absence(db: Database, circle_id: str, user_id: str) -> bool:
    """« !absent fin »; False if she was not away."""
    found = await get_absence(db, circle_id, user_id)
    await db.execute(
        "DELETE FROM absences WHERE circle_id = ? AND user_id = ?", (circle_id, user_id)
    )
    return found is not None


async def get_absence(db: Database, circle_id: str, user_id: str) -> Absence | None:
    row = await db.fetch_one(
        "SELECT user_id, until, reason FROM absences WHERE circle_id = ? AND user_id = ?",
        (circle_id, user_id),
    )
    if row is None:
        return None
    return Absence(row["user_id"], date.fromisoformat(row["until"]) if row["until"] else None,
                   row["reason"])  # fmt: skip


async def away_members(db: Database, circle_id: str, day: date) -> frozenset[str]:
    """Who of the circle is away on ``day`` (the circle's local date): ping none of them."""
    rows = await db.fetch_all(
        "SELECT user_id FROM absences WHERE circle_id = ? AND (until IS NULL OR until >= ?)",
        (circle_id, day.isoformat()),
    )
    return frozenset(r["user_id"] for r in rows)
