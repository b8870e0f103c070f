"""``!histoire`` and its sub-commands, in process: what is said and what is saved."""

from __future__ import annotations

from bot.domain.stories import StoryStatus
from bot.store import stories as store
from tests.unit.circle_in_memory import ROOM, CircleInMemory
from tests.unit.features.helpers import ANNA, BRUNO, CHLOE, add_stories, one, story_text


async def saved(circle: CircleInMemory) -> list[int]:
    return [s.number for s in await store.all_stories(circle.db, ROOM)]


async def test_a_story_in_the_command_is_recorded_with_its_parts(circle: CircleInMemory) -> None:
    body = one(await circle.say(BRUNO, f"!histoire {story_text()}"))
    assert body.startswith("📗 Histoire **#1** enregistrée, merci Bruno Plateau !")
    assert "- **Rôle** : bénévole" in body and "#planning" in body
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and story.author == BRUNO and story.status is StoryStatus.PROPOSED


async def test_an_incomplete_story_names_what_is_missing_and_saves_nothing(
    circle: CircleInMemory,
) -> None:
    body = one(await circle.say(BRUNO, "!histoire En tant que bénévole"))
    assert body.startswith("Presque ! Il manque le besoin")
    assert await saved(circle) == []


async def test_a_story_is_shown_by_its_number(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    body = one(await circle.say(CHLOE, "!histoire 1"))
    assert body.startswith("**Histoire #1** — proposée")
    assert "Bruno Plateau (structure non indiquée)" in body


async def test_an_unknown_story_number_is_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!histoire 9")).startswith(
        "Je ne trouve pas d'histoire #9 dans ce cercle."
    )


async def test_the_list_groups_stories_by_theme(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {story_text('un agenda', 'planning')}")
    await circle.say(BRUNO, f"!histoire {story_text('un annuaire', 'communication')}")
    body = one(await circle.say(CHLOE, "!histoires"))
    assert body.startswith("**2 histoires** :")
    assert "**#planning**" in body and "**#communication**" in body
    filtered = one(await circle.say(CHLOE, "!histoire liste #planning"))
    assert "#1 " in filtered and "#2 " not in filtered


async def test_an_empty_circle_lists_no_story(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!histoire liste")).startswith(
        "Pas encore d'histoire dans ce cercle."
    )


async def test_a_list_word_that_is_no_filter_is_refused(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    assert one(await circle.say(BRUNO, "!histoire liste bof")).startswith(
        "Je ne comprends pas « bof » ici"
    )


async def test_the_author_edits_their_story(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    body = one(await circle.say(BRUNO, f"!histoire modifier 1 {story_text('un agenda partagé')}"))
    assert body.startswith("✏️ Histoire **#1** modifiée :")
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and "agenda partagé" in story.text


async def test_someone_else_may_not_edit_a_story(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    body = one(await circle.say(CHLOE, f"!histoire modifier 1 {story_text('autre chose')}"))
    assert body == "Seul·e l'auteur·rice de l'histoire ou un·e animateur·rice peut faire cela."
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and "autre chose" not in story.text


async def test_an_edit_without_text_is_refused(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    assert one(await circle.say(BRUNO, "!histoire modifier 1")).startswith(
        "Il faut le numéro puis le nouveau texte."
    )


async def test_a_facilitator_withdraws_a_story(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    assert one(await circle.say(ANNA, "!histoire retirer 1")).startswith("Histoire **#1** retirée.")
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and story.status is StoryStatus.WITHDRAWN


async def test_someone_else_may_not_withdraw_a_story(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    one(await circle.say(CHLOE, "!histoire retirer 1"))
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and story.status is StoryStatus.PROPOSED


async def test_a_withdrawal_without_number_shows_the_usage(circle: CircleInMemory) -> None:
    assert "`!histoire retirer 12`" in one(await circle.say(BRUNO, "!histoire retirer"))


async def test_a_pioneer_takes_a_story(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    body = one(await circle.say(CHLOE, "!histoire prendre 1"))
    assert body == "🙌 Chloe Plateau porte désormais l'histoire **#1**. Merci !"
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and story.porteur == CHLOE


async def test_a_story_already_taken_is_not_taken_again(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    await circle.say(CHLOE, "!histoire prendre 1")
    body = one(await circle.say(BRUNO, "!histoire prendre 1"))
    assert body.startswith("Cette histoire est déjà portée par Chloe Plateau.")
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and story.porteur == CHLOE


async def test_a_bad_story_number_is_refused(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!histoire prendre douze")).startswith(
        "« douze » n'est pas un numéro d'histoire"
    )


async def test_the_porteur_marks_a_story_done(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    await circle.say(CHLOE, "!histoire prendre 1")
    assert one(await circle.say(CHLOE, "!histoire fait 1")) == (
        "🎉 Histoire **#1** faite ! Bravo Chloe Plateau."
    )
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and story.status is StoryStatus.DONE


async def test_a_story_without_porteur_is_not_marked_done(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    body = one(await circle.say(CHLOE, "!histoire fait 1"))
    assert body.startswith("Personne ne porte encore cette histoire")
    story = await store.get_story(circle.db, ROOM, 1)
    assert story is not None and story.status is StoryStatus.PROPOSED
