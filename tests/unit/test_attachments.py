"""Pictures and files the bot posts: uploaded (encrypted where the room is), then sent."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from tests.unit.circle_in_memory import ROOM, open_circle

PNG_600_BY_400 = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 600, 400)
KEYS = {"v": "v2", "key": {"k": "secret"}, "iv": "iv", "hashes": {"sha256": "h"}}


@pytest.mark.parametrize("encrypted", [False, True])
async def test_a_picture_is_uploaded_then_posted_as_m_image(
    tmp_path: Path, encrypted: bool
) -> None:
    circle = await open_circle(tmp_path / "bot.db")
    uploads: list[tuple[str, str, bool]] = []

    async def upload(
        data: bytes, mimetype: str, filename: str, encrypt: bool
    ) -> tuple[str, dict[str, Any] | None]:
        uploads.append((mimetype, filename, encrypt))
        return "mxc://ex.org/up", KEYS if encrypt else None

    circle.matrix.upload = upload  # type: ignore[attr-defined]
    circle.matrix.room_encrypted = lambda room_id: encrypted  # type: ignore[method-assign]
    await circle.bot.post_image(ROOM, PNG_600_BY_400, "vote.png", "Résultats")
    assert uploads == [("image/png", "vote.png", encrypted)]
    (content,) = circle.matrix.sent
    assert circle.matrix.sent_types == ["m.room.message"]
    assert content["msgtype"] == "m.image" and content["body"] == "Résultats"
    assert content["info"] == {
        "mimetype": "image/png",
        "size": len(PNG_600_BY_400),
        "w": 600,
        "h": 400,
    }
    if encrypted:
        assert content["file"]["url"] == "mxc://ex.org/up" and "url" not in content
    else:
        assert content["url"] == "mxc://ex.org/up" and "file" not in content
    await circle.db.close()


async def test_a_file_is_posted_as_m_file_named_after_itself(tmp_path: Path) -> None:
    circle = await open_circle(tmp_path / "bot.db")

    async def upload(
        data: bytes, mimetype: str, filename: str, encrypt: bool
    ) -> tuple[str, dict[str, Any] | None]:
        return "mxc://ex.org/md", None

    circle.matrix.upload = upload  # type: ignore[attr-defined]
    await circle.bot.post_file(ROOM, b"# Cercle", "cercle.md", "text/markdown")
    (content,) = circle.matrix.sent
    assert content["msgtype"] == "m.file" and content["body"] == "cercle.md"
    assert content["filename"] == "cercle.md" and content["url"] == "mxc://ex.org/md"
    await circle.db.close()
