"""Every command and sub-command ``!aide`` lists is typed by a test of this folder, and every
facilitator command is refused to a pioneer with nothing sent but the refusal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.features import build_registry
from tests.unit.circle_in_memory import CircleInMemory
from tests.unit.features.helpers import BRUNO, FACILITATOR_ONLY, add_stories, one

REGISTRY = build_registry()
TYPED = re.compile(r"""["']!(\w[\w-]*)(?: (\w+))?""")  # "!chantier ajouter 1 2" in a test


def every_command() -> list[str]:
    """« histoire », « histoire liste »… as ``!aide`` lists them."""
    names = []
    for command in REGISTRY.commands:
        names.append(command.name)
        names.extend(f"{command.name} {sub.name}" for sub in command.subcommands)
    return names


def commands_typed_in_tests() -> set[str]:
    typed: set[str] = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        for word, first in TYPED.findall(path.read_text(encoding="utf-8")):
            resolved = REGISTRY.resolve(word, first)
            if resolved is None:
                continue
            typed.add(resolved.command.name)
            if resolved.subcommand is not None:
                typed.add(f"{resolved.command.name} {resolved.subcommand.name}")
    return typed


def test_every_command_of_the_registry_is_typed_in_a_test() -> None:
    missing = [name for name in every_command() if name not in commands_typed_in_tests()]
    assert missing == []


FACILITATOR_COMMANDS = [
    f"{command.name} {sub.name}"
    for command in REGISTRY.commands
    for sub in command.subcommands
    if sub.facilitator_only
]


def test_the_facilitator_commands_are_the_expected_ones() -> None:
    # checkin 6, chantier 4, vote 2, themes 1, rdv 4: update with care
    assert len(FACILITATOR_COMMANDS) == 17
    assert "vote ouvrir" in FACILITATOR_COMMANDS and "checkin pause" in FACILITATOR_COMMANDS


@pytest.mark.parametrize("command", FACILITATOR_COMMANDS)
async def test_a_pioneer_running_a_facilitator_command_is_refused(
    circle: CircleInMemory, command: str
) -> None:
    await add_stories(circle, 2)
    sent_before = len(circle.matrix.sent)
    assert one(await circle.say(BRUNO, f"!{command} 1")) == FACILITATOR_ONLY
    assert len(circle.matrix.sent) == sent_before + 1  # the refusal, nothing else
    # Nothing was saved: the state commands still find nothing open.
    assert one(await circle.say(BRUNO, "!vote")).startswith("Aucun vote n'est ouvert.")
    assert one(await circle.say(BRUNO, "!chantier")).startswith("Aucun mini-chantier en cours.")
    assert "en cours" not in one(await circle.say(BRUNO, "!checkin"))
