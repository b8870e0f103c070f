"""The bot runs for real: encrypted room, real Synapse, real process, cross-signed device."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.matrix.cross_signing import verify
from bot.testing.pioneer import Pioneer, SeenEvent
from tests.integration.conftest import CircleRoom, make_pioneer

pytestmark = pytest.mark.integration


async def test_the_bot_greets_the_circle_with_a_notice_in_the_encrypted_room(
    circle: CircleRoom,
) -> None:
    greeting = circle.anna.messages_from(circle.bot_id, circle.room_id)[0]
    assert circle.anna.client.rooms[circle.room_id].encrypted
    assert greeting.content["msgtype"] == "m.notice"
    assert "!aide" in greeting.body
    assert greeting.content["m.mentions"] == {}
    assert "<strong>" in greeting.html


async def test_aide_and_help_list_the_commands(circle: CircleRoom) -> None:
    fr = await circle.ask(circle.ben, "!aide")
    assert "!aide" in fr.body and "Ce que je sais faire" in fr.body
    en = await circle.ask(circle.chloe, "!HELP")
    assert en.body == fr.body  # the circle's language decides, not the alias used
    assert fr.content["msgtype"] == "m.notice"


async def test_aide_on_one_command_shows_its_usage_with_an_example(circle: CircleRoom) -> None:
    reply = await circle.ask(circle.ben, "!aide vote")
    assert "!vote" in reply.body
    assert "Exemple" in reply.body or "exemple" in reply.body


async def test_a_typo_gets_the_nearest_command(circle: CircleRoom) -> None:
    reply = await circle.ask(circle.ben, "!histoir")
    assert "Vouliez-vous dire" in reply.body
    assert "!histoire" in reply.body


async def test_a_refused_command_corrected_by_an_edit_is_run_once(circle: CircleRoom) -> None:
    ben, chloe = circle.ben, circle.chloe
    incomplete = await ben.send(
        circle.room_id, "!histoire en tant que bénévole je veux un planning"
    )
    refused = await ben.wait_for(_replying_to(incomplete), 30)
    assert "Presque" in refused.body
    # chloe cannot "correct" ben's message; ben can, as Element does
    mark = ben.mark()
    await chloe.edit(circle.room_id, incomplete, "!histoire en tant que X je veux Y afin de Z")
    await ben.edit(
        circle.room_id,
        incomplete,
        "!histoire en tant que bénévole je veux un planning afin de savoir qui vient",
    )
    recorded = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and e.reply_to == incomplete, 30, after=mark
    )
    assert "#1" in recorded.body and "savoir qui vient" in recorded.body
    # once done, further edits change nothing (!histoire modifier is there for that)
    await ben.edit(circle.room_id, incomplete, "!histoire en tant que A je veux B afin de C")
    listing = await circle.ask(ben, "!histoires")  # lists show short titles (the need)
    assert "1 histoire" in listing.body and "Un planning" in listing.body
    shown = await circle.ask(ben, "!histoire 1")
    assert "savoir qui vient" in shown.body and "afin de C" not in shown.body
    answers = [
        e for e in ben.messages_from(circle.bot_id, circle.room_id) if e.reply_to == incomplete
    ]
    assert len(answers) == 2  # the refusal, then the story recorded once


async def test_the_bot_stays_silent_on_ordinary_chat(circle: CircleRoom) -> None:
    mark = circle.anna.mark()
    await circle.ben.send(circle.room_id, "Bonjour à toutes et tous, on se voit jeudi ?")
    await circle.chloe.send(circle.room_id, "Oui ! J'apporte les post-its")
    probe = await circle.ask(circle.anna, "!aide")
    bot_messages = circle.anna.messages_from(circle.bot_id, circle.room_id, after=mark)
    assert [m.event_id for m in bot_messages] == [probe.event_id]


async def test_a_command_in_a_thread_is_answered_in_that_thread(circle: CircleRoom) -> None:
    root = await circle.ben.send(circle.room_id, "Fil pour nos questions")
    reply = await circle.ask(circle.chloe, "!aide", thread_root=root)
    assert reply.thread_root == root


async def test_a_reply_fallback_is_stripped_before_parsing(circle: CircleRoom) -> None:
    first = await circle.ben.send(circle.room_id, "un message")
    reply = await circle.ask(circle.chloe, "> <@ben:localhost> un message\n\n!aide", reply_to=first)
    assert "Ce que je sais faire" in reply.body


async def test_the_bot_can_be_addressed_by_mention(circle: CircleRoom) -> None:
    localpart = circle.bot_id.split(":")[0].lstrip("@")
    reply = await circle.ask(circle.ben, f"{localpart}: aide")
    assert "Ce que je sais faire" in reply.body


async def test_user_text_is_escaped_in_html(circle: CircleRoom) -> None:
    reply = await circle.ask(circle.ben, "!aide <b>gras</b>")
    assert "<b>gras</b>" in reply.body  # the plain body keeps what was typed
    assert "<b>" not in reply.html and "&lt;b&gt;gras&lt;/b&gt;" in reply.html
    reply = await circle.ask(circle.ben, "!aide [piège](https://evil.example)")
    assert "<a " not in reply.html
    reply = await circle.ask(circle.ben, "!aide <img src=x onerror=alert(1)>")
    assert "<img" not in reply.html


async def test_the_bot_ignores_invites_from_users_not_allowed(
    circle: CircleRoom, tmp_path: object
) -> None:
    stranger = await make_pioneer(circle.homeserver, circle.workdir, "intrus")
    try:
        room_id = await stranger.create_room("Salon d'un inconnu", [circle.bot_id])
        await asyncio.sleep(3)
        assert circle.bot_id not in await stranger.members(room_id)
        assert not stranger.messages_from(circle.bot_id)
    finally:
        await stranger.close()


async def test_the_bot_device_is_cross_signed_by_a_stable_identity(circle: CircleRoom) -> None:
    master_before = await _check_cross_signing(circle.ben, circle.bot_id)
    circle.bot.stop()
    circle.bot.start()
    master_after = await _check_cross_signing(circle.ben, circle.bot_id)
    assert master_before == master_after
    reply = await circle.ask(circle.ben, "!aide")
    assert "Ce que je sais faire" in reply.body


async def _check_cross_signing(pioneer: Pioneer, bot_id: str) -> str:
    """The bot's device is signed by its self-signing key, itself signed by its master key."""
    client = pioneer.client
    url = f"{client.homeserver}/_matrix/client/v3/keys/query"
    async with client.client_session.post(  # type: ignore[union-attr]
        url,
        json={"device_keys": {bot_id: []}},
        headers={"Authorization": f"Bearer {client.access_token}"},
    ) as resp:
        body = await resp.json()
    master = body["master_keys"][bot_id]
    ssk = body["self_signing_keys"][bot_id]
    (master_pub,) = master["keys"].values()
    (ssk_pub,) = ssk["keys"].values()
    assert verify(master_pub, ssk, ssk["signatures"][bot_id][f"ed25519:{master_pub}"])
    devices = body["device_keys"][bot_id]
    assert len(devices) == 1, "the bot keeps one device"
    (device,) = devices.values()
    assert verify(ssk_pub, device, device["signatures"][bot_id][f"ed25519:{ssk_pub}"])
    return str(master_pub)


