"""Rows of votes and ballots."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.ballots import DotBallot, ScoreBallot
from bot.domain.tally import VoteResults
from bot.store.database import Database


@dataclass(frozen=True)
class VoteRow:
    circle_id: str
    number: int
    kind: str
    points: int
    candidates: list[int]
    opened_by: str
    opened_at: datetime
    closes_at: datetime
    status: str
    closed_at: datetime | None
    results: VoteResults | None
    picture_state: str | None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


def _row(r: Any) -> VoteRow:
    return VoteRow(
        circle_id=r["circle_id"],
        number=r["number"],
        kind=r["kind"],
        points=r["points"],
        candidates=json.loads(r["candidates_json"]),
        opened_by=r["opened_by"],
        opened_at=datetime.fromisoformat(r["opened_at"]),
        closes_at=datetime.fromisoformat(r["closes_at"]),
        status=r["status"],
        closed_at=datetime.fromisoformat(r["closed_at"]) if r["closed_at"] else None,
        results=parse_results(r["results_json"]) if r["results_json"] else None,
        picture_state=r["picture_state"],
    )


def results_json(results: VoteResults) -> str:
    """The stored form: ``{"kind", "ranking", "points": {"7": 5 or null}, "voters", "top"}``."""
    return json.dumps(
        {
            "kind": results.kind,
            "ranking": list(results.ranking),
            # JSON keys are strings; a score vote stores null for each story.
            "points": {str(n): results.points.get(n) for n in results.ranking},
            "voters": results.voters,
            "top": list(results.top),
        }
    )


def parse_results(text: str) -> VoteResults:
    """Read :func:`results_json`'s form back; missing keys (older rows) read as empty."""
    stored = json.loads(text)
    points = stored.get("points") or {}
    return VoteResults(
        kind=str(stored.get("kind", "")),
        ranking=tuple(int(n) for n in stored.get("ranking", [])),
        points={int(n): int(p) for n, p in points.items() if p is not None},
        voters=int(stored.get("voters", 0)),
        top=tuple(int(n) for n in stored.get("top", [])),
    )


async def open_vote(db: Database, circle_id: str) -> VoteRow | None:
    row = await db.fetch_one(
        "SELECT * FROM votes WHERE circle_id = ? AND status = 'open'", (circle_id,)
    )
    return _row(row) if row else None


async def all_open_votes(db: Database) -> list[VoteRow]:
    return [_row(r) for r in await db.fetch_all("SELECT * FROM votes WHERE status = 'open'")]


async def get_vote(db: Database, circle_id: str, number: int) -> VoteRow | None:
    row = await db.fetch_one(
        "SELECT * FROM votes WHERE circle_id = ? AND number = ?", (circle_id, number)
    )
    return _row(row) if row else None


async def latest_closed_vote(db: Database, circle_id: str) -> VoteRow | None:
    row = await db.fetch_one(
        "SELECT * FROM votes WHERE circle_id = ? AND status = 'closed'"
        " ORDER BY number DESC LIMIT 1",
        (circle_id,),
    )
    return _row(row) if row else None


async def all_votes(db: Database, circle_id: str) -> list[VoteRow]:
    rows = await db.fetch_all(
        "SELECT * FROM votes WHERE circle_id = ? ORDER BY number", (circle_id,)
    )
    return [_row(r) for r in rows]


async def pending_pictures(db: Database) -> list[VoteRow]:
    rows = await db.fetch_all("SELECT * FROM votes WHERE picture_state = 'pending'")
    return [_row(r) for r in rows]


async def insert_vote(
    db: Database,
    circle_id: str,
    kind: str,
    points: int,
    candidates: list[int],
    opened_by: str,
    opened_at: datetime,
    closes_at: datetime,
) -> int:
    row = await db.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM votes WHERE circle_id = ?", (circle_id,)
    )
    number = int(row[0]) if row else 1
    await db.execute(
        "INSERT INTO votes (circle_id, number, kind, points, candidates_json, opened_by,"
        " opened_at, closes_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')",
        (
            circle_id,
            number,
            kind,
            points,
            json.dumps(candidates),
            opened_by,
            opened_at.isoformat(),
            closes_at.isoformat(),
        ),
    )
    return number


