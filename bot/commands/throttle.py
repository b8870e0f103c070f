"""Per-member throttle: a member who floods the bot is slowed, others keep being served."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # first refused command in a window: say so once
    SILENT = "silent"  # further ones: ignore quietly


@dataclass
class Throttle:
    per_minute: int
    window_s: float = 60.0
    _recent: dict[str, deque[float]] = field(default_factory=dict)
    _warned: dict[str, float] = field(default_factory=dict)

    def check(self, user_id: str, now_s: float) -> Verdict:
        """Record a command from ``user_id`` at ``now_s`` (monotonic seconds) and judge it."""
        recent = self._recent.setdefault(user_id, deque())
        while recent and now_s - recent[0] >= self.window_s:
            recent.popleft()
        if len(recent) < self.per_minute:
            recent.append(now_s)
            self._warned.pop(user_id, None)
            return Verdict.ALLOW
        if user_id not in self._warned:
            self._warned[user_id] = now_s
            return Verdict.WARN
        return Verdict.SILENT
