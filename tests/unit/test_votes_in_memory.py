"""The vote feature in process: each command's happy path and refusals, the poll hook, the
deadline job, what ``!histoire N`` says; a real bot over a fresh database, a fake Matrix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.features.votes.closing import close_due_vote
from bot.matrix.incoming import IncomingPollResponse
from bot.matrix.messages import POLL_START
from bot.store import outbox
from bot.store import votes as vote_store
from bot.store.purposes import Purpose, PurposeKind
from tests.unit.circle_in_memory import FACILITATOR, PIONEERS, ROOM, CircleInMemory, open_circle

AWA, LEO = PIONEERS[0], PIONEERS[1]


@pytest.fixture
async def circle(tmp_path: Path) -> AsyncIterator[CircleInMemory]:
    circle = await open_circle(tmp_path / "bot.db")
    for n in range(1, 5):
        await circle.say(
            AWA, f"!histoire En tant que bénévole, je souhaite l'outil {n} afin que ça aille"
        )
    yield circle
    await circle.db.close()


def _close_job(circle: CircleInMemory) -> object:
    """The deadline job (the scheduler is not started in process: no next run time to read)."""
    return circle.bot.clockwork.scheduler.get_job(f"vote-close:1:{ROOM}")


def plain(body: str) -> str:
    return body.replace("\u00a0", " ").replace("\u202f", " ")


async def test_without_a_vote_the_status_says_none_then_names_the_last(
    circle: CircleInMemory,
) -> None:
    [body] = await circle.say(AWA, "!vote")
    assert body.startswith("Aucun vote n'est ouvert.")
    await circle.say(FACILITATOR, "!vote ouvrir")
    await circle.say(FACILITATOR, "!vote clore")
    assert plain((await circle.say(AWA, "!vote 1"))[0]) == (
        "Aucun vote n'est ouvert (le dernier était le vote #1)."
    )


async def test_opening_posts_the_candidates_the_point_polls_and_the_status(
    circle: CircleInMemory,
) -> None:
    bodies = await circle.say(FACILITATOR, "!vote ouvrir points 2")
    assert "Vote #1 ouvert" in bodies[0] and "#4" in bodies[0]
    assert "Les résultats restent cachés" in bodies[1]
    assert circle.matrix.sent_types.count(POLL_START) == 2
    status = Purpose(PurposeKind.VOTE_STATUS, 1, ROOM).text()
    assert await outbox.sent_event_for(circle.db, status) is not None
    assert _close_job(circle) is not None


@pytest.mark.parametrize(
    ("command", "start"),
    [
        (
            "!vote ouvrir histoires 2 99",
            "Ces histoires n'existent pas ou ne sont plus ouvertes : #99",
        ),
        ("!vote ouvrir points 99", "Le nombre de points va de"),
    ],
)
async def test_a_bad_opening_is_refused(circle: CircleInMemory, command: str, start: str) -> None:
    [body] = await circle.say(FACILITATOR, command)
    assert plain(body).startswith(start)
    assert await vote_store.open_vote(circle.db, ROOM) is None


async def test_one_vote_at_a_time(circle: CircleInMemory) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir")
    [body] = await circle.say(FACILITATOR, "!vote ouvrir")
    assert plain(body).startswith("Le vote #1 est déjà ouvert")


async def test_a_vote_needs_proposed_stories(tmp_path: Path) -> None:
    empty = await open_circle(tmp_path / "empty.db")
    [body] = await empty.say(FACILITATOR, "!vote ouvrir")
    assert body.startswith("Il n'y a aucune histoire proposée")
    await empty.db.close()


async def test_a_dot_ballot_is_acknowledged_and_the_status_edited(circle: CircleInMemory) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir points 3")
    bodies = await circle.say(AWA, "!vote 1 1 2")
    assert plain(bodies[0]).startswith("🗳️")
    edit = next(b for b in bodies[1:] if b.startswith("* "))
    assert "Points comptés" in edit


@pytest.mark.parametrize(
    ("ballot", "start"),
    [
        ("!vote 1 2 3 4", "Vous avez donné 4 points, mais chacun·e en a 3."),
        ("!vote 9", "L'histoire #9 n'est pas candidate à ce vote"),
        ("!vote 1 impact 3 coût 2", "Le vote #1 se fait par points"),
    ],
)
async def test_a_bad_ballot_is_refused_and_counts_nothing(
    circle: CircleInMemory, ballot: str, start: str
) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir points 3")
    [body, *_] = await circle.say(AWA, ballot)
    assert plain(body).startswith(start)
    assert await vote_store.voters(circle.db, ROOM, 1) == set()


async def test_a_score_vote_takes_scores(circle: CircleInMemory) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir impact")
    [ack, *_] = await circle.say(AWA, "!vote 2 impact 4 coût 1")
    assert plain(ack).startswith("🗳️ Noté : histoire #2, impact 4, coût 1.")
    await circle.say(FACILITATOR, "!vote clore")
    vote = await vote_store.get_vote(circle.db, ROOM, 1)
    assert vote is not None and vote.results is not None
    assert vote.results.kind == "scores" and vote.results.top == (2,)
    assert vote.results.points_of(2) is None


async def test_closing_posts_the_ranking_stores_typed_results_and_withdraws_the_polls(
    circle: CircleInMemory,
) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir points 2")
    await circle.say(AWA, "!vote 3 3")
    await circle.say(LEO, "!vote 3 1")
    bodies = await circle.say(FACILITATOR, "!vote clore")
    results = next(b for b in bodies if "Résultats du vote #1" in b)
    assert results.index("**#3**") < results.index("**#1**")
    assert "#2 #4" in results  # nobody gave them a point
    assert any(b.startswith("* 🗳️ Vote #1 clos") for b in bodies)
    assert circle.matrix.sent_types.count("m.room.redaction") == 2
    vote = await vote_store.get_vote(circle.db, ROOM, 1)
    assert vote is not None and vote.results is not None and not vote.is_open
    assert vote.results.ranking[:2] == (3, 1) and vote.results.voters == 2
    assert vote.results.points_of(3) == 3 and vote.results.top == (3, 1)
    assert await outbox.sent_event_for(circle.db, Purpose(PurposeKind.VOTE_RESULTS, 1, ROOM).text())
    assert _close_job(circle) is None


async def test_an_answer_to_a_point_poll_counts_as_that_point(circle: CircleInMemory) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir points 2")
    polls = [
        event_id
        for event_id, kind in zip(circle.matrix.sent_ids, circle.matrix.sent_types, strict=True)
        if kind == POLL_START
    ]
    ts = int(circle.now.timestamp() * 1000)
    for n, poll in enumerate(polls):
        await circle.bot.on_poll_response(
            IncomingPollResponse(ROOM, f"$answer{n}", AWA, poll, ("s4",), ts + n)
        )
    await circle.bot.sender.flush()
    [ballot] = (await vote_store.dot_ballots(circle.db, ROOM, 1))[-1:]
    assert ballot.points == {4: 2} and ballot.source == "poll"


async def test_an_answer_to_another_message_is_not_a_ballot(circle: CircleInMemory) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir points 2")
    ts = int(circle.now.timestamp() * 1000)
    await circle.bot.on_poll_response(
        IncomingPollResponse(ROOM, "$answer", AWA, circle.matrix.sent_ids[0], ("s4",), ts)
    )
    assert await vote_store.dot_ballots(circle.db, ROOM, 1) == []


async def test_the_deadline_job_closes_the_vote_once(circle: CircleInMemory) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir")
    circle.now += timedelta(days=30)
    await close_due_vote(circle.bot, ROOM, 1)
    sent = len(circle.matrix.sent)
    assert any("Résultats du vote #1" in c.get("body", "") for c in circle.matrix.sent)
    await close_due_vote(circle.bot, ROOM, 1)
    assert len(circle.matrix.sent) == sent


async def test_a_story_tells_its_closed_votes(circle: CircleInMemory) -> None:
    await circle.say(FACILITATOR, "!vote ouvrir points 2")
    await circle.say(AWA, "!vote 2 2")
    [before] = await circle.say(AWA, "!histoire 2")
    assert "Votes" not in before  # an open vote stays hidden
    await circle.say(FACILITATOR, "!vote clore")
    [after] = await circle.say(AWA, "!histoire 2")
    assert "vote #1, 2 points (rang 1)" in plain(after)
