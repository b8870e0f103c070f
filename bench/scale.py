"""A thousand circles on one bot account: ``python -m bench.scale --circles 10,100,1000``.

For each size N, on one Synapse whose data directory is kept from one size to the next (the
rooms of the smaller sizes are reused, only the new ones are made):

1. set-up, all Synapse rate limits lifted: N encrypted circles with the bot and a pioneer
   (Anna, a server admin, who creates them), N more with the bare echo bot; every new circle
   gets a year of history written straight into the bot's SQLite (``bench/scale_history.py``);
2. reply latency: Anna sends ``!aide`` and a story to the bot and the echo bot in turn, over
   rooms spread across the N circles; p50 and p95 of each, and the ratios bot/echo;
3. memory: the bot's and the echo bot's RSS;
4. the monthly fan-out on a Synapse whose message limit is 5 a second, burst 10 (the shape of
   the default, 0.2 a second, burst 10, made faster): the bot is restarted (restart to first
   reply measured), its N check-ins fall due the same minute; counted in the rooms;
5. the same once the bot's account is exempted through Synapse's admin API.

Synapse runs only while ``--lock`` (a file, e.g. /tmp/heavy.lock) is held, one size at a time.
The figures go to bench/results/scale.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import RESULTS_DIR, Figure, ask, percentile, rss_mb, widen_timeline
from bench.__main__ import machine_facts
from bench.echo_bot import EchoBotProcess
from bench.latency import BENCH_COMMANDS_PER_MINUTE, aide_text, story_text
from bench.scale_fanout import (
    FanOut,
    due_minute,
    pioneer_view,
    plan_checkins,
    server_view,
    wait_until_sent,
)
from bench.scale_history import SeededCircle, seed, table_counts
from bench.scale_rooms import (
    FANOUT_BURST,
    FANOUT_LIMITS,
    FANOUT_RATE_PER_S,
    SET_UP_LIMITS,
    SynapseAdmin,
    count_send_429s,
    log_size,
)
from bot.store.database import Database
from bot.testing.bot_process import BotProcess
from bot.testing.homeserver import LocalHomeserver
from bot.testing.pioneer import Pioneer

log = logging.getLogger(__name__)

TARGET_RATIO = 1.05
TARGET_RESTART_S = 10.0
TARGET_RSS_MB = 150.0
TARGET_FANOUT = 1.1  # × what the rate limit permits
SAMPLE_ROOMS = 20  # latency samples rotate over this many circles, spread across all N
REPLY_TIMEOUT_S = 60


@contextlib.contextmanager
def held(lock_path: str | None) -> Iterator[None]:
    """Hold ``flock`` on ``lock_path`` (shared with ``flock(1)`` users), if given."""
    if lock_path is None:
        yield
        return
    with open(lock_path, "a") as lock:
        began = time.monotonic()
        fcntl.flock(lock, fcntl.LOCK_EX)
        print(f"  (lock {lock_path} taken after {time.monotonic() - began:.0f} s)")
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class ReturningPioneer(Pioneer):
    """A pioneer who keeps her device from one Synapse start to the next (no new device,
    so the bots never share keys with devices nobody uses)."""

    device: tuple[str, str] | None = None  # (device id, access token) once logged in

    async def login(self) -> None:
        if self.device is None:
            await super().login()
            self.device = (str(self.client.device_id), str(self.client.access_token))
        else:
            self.client.restore_login(self.user_id, *self.device)


@dataclass
class World:
    """What lives from one size to the next: accounts, rooms, folders."""

    workdir: Path
    port: int = 0
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> id, password
    bot_rooms: list[str] = field(default_factory=list)
    echo_rooms: list[str] = field(default_factory=list)
    anna_device: tuple[str, str] | None = None

    def homeserver(self, limits: dict[str, Any]) -> LocalHomeserver:
        """A Synapse on the kept data directory and port with these message limits. Its
        registration secret is new, and written to the config it starts with."""
        hs = LocalHomeserver(
            self.workdir / "synapse",
            port=self.port or None,
            rc_overrides=limits,
            die_with_parent=True,  # no Synapse left behind if the benchmark is killed
        )
        self.port = hs.port
        return hs

    @property
    def bot_db(self) -> Path:
        return self.workdir / "bot" / "bot.db"

    def process(self, name: str, kind: type[BotProcess], base_url: str) -> BotProcess:
        user_id, password = self.accounts[name]
        config = self.workdir / f"{name}.yaml"
        config.write_text(f"commands_per_minute: {BENCH_COMMANDS_PER_MINUTE}\n")
        return kind(
            base_url,
            user_id,
            password,
            self.workdir / name,
            self.accounts["anna"][0],
            config_file=config if kind is BotProcess else None,
            die_with_parent=True,
        )


def register_accounts(world: World, hs: LocalHomeserver) -> None:
    if world.accounts:
        return
    for name, admin in (("anna", True), ("bot", False), ("echo", False)):
        password = f"pw-scale-{name}"
        world.accounts[name] = (hs.register(f"scale-{name}", password, admin=admin), password)


async def add_rooms(world: World, admin: SynapseAdmin, circles: int) -> list[SeededCircle]:
    """Make the circles missing for this size; returns the new bot circles to seed."""
    have = len(world.bot_rooms)
    if have >= circles:
        return []
    began = time.monotonic()
    names = [f"Cercle n°{i}" for i in range(have + 1, circles + 1)]
    bot_id, echo_id = world.accounts["bot"][0], world.accounts["echo"][0]
    new_bot_rooms = await admin.create_rooms(names, bot_id)
    new_echo_rooms = await admin.create_rooms([f"{n} (écho)" for n in names], echo_id)
    world.bot_rooms += new_bot_rooms
    world.echo_rooms += new_echo_rooms
    took = time.monotonic() - began
    print(f"  {2 * len(names)} rooms made in {took:.0f} s ({took / (2 * len(names)):.2f} s each)")
    anna = world.accounts["anna"][0]
    return [SeededCircle(r, n, anna) for r, n in zip(new_bot_rooms, names, strict=True)]


async def seed_history(world: World, new: list[SeededCircle]) -> dict[str, int]:
    world.bot_db.parent.mkdir(parents=True, exist_ok=True)
    db = Database(world.bot_db)
    await db.open()
    try:
        began = time.monotonic()
        await seed(db, new, first_index=len(world.bot_rooms) - len(new))
        if new:
            print(f"  a year of history for {len(new)} circles in {time.monotonic() - began:.0f} s")
        return await table_counts(db)
    finally:
        await db.close()


def spread(rooms: list[str], count: int) -> list[str]:
    """``count`` rooms taken evenly across ``rooms``."""
    if len(rooms) <= count:
        return list(rooms)
    step = len(rooms) / count
    return [rooms[int(i * step)] for i in range(count)]


# ---- latency ------------------------------------------------------------------------------------
async def measure_latency(anna: Pioneer, world: World, circles: int, rounds: int) -> list[Figure]:
    """``!aide`` and a story, bot and echo in turn, over ``SAMPLE_ROOMS`` circles of the N."""
    bot_id, echo_id = world.accounts["bot"][0], world.accounts["echo"][0]
    pairs = list(
        zip(
            spread(world.bot_rooms, SAMPLE_ROOMS),
            spread(world.echo_rooms, SAMPLE_ROOMS),
            strict=True,
        )
    )
    figures: list[Figure] = []
    for command, text in (("!aide", aide_text), ("story", story_text)):
        samples: dict[str, list[float]] = {"bot": [], "echo": []}
        lost = 0
        for i in range(len(pairs) + rounds):  # one warm-up round in each room first
            bot_room, echo_room = pairs[i % len(pairs)]
            for label, room, user in (("bot", bot_room, bot_id), ("echo", echo_room, echo_id)):
                try:
                    _, seconds, _ = await ask(
                        anna, room, user, text(circles * 1000 + i), REPLY_TIMEOUT_S
                    )
                except TimeoutError:
                    lost += 1
                    continue
                if i >= len(pairs):
                    samples[label].append(seconds * 1000)
                await asyncio.sleep(0.1)
        figures += _latency_figures(circles, command, samples, lost)
    return figures


def _latency_figures(
    circles: int, command: str, samples: dict[str, list[float]], lost: int
) -> list[Figure]:
    bench = f"scale {circles}"
    p = {(label, q): percentile(samples[label], q) for label in samples for q in (50, 95)}
    print(
        f"  {command:<6} bot p50 {p['bot', 50]:6.1f} p95 {p['bot', 95]:6.1f} ms | echo p50 "
        f"{p['echo', 50]:6.1f} p95 {p['echo', 95]:6.1f} ms | n={len(samples['bot'])} lost={lost}"
    )
    figures = [
        Figure(bench, f"{command} p50 bot / echo", f"{p['bot', 50]:.1f} / {p['echo', 50]:.1f} ms"),
        Figure(bench, f"{command} p95 bot / echo", f"{p['bot', 95]:.1f} / {p['echo', 95]:.1f} ms"),
    ]
    for q in (50, 95):
        ratio = p["bot", q] / p["echo", q]
        met = ratio <= TARGET_RATIO
        figures.append(
            Figure(bench, f"{command} ratio p{q} bot/echo", ratio, "", f"≤ {TARGET_RATIO}", met)
        )
    figures.append(Figure(bench, f"{command} replies lost", lost, "", "0", lost == 0))
    return figures


# ---- restart and fan-out ------------------------------------------------------------------------
async def fan_out(run: SizeRun, label: str) -> list[Figure]:
    """Restart the bot with every circle's check-in due in the same minute; check them all."""
    world, circles, rooms = run.world, run.circles, run.world.bot_rooms[: run.circles]
    bot_id = world.accounts["bot"][0]
    run.bot.stop()
    due = due_minute(45 + 0.06 * circles)
    numbers = await plan_checkins(world.bot_db, rooms, due)
    bot_offset, synapse_offset = log_size(run.bot.log_path), log_size(run.hs.log_path)
    mark = run.anna.mark()
    began = time.monotonic()
    run.bot.start(wait_ready=False)
    reply, _, _ = await ask(run.anna, rooms[0], bot_id, "!aide", 300)
    restart_s = reply.received_at - began
    print(
        f"  [{label}] restart to first reply {restart_s:.1f} s; {circles} check-ins due {due:%H:%M}"
    )
    fan = FanOut(circles, due)
    permitted = fan.permitted_s(FANOUT_RATE_PER_S, FANOUT_BURST)
    sent = await wait_until_sent(world.bot_db, numbers, due, 3 * permitted + 120)
    await server_view(run.admin, bot_id, rooms, fan)
    fan.decrypted, fan.decrypted_twice = await pioneer_view(
        run.anna, bot_id, rooms, mark, 60 + 0.1 * circles
    )
    bot_log = _bytes_after(run.bot.log_path, bot_offset)
    # nio waits out a 429 itself (up to 3 times a request), then the outbox sender does.
    fan.bot_429_waits = bot_log.count("Got 429 response") + bot_log.count("rate limited in")
    fan.synapse_429s = count_send_429s(run.hs.log_path, synapse_offset)
    print(
        f"  [{label}] outbox sent {sent}/{circles}; in the rooms: {fan.posted_rooms} once, "
        f"{fan.missing_rooms} missing, {fan.doubled_rooms} twice; decrypted {fan.decrypted} "
        f"(twice {fan.decrypted_twice}); first {fan.first_s:.1f} s, last {fan.last_s:.1f} s "
        f"after the due minute (rate limit permits {permitted:.1f} s); 429s: bot waited "
        f"{fan.bot_429_waits}, Synapse answered {fan.synapse_429s}"
    )
    return _fan_figures(circles, label, fan, restart_s, limited=label == "limited")


