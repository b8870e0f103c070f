"""What a message in the outbox is for: its ``purpose``, written as text and read back once.

The bot finds its own messages by purpose (the status to edit, the check-in a reply answers,
the poll a response belongs to). Most purposes name a numbered thing of a circle:
``vote-status:4:!room:server``; the room id comes last because it holds colons itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

EDIT_PREFIX = "edit:"
POLL_KIND_PREFIX = "vote-poll-"


class PurposeKind(StrEnum):
    VOTE_STATUS = "vote-status"
    VOTE_POLL = "vote-poll"  # ``vote-poll-K`` for the poll of point K
    VOTE_RESULTS = "vote-results"
    CHECKIN = "checkin"
    CHECKIN_REMINDER = "checkin-reminder"
    CHECKIN_RECAP = "checkin-recap"
    SPRINT_SUMMARY = "sprint-summary"
    SPRINT_RETRO = "sprint-retro"


_KINDS = frozenset(kind.value for kind in PurposeKind)


@dataclass(frozen=True)
class Purpose:
    """A numbered thing of a circle: ``checkin:3:!room:server``, ``vote-poll-2:5:!room:server``.

    ``point`` is only for vote polls: 0 is the single multi-choice poll of votes opened before
    December 2026 (``vote-poll:5:…``), K ≥ 1 the poll of point K (``vote-poll-K:5:…``).
    """

    kind: PurposeKind
    number: int
    circle_id: str
    point: int = 0

    def text(self) -> str:
        kind = str(self.kind)
        if self.kind is PurposeKind.VOTE_POLL and self.point:
            kind = f"{POLL_KIND_PREFIX}{self.point}"
        return f"{kind}:{self.number}:{self.circle_id}"

    def edit_text(self) -> str:
        """The purpose of a pending edit of this message (a newer edit replaces an unsent one)."""
        return EDIT_PREFIX + self.text()

    @classmethod
    def parse(cls, text: str) -> Purpose | None:
        """The purpose ``text`` names; None for another shape (an edit, a story proposal…)."""
        kind_text, _, rest = text.partition(":")
        number_text, _, circle_id = rest.partition(":")
        number = _number(number_text)
        if number is None or not circle_id:
            return None
        point: int | None = 0
        if kind_text.startswith(POLL_KIND_PREFIX):
            point = _number(kind_text.removeprefix(POLL_KIND_PREFIX))
            kind_text = PurposeKind.VOTE_POLL
        if point is None or kind_text not in _KINDS:
            return None
        return cls(PurposeKind(kind_text), number, circle_id, point)


def _number(text: str) -> int | None:
    """``"12"`` → 12; None for anything else (``"²"`` passes ``isdigit`` but not ``int``)."""
    return int(text) if text.isascii() and text.isdigit() else None


@dataclass(frozen=True)
class ProposalPurpose:
    """``story-proposal:$event``: the bot's offer to record the story of the message ``$event``."""

    event_id: str

    PREFIX = "story-proposal:"

    def text(self) -> str:
        return self.PREFIX + self.event_id

    @classmethod
    def parse(cls, text: str) -> ProposalPurpose | None:
        if not text.startswith(cls.PREFIX) or len(text) == len(cls.PREFIX):
            return None
        return cls(text.removeprefix(cls.PREFIX))
