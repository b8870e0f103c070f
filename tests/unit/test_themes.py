from hypothesis import given
from hypothesis import strategies as st

from bot.domain.themes import MAX_THEME_CHARS, extract_themes, theme_key


def test_themes_come_in_order_of_first_appearance() -> None:
    text = "Idée #planning pour la #Ressourcerie, voir aussi #outils"
    assert extract_themes(text) == ["planning", "Ressourcerie", "outils"]


def test_the_same_theme_written_twice_keeps_its_first_spelling() -> None:
    text = "#hygiène-numérique … et encore #Hygiene-Numerique puis #HYGIÈNE-numérique"
    assert extract_themes(text) == ["hygiène-numérique"]


def test_a_hashtag_after_a_word_character_is_not_a_theme() -> None:
    assert extract_themes("on code en C# et la page#3 du wiki") == []


def test_a_pure_number_is_a_story_number_not_a_theme() -> None:
    assert extract_themes("voir #12 et #3, et aussi #2024-2025") == []


def test_a_hashtag_with_a_letter_and_digits_is_a_theme() -> None:
    assert extract_themes("#1er-mai #jo2024") == ["1er-mai", "jo2024"]


def test_a_hashtag_longer_than_the_limit_is_not_a_theme() -> None:
    long_tag = "a" * (MAX_THEME_CHARS + 1)
    exact_tag = "b" * MAX_THEME_CHARS
    assert extract_themes(f"#{long_tag} #{exact_tag}") == [exact_tag]


def test_punctuation_ends_a_theme() -> None:
    assert extract_themes("(#planning), #outils. #mémoire! «#wiki»") == [
        "planning",
        "outils",
        "mémoire",
        "wiki",
    ]


def test_a_trailing_hyphen_is_not_part_of_the_theme() -> None:
    assert extract_themes("#planning- et puis") == ["planning"]


def test_unicode_letters_and_underscores_belong_to_themes() -> None:
    assert extract_themes("#économie_sociale #ﾃｽﾄ #Ñandú") == ["économie_sociale", "ﾃｽﾄ", "Ñandú"]


def test_decomposed_accents_stay_inside_the_theme() -> None:
    decomposed = "#hygie\u0300ne"
    assert extract_themes(decomposed) == ["hygiène"]


def test_matrix_room_aliases_and_url_fragments_are_not_themes() -> None:
    text = "Rejoignez #cercle:example.org ou https://matrix.to/#/#cercle:example.org, wiki/#intro"
    assert extract_themes(text) == []


def test_a_lone_hash_or_a_markdown_title_is_not_a_theme() -> None:
    assert extract_themes("# Titre\n## Sous-titre\nun # seul") == []


def test_theme_key_ignores_case_accents_and_the_hash() -> None:
    assert theme_key("#Hygiène-Numérique") == "hygiene-numerique"
    assert theme_key("hygiene-numerique") == "hygiene-numerique"
    assert theme_key("  #Écologie ") == "ecologie"


def test_themes_compare_by_key() -> None:
    assert theme_key("#HYGIENE-NUMERIQUE") in {
        theme_key(t) for t in ["Hygiène-numérique", "outils"]
    }
    assert theme_key("#planning") not in {theme_key(t) for t in ["outils"]}


@given(st.text())
def test_extracted_themes_are_unique_by_key_and_well_formed(text: str) -> None:
    themes = extract_themes(text)
    keys = [theme_key(theme) for theme in themes]
    assert len(keys) == len(set(keys))
    for theme in themes:
        assert 0 < len(theme) <= MAX_THEME_CHARS
        assert any(ch.isalpha() for ch in theme)
        assert not theme.startswith("#")
