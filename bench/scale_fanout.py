"""The monthly fan-out of the scale benchmark: every circle's check-in due the same minute.

Before a restart of the bot, each circle's check-in rule is set (in the bot's SQLite, as
``!checkin planifier`` would) to today's « <n>e <jour> HH:MM », one or two minutes ahead, and
the check-ins left open by an earlier run are closed. The bot is then started (its restart to
first reply is measured on the way) and its monthly jobs all fire in the same minute.

What is checked, on the server's side: each room holds exactly one new message of the bot
after the due minute (Synapse's admin API, ``origin_server_ts``), and the pioneer, member of
every circle, decrypts one « Check-in mensuel » in each. How long it took is compared with
what the message rate limit permits: ``(N - burst) / rate`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.scale_rooms import SynapseAdmin
from bot.features.checkins.keys import checkin_purpose
from bot.store import rhythm as rhythm_store
from bot.store.database import Database
from bot.testing.pioneer import Pioneer

CIRCLE_TZ = ZoneInfo("Europe/Paris")  # the circles' time zone (the default setting)
CHECKIN_MARK = "Check-in mensuel #"
_ORDINALS = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième"}
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def due_minute(lead_s: float, now: datetime | None = None) -> datetime:
    """The first whole minute at least ``lead_s`` seconds from now (UTC)."""
    now = now or datetime.now(UTC)
    later = now + timedelta(seconds=lead_s)
    return later.replace(second=0, microsecond=0) + timedelta(minutes=1)


def monthly_rule_at(moment: datetime, tz: ZoneInfo = CIRCLE_TZ) -> str:
    """The monthly rule that falls on ``moment``'s day and minute, e.g. « premier jeudi 09:12 ».

    >>> monthly_rule_at(datetime(2026, 12, 3, 8, 12, tzinfo=UTC))
    'premier jeudi 09:12'
    >>> monthly_rule_at(datetime(2026, 12, 31, 8, 12, tzinfo=UTC))
    'dernier jeudi 09:12'
    """
    local = moment.astimezone(tz)
    ordinal = (local.day - 1) // 7 + 1
    word = _ORDINALS.get(ordinal, "dernier")
    if ordinal == 4 and (local + timedelta(days=7)).month != local.month:
        word = "dernier"
    return f"{word} {_WEEKDAYS[local.weekday()]} {local:%H:%M}"


async def plan_checkins(db_path: Path, rooms: list[str], due: datetime) -> dict[str, int]:
    """While the bot is stopped: close open check-ins, give every circle the rule due at
    ``due``; returns the number each circle's next check-in will have."""
    db = Database(db_path)
    await db.open()
    rule = monthly_rule_at(due)
    numbers = {}
    try:
        async with db.transaction():
            for room_id in rooms:
                open_checkin = await rhythm_store.open_checkin(db, room_id)
                if open_checkin is not None:
                    await rhythm_store.close_checkin(db, room_id, open_checkin.number, due)
                await rhythm_store.set_rule_key(db, room_id, rule)
                numbers[room_id] = await rhythm_store.next_checkin_number(db, room_id)
    finally:
        await db.close()
    return numbers


def sent_checkins(db_path: Path, numbers: dict[str, int]) -> int:
    """How many of these check-ins (room → number) the bot has sent (its outbox, read-only)."""
    purposes = [checkin_purpose(room, number) for room, number in numbers.items()]
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as conn:
        sent = 0
        for start in range(0, len(purposes), 500):
            chunk = purposes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            row = conn.execute(
                f"SELECT COUNT(*) FROM outbox WHERE purpose IN ({marks})"
                " AND sent_event_id LIKE '$%'",
                chunk,
            ).fetchone()
            sent += int(row[0])
    return sent


@dataclass
class FanOut:
    """What one fan-out did, as seen on the server and by the pioneer."""

    circles: int
    due: datetime
    posted_rooms: int = 0  # rooms with exactly one new bot message
    missing_rooms: int = 0
    doubled_rooms: int = 0
    first_s: float = float("nan")  # first post, seconds after the due minute
    last_s: float = float("nan")  # last post, seconds after the due minute
    decrypted: int = 0  # rooms where the pioneer read one « Check-in mensuel »
    decrypted_twice: int = 0
    bot_429_waits: int = 0
    synapse_429s: int = 0

    def permitted_s(self, rate: float, burst: int) -> float:
        return max(0, self.circles - burst) / rate


async def wait_until_sent(
    db_path: Path, numbers: dict[str, int], due: datetime, timeout_s: float
) -> int:
    """Poll the bot's outbox until every check-in is sent (or ``timeout_s`` after ``due``)."""
    deadline = due.timestamp() + timeout_s
    sent = 0
    while time.time() < deadline:
        await asyncio.sleep(2)
        if time.time() < due.timestamp():
            continue
        sent = sent_checkins(db_path, numbers)
        if sent >= len(numbers):
            break
    return sent


async def server_view(admin: SynapseAdmin, bot_id: str, rooms: list[str], fan: FanOut) -> None:
    """Count the bot's new messages in each room from Synapse's admin API."""
    due_ms = int(fan.due.timestamp() * 1000)
    stamps: list[int] = []
    gate = asyncio.Semaphore(4)

    async def one(room_id: str) -> list[int]:
        async with gate:
            events = await admin.room_messages(room_id, due_ms)
        return [
            e["origin_server_ts"]
            for e in events
            if e.get("sender") == bot_id and e.get("type") == "m.room.encrypted"
        ]

    for found in await asyncio.gather(*(one(r) for r in rooms)):
        fan.posted_rooms += len(found) == 1
        fan.missing_rooms += not found
        fan.doubled_rooms += len(found) > 1
        stamps += found
    if stamps:
        fan.first_s = (min(stamps) - due_ms) / 1000
        fan.last_s = (max(stamps) - due_ms) / 1000


async def pioneer_view(
    pioneer: Pioneer, bot_id: str, rooms: list[str], after: int, timeout_s: float
) -> tuple[int, int]:
    """Rooms where the pioneer decrypted one check-in, and rooms where it saw two or more."""
    wanted = set(rooms)

    def per_room() -> dict[str, int]:
        seen: dict[str, int] = {}
        for event in pioneer.events[after:]:
            if event.sender == bot_id and event.room_id in wanted and CHECKIN_MARK in event.body:
                seen[event.room_id] = seen.get(event.room_id, 0) + 1
        return seen

    with contextlib.suppress(TimeoutError):
        await pioneer.wait_until(lambda: len(per_room()) >= len(rooms), timeout_s)
    seen = per_room()
    return sum(1 for n in seen.values() if n == 1), sum(1 for n in seen.values() if n > 1)
