"""The bot's features, each declared once in its module (``FEATURE``), composed here in the
order ``!aide`` lists their commands. Adding a command touches its feature and the prompts."""

from __future__ import annotations

from bot.commands.help import make_help_command
from bot.commands.registry import CommandRegistry
from bot.features import (
    absences,
    blockers,
    checkins,
    personal_data,
    proposals,
    recaps,
    rendezvous,
    sprints,
    status,
    stories,
    structures,
    themes,
    votes,
)
from bot.features.feature import Feature

FEATURES: tuple[Feature, ...] = (
    stories.FEATURE,
    blockers.FEATURE,
    themes.FEATURE,
    votes.FEATURE,
    proposals.FEATURE,
    sprints.FEATURE,
    checkins.FEATURE,
    rendezvous.FEATURE,
    recaps.FEATURE,
    structures.FEATURE,
    absences.FEATURE,
    status.FEATURE,
    personal_data.FEATURE,
)


def build_registry(features: tuple[Feature, ...] = FEATURES) -> CommandRegistry:
    """Every command of ``features``, then ``!aide`` generated from them."""
    registry = CommandRegistry()
    for feature in features:
        for command in feature.commands:
            registry.add(command)
    registry.add(make_help_command(registry))
    return registry
