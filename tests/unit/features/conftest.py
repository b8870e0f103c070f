"""One circle per test, served by the real bot over a temporary SQLite file, on
1 December 2026 at 9:00 in Paris; the clock moves only when a test moves ``circle.now``, and
events are stamped with it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.unit.circle_in_memory import PARIS, CircleInMemory, open_circle

START = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


@pytest.fixture
async def circle(tmp_path: Path) -> AsyncIterator[CircleInMemory]:
    circle = await open_circle(tmp_path / "bot.db", START)
    circle.stamp_with_now = True
    yield circle
    await circle.db.close()
