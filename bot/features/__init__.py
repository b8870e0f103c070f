"""The bot's features: each module declares its commands and the hooks it needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.help import make_help_command
from bot.commands.registry import CommandRegistry

if TYPE_CHECKING:
    from bot.app import CircleBot


def build_registry(bot: CircleBot | None = None) -> CommandRegistry:
    """Every command, in the order ``!aide`` lists them; hooks are attached to ``bot``."""
    from bot.features import blockers, checkins, recaps, sprints, stories, structures, votes

    registry = CommandRegistry()
    registry.add(stories.story_command())
    registry.add(blockers.blocker_command())
    registry.add(votes.vote_command())
    registry.add(sprints.sprint_command())
    registry.add(checkins.checkin_command())
    registry.add(recaps.recap_command())
    registry.add(structures.structure_command())
    registry.add(make_help_command(registry))
    if bot is None:
        return registry
    bot.chat_hooks.extend(
        [stories.on_dialogue_answer, checkins.on_checkin_answer, stories.on_free_text_story]
    )
    bot.reaction_hooks.append(stories.on_confirmation_reaction)
    bot.poll_hooks.append(votes.on_poll_response)
    bot.first_sync_hooks.append(lambda: votes.resend_pending_pictures(bot))
    bot.start_hooks.append(lambda: checkins.rebuild_checkin_jobs(bot))
    bot.start_hooks.append(lambda: recaps.rebuild_recap_jobs(bot))
    bot.circle_joined_hooks.append(lambda room: checkins.schedule_circle_checkins(bot, room))
    bot.circle_joined_hooks.append(lambda room: recaps.rebuild_recap_jobs(bot))
    bot.chat_hooks.insert(0, sprints.on_retro_answer)
    bot.edit_hooks.extend([checkins.on_answer_edit, sprints.on_retro_edit])
    bot.start_hooks.append(lambda: sprints.rebuild_sprint_jobs(bot))
    bot.services.setdefault("story_extras", []).extend(
        [votes.story_votes_line, sprints.story_sprint_line]
    )
    return registry