def _bytes_after(path: Path, offset: int) -> str:
    with path.open("rb") as file:
        file.seek(offset)
        return file.read().decode(errors="replace")


def _fan_figures(
    circles: int, label: str, fan: FanOut, restart_s: float, limited: bool
) -> list[Figure]:
    bench = f"scale {circles}"
    permitted = fan.permitted_s(FANOUT_RATE_PER_S, FANOUT_BURST)
    all_once = fan.posted_rooms == circles and fan.decrypted == circles
    figures = [
        Figure(
            bench,
            f"restart to first reply ({label})",
            restart_s,
            "s",
            f"≤ {TARGET_RESTART_S:.0f} s",
            restart_s <= TARGET_RESTART_S,
        ),
        Figure(
            bench,
            f"fan-out {label}: posted once / missing / twice (decrypted)",
            f"{fan.posted_rooms}/{fan.missing_rooms}/{fan.doubled_rooms} ({fan.decrypted})",
            "",
            f"{circles}/0/0 ({circles})",
            all_once and not fan.doubled_rooms and not fan.decrypted_twice,
        ),
        Figure(bench, f"fan-out {label}: last post after the due minute", fan.last_s, "s"),
        Figure(
            bench,
            f"fan-out {label}: 429s bot waits / Synapse",
            f"{fan.bot_429_waits}/{fan.synapse_429s}",
        ),
    ]
    if limited and permitted > 0:
        ratio = fan.last_s / permitted
        figures.append(
            Figure(
                bench,
                f"fan-out {label}: duration ÷ permitted ({permitted:.0f} s)",
                ratio,
                "",
                f"≤ {TARGET_FANOUT}",
                ratio <= TARGET_FANOUT,
            )
        )
    return figures


