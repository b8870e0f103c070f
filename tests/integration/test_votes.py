"""Prioritisation votes against the real Synapse, in an encrypted room."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.testing.pioneer import Pioneer, SeenEvent
from tests.integration.conftest import CircleRoom

pytestmark = pytest.mark.integration

STORIES = (
    "!histoire en tant que bénévole je souhaite un planning partagé afin de ne plus rater de tournée",
    "!histoire en tant que trésorière je souhaite exporter les cotisations afin de gagner du temps",
    "!histoire en tant que voisin je souhaite un composteur afin de réduire nos déchets",
)


async def _stories(circle: CircleRoom) -> None:
    for text in STORIES:
        await circle.ask(circle.anna, text)


async def _open(circle: CircleRoom, args: str = "") -> SeenEvent:
    """A facilitator opens a vote; the announcement is posted in the room."""
    mark = circle.anna.mark()
    await circle.anna.send(circle.room_id, f"!vote ouvrir {args}".strip())
    return await circle.anna.wait_for(
        lambda e: e.sender == circle.bot_id and "ouvert**" in e.body, 30, after=mark
    )


async def test_a_pioneer_cannot_open_or_close_a_vote(circle: CircleRoom) -> None:
    await _stories(circle)
    refused = await circle.ask(circle.ben, "!vote ouvrir")
    assert "réservée à l'équipe d'animation" in refused.body
    refused = await circle.ask(circle.ben, "!vote clore")
    assert "réservée à l'équipe d'animation" in refused.body
    assert "Aucun vote" in (await circle.ask(circle.ben, "!vote")).body


async def test_ballots_by_command_poll_and_direct_message_all_count(circle: CircleRoom) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await _stories(circle)
    mark = ben.mark()
    opened = await _open(circle)
    assert "Vote #1 ouvert" in opened.body and "#3" in opened.body
    # Element shows polls as single choice: 3 points are 3 single-choice polls, one per point
    await ben.wait_until(lambda: len(_polls(ben, circle, mark)) == 3, 30)
    polls = _polls(ben, circle, mark)
    for point, poll in enumerate(polls, start=1):
        start = poll.content["org.matrix.msc3381.poll.start"]
        assert start["max_selections"] == 1 and len(start["answers"]) == 3
        assert f"point {point} sur 3" in start["question"]["body"]
        assert "!vote" in poll.content["org.matrix.msc1767.text"]
    first = await circle.ask(ben, "!vote 1 1 2")
    assert "#1 (2 points)" in first.body
    second = await circle.ask(ben, "!vote 3 3 3")  # replaces the first
    assert "#3 (3 points)" in second.body
    # chloe answers two of the point polls (one point each), then changes her mind on the
    # first: her latest answer to each poll counts
    await chloe.answer_poll(circle.room_id, polls[0].event_id, ["s3"])
    await chloe.answer_poll(circle.room_id, polls[1].event_id, ["s1"])
    await chloe.answer_poll(circle.room_id, polls[0].event_id, ["s2"])
    # anna votes secretly by direct message
    dm = await anna.create_direct_chat(circle.bot_id)
    await anna.wait_for(lambda e: e.sender == circle.bot_id and e.room_id == dm, 30)
    mark_dm = anna.mark()
    await anna.send(dm, "!vote 2 2 1")
    ack = await anna.wait_for(
        lambda e: e.sender == circle.bot_id and e.room_id == dm, 30, after=mark_dm
    )
    assert "secret" in ack.body
    chat = await anna.send(dm, "merci !")  # chat in private: a pointer rather than silence
    hint = await anna.wait_for(lambda e: e.sender == circle.bot_id and e.reply_to == chat, 30)
    assert "!vote" in hint.body and "!aide" in hint.body
    await asyncio.sleep(1)
    status = await circle.ask(ben, "!vote")
    assert "3 personnes ont voté" in status.body
    assert "caché" in status.body
    # each voter sees what counted (how many points, not for what)
    chloe_name = chloe.user_id.split(":")[0].lstrip("@")
    assert f"{chloe_name} 2 sur 3" in status.body

    mark = ben.mark()
    await anna.send(circle.room_id, "!vote clore")
    results = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and "Résultats du vote #1" in e.body, 30, after=mark
    )
    # points: #1 = 1 (chloe) + 1 (anna) = 2 ; #2 = 1 (chloe) + 2 (anna) = 3 ; #3 = 3 (ben)
    lines = [ln for ln in results.body.splitlines() if ln[:2] in ("1.", "2.", "3.")]
    assert "#2" in lines[0] and "3 points (ex æquo)" in lines[0]
    assert "#3" in lines[1] and "3 points (ex æquo)" in lines[1]  # tie: same rank
    assert lines[1].startswith("1. ")
    assert lines[2].startswith("3.") and "#1" in lines[2] and "2 points" in lines[2]
    assert "<ol" not in results.html  # Element would renumber a list and hide the tie
    assert "3 bulletins" in results.body
    assert (
        "anna" not in results.body.split("Participation")[0].lower()
    )  # who voted what stays secret
    # the polls are withdrawn, so no poll shows its own result beside the real one
    poll_ids = {p.event_id for p in polls}
    await ben.wait_until(lambda: poll_ids <= _redacted(ben, circle, mark), 30)
    image = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and e.content.get("msgtype") == "m.image",
        60,
        after=mark,
    )
    assert image.content["file"]["url"].startswith("mxc://")  # encrypted upload
    assert image.content["info"]["mimetype"] == "image/png"
    # a late poll response is ignored
    await chloe.answer_poll(circle.room_id, polls[2].event_id, ["s3"])
    assert "Aucun vote n'est ouvert" in (await circle.ask(ben, "!vote")).body
    shown = await circle.ask(ben, "!histoire 2")
    assert "vote #1, 3 points (rang 1)" in shown.body


async def test_bad_ballots_get_a_clear_answer_and_change_nothing(circle: CircleRoom) -> None:
    await _stories(circle)
    assert "Aucun vote" in (await circle.ask(circle.ben, "!vote 1 2")).body
    await _open(circle, "histoires 1 2")
    too_many = await circle.ask(circle.ben, "!vote 1 1 2 2")
    assert "4 points" in too_many.body and "3" in too_many.body
    not_candidate = await circle.ask(circle.ben, "!vote 3")
    assert "#3" in not_candidate.body and "candidate" in not_candidate.body
    nonsense = await circle.ask(circle.ben, "!vote deux trois")
    assert "numéro" in nonsense.body
    scores = await circle.ask(circle.ben, "!vote 1 impact 4 coût 2")
    assert "par points" in scores.body
    again = await circle.ask(circle.anna, "!vote ouvrir")
    assert "déjà ouvert" in again.body
    assert "Personne n'a encore voté" in (await circle.ask(circle.ben, "!vote")).body


async def test_an_impact_cost_vote_ranks_by_ratio(circle: CircleRoom) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await _stories(circle)
    opened = await _open(circle, "impact")
    assert "impact / coût" in opened.body
    await circle.ask(ben, "!vote 1 impact 5 coût 5")
    await circle.ask(ben, "!vote 2 impact 3 cout 1")
    await circle.ask(chloe, "!vote #2 coût 1 impact 4")
    out_of_range = await circle.ask(chloe, "!vote 3 impact 9 coût 1")
    assert "de 1 à 5" in out_of_range.body
    mark = ben.mark()
    await anna.send(circle.room_id, "!vote clore")
    results = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and "Résultats du vote #1" in e.body, 30, after=mark
    )
    first = next(ln for ln in results.body.splitlines() if ln.startswith("1."))
    assert "#2" in first and "3,5" in first  # impact 3.5 / cost 1
    assert "pas de note" in results.body  # story 3 unscored
    await ben.wait_for(
        lambda e: e.sender == circle.bot_id and e.content.get("msgtype") == "m.image",
        60,
        after=mark,
    )


async def test_a_vote_closes_by_itself_at_its_deadline(circle: CircleRoom) -> None:
    await _stories(circle)
    paris = datetime.now(ZoneInfo("Europe/Paris")) + timedelta(seconds=85)
    deadline = paris.strftime("%Y-%m-%d %H:%M")
    mark = circle.ben.mark()
    await _open(circle, f"jusqu'au {deadline}")
    await circle.ask(circle.ben, "!vote 1 2 3")
    results = await circle.ben.wait_for(
        lambda e: e.sender == circle.bot_id and "Résultats du vote #1" in e.body, 120, after=mark
    )
    assert "1 bulletin" in results.body


async def test_a_sigkill_during_a_vote_loses_no_ballot_and_counts_none_twice(
    circle: CircleRoom,
) -> None:
    anna, ben, chloe = circle.anna, circle.ben, circle.chloe
    await _stories(circle)
    await _open(circle)
    await circle.ask(ben, "!vote 1 2 3")
    circle.bot.kill()
    await chloe.send(circle.room_id, "!vote 2 2 2")  # sent while the bot is dead
    circle.bot.start()
    await chloe.wait_for(lambda e: e.sender == circle.bot_id and "#2 (3 points)" in e.body, 40)
    await circle.ask(anna, "!vote 3")
    status = await circle.ask(ben, "!vote")
    assert "3 personnes ont voté" in status.body
    mark = ben.mark()
    await anna.send(circle.room_id, "!vote clore")
    results: SeenEvent = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and "Résultats du vote #1" in e.body, 30, after=mark
    )
    first = next(ln for ln in results.body.splitlines() if ln.startswith("1."))
    assert "#2" in first and "4 points" in first
    assert "3 bulletins" in results.body


async def test_a_ballot_sent_while_the_bot_is_down_counts_when_the_deadline_passes_meanwhile(
    circle: CircleRoom,
) -> None:
    """Killed; a ballot comes before the deadline; the deadline passes; at restart the ballot
    is read (first sync) before the vote closes, once."""
    ben, chloe = circle.ben, circle.chloe
    await _stories(circle)
    paris = ZoneInfo("Europe/Paris")
    deadline = (datetime.now(paris) + timedelta(seconds=75)).replace(second=0, microsecond=0)
    await _open(circle, f"jusqu'au {deadline:%Y-%m-%d %H:%M}")
    await circle.ask(ben, "!vote 1 2 3")
    circle.bot.kill()
    await chloe.send(circle.room_id, "!vote 2 2 2")  # sent while the bot is dead
    await asyncio.sleep(max(0.0, (deadline - datetime.now(paris)).total_seconds()) + 2)
    mark = ben.mark()
    circle.bot.start()
    results = await ben.wait_for(
        lambda e: e.sender == circle.bot_id and "Résultats du vote #1" in e.body, 60, after=mark
    )
    assert "2 bulletins" in results.body, results.body
    await asyncio.sleep(3)
    closes = [e for e in ben.events[mark:] if e.sender == circle.bot_id and "🏁" in e.body]
    assert len(closes) == 1  # the picture follows, without 🏁


def _polls(pioneer: Pioneer, circle: CircleRoom, mark: int) -> list[SeenEvent]:
    return [
        e
        for e in pioneer.events[mark:]
        if e.sender == circle.bot_id and e.type == "org.matrix.msc3381.poll.start"
    ]


def _redacted(pioneer: Pioneer, circle: CircleRoom, mark: int) -> set[str]:
    """Events the bot withdrew (room version 11+ carries ``redacts`` in the content)."""
    return {
        str(e.content.get("redacts"))
        for e in pioneer.events[mark:]
        if e.sender == circle.bot_id and e.type == "m.room.redaction"
    }
