"""Every sentence lives in prompts/, in French and English, with the same fields."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert prompts.text("fr", "story.list.header", n=0) == "**0 histoire**\u00a0:"
    assert prompts.text("fr", "story.list.header", n=1) == "**1 histoire**\u00a0:"
    assert prompts.text("fr", "story.list.header", n=3) == "**3 histoires**\u00a0:"
    assert prompts.text("en", "story.list.header", n=0) == "**0 stories**:"
    assert prompts.text("en", "story.list.header", n=1) == "**1 story**:"


def test_a_zero_form_when_given_is_used_for_zero(prompts: Prompts) -> None:
    fields = {"number": 1, "kind": "points", "closes": "lundi"}
    assert "Personne n'a encore voté" in prompts.text("fr", "vote.status", n=0, **fields)
    assert "1 personne a voté" in prompts.text("fr", "vote.status", n=1, **fields)
    assert prompts.text("fr", "recap.blockers_noted", n=0) == "aucun frein noté"
    assert prompts.text("fr", "recap.blockers_noted", n=1) == "1 frein noté"
    assert prompts.text("en", "recap.blockers_noted", n=2) == "2 blockers noted"


def test_no_prompt_dodges_a_plural_with_parentheses(prompts: Prompts) -> None:
    for lang in ("fr", "en"):
        for key in prompts.keys(lang):
            for form in prompts.template_forms(lang, key):
                assert "(s)" not in form and "(ies)" not in form, (lang, key)


def _catalogue(tmp_path: Path, lang: str, text: str) -> Path:
    for code in {"fr", lang}:
        (tmp_path / code).mkdir(exist_ok=True)
        (tmp_path / code / "core.yaml").write_text(
            f"greeting: {json.dumps(text)}\nplural:\n  one: {json.dumps(text)}\n"
            f"  other: {json.dumps(text)}\n",
            encoding="utf-8",
        )
    return tmp_path


def test_a_french_prompt_reworded_with_plain_spaces_gets_french_spacing(tmp_path: Path) -> None:
    prompts = Prompts(_catalogue(tmp_path, "fr", "Bravo {who} ! Tapez `!vote 3 7` : « oui » ?"))
    expected = "Bravo Léa\u202f! Tapez `!vote 3 7`\u00a0: «\u00a0oui\u00a0»\u202f?"
    assert prompts.text("fr", "greeting", who="Léa") == expected
    assert prompts.text("fr", "plural", who="Léa", n=2) == expected


def test_english_prompts_get_no_french_spacing(tmp_path: Path) -> None:
    prompts = Prompts(_catalogue(tmp_path, "en", "Well done {who}! Type `!vote 3 7`: yes?"))
    assert prompts.text("en", "greeting", who="Lea") == "Well done Lea! Type `!vote 3 7`: yes?"


def test_user_fields_in_a_french_prompt_keep_their_own_spaces(prompts: Prompts) -> None:
    text = prompts.text("fr", "story.error.bad_number", word="douze ! : ?")
    assert "douze ! : ?" in text
    assert text.startswith("«\u00a0douze ! : ?\u00a0»")
