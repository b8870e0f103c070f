"""Resilience: outages, crashes, floods, rate limits, bad settings."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.testing.bot_process import BotProcess
from bot.testing.homeserver import LocalHomeserver
from tests.integration.conftest import CircleRoom, make_pioneer, unique

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def own_homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHomeserver]:
    """A homeserver this module may stop and restart without disturbing the others."""
    server = LocalHomeserver(tmp_path_factory.mktemp("synapse-outage"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def outage_circle(
    own_homeserver: LocalHomeserver, tmp_path: Path
) -> AsyncIterator[CircleRoom]:
    hs = own_homeserver
    bot_user = unique("cerclebot")
    bot_id = hs.register(bot_user, "pw")
    anna = await make_pioneer(hs, tmp_path, "anna")
    ben = await make_pioneer(hs, tmp_path, "ben")
    bot = BotProcess(hs.base_url, bot_id, "pw", tmp_path / "botdata", anna.user_id)
    bot.start()
    room = await anna.create_room("Cercle", [bot_id, ben.user_id])
    await ben.join(room)
    await anna.wait_for(lambda e: e.sender == bot_id and e.type == "m.room.message", 40)
    circle = CircleRoom(hs, bot, bot_id, room, anna, [ben, ben], tmp_path)
    try:
        yield circle
    finally:
        await anna.close()
        await ben.close()
        bot.stop()


async def test_after_a_homeserver_outage_the_bot_answers_what_was_sent_exactly_once(
    outage_circle: CircleRoom,
) -> None:
    circle, hs = outage_circle, outage_circle.homeserver
    await circle.ask(circle.ben, "!aide")
    mark = circle.anna.mark()
    hs.stop()
    # ben's client keeps trying to send during the outage, as Element does
    pending = asyncio.create_task(
        circle.ben.send(
            circle.room_id,
            "!histoire en tant que bénévole je souhaite un planning afin de m'organiser",
        )
    )
    await asyncio.sleep(30)
    assert circle.bot.running(), "the bot must survive the outage"
    hs.start()
    story_event = await asyncio.wait_for(pending, 60)
    reply = await circle.anna.wait_for(
        lambda e: e.sender == circle.bot_id and e.reply_to == story_event, 60, after=mark
    )
    assert "#1" in reply.body
    probe = await circle.ask(circle.anna, "!histoires")
    assert "1 histoire" in probe.body
    await asyncio.sleep(2)
    answers = circle.anna.messages_from(circle.bot_id, circle.room_id, after=mark)
    assert len([a for a in answers if a.reply_to == story_event]) == 1


async def test_a_sigkill_during_a_guided_dialogue_loses_nothing(circle: CircleRoom) -> None:
    chloe = circle.chloe
    mark = chloe.mark()
    root = await chloe.send(circle.room_id, "!histoire")
    await chloe.wait_for(
        lambda e: e.sender == circle.bot_id and "Qui êtes-vous" in e.body, 30, after=mark
    )
    mark = chloe.mark()
    await chloe.send(circle.room_id, "trésorière de l'épicerie solidaire", thread_root=root)
    await chloe.wait_for(lambda e: e.sender == circle.bot_id and "besoin" in e.body, 30, after=mark)
    circle.bot.kill()
    mark = chloe.mark()
    await chloe.send(circle.room_id, "un export des comptes en un clic", thread_root=root)
    circle.bot.start()
    await chloe.wait_for(
        lambda e: e.sender == circle.bot_id and "changerait" in e.body, 40, after=mark
    )
    mark = chloe.mark()
    await chloe.send(circle.room_id, "gagner une soirée par mois", thread_root=root)
    await chloe.wait_for(
        lambda e: e.sender == circle.bot_id and "Je l'enregistre" in e.body, 30, after=mark
    )
    mark = chloe.mark()
    await chloe.send(circle.room_id, "oui", thread_root=root)
    done = await chloe.wait_for(
        lambda e: e.sender == circle.bot_id and "#1" in e.body, 30, after=mark
    )
    assert "export des comptes" in done.body
    listing = await circle.ask(circle.ben, "!histoires")
    assert "1 histoire" in listing.body
    questions = [e for e in chloe.messages_from(circle.bot_id) if "changerait" in e.body]
    assert len(questions) == 1  # nothing asked twice after the restart


async def test_a_flooding_member_is_throttled_and_others_are_still_served(
    circle: CircleRoom,
) -> None:
    ben = circle.ben
    mark = circle.anna.mark()
    for index in range(26):
        await ben.send(circle.room_id, f"!histoire {index}")
    served = await circle.ask(circle.chloe, "!aide")
    assert "Ce que je sais faire" in served.body
    await asyncio.sleep(4)
    from_ben = [
        e for e in circle.anna.messages_from(circle.bot_id, circle.room_id, after=mark)
        if e.event_id != served.event_id
    ]  # fmt: skip
    slow_down = [e for e in from_ben if "Doucement" in e.body]
    assert len(slow_down) == 1
    # 20 answered in the minute, one warning, the rest ignored
    assert len(from_ben) == 21, [e.body[:30] for e in from_ben if "Je ne trouve" not in e.body]


async def test_rate_limits_are_waited_out_and_every_reply_still_goes(tmp_path: Path) -> None:
    hs = LocalHomeserver(
        tmp_path / "hs",
        rc_overrides={"rc_message": {"per_second": 0.5, "burst_count": 3}},
    )
    hs.start()
    try:
        bot_id = hs.register("limitedbot", "pw")
        anna = await make_pioneer(hs, tmp_path, "anna")
        bot = BotProcess(hs.base_url, bot_id, "pw", tmp_path / "botdata", anna.user_id)
        bot.start()
        try:
            room = await anna.create_room("Cercle limité", [bot_id])
            await anna.wait_for(lambda e: e.sender == bot_id and e.type == "m.room.message", 60)
            mark = anna.mark()
            sent = [
                await anna.send(room, f"!aide {topic}")
                for topic in ("vote", "histoire", "frein", "bilan", "checkin")
            ]
            await anna.wait_until(
                lambda: (
                    {e.reply_to for e in anna.messages_from(bot_id, room, after=mark)} >= set(sent)
                ),
                120,
            )
            assert "429" in bot.log_text()  # the limit was hit, and waited out
        finally:
            await anna.close()
            bot.stop()
    finally:
        hs.stop()


def _run_bot(env_changes: dict[str, str | None], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update({
        "BOT_HOMESERVER": "http://127.0.0.1:9", "BOT_USER_ID": "@bot:localhost",
        "BOT_PASSWORD": "pw", "BOT_ALLOWED_INVITERS": "@anna:localhost",
    })  # fmt: skip
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_bad_settings_give_one_clear_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    broken = tmp_path / "broken.yaml"
    broken.write_text("defaults:\n  language: [fr\n")
    unreadable = tmp_path / "secret.yaml"
    unreadable.write_text("log_level: INFO\n")
    unreadable.chmod(0)
    cases = [
        ({"BOT_DATA_DIR": data}, ("run", "--config", str(broken)), "not valid YAML"),
        ({"BOT_DATA_DIR": data}, ("run", "--config", str(tmp_path / "nope.yaml")), "not found"),
        ({"BOT_DATA_DIR": str(broken / "sub")}, ("run",), "not writable"),
        ({"BOT_DATA_DIR": data, "BOT_PASSWORD": None}, ("run",), "BOT_PASSWORD"),
        ({"BOT_DATA_DIR": data, "BOT_HOMESERVER": "matrix.org"}, ("check-config",), "http"),
    ]
    if os.geteuid() != 0:  # root reads any file
        cases.append(
            ({"BOT_DATA_DIR": data}, ("run", "--config", str(unreadable)), "cannot be read")
        )
    for env, args, words in cases:
        done = _run_bot(env, *args)
        assert done.returncode != 0, (args, done.stdout)
        assert words in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


async def test_a_wrong_password_is_a_clear_message(
    homeserver: LocalHomeserver, tmp_path: Path
) -> None:
    user = unique("pwtest")
    homeserver.register(user, "right")
    done = await asyncio.to_thread(
        _run_bot,
        {"BOT_HOMESERVER": homeserver.base_url, "BOT_USER_ID": f"@{user}:localhost",
         "BOT_PASSWORD": "wrong", "BOT_DATA_DIR": str(tmp_path / "d")},
        "run",
    )  # fmt: skip
    assert done.returncode != 0
    assert "wrong password" in done.stderr
    assert "wrong" not in done.stderr.replace("wrong password", "")  # the secret is not printed
    assert "Traceback" not in done.stderr
