"""Rows of mini-chantiers, their stories and their retrospective answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.domain.sprints import Sprint, SprintStatus
from bot.store.database import Database


@dataclass(frozen=True)
class FrozenStory:
    """A story of a chantier as it stood at the close (or as it stands, while open)."""

    number: int
    title: str
    status: str
    porteur: str | None
    author: str


@dataclass(frozen=True)
class VoteFacts:
    """The last closed vote behind a chantier: points (None: not scored) and ranks by story."""

    number: int
    kind: str
    points: dict[int, int | None]
    ranks: dict[int, int]


@dataclass(frozen=True)
class SummaryFacts:
    """What a chantier's summary says, frozen at its close (``summary_json``).

    ``done``/``not_done``/``withdrawn`` hold story numbers; ``porteurs`` maps a user id to
    the numbers she carried; ``proposal`` is empty until the close.
    """

    number: int
    name: str
    starts_on: date
    ends_on: date
    stories: list[FrozenStory]
    done: list[int]
    not_done: list[int]
    withdrawn: list[int]
    porteurs: dict[str, list[int]]
    without_porteur: list[int]
    vote: VoteFacts | None = None
    proposal: list[int] = field(default_factory=list)

    def to_json(self) -> str:
        """The stored form (its keys and shapes unchanged since summaries were dicts)."""
        return json.dumps(
            {
                "number": self.number,
                "name": self.name,
                "starts_on": self.starts_on.isoformat(),
                "ends_on": self.ends_on.isoformat(),
                "stories": [vars(story) for story in self.stories],
                "done": self.done,
                "not_done": self.not_done,
                "withdrawn": self.withdrawn,
                "porteurs": self.porteurs,
                "without_porteur": self.without_porteur,
                "vote": _vote_json(self.vote),
                "proposal": self.proposal,
            },
            ensure_ascii=False,
        )

    @staticmethod
    def from_json(text: str) -> SummaryFacts:
        data = json.loads(text)
        return SummaryFacts(
            number=int(data["number"]),
            name=str(data["name"]),
            starts_on=date.fromisoformat(data["starts_on"]),
            ends_on=date.fromisoformat(data["ends_on"]),
            stories=[FrozenStory(**story) for story in data["stories"]],
            done=[int(n) for n in data["done"]],
            not_done=[int(n) for n in data["not_done"]],
            withdrawn=[int(n) for n in data["withdrawn"]],
            porteurs={user: [int(n) for n in ns] for user, ns in data["porteurs"].items()},
            without_porteur=[int(n) for n in data.get("without_porteur", [])],
            vote=_vote_of(data.get("vote")),
            proposal=[int(n) for n in data.get("proposal") or []],
        )


def _vote_json(vote: VoteFacts | None) -> dict[str, Any] | None:
    if vote is None:
        return None
    return {
        "number": vote.number,
        "kind": vote.kind,
        # JSON object keys are strings: « "12": 5 »
        "points": {str(n): p for n, p in vote.points.items()},
        "ranks": {str(n): r for n, r in vote.ranks.items()},
    }


def _vote_of(data: dict[str, Any] | None) -> VoteFacts | None:
    if not data:
        return None
    return VoteFacts(
        number=int(data["number"]),
        kind=str(data["kind"]),
        points={int(n): None if p is None else int(p) for n, p in data["points"].items()},
        ranks={int(n): int(r) for n, r in data["ranks"].items()},
    )


@dataclass(frozen=True)
class SprintRow:
    """A stored chantier: the domain ``sprint`` plus what only the bot needs to know."""

    sprint: Sprint
    created_at: datetime
    announced: bool
    nudged: bool
    summary: SummaryFacts | None  # frozen at the close

    @property
    def circle_id(self) -> str:
        return self.sprint.circle_id

    @property
    def number(self) -> int:
        return self.sprint.number


@dataclass(frozen=True)
class RetroAnswer:
    author: str
    text: str
    answered_at: datetime


async def _stories_of(db: Database, circle_id: str, number: int) -> list[int]:
    rows = await db.fetch_all(
        "SELECT story_number FROM sprint_stories WHERE circle_id = ? AND sprint_number = ?"
        " ORDER BY position",
        (circle_id, number),
    )
    return [int(r["story_number"]) for r in rows]


async def _row(db: Database, r: Any) -> SprintRow:
    status: SprintStatus = r["status"]
    sprint = Sprint(
        number=r["number"],
        circle_id=r["circle_id"],
        name=r["name"],
        starts_on=date.fromisoformat(r["starts_on"]),
        ends_on=date.fromisoformat(r["ends_on"]),
        status=status,
        stories=await _stories_of(db, r["circle_id"], r["number"]),
        created_by=r["created_by"],
        closed_at=datetime.fromisoformat(r["closed_at"]) if r["closed_at"] else None,
    )
    return SprintRow(
        sprint=sprint,
        created_at=datetime.fromisoformat(r["created_at"]),
        announced=bool(r["announced"]),
        nudged=bool(r["nudged"]),
        summary=SummaryFacts.from_json(r["summary_json"]) if r["summary_json"] else None,
    )


async def next_sprint_number(db: Database, circle_id: str) -> int:
    row = await db.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM sprints WHERE circle_id = ?", (circle_id,)
    )
    return int(row[0]) if row else 1


async def insert_sprint(db: Database, sprint: Sprint, created_at: datetime) -> None:
    await db.execute(
        "INSERT INTO sprints (circle_id, number, name, starts_on, ends_on, status, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            sprint.circle_id,
            sprint.number,
            sprint.name,
            sprint.starts_on.isoformat(),
            sprint.ends_on.isoformat(),
            sprint.status,
            sprint.created_by,
            created_at.isoformat(),
        ),
    )
    await save_stories(db, sprint)


async def get_sprint(db: Database, circle_id: str, number: int) -> SprintRow | None:
    row = await db.fetch_one(
        "SELECT * FROM sprints WHERE circle_id = ? AND number = ?", (circle_id, number)
    )
    return await _row(db, row) if row else None


async def all_sprints(db: Database, circle_id: str) -> list[SprintRow]:
    """Every chantier of the circle, by number."""
    rows = await db.fetch_all(
        "SELECT * FROM sprints WHERE circle_id = ? ORDER BY number", (circle_id,)
    )
    return [await _row(db, r) for r in rows]


async def open_sprints(db: Database) -> list[SprintRow]:
    """Chantiers not closed yet, in every circle (their jobs are rebuilt at start)."""
    rows = await db.fetch_all(
        "SELECT * FROM sprints WHERE status != 'closed' ORDER BY circle_id, number"
    )
    return [await _row(db, r) for r in rows]


async def sprints_with_story(db: Database, circle_id: str, story_number: int) -> list[int]:
    """Numbers of the chantiers that took story ``story_number``, latest first."""
    rows = await db.fetch_all(
        "SELECT sprint_number FROM sprint_stories WHERE circle_id = ? AND story_number = ?"
        " ORDER BY sprint_number DESC",
        (circle_id, story_number),
    )
    return [int(r["sprint_number"]) for r in rows]


async def save_stories(db: Database, sprint: Sprint) -> None:
    """Write the chantier's story list (replacing the stored one), keeping its order."""
    await db.execute(
        "DELETE FROM sprint_stories WHERE circle_id = ? AND sprint_number = ?",
        (sprint.circle_id, sprint.number),
    )
    for position, story in enumerate(sprint.stories):
        await db.execute(
            "INSERT INTO sprint_stories (circle_id, sprint_number, story_number, position)"
            " VALUES (?, ?, ?, ?)",
            (sprint.circle_id, sprint.number, story, position),
        )