# ---- one size -----------------------------------------------------------------------------------
@dataclass
class SizeRun:
    """The processes of one size: Synapse, the admin client, Anna, the bot, the echo bot."""

    world: World
    circles: int
    hs: LocalHomeserver
    admin: SynapseAdmin
    anna: ReturningPioneer
    bot: BotProcess
    echo: BotProcess

    async def restart_synapse(self, limits: dict[str, Any]) -> None:
        """Synapse again on the same data, with other message limits (the bot stopped)."""
        self.bot.stop()
        await self.admin.close()
        self.hs.stop()
        self.hs = self.world.homeserver(limits)
        self.hs.start()
        self.admin = SynapseAdmin(self.hs.base_url, self.admin.headers["Authorization"][7:])

    def rss(self, label: str) -> list[Figure]:
        bench = f"scale {self.circles}"
        bot_rss, bot_peak = rss_mb(self.bot.pid or 0)
        echo_rss, _ = rss_mb(self.echo.pid or 0)
        print(f"  RSS {label}: bot {bot_rss:.1f} MB (peak {bot_peak:.1f}), echo {echo_rss:.1f} MB")
        return [
            Figure(
                bench,
                f"RSS bot {label}",
                bot_rss,
                "MB",
                f"≤ {TARGET_RSS_MB:.0f} MB",
                bot_rss <= TARGET_RSS_MB,
            ),
            Figure(bench, f"peak RSS bot {label}", bot_peak, "MB"),
            Figure(bench, f"RSS echo {label}", echo_rss, "MB"),
        ]

    async def close(self) -> None:
        for process in (self.bot, self.echo):
            process.stop()
        with contextlib.suppress(Exception):
            await self.anna.close()
        await self.admin.close()
        self.hs.stop()


