"""``python -m bot export`` (no homeserver) names a forgotten member as the bot does:
« une personne de <structure> », never her old display name."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.domain.personal_data import Forgetting
from bot.domain.stories import Story, StoryStatus
from bot.domain.story_parser import parse_story
from bot.store import circles, names
from bot.store import personal_data as people
from bot.store import stories as story_store
from bot.store.database import Database

ROOM = "!cercle:example.org"
BEN = "@ben:example.org"


@pytest.fixture(autouse=True)
def only_the_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in [k for k in os.environ if k.startswith("BOT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setattr("bot.logging_setup.setup_logging", lambda level, secrets: None)


async def _forgotten_author(data: Path) -> None:
    data.mkdir(exist_ok=True)
    db = Database(data / "bot.db")
    await db.open()
    text = "En tant que bénévole, je souhaite un planning partagé afin de m'organiser"
    await circles.add_circle(db, ROOM, 0, "@anna:example.org")
    story = Story(1, ROOM, BEN, text, parse_story(text).parts, [], StoryStatus.PROPOSED,
                  datetime(2026, 11, 3, tzinfo=UTC))  # fmt: skip
    await story_store.insert_story(db, story)
    await names.remember(db, ROOM, "Cercle des pionniers", {BEN: "Ben Martin"})
    forgetting = Forgetting(BEN, {ROOM: "La Ressourcerie"})
    async with db.transaction():
        await people.give_to_alias(db, "stories", "author", BEN, forgetting.alias)
        await people.delete_rows_of(db, "member_names", "user_id", BEN)
    await db.close()


def test_a_forgotten_author_is_someone_of_her_structure_in_the_offline_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    asyncio.run(_forgotten_author(data))
    monkeypatch.setenv("BOT_DATA_DIR", str(data))
    out = tmp_path / "memoire.md"
    assert main(["export", "--out", str(out)]) == 0
    memory = out.read_text()
    assert "planning partagé" in memory and "une personne de La Ressourcerie" in memory
    assert "Ben" not in memory and "forgotten" not in memory
