"""Rows of the monthly rendez-vous: its slots, the answers per slot, the date chosen, who came."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from bot.domain.rendezvous import Answer
from bot.store.database import Database

RendezvousStatus = Literal["open", "chosen", "cancelled"]


@dataclass(frozen=True)
class RendezvousRow:
    """One rendez-vous of a circle, « #N »: its slots (number → start) and, once chosen, when."""

    circle_id: str
    number: int
    status: RendezvousStatus
    proposed_at: datetime
    proposed_by: str | None
    slots: dict[int, datetime]
    chosen_slot: int | None = None
    starts_at: datetime | None = None
    duration_minutes: int = 60
    link: str | None = None
    reminded_day: bool = False
    reminded_hour: bool = False
    started: bool = False

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


async def next_number(db: Database, circle_id: str) -> int:
    row = await db.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM rendezvous WHERE circle_id = ?", (circle_id,)
    )
    return int(row[0]) if row else 1


async def insert(
    db: Database,
    circle_id: str,
    number: int,
    slots: list[datetime],
    proposed_by: str | None,
    now: datetime,
) -> None:
    await db.execute(
        "INSERT INTO rendezvous (circle_id, number, proposed_by, proposed_at, status)"
        " VALUES (?, ?, ?, ?, 'open')",
        (circle_id, number, proposed_by, now.isoformat()),
    )
    for index, starts_at in enumerate(slots, start=1):
        await db.execute(
            "INSERT INTO rendezvous_slots (circle_id, number, slot, starts_at) VALUES (?, ?, ?, ?)",
            (circle_id, number, index, starts_at.isoformat()),
        )


async def _slots(db: Database, circle_id: str, number: int) -> dict[int, datetime]:
    rows = await db.fetch_all(
        "SELECT slot, starts_at FROM rendezvous_slots WHERE circle_id = ? AND number = ?"
        " ORDER BY slot",
        (circle_id, number),
    )
    return {r["slot"]: datetime.fromisoformat(r["starts_at"]) for r in rows}


async def _row(db: Database, r: Any) -> RendezvousRow:
    return RendezvousRow(
        circle_id=r["circle_id"],
        number=r["number"],
        status=r["status"],
        proposed_at=datetime.fromisoformat(r["proposed_at"]),
        proposed_by=r["proposed_by"],
        slots=await _slots(db, r["circle_id"], r["number"]),
        chosen_slot=r["chosen_slot"],
        starts_at=datetime.fromisoformat(r["starts_at"]) if r["starts_at"] else None,
        duration_minutes=r["duration_minutes"],
        link=r["link"],
        reminded_day=bool(r["reminded_day"]),
        reminded_hour=bool(r["reminded_hour"]),
        started=bool(r["started"]),
    )


async def get(db: Database, circle_id: str, number: int) -> RendezvousRow | None:
    row = await db.fetch_one(
        "SELECT * FROM rendezvous WHERE circle_id = ? AND number = ?", (circle_id, number)
    )
    return await _row(db, row) if row else None


async def open_poll(db: Database, circle_id: str) -> RendezvousRow | None:
    """The rendez-vous whose date is being looked for, if any."""
    row = await db.fetch_one(
        "SELECT * FROM rendezvous WHERE circle_id = ? AND status = 'open'", (circle_id,)
    )
    return await _row(db, row) if row else None


async def latest_chosen(db: Database, circle_id: str) -> RendezvousRow | None:
    """The rendez-vous with a date fixed most recently (the next one, or the last held)."""
    row = await db.fetch_one(
        "SELECT * FROM rendezvous WHERE circle_id = ? AND status = 'chosen'"
        " ORDER BY number DESC LIMIT 1",
        (circle_id,),
    )
    return await _row(db, row) if row else None


async def latest(db: Database, circle_id: str) -> RendezvousRow | None:
    row = await db.fetch_one(
        "SELECT * FROM rendezvous WHERE circle_id = ? ORDER BY number DESC LIMIT 1", (circle_id,)
    )
    return await _row(db, row) if row else None


async def chosen_in(db: Database, circle_id: str) -> list[RendezvousRow]:
    """Every rendez-vous of the circle with a date fixed, oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM rendezvous WHERE circle_id = ? AND status = 'chosen' ORDER BY number",
        (circle_id,),
    )
    return [await _row(db, r) for r in rows]


async def all_upcoming(db: Database, after: datetime) -> list[RendezvousRow]:
    """Every circle's chosen rendez-vous not over yet (their jobs, rebuilt at start)."""
    rows = await db.fetch_all("SELECT * FROM rendezvous WHERE status = 'chosen'")
    found = [await _row(db, r) for r in rows]
    return [r for r in found if r.ends_at is not None and r.ends_at > after]


