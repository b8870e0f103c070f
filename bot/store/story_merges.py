"""Rows of merged stories and co-authors (« !histoire fusionner 9 4 »)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.store.database import Database


@dataclass(frozen=True)
class MergeRow:
    """Story ``merged`` went into ``into_story``."""

    merged: int
    into_story: int
    merged_by: str
    merged_at: datetime


async def record_merge(
    db: Database, circle_id: str, merged: int, into_story: int, by: str, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO story_merges (circle_id, merged, into_story, merged_by, merged_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (circle_id, merged, into_story, by, now.isoformat()),
    )


async def merge_of(db: Database, circle_id: str, merged: int) -> MergeRow | None:
    """Where story ``merged`` went, if it was merged."""
    row = await db.fetch_one(
        "SELECT merged, into_story, merged_by, merged_at FROM story_merges"
        " WHERE circle_id = ? AND merged = ?",
        (circle_id, merged),
    )
    if row is None:
        return None
    return MergeRow(row[0], row[1], row[2], datetime.fromisoformat(row[3]))


async def merged_into(db: Database, circle_id: str, story: int) -> list[int]:
    """The stories merged into ``story``, by number."""
    rows = await db.fetch_all(
        "SELECT merged FROM story_merges WHERE circle_id = ? AND into_story = ? ORDER BY merged",
        (circle_id, story),
    )
    return [int(r[0]) for r in rows]


async def add_coauthors(db: Database, circle_id: str, story: int, users: list[str]) -> None:
    for user in users:
        await db.execute(
            "INSERT OR IGNORE INTO story_coauthors (circle_id, story_number, user_id)"
            " VALUES (?, ?, ?)",
            (circle_id, story, user),
        )


async def coauthors(db: Database, circle_id: str, story: int) -> list[str]:
    rows = await db.fetch_all(
        "SELECT user_id FROM story_coauthors WHERE circle_id = ? AND story_number = ?"
        " ORDER BY rowid",
        (circle_id, story),
    )
    return [str(r[0]) for r in rows]


async def move_blockers(db: Database, circle_id: str, from_story: int, to_story: int) -> int:
    """Blockers reformulated as ``from_story`` now point at ``to_story``; how many moved."""
    cur = await db.conn.execute(
        "UPDATE blockers SET story_number = ? WHERE circle_id = ? AND story_number = ?",
        (to_story, circle_id, from_story),
    )
    return cur.rowcount


async def set_blocker_themes(db: Database, circle_id: str, number: int, themes: list[str]) -> None:
    await db.execute(
        "UPDATE blockers SET themes_json = ? WHERE circle_id = ? AND number = ?",
        (json.dumps(themes, ensure_ascii=False), circle_id, number),
    )
