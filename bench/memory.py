"""The bot's memory (RSS) when it serves 1 circle, then 100, then once a vote has been closed
(its results come with a chart drawn by matplotlib), then 100 again after a restart.

One pioneer creates every circle (an encrypted room) and invites the bot and one member from a
pool of ten, who joins; the bot greets each circle; each member then sends one ``!aide`` in each
of their circles (ten each, under the bot's flood limit). The RSS is read from
``/proc/<pid>/status`` (``VmRSS``, and ``VmHWM`` for the peak) once everything has settled.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bench import Figure, Rig, answers, ask, rss_mb, settle, wait_for_all
from bench.burst import UNKNOWN_COMMAND, voter_story
from bot.testing.bot_process import BotProcess
from bot.testing.pioneer import Pioneer, SeenEvent

MEMBERS_POOL = 10
TARGET_MB = 100.0
SETTLE_S = 5.0
TIMEOUT_S = 300


def greets(bot_id: str, room_id: str) -> Callable[[SeenEvent], bool]:
    """Whether a seen event is a message of the bot in ``room_id`` (its greeting comes first)."""
    return lambda e: e.sender == bot_id and e.room_id == room_id


async def _open_circle(creator: Pioneer, member: Pioneer, bot_id: str, number: int) -> str:
    room_id = await creator.create_room(f"Cercle n°{number}", [bot_id, member.user_id])
    await member.join(room_id)
    return room_id


async def _help_everywhere(
    circles: list[tuple[str, Pioneer]], bot_id: str, observer: Pioneer
) -> int:
    """One ``!aide`` in every circle, ten circles at a time; returns how many were answered."""
    mark = observer.mark()
    sent: list[str] = []
    for start in range(0, len(circles), 10):
        batch = circles[start : start + 10]
        sent += await asyncio.gather(*(m.send(room, "!aide") for room, m in batch))
    found = await wait_for_all(observer, [answers(bot_id, e) for e in sent], TIMEOUT_S, mark)
    return sum(f is not None for f in found)


async def _close_a_vote(creator: Pioneer, bot_id: str, room_id: str) -> float | None:
    """One story, a vote opened, one ballot, the vote closed: the results come with a chart
    (matplotlib, loaded on first use). Returns 0.0 when done, None if the bot has no votes."""
    probe, _, _ = await ask(creator, room_id, bot_id, "!vote")
    if any(words in probe.body for words in UNKNOWN_COMMAND):
        print("  (no vote closed: the bot does not know !vote yet)")
        return None
    for text, reply in (
        (voter_story(0), True),
        ("!vote ouvrir", False),
        ("!vote 1 1 1", True),
        ("!vote clore", False),
    ):
        answer, _, _ = await ask(creator, room_id, bot_id, text, TIMEOUT_S, reply=reply)
        print(f"  {text[:20]} → {answer.body.strip().splitlines()[0][:90]}")
    await settle(SETTLE_S)
    return 0.0


def _measure(bot: BotProcess, label: str) -> tuple[float, float]:
    assert bot.pid is not None
    rss, peak = rss_mb(bot.pid)
    print(f"  {label:<34} RSS {rss:6.1f} MB   (peak {peak:6.1f} MB)")
    return rss, peak


async def run(rig: Rig, circles: int = 100) -> list[Figure]:
    creator = await rig.pioneer("memory-anna")
    members = await rig.pioneers_named("memory-member", MEMBERS_POOL)
    bot, bot_id = rig.bot("memory-bot", creator.user_id)
    await settle(SETTLE_S)
    ready_rss, _ = _measure(bot, "ready, no circle")

    opened: list[tuple[str, Pioneer]] = []
    first = await _open_circle(creator, members[0], bot_id, 1)
    opened.append((first, members[0]))
    await creator.wait_for(greets(bot_id, first), 60)
    answered = await _help_everywhere(opened, bot_id, creator)
    await settle(SETTLE_S)
    one_rss, _ = _measure(bot, "1 circle, 1 !aide answered")

    began = time.monotonic()
    for number in range(2, circles + 1):
        member = members[(number - 1) % MEMBERS_POOL]
        opened.append((await _open_circle(creator, member, bot_id, number), member))
    greeted = await wait_for_all(
        creator, [greets(bot_id, room) for room, _ in opened[1:]], TIMEOUT_S, 0
    )
    print(
        f"  {circles - 1} more circles opened and greeted in {time.monotonic() - began:.0f} s "
        f"({sum(g is not None for g in greeted) + 1}/{circles} greetings seen)"
    )
    answered = await _help_everywhere(opened, bot_id, creator)
    print(f"  !aide answered in {answered}/{circles} circles")
    await settle(SETTLE_S)
    many_rss, many_peak = _measure(bot, f"{circles} circles, {circles} !aide answered")

    voted_rss = await _close_a_vote(creator, bot_id, first)
    if voted_rss is not None:
        voted_rss, _ = _measure(bot, "then one vote closed (its chart)")

    bot.stop()
    bot.start()
    reply_ok = await _help_everywhere(opened[:1], bot_id, creator)
    await settle(SETTLE_S)
    restart_rss, restart_peak = _measure(bot, f"restarted with {circles} circles")
    bot.stop()

    per_circle = (many_rss - one_rss) / max(1, circles - 1)
    print(f"  about {per_circle * 1000:.0f} kB more per circle")
    bench = "memory"
    return [
        Figure(bench, "RSS ready, no circle", ready_rss, "MB"),
        Figure(bench, "RSS 1 circle", one_rss, "MB"),
        Figure(
            bench,
            f"RSS {circles} circles",
            many_rss,
            "MB",
            f"< {TARGET_MB:.0f} MB",
            many_rss < TARGET_MB,
        ),
        Figure(bench, f"peak RSS {circles} circles", many_peak, "MB"),
        Figure(
            bench,
            f"RSS restarted, {circles} circles",
            restart_rss,
            "MB",
            f"< {TARGET_MB:.0f} MB",
            restart_rss < TARGET_MB,
        ),
        Figure(bench, "peak RSS after restart", restart_peak, "MB"),
        Figure(
            bench,
            f"RSS {circles} circles, one vote closed",
            "not run" if voted_rss is None else voted_rss,
            "" if voted_rss is None else "MB",
            f"< {TARGET_MB:.0f} MB",
            None if voted_rss is None else voted_rss < TARGET_MB,
        ),
        Figure(bench, "RSS per extra circle", per_circle * 1000, "kB"),
        Figure(
            bench,
            "circles greeted and answering",
            f"{answered}/{circles}",
            "",
            "all",
            answered == circles and reply_ok == 1,
        ),
    ]
