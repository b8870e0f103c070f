"""The circle's rhythm: structures, check-ins, recaps and the memory export."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from tests.integration.conftest import CircleRoom

pytestmark = pytest.mark.integration


async def _structures(circle: CircleRoom) -> None:
    assert "Ressourcerie" in (await circle.ask(circle.ben, "!structure La Ressourcerie")).body
    assert "Jardins" in (await circle.ask(circle.chloe, "!structure Les Jardins")).body
    reply = await circle.ask(circle.anna, f"!structure {circle.anna.user_id} Tiers-lieu")
    assert "Tiers-lieu" in reply.body


async def test_a_pioneer_cannot_set_someone_elses_structure(circle: CircleRoom) -> None:
    refused = await circle.ask(circle.ben, f"!structure {circle.chloe.user_id} Intrus")
    assert "animateur" in refused.body
    listing = await circle.ask(circle.ben, "!structures")
    assert "Intrus" not in listing.body


async def test_a_checkin_reminds_only_the_absent_structure_and_recaps_participation(
    circle: CircleRoom,
) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await _structures(circle)
    refused = await circle.ask(ben, "!checkin lancer")
    assert "réservée" in refused.body
    mark = ben.mark()
    await anna.send(circle.room_id, "!checkin lancer")
    opened = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and "Check-in mensuel #1" in e.body, 30, after=mark
    )
    assert opened.content["msgtype"] == "m.text"  # it should reach people
    assert "météo" in opened.body
    await ben.send(
        circle.room_id,
        "Beau temps !\nFrein : pas de salle pour les ateliers\nJ'aimerais un agenda partagé",
        thread_root=opened.event_id,
    )
    await asyncio.sleep(1.5)
    mark = ben.mark()
    await anna.send(circle.room_id, "!checkin relancer")
    reminder = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and "rappel" in e.body, 30, after=mark
    )
    # a ping that reaches her: m.text with a real mention, in the room itself (inside the
    # thread Element shows no mention badge), not reminding anna who launched the check-in
    assert reminder.content["msgtype"] == "m.text"
    assert reminder.content["m.mentions"] == {"user_ids": [chloe.user_id]}
    assert f"https://matrix.to/#/{chloe.user_id}" in reminder.html
    assert anna.user_id not in reminder.html
    assert "Tiers-lieu" in reminder.body and "Jardins" in reminder.body
    assert "Ressourcerie" not in reminder.body
    assert reminder.thread_root is None and reminder.reply_to == opened.event_id
    # chloe answers by replying to the reminder that pinged her, by the questions' numbers
    chloe_answer = await chloe.send(
        circle.room_id,
        "1. Nuageux mais ça avance\n3. Personne pour tenir la permanence du dimanche\n"
        "4. Une carte des lieux partagés",
        reply_to=reminder.event_id,
    )
    await chloe.edit(  # then corrected in Element: the recap quotes the corrected answer
        circle.room_id,
        chloe_answer,
        "1. Nuageux mais ça avance\n3. Personne pour tenir la permanence du samedi\n"
        "4. Une carte des lieux partagés",
    )
    await asyncio.sleep(1.5)
    status = await circle.ask(ben, "!checkin")
    assert "2 réponses" in status.body
    mark = ben.mark()
    await anna.send(circle.room_id, "!checkin clore")
    recap = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and "Bilan du check-in #1" in e.body, 30, after=mark
    )
    assert "La Ressourcerie\u00a0: 1 / 1" in recap.body
    assert "Les Jardins\u00a0: 1 / 1" in recap.body
    assert "Tiers-lieu\u00a0: **absente**" in recap.body
    assert "pas de salle pour les ateliers" in recap.body
    assert "agenda partagé" in recap.body
    blockers, ideas = recap.body.split("Idées d'histoires")
    assert "Personne pour tenir la permanence du samedi" in blockers
    assert "dimanche" not in recap.body
    assert "Une carte des lieux partagés" in ideas
    assert "Nuageux" not in recap.body
    structures = await circle.ask(ben, "!structures")
    assert "3 structures" in structures.body and "au dernier check-in" in structures.body


async def test_planning_the_checkin_shows_the_next_dates_and_pause_holds_it(
    circle: CircleRoom,
) -> None:
    anna, ben = circle.anna, circle.ben
    assert "réservée" in (await circle.ask(ben, "!checkin planifier premier lundi 10:00")).body
    planned = await circle.ask(anna, "!checkin planifier « deuxième mardi 18h30 »")
    assert "mardi" in planned.body and "18:30" in planned.body
    bad = await circle.ask(anna, "!checkin planifier cinquième lundi 10:00")
    assert "cinquième" in bad.body and "premier lundi" in bad.body
    paused = await circle.ask(anna, "!checkin pause jusqu'au 1/9")
    assert "pause" in paused.body and "1ᵉʳ septembre" in paused.body
    assert "pause" in (await circle.ask(ben, "!checkin")).body
    resumed = await circle.ask(anna, "!checkin reprendre")
    assert "reparti" in resumed.body


async def test_the_monthly_recap_thanks_contributors_and_the_export_is_a_wiki_page(
    circle: CircleRoom,
) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await circle.ask(
        ben,
        "!histoire en tant que bénévole je souhaite un planning partagé afin de ne plus rater de tournée #planning",
    )
    await circle.ask(chloe, "!frein pas de salle <b>libre</b>")
    await circle.ask(chloe, "!histoire prendre 1")
    await circle.ask(chloe, "!histoire fait 1")
    recap = await circle.ask(ben, "!bilan")
    assert "Bilan du mois" in recap.body
    assert "Merci" in recap.body
    thanks = recap.body.split("Merci")[-1]
    assert ben.user_id.split(":")[0].lstrip("@") in thanks
    assert chloe.user_id.split(":")[0].lstrip("@") in thanks
    mark = anna.mark()
    await anna.send(circle.room_id, "!bilan export")
    file_event = await anna.wait_for(
        lambda e: e.sender == circle.bot_id and e.content.get("msgtype") == "m.file", 60, after=mark
    )
    assert file_event.content["info"]["mimetype"] == "text/markdown"
    markdown = (await anna.download(file_event)).decode()
    assert "CC BY-SA" in markdown
    assert "planning partagé" in markdown and "#planning" in markdown
    assert "<b>" not in markdown  # user text escaped for the wiki
    # the same memory from the command line, without the homeserver
    out = circle.workdir / "memoire.md"
    env = dict(circle.bot.env)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--room", circle.room_id, "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "planning partagé" in out.read_text()
