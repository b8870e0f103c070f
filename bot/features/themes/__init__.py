"""Suggested themes (« patates thématiques »): ``!themes`` proposes groups of the stories and
blockers that have no theme yet, each with a hashtag; ``!themes appliquer [n]`` applies them.

By concern: ``postits`` (the untagged stories and blockers, and how a group is written),
``suggesting`` (``!themes``), ``applying`` (``!themes appliquer``).
"""

from __future__ import annotations

from bot.commands.registry import Command, Subcommand
from bot.features.feature import Feature
from bot.features.themes.applying import apply_themes
from bot.features.themes.suggesting import suggest_themes


def themes_command() -> Command:
    return Command(
        "themes",
        "themes",
        suggest_themes,
        facilitator_only=True,
        subcommands=(Subcommand("appliquer", "apply", apply_themes, facilitator_only=True),),
    )


FEATURE = Feature("themes", commands=(themes_command(),))
