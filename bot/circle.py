"""A circle as the command handlers see it: its room and its settings."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.config import CircleSettings


@dataclass(frozen=True)
class Circle:
    room_id: str
    settings: CircleSettings

    @property
    def language(self) -> str:
        return self.settings.language

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)
