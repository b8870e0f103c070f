"""Rows of stories, blockers, free-text proposals and guided dialogues."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.domain.stories import Blocker, Story, StoryStatus
from bot.domain.story_parser import StoryParts
from bot.store.database import Database

_STORY_COLUMNS = (
    "circle_id, number, author, structure, text, role, need, benefit, need_connector,"
    " benefit_connector, themes_json, status, porteur, blocker_number, created_at,"
    " edited_at, done_at"
)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _story(r: aiosqlite.Row) -> Story:
    return Story(
        number=r["number"],
        circle_id=r["circle_id"],
        author=r["author"],
        text=r["text"],
        parts=StoryParts(
            role=r["role"],
            need=r["need"],
            benefit=r["benefit"],
            need_connector=r["need_connector"],
            benefit_connector=r["benefit_connector"],
        ),
        themes=json.loads(r["themes_json"]),
        status=StoryStatus(r["status"]),
        created_at=datetime.fromisoformat(r["created_at"]),
        porteur=r["porteur"],
        blocker_number=r["blocker_number"],
        structure=r["structure"],
        edited_at=_dt(r["edited_at"]),
        done_at=_dt(r["done_at"]),
    )


async def next_story_number(db: Database, circle_id: str) -> int:
    row = await db.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM stories WHERE circle_id = ?", (circle_id,)
    )
    return int(row[0]) if row else 1


async def insert_story(db: Database, story: Story) -> None:
    await db.execute(
        f"INSERT INTO stories ({_STORY_COLUMNS}) VALUES ({', '.join('?' * 17)})",
        _story_values(story),
    )


async def save_story(db: Database, story: Story) -> None:
    """Write back a story changed by a domain transition."""
    await db.execute(
        "UPDATE stories SET text = ?, role = ?, need = ?, benefit = ?, need_connector = ?,"
        " benefit_connector = ?, themes_json = ?, status = ?, porteur = ?, edited_at = ?,"
        " done_at = ? WHERE circle_id = ? AND number = ?",
        (
            story.text,
            story.parts.role,
            story.parts.need,
            story.parts.benefit,
            story.parts.need_connector,
            story.parts.benefit_connector,
            json.dumps(story.themes, ensure_ascii=False),
            story.status.value,
            story.porteur,
            story.edited_at.isoformat() if story.edited_at else None,
            story.done_at.isoformat() if story.done_at else None,
            story.circle_id,
            story.number,
        ),
    )


def _story_values(s: Story) -> tuple[object, ...]:
    return (
        s.circle_id,
        s.number,
        s.author,
        s.structure,
        s.text,
        s.parts.role,
        s.parts.need,
        s.parts.benefit,
        s.parts.need_connector,
        s.parts.benefit_connector,
        json.dumps(s.themes, ensure_ascii=False),
        s.status.value,
        s.porteur,
        s.blocker_number,
        s.created_at.isoformat(),
        s.edited_at.isoformat() if s.edited_at else None,
        s.done_at.isoformat() if s.done_at else None,
    )


async def get_story(db: Database, circle_id: str, number: int) -> Story | None:
    row = await db.fetch_one(
        f"SELECT {_STORY_COLUMNS} FROM stories WHERE circle_id = ? AND number = ?"
        " AND erased_at IS NULL",
        (circle_id, number),
    )
    return _story(row) if row else None


async def all_stories(db: Database, circle_id: str) -> list[Story]:
    rows = await db.fetch_all(
        f"SELECT {_STORY_COLUMNS} FROM stories WHERE circle_id = ? AND erased_at IS NULL"
        " ORDER BY number",
        (circle_id,),
    )
    return [_story(r) for r in rows]


# ---- blockers ----
def _blocker(r: aiosqlite.Row) -> Blocker:
    return Blocker(
        number=r["number"],
        circle_id=r["circle_id"],
        author=r["author"],
        text=r["text"],
        created_at=datetime.fromisoformat(r["created_at"]),
        themes=json.loads(r["themes_json"]),
        story_number=r["story_number"],
    )


async def next_blocker_number(db: Database, circle_id: str) -> int:
    row = await db.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM blockers WHERE circle_id = ?", (circle_id,)
    )
    return int(row[0]) if row else 1


async def insert_blocker(db: Database, blocker: Blocker) -> None:
    await db.execute(
        "INSERT INTO blockers (circle_id, number, author, text, themes_json, created_at,"
        " story_number) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            blocker.circle_id,
            blocker.number,
            blocker.author,
            blocker.text,
            json.dumps(blocker.themes, ensure_ascii=False),
            blocker.created_at.isoformat(),
            blocker.story_number,
        ),
    )


async def link_blocker(db: Database, circle_id: str, number: int, story_number: int) -> None:
    await db.execute(
        "UPDATE blockers SET story_number = ? WHERE circle_id = ? AND number = ?",
        (story_number, circle_id, number),
    )


async def get_blocker(db: Database, circle_id: str, number: int) -> Blocker | None:
    row = await db.fetch_one(
        "SELECT * FROM blockers WHERE circle_id = ? AND number = ? AND erased_at IS NULL",
        (circle_id, number),
    )
    return _blocker(row) if row else None


async def all_blockers(db: Database, circle_id: str) -> list[Blocker]:
    rows = await db.fetch_all(
        "SELECT * FROM blockers WHERE circle_id = ? AND erased_at IS NULL ORDER BY number",
        (circle_id,),
    )
    return [_blocker(r) for r in rows]


# ---- the message a story or blocker came from (a redaction of it erases them) ----
async def set_source(db: Database, table: str, circle_id: str, number: int, event_id: str) -> None:
    """Remember which message carried story (``table`` "stories") or blocker ``number``."""
    assert table in ("stories", "blockers")
    await db.execute(
        f"UPDATE {table} SET source_event_id = ? WHERE circle_id = ? AND number = ?",
        (event_id, circle_id, number),
    )


async def erase_by_source(
    db: Database, table: str, circle_id: str, event_id: str, now: datetime
) -> list[int]:
    """Erase the stories (or blockers) of ``circle_id`` the message ``event_id`` carried:
    their text goes, their number stays taken; the numbers erased."""
    assert table in ("stories", "blockers")
    rows = await db.fetch_all(
        f"SELECT number FROM {table} WHERE source_event_id = ? AND circle_id = ?"
        " AND erased_at IS NULL",
        (event_id, circle_id),
    )
    wiped = (
        "text = '', role = '', need = '', benefit = '', themes_json = '[]'"
        if table == "stories"
        else "text = '', themes_json = '[]'"
    )
    await db.execute(
        f"UPDATE {table} SET {wiped}, erased_at = ? WHERE source_event_id = ?"
        " AND circle_id = ? AND erased_at IS NULL",
        (now.isoformat(), event_id, circle_id),
    )
    return [int(r[0]) for r in rows]


async def erased_by_source(db: Database, circle_id: str, event_id: str) -> list[int]:
    """The stories of ``circle_id`` erased because the message ``event_id`` was deleted."""
    rows = await db.fetch_all(
        "SELECT number FROM stories WHERE source_event_id = ? AND circle_id = ?"
        " AND erased_at IS NOT NULL",
        (event_id, circle_id),
    )
    return [int(r[0]) for r in rows]


async def drop_proposal(db: Database, circle_id: str, source_event_id: str) -> None:
    """A free-text story whose message was deleted: the offer goes (and its copy of the
    text, once recorded: the story itself is erased)."""
    await db.execute(
        "DELETE FROM story_proposals WHERE source_event_id = ? AND circle_id = ?",
        (source_event_id, circle_id),
    )


async def drop_dialogue(db: Database, circle_id: str, thread_root: str) -> None:
    """A guided dialogue whose ``!histoire`` message was deleted: its answers go too."""
    await db.execute(
        "DELETE FROM story_dialogues WHERE thread_root = ? AND circle_id = ?",
        (thread_root, circle_id),
    )


# ---- free-text proposals ----
async def add_proposal(
    db: Database, source_event_id: str, circle_id: str, author: str, text: str, now: datetime
) -> None:
    await db.execute(
        "INSERT OR IGNORE INTO story_proposals (source_event_id, circle_id, author, text,"
        " created_at) VALUES (?, ?, ?, ?, ?)",
        (source_event_id, circle_id, author, text, now.isoformat()),
    )


async def get_proposal(
    db: Database, source_event_id: str
) -> tuple[str, str, str, int | None] | None:
    """(circle id, author, text, recorded story number) of a proposal."""
    row = await db.fetch_one(
        "SELECT circle_id, author, text, story_number FROM story_proposals"
        " WHERE source_event_id = ?",
        (source_event_id,),
    )
    return (row[0], row[1], row[2], row[3]) if row else None


async def mark_proposal_recorded(db: Database, source_event_id: str, number: int) -> None:
    await db.execute(
        "UPDATE story_proposals SET story_number = ? WHERE source_event_id = ?",
        (number, source_event_id),
    )


# ---- structures (a member's association) ----
async def structure_of(db: Database, circle_id: str, user_id: str) -> str | None:
    row = await db.fetch_one(
        "SELECT structure FROM memberships WHERE circle_id = ? AND user_id = ?",
        (circle_id, user_id),
    )
    return str(row[0]) if row else None


# ---- guided dialogues ----
async def start_dialogue(
    db: Database, thread_root: str, circle_id: str, author: str, now: datetime
) -> bool:
    cur = await db.conn.execute(
        "INSERT OR IGNORE INTO story_dialogues (thread_root, circle_id, author, step, started_at)"
        " VALUES (?, ?, ?, 'role', ?)",
        (thread_root, circle_id, author, now.isoformat()),
    )
    return cur.rowcount == 1


async def get_dialogue(db: Database, thread_root: str) -> dict[str, str | None] | None:
    row = await db.fetch_one("SELECT * FROM story_dialogues WHERE thread_root = ?", (thread_root,))
    return dict(row) if row else None


async def save_dialogue(db: Database, thread_root: str, values: dict[str, str | None]) -> None:
    columns = ("step", "role", "need", "benefit", "need_connector", "benefit_connector")
    await db.execute(
        f"UPDATE story_dialogues SET {', '.join(f'{c} = ?' for c in columns)}"
        " WHERE thread_root = ?",
        (*(values.get(c) for c in columns), thread_root),
    )
