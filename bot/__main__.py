"""``python -m bot run | check-config | export``: the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from nio import AsyncClient

    from bot.prompts import Prompts
    from bot.store.database import Database

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    command = Path(sys.argv[0]).name  # `cercle-bot` when installed, else `python -m bot`
    prog = "python -m bot" if command in ("__main__.py", "-c", "") else command
    parser = argparse.ArgumentParser(prog=prog, description="Cooperation-circle bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("run", "connect to the homeserver and serve the circles"),
        ("check-config", "check the settings, the data directory and the homeserver, then exit"),
        ("export", "write a circle's memory as Markdown (needs only the data directory)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--config", type=Path, help="YAML file (default: BOT_CONFIG or none)")
        if name == "check-config":
            p.add_argument("--offline", action="store_true", help="do not contact the homeserver")
        if name == "export":
            p.add_argument("--room", help="the circle's room id (not needed for a single circle)")
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


async def _export(config: Config, room_id: str | None, out: Path | None) -> int:
    """A circle's memory from the data directory alone: no homeserver, no account."""
    from datetime import UTC, datetime

    from bot.features.personal_data.naming import forgotten_name
    from bot.features.sprints import sprint_summaries
    from bot.matrix.preflight import load_prompts
    from bot.memory_export import export_markdown
    from bot.prompts import PromptError
    from bot.store import circles, names

    try:
        prompts = load_prompts()
    except PromptError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    db = await _open_database(config)
    if db is None:
        return 2
    try:
        known = [c.room_id for c in await circles.all_circles(db)]
        titles = {room: await names.room_name(db, room) or room for room in known}
        listing = ", ".join(f"{room} ({titles[room]})" for room in known) or "none"
        if room_id is None and len(known) != 1:
            print(f"error: name the circle with --room; circles here: {listing}", file=sys.stderr)
            return 2
        room_id = room_id or known[0]
        if room_id not in known:
            print(f"error: {room_id} is not a circle here; circles: {listing}", file=sys.stderr)
            return 2
        people = await names.display_names(db, room_id)
        language = config.circle_settings(room_id).language
        text = await export_markdown(
            db, prompts, room_id, language, datetime.now(UTC),
            lambda user: forgotten_name(prompts, language, user)
            or people.get(user) or user.split(":", 1)[0].lstrip("@"),
            titles[room_id], sprint_summaries, tz=config.circle_settings(room_id).timezone,
        )  # fmt: skip
    finally:
        await db.close()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0


def holds_bot_data(data_dir: Path) -> bool:
    """Whether ``data_dir`` is a bot's data directory (its database is there)."""
    database = data_dir / "bot.db"
    return database.is_file() and database.stat().st_size > 0


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


async def _check_config(config: Config, offline: bool) -> int:
    """One line per finding (ok on stdout, warnings and errors on stderr); 3 on an error."""
    from bot.matrix.preflight import check_homeserver, settings_findings

    findings = settings_findings(config)
    if not offline:
        findings += await check_homeserver(config)
    for finding in findings:
        print(finding.line(), file=sys.stdout if finding.level == "ok" else sys.stderr)
    return 3 if any(f.level == "error" for f in findings) else 0


async def _connect(config: Config) -> tuple[Database, AsyncClient] | int:
    """The database and a logged-in client, once the homeserver answers; or an exit code."""
    from bot.matrix.reachability import NotAMatrixHomeserver, wait_until_reachable
    from bot.matrix.session import LoginFailed, open_client

    try:
        versions = await wait_until_reachable(config.homeserver)
    except NotAMatrixHomeserver as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not versions.speaks_v1:
        print(
            f"error: {config.homeserver} speaks Matrix {versions.summary()}; "
            "the bot needs v1.1 or later",
            file=sys.stderr,
        )
        return 2
    db = await _open_database(config)
    if db is None:
        return 2
    try:
        return db, await open_client(config)
    except LoginFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        await db.close()
        return 3
    except BaseException:
        await db.close()
        raise


async def _run(config: Config) -> int:
    from bot.matrix.preflight import NOBODY_MAY_INVITE, load_prompts
    from bot.prompts import PromptError

    try:
        prompts = load_prompts()
    except PromptError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not config.allowed_inviters:
        log.warning(NOBODY_MAY_INVITE)
    loop = asyncio.get_running_loop()
    connecting = asyncio.current_task()

    def stop_connecting() -> None:
        log.info("stopping")
        if connecting is not None:
            connecting.cancel()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop_connecting)
    try:
        connected = await _connect(config)
    except asyncio.CancelledError:
        return 0
    if isinstance(connected, int):
        return connected
    db, client = connected
    return await _serve(config, db, client, prompts)


async def _serve(config: Config, db: Database, client: AsyncClient, prompts: Prompts) -> int:
    """Run the bot until a signal stops it; the client and the database are closed after."""
    from bot.app import CircleBot
    from bot.matrix.adapter import MatrixAdapter
    from bot.matrix.cross_signing import CrossSigningError

    adapter = MatrixAdapter(client, config.only_cross_signed_devices)
    try:
        bot = CircleBot(config, db, adapter, prompts)
    except BaseException:
        await adapter.close()
        await db.close()
        raise
    task: asyncio.Task[None] | None = None

    def stop() -> None:
        log.info("stopping")
        adapter.stop()
        if task is not None:
            task.cancel()

    loop = asyncio.get_running_loop()
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


def _wait_interruptibly(coroutine: Coroutine[Any, Any, int]) -> int:
    """``asyncio.run``, where Ctrl-C before the bot is up (e.g. waiting for the homeserver)
    ends quietly, without a traceback."""
    try:
        return asyncio.run(coroutine)
    except KeyboardInterrupt:
        return 130


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config, need_account=args.command != "export")
        if args.command == "export":
            if not holds_bot_data(config.data_dir):
                raise ConfigError(
                    f"{config.data_dir} holds no bot data (no bot.db): "
                    "set BOT_DATA_DIR to the bot's data directory"
                )
        else:
            check_data_dir(config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from bot.logging_setup import setup_logging

    setup_logging(config.log_level, config.secrets())
    if args.command == "check-config":
        return asyncio.run(_check_config(config, args.offline))
    if args.command == "export":
        return asyncio.run(_export(config, args.room, args.out))
    if os.environ.get("BOT_PASSWORD") and os.environ.get("BOT_ACCESS_TOKEN"):
        log.info("both BOT_PASSWORD and BOT_ACCESS_TOKEN set; the token is used to log in")
    return _wait_interruptibly(_run(config))


if __name__ == "__main__":
    sys.exit(main())
