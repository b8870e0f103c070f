"""Shortening a text for a list, a chart label or an export: cut between words, never inside one."""

from __future__ import annotations

import re
from typing import Final

from bot.domain.folding import fold

ELLIPSIS: Final = "…"

# Words that announce what follows; a cut right after one reads broken (« pour ne plus… »
# is fine, « afin qu'… » and « la liste de… » are not), so they go before the ellipsis.
# fmt: off
_DANGLING: Final = frozenset({
    "afin", "que", "qu'", "de", "d'", "du", "des", "le", "la", "les", "l'", "un", "une",
    "au", "aux", "a", "à", "en", "et", "ou", "pour", "par", "sur", "dans", "avec", "sans",
    "chez", "vers", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre",
    "nos", "votre", "vos", "leur", "leurs", "ce", "cet", "cette", "ces", "ne", "n'", "se",
    "s'", "je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "me", "m'",
    "te", "t'", "y", "dont", "qui", "quand", "si", "mais", "donc", "car", "comme",
    "the", "an", "of", "to", "for", "in", "at", "by", "from", "with", "and", "or",
    "so", "that", "my", "our", "your", "their", "this", "these", "those", "i", "we",
})
# fmt: on
_NEGATIONS: Final = frozenset({"pas", "plus", "jamais", "rien", "guere"})
_NE: Final = (" ne", " n'", " n’")
_TRAILING_PUNCTUATION: Final = " \t\n,;:.!?-–—(«“\"'’"
_SPACE: Final = re.compile(r"\s+")
_LAST_WORD: Final = re.compile(r"(?:^|\s)(\S+)$")


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its first words and « … ».

    >>> shorten("afin de ne plus rater les réunions du mardi", 26)
    'afin de ne plus rater…'
    >>> shorten("je souhaite que les comptes rendus soient rangés", 20)
    'je souhaite…'

    Whitespace collapses to single spaces. The cut falls between words; words like « de »,
    « afin qu' », "to" are not left dangling before the ellipsis. Only a first word longer
    than the limit is cut inside (a URL). The result never exceeds ``limit`` (≥ 1).
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    flat = _SPACE.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    room = limit - len(ELLIPSIS)
    head = flat[: room + 1]
    # Keep whole words only: drop the last one unless the cut falls right after it.
    cut = head.rfind(" ")
    kept = head[:cut] if cut > 0 else ""
    trimmed = _drop_dangling(kept)
    # Only connectors left (« afin… »): the plain cut between words reads better.
    kept = trimmed if _has_content(trimmed) else kept.rstrip(_TRAILING_PUNCTUATION)
    if not kept:
        return flat[:room].rstrip(_TRAILING_PUNCTUATION) + ELLIPSIS
    return kept + ELLIPSIS


def _has_content(text: str) -> bool:
    words = [fold(word).replace("’", "'") for word in text.split()]
    return any(word not in _DANGLING and word not in _NEGATIONS for word in words)


def _drop_dangling(kept: str) -> str:
    previous = None
    while kept and kept != previous:
        previous = kept
        kept = kept.rstrip(_TRAILING_PUNCTUATION)
        found = _LAST_WORD.search(kept)
        if found is None:
            break
        word = fold(found.group(1)).replace("’", "'")
        # « qu'on » is a word; a bare elided « qu' » / « d' » at the end is not.
        if word in _DANGLING and found.start(1) > 0:
            kept = kept[: found.start(1)]
        elif word in _NEGATIONS and fold(kept[: found.start(1)]).rstrip().endswith(_NE):
            kept = kept[: found.start(1)]  # « pour ne plus… » waits for its verb
    return kept
