"""People's data against the real Synapse, in an encrypted room: a message deleted in
Element withdraws what it carried; ``!mesdonnees`` and ``!oublier`` in a direct chat."""

from __future__ import annotations

import json

import pytest
from nio import RoomRedactResponse

from bot.testing.pioneer import Pioneer, SeenEvent
from tests.integration.conftest import CircleRoom

pytestmark = pytest.mark.integration

STORY = (
    "!histoire en tant que bénévole je souhaite un planning partagé"
    " afin de ne plus rater de tournée"
)
OTHER_STORY = (
    "!histoire en tant que trésorière je souhaite exporter les cotisations afin de gagner du temps"
)


async def _redact(pioneer: Pioneer, room_id: str, event_id: str) -> None:
    """Delete one's message the way Element does (an unencrypted ``m.room.redaction``)."""
    response = await pioneer.client.room_redact(room_id, event_id, "supprimé")
    assert isinstance(response, RoomRedactResponse), response


async def _file(circle: CircleRoom, who: Pioneer, room_id: str, command: str) -> bytes:
    """Send ``command`` in ``room_id`` and download the file the bot posts there."""
    mark = who.mark()
    await who.send(room_id, command)
    event = await who.wait_for(
        lambda e: (
            e.sender == circle.bot_id
            and e.room_id == room_id
            and e.content.get("msgtype") == "m.file"
        ),
        60,
        after=mark,
    )
    return await who.download(event)


async def _direct_chat(circle: CircleRoom, who: Pioneer) -> str:
    dm = await who.create_direct_chat(circle.bot_id)
    await who.wait_for(lambda e: e.sender == circle.bot_id and e.room_id == dm, 30)
    return dm


async def _close_vote(circle: CircleRoom) -> SeenEvent:
    """The facilitator closes the vote; the results are posted in the room."""
    mark = circle.anna.mark()
    await circle.anna.send(circle.room_id, "!vote clore")
    return await circle.anna.wait_for(
        lambda e: e.sender == circle.bot_id and "Résultats du vote" in e.body, 30, after=mark
    )


async def _in_dm(circle: CircleRoom, who: Pioneer, dm: str, text: str) -> SeenEvent:
    mark = who.mark()
    sent = await who.send(dm, text)
    return await who.wait_for(
        lambda e: e.sender == circle.bot_id and e.room_id == dm and e.reply_to == sent,
        30,
        after=mark,
    )


async def test_a_ballot_deleted_before_the_close_stops_counting(circle: CircleRoom) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await circle.ask(anna, STORY)
    await circle.ask(anna, OTHER_STORY)
    mark = anna.mark()
    await anna.send(circle.room_id, "!vote ouvrir points 1")
    await anna.wait_for(
        lambda e: e.sender == circle.bot_id and "en cours**" in e.body, 30, after=mark
    )
    await circle.ask(chloe, "!vote 1")
    ballot = await ben.send(circle.room_id, "!vote 2")
    await ben.wait_for(lambda e: e.sender == circle.bot_id and e.reply_to == ballot, 30)
    mark = anna.mark()
    await _redact(ben, circle.room_id, ballot)
    edited = await anna.wait_for(
        lambda e: e.sender == circle.bot_id and "bulletin retiré" in e.body, 30, after=mark
    )
    assert "**1 personne a voté**" in edited.body
    status = await circle.ask(anna, "!vote")
    assert "1 bulletin retiré" in status.body and "1 personne a voté" in status.body
    results = await _close_vote(circle)
    assert "— 1 bulletin" in results.body
    ranking = results.body.split("\n")
    assert any("#1" in line and "1 point" in line for line in ranking)
    assert not any(line.startswith("2. ") for line in ranking), results.body


