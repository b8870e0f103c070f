"""The bot's features: each module declares its commands and the hooks it needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.help import make_help_command
from bot.commands.registry import CommandRegistry

if TYPE_CHECKING:
    from bot.app import CircleBot


def build_registry(bot: CircleBot | None = None) -> CommandRegistry:
    """Every command, in the order ``!aide`` lists them; hooks are attached to ``bot``."""
    from bot.features import blockers, stories, votes

    registry = CommandRegistry()
    registry.add(stories.story_command())
    registry.add(blockers.blocker_command())
    registry.add(votes.vote_command())
    if bot is not None:
        bot.chat_hooks.extend([stories.on_dialogue_answer, stories.on_free_text_story])
        bot.reaction_hooks.append(stories.on_confirmation_reaction)
        bot.poll_hooks.append(votes.on_poll_response)
        bot.first_sync_hooks.append(lambda: votes.resend_pending_pictures(bot))
    registry.add(make_help_command(registry))
    return registry
