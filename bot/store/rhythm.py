"""Rows of the circle's rhythm: check-in rule, pause, check-ins and their answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.domain.checkins import Checkin
from bot.domain.pauses import Pause
from bot.store.database import Database


async def get_pause(db: Database, circle_id: str) -> Pause | None:
    row = await db.fetch_one(
        "SELECT paused, paused_until FROM circle_rhythm WHERE circle_id = ?", (circle_id,)
    )
    if row is None or not row["paused"]:
        return None
    until = row["paused_until"]
    return Pause(date.fromisoformat(until) if until else None)


async def _ensure(db: Database, circle_id: str) -> None:
    await db.execute("INSERT OR IGNORE INTO circle_rhythm (circle_id) VALUES (?)", (circle_id,))


async def set_pause(db: Database, circle_id: str, pause: Pause | None) -> None:
    await _ensure(db, circle_id)
    await db.execute(
        "UPDATE circle_rhythm SET paused = ?, paused_until = ? WHERE circle_id = ?",
        (
            1 if pause else 0,
            pause.until.isoformat() if pause and pause.until else None,
            circle_id,
        ),
    )


async def get_rule_key(db: Database, circle_id: str) -> str | None:
    row = await db.fetch_one(
        "SELECT checkin_rule FROM circle_rhythm WHERE circle_id = ?", (circle_id,)
    )
    return str(row[0]) if row and row[0] else None


async def set_rule_key(db: Database, circle_id: str, key: str) -> None:
    await _ensure(db, circle_id)
    await db.execute(
        "UPDATE circle_rhythm SET checkin_rule = ? WHERE circle_id = ?", (key, circle_id)
    )


def _checkin(r: Any) -> Checkin:
    return Checkin(
        number=r["number"],
        circle_id=r["circle_id"],
        opened_at=datetime.fromisoformat(r["opened_at"]),
        remind_at=datetime.fromisoformat(r["remind_at"]),
        closes_at=datetime.fromisoformat(r["closes_at"]),
        status=r["status"],
        root_event_id=None,
        reminded=bool(r["reminded"]),
        opened_by=r["opened_by"],
    )


async def open_checkin(db: Database, circle_id: str) -> Checkin | None:
    row = await db.fetch_one(
        "SELECT * FROM checkins WHERE circle_id = ? AND status = 'open'", (circle_id,)
    )
    return _checkin(row) if row else None


async def all_open_checkins(db: Database) -> list[Checkin]:
    return [_checkin(r) for r in await db.fetch_all("SELECT * FROM checkins WHERE status = 'open'")]


async def get_checkin(db: Database, circle_id: str, number: int) -> Checkin | None:
    row = await db.fetch_one(
        "SELECT * FROM checkins WHERE circle_id = ? AND number = ?", (circle_id, number)
    )
    return _checkin(row) if row else None


async def all_checkins(db: Database, circle_id: str) -> list[Checkin]:
    rows = await db.fetch_all(
        "SELECT * FROM checkins WHERE circle_id = ? ORDER BY number", (circle_id,)
    )
    return [_checkin(r) for r in rows]


async def next_checkin_number(db: Database, circle_id: str) -> int:
    row = await db.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM checkins WHERE circle_id = ?", (circle_id,)
    )
    return int(row[0]) if row else 1


async def insert_checkin(db: Database, checkin: Checkin) -> None:
    await db.execute(
        "INSERT INTO checkins (circle_id, number, opened_at, remind_at, closes_at, status,"
        " opened_by) VALUES (?, ?, ?, ?, ?, 'open', ?)",
        (
            checkin.circle_id,
            checkin.number,
            checkin.opened_at.isoformat(),
            checkin.remind_at.isoformat(),
            checkin.closes_at.isoformat(),
            checkin.opened_by,
        ),
    )


async def mark_reminded(db: Database, circle_id: str, number: int) -> None:
    await db.execute(
        "UPDATE checkins SET reminded = 1 WHERE circle_id = ? AND number = ?", (circle_id, number)
    )


async def close_checkin(db: Database, circle_id: str, number: int, at: datetime) -> None:
    await db.execute(
        "UPDATE checkins SET status = 'closed', closed_at = ? WHERE circle_id = ? AND number = ?",
        (at.isoformat(), circle_id, number),
    )


async def add_answer(
    db: Database, event_id: str, circle_id: str, number: int, author: str, text: str, at: datetime
) -> None:
    await db.execute(
        "INSERT OR IGNORE INTO checkin_answers (event_id, circle_id, number, author, text,"
        " answered_at) VALUES (?, ?, ?, ?, ?, ?)",
        (event_id, circle_id, number, author, text, at.isoformat()),
    )


async def correct_answer(db: Database, event_id: str, author: str, text: str) -> bool:
    """Replace the text of a check-in answer by its author's edit; False if none is theirs."""
    cur = await db.conn.execute(
        "UPDATE checkin_answers SET text = ? WHERE event_id = ? AND author = ?",
        (text, event_id, author),
    )
    return cur.rowcount == 1


async def answers(db: Database, circle_id: str, number: int) -> list[tuple[str, str]]:
    """(author, text) of a check-in's answers, in order."""
    rows = await db.fetch_all(
        "SELECT author, text FROM checkin_answers WHERE circle_id = ? AND number = ?"
        " ORDER BY answered_at",
        (circle_id, number),
    )
    return [(r["author"], r["text"]) for r in rows]


async def last_run(db: Database, job_id: str) -> datetime | None:
    row = await db.fetch_one("SELECT last_run FROM job_runs WHERE job_id = ?", (job_id,))
    return datetime.fromisoformat(row[0]) if row else None


async def set_last_run(db: Database, job_id: str, at: datetime) -> None:
    await db.execute(
        "INSERT INTO job_runs (job_id, last_run) VALUES (?, ?)"
        " ON CONFLICT(job_id) DO UPDATE SET last_run = excluded.last_run",
        (job_id, at.isoformat()),
    )


async def recap_posted(db: Database, circle_id: str, month: str) -> bool:
    row = await db.fetch_one(
        "SELECT 1 FROM recaps WHERE circle_id = ? AND month = ?", (circle_id, month)
    )
    return row is not None


async def mark_recap_posted(db: Database, circle_id: str, month: str, at: datetime) -> bool:
    cur = await db.conn.execute(
        "INSERT OR IGNORE INTO recaps (circle_id, month, posted_at) VALUES (?, ?, ?)",
        (circle_id, month, at.isoformat()),
    )
    return cur.rowcount == 1


# ---- people's data ----
async def drop_answer(db: Database, circle_id: str, event_id: str) -> bool:
    """A check-in answer whose message was deleted; True if there was one."""
    cur = await db.conn.execute(
        "DELETE FROM checkin_answers WHERE event_id = ? AND circle_id = ?", (event_id, circle_id)
    )
    return cur.rowcount == 1


async def erase_answer_texts(db: Database, author: str) -> None:
    """A forgotten member's check-in answers keep counting, without their words."""
    await db.execute("UPDATE checkin_answers SET text = '' WHERE author = ?", (author,))
