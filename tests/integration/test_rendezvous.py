"""The monthly rendez-vous against the real Synapse, in an encrypted room: five pioneers of
three structures answer three slots (some in the polls, as Element sends them), the bot
recommends the slot that covers every structure although another has more people, the date is
fixed (link, agenda, .ics parsed back), a reminder a few minutes ahead pings exactly who comes
and not who is away, attendance is recorded and the recap counts it per structure."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.testing.bot_process import BotProcess
from bot.testing.homeserver import LocalHomeserver
from bot.testing.pioneer import Pioneer, SeenEvent
from tests.integration.conftest import make_pioneer, start_bot

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
CONFIG = """
defaults:
  timezone: Europe/Paris
  rendezvous:
    link: "https://meet.jit.si/{circle}"
"""
POLL_START = "org.matrix.msc3381.poll.start"


@dataclass
class Meeting:
    """A circle of five pioneers in three structures and a facilitator (anna)."""

    bot_id: str
    bot: BotProcess
    room_id: str
    anna: Pioneer
    ben: Pioneer  # Ressourcerie
    chloe: Pioneer  # Ressourcerie
    dan: Pioneer  # Repair Café
    eve: Pioneer  # Repair Café, away
    fay: Pioneer  # Jardins

    @property
    def everyone(self) -> list[Pioneer]:
        return [self.anna, self.ben, self.chloe, self.dan, self.eve, self.fay]

    async def ask(self, who: Pioneer, text: str, timeout: float = 30) -> SeenEvent:
        mark = who.mark()
        event_id = await who.send(self.room_id, text)
        return await who.wait_for(
            lambda e: e.sender == self.bot_id and e.reply_to == event_id, timeout, after=mark
        )


@pytest.fixture
async def meeting(homeserver: LocalHomeserver, tmp_path: Path) -> AsyncIterator[Meeting]:
    anna = await make_pioneer(homeserver, tmp_path, "anna")
    bot_id, bot = start_bot(homeserver, tmp_path, anna.user_id, CONFIG)
    others = [
        await make_pioneer(homeserver, tmp_path, n) for n in ("ben", "chloe", "dan", "eve", "fay")
    ]
    room_id = await anna.create_room("Cercle des pionniers", [bot_id] + [p.user_id for p in others])
    for pioneer in others:
        await pioneer.join(room_id)
    room = Meeting(bot_id, bot, room_id, anna, *others)
    try:
        for pioneer in room.everyone:
            await pioneer.wait_for(lambda e: e.sender == bot_id and e.room_id == room_id, 40)
        yield room
    finally:
        for pioneer in room.everyone:
            await pioneer.close()
        bot.stop()


def slot_text(at: datetime) -> str:
    return f"{at:%d/%m} {at:%H}h{at:%M}"


async def test_a_monthly_rendezvous_from_the_date_poll_to_attendance(meeting: Meeting) -> None:
    m = meeting
    for pioneer, structure in (
        (m.ben, "Ressourcerie"),
        (m.chloe, "Ressourcerie"),
        (m.dan, "Repair Café"),
        (m.eve, "Repair Café"),
        (m.fay, "Jardins"),
    ):
        await m.ask(pioneer, f"!structure {structure}")
    await m.ask(
        m.ben, "!histoire en tant que bénévole je souhaite un agenda partagé afin de ne rien rater"
    )
    refused = await m.ask(m.ben, "!rdv proposer demain 18h, après-demain 18h")
    assert "réservée à l'équipe d'animation" in refused.body

    # Slot 1 in a little more than an hour, so that its « one hour before » reminder comes
    # one to two minutes into the test (the answers before « !rdv choisir » take about 15 s:
    # a reminder whose time has passed when the date is fixed is never sent); slots 2 and 3
    # the next days.
    now = datetime.now(PARIS).replace(second=0, microsecond=0)
    soon = now + timedelta(minutes=62)
    slots = [soon, (now + timedelta(days=2)).replace(hour=18, minute=0),
             (now + timedelta(days=3)).replace(hour=12, minute=30)]  # fmt: skip
    mark = m.ben.mark()
    await m.anna.send(m.room_id, "!rdv proposer " + ", ".join(slot_text(s) for s in slots))
    status = await m.ben.wait_for(
        lambda e: e.sender == m.bot_id and "Rendez-vous mensuel #1" in e.body, 30, after=mark
    )
    await m.ben.wait_until(lambda: len(_polls(m.ben, m.bot_id, mark)) == 3, 30)
    polls = [p.event_id for p in _polls(m.ben, m.bot_id, mark)]
    question = _polls(m.ben, m.bot_id, mark)[0].content[POLL_START]
    assert question["max_selections"] == 1
    assert [a["org.matrix.msc1767.text"] for a in question["answers"]] == [
        "Oui",
        "Si besoin",
        "Non",
    ]

    # Slot 1: one per structure (Dan only « if needed »); slot 2: four people, two structures
    # (Eve's answers stop counting once she says she is away).
    await m.ben.answer_poll(m.room_id, polls[0], ["yes"])
    await m.fay.answer_poll(m.room_id, polls[0], ["yes"])
    await m.eve.answer_poll(m.room_id, polls[0], ["yes"])
    await m.chloe.answer_poll(m.room_id, polls[1], ["yes"])
    assert "👍" in (await m.ask(m.dan, "!rdv 1 si-besoin 2 oui")).body
    assert "👍" in (await m.ask(m.ben, "!rdv 2 oui 3 non")).body
    assert "👍" in (await m.ask(m.anna, "!rdv 2 oui")).body
    await m.eve.answer_poll(m.room_id, polls[1], ["yes"])
    away = await m.ask(m.eve, "!absent jusqu'au " + f"{now + timedelta(days=5):%d/%m}")
    assert "ni rappel ni mention" in away.body
    wrong = await m.ask(m.fay, "!rdv 5 oui")
    assert "pas de créneau 5" in wrong.body
    await asyncio.sleep(1.5)

    shown = await m.ask(m.chloe, "!rdv")
    assert "— 4 oui, 0 si besoin · Repair Café et Ressourcerie" in shown.body  # slot 2
    assert "— 2 oui, 1 si besoin · Jardins, Repair Café et Ressourcerie" in shown.body  # slot 1
    assert "Créneau conseillé\u00a0: **1**" in shown.body
    # the status message itself was edited in place
    edits = [
        e for e in m.ben.events
        if e.sender == m.bot_id and (e.content.get("m.relates_to") or {}).get("event_id") == status.event_id
    ]  # fmt: skip
    assert edits and "Créneau conseillé" in edits[-1].content["m.new_content"]["body"]

    mark = m.ben.mark()
    await m.anna.send(m.room_id, "!rdv choisir 1")
    announce = await m.ben.wait_for(
        lambda e: e.sender == m.bot_id and "Ordre du jour" in e.body, 30, after=mark
    )
    assert "**Rendez-vous #1\u00a0:" in announce.body and "pendant 1\u00a0heure" in announce.body
    assert "Lien de la visio\u00a0: https://meet.jit.si/CercleDesPionniers" in announce.body
    assert "Ordre du jour" in announce.body and "1 histoire sans porteur\u00a0: #1" in announce.body
    assert announce.content["msgtype"] == "m.text"
    assert sorted(announce.content["m.mentions"]["user_ids"]) == sorted(
        [m.ben.user_id, m.dan.user_id, m.fay.user_id]
    )
    ics_event = await m.ben.wait_for(
        lambda e: e.sender == m.bot_id and e.content.get("msgtype") == "m.file", 60, after=mark
    )
    assert ics_event.content["info"]["mimetype"] == "text/calendar"
    data = await m.ben.download(ics_event)
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == soon  # the same instant
    assert event.decoded("dtstart").tzinfo is not None and b"BEGIN:VTIMEZONE" in data

    # The reminder one hour before: a few minutes from now.
    reminder = await m.ben.wait_for(
        lambda e: e.sender == m.bot_id and "commence dans une heure" in e.body, 300, after=mark
    )
    assert reminder.content["msgtype"] == "m.text"
    assert sorted(reminder.content["m.mentions"]["user_ids"]) == sorted(
        [m.ben.user_id, m.dan.user_id, m.fay.user_id]
    )  # Eve said yes but is away
    assert m.eve.user_id not in reminder.html

    stranger = await m.ask(m.anna, "!rdv presents @personne:example.org")
    assert "ne fait pas partie de ce cercle" in stranger.body
    noted = await m.ask(m.anna, f"!rdv presents {m.ben.user_id} {m.dan.user_id} {m.fay.user_id}")
    assert "3 personnes présentes" in noted.body
    assert "Toutes les structures étaient là" in noted.body
    mine = await m.ask(m.chloe, "!rdv present")
    assert "4 personnes présentes" in mine.body and "Ressourcerie 2" in mine.body

    recap = await m.ask(m.chloe, "!bilan")
    assert "Rendez-vous #1\u00a0: 4 personnes, structures présentes 3 sur 3." in recap.body
    listing = await m.ask(m.chloe, "!structures")
    assert "rendez-vous\u00a0: 1 sur 1" in listing.body


def _polls(pioneer: Pioneer, bot_id: str, mark: int) -> list[SeenEvent]:
    return [e for e in pioneer.events[mark:] if e.sender == bot_id and e.type == POLL_START]
