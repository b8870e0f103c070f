"""Reply latency of the bot against the floor, a bare nio echo bot, on the same Synapse.

One pioneer is in two encrypted rooms, one with the bot and one with the echo bot, and sends
the same text to each in turn (bot, echo, bot, echo, …) so that noise hits both alike. A sample
runs from just before ``send()`` to the arrival, in the pioneer's sync, of the message replying
to the sent event. A few warm-up rounds are not counted.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nio import RoomGetEventResponse

from bench import CpuMeter, Figure, Rig, ask, percentile, rss_mb, settle
from bench.echo_bot import EchoBotProcess
from bot.testing.pioneer import Pioneer

WARM_UP_ROUNDS = 5
GAP_S = 0.1  # between two samples: each bot is idle, long-polling, when a command reaches it
REPLY_TIMEOUT_S = 30
TARGETS = {"aide": 1.05, "histoire": 1.10}  # bot p50 / echo p50, at most
# The bot slows a member past 20 commands a minute; one pioneer sends ~4 a second here.
BENCH_COMMANDS_PER_MINUTE = 1_000_000


def aide_text(_: int) -> str:
    return "!aide"


def story_text(i: int) -> str:
    return (
        f"!histoire En tant que bénévole n°{i} de la Ressourcerie, je souhaite voir le planning "
        f"des collectes n°{i} sur mon téléphone afin que je ne rate plus la tournée {i}"
    )


@dataclass
class Samples:
    """The counted samples of one bot for one command."""

    seconds: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)  # reply ts - command ts, on Synapse
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (command id, reply id)
    lost: int = 0
    wrong: int = 0  # replies that were not the expected answer
    cpu_ms: float = math.nan  # the process' CPU time per counted sample

    def p(self, q: float) -> float:
        return percentile(self.seconds, q) * 1000


@dataclass
class Target:
    label: str
    user_id: str
    room_id: str


async def _server_timestamps(pioneer: Pioneer, room_id: str, samples: Samples) -> None:
    """Synapse's timestamps of each command and its reply: the turn-around without the
    pioneer's own sync in it."""
    for command_id, reply_id in samples.pairs:
        stamps = []
        for event_id in (command_id, reply_id):
            response = await pioneer.client.room_get_event(room_id, event_id)
            if isinstance(response, RoomGetEventResponse):
                stamps.append(response.event.server_timestamp)
        if len(stamps) == 2:
            samples.server_ms.append(float(stamps[1] - stamps[0]))