async def choose(
    db: Database, circle_id: str, number: int, slot: int, starts_at: datetime, link: str | None,
    duration_minutes: int,
) -> None:  # fmt: skip
    await db.execute(
        "UPDATE rendezvous SET status = 'chosen', chosen_slot = ?, starts_at = ?, link = ?,"
        " duration_minutes = ? WHERE circle_id = ? AND number = ?",
        (slot, starts_at.isoformat(), link, duration_minutes, circle_id, number),
    )


async def set_link(db: Database, circle_id: str, number: int, link: str) -> None:
    await db.execute(
        "UPDATE rendezvous SET link = ? WHERE circle_id = ? AND number = ?",
        (link, circle_id, number),
    )


ReminderStep = Literal["day", "hour", "start"]
_STEP_COLUMNS: dict[str, str] = {"day": "reminded_day", "hour": "reminded_hour", "start": "started"}


async def mark_step(db: Database, circle_id: str, number: int, step: ReminderStep) -> bool:
    """Mark a reminder (or the « it starts » message) as done; False if it already was."""
    column = _STEP_COLUMNS[step]
    row = await db.fetch_one(
        f"SELECT {column} FROM rendezvous WHERE circle_id = ? AND number = ?", (circle_id, number)
    )
    if row is None or row[0]:
        return False
    await db.execute(
        f"UPDATE rendezvous SET {column} = 1 WHERE circle_id = ? AND number = ?",
        (circle_id, number),
    )
    return True


# ---- answers ----
async def record_answers(
    db: Database,
    circle_id: str,
    number: int,
    user_id: str,
    answers: dict[int, Answer],
    at: datetime,
    event_id: str | None,
) -> bool:
    """Keep these answers unless newer ones are kept already; True if any was kept."""
    kept = False
    stamp = at.astimezone(UTC).isoformat()  # compared as text: one offset for all
    for slot, answer in answers.items():
        newer = await db.fetch_one(
            "SELECT 1 FROM rendezvous_answers WHERE circle_id = ? AND number = ? AND user_id = ?"
            " AND slot = ? AND answered_at > ?",
            (circle_id, number, user_id, slot, stamp),
        )
        if newer is not None:
            continue
        kept = True
        await db.execute(
            "INSERT INTO rendezvous_answers (circle_id, number, user_id, slot, answer,"
            " answered_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(circle_id, number, user_id, slot) DO UPDATE SET"
            " answer = excluded.answer, answered_at = excluded.answered_at,"
            " event_id = excluded.event_id",
            (circle_id, number, user_id, slot, str(answer), stamp, event_id),
        )
    return kept


async def answers(db: Database, circle_id: str, number: int) -> dict[str, dict[int, Answer]]:
    """Each person's latest answer per slot."""
    rows = await db.fetch_all(
        "SELECT user_id, slot, answer FROM rendezvous_answers WHERE circle_id = ? AND number = ?",
        (circle_id, number),
    )
    found: dict[str, dict[int, Answer]] = {}
    for r in rows:
        found.setdefault(r["user_id"], {})[r["slot"]] = Answer(r["answer"])
    return found


# ---- attendance ----
async def record_attendance(
    db: Database,
    circle_id: str,
    number: int,
    people: Iterable[tuple[str, str | None]],
    by: str,
    at: datetime,
) -> int:
    """Add people (with their structure) to those who came; how many were new."""
    added = 0
    for user_id, structure in people:
        known = await db.fetch_one(
            "SELECT 1 FROM rendezvous_attendance WHERE circle_id = ? AND number = ?"
            " AND user_id = ?",
            (circle_id, number, user_id),
        )
        if known is not None:
            continue
        added += 1
        await db.execute(
            "INSERT OR IGNORE INTO rendezvous_attendance (circle_id, number, user_id, structure,"
            " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            (circle_id, number, user_id, structure, by, at.isoformat()),
        )
    return added


async def attendance(db: Database, circle_id: str, number: int) -> dict[str, str | None]:
    """Who came to rendez-vous #N, and their structure on that day."""
    rows = await db.fetch_all(
        "SELECT user_id, structure FROM rendezvous_attendance WHERE circle_id = ? AND number = ?",
        (circle_id, number),
    )
    return {r["user_id"]: r["structure"] for r in rows}


async def drop_answers_of_event(db: Database, circle_id: str, event_id: str) -> int | None:
    """A deleted answer message withdraws the answers it gave; the rendez-vous's number."""
    row = await db.fetch_one(
        "SELECT number FROM rendezvous_answers WHERE circle_id = ? AND event_id = ?",
        (circle_id, event_id),
    )
    if row is None:
        return None
    await db.execute(
        "DELETE FROM rendezvous_answers WHERE circle_id = ? AND event_id = ?",
        (circle_id, event_id),
    )
    return int(row[0])
