"""``python -m bot export`` needs only the data directory: the circle's name as title,
people by the names they had in the room, and a clear refusal for a folder that is no
bot's data."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.domain.stories import Story, StoryStatus
from bot.domain.story_parser import parse_story
from bot.store import circles, names
from bot.store import stories as story_store
from bot.store.database import Database

ROOM = "!cercle:example.org"
BEN = "@ben:example.org"


@pytest.fixture(autouse=True)
def only_the_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    """No homeserver, no account: every BOT_* variable unset (each test sets BOT_DATA_DIR).
    ``main`` keeps its hands off the root logger (it would outlive the test's stderr)."""
    for key in [k for k in os.environ if k.startswith("BOT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setattr("bot.logging_setup.setup_logging", lambda level, secrets: None)


async def _circle_with_a_story(data: Path, rooms: dict[str, str | None]) -> None:
    data.mkdir(exist_ok=True)
    db = Database(data / "bot.db")
    await db.open()
    text = "En tant que bénévole, je souhaite un planning partagé afin de m'organiser"
    for room, name in rooms.items():
        await circles.add_circle(db, room, 0, "@anna:example.org")
        story = Story(1, room, BEN, text, parse_story(text).parts, [], StoryStatus.PROPOSED,
                      datetime(2026, 11, 3, tzinfo=UTC))  # fmt: skip
        await story_store.insert_story(db, story)
        if name is not None:
            await names.remember(db, room, name, {BEN: "Ben Martin", "@anna:example.org": "Anna"})
    await db.close()


def test_the_export_needs_only_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    asyncio.run(_circle_with_a_story(data, {ROOM: "Cercle des pionniers"}))
    monkeypatch.setenv("BOT_DATA_DIR", str(data))
    out = tmp_path / "memoire.md"
    assert main(["export", "--out", str(out)]) == 0  # one circle: no --room needed
    memory = out.read_text()
    assert memory.splitlines()[0].startswith("#")
    assert "Cercle des pionniers" in memory.splitlines()[0]
    assert ROOM not in memory
    assert "Ben Martin" in memory and "@ben" not in memory


def test_names_changed_in_the_room_replace_the_old_ones(tmp_path: Path) -> None:
    async def scenario() -> tuple[str | None, dict[str, str]]:
        db = Database(tmp_path / "bot.db")
        await db.open()
        await names.remember(db, ROOM, "Cercle", {BEN: "Ben"})
        await names.remember(db, ROOM, "Cercle des pionniers", {BEN: "Ben Martin"})
        await names.remember(db, ROOM, None, {"@chloe:example.org": "Chloé"})  # Ben left
        try:
            return await names.room_name(db, ROOM), await names.display_names(db, ROOM)
        finally:
            await db.close()

    title, people = asyncio.run(scenario())
    assert title == "Cercle des pionniers"
    assert people == {BEN: "Ben Martin", "@chloe:example.org": "Chloé"}


def test_several_circles_need_a_room_and_are_listed_with_their_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    asyncio.run(_circle_with_a_story(data, {ROOM: "Cercle des pionniers", "!autre:ex.org": None}))
    monkeypatch.setenv("BOT_DATA_DIR", str(data))
    assert main(["export"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "--room" in line and f"{ROOM} (Cercle des pionniers)" in line
    assert "!autre:ex.org (!autre:ex.org)" in line  # never seen by name: its id
    assert main(["export", "--room", "!autre:ex.org"]) == 0
    assert "# " in capsys.readouterr().out


def test_a_folder_without_bot_data_is_refused_and_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("BOT_DATA_DIR", str(empty))
    assert main(["export", "--room", ROOM]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        f"error: {empty} holds no bot data (no bot.db): set BOT_DATA_DIR to the bot's data directory"
    )
    assert list(empty.iterdir()) == []  # no database created there
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "missing"))
    assert main(["export", "--room", ROOM]) == 2
    assert not (tmp_path / "missing").exists()
