"""Words and people the feature tests share."""

from __future__ import annotations

from tests.unit.circle_in_memory import FACILITATOR, CircleInMemory

ANNA = FACILITATOR  # the facilitator
BRUNO = "@bruno:ex.org"  # a pioneer of the Ressourcerie du Plateau
CHLOE = "@chloe:ex.org"  # another pioneer
EMMA = "@emma:ex.org"
FACILITATOR_ONLY = "Cette commande est réservée à l'équipe d'animation du cercle."


def story_text(need: str = "voir le planning des collectes", theme: str = "planning") -> str:
    return f"En tant que bénévole, je souhaite {need} afin que je ne rate plus de tournée #{theme}"


async def add_stories(circle: CircleInMemory, count: int, author: str = BRUNO) -> None:
    """``count`` stories written by ``author`` (numbered from 1 in a new circle)."""
    for index in range(count):
        await circle.say(author, f"!histoire {story_text(f'le besoin numéro {index + 1}')}")


def plain(body: str) -> str:
    """``body`` with French typography's narrow and non-breaking spaces as plain spaces."""
    return body.replace("\u00a0", " ").replace("\u202f", " ")


def one(bodies: list[str]) -> str:
    """The only message the bot sent (fails if it sent none or several), spaces made plain."""
    assert len(bodies) == 1, bodies
    return plain(bodies[0])
