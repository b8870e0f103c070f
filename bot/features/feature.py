"""How a feature declares itself: its commands and the hooks it answers, in one value.

``bot/app.py`` composes the declared features in one explicit order (``bot.features.FEATURES``);
a feature never reaches into the bot, it only uses the runtime port (``bot.commands.runtime``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import IntEnum

from bot.commands.context import CommandContext
from bot.commands.registry import Command
from bot.commands.runtime import PersonalData, Runtime, StoryLine
from bot.matrix.incoming import IncomingPollResponse, IncomingReaction, IncomingRedaction

ChatHook = Callable[[CommandContext], Awaitable[bool]]
ReactionHook = Callable[[CommandContext, IncomingReaction], Awaitable[bool]]
PollHook = Callable[[CommandContext, IncomingPollResponse], Awaitable[bool]]
StartHook = Callable[[Runtime], Awaitable[None]]
JoinedHook = Callable[[Runtime, str], Awaitable[None]]
# A message deleted in Matrix: withdraw what it carried (every feature's hook is run).
RedactionHook = Callable[[CommandContext, IncomingRedaction], Awaitable[None]]


class ChatOrder(IntEnum):
    """In which order a message that is no command is offered to the features (lower first):
    an answer in a thread the bot opened belongs to that thread; a free-text story comes last."""

    RETROSPECTIVE = 10
    DIALOGUE = 20
    CHECKIN = 30
    PROPOSAL_REASON = 40
    FREE_TEXT_STORY = 90


@dataclass(frozen=True)
class Hooked:
    """A hook with its place among all features' hooks of its kind (lower runs first): a
    message is given to each in turn until one says it was its own."""

    order: int
    run: ChatHook


@dataclass(frozen=True)
class Feature:
    """One feature: what it answers, and what it needs at start and when a circle is joined."""

    name: str
    commands: tuple[Command, ...] = ()
    chat: tuple[Hooked, ...] = ()  # a message that is no command (an answer, a story…)
    edits: tuple[Hooked, ...] = ()  # an edit that is no command (an answer corrected)
    reactions: tuple[ReactionHook, ...] = ()
    polls: tuple[PollHook, ...] = ()
    on_start: tuple[StartHook, ...] = ()  # rebuild jobs from the database
    on_first_sync: tuple[StartHook, ...] = ()  # work that needs every room's state known
    on_circle_joined: tuple[JoinedHook, ...] = ()
    story_lines: tuple[StoryLine, ...] = ()  # lines under ``!histoire N``
    redactions: tuple[RedactionHook, ...] = ()  # a deleted message withdraws what it carried
    personal_data: tuple[PersonalData, ...] = ()  # a member's data: export, forget


@dataclass(frozen=True)
class Composition:
    """Every feature's declarations gathered in the order the bot runs them."""

    chat: tuple[ChatHook, ...]
    edits: tuple[ChatHook, ...]
    reactions: tuple[ReactionHook, ...]
    polls: tuple[PollHook, ...]
    on_start: tuple[StartHook, ...]
    on_first_sync: tuple[StartHook, ...]
    on_circle_joined: tuple[JoinedHook, ...]
    story_lines: tuple[StoryLine, ...]
    redactions: tuple[RedactionHook, ...] = ()
    personal_data: tuple[PersonalData, ...] = ()

    @staticmethod
    def of(features: tuple[Feature, ...]) -> Composition:
        def ordered(hooks: list[Hooked]) -> tuple[ChatHook, ...]:
            return tuple(h.run for h in sorted(hooks, key=lambda h: h.order))

        return Composition(
            chat=ordered([h for f in features for h in f.chat]),
            edits=ordered([h for f in features for h in f.edits]),
            reactions=tuple(h for f in features for h in f.reactions),
            polls=tuple(h for f in features for h in f.polls),
            on_start=tuple(h for f in features for h in f.on_start),
            on_first_sync=tuple(h for f in features for h in f.on_first_sync),
            on_circle_joined=tuple(h for f in features for h in f.on_circle_joined),
            story_lines=tuple(h for f in features for h in f.story_lines),
            redactions=tuple(h for f in features for h in f.redactions),
            personal_data=tuple(h for f in features for h in f.personal_data),
        )
