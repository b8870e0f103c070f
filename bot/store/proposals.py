"""Rows of proposals decided by consent, their rounds and their answers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.consent import Answer, ConsentAnswer, Outcome
from bot.store.database import Database

OPEN = "open"


@dataclass(frozen=True)
class ProposalRow:
    circle_id: str
    number: int
    author: str
    text: str
    round: int
    stories: list[int]
    opened_at: datetime
    closes_at: datetime
    status: str
    closed_at: datetime | None
    closed_by: str | None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def outcome(self) -> Outcome | None:
        return None if self.is_open else Outcome(self.status)


@dataclass(frozen=True)
class RoundRow:
    round: int
    text: str
    opened_by: str
    opened_at: datetime


def _row(r: Any) -> ProposalRow:
    return ProposalRow(
        circle_id=r["circle_id"],
        number=r["number"],
        author=r["author"],
        text=r["text"],
        round=r["round"],
        stories=[int(n) for n in json.loads(r["stories_json"])],
        opened_at=datetime.fromisoformat(r["opened_at"]),
        closes_at=datetime.fromisoformat(r["closes_at"]),
        status=r["status"],
        closed_at=datetime.fromisoformat(r["closed_at"]) if r["closed_at"] else None,
        closed_by=r["closed_by"],
    )


async def insert_proposal(
    db: Database,
    circle_id: str,
    author: str,
    text: str,
    stories: list[int],
    opened_at: datetime,
    closes_at: datetime,
    source_event_id: str | None = None,
) -> int:
    """A new open proposal in its first round; its number (``source_event_id``: the message
    that opened it)."""
    row = await db.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM proposals WHERE circle_id = ?", (circle_id,)
    )
    number = int(row[0]) if row else 1
    await db.execute(
        "INSERT INTO proposals (circle_id, number, author, text, round, stories_json,"
        " opened_at, closes_at, status) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
        (
            circle_id, number, author, text, json.dumps(stories), opened_at.isoformat(),
            closes_at.isoformat(), OPEN,
        ),
    )  # fmt: skip
    await _insert_round(db, circle_id, number, 1, text, author, opened_at, source_event_id)
    return number


async def _insert_round(
    db: Database,
    circle_id: str,
    number: int,
    round_: int,
    text: str,
    by: str,
    at: datetime,
    source_event_id: str | None,
) -> None:
    await db.execute(
        "INSERT INTO proposal_rounds (circle_id, number, round, text, opened_by, opened_at,"
        " source_event_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (circle_id, number, round_, text, by, at.isoformat(), source_event_id),
    )


async def amend(
    db: Database,
    proposal: ProposalRow,
    text: str,
    stories: list[int],
    by: str,
    at: datetime,
    closes_at: datetime,
    source_event_id: str | None = None,
) -> int:
    """Open the next round with ``text`` (``source_event_id``: the message that gave it); its
    number."""
    round_ = proposal.round + 1
    await db.execute(
        "UPDATE proposals SET text = ?, round = ?, stories_json = ?, closes_at = ?"
        " WHERE circle_id = ? AND number = ?",
        (text, round_, json.dumps(stories), closes_at.isoformat(), proposal.circle_id,
         proposal.number),
    )  # fmt: skip
    await _insert_round(
        db, proposal.circle_id, proposal.number, round_, text, by, at, source_event_id
    )
    return round_


async def close(
    db: Database, proposal: ProposalRow, outcome: Outcome, at: datetime, by: str | None
) -> None:
    await db.execute(
        "UPDATE proposals SET status = ?, closed_at = ?, closed_by = ?"
        " WHERE circle_id = ? AND number = ?",
        (outcome.value, at.isoformat(), by, proposal.circle_id, proposal.number),
    )


async def get_proposal(db: Database, circle_id: str, number: int) -> ProposalRow | None:
    row = await db.fetch_one(
        "SELECT * FROM proposals WHERE circle_id = ? AND number = ?", (circle_id, number)
    )
    return _row(row) if row else None


async def open_proposals(db: Database, circle_id: str) -> list[ProposalRow]:
    rows = await db.fetch_all(
        "SELECT * FROM proposals WHERE circle_id = ? AND status = ? ORDER BY number",
        (circle_id, OPEN),
    )
    return [_row(r) for r in rows]


async def every_open_proposal(db: Database) -> list[ProposalRow]:
    """The open proposals of every circle (their deadlines are rebuilt at start)."""
    rows = await db.fetch_all("SELECT * FROM proposals WHERE status = ?", (OPEN,))
    return [_row(r) for r in rows]


async def decisions(db: Database, circle_id: str) -> list[ProposalRow]:
    """The adopted proposals, the register of decisions, oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM proposals WHERE circle_id = ? AND status = ? ORDER BY closed_at, number",
        (circle_id, Outcome.ADOPTED.value),
    )
    return [_row(r) for r in rows]


async def rounds(db: Database, circle_id: str, number: int) -> list[RoundRow]:
    rows = await db.fetch_all(
        "SELECT * FROM proposal_rounds WHERE circle_id = ? AND number = ? ORDER BY round",
        (circle_id, number),
    )
    return [
        RoundRow(r["round"], r["text"], r["opened_by"], datetime.fromisoformat(r["opened_at"]))
        for r in rows
    ]


