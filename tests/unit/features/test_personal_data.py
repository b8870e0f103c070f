"""People's data, in process: a deleted (redacted) message withdraws what it carried;
``!mesdonnees``, ``!oublier`` and ``!merci`` in a direct chat and in the circle."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from bot.matrix.incoming import IncomingPollResponse, IncomingRedaction
from bot.store import memberships
from bot.store import personal_data as people
from bot.store import rhythm as rhythm_store
from bot.store import stories as story_store
from bot.store import votes as vote_store
from tests.unit.circle_in_memory import ROOM, CircleInMemory
from tests.unit.features.helpers import (
    ANNA,
    BRUNO,
    CHLOE,
    EMMA,
    add_stories,
    one,
    plain,
    story_text,
)

DIRECT = "!direct-bruno:ex.org"
POLL_START = "org.matrix.msc3381.poll.start"


async def redact(circle: CircleInMemory, sender: str, event_id: str, room: str = ROOM) -> list[str]:
    """``sender`` deletes ``event_id`` in Element; the bodies of what the bot sent then
    (edits included)."""
    before = len(circle.matrix.sent)
    redaction = IncomingRedaction(
        room, f"$x-{uuid.uuid4().hex}", sender, event_id, circle.server_ts()
    )
    await circle.bot.on_redaction(redaction)
    await circle.bot.sender.flush()
    return [plain(c["body"]) for c in circle.messages_since(before)]


async def export_text(circle: CircleInMemory) -> str:
    circle.matrix.uploads.clear()
    await circle.say(CHLOE, "!bilan export")
    await circle.run_later()
    return circle.matrix.uploads[-1][1].decode()


def in_direct_chat(circle: CircleInMemory, user: str = BRUNO) -> None:
    circle.bot.direct_rooms[DIRECT] = (user, 0)


async def in_dm(circle: CircleInMemory, body: str, user: str = BRUNO) -> list[str]:
    return [c["body"] for c in await circle.say_contents(user, body, room=DIRECT)]


# ---- ballots ----
async def test_a_deleted_ballot_stops_counting_before_the_close_and_the_status_says_so(
    circle: CircleInMemory,
) -> None:
    await add_stories(circle, 3)
    await circle.say(ANNA, "!vote ouvrir points 2")
    await circle.say(CHLOE, "!vote 1 1")
    await circle.say(BRUNO, "!vote 2 2", event_id="$ballot-bruno")
    [edit] = await redact(circle, BRUNO, "$ballot-bruno")
    assert "**1 personne a voté**" in edit and "1 bulletin retiré" in edit
    assert "Bruno Plateau" not in one(await circle.say(EMMA, "!vote"))
    results = plain((await circle.say(ANNA, "!vote clore"))[0])
    assert "1. **#1**" in results and "#2" not in results.split("\n")[2]


async def test_a_deleted_ballot_after_the_close_changes_nothing(circle: CircleInMemory) -> None:
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say(BRUNO, "!vote 1 2", event_id="$ballot")
    await circle.say(ANNA, "!vote clore")
    assert await redact(circle, BRUNO, "$ballot") == []
    assert await vote_store.voters(circle.db, ROOM, 1) == {BRUNO}
    assert await vote_store.withdrawn_count(circle.db, ROOM, 1) == 0


async def test_a_deleted_secret_ballot_in_the_direct_chat_stops_counting(
    circle: CircleInMemory,
) -> None:
    in_direct_chat(circle)
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say_contents(BRUNO, "!vote 1 2", event_id="$secret", room=DIRECT)
    assert await vote_store.voters(circle.db, ROOM, 1) == {BRUNO}
    await redact(circle, CHLOE, "$secret", room=ROOM)  # not where it was cast: nothing
    assert await vote_store.voters(circle.db, ROOM, 1) == {BRUNO}
    await redact(circle, BRUNO, "$secret", room=DIRECT)
    assert await vote_store.voters(circle.db, ROOM, 1) == set()


async def test_a_deleted_answer_to_a_point_poll_takes_back_that_point(
    circle: CircleInMemory,
) -> None:
    await add_stories(circle, 3)
    await circle.say(ANNA, "!vote ouvrir points 2")
    first, second = (circle.event_id_of(p) for p in circle.sent_of_type(POLL_START))
    for event_id, poll in (("$p1", first), ("$p2", second)):
        response = IncomingPollResponse(ROOM, event_id, EMMA, poll, ("s3",), circle.server_ts())
        await circle.bot.on_poll_response(response)
    await circle.bot.sender.flush()
    assert "Emma Belleville 2 sur 2" in one(await circle.say(BRUNO, "!vote"))
    await redact(circle, EMMA, "$p2")
    status = one(await circle.say(BRUNO, "!vote"))
    assert "Emma Belleville 1 sur 2" in status and "1 bulletin retiré" in status


# ---- stories, blockers, answers ----
async def test_a_deleted_story_leaves_the_list_the_recap_and_the_export(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, f"!histoire {story_text('un agenda partagé')}", event_id="$story")
    await circle.say(CHLOE, f"!histoire {story_text('un annuaire des bénévoles')}")
    assert await redact(circle, BRUNO, "$story") == [
        "🗑️ L'histoire #1 est retirée : son message a été supprimé."
    ]
    listing = one(await circle.say(CHLOE, "!histoires"))
    assert "agenda" not in listing and "annuaire" in listing
    assert "**1 nouvelle histoire**" in plain(one(await circle.say(CHLOE, "!bilan")))
    assert "agenda" not in await export_text(circle)
    assert one(await circle.say(CHLOE, "!histoire 1")).startswith("Je ne trouve pas d'histoire #1")
    await add_stories(circle, 1)
    assert [s.number for s in await story_store.all_stories(circle.db, ROOM)] == [2, 3]


async def test_a_deleted_blocker_leaves_the_list_and_the_export(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, "!frein La camionnette est souvent en panne", event_id="$frein")
    assert await redact(circle, BRUNO, "$frein") == [
        "🗑️ Le frein #1 est retiré : son message a été supprimé."
    ]
    assert "camionnette" not in one(await circle.say(CHLOE, "!freins"))
    assert "camionnette" not in await export_text(circle)


async def test_a_deleted_free_text_story_can_no_longer_be_confirmed(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, story_text(), event_id="$free")
    await redact(circle, BRUNO, "$free")
    assert await circle.react(BRUNO, "$free") == []
    assert await story_store.all_stories(circle.db, ROOM) == []


async def test_a_deleted_checkin_answer_leaves_the_recap_and_the_export(
    circle: CircleInMemory,
) -> None:
    [opened] = await circle.say_contents(ANNA, "!checkin lancer")
    root = circle.event_id_of(opened)
    await circle.say(BRUNO, "1. Ensoleillé 2. Les comptes rendus se perdent", root, event_id="$a")
    await redact(circle, BRUNO, "$a")
    assert await rhythm_store.answers(circle.db, ROOM, 1) == []
    assert "comptes rendus" not in await export_text(circle)


async def test_a_deleted_retrospective_answer_leaves_the_summary(circle: CircleInMemory) -> None:
    await add_stories(circle, 1)
    await circle.say(ANNA, "!chantier nouveau Agenda")
    await circle.say(ANNA, "!chantier ajouter 1")
    _, retro = await circle.say_contents(ANNA, "!chantier clore")
    await circle.say(BRUNO, "Le planning a bien marché", circle.event_id_of(retro), event_id="$r")
    await redact(circle, BRUNO, "$r")
    assert "Le planning a bien marché" not in one(await circle.say(CHLOE, "!bilan chantier 1"))


async def test_a_deleted_story_leaves_a_closed_chantiers_summary(circle: CircleInMemory) -> None:
    await circle.say(BRUNO, f"!histoire {story_text('un agenda partagé')}", event_id="$story")
    await circle.say(ANNA, "!chantier nouveau Agenda")
    await circle.say(ANNA, "!chantier ajouter 1")
    await circle.say(ANNA, "!chantier clore")
    await redact(circle, BRUNO, "$story")
    assert "agenda partagé" not in one(await circle.say(CHLOE, "!bilan chantier 1"))


# ---- !mesdonnees ----
async def test_my_data_is_asked_for_in_a_direct_chat(circle: CircleInMemory) -> None:
    assert one(await circle.say(BRUNO, "!mesdonnees")).startswith(
        "Pour vos données, écrivez-moi en message privé"
    )
    assert circle.later == []


async def test_my_data_is_a_file_with_everything_kept_about_her(circle: CircleInMemory) -> None:
    in_direct_chat(circle)
    await circle.say(BRUNO, "!structure Ressourcerie du Plateau")
    await circle.say(BRUNO, f"!histoire {story_text('un agenda partagé')}")
    await circle.say(CHLOE, f"!histoire {story_text('un annuaire')}")
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say(BRUNO, "!vote 2 1")
    assert plain(one(await in_dm(circle, "!mesdonnees"))).startswith("📄 Voici tout ce que")
    await circle.run_later()
    [(name, data)] = circle.matrix.uploads
    content = {plain(key): value for key, value in json.loads(data).items()}
    assert name == "mes-donnees-2026-12-01.json" and content["person"] == BRUNO
    assert content["circles"] == {ROOM: "Cercle des pionniers"}
    stories = content["Vos histoires (écrites ou portées) et brouillons"]
    assert [s["text"] for s in stories] == [story_text("un agenda partagé")]
    assert content["Vos bulletins de vote"][0]["vote"] == 1
    [you] = content["Vous : structure, noms, discussion privée, choix"][:1]
    assert {"circle": ROOM, "structure": "Ressourcerie du Plateau"}.items() <= you.items()
    assert "annuaire" not in data.decode()


# ---- !oublier ----
async def test_forgetting_is_asked_for_in_a_direct_chat_and_confirmed(
    circle: CircleInMemory,
) -> None:
    in_direct_chat(circle)
    assert one(await circle.say(BRUNO, "!oublier")).startswith("Pour vos données, écrivez-moi")
    assert one(await in_dm(circle, "!oublier confirmer")).startswith("Rien à confirmer")
    assert plain(one(await in_dm(circle, "!oublier"))).startswith("⚠️ Si vous confirmez")
    circle.now += timedelta(minutes=20)
    assert one(await in_dm(circle, "!oublier confirmer")).startswith("Rien à confirmer")


async def test_a_forgotten_member_is_someone_of_her_structure_and_counts_stay(
    circle: CircleInMemory,
) -> None:
    in_direct_chat(circle)
    await circle.say(BRUNO, "!structure Ressourcerie du Plateau")
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say(BRUNO, "!vote 1 2")
    await circle.say(CHLOE, "!vote 1 2")
    await circle.say(ANNA, "!vote clore")
    [opened] = await circle.say_contents(ANNA, "!checkin lancer")
    await circle.say(BRUNO, "1. Ensoleillé 2. Le planning", circle.event_id_of(opened))
    before = await export_text(circle)
    await in_dm(circle, "!oublier")
    done = plain(one(await in_dm(circle, "!oublier confirmer")))
    assert done.startswith("✅ C'est fait")
    shown = plain(one(await circle.say(CHLOE, "!histoire 1")))
    assert "une personne de Ressourcerie du Plateau" in shown and "Bruno" not in shown
    after = await export_text(circle)
    assert "Bruno" in before and "Bruno" not in after
    assert "une personne de Ressourcerie du Plateau" in after
    assert "2 bulletins" in before and "2 bulletins" in after  # the closed vote's count stays
    assert len(await vote_store.voters(circle.db, ROOM, 1)) == 2
    assert await memberships.declared_structures(circle.db, ROOM) == {}
    [(author, text)] = await rhythm_store.answers(circle.db, ROOM, 1)
    assert text == "" and "Bruno" not in author


async def test_a_forgotten_member_s_ballot_in_an_open_vote_is_withdrawn(
    circle: CircleInMemory,
) -> None:
    in_direct_chat(circle)
    await add_stories(circle, 2)
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say(BRUNO, "!vote 1 2")
    await in_dm(circle, "!oublier")
    await in_dm(circle, "!oublier confirmer")
    assert await vote_store.voters(circle.db, ROOM, 1) == set()


# ---- !merci ----
async def test_a_member_who_declines_thanks_leaves_the_recap_s_thanks(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, f"!histoire {story_text()}")
    await circle.say(CHLOE, f"!histoire {story_text('un annuaire')}")
    assert "Bruno Plateau" in plain(one(await circle.say(EMMA, "!bilan")))
    assert one(await circle.say(BRUNO, "!merci")).startswith("Les bilans vous remercient")
    assert one(await circle.say(BRUNO, "!merci non")).startswith("👍 C'est noté : les bilans ne")
    assert await people.declines_thanks(circle.db, BRUNO)
    recap = plain(one(await circle.say(EMMA, "!bilan")))
    assert "Bruno Plateau" not in recap and "Chloe Plateau" in recap
    assert one(await circle.say(BRUNO, "!merci")).startswith("Les bilans ne vous nomment pas")
    await circle.say(BRUNO, "!merci oui")
    assert "Bruno Plateau" in plain(one(await circle.say(EMMA, "!bilan")))


async def test_a_porteur_who_declines_thanks_is_someone_of_her_structure_in_a_summary(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, "!structure Ressourcerie du Plateau")
    await add_stories(circle, 1)
    await circle.say(ANNA, "!chantier nouveau Agenda")
    await circle.say(ANNA, "!chantier ajouter 1")
    await circle.say(BRUNO, "!histoire prendre 1")
    await circle.say(BRUNO, "!histoire fait 1")
    await circle.say(ANNA, "!chantier clore")
    await circle.say(BRUNO, "!merci non")
    summary = plain(one(await circle.say(CHLOE, "!bilan chantier 1")))
    assert "Bruno" not in summary and "une personne de Ressourcerie du Plateau" in summary


async def test_a_candidate_story_deleted_during_a_vote_leaves_the_results_without_its_text(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, f"!histoire {story_text('un agenda partagé')}", event_id="$story")
    await add_stories(circle, 1, author=CHLOE)
    await circle.say(ANNA, "!vote ouvrir")
    await circle.say(CHLOE, "!vote 1 2")
    await redact(circle, BRUNO, "$story")
    results = plain((await circle.say(ANNA, "!vote clore"))[0])
    assert results.startswith("🏁 **Résultats du vote #1**") and "agenda" not in results


async def test_a_recorded_free_text_story_deleted_leaves_no_copy_of_its_text(
    circle: CircleInMemory,
) -> None:
    await circle.say(BRUNO, story_text("un agenda partagé"), event_id="$free")
    await circle.react(BRUNO, "$free")
    assert [s.number for s in await story_store.all_stories(circle.db, ROOM)] == [1]
    await redact(circle, BRUNO, "$free")
    assert await story_store.all_stories(circle.db, ROOM) == []
    assert await story_store.get_proposal(circle.db, "$free") is None


async def test_the_english_words_reach_the_same_commands(circle: CircleInMemory) -> None:
    in_direct_chat(circle)
    assert plain(one(await in_dm(circle, "!mydata"))).startswith("📄 Voici tout ce que")
    assert plain(one(await in_dm(circle, "!forget"))).startswith("⚠️ Si vous confirmez")
    assert plain(one(await in_dm(circle, "!forget confirm"))).startswith("✅ C'est fait")
    assert one(await circle.say(CHLOE, "!thanks no")).startswith("👍 C'est noté")
    assert await people.declines_thanks(circle.db, CHLOE)


async def test_an_unknown_word_after_forget_or_thanks_is_refused(circle: CircleInMemory) -> None:
    in_direct_chat(circle)
    refused = plain(one(await in_dm(circle, "!oublier tout")))
    assert refused.startswith("Je ne comprends pas « tout » ici.")
    assert "`!oublier confirmer`" in refused
    assert await people.forget_asked_at(circle.db, BRUNO) is None
    refused = plain(one(await circle.say(BRUNO, "!merci peut-être")))
    assert (
        refused.startswith("Je ne comprends pas « peut-être » ici.") and "`!merci non`" in refused
    )
    assert not await people.declines_thanks(circle.db, BRUNO)


async def test_help_names_the_data_command_and_details_its_words(circle: CircleInMemory) -> None:
    assert "`!mesdonnees`" in one(await circle.say(BRUNO, "!aide"))
    usage = one(await circle.say(BRUNO, "!aide oublier"))
    assert "`!oublier confirmer`" in usage and "`!merci non`" in usage
