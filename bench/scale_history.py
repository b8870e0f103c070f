"""A year of a circle's life, written straight into the bot's SQLite through the store modules.

The scale benchmark needs hundreds of circles that each carry a year of history, and playing
that year through Matrix would take hours; so the rows are written here, with the same store
functions the bot uses (and the domain rules that build what they store), before the bot starts.
Per circle: 12 monthly check-ins (reminded, answered, closed) and their 12 month-end recaps,
40 stories (some chosen and carried, some done), 2 blockers, 4 votes with 8 dot ballots each
(closed, with their results), 4 chantiers (closed, with their summary), and the bookkeeping
that goes with them: one ``processed_events`` row per pioneer's message, one sent ``outbox``
row per bot message.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.domain import checkins as checkin_rules
from bot.domain.ballots import DotBallot
from bot.domain.sprints import Sprint
from bot.domain.stories import StoryStatus, note_blocker, propose_story
from bot.domain.tally import VoteResults, tally_dot_votes
from bot.features.checkins.keys import checkin_purpose, open_job_id, recap_purpose
from bot.features.recaps import recap_job_id
from bot.features.sprints.summary import summary_facts
from bot.store import circles, memberships, names, outbox, processed_events, stories, votes
from bot.store import rhythm as rhythm_store
from bot.store import sprints as sprint_store
from bot.store.database import Database

MONTHS = 12
STORIES = 40
BLOCKERS = 2
VOTES = 4
VOTERS = 8
SPRINTS = 4
ANSWERS_PER_CHECKIN = 4
MEMBERS = 8
STRUCTURES = ("Ressourcerie", "Épicerie solidaire", "Jardin partagé", "Repair café")


@dataclass(frozen=True)
class SeededCircle:
    room_id: str
    name: str
    invited_by: str


def member(index: int) -> str:
    """A pioneer of the seeded history (an account name; it need not exist on Synapse)."""
    return f"@historique{index}:localhost"


def story_text(circle: int, number: int) -> str:
    return (
        f"En tant que bénévole n°{number} du cercle {circle}, je souhaite voir le planning des "
        f"collectes n°{number} sur mon téléphone afin que je ne rate plus la tournée {number}"
    )


def _event_id() -> str:
    return f"$seed{uuid.uuid4().hex}"


async def _bot_message(db: Database, room_id: str, purpose: str | None = None) -> None:
    """One message the bot sent long ago: an outbox row, sent (its content is dropped)."""
    await outbox.enqueue(db, room_id, "m.room.message", {}, purpose)
    row = await db.fetch_one("SELECT last_insert_rowid()")
    assert row is not None
    await outbox.mark_sent(db, int(row[0]), _event_id())


async def _pioneer_message(db: Database, room_id: str, sender: str) -> str:
    event_id = _event_id()
    await processed_events.claim(db, event_id, room_id, sender)
    return event_id


async def _checkins(db: Database, room_id: str, start: datetime, rnd: random.Random) -> None:
    for month in range(MONTHS):
        opened = start + timedelta(days=30 * month + 3)
        checkin = checkin_rules.open_checkin(opened, number=month + 1, circle_id=room_id)
        await rhythm_store.insert_checkin(db, checkin)
        await _bot_message(db, room_id, checkin_purpose(room_id, checkin.number))
        for answer in range(ANSWERS_PER_CHECKIN):
            author = member(rnd.randrange(MEMBERS))
            event_id = await _pioneer_message(db, room_id, author)
            text = f"Ce mois-ci nous avons tenu {answer + 3} permanences ; rien ne bloque."
            at = opened + timedelta(hours=answer + 1)
            await rhythm_store.add_answer(db, event_id, room_id, checkin.number, author, text, at)
        await rhythm_store.mark_reminded(db, room_id, checkin.number)
        await _bot_message(db, room_id)
        await rhythm_store.close_checkin(db, room_id, checkin.number, checkin.closes_at)
        await _bot_message(db, room_id, recap_purpose(room_id, checkin.number))
        month_end = opened + timedelta(days=26)
        await rhythm_store.mark_recap_posted(db, room_id, f"{month_end:%Y-%m}", month_end)
        await _bot_message(db, room_id)


async def _stories(
    db: Database, room_id: str, circle: int, start: datetime, rnd: random.Random
) -> None:
    for number in range(1, STORIES + 1):
        author = member(rnd.randrange(MEMBERS))
        at = start + timedelta(days=number * 9)
        story = propose_story(
            number, room_id, author, story_text(circle, number), at, structure=STRUCTURES[0]
        )
        if number % 3 == 0:
            story = replace(story, status=StoryStatus.SELECTED, porteur=author)
        elif number % 3 == 1 and number < STORIES - 8:
            story = replace(story, status=StoryStatus.DONE, porteur=author, done_at=at)
        await stories.insert_story(db, story)
        await _pioneer_message(db, room_id, author)
        await _bot_message(db, room_id)
    for number in range(1, BLOCKERS + 1):
        author = member(rnd.randrange(MEMBERS))
        text = f"Les clés du local n°{number} ne sont jamais là quand il faut"
        await stories.insert_blocker(db, note_blocker(number, room_id, author, text, start))
        await _pioneer_message(db, room_id, author)
        await _bot_message(db, room_id)


async def _votes_and_sprints(
    db: Database, room_id: str, start: datetime, rnd: random.Random
) -> None:
    for quarter in range(VOTES):
        opened = start + timedelta(days=90 * quarter + 20)
        candidates = list(range(1 + quarter * 10, 11 + quarter * 10))
        number = await votes.insert_vote(
            db, room_id, "dots", 5, candidates, member(0), opened, opened + timedelta(days=5)
        )
        await _bot_message(db, room_id)  # the poll and its status
        ballots = []
        for voter in range(VOTERS):
            points = {rnd.choice(candidates): 3, rnd.choice(candidates): 2}
            event_id = await _pioneer_message(db, room_id, member(voter))
            ballot = DotBallot(member(voter), points, opened, "text", event_id)
            await votes.add_dot_ballot(db, room_id, number, ballot)
            ballots.append(ballot)
            await _bot_message(db, room_id)
        results = VoteResults.from_tally("dots", tally_dot_votes(ballots, candidates))
        await votes.close_vote(db, room_id, number, opened + timedelta(days=5), results)
        await votes.set_picture_state(db, room_id, number, "posted")
        await _bot_message(db, room_id)
        await _sprint(db, room_id, quarter + 1, opened + timedelta(days=6), list(results.top))


async def _sprint(db: Database, room_id: str, number: int, at: datetime, chosen: list[int]) -> None:
    sprint = Sprint(
        number,
        room_id,
        f"Chantier {number}",
        at.date(),
        (at + timedelta(days=60)).date(),
        "active",
        chosen,
        member(0),
    )
    await sprint_store.insert_sprint(db, sprint, at)
    await _bot_message(db, room_id)
    known = {s.number: s for s in await stories.all_stories(db, room_id)}
    facts = await summary_facts(db, "fr", sprint, known)
    await sprint_store.close_sprint(db, room_id, number, at + timedelta(days=60), facts)
    await _bot_message(db, room_id)


async def seed_circle(db: Database, circle: SeededCircle, index: int, now: datetime) -> None:
    """A year of history for one circle the bot has been in since a year ago."""
    rnd = random.Random(index)
    start = now - timedelta(days=370)
    room_id = circle.room_id
    async with db.transaction():
        joined_ms = int(start.timestamp() * 1000)
        await circles.add_circle(db, room_id, joined_ms, circle.invited_by)
        for k in range(MEMBERS):
            structure = STRUCTURES[k % len(STRUCTURES)]
            await memberships.set_structure(db, room_id, member(k), structure, member(k), start)
        await _checkins(db, room_id, start, rnd)
        await _stories(db, room_id, index, start, rnd)
        await _votes_and_sprints(db, room_id, start, rnd)
        # The monthly jobs ran on time until now: nothing is late at the next start.
        for job_id in (open_job_id(room_id), recap_job_id(room_id)):
            await rhythm_store.set_last_run(db, job_id, now)
    await names.remember(db, room_id, circle.name, {circle.invited_by: "Anna"})


async def seed(db: Database, seeded: list[SeededCircle], first_index: int = 0) -> None:
    now = datetime.now(UTC)
    for offset, circle in enumerate(seeded):
        await seed_circle(db, circle, first_index + offset, now)


async def table_counts(db: Database) -> dict[str, int]:
    """Rows per table, to say how big the seeded history is."""
    counts = {}
    for table in (
        "circles",
        "stories",
        "votes",
        "ballots",
        "sprints",
        "checkins",
        "checkin_answers",
        "recaps",
        "processed_events",
        "outbox",
    ):
        row = await db.fetch_one(f"SELECT COUNT(*) FROM {table}")
        counts[table] = int(row[0]) if row else 0
    return counts