async def set_status(db: Database, circle_id: str, number: int, status: SprintStatus) -> None:
    await db.execute(
        "UPDATE sprints SET status = ? WHERE circle_id = ? AND number = ?",
        (status, circle_id, number),
    )


async def mark_announced(db: Database, circle_id: str, number: int) -> None:
    await db.execute(
        "UPDATE sprints SET announced = 1 WHERE circle_id = ? AND number = ?", (circle_id, number)
    )


async def mark_nudged(db: Database, circle_id: str, number: int) -> None:
    await db.execute(
        "UPDATE sprints SET nudged = 1 WHERE circle_id = ? AND number = ?", (circle_id, number)
    )


async def close_sprint(
    db: Database, circle_id: str, number: int, closed_at: datetime, summary: SummaryFacts
) -> None:
    await db.execute(
        "UPDATE sprints SET status = 'closed', closed_at = ?, summary_json = ?"
        " WHERE circle_id = ? AND number = ?",
        (closed_at.isoformat(), summary.to_json(), circle_id, number),
    )


async def add_retro_answer(
    db: Database,
    event_id: str,
    circle_id: str,
    number: int,
    author: str,
    text: str,
    answered_at: datetime,
) -> bool:
    """Store one retrospective answer; False if this event was already stored."""
    cur = await db.conn.execute(
        "INSERT OR IGNORE INTO sprint_retro_answers (event_id, circle_id, sprint_number, author,"
        " text, answered_at) VALUES (?, ?, ?, ?, ?, ?)",
        (event_id, circle_id, number, author, text, answered_at.isoformat()),
    )
    return cur.rowcount == 1


async def correct_retro_answer(db: Database, event_id: str, author: str, text: str) -> bool:
    """Replace a retrospective answer's text by its author's edit; False if none is theirs."""
    cur = await db.conn.execute(
        "UPDATE sprint_retro_answers SET text = ? WHERE event_id = ? AND author = ?",
        (text, event_id, author),
    )
    return cur.rowcount == 1


async def retro_answers(db: Database, circle_id: str, number: int) -> list[RetroAnswer]:
    rows = await db.fetch_all(
        "SELECT author, text, answered_at FROM sprint_retro_answers"
        " WHERE circle_id = ? AND sprint_number = ? ORDER BY answered_at, event_id",
        (circle_id, number),
    )
    return [
        RetroAnswer(r["author"], r["text"], datetime.fromisoformat(r["answered_at"])) for r in rows
    ]


# ---- people's data ----
async def drop_retro_answer(db: Database, circle_id: str, event_id: str) -> bool:
    """A retrospective answer whose message was deleted; True if there was one."""
    cur = await db.conn.execute(
        "DELETE FROM sprint_retro_answers WHERE event_id = ? AND circle_id = ?",
        (event_id, circle_id),
    )
    return cur.rowcount == 1


async def closed_summaries(db: Database, circle_id: str | None = None) -> list[SprintRow]:
    """The closed chantiers (of one circle, or of all) with their frozen summaries."""
    where, args = ("AND circle_id = ?", (circle_id,)) if circle_id else ("", ())
    rows = await db.fetch_all(
        f"SELECT * FROM sprints WHERE summary_json IS NOT NULL {where} ORDER BY number", args
    )
    return [await _row(db, r) for r in rows]


async def save_summary(db: Database, circle_id: str, number: int, summary: SummaryFacts) -> None:
    await db.execute(
        "UPDATE sprints SET summary_json = ? WHERE circle_id = ? AND number = ?",
        (summary.to_json(), circle_id, number),
    )
