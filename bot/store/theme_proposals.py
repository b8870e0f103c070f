"""The last groups ``!themes`` showed in each circle, so ``!themes appliquer 2`` applies them."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.theme_groups import ThemeGroup
from bot.store.database import Database

PostItKey = tuple[str, int]  # ("story", 4) or ("blocker", 2)


async def remember(
    db: Database, circle_id: str, groups: list[ThemeGroup[PostItKey]], by: str, now: datetime
) -> None:
    """Keep ``groups`` as the circle's last proposal (the previous one is forgotten)."""
    stored = [{"hashtag": g.hashtag, "members": [list(m) for m in g.members]} for g in groups]
    await db.execute(
        "INSERT INTO theme_proposals (circle_id, groups_json, made_by, made_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (circle_id) DO UPDATE SET"
        " groups_json = excluded.groups_json, made_by = excluded.made_by,"
        " made_at = excluded.made_at",
        (circle_id, json.dumps(stored, ensure_ascii=False), by, now.isoformat()),
    )


async def last_proposal(db: Database, circle_id: str) -> list[ThemeGroup[PostItKey]] | None:
    """The groups last shown, or None if ``!themes`` was never asked."""
    row = await db.fetch_one(
        "SELECT groups_json FROM theme_proposals WHERE circle_id = ?", (circle_id,)
    )
    if row is None:
        return None
    return [
        ThemeGroup(str(g["hashtag"]), tuple((str(k), int(n)) for k, n in g["members"]))
        for g in json.loads(row[0])
    ]
