"""``python -m bot run | check-config``: the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from bot.store.database import Database

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Cooperation-circle bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("run", "connect to the homeserver and serve the circles"),
        ("check-config", "check the configuration and the data directory, then exit"),
        ("export", "write a circle's memory as Markdown (no homeserver needed)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--config", type=Path, help="YAML file (default: BOT_CONFIG or none)")
        if name == "export":
            p.add_argument("--room", required=True, help="the circle's room id")
            p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    return parser


async def _open_database(config: Config) -> Database | None:
    """The bot's database, or None after printing why it cannot be opened."""
    from bot.store.database import Database, StoreError

    db = Database(config.data_dir / "bot.db")
    try:
        await db.open()
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return db


async def _export(config: Config, room_id: str, out: Path | None) -> int:
    from datetime import UTC, datetime

    from bot.features.recaps import sprint_source
    from bot.memory_export import export_markdown
    from bot.prompts import Prompts
    from bot.store import circles

    db = await _open_database(config)
    if db is None:
        return 2
    try:
        if room_id not in {c.room_id for c in await circles.all_circles(db)}:
            print(f"error: {room_id} is not a circle of this bot", file=sys.stderr)
            return 2
        settings = config.circle_settings(room_id)
        text = await export_markdown(
            db, Prompts(), room_id, settings.language, datetime.now(UTC),
            lambda user: user.split(":", 1)[0].lstrip("@"), room_id, sprint_source(),
        )  # fmt: skip
    finally:
        await db.close()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0


def check_data_dir(config: Config) -> None:
    """Create the data directory if needed and make sure we can write in it."""
    try:
        config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        probe = config.data_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"data directory {config.data_dir} is not writable: {exc.strerror}"
        ) from None


async def _run(config: Config) -> int:
    from bot.app import CircleBot
    from bot.matrix.adapter import MatrixAdapter
    from bot.matrix.cross_signing import CrossSigningError
    from bot.matrix.session import LoginFailed, open_client
    from bot.prompts import Prompts

    prompts = Prompts()
    db = await _open_database(config)
    if db is None:
        return 2
    try:
        client = await open_client(config)
    except LoginFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        await db.close()
        return 3
    adapter = MatrixAdapter(client, config.only_cross_signed_devices)
    try:
        bot = CircleBot(config, db, adapter, prompts)
    except BaseException:
        await adapter.close()
        await db.close()
        raise
    loop = asyncio.get_running_loop()
    task: asyncio.Task[None] | None = None

    def stop() -> None:
        log.info("stopping")
        adapter.stop()
        if task is not None:
            task.cancel()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)
    try:
        await bot.start()
        log.info("ready as %s (device %s)", adapter.user_id, adapter.device_id)
        task = asyncio.create_task(bot.run())
        with contextlib.suppress(asyncio.CancelledError):
            await task
    except CrossSigningError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    finally:
        await adapter.close()
        await db.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config)
        check_data_dir(config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from bot.logging_setup import setup_logging

    setup_logging(config.log_level, config.secrets())
    if args.command == "check-config":
        print(
            f"ok: {config.user_id} on {config.homeserver}, data in {config.data_dir}, "
            f"{len(config.allowed_inviters)} allowed inviter(s), "
            f"{len(config.circles)} circle(s) configured"
        )
        return 0
    if args.command == "export":
        return asyncio.run(_export(config, args.room, args.out))
    if os.environ.get("BOT_PASSWORD") and os.environ.get("BOT_ACCESS_TOKEN"):
        log.info("both BOT_PASSWORD and BOT_ACCESS_TOKEN set; the token is used to log in")
    return asyncio.run(_run(config))


if __name__ == "__main__":
    sys.exit(main())
