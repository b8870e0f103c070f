"""The list of the bot's commands, in the order ``!aide`` shows them."""

from __future__ import annotations

from bot.commands.help import make_help_command
from bot.commands.registry import CommandRegistry


def build_registry() -> CommandRegistry:
    registry = CommandRegistry()
    registry.add(make_help_command(registry))
    return registry
