"""What a proposal's messages are for, so the bot finds them again: the status of a round (edited
in place), the poll of a round, the question asking an objection's reason (answered in its
thread). ``proposal-poll:3:2:!room:server``: proposal #3, round 2; the room id comes last
because it holds colons itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.store.purposes import EDIT_PREFIX


class ConsentPurposeKind(StrEnum):
    STATUS = "proposal-status"
    POLL = "proposal-poll"
    REASON = "proposal-reason"
    OPENING = "proposal-opening"  # the bot's message quoting a round's text


@dataclass(frozen=True)
class ConsentPurpose:
    kind: ConsentPurposeKind
    number: int
    round: int
    circle_id: str

    def text(self) -> str:
        return f"{self.kind}:{self.number}:{self.round}:{self.circle_id}"

    def edit_text(self) -> str:
        """The purpose of a pending edit of this message (a newer edit replaces an unsent one)."""
        return EDIT_PREFIX + self.text()

    @classmethod
    def parse(cls, text: str) -> ConsentPurpose | None:
        """The purpose ``text`` names; None for any other purpose."""
        kind, _, rest = text.partition(":")
        number, _, rest = rest.partition(":")
        round_, _, circle_id = rest.partition(":")
        if kind not in {k.value for k in ConsentPurposeKind} or not circle_id:
            return None
        if not (number.isascii() and number.isdigit() and round_.isascii() and round_.isdigit()):
            return None
        return cls(ConsentPurposeKind(kind), int(number), int(round_), circle_id)
