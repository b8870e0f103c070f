"""One person's rows across every table that names her: read them (``!mesdonnees``), give
them to her alias or delete them (``!oublier``); and the small tables of people's choices
(thanks declined, a forget request waiting for its confirmation).

Table and column names come from the features' declarations, checked against ``_PEOPLE``:
nothing a user typed ever becomes SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.store.database import Database

# Every (table, column) that holds a person's user id.
_PEOPLE = {
    ("stories", "author"), ("stories", "porteur"), ("blockers", "author"),
    ("story_proposals", "author"), ("story_dialogues", "author"),
    ("ballots", "voter"), ("poll_points", "voter"), ("votes", "opened_by"),
    ("checkin_answers", "author"), ("checkins", "opened_by"),
    ("sprint_retro_answers", "author"), ("sprints", "created_by"),
    ("memberships", "user_id"), ("memberships", "set_by"), ("member_names", "user_id"),
    ("direct_rooms", "user_id"), ("thanks_declined", "user_id"),
    ("forget_requests", "user_id"),
    ("rendezvous", "proposed_by"), ("rendezvous_answers", "user_id"),
    ("rendezvous_attendance", "user_id"), ("rendezvous_attendance", "recorded_by"),
    ("absences", "user_id"),
    ("proposals", "author"), ("proposals", "closed_by"), ("proposal_rounds", "opened_by"),
    ("proposal_answers", "member"),
}  # fmt: skip


def _checked(table: str, column: str) -> tuple[str, str]:
    if (table, column) not in _PEOPLE:
        raise ValueError(f"{table}.{column} is no column of people")
    return table, column


async def rows_of(
    db: Database, table: str, column: str, user_id: str, where: str = ""
) -> list[dict[str, Any]]:
    """Every row of ``table`` whose ``column`` is ``user_id`` (``where``: a fixed extra
    condition of the caller, such as ``erased_at IS NULL``)."""
    table, column = _checked(table, column)
    extra = f" AND {where}" if where else ""
    rows = await db.fetch_all(f"SELECT * FROM {table} WHERE {column} = ?{extra}", (user_id,))
    return [dict(r) for r in rows]


async def give_to_alias(
    db: Database, table: str, column: str, user_id: str, alias_of: Callable[[str], str]
) -> int:
    """Replace ``user_id`` in ``table.column`` by her alias in each circle (the table's
    ``circle_id``); how many rows changed."""
    table, column = _checked(table, column)
    circles = await db.fetch_all(
        f"SELECT DISTINCT circle_id FROM {table} WHERE {column} = ?", (user_id,)
    )
    changed = 0
    for row in circles:
        cur = await db.conn.execute(
            f"UPDATE {table} SET {column} = ? WHERE {column} = ? AND circle_id = ?",
            (alias_of(row[0]), user_id, row[0]),
        )
        changed += cur.rowcount
    return changed


async def delete_rows_of(db: Database, table: str, column: str, user_id: str) -> int:
    table, column = _checked(table, column)
    cur = await db.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (user_id,))
    return cur.rowcount


async def forget_sender(db: Database, user_id: str) -> None:
    """The handled-events log keeps who sent each command (to check an edit): not hers."""
    await db.execute("UPDATE processed_events SET sender = NULL WHERE sender = ?", (user_id,))
    # Who invited the bot into a circle: as for a circle adopted without a record.
    await db.execute("UPDATE circles SET invited_by = '?' WHERE invited_by = ?", (user_id,))


# ---- thanks by name ----
async def declines_thanks(db: Database, user_id: str) -> bool:
    row = await db.fetch_one("SELECT 1 FROM thanks_declined WHERE user_id = ?", (user_id,))
    return row is not None


async def who_declines_thanks(db: Database) -> set[str]:
    return {str(r[0]) for r in await db.fetch_all("SELECT user_id FROM thanks_declined")}


async def set_declines_thanks(db: Database, user_id: str, declines: bool, now: datetime) -> None:
    if declines:
        await db.execute(
            "INSERT OR IGNORE INTO thanks_declined (user_id, since) VALUES (?, ?)",
            (user_id, now.isoformat()),
        )
    else:
        await db.execute("DELETE FROM thanks_declined WHERE user_id = ?", (user_id,))


# ---- a forget request waiting for its confirmation ----
async def ask_to_forget(db: Database, user_id: str, now: datetime) -> None:
    await db.execute(
        "INSERT OR REPLACE INTO forget_requests (user_id, asked_at) VALUES (?, ?)",
        (user_id, now.isoformat()),
    )


async def forget_asked_at(db: Database, user_id: str) -> datetime | None:
    row = await db.fetch_one("SELECT asked_at FROM forget_requests WHERE user_id = ?", (user_id,))
    return datetime.fromisoformat(row[0]) if row else None
