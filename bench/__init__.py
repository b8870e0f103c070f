"""Benchmarks of the circle bot against a throwaway Synapse; run them all with ``python -m bench``.

Not part of the test suite. This module holds what the benchmarks share: the figures they
report, a percentile, and ``Rig``, which registers accounts and starts pioneers and bots on
one homeserver.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.testing.bot_process import BotProcess
from bot.testing.homeserver import LocalHomeserver
from bot.testing.pioneer import Pioneer, SeenEvent

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"

# Pioneer syncs without a filter, and Synapse then caps each room's timeline at 10 events per
# sync: in a burst the older events of a "limited" timeline never reach the client. The bot asks
# for 100 (bot/matrix/adapter.py SYNC_FILTER); the benchmark pioneers ask for the same.
PIONEER_SYNC_FILTER: dict[str, Any] = {"room": {"timeline": {"limit": 100}}}


@dataclass(frozen=True)
class Figure:
    """One measured figure, as printed in the summary and written to latest.json."""

    benchmark: str
    name: str
    value: float | int | str
    unit: str = ""
    target: str = ""
    met: bool | None = None  # None: no target for this figure

    def shown_value(self) -> str:
        if isinstance(self.value, float):
            digits = 3 if not self.unit else 2 if abs(self.value) < 10 else 1
            text = f"{self.value:.{digits}f}"
        else:
            text = str(self.value)
        return f"{text} {self.unit}".strip()


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100), interpolating between the two nearest ranks.

    >>> percentile([10, 20, 30, 40], 50)
    25.0
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def answers(bot_id: str, event_id: str) -> Callable[[SeenEvent], bool]:
    """Whether a seen event is the bot's message replying to ``event_id``."""
    return lambda e: e.sender == bot_id and e.type == "m.room.message" and e.reply_to == event_id


def posts_in(bot_id: str, room_id: str) -> Callable[[SeenEvent], bool]:
    """Whether a seen event is a new message of the bot in ``room_id`` (not an edit)."""

    def match(e: SeenEvent) -> bool:
        relation = e.content.get("m.relates_to") or {}
        return (
            e.sender == bot_id
            and e.room_id == room_id
            and e.type == "m.room.message"
            and relation.get("rel_type") != "m.replace"
        )

    return match


async def ask(
    pioneer: Pioneer,
    room_id: str,
    bot_id: str,
    text: str,
    timeout: float = 30,
    reply: bool = True,
) -> tuple[SeenEvent, float, str]:
    """Send ``text``; return the bot's reply, the seconds from just before sending to its
    arrival, and the id of the event sent. ``reply=False`` takes the bot's next message in
    the room instead, for commands answered by a post (``!vote ouvrir``, ``!vote clore``)."""
    mark = pioneer.mark()
    began = time.monotonic()
    event_id = await pioneer.send(room_id, text)
    wanted = answers(bot_id, event_id) if reply else posts_in(bot_id, room_id)
    answer = await pioneer.wait_for(wanted, timeout, after=mark)
    return answer, answer.received_at - began, event_id


class Rig:
    """Accounts, pioneers and bots on one homeserver, each with its own folder in ``workdir``."""

    def __init__(self, homeserver: LocalHomeserver, workdir: Path) -> None:
        self.homeserver = homeserver
        self.workdir = workdir
        self.pioneers: list[Pioneer] = []
        self.bots: list[BotProcess] = []
        self._serial = itertools.count(1)

    def register(self, name: str) -> tuple[str, str]:
        """A new account; returns ``(user_id, password)``."""
        username = f"{name}{next(self._serial)}"
        password = f"pw-{username}"
        return self.homeserver.register(username, password), password

    async def pioneer(self, name: str) -> Pioneer:
        """A registered, logged-in pioneer whose background sync is running."""
        user_id, password = self.register(name)
        localpart = user_id[1:].split(":", 1)[0]
        pioneer = Pioneer(self.homeserver.base_url, user_id, password, self.workdir / localpart)
        widen_timeline(pioneer)
        await pioneer.start()
        self.pioneers.append(pioneer)
        return pioneer

    async def pioneers_named(self, name: str, count: int) -> list[Pioneer]:
        return [await self.pioneer(f"{name}{i}") for i in range(count)]

    def bot(
        self,
        name: str,
        allowed_inviters: str,
        commands_per_minute: int | None = None,
        process: type[BotProcess] = BotProcess,
    ) -> tuple[BotProcess, str]:
        """A bot process (started, ready) on a new account; returns it and its user id."""
        user_id, password = self.register(name)
        localpart = user_id[1:].split(":", 1)[0]
        config_file = None
        if commands_per_minute is not None:
            config_file = self.workdir / f"{localpart}.yaml"
            config_file.write_text(f"commands_per_minute: {commands_per_minute}\n")
        bot = process(
            self.homeserver.base_url,
            user_id,
            password,
            self.workdir / localpart,
            allowed_inviters,
            config_file=config_file,
        )
        self.bots.append(bot)  # stopped by close() even if it fails to start
        bot.start()
        return bot, user_id

    async def close(self) -> None:
        for pioneer in self.pioneers:
            with contextlib.suppress(Exception):
                await pioneer.close()
        for bot in self.bots:
            bot.stop()
        self.pioneers.clear()
        self.bots.clear()


def widen_timeline(pioneer: Pioneer) -> None:
    """Make the pioneer's syncs ask for up to 100 timeline events per room (see above)."""
    plain_sync = pioneer.client.sync

    async def sync(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("sync_filter", PIONEER_SYNC_FILTER)
        return await plain_sync(*args, **kwargs)

    pioneer.client.sync = sync


async def wait_for_all(
    pioneer: Pioneer, predicates: Iterable[Callable[[SeenEvent], bool]], timeout: float, after: int
) -> list[SeenEvent | None]:
    """For each predicate, the first matching event seen after ``after`` (None if none in time)."""
    wanted = list(predicates)
    found: list[SeenEvent | None] = [None] * len(wanted)
    scanned = after

    def all_found() -> bool:
        nonlocal scanned
        for event in pioneer.events[scanned:]:
            for index, predicate in enumerate(wanted):
                if found[index] is None and predicate(event):
                    found[index] = event
        scanned = max(scanned, len(pioneer.events))
        return all(f is not None for f in found)

    with contextlib.suppress(TimeoutError):
        await pioneer.wait_until(all_found, timeout)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds used by named processes between ``start()`` and ``used()``."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid is not None}
        self._began: dict[str, float] = {}
        self._wall = 0.0

    def start(self) -> None:
        self._wall = time.monotonic()
        self._began = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def used(self) -> dict[str, float]:
        return {name: cpu_seconds(pid) - self._began[name] for name, pid in self.pids.items()}

    def summary(self) -> str:
        """E.g. ``wall 11.2 s; CPU: bot 3.1 s, synapse 9.8 s, pioneers 6.0 s``."""
        used = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.used().items())
        return f"wall {time.monotonic() - self._wall:.1f} s; CPU: {used}"


def rss_mb(pid: int) -> tuple[float, float]:
    """``(VmRSS, VmHWM)`` of a process, in MB (10^6 bytes)."""
    fields: dict[str, float] = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) * 1024 / 1e6
    return fields["VmRSS"], fields["VmHWM"]


async def settle(seconds: float) -> None:
    """Let the processes finish what they were doing (sync tails, key sharing, outbox)."""
    await asyncio.sleep(seconds)
