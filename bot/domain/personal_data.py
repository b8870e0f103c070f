"""People's data (RGPD): how a forgotten member is still counted without being named.

A member who asks to be forgotten (``!oublier``) is replaced, in the rows that must keep
counting (a closed vote's ballots, a check-in's answers, the stories of the circle), by an
*alias*: a stable id per person and circle that names no one, shown as « une personne de
<structure> ». Two forgotten people stay two people: each alias carries its own token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

ALIAS_PREFIX = "forgotten|"


@dataclass(frozen=True)
class Forgetting:
    """One member being forgotten: who, and her structure in each circle (None: unknown)."""

    user_id: str
    structures: dict[str, str | None] = field(default_factory=dict)
    token: str = field(default_factory=lambda: secrets.token_hex(4))

    def alias(self, circle_id: str) -> str:
        """The id that stands for her in ``circle_id``'s rows from now on.

        >>> Forgetting("@a:x", {"!c": "Repair Café"}, "ab12").alias("!c")
        'forgotten|ab12|Repair Café'
        """
        return f"{ALIAS_PREFIX}{self.token}|{self.structures.get(circle_id) or ''}"


def is_alias(user_id: str | None) -> bool:
    """Whether ``user_id`` stands for a forgotten member."""
    return bool(user_id) and str(user_id).startswith(ALIAS_PREFIX)


def alias_structure(user_id: str) -> str | None:
    """The structure a forgotten member's alias keeps (None when she had declared none).

    >>> alias_structure("forgotten|ab12|Repair Café"), alias_structure("forgotten|ab12|")
    ('Repair Café', None)
    """
    structure = user_id.removeprefix(ALIAS_PREFIX).partition("|")[2]
    return structure or None
