"""French spacing of prompt templates: the right no-break space, never inside code or fields."""

from __future__ import annotations

import pytest

from bot.domain.typography import NARROW_NBSP as NNBSP
from bot.domain.typography import NBSP, french_spacing


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Bravo !", f"Bravo{NNBSP}!"),
        ("Vraiment ?", f"Vraiment{NNBSP}?"),
        ("un frein ; une histoire", f"un frein{NNBSP}; une histoire"),
        ("Exemple : voici", f"Exemple{NBSP}: voici"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
    ],
)
def test_a_plain_space_before_double_punctuation_becomes_the_right_no_break_space(
    template: str, expected: str
) -> None:
    assert french_spacing(template) == expected


def test_a_missing_space_before_punctuation_is_added() -> None:
    assert french_spacing("Bravo!") == f"Bravo{NNBSP}!"
    assert french_spacing("Exemple: voici") == f"Exemple{NBSP}: voici"


def test_guillemets_hold_their_words_with_no_break_spaces() -> None:
    assert french_spacing("« oui »") == f"«{NBSP}oui{NBSP}»"
    assert french_spacing("«oui»") == f"«{NBSP}oui{NBSP}»"


def test_punctuation_after_markdown_and_fields_is_spaced() -> None:
    assert french_spacing("**Thèmes** : {themes}") == f"**Thèmes**{NBSP}: {{themes}}"
    assert french_spacing("**Qui êtes-vous ?**") == f"**Qui êtes-vous{NNBSP}?**"
    assert french_spacing("merci {who} !") == f"merci {{who}}{NNBSP}!"
    assert french_spacing("« {topic} »") == f"«{NBSP}{{topic}}{NBSP}»"


def test_code_in_backticks_is_never_touched() -> None:
    assert french_spacing("Tapez `!vote 3 7 : ok ?`") == "Tapez `!vote 3 7 : ok ?`"
    assert french_spacing("`{p}aide` !") == f"`{{p}}aide`{NNBSP}!"


def test_fields_urls_and_shortcodes_are_never_touched() -> None:
    assert french_spacing("{ratio:.1f}") == "{ratio:.1f}"
    assert french_spacing("voir https://exemple.org/a?b=1 :") == (
        f"voir https://exemple.org/a?b=1{NBSP}:"
    )
    assert french_spacing("[lien](https://exemple.org/?q=1)") == "[lien](https://exemple.org/?q=1)"
    assert french_spacing("Bravo :tada: à vous") == "Bravo :tada: à vous"


def test_commands_times_and_dates_keep_their_signs() -> None:
    assert french_spacing("{p}vote et !vote") == "{p}vote et !vote"
    assert french_spacing("à 18:00, le 1/12") == "à 18:00, le 1/12"


def test_a_number_keeps_its_unit() -> None:
    assert french_spacing("dans 2 semaines") == f"dans 2{NBSP}semaines"
    assert french_spacing("**{n} jours restants**") == f"**{{n}}{NBSP}jours restants**"
    assert french_spacing("18 h 30") == f"18{NBSP}h{NBSP}30"
    assert french_spacing("dans 1 an, 3 mois") == f"dans 1{NBSP}an, 3{NBSP}mois"


def test_a_count_that_is_no_unit_keeps_a_plain_space() -> None:
    assert french_spacing("3 points, {n} histoires") == "3 points, {n} histoires"
    assert french_spacing("de 1 à 5, 3 sur 5") == "de 1 à 5, 3 sur 5"
    assert french_spacing("#12 Planning") == "#12 Planning"
    assert french_spacing("{number} jours") == "{number} jours"


def test_a_dash_opening_a_line_keeps_its_first_word() -> None:
    assert french_spacing("– **#12** texte\n— fin") == f"–{NBSP}**#12** texte\n—{NBSP}fin"
    assert french_spacing("- liste Markdown") == "- liste Markdown"


def test_french_spacing_is_idempotent() -> None:
    once = french_spacing("Bonjour ! « {p}aide » : 2 jours ; `!vote 1` ?")
    assert french_spacing(once) == once