async def _measure(
    pioneer: Pioneer,
    targets: list[Target],
    text: Callable[[int], str],
    expected: str,
    rounds: int,
    meter: CpuMeter,
) -> dict[str, Samples]:
    results = {t.label: Samples() for t in targets}
    for i in range(WARM_UP_ROUNDS + rounds):
        if i == WARM_UP_ROUNDS:
            meter.start()
        for target in targets:
            samples = results[target.label]
            try:
                reply, seconds, sent = await ask(
                    pioneer, target.room_id, target.user_id, text(i), REPLY_TIMEOUT_S
                )
            except TimeoutError:
                samples.lost += 1
                if samples.lost > max(3, rounds // 10):
                    raise
                continue
            if i >= WARM_UP_ROUNDS:
                samples.seconds.append(seconds)
                samples.pairs.append((sent, reply.event_id))
                if target.label == "bot" and expected not in reply.body:
                    samples.wrong += 1
            await asyncio.sleep(GAP_S)
    for label, seconds in meter.used().items():
        results[label].cpu_ms = seconds * 1000 / rounds
    for target in targets:
        await _server_timestamps(pioneer, target.room_id, results[target.label])
    return results


async def run(rig: Rig, rounds: int = 60) -> list[Figure]:
    """Measure ``!aide`` and recording a story, ``rounds`` samples each per bot."""
    pioneer = await rig.pioneer("latency-pioneer")
    bot, bot_id = rig.bot(
        "latency-bot", pioneer.user_id, commands_per_minute=BENCH_COMMANDS_PER_MINUTE
    )
    echo, echo_id = rig.bot("latency-echo", pioneer.user_id, process=EchoBotProcess)
    bot_room = await pioneer.create_room("Cercle latence (bot)", [bot_id])
    echo_room = await pioneer.create_room("Cercle latence (écho)", [echo_id])
    await pioneer.wait_for(lambda e: e.sender == bot_id and e.room_id == bot_room, 60)
    await pioneer.wait_for(
        lambda e: (
            e.sender == echo_id
            and e.room_id == echo_room
            and e.type == "m.room.member"
            and e.content.get("membership") == "join"
        ),
        60,
    )
    await settle(1)
    targets = [Target("bot", bot_id, bot_room), Target("echo", echo_id, echo_room)]
    print(
        f"  {rounds} samples per bot and command, after {WARM_UP_ROUNDS} warm-up rounds; "
        f"alternating bot, echo; {GAP_S * 1000:.0f} ms between samples"
    )
    figures: list[Figure] = []
    for command, text, expected in (
        ("aide", aide_text, "!histoire"),
        ("histoire", story_text, "enregistrée"),
    ):
        began = time.monotonic()
        meter = CpuMeter({"bot": bot.pid, "echo": echo.pid})
        results = await _measure(pioneer, targets, text, expected, rounds, meter)
        figures += _report(command, results, time.monotonic() - began)
    rss = {label: rss_mb(process.pid or 0)[0] for label, process in (("bot", bot), ("echo", echo))}
    print(f"  RSS after the run: bot {rss['bot']:.1f} MB, echo {rss['echo']:.1f} MB (1 room each)")
    figures += [
        Figure("latency", "RSS after the run, bot", rss["bot"], "MB"),
        Figure("latency", "RSS after the run, echo", rss["echo"], "MB"),
    ]
    for process in (bot, echo):
        process.stop()
    return figures


def _report(command: str, results: dict[str, Samples], elapsed: float) -> list[Figure]:
    bot, echo = results["bot"], results["echo"]
    name = f"!{command}"
    print(f"  {name} ({elapsed:.0f} s)")
    for label, samples in (("bot", bot), ("echo", echo)):
        server = samples.server_ms
        print(
            f"    {label:<5} p50 {samples.p(50):6.1f} ms   p95 {samples.p(95):6.1f} ms   "
            f"min {samples.p(0):6.1f}   max {samples.p(100):6.1f}   "
            f"(on Synapse: p50 {percentile(server, 50):5.0f} ms, "
            f"p95 {percentile(server, 95):5.0f} ms)   CPU {samples.cpu_ms:5.1f} ms/command   "
            f"n={len(samples.seconds)} lost={samples.lost}"
        )
    ratio50 = bot.p(50) / echo.p(50)
    ratio95 = bot.p(95) / echo.p(95)
    target = TARGETS[command]
    print(f"    ratio bot/echo: p50 {ratio50:.3f} (target ≤ {target:.2f}), p95 {ratio95:.3f}")
    if bot.wrong:
        print(f"    WARNING: {bot.wrong} bot replies were not the expected answer")
    bench = "latency"
    return [
        Figure(bench, f"{name} bot p50", bot.p(50), "ms"),
        Figure(bench, f"{name} echo p50", echo.p(50), "ms"),
        Figure(bench, f"{name} bot p95", bot.p(95), "ms"),
        Figure(bench, f"{name} echo p95", echo.p(95), "ms"),
        Figure(
            bench, f"{name} ratio p50 bot/echo", ratio50, "", f"≤ {target:.2f}", ratio50 <= target
        ),
        Figure(bench, f"{name} ratio p95 bot/echo", ratio95, ""),
        Figure(bench, f"{name} on Synapse p50 bot", percentile(bot.server_ms, 50), "ms"),
        Figure(bench, f"{name} on Synapse p50 echo", percentile(echo.server_ms, 50), "ms"),
        Figure(bench, f"{name} CPU per command bot", bot.cpu_ms, "ms"),
        Figure(bench, f"{name} CPU per command echo", echo.cpu_ms, "ms"),
        Figure(
            bench,
            f"{name} replies lost/wrong",
            f"{bot.lost + echo.lost}/{bot.wrong}",
            "",
            "0/0",
            bot.lost + echo.lost + bot.wrong == 0,
        ),
    ]
