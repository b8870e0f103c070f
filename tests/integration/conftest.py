"""Integration fixtures: a real Synapse (started once), the bot as a real process,
and pioneers as real matrix-nio clients in an encrypted room."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.testing.bot_process import BotProcess
from bot.testing.homeserver import LocalHomeserver
from bot.testing.pioneer import Pioneer, SeenEvent

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHomeserver]:
    server = LocalHomeserver(tmp_path_factory.mktemp("synapse"))
    server.start()
    yield server
    server.stop()


def unique(name: str) -> str:
    return f"{name}{next(_counter)}x{os.getpid()}"


@dataclass
class CircleRoom:
    """A circle in an encrypted room: the bot, a facilitator (anna) and pioneers."""

    homeserver: LocalHomeserver
    bot: BotProcess
    bot_id: str
    room_id: str
    anna: Pioneer
    pioneers: list[Pioneer]
    workdir: Path
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ben(self) -> Pioneer:
        return self.pioneers[0]

    @property
    def chloe(self) -> Pioneer:
        return self.pioneers[1]

    async def ask(
        self, who: Pioneer, text: str, timeout: float = 30, **kwargs: object
    ) -> SeenEvent:
        """Send ``text`` and return the bot's first message that answers it."""
        mark = who.mark()
        event_id = await who.send(self.room_id, text, **kwargs)  # type: ignore[arg-type]
        return await who.wait_for(
            lambda e: (
                e.sender == self.bot_id and e.type == "m.room.message" and e.reply_to == event_id
            ),
            timeout,
            after=mark,
        )


async def make_pioneer(homeserver: LocalHomeserver, workdir: Path, name: str) -> Pioneer:
    user = unique(name)
    user_id = homeserver.register(user, f"pw-{user}")
    pioneer = Pioneer(homeserver.base_url, user_id, f"pw-{user}", workdir / user)
    await pioneer.start()
    return pioneer


def start_bot(
    homeserver: LocalHomeserver, workdir: Path, inviter: str, config_yaml: str, name: str = "bot"
) -> tuple[str, BotProcess]:
    """A bot of its own with a config file (``config_yaml``), started; returns its id too."""
    user = unique(name)
    bot_id = homeserver.register(user, f"pw-{user}")
    config = workdir / f"{user}.yaml"
    config.write_text(config_yaml)
    bot = BotProcess(
        homeserver.base_url,
        bot_id,
        f"pw-{user}",
        workdir / f"{user}-data",
        inviter,
        config_file=config,
    )
    bot.start()
    return bot_id, bot


@pytest.fixture
async def circle(homeserver: LocalHomeserver, tmp_path: Path) -> AsyncIterator[CircleRoom]:
    bot_user = unique("cerclebot")
    bot_id = homeserver.register(bot_user, f"pw-{bot_user}")
    anna = await make_pioneer(homeserver, tmp_path, "anna")
    ben = await make_pioneer(homeserver, tmp_path, "ben")
    chloe = await make_pioneer(homeserver, tmp_path, "chloe")
    bot = BotProcess(
        homeserver.base_url, bot_id, f"pw-{bot_user}", tmp_path / "botdata", anna.user_id
    )
    bot.start()
    room_id = await anna.create_room("Cercle des pionniers", [bot_id, ben.user_id, chloe.user_id])
    for pioneer in (ben, chloe):
        await pioneer.join(room_id)
    # Every client has seen the greeting before the test starts, so that a test's mark()
    # on any of them comes after it (a late greeting would count as a new message).
    for pioneer in (anna, ben, chloe):
        await pioneer.wait_for(
            lambda e: e.sender == bot_id and e.type == "m.room.message" and e.room_id == room_id,
            40,
        )
    room = CircleRoom(homeserver, bot, bot_id, room_id, anna, [ben, chloe], tmp_path)
    try:
        yield room
    finally:
        for pioneer in (anna, ben, chloe):
            await pioneer.close()
        bot.stop()
