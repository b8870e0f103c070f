"""A proposal decided by consent against the real Synapse, in an encrypted room: an objection
chosen in the poll as Element sends it, its reason given in the bot's thread, an answer by
text, an amendment and a second round, adoption by the quorum, the outcome and the register."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.testing.pioneer import Pioneer, SeenEvent
from tests.integration.conftest import CircleRoom

pytestmark = pytest.mark.integration

POLL_START = "org.matrix.msc3381.poll.start"
STORY = "!histoire en tant que bénévole je souhaite des outils partagés afin de réparer plus vite"
TEXT = "Adhérer au réseau des ressourceries pour partager nos outils #1"


def _from_bot(circle: CircleRoom, event: SeenEvent) -> bool:
    return event.sender == circle.bot_id


async def _poll_after(circle: CircleRoom, who: Pioneer, mark: int) -> SeenEvent:
    return await who.wait_for(
        lambda e: _from_bot(circle, e) and e.type == POLL_START, 30, after=mark
    )


async def _open(circle: CircleRoom) -> SeenEvent:
    """Ben proposes; the poll arrives after the announcement."""
    chloe = circle.chloe
    mark = chloe.mark()
    await circle.ben.send(circle.room_id, f"!proposition {TEXT}")
    opened = await chloe.wait_for(
        lambda e: _from_bot(circle, e) and "consentement" in e.body, 30, after=mark
    )
    assert "Proposition #1" in opened.body and "Histoires citées" in opened.body
    return await _poll_after(circle, chloe, mark)


async def _objection_by_poll(circle: CircleRoom, poll: SeenEvent) -> None:
    """Chloé picks « objection » in the poll, then gives her reason in the bot's thread."""
    chloe = circle.chloe
    start = poll.content[POLL_START]
    assert start["max_selections"] == 1
    assert [a["id"] for a in start["answers"]] == ["accord", "abstention", "objection"]
    mark = chloe.mark()
    await chloe.answer_poll(circle.room_id, poll.event_id, ["objection"])
    ask = await chloe.wait_for(
        lambda e: _from_bot(circle, e) and "Quelle est votre raison" in e.body, 30, after=mark
    )
    assert ask.content["m.mentions"] == {"user_ids": [chloe.user_id]}
    waiting = await circle.ask(circle.ben, "!proposition 1")
    assert "En attente de sa raison" in waiting.body
    mark = chloe.mark()
    await chloe.send(circle.room_id, "pas avant notre assemblée générale", thread_root=ask.event_id)
    thanks = await chloe.wait_for(
        lambda e: _from_bot(circle, e) and e.thread_root == ask.event_id, 30, after=mark
    )
    assert "est comptée" in thanks.body


async def test_a_proposal_is_amended_then_adopted_by_the_quorum(circle: CircleRoom) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await circle.ask(ben, "!structure Ressourcerie")
    await circle.ask(chloe, "!structure Repair Café")
    await circle.ask(anna, STORY)
    first_poll = await _open(circle)
    await _objection_by_poll(circle, first_poll)
    no_reason = await circle.ask(anna, "!proposition 1 objection")
    assert "dit toujours sa raison" in no_reason.body and "Rien n'est compté" in no_reason.body
    await circle.ask(anna, "!proposition 1 d'accord")
    status = await circle.ask(ben, "!proposition 1")
    assert "2 réponses" in status.body and "1 d'accord · 1 objection" in status.body
    assert "pas avant notre assemblée générale" in status.body

    refused = await circle.ask(chloe, "!proposition modifier 1 Adhérer en 2027")
    assert "Seule la personne qui a fait la proposition #1" in refused.body
    mark = chloe.mark()
    await ben.send(circle.room_id, f"!proposition modifier 1 {TEXT} après l'AG de mars")
    amended = await chloe.wait_for(
        lambda e: _from_bot(circle, e) and "modifiée" in e.body, 30, after=mark
    )
    assert "tour 2" in amended.body and "après l'AG de mars" in amended.body
    second_poll = await _poll_after(circle, chloe, mark)
    await chloe.wait_until(lambda: first_poll.event_id in _redacted(circle, chloe), 30)
    fresh = await circle.ask(anna, "!proposition 1")
    assert "tour 2" in fresh.body and "personne n'a encore répondu" in fresh.body
    assert "Tour 1" in fresh.body and "pas avant notre assemblée" in fresh.body  # history

    await chloe.answer_poll(circle.room_id, second_poll.event_id, ["accord"])
    await circle.ask(ben, "!proposition 1 d'accord")
    counted = await circle.ask(anna, "!proposition 1")
    assert "2 réponses" in counted.body and "2 d'accord" in counted.body

    mark = chloe.mark()
    await ben.send(circle.room_id, "!proposition clore 1")
    outcome = await chloe.wait_for(
        lambda e: _from_bot(circle, e) and "🏁" in e.body, 30, after=mark
    )
    assert "Proposition #1 : adoptée" in outcome.body.replace("\u00a0", " ")
    await chloe.wait_until(lambda: second_poll.event_id in _redacted(circle, chloe), 30)
    register = await circle.ask(chloe, "!decisions")
    assert "Registre des décisions" in register.body and "#1" in register.body
    story = await circle.ask(chloe, "!histoire 1")
    assert "proposition #1, adoptée le" in story.body


def _redacted(circle: CircleRoom, who: Pioneer) -> set[str]:
    """Events the bot withdrew (room version 11+ carries ``redacts`` in the content)."""
    return {
        str(e.content.get("redacts"))
        for e in who.events
        if _from_bot(circle, e) and e.type == "m.room.redaction"
    }


async def test_a_deadline_passed_while_the_bot_was_down_closes_once_counting_answers(
    circle: CircleRoom,
) -> None:
    """The bot is killed; an answer comes by poll before the deadline, while it is down; the
    deadline passes; at restart the answer is counted first, then the outcome posted once."""
    ben, chloe = circle.ben, circle.chloe
    paris = ZoneInfo("Europe/Paris")
    deadline = (datetime.now(paris) + timedelta(seconds=75)).replace(second=0, microsecond=0)
    mark = chloe.mark()
    await ben.send(circle.room_id, f"!proposition {TEXT} jusqu'au {deadline:%Y-%m-%d %H:%M}")
    poll = await _poll_after(circle, chloe, mark)
    circle.bot.kill()
    await chloe.answer_poll(circle.room_id, poll.event_id, ["accord"])
    await asyncio.sleep(max(0.0, (deadline - datetime.now(paris)).total_seconds()) + 2)
    mark = chloe.mark()
    circle.bot.start()
    outcome = await chloe.wait_for(
        lambda e: _from_bot(circle, e) and "🏁" in e.body, 60, after=mark
    )
    assert "adoptée" in outcome.body and "1 d'accord" in outcome.body
    await asyncio.sleep(3)
    outcomes = [e for e in chloe.events[mark:] if _from_bot(circle, e) and "🏁" in e.body]
    assert len(outcomes) == 1