async def add_answer(
    db: Database, circle_id: str, number: int, answer: ConsentAnswer, source: str
) -> bool:
    """Keep an answer; False if this event was already kept."""
    cur = await db.conn.execute(
        "INSERT OR IGNORE INTO proposal_answers (event_id, circle_id, number, round, member,"
        " answer, reason, source, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            answer.event_id, circle_id, number, answer.round, answer.member, answer.answer.value,
            answer.reason, source, answer.answered_at.isoformat(),
        ),
    )  # fmt: skip
    return cur.rowcount == 1


async def answers(db: Database, circle_id: str, number: int) -> list[ConsentAnswer]:
    """Every answer of every round of a proposal, in the order given."""
    rows = await db.fetch_all(
        "SELECT * FROM proposal_answers WHERE circle_id = ? AND number = ?"
        " ORDER BY answered_at, event_id",
        (circle_id, number),
    )
    return [
        ConsentAnswer(
            member=r["member"],
            answer=Answer(r["answer"]),
            reason=r["reason"],
            round=r["round"],
            answered_at=datetime.fromisoformat(r["answered_at"]),
            event_id=r["event_id"],
        )
        for r in rows
    ]


# ---- people's data: what a deleted message carried ----
async def proposal_of_event(db: Database, event_id: str) -> ProposalRow | None:
    """The proposal whose text (of any round) the message ``event_id`` gave, if any."""
    row = await db.fetch_one(
        "SELECT p.* FROM proposals p JOIN proposal_rounds r ON r.circle_id = p.circle_id"
        " AND r.number = p.number WHERE r.source_event_id = ?",
        (event_id,),
    )
    return _row(row) if row else None


async def withdraw_proposal(db: Database, proposal: ProposalRow, at: datetime, by: str) -> None:
    """Withdrawn before its close: its texts erased (every round's), its number still taken."""
    where = (proposal.circle_id, proposal.number)
    await db.execute(
        "UPDATE proposals SET status = ?, text = '', stories_json = '[]', closed_at = ?,"
        " closed_by = ? WHERE circle_id = ? AND number = ?",
        (Outcome.WITHDRAWN.value, at.isoformat(), by, *where),
    )
    await db.execute(
        "UPDATE proposal_rounds SET text = '' WHERE circle_id = ? AND number = ?", where
    )


@dataclass(frozen=True)
class AnswerOrigin:
    """Which proposal and round a stored answer belongs to, whose it is, how it came."""

    circle_id: str
    number: int
    round: int
    member: str
    source: str
    answered_at: str


async def answer_of_event(db: Database, event_id: str) -> AnswerOrigin | None:
    row = await db.fetch_one(
        "SELECT circle_id, number, round, member, source, answered_at FROM proposal_answers"
        " WHERE event_id = ?",
        (event_id,),
    )
    return AnswerOrigin(*row) if row else None


async def withdraw_answer(db: Database, event_id: str, origin: AnswerOrigin, at: datetime) -> None:
    """Forget the answer ``event_id`` carried, noting it among the round's withdrawn answers.
    An objection chosen in a poll takes with it the reasons given for it in the thread
    (her answers by thread that follow it, before her next answer of another kind)."""
    if origin.source == "poll":
        await db.execute(
            "DELETE FROM proposal_answers WHERE circle_id = ? AND number = ? AND round = ?"
            " AND member = ? AND source = 'thread' AND answered_at >= ? AND answered_at <"
            " COALESCE((SELECT MIN(answered_at) FROM proposal_answers WHERE circle_id = ?"
            " AND number = ? AND round = ? AND member = ? AND source != 'thread'"
            " AND answered_at > ?), '9999')",
            (
                origin.circle_id, origin.number, origin.round, origin.member, origin.answered_at,
                origin.circle_id, origin.number, origin.round, origin.member, origin.answered_at,
            ),
        )  # fmt: skip
    await db.execute("DELETE FROM proposal_answers WHERE event_id = ?", (event_id,))
    await db.execute(
        "INSERT OR IGNORE INTO withdrawn_proposal_answers (event_id, circle_id, number, round,"
        " withdrawn_at) VALUES (?, ?, ?, ?, ?)",
        (event_id, origin.circle_id, origin.number, origin.round, at.isoformat()),
    )


async def withdrawn_count(db: Database, circle_id: str, number: int, round_: int) -> int:
    row = await db.fetch_one(
        "SELECT COUNT(*) FROM withdrawn_proposal_answers WHERE circle_id = ? AND number = ?"
        " AND round = ?",
        (circle_id, number, round_),
    )
    return int(row[0]) if row else 0


async def open_proposals_answered_by(db: Database, member: str) -> list[tuple[str, int]]:
    """(circle, number) of each open proposal ``member`` answered."""
    rows = await db.fetch_all(
        "SELECT DISTINCT a.circle_id, a.number FROM proposal_answers a JOIN proposals p"
        " ON p.circle_id = a.circle_id AND p.number = a.number"
        " WHERE a.member = ? AND p.status = ?",
        (member, OPEN),
    )
    return [(str(r[0]), int(r[1])) for r in rows]


async def delete_open_answers_of(db: Database, member: str) -> None:
    """Her answers to the proposals still open: they no longer count."""
    await db.execute(
        "DELETE FROM proposal_answers WHERE member = ? AND EXISTS (SELECT 1 FROM proposals p"
        " WHERE p.circle_id = proposal_answers.circle_id AND p.number = proposal_answers.number"
        " AND p.status = ?)",
        (member, OPEN),
    )