async def open_size(world: World, circles: int) -> SizeRun:
    """Synapse up, rooms made and seeded, Anna syncing, the bot and the echo bot answering."""
    hs = world.homeserver(SET_UP_LIMITS)
    hs.start()
    register_accounts(world, hs)
    anna_id, anna_password = world.accounts["anna"]
    anna = ReturningPioneer(hs.base_url, anna_id, anna_password, world.workdir / "anna")
    anna.device = world.anna_device
    widen_timeline(anna)
    await anna.start()
    world.anna_device = anna.device
    assert anna.device is not None
    admin = SynapseAdmin(hs.base_url, anna.device[1])
    bot_id, echo_id = world.accounts["bot"][0], world.accounts["echo"][0]
    with contextlib.suppress(RuntimeError):  # left by an earlier size
        await admin.remove_exemption(bot_id)
    new = await add_rooms(world, admin, circles)
    counts = await seed_history(world, new)
    print(f"  the bot's database: {counts}")
    every_room = set(world.bot_rooms + world.echo_rooms)
    await anna.wait_until(lambda: every_room <= set(anna.client.rooms), 600)
    bot = world.process("bot", BotProcess, hs.base_url)
    echo = world.process("echo", EchoBotProcess, hs.base_url)
    run = SizeRun(world, circles, hs, admin, anna, bot, echo)
    began = time.monotonic()
    bot.start(timeout=600)
    echo.start(timeout=600)
    for room, user in ((world.bot_rooms[0], bot_id), (world.echo_rooms[0], echo_id)):
        await ask(anna, room, user, "!aide", 600)
    print(f"  bot and echo bot answering {time.monotonic() - began:.0f} s after their start")
    return run