async def close_vote(
    db: Database, circle_id: str, number: int, closed_at: datetime, results: VoteResults
) -> None:
    await db.execute(
        "UPDATE votes SET status = 'closed', closed_at = ?, results_json = ?,"
        " picture_state = 'pending' WHERE circle_id = ? AND number = ?",
        (closed_at.isoformat(), results_json(results), circle_id, number),
    )


async def set_picture_state(db: Database, circle_id: str, number: int, state: str) -> None:
    await db.execute(
        "UPDATE votes SET picture_state = ? WHERE circle_id = ? AND number = ?",
        (state, circle_id, number),
    )


async def add_dot_ballot(db: Database, circle_id: str, vote_number: int, ballot: DotBallot) -> bool:
    """Store a dot ballot; False if this event was already stored."""
    cur = await db.conn.execute(
        "INSERT OR IGNORE INTO ballots (event_id, circle_id, vote_number, voter, source,"
        " points_json, cast_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            ballot.event_id,
            circle_id,
            vote_number,
            ballot.voter,
            ballot.source,
            json.dumps({str(k): v for k, v in ballot.points.items()}),
            ballot.cast_at.isoformat(),
        ),
    )
    return cur.rowcount == 1


async def add_score_ballot(
    db: Database, circle_id: str, vote_number: int, ballot: ScoreBallot
) -> bool:
    cur = await db.conn.execute(
        "INSERT OR IGNORE INTO ballots (event_id, circle_id, vote_number, voter, source, story,"
        " impact, cost, cast_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ballot.event_id,
            circle_id,
            vote_number,
            ballot.voter,
            ballot.source,
            ballot.story,
            ballot.impact,
            ballot.cost,
            ballot.cast_at.isoformat(),
        ),
    )
    return cur.rowcount == 1


async def dot_ballots(db: Database, circle_id: str, vote_number: int) -> list[DotBallot]:
    rows = await db.fetch_all(
        "SELECT * FROM ballots WHERE circle_id = ? AND vote_number = ? AND points_json IS NOT NULL",
        (circle_id, vote_number),
    )
    return [
        DotBallot(
            voter=r["voter"],
            points={int(k): int(v) for k, v in json.loads(r["points_json"]).items()},
            cast_at=datetime.fromisoformat(r["cast_at"]),
            source=r["source"],
            event_id=r["event_id"],
        )
        for r in rows
    ]


async def score_ballots(db: Database, circle_id: str, vote_number: int) -> list[ScoreBallot]:
    rows = await db.fetch_all(
        "SELECT * FROM ballots WHERE circle_id = ? AND vote_number = ? AND story IS NOT NULL",
        (circle_id, vote_number),
    )
    return [
        ScoreBallot(
            voter=r["voter"],
            story=r["story"],
            impact=r["impact"],
            cost=r["cost"],
            cast_at=datetime.fromisoformat(r["cast_at"]),
            source=r["source"],
            event_id=r["event_id"],
        )
        for r in rows
    ]


async def voters(db: Database, circle_id: str, vote_number: int) -> set[str]:
    rows = await db.fetch_all(
        "SELECT DISTINCT voter FROM ballots WHERE circle_id = ? AND vote_number = ?",
        (circle_id, vote_number),
    )
    return {r["voter"] for r in rows}


async def record_point_answer(
    db: Database,
    circle_id: str,
    vote_number: int,
    voter: str,
    point: int,
    story: int | None,
    event_id: str,
    answered_at: datetime,
) -> bool:
    """Keep a person's answer to one point poll if it is newer than the one kept; True if kept."""
    cur = await db.conn.execute(
        "INSERT INTO poll_points (circle_id, vote_number, voter, point, story, event_id,"
        " answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (circle_id, vote_number, voter, point) DO UPDATE SET"
        " story = excluded.story, event_id = excluded.event_id,"
        " answered_at = excluded.answered_at"
        " WHERE excluded.answered_at >= poll_points.answered_at"
        " AND excluded.event_id != poll_points.event_id",
        (circle_id, vote_number, voter, point, story, event_id, answered_at.isoformat()),
    )
    return cur.rowcount == 1


