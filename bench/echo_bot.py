"""The floor for latency: a bare matrix-nio bot with the bot's E2EE and sync settings.

Run as its own process, configured like the real bot (``BOT_HOMESERVER``, ``BOT_USER_ID``,
``BOT_PASSWORD``, ``BOT_DATA_DIR``)::

    python -m bench.echo_bot

It joins every invite and answers every ``m.text`` starting with ``!`` with an ``m.notice``
repeating it, as a reply. Nothing else: no database, no parsing, no cross-signing (the
benchmark's pioneers are nio clients, which do not ask for it). Its sync loop is the bot's
(bot/matrix/adapter.py ``MatrixAdapter.run``): same client config, filter, long-poll and key
maintenance, so the difference in reply time is what the bot does on top.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from nio import AsyncClient, LoginResponse, RoomMessageText, SyncError, SyncResponse

from bench import REPO_ROOT
from bot.matrix.adapter import SYNC_FILTER
from bot.matrix.session import client_config
from bot.testing.bot_process import BotProcess
from bot.testing.lifetime import die_with_parent

LONG_POLL_MS = 30000


async def echo(client: AsyncClient, response: SyncResponse) -> None:
    """Join the invites and answer the commands of one sync batch."""
    for room_id in response.rooms.invite:
        await client.join(room_id)
    for room_id, info in response.rooms.join.items():
        for event in info.timeline.events:
            if (
                isinstance(event, RoomMessageText)
                and event.sender != client.user_id
                and event.body.startswith("!")
            ):
                content = {
                    "msgtype": "m.notice",
                    "body": event.body,
                    "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
                    "m.mentions": {},
                }
                await client.room_send(
                    room_id, "m.room.message", content, ignore_unverified_devices=True
                )


async def serve(client: AsyncClient) -> None:
    """Sync and echo until cancelled, as ``MatrixAdapter.run`` syncs."""
    first = True
    while True:
        response = await client.sync(
            timeout=0 if first else LONG_POLL_MS,
            sync_filter=SYNC_FILTER,
            full_state=True if first else None,
        )
        if isinstance(response, SyncError):
            await asyncio.sleep(0.5)
            continue
        assert isinstance(response, SyncResponse)
        await echo(client, response)
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()
        first = False


async def main() -> int:
    env = os.environ
    store = Path(env["BOT_DATA_DIR"]) / "nio-store"
    store.mkdir(parents=True, exist_ok=True)
    client = AsyncClient(
        env["BOT_HOMESERVER"], env["BOT_USER_ID"], store_path=str(store), config=client_config()
    )
    login = await client.login(env["BOT_PASSWORD"], device_name="echo bot")
    if not isinstance(login, LoginResponse):
        print(f"error: login failed: {login}", file=sys.stderr)
        await client.close()
        return 3
    if client.should_upload_keys:
        await client.keys_upload()
    task = asyncio.create_task(serve(client))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, task.cancel)
    print(f"ready as {client.user_id} (device {client.device_id})", flush=True)
    with contextlib.suppress(asyncio.CancelledError):
        await task
    # Its device goes with it: a run that starts it again (bench/scale.py, once per size)
    # leaves no stale device the pioneers would still share their room keys with.
    with contextlib.suppress(Exception):
        await client.logout()
    await client.close()
    return 0


class EchoBotProcess(BotProcess):
    """``python -m bench.echo_bot`` driven like the bot's process (same env, log, stop)."""

    def start(self, wait_ready: bool = True, timeout: float = 60) -> None:
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bench.echo_bot"],
                env=self.env,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent if self.die_with_parent else None,
            )
        if wait_ready:
            self.wait_for_log("ready as", timeout)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
