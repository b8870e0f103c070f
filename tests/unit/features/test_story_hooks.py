"""Stories that do not come as a command: the free-text offer and its ✅, the guided dialogue."""

from __future__ import annotations

from bot.store import stories as store
from tests.unit.circle_in_memory import ROOM, CircleInMemory
from tests.unit.features.helpers import BRUNO, CHLOE, one, story_text


async def test_a_story_written_in_the_chat_is_offered_for_recording(
    circle: CircleInMemory,
) -> None:
    offer = one(await circle.say(BRUNO, story_text()))
    assert offer.startswith("Bruno Plateau, on dirait une histoire d'usage !")
    assert await store.all_stories(circle.db, ROOM) == []


async def test_the_authors_check_mark_records_the_offered_story(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, story_text())
    message = circle.last_event_id
    body = one(await circle.react(BRUNO, message, "✅"))
    assert body.startswith("📗 Histoire **#1** enregistrée")
    assert [s.author for s in await store.all_stories(circle.db, ROOM)] == [BRUNO]
    assert await circle.react(BRUNO, message, "✅") == []  # only once


async def test_a_check_mark_on_the_bots_offer_records_the_story_too(
    circle: CircleInMemory,
) -> None:
    [offer] = await circle.say_contents(BRUNO, story_text())
    body = one(await circle.react(BRUNO, circle.event_id_of(offer), "👍"))
    assert body.startswith("📗 Histoire **#1** enregistrée")


async def test_someone_elses_check_mark_records_nothing(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, story_text())
    assert await circle.react(CHLOE, circle.last_event_id, "✅") == []
    assert await store.all_stories(circle.db, ROOM) == []


async def test_chat_that_is_no_story_gets_no_answer(circle: CircleInMemory) -> None:
    assert await circle.say(BRUNO, "Bonjour à toutes et à tous !") == []


async def test_the_guided_dialogue_asks_three_questions_then_records(
    circle: CircleInMemory,
) -> None:
    [intro] = await circle.say_contents(BRUNO, "!histoire")
    assert "1️⃣ **Qui êtes-vous**" in intro["body"]
    root = circle.last_event_id
    assert "2️⃣" in one(await circle.say(BRUNO, "bénévole de la Ressourcerie", root))
    assert "3️⃣" in one(await circle.say(BRUNO, "voir le planning sur mon téléphone", root))
    confirm = one(await circle.say(BRUNO, "ne plus rater de tournée", root))
    assert confirm.startswith("Voici votre histoire :")
    assert one(await circle.say(BRUNO, "oui", root)).startswith("📗 Histoire **#1** enregistrée")
    [story] = await store.all_stories(circle.db, ROOM)
    assert "Ressourcerie" in story.text and story.author == BRUNO


async def test_the_dialogue_stops_on_annuler_and_saves_nothing(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, "!histoire")
    root = circle.last_event_id
    await circle.say(BRUNO, "bénévole", root)
    assert one(await circle.say(BRUNO, "annuler", root)) == (
        "D'accord, j'arrête là, rien n'est enregistré."
    )
    assert await store.all_stories(circle.db, ROOM) == []


async def test_the_dialogue_asks_again_for_a_yes(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, "!histoire")
    root = circle.last_event_id
    for answer in ("bénévole", "voir le planning", "ne plus rater de tournée"):
        await circle.say(BRUNO, answer, root)
    assert one(await circle.say(BRUNO, "peut-être", root)).startswith("Répondez **oui**")
    assert await store.all_stories(circle.db, ROOM) == []


async def test_someone_else_in_the_dialogue_thread_is_not_an_answer(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, "!histoire")
    root = circle.last_event_id
    assert await circle.say(CHLOE, "trésorière", root) == []
    assert "2️⃣" in one(await circle.say(BRUNO, "bénévole", root))


async def test_a_second_dialogue_in_the_same_thread_is_refused(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, "!histoire")
    root = circle.last_event_id
    assert one(await circle.say(BRUNO, "!histoire", root)).startswith(
        "Un dialogue est déjà ouvert dans ce fil"
    )
