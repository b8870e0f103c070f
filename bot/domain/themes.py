"""Themes: hashtags inside a story or blocker text, compared without case or accents."""

from __future__ import annotations

import re
import unicodedata

from bot.domain.folding import fold

MAX_THEME_CHARS = 40

# '#' then a letter, digit or '_', then letters/digits/'_'/'-'. Not after a word character
# ("C#", "page#3"), a '/' or '&' (URL fragments, HTML entities); not followed by ':' and a word
# character, which is a Matrix room alias (#cercle:example.org), not a theme.
HASHTAG = re.compile(r"(?<![\w/&])#(\w[\w-]*)(?![\w-]|:\w)")


def extract_themes(text: str) -> list[str]:
    """Themes of ``text`` in order of first appearance, one per key, first spelling kept.

    >>> extract_themes("#Hygiène-numérique et #outils, encore #hygiene-NUMERIQUE, pas #12")
    ['Hygiène-numérique', 'outils']

    A theme has at least one letter ("#12" names a story) and at most 40 characters
    (a longer hashtag is not taken as a theme).
    """
    themes: list[str] = []
    seen: set[str] = set()
    for match in HASHTAG.finditer(unicodedata.normalize("NFC", text)):
        theme = match.group(1).rstrip("-")
        if not is_theme_word(theme):
            continue
        key = theme_key(theme)
        if key not in seen:
            seen.add(key)
            themes.append(theme)
    return themes


def is_theme_word(theme: str) -> bool:
    """True when ``theme`` (without '#') can be a theme: a letter in it, 40 characters at most."""
    return 0 < len(theme) <= MAX_THEME_CHARS and any(ch.isalpha() for ch in theme)


def theme_key(theme: str) -> str:
    """The comparison key of a theme: folded, without its leading '#'.

    >>> theme_key("#Hygiène-Numérique")
    'hygiene-numerique'
    """
    key = fold(theme.strip())
    return key[1:] if key.startswith("#") else key