async def run_size(world: World, circles: int, rounds: int) -> list[Figure]:
    run = await open_size(world, circles)
    try:
        figures = await measure_latency(run.anna, world, circles, rounds)
        figures += run.rss(f"{circles} circles, after the latency samples")
        await run.restart_synapse(FANOUT_LIMITS)
        figures += await fan_out(run, "limited")
        await run.admin.exempt_from_rate_limits(world.accounts["bot"][0])
        figures += await fan_out(run, "exempted")
        figures += run.rss(f"{circles} circles, after both fan-outs")
        return figures
    finally:
        await run.close()


# ---- the command --------------------------------------------------------------------------------
def write_results(document: dict[str, Any]) -> Path:
    from bench.__main__ import _json_ready

    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / "scale.json"
    document["figures"] = [_json_ready(f.__dict__) for f in document["figures"]]
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


async def run_all(args: argparse.Namespace, workdir: Path) -> tuple[list[Figure], dict[str, str]]:
    world = World(workdir)
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    for circles in args.circles:
        print(f"\n== {circles} circles ==")
        began = time.monotonic()
        with held(args.lock):
            try:
                figures += await run_size(world, circles, args.samples)
            except Exception as exc:
                log.exception("the %d-circle run failed", circles)
                errors[f"scale {circles}"] = f"{type(exc).__name__}: {exc}"[:200]
                break
        print(f"  ({circles} circles: {time.monotonic() - began:.0f} s)")
    return figures, errors


def main() -> int:
    from bench.__main__ import print_summary

    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--circles",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[10, 100, 1000],
        help="sizes, comma-separated (default 10,100,1000)",
    )
    parser.add_argument("--samples", type=int, default=40, help="latency samples per bot/command")
    parser.add_argument("--lock", help="a lock file held while Synapse runs (e.g. /tmp/heavy.lock)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("nio").setLevel(logging.ERROR)
    facts = machine_facts()
    workdir = Path(tempfile.mkdtemp(prefix="cercle-scale-"))
    print(f"== Machine ==\n  {facts}\n  work folder {workdir}")
    figures, errors = asyncio.run(run_all(args, workdir))
    facts["load_average_at_end"] = [round(x, 2) for x in __import__("os").getloadavg()]
    print_summary(figures, errors)
    document = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": facts,
        "circles": args.circles,
        "samples": args.samples,
        "figures": figures,
        "errors": errors,
    }
    print(f"\nwritten to {write_results(document)}")
    if errors or args.keep:
        print(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
