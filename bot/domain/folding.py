"""Text folding: the comparison rule for command words and themes (case and accents ignored)."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents, for comparisons only.

    >>> fold("Coût Hygiène-Numérique")
    'cout hygiene-numerique'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
