"""Every sentence lives in prompts/, in French and English, with the same fields."""

from __future__ import annotations

import pytest

from bot.features import build_registry
from bot.prompts import Prompts


@pytest.fixture(scope="module")
def prompts() -> Prompts:
    return Prompts()


def test_french_and_english_define_the_same_keys(prompts: Prompts) -> None:
    assert prompts.keys("fr") == prompts.keys("en")


def test_both_languages_use_the_same_fields_in_each_prompt(prompts: Prompts) -> None:
    for key in prompts.keys("fr"):
        assert prompts.fields_of("fr", key) == prompts.fields_of("en", key), key


def test_every_command_has_a_summary_and_a_usage_with_an_example(prompts: Prompts) -> None:
    for command in build_registry().commands:
        for lang in ("fr", "en"):
            assert prompts.has(lang, f"cmd.{command.name}.summary"), command.name
            usage = prompts.text(lang, f"cmd.{command.name}.usage", p="!", cmd=command.name)
            assert "Exemple" in usage or "Example" in usage, (lang, command.name)


def test_plural_forms_follow_the_language(prompts: Prompts) -> None:
    assert prompts.text("fr", "story.list.header", n=0) == "**0 histoire** :"
    assert prompts.text("fr", "story.list.header", n=1) == "**1 histoire** :"
    assert prompts.text("fr", "story.list.header", n=3) == "**3 histoires** :"
    assert prompts.text("en", "story.list.header", n=0) == "**0 stories**:"
    assert prompts.text("en", "story.list.header", n=1) == "**1 story**:"
