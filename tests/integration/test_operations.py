"""What an operator meets: check-config against a real homeserver, a homeserver that
cannot be reached, and the offline export of a circle that really ran."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.testing.homeserver import LocalHomeserver, free_port
from tests.integration.conftest import CircleRoom, unique

pytestmark = pytest.mark.integration


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(values)
    return env


def _bot(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=90,
    )  # fmt: skip


def _devices(homeserver: LocalHomeserver, token: str) -> list[str]:
    request = urllib.request.Request(
        homeserver.base_url + "/_matrix/client/v3/devices",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return [d["device_id"] for d in json.loads(answer.read())["devices"]]


async def test_check_config_asks_the_real_homeserver_and_leaves_no_device_behind(
    homeserver: LocalHomeserver, tmp_path: Path
) -> None:
    user = unique("opsbot")
    user_id = homeserver.register(user, "right-pw")
    base = {"BOT_HOMESERVER": homeserver.base_url, "BOT_USER_ID": user_id,
            "BOT_DATA_DIR": str(tmp_path / "data"), "BOT_ALLOWED_INVITERS": "*:localhost"}  # fmt: skip

    token, device = homeserver.login_token(user_id, "right-pw")
    devices = _devices(homeserver, token)  # registering made one too
    done = await asyncio.to_thread(_bot, _env(**base, BOT_PASSWORD="right-pw"), "check-config")
    assert done.returncode == 0, done.stderr
    said = done.stdout.splitlines()
    assert said[1].startswith("ok: prompts read from ")
    assert said[2].startswith(f"ok: homeserver {homeserver.base_url} answers (Matrix v1.")
    assert (
        said[3]
        == f"ok: password accepted for {user_id} (a temporary device was logged out at once)"
    )
    assert done.stderr == ""
    assert _devices(homeserver, token) == devices  # the check's device is gone

    done = await asyncio.to_thread(_bot, _env(**base, BOT_ACCESS_TOKEN=token), "check-config")
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.splitlines()[-1] == f"ok: access token accepted for {user_id} (device {device})"
    )

    done = await asyncio.to_thread(_bot, _env(**base, BOT_PASSWORD="wrong-pw"), "check-config")
    assert done.returncode == 3
    assert done.stderr.splitlines() == [f"error: login refused for {user_id}: wrong password?"]

    other = homeserver.register(unique("someone"), "pw")
    others_token, _ = homeserver.login_token(other, "pw")
    done = await asyncio.to_thread(
        _bot, _env(**base, BOT_ACCESS_TOKEN=others_token), "check-config"
    )
    assert done.returncode == 3
    assert done.stderr.splitlines() == [
        f"error: the access token belongs to {other}, not to BOT_USER_ID {user_id}"
    ]


async def test_a_wrong_password_at_start_is_one_line_without_nio_noise(
    homeserver: LocalHomeserver, tmp_path: Path
) -> None:
    user_id = homeserver.register(unique("opsbot"), "right-pw")
    env = _env(BOT_HOMESERVER=homeserver.base_url, BOT_USER_ID=user_id, BOT_PASSWORD="wrong-pw",
               BOT_DATA_DIR=str(tmp_path / "data"), BOT_ALLOWED_INVITERS="*:localhost")  # fmt: skip
    done = await asyncio.to_thread(_bot, env, "run")
    assert done.returncode == 3
    lines = done.stderr.splitlines()
    assert lines[-1] == f"error: login refused for {user_id}: wrong password?"
    assert not [line for line in lines if " WARNING " in line or "Traceback" in line], lines


def test_run_against_an_unreachable_homeserver_says_why_and_keeps_trying(tmp_path: Path) -> None:
    env = _env(BOT_HOMESERVER=f"http://127.0.0.1:{free_port()}", BOT_USER_ID="@bot:localhost",
               BOT_PASSWORD="pw", BOT_DATA_DIR=str(tmp_path / "data"))  # fmt: skip
    log = tmp_path / "bot.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while "unreachable" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(4)  # several tries (1 s, 2 s…) without a new line
        assert process.poll() is None, "the bot keeps trying"
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=15)
    lines = log.read_text().splitlines()
    assert code == 0
    assert "nobody may invite the bot" in lines[0]
    unreachable = [line for line in lines if "unreachable" in line]
    assert len(unreachable) == 1, lines
    assert (
        "connection refused (nothing listens on that port); trying again in 1 s" in unreachable[0]
    )
    assert not [line for line in lines if "Timed out" in line or "Traceback" in line]


async def test_the_offline_export_titles_the_circle_and_names_people_as_in_the_room(
    circle: CircleRoom, tmp_path: Path
) -> None:
    await circle.ben.client.set_displayname("Ben Martin")
    reply = await circle.ask(
        circle.ben,
        "!histoire En tant que bénévole, je souhaite un planning partagé afin de m'organiser",
    )
    assert "#1" in reply.body
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    env = _env(BOT_DATA_DIR=str(circle.bot.data_dir))  # no homeserver, no account
    deadline = time.monotonic() + 20
    while True:  # the names are kept after the batch that carried them
        done = await asyncio.to_thread(_bot, env, "export", cwd=empty)
        assert done.returncode == 0, done.stderr
        if "Ben Martin" in done.stdout or time.monotonic() > deadline:
            break
        await asyncio.sleep(1)
    title = done.stdout.splitlines()[0]
    assert "Cercle des pionniers" in title and circle.room_id not in title
    assert "Ben Martin" in done.stdout
    assert circle.ben.user_id.split(":")[0].lstrip("@") not in done.stdout
    assert list(empty.iterdir()) == []
