"""Commands are declared once here: words, who may run them, handler.

Help, « Vouliez-vous dire … ? » and the usage line shown on a syntax error are
all generated from this registry (the texts come from ``prompts/``:
``cmd.<name>.summary`` and ``cmd.<name>.usage``).
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain.folding import fold

if TYPE_CHECKING:
    from bot.commands.context import CommandContext
    from bot.matrix.messages import Text

Handler = Callable[["CommandContext", str], Awaitable[None]]


class UsageError(Exception):
    """The command's words are off: the reply shows the usage (or ``reason_key``, then the
    usage's example, or the prompt ``hint_key`` when the usage's example does not fit)."""

    def __init__(
        self, reason_key: str | None = None, hint_key: str | None = None, **fields: object
    ) -> None:
        super().__init__(reason_key or "usage")
        self.reason_key = reason_key
        self.hint_key = hint_key
        self.fields = fields


class RefusedWith(Exception):
    """A command refused with a reply already composed (``text``); like CommandRefused,
    what the handler wrote is rolled back."""

    def __init__(self, text: Text) -> None:
        super().__init__("refused")
        self.text = text


class CommandRefused(Exception):
    """A well-formed command that cannot be done: the reply is the prompt ``key``."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


@dataclass(frozen=True)
class Subcommand:
    name: str
    alias: str
    handler: Handler
    facilitator_only: bool = False


@dataclass(frozen=True)
class Command:
    name: str  # the French word, e.g. "histoire"
    alias: str  # the English word, e.g. "story"
    handler: Handler  # runs when no sub-command word matches
    facilitator_only: bool = False
    subcommands: tuple[Subcommand, ...] = ()
    shortcuts: tuple[
        tuple[str, str], ...
    ] = ()  # ("histoires", "liste"): !histoires = !histoire liste
    works_in_direct_chat: bool = False
    # Where ``!aide`` lists it: "main" (a line with its summary), "more" (its word on the
    # « Aussi » line), "none" (only ``!aide <cmd>``). Facilitator commands go on their own line.
    help_group: str = "main"

    def subcommand(self, word: str) -> Subcommand | None:
        key = fold(word)
        for sub in self.subcommands:
            if key in (fold(sub.name), fold(sub.alias)):
                return sub
        return None


@dataclass(frozen=True)
class Resolved:
    command: Command
    subcommand: Subcommand | None
    args: str


@dataclass
class CommandRegistry:
    commands: list[Command] = field(default_factory=list)

    def add(self, command: Command) -> None:
        taken = self._words()
        for word in (command.name, command.alias, *(s for s, _ in command.shortcuts)):
            if fold(word) in taken:
                raise ValueError(f"command word {word!r} declared twice")
        self.commands.append(command)

    def _words(self) -> dict[str, tuple[Command, str | None]]:
        words: dict[str, tuple[Command, str | None]] = {}
        for cmd in self.commands:
            words[fold(cmd.name)] = (cmd, None)
            words[fold(cmd.alias)] = (cmd, None)
            for shortcut, sub in cmd.shortcuts:
                words[fold(shortcut)] = (cmd, sub)
        return words

    def find(self, word: str) -> Command | None:
        found = self._words().get(fold(word))
        return found[0] if found else None

    def resolve(self, word: str, args: str) -> Resolved | None:
        """The command for ``word`` and, if the first argument names one, its sub-command."""
        found = self._words().get(fold(word))
        if found is None:
            return None
        command, shortcut_sub = found
        if shortcut_sub is not None:
            return Resolved(command, command.subcommand(shortcut_sub), args)
        first, _, rest = args.strip().partition(" ")
        sub = command.subcommand(first) if first else None
        if sub is not None:
            return Resolved(command, sub, rest.strip())
        return Resolved(command, None, args.strip())

    def nearest(self, word: str) -> Command | None:
        """The known command closest to a mistyped word, if any is close enough."""
        words = self._words()
        match = difflib.get_close_matches(fold(word), list(words), n=1, cutoff=0.6)
        return words[match[0]][0] if match else None
