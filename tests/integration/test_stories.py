"""Usage stories and blockers, the way pioneers write them, in an encrypted room."""

from __future__ import annotations

import asyncio

import pytest

from tests.integration.conftest import CircleRoom

pytestmark = pytest.mark.integration


async def test_a_story_by_command_is_numbered_and_understood(circle: CircleRoom) -> None:
    reply = await circle.ask(
        circle.ben,
        "!histoire En tant que bénévole de la Ressourcerie, je voudrais voir le planning des "
        "collectes sur mon téléphone pour ne plus rater de tournée #Planning",
    )
    assert "#1" in reply.body
    assert "bénévole de la Ressourcerie" in reply.body
    assert "voir le planning des collectes sur mon téléphone" in reply.body
    assert "ne plus rater de tournée" in reply.body
    assert "#Planning" in reply.body


async def test_an_incomplete_story_says_what_is_missing_and_saves_nothing(
    circle: CircleRoom,
) -> None:
    reply = await circle.ask(
        circle.ben, "!histoire je souhaite un outil de planning afin de gagner du temps"
    )
    assert "rôle" in reply.body and "Exemple" in reply.body
    listing = await circle.ask(circle.ben, "!histoires")
    assert "Pas encore d'histoire" in listing.body


async def test_a_story_written_freely_is_recorded_by_its_authors_check_mark(
    circle: CircleRoom,
) -> None:
    ben, chloe = circle.ben, circle.chloe
    mark = ben.mark()
    source = await ben.send(
        circle.room_id,
        "En tant que trésorière, j'aimerais exporter les cotisations en un clic afin de gagner "
        "du temps à chaque AG",
    )
    offer = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and e.thread_root == source, 30, after=mark
    )
    assert "✅" in offer.body
    await chloe.react(circle.room_id, source, "✅")  # not the author: ignored
    await asyncio.sleep(2)
    assert len(ben.messages_from(circle.bot_id, circle.room_id, after=mark)) == 1
    await ben.react(circle.room_id, offer.event_id, "✅")
    recorded = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and "#1" in e.body and e.thread_root == source,
        30,
        after=mark,
    )
    assert "trésorière" in recorded.body
    await ben.react(circle.room_id, source, "✅")  # a second ✅ records nothing more
    listing = await circle.ask(ben, "!histoires")
    assert "1 histoire" in listing.body and "#2" not in listing.body


async def test_the_guided_dialogue_asks_three_questions_in_a_thread(circle: CircleRoom) -> None:
    chloe = circle.chloe
    mark = chloe.mark()
    start = await chloe.send(circle.room_id, "!histoire")

    async def bot_says(after: int) -> str:
        event = await chloe.wait_for(
            lambda e: e.sender == circle.bot_id and e.thread_root == start, 30, after=after
        )
        return event.body

    assert "Qui êtes-vous" in await bot_says(mark)
    for answer, expected in (
        ("coordinatrice d'un tiers-lieu", "De quoi avez-vous besoin"),
        ("un agenda partagé entre nos trois structures", "Qu'est-ce que ça changerait"),
        ("on arrête de réserver deux fois la même salle", "Je l'enregistre"),
    ):
        mark = chloe.mark()
        await chloe.send(circle.room_id, answer, thread_root=start)
        assert expected in await bot_says(mark)
    mark = chloe.mark()
    await chloe.send(circle.room_id, "Oui", thread_root=start)
    done = await bot_says(mark)
    assert "#1" in done and "agenda partagé" in done


async def test_blockers_are_noted_listed_and_one_becomes_a_story(circle: CircleRoom) -> None:
    ben = circle.ben
    first = await circle.ask(
        ben, "!frein On ne retrouve jamais le dernier compte-rendu #documentation"
    )
    assert "#1" in first.body
    second = await circle.ask(circle.chloe, "!frein trop de mails, on s'y perd")
    assert "#2" in second.body
    listing = await circle.ask(ben, "!freins")
    assert "2 freins" in listing.body and "compte-rendu" in listing.body
    story = await circle.ask(
        ben,
        "!frein 1 en tant que secrétaire je souhaite un dossier partagé des comptes-rendus "
        "afin que chacun retrouve le dernier",
    )
    assert "#1" in story.body and "histoire" in story.body.lower()
    listing = await circle.ask(ben, "!frein liste")
    assert "1 frein" in listing.body and "compte-rendu" not in listing.body
    shown = await circle.ask(ben, "!histoire 1")
    assert "frein #1" in shown.body


async def test_only_the_author_or_a_facilitator_edits_or_withdraws(circle: CircleRoom) -> None:
    ben, chloe, anna = circle.ben, circle.chloe, circle.anna
    await circle.ask(
        ben,
        "!histoire en tant que parent je veux un covoiturage pour que les enfants aillent au club",
    )
    refused = await circle.ask(chloe, "!histoire retirer 1")
    assert "auteur" in refused.body
    edited = await circle.ask(
        ben,
        "!histoire modifier 1 en tant que parent je veux un covoiturage afin que tous les enfants viennent",
    )
    assert "modifiée" in edited.body and "tous les enfants viennent" in edited.body
    withdrawn = await circle.ask(anna, "!histoire retirer #1")  # anna created the room: facilitator
    assert "retirée" in withdrawn.body
    assert "Aucune histoire ouverte" in (await circle.ask(ben, "!histoires")).body
    assert "1 histoire" in (await circle.ask(ben, "!histoires retirées")).body


async def test_lists_filter_by_theme_and_status(circle: CircleRoom) -> None:
    ben = circle.ben
    await circle.ask(
        ben,
        "!histoire en tant que bénévole je souhaite un planning afin de m'organiser #Hygiène-numérique",
    )
    await circle.ask(
        ben,
        "!histoire en tant que salarié je souhaite des outils libres afin que nos données restent chez nous #hygiene-numerique #outils",
    )
    await circle.ask(
        ben, "!histoire en tant que voisin je souhaite un composteur afin de réduire nos déchets"
    )
    await circle.ask(ben, "!histoire prendre 3")
    by_theme = await circle.ask(ben, "!histoire liste #HYGIENE-numérique")
    assert "2 histoires" in by_theme.body and "composteur" not in by_theme.body
    grouped = await circle.ask(ben, "!histoires")
    assert grouped.body.index("#Hygiène-numérique") < grouped.body.index("Sans thème")
    done = await circle.ask(ben, "!histoire fait 3")
    assert "faite" in done.body
    only_done = await circle.ask(ben, "!histoires faites")
    assert "1 histoire" in only_done.body and "composteur" in only_done.body


async def test_hostile_or_oversized_text_never_breaks_the_bot(circle: CircleRoom) -> None:
    ben = circle.ben
    evil = await circle.ask(
        ben,
        '!histoire en tant que <script>alert(1)</script> je souhaite <a href="https://x">clic</a> '
        "afin que [lien](https://evil.example) @room",
    )
    assert "<script" not in evil.html and '<a href="https://x"' not in evil.html
    assert "script&gt;" in evil.html  # shown as text, escaped
    assert evil.content["m.mentions"] == {}
    huge = await circle.ask(
        ben, "!histoire en tant que x je souhaite " + "y" * 1200 + " afin que z"
    )
    assert "long" in huge.body
    long_blocker = await circle.ask(ben, "!frein " + "trop " * 200)
    assert "long" in long_blocker.body
    assert "1 histoire" in (await circle.ask(ben, "!histoires")).body
