"""Similar stories merged and suggested themes applied, in an encrypted room against the real
Synapse (issue 12, parts 2 and 3)."""

from __future__ import annotations

import pytest

from tests.integration.conftest import CircleRoom

pytestmark = pytest.mark.integration


def plain(body: str) -> str:
    return body.replace("\u00a0", " ").replace("\u202f", " ")


async def test_a_paraphrase_is_flagged_and_merged_an_unrelated_story_is_not(
    circle: CircleRoom,
) -> None:
    ben, chloe = circle.ben, circle.chloe
    await circle.ask(
        ben,
        "!histoire En tant que membre du bureau je veux retrouver les CR des réunions pour"
        " savoir ce qui a été décidé #communication",
    )
    flagged = plain(
        (
            await circle.ask(
                chloe,
                "!histoire En tant qu'administrateur, je voudrais accéder aux comptes rendus"
                " des rdv précédents afin de connaître les décisions",
            )
        ).body
    )
    assert "Histoire **#2** enregistrée" in flagged
    assert "Elle ressemble à l'histoire **#1**" in flagged
    assert "`!histoire fusionner 2 1`" in flagged
    unrelated = await circle.ask(
        ben,
        "!histoire En tant que salariée je veux retrouver les clés de la salle polyvalente"
        " afin d'ouvrir le samedi",
    )
    assert "#3" in unrelated.body and "ressemble" not in unrelated.body
    refused = plain((await circle.ask(chloe, "!histoire fusionner 2 2")).body)
    assert refused.startswith("On ne fusionne pas l'histoire #2 avec elle-même")
    merged = plain((await circle.ask(chloe, "!histoire fusionner 2 1")).body)
    assert merged.startswith("🔗 L'histoire **#2** rejoint l'histoire **#1**")
    assert "signe désormais aussi l'histoire **#1**" in merged
    shown = plain((await circle.ask(ben, "!histoire 1")).body)
    assert "**Aussi écrite par** :" in shown
    listing = plain((await circle.ask(ben, "!histoires")).body)
    assert "**2 histoires**" in listing and "#2 " not in listing


BLOCKERS = [
    "les adhésions sont sur papier puis recopiées dans un tableur",
    "on n'arrive pas à relancer ceux qui n'ont pas renouvelé leur adhésion",
    "cotisations payées en liquide à l'accueil, adhésion jamais à jour",
    "double réservation de la salle polyvalente ce mois-ci",
    "on ne sait jamais si la grande salle est libre pour une réservation",
    "réservation de salle par téléphone seulement, l'accueil est débordé",
]


async def test_themes_groups_untagged_blockers_and_applies_the_hashtags(
    circle: CircleRoom,
) -> None:
    ben, anna = circle.ben, circle.anna
    await circle.ask(
        ben,
        "!histoire En tant que trésorier je souhaite que les adhérents puissent payer leur"
        " cotisation en ligne afin d'éviter le liquide à l'accueil",
    )
    for text in BLOCKERS:
        await circle.ask(ben, f"!frein {text}")
    proposal = plain((await circle.ask(anna, "!themes")).body)
    assert "Thèmes proposés** pour 7 histoires et freins sans thème" in proposal
    assert "**#adhesion** : histoire #1 · freins #1, #2, #3" in proposal
    assert "freins #4, #5, #6" in proposal
    refused = plain((await circle.ask(anna, "!themes appliquer 9")).body)
    assert refused.startswith("Ma dernière proposition a 2 groupes, pas de groupe 9")
    applied = plain((await circle.ask(anna, "!themes appliquer")).body)
    assert "🏷️ **#adhesion** ajouté à : histoire #1 · freins #1, #2, #3." in applied
    blockers = plain((await circle.ask(ben, "!freins")).body)
    assert "tableur — " in blockers and "· #adhesion" in blockers
    stories = plain((await circle.ask(ben, "!histoires #adhesion")).body)
    assert "**#adhesion**" in stories and "#1 Que les adhérents puissent payer" in stories