async def test_an_objection_deleted_before_the_close_stops_counting(circle: CircleRoom) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    mark = anna.mark()
    await ben.send(circle.room_id, "!proposition Adhérer au réseau des ressourceries")
    await anna.wait_for(
        lambda e: e.sender == circle.bot_id and "personne n'a encore répondu" in e.body,
        30,
        after=mark,
    )
    await circle.ask(anna, "!proposition 1 d'accord")
    objection = await chloe.send(circle.room_id, "!proposition 1 objection pas de budget")
    await chloe.wait_for(lambda e: e.sender == circle.bot_id and e.reply_to == objection, 30)
    mark = anna.mark()
    await _redact(chloe, circle.room_id, objection)
    edited = await anna.wait_for(
        lambda e: e.sender == circle.bot_id and "réponse retirée" in e.body, 30, after=mark
    )
    assert "**1 réponse**\u00a0: 1 d'accord" in edited.body and "budget" not in edited.body
    mark = anna.mark()
    await ben.send(circle.room_id, "!proposition clore 1")
    outcome = await anna.wait_for(
        lambda e: e.sender == circle.bot_id and "🏁" in e.body, 30, after=mark
    )
    assert "adoptée" in outcome.body and "(1 d'accord)" in outcome.body, outcome.body


async def test_a_deleted_story_disappears_from_the_list_the_recap_and_the_export(
    circle: CircleRoom,
) -> None:
    anna, ben = circle.anna, circle.ben
    story = await ben.send(circle.room_id, STORY)
    await ben.wait_for(lambda e: e.sender == circle.bot_id and e.reply_to == story, 30)
    await circle.ask(anna, OTHER_STORY)
    mark = anna.mark()
    await _redact(ben, circle.room_id, story)
    notice = await anna.wait_for(
        lambda e: e.sender == circle.bot_id and "#1 est retirée" in e.body, 30, after=mark
    )
    assert "supprimé" in notice.body
    listing = await circle.ask(anna, "!histoires")
    assert "planning partagé" not in listing.body and "cotisations" in listing.body
    recap = await circle.ask(anna, "!bilan")
    assert "1 nouvelle histoire" in recap.body.replace("*", "")
    markdown = (await _file(circle, anna, circle.room_id, "!bilan export")).decode()
    assert "planning partagé" not in markdown and "cotisations" in markdown


async def test_my_data_then_forgetting_end_to_end(circle: CircleRoom) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    login = ben.user_id.split(":")[0].lstrip("@")
    await circle.ask(ben, "!structure La Ressourcerie")
    await circle.ask(ben, STORY)
    await circle.ask(chloe, OTHER_STORY)
    mark = anna.mark()
    await anna.send(circle.room_id, "!vote ouvrir points 1")
    await anna.wait_for(
        lambda e: e.sender == circle.bot_id and "en cours**" in e.body, 30, after=mark
    )
    await circle.ask(ben, "!vote 1")
    await circle.ask(chloe, "!vote 1")
    results = await _close_vote(circle)
    assert "2 bulletins" in results.body.replace("\u00a0", " ")
    refused = await circle.ask(ben, "!mesdonnees")
    assert "message privé" in refused.body
    dm = await _direct_chat(circle, ben)
    mine = json.loads(await _file(circle, ben, dm, "!mesdonnees"))
    assert mine["person"] == ben.user_id
    stories = mine["Vos histoires (écrites ou portées) et brouillons"]
    assert any("planning partagé" in s["text"] for s in stories)
    assert "cotisations" not in json.dumps(mine, ensure_ascii=False)
    asked = await _in_dm(circle, ben, dm, "!oublier")
    assert "!oublier confirmer" in asked.body
    done = await _in_dm(circle, ben, dm, "!oublier confirmer")
    assert "C'est fait" in done.body
    shown = await circle.ask(chloe, "!histoire 1")
    assert "une personne de La Ressourcerie" in shown.body and login not in shown.body
    listing = await circle.ask(chloe, "!histoires")
    assert "planning partagé" in listing.body and login not in listing.body
    markdown = (await _file(circle, chloe, circle.room_id, "!bilan export")).decode()
    assert login not in markdown and "une personne de La Ressourcerie" in markdown
    assert "2 bulletins" in markdown  # the closed vote still counts her ballot