async def point_answers(
    db: Database, circle_id: str, vote_number: int, voter: str
) -> dict[int, int | None]:
    """A person's latest answer to each point poll of a vote: ``{point: story or None}``."""
    rows = await db.fetch_all(
        "SELECT point, story FROM poll_points WHERE circle_id = ? AND vote_number = ?"
        " AND voter = ?",
        (circle_id, vote_number, voter),
    )
    return {int(r["point"]): (int(r["story"]) if r["story"] is not None else None) for r in rows}


# ---- ballots withdrawn: their message was deleted in Matrix ----
@dataclass(frozen=True)
class BallotOrigin:
    """Which vote a stored ballot belongs to, and whose it is."""

    circle_id: str
    vote_number: int
    voter: str
    source: str


async def ballot_of_event(db: Database, event_id: str) -> BallotOrigin | None:
    """The ballot (text, DM or poll answer) the message ``event_id`` carried, if any."""
    row = await db.fetch_one(
        "SELECT circle_id, vote_number, voter, source FROM ballots WHERE event_id = ?",
        (event_id,),
    )
    if row is None:
        row = await db.fetch_one(
            "SELECT circle_id, vote_number, voter, 'poll' FROM poll_points WHERE event_id = ?",
            (event_id,),
        )
    return BallotOrigin(str(row[0]), int(row[1]), str(row[2]), str(row[3])) if row else None


async def withdraw_ballot(db: Database, event_id: str, origin: BallotOrigin, at: datetime) -> None:
    """Forget the ballot ``event_id`` carried (and the point-poll answer it was), noting it
    among the vote's withdrawn ballots."""
    await db.execute("DELETE FROM ballots WHERE event_id = ?", (event_id,))
    await db.execute("DELETE FROM poll_points WHERE event_id = ?", (event_id,))
    await db.execute(
        "INSERT OR IGNORE INTO withdrawn_ballots (event_id, circle_id, vote_number,"
        " withdrawn_at) VALUES (?, ?, ?, ?)",
        (event_id, origin.circle_id, origin.vote_number, at.isoformat()),
    )


async def withdrawn_count(db: Database, circle_id: str, vote_number: int) -> int:
    row = await db.fetch_one(
        "SELECT COUNT(*) FROM withdrawn_ballots WHERE circle_id = ? AND vote_number = ?",
        (circle_id, vote_number),
    )
    return int(row[0]) if row else 0


async def set_latest_poll_points(
    db: Database, circle_id: str, vote_number: int, voter: str, points: dict[int, int]
) -> None:
    """Make a person's latest poll ballot say ``points`` (her point polls' answers as they
    stand once one of them is withdrawn)."""
    await db.execute(
        "UPDATE ballots SET points_json = ? WHERE event_id = (SELECT event_id FROM ballots"
        " WHERE circle_id = ? AND vote_number = ? AND voter = ? AND source = 'poll'"
        " ORDER BY cast_at DESC LIMIT 1)",
        (json.dumps({str(k): v for k, v in points.items()}), circle_id, vote_number, voter),
    )


async def open_vote_numbers_of(db: Database, voter: str) -> list[tuple[str, int]]:
    """(circle, vote) of each open vote in which ``voter`` has a ballot."""
    rows = await db.fetch_all(
        "SELECT DISTINCT b.circle_id, b.vote_number FROM ballots b JOIN votes v"
        " ON v.circle_id = b.circle_id AND v.number = b.vote_number"
        " WHERE b.voter = ? AND v.status = 'open'",
        (voter,),
    )
    return [(str(r[0]), int(r[1])) for r in rows]


async def delete_open_ballots_of(db: Database, voter: str) -> None:
    """A forgotten member's ballots in open votes go (those of closed votes keep counting)."""
    for circle_id, number in await open_vote_numbers_of(db, voter):
        await db.execute(
            "DELETE FROM ballots WHERE circle_id = ? AND vote_number = ? AND voter = ?",
            (circle_id, number, voter),
        )
    await db.execute("DELETE FROM poll_points WHERE voter = ?", (voter,))