def _replying_to(event_id: str) -> Callable[[SeenEvent], bool]:
    return lambda event: event.reply_to == event_id


async def test_after_sigterm_or_sigkill_the_bot_answers_again_without_repeating_itself(
    circle: CircleRoom,
) -> None:
    asked = [str((await circle.ask(circle.ben, "!aide")).reply_to)]
    for crash in (False, True):
        if crash:
            circle.bot.kill()
        else:
            assert circle.bot.stop() == 0
        missed = await circle.ben.send(circle.room_id, "!aide")  # sent while the bot is down
        circle.bot.start()
        await circle.anna.wait_for(_replying_to(missed), 30)
        probe = await circle.ask(circle.chloe, "!help")
        asked += [missed, str(probe.reply_to)]
    await asyncio.sleep(1.5)  # room for a late duplicate to show up
    # Judged by what each answer replies to, not by arrival order in one client:
    # every command answered, and exactly once.
    answers = circle.anna.messages_from(circle.bot_id, circle.room_id)
    answered = [a.reply_to for a in answers if a.reply_to]
    assert sorted(a for a in answered if a in asked) == sorted(asked)
    assert len(answered) == len(set(answered)), answered


async def test_after_a_quiet_restart_the_room_creator_is_still_a_facilitator(
    circle: CircleRoom,
) -> None:
    await circle.ask(circle.anna, "!aide")
    circle.bot.stop()
    circle.bot.start()  # nothing happened meanwhile: the stored sync token is current
    reply = await circle.ask(circle.anna, "!checkin planifier premier lundi 10:00")
    assert "Nouveau rythme" in reply.body


async def test_statut_shows_a_facilitator_that_the_device_is_cross_signed(
    circle: CircleRoom,
) -> None:
    reply = await circle.ask(circle.anna, "!statut")
    body = reply.body.replace("\u00a0", " ")
    # What Synapse holds: the bot's device signed by its self-signing key.
    assert "Appareil vérifié" in body
    assert "Dernière synchronisation avec le serveur : il y a" in body
    assert "- check-in mensuel : " in body  # the circle's rhythm, from the scheduler
    refused = await circle.ask(circle.ben, "!statut")
    assert "réservée à l'équipe d'animation" in refused.body
